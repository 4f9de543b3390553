# Types of cloudtower/utils.py, for type checkers and editors (never imported at run time).
import logging
from typing import Callable, List, Optional, Sequence, overload

from typing_extensions import Literal

from cloudtower.api_client import ApiClient
from cloudtower.exceptions import TaskNotFoundException as TaskNotFoundException
from cloudtower.locks import when_unlocked as when_unlocked
from cloudtower.models.task import Task
from cloudtower.pagination import Paginator as Paginator, paginate as paginate
from cloudtower.uploads import UploadError as UploadError
from cloudtower.uploads import upload_content_library_image as upload_content_library_image
from cloudtower.uploads import upload_elf_image as upload_elf_image, upload_svt_image as upload_svt_image
from cloudtower.watch import RevisionCompactedError as RevisionCompactedError, Watcher as Watcher, watch as watch

logger: logging.Logger
SVT_VERSION_OFFSET: int
SVT_VERSION_LENGTH: int
ENDED: frozenset[str]
FIRST_POLL_INTERVAL: float

def wait_tasks(
    ids: Sequence[Optional[str]],
    api_client: ApiClient,
    interval: float = ...,
    timeout: float = ...,
    exit_on_error: bool = ...,
    progress: Optional[Callable[[List[Task]], object]] = ...,
) -> List[Task]:
    """Poll the tasks `ids` until every one has ended; return them (as `Task` models)."""

@overload
def wait_task(id: str, api_client: ApiClient, interval: float = ..., timeout: float = ...,
              progress: Optional[Callable[[Task], object]] = ...) -> Task:
    """Poll task `id` until it ends and return it; raises like `wait_tasks` (404, 500, 408)."""
@overload
def wait_task(id: None, api_client: ApiClient, interval: float = ..., timeout: float = ...,
              progress: Optional[Callable[[Task], object]] = ...) -> None: ...

def login(api_client: ApiClient, username: str, password: str, source: Literal["LOCAL", "LDAP", "AUTHN"] = ...) -> None:
    """Log in and keep the token in `api_client.configuration.api_key["Authorization"]`."""

def get_svt_image_version(path: str) -> str:
    """The version text stored in a VMTools (SVT) ISO file at `path`."""
