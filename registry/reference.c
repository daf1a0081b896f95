#include "reference.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "app_package.h"
#include "digest.h"
#include "fs_util.h"

static bool is_lower_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool reg_tag_valid(const char *tag) {
  size_t n = strlen(tag);
  if (n == 0 || n > 128 || tag[0] == '.' || tag[0] == '-') return false;
  return strspn(tag, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") == n;
}

/* One component: alnum runs separated by '.', '_', "__" or runs of '-'. */
static bool component_valid(const char *s, size_t n) {
  if (n == 0 || !is_lower_alnum(s[0]) || !is_lower_alnum(s[n - 1])) return false;
  for (size_t i = 0; i < n; i++) {
    if (is_lower_alnum(s[i])) continue;
    size_t j = i;
    while (j < n && !is_lower_alnum(s[j])) j++;
    size_t run = j - i;
    bool dashes = strspn(s + i, "-") >= run;
    if (!(dashes || (run == 1 && (s[i] == '.' || s[i] == '_')) || (run == 2 && s[i] == '_' && s[i + 1] == '_')))
      return false;
    i = j - 1;
  }
  return true;
}

bool reg_repository_valid(const char *repo) {
  size_t n = strlen(repo);
  if (n == 0 || n > 255) return false;
  for (const char *p = repo;;) {
    const char *slash = strchr(p, '/');
    size_t len = slash ? (size_t)(slash - p) : strlen(p);
    if (!component_valid(p, len)) return false;
    if (!slash) return true;
    p = slash + 1;
  }
}

static bool looks_like_host(const char *s, size_t n) {
  if (n == 9 && strncmp(s, "localhost", 9) == 0) return true;
  if (n > 0 && s[0] == '[') return true;
  return memchr(s, '.', n) || memchr(s, ':', n);
}

/* host[:port] with host letters, digits, '.', '-' or [ipv6]; port 1-65535. */
static bool host_valid(const char *s) {
  const char *port = NULL;
  if (s[0] == '[') {
    const char *close = strchr(s, ']');
    if (!close || close == s + 1 || strspn(s + 1, "0123456789abcdefABCDEF:.") != (size_t)(close - s - 1)) return false;
    if (close[1] == ':') port = close + 2;
    else if (close[1] != '\0') return false;
  } else {
    size_t host_len = strcspn(s, ":");
    if (host_len == 0 || strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") != host_len)
      return false;
    if (s[0] == '.' || s[0] == '-' || s[host_len - 1] == '.' || s[host_len - 1] == '-') return false;
    if (s[host_len] == ':') port = s + host_len + 1;
  }
  if (!port) return true;
  size_t digits = strspn(port, "0123456789");
  if (digits == 0 || digits > 5 || port[digits] != '\0') return false;
  long p = strtol(port, NULL, 10);
  return p >= 1 && p <= 65535;
}

void reg_reference_free(struct reg_reference *ref) {
  free(ref->registry);
  free(ref->repository);
  free(ref->tag);
  free(ref->digest);
  memset(ref, 0, sizeof *ref);
}

int reg_reference_parse(const char *text, struct reg_reference *ref, struct ib_error *err) {
  memset(ref, 0, sizeof *ref);
  char *s = ib_xstrdup(text);
  int rc = 0;
  char *at = strstr(s, "@sha256:");
  if (!at) at = strchr(s[0] == '@' ? s + 1 : s, '@');
  if (at) {
    *at = '\0';
    if (!ib_digest_valid(at + 1)) {
      rc = ib_fail(err, -EINVAL, "%s: \"%s\" is not a sha256 digest (sha256: and 64 lowercase hex digits)", text, at + 1);
      goto out;
    }
    ref->digest = ib_xstrdup(at + 1);
  }
  char *path = s;
  char *slash = strchr(s, '/');
  if (slash && s[0] != '@' && looks_like_host(s, (size_t)(slash - s))) {
    ref->registry = strndup(s, (size_t)(slash - s));
    path = slash + 1;
    if (!host_valid(ref->registry)) {
      rc = ib_fail(err, -EINVAL, "%s: \"%s\" is not a registry host (HOST[:PORT])", text, ref->registry);
      goto out;
    }
  }
  char *last_slash = strrchr(path, '/');
  char *colon = strchr(last_slash ? last_slash : path, ':');
  if (colon) {
    *colon = '\0';
    ref->tag = ib_xstrdup(colon + 1);
    ref->tag_given = true;
    if (!reg_tag_valid(ref->tag)) {
      rc = ib_fail(err, -EINVAL, "%s: \"%s\" is not a tag ([A-Za-z0-9_.-], at most 128)", text, ref->tag);
      goto out;
    }
  }
  ref->repository = ib_xstrdup(path);
  bool repo_ok = ref->registry ? reg_repository_valid(path) : (reg_repository_valid(path) || ib_package_name_valid(path));
  if (!repo_ok) {
    rc = ib_fail(err, -EINVAL, "%s: \"%s\" is not a repository name (lowercase letters, digits, . _ - and /)", text,
                 path);
    goto out;
  }
  if (!ref->tag && !ref->digest) ref->tag = ib_xstrdup("latest");
out:
  free(s);
  if (rc < 0) reg_reference_free(ref);
  return rc;
}

char *reg_reference_name(const struct reg_reference *ref) {
  const char *reg = ref->registry ? ref->registry : "", *sep = ref->registry ? "/" : "";
  if (ref->tag) return ib_strfmt("%s%s%s:%s", reg, sep, ref->repository, ref->tag);
  return ib_strfmt("%s%s%s@%s", reg, sep, ref->repository, ref->digest);
}

bool reg_host_is_loopback(const char *registry) {
  if (!registry) return false;
  if (strncmp(registry, "[::1]", 5) == 0) return registry[5] == '\0' || registry[5] == ':';
  size_t host_len = strcspn(registry, ":");
  if (host_len == 9 && strncmp(registry, "localhost", 9) == 0) return true;
  if (strncmp(registry, "127.", 4) != 0) return false;
  for (size_t i = 4; i < host_len; i++)
    if (!strchr("0123456789.", registry[i])) return false;
  return true;
}
