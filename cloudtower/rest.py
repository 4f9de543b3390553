"""HTTP transport: sends requests with urllib3 and turns error answers into exceptions."""
from __future__ import absolute_import

import io
import json
import logging
import re
import socket
import ssl
import sys
import time

import certifi
import urllib3
import urllib3.fields
import urllib3.filepost

from cloudtower import retry
# The exception classes are importable from here too, as in the official SDK
# (`from cloudtower.rest import NotFoundException`).
from cloudtower.exceptions import (ApiConnectionError, ApiException, ApiTimeoutError, ApiTLSError,  # noqa: F401
                                   ApiValueError, ForbiddenException, InvalidRequestTypeError,
                                   NotFoundException, ServiceException, UnauthorizedException,
                                   exception_for)
from cloudtower.model import REDACTED, STRING_TYPES, is_secret_name, redact

try:
    from urllib.parse import urlencode
except ImportError:  # Python 2
    from urllib import urlencode

logger = logging.getLogger("cloudtower.rest")

SENSITIVE_HEADERS = frozenset(["authorization", "proxy-authorization", "cookie", "set-cookie"])
# urllib3 makes one attempt per request (retries are `ApiClient.request`'s, see cloudtower.retry)
# and follows redirects as it did before; on a failure it raises what it raises with its own
# retries used up (MaxRetryError ...), which code written for urllib3 expects.
SINGLE_ATTEMPT = urllib3.Retry(total=None, connect=0, read=0, status=0, other=0, redirect=3,
                               raise_on_status=False)
_LOGGED_BODY_LIMIT = 4096


class RESTResponse(io.IOBase):
    """An answer whose body was read in full: `status`, `reason`, `data` (bytes), headers."""

    def __init__(self, resp):
        self.urllib3_response = resp
        self.status = resp.status
        self.reason = resp.reason
        self.data = resp.data

    @property
    def headers(self):
        """The answer's headers (a case-insensitive mapping)."""
        return self.urllib3_response.headers

    def getheaders(self):
        """The answer's headers (a case-insensitive mapping)."""
        return self.urllib3_response.headers

    def getheader(self, name, default=None):
        """One header's value, or `default`."""
        return self.urllib3_response.headers.get(name, default)

    def __repr__(self):
        return "<RESTResponse %s %s, %d bytes>" % (self.status, self.reason, len(self.data or b""))


