"""A real HTTP(S) server on 127.0.0.1 that records every request and answers from a script.

Works on Python 2.7 and 3.x with the standard library only. The tests talk to it through the SDK's
real transport (urllib3), nothing is mocked.

    server = Recorder()            # or Recorder(tls=True) with the test-only certificate
    server.start()
    server.script("/get-vms", [{"id": "vm1"}])           # one answer (JSON, status 200)
    server.script("/get-tasks", first, second)           # answers in turn; the last one repeats
    server.on("/get-tasks", lambda request: [...])       # computed answers
    ... the SDK talks to server.host (http://127.0.0.1:<port>/v2/api) ...
    server.last.json, server.requests
    server.stop()

An answer is one of:
- `Reply(status, json=..., body=..., headers=..., delay=..., close=...)`: full control; `delay`
  waits before answering (for timeouts), `close` drops the connection without answering;
- a `(status, headers, body)` tuple: `body` bytes or text is sent as it is, anything else as JSON;
- anything else: sent as JSON with status 200.
A path with no script is answered 200 `[]`. Every answer carries an `x-tower-request-id` header.
Script keys are matched against the request path and against the path without the `/v2/api` base.
"""
from __future__ import absolute_import

import itertools
import json
import re
import socket
import ssl
import threading

try:  # Python 3
    from http.client import HTTPConnection  # noqa: F401 - for the tests' proxy
    from http.server import BaseHTTPRequestHandler, HTTPServer
    from socketserver import ThreadingMixIn
    from urllib.parse import parse_qs, urlsplit
except ImportError:  # Python 2
    from BaseHTTPServer import BaseHTTPRequestHandler, HTTPServer
    from httplib import HTTPConnection  # noqa: F401
    from SocketServer import ThreadingMixIn
    from urlparse import parse_qs, urlsplit

API_BASE = "/v2/api"
HANDLER_THREAD_PREFIX = "recorder-"

try:
    TEXT_TYPES = (str, unicode)  # noqa: F821 - Python 2
except NameError:
    TEXT_TYPES = (str,)


class Reply(object):
    """One scripted answer."""

    _NO_JSON = object()

    def __init__(self, status=200, json=_NO_JSON, body=None, headers=None, delay=0, close=False):
        self.status = status
        self.headers = dict(headers or {})
        self.delay = delay
        self.close = close
        if json is not Reply._NO_JSON:
            self.body = _json_bytes(json)
            self.headers.setdefault("Content-Type", "application/json")
        elif body is None:
            self.body = b""
        else:
            self.body = _to_bytes(body)

    def __repr__(self):
        return "<Reply %s %r>" % (self.status, self.body[:60])


def as_reply(answer):
    """The `Reply` for any form of answer a script may hold."""
    if isinstance(answer, Reply):
        return answer
    if isinstance(answer, tuple) and len(answer) == 3:
        status, headers, body = answer
        if isinstance(body, (bytes, bytearray) + TEXT_TYPES):
            return Reply(status, body=body, headers=headers)
        return Reply(status, json=body, headers=headers)
    return Reply(200, json=answer)


class Request(object):
    """One request as the server received it."""

    def __init__(self, method, target, headers, body, client_address):
        self.method = method
        self.target = target  # the raw request-line target (absolute URL when sent to a proxy)
        parts = urlsplit(target)
        self.path = parts.path
        self.raw_query = parts.query
        self.query = parse_qs(parts.query, keep_blank_values=True)  # name -> [values]
        self.headers = headers  # lower-case name -> value
        self.body = body  # bytes
        self.client_address = client_address
        self.json = None
        self.form = {}  # multipart field name -> text
        self.files = {}  # multipart file field name -> (filename, content type, bytes)
        content_type = headers.get("content-type", "")
        if "multipart/form-data" in content_type:
            self.form, self.files = parse_multipart(content_type, body)
        elif body:
            try:
                self.json = json.loads(body.decode("utf-8"))
            except (ValueError, UnicodeDecodeError):
                self.json = None

    @property
    def op(self):
        """The path without the API base: `/get-vms`."""
        return self.path[len(API_BASE):] if self.path.startswith(API_BASE + "/") else self.path

    def __repr__(self):
        return "<Request %s %s>" % (self.method, self.target)


