#include <errno.h>
#include <unistd.h>

#include "app_package.h"
#include "check.h"
#include "test_helpers.h"

static int load(const char *dir, struct ib_app *app, struct ib_error *err) {
  return ib_app_load(dir, app, err);
}

static const char *find(const struct ib_entries *e, const char *path) {
  for (size_t i = 0; i < e->count; i++)
    if (strcmp(e->v[i].path, path) == 0) return e->v[i].kind == IB_ENTRY_SYMLINK ? e->v[i].data : "";
  return NULL;
}

int main(void) {
  struct ib_error err;
  struct ib_app app;
  char *d = test_dir();

  put(d, "a/package.json", "{\"name\":\"a\",\"version\":\"1.0.0\",\"dependencies\":{\"x\":\"1\"}}");
  put(d, "a/index.js", "1");
  put(d, "a/debug.log", "x");
  put(d, "a/.git/config", "x");
  put(d, "a/.rtignore", "*.log\n");
  put(d, "a/node_modules/x/lib/x.js", "x");
  char *a = ib_strfmt("%s/a", d);
  CHECK(load(a, &app, &err) == 0);
  CHECK_STR(app.config.main, "/app/index.js");
  CHECK(app.has_dependencies);
  char *ln = ib_strfmt("%s/a/node_modules/x.js", d);
  CHECK(symlink("x/lib/x.js", ln) == 0);
  struct ib_entries e = {0};
  CHECK(ib_app_collect(&app, &e, &err) == 0);
  CHECK(find(&e, "app/index.js") != NULL);
  CHECK(find(&e, "app/node_modules/x/lib/x.js") != NULL);
  CHECK_STR(find(&e, "app/node_modules/x.js"), "x/lib/x.js");
  CHECK(find(&e, "app/debug.log") == NULL);
  CHECK(find(&e, "app/.git") == NULL && find(&e, "app/.git/config") == NULL);
  ib_entries_free(&e);

  /* A symlink escaping the app is refused. */
  char *esc = ib_strfmt("%s/a/escape", d);
  CHECK(symlink("../../", esc) == 0);
  CHECK(ib_app_collect(&app, &e, &err) == -EPERM);
  CHECK_CONTAINS(err.msg, "symlink escape -> ../../: points outside the app folder");
  ib_entries_free(&e);
  unlink(esc);
  CHECK(symlink("/etc/passwd", esc) == 0);
  CHECK(ib_app_collect(&app, &e, &err) == -EPERM);
  ib_entries_free(&e);
  unlink(esc);

  /* Native addons are refused, naming the package. */
  put(d, "a/node_modules/@s/native/build/Release/n.node", "x");
  CHECK(ib_app_collect(&app, &e, &err) == -ENOTSUP);
  CHECK_CONTAINS(err.msg, "package \"@s/native\"");
  ib_entries_free(&e);
  char *node = ib_strfmt("%s/a/node_modules/@s/native/build/Release/n.node", d);
  unlink(node);
  put(d, "a/node_modules/gyp/binding.gyp", "x");
  CHECK(ib_app_collect(&app, &e, &err) == -ENOTSUP);
  CHECK_CONTAINS(err.msg, "package \"gyp\"");
  ib_entries_free(&e);
  ib_app_free(&app);

  /* package.json errors. */
  put(d, "b/package.json", "{\"name\":\"b\",\"version\":\"1.0.0\"}");
  char *b = ib_strfmt("%s/b", d);
  CHECK(load(b, &app, &err) == -ENOENT);
  CHECK_STR(err.msg, "package.json: missing \"main\" and no index.js");
  put(d, "b/package.json", "{\"name\":\"b\",\"version\":\"1.0.0\",\"main\":\"../x.js\"}");
  CHECK(load(b, &app, &err) == -EINVAL);
  CHECK_CONTAINS(err.msg, "leaves the app folder");
  put(d, "b/package.json", "{\"name\":\"b\",\"version\":\"1.0.0\",\"main\":\"/etc/passwd\"}");
  CHECK(load(b, &app, &err) == -EINVAL);
  CHECK_CONTAINS(err.msg, "absolute path");
  put(d, "b/package.json", "{\"name\":\"Bad Name\",\"version\":\"1.0.0\"}");
  CHECK(load(b, &app, &err) == -EINVAL);
  put(d, "b/package.json", "{\"name\":\"b\",\"version\":\"1\",\"main\":\"./lib/start\","
                           "\"runtimejs\":{\"memory\":64,\"env\":{\"K\":\"V\"},\"ports\":[\"80\"]}}");
  put(d, "b/lib/start.js", "x");
  CHECK(load(b, &app, &err) == 0);
  CHECK_STR(app.config.main, "/app/lib/start.js");
  CHECK(app.config.memory_mib == 64 && app.config.env_count == 1 && app.config.ports_count == 1);
  CHECK(!app.has_dependencies);
  ib_app_free(&app);

  CHECK(ib_package_name_valid("hello") && ib_package_name_valid("@scope/x-y.z"));
  CHECK(!ib_package_name_valid("Hello") && !ib_package_name_valid("../x") && !ib_package_name_valid(".x") &&
        !ib_package_name_valid("a/b") && !ib_package_name_valid(""));

  ib_remove_tree(d);
  free(d);
  free(a);
  free(b);
  free(ln);
  free(esc);
  free(node);
  return CHECK_DONE();
}
