/* Ending the virtual machine with a status the host sees. */
#pragma once

/* Statuses the kernel itself ends with; an application's own exit code passes through. */
enum {
  EXIT_OK = 0,
  EXIT_SELFTEST_FAILED = 1,
  EXIT_NO_JAVASCRIPT = 70,      /* EX_SOFTWARE: the app needs a feature the kernel lacks */
  EXIT_BAD_IMAGE = 65,          /* EX_DATAERR: initrd or config unusable */
  EXIT_KERNEL_PANIC = 112,
  EXIT_KERNEL_FAULT = 113,
};

/* isa-debug-exit (QEMU exits with status*2+1), then ACPI-less fallbacks; never returns. */
void machine_exit(int status) __attribute__((noreturn));
