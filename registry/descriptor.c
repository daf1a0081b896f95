#include "descriptor.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fs_util.h"

void reg_annotations_set(struct reg_annotations *a, const char *key, const char *value) {
  size_t i = 0;
  while (i < a->count && strcmp(a->v[i].key, key) < 0) i++;
  if (i < a->count && strcmp(a->v[i].key, key) == 0) {
    free(a->v[i].value);
    a->v[i].value = ib_xstrdup(value);
    return;
  }
  a->v = ib_xrealloc(a->v, (a->count + 1) * sizeof *a->v);
  memmove(a->v + i + 1, a->v + i, (a->count - i) * sizeof *a->v);
  a->v[i].key = ib_xstrdup(key);
  a->v[i].value = ib_xstrdup(value);
  a->count++;
}

const char *reg_annotations_get(const struct reg_annotations *a, const char *key) {
  for (size_t i = 0; i < a->count; i++)
    if (strcmp(a->v[i].key, key) == 0) return a->v[i].value;
  return NULL;
}

void reg_annotations_free(struct reg_annotations *a) {
  for (size_t i = 0; i < a->count; i++) {
    free(a->v[i].key);
    free(a->v[i].value);
  }
  free(a->v);
  memset(a, 0, sizeof *a);
}

void reg_descriptor_init(struct reg_descriptor *d, const char *media_type, const char *digest, uint64_t size) {
  memset(d, 0, sizeof *d);
  d->media_type = ib_xstrdup(media_type);
  snprintf(d->digest, sizeof d->digest, "%s", digest);
  d->size = size;
}

static char *dup_or_null(const char *s) {
  return s ? ib_xstrdup(s) : NULL;
}

void reg_descriptor_copy(struct reg_descriptor *dst, const struct reg_descriptor *src) {
  reg_descriptor_init(dst, src->media_type, src->digest, src->size);
  dst->artifact_type = dup_or_null(src->artifact_type);
  dst->platform_os = dup_or_null(src->platform_os);
  dst->platform_arch = dup_or_null(src->platform_arch);
  for (size_t i = 0; i < src->annotations.count; i++)
    reg_annotations_set(&dst->annotations, src->annotations.v[i].key, src->annotations.v[i].value);
}

void reg_descriptor_free(struct reg_descriptor *d) {
  free(d->media_type);
  free(d->artifact_type);
  free(d->platform_os);
  free(d->platform_arch);
  reg_annotations_free(&d->annotations);
  memset(d, 0, sizeof *d);
}

json_t *reg_annotations_to_json(const struct reg_annotations *a) {
  json_t *o = json_object();
  for (size_t i = 0; i < a->count; i++) json_object_set_new(o, a->v[i].key, json_string(a->v[i].value));
  return o;
}

int reg_annotations_from_json(json_t *j, struct reg_annotations *a, const char *what, struct ib_error *err) {
  memset(a, 0, sizeof *a);
  if (!j) return 0;
  if (!json_is_object(j)) return ib_fail(err, -EINVAL, "%s: \"annotations\" is not an object", what);
  const char *key;
  json_t *value;
  json_object_foreach(j, key, value) {
    if (!json_is_string(value)) {
      reg_annotations_free(a);
      return ib_fail(err, -EINVAL, "%s: annotation \"%s\" is not a string", what, key);
    }
    reg_annotations_set(a, key, json_string_value(value));
  }
  return 0;
}

json_t *reg_descriptor_to_json(const struct reg_descriptor *d) {
  json_t *o = json_object();
  json_object_set_new(o, "mediaType", json_string(d->media_type));
  json_object_set_new(o, "digest", json_string(d->digest));
  json_object_set_new(o, "size", json_integer((json_int_t)d->size));
  if (d->artifact_type) json_object_set_new(o, "artifactType", json_string(d->artifact_type));
  if (d->platform_os || d->platform_arch) {
    json_t *p = json_object();
    json_object_set_new(p, "architecture", json_string(d->platform_arch ? d->platform_arch : ""));
    json_object_set_new(p, "os", json_string(d->platform_os ? d->platform_os : ""));
    json_object_set_new(o, "platform", p);
  }
  if (d->annotations.count) json_object_set_new(o, "annotations", reg_annotations_to_json(&d->annotations));
  return o;
}

static const char *opt_string(json_t *o, const char *key) {
  json_t *v = json_object_get(o, key);
  return json_is_string(v) ? json_string_value(v) : NULL;
}

int reg_descriptor_from_json(json_t *j, struct reg_descriptor *d, const char *what, struct ib_error *err) {
  memset(d, 0, sizeof *d);
  if (!json_is_object(j)) return ib_fail(err, -EINVAL, "%s: not a descriptor object", what);
  const char *mt = opt_string(j, "mediaType"), *digest = opt_string(j, "digest");
  json_t *size = json_object_get(j, "size");
  if (!mt || !*mt) return ib_fail(err, -EINVAL, "%s: missing \"mediaType\"", what);
  if (!digest) return ib_fail(err, -EINVAL, "%s: missing \"digest\"", what);
  if (!ib_digest_valid(digest)) return ib_fail(err, -EINVAL, "%s: \"%s\" is not a sha256 digest", what, digest);
  if (!json_is_integer(size) || json_integer_value(size) < 0)
    return ib_fail(err, -EINVAL, "%s: missing or negative \"size\"", what);
  json_t *at = json_object_get(j, "artifactType");
  if (at && !json_is_string(at)) return ib_fail(err, -EINVAL, "%s: \"artifactType\" is not a string", what);
  reg_descriptor_init(d, mt, digest, (uint64_t)json_integer_value(size));
  d->artifact_type = dup_or_null(opt_string(j, "artifactType"));
  json_t *platform = json_object_get(j, "platform");
  if (json_is_object(platform)) {
    d->platform_os = dup_or_null(opt_string(platform, "os"));
    d->platform_arch = dup_or_null(opt_string(platform, "architecture"));
  }
  struct reg_annotations ann;
  int rc = reg_annotations_from_json(json_object_get(j, "annotations"), &ann, what, err);
  if (rc < 0) {
    reg_descriptor_free(d);
    return rc;
  }
  d->annotations = ann;
  return 0;
}

char *reg_json_dump(json_t *j, size_t *len) {
  char *text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
  if (!text) {
    fputs("out of memory\n", stderr);
    abort();
  }
  if (len) *len = strlen(text);
  return text;
}
