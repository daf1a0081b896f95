#define _GNU_SOURCE
#include "qemu_launch.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "accel.h"
#include "rtctl.h"

extern char **environ;

static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int sig) {
  stop_signal = sig;
}

int qemu_exit_to_app_status(int st, bool qemu_error, const char *cmd) {
  if (WIFSIGNALED(st)) {
    rtctl_error(cmd, "QEMU was killed by signal %d (%s)", WTERMSIG(st), strsignal(WTERMSIG(st)));
    return -1;
  }
  int code = WEXITSTATUS(st);
  if ((code & 1) && !(code == 1 && qemu_error)) return code >> 1;
  if (code == 0)
    rtctl_error(cmd, "the VM stopped without an exit status (guest reset, triple fault or power-off)");
  else
    rtctl_error(cmd, "QEMU failed (exit status %d, see its message above)", code);
  return -1;
}

/* Forwards QEMU's stderr to ours and notes whether QEMU reported an error (not a warning). */
static void forward_stderr(char *buf, size_t len, bool *qemu_error) {
  fwrite(buf, 1, len, stderr);
  fflush(stderr);
  buf[len] = '\0';
  for (char *line = buf; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
    const char *colon = strstr(line, ": ");
    if (strncmp(line, "qemu-system-", 12) == 0 && colon && strncmp(colon + 2, "warning:", 8) != 0 &&
        strncmp(colon + 2, "terminating on signal", 21) != 0)
      *qemu_error = true;
  }
}

int qemu_launch(const struct qemu_run *run, const char *cmd) {
  const char *qemu = getenv("RUNTIMEJS_QEMU");
  if (!qemu || !*qemu) qemu = QEMU_DEFAULT_BINARY;
  struct accel_choice choice;
  accel_choose(qemu, run->kernel, false, &choice);
  const char *accel = choice.accel;
  if (strcmp(accel, "kvm")) rtctl_error(cmd, "%s: falling back to TCG (slow)", choice.reason);
  char mem[16], cpus[16];
  snprintf(mem, sizeof mem, "%u", run->memory_mib);
  snprintf(cpus, sizeof cpus, "%u", run->cpus);
  /* -nographic is left out: with -serial stdio it makes QEMU refuse to start ("cannot use
   * stdio by multiple character devices"); -display none and -monitor none do its job. */
  char *argv[] = {(char *)qemu, "-M", "q35", "-m", mem, "-smp", cpus, "-display", "none", "-monitor", "none",
                  "-no-reboot", "-serial", "stdio", "-kernel", (char *)run->kernel, "-initrd", (char *)run->initrd,
                  "-device", "isa-debug-exit,iobase=" QEMU_DEBUG_EXIT_PORT ",iosize=0x04", "-accel", (char *)accel,
                  NULL};
  int errpipe[2];
  if (pipe2(errpipe, O_CLOEXEC) != 0) {
    rtctl_error(cmd, "pipe: %s", strerror(errno));
    return RTCTL_EXIT_VM_FAILED;
  }
  struct sigaction sa = {0}, old_int, old_term;
  sa.sa_handler = on_stop_signal; /* no SA_RESTART: poll() must wake up */
  sigemptyset(&sa.sa_mask);
  stop_signal = 0;
  sigaction(SIGINT, &sa, &old_int);
  sigaction(SIGTERM, &sa, &old_term);

  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, errpipe[1], 2);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t def;
  sigemptyset(&def);
  sigaddset(&def, SIGINT);
  sigaddset(&def, SIGTERM);
  posix_spawnattr_setsigdefault(&attr, &def);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF);
  pid_t pid;
  int rc = posix_spawnp(&pid, qemu, &fa, &attr, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  close(errpipe[1]);
  if (rc != 0) {
    close(errpipe[0]);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    if (rc == ENOENT)
      rtctl_error(cmd, "%s: not found (install the Debian package qemu-system-x86, or set RUNTIMEJS_QEMU)", qemu);
    else
      rtctl_error(cmd, "%s: %s", qemu, strerror(rc));
    return RTCTL_EXIT_VM_FAILED;
  }

  bool qemu_error = false, stopping = false;
  char buf[4097];
  for (;;) {
    if (stop_signal && !stopping) {
      stopping = true;
      kill(pid, SIGTERM);
    }
    struct pollfd pfd = {errpipe[0], POLLIN, 0};
    int pr = poll(&pfd, 1, -1);
    if (pr < 0) {
      if (errno == EINTR) continue;
      break;
    }
    ssize_t n = read(errpipe[0], buf, sizeof buf - 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    forward_stderr(buf, (size_t)n, &qemu_error);
  }
  close(errpipe[0]);
  int st;
  while (waitpid(pid, &st, 0) < 0) {
    if (errno != EINTR) {
      st = 0;
      break;
    }
    if (stop_signal && !stopping) {
      stopping = true;
      kill(pid, SIGTERM);
    }
  }
  sigaction(SIGINT, &old_int, NULL);
  sigaction(SIGTERM, &old_term, NULL);
  if (stop_signal) {
    rtctl_error(cmd, "stopped the VM (%s)", strsignal(stop_signal));
    return 128 + stop_signal;
  }
  int app = qemu_exit_to_app_status(st, qemu_error, cmd);
  return app < 0 ? RTCTL_EXIT_VM_FAILED : app;
}
