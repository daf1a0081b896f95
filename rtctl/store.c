#include "store.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app_package.h"
#include "fs_util.h"
#include "rtctl.h"

int store_root(char **root, struct ib_error *err) {
  struct ib_error why;
  int rc = rtctl_xdg_path("XDG_DATA_HOME", ".local/share", "runtimejs", root, &why);
  return rc < 0 ? ib_fail(err, rc, "store: %s", why.msg) : 0;
}

char *store_tag_from_version(const char *version) {
  char *t = ib_xstrdup(version);
  for (char *c = t; *c; c++) {
    bool ok = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '.' ||
              *c == '-' || *c == '_';
    if (!ok) *c = '_';
  }
  return t;
}

int store_begin(struct store_txn *txn, struct ib_error *err) {
  memset(txn, 0, sizeof *txn);
  int rc = store_root(&txn->root, err);
  if (rc < 0) return rc;
  char *tmp_base = ib_strfmt("%s/tmp", txn->root);
  rc = ib_mkdir_p(tmp_base, err);
  if (rc == 0) {
    txn->tmp_dir = ib_strfmt("%s/build.XXXXXX", tmp_base);
    if (!mkdtemp(txn->tmp_dir)) rc = ib_fail(err, -errno, "%s: %s", tmp_base, strerror(errno));
  }
  free(tmp_base);
  if (rc < 0) {
    store_abort(txn);
    return rc;
  }
  txn->initrd_path = ib_strfmt("%s/initrd.cpio", txn->tmp_dir);
  return 0;
}

void store_abort(struct store_txn *txn) {
  if (txn->tmp_dir && txn->tmp_dir[0]) ib_remove_tree(txn->tmp_dir);
  free(txn->root);
  free(txn->tmp_dir);
  free(txn->initrd_path);
  memset(txn, 0, sizeof *txn);
}

static json_t *blob(const char *digest, uint64_t size) {
  json_t *o = json_object();
  json_object_set_new(o, "digest", json_string(digest));
  json_object_set_new(o, "size", json_integer((json_int_t)size));
  return o;
}

static int fill_paths(struct store_image *img, const char *root, const char *name, const char *digest) {
  img->name = ib_xstrdup(name);
  snprintf(img->digest, sizeof img->digest, "%s", digest);
  img->dir = ib_strfmt("%s/images/%s/%s", root, name, digest + 7);
  img->initrd_path = ib_strfmt("%s/initrd.cpio", img->dir);
  img->config_path = ib_strfmt("%s/runtime.json", img->dir);
  return 0;
}

int store_commit(struct store_txn *txn, const char *name, const char *const *tags, const char *config_json,
                 const char *kernel_path, struct store_image *out, struct ib_error *err) {
  memset(out, 0, sizeof *out);
  char initrd_digest[IB_DIGEST_LEN + 1], config_digest[IB_DIGEST_LEN + 1], kernel_digest[IB_DIGEST_LEN + 1];
  uint64_t initrd_size, kernel_size, config_size = strlen(config_json);
  int rc = ib_digest_file(txn->initrd_path, initrd_digest, &initrd_size, err);
  if (rc == 0) rc = ib_digest_file(kernel_path, kernel_digest, &kernel_size, err);
  if (rc < 0) return rc;
  ib_digest_buffer(config_json, config_size, config_digest);

  json_t *m = json_object();
  json_object_set_new(m, "schemaVersion", json_integer(1));
  json_object_set_new(m, "name", json_string(name));
  json_object_set_new(m, "kernel", blob(kernel_digest, kernel_size));
  json_object_set_new(m, "initrd", blob(initrd_digest, initrd_size));
  json_object_set_new(m, "config", blob(config_digest, config_size));
  char *text = json_dumps(m, JSON_COMPACT | JSON_PRESERVE_ORDER);
  json_decref(m);
  char *manifest = ib_strfmt("%s\n", text);
  free(text);
  char digest[IB_DIGEST_LEN + 1];
  ib_digest_buffer(manifest, strlen(manifest), digest);

  char *p = ib_strfmt("%s/manifest.json", txn->tmp_dir);
  rc = ib_write_file_atomic(p, manifest, strlen(manifest), err);
  free(p);
  free(manifest);
  p = ib_strfmt("%s/runtime.json", txn->tmp_dir);
  if (rc == 0) rc = ib_write_file_atomic(p, config_json, config_size, err);
  free(p);
  char *kp = ib_strfmt("%s\n", kernel_path);
  p = ib_strfmt("%s/kernel-path", txn->tmp_dir);
  if (rc == 0) rc = ib_write_file_atomic(p, kp, strlen(kp), err);
  free(p);
  free(kp);
  if (rc < 0) return rc;

  fill_paths(out, txn->root, name, digest);
  char *tags_dir = ib_strfmt("%s/images/%s/tags", txn->root, name);
  rc = ib_mkdir_p(tags_dir, err);
  /* The same content built again: keep the stored copy, it is byte-identical. */
  if (rc == 0 && rename(txn->tmp_dir, out->dir) != 0 && errno != EEXIST && errno != ENOTEMPTY)
    rc = ib_fail(err, -errno, "%s: %s", out->dir, strerror(errno));
  for (size_t i = 0; rc == 0 && tags[i]; i++) {
    char *tag_path = ib_strfmt("%s/%s", tags_dir, tags[i]);
    char *line = ib_strfmt("%s\n", digest);
    rc = ib_write_file_atomic(tag_path, line, strlen(line), err);
    free(tag_path);
    free(line);
  }
  free(tags_dir);
  if (rc == 0) {
    out->kernel_path = ib_xstrdup(kernel_path);
    snprintf(out->kernel_digest, sizeof out->kernel_digest, "%s", kernel_digest);
    out->kernel_size = kernel_size;
    out->initrd_size = initrd_size;
    out->config_size = config_size;
  }
  store_abort(txn);
  if (rc < 0) store_image_free(out);
  return rc;
}

