/* The distribution client's transport: libcurl requests with retries and authentication. */
#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "client_internal.h"
#include "fs_util.h"
#include "reference.h"
#include "www_authenticate.h"

#define DEFAULT_ATTEMPTS 5
#define FIRST_BACKOFF_MS 250
#define MAX_BACKOFF_MS 8000
#define ERROR_BODY_LIMIT (64u << 10)
#define TOKEN_BODY_LIMIT (1u << 20)

static void curl_init_once(void) {
  static bool done;
  if (!done) {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    done = true;
  }
}

int reg_client_new(const char *registry, const struct reg_credentials *cred, const struct reg_client_options *o,
                   struct reg_client **out, struct ib_error *err) {
  curl_init_once();
  struct reg_client *c = ib_xmalloc(sizeof *c);
  memset(c, 0, sizeof *c);
  c->curl = curl_easy_init();
  if (!c->curl) {
    free(c);
    return ib_fail(err, -ENOMEM, "libcurl: cannot create a handle");
  }
  c->registry = ib_xstrdup(registry);
  bool plain = o->insecure || reg_host_is_loopback(registry);
  c->base = ib_strfmt("%s://%s", plain ? "http" : "https", registry);
  if (cred && cred->user) {
    c->cred.user = ib_xstrdup(cred->user);
    c->cred.password = ib_xstrdup(cred->password ? cred->password : "");
  }
  c->o = *o;
  if (!c->o.chunk_size) c->o.chunk_size = REG_DEFAULT_CHUNK_SIZE;
  if (c->o.attempts <= 0) c->o.attempts = DEFAULT_ATTEMPTS;
  *out = c;
  return 0;
}

void reg_client_free(struct reg_client *c) {
  if (!c) return;
  curl_easy_cleanup(c->curl);
  reg_credentials_free(&c->cred);
  for (size_t i = 0; i < c->token_count; i++) {
    explicit_bzero(c->tokens[i].value, strlen(c->tokens[i].value));
    free(c->tokens[i].value);
    free(c->tokens[i].scope);
  }
  free(c->tokens);
  free(c->registry);
  free(c->base);
  free(c);
}

const char *reg_client_registry(const struct reg_client *c) {
  return c->registry;
}

void reg_request_init(struct reg_request *r, const char *method, const char *url, const char *scope,
                      const char *what) {
  memset(r, 0, sizeof *r);
  r->method = method;
  r->url = url;
  r->scope = scope;
  r->what = what;
  r->fd = -1;
}

void reg_response_free(struct reg_response *r) {
  free(r->body);
  free(r->location);
  free(r->content_type);
  free(r->docker_digest);
  free(r->www_authenticate);
  free(r->retry_after);
  memset(r, 0, sizeof *r);
}

char *reg_absolute_url(const struct reg_client *c, const char *location) {
  if (strncasecmp(location, "http://", 7) == 0 || strncasecmp(location, "https://", 8) == 0)
    return ib_xstrdup(location);
  return ib_strfmt("%s%s%s", c->base, location[0] == '/' ? "" : "/", location);
}

/* "scheme://host:port" of an absolute http(s) URL, lower-cased, with the default port made
 * explicit; NULL for anything else. */
static char *url_origin(const char *url) {
  size_t scheme_len = strncasecmp(url, "https://", 8) == 0 ? 5 : strncasecmp(url, "http://", 7) == 0 ? 4 : 0;
  if (!scheme_len) return NULL;
  const char *host = url + scheme_len + 3;
  size_t n = strcspn(host, "/?#");
  if (memchr(host, '@', n)) return NULL; /* user info: never ours */
  char *hostport = strndup(host, n);
  for (char *p = hostport; *p; p++) *p = (char)tolower((unsigned char)*p);
  const char *close = strrchr(hostport, ']');
  const char *colon = strrchr(hostport, ':');
  bool has_port = colon && (!close || colon > close);
  char *origin = ib_strfmt("%.*s://%s%s", (int)scheme_len, scheme_len == 5 ? "https" : "http", hostport,
                           has_port ? "" : scheme_len == 5 ? ":443" : ":80");
  free(hostport);
  return origin;
}

