/* Reader for cpio "newc" archives (the initrd). Pure; names are returned without "./" or "/". */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cpio_entry {
  char name[256];
  uint32_t mode;
  const uint8_t *data;
  size_t size;
};

/* Iterates: *offset starts at 0. Returns 1 with an entry, 0 at the trailer, -1 when the archive
 * is malformed (truncated, bad magic, name too long). */
int cpio_next(const uint8_t *archive, size_t size, size_t *offset, struct cpio_entry *e);
/* Finds a regular file by path ("runtime.json", "/app/index.js"). */
bool cpio_find(const uint8_t *archive, size_t size, const char *path, struct cpio_entry *e);
