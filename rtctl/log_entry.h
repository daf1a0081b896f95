/* One entry of an instance's log: an isolate's record from the log channel, or a line of the
 * kernel's serial console. Stored as JSON lines (the instance's log.jsonl):
 *
 *   {"time":"2026-12-04T22:50:01.123456Z","stream":"isolate","isolate":"hello","level":"info",
 *    "guest_time":"2026-12-04T22:50:01.120001Z","message":"Hello"}
 *   {"time":"...","stream":"kernel","message":"runtime.js kernel 0.1.0: booted via PVH"}
 *
 * "time" is when rtctl received it (what --since filters on); "guest_time" the guest's clock.
 * `rtctl run --json` and `rtctl logs --json` print the same objects. */
#ifndef RTCTL_LOG_ENTRY_H
#define RTCTL_LOG_ENTRY_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct log_entry {
  int64_t time_us;       /* host clock, µs since 1970 */
  int64_t guest_time_us; /* isolate records: the guest's clock; 0 when unknown */
  bool kernel;           /* a kernel console line (no isolate, no level) */
  int level;             /* enum log_level (kernel/core/log_record.h) */
  const char *isolate;
  const char *message;   /* may hold several lines, and NUL bytes */
  size_t message_len;    /* 0: strlen(message) */
};

struct log_format {
  bool json;       /* JSON lines instead of "[isolate] message" */
  bool timestamps; /* text: each line starts with the receive time */
};

const char *log_level_name(int level);

/* The entry as one JSON line (no newline); malloc'd. Invalid UTF-8 bytes become U+FFFD. */
char *log_entry_to_json(const struct log_entry *e);

/* Parses a stored line; the entry's strings live in *holder (json_decref it after use).
 * Returns 0, or -1 for a line that is not an entry. */
int log_entry_from_json(const char *line, struct log_entry *e, json_t **holder);

/* Prints the entry: "[hello] text" for every line of the message ("[kernel] ..." for kernel
 * lines), with the time first when asked, or its JSON line. */
void log_entry_print(const struct log_entry *e, const struct log_format *f, FILE *out);

#endif
