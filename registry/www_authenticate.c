#include "www_authenticate.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fs_util.h"

/* RFC 7230 tchar. */
static bool is_tchar(char c) {
  return isalnum((unsigned char)c) || (c && strchr("!#$%&'*+-.^_`|~", c));
}

static bool is_token68_char(char c) {
  return isalnum((unsigned char)c) || (c && strchr("-._~+/", c));
}

static const char *skip_ws(const char *p) {
  while (*p == ' ' || *p == '\t') p++;
  return p;
}

static size_t token_len(const char *p) {
  size_t n = 0;
  while (is_tchar(p[n])) n++;
  return n;
}

static void add_param(struct reg_challenge *c, char *name, char *value) {
  c->params = ib_xrealloc(c->params, (c->count + 1) * sizeof *c->params);
  c->params[c->count++] = (struct reg_auth_param){name, value};
}

/* A quoted-string starting at *p (on the opening quote); advances past the closing one. */
static char *quoted(const char **p) {
  const char *s = *p + 1;
  char *out = ib_xmalloc(strlen(s) + 1);
  size_t n = 0;
  for (; *s && *s != '"'; s++) {
    if (*s == '\\') {
      if (!s[1]) break;
      s++;
    }
    out[n++] = *s;
  }
  if (*s != '"') {
    free(out);
    return NULL;
  }
  out[n] = '\0';
  *p = s + 1;
  return out;
}

void reg_challenges_free(struct reg_challenges *cs) {
  for (size_t i = 0; i < cs->count; i++) {
    struct reg_challenge *c = &cs->v[i];
    for (size_t j = 0; j < c->count; j++) {
      free(c->params[j].name);
      free(c->params[j].value);
    }
    free(c->params);
    free(c->scheme);
  }
  free(cs->v);
  memset(cs, 0, sizeof *cs);
}

/* Parses the params after a scheme, up to the next challenge or the end. */
static int parse_params(const char **pp, struct reg_challenge *c, struct ib_error *err) {
  const char *p = *pp;
  bool first = true;
  for (;;) {
    p = skip_ws(p);
    while (*p == ',' || *p == ' ' || *p == '\t') p++;
    if (!*p) break;
    size_t n = token_len(p);
    const char *after = skip_ws(p + n);
    if (n > 0 && *after == '=' && after[1] != '=') {
      const char *v = skip_ws(after + 1);
      char *value;
      if (*v == '"') {
        value = quoted(&v);
        if (!value) return ib_fail(err, -EINVAL, "WWW-Authenticate: unterminated quoted string");
      } else {
        size_t vn = token_len(v);
        if (vn == 0) return ib_fail(err, -EINVAL, "WWW-Authenticate: parameter \"%.*s\" has no value", (int)n, p);
        value = strndup(v, vn);
        v += vn;
      }
      char *name = strndup(p, n);
      for (char *q = name; *q; q++) *q = (char)tolower((unsigned char)*q);
      add_param(c, name, value);
      p = skip_ws(v);
      if (*p && *p != ',') return ib_fail(err, -EINVAL, "WWW-Authenticate: unexpected \"%c\" after a parameter", *p);
    } else if (first && n > 0 && (is_token68_char(*p))) {
      /* token68: only directly after the scheme, and alone. */
      size_t t = 0;
      while (is_token68_char(p[t])) t++;
      while (p[t] == '=') t++;
      const char *end = skip_ws(p + t);
      if (*end && *end != ',') break; /* not a token68: the next challenge's scheme */
      add_param(c, ib_xstrdup(""), strndup(p, t));
      p = end;
      break;
    } else {
      break; /* the next challenge's scheme */
    }
    first = false;
  }
  *pp = p;
  return 0;
}

int reg_www_authenticate_parse(const char *header, struct reg_challenges *out, struct ib_error *err) {
  memset(out, 0, sizeof *out);
  const char *p = header ? header : "";
  int rc = 0;
  for (;;) {
    p = skip_ws(p);
    while (*p == ',' || *p == ' ' || *p == '\t') p++;
    if (!*p) break;
    size_t n = token_len(p);
    if (n == 0) {
      rc = ib_fail(err, -EINVAL, "WWW-Authenticate: unexpected \"%c\" where a scheme should be", *p);
      break;
    }
    out->v = ib_xrealloc(out->v, (out->count + 1) * sizeof *out->v);
    struct reg_challenge *c = &out->v[out->count++];
    memset(c, 0, sizeof *c);
    c->scheme = strndup(p, n);
    p += n;
    if (*p && *p != ' ' && *p != '\t' && *p != ',') {
      rc = ib_fail(err, -EINVAL, "WWW-Authenticate: unexpected \"%c\" after scheme %s", *p, c->scheme);
      break;
    }
    if (*p == ',') continue;
    rc = parse_params(&p, c, err);
    if (rc < 0) break;
  }
  if (rc == 0 && out->count == 0) rc = ib_fail(err, -EINVAL, "WWW-Authenticate: no challenge");
  if (rc < 0) reg_challenges_free(out);
  return rc;
}

const struct reg_challenge *reg_challenge_find(const struct reg_challenges *cs, const char *scheme) {
  for (size_t i = 0; i < cs->count; i++)
    if (strcasecmp(cs->v[i].scheme, scheme) == 0) return &cs->v[i];
  return NULL;
}

const char *reg_challenge_param(const struct reg_challenge *c, const char *name) {
  for (size_t i = 0; i < c->count; i++)
    if (strcasecmp(c->params[i].name, name) == 0) return c->params[i].value;
  return NULL;
}
