/* The WWW-Authenticate header (RFC 7235): one or more challenges, each a scheme and either
 * auth-params (name=token or name="quoted string", backslash escapes) or a token68:
 *
 *   Bearer realm="https://auth.example/token",service="registry",scope="repository:a:pull"
 *   Basic realm="registry", Bearer realm="..."
 */
#ifndef REGISTRY_WWW_AUTHENTICATE_H
#define REGISTRY_WWW_AUTHENTICATE_H

#include <stddef.h>

#include "ib_error.h"

struct reg_auth_param {
  char *name;  /* lowercased; "" for a token68 */
  char *value; /* unquoted, escapes resolved */
};

struct reg_challenge {
  char *scheme; /* as sent; compare case-insensitively */
  struct reg_auth_param *params;
  size_t count;
};

struct reg_challenges {
  struct reg_challenge *v;
  size_t count;
};

int reg_www_authenticate_parse(const char *header, struct reg_challenges *out, struct ib_error *err);
void reg_challenges_free(struct reg_challenges *c);

/* The challenge of that scheme (case-insensitive), or NULL. */
const struct reg_challenge *reg_challenge_find(const struct reg_challenges *c, const char *scheme);
/* A parameter's value (name case-insensitive), or NULL. */
const char *reg_challenge_param(const struct reg_challenge *c, const char *name);

#endif
