# Types of cloudtower/configuration.py, for type checkers and editors (never imported at run time).
import logging
from typing import Any, Callable, Dict, FrozenSet, List, Optional, Tuple, Union

from urllib3.util.retry import Retry

from cloudtower.retry import RetryPolicy

LOGGER_NAME: str
JSON_SCHEMA_VALIDATION_KEYWORDS: FrozenSet[str]
HOST_SETTINGS: Tuple[Dict[str, str], ...]
DEFAULT_API_PATH: str
DEFAULT_PROBE_PATH: str

class Configuration:
    """Settings shared by the `ApiClient`s built from it: host, credentials, TLS, proxy, logging."""

    server_index: Optional[int]
    server_operation_index: Dict[str, int]
    server_variables: Dict[str, str]
    server_operation_variables: Dict[str, Dict[str, str]]
    temp_folder_path: Optional[str]
    api_key: Dict[str, str]
    api_key_prefix: Dict[str, str]
    refresh_api_key_hook: Optional[Callable[[Configuration], None]]
    username: Optional[str]
    password: Optional[str]
    discard_unknown_keys: bool
    disabled_client_side_validations: str
    logger: Dict[str, logging.Logger]
    logger_format: str
    logger_stream_handler: Optional[logging.Handler]
    logger_file_handler: Optional[logging.FileHandler]
    verify_ssl: bool
    ssl_ca_cert: Optional[str]
    cert_file: Optional[str]
    key_file: Optional[str]
    assert_hostname: Union[None, bool, str]
    connection_pool_maxsize: int
    proxy: Optional[str]
    proxy_headers: Optional[Dict[str, str]]
    safe_chars_for_path_param: str
    retries: Union[None, int, RetryPolicy, Retry]
    request_timeout: Union[None, float, Tuple[float, float]]
    client_side_validation: bool
    socket_options: Optional[List[Any]]
    def __init__(
        self,
        host: Optional[str] = ...,
        api_key: Optional[Dict[str, str]] = ...,
        api_key_prefix: Optional[Dict[str, str]] = ...,
        username: Optional[str] = ...,
        password: Optional[str] = ...,
        discard_unknown_keys: bool = ...,
        disabled_client_side_validations: str = ...,
        server_index: Optional[int] = ...,
        server_variables: Optional[Dict[str, str]] = ...,
        server_operation_index: Optional[Dict[str, int]] = ...,
        server_operation_variables: Optional[Dict[str, Dict[str, str]]] = ...,
        ssl_ca_cert: Optional[str] = ...,
        base_url: Optional[str] = ...,
        root_url: Optional[str] = ...,
        api_path: Optional[str] = ...,
        probe_path: Optional[str] = ...,
        scheme: Optional[str] = ...,
    ) -> None: ...
    @property
    def host(self) -> str:
        """The API base URL, e.g. `https://tower.example.com/v2/api` ("" until one is given)."""
    @host.setter
    def host(self, value: str) -> None: ...
    @property
    def root_url(self) -> Optional[str]:
        """The URL the API and probe paths hang off (`https://tower.example.com`)."""
    @root_url.setter
    def root_url(self, value: Optional[str]) -> None: ...
    @property
    def base_url(self) -> Optional[str]:
        """Another name of `root_url`."""
    @base_url.setter
    def base_url(self, value: Optional[str]) -> None: ...
    @property
    def scheme(self) -> Optional[str]:
        """`http` or `https`."""
    @scheme.setter
    def scheme(self, value: Optional[str]) -> None: ...
    @property
    def api_path(self) -> str:
        """The API's path under the root URL (default `/v2/api`)."""
    @api_path.setter
    def api_path(self, value: Optional[str]) -> None: ...
    @property
    def probe_path(self) -> str:
        """The health probe's path under the root URL (default `/api/healthz`)."""
    @probe_path.setter
    def probe_path(self, value: Optional[str]) -> None: ...
    @property
    def probe_url(self) -> Optional[str]:
        """`root_url + probe_path`, unless set."""
    @probe_url.setter
    def probe_url(self, value: Optional[str]) -> None: ...
    def get_host_settings(self) -> List[Dict[str, Any]]: ...
    def get_host_from_settings(
        self, index: Optional[int], variables: Optional[Dict[str, str]] = ..., servers: Optional[List[Dict[str, Any]]] = ...
    ) -> str: ...
    def get_api_key_with_prefix(self, identifier: str, alias: Optional[str] = ...) -> Optional[str]: ...
    def get_basic_auth_token(self) -> str: ...
    def auth_settings(self) -> Dict[str, Dict[str, Any]]: ...
    @property
    def debug(self) -> bool:
        """When True, every request and answer is logged at DEBUG level, secrets redacted."""
    @debug.setter
    def debug(self, value: bool) -> None: ...
    @property
    def logger_file(self) -> Optional[str]: ...
    @logger_file.setter
    def logger_file(self, path: Optional[str]) -> None: ...
    @property
    def logger_formatter(self) -> logging.Formatter: ...
    @classmethod
    def set_default(cls, default: Configuration) -> None: ...
    @classmethod
    def get_default_copy(cls) -> Configuration: ...
    def to_debug_report(self) -> str: ...
