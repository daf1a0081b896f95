/* newlib's system-call layer (this newlib build calls them by their POSIX names). Standard output and error go to the console; there is no file
 * system yet, so opening a file fails with ENOENT and other descriptors with EBADF, the way
 * POSIX says a missing file or a bad descriptor fails. */
#include <errno.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/times.h>
#include <reent.h>
#include "../core/clock.h"
#include "../core/machine.h"
#include "../core/log.h"
#include "../drivers/serial.h"


static bool is_console(int fd) { return fd >= 0 && fd <= 2; }

int write(int fd, const void *buf, size_t n) {
  if (fd != 1 && fd != 2) { errno = EBADF; return -1; }
  serial_write(buf, n);
  return (int)n;
}

int read(int fd, void *buf, size_t n) {
  (void)buf; (void)n;
  if (fd == 0) return 0;        /* no console input: end of file */
  errno = EBADF;
  return -1;
}

int open(const char *path, int flags, int mode) {
  (void)path; (void)flags; (void)mode;
  errno = ENOENT;
  return -1;
}

int close(int fd) {
  if (is_console(fd)) return 0;
  errno = EBADF;
  return -1;
}

int fstat(int fd, struct stat *st) {
  if (!is_console(fd)) { errno = EBADF; return -1; }
  *st = (struct stat){ .st_mode = S_IFCHR | 0620 };
  return 0;
}

int stat(const char *path, struct stat *st) {
  (void)path; (void)st;
  errno = ENOENT;
  return -1;
}

int isatty(int fd) {
  if (is_console(fd)) return 1;
  errno = EBADF;
  return 0;
}

off_t lseek(int fd, off_t off, int whence) {
  (void)off; (void)whence;
  errno = is_console(fd) ? ESPIPE : EBADF;
  return -1;
}

int getpid(void) { return 1; }

int kill(int pid, int sig) {
  if (pid == 1) machine_exit(128 + sig);   /* raise()/abort() on the only "process" */
  errno = ESRCH;
  return -1;
}

void _exit(int status) { machine_exit(status); }

int gettimeofday(struct timeval *tv, void *tz) {
  (void)tz;
  int64_t ns = clock_realtime_ns();
  tv->tv_sec = ns / 1000000000;
  tv->tv_usec = (ns % 1000000000) / 1000;
  return 0;
}

clock_t times(struct tms *t) {
  clock_t ticks = (clock_t)(clock_monotonic_ns() / (1000000000 / CLK_TCK));
  *t = (struct tms){ .tms_utime = ticks };
  return ticks;
}

int link(const char *a, const char *b) { (void)a; (void)b; errno = EMLINK; return -1; }
int unlink(const char *p) { (void)p; errno = ENOENT; return -1; }
int fork(void) { errno = ENOSYS; return -1; }
int execve(const char *p, char *const a[], char *const e[]) { (void)p; (void)a; (void)e; errno = ENOSYS; return -1; }
int wait(int *s) { (void)s; errno = ECHILD; return -1; }
