#include "disk_image.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fs_util.h"
#include "tool_run.h"

const char ib_grub_cfg[] =
    "serial --unit=0 --speed=115200\n"
    "terminal_input serial console\n"
    "terminal_output serial console\n"
    "set timeout=0\n"
    "menuentry \"Runtime.JS\" {\n"
    "  multiboot2 /boot/runtimejs.elf\n"
    "  module2 /boot/initrd.cpio initrd\n"
    "  boot\n"
    "}\n";

/* Modules built into core.img: the raw image carries no module folder. */
static const char *const core_modules[] = {"biosdisk", "part_msdos", "fat",    "multiboot2", "normal",
                                           "configfile", "boot",     "serial", "terminal",   "echo"};

#define SECTOR 512u
#define PARTITION_START_LBA 2048u /* 1 MiB: room for core.img, and aligned */
#define MIB (1024u * 1024u)

/* Offsets in GRUB's boot.img (grub-core/boot/i386/pc/boot.S, include/grub/i386/pc/boot.h). */
#define BOOT_DRIVE_CHECK 0x66     /* a 2-byte jump grub-setup replaces with NOPs for hard disks */
#define PART_TABLE 0x1be
#define SIGNATURE 0x1fe

int ib_disk_format_parse(const char *name, enum ib_disk_format *format) {
  if (strcmp(name, "raw") == 0) *format = IB_DISK_RAW;
  else if (strcmp(name, "iso") == 0) *format = IB_DISK_ISO;
  else return -EINVAL;
  return 0;
}

const char *ib_disk_format_name(enum ib_disk_format format) {
  return format == IB_DISK_ISO ? "iso" : "raw";
}

static int file_size(const char *path, uint64_t *size, struct ib_error *err) {
  struct stat st;
  if (stat(path, &st) != 0) return ib_fail(err, -errno, "%s: %s", path, strerror(errno));
  *size = (uint64_t)st.st_size;
  return 0;
}

static int write_all(int fd, const void *data, size_t len, const char *what, struct ib_error *err) {
  const char *p = data;
  while (len > 0) {
    ssize_t w = write(fd, p, len);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) return ib_fail(err, -errno, "%s: %s", what, strerror(errno));
    p += w;
    len -= (size_t)w;
  }
  return 0;
}

/* Appends the file src to fd. */
static int append_file(int fd, const char *src, const char *what, struct ib_error *err) {
  char *data;
  size_t len;
  int rc = ib_read_file(src, &data, &len, err);
  if (rc < 0) return rc;
  rc = write_all(fd, data, len, what, err);
  free(data);
  return rc;
}

static int build_iso(const char *work, const char *kernel, const char *initrd, const char *tmp_out,
                     struct ib_error *err) {
  char *root = ib_strfmt("%s/iso", work);
  char *grub = ib_strfmt("%s/boot/grub", root);
  char *cfg = ib_strfmt("%s/grub.cfg", grub);
  char *k = ib_strfmt("%s/boot/runtimejs.elf", root);
  char *i = ib_strfmt("%s/boot/initrd.cpio", root);
  int rc = ib_mkdir_p(grub, err);
  if (rc == 0) rc = ib_write_file_atomic(cfg, ib_grub_cfg, strlen(ib_grub_cfg), err);
  if (rc == 0) rc = ib_copy_file(kernel, k, err);
  if (rc == 0) rc = ib_copy_file(initrd, i, err);
  if (rc == 0) {
    char *argv[] = {"grub-mkrescue", "-o", (char *)tmp_out, root, NULL};
    rc = ib_run_tool(argv, NULL, 1, err);
  }
  free(root);
  free(grub);
  free(cfg);
  free(k);
  free(i);
  return rc;
}

