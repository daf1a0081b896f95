#define _GNU_SOURCE
#include "qemu_launch.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "accel.h"
#include "rtctl.h"


#define QEMU_STR2(x) #x
#define QEMU_STR(x) QEMU_STR2(x)

static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int sig) {
  stop_signal = sig;
}

static volatile sig_atomic_t child_exited;

static void on_child_exit(int sig) {
  (void)sig;
  child_exited = 1;
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

const char *qemu_binary(void) {
  const char *qemu = getenv("RUNTIMEJS_QEMU");
  return qemu && *qemu ? qemu : QEMU_DEFAULT_BINARY;
}

const char *qemu_choose_accel(const char *kernel, const char *cmd) {
  struct accel_choice choice;
  accel_choose(qemu_binary(), kernel, false, &choice);
  if (strcmp(choice.accel, "kvm")) rtctl_error(cmd, "%s: falling back to TCG (slow)", choice.reason);
  return choice.accel;
}

/* fork + exec rather than posix_spawn: the child asks to be killed when we die
 * (PR_SET_PDEATHSIG), so a QEMU never outlives an rtctl killed with SIGKILL. Returns 0 or an
 * errno (exec's, reported through a close-on-exec pipe). */
static int spawn_qemu(const char *qemu, char **argv, int out, int err, int chan, pid_t *pid) {
  int report[2];
  if (pipe2(report, O_CLOEXEC) != 0) return errno;
  pid_t parent = getpid();
  pid_t child = fork();
  if (child < 0) {
    int e = errno;
    close(report[0]);
    close(report[1]);
    return e;
  }
  if (child == 0) {
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) _exit(127); /* the parent died before the line above */
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    signal(SIGCHLD, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    if (dup2(out, 1) < 0 || dup2(err, 2) < 0 || dup2(chan, QEMU_LOG_CHANNEL_FD) < 0) {
      int e = errno;
      (void)!write(report[1], &e, sizeof e);
      _exit(127);
    }
    execvp(qemu, argv);
    int e = errno;
    (void)!write(report[1], &e, sizeof e);
    _exit(127);
  }
  close(report[1]);
  int e = 0;
  ssize_t n;
  while ((n = read(report[0], &e, sizeof e)) < 0 && errno == EINTR) continue;
  close(report[0]);
  if (n == (ssize_t)sizeof e) {
    waitpid(child, NULL, 0);
    return e;
  }
  *pid = child;
  return 0;
}

int qemu_launch(struct qemu_run *run, const char *cmd) {
  const char *qemu = qemu_binary();
  char mem[16], cpus[16];
  snprintf(mem, sizeof mem, "%u", run->memory_mib);
  snprintf(cpus, sizeof cpus, "%u", run->cpus);
  /* -nographic is left out: with -serial stdio it makes QEMU refuse to start ("cannot use
   * stdio by multiple character devices"); -display none and -monitor none do its job. */
  char *argv[] = {(char *)qemu, "-M", "q35", "-m", mem, "-smp", cpus, "-display", "none", "-monitor", "none",
                  "-no-reboot", "-serial", "stdio", "-kernel", (char *)run->kernel, "-initrd", (char *)run->initrd,
                  "-device", "isa-debug-exit,iobase=" QEMU_DEBUG_EXIT_PORT ",iosize=0x04", "-accel", (char *)run->accel,
                  /* The log channel: a virtio serial port (not a console port: QEMU holds the
                   * guest's buffers while we are not reading, rather than dropping them) on a
                   * socket whose other end is ours. */
                  "-chardev", "socket,id=rtlog,fd=" QEMU_STR(QEMU_LOG_CHANNEL_FD), "-device", "virtio-serial-pci",
                  "-device", "virtserialport,chardev=rtlog,nr=1,name=runtimejs.log", NULL};
  int errpipe[2], outpipe[2], chan[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, chan) != 0) {
    rtctl_error(cmd, "socketpair: %s", strerror(errno));
    return RTCTL_EXIT_VM_FAILED;
  }
  /* Above the descriptors the child's dup2s target, so none overwrites another. */
  int qemu_end = fcntl(chan[1], F_DUPFD_CLOEXEC, 10);
  close(chan[1]);
  if (qemu_end < 0) {
    rtctl_error(cmd, "fcntl: %s", strerror(errno));
    close(chan[0]);
    return RTCTL_EXIT_VM_FAILED;
  }
  if (pipe2(errpipe, O_CLOEXEC) != 0) {
    rtctl_error(cmd, "pipe: %s", strerror(errno));
    close(chan[0]);
    close(qemu_end);
    return RTCTL_EXIT_VM_FAILED;
  }
  if (pipe2(outpipe, O_CLOEXEC) != 0) {
    rtctl_error(cmd, "pipe: %s", strerror(errno));
    close(errpipe[0]);
    close(errpipe[1]);
    close(chan[0]);
    close(qemu_end);
    return RTCTL_EXIT_VM_FAILED;
  }
  struct sigaction sa = {0}, ign = {0}, chld = {0}, old_int, old_term, old_pipe, old_chld;
  sa.sa_handler = on_stop_signal; /* no SA_RESTART: ppoll() must wake up */
  sigemptyset(&sa.sa_mask);
  ign.sa_handler = SIG_IGN;
  sigemptyset(&ign.sa_mask);
  chld.sa_handler = on_child_exit;
  sigemptyset(&chld.sa_mask);
  stop_signal = 0;
  child_exited = 0;
  sigaction(SIGINT, &sa, &old_int);
  sigaction(SIGTERM, &sa, &old_term);
  sigaction(SIGPIPE, &ign, &old_pipe);
  sigaction(SIGCHLD, &chld, &old_chld);

  pid_t pid = -1;
  int rc = spawn_qemu(qemu, argv, outpipe[1], errpipe[1], qemu_end, &pid);
  close(errpipe[1]);
  close(outpipe[1]);
  close(qemu_end);
  if (rc != 0) {
    close(errpipe[0]);
    close(outpipe[0]);
    close(chan[0]);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    sigaction(SIGPIPE, &old_pipe, NULL);
    sigaction(SIGCHLD, &old_chld, NULL);
    if (rc == ENOENT)
      rtctl_error(cmd, "%s: not found (install the Debian package qemu-system-x86, or set RUNTIMEJS_QEMU)", qemu);
    else
      rtctl_error(cmd, "%s: %s", qemu, strerror(rc));
    return RTCTL_EXIT_VM_FAILED;
  }
  if (run->started) run->started(pid, run->ctx);

  /* The signals are blocked but while ppoll() waits, so none slips in between the checks
   * and the wait. QEMU's exit ends the loop even when something it started holds the pipes. */
  sigset_t block, unblocked;
  sigemptyset(&block);
  sigaddset(&block, SIGINT);
  sigaddset(&block, SIGTERM);
  sigaddset(&block, SIGCHLD);
  sigprocmask(SIG_BLOCK, &block, &unblocked);
  bool qemu_error = false, stopping = false, reaped = false;
  int st = 0;
  struct pollfd pfd[3] = {{outpipe[0], POLLIN, 0}, {errpipe[0], POLLIN, 0}, {chan[0], POLLIN, 0}};
  char buf[65537];
  while (pfd[0].fd >= 0 || pfd[1].fd >= 0 || pfd[2].fd >= 0) {
    if (stop_signal && !stopping) {
      stopping = true;
      kill(pid, SIGTERM);
    }
    if (child_exited && !reaped) reaped = waitpid(pid, &st, WNOHANG) == pid;
    int pr = ppoll(pfd, 3, reaped ? &(struct timespec){0, 0} : NULL, &unblocked);
    if (pr < 0 && errno == EINTR) continue;
    if (pr <= 0) break; /* QEMU has ended and its output is drained */
    for (int i = 0; i < 3; i++) {
      if (pfd[i].fd < 0 || !pfd[i].revents) continue;
      ssize_t n = read(pfd[i].fd, buf, sizeof buf - 1);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        close(pfd[i].fd);
        pfd[i].fd = -1;
      } else if (i == 1) {
        forward_stderr(buf, (size_t)n, &qemu_error);
      } else if (i == 0) {
        log_sink_serial(run->sink, buf, (size_t)n);
      } else {
        log_sink_channel(run->sink, buf, (size_t)n);
      }
    }
  }
  sigprocmask(SIG_SETMASK, &unblocked, NULL);
  for (int i = 0; i < 3; i++)
    if (pfd[i].fd >= 0) close(pfd[i].fd);
  log_sink_finish(run->sink);
  while (!reaped && waitpid(pid, &st, 0) < 0) {
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
  sigaction(SIGPIPE, &old_pipe, NULL);
  sigaction(SIGCHLD, &old_chld, NULL);
  if (stop_signal) {
    run->interrupted = true;
    rtctl_error(cmd, "stopped the VM (%s)", strsignal(stop_signal));
    return 128 + stop_signal;
  }
  int app = qemu_exit_to_app_status(st, qemu_error, cmd);
  /* isa-debug-exit carries the low 7 bits; the EXIT record the whole status (abort()'s 134,
   * isolate.exit(200)). Taken when the two agree. */
  if (app >= 0 && run->sink->has_exit && (run->sink->exit_status & 0x7f) == app) app = run->sink->exit_status & 0xff;
  return app < 0 ? RTCTL_EXIT_VM_FAILED : app;
}
