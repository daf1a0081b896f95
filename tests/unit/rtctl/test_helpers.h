/* Temporary folders and files for the unit tests. */
#ifndef RTCTL_TESTS_HELPERS_H
#define RTCTL_TESTS_HELPERS_H

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fs_util.h"

static inline char *test_dir(void) {
  char *d;
  struct ib_error err;
  if (ib_make_temp_dir("rtctl-unit", &d, &err) < 0) {
    fprintf(stderr, "%s\n", err.msg);
    exit(1);
  }
  return d;
}

/* Writes text to dir/rel, creating the folders on the way. */
static inline void put(const char *dir, const char *rel, const char *text) {
  char *path = ib_strfmt("%s/%s", dir, rel);
  char *parent = ib_xstrdup(path);
  *strrchr(parent, '/') = '\0';
  struct ib_error err;
  if (ib_mkdir_p(parent, &err) < 0 || ib_write_file_atomic(path, text, strlen(text), &err) < 0) {
    fprintf(stderr, "%s\n", err.msg);
    exit(1);
  }
  free(parent);
  free(path);
}

#endif
