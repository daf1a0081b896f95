#include "page_allocator.h"

extern "C" {
#include "../core/vm.h"
}

namespace {

constexpr size_t kPageSize = 4096;

vm_access AccessOf(v8::PageAllocator::Permission p) {
  switch (p) {
    case v8::PageAllocator::kRead: return VM_READ;
    case v8::PageAllocator::kReadWrite: return VM_READ_WRITE;
    case v8::PageAllocator::kReadWriteExecute: return VM_READ_WRITE_EXECUTE;
    case v8::PageAllocator::kReadExecute: return VM_READ_EXECUTE;
    case v8::PageAllocator::kNoAccess:
    case v8::PageAllocator::kNoAccessWillJitLater: return VM_NONE;
  }
  return VM_NONE;
}

}  // namespace

size_t KernelPageAllocator::AllocatePageSize() { return kPageSize; }
size_t KernelPageAllocator::CommitPageSize() { return kPageSize; }
void KernelPageAllocator::SetRandomMmapSeed(int64_t) {}
// The VM area has its own layout: no hints.
void* KernelPageAllocator::GetRandomMmapAddr() { return nullptr; }

void* KernelPageAllocator::AllocatePages(void*, size_t size, size_t alignment, Permission access) {
  void* p = vm_reserve(size, alignment < kPageSize ? kPageSize : alignment);
  if (!p) return nullptr;
  vm_access a = AccessOf(access);
  if (a != VM_NONE && vm_set_access(p, size, a) != 0) {
    vm_release(p, size);
    return nullptr;
  }
  return p;
}

bool KernelPageAllocator::FreePages(void* address, size_t size) { return vm_release(address, size) == 0; }

bool KernelPageAllocator::ReleasePages(void* address, size_t size, size_t new_size) {
  return vm_release(static_cast<char*>(address) + new_size, size - new_size) == 0;
}

bool KernelPageAllocator::SetPermissions(void* address, size_t size, Permission access) {
  return vm_set_access(address, size, AccessOf(access)) == 0;
}

// A hint that the contents are no longer needed: keeping them is allowed.
bool KernelPageAllocator::DiscardSystemPages(void*, size_t) { return true; }

bool KernelPageAllocator::DecommitPages(void* address, size_t size) { return vm_decommit(address, size) == 0; }