bool reg_same_origin(const struct reg_client *c, const char *url) {
  char *a = url_origin(c->base), *b = url_origin(url);
  bool same = a && b && strcmp(a, b) == 0;
  free(a);
  free(b);
  return same;
}

/* What one transfer needs in libcurl's callbacks. */
struct transfer {
  struct reg_request *req;
  struct reg_response *resp;
  uint64_t sent, received;
  int sink_error;
  struct ib_error sink_err;
};

static size_t on_header(char *buf, size_t size, size_t n, void *arg) {
  struct transfer *t = arg;
  size_t len = size * n;
  char *line = strndup(buf, len);
  while (*line && (line[strlen(line) - 1] == '\n' || line[strlen(line) - 1] == '\r')) line[strlen(line) - 1] = '\0';
  struct reg_response *r = t->resp;
  if (strncmp(line, "HTTP/", 5) == 0) {
    /* A new response (after a redirect or a 100 Continue): forget the previous headers. */
    size_t limit = r->body_limit;
    reg_response_free(r);
    r->body_limit = limit;
    const char *sp = strchr(line, ' ');
    r->status = sp ? strtol(sp + 1, NULL, 10) : 0;
  } else {
    char *colon = strchr(line, ':');
    if (colon) {
      *colon = '\0';
      const char *v = colon + 1;
      while (*v == ' ' || *v == '\t') v++;
      char **slot = NULL;
      if (strcasecmp(line, "Location") == 0) slot = &r->location;
      else if (strcasecmp(line, "Content-Type") == 0) slot = &r->content_type;
      else if (strcasecmp(line, "Docker-Content-Digest") == 0) slot = &r->docker_digest;
      else if (strcasecmp(line, "Retry-After") == 0) slot = &r->retry_after;
      if (slot) {
        free(*slot);
        *slot = ib_xstrdup(v);
      } else if (strcasecmp(line, "WWW-Authenticate") == 0) {
        /* Several headers are several challenges. */
        char *joined = r->www_authenticate ? ib_strfmt("%s, %s", r->www_authenticate, v) : ib_xstrdup(v);
        free(r->www_authenticate);
        r->www_authenticate = joined;
      }
    }
  }
  free(line);
  return len;
}

static size_t on_body(char *buf, size_t size, size_t n, void *arg) {
  struct transfer *t = arg;
  size_t len = size * n;
  struct reg_response *r = t->resp;
  if (t->req->sink && r->status >= 200 && r->status < 300) {
    /* A server sending more than the descriptor says is refused at once, not after filling the disk. */
    if (t->req->sink_limited && t->received + len > t->req->sink_limit) {
      ib_fail(&t->sink_err, -EFBIG, "%s: the server sent more than its %llu bytes", t->req->what,
              (unsigned long long)t->req->sink_limit);
      t->sink_error = -EFBIG;
      return 0;
    }
    t->received += len;
    if (oci_blob_writer_write(t->req->sink, buf, len, &t->sink_err) < 0) {
      t->sink_error = -EIO;
      return 0;
    }
    return len;
  }
  size_t keep = r->len < r->body_limit ? r->body_limit - r->len : 0;
  if (keep < len) r->body_truncated = true;
  if (keep > len) keep = len;
  r->body = ib_xrealloc(r->body, r->len + keep + 1);
  memcpy(r->body + r->len, buf, keep);
  r->len += keep;
  r->body[r->len] = '\0';
  return len;
}

