#define _GNU_SOURCE
#include "fs_util.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void *ib_xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) {
    fputs("out of memory\n", stderr);
    abort();
  }
  return p;
}

void *ib_xrealloc(void *p, size_t n) {
  p = realloc(p, n ? n : 1);
  if (!p) {
    fputs("out of memory\n", stderr);
    abort();
  }
  return p;
}

char *ib_xstrdup(const char *s) {
  size_t n = strlen(s) + 1;
  return memcpy(ib_xmalloc(n), s, n);
}

char *ib_strfmt(const char *fmt, ...) {
  va_list ap;
  char *s;
  va_start(ap, fmt);
  int n = vasprintf(&s, fmt, ap);
  va_end(ap);
  if (n < 0) {
    fputs("out of memory\n", stderr);
    abort();
  }
  return s;
}

int ib_mkdir_p(const char *dir, struct ib_error *err) {
  char *p = ib_xstrdup(dir);
  for (char *s = p + 1;; s++) {
    char c = *s;
    if (c != '/' && c != '\0') continue;
    *s = '\0';
    if (mkdir(p, 0755) != 0 && errno != EEXIST) {
      int e = errno;
      ib_fail(err, -e, "%s: %s", p, strerror(e));
      free(p);
      return -e;
    }
    *s = c;
    if (c == '\0') break;
  }
  free(p);
  return 0;
}

int ib_read_file(const char *path, char **data, size_t *len, struct ib_error *err) {
  FILE *f = fopen(path, "rb");
  if (!f) return ib_fail(err, -errno, "%s: %s", path, strerror(errno));
  size_t cap = 4096, n = 0;
  char *buf = ib_xmalloc(cap);
  for (;;) {
    if (n + 1 >= cap) buf = ib_xrealloc(buf, cap *= 2);
    size_t got = fread(buf + n, 1, cap - n - 1, f);
    n += got;
    if (got == 0) break;
  }
  int bad = ferror(f);
  fclose(f);
  if (bad) {
    free(buf);
    return ib_fail(err, -EIO, "%s: read error", path);
  }
  buf[n] = '\0';
  *data = buf;
  if (len) *len = n;
  return 0;
}

int ib_open_temp_beside(const char *path, char **tmp_path, struct ib_error *err) {
  char *tmp = ib_strfmt("%s.tmp.XXXXXX", path);
  int fd = mkstemp(tmp);
  if (fd < 0) {
    int e = errno;
    free(tmp);
    return ib_fail(err, -e, "%s: cannot create a temporary file: %s", path, strerror(e));
  }
  *tmp_path = tmp;
  return fd;
}

int ib_write_file_atomic(const char *path, const void *data, size_t len, struct ib_error *err) {
  char *tmp;
  int fd = ib_open_temp_beside(path, &tmp, err);
  if (fd < 0) return fd;
  const char *p = data;
  size_t left = len;
  int rc = 0;
  while (left > 0) {
    ssize_t w = write(fd, p, left);
    if (w < 0) {
      if (errno == EINTR) continue;
      rc = ib_fail(err, -errno, "%s: %s", path, strerror(errno));
      break;
    }
    p += w;
    left -= (size_t)w;
  }
  if (rc == 0 && fchmod(fd, 0644) != 0) rc = ib_fail(err, -errno, "%s: %s", path, strerror(errno));
  /* On disk before the rename: after a power loss the file is the old one or the new one,
   * never empty (ext4 with noauto_da_alloc, XFS). */
  if (rc == 0 && fsync(fd) != 0) rc = ib_fail(err, -errno, "%s: %s", path, strerror(errno));
  if (close(fd) != 0 && rc == 0) rc = ib_fail(err, -errno, "%s: %s", path, strerror(errno));
  if (rc == 0 && rename(tmp, path) != 0) rc = ib_fail(err, -errno, "%s: %s", path, strerror(errno));
  if (rc != 0) unlink(tmp);
  free(tmp);
  return rc;
}

int ib_make_temp_dir(const char *prefix, char **dir, struct ib_error *err) {
  const char *base = getenv("TMPDIR");
  if (!base || !*base) base = "/tmp";
  char *d = ib_strfmt("%s/%s.XXXXXX", base, prefix);
  if (!mkdtemp(d)) {
    int e = errno;
    free(d);
    return ib_fail(err, -e, "%s: cannot create a temporary folder: %s", base, strerror(e));
  }
  *dir = d;
  return 0;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
  (void)st;
  (void)flag;
  (void)ftw;
  remove(path);
  return 0;
}

int ib_remove_tree(const char *path) {
  struct stat st;
  if (lstat(path, &st) != 0) return errno == ENOENT ? 0 : -errno;
  return nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS) == 0 ? 0 : -errno;
}

int ib_copy_file(const char *src, const char *dst, struct ib_error *err) {
  int in = open(src, O_RDONLY | O_CLOEXEC);
  if (in < 0) return ib_fail(err, -errno, "%s: %s", src, strerror(errno));
  int out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (out < 0) {
    int e = errno;
    close(in);
    return ib_fail(err, -e, "%s: %s", dst, strerror(e));
  }
  char buf[1 << 16];
  int rc = 0;
  for (;;) {
    ssize_t n = read(in, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      rc = ib_fail(err, -errno, "%s: %s", src, strerror(errno));
      break;
    }
    if (n == 0) break;
    for (ssize_t off = 0; off < n;) {
      ssize_t w = write(out, buf + off, (size_t)(n - off));
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) {
        rc = ib_fail(err, -errno, "%s: %s", dst, strerror(errno));
        goto done;
      }
      off += w;
    }
  }
done:
  close(in);
  if (close(out) != 0 && rc == 0) rc = ib_fail(err, -errno, "%s: %s", dst, strerror(errno));
  return rc;
}