def parse_multipart(content_type, body):
    """({field: text}, {field: (filename, content type, bytes)}) of a multipart/form-data body."""
    match = re.search(r'boundary="?([^";]+)"?', content_type)
    if not match:
        raise ValueError("multipart body without a boundary: %r" % content_type)
    delimiter = b"--" + match.group(1).encode("ascii")
    fields, files = {}, {}
    for chunk in body.split(delimiter)[1:]:
        if chunk.startswith(b"--"):
            break  # the closing delimiter
        head, _, content = chunk.partition(b"\r\n\r\n")
        if content.endswith(b"\r\n"):
            content = content[:-2]
        part_headers = {}
        for line in head.decode("utf-8").split("\r\n"):
            if ":" in line:
                name, _, value = line.partition(":")
                part_headers[name.strip().lower()] = value.strip()
        disposition = part_headers.get("content-disposition", "")
        name = _disposition_param(disposition, "name")
        filename = _disposition_param(disposition, "filename")
        if filename is None:
            fields[name] = content.decode("utf-8")
        else:
            files[name] = (filename, part_headers.get("content-type"), content)
    return fields, files


def _disposition_param(disposition, param):
    match = re.search(r';\s*%s="([^"]*)"' % param, disposition)
    return match.group(1) if match else None


def _to_bytes(value):
    if isinstance(value, bytes):
        return value
    if isinstance(value, bytearray):
        return bytes(value)
    return value.encode("utf-8")


