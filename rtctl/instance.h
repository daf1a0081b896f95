/* Instances: one QEMU process running an image, started by `rtctl run` (attached or -d).
 * Their state lives in $XDG_STATE_HOME/runtimejs/instances/NAME/ (default
 * ~/.local/state/runtimejs):
 *
 *   state.json       image, QEMU's pid and start time, status, exit code (written atomically)
 *   console.log      the guest console, each line prefixed with its receive time
 *   qemu.log         QEMU's own messages and the supervisor's (detached runs)
 *   stop-requested   `rtctl stop` is ending it: the end is recorded as "stopped"
 *
 * A pid alone is never trusted: the process start time from /proc/PID/stat (field 22) is
 * kept beside it, so a recycled pid does not make a dead instance look alive. */
#ifndef RTCTL_INSTANCE_H
#define RTCTL_INSTANCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "digest.h"
#include "ib_error.h"

#define INSTANCE_NAME_MAX 64
#define INSTANCE_STOP_TIMEOUT_MS 5000 /* SIGTERM, then SIGKILL after this */

enum instance_status {
  INSTANCE_STARTING, /* registered, QEMU not started yet */
  INSTANCE_RUNNING,
  INSTANCE_EXITED,   /* exit_code: the app's status, 125 for a VM failure, -1 unknown */
  INSTANCE_STOPPED,  /* by `rtctl stop`, Ctrl-C or a signal */
};

struct instance {
  char name[INSTANCE_NAME_MAX + 1];
  char image[256];
  char digest[IB_DIGEST_LEN + 1];
  enum instance_status status;
  pid_t pid;                         /* QEMU */
  unsigned long long pid_start;      /* its start time, /proc/PID/stat field 22 */
  pid_t supervisor_pid;              /* the rtctl process that owns QEMU and writes the log */
  unsigned long long supervisor_start;
  char accel[8];
  int64_t started_us, ended_us;      /* wall clock; 0: unknown */
  int exit_code;                     /* -1: unknown */
  bool detached;
};

const char *instance_status_name(enum instance_status s);

/* $XDG_STATE_HOME/runtimejs/instances (default ~/.local/state/runtimejs/instances). */
int instance_root(char **root, struct ib_error *err);
/* The instance's folder, or a file in it (file NULL: the folder). */
int instance_path(const char *name, const char *file, char **path, struct ib_error *err);

bool instance_name_valid(const char *name);

/* The state file's text and back. */
char *instance_to_json(const struct instance *inst);
int instance_from_json(const char *json, struct instance *inst, struct ib_error *err);

int instance_save(const struct instance *inst, struct ib_error *err);
/* -ENOENT with "no such instance" when there is none. */
int instance_load(const char *name, struct instance *inst, struct ib_error *err);

/* The names of all instances, sorted; free with instance_names_free. */
int instance_list(char ***names, size_t *count, struct ib_error *err);
void instance_names_free(char **names, size_t count);

/* Start time of a live (not zombie) process, from /proc/PID/stat field 22; -ESRCH if none. */
int process_start_time(pid_t pid, unsigned long long *start);
/* True when pid is a live process that started at `start`. */
bool process_matches(pid_t pid, unsigned long long start);

/* Whether the instance is really alive: its state says starting or running, and QEMU or its
 * supervisor is still the process recorded. Otherwise the state is stale when it claims to
 * be alive; *effective (when not NULL) is the status to show: a stale state is EXITED with
 * exit code unknown. */
bool instance_alive(const struct instance *inst, enum instance_status *effective, bool *stale);

/* Registers a new instance for `image`: the name is `requested`, or else the image's name,
 * then NAME-2, NAME-3 ... the first not taken by a live instance. An ended instance of the
 * same name is replaced (its log too). Its first state is "starting", with this process as
 * supervisor. Done under a lock, so two runs never get the same name. */
int instance_create(const char *requested, const char *image, const char *digest, bool detached,
                    struct instance *inst, struct ib_error *err);

/* Stops a live instance: SIGTERM to QEMU, SIGKILL after INSTANCE_STOP_TIMEOUT_MS, then the
 * state is recorded as stopped (by the supervisor, or here when it is gone). */
int instance_stop(const char *name, struct ib_error *err);

/* Removes an ended instance's folder. */
int instance_remove(const char *name, struct ib_error *err);

#endif
