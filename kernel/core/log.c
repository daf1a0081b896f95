#include <stdio.h>
#include "log.h"
#include "../arch/x86_64/cpu.h"
#include "../drivers/serial.h"

static bool emergency;

void log_emergency(void) { emergency = true; }

void kvprintf(const char *fmt, va_list ap) {
  char buf[512];
  int n = vsnprintf(buf, sizeof buf, fmt, ap);
  if (n < 0) return;
  if ((size_t)n >= sizeof buf) n = sizeof buf - 1;
  /* One CPU: with interrupts off, a line is never interleaved with another thread's. */
  uint64_t flags = emergency ? 0 : irq_save();
  serial_write(buf, (size_t)n);
  if (!emergency) irq_restore(flags);
}

void kprintf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  kvprintf(fmt, ap);
  va_end(ap);
}
