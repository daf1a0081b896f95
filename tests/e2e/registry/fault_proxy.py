#!/usr/bin/env python3
"""A fault-injecting HTTP proxy in front of a registry, for the e2e tests (stdlib only).

fault_proxy.py --upstream HOST:PORT --port-file FILE --log FILE [--mode pass|corrupt|oversize]
               [--corrupt-digest sha256:HEX]... [--throttle BYTES_PER_SECOND] [other options below]

It listens on 127.0.0.1 (a free port, written to --port-file once it listens) and forwards every
request to the upstream registry, streaming bodies both ways (Content-Length or chunked, Range and
Content-Range untouched). Location headers that point at the upstream are rewritten to the proxy.
Each request is logged as one line "METHOD PATH STATUS REQUEST_BODY_BYTES RESPONSE_BODY_BYTES",
then the tags that apply (CORRUPTED, REDIRECTED, ...), and last " AUTH" when the request carried an
Authorization header (whatever its value: the value is never logged); flushed at once, so a test
can watch it.

--mode corrupt flips one byte (the first of the body, XOR 0xff) of every successful blob GET
response (/v2/<name>/blobs/sha256:<hex>), or, with --corrupt-digest, of those blobs only.
--mode oversize sends every successful blob GET response chunked (its Content-Length dropped)
with 1 MiB of extra bytes after the blob's own (tag OVERSIZED): a server sending more than the
descriptor's size.
--throttle slows request and response bodies (uploads and downloads) down to about that many
bytes a second.
--fail-once answers 503 Service Unavailable (with Retry-After: 0) the first time it sees each
METHOD and path (query left out), without forwarding it: a transient error a client retries.
--redirect-blobs answers blob GETs and HEADs with 307 to the same path on the upstream (another
origin), the way registries hand blobs over to a storage service; --redirect-to HOST:PORT sends
them there instead (another proxy, say).
--foreign-uploads HOST:PORT rewrites the Location of 202 answers to POST /v2/NAME/blobs/uploads/ to
point at http://HOST:PORT (another origin, e.g. a second proxy in front of the same registry), so
the upload's PATCH and PUT requests go there (tag FOREIGN).
--challenge-blobs answers blob GETs and HEADs with 401 and
WWW-Authenticate: Bearer realm="http://PROXY/token",service="foreign",scope="repository:NAME:pull"
(a redirect target asking for credentials), and /token requests with 401, logged as
"TOKEN <scopes> 401" (with AUTH if the client sent an Authorization header there).
--cut-upload-once: the first PATCH or PUT whose body is over 64 KiB gets 64 KiB of it read and
forwarded, then both connections (client and upstream) are closed without an answer; logged as
"METHOD PATH CUT 65536 0".
--bearer USER:PASSWORD makes the proxy a registry with the Docker token flow in front of an open
upstream: /v2/ requests need "Authorization: Bearer TOKEN", else 401 with
WWW-Authenticate: Bearer realm="http://PROXY/token",service="e2e-registry"[,scope="repository:NAME:ACTIONS"];
GET /token?service=...&scope=... with Basic USER:PASSWORD answers {"token": ..., "access_token": ...}
granting the scopes asked for, 401 otherwise. Tokens are written to --tokens-file, one a line,
so a test can look for them in the client's output. Token requests are logged as
"TOKEN <scopes> <status>".
The mode file (--mode-file), when given and present, overrides --mode on each request, so a test
can switch modes without restarting the proxy.
"""
import argparse
import base64
import json
import secrets
import socket
import http.client
import http.server
import re
import socketserver
import sys
import threading
import time
import urllib.parse

HOP_BY_HOP = {'connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te',
              'trailer', 'trailers', 'transfer-encoding', 'upgrade', 'expect'}
BLOB_GET = re.compile(r'^/v2/(.+)/blobs/(sha256:[0-9a-f]{64})$')
UPLOADS = re.compile(r'^/v2/.+/blobs/uploads/?$')
PIECE = 64 * 1024

args = None
log_lock = threading.Lock()
tokens = {}  # bearer token -> {(repository, action)}
tokens_lock = threading.Lock()
seen = set()  # (method, path) answered 503 once by --fail-once
seen_lock = threading.Lock()
cut_done = False  # --cut-upload-once has cut its request
cut_lock = threading.Lock()


