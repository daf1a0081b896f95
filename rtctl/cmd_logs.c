/* rtctl logs [-f] [--since WHEN] [-t] [--json] [-k] [--isolate NAME] NAME: an instance's
 * stored log (INSTANCE_LOG_FILE). -f follows it until the instance ends. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fs_util.h"
#include "instance.h"
#include "instance_run.h"
#include "log_entry.h"
#include "parse_options.h"
#include "rtctl.h"
#include "time_text.h"

#define FOLLOW_POLL_MS 50

static const char usage[] = "rtctl logs [-f] [--since WHEN] [-t] [--json] [-k] [--isolate NAME] NAME";

struct log_filter {
  int64_t since_us;    /* entries received before are skipped; 0: none */
  bool kernel;         /* kernel console lines too */
  const char *isolate; /* only this isolate's records (NULL: all) */
  struct log_format format;
};

/* The stored log read in pieces: whole lines are printed, a partial one waits for the rest. */
struct line_reader {
  char *buf;
  size_t len, cap;
};

static void print_entry_line(const struct log_filter *f, char *line) {
  struct log_entry e;
  json_t *holder;
  if (log_entry_from_json(line, &e, &holder) < 0) return; /* a line torn by a crash */
  bool wanted = (e.kernel ? f->kernel : !f->isolate || (e.isolate && strcmp(e.isolate, f->isolate) == 0)) &&
                (!f->since_us || e.time_us >= f->since_us);
  if (wanted) log_entry_print(&e, &f->format, stdout);
  json_decref(holder);
}

/* Prints the whole lines added to fd since the last call; returns false on a read error. */
static bool drain(int fd, struct line_reader *r, const struct log_filter *f) {
  for (;;) {
    if (r->cap - r->len < 16384) {
      r->cap = r->cap ? r->cap * 2 : 65536;
      r->buf = ib_xrealloc(r->buf, r->cap);
    }
    ssize_t n = read(fd, r->buf + r->len, r->cap - r->len - 1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    if (n == 0) break;
    r->len += (size_t)n;
    size_t start = 0;
    for (size_t i = r->len - (size_t)n; i < r->len; i++) {
      if (r->buf[i] != '\n') continue;
      r->buf[i] = '\0';
      print_entry_line(f, r->buf + start);
      start = i + 1;
    }
    memmove(r->buf, r->buf + start, r->len - start);
    r->len -= start;
  }
  fflush(stdout);
  return true;
}

/* Opens the log, waiting for it while a just-started instance has not created it yet. */
static int open_log(const char *name, const char *path, bool follow) {
  for (;;) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd >= 0 || errno != ENOENT || !follow) return fd;
    struct instance inst;
    if (instance_load(name, &inst, NULL) < 0 || !instance_alive(&inst, NULL, NULL)) {
      errno = ENOENT;
      return -1;
    }
    nanosleep(&(struct timespec){0, FOLLOW_POLL_MS * 1000000L}, NULL);
  }
}

int cmd_logs(int argc, char **argv) {
  bool follow = false;
  const char *since = NULL;
  struct log_filter f = {0};
  const struct rt_option opts[] = {
      {RT_OPT_BOOL, 'f', "follow", &follow, NULL, "keep printing new entries until the instance ends"},
      {RT_OPT_STRING, 0, "since", &since, "WHEN", "only entries received since WHEN: 10s, 5m, 2h, or an RFC 3339 time"},
      {RT_OPT_BOOL, 't', "timestamps", &f.format.timestamps, NULL, "show each entry's receive time"},
      {RT_OPT_BOOL, 0, "json", &f.format.json, NULL, "print JSON lines (time, stream, isolate, level, message)"},
      {RT_OPT_BOOL, 'k', "kernel", &f.kernel, NULL, "include the kernel's console lines"},
      {RT_OPT_STRING, 0, "isolate", &f.isolate, "NAME", "only the records of the isolate NAME"},
      RT_OPTION_END,
  };
  int n = rt_parse_options("logs", argc, argv, opts, usage);
  if (n == RT_PARSE_HELP) return 0;
  if (n < 0) return RTCTL_EXIT_USAGE;
  if (n != 1) {
    rtctl_error("logs", "expects one instance name (usage: %s)", usage);
    return RTCTL_EXIT_USAGE;
  }
  if (since && time_parse_since(since, time_now_us(), &f.since_us) < 0) {
    rtctl_error("logs", "--since: \"%s\" is neither a duration (10s, 5m, 2h) nor an RFC 3339 time", since);
    return RTCTL_EXIT_USAGE;
  }
  const char *name = argv[0];
  struct instance inst;
  struct ib_error err;
  char *path = NULL;
  if (instance_load(name, &inst, &err) < 0 || instance_path(name, INSTANCE_LOG_FILE, &path, &err) < 0) {
    rtctl_error("logs", "%s", err.msg);
    return RTCTL_EXIT_FAILURE;
  }
  int fd = open_log(name, path, follow);
  if (fd < 0 && errno != ENOENT) {
    rtctl_error("logs", "%s: %s", path, strerror(errno));
    free(path);
    return RTCTL_EXIT_FAILURE;
  }
  free(path);
  if (fd < 0) return 0; /* the instance never wrote a log */
  struct line_reader r = {0};
  bool ok = drain(fd, &r, &f);
  while (ok && follow) {
    /* Checked before reading: the supervisor writes the last entries before the final state. */
    bool alive = instance_load(name, &inst, NULL) == 0 && instance_alive(&inst, NULL, NULL);
    ok = drain(fd, &r, &f);
    if (!alive) break;
    nanosleep(&(struct timespec){0, FOLLOW_POLL_MS * 1000000L}, NULL);
  }
  close(fd);
  free(r.buf);
  if (!ok) rtctl_error("logs", "%s: read error: %s", name, strerror(errno));
  return ok ? 0 : RTCTL_EXIT_FAILURE;
}
