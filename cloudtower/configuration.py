"""Settings of an `ApiClient`: where the server is, how to authenticate, TLS, proxy, logging."""
from __future__ import absolute_import

import copy
import logging
import os
import re
import sys

from cloudtower.exceptions import ApiTypeError, ApiValueError
from cloudtower.retry import DEFAULT_TIMEOUT

try:
    from urllib.parse import urlsplit
except ImportError:  # Python 2
    from urlparse import urlsplit

LOGGER_NAME = "cloudtower"
# What `disabled_client_side_validations` may name (JSON-schema keywords).
JSON_SCHEMA_VALIDATION_KEYWORDS = frozenset([
    "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum", "maxLength",
    "minLength", "pattern", "maxItems", "minItems"])
# The servers the spec lists: none with an address, so `Configuration().host` is "" (as in the
# official SDK) until a host is given; a request then fails, saying to set it.
HOST_SETTINGS = ({"url": "", "description": "No description provided"},)
DEFAULT_API_PATH = "/v2/api"          # where the API lives under an endpoint's root URL
DEFAULT_PROBE_PATH = "/api/healthz"   # 200 on the active endpoint, 307 on a passive one
_HAS_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_HOST_AND_PORT = re.compile(r"^[^/:]+:[0-9]+(/|$)")


