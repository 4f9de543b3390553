# Types of cloudtower/locks.py, for type checkers and editors (never imported at run time).
from typing import Any, Callable, Dict, Iterable, Optional, TypeVar

from cloudtower.api_client import ApiClient
from cloudtower.polling import Deadline

_Call = TypeVar("_Call", bound=Callable[..., Any])

FIRST_CHECK_INTERVAL: float

def when_unlocked(method: _Call, timeout: float = ..., interval: float = ...,
                  api_client: Optional[ApiClient] = ...) -> _Call:
    """`method`, made to wait out resource locks (see the module's docstring)."""
def wait_until_free(api_client: ApiClient, resources: Iterable[Dict[str, Any]], deadline: Deadline,
                    interval: float = ...) -> bool:
    """Poll `resources` until none has an `entity_async_status`; False if `deadline` passed first."""
