/* glibc's standard streams and file calls. The streams are newlib's (V8's fprintf(stderr)
 * reaches newlib's fprintf with a newlib FILE); there is no file system yet, so opening or
 * stat-ing a path fails with ENOENT, as glibc reports a missing file. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "glibc_abi.h"

FILE *glibc_stdin, *glibc_stdout, *glibc_stderr;

void __sinit(struct _reent *);

void glibc_stdio_init(void) {
  /* newlib sets a reent's streams up on first use by that reent only: do it for the global one
   * whose streams every thread shares through these pointers. */
  __sinit(_GLOBAL_REENT);
  glibc_stdin = _GLOBAL_REENT->_stdin;
  glibc_stdout = _GLOBAL_REENT->_stdout;
  glibc_stderr = _GLOBAL_REENT->_stderr;
}

static int console_stat(int fd, struct glibc_stat *st) {
  if (fd < 0 || fd > 2) { errno = EBADF; return -1; }
  *st = (struct glibc_stat){ .st_mode = 0020620, .st_nlink = 1, .st_blksize = 1024, .st_rdev = 0x8800 };
  return 0;
}

int glibc_fstat(int fd, struct glibc_stat *st) { return console_stat(fd, st); }
int glibc_fstat64(int fd, struct glibc_stat *st) { return console_stat(fd, st); }
int glibc_stat(const char *path, struct glibc_stat *st) { (void)path; (void)st; errno = ENOENT; return -1; }
int glibc_lstat(const char *path, struct glibc_stat *st) { (void)path; (void)st; errno = ENOENT; return -1; }
int glibc_open(const char *path, int flags, ...) { (void)path; (void)flags; errno = ENOENT; return -1; }

int __isoc99_fscanf(FILE *f, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vfscanf(f, fmt, ap);
  va_end(ap);
  return n;
}

int __isoc99_sscanf(const char *s, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsscanf(s, fmt, ap);
  va_end(ap);
  return n;
}