class Configuration(object):
    """Settings shared by the `ApiClient`s built from it.

    `host` is the API base URL (`http(s)://<tower>/v2/api`; "" when none is given, as in the
    official SDK: set it before sending anything). It may be given in parts instead, as in the
    official 2.23.0: `root_url` (or its alias `base_url`: `https://tower`, or `tower` with
    `scheme="https"`) and `api_path` (default `/v2/api`); `host` is then `root_url + api_path`.
    A `host` given alone is kept as written, and `root_url`, `api_path` and `scheme` are read from
    it. `probe_url` (`root_url + probe_path`, default path `/api/healthz`) is what
    `ApiClient.do_probe` and the `ActivePassiveApiClient` ask to tell the active endpoint of a
    CloudTower from a passive one. Changing `root_url`, `base_url`, `api_path`, `scheme` or
    `probe_path` later updates `host` and `probe_url`. The token from `/login` goes in
    `api_key["Authorization"]` (`cloudtower.utils.login` puts it there). TLS: `verify_ssl`,
    `ssl_ca_cert`, `cert_file`/`key_file` (client certificate), `assert_hostname`. Also
    `proxy`, `proxy_headers`, `connection_pool_maxsize`, `client_side_validation` (check request
    bodies against the spec before sending), `debug` (log every request and answer, secrets
    redacted) and `logger_file`.

    Unhappy paths: `request_timeout` is the timeout of each attempt, a `(connect, read)` pair or
    seconds (default `(10, 120)`; a call's `_request_timeout` overrides it). `retries` says how
    failed queries are retried: None (default: 2 retries with backoff, see `cloudtower.retry`),
    a number of retries (0: none), a `cloudtower.retry.RetryPolicy` or a urllib3 `Retry`.
    """

    _default = None

    def __init__(self, host=None, api_key=None, api_key_prefix=None, username=None, password=None,
                 discard_unknown_keys=False, disabled_client_side_validations="", server_index=None,
                 server_variables=None, server_operation_index=None, server_operation_variables=None,
                 ssl_ca_cert=None, base_url=None, root_url=None, api_path=None, probe_path=None,
                 scheme=None):
        self._base_path = ""
        self.server_index = server_index
        self._set_address(host, base_url, root_url, api_path, probe_path, scheme)
        self.server_operation_index = server_operation_index or {}
        self.server_variables = server_variables or {}
        self.server_operation_variables = server_operation_variables or {}
        self.temp_folder_path = None
        # The caller's dicts themselves, as in the official SDK: a token put in later is used.
        self.api_key = api_key if api_key else {}
        self.api_key_prefix = api_key_prefix if api_key_prefix else {}
        self.refresh_api_key_hook = None
        self.username = username
        self.password = password
        self.discard_unknown_keys = discard_unknown_keys
        self.disabled_client_side_validations = disabled_client_side_validations
        self.logger = {
            "package_logger": logging.getLogger(LOGGER_NAME),
            "urllib3_logger": logging.getLogger("urllib3"),
        }
        self.logger_format = "%(asctime)s %(levelname)s %(message)s"
        self.logger_stream_handler = None
        self.logger_file_handler = None
        self._logger_file = None
        self._debug = False
        self.verify_ssl = True
        self.ssl_ca_cert = ssl_ca_cert
        self.cert_file = None
        self.key_file = None
        self.assert_hostname = None
        self.connection_pool_maxsize = _cpu_count() * 5
        self.proxy = None
        self.proxy_headers = None
        self.safe_chars_for_path_param = ""
        self.retries = None
        self.request_timeout = DEFAULT_TIMEOUT
        self.client_side_validation = True
        self.socket_options = None

    # -- host ------------------------------------------------------------------------------

    def _set_address(self, host, base_url, root_url, api_path, probe_path, scheme):
        """Where the server is, from the constructor's arguments (see the class docstring)."""
        for name, value in (("host", host), ("base_url", base_url), ("root_url", root_url),
                            ("api_path", api_path), ("probe_path", probe_path), ("scheme", scheme)):
            _check_text(name, value)
        self._scheme = scheme
        self._root_url = self._base_url = self._probe_url = None
        self._api_path = ""
        # The constructor takes "" as "not given", as the official does.
        self._probe_path = _clean_path(probe_path or None, DEFAULT_PROBE_PATH)
        if root_url is not None or base_url is not None:
            root = _join_root(root_url, base_url, scheme)
            self._api_path = _clean_path(api_path or None, DEFAULT_API_PATH)
            self._set_root(root)
        elif host is not None:
            self._set_host(host, api_path, scheme)
        else:
            # No address: `host` is server 0 of the settings (""); the parts wait for a root.
            self._api_path = "" if api_path is None else _clean_path(api_path, "")
            if self.server_index is None:
                self.server_index = 0

    def _set_host(self, value, api_path=None, scheme=None):
        url = _with_scheme(value, scheme)
        parts = urlsplit(url) if _HAS_SCHEME.match(url) else None
        if parts is None or not parts.netloc:
            # Not a URL (no scheme): kept as it is, and as the root, for lack of a better one.
            self._root_url = self._base_url = self._probe_url = url
            self._api_path = "" if api_path is None else _clean_path(api_path, "")
            self._base_path = value
        else:
            self._scheme = parts.scheme
            self._root_url = self._base_url = "%s://%s" % (parts.scheme, parts.netloc)
            self._api_path = _clean_path(parts.path if api_path is None else api_path, "")
            self._probe_url = self._root_url + self._probe_path
            # Given alone, with its scheme, a host is kept as written (as before 2.23.0).
            written = api_path is None and url == value.strip()
            self._base_path = value if written else self._root_url + self._api_path
        self.server_index = None

    def _set_root(self, root):
        """Make `root` the root URL, and derive `host` and `probe_url` from it."""
        self._root_url = self._base_url = root
        if _HAS_SCHEME.match(root):
            self._scheme = root.partition(":")[0]
        self._derive()

    def _derive(self):
        if self._root_url:
            root = self._root_url.rstrip("/")
            self._base_path = root + self._api_path
            self._probe_url = root + self._probe_path
            self.server_index = None

    @property
    def host(self):
        """The API base URL, e.g. `https://tower.example.com/v2/api` (that of server
        `server_index` of `get_host_settings()` while no host is set: "")."""
        if self.server_index is None:
            return self._base_path
        return self.get_host_from_settings(self.server_index, variables=self.server_variables)

    @host.setter
    def host(self, value):
        _check_text("host", value, none=False)
        self._set_host(value)

    @property
    def root_url(self):
        """The URL the API and the probe paths hang off (`https://tower.example.com`); None
        until an address is given."""
        return self._root_url

    @root_url.setter
    def root_url(self, value):
        self._set_root_url("root_url", value)

    @property
    def base_url(self):
        """Another name of `root_url`, as in the official SDK."""
        return self._base_url

    @base_url.setter
    def base_url(self, value):
        self._set_root_url("base_url", value)

    def _set_root_url(self, name, value):
        _check_text(name, value)
        if value is None:  # forgets that one name only, as the official does
            setattr(self, "_" + name, None)
        else:
            self._set_root(_normal_root(value, self._scheme))

    @property
    def scheme(self):
        """`http` or `https`: the root URL's scheme, or the one given for a root without one."""
        return self._scheme

    @scheme.setter
    def scheme(self, value):
        _check_text("scheme", value)
        self._scheme = value
        if not value:
            return
        for name in ("_root_url", "_base_url"):
            url = getattr(self, name)
            if url:
                setattr(self, name, _normal_root(_HAS_SCHEME.sub("", url), value))
        self._derive()

    @property
    def api_path(self):
        """The API's path under the root URL (default `/v2/api`; "" for the root itself)."""
        return self._api_path

    @api_path.setter
    def api_path(self, value):
        _check_text("api_path", value)
        self._api_path = _clean_path(value, DEFAULT_API_PATH)
        self._derive()

    @property
    def probe_path(self):
        """The path of the health probe under the root URL (default `/api/healthz`)."""
        return self._probe_path

    @probe_path.setter
    def probe_path(self, value):
        _check_text("probe_path", value)
        self._probe_path = _clean_path(value, DEFAULT_PROBE_PATH)
        self._derive()

    @property
    def probe_url(self):
        """The URL `ApiClient.do_probe` asks: `root_url + probe_path`, unless set."""
        return self._probe_url

    @probe_url.setter
    def probe_url(self, value):
        _check_text("probe_url", value)
        self._probe_url = value.strip() if value is not None else None

    def get_host_settings(self):
        """The servers the spec lists: one, without an address (CloudTower runs anywhere)."""
        return [dict(server) for server in HOST_SETTINGS]

    def get_host_from_settings(self, index, variables=None, servers=None):
        """The URL of server `index` (None: the `host` set) of `servers` (default:
        `get_host_settings()`), with its `{variables}` filled in from `variables` or their
        defaults; a value outside a variable's `enum_values` raises ValueError."""
        if index is None:
            return self._base_path
        servers = self.get_host_settings() if servers is None else servers
        if not 0 <= index < len(servers):
            raise ValueError("Invalid index %d when selecting the host settings; there are %d"
                             % (index, len(servers)))
        server = servers[index]
        url = server["url"]
        variables = variables or {}
        for name, spec in server.get("variables", {}).items():
            value = variables.get(name, spec.get("default_value"))
            if "enum_values" in spec and value not in spec["enum_values"]:
                raise ValueError("The variable `%s` in the host URL has the value %r; it must be one of %s"
                                 % (name, value, ", ".join(map(repr, spec["enum_values"]))))
            url = url.replace("{%s}" % name, value)
        return url

    @property
    def disabled_client_side_validations(self):
        """Comma-separated JSON-schema keywords (`maxLength,pattern`) the client-side validation
        leaves unchecked; an unknown keyword raises `ApiValueError`."""
        return self._disabled_client_side_validations_text

    @disabled_client_side_validations.setter
    def disabled_client_side_validations(self, value):
        keywords = set(filter(None, (value or "").split(",")))
        unknown = sorted(keywords - JSON_SCHEMA_VALIDATION_KEYWORDS)
        if unknown:
            raise ApiValueError("Invalid keyword: %r; disabled_client_side_validations takes %s"
                                % (unknown[0], ", ".join(sorted(JSON_SCHEMA_VALIDATION_KEYWORDS))))
        self._disabled_client_side_validations_text = value
        self._disabled_client_side_validations = keywords

    # -- authentication ----------------------------------------------------------------------

    def get_api_key_with_prefix(self, identifier, alias=None):
        """The API key stored under `identifier` (or `alias`), with its prefix if one is set."""
        if self.refresh_api_key_hook is not None:
            self.refresh_api_key_hook(self)
        key = self.api_key.get(identifier, self.api_key.get(alias) if alias is not None else None)
        if key:
            prefix = self.api_key_prefix.get(identifier)
            return "%s %s" % (prefix, key) if prefix else key
        return None

    def get_basic_auth_token(self):
        """The `Authorization` value for HTTP basic authentication with `username`/`password`."""
        import base64
        username = self.username or ""
        password = self.password or ""
        raw = ("%s:%s" % (username, password)).encode("utf-8")
        return "Basic " + base64.b64encode(raw).decode("ascii")

    def auth_settings(self):
        """How each authentication scheme of the spec is applied to a request."""
        settings = {}
        token = self.get_api_key_with_prefix("Authorization")
        if token is not None:
            settings["Authorization"] = {"type": "api_key", "in": "header", "key": "Authorization",
                                         "value": token}
        if self.username is not None and self.password is not None:
            settings["Basic"] = {"type": "basic", "in": "header", "key": "Authorization",
                                 "value": self.get_basic_auth_token()}
        return settings

    # -- logging -------------------------------------------------------------------------------

    @property
    def debug(self):
        """When true, every request and answer is logged at DEBUG level, secrets redacted."""
        return self._debug

    @debug.setter
    def debug(self, value):
        self._debug = value  # kept as given, as in the official SDK
        package_logger = self.logger["package_logger"]
        level = logging.DEBUG if self._debug else logging.WARNING
        for logger in self.logger.values():
            logger.setLevel(level)
        if self._debug and not package_logger.handlers and self.logger_file_handler is None:
            # Debug output has to go somewhere even if the application configured no logging.
            self.logger_stream_handler = logging.StreamHandler()
            self.logger_stream_handler.setFormatter(logging.Formatter(self.logger_format))
            package_logger.addHandler(self.logger_stream_handler)
        elif not self._debug and self.logger_stream_handler is not None:
            package_logger.removeHandler(self.logger_stream_handler)
            self.logger_stream_handler = None

    @property
    def logger_file(self):
        """A file that SDK log records are appended to (None: no file)."""
        return self._logger_file

    @logger_file.setter
    def logger_file(self, path):
        if self.logger_file_handler is not None:
            for logger in self.logger.values():
                logger.removeHandler(self.logger_file_handler)
            self.logger_file_handler.close()
        self._logger_file = path
        self.logger_file_handler = None
        if path:
            self.logger_file_handler = logging.FileHandler(path)
            self.logger_file_handler.setFormatter(logging.Formatter(self.logger_format))
            for logger in self.logger.values():
                logger.addHandler(self.logger_file_handler)

    @property
    def logger_formatter(self):
        """The `logging.Formatter` built from `logger_format`."""
        return logging.Formatter(self.logger_format)

    # -- defaults ------------------------------------------------------------------------------

    @classmethod
    def set_default(cls, default):
        """Make a copy of `default` the configuration of `ApiClient()`s built without one."""
        cls._default = copy.deepcopy(default)

    @classmethod
    def get_default_copy(cls):
        """A copy of the default configuration (a new one if none was set)."""
        if cls._default is not None:
            return copy.deepcopy(cls._default)
        return Configuration()

    def __deepcopy__(self, memo):
        result = Configuration.__new__(Configuration)
        memo[id(self)] = result
        for key, value in self.__dict__.items():
            if key in ("logger", "logger_stream_handler", "logger_file_handler"):
                setattr(result, key, value)  # loggers and handlers are shared, not copied
            else:
                setattr(result, key, copy.deepcopy(value, memo))
        return result

    def to_debug_report(self):
        """Facts worth quoting in a bug report (no secrets)."""
        import platform
        from cloudtower import __version__
        from cloudtower.models import SPEC_VERSION
        return ("Python SDK Debug Report:\n"
                "OS: %s\n"
                "Python Version: %s\n"
                "Version of the API: %s\n"
                "SDK Package Version: %s"
                % (platform.platform(), sys.version.split()[0], SPEC_VERSION, __version__))

    def __repr__(self):
        return "<Configuration host=%r verify_ssl=%r authorized=%r>" % (
            self.host, self.verify_ssl, bool(self.api_key.get("Authorization")))