/* The FAT partition: mformat on a plain file, then mmd/mcopy into it. */
static int build_fat(const char *work, const char *kernel, const char *initrd, const char *part, uint64_t *size,
                     struct ib_error *err) {
  uint64_t ks = 0, is = 0;
  int rc = file_size(kernel, &ks, err);
  if (rc == 0) rc = file_size(initrd, &is, err);
  if (rc < 0) return rc;
  /* Room for FAT tables, folders and cluster slack; a whole number of MiB. */
  uint64_t want = ks + is + (ks + is) / 8 + 4 * MIB;
  *size = (want + MIB - 1) / MIB * MIB;
  int fd = open(part, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return ib_fail(err, -errno, "%s: %s", part, strerror(errno));
  if (ftruncate(fd, (off_t)*size) != 0) rc = ib_fail(err, -errno, "%s: %s", part, strerror(errno));
  close(fd);
  if (rc < 0) return rc;
  char *cfg = ib_strfmt("%s/grub.cfg", work);
  rc = ib_write_file_atomic(cfg, ib_grub_cfg, strlen(ib_grub_cfg), err);
  char *mformat[] = {"mformat", "-i", (char *)part, "-N", "52554e4a", "-v", "RUNTIMEJS", "::", NULL};
  char *mmd[] = {"mmd", "-i", (char *)part, "::/boot", "::/boot/grub", NULL};
  char *cp_kernel[] = {"mcopy", "-i", (char *)part, (char *)kernel, "::/boot/runtimejs.elf", NULL};
  char *cp_initrd[] = {"mcopy", "-i", (char *)part, (char *)initrd, "::/boot/initrd.cpio", NULL};
  char *cp_cfg[] = {"mcopy", "-i", (char *)part, cfg, "::/boot/grub/grub.cfg", NULL};
  char **steps[] = {mformat, mmd, cp_kernel, cp_initrd, cp_cfg};
  for (size_t s = 0; s < sizeof steps / sizeof *steps && rc == 0; s++) rc = ib_run_tool(steps[s], NULL, 1, err);
  free(cfg);
  return rc;
}

/* The partition type byte matching the FAT that mformat chose. */
static int fat_partition_type(const char *part, uint8_t *type, struct ib_error *err) {
  unsigned char bs[SECTOR];
  int fd = open(part, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ib_fail(err, -errno, "%s: %s", part, strerror(errno));
  ssize_t n = read(fd, bs, sizeof bs);
  close(fd);
  if (n != (ssize_t)sizeof bs) return ib_fail(err, -EIO, "%s: short read", part);
  if (memcmp(bs + 0x52, "FAT32", 5) == 0) *type = 0x0c;       /* FAT32, LBA */
  else if (memcmp(bs + 0x36, "FAT16", 5) == 0) *type = 0x0e;  /* FAT16, LBA */
  else if (memcmp(bs + 0x36, "FAT12", 5) == 0) *type = 0x01;
  else return ib_fail(err, -EIO, "%s: mformat made no FAT file system", part);
  return 0;
}

static void put_le32(unsigned char *p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = (unsigned char)(v >> (8 * i));
}

static int build_raw(const char *work, const char *kernel, const char *initrd, const char *tmp_out,
                     struct ib_error *err) {
  char *core = ib_strfmt("%s/core.img", work);
  char *part = ib_strfmt("%s/part.img", work);
  char *boot_img = NULL, *core_img = NULL;
  size_t boot_len = 0, core_len = 0;
  uint64_t part_size = 0;
  uint8_t type = 0;
  /* core.img finds its partition by itself: msdos1 of the disk the BIOS booted. */
  char *argv[9 + sizeof core_modules / sizeof *core_modules + 1] = {
      "grub-mkimage", "-O", "i386-pc", "-d", IB_GRUB_I386_PC_DIR, "-p", "(hd0,msdos1)/boot/grub", "-o", core};
  size_t argc = 9;
  for (size_t m = 0; m < sizeof core_modules / sizeof *core_modules; m++) argv[argc++] = (char *)core_modules[m];
  argv[argc] = NULL;
  int rc = ib_run_tool(argv, NULL, 1, err);
  if (rc == 0) rc = ib_read_file(IB_GRUB_I386_PC_DIR "/boot.img", &boot_img, &boot_len, err);
  if (rc == 0) rc = ib_read_file(core, &core_img, &core_len, err);
  if (rc == 0 && boot_len != SECTOR) rc = ib_fail(err, -EINVAL, IB_GRUB_I386_PC_DIR "/boot.img: not one sector");
  if (rc == 0 && core_len > (PARTITION_START_LBA - 1) * SECTOR)
    rc = ib_fail(err, -EFBIG, "grub core.img is %zu bytes: more than fits before the partition", core_len);
  if (rc == 0) rc = build_fat(work, kernel, initrd, part, &part_size, err);
  if (rc == 0) rc = fat_partition_type(part, &type, err);
  if (rc == 0) {
    unsigned char *mbr = (unsigned char *)boot_img;
    mbr[BOOT_DRIVE_CHECK] = 0x90;
    mbr[BOOT_DRIVE_CHECK + 1] = 0x90;
    /* boot.img carries floppy code where a disk has its partition table: clear all 4 entries. */
    memset(mbr + PART_TABLE, 0, 64);
    unsigned char *e = mbr + PART_TABLE;
    e[0] = 0x80;                                      /* bootable */
    e[1] = 0xfe, e[2] = 0xff, e[3] = 0xff;            /* CHS: beyond CHS range, use LBA */
    e[4] = type;
    e[5] = 0xfe, e[6] = 0xff, e[7] = 0xff;
    put_le32(e + 8, PARTITION_START_LBA);
    put_le32(e + 12, (uint32_t)(part_size / SECTOR));
    mbr[SIGNATURE] = 0x55;
    mbr[SIGNATURE + 1] = 0xaa;
    int fd = open(tmp_out, O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (fd < 0) rc = ib_fail(err, -errno, "%s: %s", tmp_out, strerror(errno));
    if (rc == 0) rc = write_all(fd, mbr, SECTOR, tmp_out, err);
    /* core.img at LBA 1: the default location in both boot.img and core.img's own blocklist. */
    if (rc == 0) rc = write_all(fd, core_img, core_len, tmp_out, err);
    if (rc == 0 && lseek(fd, (off_t)PARTITION_START_LBA * SECTOR, SEEK_SET) < 0)
      rc = ib_fail(err, -errno, "%s: %s", tmp_out, strerror(errno));
    if (rc == 0) rc = append_file(fd, part, tmp_out, err);
    if (fd >= 0 && close(fd) != 0 && rc == 0) rc = ib_fail(err, -errno, "%s: %s", tmp_out, strerror(errno));
  }
  free(boot_img);
  free(core_img);
  free(core);
  free(part);
  return rc;
}

int ib_disk_image_write(enum ib_disk_format format, const char *kernel, const char *initrd, const char *out_path,
                        struct ib_error *err) {
  char *work;
  int rc = ib_make_temp_dir("runtimejs-image", &work, err);
  if (rc < 0) return rc;
  char *tmp_out;
  int fd = ib_open_temp_beside(out_path, &tmp_out, err);
  if (fd < 0) {
    ib_remove_tree(work);
    free(work);
    return fd;
  }
  close(fd);
  rc = format == IB_DISK_ISO ? build_iso(work, kernel, initrd, tmp_out, err) : build_raw(work, kernel, initrd, tmp_out, err);
  if (rc == 0 && chmod(tmp_out, 0644) != 0) rc = ib_fail(err, -errno, "%s: %s", tmp_out, strerror(errno));
  if (rc == 0 && rename(tmp_out, out_path) != 0) rc = ib_fail(err, -errno, "%s: %s", out_path, strerror(errno));
  if (rc != 0) unlink(tmp_out);
  free(tmp_out);
  ib_remove_tree(work);
  free(work);
  return rc;
}
