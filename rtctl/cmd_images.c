/* rtctl images [--json]: the references in the local store, one a line. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "fs_util.h"
#include "manifest.h"
#include "media_types.h"
#include "parse_options.h"
#include "rtctl.h"
#include "store.h"

static const char usage[] = "rtctl images [--json]";

struct image_row {
  const char *ref;
  const char *digest;
  const char *artifact_type;
  uint64_t size; /* manifest, config and layers */
  char *created; /* NULL: unknown */
};

/* Size and created time from the manifest, when it is a readable image manifest. */
static void describe(const struct oci_layout *l, const struct reg_descriptor *d, struct image_row *row) {
  row->size = d->size;
  char *text;
  size_t len;
  struct ib_error ignored;
  if (oci_layout_read_blob(l, d->digest, &text, &len, &ignored) < 0) return;
  struct reg_manifest m;
  if (reg_manifest_parse(text, len, &m, &ignored) == 0) {
    row->size += m.config.size;
    for (size_t i = 0; i < m.layer_count; i++) row->size += m.layers[i].size;
    const char *created = reg_annotations_get(&m.annotations, REG_ANN_CREATED);
    row->created = created ? ib_xstrdup(created) : NULL;
    reg_manifest_free(&m);
  }
  free(text);
}

int cmd_images(int argc, char **argv) {
  bool as_json = false;
  const struct rt_option opts[] = {
      {RT_OPT_BOOL, 0, "json", &as_json, NULL, "print a JSON array"},
      RT_OPTION_END,
  };
  int n = rt_parse_options("images", argc, argv, opts, usage);
  if (n == RT_PARSE_HELP) return 0;
  if (n < 0) return RTCTL_EXIT_USAGE;
  if (n > 0) {
    rtctl_error("images", "takes no arguments (usage: %s)", usage);
    return RTCTL_EXIT_USAGE;
  }
  struct oci_layout l;
  struct reg_index x;
  struct ib_error err;
  if (store_open(&l, &err) < 0 || oci_layout_index(&l, &x, &err) < 0) {
    rtctl_error("images", "%s", err.msg);
    return RTCTL_EXIT_FAILURE;
  }
  json_t *list = json_array();
  if (!as_json) printf("%-40s %-71s %10s  %s\n", "REFERENCE", "DIGEST", "SIZE", "CREATED");
  for (size_t i = 0; i < x.count; i++) {
    const struct reg_descriptor *d = &x.manifests[i];
    struct image_row row = {reg_annotations_get(&d->annotations, REG_ANN_REF_NAME), d->digest, d->artifact_type, 0,
                            NULL};
    if (!row.ref) continue;
    describe(&l, d, &row);
    if (as_json) {
      json_t *o = json_object();
      json_object_set_new(o, "reference", json_string(row.ref));
      json_object_set_new(o, "digest", json_string(row.digest));
      json_object_set_new(o, "size", json_integer((json_int_t)row.size));
      json_object_set_new(o, "created", row.created ? json_string(row.created) : json_null());
      json_object_set_new(o, "artifactType", row.artifact_type ? json_string(row.artifact_type) : json_null());
      json_array_append_new(list, o);
    } else {
      char size[32];
      rtctl_format_size(row.size, size, sizeof size);
      printf("%-40s %-71s %10s  %s\n", row.ref, row.digest, size, row.created ? row.created : "-");
    }
    free(row.created);
  }
  if (as_json) {
    char *text = json_dumps(list, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    puts(text);
    free(text);
  }
  json_decref(list);
  reg_index_free(&x);
  oci_layout_close(&l);
  return 0;
}
