/* OCI image manifests (image-spec 1.1), and the Docker v2 schema 2 manifests that have the same
 * shape: {schemaVersion 2, mediaType, artifactType?, config, layers[], annotations?}. */
#ifndef REGISTRY_MANIFEST_H
#define REGISTRY_MANIFEST_H

#include "descriptor.h"

struct reg_manifest {
  char *media_type;      /* REG_MT_OCI_MANIFEST or REG_MT_DOCKER_MANIFEST */
  char *artifact_type;   /* NULL: none */
  struct reg_descriptor config;
  struct reg_descriptor *layers;
  size_t layer_count;
  struct reg_annotations annotations;
};

/* An OCI manifest with the given artifact type (may be NULL) and config. */
void reg_manifest_init(struct reg_manifest *m, const char *artifact_type, const struct reg_descriptor *config);
void reg_manifest_add_layer(struct reg_manifest *m, const struct reg_descriptor *layer);
void reg_manifest_free(struct reg_manifest *m);

/* Canonical bytes: compact, keys schemaVersion, mediaType, artifactType, config, layers,
 * annotations. The text is malloc'd; its digest is the manifest's digest. */
char *reg_manifest_to_json(const struct reg_manifest *m, size_t *len);

/* Parses and checks a manifest. An image index is refused here (see reg_index_parse). */
int reg_manifest_parse(const char *text, size_t len, struct reg_manifest *m, struct ib_error *err);

/* The first layer with that media type, or NULL. */
const struct reg_descriptor *reg_manifest_layer(const struct reg_manifest *m, const char *media_type);

/* The "mediaType" of a manifest or index document, or NULL when there is none (the result
 * is malloc'd). */
char *reg_document_media_type(const char *text, size_t len);

#endif
