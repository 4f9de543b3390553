"""How a generated Api method becomes an HTTP request.

A generated Api class is a list of declarations:

    class VmApi(Api):
        @operation("/get-vms", body="GetVmsRequestBody", returns="list[Vm]")
        def get_vms(self, get_vms_request_body, **kwargs):
            "Query VMs."

        get_vms_with_http_info = get_vms.with_http_info

The declared function's signature names the required parameters; its body is never run.
`operation` replaces it with a method that checks the arguments and hands the request to the
`ApiClient`.
"""
from __future__ import absolute_import

import functools
import sys
import warnings

from cloudtower.exceptions import ApiTypeError, InvalidRequestValueError

# Keywords every Api method takes besides its own parameters.
REQUEST_OPTIONS = frozenset([
    "async_req",
    "_return_http_data_only",
    "_preload_content",
    "_request_timeout",
    "_request_auth",
    "_content_type",
    "_headers",
    "_request_redirect",
])


class Operation(object):
    """What one API operation needs: its path, parameters and the type of its answer."""

    __slots__ = ("name", "path", "method", "returns", "body", "form", "query", "headers", "auth",
                 "deprecated", "required", "optional")

    def __init__(self, name, path, method, returns, body, form, query, headers, auth, deprecated,
                 required):
        self.name = name
        self.path = path
        self.method = method
        self.returns = returns
        self.body = body
        self.form = tuple(form)
        self.query = tuple(query)
        self.headers = tuple(headers)
        self.auth = auth
        self.deprecated = deprecated
        self.required = tuple(required)
        optional = set(name for name, _ in self.form) | set(name for name, _ in self.query)
        optional.update(name for name, _, _ in self.headers)
        self.optional = frozenset(optional - set(self.required))

    def bind(self, args, kwargs, validate=True):
        """Split a call's arguments into the operation's parameters and the request options.

        Raises `ApiTypeError` (a TypeError, as Python's own error for a call is) for an unknown
        keyword, too many positional arguments or a required argument not given, and, when
        `validate` (client-side validation is on), `InvalidRequestValueError` for a required
        argument given as None (an `ApiValueError`, as in the official SDK, and a 400).
        """
        if len(args) > len(self.required):
            raise ApiTypeError("%s() takes %d positional argument%s but %d were given"
                               % (self.name, len(self.required), "" if len(self.required) == 1 else "s",
                                  len(args)))
        params = dict(zip(self.required, args))
        options = {}
        for key, value in kwargs.items():
            if key in REQUEST_OPTIONS:
                options[key] = value
            elif key in self.optional or key in self.required:
                if key in params:
                    raise ApiTypeError("%s() got multiple values for argument %r" % (self.name, key))
                params[key] = value
            else:
                raise ApiTypeError("Got an unexpected keyword argument %r to method %s; it takes %s"
                                   % (key, self.name, self._accepted()))
        missing = [name for name in self.required if name not in params]
        if missing:
            raise ApiTypeError("%s() missing %d required argument%s: %s" % (
                self.name, len(missing), "" if len(missing) == 1 else "s", ", ".join(map(repr, missing))))
        if validate:
            for name in self.required:
                if params[name] is None:
                    raise InvalidRequestValueError("Missing the required parameter `%s` when calling `%s`"
                                                   % (name, self.name))
        if self.deprecated:
            warnings.warn("%s is deprecated by CloudTower" % self.name, DeprecationWarning, stacklevel=3)
        return params, options

    def _accepted(self):
        names = list(self.required) + sorted(self.optional) + sorted(REQUEST_OPTIONS)
        return ", ".join(names)

    def __repr__(self):
        return "<Operation %s %s %s -> %s>" % (self.name, self.method, self.path, self.returns)


