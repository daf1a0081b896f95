/* The OCI layout store: creation, blobs (buffer, adopt, verified writer), refs in
 * index.json, garbage collection. */
#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "manifest.h"
#include "media_types.h"
#include "oci_layout.h"
#include "test_helpers.h"

static int count_files(const char *dir) {
  DIR *d = opendir(dir);
  int n = 0;
  for (struct dirent *e; d && (e = readdir(d));)
    if (e->d_name[0] != '.') n++;
  if (d) closedir(d);
  return n;
}

static char *read_text(const char *root, const char *rel) {
  char *p = ib_strfmt("%s/%s", root, rel), *text = NULL;
  struct ib_error err;
  if (ib_read_file(p, &text, NULL, &err) < 0) text = NULL;
  free(p);
  return text;
}

/* A manifest referencing config and one layer; returns its descriptor. */
static void put_image(struct oci_layout *l, const char *config, const char *layer, struct reg_descriptor *out) {
  struct ib_error err;
  char cd[IB_DIGEST_LEN + 1], ld[IB_DIGEST_LEN + 1], md[IB_DIGEST_LEN + 1];
  CHECK_EQ(oci_layout_put_buffer(l, config, strlen(config), cd, &err), 0);
  CHECK_EQ(oci_layout_put_buffer(l, layer, strlen(layer), ld, &err), 0);
  struct reg_descriptor c, y;
  reg_descriptor_init(&c, REG_MT_RUNTIMEJS_CONFIG, cd, strlen(config));
  reg_descriptor_init(&y, REG_MT_RUNTIMEJS_INITRD, ld, strlen(layer));
  struct reg_manifest m;
  reg_manifest_init(&m, REG_ARTIFACT_RUNTIMEJS, &c);
  reg_manifest_add_layer(&m, &y);
  size_t len;
  char *text = reg_manifest_to_json(&m, &len);
  CHECK_EQ(oci_layout_put_buffer(l, text, len, md, &err), 0);
  reg_descriptor_init(out, REG_MT_OCI_MANIFEST, md, len);
  free(text);
  reg_manifest_free(&m);
  reg_descriptor_free(&c);
  reg_descriptor_free(&y);
}

