/* GRUB2-bootable images of kernel + initrd, built with GRUB's own tools, without root or
 * loop devices:
 *
 *  - iso: grub-mkrescue (xorriso, mtools); BIOS, and UEFI when GRUB's x86_64-efi modules are
 *    installed (grub-mkrescue adds them by itself).
 *  - raw: a BIOS disk. Sector 0 is GRUB's boot.img with a partition table; GRUB's core.img
 *    (grub-mkimage -O i386-pc) follows in sectors 1..2047, where boot.img looks for it by
 *    default; partition 1 starts at 1 MiB and is a FAT file system made with mtools.
 *
 * Both hold /boot/runtimejs.elf, /boot/initrd.cpio and /boot/grub/grub.cfg, which boots the
 * kernel with multiboot2 and the initrd as a module2 with the command line "initrd". The
 * image is written to a temporary file and renamed: never half-written. */
#ifndef IMAGE_BUILDER_DISK_IMAGE_H
#define IMAGE_BUILDER_DISK_IMAGE_H

#include "ib_error.h"

enum ib_disk_format { IB_DISK_RAW, IB_DISK_ISO };

#define IB_GRUB_I386_PC_DIR "/usr/lib/grub/i386-pc"

int ib_disk_format_parse(const char *name, enum ib_disk_format *format);
const char *ib_disk_format_name(enum ib_disk_format format);

/* The grub.cfg written into images (exposed for tests and docs). */
extern const char ib_grub_cfg[];

int ib_disk_image_write(enum ib_disk_format format, const char *kernel, const char *initrd, const char *out_path,
                        struct ib_error *err);

#endif
