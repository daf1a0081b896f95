/* Kernel messages: formatted with newlib's vsnprintf, written to the serial console. */
#pragma once
#include <stdarg.h>

void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void kvprintf(const char *fmt, va_list ap);
/* After a fatal fault: stop honouring the log lock so the report gets out. */
void log_emergency(void);
