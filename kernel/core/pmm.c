#include "pmm.h"

static inline bool bit_get(const uint64_t *b, uint64_t i) { return b[i / 64] >> (i % 64) & 1; }
static inline void bit_set(uint64_t *b, uint64_t i) { b[i / 64] |= 1ull << (i % 64); }
static inline void bit_clear(uint64_t *b, uint64_t i) { b[i / 64] &= ~(1ull << (i % 64)); }

size_t pmm_bitmap_bytes(uint64_t max_phys) {
  uint64_t pages = (max_phys + PAGE_SIZE - 1) / PAGE_SIZE;
  return (size_t)((pages + 63) / 64 * 8);
}

void pmm_init(struct pmm *p, uint64_t *bitmap, uint64_t max_phys) {
  p->bitmap = bitmap;
  p->npages = (max_phys + PAGE_SIZE - 1) / PAGE_SIZE;
  p->free_pages = 0;
  p->next = 0;
  for (size_t i = 0; i < pmm_bitmap_bytes(max_phys) / 8; i++) bitmap[i] = ~0ull;
}

void pmm_add_free(struct pmm *p, uint64_t start, uint64_t end) {
  uint64_t first = (start + PAGE_SIZE - 1) / PAGE_SIZE, last = end / PAGE_SIZE;
  if (last > p->npages) last = p->npages;
  for (uint64_t i = first; i < last; i++) {
    if (bit_get(p->bitmap, i)) {
      bit_clear(p->bitmap, i);
      p->free_pages++;
    }
  }
}

void pmm_reserve(struct pmm *p, uint64_t start, uint64_t end) {
  uint64_t first = start / PAGE_SIZE, last = (end + PAGE_SIZE - 1) / PAGE_SIZE;
  if (last > p->npages) last = p->npages;
  for (uint64_t i = first; i < last; i++) {
    if (!bit_get(p->bitmap, i)) {
      bit_set(p->bitmap, i);
      p->free_pages--;
    }
  }
}

uint64_t pmm_alloc(struct pmm *p) {
  if (!p->free_pages) return PMM_NO_PAGE;
  for (uint64_t n = 0, i = p->next; n < p->npages; n += 64) {
    uint64_t word = i / 64;
    if (p->bitmap[word] != ~0ull) {
      int bit = __builtin_ctzll(~p->bitmap[word]);
      uint64_t frame = word * 64 + (uint64_t)bit;
      if (frame < p->npages) {
        bit_set(p->bitmap, frame);
        p->free_pages--;
        p->next = frame;
        return frame * PAGE_SIZE;
      }
    }
    i = (word + 1) * 64;
    if (i >= p->npages) i = 0;
  }
  return PMM_NO_PAGE;
}

uint64_t pmm_alloc_contiguous(struct pmm *p, uint64_t count) {
  uint64_t run = 0;
  for (uint64_t i = 0; i < p->npages; i++) {
    run = bit_get(p->bitmap, i) ? 0 : run + 1;
    if (run == count) {
      uint64_t first = i + 1 - count;
      for (uint64_t j = first; j <= i; j++) bit_set(p->bitmap, j);
      p->free_pages -= count;
      return first * PAGE_SIZE;
    }
  }
  return PMM_NO_PAGE;
}

int pmm_free(struct pmm *p, uint64_t phys) {
  uint64_t frame = phys / PAGE_SIZE;
  if (phys % PAGE_SIZE || frame >= p->npages || !bit_get(p->bitmap, frame)) return -1;
  bit_clear(p->bitmap, frame);
  p->free_pages++;
  if (frame < p->next) p->next = frame;
  return 0;
}

bool pmm_is_free(const struct pmm *p, uint64_t phys) {
  uint64_t frame = phys / PAGE_SIZE;
  return frame < p->npages && !bit_get(p->bitmap, frame);
}
