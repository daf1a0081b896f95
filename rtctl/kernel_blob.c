#include "kernel_blob.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "fs_util.h"

#define CHUNK (1u << 16)
#define GZIP_WINDOW (15 + 16) /* zlib: a gzip wrapper */
#define LEVEL 6
#define ELF_MAX (1ull << 30) /* a pulled layer that unpacks to more is refused (a gzip bomb) */

static char *kernels_dir(const struct oci_layout *l) {
  return ib_strfmt("%s/.kernels", l->root);
}

static char *elf_path(const struct oci_layout *l, const char *elf_digest) {
  return ib_strfmt("%s/.kernels/%s", l->root, elf_digest + 7);
}

static char *map_path(const struct oci_layout *l, const char *elf_digest) {
  return ib_strfmt("%s/.kernels/%s.layer", l->root, elf_digest + 7);
}

/* The layer recorded for an ELF, when that blob is still in the store. */
static bool known_layer(const struct oci_layout *l, struct kernel_blob *k) {
  char *p = map_path(l, k->elf_digest), *text = NULL;
  size_t len;
  struct ib_error ignored;
  bool ok = ib_read_file(p, &text, &len, &ignored) == 0 && len >= IB_DIGEST_LEN;
  if (ok) {
    memcpy(k->layer_digest, text, IB_DIGEST_LEN);
    k->layer_digest[IB_DIGEST_LEN] = '\0';
    char *blob = ib_digest_valid(k->layer_digest) ? oci_layout_blob_path(l, k->layer_digest) : NULL;
    struct stat st;
    ok = blob && stat(blob, &st) == 0;
    if (ok) k->layer_size = (uint64_t)st.st_size;
    free(blob);
  }
  free(text);
  free(p);
  return ok;
}

/* gzip of the file at path into a new blob; the bytes compressed must be the ELF whose digest
 * k holds (the file may change between two reads while a kernel is being rebuilt). */
static int compress_into_store(const struct oci_layout *l, const char *path, struct kernel_blob *k,
                               struct ib_error *err) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ib_fail(err, -errno, "%s: %s", path, strerror(errno));
  struct oci_blob_writer w;
  int rc = oci_blob_writer_begin(l, &w, err);
  z_stream z = {0};
  if (rc == 0 && deflateInit2(&z, LEVEL, Z_DEFLATED, GZIP_WINDOW, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    rc = ib_fail(err, -ENOMEM, "zlib: cannot start compressing");
  unsigned char *in = ib_xmalloc(CHUNK), *out = ib_xmalloc(CHUNK);
  struct ib_hasher *h = ib_hasher_new();
  for (int flush = Z_NO_FLUSH; rc == 0 && flush != Z_FINISH;) {
    ssize_t got = read(fd, in, CHUNK);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      rc = ib_fail(err, -errno, "%s: %s", path, strerror(errno));
      break;
    }
    ib_hasher_update(h, in, (size_t)got);
    flush = got == 0 ? Z_FINISH : Z_NO_FLUSH;
    z.next_in = in;
    z.avail_in = (uInt)got;
    do {
      z.next_out = out;
      z.avail_out = CHUNK;
      deflate(&z, flush);
      rc = oci_blob_writer_write(&w, out, CHUNK - z.avail_out, err);
    } while (rc == 0 && z.avail_out == 0);
  }
  deflateEnd(&z);
  free(in);
  free(out);
  close(fd);
  char read_digest[IB_DIGEST_LEN + 1];
  ib_hasher_final(h, read_digest); /* frees h */
  if (rc == 0 && strcmp(read_digest, k->elf_digest) != 0)
    rc = ib_fail(err, -EAGAIN, "%s changed while stored: build again", path);
  if (rc == 0) {
    k->layer_size = w.size;
    return oci_blob_writer_commit(&w, NULL, -1, k->layer_digest, err);
  }
  oci_blob_writer_abort(&w);
  return rc;
}

/* Moves a verified temporary file to the unpacked ELF's place, read-only, on disk first (a
 * crash leaves the whole ELF or none). */
static int install_elf(const struct oci_layout *l, const char *elf_digest, const char *tmp, struct ib_error *err) {
  char *dst = elf_path(l, elf_digest);
  int rc = 0, fd = open(tmp, O_RDONLY | O_CLOEXEC);
  if (fd < 0 || fsync(fd) != 0 || chmod(tmp, 0444) != 0 || rename(tmp, dst) != 0)
    rc = ib_fail(err, -errno, "%s: %s", dst, strerror(errno));
  if (fd >= 0) close(fd);
  free(dst);
  return rc;
}


