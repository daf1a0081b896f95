#define _GNU_SOURCE
#include "accel.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fs_util.h"

extern char **environ;

#define PROBE_TIMEOUT_MS 5000
#define PROBE_BANNER "runtime.js kernel"

static char *state_file(void) {
  const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
  if (xdg && *xdg) return ib_strfmt("%s/runtimejs/accel", xdg);
  return ib_strfmt("%s/.local/state/runtimejs/accel", home && *home ? home : "/tmp");
}

static void boot_id(char *out, size_t size) {
  FILE *f = fopen("/proc/sys/kernel/random/boot_id", "r");
  if (!f || !fgets(out, (int)size, f)) snprintf(out, size, "unknown");
  if (f) fclose(f);
  out[strcspn(out, "\n")] = 0;
}

static bool read_cache(const char *id, struct accel_choice *out) {
  char *path = state_file();
  FILE *f = fopen(path, "r");
  free(path);
  if (!f) return false;
  char line[512], cached_id[64], accel[8];
  bool ok = fgets(line, sizeof line, f) && sscanf(line, "%63s %7s", cached_id, accel) == 2 && !strcmp(cached_id, id) &&
            (!strcmp(accel, "kvm") || !strcmp(accel, "tcg"));
  fclose(f);
  if (!ok) return false;
  out->accel = !strcmp(accel, "kvm") ? "kvm" : "tcg";
  const char *reason = strchr(strchr(line, ' ') + 1, ' ');
  snprintf(out->reason, sizeof out->reason, "%s", reason ? reason + 1 : "");
  out->reason[strcspn(out->reason, "\n")] = 0;
  out->cached = true;
  return true;
}

static void write_cache(const char *id, const struct accel_choice *c) {
  char *path = state_file(), *dir = ib_xstrdup(path);
  *strrchr(dir, '/') = 0;
  struct ib_error err;
  if (ib_mkdir_p(dir, &err) == 0) {
    char *text = ib_strfmt("%s %s %s\n", id, c->accel, c->reason);
    ib_write_file_atomic(path, text, strlen(text), &err);   /* a cache: failing to write it is harmless */
    free(text);
  }
  free(dir);
  free(path);
}

static bool file_contains(const char *path, const char *needle, char *line_out, size_t size) {
  FILE *f = fopen(path, "r");
  if (!f) return false;
  char line[512];
  bool found = false;
  while (!found && fgets(line, sizeof line, f)) {
    if (strstr(line, needle)) {
      found = true;
      if (line_out) {
        size_t n = strcspn(line, "\n");
        if (n >= size) n = size - 1;
        memcpy(line_out, line, n);
        line_out[n] = 0;
      }
    }
  }
  fclose(f);
  return found;
}

/* Boots the kernel under KVM on a tiny microvm and watches for its banner. */
static void probe(const char *qemu, const char *kernel, struct accel_choice *out) {
  char *dir;
  struct ib_error err;
  if (ib_make_temp_dir("rtctl-accel", &dir, &err)) {
    out->accel = "tcg";
    snprintf(out->reason, sizeof out->reason, "KVM probe: %.200s", err.msg);
    return;
  }
  char *console = ib_strfmt("%s/console", dir), *errors = ib_strfmt("%s/errors", dir);
  char *serial = ib_strfmt("file:%s", console);
  char *argv[] = {(char *)qemu, "-M", "microvm", "-accel", "kvm", "-m", "64", "-display", "none", "-monitor", "none",
                  "-no-reboot", "-serial", serial, "-kernel", (char *)kernel, "-append", "selftest=time.monotonic",
                  "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", NULL};
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, errors, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  pid_t pid;
  int rc = posix_spawnp(&pid, qemu, &fa, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  out->accel = "tcg";
  if (rc != 0) {
    snprintf(out->reason, sizeof out->reason, "%s: %s", qemu, strerror(rc));
  } else {
    char line[256] = "";
    bool done = false;
    for (int waited = 0; !done; waited += 20) {
      int st;
      if (file_contains(console, PROBE_BANNER, NULL, 0)) {
        out->accel = "kvm";
        out->reason[0] = 0;
        done = true;
      } else if (file_contains(errors, "KVM internal error", line, sizeof line) ||
                 file_contains(errors, "emulation failure", line, sizeof line)) {
        snprintf(out->reason, sizeof out->reason, "/dev/kvm cannot run this kernel (%s)", line);
        done = true;
      } else if (waitpid(pid, &st, WNOHANG) == pid) {
        file_contains(errors, "qemu-system", line, sizeof line);
        snprintf(out->reason, sizeof out->reason, "KVM probe failed: %s", *line ? line : "QEMU exited");
        pid = -1;
        done = true;
      } else if (waited >= PROBE_TIMEOUT_MS) {
        snprintf(out->reason, sizeof out->reason, "/dev/kvm did not boot this kernel within %d s", PROBE_TIMEOUT_MS / 1000);
        done = true;
      } else {
        nanosleep(&(struct timespec){0, 20 * 1000000}, NULL);
      }
    }
    if (pid > 0) {
      kill(pid, SIGKILL);
      waitpid(pid, NULL, 0);
    }
  }
  ib_remove_tree(dir);
  free(dir);
  free(console);
  free(errors);
  free(serial);
}

void accel_choose(const char *qemu, const char *kernel, bool force_probe, struct accel_choice *out) {
  memset(out, 0, sizeof *out);
  int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
  if (fd < 0) {
    out->accel = "tcg";
    snprintf(out->reason, sizeof out->reason, "/dev/kvm not usable (%s)", strerror(errno));
    return;
  }
  close(fd);
  char id[64];
  boot_id(id, sizeof id);
  if (!force_probe && read_cache(id, out)) return;
  probe(qemu, kernel, out);
  write_cache(id, out);
}