int main(void) {
  char *dir = test_dir();
  char *root = ib_strfmt("%s/oci", dir);
  char *blobs = ib_strfmt("%s/blobs/sha256", root), *tmp = ib_strfmt("%s/.tmp", root);
  struct oci_layout l;
  struct ib_error err;
  CHECK_EQ(oci_layout_open(root, &l, &err), 0);
  char *t = read_text(root, "oci-layout");
  CHECK_STR(t, "{\"imageLayoutVersion\":\"1.0.0\"}");
  free(t);
  t = read_text(root, "index.json");
  CHECK_STR(t, "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[]}");
  free(t);

  /* A buffer blob lands under its digest, read-only; writing it again changes nothing. */
  char d[IB_DIGEST_LEN + 1];
  CHECK_EQ(oci_layout_put_buffer(&l, "abc", 3, d, &err), 0);
  CHECK_STR(d, "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(oci_layout_has_blob(&l, d, 3));
  CHECK(!oci_layout_has_blob(&l, d, 4));
  char *p = oci_layout_blob_path(&l, d);
  struct stat st;
  CHECK_EQ(stat(p, &st), 0);
  CHECK_EQ(st.st_mode & 0777, 0444);
  free(p);
  CHECK_EQ(oci_layout_put_buffer(&l, "abc", 3, d, &err), 0);
  CHECK_EQ(count_files(blobs), 1);

  /* A writer whose bytes do not match: nothing stored, no temporary left, the blob named. */
  struct oci_blob_writer w;
  CHECK_EQ(oci_blob_writer_begin(&l, &w, &err), 0);
  CHECK_EQ(oci_blob_writer_write(&w, "abd", 3, &err), 0);
  CHECK_EQ(oci_blob_writer_commit(&w, "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ae", 3, NULL,
                                  &err), -74);
  CHECK_CONTAINS(err.msg, "blob sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ae: digest mismatch");
  CHECK_EQ(count_files(blobs), 1);
  CHECK_EQ(count_files(tmp), 0);
  /* A size mismatch is refused too; a reset writer starts over. */
  CHECK_EQ(oci_blob_writer_begin(&l, &w, &err), 0);
  CHECK_EQ(oci_blob_writer_write(&w, "xxxx", 4, &err), 0);
  CHECK_EQ(oci_blob_writer_reset(&w, &err), 0);
  CHECK_EQ(oci_blob_writer_write(&w, "", 0, &err), 0);
  CHECK_EQ(oci_blob_writer_commit(&w, "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", 1, NULL,
                                  &err), -74);
  CHECK_CONTAINS(err.msg, "digest mismatch: size 0, expected 1");
  CHECK_EQ(count_files(tmp), 0);

  /* Another buffer (12 bytes, unreferenced: gc removes it below); a file moved in (adopt). */
  CHECK_EQ(oci_layout_put_buffer(&l, "file content", 12, d, &err), 0);
  CHECK(oci_layout_has_blob(&l, d, 12));
  uint64_t size;
  char *tdir;
  CHECK_EQ(oci_layout_tmp_dir(&l, &tdir, &err), 0);
  put(tdir, "x", "adopted");
  char *x = ib_strfmt("%s/x", tdir);
  CHECK_EQ(oci_layout_adopt_file(&l, x, d, &size, &err), 0);
  CHECK(oci_layout_has_blob(&l, d, 7));
  CHECK(access(x, F_OK) != 0);
  char *data;
  size_t len;
  CHECK_EQ(oci_layout_read_blob(&l, d, &data, &len, &err), 0);
  CHECK_STR(data, "adopted");
  free(data);

  /* Refs: set, replace, resolve, remove. */
  struct reg_descriptor one, two, got;
  put_image(&l, "{\"c\":1}", "layer one", &one);
  put_image(&l, "{\"c\":2}", "layer two", &two);
  CHECK_EQ(oci_layout_set_ref(&l, "hello:latest", &one, &err), 0);
  CHECK_EQ(oci_layout_set_ref(&l, "127.0.0.1:5000/demo/hello:v1", &one, &err), 0);
  CHECK_EQ(oci_layout_set_ref(&l, "hello:latest", &two, &err), 0);
  CHECK_EQ(oci_layout_resolve(&l, "hello:latest", &got, &err), 0);
  CHECK_STR(got.digest, two.digest);
  CHECK_STR(reg_annotations_get(&got.annotations, REG_ANN_REF_NAME), "hello:latest");
  reg_descriptor_free(&got);
  CHECK_EQ(oci_layout_resolve(&l, "hello:v9", &got, &err), -2);
  CHECK_CONTAINS(err.msg, "hello:v9: no such image in the store");
  struct reg_index idx;
  CHECK_EQ(oci_layout_index(&l, &idx, &err), 0);
  CHECK_EQ(idx.count, 2);
  reg_index_free(&idx);

  /* gc: everything but the two images' blobs goes ("abc", the file, the adopted blob). */
  CHECK_EQ(count_files(blobs), 9);
  size_t removed;
  uint64_t freed;
  CHECK_EQ(oci_layout_gc(&l, &removed, &freed, &err), 0);
  CHECK_EQ(removed, 3);
  CHECK_EQ(freed, 3 + 12 + 7);
  CHECK_EQ(count_files(blobs), 6);
  CHECK_EQ(count_files(tmp), 0);
  /* Dropping image one's last ref frees its three blobs. */
  CHECK_EQ(oci_layout_remove_ref(&l, "127.0.0.1:5000/demo/hello:v1", &err), 0);
  CHECK_EQ(oci_layout_remove_ref(&l, "127.0.0.1:5000/demo/hello:v1", &err), -2);
  CHECK_EQ(oci_layout_gc(&l, &removed, &freed, &err), 0);
  CHECK_EQ(removed, 3);
  CHECK(!oci_layout_has_blob(&l, one.digest, one.size));
  CHECK(oci_layout_has_blob(&l, two.digest, two.size));

  /* A corrupt blob is refused on read. */
  p = oci_layout_blob_path(&l, two.digest);
  chmod(p, 0644);
  put(blobs, two.digest + 7, "tampered");
  CHECK_EQ(oci_layout_read_blob(&l, two.digest, &data, &len, &err), -74);
  CHECK_CONTAINS(err.msg, "digest mismatch");
  free(p);

  oci_layout_close(&l);
  reg_descriptor_free(&one);
  reg_descriptor_free(&two);
  ib_remove_tree(dir);
  free(x);
  free(tdir);
  free(blobs);
  free(tmp);
  free(root);
  free(dir);
  return CHECK_DONE();
}
