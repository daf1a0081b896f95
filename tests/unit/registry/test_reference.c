/* Image references: registry detection, tags, digests, names, loopback hosts. */
#include <stdlib.h>

#include "check.h"
#include "reference.h"

static void parses(const char *text, const char *registry, const char *repo, const char *tag, const char *digest,
                   const char *name) {
  struct reg_reference r;
  struct ib_error err;
  int rc = reg_reference_parse(text, &r, &err);
  CHECK_EQ(rc, 0);
  if (rc < 0) {
    fprintf(stderr, "  %s: %s\n", text, err.msg);
    return;
  }
  if (registry) CHECK_STR(r.registry, registry);
  else CHECK(r.registry == NULL);
  CHECK_STR(r.repository, repo);
  if (tag) CHECK_STR(r.tag, tag);
  else CHECK(r.tag == NULL);
  if (digest) CHECK_STR(r.digest, digest);
  else CHECK(r.digest == NULL);
  char *n = reg_reference_name(&r);
  CHECK_STR(n, name);
  free(n);
  reg_reference_free(&r);
}

static void refuses(const char *text, const char *why) {
  struct reg_reference r;
  struct ib_error err;
  CHECK_EQ(reg_reference_parse(text, &r, &err), -22);
  CHECK_CONTAINS(err.msg, why);
}

#define D "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

int main(void) {
  parses("hello", NULL, "hello", "latest", NULL, "hello:latest");
  parses("hello:0.1.0", NULL, "hello", "0.1.0", NULL, "hello:0.1.0");
  parses("@scope/app:1.0", NULL, "@scope/app", "1.0", NULL, "@scope/app:1.0");
  parses("demo/hello", NULL, "demo/hello", "latest", NULL, "demo/hello:latest");
  parses("127.0.0.1:5000/demo/hello:v1", "127.0.0.1:5000", "demo/hello", "v1", NULL, "127.0.0.1:5000/demo/hello:v1");
  parses("localhost/hello", "localhost", "hello", "latest", NULL, "localhost/hello:latest");
  parses("localhost:5000/a/b/c", "localhost:5000", "a/b/c", "latest", NULL, "localhost:5000/a/b/c:latest");
  parses("[::1]:5000/hello:x", "[::1]:5000", "hello", "x", NULL, "[::1]:5000/hello:x");
  parses("registry.example:443/hello@" D, "registry.example:443", "hello", NULL, D, "registry.example:443/hello@" D);
  parses("localhost:5000/hello:v2@" D, "localhost:5000", "hello", "v2", D, "localhost:5000/hello:v2");
  parses("localhost:5000/my_app/a__b/c-d/e.f", "localhost:5000", "my_app/a__b/c-d/e.f", "latest", NULL,
         "localhost:5000/my_app/a__b/c-d/e.f:latest");

  struct reg_reference r;
  struct ib_error err;
  CHECK_EQ(reg_reference_parse("localhost:5000/hello", &r, &err), 0);
  CHECK(!r.tag_given);
  reg_reference_free(&r);
  CHECK_EQ(reg_reference_parse("localhost:5000/hello:latest", &r, &err), 0);
  CHECK(r.tag_given);
  reg_reference_free(&r);

  refuses("localhost:5000/Hello", "not a repository name");
  refuses("localhost:5000/hello:", "not a tag");
  refuses("localhost:5000/hello:.x", "not a tag");
  refuses("localhost:5000/a//b", "not a repository name");
  refuses("localhost:5000/-a", "not a repository name");
  refuses("localhost:99999/a", "not a registry host");
  refuses("bad_host.x:5000/a", "not a registry host");
  refuses("localhost:5000/hello@sha256:abc", "not a sha256 digest");
  refuses("localhost:5000/hello@sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef",
          "not a sha256 digest");
  refuses("", "not a repository name");

  CHECK(reg_host_is_loopback("localhost"));
  CHECK(reg_host_is_loopback("localhost:5000"));
  CHECK(reg_host_is_loopback("127.0.0.1:5000"));
  CHECK(reg_host_is_loopback("127.1.2.3"));
  CHECK(reg_host_is_loopback("[::1]:5000"));
  CHECK(!reg_host_is_loopback("127.0.0.1.example:5000"));
  CHECK(!reg_host_is_loopback("localhost.example"));
  CHECK(!reg_host_is_loopback("[::2]:5000"));
  CHECK(!reg_host_is_loopback("10.0.0.1:5000"));
  CHECK(!reg_host_is_loopback(NULL));

  CHECK(reg_tag_valid("v1.0_rc-2"));
  CHECK(!reg_tag_valid("-x"));
  CHECK(!reg_tag_valid("a/b"));
  return CHECK_DONE();
}
