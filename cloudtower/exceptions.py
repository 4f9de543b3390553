"""Exceptions raised by the SDK.

`ApiException` is raised for every HTTP error answer; a subclass tells the common cases apart
(`NotFoundException`, `UnauthorizedException`, `ResourceLockedException` ...). The `Api*Error`
classes report bad arguments before anything is sent.
"""
from __future__ import absolute_import

import sys


class OpenApiException(Exception):
    """Base of every exception the SDK raises on purpose."""


class ApiTypeError(OpenApiException, TypeError):
    """An argument has the wrong type, or a method got a keyword it does not know."""

    def __init__(self, msg, path_to_item=None, valid_classes=None, key_type=None):
        self.path_to_item = path_to_item
        self.valid_classes = valid_classes
        self.key_type = key_type
        if path_to_item:
            msg = "%s: %s" % (dotted_path(path_to_item), msg)
        Exception.__init__(self, msg)


class ApiValueError(OpenApiException, ValueError):
    """An argument has a value the API does not accept, or a required one is missing."""

    def __init__(self, msg, path_to_item=None):
        self.path_to_item = path_to_item
        if path_to_item:
            msg = "%s: %s" % (dotted_path(path_to_item), msg)
        Exception.__init__(self, msg)


class ApiAttributeError(OpenApiException, AttributeError):
    """A model has no attribute of the requested name."""

    def __init__(self, msg, path_to_item=None):
        self.path_to_item = path_to_item
        if path_to_item:  # as the official SDK writes it: "no attr at ['x'][2]"
            msg = "%s at %s" % (msg, render_path(path_to_item))
        super(ApiAttributeError, self).__init__(msg)


class ApiKeyError(OpenApiException, KeyError):
    """A key is missing from a mapping the SDK needed."""

    def __init__(self, msg, path_to_item=None):
        self.path_to_item = path_to_item
        if path_to_item:
            msg = "%s at %s" % (msg, render_path(path_to_item))
        super(ApiKeyError, self).__init__(msg)


class ApiException(OpenApiException):
    """The server answered with an HTTP error, or the SDK gave up on a request.

    `status`, `reason`, `body` and `headers` describe the answer. `body` is text when the error
    comes from an Api method (`VmApi(...).get_vms`, `call_api`), and the bytes received when it
    comes from `ApiClient.request()` or the `rest_client` (as in the official SDK). When the body is a
    CloudTower error (`{"message", "code", "path", ...}`) its parts are in `message`, `code`,
    `path`, `props` and `error` (the whole decoded body). `request_id` is the server's
    `x-tower-request-id` header, worth quoting in a support case.
    """

    def __init__(self, status=None, reason=None, http_resp=None):
        if http_resp is not None:
            self.status = http_resp.status
            self.reason = http_resp.reason
            self.body = http_resp.data
            self.headers = http_resp.headers
        else:
            self.status = status
            self.reason = reason
            self.body = None
            self.headers = None
        self.error = _decode_error_body(self.body)
        error = self.error if isinstance(self.error, dict) else {}
        self.message = error.get("message")
        self.code = error.get("code")
        self.path = error.get("path")
        self.props = error.get("props")
        self.request_id = _header(self.headers, "x-tower-request-id")
        # Not super(): a subclass may also derive from a urllib3 exception with another __init__.
        Exception.__init__(self, self.status, self.reason)

    def __str__(self):
        text = self._text()
        if sys.version_info[0] == 2 and not isinstance(text, str):  # pragma: no cover - Python 2
            return text.encode("utf-8")
        return text

    def __unicode__(self):  # pragma: no cover - Python 2
        text = self._text()
        return text.decode("utf-8", "replace") if isinstance(text, bytes) else text

    def _text(self):
        text = "(%s)\nReason: %s\n" % (self.status, self.reason)
        if self.message:
            text += "Message: %s\n" % self.message
        if self.request_id:
            text += "Request id: %s\n" % self.request_id
        if self.headers:
            text += "HTTP response headers: %s\n" % (_redacted_headers(self.headers),)
        if self.body:
            body = compiled(_SECRET_IN_JSON).sub(r"\1<redacted>\3", as_text(self.body))
            if len(body) > _SHOWN_BODY:
                body = "%s... (%d characters in all)" % (body[:_SHOWN_BODY], len(body))
            text += "HTTP response body: %s\n" % body
        return text


