/* rtctl build [DIR]: package an app into the local store. */
#include "app_build.h"
#include "parse_options.h"
#include "rtctl.h"

static const char usage[] = "rtctl build [DIR]";

int cmd_build(int argc, char **argv) {
  const struct rt_option opts[] = {RT_OPTION_END};
  int n = rt_parse_options("build", argc, argv, opts, usage);
  if (n == RT_PARSE_HELP) return 0;
  if (n < 0) return RTCTL_EXIT_USAGE;
  if (n > 1) {
    rtctl_error("build", "expects at most one folder (usage: %s)", usage);
    return RTCTL_EXIT_USAGE;
  }
  struct store_image img;
  struct ib_error err;
  if (app_build(n == 1 ? argv[0] : ".", stdout, &img, &err) < 0) {
    rtctl_error("build", "%s", err.msg);
    return RTCTL_EXIT_FAILURE;
  }
  store_image_free(&img);
  return 0;
}
