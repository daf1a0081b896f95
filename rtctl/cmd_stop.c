/* rtctl stop NAME...: ends running instances (SIGTERM to QEMU, SIGKILL after 5 s). */
#include "instance.h"
#include "parse_options.h"
#include "rtctl.h"

static const char usage[] = "rtctl stop NAME...";

int cmd_stop(int argc, char **argv) {
  const struct rt_option opts[] = {RT_OPTION_END};
  int n = rt_parse_options("stop", argc, argv, opts, usage);
  if (n == RT_PARSE_HELP) return 0;
  if (n < 0) return RTCTL_EXIT_USAGE;
  if (n == 0) {
    rtctl_error("stop", "expects an instance name (usage: %s)", usage);
    return RTCTL_EXIT_USAGE;
  }
  int rc = 0;
  for (int i = 0; i < n; i++) {
    struct ib_error err;
    if (instance_stop(argv[i], &err) < 0) {
      rtctl_error("stop", "%s", err.msg);
      rc = RTCTL_EXIT_FAILURE;
    } else {
      printf("%s\n", argv[i]);
    }
  }
  return rc;
}
