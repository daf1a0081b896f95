#include "store.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fs_util.h"
#include "kernel_blob.h"
#include "manifest.h"
#include "media_types.h"
#include "reference.h"
#include "rtctl.h"

#ifndef RUNTIMEJS_VERSION
#define RUNTIMEJS_VERSION "0.0.0"
#endif

int store_root(char **root, struct ib_error *err) {
  struct ib_error why;
  int rc = rtctl_xdg_path("XDG_DATA_HOME", ".local/share", "runtimejs", root, &why);
  return rc < 0 ? ib_fail(err, rc, "store: %s", why.msg) : 0;
}

int store_open(struct oci_layout *layout, struct ib_error *err) {
  char *root;
  int rc = store_root(&root, err);
  if (rc < 0) return rc;
  char *dir = ib_strfmt("%s/oci", root);
  rc = oci_layout_open(dir, layout, err);
  free(dir);
  free(root);
  return rc;
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
  int rc = store_open(&txn->layout, err);
  if (rc < 0) return rc;
  rc = oci_layout_tmp_dir(&txn->layout, &txn->tmp_dir, err);
  if (rc < 0) {
    oci_layout_close(&txn->layout);
    return rc;
  }
  txn->initrd_path = ib_strfmt("%s/initrd.cpio", txn->tmp_dir);
  return 0;
}

void store_abort(struct store_txn *txn) {
  if (txn->tmp_dir) ib_remove_tree(txn->tmp_dir);
  if (txn->layout.root) oci_layout_close(&txn->layout);
  free(txn->tmp_dir);
  free(txn->initrd_path);
  memset(txn, 0, sizeof *txn);
}

