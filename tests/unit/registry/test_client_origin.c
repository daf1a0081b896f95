/* Which URLs get the registry's credentials: the registry's own scheme, host and port only
 * (upload Locations and redirects may name other hosts). */
#include <stdlib.h>

#include "check.h"
#include "client_internal.h"

static struct reg_client *client(const char *registry, bool insecure) {
  struct reg_client_options o = {.insecure = insecure};
  struct reg_client *c;
  struct ib_error err;
  if (reg_client_new(registry, NULL, &o, &c, &err) < 0) {
    fprintf(stderr, "%s\n", err.msg);
    exit(1);
  }
  return c;
}

int main(void) {
  struct reg_client *c = client("reg.example", false); /* https, port 443 */
  CHECK(reg_same_origin(c, "https://reg.example/v2/x/blobs/uploads/1?_state=a"));
  CHECK(reg_same_origin(c, "https://REG.example:443/v2/"));
  CHECK(!reg_same_origin(c, "http://reg.example/v2/"));           /* downgrade */
  CHECK(!reg_same_origin(c, "https://reg.example:8443/v2/"));     /* another port */
  CHECK(!reg_same_origin(c, "https://other.example/v2/"));
  CHECK(!reg_same_origin(c, "https://reg.example.evil/v2/"));
  CHECK(!reg_same_origin(c, "https://reg.example@evil/v2/"));     /* user info */
  CHECK(!reg_same_origin(c, "/v2/relative"));
  reg_client_free(c);

  c = client("127.0.0.1:5000", false); /* loopback: plain http */
  CHECK(reg_same_origin(c, "http://127.0.0.1:5000/v2/"));
  CHECK(!reg_same_origin(c, "http://127.0.0.1:5001/v2/"));
  CHECK(!reg_same_origin(c, "http://127.0.0.1/v2/"));
  CHECK(!reg_same_origin(c, "https://127.0.0.1:5000/v2/"));
  char *abs = reg_absolute_url(c, "/v2/x/blobs/uploads/abc");
  CHECK_STR(abs, "http://127.0.0.1:5000/v2/x/blobs/uploads/abc");
  CHECK(reg_same_origin(c, abs));
  free(abs);
  reg_client_free(c);

  c = client("[::1]:5000", false);
  CHECK(reg_same_origin(c, "http://[::1]:5000/v2/"));
  CHECK(!reg_same_origin(c, "http://[::1]/v2/"));
  reg_client_free(c);

  c = client("reg.example:80", true); /* --insecure, explicit default port */
  CHECK(reg_same_origin(c, "http://reg.example/v2/"));
  reg_client_free(c);
  return CHECK_DONE();
}
