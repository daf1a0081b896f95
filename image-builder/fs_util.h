/* Small file-system helpers shared by the image writers and rtctl. */
#ifndef IMAGE_BUILDER_FS_UTIL_H
#define IMAGE_BUILDER_FS_UTIL_H

#include <stddef.h>

#include "ib_error.h"

/* Creates dir and its missing parents (mode 0755). */
int ib_mkdir_p(const char *dir, struct ib_error *err);

/* Reads a whole file into a NUL-terminated malloc'd buffer. */
int ib_read_file(const char *path, char **data, size_t *len, struct ib_error *err);

/* Writes data to path through a temporary file in the same folder, then renames it:
 * readers see the old file or the new one, never a half-written one. */
int ib_write_file_atomic(const char *path, const void *data, size_t len, struct ib_error *err);

/* Opens a new temporary file next to path ("<path>.tmp.XXXXXX"); returns its fd and the
 * malloc'd name in *tmp_path. */
int ib_open_temp_beside(const char *path, char **tmp_path, struct ib_error *err);

/* Makes a fresh temporary folder under $TMPDIR (or /tmp); *dir is malloc'd. */
int ib_make_temp_dir(const char *prefix, char **dir, struct ib_error *err);

/* Removes path and everything below it; a missing path is not an error. */
int ib_remove_tree(const char *path);

/* Copies the file src to dst (dst is created or truncated). */
int ib_copy_file(const char *src, const char *dst, struct ib_error *err);

/* asprintf that aborts on memory exhaustion: these tools cannot do anything useful then. */
char *ib_strfmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void *ib_xmalloc(size_t n);
void *ib_xrealloc(void *p, size_t n);
char *ib_xstrdup(const char *s);

#endif
