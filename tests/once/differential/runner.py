"""Runs differential snippets inside one SDK (ours or the reference) and prints what they did.

Started by tests/once/test_differential.py with the interpreter of the SDK under test (nothing
but the standard library and that SDK is imported). It talks JSON lines with the driver:

    driver -> runner   {"url", "tls_url", "tls_ca", "token", "tls_token"}           (once)
    runner -> driver   {"ready": "<cloudtower.__version__ or ?>"}
    driver -> runner   {"run": NAME, "code": CODE}                                  (per snippet)
    runner -> driver   {"control": ACTION, "args": {...}}      (a snippet asking the simulator,
    driver -> runner   {"result": ...} or {"error": "..."}      answered before it goes on)
    runner -> driver   {"done": NAME, "output": TEXT}

Each snippet runs in a fresh namespace holding the helpers below (`show`, `attempt`, `catching`,
`client`, `sim`, `vm_task`, `closed_url`, `FakeResponse`; `url`, `tls_url`, `tls_ca`, `token`,
`tls_token`, `tmp`). What it prints, and the exception that ends it if one does, is its output,
normalized so that the two SDKs' outputs compare line by line (no addresses, ports, tokens,
temporary paths or timestamps of the run). Global state a snippet
may change (environment, default configuration, loggers, working directory) is put back after it.
With DIFFERENTIAL_TRACEBACKS=1 the traceback of each snippet that raised goes to stderr (the
driver keeps it in .matrix/differential-<ours|reference>.log).
"""

import datetime
import io
import json
import logging
import os
import re
import shutil
import sys
import tempfile
import traceback
import warnings

# What the SDKs name their public exceptions; the classes an exception is an instance of are
# described by these names (and by builtin and urllib3 classes), so that a subclass only one SDK
# has (ours: BadRequestException ...) shows as what `except` clauses written for both can catch.
REFERENCE_EXCEPTIONS = frozenset([
    "OpenApiException", "ApiTypeError", "ApiValueError", "ApiAttributeError", "ApiKeyError",
    "ApiException", "NotFoundException", "UnauthorizedException", "ForbiddenException",
    "ServiceException"])
BUILTIN_SKIPPED = frozenset(["object", "BaseException", "Exception"])
# Response headers that say nothing about the SDK.
VOLATILE_HEADERS = frozenset(["date", "server"])


