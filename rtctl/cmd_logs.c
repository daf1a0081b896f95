/* rtctl logs [-f] [--since DURATION|TIMESTAMP] [--timestamps] NAME: an instance's stored
 * console. -f follows it until the instance ends. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "console_log.h"
#include "instance.h"
#include "parse_options.h"
#include "rtctl.h"
#include "time_text.h"

#define FOLLOW_POLL_MS 50

static const char usage[] = "rtctl logs [-f] [--since WHEN] [-t] NAME";

/* Prints what was added to fd since the last call; returns false on a read error. */
static bool drain(int fd, struct console_reader *r, bool at_end) {
  char buf[16384];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    console_reader_feed(r, buf, (size_t)n, at_end && n == 0, stdout);
    if (n == 0) break;
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
  bool follow = false, timestamps = false;
  const char *since = NULL;
  const struct rt_option opts[] = {
      {RT_OPT_BOOL, 'f', "follow", &follow, NULL, "keep printing new lines until the instance ends"},
      {RT_OPT_STRING, 0, "since", &since, "WHEN", "only lines received since WHEN: 10s, 5m, 2h, or an RFC 3339 time"},
      {RT_OPT_BOOL, 't', "timestamps", &timestamps, NULL, "show each line's receive time"},
      RT_OPTION_END,
  };
  int n = rt_parse_options("logs", argc, argv, opts, usage);
  if (n == RT_PARSE_HELP) return 0;
  if (n < 0) return RTCTL_EXIT_USAGE;
  if (n != 1) {
    rtctl_error("logs", "expects one instance name (usage: %s)", usage);
    return RTCTL_EXIT_USAGE;
  }
  struct console_reader r = {.timestamps = timestamps};
  if (since && time_parse_since(since, time_now_us(), &r.since_us) < 0) {
    rtctl_error("logs", "--since: \"%s\" is neither a duration (10s, 5m, 2h) nor an RFC 3339 time", since);
    return RTCTL_EXIT_USAGE;
  }
  const char *name = argv[0];
  struct instance inst;
  struct ib_error err;
  char *path = NULL;
  if (instance_load(name, &inst, &err) < 0 || instance_path(name, "console.log", &path, &err) < 0) {
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
  if (fd < 0) return 0; /* the instance never wrote a console log */
  bool ok = drain(fd, &r, !follow);
  while (ok && follow) {
    /* Checked before reading: the supervisor writes the last lines before the final state. */
    bool alive = instance_load(name, &inst, NULL) == 0 && instance_alive(&inst, NULL, NULL);
    ok = drain(fd, &r, !alive);
    if (!alive) break;
    nanosleep(&(struct timespec){0, FOLLOW_POLL_MS * 1000000L}, NULL);
  }
  close(fd);
  if (!ok) rtctl_error("logs", "%s: read error: %s", name, strerror(errno));
  return ok ? 0 : RTCTL_EXIT_FAILURE;
}
