/* Physical page allocator: one bit per 4 KiB page frame, set = in use. Pure: the kernel gives
 * it the firmware memory map and storage for the bitmap; the host unit tests do the same. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PAGE_SIZE 4096ul
#define PMM_NO_PAGE UINT64_MAX

struct pmm {
  uint64_t *bitmap;
  uint64_t npages;      /* frames 0 .. npages-1 are tracked */
  uint64_t free_pages;
  uint64_t next;        /* where the next search starts */
};

/* Bytes of bitmap storage needed to track physical memory up to `max_phys`. */
size_t pmm_bitmap_bytes(uint64_t max_phys);
/* Starts with every frame in use; pmm_add_free then frees the usable RAM. */
void pmm_init(struct pmm *p, uint64_t *bitmap, uint64_t max_phys);
/* Frees the whole pages inside [start, end). */
void pmm_add_free(struct pmm *p, uint64_t start, uint64_t end);
/* Marks the pages touching [start, end) as in use (kernel image, boot modules, ...). */
void pmm_reserve(struct pmm *p, uint64_t start, uint64_t end);
/* Physical address of a free page, now in use, or PMM_NO_PAGE. */
uint64_t pmm_alloc(struct pmm *p);
/* `count` contiguous free pages, or PMM_NO_PAGE. */
uint64_t pmm_alloc_contiguous(struct pmm *p, uint64_t count);
/* Returns -1 (and changes nothing) for an address not tracked or a page already free. */
int pmm_free(struct pmm *p, uint64_t phys);
bool pmm_is_free(const struct pmm *p, uint64_t phys);
