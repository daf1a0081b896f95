/* The Docker config: base64, reading auths (several key forms), writing (other keys kept,
 * mode 0600), removing, $DOCKER_CONFIG, credential helpers refused. */
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "check.h"
#include "docker_config.h"
#include "test_helpers.h"

static void base64(void) {
  char *e = reg_base64_encode("user:pass", 9);
  CHECK_STR(e, "dXNlcjpwYXNz");
  free(e);
  e = reg_base64_encode("a", 1);
  CHECK_STR(e, "YQ==");
  free(e);
  char *d;
  size_t len;
  CHECK_EQ(reg_base64_decode("YQ==", &d, &len), 0);
  CHECK_EQ(len, 1);
  CHECK_STR(d, "a");
  free(d);
  CHECK_EQ(reg_base64_decode("YWI=", &d, &len), 0);
  CHECK_EQ(len, 2);
  CHECK_STR(d, "ab");
  free(d);
  CHECK_EQ(reg_base64_decode("YWJj", &d, &len), 0);
  CHECK_STR(d, "abc");
  free(d);
  CHECK_EQ(reg_base64_decode("YWJ", &d, &len), -22);
  CHECK_EQ(reg_base64_decode("Y!==", &d, &len), -22);
}

int main(void) {
  base64();
  char *dir = test_dir();
  struct ib_error err;
  struct reg_credentials c;

  /* $DOCKER_CONFIG wins over $HOME. */
  setenv("HOME", "/nonexistent-home", 1);
  setenv("DOCKER_CONFIG", dir, 1);
  char *path;
  CHECK_EQ(docker_config_path(&path, &err), 0);
  char *want = ib_strfmt("%s/config.json", dir);
  CHECK_STR(path, want);
  free(want);
  free(path);
  unsetenv("DOCKER_CONFIG");
  CHECK_EQ(docker_config_path(&path, &err), 0);
  CHECK_STR(path, "/nonexistent-home/.docker/config.json");
  free(path);

  /* A file as the Docker CLI leaves it: other keys, https:// keys, username/password form. */
  put(dir, "config.json",
      "{\"auths\":{\"https://reg.example:5000/v1/\":{\"auth\":\"YWxpY2U6czNjcjN0\"},"
      "\"other.example\":{\"username\":\"bob\",\"password\":\"pw\"},\"bad.example\":{\"auth\":\"bm9jb2xvbg==\"}},"
      "\"psFormat\":\"table\",\"HttpHeaders\":{\"X-A\":\"1\"}}");
  char *cfg = ib_strfmt("%s/config.json", dir);
  CHECK_EQ(docker_config_get(cfg, "reg.example:5000", &c, &err), 0);
  CHECK_STR(c.user, "alice");
  CHECK_STR(c.password, "s3cr3t");
  reg_credentials_free(&c);
  CHECK_EQ(docker_config_get(cfg, "other.example", &c, &err), 0);
  CHECK_STR(c.user, "bob");
  CHECK_STR(c.password, "pw");
  reg_credentials_free(&c);
  CHECK_EQ(docker_config_get(cfg, "bad.example", &c, &err), -22);
  CHECK_CONTAINS(err.msg, "not base64 of USER:PASSWORD");
  CHECK_EQ(docker_config_get(cfg, "reg.example", &c, &err), -2); /* the port is part of the key */
  CHECK_CONTAINS(err.msg, "no credentials for reg.example");

  /* Set: replaces the https:// entry, keeps the other keys, mode 0600. */
  struct reg_credentials carol = {"carol", "p:w"};
  CHECK_EQ(docker_config_set(cfg, "reg.example:5000", &carol, &err), 0);
  CHECK_EQ(docker_config_get(cfg, "reg.example:5000", &c, &err), 0);
  CHECK_STR(c.user, "carol");
  CHECK_STR(c.password, "p:w"); /* only the first ':' separates */
  reg_credentials_free(&c);
  char *text;
  CHECK_EQ(ib_read_file(cfg, &text, NULL, &err), 0);
  CHECK_CONTAINS(text, "\"psFormat\": \"table\"");
  CHECK_CONTAINS(text, "\"X-A\": \"1\"");
  CHECK_CONTAINS(text, "\"reg.example:5000\"");
  CHECK_CONTAINS(text, "\"auth\": \"Y2Fyb2w6cDp3\"");
  CHECK(!strstr(text, "https://reg.example"));
  CHECK(!strstr(text, "carol")); /* never in clear */
  free(text);
  struct stat st;
  CHECK_EQ(stat(cfg, &st), 0);
  CHECK_EQ(st.st_mode & 0777, 0600);

  /* Remove: gone, the rest stays; removing again is -ENOENT. */
  CHECK_EQ(docker_config_remove(cfg, "reg.example:5000", &err), 0);
  CHECK_EQ(docker_config_get(cfg, "reg.example:5000", &c, &err), -2);
  CHECK_EQ(docker_config_get(cfg, "other.example", &c, &err), 0);
  reg_credentials_free(&c);
  CHECK_EQ(docker_config_remove(cfg, "reg.example:5000", &err), -2);
  CHECK_CONTAINS(err.msg, "not logged in to reg.example:5000");

  /* A missing file: nothing stored; set creates it (and its private folder). */
  char *fresh = ib_strfmt("%s/new/.docker/config.json", dir);
  CHECK_EQ(docker_config_get(fresh, "localhost:5000", &c, &err), -2);
  CHECK_EQ(docker_config_set(fresh, "localhost:5000", &carol, &err), 0);
  CHECK_EQ(ib_read_file(fresh, &text, NULL, &err), 0);
  CHECK_STR(text, "{\n \"auths\": {\n  \"localhost:5000\": {\n   \"auth\": \"Y2Fyb2w6cDp3\"\n  }\n }\n}\n");
  free(text);
  char *folder = ib_strfmt("%s/new/.docker", dir);
  CHECK_EQ(stat(folder, &st), 0);
  CHECK_EQ(st.st_mode & 0777, 0700);

  /* Not JSON: an error, and the file is left alone. */
  put(dir, "broken.json", "{\"auths\":");
  char *broken = ib_strfmt("%s/broken.json", dir);
  CHECK_EQ(docker_config_set(broken, "localhost:5000", &carol, &err), -22);
  CHECK_CONTAINS(err.msg, "not JSON");
  CHECK_EQ(ib_read_file(broken, &text, NULL, &err), 0);
  CHECK_STR(text, "{\"auths\":");
  free(text);

  /* A credential helper (credsStore, or credHelpers for one registry): rtctl neither writes
   * a plain password beside it nor pretends there are no credentials. */
  put(dir, "helper.json",
      "{\"auths\":{\"a.example\":{\"auth\":\"YWxpY2U6czNjcjN0\"}},\"credHelpers\":{\"h.example\":\"pass\"}}");
  char *helper = ib_strfmt("%s/helper.json", dir);
  CHECK_EQ(docker_config_get(helper, "a.example", &c, &err), 0); /* its own entry still reads */
  reg_credentials_free(&c);
  CHECK_EQ(docker_config_get(helper, "h.example", &c, &err), -ENOTSUP);
  CHECK_CONTAINS(err.msg, "docker-credential-pass");
  CHECK_CONTAINS(err.msg, "DOCKER_CONFIG");
  CHECK_EQ(docker_config_set(helper, "h.example", &carol, &err), -ENOTSUP);
  CHECK_EQ(docker_config_get(helper, "b.example", &c, &err), -ENOENT); /* no helper for it */
  put(dir, "store.json", "{\"credsStore\":\"desktop\"}");
  char *store = ib_strfmt("%s/store.json", dir);
  CHECK_EQ(docker_config_set(store, "b.example", &carol, &err), -ENOTSUP);
  CHECK_CONTAINS(err.msg, "docker-credential-desktop");
  CHECK_EQ(ib_read_file(store, &text, NULL, &err), 0);
  CHECK_STR(text, "{\"credsStore\":\"desktop\"}"); /* untouched */
  free(text);
  free(helper);
  free(store);

  ib_remove_tree(dir);
  free(broken);
  free(folder);
  free(fresh);
  free(cfg);
  free(dir);
  return CHECK_DONE();
}
