/* The kernel in the store. Its layer is the ELF compressed with gzip (REG_MT_RUNTIMEJS_KERNEL_GZ,
 * a third of the size on the wire and on disk), annotated with the ELF's own digest; QEMU
 * needs the ELF itself, kept unpacked beside the layout and made again from the layer when
 * missing (after a pull):
 *
 *   ROOT/.kernels/HEX        the ELF whose sha256 is HEX (read-only)
 *   ROOT/.kernels/HEX.layer  the digest of its compressed layer: a kernel is compressed once
 *
 * Compression is deterministic for a given zlib (level 6, gzip header without name or time):
 * equal kernels give equal layers and image digests with the same zlib (another deflate, such
 * as zlib-ng, may compress differently). */
#ifndef RTCTL_KERNEL_BLOB_H
#define RTCTL_KERNEL_BLOB_H

#include <stdint.h>

#include "digest.h"
#include "oci_layout.h"

#define KERNEL_ELF_DIGEST_ANNOTATION "io.runtimejs.kernel.elf.digest"

struct kernel_blob {
  char elf_digest[IB_DIGEST_LEN + 1];
  uint64_t elf_size;
  char layer_digest[IB_DIGEST_LEN + 1];
  uint64_t layer_size;
};

/* Stores the ELF at path: its compressed layer (unless the same ELF was stored before) and its
 * unpacked copy. */
int kernel_blob_put(const struct oci_layout *l, const char *path, struct kernel_blob *k, struct ib_error *err);

/* The unpacked ELF of a layer (*path malloc'd), unpacked and verified against elf_digest when
 * missing. */
int kernel_blob_unpacked(const struct oci_layout *l, const char *layer_digest, const char *elf_digest, char **path,
                         uint64_t *elf_size, struct ib_error *err);

/* Removes unpacked kernels whose layer is no longer in the store (after a garbage collection);
 * returns how many bytes that freed. */
uint64_t kernel_blob_prune(const struct oci_layout *l);

#endif