class RESTClientObject(object):
    """A urllib3 pool manager set up from a `Configuration` (TLS, proxy, pool size, retries)."""

    def __init__(self, configuration, pools_size=4, maxsize=None):
        self.configuration = configuration
        options = {
            "num_pools": pools_size,
            "maxsize": maxsize or configuration.connection_pool_maxsize or 4,
            "cert_reqs": ssl.CERT_REQUIRED if configuration.verify_ssl else ssl.CERT_NONE,
            "ca_certs": configuration.ssl_ca_cert or default_ca_certs(),
            "cert_file": configuration.cert_file,
            "key_file": configuration.key_file,
        }
        if configuration.assert_hostname is not None:
            options["assert_hostname"] = configuration.assert_hostname
        # `retries = False` asks urllib3 for the error itself (NewConnectionError ...) instead of
        # a MaxRetryError around it, and for redirects not to be followed: as it was asked.
        options["retries"] = False if configuration.retries is False else SINGLE_ATTEMPT
        if configuration.socket_options is not None:
            options["socket_options"] = configuration.socket_options
        if configuration.proxy:
            self.pool_manager = urllib3.ProxyManager(proxy_url=configuration.proxy,
                                                     proxy_headers=configuration.proxy_headers,
                                                     **options)
        else:
            self.pool_manager = urllib3.PoolManager(**options)

    def request(self, method, url, query_params=None, headers=None, body=None, post_params=None,
                _preload_content=True, _request_timeout=None, redirect=None):
        """Send one request and return the answer.

        `body` (JSON-ready data) is sent as JSON; `post_params` as a form, multipart when the
        `Content-Type` header says so. `_request_timeout` is seconds, or a (connect, read) pair.
        `redirect` tells urllib3 whether to follow a redirect (None: its default, it follows; an
        answer not followed raises like any answer outside 2xx). Raises an `ApiException` subclass for an answer outside 2xx, and an `ApiConnectionError`
        (status 0) when the request could not be sent or its answer not read.
        """
        method = method.upper()
        if post_params and body is not None:
            raise ApiValueError("body and post_params cannot both be given")
        headers = dict(headers or {})
        if _get_header(headers, "Content-Type") is None and not post_params:
            headers["Content-Type"] = "application/json"  # on every request, as the official SDK
        if _request_timeout is None:
            _request_timeout = getattr(self.configuration, "request_timeout", None) or retry.DEFAULT_TIMEOUT
        timeout = _timeout(_request_timeout)
        content_type = _get_header(headers, "Content-Type")
        if query_params and method not in ("GET", "HEAD", "DELETE"):
            url += ("&" if "?" in url else "?") + urlencode(query_params)
            query_params = None
        follow = {} if redirect is None else {"redirect": redirect}
        started = time.time()
        debug = logger.isEnabledFor(logging.DEBUG)
        if debug:
            _log_request(method, url, query_params, headers, body, post_params)
        try:
            if method in ("GET", "HEAD", "DELETE") and body is None and not post_params:
                response = self.pool_manager.request(method, url, fields=query_params, headers=headers,
                                                     preload_content=_preload_content, timeout=timeout, **follow)
            elif post_params and (content_type is None or "multipart" in content_type):
                stream = MultipartBody(post_params)
                _del_header(headers, "Content-Type")
                headers.update({"Content-Type": stream.content_type, "Content-Length": str(len(stream))})
                response = self.pool_manager.urlopen(method, url, body=stream, headers=headers,
                                                     preload_content=_preload_content, timeout=timeout, **follow)
            elif post_params:
                response = self.pool_manager.request(method, url, fields=post_params, headers=headers,
                                                     encode_multipart=False,
                                                     preload_content=_preload_content, timeout=timeout, **follow)
            else:
                payload = _payload(body, content_type)
                response = self.pool_manager.urlopen(method, url, body=payload, headers=headers,
                                                     preload_content=_preload_content, timeout=timeout, **follow)
        except TRANSPORT_ERRORS as error:
            raise transport_error(error, method, url)

        if _preload_content:
            response = RESTResponse(response)
        if debug:
            _log_response(response, time.time() - started, _preload_content)
        if not 200 <= response.status <= 299:
            raise exception_for(response)
        return response

    # The verbs, with the official SDK's signatures.
    def DELETE(self, url, headers=None, query_params=None, body=None, _preload_content=True,
               _request_timeout=None, redirect=None):
        """`request("DELETE", ...)`."""
        return self.request("DELETE", url, headers=headers, query_params=query_params, body=body,
                            _preload_content=_preload_content, _request_timeout=_request_timeout,
                            redirect=redirect)

    def clear(self):
        """Close every pooled connection (one in use is closed when its request ends)."""
        known = self.pool_manager.pools
        pools = []
        for key in known.keys():
            try:
                pools.append(known[key])
            except KeyError:  # evicted meanwhile: urllib3 closed it
                pass
        self.pool_manager.clear()
        # urllib3 2 forgets its pools here without closing them; their sockets would stay open.
        for pool in pools:
            pool.close()


def _verb(method, takes_body):
    """The `RESTClientObject` method for `method` (`GET`, `POST` ...): `request(method, ...)`."""
    if takes_body:
        def send(self, url, headers=None, query_params=None, post_params=None, body=None,
                 _preload_content=True, _request_timeout=None, redirect=None):
            return self.request(method, url, headers=headers, query_params=query_params,
                                post_params=post_params, body=body, _preload_content=_preload_content,
                                _request_timeout=_request_timeout, redirect=redirect)
    else:
        def send(self, url, headers=None, query_params=None, _preload_content=True, _request_timeout=None,
                 redirect=None):
            return self.request(method, url, headers=headers, query_params=query_params,
                                _preload_content=_preload_content, _request_timeout=_request_timeout,
                                redirect=redirect)
    send.__name__ = method
    send.__qualname__ = "RESTClientObject." + method  # (Python 2 ignores it)
    send.__doc__ = '`request("%s", ...)`.' % method
    return send


for _method, _takes_body in (("GET", False), ("HEAD", False), ("OPTIONS", True), ("POST", True),
                             ("PUT", True), ("PATCH", True)):
    setattr(RESTClientObject, _method, _verb(_method, _takes_body))
del _method, _takes_body


try:
    from http.client import HTTPException
except ImportError:  # Python 2
    from httplib import HTTPException

# What sending a request and reading its answer can raise besides an answer: urllib3's errors,
# and the socket and http.client errors it lets through.
TRANSPORT_ERRORS = (urllib3.exceptions.HTTPError, HTTPException, EnvironmentError)
# urllib3 errors raised before the connection was made: the server cannot have seen the request.
_NOT_CONNECTED = (urllib3.exceptions.NewConnectionError, urllib3.exceptions.ConnectTimeoutError)


