#include <string.h>
#include "cpio.h"

#define NEWC_HEADER 110

static bool hex8(const uint8_t *p, uint32_t *out) {
  uint32_t v = 0;
  for (int i = 0; i < 8; i++) {
    uint8_t c = p[i];
    uint32_t d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : 16;
    if (d == 16) return false;
    v = v << 4 | d;
  }
  *out = v;
  return true;
}

static size_t align4(size_t v) { return (v + 3) & ~(size_t)3; }

static const char *strip_prefix(const char *p) {
  if (p[0] == '.' && p[1] == '/') p += 2;
  while (*p == '/') p++;
  return p;
}

int cpio_next(const uint8_t *a, size_t size, size_t *offset, struct cpio_entry *e) {
  size_t off = *offset;
  if (off + NEWC_HEADER > size || memcmp(a + off, "070701", 6)) return -1;
  uint32_t f[13];
  for (int i = 0; i < 13; i++)
    if (!hex8(a + off + 6 + 8 * i, &f[i])) return -1;
  uint32_t mode = f[1], filesize = f[6], namesize = f[11];
  size_t name_off = off + NEWC_HEADER;
  if (namesize == 0 || namesize > sizeof e->name || name_off + namesize > size || a[name_off + namesize - 1]) return -1;
  size_t data_off = align4(name_off + namesize);
  if (data_off + filesize > size) return -1;
  const char *name = (const char *)a + name_off;
  if (!strcmp(name, "TRAILER!!!")) return 0;
  strcpy(e->name, strip_prefix(name));
  e->mode = mode;
  e->data = a + data_off;
  e->size = filesize;
  *offset = align4(data_off + filesize);
  return 1;
}

bool cpio_find(const uint8_t *a, size_t size, const char *path, struct cpio_entry *e) {
  path = strip_prefix(path);
  size_t off = 0;
  while (cpio_next(a, size, &off, e) == 1)
    if ((e->mode & 0170000) == 0100000 && !strcmp(e->name, path)) return true;
  return false;
}
