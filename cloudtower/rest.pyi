# Types of cloudtower/rest.py, for type checkers and editors (never imported at run time).
import io
import logging
from typing import Any, Dict, FrozenSet, Mapping, Optional, Sequence, Tuple, Union

import urllib3

from cloudtower.configuration import Configuration
from cloudtower.exceptions import ApiException as ApiException
from cloudtower.exceptions import ApiValueError as ApiValueError
from cloudtower.exceptions import ForbiddenException as ForbiddenException
from cloudtower.exceptions import NotFoundException as NotFoundException
from cloudtower.exceptions import ServiceException as ServiceException
from cloudtower.exceptions import UnauthorizedException as UnauthorizedException
from cloudtower.operation import Timeout

# The headers of an answer (urllib3's case-insensitive `HTTPHeaderDict`).
HTTPHeaders = Mapping[str, str]

logger: logging.Logger
REDACTED: str
SENSITIVE_HEADERS: FrozenSet[str]

class RESTResponse(io.IOBase):
    """An answer whose body was read in full: `status`, `reason`, `data`, headers."""

    urllib3_response: urllib3.HTTPResponse
    status: int
    reason: Optional[str]
    # The bytes received; text once an Api method or call_api has read it (`last_response.data`).
    data: Union[bytes, str]
    def __init__(self, resp: urllib3.HTTPResponse) -> None: ...
    @property
    def headers(self) -> HTTPHeaders: ...
    def getheaders(self) -> HTTPHeaders: ...
    def getheader(self, name: str, default: Optional[str] = ...) -> Optional[str]: ...

_Params = Union[Mapping[str, Any], Sequence[Tuple[str, Any]], None]

class RESTClientObject:
    """A urllib3 pool manager set up from a `Configuration` (TLS, proxy, pool size, retries)."""

    pool_manager: urllib3.PoolManager
    def __init__(self, configuration: Configuration, pools_size: int = ..., maxsize: Optional[int] = ...) -> None: ...
    def request(
        self,
        method: str,
        url: str,
        query_params: _Params = ...,
        headers: Optional[Mapping[str, str]] = ...,
        body: Any = ...,
        post_params: _Params = ...,
        _preload_content: bool = ...,
        _request_timeout: Timeout = ...,
        redirect: Optional[bool] = ...,
    ) -> Any: ...
    def GET(self, url: str, headers: Optional[Mapping[str, str]] = ..., query_params: _Params = ...,
            _preload_content: bool = ..., _request_timeout: Timeout = ..., redirect: Optional[bool] = ...) -> Any: ...
    def HEAD(self, url: str, headers: Optional[Mapping[str, str]] = ..., query_params: _Params = ...,
             _preload_content: bool = ..., _request_timeout: Timeout = ..., redirect: Optional[bool] = ...) -> Any: ...
    def DELETE(self, url: str, headers: Optional[Mapping[str, str]] = ..., query_params: _Params = ...,
               body: Any = ..., _preload_content: bool = ..., _request_timeout: Timeout = ..., redirect: Optional[bool] = ...) -> Any: ...
    def OPTIONS(self, url: str, headers: Optional[Mapping[str, str]] = ..., query_params: _Params = ...,
                post_params: _Params = ..., body: Any = ..., _preload_content: bool = ...,
                _request_timeout: Timeout = ..., redirect: Optional[bool] = ...) -> Any: ...
    def POST(self, url: str, headers: Optional[Mapping[str, str]] = ..., query_params: _Params = ...,
             post_params: _Params = ..., body: Any = ..., _preload_content: bool = ...,
             _request_timeout: Timeout = ..., redirect: Optional[bool] = ...) -> Any: ...
    def PUT(self, url: str, headers: Optional[Mapping[str, str]] = ..., query_params: _Params = ...,
            post_params: _Params = ..., body: Any = ..., _preload_content: bool = ...,
            _request_timeout: Timeout = ..., redirect: Optional[bool] = ...) -> Any: ...
    def PATCH(self, url: str, headers: Optional[Mapping[str, str]] = ..., query_params: _Params = ...,
              post_params: _Params = ..., body: Any = ..., _preload_content: bool = ...,
              _request_timeout: Timeout = ..., redirect: Optional[bool] = ...) -> Any: ...
    def clear(self) -> None: ...

def redact_headers(headers: Mapping[str, str]) -> Dict[str, str]: ...
def default_ca_certs() -> Optional[str]: ...
def transport_error(error: BaseException, method: str, url: str) -> ApiException: ...
def redact(data: Any) -> Any: ...
