/* The initrd: a cpio "newc" archive written with libarchive, byte-for-byte reproducible.
 *
 * Names inside the archive are relative ("runtime.json", "app/index.js"): no leading '/' or
 * "./", no "." or ".." components. Entries are sorted by name (bytewise); every parent folder
 * gets its own entry; metadata is fixed: mtime 0, uid/gid 0, dev 0, inode numbers 1, 2, ... in
 * archive order, mode 0755 for folders and executable files, 0644 for other files, 0777 for
 * symlinks. Nothing of the host (paths, owners, times) reaches the archive. */
#ifndef IMAGE_BUILDER_INITRD_H
#define IMAGE_BUILDER_INITRD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ib_error.h"

enum ib_entry_kind {
  IB_ENTRY_DIR,
  IB_ENTRY_FILE,    /* contents read from a host file at write time */
  IB_ENTRY_DATA,    /* contents held in memory */
  IB_ENTRY_SYMLINK,
};

struct ib_entry {
  char *path;
  enum ib_entry_kind kind;
  char *source;      /* IB_ENTRY_FILE: host path */
  char *data;        /* IB_ENTRY_DATA: contents; IB_ENTRY_SYMLINK: target */
  size_t size;
  bool executable;
};

struct ib_entries {
  struct ib_entry *v;
  size_t count;
};

void ib_entries_free(struct ib_entries *e);
void ib_entries_add_dir(struct ib_entries *e, const char *path);
void ib_entries_add_file(struct ib_entries *e, const char *path, const char *source, bool executable);
void ib_entries_add_data(struct ib_entries *e, const char *path, const void *data, size_t size);
void ib_entries_add_symlink(struct ib_entries *e, const char *path, const char *target);

/* Refuses absolute names, "." and ".." components, empty components and trailing '/'. */
int ib_archive_path_check(const char *path, struct ib_error *err);

/* Writes the archive to out_path through a temporary file and a rename. Fails (and writes
 * nothing) on an invalid or duplicate name. */
int ib_initrd_write(const struct ib_entries *entries, const char *out_path, struct ib_error *err);

/* Copies the initrd in_path to out_path with the contents of the file `name` replaced by
 * data (used to change the image config of one run without rebuilding the app). */
int ib_initrd_replace_file(const char *in_path, const char *out_path, const char *name,
                           const void *data, size_t size, struct ib_error *err);

#endif