def transport_error(error, method, url):
    """The `ApiConnectionError` (or `ApiTimeoutError`, `ApiTLSError`) for an exception raised
    while sending `method url` or reading its answer.

    The result is also an instance of the class of `error`, so that code written to catch
    urllib3's exceptions still catches it; `original` is `error` itself.
    """
    cause = getattr(error, "reason", None) if isinstance(error, urllib3.exceptions.MaxRetryError) else None
    cause = cause if isinstance(cause, BaseException) else error
    if isinstance(cause, urllib3.exceptions.ProxyError) and isinstance(getattr(cause, "original_error", None),
                                                                        BaseException):
        cause = cause.original_error
    try:
        parsed = urllib3.util.parse_url(url)
    except (urllib3.exceptions.LocationParseError, TypeError, ValueError):
        parsed = None
    host = "%s:%s" % (parsed.host, parsed.port) if parsed and parsed.port else (parsed.host if parsed else None)
    operation = "%s %s" % (method, parsed.path if parsed and parsed.path else url)
    if isinstance(cause, (urllib3.exceptions.SSLError, ssl.SSLError)):
        kind, what = ApiTLSError, "TLS failed"
    elif isinstance(cause, urllib3.exceptions.NewConnectionError):
        # Checked before timeouts: urllib3 derives it from ConnectTimeoutError, but it is a
        # refused connection, an unknown host ...
        kind, what = ApiConnectionError, "connection failed"
    elif isinstance(cause, (urllib3.exceptions.TimeoutError, socket.timeout)):
        kind, what = ApiTimeoutError, "timed out"
    elif isinstance(cause, urllib3.exceptions.LocationValueError):
        kind, what = ApiConnectionError, "bad URL"
    else:
        kind, what = ApiConnectionError, "connection failed"
    reason = "%s: %s to %s: %s: %s" % (what, operation, host or url, type(cause).__name__, _error_text(cause))
    if kind is ApiTLSError:
        reason += _tls_hint(host)
    elif not host:
        reason += "\nSet Configuration.host to the API's address, e.g. https://<tower>/v2/api"
    mixed = _with_urllib3_class(kind, type(error))
    wrapped = mixed.__new__(mixed)
    wrapped.__dict__.update(getattr(error, "__dict__", {}))
    kind.__init__(wrapped, reason, operation=operation, host=host, original=error,
                  request_sent=not isinstance(cause, _NOT_CONNECTED))
    return wrapped


_MIXED = {}


def _with_urllib3_class(kind, error_class):
    """`kind`, made also a subclass of the urllib3 (or socket) exception class `error_class`."""
    if issubclass(kind, error_class) or error_class.__module__ in ("builtins", "exceptions"):
        return kind
    mixed = _MIXED.get((kind, error_class))
    if mixed is None:
        try:
            mixed = type(kind.__name__, (kind, error_class), {"__module__": kind.__module__})
        except TypeError:  # a base with an incompatible layout: our class alone
            mixed = kind
        _MIXED[(kind, error_class)] = mixed
    return mixed


def _error_text(error):
    text = str(error)
    # urllib3 writes "<urllib3.connection.HTTPConnection object at 0x...>: Failed to ..."
    return re.sub(r"^<[^>]+ object at 0x[0-9a-f]+>: ", "", text)


def _tls_hint(host):
    if sys.version_info[0] == 2 and host and re.match(r"^[\d.]+(:\d+)?$|:.*:", host):  # pragma: no cover
        try:
            import ipaddress  # noqa: F401
        except ImportError:
            return ("\nOn Python 2, urllib3 can check a certificate against an IP address only when "
                    "the `ipaddress` package is installed: pip install ipaddress")
    return ""


class MultipartBody(object):
    """A `multipart/form-data` body read from its parts as it is sent.

    urllib3 would write a whole upload chunk into a buffer and then copy the buffer: two copies of
    a chunk beside the caller's. Read from here, only blocks of a few KiB are copied.
    `fields` are (name, value) pairs; a value is text, or a (file name, bytes, media type) file.
    """

    BLOCK = 65536

    def __init__(self, fields):
        boundary = urllib3.filepost.choose_boundary()
        self.content_type = "multipart/form-data; boundary=%s" % boundary
        self._parts = []
        for name, value in fields:
            field = urllib3.fields.RequestField.from_tuples(name, value)
            data = field.data
            if not isinstance(data, (bytes, bytearray)):  # text; on Python 2 str is bytes already
                data = data.encode("utf-8") if hasattr(data, "encode") else str(data).encode("utf-8")
            head = ("--%s\r\n" % boundary).encode("latin-1") + _header_bytes(field.render_headers())
            self._parts += [head, data, b"\r\n"]
        self._parts.append(("--%s--\r\n" % boundary).encode("latin-1"))
        self._length = sum(len(part) for part in self._parts)
        self._index = self._offset = 0

    def __len__(self):
        return self._length

    def read(self, size=-1):
        """Up to `size` bytes of the body (`BLOCK` when not given)."""
        if size is None or size < 0:
            size = self.BLOCK
        out = []
        while size > 0 and self._index < len(self._parts):
            part = self._parts[self._index]
            piece = memoryview(part)[self._offset:self._offset + size].tobytes()
            out.append(piece)
            size -= len(piece)
            self._offset += len(piece)
            if self._offset >= len(part):
                self._index, self._offset = self._index + 1, 0
        return b"".join(out)

    def __repr__(self):
        return "<MultipartBody %d bytes in %d parts>" % (self._length, len(self._parts))


