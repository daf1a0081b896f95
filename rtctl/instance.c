#define _GNU_SOURCE
#include "instance.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fs_util.h"
#include "rtctl.h"
#include "time_text.h"

#define STATE_FILE "state.json"
#define POLL_MS 20

static const char *const status_names[] = {"starting", "running", "exited", "stopped"};

const char *instance_status_name(enum instance_status s) {
  return status_names[s];
}

int instance_root(char **root, struct ib_error *err) {
  struct ib_error why;
  int rc = rtctl_xdg_path("XDG_STATE_HOME", ".local/state", "runtimejs/instances", root, &why);
  return rc < 0 ? ib_fail(err, rc, "instances: %s", why.msg) : 0;
}

bool instance_name_valid(const char *name) {
  size_t n = strlen(name);
  if (n == 0 || n > INSTANCE_NAME_MAX || name[0] == '.' || name[0] == '-') return false;
  return strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") == n;
}

int instance_path(const char *name, const char *file, char **path, struct ib_error *err) {
  if (!instance_name_valid(name))
    return ib_fail(err, -EINVAL, "\"%s\" is not an instance name ([A-Za-z0-9_.-], at most %d)", name, INSTANCE_NAME_MAX);
  char *root;
  int rc = instance_root(&root, err);
  if (rc < 0) return rc;
  *path = file ? ib_strfmt("%s/%s/%s", root, name, file) : ib_strfmt("%s/%s", root, name);
  free(root);
  return 0;
}

static void set_time(json_t *o, const char *key, int64_t us) {
  if (!us) return;
  char buf[TIME_RFC3339_LEN];
  time_format_rfc3339(us, buf);
  json_object_set_new(o, key, json_string(buf));
}

char *instance_to_json(const struct instance *inst) {
  json_t *o = json_object();
  json_object_set_new(o, "name", json_string(inst->name));
  json_object_set_new(o, "image", json_string(inst->image));
  json_object_set_new(o, "digest", json_string(inst->digest));
  json_object_set_new(o, "status", json_string(instance_status_name(inst->status)));
  json_object_set_new(o, "pid", json_integer(inst->pid));
  json_object_set_new(o, "pid_start", json_integer((json_int_t)inst->pid_start));
  json_object_set_new(o, "supervisor_pid", json_integer(inst->supervisor_pid));
  json_object_set_new(o, "supervisor_start", json_integer((json_int_t)inst->supervisor_start));
  json_object_set_new(o, "accel", json_string(inst->accel));
  set_time(o, "started", inst->started_us);
  set_time(o, "ended", inst->ended_us);
  json_object_set_new(o, "exit_code", inst->exit_code >= 0 ? json_integer(inst->exit_code) : json_null());
  json_object_set_new(o, "detached", json_boolean(inst->detached));
  char *text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
  json_decref(o);
  char *line = ib_strfmt("%s\n", text);
  free(text);
  return line;
}

static bool copy_string(json_t *o, const char *key, char *dst, size_t size, bool required) {
  json_t *v = json_object_get(o, key);
  if (!v) {
    dst[0] = '\0';
    return !required;
  }
  if (!json_is_string(v) || json_string_length(v) >= size) return false;
  memcpy(dst, json_string_value(v), json_string_length(v) + 1);
  return true;
}

static bool get_uint(json_t *o, const char *key, unsigned long long *out) {
  json_t *v = json_object_get(o, key);
  if (!v) {
    *out = 0;
    return true;
  }
  if (!json_is_integer(v) || json_integer_value(v) < 0) return false;
  *out = (unsigned long long)json_integer_value(v);
  return true;
}

static bool get_time(json_t *o, const char *key, int64_t *us) {
  json_t *v = json_object_get(o, key);
  *us = 0;
  return !v || (json_is_string(v) && time_parse_rfc3339(json_string_value(v), us, NULL) == 0);
}

