/* rtctl rm [--force] NAME...: removes ended instances' state and logs. */
#include "instance.h"
#include "parse_options.h"
#include "rtctl.h"

static const char usage[] = "rtctl rm [-f] NAME...";

int cmd_rm(int argc, char **argv) {
  bool force = false;
  const struct rt_option opts[] = {
      {RT_OPT_BOOL, 'f', "force", &force, NULL, "stop a running instance first"},
      RT_OPTION_END,
  };
  int n = rt_parse_options("rm", argc, argv, opts, usage);
  if (n == RT_PARSE_HELP) return 0;
  if (n < 0) return RTCTL_EXIT_USAGE;
  if (n == 0) {
    rtctl_error("rm", "expects an instance name (usage: %s)", usage);
    return RTCTL_EXIT_USAGE;
  }
  int rc = 0;
  for (int i = 0; i < n; i++) {
    struct ib_error err;
    struct instance inst;
    int r = instance_load(argv[i], &inst, &err);
    if (r == 0 && force && instance_alive(&inst, NULL, NULL)) r = instance_stop(argv[i], &err);
    if (r == 0) r = instance_remove(argv[i], &err);
    if (r < 0) {
      rtctl_error("rm", "%s", err.msg);
      rc = RTCTL_EXIT_FAILURE;
    } else {
      printf("%s\n", argv[i]);
    }
  }
  return rc;
}
