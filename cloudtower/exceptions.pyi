# Types of cloudtower/exceptions.py, for type checkers and editors (never imported at run time).
from typing import Any, ClassVar, Dict, Iterable, List, Optional, Pattern, Sequence, Union

from cloudtower.models.task import Task
from cloudtower.rest import HTTPHeaders

_Path = Optional[Sequence[Union[str, int]]]

class OpenApiException(Exception):
    """Base of every exception the SDK raises on purpose."""

class ApiTypeError(OpenApiException, TypeError):
    path_to_item: _Path
    valid_classes: Any
    key_type: Any
    def __init__(self, msg: str, path_to_item: _Path = ..., valid_classes: Any = ..., key_type: Any = ...) -> None: ...

class ApiValueError(OpenApiException, ValueError):
    path_to_item: _Path
    def __init__(self, msg: str, path_to_item: _Path = ...) -> None: ...

class ApiAttributeError(OpenApiException, AttributeError):  # pyright: ignore[reportUnsafeMultipleInheritance]
    path_to_item: _Path
    def __init__(self, msg: str, path_to_item: _Path = ...) -> None: ...

class ApiKeyError(OpenApiException, KeyError):
    path_to_item: _Path
    def __init__(self, msg: str, path_to_item: _Path = ...) -> None: ...

class ApiException(OpenApiException):
    """The server answered with an HTTP error, or the SDK gave up on a request."""

    status: Optional[int]
    reason: Optional[str]
    # Text from an Api method or call_api; the bytes received from ApiClient.request()/rest_client.
    body: Union[str, bytes, None]
    headers: Optional[HTTPHeaders]
    error: Any
    message: Optional[str]
    code: Optional[str]
    path: Optional[str]
    props: Any
    request_id: Optional[str]
    def __init__(self, status: Optional[int] = ..., reason: Optional[str] = ..., http_resp: Any = ...) -> None: ...

class BadRequestException(ApiException): ...

class ApiConnectionError(ApiException):
    """The request could not be sent, or its answer could not be read (status 0)."""

    operation: Optional[str]
    host: Optional[str]
    original: Optional[BaseException]
    request_sent: bool
    def __init__(
        self,
        reason: Optional[str] = ...,
        operation: Optional[str] = ...,
        host: Optional[str] = ...,
        original: Optional[BaseException] = ...,
        request_sent: bool = ...,
    ) -> None: ...

class ApiTimeoutError(ApiConnectionError):
    """An attempt took longer than its timeout (to connect, or waiting for the answer)."""

class ApiTLSError(ApiConnectionError):
    """The TLS handshake failed (an untrusted or mismatched certificate, a protocol mismatch)."""

class ApiResponseError(ApiException):
    """A 2xx answer that is not JSON, or not the declared shape; the raw `body` is kept."""

    def __init__(self, reason: Optional[str] = ..., http_resp: Any = ...) -> None: ...

class InvalidRequestTypeError(ApiTypeError, BadRequestException):  # pyright: ignore[reportUnsafeMultipleInheritance]
    """A value of the wrong type, refused before sending (also a 400 `BadRequestException`)."""

    def __init__(self, msg: str, path_to_item: _Path = ...) -> None: ...

class InvalidRequestValueError(ApiValueError, BadRequestException):  # pyright: ignore[reportUnsafeMultipleInheritance]
    """A value the API does not accept, refused before sending (also a 400 `BadRequestException`)."""

    def __init__(self, msg: str, path_to_item: _Path = ...) -> None: ...

class ResourceLockedException(BadRequestException):
    @property
    def locked_resources(self) -> List[Dict[str, Any]]:
        """The resources another task holds, as `{"id": ..., "type": ...}` dicts."""

class UnauthorizedException(ApiException): ...
class ForbiddenException(ApiException): ...
class NotFoundException(ApiException): ...
class ServiceException(ApiException): ...

class TaskFailedException(ApiException):
    failed_tasks: List[Task]
    def __init__(self, failed_tasks: List[Task]) -> None: ...

class TaskNotFoundException(NotFoundException):
    """`wait_tasks` asked for tasks the server does not have (status 404)."""

    missing_ids: List[str]
    def __init__(self, missing_ids: Sequence[str]) -> None: ...

class TaskTimeoutException(ApiException):
    pending_ids: List[str]
    def __init__(self, pending_ids: List[str], timeout: float) -> None: ...

class ActivePassiveException(ApiException):
    """An `ActivePassiveApiClient` could not pick the endpoint to send to, or it turned passive."""

    default_reason: ClassVar[str]
    host: Optional[str]
    endpoints: Optional[List[str]]
    active_hosts: Optional[List[str]]
    failures: Optional[List[str]]
    strategy: Optional[str]
    def __init__(
        self,
        status: Optional[int] = ...,
        reason: Optional[str] = ...,
        http_resp: Any = ...,
        host: Optional[str] = ...,
        endpoints: Optional[Iterable[Any]] = ...,
        active_hosts: Optional[Iterable[str]] = ...,
        failures: Optional[Iterable[str]] = ...,
        strategy: Optional[str] = ...,
    ) -> None: ...

class ActivePassiveNoEndpoints(ActivePassiveException):
    """No endpoint, or one without an address (status 0)."""

class ActivePassiveDuplicateHost(ActivePassiveException):
    """Two endpoints have the same root URL (status 0)."""

class ActivePassiveNoActiveHost(ActivePassiveException):
    """No endpoint answered the probe as active (status 0)."""

class ActivePassiveMultipleActives(ActivePassiveException):
    """More than one endpoint answered the probe as active (status 0)."""

class ActivePassiveRetryExhausted(ActivePassiveException):
    """AUTO_FAILOVER: the endpoint found active after a 307 answered 307 too (status 307)."""

class ActivePassiveFailoverRequired(ActivePassiveException):
    """MANUAL_FAILOVER or ALWAYS_PROBE: the endpoint in use answered 307 (status 307)."""

class ActivePassiveUnknownHost(ActivePassiveException):
    """A request addressed to a URL under none of the endpoints (status 0)."""

def exception_for(http_resp: Any) -> ApiException: ...
def render_path(path_to_item: Sequence[Union[str, int]]) -> str: ...
def dotted_path(path_to_item: Sequence[Union[str, int]]) -> str: ...
def as_text(body: Union[str, bytes, bytearray, None]) -> Optional[str]: ...

SECRET_WORDS: str

def compiled(pattern: str) -> Pattern[str]: ...
