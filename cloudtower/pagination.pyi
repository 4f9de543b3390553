# Types of cloudtower/pagination.py, for type checkers and editors (never imported at run time).
from typing import Any, Callable, Generic, Iterator, List, Mapping, Optional, TypeVar, Union

from cloudtower.model import Model
from cloudtower.operation import Operation

_Item = TypeVar("_Item")

DEFAULT_PAGE_SIZE: int
DEFAULT_ORDER: str
RESUME_PROBE: int

def paginate(
    method: Callable[..., List[_Item]],
    body: Optional[Union[Mapping[str, Any], Model]] = ...,
    page_size: int = ...,
    **options: Any,
) -> Paginator[_Item]:
    """A `Paginator` over every resource `method` (a `get_*` query of an Api object) matches."""

class Paginator(Generic[_Item]):
    """Iterate it for the resources; `pages()` gives them a page at a time, `count()` how many."""

    method: Callable[..., List[_Item]]
    operation: Operation
    page_size: int
    options: Mapping[str, Any]
    where: Optional[Mapping[str, Any]]
    order_by: str
    start_after: Optional[str]
    def __init__(
        self,
        method: Callable[..., List[_Item]],
        body: Optional[Union[Mapping[str, Any], Model]] = ...,
        page_size: int = ...,
        options: Optional[Mapping[str, Any]] = ...,
    ) -> None: ...
    def __iter__(self) -> Iterator[_Item]: ...
    def pages(self) -> Iterator[List[_Item]]:
        """The resources, a page (a list of at most `page_size`) at a time."""
    def count(self) -> int:
        """How many resources match `where` now."""
