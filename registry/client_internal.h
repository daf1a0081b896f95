/* The request engine shared by client.c (transport, retries, authentication) and
 * distribution.c (the API's operations). Not part of the library's interface. */
#ifndef REGISTRY_CLIENT_INTERNAL_H
#define REGISTRY_CLIENT_INTERNAL_H

#include <curl/curl.h>

#include "client.h"
#include "progress.h"

struct reg_token {
  char *scope;
  char *value;
};

struct reg_client {
  CURL *curl;
  char *registry; /* host[:port] */
  char *base;     /* scheme://host[:port] */
  struct reg_credentials cred;
  bool send_basic;
  struct reg_token *tokens;
  size_t token_count;
  struct reg_client_options o;
};

struct reg_response {
  long status;
  char *body; /* NUL-terminated, at most body_limit bytes kept */
  size_t len, body_limit;
  bool body_truncated;
  char *location, *content_type, *docker_digest, *www_authenticate, *retry_after;
  bool from_registry; /* the final answer came from the registry's own origin (not a redirect target) */
};

struct reg_request {
  const char *method; /* GET HEAD POST PUT PATCH */
  const char *url;    /* absolute */
  const char *scope;  /* the token scope this request needs ("repository:R:pull") */
  const char *what;   /* for messages: "blob sha256:... of demo/hello" */
  struct curl_slist *headers;
  /* Body: from memory, or from fd (offset, length); none when both are unset. */
  const void *data;
  size_t data_len;
  int fd;
  uint64_t offset, length;
  /* Response body of a successful GET goes here when set, at most sink_limit bytes. */
  struct oci_blob_writer *sink;
  uint64_t sink_limit;
  bool sink_limited;
  struct reg_progress *progress;
  uint64_t progress_base;
  bool follow_redirects;
};

void reg_request_init(struct reg_request *r, const char *method, const char *url, const char *scope,
                      const char *what);
void reg_response_free(struct reg_response *r);

/* Performs the request with retries and authentication. Returns 0 with resp->status set
 * (any status), or a negative code for transport failures. */
int reg_perform(struct reg_client *c, struct reg_request *req, struct reg_response *resp, struct ib_error *err);

/* One line for an unexpected status: "HOST: what: 404 BLOB_UNKNOWN: blob unknown". */
int reg_status_error(struct reg_client *c, const struct reg_request *req, const struct reg_response *resp,
                     struct ib_error *err);

/* A Location header made absolute against the registry's base URL. */
char *reg_absolute_url(const struct reg_client *c, const char *location);

/* Whether url has the registry's scheme, host and port: only such requests carry credentials. */
bool reg_same_origin(const struct reg_client *c, const char *url);

#endif
