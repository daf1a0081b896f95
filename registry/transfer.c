#include "transfer.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fs_util.h"
#include "image_index.h"
#include "manifest.h"
#include "media_types.h"

static int push_blob(struct reg_client *c, const struct oci_layout *l, const char *repo,
                     const struct reg_descriptor *d, FILE *report, struct ib_error *err) {
  if (!oci_layout_has_blob(l, d->digest, d->size))
    return ib_fail(err, -ENOENT, "blob %s is missing from the local store", d->digest);
  bool exists = false;
  int rc = reg_blob_exists(c, repo, d, &exists, err);
  if (rc == 0 && !exists) {
    char *path = oci_layout_blob_path(l, d->digest);
    rc = reg_blob_upload(c, repo, path, d, err);
    free(path);
  }
  if (rc == 0 && report) {
    fprintf(report, "%s sha256:%s (%llu)\n", exists ? "exists " : "uploaded", d->digest + 7,
            (unsigned long long)d->size);
    fflush(report);
  }
  return rc;
}

int reg_push(struct reg_client *c, const struct oci_layout *l, const char *manifest_digest, const char *repo,
             const char *tag, FILE *report, struct ib_error *err) {
  char *text;
  size_t len;
  int rc = oci_layout_read_blob(l, manifest_digest, &text, &len, err);
  if (rc < 0) return rc;
  struct reg_manifest m;
  rc = reg_manifest_parse(text, len, &m, err);
  if (rc == 0) {
    rc = push_blob(c, l, repo, &m.config, report, err);
    for (size_t i = 0; rc == 0 && i < m.layer_count; i++) rc = push_blob(c, l, repo, &m.layers[i], report, err);
    /* Last: until the manifest is there, the tag does not exist. */
    if (rc == 0) rc = reg_manifest_put(c, repo, tag, m.media_type, text, len, err);
    reg_manifest_free(&m);
  }
  free(text);
  return rc;
}

static bool is_index_type(const char *mt) {
  return strcmp(mt, REG_MT_OCI_INDEX) == 0 || strcmp(mt, REG_MT_DOCKER_LIST) == 0;
}

/* GETs the manifest and checks it against the digest asked for, if any. */
static int get_manifest(struct reg_client *c, const char *repo, const char *reference, char **text, size_t *len,
                        char **media_type, char digest[IB_DIGEST_LEN + 1], struct ib_error *err) {
  int rc = reg_manifest_get(c, repo, reference, text, len, media_type, err);
  if (rc < 0) return rc;
  ib_digest_buffer(*text, *len, digest);
  if (strncmp(reference, "sha256:", 7) == 0 && strcmp(reference, digest) != 0) {
    free(*text);
    free(*media_type);
    return ib_fail(err, -EBADMSG, "manifest %s: digest mismatch: the registry sent %s", reference, digest);
  }
  return 0;
}

int reg_pull(struct reg_client *c, const struct oci_layout *l, const char *repo, const char *reference,
             const char *ref_name, FILE *report, struct reg_descriptor *out, struct ib_error *err) {
  char *text, *media_type;
  size_t len;
  char digest[IB_DIGEST_LEN + 1];
  int rc = get_manifest(c, repo, reference, &text, &len, &media_type, digest, err);
  if (rc < 0) return rc;
  if (is_index_type(media_type)) {
    struct reg_index x;
    rc = reg_index_parse(text, len, &x, err);
    bool parsed = rc == 0;
    const struct reg_descriptor *pick = parsed ? reg_index_select(&x, "linux", "amd64") : NULL;
    if (parsed && !pick) rc = ib_fail(err, -ENOENT, "%s: the image index has no linux/amd64 manifest", ref_name);
    char *child = pick ? ib_xstrdup(pick->digest) : NULL;
    if (parsed) reg_index_free(&x);
    free(text);
    free(media_type);
    if (rc == 0) rc = get_manifest(c, repo, child, &text, &len, &media_type, digest, err);
    free(child);
    if (rc < 0) return rc;
  }
  struct reg_manifest m;
  rc = reg_manifest_parse(text, len, &m, err);
  if (rc == 0) {
    for (size_t i = 0; rc == 0 && i <= m.layer_count; i++) {
      const struct reg_descriptor *d = i == 0 ? &m.config : &m.layers[i - 1];
      bool have = oci_layout_has_blob(l, d->digest, d->size);
      if (!have) rc = reg_blob_download(c, repo, d, l, err);
      if (rc == 0 && report) {
        fprintf(report, "%s sha256:%s (%llu)\n", have ? "exists " : "downloaded", d->digest + 7,
                (unsigned long long)d->size);
        fflush(report);
      }
    }
    char stored[IB_DIGEST_LEN + 1];
    if (rc == 0) rc = oci_layout_put_buffer(l, text, len, stored, err);
    if (rc == 0) {
      reg_descriptor_init(out, m.media_type, digest, len);
      if (m.artifact_type) out->artifact_type = ib_xstrdup(m.artifact_type);
      rc = oci_layout_set_ref(l, ref_name, out, err);
      if (rc < 0) reg_descriptor_free(out);
    }
    reg_manifest_free(&m);
  }
  free(text);
  free(media_type);
  return rc;
}