static size_t on_read(char *buf, size_t size, size_t n, void *arg) {
  struct transfer *t = arg;
  struct reg_request *q = t->req;
  uint64_t total = q->fd >= 0 ? q->length : q->data_len;
  size_t want = size * n;
  if (want > total - t->sent) want = (size_t)(total - t->sent);
  if (want == 0) return 0;
  if (q->fd >= 0) {
    ssize_t got = pread(q->fd, buf, want, (off_t)(q->offset + t->sent));
    if (got <= 0) return CURL_READFUNC_ABORT;
    want = (size_t)got;
  } else {
    memcpy(buf, (const char *)q->data + t->sent, want);
  }
  t->sent += want;
  return want;
}

/* libcurl rewinds the body to send it again (a redirect, a connection lost mid-upload). */
static int on_seek(void *arg, curl_off_t offset, int origin) {
  struct transfer *t = arg;
  uint64_t total = t->req->fd >= 0 ? t->req->length : t->req->data_len;
  if (origin != SEEK_SET || offset < 0 || (uint64_t)offset > total) return CURL_SEEKFUNC_CANTSEEK;
  t->sent = (uint64_t)offset;
  return CURL_SEEKFUNC_OK;
}

static int on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow) {
  (void)dltotal;
  (void)ultotal;
  struct transfer *t = arg;
  if (t->req->progress) reg_progress_update(t->req->progress, t->req->progress_base + (uint64_t)(dlnow + ulnow));
  return 0;
}

static const char *token_for(const struct reg_client *c, const char *scope) {
  for (size_t i = 0; i < c->token_count; i++)
    if (strcmp(c->tokens[i].scope, scope ? scope : "") == 0) return c->tokens[i].value;
  return NULL;
}

static void set_token(struct reg_client *c, const char *scope, const char *value) {
  for (size_t i = 0; i < c->token_count; i++) {
    if (strcmp(c->tokens[i].scope, scope) == 0) {
      free(c->tokens[i].value);
      c->tokens[i].value = ib_xstrdup(value);
      return;
    }
  }
  c->tokens = ib_xrealloc(c->tokens, (c->token_count + 1) * sizeof *c->tokens);
  c->tokens[c->token_count++] = (struct reg_token){ib_xstrdup(scope), ib_xstrdup(value)};
}

static char *basic_header(const struct reg_client *c) {
  char *plain = ib_strfmt("%s:%s", c->cred.user, c->cred.password);
  char *b64 = reg_base64_encode(plain, strlen(plain));
  char *h = ib_strfmt("Authorization: Basic %s", b64);
  explicit_bzero(plain, strlen(plain));
  explicit_bzero(b64, strlen(b64));
  free(plain);
  free(b64);
  return h;
}

/* The path of a URL, without its query (upload URLs carry opaque state). */
static char *url_path(const char *url) {
  const char *p = strstr(url, "://");
  p = p ? strchr(p + 3, '/') : url;
  if (!p) return ib_xstrdup("/");
  return strndup(p, strcspn(p, "?"));
}

static bool transient_curl_error(CURLcode cc) {
  switch (cc) {
  case CURLE_COULDNT_RESOLVE_HOST:
  case CURLE_COULDNT_CONNECT:
  case CURLE_OPERATION_TIMEDOUT:
  case CURLE_SEND_ERROR:
  case CURLE_RECV_ERROR:
  case CURLE_GOT_NOTHING:
  case CURLE_PARTIAL_FILE:
  case CURLE_HTTP2:
  case CURLE_HTTP2_STREAM:
    return true;
  default:
    return false;
  }
}

static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

