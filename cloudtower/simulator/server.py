"""The HTTP side of the simulator: parse requests, authenticate, validate, answer."""
from __future__ import absolute_import

import base64
import json
import logging
import re
import socket
import ssl
import sys
import threading
import time

try:
    from http.server import BaseHTTPRequestHandler, HTTPServer
    from socketserver import ThreadingMixIn
    from urllib.parse import parse_qsl, urlsplit
except ImportError:  # Python 2
    from BaseHTTPServer import BaseHTTPRequestHandler, HTTPServer
    from SocketServer import ThreadingMixIn
    from urlparse import parse_qsl, urlsplit

from cloudtower.exceptions import ApiTypeError, ApiValueError
from cloudtower.model import encode
from cloudtower.simulator import i18n
from cloudtower.simulator.handlers import HANDLERS, Context, Encoded, SimError, answer_generically
from cloudtower.simulator.store import encode_json

logger = logging.getLogger("cloudtower.simulator")

API_BASE = "/v2/api"
GRAPHQL_PATH = "/api"
HEALTHZ_PATH = "/api/healthz"   # 200 on the active endpoint, 307 on a passive one
IDLE_TIMEOUT = 60.0             # seconds a connection may stay silent (between or within requests)
MAX_BODY = 256 * 1024 * 1024    # bytes; an upload chunk is 8 MiB
MAX_DEPTH = 100                 # how deep a JSON body may nest

if sys.version_info[0] == 2:  # pragma: no cover - Python 2
    _TOO_DEEP = RuntimeError  # "maximum recursion depth exceeded"
else:
    _TOO_DEEP = RecursionError  # noqa: F821 - Python 3 only


class Request(object):
    """One request as the simulator sees it."""

    def __init__(self, method, path, query, headers, body, endpoint=0, target=None):
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.endpoint = endpoint  # which endpoint of an active-passive pair it came to
        self.target = path if target is None else target  # the path with its query, as sent

    def header(self, name):
        """A request header's value (any case), or None."""
        lowered = name.lower()
        for key, value in self.headers.items():
            if key.lower() == lowered:
                return value
        return None


class Response(object):
    """What is sent back: status, JSON-ready body (or raw bytes), extra headers."""

    def __init__(self, status, body, headers=None, raw=None):
        self.status = status
        self.body = body
        self.headers = headers or {}
        self.raw = raw