def _header_bytes(text):
    return text.encode("utf-8") if not isinstance(text, bytes) else text


def _timeout(value):
    if value is None:
        return urllib3.Timeout.DEFAULT_TIMEOUT
    if isinstance(value, urllib3.Timeout):
        return value
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ApiValueError("_request_timeout must be a number or a (connect, read) pair, got %r" % (value,))
        return urllib3.Timeout(connect=value[0], read=value[1])
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ApiValueError("_request_timeout must be a number or a (connect, read) pair, got %r" % (value,))
    return urllib3.Timeout(total=value)


def _payload(body, content_type):
    if body is None:
        return None
    if isinstance(body, (bytes, bytearray)):
        return body
    if content_type is None or "json" in content_type.lower():
        try:
            return json.dumps(body, separators=(",", ":"))
        except (TypeError, ValueError) as error:  # a set, bytes, an object; a circular reference
            raise InvalidRequestTypeError("cannot be sent as JSON: %s" % error, ("body",))
    if isinstance(body, STRING_TYPES):
        return body
    # The official SDK's error here: an ApiException with status 0.
    raise ApiException(status=0, reason="cannot send a %s body as %s: give it as text or bytes, or send JSON"
                       % (type(body).__name__, content_type))


def default_ca_certs():
    """The CA bundle that verifies servers when `Configuration.ssl_ca_cert` is not set: None
    (urllib3 then trusts what Python's `ssl` does by default - the system's trust store, and
    `SSL_CERT_FILE` / `SSL_CERT_DIR` - as the official SDK does), or certifi's bundle where Python
    has no default trust store at all (a python.org build on macOS before its "Install
    Certificates" step)."""
    if sys.platform == "win32":  # pragma: no cover - Windows: the system store is always there
        return None
    paths = ssl.get_default_verify_paths()
    if paths.cafile or paths.capath:  # only set when the file or folder exists
        return None
    return certifi.where()


def _get_header(headers, name):
    lowered = name.lower()
    for key, value in headers.items():
        if key.lower() == lowered:
            return value
    return None


def _del_header(headers, name):
    for key in [key for key in headers if key.lower() == name.lower()]:
        del headers[key]


def redact_headers(headers):
    """A copy of `headers` with credentials replaced by a placeholder."""
    return dict((key, REDACTED if key.lower() in SENSITIVE_HEADERS else value)
                for key, value in (headers or {}).items())


def _shorten(text):
    return text if len(text) <= _LOGGED_BODY_LIMIT else text[:_LOGGED_BODY_LIMIT] + "... (%d characters)" % len(text)


def _body_for_log(raw):
    if raw is None:
        return ""
    if isinstance(raw, (bytes, bytearray)):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError:
            return "<%d bytes>" % len(raw)
    if isinstance(raw, (dict, list)):
        data = raw
    else:
        try:
            data = json.loads(raw)
        except ValueError:
            return "<%d characters, not JSON>" % len(raw)
    return _shorten(json.dumps(redact(data), sort_keys=True))


def _log_request(method, url, query_params, headers, body, post_params):
    if post_params:
        fields = [name for name, _ in post_params]
        shown = "form fields %s" % ", ".join(fields)
    else:
        shown = _body_for_log(body)
    logger.debug("request %s %s%s headers=%s %s", method, url,
                 "?" + urlencode(query_params) if query_params else "", redact_headers(headers), shown)


def _log_response(response, elapsed, preloaded):
    headers = response.headers
    request_id = headers.get("x-tower-request-id")
    body = _body_for_log(response.data) if preloaded else "<not read>"
    logger.debug("response %s %s in %.1f ms%s %s", response.status, response.reason, elapsed * 1000,
                 " request-id=%s" % request_id if request_id else "", body)