int instance_from_json(const char *text, struct instance *inst, struct ib_error *err) {
  memset(inst, 0, sizeof *inst);
  json_error_t jerr;
  json_t *o = json_loads(text, 0, &jerr);
  if (!json_is_object(o)) {
    json_decref(o);
    return ib_fail(err, -EINVAL, "not a JSON object (%s)", jerr.text);
  }
  char status[16];
  unsigned long long pid, spid;
  bool ok = copy_string(o, "name", inst->name, sizeof inst->name, true) &&
            copy_string(o, "image", inst->image, sizeof inst->image, true) &&
            copy_string(o, "digest", inst->digest, sizeof inst->digest, false) &&
            copy_string(o, "status", status, sizeof status, true) &&
            copy_string(o, "accel", inst->accel, sizeof inst->accel, false) && get_uint(o, "pid", &pid) &&
            get_uint(o, "pid_start", &inst->pid_start) && get_uint(o, "supervisor_pid", &spid) &&
            get_uint(o, "supervisor_start", &inst->supervisor_start) && get_time(o, "started", &inst->started_us) &&
            get_time(o, "ended", &inst->ended_us) && pid < 1u << 30 && spid < 1u << 30;
  int s = -1;
  for (int i = 0; ok && i < 4; i++)
    if (strcmp(status, status_names[i]) == 0) s = i;
  json_t *code = json_object_get(o, "exit_code");
  ok = ok && s >= 0 && (!code || json_is_null(code) || (json_is_integer(code) && json_integer_value(code) >= 0 &&
                                                        json_integer_value(code) < 256));
  if (ok) {
    inst->status = (enum instance_status)s;
    inst->pid = (pid_t)pid;
    inst->supervisor_pid = (pid_t)spid;
    inst->exit_code = json_is_integer(code) ? (int)json_integer_value(code) : -1;
    inst->detached = json_is_true(json_object_get(o, "detached"));
  }
  json_decref(o);
  return ok ? 0 : ib_fail(err, -EINVAL, "missing or invalid fields");
}

int instance_save(const struct instance *inst, struct ib_error *err) {
  char *path;
  int rc = instance_path(inst->name, STATE_FILE, &path, err);
  if (rc < 0) return rc;
  char *text = instance_to_json(inst);
  rc = ib_write_file_atomic(path, text, strlen(text), err);
  free(text);
  free(path);
  return rc;
}

int instance_load(const char *name, struct instance *inst, struct ib_error *err) {
  char *path, *text;
  int rc = instance_path(name, STATE_FILE, &path, err);
  if (rc < 0) return rc;
  struct ib_error why;
  rc = ib_read_file(path, &text, NULL, &why);
  if (rc == -ENOENT) rc = ib_fail(err, rc, "%s: no such instance (see: rtctl ps --all)", name);
  else if (rc < 0) rc = ib_fail(err, rc, "%s", why.msg);
  if (rc == 0) {
    rc = instance_from_json(text, inst, &why);
    if (rc < 0) ib_fail(err, rc, "%s: %s", path, why.msg);
    free(text);
  }
  free(path);
  return rc;
}

static int compare_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int instance_list(char ***names, size_t *count, struct ib_error *err) {
  *names = NULL;
  *count = 0;
  char *root;
  int rc = instance_root(&root, err);
  if (rc < 0) return rc;
  DIR *d = opendir(root);
  if (!d) {
    rc = errno == ENOENT ? 0 : ib_fail(err, -errno, "%s: %s", root, strerror(errno));
    free(root);
    return rc;
  }
  for (struct dirent *e; (e = readdir(d));) {
    if (!instance_name_valid(e->d_name)) continue;
    char *state = ib_strfmt("%s/%s/" STATE_FILE, root, e->d_name);
    if (access(state, F_OK) == 0) {
      *names = ib_xrealloc(*names, (*count + 1) * sizeof **names);
      (*names)[(*count)++] = ib_xstrdup(e->d_name);
    }
    free(state);
  }
  closedir(d);
  free(root);
  if (*count) qsort(*names, *count, sizeof **names, compare_names);
  return 0;
}

void instance_names_free(char **names, size_t count) {
  for (size_t i = 0; i < count; i++) free(names[i]);
  free(names);
}