static int read_trimmed(const char *path, char **out, struct ib_error *err) {
  size_t len;
  int rc = ib_read_file(path, out, &len, err);
  if (rc < 0) return rc;
  while (len > 0 && ((*out)[len - 1] == '\n' || (*out)[len - 1] == '\r')) (*out)[--len] = '\0';
  return 0;
}

static int blob_field(json_t *m, const char *key, char *digest, uint64_t *size) {
  json_t *b = json_object_get(m, key);
  json_t *d = json_object_get(b, "digest"), *s = json_object_get(b, "size");
  if (!json_is_string(d) || !json_is_integer(s) || json_string_length(d) != IB_DIGEST_LEN) return -EINVAL;
  memcpy(digest, json_string_value(d), IB_DIGEST_LEN + 1);
  *size = (uint64_t)json_integer_value(s);
  return 0;
}

int store_lookup(const char *ref, struct store_image *out, struct ib_error *err) {
  memset(out, 0, sizeof *out);
  char *name = ib_xstrdup(ref);
  char *colon = strrchr(name, ':');
  const char *tag = "latest";
  if (colon) {
    *colon = '\0';
    tag = colon + 1;
  }
  char *root = NULL, *tag_path = NULL, *digest = NULL;
  int rc = 0;
  if (!ib_package_name_valid(name) || !tag[0] || strchr(tag, '/'))
    rc = ib_fail(err, -EINVAL, "%s: not an image name (NAME or NAME:TAG) nor an app folder", ref);
  if (rc == 0) rc = store_root(&root, err);
  if (rc == 0) {
    tag_path = ib_strfmt("%s/images/%s/tags/%s", root, name, tag);
    struct ib_error ignored;
    if (read_trimmed(tag_path, &digest, &ignored) < 0)
      rc = ib_fail(err, -ENOENT, "%s:%s: no such image in the store (build it with: rtctl build DIR)", name, tag);
    else if (strlen(digest) != IB_DIGEST_LEN || strncmp(digest, "sha256:", 7) != 0)
      rc = ib_fail(err, -EINVAL, "%s: corrupt tag file", tag_path);
  }
  if (rc == 0) {
    fill_paths(out, root, name, digest);
    char *p = ib_strfmt("%s/kernel-path", out->dir);
    rc = read_trimmed(p, &out->kernel_path, err);
    free(p);
  }
  if (rc == 0) {
    char *p = ib_strfmt("%s/manifest.json", out->dir);
    json_error_t jerr;
    json_t *m = json_load_file(p, 0, &jerr);
    if (!m || blob_field(m, "kernel", out->kernel_digest, &out->kernel_size) < 0 ||
        blob_field(m, "initrd", (char[IB_DIGEST_LEN + 1]){0}, &out->initrd_size) < 0)
      rc = ib_fail(err, -EINVAL, "%s: missing or corrupt", p);
    json_decref(m);
    free(p);
  }
  free(name);
  free(root);
  free(tag_path);
  free(digest);
  if (rc < 0) store_image_free(out);
  return rc;
}

int store_check_kernel(const struct store_image *img, struct ib_error *err) {
  char digest[IB_DIGEST_LEN + 1];
  struct ib_error why;
  if (ib_digest_file(img->kernel_path, digest, NULL, &why) < 0)
    return ib_fail(err, -ENOENT, "kernel of %s: %s (rebuild the image)", img->name, why.msg);
  if (strcmp(digest, img->kernel_digest) != 0)
    return ib_fail(err, -ESTALE, "kernel %s changed since %s was built (rebuild the image)", img->kernel_path, img->name);
  return 0;
}

void store_image_free(struct store_image *img) {
  free(img->name);
  free(img->dir);
  free(img->initrd_path);
  free(img->config_path);
  free(img->kernel_path);
  memset(img, 0, sizeof *img);
}
