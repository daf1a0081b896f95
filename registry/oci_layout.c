#define _GNU_SOURCE
#include "oci_layout.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fs_util.h"
#include "manifest.h"
#include "media_types.h"

#define LAYOUT_FILE "{\"imageLayoutVersion\":\"1.0.0\"}"

static int open_lock(const char *root, const char *name, int how, struct ib_error *err) {
  char *p = ib_strfmt("%s/%s", root, name);
  int fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  int rc = fd;
  if (fd < 0) rc = ib_fail(err, -errno, "%s: %s", p, strerror(errno));
  else {
    while (flock(fd, how) != 0) {
      if (errno == EINTR) continue;
      rc = ib_fail(err, -errno, "%s: lock: %s", p, strerror(errno));
      close(fd);
      break;
    }
  }
  free(p);
  return rc;
}

static int ensure_file(const char *root, const char *name, const char *content, struct ib_error *err) {
  char *p = ib_strfmt("%s/%s", root, name);
  int rc = 0;
  if (access(p, F_OK) != 0) rc = ib_write_file_atomic(p, content, strlen(content), err);
  free(p);
  return rc;
}

int oci_layout_open(const char *root, struct oci_layout *l, struct ib_error *err) {
  memset(l, 0, sizeof *l);
  l->lock_fd = -1;
  char *blobs = ib_strfmt("%s/blobs/sha256", root), *tmp = ib_strfmt("%s/.tmp", root);
  int rc = ib_mkdir_p(blobs, err);
  if (rc == 0) rc = ib_mkdir_p(tmp, err);
  free(blobs);
  free(tmp);
  if (rc == 0) rc = l->lock_fd = open_lock(root, ".lock", LOCK_SH, err);
  if (rc < 0) return rc;
  l->root = ib_xstrdup(root);
  rc = ensure_file(root, "oci-layout", LAYOUT_FILE, err);
  if (rc == 0) {
    /* Under the index lock: two first writers must not both create it. */
    int fd = open_lock(root, ".index.lock", LOCK_EX, err);
    rc = fd < 0 ? fd : ensure_file(root, "index.json", "{\"schemaVersion\":2,\"mediaType\":\"" REG_MT_OCI_INDEX
                                                        "\",\"manifests\":[]}", err);
    if (fd >= 0) close(fd);
  }
  if (rc < 0) oci_layout_close(l);
  return rc;
}

void oci_layout_close(struct oci_layout *l) {
  if (l->lock_fd >= 0) close(l->lock_fd);
  free(l->root);
  memset(l, 0, sizeof *l);
  l->lock_fd = -1;
}

char *oci_layout_blob_path(const struct oci_layout *l, const char *digest) {
  return ib_strfmt("%s/blobs/sha256/%s", l->root, digest + 7);
}

