/* rtctl new NAME: a fresh app folder, written to a temporary folder then renamed into place. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app_package.h"
#include "fs_util.h"
#include "parse_options.h"
#include "rtctl.h"

static const char usage[] = "rtctl new NAME";

static int write_template(const char *dir, const char *name, struct ib_error *err) {
  char *pj = ib_strfmt("{\n  \"name\": \"%s\",\n  \"version\": \"0.1.0\",\n  \"main\": \"index.js\",\n  \"private\": true\n}\n", name);
  char *js = ib_strfmt("console.log(\"Hello from %s!\");\n", name);
  const char *ignore =
      "# Files left out of the image (gitignore-like: globs, trailing / for folders, ! to re-include).\n"
      "*.log\n"
      ".DS_Store\n";
  const char *names[] = {"package.json", "index.js", IB_APP_IGNORE_FILE};
  const char *texts[] = {pj, js, ignore};
  int rc = 0;
  for (size_t i = 0; i < 3 && rc == 0; i++) {
    char *path = ib_strfmt("%s/%s", dir, names[i]);
    rc = ib_write_file_atomic(path, texts[i], strlen(texts[i]), err);
    free(path);
  }
  free(pj);
  free(js);
  return rc;
}

int cmd_new(int argc, char **argv) {
  const struct rt_option opts[] = {RT_OPTION_END};
  int n = rt_parse_options("new", argc, argv, opts, usage);
  if (n == RT_PARSE_HELP) return 0;
  if (n < 0) return RTCTL_EXIT_USAGE;
  if (n != 1) {
    rtctl_error("new", "expects one app name (usage: %s)", usage);
    return RTCTL_EXIT_USAGE;
  }
  const char *name = argv[0];
  if (!ib_package_name_valid(name) || name[0] == '@') {
    rtctl_error("new", "\"%s\" is not a valid app name (lowercase letters, digits, -._~)", name);
    return RTCTL_EXIT_USAGE;
  }
  struct stat st;
  if (lstat(name, &st) == 0) {
    rtctl_error("new", "%s: already exists, not overwriting it", name);
    return RTCTL_EXIT_FAILURE;
  }
  struct ib_error err;
  char *tmp = ib_strfmt(".%s.new.XXXXXX", name);
  int rc = 0;
  if (!mkdtemp(tmp)) rc = ib_fail(&err, -errno, "%s: %s", name, strerror(errno));
  if (rc == 0 && chmod(tmp, 0755) != 0) rc = ib_fail(&err, -errno, "%s: %s", tmp, strerror(errno));
  if (rc == 0) rc = write_template(tmp, name, &err);
  /* rename() would replace an empty folder created meanwhile: check again just before. */
  if (rc == 0 && lstat(name, &st) == 0) rc = ib_fail(&err, -EEXIST, "%s: already exists, not overwriting it", name);
  if (rc == 0 && rename(tmp, name) != 0) rc = ib_fail(&err, -errno, "%s: %s", name, strerror(errno));
  if (rc < 0) {
    ib_remove_tree(tmp);
    free(tmp);
    rtctl_error("new", "%s", err.msg);
    return RTCTL_EXIT_FAILURE;
  }
  free(tmp);
  printf("Created the app \"%s\" in %s/ (package.json, index.js, %s).\n", name, name, IB_APP_IGNORE_FILE);
  printf("Next:\n  cd %s\n  rtctl run        # builds it and boots it in QEMU\n", name);
  return 0;
}
