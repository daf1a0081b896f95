/* rtctl doctor: checks what rtctl needs on this host and says what to install. With --accel it
 * only prints the accelerator `rtctl run` will use ("kvm" or "tcg"), for scripts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "accel.h"
#include "app_build.h"
#include "fs_util.h"
#include "parse_options.h"
#include "qemu_launch.h"
#include "rtctl.h"

static const char usage[] = "rtctl doctor [--accel] [--reprobe]";

/* The full path of `name` on $PATH, or NULL. */
static char *which(const char *name) {
  const char *path = getenv("PATH");
  if (strchr(name, '/')) return access(name, X_OK) == 0 ? ib_strfmt("%s", name) : NULL;
  for (const char *p = path ? path : ""; *p;) {
    size_t n = strcspn(p, ":");
    char *candidate = ib_strfmt("%.*s/%s", (int)n, p, name);
    if (access(candidate, X_OK) == 0) return candidate;
    free(candidate);
    p += n + (p[n] == ':');
  }
  return NULL;
}

static bool check_tool(const char *tool, const char *package, bool required) {
  char *path = which(tool);
  printf("  %-20s %s\n", tool, path ? path : required ? "MISSING: install the Debian package" : "missing (optional):");
  if (!path) printf("  %-20s   -> apt-get install %s\n", "", package);
  free(path);
  return path || !required;
}

int cmd_doctor(int argc, char **argv) {
  bool accel_only = false, reprobe = false;
  const struct rt_option opts[] = {
      {RT_OPT_BOOL, 0, "accel", &accel_only, NULL, "print only the accelerator `rtctl run` uses (kvm or tcg)"},
      {RT_OPT_BOOL, 0, "reprobe", &reprobe, NULL, "probe KVM again instead of using the cached answer"},
      RT_OPTION_END,
  };
  int n = rt_parse_options("doctor", argc, argv, opts, usage);
  if (n == RT_PARSE_HELP) return 0;
  if (n < 0) return RTCTL_EXIT_USAGE;
  if (n > 0) {
    rtctl_error("doctor", "takes no arguments (usage: %s)", usage);
    return RTCTL_EXIT_USAGE;
  }
  const char *qemu = qemu_binary();
  char *kernel = NULL;
  struct ib_error err;
  bool have_kernel = kernel_locate(&kernel, &err) == 0;
  char *qemu_path = which(qemu);
  if (accel_only) {
    if (!have_kernel || !qemu_path) {
      rtctl_error("doctor", "%s", !have_kernel ? err.msg : "QEMU not found (install qemu-system-x86)");
      return RTCTL_EXIT_FAILURE;
    }
    struct accel_choice c;
    accel_choose(qemu, kernel, reprobe, &c);
    if (strcmp(c.accel, "kvm")) rtctl_error("doctor", "%s; using TCG (slow)", c.reason);
    puts(c.accel);
    free(kernel);
    free(qemu_path);
    return 0;
  }
  bool ok = true;
  puts("tools:");
  ok &= check_tool(qemu, "qemu-system-x86", true);
  ok &= check_tool("grub-mkrescue", "grub-common grub-pc-bin", true);
  ok &= check_tool("grub-mkimage", "grub-common", true);
  ok &= check_tool("xorriso", "xorriso", true);
  ok &= check_tool("mformat", "mtools", true);
  check_tool("npm", "npm", false);
  puts("kernel:");
  if (have_kernel) {
    struct stat st;
    printf("  %-20s %s (%lld KiB)\n", "runtimejs.elf", kernel, stat(kernel, &st) == 0 ? (long long)st.st_size / 1024 : -1LL);
  } else {
    printf("  %-20s MISSING: %s\n", "runtimejs.elf", err.msg);
    ok = false;
  }
  puts("accelerator:");
  if (have_kernel && qemu_path) {
    struct accel_choice c;
    accel_choose(qemu, kernel, reprobe, &c);
    if (!strcmp(c.accel, "kvm")) printf("  kvm%s\n", c.cached ? " (cached probe)" : "");
    else printf("  tcg: %s%s\n", c.reason, c.cached ? " (cached probe; --reprobe to check again)" : "");
  } else {
    puts("  unknown (needs QEMU and the kernel)");
  }
  free(kernel);
  free(qemu_path);
  return ok ? 0 : RTCTL_EXIT_FAILURE;
}
