/* rtctl run [NAME|DIR]: boot an image in QEMU as an instance, attached or (-d) detached.
 *
 * -e KEY=VAL changes the image config of this run only: the initrd is copied to a temporary
 * file with /runtime.json rewritten (the stored image is untouched); -m does the same for
 * "memory", and sets the VM's RAM. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app_build.h"
#include "fs_util.h"
#include "image_config.h"
#include "initrd.h"
#include "parse_options.h"
#include "instance.h"
#include "instance_run.h"
#include "rtctl.h"

static const char usage[] = "rtctl run [-d] [--name NAME] [-m MiB] [--cpus N] [-e KEY=VAL]... [-p HOST:GUEST[/udp|/tcp]]... [--json] [-t] [-k] [--insecure] [NAME[:TAG]|REGISTRY/REPO[:TAG]|DIR]";

/* HOST:GUEST[/udp|/tcp], both ports 1-65535. */
int run_port_spec_valid(const char *spec) {
  const char *colon = strchr(spec, ':');
  if (!colon) return 0;
  const char *slash = strchr(colon, '/');
  size_t glen = slash ? (size_t)(slash - colon - 1) : strlen(colon + 1);
  if (slash && strcmp(slash + 1, "udp") != 0 && strcmp(slash + 1, "tcp") != 0) return 0;
  return ib_port_number(spec, (size_t)(colon - spec)) != 0 && ib_port_number(colon + 1, glen) != 0;
}

/* Rewrites the config into a temporary initrd when -e or -m changes it. */
static int prepare_initrd(const struct store_image *img, const struct rt_string_list *env, unsigned *memory,
                          char **initrd, bool *temporary, struct ib_error *err) {
  char *json;
  struct ib_config cfg;
  int rc = ib_config_load(img->config_path, &cfg, err);
  if (rc < 0) return rc;
  for (size_t i = 0; i < env->count && rc == 0; i++) {
    const char *eq = strchr(env->v[i], '=');
    if (!eq || eq == env->v[i]) {
      rc = ib_fail(err, -EINVAL, "-e: \"%s\" is not KEY=VALUE", env->v[i]);
      break;
    }
    char *key = strndup(env->v[i], (size_t)(eq - env->v[i]));
    rc = ib_config_set_env(&cfg, key, eq + 1, err);
    free(key);
  }
  bool changed = env->count > 0 || (*memory && *memory != cfg.memory_mib);
  if (!*memory) *memory = cfg.memory_mib;
  cfg.memory_mib = *memory;
  *temporary = false;
  if (rc == 0 && !changed) *initrd = ib_xstrdup(img->initrd_path);
  if (rc == 0 && changed) rc = ib_config_to_json(&cfg, &json, err);
  if (rc == 0 && changed) {
    char *dir;
    rc = ib_make_temp_dir("rtctl-run", &dir, err);
    if (rc == 0) {
      *initrd = ib_strfmt("%s/initrd.cpio", dir);
      rc = ib_initrd_replace_file(img->initrd_path, *initrd, IB_CONFIG_PATH, json, strlen(json), err);
      if (rc < 0) {
        ib_remove_tree(dir);
        free(*initrd);
      } else {
        *temporary = true;
      }
      free(dir);
    }
    free(json);
  }
  ib_config_free(&cfg);
  return rc;
}

int cmd_run(int argc, char **argv) {
  unsigned memory = 0, cpus = 1;
  bool detach = false, show_kernel = false, insecure = false;
  struct log_format format = {0};
  const char *name = NULL;
  struct rt_string_list env = {0}, ports = {0};
  const struct rt_option opts[] = {
      {RT_OPT_UINT, 'm', "memory", &memory, "MiB", "the VM's memory (default: the image's, 256)"},
      {RT_OPT_UINT, 0, "cpus", &cpus, "N", "virtual CPUs (default 1)"},
      {RT_OPT_STRING_LIST, 'e', "env", &env, "KEY=VAL", "set an environment variable for this run"},
      {RT_OPT_STRING_LIST, 'p', "publish", &ports, "HOST:GUEST[/udp|/tcp]", "forward a host port to the VM"},
      {RT_OPT_BOOL, 'd', "detach", &detach, NULL, "run in the background: print the instance's name and return"},
      {RT_OPT_STRING, 0, "name", &name, "NAME", "the instance's name (default: the image's, then NAME-2 ...)"},
      {RT_OPT_BOOL, 0, "json", &format.json, NULL, "print log entries as JSON lines (time, stream, isolate, level, message)"},
      {RT_OPT_BOOL, 't', "timestamps", &format.timestamps, NULL, "start each log line with its receive time"},
      {RT_OPT_BOOL, 'k', "kernel-log", &show_kernel, NULL, "show the kernel's console too (shown anyway when the kernel fails)"},
      {RT_OPT_BOOL, 0, "insecure", &insecure, NULL, "pull REGISTRY/REPO:TAG over plain http (always for localhost)"},
      RT_OPTION_END,
  };
  int n = rt_parse_options("run", argc, argv, opts, usage);
  int rc = RTCTL_EXIT_USAGE;
  if (n == RT_PARSE_HELP) rc = 0;
  if (n < 0) goto out;
  if (n > 1) {
    rtctl_error("run", "expects at most one image name or app folder (usage: %s)", usage);
    goto out;
  }
  if (name && !instance_name_valid(name)) {
    rtctl_error("run", "--name: \"%s\" is not an instance name ([A-Za-z0-9_.-], at most %d)", name, INSTANCE_NAME_MAX);
    goto out;
  }
  for (size_t i = 0; i < ports.count; i++) {
    if (!run_port_spec_valid(ports.v[i])) {
      rtctl_error("run", "-p: \"%s\" is not HOST:GUEST[/udp|/tcp] (ports 1-65535)", ports.v[i]);
      goto out;
    }
  }
  rc = RTCTL_EXIT_FAILURE;
  if (ports.count > 0) {
    rtctl_error("run", "-p: networking is not implemented yet (issue 5/network)");
    goto out;
  }
  struct store_image img;
  struct ib_error err;
  if (image_resolve_pull(n == 1 ? argv[0] : NULL, NULL, insecure, &img, &err) < 0) {
    rtctl_error("run", "%s", err.msg);
    goto out;
  }
  char *initrd = NULL;
  bool temporary = false;
  if (prepare_initrd(&img, &env, &memory, &initrd, &temporary, &err) < 0) {
    rtctl_error("run", "%s", err.msg);
  } else {
    char *dir = NULL;
    if (temporary) {
      dir = ib_xstrdup(initrd);
      *strrchr(dir, '/') = '\0';
    }
    struct instance_launch launch = {&img, initrd, dir, memory, cpus, name, show_kernel, format};
    rc = detach ? instance_run_detached(&launch) : instance_run_attached(&launch);
    free(dir);
    free(initrd);
  }
  store_image_free(&img);
out:
  rt_string_list_free(&env);
  rt_string_list_free(&ports);
  return rc;
}
