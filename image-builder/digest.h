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

#endif
