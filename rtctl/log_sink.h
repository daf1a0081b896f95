/* Where a running VM's output goes: the kernel's serial console (split into lines) and the
 * log channel (records, log_stream.h) become log entries, appended to the instance's stored
 * log and, when attached, printed: isolate records at once (warnings and errors on stderr),
 * kernel lines only when asked (--kernel-log) or, after an abnormal end, the last of them. */
#ifndef RTCTL_LOG_SINK_H
#define RTCTL_LOG_SINK_H

#include <stdbool.h>
#include <stddef.h>

#include "ib_error.h"
#include "log_entry.h"
#include "log_stream.h"

#define LOG_SINK_LINE_MAX 8192   /* longer kernel lines are stored in pieces */
#define LOG_SINK_BACKLOG 200     /* kernel lines kept for a post-mortem */

struct log_sink {
  int store_fd;            /* the stored log (JSON lines), -1: not stored */
  bool echo;               /* print entries (attached run) */
  bool show_kernel;        /* print kernel lines as they come */
  bool stdout_ok;          /* false once stdout is gone (`rtctl run | head`) */
  struct log_format format;
  struct log_stream stream;
  size_t records;          /* isolate records seen */
  bool has_exit;           /* the guest sent its exit status (an EXIT record) */
  int exit_status;
  size_t line_len;
  char line[LOG_SINK_LINE_MAX];
  char *backlog[LOG_SINK_BACKLOG]; /* JSON of the last kernel lines, oldest at backlog_next */
  size_t backlog_next, backlog_count;
};

void log_sink_init(struct log_sink *s, bool echo, bool show_kernel, const struct log_format *format);
/* Creates (truncates) the stored log at path. */
int log_sink_store(struct log_sink *s, const char *path, struct ib_error *err);
void log_sink_serial(struct log_sink *s, const char *data, size_t len);
void log_sink_channel(struct log_sink *s, const void *data, size_t len);
/* The VM has ended: a partial kernel line becomes an entry; damage is reported. */
void log_sink_finish(struct log_sink *s);
/* Prints the kept kernel lines (not shown live) to out; returns how many. */
size_t log_sink_print_backlog(struct log_sink *s, FILE *out);
void log_sink_close(struct log_sink *s);

#endif
