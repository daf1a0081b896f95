/* Copying images between the local layout and a registry.
 *
 * Push uploads the blobs a manifest references (skipping those the registry has), then PUTs
 * the manifest: a push killed half way leaves no tag. Pull GETs the manifest (an index is
 * resolved to its linux/amd64 entry), downloads the missing blobs verified against their
 * digests, stores the manifest, and only then files the reference. */
#ifndef REGISTRY_TRANSFER_H
#define REGISTRY_TRANSFER_H

#include <stdio.h>

#include "client.h"
#include "descriptor.h"
#include "oci_layout.h"

/* Pushes the manifest with that digest (a blob of l) as repo:tag. A line per blob goes to
 * report (may be NULL): "exists  sha256:HEX (SIZE)" or "uploaded sha256:HEX (SIZE)". */
int reg_push(struct reg_client *c, const struct oci_layout *l, const char *manifest_digest, const char *repo,
             const char *tag, FILE *report, struct ib_error *err);

/* Pulls repo:reference (a tag or a digest) and files it in l under ref_name. The stored
 * manifest's descriptor is returned in out (free it with reg_descriptor_free). */
int reg_pull(struct reg_client *c, const struct oci_layout *l, const char *repo, const char *reference,
             const char *ref_name, FILE *report, struct reg_descriptor *out, struct ib_error *err);

#endif