class BadRequestException(ApiException):
    """HTTP 400: the server refused the request (validation, bad state ...)."""


class ResourceLockedException(BadRequestException):
    """HTTP 400 with code `ResourceLocked`: another task holds a resource this request needs.

    `locked_resources` lists them as `{"id": ..., "type": ...}` dicts. Wait until their
    `entity_async_status` is None, then retry.
    """

    @property
    def locked_resources(self):
        props = self.props if isinstance(self.props, dict) else {}
        return list(props.get("locked_resources") or [])


class UnauthorizedException(ApiException):
    """HTTP 401: no valid token; log in again."""


class ForbiddenException(ApiException):
    """HTTP 403: the user may not do this."""


class NotFoundException(ApiException):
    """HTTP 404: no such operation or resource."""


class ServiceException(ApiException):
    """HTTP 5xx: the server failed."""


class ApiConnectionError(ApiException):
    """The request could not be sent, or its answer could not be read (status 0).

    The connection was refused, reset or dropped, the host name did not resolve, the TLS or HTTP
    protocol failed, or an attempt timed out. `operation` (`POST /v2/api/get-vms`), `host` and
    `original` (the underlying exception) say what failed; `request_sent` is False when the
    connection was never made, so the server cannot have seen the request. The exception is
    also an instance of the urllib3 exception that failed (`urllib3.exceptions.MaxRetryError`,
    `ProtocolError`, `ReadTimeoutError` ...), so code that catches those keeps working.
    """

    def __init__(self, reason=None, operation=None, host=None, original=None, request_sent=True):
        ApiException.__init__(self, status=0, reason=reason)
        self.operation = operation
        self.host = host
        self.original = original
        self.request_sent = request_sent

    def __reduce__(self):
        # The urllib3 part of the class is made at run time (see `cloudtower.rest`): pickle as the
        # SDK's own class.
        base = next(cls for cls in type(self).__mro__ if cls.__module__ == __name__)
        return (_rebuild_connection_error, (base, self.reason, self.operation, self.host, self.request_sent))

    def _text(self):
        return "(0)\nReason: %s\n" % (self.reason,)


class ApiTimeoutError(ApiConnectionError):
    """An attempt took longer than its timeout (to connect, or waiting for the answer)."""


class ApiTLSError(ApiConnectionError):
    """The TLS handshake failed (an untrusted or mismatched certificate, a protocol mismatch)."""


def _rebuild_connection_error(cls, reason, operation, host, request_sent):
    return cls(reason, operation=operation, host=host, request_sent=request_sent)


class ApiResponseError(ApiException):
    """A successful (2xx) answer that is not what the operation returns: not JSON, or not the
    declared shape (a list where a model was expected ...). `status`, `headers`, `request_id` and
    the raw `body` are kept; `reason` says what was wrong."""

    def __init__(self, reason=None, http_resp=None):
        ApiException.__init__(self, http_resp=http_resp)
        self.reason = reason
        self.args = (self.status, reason)


class _Refusal(BadRequestException):
    """What the client-side validation errors share: they are also the 400 the server would
    have answered, so `except ApiException` handles them. Mixed in after `ApiTypeError` or
    `ApiValueError`, which set the message."""

    def _refuse(self):
        self.status = 400
        self.reason = "Bad Request (refused before sending)"
        self.body = self.headers = self.error = self.code = self.path = self.props = None
        self.request_id = None
        self.message = Exception.__str__(self)

    __str__ = Exception.__str__

    def __reduce__(self):
        return (type(self), (self.message,))