/* One attempt. Returns the CURLcode; the response is filled in. */
static CURLcode perform_once(struct reg_client *c, struct reg_request *req, struct reg_response *resp,
                             const char *auth_header, struct transfer *t) {
  CURL *h = c->curl;
  curl_easy_reset(h);
  size_t limit = resp->body_limit;
  reg_response_free(resp);
  resp->body_limit = limit;
  memset(t, 0, sizeof *t);
  t->req = req;
  t->resp = resp;
  struct curl_slist *headers = NULL;
  for (struct curl_slist *s = req->headers; s; s = s->next) headers = curl_slist_append(headers, s->data);
  if (auth_header) headers = curl_slist_append(headers, auth_header);
  headers = curl_slist_append(headers, "Expect:");
  curl_easy_setopt(h, CURLOPT_URL, req->url);
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_USERAGENT, "runtimejs-registry/1");
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, t);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, t);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 30L);
  /* A stalled transfer (under 1 byte/s for a minute) counts as a connection error. */
  curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, 60L);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  if (req->follow_redirects) {
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
  }
  if (req->sink_limited && req->sink_limit) curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)req->sink_limit);
  if (req->progress && req->progress->on) {
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, t);
  }
  if (strcmp(req->method, "HEAD") == 0) {
    curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    /* Some servers and proxies send a body after a HEAD anyway; a reused connection would
     * read it as the next answer. */
    curl_easy_setopt(h, CURLOPT_FORBID_REUSE, 1L);
  } else if (strcmp(req->method, "GET") == 0) {
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
  } else {
    /* POST, PUT, PATCH: an upload (possibly empty) with the method set explicitly. */
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, req->method);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, on_read);
    curl_easy_setopt(h, CURLOPT_READDATA, t);
    curl_easy_setopt(h, CURLOPT_SEEKFUNCTION, on_seek);
    curl_easy_setopt(h, CURLOPT_SEEKDATA, t);
    uint64_t len = req->fd >= 0 ? req->length : req->data_len;
    curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
  }
  CURLcode cc = curl_easy_perform(h);
  curl_slist_free_all(headers);
  if (cc == CURLE_OK) {
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &resp->status);
    char *effective = NULL;
    curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &effective);
    resp->from_registry = effective && reg_same_origin(c, effective);
  }
  return cc;
}

/* GET realm?service=..&scope=..: a Bearer token, with Basic credentials when we have some. */
static int fetch_token(struct reg_client *c, const struct reg_challenge *bearer, const char *scope,
                       struct ib_error *err) {
  const char *realm = reg_challenge_param(bearer, "realm"), *service = reg_challenge_param(bearer, "service");
  if (!realm || (strncasecmp(realm, "https://", 8) != 0 && strncasecmp(realm, "http://", 7) != 0))
    return ib_fail(err, -EPROTO, "%s: the Bearer challenge has no http(s) realm", c->registry);
  /* Credentials of an https registry never travel in the clear to its token server. */
  if (strncasecmp(c->base, "https://", 8) == 0 && strncasecmp(realm, "https://", 8) != 0)
    return ib_fail(err, -EPROTO, "%s: refusing the plain-http token realm of an https registry", c->registry);
  char *q_service = service ? curl_easy_escape(c->curl, service, 0) : NULL;
  char *q_scope = scope && *scope ? curl_easy_escape(c->curl, scope, 0) : NULL;
  char *q_account = c->cred.user ? curl_easy_escape(c->curl, c->cred.user, 0) : NULL;
  char *url = ib_strfmt("%s%s%s%s%s%s%s%s", realm, strchr(realm, '?') ? "&" : "?", q_service ? "service=" : "",
                        q_service ? q_service : "", q_scope ? "&scope=" : "", q_scope ? q_scope : "",
                        q_account ? "&account=" : "", q_account ? q_account : "");
  curl_free(q_service);
  curl_free(q_scope);
  curl_free(q_account);
  struct reg_request req;
  reg_request_init(&req, "GET", url, NULL, "token");
  struct reg_response resp = {.body_limit = TOKEN_BODY_LIMIT};
  char *auth = c->cred.user ? basic_header(c) : NULL;
  int rc = 0;
  CURLcode cc = CURLE_OK;
  struct transfer t;
  for (int attempt = 1;; attempt++) {
    cc = perform_once(c, &req, &resp, auth, &t);
    bool transient = cc != CURLE_OK ? transient_curl_error(cc) : (resp.status >= 500 || resp.status == 429);
    if (!transient || attempt >= c->o.attempts) break;
    sleep_ms(FIRST_BACKOFF_MS << (attempt - 1));
  }
  if (auth) {
    explicit_bzero(auth, strlen(auth));
    free(auth);
  }
  if (cc != CURLE_OK)
    rc = ib_fail(err, -EHOSTUNREACH, "%s: token server: %s", c->registry, curl_easy_strerror(cc));
  else if ((resp.status == 401 || resp.status == 403) && c->cred.user)
    rc = ib_fail(err, -EACCES, "%s: unauthorized: wrong user name or password", c->registry);
  else if (resp.status == 401 || resp.status == 403)
    rc = ib_fail(err, -EACCES, "%s: authentication required (run: rtctl login %s)", c->registry, c->registry);
  else if (resp.status != 200)
    rc = ib_fail(err, -EPROTO, "%s: token server answered %ld", c->registry, resp.status);
  if (rc == 0) {
    json_t *o = json_loadb(resp.body ? resp.body : "", resp.len, 0, NULL);
    json_t *tok = json_object_get(o, "token");
    if (!json_is_string(tok)) tok = json_object_get(o, "access_token");
    if (json_is_string(tok) && json_string_length(tok) > 0) set_token(c, scope ? scope : "", json_string_value(tok));
    else rc = ib_fail(err, -EPROTO, "%s: the token server's answer has no token", c->registry);
    json_decref(o);
  }
  if (resp.body) explicit_bzero(resp.body, resp.len);
  reg_response_free(&resp);
  free(url);
  return rc;
}

