/* rtctl push [--insecure] [--as containerdisk] [--chunk-size BYTES] NAME[:TAG] REGISTRY/REPO[:TAG]:
 * an image of the local store to a registry. The destination tag defaults to the source's. */
#include <stdlib.h>
#include <string.h>

#include "containerdisk.h"
#include "parse_options.h"
#include "remote.h"
#include "rtctl.h"
#include "store.h"
#include "transfer.h"

static const char usage[] =
    "rtctl push [--insecure] [--as containerdisk] [--chunk-size BYTES] NAME[:TAG] REGISTRY/REPO[:TAG]";

/* The manifest to push: the image's own, or its containerDisk (whose disk boots the kernel
 * ELF) built into the store's layout (as unreferenced blobs: the next garbage collection
 * removes them). */
static int source_manifest(struct store_image *img, bool containerdisk, const struct oci_layout *l,
                           char digest[IB_DIGEST_LEN + 1], struct ib_error *err) {
  if (!containerdisk) {
    memcpy(digest, img->digest, IB_DIGEST_LEN + 1);
    return 0;
  }
  int rc = store_kernel_ready(img, err);
  return rc < 0 ? rc : containerdisk_build(img, l, digest, err);
}

int cmd_push(int argc, char **argv) {
  bool insecure = false;
  const char *as = NULL, *chunk = NULL;
  const struct rt_option opts[] = {
      {RT_OPT_BOOL, 0, "insecure", &insecure, NULL, "plain http (always allowed for localhost and 127.0.0.1)"},
      {RT_OPT_STRING, 0, "as", &as, "containerdisk", "push a KubeVirt containerDisk of the image instead"},
      {RT_OPT_STRING, 0, "chunk-size", &chunk, "BYTES",
       "upload blobs larger than this in chunks of this size (default 16M; also $RTCTL_CHUNK_SIZE)"},
      RT_OPTION_END,
  };
  int n = rt_parse_options("push", argc, argv, opts, usage);
  if (n == RT_PARSE_HELP) return 0;
  if (n < 0) return RTCTL_EXIT_USAGE;
  if (n != 2) {
    rtctl_error("push", "expects an image and a destination (usage: %s)", usage);
    return RTCTL_EXIT_USAGE;
  }
  struct remote_options o = {.insecure = insecure};
  if (chunk && remote_parse_size(chunk, &o.chunk_size) < 0) {
    rtctl_error("push", "--chunk-size: \"%s\" is not a size in bytes (e.g. 1048576, 16M)", chunk);
    return RTCTL_EXIT_USAGE;
  }
  bool containerdisk = as && strcmp(as, "containerdisk") == 0;
  if (as && !containerdisk) {
    rtctl_error("push", "--as: \"%s\" is not a format (containerdisk)", as);
    return RTCTL_EXIT_USAGE;
  }
  struct reg_reference src, dst;
  struct ib_error err;
  if (reg_reference_parse(argv[0], &src, &err) < 0) {
    rtctl_error("push", "%s", err.msg);
    return RTCTL_EXIT_USAGE;
  }
  if (reg_reference_parse(argv[1], &dst, &err) < 0) {
    rtctl_error("push", "%s", err.msg);
    reg_reference_free(&src);
    return RTCTL_EXIT_USAGE;
  }
  int rc = RTCTL_EXIT_USAGE;
  if (!dst.registry) {
    rtctl_error("push", "%s: no registry in the destination (REGISTRY/REPO[:TAG], e.g. localhost:5000/hello)",
                argv[1]);
    goto out;
  }
  if (dst.digest) {
    rtctl_error("push", "%s: push to a tag, not a digest", argv[1]);
    goto out;
  }
  const char *tag = dst.tag_given ? dst.tag : src.tag ? src.tag : "latest";
  rc = RTCTL_EXIT_FAILURE;
  struct store_image img;
  if (store_lookup(argv[0], &img, &err) < 0) {
    rtctl_error("push", "%s", err.msg);
    goto out;
  }
  struct oci_layout l;
  struct reg_client *c = NULL;
  char digest[IB_DIGEST_LEN + 1];
  int r = store_open(&l, &err);
  if (r == 0) {
    r = source_manifest(&img, containerdisk, &l, digest, &err);
    if (r == 0) r = remote_open(dst.registry, &o, &c, &err);
    if (r == 0) r = reg_push(c, &l, digest, dst.repository, tag, stdout, &err);
    oci_layout_close(&l);
  }
  if (r < 0) rtctl_error("push", "%s", err.msg);
  else printf("pushed %s/%s:%s %s\n", dst.registry, dst.repository, tag, digest);
  rc = r < 0 ? RTCTL_EXIT_FAILURE : 0;
  reg_client_free(c);
  store_image_free(&img);
out:
  reg_reference_free(&src);
  reg_reference_free(&dst);
  return rc;
}