class Runner(object):
    """Serves the driver: runs each snippet it sends and answers with the snippet's output."""

    def __init__(self, protocol_in, protocol_out):
        self.protocol_in = protocol_in
        self.protocol_out = protocol_out
        self.settings = {}
        self.clients = []

    # -- the protocol ------------------------------------------------------------------------

    def send(self, message):
        self.protocol_out.write(json.dumps(message) + "\n")
        self.protocol_out.flush()

    def receive(self):
        line = self.protocol_in.readline()
        if not line:
            raise SystemExit(0)  # the driver went away
        return json.loads(line)

    def control(self, action, **args):
        """Ask the driver to act on the simulator (`fault`, `advance`); its answer."""
        self.send({"control": action, "args": args})
        answer = self.receive()
        if "error" in answer:
            raise RuntimeError("simulator control %s failed: %s" % (action, answer["error"]))
        return answer.get("result")

    def serve(self):
        self.settings = self.receive()
        version = "?"
        try:
            import cloudtower
            version = getattr(cloudtower, "__version__", "?")
        except Exception:  # noqa: BLE001 - reported by every snippet instead
            pass
        self.send({"ready": version})
        while True:
            message = self.receive()
            if message.get("quit"):
                return
            self.send({"done": message["run"], "output": self.run(message["code"])})

    # -- one snippet -------------------------------------------------------------------------

    def run(self, code):
        buffer = io.StringIO()
        tmp = tempfile.mkdtemp(prefix="snippet-")
        saved = self._save_globals()
        namespace = self.namespace(buffer, tmp)
        stdout = sys.stdout
        sys.stdout = buffer
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                exec(compile(code, "<snippet>", "exec"), namespace)
        except BaseException as error:  # noqa: BLE001 - the snippet's outcome
            if isinstance(error, KeyboardInterrupt):
                raise
            buffer.write("raised %s\n" % describe_exception(error))
            if os.environ.get("DIFFERENTIAL_TRACEBACKS"):
                traceback.print_exc(file=sys.__stderr__)
        finally:
            sys.stdout = stdout
            self._close_clients()
            self._restore_globals(saved)
            shutil.rmtree(tmp, ignore_errors=True)
        return self.normalize(buffer.getvalue(), tmp)

    def namespace(self, buffer, tmp):
        settings = self.settings

        def show(*values):
            """Print the values, described the same way in both SDKs, on one line."""
            buffer.write(" ".join(describe(value) for value in values) + "\n")

        def client(**configuration):
            """A new ApiClient for the simulator, logged in (keywords: Configuration attributes)."""
            from cloudtower import ApiClient, Configuration
            config = Configuration(host=settings["url"])
            config.api_key["Authorization"] = settings["token"]
            for name, value in configuration.items():
                setattr(config, name, value)
            made = ApiClient(config)
            self.clients.append(made)
            return made

        def sim(action, **args):
            """Act on the simulator: `sim("fault", kind="status", operation="/get-vms", status=503)`,
            `sim("advance")` (end every running task)."""
            return self.control(action, **args)

        def vm_task(api_client, fails=False):
            """Start a task (web-01's description changes); the task FAILS if `fails`. Its id."""
            from cloudtower import VmApi
            api = VmApi(api_client)
            vm = api.get_vms({"where": {"name": "web-01"}})[0]
            if fails:
                sim("fault", kind="task", operation="/update-vm-basic-info", message="disk full")
            return api.update_vm({"where": {"id": vm.id}, "data": {"description": "x"}})[0].task_id

        return {
            "__name__": "__snippet__",
            "vm_task": vm_task,
            "catching": catching,
            "closed_url": closed_url,
            "show": show,
            "describe": describe,
            "attempt": attempt,
            "client": client,
            "sim": sim,
            "FakeResponse": FakeResponse,
            "url": settings["url"],
            "tls_url": settings["tls_url"],
            "tls_ca": settings["tls_ca"],
            "token": settings["token"],
            "tls_token": settings["tls_token"],
            "tmp": tmp,
        }

    def _save_globals(self):
        configuration_class = _loaded_attribute("cloudtower.configuration", "Configuration")
        loggers = [logging.getLogger(name) for name in ("cloudtower", "urllib3")]
        return {
            "environ": dict(os.environ),
            "cwd": os.getcwd(),
            "loggers": [(logger, logger.level, list(logger.handlers)) for logger in loggers],
            "default": getattr(configuration_class, "_default", None),
        }

    def _restore_globals(self, saved):
        if dict(os.environ) != saved["environ"]:
            os.environ.clear()
            os.environ.update(saved["environ"])
        os.chdir(saved["cwd"])
        for logger, level, handlers in saved["loggers"]:
            logger.setLevel(level)
            for handler in list(logger.handlers):
                if handler not in handlers:
                    logger.removeHandler(handler)
                    handler.close()
        configuration_class = _loaded_attribute("cloudtower.configuration", "Configuration")
        if configuration_class is not None:
            configuration_class._default = saved["default"]
        http_client = sys.modules.get("http.client")
        if http_client is not None:
            http_client.HTTPConnection.debuglevel = 0  # the reference's `debug = True` sets it

    def _close_clients(self):
        for made in self.clients:
            try:
                made.close()
            except Exception:  # noqa: BLE001 - a snippet may have closed or broken it
                pass
        self.clients = []

    def normalize(self, text, tmp):
        """The output without what differs from run to run."""
        settings = self.settings
        for value, placeholder in ((tmp, "<tmp>"), (os.path.realpath(tmp), "<tmp>"),
                                   (settings["tls_url"], "<tls_url>"), (settings["url"], "<url>"),
                                   (settings["token"], "<token>"), (settings["tls_token"], "<token>"),
                                   (settings["tls_ca"], "<tls_ca>")):
            text = text.replace(value, placeholder)
        text = re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1:<port>", text)
        text = re.sub(r"port=\d+", "port=<port>", text)
        text = re.sub(r"0x[0-9a-fA-F]{6,}", "0x?", text)
        text = re.sub(r"sim-\d{8}", "sim-#", text)
        text = re.sub(r"\b[0-9a-f]{48}\b", "<token>", text)  # a token of another login
        text = re.sub(r"/tmp/tmp[\w]+", "<tmp>", text)
        text = re.sub(r"[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT", "<http-date>", text)
        return re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", _now_placeholder, text)


def _now_placeholder(match):
    """`<now>` for a timestamp of this run (the simulator's clock is the wall clock), the
    timestamp itself otherwise (the demo estate's are fixed)."""
    today = datetime.datetime.utcnow().date() if sys.version_info < (3, 12) else \
        datetime.datetime.now(datetime.timezone.utc).date()
    day = datetime.datetime.strptime(match.group(0)[:10], "%Y-%m-%d").date()
    return "<now>" if abs((day - today).days) <= 1 else match.group(0)


def _loaded_attribute(module_name, name):
    module = sys.modules.get(module_name)
    return getattr(module, name, None) if module is not None else None


class FakeResponse(object):
    """What `ApiClient.deserialize` reads: `data` (the body), `status`, `reason` and headers."""

    def __init__(self, data, headers=None, status=200, reason="OK"):
        self.data = data
        self.status = status
        self.reason = reason
        self._headers = dict(headers or {})
        self.headers = self._headers

    def getheader(self, name, default=None):
        for key, value in self._headers.items():
            if key.lower() == name.lower():
                return value
        return default

    def getheaders(self):
        return self._headers


def attempt(function, *args, **kwargs):
    """`function(...)`'s result, or the exception it raised (shown as `raised ...`)."""
    try:
        return function(*args, **kwargs)
    except Exception as error:  # noqa: BLE001 - the outcome is what is compared
        return Raised(error)


