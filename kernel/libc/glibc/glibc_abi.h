/* The glibc ABI that the host-built V8 objects and libstdc++.a were compiled against: the
 * constants and structure layouts of glibc 2.36 on x86_64 that differ from newlib's.
 * Symbols whose meaning differs between the two (stat, open, sigaction, stdout, ...) are
 * renamed to glibc_NAME in the V8 and libstdc++ archives at link time (glibc.redefine), so
 * newlib keeps its own. */
#pragma once
#include <stdint.h>
#include <stddef.h>

/* errno values are the same in newlib and glibc for the common ones, except: */
#define GLIBC_ETIMEDOUT 110
#define GLIBC_ENOSYS 38
#define GLIBC_ENOTSUP 95
#define GLIBC_EDEADLK 35

#define GLIBC_CLOCK_REALTIME 0
#define GLIBC_CLOCK_MONOTONIC 1
#define GLIBC_CLOCK_PROCESS_CPUTIME_ID 2
#define GLIBC_CLOCK_THREAD_CPUTIME_ID 3
#define GLIBC_CLOCK_MONOTONIC_RAW 4
#define GLIBC_CLOCK_REALTIME_COARSE 5
#define GLIBC_CLOCK_MONOTONIC_COARSE 6
#define GLIBC_CLOCK_BOOTTIME 7

#define GLIBC_PROT_NONE 0
#define GLIBC_PROT_READ 1
#define GLIBC_PROT_WRITE 2
#define GLIBC_PROT_EXEC 4
#define GLIBC_MAP_SHARED 0x01
#define GLIBC_MAP_PRIVATE 0x02
#define GLIBC_MAP_FIXED 0x10
#define GLIBC_MAP_ANONYMOUS 0x20
#define GLIBC_MAP_NORESERVE 0x4000
#define GLIBC_MAP_FAILED ((void *)-1)
#define GLIBC_MADV_DONTNEED 4
#define GLIBC_MADV_FREE 8

#define GLIBC_SC_CLK_TCK 2
#define GLIBC_SC_OPEN_MAX 4
#define GLIBC_SC_PAGESIZE 30
#define GLIBC_SC_NPROCESSORS_CONF 83
#define GLIBC_SC_NPROCESSORS_ONLN 84
#define GLIBC_SC_PHYS_PAGES 85

struct glibc_timespec { int64_t tv_sec; long tv_nsec; };

struct glibc_tm {
  int tm_sec, tm_min, tm_hour, tm_mday, tm_mon, tm_year, tm_wday, tm_yday, tm_isdst;
  long tm_gmtoff;
  const char *tm_zone;
};

struct glibc_stat {
  uint64_t st_dev, st_ino, st_nlink;
  uint32_t st_mode, st_uid, st_gid, pad0;
  uint64_t st_rdev;
  int64_t st_size, st_blksize, st_blocks;
  struct glibc_timespec st_atim, st_mtim, st_ctim;
  int64_t reserved[3];
};
_Static_assert(sizeof(struct glibc_stat) == 144, "glibc struct stat is 144 bytes");

struct glibc_rlimit { uint64_t rlim_cur, rlim_max; };
#define GLIBC_RLIM_INFINITY (~0ull)
#define GLIBC_RLIMIT_STACK 3
