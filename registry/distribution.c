/* The OCI distribution API's operations on top of the request engine (client.c). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "client_internal.h"
#include "fs_util.h"
#include "manifest.h"
#include "media_types.h"

#define MANIFEST_LIMIT (4u << 20)

static const char manifest_accept[] = "Accept: " REG_MT_OCI_MANIFEST ", " REG_MT_OCI_INDEX ", " REG_MT_DOCKER_MANIFEST
                                      ", " REG_MT_DOCKER_LIST;

static char *scope_of(const char *repo, bool push) {
  return ib_strfmt("repository:%s:%s", repo, push ? "pull,push" : "pull");
}

int reg_client_ping(struct reg_client *c, struct ib_error *err) {
  char *url = ib_strfmt("%s/v2/", c->base);
  struct reg_request req;
  reg_request_init(&req, "GET", url, "", "GET /v2/");
  struct reg_response resp = {0};
  int rc = reg_perform(c, &req, &resp, err);
  if (rc == 0 && resp.status == 401 && c->cred.user)
    rc = ib_fail(err, -EACCES, "%s: unauthorized: wrong user name or password", c->registry);
  else if (rc == 0 && resp.status == 404)
    rc = ib_fail(err, -EPROTO, "%s: not an OCI registry (GET /v2/ answered 404)", c->registry);
  else if (rc == 0 && resp.status != 200)
    rc = reg_status_error(c, &req, &resp, err);
  reg_response_free(&resp);
  free(url);
  return rc;
}

int reg_blob_exists(struct reg_client *c, const char *repo, const struct reg_descriptor *d, bool *exists,
                    struct ib_error *err) {
  char *url = ib_strfmt("%s/v2/%s/blobs/%s", c->base, repo, d->digest);
  char *scope = scope_of(repo, true);
  char *what = ib_strfmt("blob %s", d->digest);
  struct reg_request req;
  reg_request_init(&req, "HEAD", url, scope, what);
  req.follow_redirects = true; /* registries on object storage redirect blobs, HEAD included */
  struct reg_response resp = {0};
  int rc = reg_perform(c, &req, &resp, err);
  if (rc == 0) {
    if (resp.status == 200) *exists = true;
    else if (resp.status == 404) *exists = false;
    else rc = reg_status_error(c, &req, &resp, err);
  }
  reg_response_free(&resp);
  free(url);
  free(scope);
  free(what);
  return rc;
}

/* A progress bar named by the start of the blob's hex digest. */
static void blob_progress(const struct reg_client *c, const struct reg_descriptor *d, struct reg_progress *p) {
  char label[24];
  snprintf(label, sizeof label, "%.19s", d->digest + 7);
  reg_progress_start(p, c->o.progress, label, d->size);
}

/* The upload URL with ?digest= (or &digest= when it has a query already). */
static char *with_digest(const char *url, const char *digest) {
  return ib_strfmt("%s%sdigest=%s", url, strchr(url, '?') ? "&" : "?", digest);
}

/* Sends one request of an upload session and moves *location to the next URL. */
static int upload_step(struct reg_client *c, struct reg_request *req, long want, char **location, bool moves,
                       struct ib_error *err) {
  struct reg_response resp = {0};
  int rc = reg_perform(c, req, &resp, err);
  if (rc == 0 && resp.status != want) rc = reg_status_error(c, req, &resp, err);
  if (rc == 0 && moves) {
    char *next = resp.location ? reg_absolute_url(c, resp.location) : NULL;
    if (!next)
      rc = ib_fail(err, -EPROTO, "%s: %s: no Location in the answer", c->registry, req->what);
    else if (strncasecmp(c->base, "https://", 8) == 0 && strncasecmp(next, "https://", 8) != 0)
      rc = ib_fail(err, -EPROTO, "%s: %s: refusing an upload Location that leaves https", c->registry, req->what);
    if (rc == 0) {
      free(*location);
      *location = next;
    } else {
      free(next);
    }
  }
  reg_response_free(&resp);
  return rc;
}

