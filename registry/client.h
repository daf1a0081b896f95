/* A client of the OCI distribution API (libcurl): the /v2/ ping, blobs (existence check,
 * monolithic and chunked upload, download verified into a layout) and manifests (PUT with
 * their media type, GET with the Accept list of OCI and Docker manifests and indexes).
 *
 * Authentication follows the registry's WWW-Authenticate challenge: Basic with the stored
 * credentials, or the Bearer token flow (a token fetched from the realm for the service and
 * scope, cached per scope). Requests are retried with exponential back-off on connection
 * errors, 5xx and 429 (never on other 4xx). https, or plain http when insecure or for a
 * loopback host. Credentials and tokens never appear in messages. */
#ifndef REGISTRY_CLIENT_H
#define REGISTRY_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "descriptor.h"
#include "docker_config.h"
#include "ib_error.h"
#include "oci_layout.h"

#define REG_DEFAULT_CHUNK_SIZE (16ull << 20)

struct reg_client_options {
  bool insecure;       /* plain http */
  uint64_t chunk_size; /* blobs larger than this upload in chunks of this size; 0: 16 MiB */
  bool progress;       /* progress bars on stderr (when it is a terminal) */
  int attempts;        /* tries per request on transient errors; 0: 5 */
};

struct reg_client;

/* cred may be NULL (anonymous); it is copied. */
int reg_client_new(const char *registry, const struct reg_credentials *cred, const struct reg_client_options *o,
                   struct reg_client **out, struct ib_error *err);
void reg_client_free(struct reg_client *c);
const char *reg_client_registry(const struct reg_client *c);

/* GET /v2/, authenticating when asked. Fails with -EACCES and a message containing
 * "unauthorized" when the credentials are refused, or telling to run `rtctl login` when
 * there are none. */
int reg_client_ping(struct reg_client *c, struct ib_error *err);

int reg_blob_exists(struct reg_client *c, const char *repo, const struct reg_descriptor *d, bool *exists,
                    struct ib_error *err);
/* Uploads the file at path, whose digest and size are d's. */
int reg_blob_upload(struct reg_client *c, const char *repo, const char *path, const struct reg_descriptor *d,
                    struct ib_error *err);
/* Downloads into the layout; the bytes must match d's digest and size, else nothing is
 * stored and the error says "digest mismatch". */
int reg_blob_download(struct reg_client *c, const char *repo, const struct reg_descriptor *d,
                      const struct oci_layout *l, struct ib_error *err);

int reg_manifest_put(struct reg_client *c, const char *repo, const char *tag, const char *media_type,
                     const char *data, size_t len, struct ib_error *err);
/* reference: a tag or a digest. *media_type is the answer's Content-Type (or the document's
 * mediaType). */
int reg_manifest_get(struct reg_client *c, const char *repo, const char *reference, char **data, size_t *len,
                     char **media_type, struct ib_error *err);

#endif
