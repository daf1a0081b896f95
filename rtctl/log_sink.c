#include "log_sink.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fs_util.h"
#include "rtctl.h"
#include "time_text.h"

void log_sink_init(struct log_sink *s, bool echo, bool show_kernel, const struct log_format *format) {
  memset(s, 0, sizeof *s);
  s->store_fd = -1;
  s->echo = echo;
  s->show_kernel = show_kernel;
  s->stdout_ok = true;
  if (format) s->format = *format;
}

int log_sink_store(struct log_sink *s, const char *path, struct ib_error *err) {
  s->store_fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
  if (s->store_fd < 0) return ib_fail(err, -errno, "%s: %s", path, strerror(errno));
  return 0;
}

static void write_all(int fd, const char *p, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return; /* a full disk loses log lines, not the VM */
    p += w;
    n -= (size_t)w;
  }
}

/* Whole entries go to the stored log in one write (O_APPEND): readers see whole lines. */
static void store(struct log_sink *s, const char *json) {
  if (s->store_fd < 0) return;
  size_t n = strlen(json);
  char *line = ib_xmalloc(n + 1);
  memcpy(line, json, n);
  line[n] = '\n';
  write_all(s->store_fd, line, n + 1);
  free(line);
}

static void show(struct log_sink *s, const struct log_entry *e, FILE *out) {
  if (out == stdout && !s->stdout_ok) return;
  log_entry_print(e, &s->format, out);
  if (fflush(out) != 0 && out == stdout) s->stdout_ok = false;
}

static void kernel_line(struct log_sink *s) {
  size_t n = s->line_len;
  if (n > 0 && s->line[n - 1] == '\r') n--;
  s->line[n] = '\0';
  s->line_len = 0;
  struct log_entry e = {.time_us = time_now_us(), .kernel = true, .message = s->line};
  char *json = log_entry_to_json(&e);
  store(s, json);
  if (s->echo && !s->show_kernel && strcmp(s->line, LOG_CHANNEL_MISSING_LINE) == 0) {
    /* The app's output comes on the console from now on: show it rather than hide it. */
    rtctl_error("run", "the guest found no log channel: showing its console");
    s->show_kernel = true;
  }
  if (s->echo && s->show_kernel) {
    show(s, &e, s->format.json ? stdout : stderr);
    free(json);
    return;
  }
  /* Kept for a post-mortem: the ring drops the oldest. */
  free(s->backlog[s->backlog_next]);
  s->backlog[s->backlog_next] = json;
  s->backlog_next = (s->backlog_next + 1) % LOG_SINK_BACKLOG;
  if (s->backlog_count < LOG_SINK_BACKLOG) s->backlog_count++;
}

void log_sink_serial(struct log_sink *s, const char *data, size_t len) {
  for (size_t i = 0; i < len; i++) {
    if (data[i] == '\n') {
      kernel_line(s);
      continue;
    }
    s->line[s->line_len++] = data[i] ? data[i] : ' ';
    if (s->line_len == sizeof s->line - 1) kernel_line(s);
  }
}

static void on_record(const struct log_record_header *h, const char *name, const char *message, void *ctx) {
  struct log_sink *s = ctx;
  if (h->type == LOG_RECORD_EXIT) {
    char *end;
    long v = strtol(message, &end, 10);
    if (end != message && *end == '\0') {
      s->has_exit = true;
      s->exit_status = (int)v;
    }
    return;
  }
  s->records++;
  struct log_entry e = {.time_us = time_now_us(), .guest_time_us = h->time_ns / 1000, .level = h->level,
                        .isolate = name, .message = message, .message_len = h->message_len};
  char *json = log_entry_to_json(&e);
  store(s, json);
  free(json);
  if (s->echo) show(s, &e, !s->format.json && h->level >= LOG_LEVEL_WARN ? stderr : stdout);
}

void log_sink_channel(struct log_sink *s, const void *data, size_t len) {
  log_stream_feed(&s->stream, data, len, on_record, s);
}

void log_sink_finish(struct log_sink *s) {
  if (s->line_len > 0) kernel_line(s);
  if (s->stream.skipped || log_stream_pending(&s->stream))
    rtctl_error("run", "log channel: %llu damaged and %zu truncated bytes dropped",
                (unsigned long long)s->stream.skipped, log_stream_pending(&s->stream));
}

size_t log_sink_print_backlog(struct log_sink *s, FILE *out) {
  size_t start = (s->backlog_next + LOG_SINK_BACKLOG - s->backlog_count) % LOG_SINK_BACKLOG;
  for (size_t i = 0; i < s->backlog_count; i++) {
    struct log_entry e;
    json_t *holder;
    if (log_entry_from_json(s->backlog[(start + i) % LOG_SINK_BACKLOG], &e, &holder) == 0) {
      log_entry_print(&e, &s->format, out);
      json_decref(holder);
    }
  }
  fflush(out);
  return s->backlog_count;
}

void log_sink_close(struct log_sink *s) {
  if (s->store_fd >= 0) close(s->store_fd);
  s->store_fd = -1;
  for (size_t i = 0; i < LOG_SINK_BACKLOG; i++) free(s->backlog[i]);
  memset(s->backlog, 0, sizeof s->backlog);
  s->backlog_count = 0;
  log_stream_free(&s->stream);
}
