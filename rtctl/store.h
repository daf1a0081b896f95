/* The local image store, under $XDG_DATA_HOME/runtimejs (default ~/.local/share/runtimejs).
 *
 *   images/NAME/HEX/initrd.cpio    the initrd (with /runtime.json inside)
 *   images/NAME/HEX/runtime.json   the image config, also kept beside it for quick reads
 *   images/NAME/HEX/manifest.json  digests and sizes of kernel, initrd and config
 *   images/NAME/HEX/kernel-path    where the kernel was (the kernel is not copied)
 *   images/NAME/tags/TAG           "sha256:HEX"
 *
 * The image digest is the SHA-256 of manifest.json, which holds the SHA-256 of the kernel,
 * the initrd and the config: equal inputs give equal digests. A later issue turns this into
 * an OCI image layout; callers only use this interface. */
#ifndef RTCTL_STORE_H
#define RTCTL_STORE_H

#include <stdint.h>

#include "digest.h"
#include "ib_error.h"

struct store_image {
  char *name;
  char digest[IB_DIGEST_LEN + 1];
  char *dir;         /* the image's folder */
  char *initrd_path;
  char *config_path;
  char *kernel_path;
  char kernel_digest[IB_DIGEST_LEN + 1];
  uint64_t kernel_size, initrd_size, config_size;
};

/* A store write in progress: files go into a private temporary folder until store_commit. */
struct store_txn {
  char *root;
  char *tmp_dir;
  char *initrd_path; /* where the caller writes the initrd */
};

int store_root(char **root, struct ib_error *err);

int store_begin(struct store_txn *txn, struct ib_error *err);
/* Hashes everything, moves the image into place and points the tags at it. */
int store_commit(struct store_txn *txn, const char *name, const char *const *tags, const char *config_json,
                 const char *kernel_path, struct store_image *out, struct ib_error *err);
void store_abort(struct store_txn *txn);

/* REF is NAME or NAME:TAG (default tag "latest"). */
int store_lookup(const char *ref, struct store_image *out, struct ib_error *err);

/* Checks that the kernel the image was built with is still the same file content. */
int store_check_kernel(const struct store_image *img, struct ib_error *err);

void store_image_free(struct store_image *img);

/* "1.0.0+build" -> "1.0.0_build": tags are [A-Za-z0-9_.-]. */
char *store_tag_from_version(const char *version);

#endif
