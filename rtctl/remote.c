#include "remote.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "docker_config.h"
#include "fs_util.h"
#include "store.h"
#include "transfer.h"

int remote_parse_size(const char *text, uint64_t *bytes) {
  char *end;
  errno = 0;
  unsigned long long n = strtoull(text, &end, 10);
  if (errno || end == text || text[0] == '-') return -EINVAL;
  unsigned shift = 0;
  if (*end == 'k' || *end == 'K') shift = 10;
  else if (*end == 'm' || *end == 'M') shift = 20;
  else if (*end == 'g' || *end == 'G') shift = 30;
  if (shift) end++;
  if (*end == 'i' && shift) end++;
  if (*end == 'B' && shift) end++;
  if (*end || n == 0 || n > (UINT64_MAX >> shift)) return -EINVAL;
  *bytes = (uint64_t)n << shift;
  return 0;
}

int remote_open(const char *registry, const struct remote_options *o, struct reg_client **c, struct ib_error *err) {
  struct reg_client_options co = {.insecure = o->insecure, .chunk_size = o->chunk_size, .progress = true};
  const char *env = getenv("RTCTL_CHUNK_SIZE");
  if (!co.chunk_size && env && *env && remote_parse_size(env, &co.chunk_size) < 0)
    return ib_fail(err, -EINVAL, "RTCTL_CHUNK_SIZE: \"%s\" is not a size in bytes", env);
  char *path;
  int rc = docker_config_path(&path, err);
  if (rc < 0) return rc;
  struct reg_credentials cred;
  struct ib_error why;
  rc = docker_config_get(path, registry, &cred, &why);
  free(path);
  if (rc < 0 && rc != -ENOENT) return ib_fail(err, rc, "%s", why.msg);
  rc = reg_client_new(registry, rc == 0 ? &cred : NULL, &co, c, err);
  reg_credentials_free(&cred);
  return rc;
}

int remote_pull(const struct reg_reference *ref, const struct remote_options *o, FILE *report, char **ref_name,
                char digest[IB_DIGEST_LEN + 1], struct ib_error *err) {
  struct oci_layout l;
  int rc = store_open(&l, err);
  if (rc < 0) return rc;
  struct reg_client *c = NULL;
  rc = remote_open(ref->registry, o, &c, err);
  char *name = reg_reference_name(ref);
  struct reg_descriptor d;
  if (rc == 0) rc = reg_pull(c, &l, ref->repository, ref->digest ? ref->digest : ref->tag, name, report, &d, err);
  if (rc == 0) {
    memcpy(digest, d.digest, IB_DIGEST_LEN + 1);
    reg_descriptor_free(&d);
    *ref_name = name;
  } else {
    free(name);
  }
  reg_client_free(c);
  oci_layout_close(&l);
  return rc;
}
