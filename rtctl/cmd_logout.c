/* rtctl logout REGISTRY: removes the registry's credentials from the Docker config. */
#include <errno.h>
#include <stdlib.h>

#include "docker_config.h"
#include "parse_options.h"
#include "rtctl.h"

static const char usage[] = "rtctl logout REGISTRY";

int cmd_logout(int argc, char **argv) {
  const struct rt_option opts[] = {RT_OPTION_END};
  int n = rt_parse_options("logout", argc, argv, opts, usage);
  if (n == RT_PARSE_HELP) return 0;
  if (n < 0) return RTCTL_EXIT_USAGE;
  if (n != 1) {
    rtctl_error("logout", "expects one registry, HOST[:PORT] (usage: %s)", usage);
    return RTCTL_EXIT_USAGE;
  }
  char *path = NULL;
  struct ib_error err;
  int rc = docker_config_path(&path, &err);
  if (rc == 0) rc = docker_config_remove(path, argv[0], &err);
  if (rc < 0) {
    rtctl_error("logout", "%s", err.msg);
  } else {
    printf("Removed the credentials for %s from %s\n", argv[0], path);
  }
  free(path);
  return rc < 0 ? RTCTL_EXIT_FAILURE : 0;
}
