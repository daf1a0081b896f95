#include "image_config.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "fs_util.h"

void ib_config_init(struct ib_config *c) {
  memset(c, 0, sizeof *c);
  c->memory_mib = IB_CONFIG_DEFAULT_MEMORY_MIB;
}

void ib_config_free(struct ib_config *c) {
  free(c->name);
  free(c->version);
  free(c->main);
  for (size_t i = 0; i < c->env_count; i++) {
    free(c->env[i].key);
    free(c->env[i].value);
  }
  free(c->env);
  for (size_t i = 0; i < c->args_count; i++) free(c->args[i]);
  free(c->args);
  for (size_t i = 0; i < c->ports_count; i++) free(c->ports[i]);
  free(c->ports);
  ib_config_init(c);
}

int ib_config_set_env(struct ib_config *c, const char *key, const char *value, struct ib_error *err) {
  if (key[0] == '\0' || strchr(key, '='))
    return ib_fail(err, -EINVAL, "env: invalid variable name \"%s\"", key);
  for (size_t i = 0; i < c->env_count; i++) {
    if (strcmp(c->env[i].key, key) == 0) {
      free(c->env[i].value);
      c->env[i].value = ib_xstrdup(value);
      return 0;
    }
  }
  c->env = ib_xrealloc(c->env, (c->env_count + 1) * sizeof *c->env);
  c->env[c->env_count++] = (struct ib_env_var){ib_xstrdup(key), ib_xstrdup(value)};
  return 0;
}

void ib_config_add_arg(struct ib_config *c, const char *arg) {
  c->args = ib_xrealloc(c->args, (c->args_count + 1) * sizeof *c->args);
  c->args[c->args_count++] = ib_xstrdup(arg);
}

unsigned ib_port_number(const char *s, size_t len) {
  if (len == 0 || len > 5) return 0;
  unsigned v = 0;
  for (size_t i = 0; i < len; i++) {
    if (s[i] < '0' || s[i] > '9') return 0;
    v = v * 10 + (unsigned)(s[i] - '0');
  }
  return v <= 65535 ? v : 0;
}

int ib_config_add_port(struct ib_config *c, const char *spec, struct ib_error *err) {
  const char *slash = strchr(spec, '/');
  size_t len = slash ? (size_t)(slash - spec) : strlen(spec);
  const char *proto = slash ? slash + 1 : "tcp";
  unsigned port = ib_port_number(spec, len);
  if (port == 0 || (strcmp(proto, "tcp") != 0 && strcmp(proto, "udp") != 0))
    return ib_fail(err, -EINVAL, "ports: \"%s\" is not PORT, PORT/tcp or PORT/udp (PORT 1-65535)", spec);
  c->ports = ib_xrealloc(c->ports, (c->ports_count + 1) * sizeof *c->ports);
  c->ports[c->ports_count++] = ib_strfmt("%u/%s", port, proto);
  return 0;
}

static int env_cmp(const void *a, const void *b) {
  return strcmp(((const struct ib_env_var *)a)->key, ((const struct ib_env_var *)b)->key);
}

int ib_config_to_json(const struct ib_config *c, char **json, struct ib_error *err) {
  if (!c->name || !c->version || !c->main) return ib_fail(err, -EINVAL, "image config: name, version and main are required");
  json_t *root = json_object();
  json_object_set_new(root, "name", json_string(c->name));
  json_object_set_new(root, "version", json_string(c->version));
  json_object_set_new(root, "main", json_string(c->main));
  struct ib_env_var *sorted = ib_xmalloc(c->env_count * sizeof *sorted);
  if (c->env_count) memcpy(sorted, c->env, c->env_count * sizeof *sorted);
  qsort(sorted, c->env_count, sizeof *sorted, env_cmp);
  json_t *env = json_object();
  for (size_t i = 0; i < c->env_count; i++) json_object_set_new(env, sorted[i].key, json_string(sorted[i].value));
  free(sorted);
  json_object_set_new(root, "env", env);
  json_t *args = json_array();
  for (size_t i = 0; i < c->args_count; i++) json_array_append_new(args, json_string(c->args[i]));
  json_object_set_new(root, "args", args);
  json_object_set_new(root, "memory", json_integer(c->memory_mib));
  json_t *ports = json_array();
  for (size_t i = 0; i < c->ports_count; i++) json_array_append_new(ports, json_string(c->ports[i]));
  json_object_set_new(root, "ports", ports);
  char *text = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
  json_decref(root);
  if (!text) return ib_fail(err, -EINVAL, "image config: not representable as JSON (invalid UTF-8?)");
  *json = ib_strfmt("%s\n", text);
  free(text);
  return 0;
}

static int string_field(json_t *root, const char *key, char **out, struct ib_error *err) {
  json_t *v = json_object_get(root, key);
  if (!json_is_string(v)) return ib_fail(err, -EINVAL, "image config: \"%s\" must be a string", key);
  *out = ib_xstrdup(json_string_value(v));
  return 0;
}

int ib_config_from_json(const char *text, struct ib_config *c, struct ib_error *err) {
  json_error_t jerr;
  ib_config_init(c);
  json_t *root = json_loads(text, 0, &jerr);
  if (!root) return ib_fail(err, -EINVAL, "image config: line %d: %s", jerr.line, jerr.text);
  int rc = 0;
  if (!json_is_object(root)) rc = ib_fail(err, -EINVAL, "image config: not a JSON object");
  if (rc == 0) rc = string_field(root, "name", &c->name, err);
  if (rc == 0) rc = string_field(root, "version", &c->version, err);
  if (rc == 0) rc = string_field(root, "main", &c->main, err);
  json_t *env = rc == 0 ? json_object_get(root, "env") : NULL;
  if (env) {
    const char *key;
    json_t *val;
    json_object_foreach(env, key, val) {
      if (!json_is_string(val)) {
        rc = ib_fail(err, -EINVAL, "image config: env.%s must be a string", key);
        break;
      }
      if ((rc = ib_config_set_env(c, key, json_string_value(val), err)) < 0) break;
    }
  }
  json_t *args = rc == 0 ? json_object_get(root, "args") : NULL;
  size_t i;
  json_t *item;
  if (args) json_array_foreach(args, i, item) {
      if (!json_is_string(item)) {
        rc = ib_fail(err, -EINVAL, "image config: args must be strings");
        break;
      }
      ib_config_add_arg(c, json_string_value(item));
    }
  json_t *mem = rc == 0 ? json_object_get(root, "memory") : NULL;
  if (mem) {
    if (!json_is_integer(mem) || json_integer_value(mem) < 1 || json_integer_value(mem) > 1 << 20)
      rc = ib_fail(err, -EINVAL, "image config: memory must be a number of MiB");
    else
      c->memory_mib = (unsigned)json_integer_value(mem);
  }
  json_t *ports = rc == 0 ? json_object_get(root, "ports") : NULL;
  if (ports) json_array_foreach(ports, i, item) {
      if (!json_is_string(item)) {
        rc = ib_fail(err, -EINVAL, "image config: ports must be strings like \"80/tcp\"");
        break;
      }
      if ((rc = ib_config_add_port(c, json_string_value(item), err)) < 0) break;
    }
  json_decref(root);
  if (rc < 0) ib_config_free(c);
  return rc;
}

int ib_config_load(const char *path, struct ib_config *c, struct ib_error *err) {
  char *json;
  int rc = ib_read_file(path, &json, NULL, err);
  if (rc < 0) return rc;
  rc = ib_config_from_json(json, c, err);
  free(json);
  return rc;
}
