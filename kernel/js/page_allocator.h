// V8's PageAllocator on the kernel's virtual memory (core/vm.h): reservations without backing,
// commits of zeroed pages when access is granted, real protection changes (so V8's
// write-protection of code holds), decommits that give pages back.
#pragma once
#include <v8-platform.h>

class KernelPageAllocator final : public v8::PageAllocator {
 public:
  size_t AllocatePageSize() override;
  size_t CommitPageSize() override;
  void SetRandomMmapSeed(int64_t seed) override;
  void* GetRandomMmapAddr() override;
  void* AllocatePages(void* hint, size_t size, size_t alignment, Permission access) override;
  bool FreePages(void* address, size_t size) override;
  bool ReleasePages(void* address, size_t size, size_t new_size) override;
  bool SetPermissions(void* address, size_t size, Permission access) override;
  bool DiscardSystemPages(void* address, size_t size) override;
  bool DecommitPages(void* address, size_t size) override;
};