UNAUTHORIZED = b'{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}'


def log(line):
    with log_lock:
        with open(args.log, 'a') as f:
            f.write(line + '\n')


def current_mode():
    if args.mode_file:
        try:
            with open(args.mode_file) as f:
                m = f.read().strip()
            if m:
                return m
        except OSError:
            pass
    return args.mode


def blob_path(h):
    """The match of a blob GET or HEAD's path (groups: name, digest), else None."""
    if h.command not in ('GET', 'HEAD'):
        return None
    return BLOB_GET.match(urllib.parse.urlsplit(h.path).path)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def log_message(self, fmt, *a):  # requests are logged in our own format
        pass

    def log(self, line):
        """Logs line, tagged AUTH when this request carried an Authorization header."""
        log(line + (' AUTH' if self.had_auth else ''))

    def request_body(self):
        """Yields the client's request body in pieces (Content-Length or chunked), throttled."""
        te = self.headers.get('Transfer-Encoding', '').lower()
        if 'chunked' in te:
            while True:
                size_line = self.rfile.readline()
                size = int(size_line.split(b';')[0].strip() or b'0', 16)
                if size == 0:
                    while self.rfile.readline() not in (b'\r\n', b'\n', b''):
                        pass  # trailers
                    return
                left = size
                while left:
                    data = self.rfile.read(min(PIECE, left))
                    if not data:
                        raise ConnectionError('client closed mid-chunk')
                    left -= len(data)
                    yield self.throttled(data)
                self.rfile.readline()
        else:
            left = int(self.headers.get('Content-Length') or 0)
            while left:
                data = self.rfile.read(min(PIECE, left))
                if not data:
                    raise ConnectionError('client closed mid-body')
                left -= len(data)
                yield self.throttled(data)

    def throttled(self, data):
        if args.throttle:
            time.sleep(len(data) / args.throttle)
        self.sent_up += len(data)
        return data

    def answer(self, status, body, headers=()):
        """Answers the request itself (a JSON body, none for HEAD) and drains what it sent."""
        self.send_response_only(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        if self.command != 'HEAD':  # a HEAD answer has headers only
            self.wfile.write(body)
        self.drain_body()

    def bearer_gate(self):
        """With --bearer: answers token requests and 401s; True when the request may go on."""
        url = urllib.parse.urlsplit(self.path)
        if url.path == '/token':
            q = urllib.parse.parse_qs(url.query)
            scopes = ' '.join(q.get('scope', [])) or '-'
            auth = self.headers.get('Authorization', '')
            ok = auth.startswith('Basic ') and base64.b64decode(auth[6:]).decode(errors='replace') == args.bearer
            if ok:
                token = secrets.token_hex(24)
                with tokens_lock:
                    tokens[token] = set()
                    for scope in q.get('scope', []):
                        for sc in scope.split(' '):
                            parts = sc.split(':')
                            if len(parts) == 3 and parts[0] == 'repository':
                                tokens[token] |= {(parts[1], a) for a in parts[2].split(',')}
                with open(args.tokens_file, 'a') as f:
                    f.write(token + '\n')
                self.answer(200, json.dumps({'token': token, 'access_token': token, 'expires_in': 300}).encode())
            else:
                self.answer(401, UNAUTHORIZED, [('WWW-Authenticate', 'Basic realm="e2e-token"')])
            self.log('TOKEN %s %d' % (scopes, 200 if ok else 401))
            return False
        m = re.match(r'^/v2/(.+?)/(blobs|manifests|tags)/', url.path)
        need = None
        if m:
            need = {(m.group(1), 'pull')} if self.command in ('GET', 'HEAD') else {(m.group(1), 'pull'), (m.group(1), 'push')}
        auth = self.headers.get('Authorization', '')
        token = auth[7:] if auth.startswith('Bearer ') else None
        with tokens_lock:
            granted = tokens.get(token)
        if granted is not None and (need is None or need <= granted):
            del self.headers['Authorization']
            return True
        challenge = 'Bearer realm="http://%s/token",service="e2e-registry"' % self.headers.get('Host')
        if need:
            repo = m.group(1)
            challenge += ',scope="repository:%s:%s"' % (repo, 'pull' if len(need) == 1 else 'pull,push')
        self.answer(401, UNAUTHORIZED, [('WWW-Authenticate', challenge)])
        self.log('%s %s 401 0 %d' % (self.command, self.path, len(UNAUTHORIZED)))
        return False

    def challenge_gate(self):
        """With --challenge-blobs: 401 with a Bearer challenge for blobs and tokens; True otherwise."""
        url = urllib.parse.urlsplit(self.path)
        m = blob_path(self)
        if url.path != '/token' and not m:
            return True
        challenge = [('WWW-Authenticate', 'Bearer realm="http://%s/token",service="foreign",scope="repository:%s:pull"'
                      % (self.headers.get('Host'), m.group(1)))] if m else []
        self.answer(401, UNAUTHORIZED, challenge)
        if m:
            self.log('%s %s 401 0 %d CHALLENGED' % (self.command, self.path, len(UNAUTHORIZED)))
        else:
            scopes = ' '.join(urllib.parse.parse_qs(url.query).get('scope', [])) or '-'
            self.log('TOKEN %s 401' % scopes)
        return False

    def drain_body(self):
        """Reads an unused request body, so the connection can serve the next request."""
        self.sent_up = 0
        try:
            for _ in self.request_body():
                pass
        except (ConnectionError, OSError, ValueError):
            self.close_connection = True

    def forward(self):
        self.sent_up = 0
        self.had_auth = 'Authorization' in self.headers
        if args.bearer and not self.bearer_gate():
            return
        if args.challenge_blobs and not self.challenge_gate():
            return
        if args.fail_once:
            key = (self.command, urllib.parse.urlsplit(self.path).path)
            with seen_lock:
                first = key not in seen
                seen.add(key)
            if first:
                body = b'{"errors":[{"code":"UNAVAILABLE","message":"injected transient failure"}]}'
                self.answer(503, body, [('Retry-After', '0')])
                self.log('%s %s 503 0 %d INJECTED' % (self.command, self.path, len(body)))
                return
        if args.redirect_blobs and blob_path(self):
            self.send_response_only(307)
            self.send_header('Location', 'http://%s%s' % (args.redirect_to or args.upstream, self.path))
            self.send_header('Content-Length', '0')
            self.end_headers()
            self.log('%s %s 307 0 0 REDIRECTED' % (self.command, self.path))
            return
        method = self.command
        has_body = ('Content-Length' in self.headers and self.headers['Content-Length'] != '0') or \
            'chunked' in self.headers.get('Transfer-Encoding', '').lower()
        # A list, not a dict: a header may come more than once (several Accept lines).
        headers = [(k, v) for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP]
        up = http.client.HTTPConnection(args.upstream_host, args.upstream_port, timeout=300)
        try:
            up.putrequest(method, self.path, skip_host=True, skip_accept_encoding=True)
            for k, v in headers:
                up.putheader(k, v)
            chunked_up = has_body and 'Content-Length' not in self.headers
            if chunked_up:
                up.putheader('Transfer-Encoding', 'chunked')
            up.endheaders()
            cut = False
            if has_body and args.cut_upload_once and method in ('PATCH', 'PUT') and \
                    int(self.headers.get('Content-Length') or 0) > PIECE:
                global cut_done
                with cut_lock:
                    cut, cut_done = not cut_done, True
            if has_body:
                for data in self.request_body():
                    if cut:  # one piece (64 KiB) went up: drop both connections, answer nothing
                        up.send(data)
                        up.close()
                        self.close_connection = True
                        try:
                            self.connection.shutdown(socket.SHUT_RDWR)
                        except OSError:
                            pass
                        self.log('%s %s CUT %d 0' % (method, self.path, self.sent_up))
                        return
                    if chunked_up:
                        up.send(b'%x\r\n' % len(data) + data + b'\r\n')
                    else:
                        up.send(data)
                if chunked_up:
                    up.send(b'0\r\n\r\n')
            resp = up.getresponse()
        except (ConnectionError, OSError) as e:
            self.log('%s %s ERROR %d 0 %s' % (method, self.path, self.sent_up, e))
            self.close_connection = True
            up.close()
            return

        status = resp.status
        mode = current_mode()
        m = BLOB_GET.match(urllib.parse.urlsplit(self.path).path)
        corrupt = (method == 'GET' and m and status in (200, 206) and mode == 'corrupt' and
                   (not args.corrupt_digest or m.group(2) in args.corrupt_digest))
        oversize = method == 'GET' and m and status in (200, 206) and mode == 'oversize'
        foreign = args.foreign_uploads and method == 'POST' and status == 202 and \
            UPLOADS.match(urllib.parse.urlsplit(self.path).path)
        self.send_response_only(status, resp.reason)
        length = resp.getheader('Content-Length')
        for k, v in resp.getheaders():
            lk = k.lower()
            if lk in HOP_BY_HOP or lk == 'content-length':
                continue
            if lk == 'location':
                v = v.replace('//%s:%d' % (args.upstream_host, args.upstream_port),
                              '//%s' % self.headers.get('Host', '127.0.0.1:%d' % self.server.server_port))
                if foreign:
                    v = re.sub(r'^(https?://[^/]*)?', 'http://' + args.foreign_uploads, v, count=1)
            self.send_header(k, v)
        no_body = method == 'HEAD' or status in (204, 304) or 100 <= status < 200
        chunked_down = False
        if length is not None and not oversize:
            self.send_header('Content-Length', length)
        elif not no_body:
            self.send_header('Transfer-Encoding', 'chunked')
            chunked_down = True
        self.end_headers()
        sent_down = 0
        if not no_body:
            first = True
            try:
                while True:
                    data = resp.read(PIECE)
                    if not data:
                        break
                    if corrupt and first and data:
                        data = bytes([data[0] ^ 0xff]) + data[1:]
                        first = False
                    sent_down += len(data)
                    if args.throttle:
                        time.sleep(len(data) / args.throttle)
                    if chunked_down:
                        self.wfile.write(b'%x\r\n' % len(data) + data + b'\r\n')
                    else:
                        self.wfile.write(data)
                if oversize:
                    extra = b'\0' * PIECE
                    for _ in range(1024 * 1024 // PIECE):
                        sent_down += len(extra)
                        self.wfile.write(b'%x\r\n' % len(extra) + extra + b'\r\n')
                if chunked_down:
                    self.wfile.write(b'0\r\n\r\n')
                self.wfile.flush()
            except (ConnectionError, OSError):
                self.close_connection = True
        up.close()
        self.log('%s %s %d %d %d%s%s%s' % (method, self.path, status, self.sent_up, sent_down,
                                         ' CORRUPTED' if corrupt else '', ' OVERSIZED' if oversize else '',
                                         ' FOREIGN' if foreign else ''))

    do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = forward


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    global args
    p = argparse.ArgumentParser()
    p.add_argument('--upstream', required=True)
    p.add_argument('--port-file', required=True)
    p.add_argument('--log', required=True)
    p.add_argument('--mode', default='pass', choices=['pass', 'corrupt', 'oversize'])
    p.add_argument('--mode-file')
    p.add_argument('--corrupt-digest', action='append', default=[])
    p.add_argument('--throttle', type=float, default=0)
    p.add_argument('--redirect-blobs', action='store_true')
    p.add_argument('--fail-once', action='store_true')
    p.add_argument('--redirect-to')
    p.add_argument('--foreign-uploads')
    p.add_argument('--challenge-blobs', action='store_true')
    p.add_argument('--cut-upload-once', action='store_true')
    p.add_argument('--bearer')
    p.add_argument('--tokens-file')
    args = p.parse_args()
    host, port = args.upstream.rsplit(':', 1)
    args.upstream_host, args.upstream_port = host, int(port)
    srv = Server(('127.0.0.1', 0), Handler)
    open(args.log, 'a').close()
    with open(args.port_file + '.tmp', 'w') as f:
        f.write('%d\n' % srv.server_port)
    import os
    os.rename(args.port_file + '.tmp', args.port_file)
    srv.serve_forever()


if __name__ == '__main__':
    sys.exit(main())
