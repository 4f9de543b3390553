# Types of cloudtower/api_client.py, for type checkers and editors (never imported at run time).
from multiprocessing.pool import ThreadPool
from types import TracebackType
from typing import Any, ClassVar, Dict, List, Mapping, Optional, Sequence, Tuple, Type, Union

from cloudtower.configuration import Configuration
from cloudtower.operation import FileValue, Operation, Timeout
from cloudtower.rest import RESTClientObject, RESTResponse

PROBE_TIMEOUT: int

def probe(
    rest_client: RESTClientObject, url: str, timeout: Optional[float] = ..., user_agent: Optional[str] = ...
) -> Tuple[int, Optional[str]]:
    """(status, Location) of one health probe: 200 or 307, else an `ApiException`."""

class ApiClient:
    """Talks to one CloudTower: holds the configuration, default headers and connection pool."""

    PRIMITIVE_TYPES: ClassVar[Tuple[type, ...]]
    NATIVE_TYPES_MAPPING: ClassVar[Dict[str, type]]
    configuration: Configuration
    pool_threads: int
    rest_client: RESTClientObject
    default_headers: Dict[str, str]
    cookie: Optional[str]
    last_response: Any
    def __init__(
        self,
        configuration: Optional[Configuration] = ...,
        header_name: Optional[str] = ...,
        header_value: Optional[str] = ...,
        cookie: Optional[str] = ...,
        pool_threads: int = ...,
    ) -> None: ...
    def __enter__(self) -> ApiClient: ...
    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc_value: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None: ...
    def close(self) -> None:
        """End the thread pool (after its running calls) and close pooled connections."""
    @property
    def pool(self) -> ThreadPool: ...
    @property
    def client_side_validation(self) -> bool: ...
    @client_side_validation.setter
    def client_side_validation(self, value: Optional[bool]) -> None: ...
    @property
    def user_agent(self) -> str: ...
    @user_agent.setter
    def user_agent(self, value: str) -> None: ...
    def set_default_header(self, header_name: str, header_value: str) -> None:
        """Send header `header_name` with every request."""
    def call_operation(
        self, operation: Operation, params: Mapping[str, Any], options: Mapping[str, Any], http_info: bool = ...
    ) -> Any: ...
    def call_api(
        self,
        resource_path: str,
        method: str,
        path_params: Optional[Mapping[str, Any]] = ...,
        query_params: Union[Mapping[str, Any], Sequence[Tuple[str, Any]], None] = ...,
        header_params: Optional[Mapping[str, str]] = ...,
        body: Any = ...,
        post_params: Union[Mapping[str, Any], Sequence[Tuple[str, Any]], None] = ...,
        files: Optional[Mapping[str, Union[FileValue, List[FileValue]]]] = ...,
        response_types_map: Optional[Mapping[int, Optional[str]]] = ...,
        auth_settings: Optional[Sequence[str]] = ...,
        async_req: Optional[bool] = ...,
        _return_http_data_only: Optional[bool] = ...,
        collection_formats: Optional[Mapping[str, str]] = ...,
        _preload_content: bool = ...,
        _request_timeout: Timeout = ...,
        _host: Optional[str] = ...,
        _request_auth: Optional[Mapping[str, Any]] = ...,
        _request_redirect: Optional[bool] = ...,
    ) -> Any:
        """Send a request to `resource_path` and decode the answer with `response_types_map`."""
    def request(
        self,
        method: str,
        url: str,
        query_params: Union[Mapping[str, Any], Sequence[Tuple[str, Any]], None] = ...,
        headers: Optional[Mapping[str, str]] = ...,
        post_params: Union[Mapping[str, Any], Sequence[Tuple[str, Any]], None] = ...,
        body: Any = ...,
        _preload_content: bool = ...,
        _request_timeout: Timeout = ...,
        redirect: Optional[bool] = ...,
    ) -> Any:
        """Send one HTTP request through the connection pool."""
    def do_probe(self, url: str, timeout: Optional[float] = ...) -> bool:
        """Probe `url` (a `probe_url`): True on 200 (active), False on 307 (passive), else raise."""
    def sanitize_for_serialization(self, obj: Any) -> Any:
        """JSON-ready data for `obj` (models become dicts keyed by JSON keys)."""
    def parameters_to_tuples(
        self, params: Union[Mapping[str, Any], Sequence[Tuple[str, Any]]], collection_formats: Optional[Mapping[str, str]]
    ) -> List[Tuple[str, Any]]: ...
    def files_parameters(
        self, files: Optional[Mapping[str, Union[FileValue, List[FileValue]]]] = ...
    ) -> List[Tuple[str, Tuple[str, bytes, str]]]: ...
    def select_header_accept(self, accepts: Sequence[str]) -> Optional[str]: ...
    def select_header_content_type(
        self, content_types: Sequence[str], method: Optional[str] = ..., body: Any = ...
    ) -> str: ...
    def update_params_for_auth(
        self,
        headers: Dict[str, str],
        queries: List[Tuple[str, Any]],
        auth_settings: Optional[Sequence[str]],
        request_auth: Optional[Mapping[str, Any]] = ...,
    ) -> None: ...
    def deserialize(self, response: RESTResponse, response_type: Union[str, type, None]) -> Any:
        """Decode an answer's body as `response_type` (`list[Vm]`, `str`, `file` ...; or a class)."""
    def _ApiClient__deserialize(self, data: Any, klass: Union[str, type]) -> Any:
        """The official SDK's private method: decoded JSON `data` read as `klass`."""