/* One upload session: POST, then the whole blob in the PUT, or PATCHes and an empty PUT. */
static int upload_session(struct reg_client *c, const char *repo, int fd, const struct reg_descriptor *d,
                          const char *scope, const char *what, struct reg_progress *progress, struct ib_error *err) {
  char *location = ib_strfmt("%s/v2/%s/blobs/uploads/", c->base, repo);
  struct reg_request req;
  reg_request_init(&req, "POST", location, scope, what);
  int rc = upload_step(c, &req, 202, &location, true, err);
  struct curl_slist *octet = curl_slist_append(NULL, "Content-Type: application/octet-stream");
  if (rc == 0 && d->size <= c->o.chunk_size) {
    char *url = with_digest(location, d->digest);
    reg_request_init(&req, "PUT", url, scope, what);
    req.headers = octet;
    req.fd = fd;
    req.length = d->size;
    req.progress = progress;
    rc = upload_step(c, &req, 201, &location, false, err);
    free(url);
  } else if (rc == 0) {
    for (uint64_t off = 0; rc == 0 && off < d->size; off += c->o.chunk_size) {
      uint64_t n = d->size - off < c->o.chunk_size ? d->size - off : c->o.chunk_size;
      char range[80];
      snprintf(range, sizeof range, "Content-Range: %llu-%llu", (unsigned long long)off,
               (unsigned long long)(off + n - 1));
      struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/octet-stream");
      headers = curl_slist_append(headers, range);
      reg_request_init(&req, "PATCH", location, scope, what);
      req.headers = headers;
      req.fd = fd;
      req.offset = off;
      req.length = n;
      req.progress = progress;
      req.progress_base = off;
      rc = upload_step(c, &req, 202, &location, true, err);
      curl_slist_free_all(headers);
    }
    if (rc == 0) {
      char *url = with_digest(location, d->digest);
      reg_request_init(&req, "PUT", url, scope, what);
      req.headers = octet;
      rc = upload_step(c, &req, 201, &location, false, err);
      free(url);
    }
  }
  curl_slist_free_all(octet);
  free(location);
  return rc;
}

#define UPLOAD_SESSIONS 3

int reg_blob_upload(struct reg_client *c, const char *repo, const char *path, const struct reg_descriptor *d,
                    struct ib_error *err) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ib_fail(err, -errno, "%s: %s", path, strerror(errno));
  char *scope = scope_of(repo, true);
  char *what = ib_strfmt("upload of blob %s", d->digest);
  struct reg_progress progress;
  blob_progress(c, d, &progress);
  /* A session broken half way (a lost connection mid-body, a registry that forgot it) cannot
   * go on where it was: the registry drops it once offsets disagree. Start a new one. */
  int rc = 0;
  for (int session = 1; session <= UPLOAD_SESSIONS; session++) {
    rc = upload_session(c, repo, fd, d, scope, what, &progress, err);
    if (rc == 0 || rc == -EACCES || rc == -EINVAL) break;
  }
  reg_progress_end(&progress);
  close(fd);
  free(scope);
  free(what);
  return rc;
}

int reg_blob_download(struct reg_client *c, const char *repo, const struct reg_descriptor *d,
                      const struct oci_layout *l, struct ib_error *err) {
  if (!ib_digest_valid(d->digest)) return ib_fail(err, -EINVAL, "\"%s\" is not a sha256 digest", d->digest);
  struct oci_blob_writer w;
  int rc = oci_blob_writer_begin(l, &w, err);
  if (rc < 0) return rc;
  char *url = ib_strfmt("%s/v2/%s/blobs/%s", c->base, repo, d->digest);
  char *scope = scope_of(repo, false);
  char *what = ib_strfmt("blob %s", d->digest);
  struct reg_progress progress;
  blob_progress(c, d, &progress);
  struct reg_request req;
  reg_request_init(&req, "GET", url, scope, what);
  req.sink = &w;
  req.sink_limit = d->size;
  req.sink_limited = true;
  req.follow_redirects = true;
  req.progress = &progress;
  struct reg_response resp = {0};
  rc = reg_perform(c, &req, &resp, err);
  reg_progress_end(&progress);
  if (rc == 0 && resp.status != 200) rc = reg_status_error(c, &req, &resp, err);
  if (rc == 0) rc = oci_blob_writer_commit(&w, d->digest, (int64_t)d->size, NULL, err);
  else oci_blob_writer_abort(&w);
  reg_response_free(&resp);
  free(url);
  free(scope);
  free(what);
  return rc;
}

