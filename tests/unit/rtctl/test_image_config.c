#include <errno.h>
#include <stdlib.h>

#include "check.h"
#include "image_config.h"
#include "test_helpers.h"

int main(void) {
  struct ib_config c;
  struct ib_error err;
  ib_config_init(&c);
  c.name = strdup("hello");
  c.version = strdup("0.1.0");
  c.main = strdup("/app/index.js");
  CHECK(ib_config_set_env(&c, "ZED", "1", &err) == 0);
  CHECK(ib_config_set_env(&c, "ALPHA", "a \"q\"", &err) == 0);
  CHECK(ib_config_set_env(&c, "ZED", "2", &err) == 0); /* replaces */
  CHECK(ib_config_set_env(&c, "A=B", "x", &err) == -EINVAL);
  CHECK(ib_config_set_env(&c, "", "x", &err) == -EINVAL);
  ib_config_add_arg(&c, "--flag");
  CHECK(ib_config_add_port(&c, "8080", &err) == 0);
  CHECK(ib_config_add_port(&c, "53/udp", &err) == 0);
  CHECK(ib_config_add_port(&c, "0", &err) == -EINVAL);
  CHECK(ib_config_add_port(&c, "80/sctp", &err) == -EINVAL);
  c.memory_mib = 128;
  char *json = NULL;
  CHECK(ib_config_to_json(&c, &json, &err) == 0);
  CHECK_STR(json,
            "{\"name\":\"hello\",\"version\":\"0.1.0\",\"main\":\"/app/index.js\","
            "\"env\":{\"ALPHA\":\"a \\\"q\\\"\",\"ZED\":\"2\"},\"args\":[\"--flag\"],\"memory\":128,"
            "\"ports\":[\"8080/tcp\",\"53/udp\"]}\n");

  struct ib_config back;
  CHECK(ib_config_from_json(json, &back, &err) == 0);
  char *again = NULL;
  CHECK(ib_config_to_json(&back, &again, &err) == 0);
  CHECK_STR(again, json);
  ib_config_free(&back);

  CHECK(ib_config_from_json("{\"name\":1}", &back, &err) == -EINVAL);
  CHECK_CONTAINS(err.msg, "\"name\" must be a string");
  CHECK(ib_config_from_json("{", &back, &err) == -EINVAL);

  /* ib_config_load: the same parse from a file; a missing file is an error naming it. */
  char *dir = test_dir();
  put(dir, "runtime.json", json);
  char *path = ib_strfmt("%s/runtime.json", dir);
  CHECK(ib_config_load(path, &back, &err) == 0);
  CHECK_STR(back.name, c.name);
  CHECK(back.memory_mib == c.memory_mib && back.env_count == c.env_count);
  ib_config_free(&back);
  free(path);
  path = ib_strfmt("%s/missing.json", dir);
  CHECK(ib_config_load(path, &back, &err) == -ENOENT);
  CHECK_CONTAINS(err.msg, "missing.json");
  free(path);
  ib_remove_tree(dir);
  free(dir);

  struct ib_config empty;
  ib_config_init(&empty);
  CHECK(ib_config_to_json(&empty, &again, &err) == -EINVAL);
  free(json);
  free(again);
  ib_config_free(&c);
  return CHECK_DONE();
}
