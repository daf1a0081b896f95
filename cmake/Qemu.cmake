# QEMU and GRUB2 are needed by the kernel tests, rtctl and the benchmarks.
find_program(QEMU_SYSTEM_X86_64 qemu-system-x86_64)
if(NOT QEMU_SYSTEM_X86_64)
  message(FATAL_ERROR "qemu-system-x86_64 not found: install the Debian package qemu-system-x86 (or run: sudo cmake/setup-host.sh)")
endif()
find_program(GRUB_MKRESCUE grub-mkrescue)
if(NOT GRUB_MKRESCUE)
  message(FATAL_ERROR "grub-mkrescue not found: install the Debian packages grub-common grub-pc-bin xorriso mtools (or run: sudo cmake/setup-host.sh)")
endif()
