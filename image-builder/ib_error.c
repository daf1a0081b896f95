#include "ib_error.h"

#include <stdarg.h>
#include <stdio.h>

int ib_fail(struct ib_error *err, int code, const char *fmt, ...) {
  if (err) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
  }
  return code;
}
