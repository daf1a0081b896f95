#include "containerdisk.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "disk_image.h"
#include "fs_util.h"
#include "image_config.h"
#include "manifest.h"
#include "media_types.h"
#include "time_text.h"

#define KUBEVIRT_QEMU_ID 107

static int tar_fail(struct archive *a, const char *path, struct ib_error *err) {
  return ib_fail(err, -EIO, "%s: %s", path, archive_error_string(a) ? archive_error_string(a) : "write error");
}

static struct archive_entry *entry(const char *path, mode_t type_mode, int64_t size, time_t mtime) {
  struct archive_entry *e = archive_entry_new();
  archive_entry_set_pathname(e, path);
  archive_entry_set_mode(e, type_mode);
  archive_entry_set_size(e, size);
  archive_entry_set_uid(e, KUBEVIRT_QEMU_ID);
  archive_entry_set_gid(e, KUBEVIRT_QEMU_ID);
  archive_entry_set_mtime(e, mtime, 0);
  return e;
}

/* disk/ and disk/NAME.img in a tar at tar_path; fixed owner, modes and times: reproducible. */
static int write_layer(const char *disk, const char *file_name, time_t mtime, const char *tar_path,
                       struct ib_error *err) {
  int in = open(disk, O_RDONLY | O_CLOEXEC);
  if (in < 0) return ib_fail(err, -errno, "%s: %s", disk, strerror(errno));
  struct stat st;
  fstat(in, &st);
  struct archive *a = archive_write_new();
  archive_write_set_format_pax_restricted(a);
  archive_write_add_filter_none(a);
  int rc = 0;
  if (archive_write_open_filename(a, tar_path) != ARCHIVE_OK) rc = tar_fail(a, tar_path, err);
  struct archive_entry *e = entry("disk/", AE_IFDIR | 0555, 0, mtime);
  if (rc == 0 && archive_write_header(a, e) != ARCHIVE_OK) rc = tar_fail(a, tar_path, err);
  archive_entry_free(e);
  char *path = ib_strfmt("disk/%s", file_name);
  e = entry(path, AE_IFREG | 0440, st.st_size, mtime);
  if (rc == 0 && archive_write_header(a, e) != ARCHIVE_OK) rc = tar_fail(a, tar_path, err);
  archive_entry_free(e);
  free(path);
  char buf[1 << 16];
  while (rc == 0) {
    ssize_t n = read(in, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) rc = ib_fail(err, -errno, "%s: %s", disk, strerror(errno));
    if (n <= 0) break;
    if (archive_write_data(a, buf, (size_t)n) != n) rc = tar_fail(a, tar_path, err);
  }
  close(in);
  if (archive_write_close(a) != ARCHIVE_OK && rc == 0) rc = tar_fail(a, tar_path, err);
  archive_write_free(a);
  return rc;
}

static char *config_json(const char *created, const char *diff_id, size_t *len) {
  json_t *o = json_object();
  json_object_set_new(o, "created", json_string(created));
  json_object_set_new(o, "architecture", json_string("amd64"));
  json_object_set_new(o, "os", json_string("linux"));
  json_object_set_new(o, "config", json_object());
  json_t *rootfs = json_object(), *ids = json_array();
  json_object_set_new(rootfs, "type", json_string("layers"));
  json_array_append_new(ids, json_string(diff_id));
  json_object_set_new(rootfs, "diff_ids", ids);
  json_object_set_new(o, "rootfs", rootfs);
  char *text = reg_json_dump(o, len);
  json_decref(o);
  return text;
}

int containerdisk_build(const struct store_image *img, const struct oci_layout *l, char digest[IB_DIGEST_LEN + 1],
                        struct ib_error *err) {
  struct ib_config cfg;
  int rc = ib_config_load(img->config_path, &cfg, err);
  if (rc < 0) return rc;
  const char *created = img->created ? img->created : "1970-01-01T00:00:00Z";
  int64_t created_us = 0;
  time_parse_rfc3339(created, &created_us, NULL);
  const char *slash = strrchr(cfg.name, '/');
  char *file_name = ib_strfmt("%s.img", slash ? slash + 1 : cfg.name);
  char *tmp = NULL;
  rc = oci_layout_tmp_dir(l, &tmp, err);
  char *disk = tmp ? ib_strfmt("%s/disk.img", tmp) : NULL, *tar = tmp ? ib_strfmt("%s/layer.tar", tmp) : NULL;
  if (rc == 0) rc = ib_disk_image_write(IB_DISK_RAW, img->kernel_path, img->initrd_path, disk, err);
  if (rc == 0) rc = write_layer(disk, file_name, (time_t)(created_us / 1000000), tar, err);
  char layer_digest[IB_DIGEST_LEN + 1], config_digest[IB_DIGEST_LEN + 1];
  uint64_t layer_size = 0;
  if (rc == 0) rc = oci_layout_adopt_file(l, tar, layer_digest, &layer_size, err);
  size_t config_len = 0;
  char *config = rc == 0 ? config_json(created, layer_digest, &config_len) : NULL;
  if (rc == 0) rc = oci_layout_put_buffer(l, config, config_len, config_digest, err);
  if (rc == 0) {
    struct reg_descriptor cd, ld;
    reg_descriptor_init(&cd, REG_MT_OCI_CONFIG, config_digest, config_len);
    reg_descriptor_init(&ld, REG_MT_OCI_LAYER_TAR, layer_digest, layer_size);
    struct reg_manifest m;
    reg_manifest_init(&m, NULL, &cd);
    reg_manifest_add_layer(&m, &ld);
    reg_annotations_set(&m.annotations, REG_ANN_TITLE, cfg.name);
    reg_annotations_set(&m.annotations, REG_ANN_VERSION, cfg.version);
    reg_annotations_set(&m.annotations, REG_ANN_CREATED, created);
    size_t len;
    char *text = reg_manifest_to_json(&m, &len);
    rc = oci_layout_put_buffer(l, text, len, digest, err);
    free(text);
    reg_manifest_free(&m);
    reg_descriptor_free(&cd);
    reg_descriptor_free(&ld);
  }
  if (tmp) ib_remove_tree(tmp);
  free(config);
  free(tmp);
  free(disk);
  free(tar);
  free(file_name);
  ib_config_free(&cfg);
  return rc;
}
