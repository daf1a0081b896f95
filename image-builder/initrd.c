#include "initrd.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fs_util.h"

void ib_entries_free(struct ib_entries *e) {
  for (size_t i = 0; i < e->count; i++) {
    free(e->v[i].path);
    free(e->v[i].source);
    free(e->v[i].data);
  }
  free(e->v);
  e->v = NULL;
  e->count = 0;
}

static struct ib_entry *entries_push(struct ib_entries *e, const char *path, enum ib_entry_kind kind) {
  e->v = ib_xrealloc(e->v, (e->count + 1) * sizeof *e->v);
  struct ib_entry *n = &e->v[e->count++];
  memset(n, 0, sizeof *n);
  n->path = ib_xstrdup(path);
  n->kind = kind;
  return n;
}

void ib_entries_add_dir(struct ib_entries *e, const char *path) {
  entries_push(e, path, IB_ENTRY_DIR);
}

void ib_entries_add_file(struct ib_entries *e, const char *path, const char *source, bool executable) {
  struct ib_entry *n = entries_push(e, path, IB_ENTRY_FILE);
  n->source = ib_xstrdup(source);
  n->executable = executable;
}

void ib_entries_add_data(struct ib_entries *e, const char *path, const void *data, size_t size) {
  struct ib_entry *n = entries_push(e, path, IB_ENTRY_DATA);
  n->data = ib_xmalloc(size);
  memcpy(n->data, data, size);
  n->size = size;
}

void ib_entries_add_symlink(struct ib_entries *e, const char *path, const char *target) {
  struct ib_entry *n = entries_push(e, path, IB_ENTRY_SYMLINK);
  n->data = ib_xstrdup(target);
  n->size = strlen(target);
}

