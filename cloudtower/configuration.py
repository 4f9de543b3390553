"""Settings of an `ApiClient`: where the server is, how to authenticate, TLS, proxy, logging."""
from __future__ import absolute_import

import copy
import logging
import os
import sys

from cloudtower.exceptions import ApiValueError
from cloudtower.retry import DEFAULT_TIMEOUT

LOGGER_NAME = "cloudtower"
# What `disabled_client_side_validations` may name (JSON-schema keywords).
JSON_SCHEMA_VALIDATION_KEYWORDS = frozenset([
    "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum", "maxLength",
    "minLength", "pattern", "maxItems", "minItems"])
# The servers the spec lists: none with an address, so `Configuration().host` is "" (as in the
# official SDK) until a host is given; a request then fails, saying to set it.
HOST_SETTINGS = ({"url": "", "description": "No description provided"},)


class Configuration(object):
    """Settings shared by the `ApiClient`s built from it.

    `host` is the API base URL (`http(s)://<tower>/v2/api`; "" when none is given, as in the
    official SDK: set it before sending anything). The token from `/login` goes in
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
                 ssl_ca_cert=None):
        self._base_path = "" if host is None else host
        self.server_index = 0 if server_index is None and host is None else server_index
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

    @property
    def host(self):
        """The API base URL, e.g. `https://tower.example.com/v2/api` (that of server
        `server_index` of `get_host_settings()` while no host is set: "")."""
        if self.server_index is None:
            return self._base_path
        return self.get_host_from_settings(self.server_index, variables=self.server_variables)

    @host.setter
    def host(self, value):
        self._base_path = value
        self.server_index = None

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


def _cpu_count():
    if hasattr(os, "cpu_count"):
        return os.cpu_count() or 1
    import multiprocessing  # Python 2
    try:
        return multiprocessing.cpu_count()
    except NotImplementedError:
        return 1
