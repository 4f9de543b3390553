# Types of cloudtower/polling.py, for type checkers and editors (never imported at run time).
from typing import FrozenSet, Optional, TypeVar

TRANSIENT_STATUSES: FrozenSet[int]
LAST_REQUEST_TIMEOUT: float

def is_transient(error: BaseException) -> bool:
    """True when `error` (raised by an API call) is worth trying again after a wait."""
def describe(error: BaseException) -> str:
    """A one-line description of an error for a log line."""

_Seconds = TypeVar("_Seconds", int, float)

class Deadline:
    """A point in time `seconds` from now; None: never."""

    seconds: Optional[float]
    def __init__(self, seconds: Optional[float]) -> None: ...
    def left(self) -> Optional[float]: ...
    def passed(self) -> bool: ...
    def request_timeout(self, default: Optional[float] = ...) -> Optional[float]: ...
    def cap(self, seconds: float) -> float: ...

class Backoff:
    """Waits that start at `first` seconds and double up to `cap`."""

    first: float
    cap: float
    jitter: bool
    def __init__(self, first: float, cap: float, jitter: bool = ...) -> None: ...
    def next(self) -> float: ...
    def reset(self) -> None: ...