def _check_text(name, value, none=True):
    if not (isinstance(value, _TEXT) or (none and value is None)):
        raise ApiTypeError("Configuration.%s must be text%s, not %s" % (
            name, " or None" if none else "", type(value).__name__))


_TEXT = (str, type(u""))


def _clean_path(value, default):
    """A path as `/a/b`: a leading slash, none at the end; "" for "" or "/"; `default` for None."""
    value = (default if value is None else value).strip().strip("/")
    return "/" + value if value else ""


def _with_scheme(url, scheme):
    """`url` without surrounding blanks, with `scheme://` in front if it has no scheme."""
    url = url.strip()
    if scheme and url and not _HAS_SCHEME.match(url):
        url = "%s://%s" % (scheme, url.lstrip("/"))
    return url


def _normal_root(url, scheme):
    """A root URL as `scheme://host[:port][/path]`: no query, no trailing slash."""
    url = _with_scheme(url, scheme)
    if not _HAS_SCHEME.match(url):
        return url.rstrip("/") if url.strip("/") else url
    parts = urlsplit(url)
    path = parts.path.strip("/")
    return "%s://%s%s" % (parts.scheme, parts.netloc, "/" + path if path else "")


def _join_root(root_url, base_url, scheme):
    """The root URL of `Configuration(root_url=..., base_url=...)`: `root_url`, or, when it is
    only a path, that path under `base_url`."""
    if root_url is None:
        return _normal_root(base_url, scheme)
    if base_url is None or _HAS_SCHEME.match(root_url.strip()) or _HOST_AND_PORT.match(root_url.strip()):
        return _normal_root(root_url, scheme)
    base = _normal_root(base_url, scheme)
    path = root_url.strip().strip("/")
    return base.rstrip("/") + ("/" + path if path else "")


def _cpu_count():
    if hasattr(os, "cpu_count"):
        return os.cpu_count() or 1
    import multiprocessing  # Python 2
    try:
        return multiprocessing.cpu_count()
    except NotImplementedError:
        return 1
