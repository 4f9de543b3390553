# Types of the simulator's public API, for type checkers and editors (never imported at run time).
from types import TracebackType
from typing import Any, Deque, Iterable, List, Optional, Sequence, Tuple, Type, Union

from typing_extensions import Literal

from cloudtower.api_client import ApiClient

__all__ = ["Simulator"]

# A request the simulator answered: (method, path, headers, body, status; 0: dropped).
JournalEntry = Tuple[str, str, Any, Any, int]
FaultKind = Literal["latency", "status", "drop", "malformed", "task"]

class Fault:
    """One fault rule (see `Faults.add`)."""

    kind: FaultKind
    operation: Optional[str]
    count: Optional[int]
    fraction: Optional[float]
    status: int
    retry_after: Optional[float]
    latency: float
    message: Optional[str]

class Faults:
    """The active fault rules of a simulator."""

    rules: List[Fault]
    def add(
        self,
        kind: FaultKind,
        operation: Optional[str] = ...,
        count: Optional[int] = ...,
        fraction: Optional[float] = ...,
        *,
        status: int = ...,
        retry_after: Optional[float] = ...,
        latency: float = ...,
        message: Optional[str] = ...,
    ) -> Fault:
        """Add a rule and return it. Raises ValueError for an unknown operation."""
    def clear(self) -> None:
        """Remove every rule."""

class Simulator:
    """A simulated CloudTower serving HTTP on loopback, in threads of this process."""

    seed: str
    task_delay: Optional[float]
    host: str
    port: int
    users: List[Union[str, Sequence[str]]]
    state_path: Optional[str]
    cert: Optional[str]
    key: Optional[str]
    vms: Optional[int]
    endpoints: int
    active_endpoint: int
    ports: List[int]
    faults: Faults
    freeze_gc: bool
    requests: Deque[JournalEntry]
    catalog: Any
    store: Any
    tasks: Any
    clock: Any
    def __init__(
        self,
        seed: str = ...,
        task_delay: Optional[float] = ...,
        host: str = ...,
        port: int = ...,
        users: Iterable[Union[str, Sequence[str]]] = ...,
        state: Optional[str] = ...,
        cert: Optional[str] = ...,
        key: Optional[str] = ...,
        vms: Optional[int] = ...,
        max_events: int = ...,
        journal_size: int = ...,
        freeze_gc: bool = ...,
        idle_timeout: Optional[float] = ...,
        compact_after: Optional[int] = ...,
        endpoints: int = ...,
    ) -> None: ...
    def add_ldap_user(self, username: str, password: str) -> None:
        """Add a user of the simulated LDAP server."""
    def start(self) -> Simulator:
        """Start serving; returns the simulator."""
    def stop(self) -> None:
        """Stop serving (and save the state, if it is kept in a file)."""
    def __enter__(self) -> Simulator: ...
    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc_value: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None: ...
    @property
    def url(self) -> str:
        """The API base URL (`http://127.0.0.1:<port>/v2/api`) of the active endpoint."""
    @property
    def urls(self) -> List[str]:
        """The API base URL of every endpoint, in endpoint order (not by role)."""
    @property
    def root_urls(self) -> List[str]:
        """The root URL of every endpoint (`http://127.0.0.1:<port>`)."""
    def failover(self) -> str:
        """Make the next endpoint the active one; returns its API base URL."""
    def client(self, username: str = ..., password: str = ..., source: str = ..., **settings: Any) -> ApiClient:
        """An `ApiClient` for this simulator, logged in."""
    def advance_tasks(self) -> None:
        """End every running task now (as if its time had come)."""
    def reset(self) -> None:
        """Back to the seed: every change, task and fault is gone (login tokens stay valid)."""
    def handle(self, request: Any) -> Any: ...
    def journal(self, request: Any, response: Any) -> None: ...
    def check_password(self, username: str, password: str) -> Optional[str]: ...
    def changed(self) -> None: ...
    def save(self) -> None:
        """Write the state file now (atomically), if there is one."""