/* Answers a 401: sets up Basic or fetches a Bearer token. */
static int authenticate(struct reg_client *c, const struct reg_request *req, const struct reg_response *resp,
                        struct ib_error *err) {
  struct reg_challenges cs;
  struct ib_error why;
  if (reg_www_authenticate_parse(resp->www_authenticate, &cs, &why) < 0)
    return ib_fail(err, -EPROTO, "%s: 401 with an unusable challenge (%s)", c->registry, why.msg);
  const struct reg_challenge *bearer = reg_challenge_find(&cs, "Bearer");
  const struct reg_challenge *basic = reg_challenge_find(&cs, "Basic");
  int rc = 0;
  if (bearer) {
    const char *scope = reg_challenge_param(bearer, "scope");
    rc = fetch_token(c, bearer, scope ? scope : req->scope, err);
    /* Later requests of the same scope send it at once; should it be too narrow for one of
     * them (a pull token for a push), that request's 401 fetches a wider one. */
    if (rc == 0 && scope && req->scope && strcmp(scope, req->scope) != 0) {
      const char *tok = token_for(c, scope);
      if (tok) set_token(c, req->scope, tok);
    }
  } else if (basic) {
    if (!c->cred.user)
      rc = ib_fail(err, -EACCES, "%s: authentication required (run: rtctl login %s)", c->registry, c->registry);
    else if (c->send_basic)
      rc = ib_fail(err, -EACCES, "%s: unauthorized: wrong user name or password", c->registry);
    else
      c->send_basic = true;
  } else {
    rc = ib_fail(err, -EPROTO, "%s: unsupported authentication scheme %s", c->registry, cs.v[0].scheme);
  }
  reg_challenges_free(&cs);
  return rc;
}

static long backoff_ms(const struct reg_response *resp, int attempt) {
  long ms = (long)FIRST_BACKOFF_MS << (attempt - 1);
  if (resp->retry_after && isdigit((unsigned char)resp->retry_after[0])) {
    long seconds = strtol(resp->retry_after, NULL, 10);
    ms = seconds > MAX_BACKOFF_MS / 1000 ? MAX_BACKOFF_MS : seconds * 1000;
  }
  return ms > MAX_BACKOFF_MS ? MAX_BACKOFF_MS : ms;
}

