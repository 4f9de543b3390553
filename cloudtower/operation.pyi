# Types of cloudtower/operation.py, for type checkers and editors (never imported at run time).
from typing import IO, Any, Callable, Dict, FrozenSet, Iterable, Mapping, Optional, Tuple, TypeVar, Union

from typing_extensions import Literal, Required, TypeAlias, TypedDict

from cloudtower.api_client import ApiClient

REQUEST_OPTIONS: FrozenSet[str]

# What `_request_timeout` takes: seconds for the whole call, or a (connect, read) pair per attempt.
Timeout: TypeAlias = Union[None, float, Tuple[float, float]]
# A file part of a multipart body: a path, a file object, bytes, or a (file name, data) pair.
FileValue: TypeAlias = Union[str, bytes, IO[bytes], Tuple[str, Union[bytes, IO[bytes]]]]

class _Options(TypedDict, total=False):
    _return_http_data_only: bool
    _request_timeout: Timeout
    _request_auth: Optional[Dict[str, Any]]
    _content_type: Optional[str]
    _headers: Optional[Dict[str, str]]
    _request_redirect: Optional[bool]

class RequestOptions(_Options, total=False):
    """The keywords every Api method takes (`**options`): how to send the request."""

    async_req: bool
    _preload_content: bool

# What an Api method returns depends on two options; each overload of a method takes one of these.
class SyncOptions(_Options, total=False):
    """The answer, decoded (the default)."""

    async_req: Literal[False]
    _preload_content: Literal[True]

class AsyncOptions(_Options, total=False):
    """`async_req=True`: an `ApplyResult` whose `.get()` gives the answer."""

    async_req: Required[Literal[True]]
    _preload_content: Literal[True]

class RawOptions(_Options, total=False):
    """`_preload_content=False`: the raw urllib3 response."""

    async_req: Literal[False]
    _preload_content: Required[Literal[False]]

class AsyncRawOptions(_Options, total=False):
    """Both: an `ApplyResult` of the raw urllib3 response."""

    async_req: Required[Literal[True]]
    _preload_content: Required[Literal[False]]

class Operation:
    """What one API operation needs: its path, parameters and the type of its answer."""

    name: str
    path: str
    method: str
    returns: Optional[str]
    body: Optional[str]
    form: Tuple[Tuple[str, str], ...]
    query: Tuple[Tuple[str, str], ...]
    headers: Tuple[Tuple[str, str, str], ...]
    auth: Optional[str]
    deprecated: bool
    required: Tuple[str, ...]
    optional: FrozenSet[str]
    def __init__(
        self,
        name: str,
        path: str,
        method: str,
        returns: Optional[str],
        body: Optional[str],
        form: Iterable[Tuple[str, str]],
        query: Iterable[Tuple[str, str]],
        headers: Iterable[Tuple[str, str, str]],
        auth: Optional[str],
        deprecated: bool,
        required: Iterable[str],
    ) -> None: ...
    def bind(
        self, args: Tuple[Any, ...], kwargs: Mapping[str, Any], validate: bool = ...
    ) -> Tuple[Dict[str, Any], Dict[str, Any]]:
        """Split a call's arguments into the operation's parameters and the request options."""

_F = TypeVar("_F", bound=Callable[..., Any])

def operation(
    path: str,
    returns: Optional[str] = ...,
    body: Optional[str] = ...,
    method: str = ...,
    form: Iterable[Tuple[str, str]] = ...,
    query: Iterable[Tuple[str, str]] = ...,
    headers: Iterable[Tuple[str, str, str]] = ...,
    auth: Optional[str] = ...,
    deprecated: bool = ...,
) -> Callable[[_F], _F]: ...
def renamed(method: _F, old: str, new: str) -> _F:
    """Api method `method` under `old`, the name an older release gave it (warns once, naming `new`)."""
def warn_renamed(old: str, new: str) -> None:
    """Warn, once per process and name, that `old` is deprecated, naming `new`."""

class Api:
    """Base of the generated Api classes: holds the `ApiClient` that sends the requests."""

    api_client: ApiClient
    def __init__(self, api_client: Optional[ApiClient] = ...) -> None: ...
