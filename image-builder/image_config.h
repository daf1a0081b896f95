/* The image config, stored in the initrd as /runtime.json and read by the kernel at boot:
 *
 *   {"name":"hello","version":"0.1.0","main":"/app/index.js","env":{"K":"V"},
 *    "args":["--x"],"memory":256,"ports":["8080/tcp"]}
 *
 * Keys always come in this order and env keys are sorted, so equal configs give equal bytes.
 * "main" is an absolute path inside the initrd; "memory" is in MiB; "ports" are the guest
 * ports the app listens on. */
#ifndef IMAGE_BUILDER_IMAGE_CONFIG_H
#define IMAGE_BUILDER_IMAGE_CONFIG_H

#include <stddef.h>

#include "ib_error.h"

#define IB_CONFIG_DEFAULT_MEMORY_MIB 256u
#define IB_CONFIG_PATH "runtime.json" /* its name inside the initrd */

struct ib_env_var {
  char *key;
  char *value;
};

struct ib_config {
  char *name;
  char *version;
  char *main;
  struct ib_env_var *env;
  size_t env_count;
  char **args;
  size_t args_count;
  unsigned memory_mib;
  char **ports; /* "80/tcp", "53/udp" */
  size_t ports_count;
};

void ib_config_init(struct ib_config *c);
void ib_config_free(struct ib_config *c);

/* Sets (or replaces) one environment variable; keys are non-empty and contain no '='. */
int ib_config_set_env(struct ib_config *c, const char *key, const char *value, struct ib_error *err);
void ib_config_add_arg(struct ib_config *c, const char *arg);
/* Accepts "80", "80/tcp" or "53/udp"; stores the "/tcp" default explicitly. */
int ib_config_add_port(struct ib_config *c, const char *spec, struct ib_error *err);

/* Serialises to compact JSON followed by a newline; *json is malloc'd. */
int ib_config_to_json(const struct ib_config *c, char **json, struct ib_error *err);
int ib_config_from_json(const char *json, struct ib_config *c, struct ib_error *err);
/* Reads and parses the config file at path. */
int ib_config_load(const char *path, struct ib_config *c, struct ib_error *err);

/* Parses a port number 1..65535 from the whole of [s, s+len). Returns 0 when invalid. */
unsigned ib_port_number(const char *s, size_t len);

#endif
