/* Error reporting for image-builder: functions return 0 or a negative errno-style code and,
 * on failure, leave one human-readable line in a struct ib_error (no program or command
 * prefix: the caller adds its own). */
#ifndef IMAGE_BUILDER_IB_ERROR_H
#define IMAGE_BUILDER_IB_ERROR_H

#include <stddef.h>

struct ib_error {
  char msg[1024];
};

/* Formats the message into err (when not NULL) and returns code (a negative errno value). */
int ib_fail(struct ib_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
