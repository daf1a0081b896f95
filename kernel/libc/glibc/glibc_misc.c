/* The rest of what libstdc++ and V8 reference: large-file aliases (off_t is 64-bit already),
 * scatter writes, poll on the console, uname, and the facilities this kernel does not have
 * (dynamic loading, iconv, ioctl), which fail the way glibc reports them. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

FILE *fopen64(const char *path, const char *mode) { return fopen(path, mode); }
int fseeko64(FILE *f, off_t off, int whence) { return fseeko(f, off, whence); }
off_t ftello64(FILE *f) { return ftello(f); }
off_t lseek64(int fd, off_t off, int whence) { return lseek(fd, off, whence); }

struct glibc_iovec { void *base; size_t len; };
ssize_t writev(int fd, const struct glibc_iovec *iov, int n) {
  ssize_t total = 0;
  for (int i = 0; i < n; i++) {
    ssize_t w = write(fd, iov[i].base, iov[i].len);
    if (w < 0) return total ? total : -1;
    total += w;
  }
  return total;
}

struct glibc_pollfd { int fd; short events, revents; };
#define POLLIN 1
#define POLLOUT 4
#define POLLNVAL 32
/* The console is always ready: output is written synchronously, input is at its end. */
int poll(struct glibc_pollfd *fds, unsigned long n, int timeout) {
  (void)timeout;
  int ready = 0;
  for (unsigned long i = 0; i < n; i++) {
    fds[i].revents = fds[i].fd >= 0 && fds[i].fd <= 2 ? fds[i].events & (POLLIN | POLLOUT) : POLLNVAL;
    if (fds[i].revents) ready++;
  }
  return ready;
}

struct glibc_utsname { char sysname[65], nodename[65], release[65], version[65], machine[65], domainname[65]; };
int uname(struct glibc_utsname *u) {
  memset(u, 0, sizeof *u);
  strcpy(u->sysname, "RuntimeJS");
  strcpy(u->nodename, "runtimejs");
  strcpy(u->release, RUNTIMEJS_VERSION);
  strcpy(u->version, "#1");
  strcpy(u->machine, "x86_64");
  return 0;
}

int ioctl(int fd, unsigned long request, ...) {
  (void)request;
  errno = fd >= 0 && fd <= 2 ? 25 /* ENOTTY */ : EBADF;
  return -1;
}

/* No dynamic loading: every lookup fails. */
void *dlsym(void *handle, const char *name) { (void)handle; (void)name; return 0; }
char *dlerror(void) { return (char *)"dynamic loading is not supported by this kernel"; }

typedef void *iconv_t;
iconv_t iconv_open(const char *to, const char *from) { (void)to; (void)from; errno = EINVAL; return (iconv_t)-1; }
size_t iconv(iconv_t cd, char **in, size_t *inleft, char **out, size_t *outleft) {
  (void)cd; (void)in; (void)inleft; (void)out; (void)outleft;
  errno = EBADF;
  return (size_t)-1;
}
int iconv_close(iconv_t cd) { (void)cd; return 0; }