int process_start_time(pid_t pid, unsigned long long *start) {
  if (pid <= 0) return -ESRCH;
  char path[64], buf[1024];
  snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
  FILE *f = fopen(path, "r");
  if (!f) return -ESRCH;
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = '\0';
  /* The command name (field 2) may hold spaces and parentheses: fields 3.. follow the last ')'. */
  char *p = strrchr(buf, ')');
  if (!p) return -ESRCH;
  char state = 0;
  unsigned long long value = 0;
  p++;
  for (int field = 3; field <= 22; field++) {
    while (*p == ' ') p++;
    if (!*p) return -ESRCH;
    if (field == 3) state = *p;
    if (field == 22) value = strtoull(p, NULL, 10);
    p += strcspn(p, " ");
  }
  if (state == 'Z' || state == 'X') return -ESRCH;
  *start = value;
  return 0;
}

bool process_matches(pid_t pid, unsigned long long start) {
  unsigned long long actual;
  return process_start_time(pid, &actual) == 0 && actual == start;
}

bool instance_alive(const struct instance *inst, enum instance_status *effective, bool *stale) {
  bool claims = inst->status == INSTANCE_STARTING || inst->status == INSTANCE_RUNNING;
  /* The supervisor records the end: while it lives the state is its to change. */
  bool alive = claims && ((inst->pid && process_matches(inst->pid, inst->pid_start)) ||
                          (inst->supervisor_pid && process_matches(inst->supervisor_pid, inst->supervisor_start)));
  if (stale) *stale = claims && !alive;
  if (effective) *effective = claims && !alive ? INSTANCE_EXITED : inst->status;
  return alive;
}

/* An exclusive lock on the instances folder, held while names are handed out. */
static int lock_root(const char *root, struct ib_error *err) {
  int rc = ib_mkdir_p(root, err);
  if (rc < 0) return rc;
  char *path = ib_strfmt("%s/.lock", root);
  int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) rc = ib_fail(err, -errno, "%s: %s", path, strerror(errno));
  free(path);
  if (fd < 0) return rc;
  while (flock(fd, LOCK_EX) != 0)
    if (errno != EINTR) {
      rc = ib_fail(err, -errno, "%s/.lock: %s", root, strerror(errno));
      close(fd);
      return rc;
    }
  return fd;
}

/* True when no live instance holds name. */
static bool name_free(const char *name) {
  struct instance other;
  return instance_load(name, &other, NULL) < 0 || !instance_alive(&other, NULL, NULL);
}

/* The image name as an instance name: "@scope/app" -> "app", other characters -> '-'. */
static void base_name(const char *image, char out[INSTANCE_NAME_MAX + 1]) {
  size_t size = INSTANCE_NAME_MAX + 1;
  const char *slash = strrchr(image, '/');
  snprintf(out, size, "%s", slash ? slash + 1 : image);
  for (char *c = out; *c; c++)
    if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-", *c)) *c = '-';
  if (!out[0] || out[0] == '.' || out[0] == '-') out[0] = 'x';
  if (strlen(out) > INSTANCE_NAME_MAX - 8) out[INSTANCE_NAME_MAX - 8] = '\0'; /* room for "-NNNNNNN" */
}

