#include "console_log.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

int console_log_open(struct console_log *log, const char *path, struct ib_error *err) {
  memset(log, 0, sizeof *log);
  log->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
  if (log->fd < 0) return ib_fail(err, -errno, "%s: %s", path, strerror(errno));
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

static void flush_line(struct console_log *log) {
  size_t n = log->len;
  if (n > 0 && log->line[n - 1] == '\r') n--;
  char out[sizeof log->stamp + 1 + CONSOLE_LOG_LINE_MAX + 1];
  size_t stamp_len = strlen(log->stamp);
  memcpy(out, log->stamp, stamp_len);
  out[stamp_len] = ' ';
  memcpy(out + stamp_len + 1, log->line, n);
  out[stamp_len + 1 + n] = '\n';
  write_all(log->fd, out, stamp_len + n + 2);
  log->len = 0;
}

void console_log_feed(struct console_log *log, const char *data, size_t len) {
  if (log->fd < 0) return;
  for (size_t i = 0; i < len; i++) {
    if (log->len == 0) time_format_rfc3339(time_now_us(), log->stamp);
    if (data[i] == '\n') {
      flush_line(log);
      continue;
    }
    log->line[log->len++] = data[i];
    if (log->len == sizeof log->line) flush_line(log);
  }
}

void console_log_close(struct console_log *log) {
  if (log->fd < 0) return;
  if (log->len > 0) flush_line(log);
  close(log->fd);
  log->fd = -1;
}

static void print_line(struct console_reader *r, char *line, size_t len, FILE *out) {
  line[len] = '\0'; /* the timestamp parser reads up to a NUL */
  int64_t t;
  const char *text;
  bool stamped = time_parse_rfc3339(line, &t, &text) == 0 && text < line + len && *text == ' ';
  if (stamped && r->since_us && t < r->since_us) return;
  if (stamped && !r->timestamps) {
    text++;
    len -= (size_t)(text - line);
    line = (char *)text;
  }
  fwrite(line, 1, len, out);
  fputc('\n', out);
}

void console_reader_feed(struct console_reader *r, const char *data, size_t len, bool at_end, FILE *out) {
  for (size_t i = 0; i < len; i++) {
    if (data[i] == '\n' || r->len == sizeof r->pending - 1) {
      print_line(r, r->pending, r->len, out);
      r->len = 0;
      if (data[i] == '\n') continue;
    }
    r->pending[r->len++] = data[i];
  }
  if (at_end && r->len > 0) {
    print_line(r, r->pending, r->len, out);
    r->len = 0;
  }
}
