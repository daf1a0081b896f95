/* rtctl's entry point: global options and the command table. */
#include "rtctl.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "fs_util.h"

const struct rtctl_command rtctl_commands[] = {
    {"new", cmd_new, "create an app folder"},
    {"build", cmd_build, "package an app into an image in the local store"},
    {"image", cmd_image, "make a bootable disk image (raw or iso) of an image"},
    {"run", cmd_run, "boot an image in QEMU and show its log (or -d: in the background)"},
    {"logs", cmd_logs, "show an instance's log: its isolates' records (-k: and the kernel's lines)"},
    {"ps", cmd_ps, "list instances"},
    {"stop", cmd_stop, "stop a running instance"},
    {"rm", cmd_rm, "remove an ended instance's state and log"},
    {"images", cmd_images, "list the images in the local store"},
    {"rmi", cmd_rmi, "remove images from the local store"},
    {"push", cmd_push, "push an image to an OCI registry (or --as containerdisk for KubeVirt)"},
    {"pull", cmd_pull, "pull an image from an OCI registry into the local store"},
    {"login", cmd_login, "check and store the credentials of a registry"},
    {"logout", cmd_logout, "remove the stored credentials of a registry"},
    {"doctor", cmd_doctor, "check the host: tools, kernel, KVM or TCG"},
    {"help", cmd_help, "show the help of a command"},
    {NULL, NULL, NULL},
};

const struct rtctl_command *rtctl_find_command(const char *name) {
  for (const struct rtctl_command *c = rtctl_commands; c->name; c++)
    if (strcmp(c->name, name) == 0) return c;
  return NULL;
}

void rtctl_error(const char *cmd, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "rtctl: %s%s", cmd ? cmd : "", cmd ? ": " : "");
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
}

void rtctl_format_size(unsigned long long bytes, char *buf, size_t len) {
  if (bytes < 1024) snprintf(buf, len, "%llu B", bytes);
  else if (bytes < 1024ull * 1024) snprintf(buf, len, "%.1f KiB", (double)bytes / 1024);
  else snprintf(buf, len, "%.1f MiB", (double)bytes / (1024.0 * 1024));
}

int rtctl_xdg_path(const char *var, const char *home_default, const char *sub, char **path, struct ib_error *err) {
  const char *xdg = getenv(var);
  if (xdg && xdg[0] == '/') {
    *path = ib_strfmt("%s/%s", xdg, sub);
    return 0;
  }
  const char *home = getenv("HOME");
  if (!home || !*home) return ib_fail(err, -ENOENT, "neither %s nor HOME is set", var);
  *path = ib_strfmt("%s/%s/%s", home, home_default, sub);
  return 0;
}
