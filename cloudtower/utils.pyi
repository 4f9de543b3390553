# Types of cloudtower/utils.py, for type checkers and editors (never imported at run time).
import logging
from typing import List, Optional, Sequence, overload

from typing_extensions import Literal

from cloudtower.api_client import ApiClient
from cloudtower.models.task import Task

logger: logging.Logger
SVT_VERSION_OFFSET: int
SVT_VERSION_LENGTH: int

def wait_tasks(
    ids: Sequence[Optional[str]],
    api_client: ApiClient,
    interval: float = ...,
    timeout: float = ...,
    exit_on_error: bool = ...,
) -> List[Task]:
    """Poll the tasks `ids` until every one has ended; return them (as `Task` models)."""

@overload
def wait_task(id: str, api_client: ApiClient, interval: float = ..., timeout: float = ...) -> Task:
    """Poll task `id` until it ends and return it; raises like `wait_tasks` (408, 500)."""
@overload
def wait_task(id: None, api_client: ApiClient, interval: float = ..., timeout: float = ...) -> None: ...

def login(api_client: ApiClient, username: str, password: str, source: Literal["LOCAL", "LDAP", "AUTHN"] = ...) -> None:
    """Log in and keep the token in `api_client.configuration.api_key["Authorization"]`."""

def get_svt_image_version(path: str) -> str:
    """The version text stored in a VMTools (SVT) ISO file at `path`."""
