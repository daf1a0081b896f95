/* Registry access as rtctl's commands share it: credentials read from the Docker config,
 * --insecure, the upload chunk size ($RTCTL_CHUNK_SIZE or --chunk-size), progress bars when
 * stderr is a terminal; and pulling a reference into the local store. */
#ifndef RTCTL_REMOTE_H
#define RTCTL_REMOTE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "client.h"
#include "digest.h"
#include "reference.h"

struct remote_options {
  bool insecure;
  uint64_t chunk_size; /* 0: $RTCTL_CHUNK_SIZE, else 16 MiB */
};

/* "16777216", "16M", "512k", "1G" -> bytes (at least 1). */
int remote_parse_size(const char *text, uint64_t *bytes);

int remote_open(const char *registry, const struct remote_options *o, struct reg_client **c, struct ib_error *err);

/* Pulls ref (it has a registry) into the local store; per-blob lines go to report. Returns
 * the reference name it is filed under and the manifest digest. */
int remote_pull(const struct reg_reference *ref, const struct remote_options *o, FILE *report, char **ref_name,
                char digest[IB_DIGEST_LEN + 1], struct ib_error *err);

#endif