class InvalidRequestTypeError(ApiTypeError, _Refusal):
    """A request refused before it was sent because a value has the wrong type; an
    `ApiTypeError` and a `BadRequestException` (status 400)."""

    def __init__(self, msg, path_to_item=None):
        ApiTypeError.__init__(self, msg, path_to_item)
        self._refuse()


class InvalidRequestValueError(ApiValueError, _Refusal):
    """A request refused before it was sent because a value is not one the API accepts (an
    unknown field, a value outside an enum, a missing required field ...); an `ApiValueError`
    and a `BadRequestException` (status 400)."""

    def __init__(self, msg, path_to_item=None):
        ApiValueError.__init__(self, msg, path_to_item)
        self._refuse()


class TaskFailedException(ApiException):
    """`utils.wait_tasks` saw tasks end FAILED (status 500); `failed_tasks` lists them."""

    def __init__(self, failed_tasks):
        lines = ["%s: %s" % (task.id, task.error_message or task.error_code or "failed")
                 for task in failed_tasks]
        super(TaskFailedException, self).__init__(500, "Tasks failed:\n\t" + "\n\t".join(lines))
        self.failed_tasks = failed_tasks


class TaskNotFoundException(NotFoundException):
    """`utils.wait_tasks` asked for tasks the server does not have (status 404); `missing_ids`
    lists them."""

    def __init__(self, missing_ids):
        super(TaskNotFoundException, self).__init__(
            status=404, reason="No task with id(s): %s" % ", ".join(missing_ids))
        self.missing_ids = list(missing_ids)


class TaskTimeoutException(ApiException):
    """`utils.wait_tasks` timed out (status 408); `pending_ids` lists the unfinished tasks."""

    def __init__(self, pending_ids, timeout):
        super(TaskTimeoutException, self).__init__(
            408, "Timeout after %ss while waiting for task(s) to finish: %s" % (timeout, ", ".join(pending_ids)))
        self.pending_ids = pending_ids


class ActivePassiveException(ApiException):
    """An `ActivePassiveApiClient` could not pick the endpoint to send to, or the endpoint it
    picked turned passive. `endpoints` lists the root URLs of every configured endpoint, `host`
    the one concerned (if one is), `active_hosts` those that answered as active, `failures` what
    went wrong with each endpoint that was probed, `strategy` the client's `FailoverStrategy`.
    Status 0 when no request was answered, 307 when an endpoint answered as passive."""

    default_reason = "the active-passive client failed"

    def __init__(self, status=None, reason=None, http_resp=None, host=None, endpoints=None,
                 active_hosts=None, failures=None, strategy=None):
        ApiException.__init__(self, status=0 if status is None and http_resp is None else status,
                              reason=reason or self.default_reason, http_resp=http_resp)
        if http_resp is not None and reason:
            self.reason = reason
            self.args = (self.status, reason)
        self.host = host
        self.endpoints = list(endpoints) if endpoints is not None else None
        self.active_hosts = list(active_hosts) if active_hosts is not None else None
        self.failures = list(failures) if failures is not None else None
        self.strategy = strategy


class ActivePassiveNoEndpoints(ActivePassiveException):
    """The client was given no endpoint, or one without an address (status 0)."""

    default_reason = "an active-passive client needs at least one endpoint with an address"


class ActivePassiveDuplicateHost(ActivePassiveException):
    """Two endpoints have the same root URL (`host`; status 0)."""

    default_reason = "the endpoints of an active-passive client must differ"


class ActivePassiveNoActiveHost(ActivePassiveException):
    """No endpoint answered the probe as active (status 0): all are passive, or could not be
    reached; `failures` says what each answered."""

    default_reason = "no endpoint is active"


class ActivePassiveMultipleActives(ActivePassiveException):
    """More than one endpoint answered the probe as active (`active_hosts`; status 0): the
    client cannot tell which one to use."""

    default_reason = "more than one endpoint is active"


class ActivePassiveRetryExhausted(ActivePassiveException):
    """`AUTO_FAILOVER`: the endpoint found active after a 307 answered 307 too (status 307);
    the request was not carried out."""

    default_reason = "the endpoint found active answered as passive as well"


