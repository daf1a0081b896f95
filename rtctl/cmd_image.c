/* rtctl image [--format raw|iso] NAME|DIR [-o FILE]: a GRUB2-bootable disk image. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app_build.h"
#include "disk_image.h"
#include "fs_util.h"
#include "image_config.h"
#include "parse_options.h"
#include "rtctl.h"

static const char usage[] = "rtctl image [--format raw|iso] [-o FILE] NAME[:TAG]|DIR";

/* NAME-VERSION.img|.iso in the current folder, from the image's config. */
static char *default_output(const struct store_image *img, enum ib_disk_format format) {
  struct ib_config cfg;
  struct ib_error ignored;
  char *out = NULL;
  if (ib_config_load(img->config_path, &cfg, &ignored) == 0) {
    const char *slash = strrchr(cfg.name, '/');
    out = ib_strfmt("%s-%s.%s", slash ? slash + 1 : cfg.name, cfg.version, format == IB_DISK_ISO ? "iso" : "img");
    ib_config_free(&cfg);
  }
  return out ? out : ib_strfmt("runtimejs.%s", format == IB_DISK_ISO ? "iso" : "img");
}

int cmd_image(int argc, char **argv) {
  const char *format_name = "raw", *output = NULL;
  const struct rt_option opts[] = {
      {RT_OPT_STRING, 0, "format", &format_name, "raw|iso", "raw: BIOS disk image (default); iso: BIOS+UEFI CD image"},
      {RT_OPT_STRING, 'o', "output", &output, "FILE", "where to write it (default: NAME-VERSION.img or .iso)"},
      RT_OPTION_END,
  };
  int n = rt_parse_options("image", argc, argv, opts, usage);
  if (n == RT_PARSE_HELP) return 0;
  if (n < 0) return RTCTL_EXIT_USAGE;
  enum ib_disk_format format;
  if (ib_disk_format_parse(format_name, &format) != 0) {
    rtctl_error("image", "--format: \"%s\" is not raw or iso", format_name);
    return RTCTL_EXIT_USAGE;
  }
  if (n > 1) {
    rtctl_error("image", "expects one image name or app folder (usage: %s)", usage);
    return RTCTL_EXIT_USAGE;
  }
  struct store_image img;
  struct ib_error err;
  if (image_resolve(n == 1 ? argv[0] : NULL, stderr, &img, &err) < 0) {
    rtctl_error("image", "%s", err.msg);
    return RTCTL_EXIT_FAILURE;
  }
  char *out = output ? ib_xstrdup(output) : default_output(&img, format);
  int rc = ib_disk_image_write(format, img.kernel_path, img.initrd_path, out, &err);
  if (rc < 0) {
    rtctl_error("image", "%s", err.msg);
  } else {
    struct stat st;
    char size[32] = "?";
    if (stat(out, &st) == 0) rtctl_format_size((unsigned long long)st.st_size, size, sizeof size);
    printf("Wrote %s (%s, %s, image %s)\n", out, ib_disk_format_name(format), size,
           img.digest);
  }
  free(out);
  store_image_free(&img);
  return rc < 0 ? RTCTL_EXIT_FAILURE : 0;
}
