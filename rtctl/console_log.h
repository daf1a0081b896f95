/* An instance's stored console: the guest's serial output, one line per guest line, each
 * prefixed with the time rtctl received it ("2025-01-02T03:04:05.123456Z text"), so that
 * `rtctl logs --since` can filter it after the fact. */
#ifndef RTCTL_CONSOLE_LOG_H
#define RTCTL_CONSOLE_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ib_error.h"
#include "time_text.h"

#define CONSOLE_LOG_LINE_MAX 8192 /* longer guest lines are stored in pieces */

struct console_log {
  int fd;
  char stamp[TIME_RFC3339_LEN]; /* when the pending line's first byte arrived */
  size_t len;
  char line[CONSOLE_LOG_LINE_MAX];
};

/* Creates (truncates) the log at path. */
int console_log_open(struct console_log *log, const char *path, struct ib_error *err);
/* Adds guest output; whole lines are written at once (O_APPEND), so readers see whole lines. */
void console_log_feed(struct console_log *log, const char *data, size_t len);
/* Writes a pending partial line and closes. */
void console_log_close(struct console_log *log);

/* Reading a stored log, possibly while it grows. */
struct console_reader {
  int64_t since_us;  /* lines received before are skipped; 0: none */
  bool timestamps;   /* print the stored timestamps too */
  size_t len;
  char pending[CONSOLE_LOG_LINE_MAX + TIME_RFC3339_LEN + 2];
};

/* Prints the whole lines in data[0..len) to out (a trailing partial line is kept for the next
 * call); with at_end, a partial line is printed too. */
void console_reader_feed(struct console_reader *r, const char *data, size_t len, bool at_end, FILE *out);

#endif
