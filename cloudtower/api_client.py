"""`ApiClient`: builds requests from Api method calls, sends them, decodes the answers."""
from __future__ import absolute_import

import contextlib
import datetime
import gc
import json
import os
import re
import sys

import urllib3

from cloudtower import rest, retry
from cloudtower.configuration import Configuration
from cloudtower.exceptions import (ApiException, ApiResponseError, ApiTypeError, ApiValueError,
                                   InvalidRequestTypeError, as_text)
from cloudtower.model import INTEGER_TYPES, STRING_TYPES, Enum, Model, decode, encode, sanitize

if sys.version_info[0] == 2:  # pragma: no cover - Python 2 has no RecursionError
    RecursionError = RuntimeError  # noqa: A001

try:
    from urllib.parse import quote
except ImportError:  # Python 2
    from urllib import quote


class ApiClient(object):
    """Talks to one CloudTower: holds the configuration, default headers and connection pool.

    Use it as a context manager, or call `close()` when done: that closes pooled connections and
    ends the thread pool of `async_req=True` calls.

        with ApiClient(Configuration(host="https://tower/v2/api")) as client:
            login(client, "root", "password")
            vms = VmApi(client).get_vms({"first": 10})
    """

    # The official SDK's tables of the types `deserialize` knows besides models.
    PRIMITIVE_TYPES = (float, bool, bytes) + STRING_TYPES[-1:] + INTEGER_TYPES
    NATIVE_TYPES_MAPPING = {
        "int": int,
        "long": INTEGER_TYPES[-1],
        "float": float,
        "str": str,
        "bool": bool,
        "date": datetime.date,
        "datetime": datetime.datetime,
        "object": object,
    }

    def __init__(self, configuration=None, header_name=None, header_value=None, cookie=None,
                 pool_threads=1):
        if configuration is None:
            configuration = Configuration.get_default_copy()
        self.configuration = configuration
        self.pool_threads = pool_threads
        self.rest_client = rest.RESTClientObject(configuration)
        self.default_headers = {}
        if header_name is not None:
            self.set_default_header(header_name, header_value)
        self.cookie = cookie
        from cloudtower.models import SPEC_VERSION
        self.user_agent = "cloudtower-python-sdk/%s/python (API %s)" % (_sdk_version(), SPEC_VERSION)
        self._client_side_validation = None
        self.last_response = None
        self._pool = None

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        self.close()

    def close(self):
        """End the thread pool (after its running calls) and close pooled connections."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.close()
            pool.join()
        self.rest_client.clear()

    @property
    def pool(self):
        """The thread pool that runs `async_req=True` calls, started on first use."""
        if self._pool is None:
            import atexit
            import weakref
            from multiprocessing.pool import ThreadPool
            self._pool = ThreadPool(self.pool_threads)
            # Close it at exit if the user did not, without keeping it alive until then.
            atexit.register(_close_pool, weakref.ref(self._pool))
        return self._pool

    @property
    def client_side_validation(self):
        """Whether request bodies are checked against the spec before sending (default: the
        configuration's `client_side_validation`)."""
        if self._client_side_validation is None:
            return self.configuration.client_side_validation
        return self._client_side_validation

    @client_side_validation.setter
    def client_side_validation(self, value):
        self._client_side_validation = value

    @property
    def user_agent(self):
        """The `User-Agent` header sent with every request."""
        return self.default_headers["User-Agent"]

    @user_agent.setter
    def user_agent(self, value):
        self.default_headers["User-Agent"] = value

    def set_default_header(self, header_name, header_value):
        """Send header `header_name` with every request (`content_language` means the
        `content-language` header)."""
        if header_name == "content_language":
            header_name = "content-language"
        self.default_headers[header_name] = header_value

    def __repr__(self):
        return "<ApiClient host=%r>" % (self.configuration.host,)

    # -- requests --------------------------------------------------------------------------------

    def call_operation(self, operation, params, options, http_info=False):
        """Send the request of `operation` (see `cloudtower.operation`) with bound `params`."""
        validate = self.client_side_validation
        headers = {"Accept": "application/json"}
        for name, header, kind in operation.headers:
            if params.get(name) is not None:
                headers[header] = encode(params[name], kind, validate, (name,))
        body = post_params = files = None
        if operation.body is not None:
            name = operation.required[0]
            body = encode(params.get(name), operation.body, validate, (name,))
            headers["Content-Type"] = "application/json"
        elif operation.form:
            post_params, files = [], {}
            for name, kind in operation.form:
                value = params.get(name)
                if value is None:
                    continue
                if kind == "file":
                    files[name] = value
                else:
                    if kind == "str" and isinstance(value, (int, float)) and not isinstance(value, bool):
                        value = str(value)  # e.g. size=1024: form fields travel as text anyway
                    post_params.append((name, _form_value(encode(value, kind, validate, (name,)))))
            headers["Content-Type"] = "multipart/form-data"
        query = [(name, encode(params[name], kind, validate, (name,)))
                 for name, kind in operation.query if params.get(name) is not None]
        if options.get("_content_type"):
            headers["Content-Type"] = options["_content_type"]
        if options.get("_headers"):
            headers.update(options["_headers"])
        args = (operation.path, operation.method, None, query, headers, body, post_params, files,
                {200: operation.returns}, (operation.auth,) if operation.auth else (),
                bool(options.get("_return_http_data_only")) if http_info else True, None,
                options.get("_preload_content", True),
                options.get("_request_timeout"), None, options.get("_request_auth"),
                options.get("_request_redirect"))
        if options.get("async_req"):
            return self.pool.apply_async(self._send, args)
        return self._send(*args)

    def call_api(self, resource_path, method, path_params=None, query_params=None, header_params=None,
                 body=None, post_params=None, files=None, response_types_map=None, auth_settings=None,
                 async_req=None, _return_http_data_only=None, collection_formats=None,
                 _preload_content=True, _request_timeout=None, _host=None, _request_auth=None,
                 _request_redirect=None):
        """Send a request to `resource_path` (relative to `configuration.host`) and decode the
        answer with `response_types_map[status]`.

        Returns the data, or `(data, status, headers)` unless `_return_http_data_only`; the raw
        urllib3 response when `_preload_content` is False; an `ApplyResult` when `async_req`.
        `_request_redirect=False` raises an answer that redirects (a passive endpoint's 307) as
        an `ApiException` instead of following it (None: urllib3 follows, as the official does).
        """
        args = (resource_path, method, path_params, query_params, header_params,
                _json_body(body), self.sanitize_for_serialization(post_params),
                files, response_types_map, auth_settings, _return_http_data_only, collection_formats,
                _preload_content, _request_timeout, _host, _request_auth, _request_redirect)
        if async_req:
            return self.pool.apply_async(self._send, args)
        return self._send(*args)

    def _send(self, resource_path, method, path_params, query_params, header_params, body,
              post_params, files, response_types_map, auth_settings, _return_http_data_only,
              collection_formats, _preload_content, _request_timeout, _host, _request_auth,
              _request_redirect=None):
        headers = dict(self.default_headers)
        headers.update(header_params or {})
        if self.cookie:
            headers["Cookie"] = self.cookie
        for name, value in self.parameters_to_tuples(path_params or {}, collection_formats):
            resource_path = resource_path.replace(
                "{%s}" % name, quote(str(value), safe=self.configuration.safe_chars_for_path_param))
        query = self.parameters_to_tuples(query_params or [], collection_formats)
        form = self.parameters_to_tuples(post_params or [], collection_formats)
        form.extend(self.files_parameters(files))
        self.update_params_for_auth(headers, query, auth_settings, _request_auth)
        url = (_host or self.configuration.host) + resource_path

        try:
            response = self.request(method, url, query_params=query, headers=headers, post_params=form,
                                    body=body, _preload_content=_preload_content,
                                    _request_timeout=_request_timeout, redirect=_request_redirect)
        except ApiException as error:
            if not PY2:
                error.body = as_text(error.body)  # text from an Api method, as in the official SDK
            raise
        self.last_response = response
        if not _preload_content:
            return response
        response_type = (response_types_map or {}).get(response.status)
        if not PY2 and response_type not in ("file", "bytes"):
            response.data = _text_of(response)
        data = self.deserialize(response, response_type) if response_type else None
        if _return_http_data_only:
            return data
        return data, response.status, response.getheaders()

    def request(self, method, url, query_params=None, headers=None, post_params=None, body=None,
                _preload_content=True, _request_timeout=None, redirect=None):
        """Send one HTTP request through the connection pool (see `rest.RESTClientObject`),
        again as the retry policy says (`cloudtower.retry`). `redirect`: whether urllib3 follows
        a redirect (None: as urllib3 does by default; False: the 3xx answer raises)."""
        _check_request(method, url)
        attempts = self._attempts(method, url, _request_timeout)
        while True:
            try:
                return self.rest_client.request(method, url, query_params=query_params, headers=headers,
                                                post_params=post_params, body=body,
                                                _preload_content=_preload_content,
                                                _request_timeout=attempts.timeout(), redirect=redirect)
            except ApiException as error:
                if isinstance(error, _BAD_URL) or not attempts.wait_before_retry(error):
                    raise

    def _attempts(self, method, url, timeout):
        """The `retry.Attempts` of a request, as the configuration's retry policy says."""
        return retry.Attempts(retry.RetryPolicy.of(self.configuration.retries), retry.is_query(method, url),
                              timeout, self.configuration.request_timeout, "%s %s" % (method.upper(), url))

    def do_probe(self, url, timeout=None):
        """Ask the health probe `url` (`configuration.probe_url`) whether this endpoint of an
        active-passive CloudTower is the active one: True on 200, False on 307 (passive).

        One attempt, redirects not followed, no credentials; `timeout` is seconds for the whole
        probe (default `PROBE_TIMEOUT`, 5). Any other answer raises its `ApiException` (status
        kept); a network error raises `ApiConnectionError` (status 0), an `ApiException` too.
        """
        status, _ = probe(self.rest_client, url, timeout, self.user_agent)
        return status == 200

    # -- parameters ------------------------------------------------------------------------------

    def sanitize_for_serialization(self, obj):
        """JSON-ready data for `obj`: models become dicts keyed by JSON keys (attributes left
        None are dropped), dates ISO-8601 text; lists, tuples and dicts item by item. Bytes are
        kept (form fields may carry them); a value that is none of these raises `ApiTypeError`
        naming where it is."""
        return sanitize(obj)

    def parameters_to_tuples(self, params, collection_formats):
        """`{name: value}` or pairs -> pairs, lists expanded per `collection_formats`
        (`multi`, `csv`, `ssv`, `tsv`, `pipes`)."""
        pairs = []
        items = params.items() if isinstance(params, dict) else params
        formats = collection_formats or {}
        for name, value in items:
            style = formats.get(name)
            if style and isinstance(value, (list, tuple)):
                if style == "multi":
                    pairs.extend((name, item) for item in value)
                else:
                    separator = {"ssv": " ", "tsv": "\t", "pipes": "|"}.get(style, ",")
                    pairs.append((name, separator.join(str(item) for item in value)))
            else:
                pairs.append((name, value))
        return pairs

    def files_parameters(self, files=None):
        """Multipart parts for `files` ({field: path, file object, bytes or (name, data)})."""
        parts = []
        for name, value in (files or {}).items():
            if value is None:
                continue
            for item in value if isinstance(value, list) else [value]:
                parts.append((name, _file_part(name, item)))
        return parts

    def select_header_accept(self, accepts):
        """The `Accept` header for a list of media types: `application/json` if it is one of
        them, else all of them (lower case)."""
        if not accepts:
            return None
        accepts = [accept.lower() for accept in accepts]
        if "application/json" in accepts:
            return "application/json"
        return ", ".join(accepts)

    def select_header_content_type(self, content_types, method=None, body=None):
        """The `Content-Type` for a list of media types: `application/json` if it is one of them
        or `*/*` is (or for a PATCH of a list, `application/json-patch+json`), else the first
        (lower case)."""
        if not content_types:
            return "application/json"
        content_types = [content_type.lower() for content_type in content_types]
        if method == "PATCH" and "application/json-patch+json" in content_types and isinstance(body, list):
            return "application/json-patch+json"
        if "application/json" in content_types or "*/*" in content_types:
            return "application/json"
        return content_types[0]

    def update_params_for_auth(self, headers, queries, auth_settings, request_auth=None):
        """Add the credentials of the named auth schemes (or of `request_auth`) to a request.

        A scheme the configuration has no credentials for falls back to the login token, which
        the server accepts everywhere.
        """
        if request_auth:
            self._apply_auth_params(headers, queries, request_auth)
            return
        if not auth_settings:
            return
        settings = self.configuration.auth_settings()
        for name in auth_settings:
            setting = settings.get(name) or settings.get("Authorization")
            if setting:
                self._apply_auth_params(headers, queries, setting)
                return

    def _apply_auth_params(self, headers, queries, setting):
        where = setting.get("in")
        if where == "header":
            headers[setting["key"]] = setting["value"]
        elif where == "query":
            queries.append((setting["key"], setting["value"]))
        elif where == "cookie":
            headers["Cookie"] = setting["value"]
        else:
            raise ApiValueError("Authentication token must be in `query`, `header` or `cookie`")

    # -- answers ---------------------------------------------------------------------------------

    def deserialize(self, response, response_type):
        """Decode an answer's body as `response_type` (`list[Vm]`, `str`, `file` ...; a model
        class or `int`, `str` ... is taken too)."""
        response_type = _type_name(response_type)
        if response_type == "file":
            return self._save_file(response)
        raw = response.data
        if not raw:
            if response_type in (None, "object"):
                return None
            raise ApiResponseError("the answer is empty; expected %s" % response_type, response)
        with _gc_paused(len(raw) > GC_PAUSE_THRESHOLD):
            try:
                data = json.loads(raw)
            except ValueError as error:
                content_type = (response.getheader("Content-Type") or "").lower()
                if response_type == "str" and "json" not in content_type:
                    return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw  # text, as declared
                raise ApiResponseError("the answer is not JSON (%s); expected %s" % (error, response_type), response)
            except RecursionError:
                raise ApiResponseError("the answer is nested too deeply to decode", response)
            try:
                return decode(data, response_type, strict=True)
            except ApiValueError as error:
                raise ApiResponseError("the answer is not the declared %s: %s" % (response_type, error), response)

    def __deserialize(self, data, klass):
        """Decoded JSON `data` read as `klass` (a type name or class), converted as a field's
        value is (`"5"` for an `int` gives 5); the official SDK's private method, which scripts
        call as `_ApiClient__deserialize`."""
        return decode(data, _type_name(klass))

    def _save_file(self, response):
        import re
        import tempfile
        folder = self.configuration.temp_folder_path or tempfile.gettempdir()
        disposition = response.getheader("Content-Disposition") or ""
        match = re.search(r'filename=[\'"]?([^\'";]+)', disposition)
        if match:
            path = os.path.join(folder, os.path.basename(match.group(1)))
        else:
            handle, path = tempfile.mkstemp(dir=folder)
            os.close(handle)
        with open(path, "wb") as target:
            target.write(response.data)
        return path


# Seconds a health probe (`do_probe`) may take unless told otherwise, as in the official SDK.
PROBE_TIMEOUT = 5

# Answers larger than this are decoded with the garbage collector paused: decoding creates many
# objects and no cycles, and collections passing over them cost more than the decoding itself.
GC_PAUSE_THRESHOLD = 256 * 1024


@contextlib.contextmanager
def _gc_paused(pause=True):
    """Pause the garbage collector for the block (if `pause` and it was on); it is switched back
    on after, whatever happens."""
    if not (pause and gc.isenabled()):
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


PY2 = sys.version_info[0] == 2
_BAD_URL = urllib3.exceptions.LocationValueError  # no host ...: trying again cannot help
_CHARSET = re.compile(r"charset=([a-zA-Z\-\d]+)[\s;]?")


def _check_request(method, url):
    """Refuse a request that cannot be sent (an unknown method, a URL without a host) before
    urllib3 does, or warns."""
    if method.upper() not in ("GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"):
        raise ApiValueError("http method must be GET, HEAD, OPTIONS, POST, PATCH, PUT or DELETE, not %r"
                            % (method,))
    if not _host_of(url):  # e.g. Configuration.host never set
        raise rest.transport_error(urllib3.exceptions.LocationValueError("No host specified."),
                                   method.upper(), url)


def probe(rest_client, url, timeout=None, user_agent=None):
    """(status, Location header) of one health probe of `url` through `rest_client`: 200 (active)
    or 307 (passive); any other answer raises its `ApiException`, a network error an
    `ApiConnectionError`. Redirects are not followed, no credentials are sent; `timeout` is
    seconds for the whole probe (None: `PROBE_TIMEOUT`)."""
    _check_request("GET", url)
    headers = {"Accept": "application/json"}
    if user_agent:
        headers["User-Agent"] = user_agent
    try:
        response = rest_client.request("GET", url, headers=headers, redirect=False,
                                       _request_timeout=PROBE_TIMEOUT if timeout is None else timeout)
    except ApiException as error:
        if error.status != 307:
            raise
        return 307, error.headers.get("Location") if error.headers is not None else None
    if response.status != 200:  # another 2xx
        raise ApiException(status=response.status, reason="the probe %s answered %s %s, not 200 or 307"
                           % (url, response.status, response.reason))
    return 200, None


def _json_body(body):
    """A `call_api` body, JSON-ready: bytes are sent as they are; in anything else, a value JSON
    cannot hold (bytes inside it too) raises `ApiTypeError` naming where it is."""
    if isinstance(body, (bytes, bytearray)):
        return body
    return encode(body, None, validate=False)


def _host_of(url):
    try:
        return urllib3.util.parse_url(url).host
    except (urllib3.exceptions.LocationParseError, TypeError, ValueError):
        return "?"  # urllib3 says what is wrong with it


def _text_of(response):
    """The body of a successful answer as text, decoded as its `Content-Type` says (UTF-8 by
    default), as the official SDK keeps it in `last_response.data`; the bytes if they do not
    decode (they are then no JSON either, which `deserialize` says)."""
    data = response.data
    if not isinstance(data, bytes):
        return data
    match = _CHARSET.search(response.getheader("Content-Type") or "")
    try:
        return data.decode(match.group(1) if match else "utf-8")
    except (UnicodeDecodeError, LookupError):
        return data


def _type_name(klass):
    """The type string of `klass`: itself if it is one, else the name of a model or enum class,
    or of `int`, `str`, `date` ... (`bytes` and other classes: `object`, kept as they come)."""
    if klass is None or isinstance(klass, STRING_TYPES):
        return klass
    if isinstance(klass, type) and issubclass(klass, (Model, Enum)):
        return klass.__name__
    for name, native in ApiClient.NATIVE_TYPES_MAPPING.items():
        if klass is native and name != "long":
            return name
    if klass in INTEGER_TYPES:
        return "int"
    if klass in STRING_TYPES:
        return "str"
    if isinstance(klass, type):
        return "object"
    raise ApiTypeError("a type is a type name (`list[Vm]`, `str`) or a class, not %r" % (klass,))


def _close_pool(pool_ref):
    pool = pool_ref()
    if pool is not None:
        pool.close()


def _sdk_version():
    from cloudtower import __version__
    return __version__


def _form_value(value):
    if isinstance(value, STRING_TYPES):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _file_part(field, value):
    """A multipart file part: (file name, bytes, media type)."""
    import mimetypes
    if isinstance(value, tuple):
        filename, data = value[0], value[1]
        if hasattr(data, "read"):
            data = data.read()
    elif isinstance(value, (bytes, bytearray)) and not isinstance(value, str):
        filename, data = field, bytes(value)
    elif isinstance(value, bytearray):
        filename, data = field, bytes(value)
    elif isinstance(value, STRING_TYPES):
        filename = os.path.basename(value)
        with open(value, "rb") as source:
            data = source.read()
    elif hasattr(value, "read"):
        filename = os.path.basename(getattr(value, "name", field) or field)
        data = value.read()
    else:
        # An ApiTypeError, and the official's ApiException with status 400.
        raise InvalidRequestTypeError("must be a file path, a file object or bytes, not %s"
                                      % type(value).__name__, (field,))
    media_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    return (filename, data, media_type)