def _json_bytes(value):
    return json.dumps(value).encode("utf-8")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as urllib3 pools expect
    timeout = 30  # a connection idle this long is closed, so handler threads end

    def _serve(self):
        server = self.server.recorder
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = dict((name.lower(), value) for name, value in self.headers.items())
        request = Request(self.command, self.path, headers, body, self.client_address)
        getpeercert = getattr(self.connection, "getpeercert", None)
        request.peer_certificate = getpeercert() if getpeercert else None
        reply = server.record_and_answer(request)
        if reply.delay:
            server.stopping.wait(reply.delay)
        if reply.close:
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except (socket.error, OSError):
                pass
            return
        self.send_response(reply.status)
        names = set(name.lower() for name in reply.headers)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if "x-tower-request-id" not in names:
            self.send_header("x-tower-request-id", request.request_id)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(reply.body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _serve

    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass  # keep test output clean (and free of anything a request carried)


class _Server(ThreadingMixIn, HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64  # connections a test's threads open at once are not refused
    ssl_context = None

    def process_request(self, request, client_address):
        # The stdlib's, but with named threads so tests can tell them from the SDK's.
        thread = threading.Thread(target=self.process_request_thread, args=(request, client_address),
                                  name=HANDLER_THREAD_PREFIX + "handler")
        thread.daemon = True
        thread.start()

    def finish_request(self, request, client_address):
        if self.ssl_context is None:
            HTTPServer.finish_request(self, request, client_address)
            return
        # The TLS handshake happens here, in the handler thread, not in the accept loop.
        request.settimeout(10)
        try:
            tls_socket = self.ssl_context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, socket.error, OSError):
            self.recorder.count_failed_handshake()
            return
        try:
            HTTPServer.finish_request(self, tls_socket, client_address)
        finally:
            self.shutdown_request(tls_socket)

    def handle_error(self, request, client_address):
        pass  # a client that hung up (a timeout test) is no error of the server


class Recorder(object):
    """A scripted HTTP(S) server on an ephemeral port of 127.0.0.1 (see the module docstring)."""

    def __init__(self, tls=False, certfile=None, keyfile=None, client_ca=None):
        self.tls = tls
        self.certfile = certfile
        self.keyfile = keyfile
        self.client_ca = client_ca  # with TLS: require a client certificate signed by this CA
        self.requests = []
        self.failed_handshakes = 0
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._scripts = {}
        self._handlers = {}
        self._default = None
        self._ids = itertools.count(1)
        self._httpd = None
        self._thread = None

    # -- lifecycle --------------------------------------------------------------------------

    def start(self):
        httpd = _Server(("127.0.0.1", 0), _Handler)
        httpd.recorder = self
        if self.tls:
            httpd.ssl_context = server_ssl_context(self.certfile, self.keyfile, self.client_ca)
        self._httpd = httpd
        self._thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=HANDLER_THREAD_PREFIX + "accept")
        self._thread.daemon = True
        self._thread.start()
        return self

    def stop(self):
        self.stopping.set()  # wakes delayed answers
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._thread.join(10)
            self._httpd = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    @property
    def port(self):
        return self._httpd.server_address[1]

    @property
    def url(self):
        """`http(s)://127.0.0.1:<port>`"""
        return "%s://127.0.0.1:%d" % ("https" if self.tls else "http", self.port)

    @property
    def host(self):
        """The API base URL to give `Configuration(host=...)`."""
        return self.url + API_BASE

    # -- scripting --------------------------------------------------------------------------

    def script(self, path, *answers):
        """Answer requests to `path` with `answers` in turn; the last one repeats."""
        with self._lock:
            self._handlers.pop(path, None)
            self._scripts[path] = list(answers)

    def on(self, path, function):
        """Answer requests to `path` with `function(request)` (any form of answer)."""
        with self._lock:
            self._scripts.pop(path, None)
            self._handlers[path] = function

    def default(self, function):
        """Answer requests to unscripted paths with `function(request)`."""
        self._default = function

    def record_and_answer(self, request):
        with self._lock:
            request.request_id = "req-%d" % next(self._ids)
            self.requests.append(request)
            keys = (request.path, request.op)
            handler = next((self._handlers[key] for key in keys if key in self._handlers), None)
            answers = next((self._scripts[key] for key in keys if key in self._scripts), None)
            answer = None
            if handler is None and answers:
                answer = answers.pop(0) if len(answers) > 1 else answers[0]
        if handler is not None:
            answer = handler(request)
        elif answers is None:
            answer = self._default(request) if self._default is not None else []
        return as_reply(answer)

    def count_failed_handshake(self):
        with self._lock:
            self.failed_handshakes += 1

    # -- what was received ------------------------------------------------------------------

    @property
    def last(self):
        """The last request received (fails the test if there was none)."""
        assert self.requests, "the server received no request"
        return self.requests[-1]

    def requests_to(self, path):
        """The requests received for `path` (`/get-vms` or the full path)."""
        return [request for request in self.requests if path in (request.path, request.op)]


class Rendezvous(object):
    """An answer function (for `Recorder.on`) that answers `answer(request)` only once `count`
    requests are in the server at the same time, which proves the client sent them concurrently; if
    they never are (within `patience` seconds) every one is answered 503."""

    def __init__(self, count, answer, patience=30):
        self.count = count
        self.answer = answer
        self.patience = patience
        self.arrived = 0
        self.condition = threading.Condition()

    def __call__(self, request):
        with self.condition:
            self.arrived += 1
            self.condition.notify_all()
            waited = 0.0
            while self.arrived < self.count and waited < self.patience:
                self.condition.wait(0.1)
                waited += 0.1
            together = self.arrived >= self.count
        if not together:
            return (503, {}, {"message": "the requests were not concurrent"})
        return self.answer(request)


def server_ssl_context(certfile, keyfile, client_ca=None):
    protocol = getattr(ssl, "PROTOCOL_TLS_SERVER", None) or ssl.PROTOCOL_SSLv23
    context = ssl.SSLContext(protocol)
    context.load_cert_chain(certfile, keyfile)
    if client_ca:
        context.verify_mode = ssl.CERT_REQUIRED
        context.load_verify_locations(client_ca)
    return context
