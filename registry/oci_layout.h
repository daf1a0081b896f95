/* An OCI image layout on disk (image-spec "image-layout"): the local image store.
 *
 *   ROOT/oci-layout            {"imageLayoutVersion":"1.0.0"}
 *   ROOT/index.json            the image index; each entry's org.opencontainers.image.ref.name
 *                              annotation holds a full reference ("hello:latest",
 *                              "127.0.0.1:5000/demo/hello:v1")
 *   ROOT/blobs/sha256/HEX      content, named by its SHA-256
 *   ROOT/.tmp/                 blobs being written (renamed into blobs/ once verified)
 *   ROOT/.lock, ROOT/.index.lock
 *
 * Every writer of the layout holds a shared flock on .lock from open to close; the garbage
 * collector takes it exclusively, so it never removes a blob written but not yet referenced,
 * nor a temporary file in use. Changes to index.json are made under an exclusive flock on
 * .index.lock and written to a temporary file then renamed: readers need no lock. */
#ifndef REGISTRY_OCI_LAYOUT_H
#define REGISTRY_OCI_LAYOUT_H

#include <stdbool.h>
#include <stdint.h>

#include "descriptor.h"
#include "ib_error.h"
#include "image_index.h"

struct oci_layout {
  char *root;
  int lock_fd;
};

/* Creates the layout when missing. */
int oci_layout_open(const char *root, struct oci_layout *l, struct ib_error *err);
void oci_layout_close(struct oci_layout *l);

char *oci_layout_blob_path(const struct oci_layout *l, const char *digest);
bool oci_layout_has_blob(const struct oci_layout *l, const char *digest, uint64_t size);

/* A blob being written: bytes go to a temporary file and are hashed on the way; commit checks
 * them against the expected digest and size and only then renames the file into blobs/. */
struct oci_blob_writer {
  const struct oci_layout *layout;
  char *tmp_path;
  int fd;
  struct ib_hasher *hasher;
  uint64_t size;
};

int oci_blob_writer_begin(const struct oci_layout *l, struct oci_blob_writer *w, struct ib_error *err);
int oci_blob_writer_write(struct oci_blob_writer *w, const void *data, size_t len, struct ib_error *err);
/* Starts over (a download retried from the beginning). */
int oci_blob_writer_reset(struct oci_blob_writer *w, struct ib_error *err);
/* expected: the digest the bytes must have (NULL: any; expected_size < 0: any size). The
 * digest found is written to digest (may be NULL). On a mismatch nothing is stored and the
 * error names the blob and says "digest mismatch". The writer is finished either way. */
int oci_blob_writer_commit(struct oci_blob_writer *w, const char *expected, int64_t expected_size,
                           char digest[IB_DIGEST_LEN + 1], struct ib_error *err);
void oci_blob_writer_abort(struct oci_blob_writer *w);

int oci_layout_put_buffer(const struct oci_layout *l, const void *data, size_t len, char digest[IB_DIGEST_LEN + 1],
                          struct ib_error *err);
/* Moves a file of the caller's, on the layout's file system (e.g. under oci_layout_tmp_dir),
 * into blobs/. */
int oci_layout_adopt_file(const struct oci_layout *l, const char *path, char digest[IB_DIGEST_LEN + 1],
                          uint64_t *size, struct ib_error *err);
/* A fresh folder under ROOT/.tmp for the caller's temporary files (removed by the caller, or
 * by the next garbage collection). */
int oci_layout_tmp_dir(const struct oci_layout *l, char **dir, struct ib_error *err);
/* A new temporary file .tmp/PREFIX.XXXXXX (emptied by the garbage collection should its
 * writer die); returns its open descriptor (close-on-exec) and *path, or a negative code. */
int oci_layout_tmp_file(const struct oci_layout *l, const char *prefix, char **path, struct ib_error *err);

/* Reads a blob whole, checking its digest (for manifests and configs: small). */
int oci_layout_read_blob(const struct oci_layout *l, const char *digest, char **data, size_t *len,
                         struct ib_error *err);

int oci_layout_index(const struct oci_layout *l, struct reg_index *x, struct ib_error *err);
/* The manifest descriptor filed under a full reference name; -ENOENT when none. */
int oci_layout_resolve(const struct oci_layout *l, const char *ref_name, struct reg_descriptor *out,
                       struct ib_error *err);
/* Files manifest (a copy, with the ref.name annotation set) under ref_name, replacing what
 * was there. */
int oci_layout_set_ref(const struct oci_layout *l, const char *ref_name, const struct reg_descriptor *manifest,
                       struct ib_error *err);
/* -ENOENT when ref_name is not there. */
int oci_layout_remove_ref(const struct oci_layout *l, const char *ref_name, struct ib_error *err);

/* Removes the blobs no reference reaches (through manifests and indexes) and stale temporary
 * files. Reports what was removed when the pointers are not NULL. */
int oci_layout_gc(struct oci_layout *l, size_t *blobs_removed, uint64_t *bytes_freed, struct ib_error *err);

#endif
