#define _GNU_SOURCE
#include "instance_run.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log_sink.h"
#include "../kernel/core/machine.h"
#include "fs_util.h"
#include "instance.h"
#include "qemu_launch.h"
#include "rtctl.h"
#include "time_text.h"

struct supervision {
  struct instance inst;
  bool registered;
  int ready_fd;   /* detached: tells the waiting parent that QEMU runs (-1: none) */
  int log_fd;     /* detached: becomes stderr once QEMU runs (-1: none) */
};

static void on_started(pid_t pid, void *ctx) {
  struct supervision *s = ctx;
  if (s->registered) {
    s->inst.pid = pid;
    process_start_time(pid, &s->inst.pid_start);
    s->inst.status = INSTANCE_RUNNING;
    struct ib_error err;
    if (instance_save(&s->inst, &err) < 0) rtctl_error("run", "instance state: %s", err.msg);
  }
  if (s->ready_fd >= 0) {
    (void)!write(s->ready_fd, "1", 1);
    close(s->ready_fd);
    s->ready_fd = -1;
  }
  if (s->log_fd >= 0) {
    dup2(s->log_fd, 2);
    close(s->log_fd);
    s->log_fd = -1;
  }
}

/* Records how QEMU ended: stopped when asked to (rtctl stop, a signal), else exited. */
static void record_end(struct supervision *s, int rc) {
  if (!s->registered) return;
  char *marker = NULL;
  bool stop_requested = instance_path(s->inst.name, "stop-requested", &marker, NULL) == 0 && access(marker, F_OK) == 0;
  free(marker);
  s->inst.status = stop_requested || rc > 128 ? INSTANCE_STOPPED : INSTANCE_EXITED;
  s->inst.exit_code = rc;
  s->inst.ended_us = time_now_us();
  struct ib_error err;
  if (instance_save(&s->inst, &err) < 0) rtctl_error("run", "instance state: %s", err.msg);
}

/* Statuses after which the kernel's console explains more than the app's log does: the
 * kernel's own, a VM failure, and 129-159 (abort() in V8 or the C library: 134). */
static bool kernel_trouble(int rc) {
  return rc == RTCTL_EXIT_VM_FAILED || rc == EXIT_BAD_IMAGE || rc == EXIT_NO_JAVASCRIPT || rc == EXIT_KERNEL_PANIC ||
         rc == EXIT_KERNEL_FAULT || (rc > 128 && rc < 160);
}

/* Runs QEMU to the end with its output stored in the instance's log. */
static int supervise(const struct instance_launch *l, const char *accel, struct supervision *s, bool echo) {
  struct log_sink sink;
  log_sink_init(&sink, echo, l->show_kernel, &l->format);
  struct ib_error err;
  char *path = NULL;
  if (s->registered && (instance_path(s->inst.name, INSTANCE_LOG_FILE, &path, &err) < 0 ||
                        log_sink_store(&sink, path, &err) < 0))
    rtctl_error("run", "instance log: %s", err.msg);
  free(path);
  struct qemu_run run = {l->img->kernel_path, l->initrd, l->memory_mib, l->cpus, accel, &sink, false, on_started, s};
  int rc = qemu_launch(&run, "run");
  if (echo && !l->show_kernel && !run.interrupted && kernel_trouble(rc) && sink.backlog_count > 0) {
    rtctl_error("run", "the kernel's console (last %zu lines):", sink.backlog_count);
    log_sink_print_backlog(&sink, stderr);
  }
  log_sink_close(&sink);
  record_end(s, rc);
  if (l->cleanup_dir) ib_remove_tree(l->cleanup_dir);
  return rc;
}

int instance_run_attached(const struct instance_launch *l) {
  const char *accel = qemu_choose_accel(l->img->kernel_path, "run");
  struct supervision s = {.ready_fd = -1, .log_fd = -1};
  struct ib_error err;
  int rc = instance_create(l->name, l->img->name, l->img->digest, false, &s.inst, &err);
  if (rc < 0 && l->name) {
    rtctl_error("run", "%s", err.msg);
    if (l->cleanup_dir) ib_remove_tree(l->cleanup_dir);
    return RTCTL_EXIT_FAILURE;
  }
  if (rc < 0) rtctl_error("run", "instance state: %s (`rtctl logs` and `ps` will not know this run)", err.msg);
  s.registered = rc == 0;
  if (s.registered) snprintf(s.inst.accel, sizeof s.inst.accel, "%s", accel);
  return supervise(l, accel, &s, true);
}

int instance_run_detached(const struct instance_launch *l) {
  const char *accel = qemu_choose_accel(l->img->kernel_path, "run");
  struct supervision s = {.registered = true};
  struct ib_error err;
  char *qemu_log = NULL;
  int ready[2] = {-1, -1};
  if (instance_create(l->name, l->img->name, l->img->digest, true, &s.inst, &err) < 0 ||
      instance_path(s.inst.name, "qemu.log", &qemu_log, &err) < 0) {
    rtctl_error("run", "%s", err.msg);
    return RTCTL_EXIT_FAILURE;
  }
  snprintf(s.inst.accel, sizeof s.inst.accel, "%s", accel);
  s.log_fd = open(qemu_log, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
  if (s.log_fd < 0 || pipe2(ready, O_CLOEXEC) != 0) {
    rtctl_error("run", "%s: %s", s.log_fd < 0 ? qemu_log : "pipe", strerror(errno));
    free(qemu_log);
    return RTCTL_EXIT_FAILURE;
  }
  free(qemu_log);
  fflush(NULL);
  pid_t child = fork();
  if (child < 0) {
    rtctl_error("run", "fork: %s", strerror(errno));
    return RTCTL_EXIT_FAILURE;
  }
  if (child == 0) {
    /* The supervisor: its own session, no terminal; stderr stays the caller's until QEMU
     * runs, so that a QEMU that cannot start is reported where the user looks. */
    close(ready[0]);
    s.ready_fd = ready[1];
    setsid();
    int null = open("/dev/null", O_RDWR);
    dup2(null, 0);
    dup2(null, 1);
    if (null > 2) close(null);
    s.inst.supervisor_pid = getpid();
    process_start_time(s.inst.supervisor_pid, &s.inst.supervisor_start);
    instance_save(&s.inst, NULL);
    supervise(l, accel, &s, false);
    fflush(NULL);
    _exit(0);
  }
  close(ready[1]);
  close(s.log_fd);
  char c;
  ssize_t n;
  while ((n = read(ready[0], &c, 1)) < 0 && errno == EINTR) continue;
  close(ready[0]);
  if (n != 1) { /* the supervisor ended before QEMU ran; it said why on stderr */
    waitpid(child, NULL, 0);
    return RTCTL_EXIT_VM_FAILED;
  }
  printf("%s\n", s.inst.name);
  return 0;
}
