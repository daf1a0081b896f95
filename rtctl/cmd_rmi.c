/* rtctl rmi REF...: removes references (NAME:TAG, or REPO@DIGEST for an image pulled by
 * digest) from the local store; the blobs no reference needs any more are then deleted. */
#include <errno.h>
#include <stdlib.h>

#include "kernel_blob.h"
#include "parse_options.h"
#include "reference.h"
#include "rtctl.h"
#include "store.h"

static const char usage[] = "rtctl rmi REF...";

int cmd_rmi(int argc, char **argv) {
  const struct rt_option opts[] = {RT_OPTION_END};
  int n = rt_parse_options("rmi", argc, argv, opts, usage);
  if (n == RT_PARSE_HELP) return 0;
  if (n < 0) return RTCTL_EXIT_USAGE;
  if (n == 0) {
    rtctl_error("rmi", "expects at least one reference (usage: %s)", usage);
    return RTCTL_EXIT_USAGE;
  }
  struct oci_layout l;
  struct ib_error err;
  if (store_open(&l, &err) < 0) {
    rtctl_error("rmi", "%s", err.msg);
    return RTCTL_EXIT_FAILURE;
  }
  int rc = 0, removed = 0;
  for (int i = 0; i < n; i++) {
    struct reg_reference ref;
    if (reg_reference_parse(argv[i], &ref, &err) < 0) {
      rtctl_error("rmi", "%s", err.msg);
      rc = RTCTL_EXIT_FAILURE;
      continue;
    }
    /* REPO:TAG, or REPO@DIGEST as `rtctl pull REPO@DIGEST` files it. */
    char *name = reg_reference_name(&ref);
    if (oci_layout_remove_ref(&l, name, &err) < 0) {
      rtctl_error("rmi", "%s", err.msg);
      rc = RTCTL_EXIT_FAILURE;
    } else {
      printf("removed %s\n", name);
      removed++;
    }
    free(name);
    reg_reference_free(&ref);
  }
  size_t blobs = 0;
  uint64_t bytes = 0;
  int gc = removed ? oci_layout_gc(&l, &blobs, &bytes, &err) : 0;
  if (gc == 0 && removed) bytes += kernel_blob_prune(&l); /* unpacked kernels of deleted layers */
  if (gc < 0) {
    rtctl_error("rmi", "%s", err.msg);
    rc = RTCTL_EXIT_FAILURE;
  } else if (blobs) {
    char size[32];
    rtctl_format_size(bytes, size, sizeof size);
    printf("deleted %zu blob%s (%s)\n", blobs, blobs == 1 ? "" : "s", size);
  }
  oci_layout_close(&l);
  return rc;
}