class ActivePassiveFailoverRequired(ActivePassiveException):
    """`MANUAL_FAILOVER` or `ALWAYS_PROBE`: the endpoint in use (`host`) answered 307, it is
    passive now (status 307); the request was not carried out. The next request probes the
    endpoints again (so does `ActivePassiveApiClient.discover()`)."""

    default_reason = "the endpoint in use is passive: fail over"


class ActivePassiveUnknownHost(ActivePassiveException):
    """A request was addressed to a URL under none of the client's endpoints (`host`; status
    0): an active-passive client sends only to its endpoints."""

    default_reason = "the URL is not under one of the endpoints"


def exception_for(http_resp):
    """The `ApiException` (of the most specific class) that describes an HTTP error answer."""
    status = http_resp.status
    if status == 401:
        return UnauthorizedException(http_resp=http_resp)
    if status == 403:
        return ForbiddenException(http_resp=http_resp)
    if status == 404:
        return NotFoundException(http_resp=http_resp)
    if 500 <= status <= 599:
        return ServiceException(http_resp=http_resp)
    if status == 400:
        error = BadRequestException(http_resp=http_resp)
        if error.code == "ResourceLocked":
            return ResourceLockedException(http_resp=http_resp)
        return error
    return ApiException(http_resp=http_resp)


def render_path(path_to_item):
    """`["data", 0, "name"]` -> `['data'][0]['name']`."""
    result = ""
    for item in path_to_item:
        if isinstance(item, int):
            result += "[%d]" % item
        else:
            result += "['%s']" % (item,)
    return result


def dotted_path(path_to_item):
    """`["body", "data", 0, "name"]` -> `body.data[0].name`."""
    result = ""
    for item in path_to_item:
        if isinstance(item, int):
            result += "[%d]" % item
        else:
            result += ("." if result else "") + str(item)
    return result


# What the name of a field, header or JSON key holding a secret (a password, a token ...) contains.
SECRET_WORDS = r"pass(?:word|wd)?|secret|token|credential|private_?key|api_?key|authorization"
# A secret-named JSON string value in a body (`"token":"..."`), which need not parse as JSON.
_SECRET_IN_JSON = r'("[^"]*(?:' + SECRET_WORDS + r')[^"]*"\s*:\s*")((?:[^"\\]|\\.)*)("?)'
_COMPILED = {}


def compiled(pattern):
    """`pattern` compiled, case-insensitively, on first use: importing `re` and compiling when
    the package is imported took 3 ms of the 15 that `from cloudtower import VmApi, Vm` takes."""
    found = _COMPILED.get(pattern)
    if found is None:
        import re
        found = _COMPILED[pattern] = re.compile(pattern, re.IGNORECASE)
    return found
_SHOWN_BODY = 2000  # characters of an answer's body that str() shows; `body` has all of it
_SECRET_HEADERS = ("authorization", "proxy-authorization", "cookie", "set-cookie")


def _redacted_headers(headers):
    try:
        items = list(headers.items())
    except AttributeError:
        return headers
    return dict((name, "<redacted>" if name.lower() in _SECRET_HEADERS else value) for name, value in items)


# An error body is a small JSON object; a larger body is a bad answer, not an error to decode.
_ERROR_BODY_LIMIT = 65536


def as_text(body):
    """`body` as text: bytes are decoded as UTF-8 (an undecodable byte becomes U+FFFD)."""
    if isinstance(body, (bytes, bytearray)):  # on Python 2, a str too: unicode then
        return body.decode("utf-8", "replace")
    return body


def _decode_error_body(body):
    body = as_text(body)
    if not body or len(body) > _ERROR_BODY_LIMIT or not body.lstrip().startswith("{"):
        return None
    import json
    try:
        return json.loads(body)
    except (ValueError, RuntimeError):  # RuntimeError: RecursionError, nested too deeply
        return None


def _header(headers, name):
    if not headers:
        return None
    try:
        return headers.get(name)
    except AttributeError:
        return None
