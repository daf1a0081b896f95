#include "image_index.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fs_util.h"
#include "media_types.h"

void reg_index_add(struct reg_index *x, const struct reg_descriptor *d) {
  x->manifests = ib_xrealloc(x->manifests, (x->count + 1) * sizeof *x->manifests);
  reg_descriptor_copy(&x->manifests[x->count++], d);
}

void reg_index_remove(struct reg_index *x, size_t i) {
  reg_descriptor_free(&x->manifests[i]);
  memmove(x->manifests + i, x->manifests + i + 1, (x->count - i - 1) * sizeof *x->manifests);
  x->count--;
}

void reg_index_free(struct reg_index *x) {
  for (size_t i = 0; i < x->count; i++) reg_descriptor_free(&x->manifests[i]);
  free(x->manifests);
  memset(x, 0, sizeof *x);
}

char *reg_index_to_json(const struct reg_index *x, size_t *len) {
  json_t *o = json_object();
  json_object_set_new(o, "schemaVersion", json_integer(2));
  json_object_set_new(o, "mediaType", json_string(REG_MT_OCI_INDEX));
  json_t *list = json_array();
  for (size_t i = 0; i < x->count; i++) json_array_append_new(list, reg_descriptor_to_json(&x->manifests[i]));
  json_object_set_new(o, "manifests", list);
  char *text = reg_json_dump(o, len);
  json_decref(o);
  return text;
}

int reg_index_parse(const char *text, size_t len, struct reg_index *x, struct ib_error *err) {
  memset(x, 0, sizeof *x);
  json_error_t jerr;
  json_t *o = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
  if (!o) return ib_fail(err, -EINVAL, "index: not JSON (%s, line %d)", jerr.text, jerr.line);
  json_t *version = json_object_get(o, "schemaVersion"), *list = json_object_get(o, "manifests");
  json_t *mt = json_object_get(o, "mediaType");
  int rc = 0;
  if (!json_is_object(o)) rc = ib_fail(err, -EINVAL, "index: not a JSON object");
  else if (!json_is_integer(version) || json_integer_value(version) != 2)
    rc = ib_fail(err, -EINVAL, "index: \"schemaVersion\" is not 2");
  else if (mt && (!json_is_string(mt) || (strcmp(json_string_value(mt), REG_MT_OCI_INDEX) != 0 &&
                                          strcmp(json_string_value(mt), REG_MT_DOCKER_LIST) != 0)))
    rc = ib_fail(err, -EINVAL, "index: unsupported media type");
  else if (!json_is_array(list)) rc = ib_fail(err, -EINVAL, "index: missing \"manifests\"");
  size_t i;
  json_t *entry;
  if (rc == 0) {
    json_array_foreach(list, i, entry) {
      char what[64];
      snprintf(what, sizeof what, "index: manifests[%zu]", i);
      struct reg_descriptor d;
      rc = reg_descriptor_from_json(entry, &d, what, err);
      if (rc < 0) break;
      reg_index_add(x, &d);
      reg_descriptor_free(&d);
    }
  }
  json_decref(o);
  if (rc < 0) reg_index_free(x);
  return rc;
}

const struct reg_descriptor *reg_index_select(const struct reg_index *x, const char *os, const char *arch) {
  for (size_t i = 0; i < x->count; i++) {
    const struct reg_descriptor *d = &x->manifests[i];
    if (d->platform_os && d->platform_arch && strcmp(d->platform_os, os) == 0 && strcmp(d->platform_arch, arch) == 0)
      return d;
  }
  return x->count == 1 ? &x->manifests[0] : NULL;
}
