#define _GNU_SOURCE
#include "app_package.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fs_util.h"

bool ib_package_name_valid(const char *name) {
  size_t len = strlen(name);
  if (len == 0 || len > 214) return false;
  const char *p = name;
  if (*p == '@') {
    const char *slash = strchr(p, '/');
    if (!slash || slash == p + 1 || strchr(slash + 1, '/')) return false;
    p++;
  }
  if (*p == '.' || *p == '_') return false;
  for (; *p; p++) {
    char c = *p;
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~' ||
              (c == '/' && name[0] == '@');
    if (!ok) return false;
  }
  return strstr(name, "/.") == NULL;
}

/* "./lib/x.js" -> "lib/x.js"; refuses absolute paths and ".." components. */
static int normalize_main(const char *main, char **out, struct ib_error *err) {
  if (main[0] == '/') return ib_fail(err, -EINVAL, "package.json: \"main\" is an absolute path (%s)", main);
  char *buf = ib_xmalloc(strlen(main) + 1);
  size_t n = 0;
  for (const char *c = main; *c;) {
    size_t len = strcspn(c, "/");
    if (len == 2 && c[0] == '.' && c[1] == '.') {
      free(buf);
      return ib_fail(err, -EINVAL, "package.json: \"main\" leaves the app folder (%s)", main);
    }
    if (len > 0 && !(len == 1 && c[0] == '.')) {
      if (n > 0) buf[n++] = '/';
      memcpy(buf + n, c, len);
      n += len;
    }
    c += len;
    if (*c == '/') c++;
  }
  buf[n] = '\0';
  *out = buf;
  return 0;
}

static bool is_regular(const char *dir, const char *rel) {
  char *p = ib_strfmt("%s/%s", dir, rel);
  struct stat st;
  bool ok = stat(p, &st) == 0 && S_ISREG(st.st_mode);
  free(p);
  return ok;
}

/* Node's resolution of "main": the file, then FILE.js, then FILE/index.js. */
static int resolve_main(const struct ib_app *app, const char *main, bool given, char **out, struct ib_error *err) {
  char *norm = NULL;
  int rc = normalize_main(main, &norm, err);
  if (rc < 0) return rc;
  const char *tries[] = {"%s", "%s.js", "%s/index.js"};
  for (size_t i = 0; i < 3 && norm[0]; i++) {
    char *cand = ib_strfmt(tries[i], norm);
    if (is_regular(app->dir, cand)) {
      free(norm);
      if (ib_ignore_match(&app->ignore, cand, false)) {
        rc = ib_fail(err, -EINVAL, "package.json: main file %s is excluded by %s", cand, IB_APP_IGNORE_FILE);
        free(cand);
        return rc;
      }
      *out = cand;
      return 0;
    }
    free(cand);
  }
  free(norm);
  if (!given) return ib_fail(err, -ENOENT, "package.json: missing \"main\" and no index.js");
  return ib_fail(err, -ENOENT, "package.json: \"main\" file %s not found", main);
}

static int load_runtime_section(json_t *rt, struct ib_config *c, struct ib_error *err) {
  if (!json_is_object(rt)) return ib_fail(err, -EINVAL, "package.json: \"runtimejs\" must be an object");
  json_t *mem = json_object_get(rt, "memory");
  if (mem) {
    if (!json_is_integer(mem) || json_integer_value(mem) < 16 || json_integer_value(mem) > 1 << 20)
      return ib_fail(err, -EINVAL, "package.json: runtimejs.memory must be a number of MiB (at least 16)");
    c->memory_mib = (unsigned)json_integer_value(mem);
  }
  json_t *env = json_object_get(rt, "env"), *v;
  const char *key;
  if (env && !json_is_object(env)) return ib_fail(err, -EINVAL, "package.json: runtimejs.env must be an object");
  json_object_foreach(env, key, v) {
    if (!json_is_string(v)) return ib_fail(err, -EINVAL, "package.json: runtimejs.env.%s must be a string", key);
    int rc = ib_config_set_env(c, key, json_string_value(v), err);
    if (rc < 0) return rc;
  }
  size_t i;
  json_t *args = json_object_get(rt, "args");
  if (args && !json_is_array(args)) return ib_fail(err, -EINVAL, "package.json: runtimejs.args must be an array");
  json_array_foreach(args, i, v) {
    if (!json_is_string(v)) return ib_fail(err, -EINVAL, "package.json: runtimejs.args must be strings");
    ib_config_add_arg(c, json_string_value(v));
  }
  json_t *ports = json_object_get(rt, "ports");
  if (ports && !json_is_array(ports)) return ib_fail(err, -EINVAL, "package.json: runtimejs.ports must be an array");
  json_array_foreach(ports, i, v) {
    if (!json_is_string(v)) return ib_fail(err, -EINVAL, "package.json: runtimejs.ports must be strings like \"80/tcp\"");
    int rc = ib_config_add_port(c, json_string_value(v), err);
    if (rc < 0) return rc;
  }
  return 0;
}

