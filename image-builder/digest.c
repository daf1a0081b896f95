#include "digest.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void to_hex(const unsigned char *md, char out[IB_DIGEST_LEN + 1]) {
  memcpy(out, "sha256:", 7);
  for (int i = 0; i < 32; i++) snprintf(out + 7 + 2 * i, 3, "%02x", md[i]);
}

void ib_digest_buffer(const void *data, size_t len, char out[IB_DIGEST_LEN + 1]) {
  unsigned char md[32];
  unsigned int mdlen = sizeof md;
  EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL);
  to_hex(md, out);
}

int ib_digest_file(const char *path, char out[IB_DIGEST_LEN + 1], uint64_t *size, struct ib_error *err) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ib_fail(err, -errno, "%s: %s", path, strerror(errno));
  EVP_MD_CTX *ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
  unsigned char buf[1 << 16];
  uint64_t total = 0;
  int rc = 0;
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      rc = ib_fail(err, -errno, "%s: %s", path, strerror(errno));
      break;
    }
    if (n == 0) break;
    EVP_DigestUpdate(ctx, buf, (size_t)n);
    total += (uint64_t)n;
  }
  close(fd);
  unsigned char md[32];
  unsigned int mdlen = sizeof md;
  EVP_DigestFinal_ex(ctx, md, &mdlen);
  EVP_MD_CTX_free(ctx);
  if (rc == 0) {
    to_hex(md, out);
    if (size) *size = total;
  }
  return rc;
}

struct ib_hasher *ib_hasher_new(void) {
  EVP_MD_CTX *ctx = EVP_MD_CTX_new();
  if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
    fputs("out of memory\n", stderr);
    abort();
  }
  return (struct ib_hasher *)ctx;
}

void ib_hasher_update(struct ib_hasher *h, const void *data, size_t len) {
  EVP_DigestUpdate((EVP_MD_CTX *)h, data, len);
}

void ib_hasher_final(struct ib_hasher *h, char out[IB_DIGEST_LEN + 1]) {
  unsigned char md[32];
  unsigned int mdlen = sizeof md;
  EVP_DigestFinal_ex((EVP_MD_CTX *)h, md, &mdlen);
  EVP_MD_CTX_free((EVP_MD_CTX *)h);
  to_hex(md, out);
}

void ib_hasher_free(struct ib_hasher *h) {
  EVP_MD_CTX_free((EVP_MD_CTX *)h);
}

int ib_digest_valid(const char *digest) {
  if (!digest || strlen(digest) != IB_DIGEST_LEN || strncmp(digest, "sha256:", 7) != 0) return 0;
  return strspn(digest + 7, "0123456789abcdef") == 64;
}