def operation(path, returns=None, body=None, method="POST", form=(), query=(), headers=(),
              auth="Authorization", deprecated=False):
    """Declare an Api method for the operation at `path`.

    `returns` is the type of a successful answer (`list[Vm]`), `body` the type of the JSON body
    (the method's first parameter), `form` the (name, type) pairs of a multipart body's fields
    (type `file` for a file part), `query` the (name, type) pairs of the query parameters,
    `headers` the (name, header, type) triples of the header parameters
    (`("content_language", "content-language", "ContentLanguage")`). `auth` names the
    authentication the operation needs (None for none); calling a `deprecated` operation warns.
    """
    def declare(function):
        code = function.__code__
        required = code.co_varnames[1:code.co_argcount]
        spec = Operation(function.__name__, path, method, returns, body, form, query, headers, auth,
                         deprecated, required)

        def call(self, *args, **kwargs):
            params, options = spec.bind(args, kwargs, self.api_client.client_side_validation)
            return self.api_client.call_operation(spec, params, options, http_info=False)

        def call_with_http_info(self, *args, **kwargs):
            params, options = spec.bind(args, kwargs, self.api_client.client_side_validation)
            return self.api_client.call_operation(spec, params, options, http_info=True)

        _wraps(call, function, function.__name__, function.__doc__)
        _wraps(call_with_http_info, function, function.__name__ + "_with_http_info",
               "Like `%s`, but return `(data, status, headers)`." % function.__name__)
        call.with_http_info = call_with_http_info
        call.operation = call_with_http_info.operation = spec
        return call
    return declare


def _wraps(wrapper, declared, name, doc):
    functools.update_wrapper(wrapper, declared)
    wrapper.__name__ = name
    wrapper.__doc__ = doc
    qualname = getattr(declared, "__qualname__", None)
    if qualname:
        wrapper.__qualname__ = qualname.rpartition(".")[0] + "." + name if "." in qualname else name
    wrapper.__wrapped__ = declared  # introspection shows the declared signature


def renamed(method, old, new):
    """Api method `method` under `old` (`"VmApi.mig_rate_vm"`), the name an older release gave it.

    It works as the method does, and its first use warns, once per process, with a
    `DeprecationWarning` that names the new spelling `new` (`"VmApi.migrate_vm"`). Its
    `with_http_info` twin does the same for `<old>_with_http_info`.
    """
    function = getattr(method, "__func__", method)  # Python 2 reads an unbound method
    twin = function.with_http_info

    def call(self, *args, **kwargs):
        warn_renamed(old, new)
        return function(self, *args, **kwargs)

    def call_with_http_info(self, *args, **kwargs):
        warn_renamed(old + "_with_http_info", new + "_with_http_info")
        return twin(self, *args, **kwargs)

    for wrapper, wrapped, suffix in ((call, function, ""), (call_with_http_info, twin, "_with_http_info")):
        functools.update_wrapper(wrapper, wrapped)  # also copies `operation`
        wrapper.__name__ = old.rpartition(".")[2] + suffix
        wrapper.__qualname__ = old + suffix
        wrapper.__doc__ = "Deprecated: the old name of `%s%s`, which works the same.\n\n%s" % (
            new, suffix, wrapped.__doc__ or "")
    call.with_http_info = call_with_http_info
    return call


_WARNED = set()


def warn_renamed(old, new):
    """Warn that `old` is deprecated, naming `new`: once per process and name, from the line of
    the caller's code that used it (past the SDK's and the import system's frames)."""
    if old in _WARNED:
        return
    _WARNED.add(old)
    level, frame = 1, sys._getframe(0)
    while frame is not None and _inside_the_sdk(frame):
        frame = frame.f_back
        if frame is not None and not _import_system(frame):
            level += 1  # `warnings` skips the import system's frames itself
    warnings.warn("%s is deprecated: use %s" % (old, new), DeprecationWarning, stacklevel=level)


def _import_system(frame):
    filename = frame.f_code.co_filename
    return "importlib" in filename and "_bootstrap" in filename


def _inside_the_sdk(frame):
    module = frame.f_globals.get("__name__") or ""
    return module.partition(".")[0] in ("cloudtower", "importlib") or _import_system(frame)


class Api(object):
    """Base of the generated Api classes: holds the `ApiClient` that sends the requests."""

    def __init__(self, api_client=None):
        if api_client is None:
            from cloudtower.api_client import ApiClient
            api_client = ApiClient()
        self.api_client = api_client

    def __repr__(self):
        return "<%s host=%r>" % (type(self).__name__, self.api_client.configuration.host)
