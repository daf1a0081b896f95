#include "docker_config.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fs_util.h"

char *reg_base64_encode(const void *data, size_t len) {
  char *out = ib_xmalloc(4 * ((len + 2) / 3) + 1);
  EVP_EncodeBlock((unsigned char *)out, data, (int)len);
  return out;
}

int reg_base64_decode(const char *text, char **data, size_t *len) {
  size_t n = strlen(text);
  if (n % 4 != 0) return -EINVAL;
  size_t pad = 0;
  while (pad < 2 && pad < n && text[n - 1 - pad] == '=') pad++;
  if (strspn(text, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") != n - pad) return -EINVAL;
  unsigned char *out = ib_xmalloc(n / 4 * 3 + 1);
  int got = EVP_DecodeBlock(out, (const unsigned char *)text, (int)n);
  if (got < 0) {
    free(out);
    return -EINVAL;
  }
  *len = (size_t)got - pad;
  out[*len] = '\0';
  *data = (char *)out;
  return 0;
}

void reg_credentials_free(struct reg_credentials *cred) {
  if (cred->user) explicit_bzero(cred->user, strlen(cred->user));
  if (cred->password) explicit_bzero(cred->password, strlen(cred->password));
  free(cred->user);
  free(cred->password);
  cred->user = cred->password = NULL;
}

int docker_config_path(char **path, struct ib_error *err) {
  const char *dir = getenv("DOCKER_CONFIG");
  if (dir && *dir) {
    *path = ib_strfmt("%s/config.json", dir);
    return 0;
  }
  const char *home = getenv("HOME");
  if (!home || !*home) return ib_fail(err, -ENOENT, "docker config: neither DOCKER_CONFIG nor HOME is set");
  *path = ib_strfmt("%s/.docker/config.json", home);
  return 0;
}

/* "https://host:port/v1/" -> "host:port". */
static char *key_host(const char *key) {
  const char *p = strstr(key, "://");
  p = p ? p + 3 : key;
  return strndup(p, strcspn(p, "/"));
}

/* The file's JSON, an empty object when it does not exist. */
static int load(const char *path, json_t **root, struct ib_error *err) {
  if (access(path, F_OK) != 0 && errno == ENOENT) {
    *root = json_object();
    return 0;
  }
  json_error_t jerr;
  *root = json_load_file(path, 0, &jerr);
  if (!*root) return ib_fail(err, -EINVAL, "%s: not JSON (%s, line %d)", path, jerr.text, jerr.line);
  if (!json_is_object(*root)) {
    json_decref(*root);
    return ib_fail(err, -EINVAL, "%s: not a JSON object", path);
  }
  json_t *auths = json_object_get(*root, "auths");
  if (auths && !json_is_object(auths)) {
    json_decref(*root);
    return ib_fail(err, -EINVAL, "%s: \"auths\" is not an object", path);
  }
  return 0;
}

/* The key in auths that names registry, or NULL. */
static const char *find_key(json_t *auths, const char *registry) {
  const char *key;
  json_t *value;
  json_object_foreach(auths, key, value) {
    char *host = key_host(key);
    bool same = strcmp(host, registry) == 0;
    free(host);
    if (same) return key;
  }
  return NULL;
}

/* The credential helper that keeps registry's credentials (credHelpers, else credsStore), or
 * NULL. rtctl does not run helpers: it says so rather than ignore the user's choice. */
static const char *credential_helper(json_t *root, const char *registry) {
  json_t *helpers = json_object_get(root, "credHelpers");
  const char *key = json_is_object(helpers) ? find_key(helpers, registry) : NULL;
  json_t *h = key ? json_object_get(helpers, key) : json_object_get(root, "credsStore");
  return json_is_string(h) && json_string_length(h) > 0 ? json_string_value(h) : NULL;
}

static int helper_unsupported(const char *path, const char *registry, const char *helper, struct ib_error *err) {
  return ib_fail(err, -ENOTSUP,
                 "%s hands the credentials of %s to the credential helper docker-credential-%s, which rtctl does "
                 "not use; point DOCKER_CONFIG at another folder for rtctl's own login",
                 path, registry, helper);
}

int docker_config_get(const char *path, const char *registry, struct reg_credentials *cred, struct ib_error *err) {
  memset(cred, 0, sizeof *cred);
  json_t *root;
  int rc = load(path, &root, err);
  if (rc < 0) return rc;
  json_t *auths = json_object_get(root, "auths");
  const char *key = auths ? find_key(auths, registry) : NULL;
  json_t *entry = key ? json_object_get(auths, key) : NULL;
  json_t *auth = json_object_get(entry, "auth");
  json_t *user = json_object_get(entry, "username"), *password = json_object_get(entry, "password");
  if (json_is_string(auth) && json_string_length(auth) > 0) {
    char *plain = NULL;
    size_t len = 0;
    const char *colon = NULL;
    if (reg_base64_decode(json_string_value(auth), &plain, &len) == 0) colon = memchr(plain, ':', len);
    if (!colon || strlen(plain) != len) {
      rc = ib_fail(err, -EINVAL, "%s: the \"auth\" of %s is not base64 of USER:PASSWORD", path, registry);
    } else {
      cred->user = strndup(plain, (size_t)(colon - plain));
      cred->password = ib_xstrdup(colon + 1);
    }
    if (plain) explicit_bzero(plain, len);
    free(plain);
  } else if (json_is_string(user) && json_is_string(password)) {
    cred->user = ib_xstrdup(json_string_value(user));
    cred->password = ib_xstrdup(json_string_value(password));
  } else if (credential_helper(root, registry)) {
    rc = helper_unsupported(path, registry, credential_helper(root, registry), err);
  } else {
    rc = ib_fail(err, -ENOENT, "no credentials for %s in %s", registry, path);
  }
  json_decref(root);
  return rc;
}

static int save(const char *path, json_t *root, struct ib_error *err) {
  char *dir = ib_xstrdup(path);
  char *slash = strrchr(dir, '/');
  int rc = 0;
  if (slash && slash != dir) {
    *slash = '\0';
    /* A folder we create holds secrets: private, as the Docker CLI makes it. */
    if (access(dir, F_OK) != 0) {
      rc = ib_mkdir_p(dir, err);
      if (rc == 0 && chmod(dir, 0700) != 0) rc = ib_fail(err, -errno, "%s: %s", dir, strerror(errno));
    }
  }
  free(dir);
  if (rc < 0) return rc;
  char *text = json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
  char *tmp;
  int fd = ib_open_temp_beside(path, &tmp, err); /* mkstemp: mode 0600 */
  if (fd < 0) {
    free(text);
    return fd;
  }
  size_t len = strlen(text), off = 0;
  while (rc == 0 && off < len) {
    ssize_t n = write(fd, text + off, len - off);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) rc = ib_fail(err, -errno, "%s: %s", path, strerror(errno));
    else off += (size_t)n;
  }
  if (rc == 0 && write(fd, "\n", 1) != 1) rc = ib_fail(err, -EIO, "%s: write failed", path);
  if (rc == 0 && fchmod(fd, 0600) != 0) rc = ib_fail(err, -errno, "%s: %s", path, strerror(errno));
  if (rc == 0 && fsync(fd) != 0) rc = ib_fail(err, -errno, "%s: %s", path, strerror(errno)); /* durable before the rename */
  if (close(fd) != 0 && rc == 0) rc = ib_fail(err, -errno, "%s: %s", path, strerror(errno));
  if (rc == 0 && rename(tmp, path) != 0) rc = ib_fail(err, -errno, "%s: %s", path, strerror(errno));
  if (rc < 0) unlink(tmp);
  explicit_bzero(text, len);
  free(text);
  free(tmp);
  return rc;
}

int docker_config_set(const char *path, const char *registry, const struct reg_credentials *cred,
                      struct ib_error *err) {
  json_t *root;
  int rc = load(path, &root, err);
  if (rc < 0) return rc;
  /* Never a plain-text password where the user chose a credential helper. */
  const char *helper = credential_helper(root, registry);
  if (helper) {
    rc = helper_unsupported(path, registry, helper, err);
    json_decref(root);
    return rc;
  }
  json_t *auths = json_object_get(root, "auths");
  if (!auths) {
    auths = json_object();
    json_object_set_new(root, "auths", auths);
  }
  const char *old = find_key(auths, registry);
  if (old) json_object_del(auths, old);
  char *plain = ib_strfmt("%s:%s", cred->user, cred->password);
  char *b64 = reg_base64_encode(plain, strlen(plain));
  json_t *entry = json_object();
  json_object_set_new(entry, "auth", json_string(b64));
  json_object_set_new(auths, registry, entry);
  explicit_bzero(plain, strlen(plain));
  explicit_bzero(b64, strlen(b64));
  free(plain);
  free(b64);
  rc = save(path, root, err);
  json_decref(root);
  return rc;
}

int docker_config_remove(const char *path, const char *registry, struct ib_error *err) {
  json_t *root;
  int rc = load(path, &root, err);
  if (rc < 0) return rc;
  json_t *auths = json_object_get(root, "auths");
  const char *key = auths ? find_key(auths, registry) : NULL;
  if (!key) rc = ib_fail(err, -ENOENT, "not logged in to %s", registry);
  else {
    json_object_del(auths, key);
    rc = save(path, root, err);
  }
  json_decref(root);
  return rc;
}