int kernel_blob_put(const struct oci_layout *l, const char *path, struct kernel_blob *k, struct ib_error *err) {
  memset(k, 0, sizeof *k);
  int rc = ib_digest_file(path, k->elf_digest, &k->elf_size, err);
  char *dir = kernels_dir(l);
  if (rc == 0) rc = ib_mkdir_p(dir, err);
  free(dir);
  if (rc < 0) return rc;
  if (!known_layer(l, k)) {
    rc = compress_into_store(l, path, k, err);
    char *map = map_path(l, k->elf_digest);
    if (rc == 0) rc = ib_write_file_atomic(map, k->layer_digest, IB_DIGEST_LEN, err);
    free(map);
    if (rc < 0) return rc;
  }
  char *elf = elf_path(l, k->elf_digest);
  struct stat st;
  bool have = stat(elf, &st) == 0 && (uint64_t)st.st_size == k->elf_size;
  free(elf);
  if (have) return 0;
  char *tmp = NULL;
  int fd = oci_layout_tmp_file(l, "elf", &tmp, err);
  if (fd < 0) return fd;
  close(fd);
  if (rc == 0) rc = ib_copy_file(path, tmp, err);
  /* The copy is checked: the build's kernel file may have changed meanwhile. */
  char got[IB_DIGEST_LEN + 1];
  if (rc == 0) rc = ib_digest_file(tmp, got, NULL, err);
  if (rc == 0 && strcmp(got, k->elf_digest) != 0) rc = ib_fail(err, -EAGAIN, "%s changed while stored: build again", path);
  if (rc == 0) rc = install_elf(l, k->elf_digest, tmp, err);
  if (rc < 0) unlink(tmp);
  free(tmp);
  return rc;
}

int kernel_blob_unpacked(const struct oci_layout *l, const char *layer_digest, const char *elf_digest, char **path,
                         uint64_t *elf_size, struct ib_error *err) {
  if (!ib_digest_valid(layer_digest) || !ib_digest_valid(elf_digest))
    return ib_fail(err, -EINVAL, "kernel layer: bad digest");
  *path = elf_path(l, elf_digest);
  struct stat st;
  if (stat(*path, &st) == 0) {
    *elf_size = (uint64_t)st.st_size;
    return 0;
  }
  char *dir = kernels_dir(l);
  int rc = ib_mkdir_p(dir, err);
  free(dir);
  char *blob = oci_layout_blob_path(l, layer_digest);
  char *tmp = NULL;
  gzFile in = NULL;
  int out = -1;
  if (rc == 0) {
    out = oci_layout_tmp_file(l, "elf", &tmp, err);
    if (out < 0) rc = out;
  }
  if (rc == 0 && !(in = gzopen(blob, "rb"))) rc = ib_fail(err, -errno, "%s: %s", blob, strerror(errno));
  unsigned char *buf = ib_xmalloc(CHUNK);
  uint64_t total = 0;
  while (rc == 0) {
    int n = gzread(in, buf, CHUNK);
    if (n > 0 && (total += (uint64_t)n) > ELF_MAX)
      rc = ib_fail(err, -EFBIG, "kernel layer %s: unpacks to more than %llu MiB", layer_digest, ELF_MAX >> 20);
    if (n < 0) {
      int zerr;
      rc = ib_fail(err, -EBADMSG, "kernel layer %s: %s", layer_digest, gzerror(in, &zerr));
    }
    if (n <= 0) break;
    for (int off = 0; rc == 0 && off < n;) {
      ssize_t w = write(out, buf + off, (size_t)(n - off));
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) rc = ib_fail(err, -errno, "%s: %s", tmp, strerror(errno));
      else off += (int)w;
    }
  }
  free(buf);
  if (in) gzclose(in);
  if (out >= 0 && close(out) != 0 && rc == 0) rc = ib_fail(err, -errno, "%s: %s", tmp, strerror(errno));
  char got[IB_DIGEST_LEN + 1];
  if (rc == 0) rc = ib_digest_file(tmp, got, elf_size, err);
  if (rc == 0 && strcmp(got, elf_digest) != 0)
    rc = ib_fail(err, -EBADMSG, "kernel layer %s: unpacks to %s, not the %s its manifest names", layer_digest, got,
                 elf_digest);
  /* The map first: a prune running meanwhile sees the ELF's layer and keeps it. */
  char *map = map_path(l, elf_digest);
  if (rc == 0) rc = ib_write_file_atomic(map, layer_digest, IB_DIGEST_LEN, err);
  free(map);
  if (rc == 0) rc = install_elf(l, elf_digest, tmp, err);
  if (rc < 0) {
    if (tmp) unlink(tmp);
    free(*path);
    *path = NULL;
  }
  free(tmp);
  free(blob);
  return rc;
}

uint64_t kernel_blob_prune(const struct oci_layout *l) {
  char *dir = kernels_dir(l);
  DIR *d = opendir(dir);
  uint64_t freed = 0;
  struct dirent *e;
  while (d && (e = readdir(d))) {
    if (strlen(e->d_name) != 64) continue; /* an unpacked ELF; its .layer map beside it */
    struct kernel_blob k;
    snprintf(k.elf_digest, sizeof k.elf_digest, "sha256:%s", e->d_name);
    if (known_layer(l, &k)) continue;
    char *elf = elf_path(l, k.elf_digest), *map = map_path(l, k.elf_digest);
    struct stat st;
    if (stat(elf, &st) == 0 && unlink(elf) == 0) freed += (uint64_t)st.st_size;
    unlink(map);
    free(elf);
    free(map);
  }
  if (d) closedir(d);
  free(dir);
  return freed;
}
