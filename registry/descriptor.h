/* OCI content descriptors ({mediaType, digest, size, ...}) and their annotations, to and from
 * JSON. Serialisation is canonical: fixed key order, annotations sorted by key. */
#ifndef REGISTRY_DESCRIPTOR_H
#define REGISTRY_DESCRIPTOR_H

#include <jansson.h>
#include <stdint.h>

#include "digest.h"
#include "ib_error.h"

struct reg_annotation {
  char *key, *value;
};

/* Kept sorted by key. */
struct reg_annotations {
  struct reg_annotation *v;
  size_t count;
};

void reg_annotations_set(struct reg_annotations *a, const char *key, const char *value);
const char *reg_annotations_get(const struct reg_annotations *a, const char *key);
void reg_annotations_free(struct reg_annotations *a);

struct reg_descriptor {
  char *media_type;
  char digest[IB_DIGEST_LEN + 1];
  uint64_t size;
  char *artifact_type;                 /* NULL: none */
  char *platform_os, *platform_arch;   /* index entries only; NULL: none */
  struct reg_annotations annotations;
};

void reg_descriptor_init(struct reg_descriptor *d, const char *media_type, const char *digest, uint64_t size);
void reg_descriptor_copy(struct reg_descriptor *dst, const struct reg_descriptor *src);
void reg_descriptor_free(struct reg_descriptor *d);

json_t *reg_descriptor_to_json(const struct reg_descriptor *d);
/* what names the descriptor in messages ("config", "layers[1]"). */
int reg_descriptor_from_json(json_t *j, struct reg_descriptor *d, const char *what, struct ib_error *err);

json_t *reg_annotations_to_json(const struct reg_annotations *a);
int reg_annotations_from_json(json_t *j, struct reg_annotations *a, const char *what, struct ib_error *err);

/* Compact JSON with the keys in the order they were added: the canonical form of our
 * documents. The result is malloc'd and NUL-terminated; *len excludes the NUL. */
char *reg_json_dump(json_t *j, size_t *len);

#endif
