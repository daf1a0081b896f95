/* Registry credentials the way the Docker CLI keeps them: $DOCKER_CONFIG/config.json (default
 * ~/.docker/config.json), {"auths": {"HOST[:PORT]": {"auth": base64("user:password")}}}.
 * Writes keep every other key of the file, create it with mode 0600 and replace it atomically.
 * Credential helpers (credsStore, credHelpers) are not used. */
#ifndef REGISTRY_DOCKER_CONFIG_H
#define REGISTRY_DOCKER_CONFIG_H

#include <stddef.h>

#include "ib_error.h"

struct reg_credentials {
  char *user;
  char *password;
};

/* $DOCKER_CONFIG/config.json, else $HOME/.docker/config.json. */
int docker_config_path(char **path, struct ib_error *err);

/* The credentials stored for registry ("host:port"; keys written as "https://host:port" or
 * with a path also match). -ENOENT when there are none (a missing file included). */
int docker_config_get(const char *path, const char *registry, struct reg_credentials *cred, struct ib_error *err);
int docker_config_set(const char *path, const char *registry, const struct reg_credentials *cred,
                      struct ib_error *err);
/* -ENOENT when there was nothing to remove. */
int docker_config_remove(const char *path, const char *registry, struct ib_error *err);

/* Wipes and frees the strings. */
void reg_credentials_free(struct reg_credentials *cred);

/* Standard base64 with padding; decode returns -EINVAL on bad input. Results are malloc'd
 * and NUL-terminated. */
char *reg_base64_encode(const void *data, size_t len);
int reg_base64_decode(const char *text, char **data, size_t *len);

#endif