static int load_package_json(struct ib_app *app, struct ib_error *err) {
  char *path = ib_strfmt("%s/package.json", app->dir);
  json_error_t jerr;
  json_t *root = json_load_file(path, 0, &jerr);
  free(path);
  if (!root) {
    if (jerr.line < 0 || jerr.position == 0) {
      if (strstr(jerr.text, "unable to open")) return ib_fail(err, -ENOENT, "package.json: not found in %s", app->dir);
    }
    return ib_fail(err, -EINVAL, "package.json: line %d: %s", jerr.line, jerr.text);
  }
  int rc = 0;
  json_t *name = json_object_get(root, "name"), *version = json_object_get(root, "version");
  json_t *main = json_object_get(root, "main"), *deps = json_object_get(root, "dependencies");
  if (!json_is_object(root))
    rc = ib_fail(err, -EINVAL, "package.json: not a JSON object");
  else if (!json_is_string(name))
    rc = ib_fail(err, -EINVAL, "package.json: missing \"name\"");
  else if (!ib_package_name_valid(json_string_value(name)))
    rc = ib_fail(err, -EINVAL, "package.json: \"%s\" is not a valid package name (lowercase letters, digits, -._~, optional @scope/)",
                 json_string_value(name));
  else if (!json_is_string(version) || json_string_length(version) == 0)
    rc = ib_fail(err, -EINVAL, "package.json: missing \"version\"");
  else if (main && !json_is_string(main))
    rc = ib_fail(err, -EINVAL, "package.json: \"main\" must be a string");
  if (rc == 0) {
    app->config.name = ib_xstrdup(json_string_value(name));
    app->config.version = ib_xstrdup(json_string_value(version));
    app->has_dependencies = json_is_object(deps) && json_object_size(deps) > 0;
    char *rel = NULL;
    rc = resolve_main(app, main ? json_string_value(main) : "index.js", main != NULL, &rel, err);
    if (rc == 0) {
      app->config.main = ib_strfmt("/%s/%s", IB_APP_PREFIX, rel);
      free(rel);
    }
  }
  json_t *rt = json_object_get(root, "runtimejs");
  if (rc == 0 && rt) rc = load_runtime_section(rt, &app->config, err);
  json_decref(root);
  return rc;
}

int ib_app_load(const char *dir, struct ib_app *app, struct ib_error *err) {
  memset(app, 0, sizeof *app);
  ib_config_init(&app->config);
  ib_ignore_init(&app->ignore);
  app->dir = realpath(dir, NULL);
  if (!app->dir) return ib_fail(err, -errno, "%s: %s", dir, strerror(errno));
  char *ignore_path = ib_strfmt("%s/%s", app->dir, IB_APP_IGNORE_FILE);
  int rc = ib_ignore_load(&app->ignore, ignore_path, err);
  free(ignore_path);
  if (rc == 0) rc = load_package_json(app, err);
  if (rc < 0) ib_app_free(app);
  return rc;
}

void ib_app_free(struct ib_app *app) {
  free(app->dir);
  app->dir = NULL;
  ib_config_free(&app->config);
  ib_ignore_free(&app->ignore);
}

/* The npm package a path belongs to: "node_modules/@s/p/x" -> "@s/p"; the app itself otherwise. */
static char *owning_package(const struct ib_app *app, const char *rel) {
  const char *pkg = NULL;
  for (const char *s = rel; (s = strstr(s, "node_modules/")) != NULL; s++)
    if (s == rel || s[-1] == '/') pkg = s + strlen("node_modules/");
  if (!pkg) return ib_strfmt("the app \"%s\" itself", app->config.name);
  size_t len = strcspn(pkg, "/");
  if (pkg[0] == '@' && pkg[len] == '/') len += 1 + strcspn(pkg + len + 1, "/");
  return ib_strfmt("package \"%.*s\"", (int)len, pkg);
}

/* The relative symlink from the folder of link_rel to target_rel (both relative to the app). */
static char *relative_link(const char *link_rel, const char *target_rel) {
  size_t common = 0;
  for (size_t i = 0; link_rel[i] && link_rel[i] == target_rel[i]; i++)
    if (link_rel[i] == '/') common = i + 1;
  size_t ups = 0;
  for (const char *s = link_rel + common; *s; s++)
    if (*s == '/') ups++;
  const char *rest = target_rel + common;
  char *out = ib_xmalloc(ups * 3 + strlen(rest) + 2);
  out[0] = '\0';
  for (size_t i = 0; i < ups; i++) strcat(out, "../");
  strcat(out, rest);
  if (out[0] == '\0') strcpy(out, ".");
  size_t n = strlen(out);
  if (n > 0 && out[n - 1] == '/') out[n - 1] = '\0';
  return out;
}