int ib_archive_path_check(const char *path, struct ib_error *err) {
  if (path[0] == '\0') return ib_fail(err, -EINVAL, "empty name in the initrd");
  if (path[0] == '/') return ib_fail(err, -EINVAL, "%s: absolute names are refused in the initrd", path);
  for (const char *c = path; *c;) {
    size_t n = strcspn(c, "/");
    if (n == 0 || (n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.'))
      return ib_fail(err, -EINVAL, "%s: \"..\", \".\" and empty components are refused in the initrd", path);
    c += n;
    if (*c == '/') {
      c++;
      if (*c == '\0') return ib_fail(err, -EINVAL, "%s: trailing '/' in an initrd name", path);
    }
  }
  return 0;
}

/* One entry of the final, sorted list: either one of the caller's or an implied parent. */
struct planned {
  const char *path;
  const struct ib_entry *entry; /* NULL: implied folder */
};

static int planned_cmp(const void *a, const void *b) {
  return strcmp(((const struct planned *)a)->path, ((const struct planned *)b)->path);
}

static int plan(const struct ib_entries *entries, struct planned **out, size_t *count, char ***owned,
                size_t *owned_count, struct ib_error *err) {
  size_t cap = entries->count * 2 + 8, n = 0, on = 0;
  struct planned *v = ib_xmalloc(cap * sizeof *v);
  char **own = ib_xmalloc(cap * sizeof *own);
  for (size_t i = 0; i < entries->count; i++) {
    int rc = ib_archive_path_check(entries->v[i].path, err);
    if (rc < 0) {
      free(v);
      free(own);
      return rc;
    }
    if (n + 1 >= cap) {
      cap *= 2;
      v = ib_xrealloc(v, cap * sizeof *v);
      own = ib_xrealloc(own, cap * sizeof *own);
    }
    v[n++] = (struct planned){entries->v[i].path, &entries->v[i]};
    /* Every parent folder, once; duplicates are removed after sorting. */
    const char *path = entries->v[i].path;
    for (const char *s = strchr(path, '/'); s; s = strchr(s + 1, '/')) {
      if (n + 1 >= cap) {
        cap *= 2;
        v = ib_xrealloc(v, cap * sizeof *v);
        own = ib_xrealloc(own, cap * sizeof *own);
      }
      char *parent = strndup(path, (size_t)(s - path));
      own[on++] = parent;
      v[n++] = (struct planned){parent, NULL};
    }
  }
  qsort(v, n, sizeof *v, planned_cmp);
  size_t w = 0;
  for (size_t i = 0; i < n; i++) {
    if (w > 0 && strcmp(v[w - 1].path, v[i].path) == 0) {
      const struct ib_entry *a = v[w - 1].entry, *b = v[i].entry;
      bool a_dir = !a || a->kind == IB_ENTRY_DIR, b_dir = !b || b->kind == IB_ENTRY_DIR;
      int bad = 0;
      if (a && b && !(a_dir && b_dir))
        bad = ib_fail(err, -EEXIST, "%s: twice in the initrd", v[i].path);
      else if (!a_dir || !b_dir)
        bad = ib_fail(err, -ENOTDIR, "%s: both a folder and a file in the initrd", v[i].path);
      if (bad) {
        free(v);
        for (size_t k = 0; k < on; k++) free(own[k]);
        free(own);
        return bad;
      }
      if (!a) v[w - 1].entry = b;
      continue;
    }
    v[w++] = v[i];
  }
  *out = v;
  *count = w;
  *owned = own;
  *owned_count = on;
  return 0;
}

static int archive_fail(struct archive *a, struct ib_error *err, const char *what) {
  return ib_fail(err, -EIO, "%s: %s", what, archive_error_string(a) ? archive_error_string(a) : "libarchive error");
}

static int write_file_data(struct archive *a, const char *source, int64_t expected, struct ib_error *err) {
  int fd = open(source, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ib_fail(err, -errno, "%s: %s", source, strerror(errno));
  char buf[1 << 16];
  int64_t total = 0;
  int rc = 0;
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      rc = ib_fail(err, -errno, "%s: %s", source, strerror(errno));
      break;
    }
    if (n == 0) break;
    total += n;
    if (total > expected) break;
    if (archive_write_data(a, buf, (size_t)n) != n) {
      rc = archive_fail(a, err, source);
      break;
    }
  }
  close(fd);
  if (rc == 0 && total != expected) rc = ib_fail(err, -EAGAIN, "%s: changed while it was being packaged", source);
  return rc;
}

static int write_entry(struct archive *a, struct archive_entry *ae, const struct planned *p, int64_t ino,
                       struct ib_error *err) {
  const struct ib_entry *e = p->entry;
  archive_entry_clear(ae);
  archive_entry_set_pathname(ae, p->path);
  archive_entry_set_ino64(ae, ino);
  archive_entry_set_dev(ae, 0);
  archive_entry_set_rdev(ae, 0);
  archive_entry_set_uid(ae, 0);
  archive_entry_set_gid(ae, 0);
  archive_entry_set_mtime(ae, 0, 0);
  archive_entry_set_nlink(ae, 1);
  int64_t size = 0;
  if (!e || e->kind == IB_ENTRY_DIR) {
    archive_entry_set_filetype(ae, AE_IFDIR);
    archive_entry_set_perm(ae, 0755);
    archive_entry_set_nlink(ae, 2);
  } else if (e->kind == IB_ENTRY_SYMLINK) {
    archive_entry_set_filetype(ae, AE_IFLNK);
    archive_entry_set_perm(ae, 0777);
    archive_entry_set_symlink(ae, e->data);
  } else {
    archive_entry_set_filetype(ae, AE_IFREG);
    archive_entry_set_perm(ae, e->executable ? 0755 : 0644);
    if (e->kind == IB_ENTRY_FILE) {
      struct stat st;
      if (stat(e->source, &st) != 0) return ib_fail(err, -errno, "%s: %s", e->source, strerror(errno));
      size = st.st_size;
    } else {
      size = (int64_t)e->size;
    }
  }
  archive_entry_set_size(ae, size);
  if (archive_write_header(a, ae) != ARCHIVE_OK) return archive_fail(a, err, p->path);
  if (e && e->kind == IB_ENTRY_FILE) return write_file_data(a, e->source, size, err);
  if (e && e->kind == IB_ENTRY_DATA && e->size > 0 && archive_write_data(a, e->data, e->size) != (la_ssize_t)e->size)
    return archive_fail(a, err, p->path);
  return 0;
}

/* Opens a cpio newc writer on a temporary file beside out_path. */
static struct archive *open_writer(const char *out_path, char **tmp, int *fd, struct ib_error *err, int *rc) {
  *fd = ib_open_temp_beside(out_path, tmp, err);
  if (*fd < 0) {
    *rc = *fd;
    return NULL;
  }
  struct archive *a = archive_write_new();
  archive_write_set_format_cpio_newc(a);
  archive_write_add_filter_none(a);
  archive_write_set_bytes_in_last_block(a, 1);
  if (archive_write_open_fd(a, *fd) != ARCHIVE_OK) {
    *rc = archive_fail(a, err, out_path);
    archive_write_free(a);
    close(*fd);
    unlink(*tmp);
    free(*tmp);
    return NULL;
  }
  *rc = 0;
  return a;
}

/* Closes the writer and renames the temporary file over out_path when rc is 0. */
static int close_writer(struct archive *a, int fd, char *tmp, const char *out_path, int rc, struct ib_error *err) {
  if (archive_write_close(a) != ARCHIVE_OK && rc == 0) rc = archive_fail(a, err, out_path);
  archive_write_free(a);
  if (rc == 0 && fchmod(fd, 0644) != 0) rc = ib_fail(err, -errno, "%s: %s", out_path, strerror(errno));
  if (close(fd) != 0 && rc == 0) rc = ib_fail(err, -errno, "%s: %s", out_path, strerror(errno));
  if (rc == 0 && rename(tmp, out_path) != 0) rc = ib_fail(err, -errno, "%s: %s", out_path, strerror(errno));
  if (rc != 0) unlink(tmp);
  free(tmp);
  return rc;
}

int ib_initrd_write(const struct ib_entries *entries, const char *out_path, struct ib_error *err) {
  struct planned *v = NULL;
  size_t n = 0, on = 0;
  char **owned = NULL;
  int rc = plan(entries, &v, &n, &owned, &on, err);
  if (rc < 0) return rc;
  char *tmp = NULL;
  int fd = -1;
  struct archive *a = open_writer(out_path, &tmp, &fd, err, &rc);
  if (a) {
    struct archive_entry *ae = archive_entry_new();
    for (size_t i = 0; i < n && rc == 0; i++) rc = write_entry(a, ae, &v[i], (int64_t)i + 1, err);
    archive_entry_free(ae);
    rc = close_writer(a, fd, tmp, out_path, rc, err);
  }
  free(v);
  for (size_t k = 0; k < on; k++) free(owned[k]);
  free(owned);
  return rc;
}

int ib_initrd_replace_file(const char *in_path, const char *out_path, const char *name, const void *data,
                           size_t size, struct ib_error *err) {
  struct archive *in = archive_read_new();
  archive_read_support_format_cpio(in);
  archive_read_support_filter_none(in);
  if (archive_read_open_filename(in, in_path, 1 << 16) != ARCHIVE_OK) {
    int rc = archive_fail(in, err, in_path);
    archive_read_free(in);
    return rc;
  }
  char *tmp = NULL;
  int fd = -1, rc = 0;
  struct archive *out = open_writer(out_path, &tmp, &fd, err, &rc);
  if (!out) {
    archive_read_free(in);
    return rc;
  }
  bool replaced = false;
  struct archive_entry *ae;
  char buf[1 << 16];
  int r;
  while (rc == 0 && (r = archive_read_next_header(in, &ae)) == ARCHIVE_OK) {
    bool target = strcmp(archive_entry_pathname(ae), name) == 0;
    if (target) {
      archive_entry_set_size(ae, (int64_t)size);
      replaced = true;
    }
    if (archive_write_header(out, ae) != ARCHIVE_OK) {
      rc = archive_fail(out, err, out_path);
      break;
    }
    if (target) {
      if (size > 0 && archive_write_data(out, data, size) != (la_ssize_t)size) rc = archive_fail(out, err, out_path);
      continue;
    }
    la_ssize_t got;
    while ((got = archive_read_data(in, buf, sizeof buf)) > 0) {
      if (archive_write_data(out, buf, (size_t)got) != got) {
        rc = archive_fail(out, err, out_path);
        break;
      }
    }
    if (got < 0 && rc == 0) rc = archive_fail(in, err, in_path);
  }
  if (rc == 0 && r != ARCHIVE_EOF) rc = archive_fail(in, err, in_path);
  if (rc == 0 && !replaced) rc = ib_fail(err, -ENOENT, "%s: no %s in this initrd", in_path, name);
  archive_read_free(in);
  return close_writer(out, fd, tmp, out_path, rc, err);
}
