# Types of cloudtower/active_passive_client.py, for type checkers and editors (never imported at run time).
import logging
from typing import Any, ClassVar, Iterable, List, Mapping, Optional, Tuple, Union

from typing_extensions import Literal, TypeAlias, TypedDict

from cloudtower.api_client import ApiClient
from cloudtower.configuration import Configuration
from cloudtower.exceptions import ActivePassiveDuplicateHost as ActivePassiveDuplicateHost
from cloudtower.exceptions import ActivePassiveException as ActivePassiveException
from cloudtower.exceptions import ActivePassiveFailoverRequired as ActivePassiveFailoverRequired
from cloudtower.exceptions import ActivePassiveMultipleActives as ActivePassiveMultipleActives
from cloudtower.exceptions import ActivePassiveNoActiveHost as ActivePassiveNoActiveHost
from cloudtower.exceptions import ActivePassiveNoEndpoints as ActivePassiveNoEndpoints
from cloudtower.exceptions import ActivePassiveRetryExhausted as ActivePassiveRetryExhausted
from cloudtower.exceptions import ActivePassiveUnknownHost as ActivePassiveUnknownHost
from cloudtower.operation import Timeout
from cloudtower.rest import RESTClientObject

logger: logging.Logger
DEFAULT_PROBE_TIMEOUT: int
DEFAULT_SCHEME: str
TEMPORARY_REDIRECT: int

StrategyValue: TypeAlias = Literal["auto_failover", "manual_failover", "always_probe"]

class FailoverStrategy:
    """What an `ActivePassiveApiClient` does when the endpoint it uses answers 307."""

    AUTO_FAILOVER: ClassVar[Literal["auto_failover"]]
    MANUAL_FAILOVER: ClassVar[Literal["manual_failover"]]
    ALWAYS_PROBE: ClassVar[Literal["always_probe"]]
    ALL: ClassVar[Tuple[str, ...]]

class EndpointDict(TypedDict, total=False):
    """An endpoint given as `Configuration` keywords."""

    host: str
    root_url: str
    base_url: str
    scheme: str
    api_path: str
    probe_path: str

class UserConfig(TypedDict, total=False):
    """Who `user_config` logs in as: `name`, `password`, `source` (`LOCAL` by default)."""

    name: str
    password: str
    source: str

EndpointSpec: TypeAlias = Union[str, Configuration, EndpointDict]

class Endpoint:
    """One management endpoint: configuration, connection pool, API, root and probe URLs."""

    configuration: Configuration
    root_url: str
    host: str
    probe_url: str
    rest_client: RESTClientObject
    def __init__(self, configuration: Configuration) -> None: ...
    def relative(self, url: str) -> Optional[Tuple[str, str]]: ...
    def url(self, base: str, rest_of_url: str) -> str: ...

class ActivePassiveApiClient(ApiClient):
    """An `ApiClient` that sends each request to the active endpoint, failing over on 307."""

    failover_strategy: str
    probe_timeout: float
    def __init__(
        self,
        endpoints: Iterable[EndpointSpec],
        user_config: Union[UserConfig, Mapping[str, str], Any, None] = ...,
        probe_timeout: Optional[float] = ...,
        failover_strategy: Optional[StrategyValue] = ...,
        configuration: Optional[Configuration] = ...,
        header_name: Optional[str] = ...,
        header_value: Optional[str] = ...,
        cookie: Optional[str] = ...,
        pool_threads: int = ...,
    ) -> None: ...
    @property
    def current_active_base_url(self) -> Optional[str]:
        """The root URL of the endpoint in use, or None when none is (yet)."""
    @property
    def endpoints(self) -> List[str]:
        """The root URLs of the endpoints, in the order given."""
    def discover(self) -> str:
        """Probe every endpoint now and use the active one; returns its root URL."""
    def do_probe(self, url: str, timeout: Optional[float] = ...) -> bool: ...
    def request(
        self,
        method: str,
        url: str,
        query_params: Any = ...,
        headers: Optional[Mapping[str, str]] = ...,
        post_params: Any = ...,
        body: Any = ...,
        _preload_content: bool = ...,
        _request_timeout: Timeout = ...,
        redirect: Optional[bool] = ...,
    ) -> Any:
        """Send one request to the same path on the active endpoint, failing over as the strategy says."""
    def close(self) -> None: ...