static int add_symlink(const struct ib_app *app, const char *host, const char *rel, struct ib_entries *entries,
                       struct ib_error *err) {
  char target[PATH_MAX];
  ssize_t n = readlink(host, target, sizeof target - 1);
  if (n < 0) return ib_fail(err, -errno, "%s: %s", rel, strerror(errno));
  target[n] = '\0';
  char *real = realpath(host, NULL);
  if (!real) return ib_fail(err, -ENOENT, "symlink %s -> %s: points to nothing", rel, target);
  size_t dl = strlen(app->dir);
  int rc = 0;
  if (strncmp(real, app->dir, dl) != 0 || (real[dl] != '/' && real[dl] != '\0')) {
    rc = ib_fail(err, -EPERM, "symlink %s -> %s: points outside the app folder", rel, target);
  } else {
    char *link_in_archive = ib_strfmt("%s/%s", IB_APP_PREFIX, rel);
    char *target_in_archive = ib_strfmt("%s%s", IB_APP_PREFIX, real + dl);
    char *relative = relative_link(link_in_archive, target_in_archive);
    ib_entries_add_symlink(entries, link_in_archive, relative);
    free(link_in_archive);
    free(target_in_archive);
    free(relative);
  }
  free(real);
  return rc;
}

static int walk(const struct ib_app *app, const char *rel_dir, struct ib_entries *entries, struct ib_error *err) {
  char *host_dir = rel_dir[0] ? ib_strfmt("%s/%s", app->dir, rel_dir) : ib_xstrdup(app->dir);
  DIR *d = opendir(host_dir);
  if (!d) {
    int rc = ib_fail(err, -errno, "%s: %s", rel_dir[0] ? rel_dir : app->dir, strerror(errno));
    free(host_dir);
    return rc;
  }
  int rc = 0;
  struct dirent *de;
  while (rc == 0 && (errno = 0, de = readdir(d)) != NULL) {
    if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0) continue;
    char *rel = rel_dir[0] ? ib_strfmt("%s/%s", rel_dir, de->d_name) : ib_xstrdup(de->d_name);
    char *host = ib_strfmt("%s/%s", host_dir, de->d_name);
    struct stat st, target_st;
    if (lstat(host, &st) != 0) {
      rc = ib_fail(err, -errno, "%s: %s", rel, strerror(errno));
    } else {
      bool is_dir = S_ISDIR(st.st_mode) || (S_ISLNK(st.st_mode) && stat(host, &target_st) == 0 && S_ISDIR(target_st.st_mode));
      if (ib_ignore_match(&app->ignore, rel, is_dir)) {
        /* excluded */
      } else if (S_ISLNK(st.st_mode)) {
        rc = add_symlink(app, host, rel, entries, err);
      } else if (S_ISDIR(st.st_mode)) {
        char *in_archive = ib_strfmt("%s/%s", IB_APP_PREFIX, rel);
        ib_entries_add_dir(entries, in_archive);
        free(in_archive);
        rc = walk(app, rel, entries, err);
      } else if (S_ISREG(st.st_mode)) {
        size_t nl = strlen(de->d_name);
        if (strcmp(de->d_name, "binding.gyp") == 0 || (nl > 5 && strcmp(de->d_name + nl - 5, ".node") == 0)) {
          char *pkg = owning_package(app, rel);
          rc = ib_fail(err, -ENOTSUP, "%s: native addons cannot run on Runtime.JS (from %s)", rel, pkg);
          free(pkg);
        } else {
          char *in_archive = ib_strfmt("%s/%s", IB_APP_PREFIX, rel);
          ib_entries_add_file(entries, in_archive, host, (st.st_mode & 0111) != 0);
          free(in_archive);
        }
      } else {
        rc = ib_fail(err, -EINVAL, "%s: not a file, folder or symlink", rel);
      }
    }
    free(rel);
    free(host);
  }
  if (rc == 0 && errno != 0) rc = ib_fail(err, -errno, "%s: %s", host_dir, strerror(errno));
  closedir(d);
  free(host_dir);
  return rc;
}

int ib_app_collect(const struct ib_app *app, struct ib_entries *entries, struct ib_error *err) {
  ib_entries_add_dir(entries, IB_APP_PREFIX);
  return walk(app, "", entries, err);
}
