/* The local image store: an OCI image layout under $XDG_DATA_HOME/runtimejs/oci (default
 * ~/.local/share/runtimejs/oci), see registry/oci_layout.h. An image is an OCI artifact
 * (registry/media_types.h): a manifest whose config blob is runtime.json and whose layers are
 * the kernel (compressed, kernel_blob.h) and the initrd. The kernel is copied into the store,
 * so an image is whole by itself: it boots with its own kernel wherever it is pulled to.
 *
 * References are filed in index.json as "NAME:TAG" for built images and as
 * "HOST[:PORT]/REPO:TAG" for pulled ones. The image digest is the manifest's digest. */
#ifndef RTCTL_STORE_H
#define RTCTL_STORE_H

#include <stdint.h>

#include "digest.h"
#include "ib_error.h"
#include "oci_layout.h"

struct store_image {
  char *name;        /* the repository, without tag: "hello", "127.0.0.1:5000/demo/hello" */
  char *ref;         /* the full reference it is filed under: "hello:latest" */
  char digest[IB_DIGEST_LEN + 1];
  char *initrd_path; /* the blobs in the store */
  char *config_path;
  char *kernel_path; /* after store_kernel_ready: the unpacked kernel, or after a build the
                        kernel file it was copied from; NULL before */
  char kernel_digest[IB_DIGEST_LEN + 1];       /* the ELF's */
  char kernel_layer_digest[IB_DIGEST_LEN + 1]; /* its compressed layer */
  uint64_t kernel_size, initrd_size, config_size; /* kernel_size: the ELF's */
  uint64_t kernel_layer_size;                      /* the kernel's compressed layer */
  char *created;     /* the org.opencontainers.image.created annotation, or NULL */
};

/* A store write in progress: the layout is held open (so no garbage collection removes the
 * blobs before they are referenced) and the initrd is written to a private temporary file. */
struct store_txn {
  struct oci_layout layout;
  char *tmp_dir;
  char *initrd_path; /* where the caller writes the initrd */
};

/* $XDG_DATA_HOME/runtimejs. */
int store_root(char **root, struct ib_error *err);
/* Opens (creating it when missing) the store's OCI layout. */
int store_open(struct oci_layout *layout, struct ib_error *err);

int store_begin(struct store_txn *txn, struct ib_error *err);
/* Moves the initrd, the config and a copy of the kernel into the store as blobs, writes the
 * manifest and files it under NAME:TAG for every tag. */
int store_commit(struct store_txn *txn, const char *name, const char *version, const char *const *tags,
                 const char *config_json, const char *kernel_path, struct store_image *out, struct ib_error *err);
void store_abort(struct store_txn *txn);

/* REF is NAME[:TAG], HOST/REPO[:TAG] or either with @sha256:HEX (default tag "latest").
 * -ENOENT when the store does not have it. */
int store_lookup(const char *ref, struct store_image *out, struct ib_error *err);

/* Makes sure the image's kernel ELF is on disk, whole, for QEMU or a disk image: unpacked
 * from its layer when missing (after a pull), or the build's file unchanged. Sets
 * kernel_path and kernel_size. Lookups leave it to those who boot the kernel. */
int store_kernel_ready(struct store_image *img, struct ib_error *err);

void store_image_free(struct store_image *img);

/* "1.0.0+build" -> "1.0.0_build": tags are [A-Za-z0-9_.-]. */
char *store_tag_from_version(const char *version);

/* The created annotation of a new image: $SOURCE_DATE_EPOCH when set; else the time of an
 * image already in the store with the same config, kernel and initrd (building twice gives
 * the same manifest, hence the same digest); else now. RFC 3339, seconds, UTC. */
int store_created_time(const struct oci_layout *layout, const char *config_digest, const char *kernel_digest,
                       const char *initrd_digest, char out[32], struct ib_error *err);

#endif
