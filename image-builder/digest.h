/* SHA-256 content digests in the OCI form "sha256:<64 hex digits>". */
#ifndef IMAGE_BUILDER_DIGEST_H
#define IMAGE_BUILDER_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#include "ib_error.h"

#define IB_DIGEST_LEN (7 + 64) /* "sha256:" + hex, without the NUL */

void ib_digest_buffer(const void *data, size_t len, char out[IB_DIGEST_LEN + 1]);
/* Also returns the file's size in *size when size is not NULL. */
int ib_digest_file(const char *path, char out[IB_DIGEST_LEN + 1], uint64_t *size, struct ib_error *err);

/* Incremental hashing, for data that streams through (downloads, copies). */
struct ib_hasher;
struct ib_hasher *ib_hasher_new(void);
void ib_hasher_update(struct ib_hasher *h, const void *data, size_t len);
/* Writes the digest and frees h. */
void ib_hasher_final(struct ib_hasher *h, char out[IB_DIGEST_LEN + 1]);
void ib_hasher_free(struct ib_hasher *h);

/* "sha256:" and 64 lowercase hex digits. */
int ib_digest_valid(const char *digest);

#endif
