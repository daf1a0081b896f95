/* Choosing QEMU's accelerator: KVM when /dev/kvm can run our kernel, else TCG. Opening
 * /dev/kvm is not enough: some hosts offer a /dev/kvm (e.g. kvm_pvm) that runs only
 * enlightened guests and emulates others without SSE, so the kernel never gets going. One
 * probe boot answers it; the answer is kept per host boot in the XDG state folder. */
#ifndef RTCTL_ACCEL_H
#define RTCTL_ACCEL_H

#include <stdbool.h>

struct accel_choice {
  const char *accel;    /* "kvm" or "tcg" */
  char reason[256];     /* why not KVM (empty for KVM) */
  bool cached;
};

/* `force_probe` ignores the cached answer. `qemu` is the QEMU binary. */
void accel_choose(const char *qemu, const char *kernel, bool force_probe, struct accel_choice *out);

#endif
