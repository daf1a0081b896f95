/* The initrd reader on archives written here in the newc format. */
#include <stdint.h>
#include <stdio.h>
#include "check.h"
#include "cpio.h"

static uint8_t archive[4096];
static size_t used;

static void add(const char *name, uint32_t mode, const char *data) {
  size_t n = strlen(name) + 1, size = data ? strlen(data) : 0;
  used += (size_t)sprintf((char *)archive + used, "070701%08X%08X%08X%08X%08X%08X%08zX%08X%08X%08X%08X%08zX%08X",
                          1, mode, 0, 0, 1, 0, size, 0, 0, 0, 0, n, 0);
  memcpy(archive + used, name, n);
  used = (used + n + 3) & ~(size_t)3;
  if (size) memcpy(archive + used, data, size);
  used = (used + size + 3) & ~(size_t)3;
}

int main(void) {
  add(".", 040755, 0);
  add("./runtime.json", 0100644, "{\"main\":\"/app/index.js\"}");
  add("app", 040755, 0);
  add("app/index.js", 0100644, "console.log(1)");
  add("TRAILER!!!", 0, 0);

  struct cpio_entry e;
  CHECK(cpio_find(archive, used, "runtime.json", &e));
  CHECK_EQ(e.size, 24);
  CHECK(!memcmp(e.data, "{\"main\"", 7));
  CHECK(cpio_find(archive, used, "/app/index.js", &e));
  CHECK_STR(e.name, "app/index.js");
  CHECK(!memcmp(e.data, "console.log(1)", 14));
  CHECK(!cpio_find(archive, used, "app", &e));          /* a directory is not a file */
  CHECK(!cpio_find(archive, used, "app/missing.js", &e));

  size_t off = 0;
  int n = 0, rc;
  while ((rc = cpio_next(archive, used, &off, &e)) == 1) n++;
  CHECK_EQ(rc, 0);
  CHECK_EQ(n, 4);

  /* Truncated or corrupted archives are reported, never read past. */
  off = 0;
  CHECK_EQ(cpio_next(archive, 50, &off, &e), -1);
  off = 0;
  size_t second = 0;
  cpio_next(archive, used, &second, &e);
  CHECK_EQ(cpio_next(archive, second + 130, &second, &e), -1);   /* data cut off */
  archive[0] = 'X';
  off = 0;
  CHECK_EQ(cpio_next(archive, used, &off, &e), -1);
  return CHECK_DONE();
}
