#!/usr/bin/env python3
"""A fault-injecting HTTP proxy in front of a registry, for the e2e tests (stdlib only).

fault_proxy.py --upstream HOST:PORT --port-file FILE --log FILE [--mode pass|corrupt]
               [--corrupt-digest sha256:HEX]... [--throttle BYTES_PER_SECOND]

It listens on 127.0.0.1 (a free port, written to --port-file once it listens) and forwards every
request to the upstream registry, streaming bodies both ways (Content-Length or chunked, Range and
Content-Range untouched). Location headers that point at the upstream are rewritten to the proxy.
Each request is logged as one line "METHOD PATH STATUS REQUEST_BODY_BYTES RESPONSE_BODY_BYTES",
flushed at once, so a test can watch it.

--mode corrupt flips one byte (the first of the body, XOR 0xff) of every successful blob GET
response (/v2/<name>/blobs/sha256:<hex>), or, with --corrupt-digest, of those blobs only.
--throttle slows request bodies (uploads) down to about that many bytes a second.
The mode file (--mode-file), when given and present, overrides --mode on each request, so a test
can switch modes without restarting the proxy.
"""
import argparse
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
BLOB_GET = re.compile(r'^/v2/.+/blobs/(sha256:[0-9a-f]{64})$')
PIECE = 64 * 1024

args = None
log_lock = threading.Lock()


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


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def log_message(self, fmt, *a):  # requests are logged in our own format
        pass

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

    def forward(self):
        self.sent_up = 0
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
            if has_body:
                for data in self.request_body():
                    if chunked_up:
                        up.send(b'%x\r\n' % len(data) + data + b'\r\n')
                    else:
                        up.send(data)
                if chunked_up:
                    up.send(b'0\r\n\r\n')
            resp = up.getresponse()
        except (ConnectionError, OSError) as e:
            log('%s %s ERROR %d 0 %s' % (method, self.path, self.sent_up, e))
            self.close_connection = True
            up.close()
            return

        status = resp.status
        mode = current_mode()
        m = BLOB_GET.match(urllib.parse.urlsplit(self.path).path)
        corrupt = (method == 'GET' and m and status in (200, 206) and mode == 'corrupt' and
                   (not args.corrupt_digest or m.group(1) in args.corrupt_digest))
        self.send_response_only(status, resp.reason)
        length = resp.getheader('Content-Length')
        for k, v in resp.getheaders():
            lk = k.lower()
            if lk in HOP_BY_HOP or lk == 'content-length':
                continue
            if lk == 'location':
                v = v.replace('//%s:%d' % (args.upstream_host, args.upstream_port),
                              '//%s' % self.headers.get('Host', '127.0.0.1:%d' % self.server.server_port))
            self.send_header(k, v)
        no_body = method == 'HEAD' or status in (204, 304) or 100 <= status < 200
        chunked_down = False
        if length is not None:
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
                    if chunked_down:
                        self.wfile.write(b'%x\r\n' % len(data) + data + b'\r\n')
                    else:
                        self.wfile.write(data)
                if chunked_down:
                    self.wfile.write(b'0\r\n\r\n')
                self.wfile.flush()
            except (ConnectionError, OSError):
                self.close_connection = True
        up.close()
        log('%s %s %d %d %d%s' % (method, self.path, status, self.sent_up, sent_down,
                                  ' CORRUPTED' if corrupt else ''))

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
    p.add_argument('--mode', default='pass', choices=['pass', 'corrupt'])
    p.add_argument('--mode-file')
    p.add_argument('--corrupt-digest', action='append', default=[])
    p.add_argument('--throttle', type=float, default=0)
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
