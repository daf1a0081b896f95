#include <stdarg.h>
#include "panic.h"
#include "log.h"
#include "machine.h"
#include "../arch/x86_64/cpu.h"
#include "../arch/x86_64/fault.h"

void panic(const char *fmt, ...) {
  irq_disable();
  log_emergency();
  va_list ap;
  va_start(ap, fmt);
  kprintf("\nKERNEL PANIC: ");
  kvprintf(fmt, ap);
  va_end(ap);
  kprintf("\nbacktrace:\n");
  backtrace_print((uint64_t)__builtin_return_address(0), *(uint64_t *)__builtin_frame_address(0), 0);
  machine_exit(EXIT_KERNEL_PANIC);
}
