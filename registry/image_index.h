/* OCI image indexes: the index.json of an image layout, and the multi-platform indexes (and
 * Docker manifest lists) a registry may answer with. */
#ifndef REGISTRY_IMAGE_INDEX_H
#define REGISTRY_IMAGE_INDEX_H

#include "descriptor.h"

struct reg_index {
  struct reg_descriptor *manifests;
  size_t count;
};

/* Appends a copy of d. */
void reg_index_add(struct reg_index *x, const struct reg_descriptor *d);
void reg_index_remove(struct reg_index *x, size_t i);
void reg_index_free(struct reg_index *x);

/* Canonical bytes: {"schemaVersion":2,"mediaType":"...index.v1+json","manifests":[...]}. */
char *reg_index_to_json(const struct reg_index *x, size_t *len);
int reg_index_parse(const char *text, size_t len, struct reg_index *x, struct ib_error *err);

/* The entry for os/arch ("linux"/"amd64"), or the only entry when there is one; NULL when
 * none fits. */
const struct reg_descriptor *reg_index_select(const struct reg_index *x, const char *os, const char *arch);

#endif