bool oci_layout_has_blob(const struct oci_layout *l, const char *digest, uint64_t size) {
  if (!ib_digest_valid(digest)) return false;
  char *p = oci_layout_blob_path(l, digest);
  struct stat st;
  bool yes = stat(p, &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size == size;
  free(p);
  return yes;
}

int oci_layout_tmp_dir(const struct oci_layout *l, char **dir, struct ib_error *err) {
  char *d = ib_strfmt("%s/.tmp/dir.XXXXXX", l->root);
  if (!mkdtemp(d)) {
    int e = errno;
    free(d);
    return ib_fail(err, -e, "%s/.tmp: %s", l->root, strerror(e));
  }
  *dir = d;
  return 0;
}

int oci_layout_tmp_file(const struct oci_layout *l, const char *prefix, char **path, struct ib_error *err) {
  char *p = ib_strfmt("%s/.tmp/%s.XXXXXX", l->root, prefix);
  int fd = mkostemp(p, O_CLOEXEC);
  if (fd < 0) {
    int e = errno;
    free(p);
    return ib_fail(err, -e, "%s/.tmp: %s", l->root, strerror(e));
  }
  *path = p;
  return fd;
}

int oci_blob_writer_begin(const struct oci_layout *l, struct oci_blob_writer *w, struct ib_error *err) {
  memset(w, 0, sizeof *w);
  w->layout = l;
  w->fd = oci_layout_tmp_file(l, "blob", &w->tmp_path, err);
  if (w->fd < 0) return w->fd;
  w->hasher = ib_hasher_new();
  return 0;
}

int oci_blob_writer_write(struct oci_blob_writer *w, const void *data, size_t len, struct ib_error *err) {
  ib_hasher_update(w->hasher, data, len);
  w->size += len;
  const char *p = data;
  while (len > 0) {
    ssize_t n = write(w->fd, p, len);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ib_fail(err, -errno, "%s: %s", w->tmp_path, strerror(errno));
    p += n;
    len -= (size_t)n;
  }
  return 0;
}

int oci_blob_writer_reset(struct oci_blob_writer *w, struct ib_error *err) {
  ib_hasher_free(w->hasher);
  w->hasher = ib_hasher_new();
  w->size = 0;
  if (ftruncate(w->fd, 0) != 0 || lseek(w->fd, 0, SEEK_SET) != 0)
    return ib_fail(err, -errno, "%s: %s", w->tmp_path, strerror(errno));
  return 0;
}

void oci_blob_writer_abort(struct oci_blob_writer *w) {
  if (w->fd >= 0 && w->tmp_path) close(w->fd);
  if (w->tmp_path) unlink(w->tmp_path);
  if (w->hasher) ib_hasher_free(w->hasher);
  free(w->tmp_path);
  memset(w, 0, sizeof *w);
  w->fd = -1;
}

/* Renames tmp into blobs/ under its digest; an existing blob is kept (same bytes). */
static int install_blob(const struct oci_layout *l, const char *tmp, const char *digest, struct ib_error *err) {
  char *dst = oci_layout_blob_path(l, digest);
  int rc = 0;
  if (chmod(tmp, 0444) != 0 || rename(tmp, dst) != 0) rc = ib_fail(err, -errno, "%s: %s", dst, strerror(errno));
  free(dst);
  return rc;
}

int oci_blob_writer_commit(struct oci_blob_writer *w, const char *expected, int64_t expected_size,
                           char digest[IB_DIGEST_LEN + 1], struct ib_error *err) {
  char got[IB_DIGEST_LEN + 1];
  ib_hasher_final(w->hasher, got);
  w->hasher = NULL;
  int rc = 0;
  if (fsync(w->fd) != 0 || close(w->fd) != 0) rc = ib_fail(err, -errno, "%s: %s", w->tmp_path, strerror(errno));
  w->fd = -1;
  if (rc == 0 && expected_size >= 0 && w->size != (uint64_t)expected_size)
    rc = ib_fail(err, -EBADMSG, "blob %s: digest mismatch: size %llu, expected %lld", expected ? expected : got,
                 (unsigned long long)w->size, (long long)expected_size);
  if (rc == 0 && expected && strcmp(expected, got) != 0)
    rc = ib_fail(err, -EBADMSG, "blob %s: digest mismatch: the content's digest is %s", expected, got);
  if (rc == 0) rc = install_blob(w->layout, w->tmp_path, got, err);
  if (rc == 0 && digest) memcpy(digest, got, sizeof got);
  if (rc < 0) unlink(w->tmp_path);
  free(w->tmp_path);
  memset(w, 0, sizeof *w);
  w->fd = -1;
  return rc;
}

int oci_layout_put_buffer(const struct oci_layout *l, const void *data, size_t len, char digest[IB_DIGEST_LEN + 1],
                          struct ib_error *err) {
  ib_digest_buffer(data, len, digest);
  if (oci_layout_has_blob(l, digest, len)) return 0;
  struct oci_blob_writer w;
  int rc = oci_blob_writer_begin(l, &w, err);
  if (rc == 0) rc = oci_blob_writer_write(&w, data, len, err);
  if (rc == 0) return oci_blob_writer_commit(&w, digest, (int64_t)len, NULL, err);
  oci_blob_writer_abort(&w);
  return rc;
}

int oci_layout_adopt_file(const struct oci_layout *l, const char *path, char digest[IB_DIGEST_LEN + 1],
                          uint64_t *size, struct ib_error *err) {
  uint64_t n;
  int rc = ib_digest_file(path, digest, &n, err);
  if (rc < 0) return rc;
  if (size) *size = n;
  if (oci_layout_has_blob(l, digest, n)) {
    unlink(path);
    return 0;
  }
  return install_blob(l, path, digest, err);
}

int oci_layout_read_blob(const struct oci_layout *l, const char *digest, char **data, size_t *len,
                         struct ib_error *err) {
  if (!ib_digest_valid(digest)) return ib_fail(err, -EINVAL, "\"%s\" is not a sha256 digest", digest);
  char *p = oci_layout_blob_path(l, digest);
  size_t n;
  int rc = ib_read_file(p, data, &n, err);
  free(p);
  if (rc < 0) return rc == -ENOENT ? ib_fail(err, rc, "blob %s is missing from the store", digest) : rc;
  char got[IB_DIGEST_LEN + 1];
  ib_digest_buffer(*data, n, got);
  if (strcmp(got, digest) != 0) {
    free(*data);
    return ib_fail(err, -EBADMSG, "blob %s in the store: digest mismatch (the file is corrupt)", digest);
  }
  if (len) *len = n;
  return 0;
}

int oci_layout_index(const struct oci_layout *l, struct reg_index *x, struct ib_error *err) {
  memset(x, 0, sizeof *x);
  char *p = ib_strfmt("%s/index.json", l->root), *text;
  size_t len;
  int rc = ib_read_file(p, &text, &len, err);
  if (rc == 0) {
    struct ib_error why;
    rc = reg_index_parse(text, len, x, &why);
    if (rc < 0) ib_fail(err, rc, "%s: %s", p, why.msg);
    free(text);
  }
  free(p);
  return rc;
}

static ssize_t find_ref(const struct reg_index *x, const char *ref_name) {
  for (size_t i = 0; i < x->count; i++) {
    const char *name = reg_annotations_get(&x->manifests[i].annotations, REG_ANN_REF_NAME);
    if (name && strcmp(name, ref_name) == 0) return (ssize_t)i;
  }
  return -1;
}

int oci_layout_resolve(const struct oci_layout *l, const char *ref_name, struct reg_descriptor *out,
                       struct ib_error *err) {
  struct reg_index x;
  int rc = oci_layout_index(l, &x, err);
  if (rc < 0) return rc;
  ssize_t i = find_ref(&x, ref_name);
  if (i < 0) rc = ib_fail(err, -ENOENT, "%s: no such image in the store", ref_name);
  else reg_descriptor_copy(out, &x.manifests[i]);
  reg_index_free(&x);
  return rc;
}

/* Loads index.json under the index lock, lets change() edit it, writes it back atomically. */
static int update_index(const struct oci_layout *l, int (*change)(struct reg_index *, const void *, struct ib_error *),
                        const void *arg, struct ib_error *err) {
  int fd = open_lock(l->root, ".index.lock", LOCK_EX, err);
  if (fd < 0) return fd;
  struct reg_index x = {0};
  int rc = oci_layout_index(l, &x, err);
  if (rc == 0) rc = change(&x, arg, err);
  if (rc == 0) {
    size_t len;
    char *text = reg_index_to_json(&x, &len);
    char *p = ib_strfmt("%s/index.json", l->root);
    rc = ib_write_file_atomic(p, text, len, err);
    free(p);
    free(text);
  }
  reg_index_free(&x);
  close(fd);
  return rc;
}

struct set_ref_arg {
  const char *name;
  const struct reg_descriptor *manifest;
};

static int set_ref_change(struct reg_index *x, const void *arg, struct ib_error *err) {
  (void)err;
  const struct set_ref_arg *a = arg;
  ssize_t i = find_ref(x, a->name);
  if (i >= 0) reg_index_remove(x, (size_t)i);
  struct reg_descriptor d;
  reg_descriptor_copy(&d, a->manifest);
  reg_annotations_set(&d.annotations, REG_ANN_REF_NAME, a->name);
  reg_index_add(x, &d);
  reg_descriptor_free(&d);
  return 0;
}

int oci_layout_set_ref(const struct oci_layout *l, const char *ref_name, const struct reg_descriptor *manifest,
                       struct ib_error *err) {
  struct set_ref_arg a = {ref_name, manifest};
  return update_index(l, set_ref_change, &a, err);
}

static int remove_ref_change(struct reg_index *x, const void *arg, struct ib_error *err) {
  ssize_t i = find_ref(x, arg);
  if (i < 0) return ib_fail(err, -ENOENT, "%s: no such image in the store", (const char *)arg);
  reg_index_remove(x, (size_t)i);
  return 0;
}

int oci_layout_remove_ref(const struct oci_layout *l, const char *ref_name, struct ib_error *err) {
  return update_index(l, remove_ref_change, ref_name, err);
}

/* The set of reachable digests, a plain list: a store holds tens of images, not millions. */
struct digest_set {
  char (*v)[IB_DIGEST_LEN + 1];
  size_t count;
};

static bool set_has(const struct digest_set *s, const char *d) {
  for (size_t i = 0; i < s->count; i++)
    if (strcmp(s->v[i], d) == 0) return true;
  return false;
}

static void set_add(struct digest_set *s, const char *d) {
  if (set_has(s, d)) return;
  s->v = ib_xrealloc(s->v, (s->count + 1) * sizeof *s->v);
  snprintf(s->v[s->count++], IB_DIGEST_LEN + 1, "%s", d);
}

/* Marks d and, for manifests and indexes, what they reference. */
static void mark(const struct oci_layout *l, const struct reg_descriptor *d, struct digest_set *live, int depth) {
  if (set_has(live, d->digest) || depth > 8) return;
  set_add(live, d->digest);
  bool is_index = strcmp(d->media_type, REG_MT_OCI_INDEX) == 0 || strcmp(d->media_type, REG_MT_DOCKER_LIST) == 0;
  bool is_manifest =
      strcmp(d->media_type, REG_MT_OCI_MANIFEST) == 0 || strcmp(d->media_type, REG_MT_DOCKER_MANIFEST) == 0;
  if (!is_index && !is_manifest) return;
  char *text;
  size_t len;
  struct ib_error ignored;
  if (oci_layout_read_blob(l, d->digest, &text, &len, &ignored) < 0) return;
  if (is_index) {
    struct reg_index x;
    if (reg_index_parse(text, len, &x, &ignored) == 0) {
      for (size_t i = 0; i < x.count; i++) mark(l, &x.manifests[i], live, depth + 1);
      reg_index_free(&x);
    }
  } else {
    struct reg_manifest m;
    if (reg_manifest_parse(text, len, &m, &ignored) == 0) {
      set_add(live, m.config.digest);
      for (size_t i = 0; i < m.layer_count; i++) set_add(live, m.layers[i].digest);
      reg_manifest_free(&m);
    }
  }
  free(text);
}

int oci_layout_gc(struct oci_layout *l, size_t *blobs_removed, uint64_t *bytes_freed, struct ib_error *err) {
  size_t removed = 0;
  uint64_t freed = 0;
  /* Exclusive: no writer holds blobs that are not referenced yet. */
  while (flock(l->lock_fd, LOCK_EX) != 0)
    if (errno != EINTR) return ib_fail(err, -errno, "%s/.lock: %s", l->root, strerror(errno));
  struct reg_index x;
  int rc = oci_layout_index(l, &x, err);
  struct digest_set live = {0};
  if (rc == 0) {
    for (size_t i = 0; i < x.count; i++) mark(l, &x.manifests[i], &live, 0);
    reg_index_free(&x);
    char *dir = ib_strfmt("%s/blobs/sha256", l->root);
    DIR *d = opendir(dir);
    if (!d) rc = ib_fail(err, -errno, "%s: %s", dir, strerror(errno));
    for (struct dirent *e; d && (e = readdir(d));) {
      if (e->d_name[0] == '.') continue;
      char *digest = ib_strfmt("sha256:%s", e->d_name);
      bool keep = ib_digest_valid(digest) && set_has(&live, digest);
      free(digest);
      if (keep) continue;
      char *p = ib_strfmt("%s/%s", dir, e->d_name);
      struct stat st;
      if (stat(p, &st) == 0 && unlink(p) == 0) {
        removed++;
        freed += (uint64_t)st.st_size;
      }
      free(p);
    }
    if (d) closedir(d);
    free(dir);
    char *tmp = ib_strfmt("%s/.tmp", l->root);
    ib_remove_tree(tmp);
    if (rc == 0) rc = ib_mkdir_p(tmp, err);
    free(tmp);
  }
  free(live.v);
  flock(l->lock_fd, LOCK_SH);
  if (blobs_removed) *blobs_removed = removed;
  if (bytes_freed) *bytes_freed = freed;
  return rc;
}