static void format_time(time_t t, char out[32]) {
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The created annotation of an image in the store with the same content, if any. */
static char *created_of_same_content(const struct oci_layout *l, const char *config_digest,
                                     const char *kernel_digest, const char *initrd_digest) {
  struct reg_index x;
  struct ib_error ignored;
  char *found = NULL;
  if (oci_layout_index(l, &x, &ignored) < 0) return NULL;
  for (size_t i = 0; i < x.count && !found; i++) {
    const struct reg_descriptor *d = &x.manifests[i];
    char *text;
    size_t len;
    struct reg_manifest m;
    if (!d->artifact_type || strcmp(d->artifact_type, REG_ARTIFACT_RUNTIMEJS) != 0) continue;
    if (oci_layout_read_blob(l, d->digest, &text, &len, &ignored) < 0) continue;
    if (reg_manifest_parse(text, len, &m, &ignored) == 0) {
      const struct reg_descriptor *k = reg_manifest_layer(&m, REG_MT_RUNTIMEJS_KERNEL_GZ);
      const struct reg_descriptor *r = reg_manifest_layer(&m, REG_MT_RUNTIMEJS_INITRD);
      const char *created = reg_annotations_get(&m.annotations, REG_ANN_CREATED);
      if (k && r && created && strcmp(m.config.digest, config_digest) == 0 && strcmp(k->digest, kernel_digest) == 0 &&
          strcmp(r->digest, initrd_digest) == 0)
        found = ib_xstrdup(created);
      reg_manifest_free(&m);
    }
    free(text);
  }
  reg_index_free(&x);
  return found;
}

int store_created_time(const struct oci_layout *layout, const char *config_digest, const char *kernel_digest,
                       const char *initrd_digest, char out[32], struct ib_error *err) {
  const char *epoch = getenv("SOURCE_DATE_EPOCH");
  if (epoch && *epoch) {
    char *end;
    errno = 0;
    long long t = strtoll(epoch, &end, 10);
    if (errno || *end || t < 0 || t > 253402300799LL)
      return ib_fail(err, -EINVAL, "SOURCE_DATE_EPOCH: \"%s\" is not a number of seconds since 1970", epoch);
    format_time((time_t)t, out);
    return 0;
  }
  char *same = created_of_same_content(layout, config_digest, kernel_digest, initrd_digest);
  if (same && strlen(same) < 32) {
    snprintf(out, 32, "%s", same);
    free(same);
    return 0;
  }
  free(same);
  format_time(time(NULL), out);
  return 0;
}

static void set_blob(struct reg_descriptor *d, const char *media_type, const char *digest, uint64_t size) {
  reg_descriptor_init(d, media_type, digest, size);
}

int store_commit(struct store_txn *txn, const char *name, const char *version, const char *const *tags,
                 const char *config_json, const char *kernel_path, struct store_image *out, struct ib_error *err) {
  memset(out, 0, sizeof *out);
  const struct oci_layout *l = &txn->layout;
  char initrd_digest[IB_DIGEST_LEN + 1], config_digest[IB_DIGEST_LEN + 1];
  char manifest_digest[IB_DIGEST_LEN + 1], created[32];
  uint64_t initrd_size = 0, config_size = strlen(config_json);
  struct kernel_blob kb;
  int rc = oci_layout_adopt_file(l, txn->initrd_path, initrd_digest, &initrd_size, err);
  if (rc == 0) rc = oci_layout_put_buffer(l, config_json, config_size, config_digest, err);
  if (rc == 0) rc = kernel_blob_put(l, kernel_path, &kb, err);
  if (rc == 0) rc = store_created_time(l, config_digest, kb.layer_digest, initrd_digest, created, err);
  if (rc < 0) {
    store_abort(txn);
    return rc;
  }

  struct reg_descriptor config, kernel, initrd, manifest_desc;
  set_blob(&config, REG_MT_RUNTIMEJS_CONFIG, config_digest, config_size);
  set_blob(&kernel, REG_MT_RUNTIMEJS_KERNEL_GZ, kb.layer_digest, kb.layer_size);
  reg_annotations_set(&kernel.annotations, KERNEL_ELF_DIGEST_ANNOTATION, kb.elf_digest);
  set_blob(&initrd, REG_MT_RUNTIMEJS_INITRD, initrd_digest, initrd_size);
  struct reg_manifest m;
  reg_manifest_init(&m, REG_ARTIFACT_RUNTIMEJS, &config);
  reg_manifest_add_layer(&m, &kernel);
  reg_manifest_add_layer(&m, &initrd);
  char *kernel_version = ib_strfmt("%s+%.12s", RUNTIMEJS_VERSION, kb.elf_digest + 7);
  reg_annotations_set(&m.annotations, REG_ANN_TITLE, name);
  reg_annotations_set(&m.annotations, REG_ANN_VERSION, version);
  reg_annotations_set(&m.annotations, REG_ANN_KERNEL_VERSION, kernel_version);
  reg_annotations_set(&m.annotations, REG_ANN_CREATED, created);
  free(kernel_version);
  size_t len;
  char *text = reg_manifest_to_json(&m, &len);
  rc = oci_layout_put_buffer(l, text, len, manifest_digest, err);
  set_blob(&manifest_desc, REG_MT_OCI_MANIFEST, manifest_digest, len);
  manifest_desc.artifact_type = ib_xstrdup(REG_ARTIFACT_RUNTIMEJS);
  for (size_t i = 0; rc == 0 && tags[i]; i++) {
    char *ref = ib_strfmt("%s:%s", name, tags[i]);
    rc = oci_layout_set_ref(l, ref, &manifest_desc, err);
    free(ref);
  }
  if (rc == 0) {
    out->name = ib_xstrdup(name);
    out->ref = ib_strfmt("%s:%s", name, tags[0]);
    memcpy(out->digest, manifest_digest, sizeof out->digest);
    out->initrd_path = oci_layout_blob_path(l, initrd_digest);
    out->config_path = oci_layout_blob_path(l, config_digest);
    out->kernel_path = ib_xstrdup(kernel_path);
    memcpy(out->kernel_digest, kb.elf_digest, sizeof out->kernel_digest);
    memcpy(out->kernel_layer_digest, kb.layer_digest, sizeof out->kernel_layer_digest);
    out->kernel_size = kb.elf_size;
    out->kernel_layer_size = kb.layer_size;
    out->initrd_size = initrd_size;
    out->config_size = config_size;
    out->created = ib_xstrdup(created);
  }
  free(text);
  reg_manifest_free(&m);
  reg_descriptor_free(&config);
  reg_descriptor_free(&kernel);
  reg_descriptor_free(&initrd);
  reg_descriptor_free(&manifest_desc);
  store_abort(txn);
  return rc;
}

/* Fills img from the manifest of a Runtime.JS image in the layout. */
static int image_from_manifest(const struct oci_layout *l, const char *ref, const char *digest,
                               struct store_image *img, struct ib_error *err) {
  char *text;
  size_t len;
  struct ib_error why;
  int rc = oci_layout_read_blob(l, digest, &text, &len, &why);
  if (rc < 0) return ib_fail(err, rc, "%s: %s", ref, why.msg);
  struct reg_manifest m;
  rc = reg_manifest_parse(text, len, &m, &why);
  free(text);
  if (rc < 0) return ib_fail(err, rc, "%s: %s", ref, why.msg);
  const struct reg_descriptor *k = reg_manifest_layer(&m, REG_MT_RUNTIMEJS_KERNEL_GZ);
  const struct reg_descriptor *r = reg_manifest_layer(&m, REG_MT_RUNTIMEJS_INITRD);
  const char *elf_digest = k ? reg_annotations_get(&k->annotations, KERNEL_ELF_DIGEST_ANNOTATION) : NULL;
  if (rc == 0 && k && !elf_digest)
    rc = ib_fail(err, -EINVAL, "%s: the kernel layer has no %s annotation", ref, KERNEL_ELF_DIGEST_ANNOTATION);
  if (rc == 0 && (!m.artifact_type || strcmp(m.artifact_type, REG_ARTIFACT_RUNTIMEJS) != 0 ||
      strcmp(m.config.media_type, REG_MT_RUNTIMEJS_CONFIG) != 0 || !k || !r))
    rc = ib_fail(err, -EINVAL, "%s: not a Runtime.JS image (artifactType %s)", ref,
                 m.artifact_type ? m.artifact_type : "none");
  const struct reg_descriptor *blobs[] = {&m.config, k, r};
  for (int i = 0; rc == 0 && i < 3; i++)
    if (!oci_layout_has_blob(l, blobs[i]->digest, blobs[i]->size))
      rc = ib_fail(err, -ENOENT, "%s: blob %s is missing from the store (pull or build it again)", ref,
                   blobs[i]->digest);
  if (rc == 0) {
    img->config_path = oci_layout_blob_path(l, m.config.digest);
    img->initrd_path = oci_layout_blob_path(l, r->digest);
    snprintf(img->kernel_digest, sizeof img->kernel_digest, "%s", elf_digest);
    memcpy(img->kernel_layer_digest, k->digest, sizeof img->kernel_layer_digest);
    img->kernel_layer_size = k->size;
    img->initrd_size = r->size;
    img->config_size = m.config.size;
    const char *created = reg_annotations_get(&m.annotations, REG_ANN_CREATED);
    img->created = created ? ib_xstrdup(created) : NULL;
  }
  reg_manifest_free(&m);
  return rc;
}

int store_lookup(const char *ref_text, struct store_image *out, struct ib_error *err) {
  memset(out, 0, sizeof *out);
  struct reg_reference ref;
  struct ib_error why;
  if (reg_reference_parse(ref_text, &ref, &why) < 0)
    return ib_fail(err, -EINVAL, "%s: not an image reference (NAME[:TAG], HOST/REPO[:TAG]) nor an app folder",
                   ref_text);
  struct oci_layout l;
  int rc = store_open(&l, err);
  if (rc < 0) {
    reg_reference_free(&ref);
    return rc;
  }
  out->ref = reg_reference_name(&ref);
  out->name = ref.registry ? ib_strfmt("%s/%s", ref.registry, ref.repository) : ib_xstrdup(ref.repository);
  if (ref.tag) {
    struct reg_descriptor d;
    rc = oci_layout_resolve(&l, out->ref, &d, &why);
    if (rc == -ENOENT && ref.registry)
      rc = ib_fail(err, rc, "%s: no such image in the store (pull it with: rtctl pull %s)", out->ref, out->ref);
    else if (rc == -ENOENT)
      rc = ib_fail(err, rc, "%s: no such image in the store (build it with: rtctl build DIR)", out->ref);
    else if (rc < 0)
      rc = ib_fail(err, rc, "%s", why.msg);
    if (rc == 0 && ref.digest && strcmp(ref.digest, d.digest) != 0)
      rc = ib_fail(err, -ENOENT, "%s is %s, not %s", out->ref, d.digest, ref.digest);
    if (rc == 0) memcpy(out->digest, d.digest, sizeof out->digest);
    if (rc == 0) reg_descriptor_free(&d);
  } else {
    memcpy(out->digest, ref.digest, sizeof out->digest);
    char *p = oci_layout_blob_path(&l, ref.digest);
    if (access(p, F_OK) != 0) rc = ib_fail(err, -ENOENT, "%s: no such image in the store", out->ref);
    free(p);
  }
  if (rc == 0) rc = image_from_manifest(&l, out->ref, out->digest, out, err);
  oci_layout_close(&l);
  reg_reference_free(&ref);
  if (rc < 0) store_image_free(out);
  return rc;
}

int store_kernel_ready(struct store_image *img, struct ib_error *err) {
  if (!img->kernel_path) { /* a lookup: the ELF comes from the layer */
    struct oci_layout l;
    int rc = store_open(&l, err);
    if (rc == 0) rc = kernel_blob_unpacked(&l, img->kernel_layer_digest, img->kernel_digest, &img->kernel_path,
                                          &img->kernel_size, err);
    oci_layout_close(&l);
    return rc;
  }
  struct stat st;
  if (stat(img->kernel_path, &st) != 0)
    return ib_fail(err, -ENOENT, "kernel of %s: %s: %s", img->ref, img->kernel_path, strerror(errno));
  if ((uint64_t)st.st_size != img->kernel_size)
    return ib_fail(err, -ESTALE, "kernel of %s: %s has changed (build or pull the image again)", img->ref,
                   img->kernel_path);
  return 0;
}

void store_image_free(struct store_image *img) {
  free(img->name);
  free(img->ref);
  free(img->initrd_path);
  free(img->config_path);
  free(img->kernel_path);
  free(img->created);
  memset(img, 0, sizeof *img);
}
