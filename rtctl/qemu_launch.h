/* Boots a kernel + initrd in QEMU and runs it to the end: the guest's serial console comes
 * back through a pipe and its log channel (virtio-console port 0) through a socket, both into
 * a log sink (log_sink.h); the guest's exit status (isa-debug-exit) becomes ours. */
#ifndef RTCTL_QEMU_LAUNCH_H
#define RTCTL_QEMU_LAUNCH_H

#include <stdbool.h>
#include <sys/types.h>

#include "log_sink.h"

#define QEMU_DEFAULT_BINARY "qemu-system-x86_64" /* $RUNTIMEJS_QEMU overrides it */
#define QEMU_DEBUG_EXIT_PORT "0xf4"
#define QEMU_LOG_CHANNEL_FD 3 /* QEMU's end of the log channel socket */

struct qemu_run {
  const char *kernel;
  const char *initrd;
  unsigned memory_mib;
  unsigned cpus;
  const char *accel;         /* "kvm" or "tcg" (qemu_choose_accel) */
  struct log_sink *sink;     /* the guest's console and log channel go there */
  bool interrupted;           /* out: this process got SIGINT/SIGTERM and stopped the VM */
  /* Called once QEMU is spawned (NULL: nothing to do). */
  void (*started)(pid_t pid, void *ctx);
  void *ctx;
};

/* $RUNTIMEJS_QEMU, else qemu-system-x86_64. */
const char *qemu_binary(void);

/* KVM when it can run the kernel, else TCG with a one-line warning on stderr. */
const char *qemu_choose_accel(const char *kernel, const char *cmd);

/* QEMU exits with (N << 1) | 1 when the guest writes N to isa-debug-exit: returns N.
 * Returns -1 for any other ending (even status, signal) after printing why. qemu_error
 * says QEMU itself printed an error (then its exit status 1 is not the guest's 0). */
int qemu_exit_to_app_status(int wait_status, bool qemu_error, const char *cmd);

/* Runs QEMU to the end. Returns the app's exit status (the guest's EXIT record's when it
 * sent one that agrees with isa-debug-exit's 7 bits), RTCTL_EXIT_VM_FAILED, or 128+signal
 * when this process got SIGINT or SIGTERM (QEMU is then stopped and waited for). */
int qemu_launch(struct qemu_run *run, const char *cmd);

#endif