int reg_manifest_put(struct reg_client *c, const char *repo, const char *tag, const char *media_type,
                     const char *data, size_t len, struct ib_error *err) {
  char *url = ib_strfmt("%s/v2/%s/manifests/%s", c->base, repo, tag);
  char *scope = scope_of(repo, true);
  char *what = ib_strfmt("manifest %s:%s", repo, tag);
  char *ct = ib_strfmt("Content-Type: %s", media_type);
  struct curl_slist *headers = curl_slist_append(NULL, ct);
  struct reg_request req;
  reg_request_init(&req, "PUT", url, scope, what);
  req.headers = headers;
  req.data = data;
  req.data_len = len;
  struct reg_response resp = {0};
  int rc = reg_perform(c, &req, &resp, err);
  if (rc == 0 && resp.status != 201 && resp.status != 200) rc = reg_status_error(c, &req, &resp, err);
  if (rc == 0 && resp.docker_digest) {
    char mine[IB_DIGEST_LEN + 1];
    ib_digest_buffer(data, len, mine);
    if (strcmp(mine, resp.docker_digest) != 0)
      rc = ib_fail(err, -EPROTO, "%s: %s: the registry stored digest %s, not %s", c->registry, what,
                   resp.docker_digest, mine);
  }
  reg_response_free(&resp);
  curl_slist_free_all(headers);
  free(ct);
  free(url);
  free(scope);
  free(what);
  return rc;
}

int reg_manifest_get(struct reg_client *c, const char *repo, const char *reference, char **data, size_t *len,
                     char **media_type, struct ib_error *err) {
  char *url = ib_strfmt("%s/v2/%s/manifests/%s", c->base, repo, reference);
  char *scope = scope_of(repo, false);
  char *what = ib_strfmt("manifest %s%s%s", repo, strncmp(reference, "sha256:", 7) == 0 ? "@" : ":", reference);
  struct curl_slist *headers = curl_slist_append(NULL, manifest_accept);
  struct reg_request req;
  reg_request_init(&req, "GET", url, scope, what);
  req.headers = headers;
  req.follow_redirects = true;
  struct reg_response resp = {.body_limit = MANIFEST_LIMIT + 1};
  int rc = reg_perform(c, &req, &resp, err);
  if (rc == 0 && resp.status == 404)
    rc = ib_fail(err, -ENOENT, "%s: %s: not found", c->registry, what);
  else if (rc == 0 && resp.status != 200)
    rc = reg_status_error(c, &req, &resp, err);
  else if (rc == 0 && (resp.body_truncated || resp.len > MANIFEST_LIMIT))
    rc = ib_fail(err, -EFBIG, "%s: %s: larger than %u bytes", c->registry, what, MANIFEST_LIMIT);
  if (rc == 0) {
    *len = resp.len;
    *data = resp.body ? resp.body : ib_xstrdup("");
    resp.body = NULL;
    char *doc_type = reg_document_media_type(*data, *len);
    if (doc_type) *media_type = doc_type;
    else if (resp.content_type) *media_type = strndup(resp.content_type, strcspn(resp.content_type, ";"));
    else *media_type = ib_xstrdup(REG_MT_OCI_MANIFEST);
  }
  reg_response_free(&resp);
  curl_slist_free_all(headers);
  free(url);
  free(scope);
  free(what);
  return rc;
}