def catching(function, *classes):
    """What `try: function()` followed by `except` clauses for `classes`, in that order, would
    catch: (the name of the first class that catches the error, its status if it has one);
    ("not caught", its class name); or ("nothing raised",)."""
    try:
        function()
    except Exception as error:  # noqa: BLE001 - which clause catches it is the point
        for cls in classes:
            if isinstance(error, cls):
                return (cls.__name__,) + ((error.status,) if hasattr(error, "status") else ())
        return ("not caught", type(error).__name__)
    return ("nothing raised",)


def closed_url():
    """The API URL of a port on 127.0.0.1 where nothing listens."""
    import socket
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return "http://127.0.0.1:%d/v2/api" % port


class Raised(object):
    def __init__(self, error):
        self.error = error


# -- describing values the same way in both SDKs -----------------------------------------------

def describe(value, depth=0):
    """A deterministic, SDK-neutral text for a value: what a script can tell of it."""
    if depth > 12:
        return "..."
    if isinstance(value, Raised):
        return "raised " + describe_exception(value.error)
    if value is None or isinstance(value, (bool, int, float, bytes)):
        return repr(value)
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, BaseException):
        return describe_exception(value)
    if isinstance(value, type):
        return "<class %s>" % value.__name__
    if isinstance(value, datetime.datetime):
        return "datetime(%s)" % value.isoformat()
    if isinstance(value, datetime.date):
        return "date(%s)" % value.isoformat()
    if isinstance(value, list):
        return "[%s]" % ", ".join(describe(item, depth + 1) for item in value)
    if isinstance(value, tuple):
        return "(%s)" % ", ".join(describe(item, depth + 1) for item in value)
    if isinstance(value, (set, frozenset)):
        return "{%s}" % ", ".join(sorted(describe(item, depth + 1) for item in value))
    if isinstance(value, dict):
        return "{%s}" % ", ".join("%s: %s" % (describe(key, depth + 1), describe(item, depth + 1))
                                  for key, item in sorted(value.items(), key=lambda pair: repr(pair[0])))
    if is_model(value):
        return describe_model(value, depth)
    name = type(value).__name__
    if name == "HTTPHeaderDict":
        return "HTTPHeaderDict%s" % describe_headers(value)
    if name in ("RESTResponse", "HTTPResponse"):
        return "%s(status=%r)" % (name, value.status)
    if callable(value):
        return "<callable %s>" % getattr(value, "__name__", name)
    return "<%s>" % name


def is_model(value):
    cls = type(value)
    return cls.__module__.startswith("cloudtower.models") and hasattr(cls, "openapi_types")


def describe_model(model, depth):
    parts = []
    for attr in sorted(type(model).openapi_types):
        try:
            value = getattr(model, attr)
        except Exception as error:  # noqa: BLE001
            parts.append("%s=raised %s" % (attr, describe_exception(error)))
            continue
        if value is not None:
            parts.append("%s=%s" % (attr, describe(value, depth + 1)))
    return "%s(%s)" % (type(model).__name__, ", ".join(parts))


def describe_headers(headers):
    items = sorted((key.lower(), value) for key, value in headers.items()
                   if key.lower() not in VOLATILE_HEADERS)
    return "{%s}" % ", ".join("%s: %s" % (key, describe(value)) for key, value in items)


def exception_names(error):
    """The classes `error` is an instance of that both SDKs' users can name, most specific first."""
    names = []
    for cls in type(error).__mro__:
        module = cls.__module__
        if module == "builtins":
            if cls.__name__ not in BUILTIN_SKIPPED:
                names.append(cls.__name__)
        elif module.startswith("cloudtower"):
            if cls.__name__ in REFERENCE_EXCEPTIONS:
                names.append(cls.__name__)
        elif module.startswith("urllib3") or module in ("ssl", "socket", "http.client"):
            names.append("%s.%s" % (module.split(".")[0], cls.__name__))
    return names or [type(error).__name__]


def describe_exception(error):
    """`MostSpecific[every class it is an instance of, sorted](the fields scripts read)`."""
    names = exception_names(error)
    parts = []
    if "ApiException" in names:
        headers = getattr(error, "headers", None)
        parts.append("status=%r" % (getattr(error, "status", None),))
        reason = getattr(error, "reason", None)
        # A reason the server gave is compared; one the SDK wrote (status 0, 408 ...) only by type.
        parts.append("reason=%s" % (describe(reason) if headers is not None else "<%s>" % type(reason).__name__))
        parts.append("body=%s" % describe(getattr(error, "body", None)))
        if headers is not None:
            parts.append("headers=%s" % describe(headers))
    reason = getattr(error, "reason", None)
    if isinstance(reason, BaseException):
        parts.append("reason=%s" % describe_exception(reason))
    return "%s[%s](%s)" % (names[0], ",".join(sorted(names)), ", ".join(parts))


def main():
    # The protocol keeps the real stdout; anything else printed goes to stderr.
    protocol_out = io.open(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    Runner(sys.stdin, protocol_out).serve()


if __name__ == "__main__":
    main()