class Server(ThreadingMixIn, HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128
    handshake_timeout = 10

    def __init__(self, address, handler, idle_timeout=IDLE_TIMEOUT, endpoint=0):
        HTTPServer.__init__(self, address, handler)
        self.idle_timeout = idle_timeout  # None: wait for ever
        self.endpoint = endpoint  # its index among the simulator's endpoints
        self._connections = {}  # socket -> the thread serving it (keep-alive connections live on)
        self._connections_lock = threading.Lock()

    def process_request_thread(self, request, client_address):
        with self._connections_lock:
            self._connections[request] = threading.current_thread()
        try:
            ThreadingMixIn.process_request_thread(self, request, client_address)
        finally:
            with self._connections_lock:
                self._connections.pop(request, None)

    def close_connections(self, timeout=2.0):
        """End every open connection and wait for the threads serving them (after shutdown())."""
        with self._connections_lock:
            connections = list(self._connections.items())
        for connection, _ in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except (OSError, socket.error):
                pass
        for _, thread in connections:
            thread.join(timeout)

    def finish_request(self, request, client_address):
        # With TLS the listening socket is wrapped with do_handshake_on_connect=False, so that the
        # handshake happens here, in the connection's thread: done in accept() it would let one
        # client that never sends a ClientHello stop the server from accepting anyone else.
        if hasattr(request, "do_handshake"):
            try:
                request.settimeout(min(self.handshake_timeout, self.idle_timeout or self.handshake_timeout))
                request.do_handshake()
            except (ssl.SSLError, socket.error, OSError) as error:
                logger.debug("TLS handshake with %s failed: %s", client_address, error)
                return
        HTTPServer.finish_request(self, request, client_address)

    def handle_error(self, request, client_address):
        if sys is None:  # Python 2 at interpreter shutdown
            return
        error = sys.exc_info()[1]
        if isinstance(error, (ssl.SSLError, socket.error)):  # the client went away (reset, EOF without close_notify)
            logger.debug("connection from %s ended: %s", client_address, error)
            return
        logger.error("connection from %s failed", client_address, exc_info=True)  # a bug: not print()ed


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "CloudTowerSimulator"
    # Headers and body go out in separate writes: with Nagle's algorithm the body would wait for
    # the client's (delayed) ACK of the headers, ~40 ms per request on keep-alive connections.
    disable_nagle_algorithm = True

    def setup(self):
        # A connection that stays silent this long (idle between requests, or a request that
        # stops half-way) is closed: it must not hold its thread for ever.
        self.timeout = self.server.idle_timeout
        BaseHTTPRequestHandler.setup(self)

    def do_GET(self):
        self._serve("GET")

    def do_POST(self):
        self._serve("POST")

    def _serve(self, method):
        url = urlsplit(self.path)
        try:
            body = self._read_body()
        except _BadFraming as error:
            # Where this body ends (and the next request starts) is unknown: answer and hang up.
            response = _error(error.status, str(error), _operation_path(url.path))
            response.headers["Connection"] = "close"  # (sending it also sets close_connection)
            self._send(response)
            return
        headers = dict((key, value) for key, value in self.headers.items())
        request = Request(method, url.path, dict(parse_qsl(url.query)), headers, body,
                          endpoint=self.server.endpoint, target=self.path)
        response = self.server.simulator.handle(request)
        if response is None:  # a dropped connection
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except (OSError, socket.error):
                pass
            return
        self._send(response)

    def _read_body(self):
        """The request body (Content-Length or chunked); `_BadFraming` when it cannot be read."""
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            return self._read_chunked()
        text = self.headers.get("Content-Length")
        if text is None:
            return b""
        if not text.strip().isdigit():
            raise _BadFraming(400, "Content-Length must be a number of bytes, not %r" % text)
        length = int(text)
        if length > MAX_BODY:
            raise _BadFraming(413, "The request body has %d bytes; at most %d are taken" % (length, MAX_BODY))
        body = self.rfile.read(length) if length else b""
        if len(body) < length:
            raise _BadFraming(400, "The request body ended after %d of %d bytes" % (len(body), length))
        return body

    def _read_chunked(self):
        chunks, size = [], 0
        while True:
            line = self.rfile.readline(1024).split(b";")[0].strip()
            try:
                length = int(line, 16)
            except ValueError:
                raise _BadFraming(400, "A chunked request body has a bad chunk size %r" % line[:20])
            size += length
            if size > MAX_BODY:
                raise _BadFraming(413, "The request body has more than %d bytes" % MAX_BODY)
            if length == 0:
                while self.rfile.readline(1024).strip():  # trailers, up to the blank line
                    pass
                return b"".join(chunks)
            chunk = self.rfile.read(length)
            if len(chunk) < length:
                raise _BadFraming(400, "A chunked request body ended in the middle of a chunk")
            chunks.append(chunk)
            self.rfile.readline(1024)  # the CRLF after each chunk

    def _send(self, response):
        if response.raw is not None:
            payload = response.raw
        else:
            payload = encode_body(response.body)
        self.send_response(response.status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        for key, value in response.headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format, *args):
        logger.debug("%s %s", self.address_string(), format % args)


class _BadFraming(Exception):
    """A request whose body cannot be read (its length is not a number, it is cut short ...)."""

    def __init__(self, status, message):
        super(_BadFraming, self).__init__(message)
        self.status = status


class Dispatcher(object):
    """Turns a `Request` into a `Response` for a simulator (its store, tasks, faults ...)."""

    def __init__(self, simulator):
        self.simulator = simulator
        self._request_counter = 0
        self._counter_lock = threading.Lock()

    def handle(self, request):
        with self._counter_lock:
            self._request_counter += 1
            request_id = "sim-%08d" % self._request_counter
        simulator = self.simulator
        operation_path = _operation_path(request.path)
        if request.endpoint != simulator.active_endpoint:
            response = self._passive(request, operation_path, request_id)
            simulator.journal(request, response)
            return response
        delay = simulator.faults.take(operation_path, kinds=("latency",))  # adds to any other fault
        if delay is not None:
            time.sleep(delay.latency)
        fault = simulator.faults.take(operation_path, kinds=("status", "drop", "malformed"))
        if fault is not None:
            if fault.kind == "drop":
                simulator.journal(request, None)
                return None
            if fault.kind == "status":
                headers = {"x-tower-request-id": request_id}
                if fault.retry_after is not None:
                    headers["Retry-After"] = str(fault.retry_after)
                message = fault.message or i18n.text("injected", _language(request))
                response = Response(fault.status, {"message": message, "status": fault.status,
                                                   "path": operation_path}, headers)
                simulator.journal(request, response)
                return response
        try:
            response = self._answer(request)
        except Exception as error:  # noqa: BLE001 - a bug in a handler is a 500 answer, not a lost connection
            logger.exception("%s %s failed", request.method, request.path)
            response = _error(500, "Internal error in the simulator: %s: %s" % (type(error).__name__, error),
                              operation_path)
        response.headers.setdefault("x-tower-request-id", request_id)
        if fault is not None and fault.kind == "malformed":
            text = encode_body(response.body)
            response.raw = text[:max(1, len(text) // 2)]
        simulator.journal(request, response)
        return response

    def _passive(self, request, operation_path, request_id):
        """A passive endpoint's answer to anything: 307, to the same URL on the active one."""
        location = self.simulator.root_urls[self.simulator.active_endpoint] + request.target
        return Response(307, {"message": i18n.text("passive", _language(request)), "status": 307,
                              "path": operation_path},
                        {"Location": location, "x-tower-request-id": request_id})

    def _answer(self, request):
        if request.path == HEALTHZ_PATH and request.method == "GET":
            return Response(200, {"status": "ok"})
        if request.path == GRAPHQL_PATH and request.method == "POST":
            return self._graphql(request)
        if not request.path.startswith(API_BASE + "/"):
            return _error(404, i18n.text("no_operation", _language(request), path=request.path), request.path)
        path = request.path[len(API_BASE):]
        operation = self.simulator.catalog.operations.get(path)
        if operation is None or operation.method != request.method:
            return _error(404, i18n.text("no_operation", _language(request), path=path), path)
        language = request.header("content-language") or "en-US"
        if language == "*":
            language = "en-US"
        if language not in i18n.LANGUAGES:
            return _error(400, i18n.text("bad_language", "en-US", value=language), path)
        user = self._authenticate(request, operation)
        if operation.auth and user is None:
            return _error(401, i18n.text("unauthorized", language), path)
        try:
            body = self._body(request, operation, language)
        except SimError as error:
            return Response(error.status, error.body(path))
        handler = HANDLERS.get(path, _generic)
        with self.simulator.store.lock:
            if self.simulator._stopping.is_set():  # checked under the lock: stop() saves after this
                return _error(503, "The simulator is stopping", path)
            self.simulator.tasks.advance()
            context = Context(self.simulator, operation, language, user)
            try:
                result = handler(context, body)
            except SimError as error:
                return Response(error.status, error.body(path))
            finally:  # journaled before it is answered (a query may have moved tasks along)
                self.simulator.commit()
        return Response(200, result)

    def _authenticate(self, request, operation):
        value = request.header("Authorization") or ""
        settings = self.simulator.store.settings
        if value.startswith("Basic "):
            try:
                username, _, password = base64.b64decode(value[6:]).decode("utf-8").partition(":")
            except (ValueError, TypeError, UnicodeDecodeError):
                return None
            if operation.auth != "Basic":
                return None
            return self.simulator.check_password(username, password)
        return settings.get("tokens", {}).get(value) if value else None

    def _body(self, request, operation, language):
        if operation.form:
            return _parse_multipart(request)
        if operation.body is None:
            return dict(request.query) if operation.query else None
        data = _parse_json(request.body, language)
        try:
            encode(data, operation.body, validate=True, path=("body",), strict=True)
        except (ApiTypeError, ApiValueError) as error:
            raise SimError(400, i18n.text("invalid", language, detail=str(error)))
        if data is None:
            raise SimError(400, i18n.text("invalid", language, detail="body: a request body is required"))
        return data

    def _graphql(self, request):
        try:
            document = _parse_json(request.body, "en-US")
        except SimError as error:
            return Response(400, {"errors": [{"message": error.message}]})
        text = document.get("query") if isinstance(document, dict) else None
        if not isinstance(text, (str, type(u""))):
            return Response(400, {"errors": [{"message": "a GraphQL request is an object whose query is a "
                                                         "string, like {\"query\": \"{authnStrategies{id type}}\"}"}]})
        if re.sub(r"\s+", "", text) in ("{authnStrategies{idtype}}", "query{authnStrategies{idtype}}"):
            strategies = self.simulator.store.settings.get("authn_strategies", [])
            return Response(200, {"data": {"authnStrategies": strategies}})
        return Response(400, {"errors": [{"message": "the simulator answers only {authnStrategies{id type}}"}]})


def _generic(ctx, body):
    return answer_generically(ctx, body)


def encode_body(body):
    """The bytes of a JSON answer (an `Encoded` list: its items are JSON already)."""
    if isinstance(body, Encoded):
        return b"[" + b",".join(body) + b"]"
    return encode_json(body)


def _parse_json(body, language):
    """A JSON request body as data (None when empty); an error answer when it is not JSON or
    nests deeper than MAX_DEPTH."""
    if not body:
        return None
    try:
        data = json.loads(body.decode("utf-8"))
    except _TOO_DEEP:
        data = None
        depth = MAX_DEPTH + 1
    except ValueError:  # UnicodeDecodeError too
        raise SimError(400, i18n.text("bad_json", language))
    else:
        depth = _depth(data)
    if depth > MAX_DEPTH:
        raise SimError(400, i18n.text("too_deep", language, limit=MAX_DEPTH))
    return data


def _depth(data):
    """How deep JSON data nests (a scalar: 0), without recursion."""
    deepest, level = 0, [(data, 1)]
    while level:
        value, depth = level.pop()
        if isinstance(value, dict):
            value = list(value.values())
        elif not isinstance(value, list):
            continue
        if depth > deepest:
            deepest = depth
            if deepest > MAX_DEPTH:
                break
        level.extend((item, depth + 1) for item in value if isinstance(item, (dict, list)))
    return deepest


def _operation_path(path):
    """`/v2/api/get-vms` -> `/get-vms` (as error answers name the operation)."""
    return path[len(API_BASE):] if path.startswith(API_BASE + "/") else path


def _language(request):
    """The request's language when it is one the simulator speaks, else English."""
    language = request.header("content-language")
    return language if language in i18n.LANGUAGES else "en-US"


def _error(status, message, path):
    return Response(status, {"message": message, "status": status, "path": path})


def _parse_multipart(request):
    """The fields of a multipart/form-data body: text fields as strings, file parts as
    (file name, bytes)."""
    content_type = request.header("Content-Type") or ""
    match = re.search(r'boundary="?([^";]+)"?', content_type)
    if not match:
        raise SimError(400, "a multipart/form-data body with a boundary is required")
    boundary = b"--" + match.group(1).encode("ascii")
    fields = {}
    for part in request.body.split(boundary)[1:]:
        if part.startswith(b"--"):
            break
        head, _, data = part.partition(b"\r\n\r\n")
        if data.endswith(b"\r\n"):
            data = data[:-2]
        header = head.decode("utf-8", "replace")
        name = re.search(r'name="([^"]*)"', header)
        if not name:
            continue
        filename = re.search(r'filename="([^"]*)"', header)
        if filename:
            fields[name.group(1)] = (filename.group(1), data)
        else:
            fields[name.group(1)] = data.decode("utf-8", "replace")
    return fields
