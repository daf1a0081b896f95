#include <stdint.h>
#include <stdlib.h>
#include "check.h"
#include "pmm.h"

int main(void) {
  /* 1 MiB of "RAM": frames 0..255; usable 64 KiB..1 MiB with a hole at 512..576 KiB. */
  uint64_t max = 1 << 20;
  uint64_t *bitmap = malloc(pmm_bitmap_bytes(max));
  struct pmm p;
  pmm_init(&p, bitmap, max);
  CHECK_EQ(p.npages, 256);
  CHECK_EQ(p.free_pages, 0);
  CHECK_EQ(pmm_alloc(&p), PMM_NO_PAGE);
  pmm_add_free(&p, 64 << 10, 512 << 10);
  pmm_add_free(&p, 576 << 10, 1 << 20);
  CHECK_EQ(p.free_pages, (448 + 448) / 4);
  pmm_add_free(&p, 100, 4096 + 100);   /* no whole page inside: nothing freed */
  CHECK_EQ(p.free_pages, 224);
  pmm_reserve(&p, (64 << 10) + 10, (64 << 10) + 20);   /* touches one page */
  CHECK_EQ(p.free_pages, 223);
  CHECK(!pmm_is_free(&p, 64 << 10));

  /* Every allocation is a distinct free page outside the hole; then memory runs out. */
  uint64_t got[256];
  int n = 0;
  for (uint64_t a; (a = pmm_alloc(&p)) != PMM_NO_PAGE; n++) {
    CHECK(a % PAGE_SIZE == 0);
    CHECK(a >= (68 << 10) && a < (1 << 20));
    CHECK(!(a >= (512 << 10) && a < (576 << 10)));
    for (int j = 0; j < n; j++) CHECK(got[j] != a);
    got[n] = a;
  }
  CHECK_EQ(n, 223);
  CHECK_EQ(p.free_pages, 0);

  /* Free, double free, foreign addresses. */
  CHECK_EQ(pmm_free(&p, got[10]), 0);
  CHECK_EQ(pmm_free(&p, got[10]), -1);
  CHECK_EQ(pmm_free(&p, got[11] + 1), -1);
  CHECK_EQ(pmm_free(&p, 2 << 20), -1);
  CHECK_EQ(p.free_pages, 1);
  CHECK_EQ(pmm_alloc(&p), got[10]);

  /* Contiguous runs. */
  for (int i = 0; i < 8; i++) pmm_free(&p, got[100 + i]);
  pmm_free(&p, got[50]);
  uint64_t run = pmm_alloc_contiguous(&p, 8);
  CHECK(run != PMM_NO_PAGE);
  for (int i = 0; i < 8; i++) CHECK(!pmm_is_free(&p, run + (uint64_t)i * PAGE_SIZE));
  CHECK_EQ(pmm_alloc_contiguous(&p, 2), PMM_NO_PAGE);
  CHECK_EQ(p.free_pages, 1);
  free(bitmap);
  return CHECK_DONE();
}
