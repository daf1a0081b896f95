/* The kernel in the store (kernel_blob.c): a deterministic gzip layer, compressed once per
 * kernel, its unpacked copy made again when missing and checked against the ELF's digest,
 * and pruned once its layer is gone. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "kernel_blob.h"
#include "test_helpers.h"

int main(void) {
  char *dir = test_dir();
  struct ib_error err;
  /* A stand-in kernel that compresses: 200 KiB of a repeating pattern. */
  size_t n = 200 * 1024;
  char *elf = ib_xmalloc(n);
  for (size_t i = 0; i < n; i++) elf[i] = (char)("kernel"[i % 6] + (i / 4096) % 3);
  char *elf_file = ib_strfmt("%s/kernel.elf", dir);
  CHECK(ib_write_file_atomic(elf_file, elf, n, &err) == 0);
  char *root = ib_strfmt("%s/oci", dir);
  struct oci_layout l;
  CHECK(oci_layout_open(root, &l, &err) == 0);

  struct kernel_blob a, b;
  CHECK(kernel_blob_put(&l, elf_file, &a, &err) == 0);
  char want[IB_DIGEST_LEN + 1];
  ib_digest_buffer(elf, n, want);
  CHECK_STR(a.elf_digest, want);
  CHECK_EQ(a.elf_size, n);
  CHECK(a.layer_size > 0 && a.layer_size < n / 10);
  CHECK(oci_layout_has_blob(&l, a.layer_digest, a.layer_size));
  /* Again: the same layer (deterministic, and not compressed twice). */
  CHECK(kernel_blob_put(&l, elf_file, &b, &err) == 0);
  CHECK_STR(b.layer_digest, a.layer_digest);
  CHECK_EQ(b.layer_size, a.layer_size);

  /* .kernels holds the ELF and its map, nothing else (temporary files live in .tmp). */
  char *kdir = ib_strfmt("%s/.kernels", root);
  DIR *d = opendir(kdir);
  int entries = 0;
  struct dirent *e;
  while (d && (e = readdir(d)))
    if (e->d_name[0] != '.') {
      entries++;
      CHECK(strncmp(e->d_name, a.elf_digest + 7, 64) == 0);
    }
  if (d) closedir(d);
  CHECK_EQ(entries, 2);
  free(kdir);

  /* The unpacked copy: there after put; made again from the layer when deleted. */
  char *path = NULL;
  uint64_t size = 0;
  CHECK(kernel_blob_unpacked(&l, a.layer_digest, a.elf_digest, &path, &size, &err) == 0);
  CHECK_EQ(size, n);
  char *unpacked = ib_strfmt("%s/.kernels/%s", root, a.elf_digest + 7);
  CHECK_STR(path, unpacked);
  free(path);
  chmod(unpacked, 0644);
  CHECK(unlink(unpacked) == 0);
  CHECK(kernel_blob_unpacked(&l, a.layer_digest, a.elf_digest, &path, &size, &err) == 0);
  char *back;
  size_t back_len;
  CHECK(ib_read_file(unpacked, &back, &back_len, &err) == 0);
  CHECK(back_len == n && memcmp(back, elf, n) == 0);
  free(back);
  free(path);

  /* A layer that does not unpack to the digest its manifest names: refused, nothing left. */
  chmod(unpacked, 0644);
  unlink(unpacked);
  char other[IB_DIGEST_LEN + 1];
  ib_digest_buffer("something else", 14, other);
  CHECK(kernel_blob_unpacked(&l, a.layer_digest, other, &path, &size, &err) == -EBADMSG);
  CHECK_CONTAINS(err.msg, "unpacks to");
  char *wrong = ib_strfmt("%s/.kernels/%s", root, other + 7);
  CHECK(access(wrong, F_OK) != 0);
  free(wrong);

  /* Prune: kept while the layer is there, removed (with its map) once it is gone. */
  CHECK(kernel_blob_unpacked(&l, a.layer_digest, a.elf_digest, &path, &size, &err) == 0);
  free(path);
  CHECK_EQ(kernel_blob_prune(&l), 0);
  CHECK(access(unpacked, F_OK) == 0);
  char *layer = oci_layout_blob_path(&l, a.layer_digest);
  chmod(layer, 0644);
  CHECK(unlink(layer) == 0);
  CHECK_EQ(kernel_blob_prune(&l), n);
  CHECK(access(unpacked, F_OK) != 0);
  char *map = ib_strfmt("%s.layer", unpacked);
  CHECK(access(map, F_OK) != 0);

  oci_layout_close(&l);
  ib_remove_tree(dir);
  free(map);
  free(layer);
  free(unpacked);
  free(root);
  free(elf_file);
  free(elf);
  free(dir);
  return CHECK_DONE();
}
