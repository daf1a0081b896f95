/* rtctl pull [--insecure] REGISTRY/REPO[:TAG|@DIGEST]: an image from a registry into the
 * local store, under that full reference. */
#include <stdlib.h>

#include "parse_options.h"
#include "remote.h"
#include "rtctl.h"

static const char usage[] = "rtctl pull [--insecure] REGISTRY/REPO[:TAG|@sha256:HEX]";

int cmd_pull(int argc, char **argv) {
  bool insecure = false;
  const struct rt_option opts[] = {
      {RT_OPT_BOOL, 0, "insecure", &insecure, NULL, "plain http (always allowed for localhost and 127.0.0.1)"},
      RT_OPTION_END,
  };
  int n = rt_parse_options("pull", argc, argv, opts, usage);
  if (n == RT_PARSE_HELP) return 0;
  if (n < 0) return RTCTL_EXIT_USAGE;
  if (n != 1) {
    rtctl_error("pull", "expects one reference (usage: %s)", usage);
    return RTCTL_EXIT_USAGE;
  }
  struct reg_reference ref;
  struct ib_error err;
  if (reg_reference_parse(argv[0], &ref, &err) < 0) {
    rtctl_error("pull", "%s", err.msg);
    return RTCTL_EXIT_USAGE;
  }
  int rc = RTCTL_EXIT_USAGE;
  if (!ref.registry) {
    rtctl_error("pull", "%s: no registry in the reference (REGISTRY/REPO[:TAG], e.g. localhost:5000/hello:1.0)",
                argv[0]);
    goto out;
  }
  struct remote_options o = {.insecure = insecure};
  char *name;
  char digest[IB_DIGEST_LEN + 1];
  rc = RTCTL_EXIT_FAILURE;
  if (remote_pull(&ref, &o, stdout, &name, digest, &err) < 0) {
    rtctl_error("pull", "%s", err.msg);
    goto out;
  }
  printf("pulled %s %s\n", name, digest);
  free(name);
  rc = 0;
out:
  reg_reference_free(&ref);
  return rc;
}