int reg_perform(struct reg_client *c, struct reg_request *req, struct reg_response *resp, struct ib_error *err) {
  if (!resp->body_limit) resp->body_limit = ERROR_BODY_LIMIT;
  bool authenticated = false;
  for (int attempt = 1;; attempt++) {
    /* Credentials go to the registry's own origin only (an upload Location may name another). */
    bool ours = reg_same_origin(c, req->url);
    const char *token = ours ? token_for(c, req->scope) : NULL;
    char *auth = token ? ib_strfmt("Authorization: Bearer %s", token) : ours && c->send_basic ? basic_header(c) : NULL;
    if (req->sink && attempt > 1) {
      int rc = oci_blob_writer_reset(req->sink, err);
      if (rc < 0) return rc;
    }
    struct transfer t;
    CURLcode cc = perform_once(c, req, resp, auth, &t);
    if (auth) {
      explicit_bzero(auth, strlen(auth));
      free(auth);
    }
    if (t.sink_error) return ib_fail(err, t.sink_error, "%s", t.sink_err.msg);
    if (cc != CURLE_OK) {
      if (transient_curl_error(cc) && attempt < c->o.attempts) {
        sleep_ms(backoff_ms(resp, attempt));
        continue;
      }
      char *path = url_path(req->url);
      int rc = ib_fail(err, -EHOSTUNREACH, "%s: %s %s: %s%s", c->registry, req->method, path, curl_easy_strerror(cc),
                       attempt > 1 ? " (after retries)" : "");
      free(path);
      return rc;
    }
    /* A challenge from elsewhere (a redirect's target) gets none of our credentials. */
    if (resp->status == 401 && !authenticated && resp->www_authenticate && resp->from_registry) {
      authenticated = true;
      int rc = authenticate(c, req, resp, err);
      if (rc < 0) return rc;
      attempt--; /* not a failure of the registry's */
      continue;
    }
    if ((resp->status >= 500 || resp->status == 429) && attempt < c->o.attempts) {
      sleep_ms(backoff_ms(resp, attempt));
      continue;
    }
    return 0;
  }
}

int reg_status_error(struct reg_client *c, const struct reg_request *req, const struct reg_response *resp,
                     struct ib_error *err) {
  if (resp->status == 401 && !resp->from_registry)
    return ib_fail(err, -EACCES,
                   "%s: %s: another host (a redirect or upload Location) asked for credentials; rtctl sends "
                   "them to %s only",
                   c->registry, req->what, c->registry);
  if (resp->status == 401 && !c->cred.user)
    return ib_fail(err, -EACCES, "%s: %s: authentication required (run: rtctl login %s)", c->registry, req->what,
                   c->registry);
  if (resp->status == 401) return ib_fail(err, -EACCES, "%s: %s: unauthorized", c->registry, req->what);
  /* The distribution API's error body: {"errors":[{"code","message"}]}. */
  char detail[256] = "";
  json_t *o = resp->body ? json_loadb(resp->body, resp->len, 0, NULL) : NULL;
  json_t *first = json_array_get(json_object_get(o, "errors"), 0);
  json_t *code = json_object_get(first, "code"), *message = json_object_get(first, "message");
  if (json_is_string(code))
    snprintf(detail, sizeof detail, " %s%s%s", json_string_value(code), json_is_string(message) ? ": " : "",
             json_is_string(message) ? json_string_value(message) : "");
  json_decref(o);
  /* The registry's words, on one line and without terminal control characters. */
  for (char *p = detail; *p; p++)
    if ((unsigned char)*p < 0x20 || *p == 0x7f) *p = ' ';
  int code_rc = resp->status == 404 ? -ENOENT : resp->status == 403 ? -EACCES : -EPROTO;
  return ib_fail(err, code_rc, "%s: %s: %s answered %ld%s", c->registry, req->what, req->method, resp->status, detail);
}
