# Types of cloudtower/retry.py, for type checkers and editors (never imported at run time).
import logging
from typing import FrozenSet, Iterable, Tuple, Union

from urllib3.util.retry import Retry

from cloudtower.exceptions import ApiException
from cloudtower.operation import Timeout

logger: logging.Logger
DEFAULT_RETRIES: int
BACKOFF: float
BACKOFF_MAX: float
RETRY_AFTER_MAX: float
RETRY_STATUSES: FrozenSet[int]
DEFAULT_TIMEOUT: Tuple[float, float]
QUERY_PATHS: FrozenSet[str]

def is_query(method: str, url: str) -> bool:
    """True when the request only reads, so that sending it twice does no harm."""

def is_transient(error: BaseException) -> bool:
    """True for a failure that may pass if the request is sent again later."""

class RetryPolicy:
    """How often and after how long failed requests are sent again."""

    retries: int
    backoff: float
    backoff_max: float
    retry_after_max: float
    statuses: FrozenSet[int]
    respect_retry_after: bool
    def __init__(
        self,
        retries: int = ...,
        backoff: float = ...,
        backoff_max: float = ...,
        retry_after_max: float = ...,
        statuses: Iterable[int] = ...,
        respect_retry_after: bool = ...,
    ) -> None: ...
    @classmethod
    def of(cls, setting: Union[None, bool, int, RetryPolicy, Retry]) -> RetryPolicy:
        """The policy a `Configuration.retries` value stands for (None: the default)."""
    def delay(self, retry: int, error: BaseException) -> float:
        """Seconds to wait before retry number `retry` (0 for the first) after `error`."""
    def should_retry(self, error: ApiException, query: bool) -> bool:
        """True when `error` may pass and sending the request again is safe."""

DEFAULT_POLICY: RetryPolicy

class Attempts:
    """The attempts of one call: each one's timeout, and whether to wait and try again."""

    def __init__(
        self,
        policy: RetryPolicy,
        query: bool,
        timeout: Timeout = ...,
        default: Timeout = ...,
        description: str = ...,
    ) -> None: ...
    def timeout(self) -> Timeout: ...
    def wait_before_retry(self, error: ApiException) -> bool: ...
