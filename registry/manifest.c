#include "manifest.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fs_util.h"
#include "media_types.h"

void reg_manifest_init(struct reg_manifest *m, const char *artifact_type, const struct reg_descriptor *config) {
  memset(m, 0, sizeof *m);
  m->media_type = ib_xstrdup(REG_MT_OCI_MANIFEST);
  m->artifact_type = artifact_type ? ib_xstrdup(artifact_type) : NULL;
  reg_descriptor_copy(&m->config, config);
}

void reg_manifest_add_layer(struct reg_manifest *m, const struct reg_descriptor *layer) {
  m->layers = ib_xrealloc(m->layers, (m->layer_count + 1) * sizeof *m->layers);
  reg_descriptor_copy(&m->layers[m->layer_count++], layer);
}

void reg_manifest_free(struct reg_manifest *m) {
  free(m->media_type);
  free(m->artifact_type);
  reg_descriptor_free(&m->config);
  for (size_t i = 0; i < m->layer_count; i++) reg_descriptor_free(&m->layers[i]);
  free(m->layers);
  reg_annotations_free(&m->annotations);
  memset(m, 0, sizeof *m);
}

char *reg_manifest_to_json(const struct reg_manifest *m, size_t *len) {
  json_t *o = json_object();
  json_object_set_new(o, "schemaVersion", json_integer(2));
  json_object_set_new(o, "mediaType", json_string(m->media_type));
  if (m->artifact_type) json_object_set_new(o, "artifactType", json_string(m->artifact_type));
  json_object_set_new(o, "config", reg_descriptor_to_json(&m->config));
  json_t *layers = json_array();
  for (size_t i = 0; i < m->layer_count; i++) json_array_append_new(layers, reg_descriptor_to_json(&m->layers[i]));
  json_object_set_new(o, "layers", layers);
  if (m->annotations.count) json_object_set_new(o, "annotations", reg_annotations_to_json(&m->annotations));
  char *text = reg_json_dump(o, len);
  json_decref(o);
  return text;
}

char *reg_document_media_type(const char *text, size_t len) {
  json_t *o = json_loadb(text, len, 0, NULL);
  json_t *mt = json_object_get(o, "mediaType");
  char *s = json_is_string(mt) ? ib_xstrdup(json_string_value(mt)) : NULL;
  json_decref(o);
  return s;
}

static int parse_object(json_t *o, struct reg_manifest *m, struct ib_error *err) {
  json_t *version = json_object_get(o, "schemaVersion");
  json_t *mt = json_object_get(o, "mediaType");
  json_t *at = json_object_get(o, "artifactType");
  json_t *layers = json_object_get(o, "layers");
  if (!json_is_integer(version) || json_integer_value(version) != 2)
    return ib_fail(err, -EINVAL, "manifest: \"schemaVersion\" is not 2");
  if (mt && !json_is_string(mt)) return ib_fail(err, -EINVAL, "manifest: \"mediaType\" is not a string");
  const char *media = mt ? json_string_value(mt) : REG_MT_OCI_MANIFEST;
  if (strcmp(media, REG_MT_OCI_INDEX) == 0 || strcmp(media, REG_MT_DOCKER_LIST) == 0 || json_object_get(o, "manifests"))
    return ib_fail(err, -EINVAL, "manifest: an image index, not an image manifest");
  if (strcmp(media, REG_MT_OCI_MANIFEST) != 0 && strcmp(media, REG_MT_DOCKER_MANIFEST) != 0)
    return ib_fail(err, -EINVAL, "manifest: unsupported media type \"%s\"", media);
  if (at && (!json_is_string(at) || !json_string_length(at)))
    return ib_fail(err, -EINVAL, "manifest: \"artifactType\" is not a media type");
  if (!json_is_array(layers)) return ib_fail(err, -EINVAL, "manifest: missing \"layers\"");
  m->media_type = ib_xstrdup(media);
  m->artifact_type = at ? ib_xstrdup(json_string_value(at)) : NULL;
  int rc = reg_descriptor_from_json(json_object_get(o, "config"), &m->config, "manifest: config", err);
  if (rc < 0) return rc;
  size_t i;
  json_t *layer;
  json_array_foreach(layers, i, layer) {
    char what[64];
    snprintf(what, sizeof what, "manifest: layers[%zu]", i);
    struct reg_descriptor d;
    rc = reg_descriptor_from_json(layer, &d, what, err);
    if (rc < 0) return rc;
    reg_manifest_add_layer(m, &d);
    reg_descriptor_free(&d);
  }
  return reg_annotations_from_json(json_object_get(o, "annotations"), &m->annotations, "manifest", err);
}

int reg_manifest_parse(const char *text, size_t len, struct reg_manifest *m, struct ib_error *err) {
  memset(m, 0, sizeof *m);
  json_error_t jerr;
  json_t *o = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
  if (!o) return ib_fail(err, -EINVAL, "manifest: not JSON (%s, line %d)", jerr.text, jerr.line);
  int rc = json_is_object(o) ? parse_object(o, m, err) : ib_fail(err, -EINVAL, "manifest: not a JSON object");
  json_decref(o);
  if (rc < 0) reg_manifest_free(m);
  return rc;
}

const struct reg_descriptor *reg_manifest_layer(const struct reg_manifest *m, const char *media_type) {
  for (size_t i = 0; i < m->layer_count; i++)
    if (strcmp(m->layers[i].media_type, media_type) == 0) return &m->layers[i];
  return NULL;
}
