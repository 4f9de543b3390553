# Types of cloudtower/image_utils.py, for type checkers and editors (never imported at run time).
from typing import Dict, Optional, Union

from cloudtower.api_client import ApiClient
from cloudtower.models.content_library_image import ContentLibraryImage
from cloudtower.models.elf_image import ElfImage
from cloudtower.models.get_upload_tasks_request_body import GetUploadTasksRequestBody, GetUploadTasksRequestBodyDict
from cloudtower.models.svt_image import SvtImage
from cloudtower.models.upload_task import UploadTask
from cloudtower.utils import get_svt_image_version as get_svt_image_version

def get_elf_image_by_upload_task(
    api_client: ApiClient,
    get_upload_tasks_request_body: Union[GetUploadTasksRequestBody, GetUploadTasksRequestBodyDict],
) -> Dict[str, Optional[ElfImage]]:
    """`{upload task id: ElfImage or None}` for the SUCCESSED `ELF_IMAGE` upload tasks the body selects."""
def get_content_library_image_by_upload_task(
    api_client: ApiClient,
    get_upload_tasks_request_body: Union[GetUploadTasksRequestBody, GetUploadTasksRequestBodyDict],
) -> Dict[str, Optional[ContentLibraryImage]]:
    """`{upload task id: ContentLibraryImage or None}` for the SUCCESSED content-library upload tasks."""
def image_of_upload_task(
    api_client: ApiClient, task: UploadTask
) -> Optional[Union[ElfImage, SvtImage, ContentLibraryImage]]:
    """The image that SUCCESSED upload task `task` made, or None."""
