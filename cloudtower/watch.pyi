# Types of cloudtower/watch.py, for type checkers and editors (never imported at run time).
from types import TracebackType
from typing import Iterable, Iterator, Optional, Type, Union

from cloudtower.api.resource_change_api import ResourceChangeApi
from cloudtower.api_client import ApiClient
from cloudtower.exceptions import ApiException
from cloudtower.models.resource_change_event import ResourceChangeEvent

PAGE_SIZE: int
REQUEST_TIMEOUT: float

class RevisionCompactedError(ApiException):
    """The events from `start_revision` on are gone (status 410)."""

    start_revision: int
    compact_revision: int
    def __init__(self, start_revision: int, compact_revision: int) -> None: ...

def watch(
    client: ApiClient,
    resource_types: Optional[Union[str, Iterable[str]]] = ...,
    start_revision: Optional[Union[int, str]] = ...,
    interval: float = ...,
    page_size: int = ...,
) -> Watcher:
    """A `Watcher` of resource-change events, in revision order."""

class Watcher:
    """Iterate it for the events; `revision` is the next revision it will read."""

    api: ResourceChangeApi
    resource_types: Optional[frozenset[str]]
    revision: Optional[int]
    interval: float
    page_size: int
    def __init__(
        self,
        client: ApiClient,
        resource_types: Optional[Union[str, Iterable[str]]] = ...,
        start_revision: Optional[Union[int, str]] = ...,
        interval: float = ...,
        page_size: int = ...,
    ) -> None: ...
    def stop(self) -> None:
        """End the iteration (safe from any thread)."""
    @property
    def stopped(self) -> bool: ...
    def __enter__(self) -> Watcher: ...
    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc_value: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None: ...
    def __iter__(self) -> Iterator[ResourceChangeEvent]: ...
