#include "app_build.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app_package.h"
#include "fs_util.h"
#include "image_config.h"
#include "initrd.h"
#include "reference.h"
#include "remote.h"
#include "rtctl.h"
#include "tool_run.h"

#ifndef RTCTL_KERNEL_PATH
#define RTCTL_KERNEL_PATH ""
#endif

int kernel_locate(char **path, struct ib_error *err) {
  const char *p = getenv("RUNTIMEJS_KERNEL");
  const char *from = "RUNTIMEJS_KERNEL";
  if (!p || !*p) {
    p = RTCTL_KERNEL_PATH;
    from = "built-in path";
  }
  if (!*p) return ib_fail(err, -ENOENT, "kernel: no kernel path known (set RUNTIMEJS_KERNEL)");
  if (access(p, R_OK) != 0)
    return ib_fail(err, -errno, "kernel: %s (%s): %s (build the `kernel` target, or set RUNTIMEJS_KERNEL)", p, from,
                   strerror(errno));
  *path = ib_xstrdup(p);
  return 0;
}

static bool mtime_of(const char *path, struct timespec *t) {
  struct stat st;
  if (stat(path, &st) != 0) return false;
  *t = st.st_mtim;
  return true;
}

static bool older(struct timespec a, struct timespec b) {
  return a.tv_sec < b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec < b.tv_nsec);
}

/* node_modules is stale when missing or older than package.json or package-lock.json. */
static int npm_install_if_needed(const struct ib_app *app, struct ib_error *err) {
  if (!app->has_dependencies) return 0;
  char *nm = ib_strfmt("%s/node_modules", app->dir);
  char *pj = ib_strfmt("%s/package.json", app->dir);
  char *lock = ib_strfmt("%s/package-lock.json", app->dir);
  struct timespec t_nm, t_pj, t_lock;
  bool stale = !mtime_of(nm, &t_nm) || (mtime_of(pj, &t_pj) && older(t_nm, t_pj)) ||
               (mtime_of(lock, &t_lock) && older(t_nm, t_lock));
  int rc = 0;
  if (stale) {
    char *argv[] = {"npm", "install", "--omit=dev", "--no-audit", "--no-fund", "--loglevel=error", NULL};
    rc = ib_run_tool(argv, app->dir, 0, err);
    if (rc == -ENOENT) rc = ib_fail(err, rc, "npm: not found (install the Debian package npm)");
    /* npm leaves node_modules' time alone when nothing changed: mark it fresh ourselves. */
    if (rc == 0) utimensat(AT_FDCWD, nm, NULL, 0);
  }
  free(nm);
  free(pj);
  free(lock);
  return rc;
}

static void print_summary(FILE *out, const struct ib_app *app, const struct store_image *img, size_t files,
                          const char *tag) {
  char is[32], ks[32], kl[32], ts[32];
  rtctl_format_size(img->initrd_size, is, sizeof is);
  rtctl_format_size(img->kernel_size, ks, sizeof ks);
  rtctl_format_size(img->kernel_layer_size, kl, sizeof kl);
  rtctl_format_size(img->initrd_size + img->kernel_layer_size, ts, sizeof ts);
  fprintf(out, "Built %s:%s (also %s:latest), main %s\n", app->config.name, tag, app->config.name, app->config.main);
  fprintf(out, "  initrd  %10s  %zu entries\n", is, files);
  fprintf(out, "  kernel  %10s  %s (%s compressed in the image)\n", ks, img->kernel_path, kl);
  fprintf(out, "  total   %10s  to push or pull\n", ts);
  fprintf(out, "Digest: %s\n", img->digest);
}

int app_build(const char *dir, FILE *report, struct store_image *img, struct ib_error *err) {
  struct ib_app app;
  int rc = ib_app_load(dir, &app, err);
  if (rc < 0) return rc;
  char *kernel = NULL, *config_json = NULL;
  struct ib_entries entries = {0};
  rc = kernel_locate(&kernel, err);
  if (rc == 0) rc = npm_install_if_needed(&app, err);
  if (rc == 0) rc = ib_app_collect(&app, &entries, err);
  if (rc == 0) rc = ib_config_to_json(&app.config, &config_json, err);
  if (rc == 0) {
    ib_entries_add_data(&entries, IB_CONFIG_PATH, config_json, strlen(config_json));
    /* Everything is checked: only now does the store see a write. */
    struct store_txn txn;
    rc = store_begin(&txn, err);
    if (rc == 0) rc = ib_initrd_write(&entries, txn.initrd_path, err);
    char *tag = store_tag_from_version(app.config.version);
    const char *tags[] = {tag, "latest", NULL};
    if (rc == 0) rc = store_commit(&txn, app.config.name, app.config.version, tags, config_json, kernel, img, err);
    else store_abort(&txn);
    if (rc == 0 && report) print_summary(report, &app, img, entries.count, tag);
    free(tag);
  }
  ib_entries_free(&entries);
  free(config_json);
  free(kernel);
  ib_app_free(&app);
  return rc;
}

static bool is_app_folder(const char *arg) {
  char *pj = ib_strfmt("%s/package.json", arg);
  bool yes = access(pj, F_OK) == 0;
  free(pj);
  return yes;
}

/* A reference with a registry part ("localhost:5000/hello:1"), not an existing path. */
static bool is_remote_reference(const char *arg, struct reg_reference *ref) {
  struct ib_error ignored;
  if (access(arg, F_OK) == 0 || reg_reference_parse(arg, ref, &ignored) < 0) return false;
  if (ref->registry) return true;
  reg_reference_free(ref);
  return false;
}

static int lookup_or_pull(const struct reg_reference *ref, const char *arg, FILE *report, bool insecure,
                          struct store_image *img, struct ib_error *err) {
  int rc = store_lookup(arg, img, err);
  if (rc != -ENOENT) return rc;
  struct remote_options o = {.insecure = insecure};
  char *name;
  char digest[IB_DIGEST_LEN + 1];
  rc = remote_pull(ref, &o, report ? report : stderr, &name, digest, err);
  if (rc < 0) return rc;
  fprintf(report ? report : stderr, "pulled %s %s\n", name, digest);
  free(name);
  return store_lookup(arg, img, err);
}

int image_resolve_pull(const char *arg, FILE *report, bool insecure, struct store_image *img, struct ib_error *err) {
  if (!arg) return app_build(".", report, img, err);
  struct stat st;
  bool looks_like_path = strchr(arg, '/') || strcmp(arg, ".") == 0 || strcmp(arg, "..") == 0;
  if (is_app_folder(arg)) return app_build(arg, report, img, err);
  struct reg_reference ref;
  int rc;
  if (is_remote_reference(arg, &ref)) {
    rc = lookup_or_pull(&ref, arg, report, insecure, img, err);
    reg_reference_free(&ref);
  } else if (looks_like_path) {
    if (stat(arg, &st) != 0) return ib_fail(err, -errno, "%s: %s", arg, strerror(errno));
    return ib_fail(err, -ENOENT, "%s: no package.json in this folder", arg);
  } else {
    rc = store_lookup(arg, img, err);
  }
  if (rc == 0) rc = store_kernel_ready(img, err);
  if (rc < 0) store_image_free(img);
  return rc;
}

int image_resolve(const char *arg, FILE *report, struct store_image *img, struct ib_error *err) {
  return image_resolve_pull(arg, report, false, img, err);
}
