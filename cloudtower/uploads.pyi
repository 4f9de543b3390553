# Types of cloudtower/uploads.py, for type checkers and editors (never imported at run time).
from typing import Any, Callable, Iterable, Mapping, Optional, Union

from cloudtower.api_client import ApiClient
from cloudtower.exceptions import ApiException
from cloudtower.models.content_library_image import ContentLibraryImage
from cloudtower.models.elf_image import ElfImage
from cloudtower.models.svt_image import SvtImage
from cloudtower.models.upload_task import UploadTask

DEFAULT_CHUNK_SIZE: int
RETRIES: int

Progress = Callable[[int, int], object]

class UploadError(ApiException):
    """An upload could not go on, or its task ended FAILED; `upload_task_id` resumes it."""

    upload_task_id: Optional[str]
    cause: Optional[BaseException]
    def __init__(self, message: str, upload_task_id: Optional[str] = ..., cause: Optional[BaseException] = ...,
                 status: Optional[int] = ...) -> None: ...

def upload_elf_image(
    client: ApiClient,
    path: str,
    cluster_id: str,
    name: Optional[str] = ...,
    description: Optional[str] = ...,
    progress: Optional[Progress] = ...,
    upload_task_id: Optional[str] = ...,
    chunk_size: Optional[int] = ...,
    timeout: float = ...,
) -> ElfImage:
    """Upload the ISO at `path` as an ELF image of cluster `cluster_id`; the `ElfImage`."""
def upload_svt_image(
    client: ApiClient,
    path: str,
    cluster_id: str,
    name: Optional[str] = ...,
    version: Optional[str] = ...,
    progress: Optional[Progress] = ...,
    upload_task_id: Optional[str] = ...,
    chunk_size: Optional[int] = ...,
    timeout: float = ...,
) -> SvtImage:
    """Upload the VMTools ISO at `path` as an SVT image of cluster `cluster_id`; the `SvtImage`."""
def upload_content_library_image(
    client: ApiClient,
    path: str,
    clusters: Union[Iterable[str], Mapping[str, Any]],
    name: Optional[str] = ...,
    description: Optional[str] = ...,
    progress: Optional[Progress] = ...,
    upload_task_id: Optional[str] = ...,
    chunk_size: Optional[int] = ...,
    timeout: float = ...,
) -> ContentLibraryImage:
    """Upload the image at `path` into the content library of `clusters`."""
def upload(
    method: Callable[..., Any],
    path: str,
    fields: Mapping[str, Any],
    progress: Optional[Progress] = ...,
    upload_task_id: Optional[str] = ...,
    chunk_size: Optional[int] = ...,
    timeout: float = ...,
) -> UploadTask:
    """Upload the file at `path` with the chunked upload operation `method`; the ended task."""