int instance_create(const char *requested, const char *image, const char *digest, bool detached,
                    struct instance *inst, struct ib_error *err) {
  memset(inst, 0, sizeof *inst);
  if (requested && !instance_name_valid(requested))
    return ib_fail(err, -EINVAL, "--name: \"%s\" is not an instance name ([A-Za-z0-9_.-], at most %d)", requested,
                   INSTANCE_NAME_MAX);
  char *root;
  int rc = instance_root(&root, err);
  if (rc < 0) return rc;
  int lock = lock_root(root, err);
  if (lock < 0) {
    free(root);
    return lock;
  }
  if (requested) {
    if (!name_free(requested)) rc = ib_fail(err, -EEXIST, "%s: an instance of that name is running", requested);
    else snprintf(inst->name, sizeof inst->name, "%s", requested);
  } else {
    char base[INSTANCE_NAME_MAX + 1];
    base_name(image, base);
    snprintf(inst->name, sizeof inst->name, "%s", base);
    for (int i = 2; !name_free(inst->name); i++) snprintf(inst->name, sizeof inst->name, "%s-%d", base, i);
  }
  char *dir = rc == 0 ? ib_strfmt("%s/%s", root, inst->name) : NULL;
  if (rc == 0) {
    ib_remove_tree(dir); /* an ended instance of the same name */
    rc = ib_mkdir_p(dir, err);
  }
  if (rc == 0) {
    snprintf(inst->image, sizeof inst->image, "%s", image);
    snprintf(inst->digest, sizeof inst->digest, "%s", digest ? digest : "");
    inst->status = INSTANCE_STARTING;
    inst->supervisor_pid = getpid();
    process_start_time(inst->supervisor_pid, &inst->supervisor_start);
    inst->started_us = time_now_us();
    inst->exit_code = -1;
    inst->detached = detached;
    rc = instance_save(inst, err);
  }
  close(lock);
  free(dir);
  free(root);
  return rc;
}

static void sleep_ms(int ms) {
  nanosleep(&(struct timespec){ms / 1000, (ms % 1000) * 1000000L}, NULL);
}

/* Polls until the process is gone; false on timeout. */
static bool wait_gone(pid_t pid, unsigned long long start, int timeout_ms) {
  for (int waited = 0; process_matches(pid, start); waited += POLL_MS) {
    if (waited >= timeout_ms) return false;
    sleep_ms(POLL_MS);
  }
  return true;
}

int instance_stop(const char *name, struct ib_error *err) {
  struct instance inst;
  int rc = instance_load(name, &inst, err);
  if (rc < 0) return rc;
  enum instance_status now;
  if (!instance_alive(&inst, &now, NULL))
    return ib_fail(err, -ESRCH, "%s: not running (%s)", name, instance_status_name(now));
  char *marker;
  rc = instance_path(name, "stop-requested", &marker, err);
  if (rc == 0) rc = ib_write_file_atomic(marker, "", 0, err);
  free(marker);
  if (rc < 0) return rc;
  bool qemu_alive = inst.pid && process_matches(inst.pid, inst.pid_start);
  if (qemu_alive) {
    kill(inst.pid, SIGTERM);
    if (!wait_gone(inst.pid, inst.pid_start, INSTANCE_STOP_TIMEOUT_MS)) {
      if (process_matches(inst.pid, inst.pid_start)) kill(inst.pid, SIGKILL);
      wait_gone(inst.pid, inst.pid_start, 2000);
    }
  } else if (inst.status == INSTANCE_STARTING) {
    kill(inst.supervisor_pid, SIGTERM); /* its QEMU is not there yet: the supervisor stops it */
  }
  /* The supervisor records the end (it saw the stop-requested file); give it a moment. */
  if (inst.supervisor_pid && inst.supervisor_pid != getpid())
    wait_gone(inst.supervisor_pid, inst.supervisor_start, 2000);
  struct instance after;
  if (instance_load(name, &after, NULL) == 0 && instance_alive(&after, NULL, NULL))
    return ib_fail(err, -EBUSY, "%s: still running after SIGKILL", name);
  if (instance_load(name, &after, NULL) < 0 || after.status == INSTANCE_STARTING || after.status == INSTANCE_RUNNING) {
    after = inst;
    after.status = INSTANCE_STOPPED;
    after.ended_us = time_now_us();
    return instance_save(&after, err);
  }
  return 0;
}

int instance_remove(const char *name, struct ib_error *err) {
  struct instance inst;
  int rc = instance_load(name, &inst, err);
  if (rc < 0) return rc;
  if (instance_alive(&inst, NULL, NULL)) return ib_fail(err, -EBUSY, "%s: is running (stop it, or use --force)", name);
  char *dir;
  rc = instance_path(name, NULL, &dir, err);
  if (rc == 0 && ib_remove_tree(dir) < 0) rc = ib_fail(err, -errno, "%s: %s", dir, strerror(errno));
  free(dir);
  return rc;
}
