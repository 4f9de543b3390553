"""The images that uploads made, found from their upload tasks (as `cloudtower.image_utils` of
the official SDK offers, working), and the version a VMTools ISO carries.

An ended upload task names what it made in its `args`: `resource_id` (the image's id), or, as
CloudTower has written it, `attributes.uuid` (an ELF image's `local_id`),
`uploadElfImageLocalIds` or `uploadIscsiLunZbsVolumeIds` (of a content-library image's ELF
images or iSCSI LUNs). Each is tried, in that order.
"""
from __future__ import absolute_import

import logging

from cloudtower.utils import get_svt_image_version  # noqa: F401 - offered here too, as the official SDK does

logger = logging.getLogger("cloudtower.image_utils")


def get_elf_image_by_upload_task(api_client, get_upload_tasks_request_body):
    """`{upload task id: ElfImage or None}` for the SUCCESSED `ELF_IMAGE` upload tasks the body
    (`GetUploadTasksRequestBody` or a dict of it) selects; other tasks are left out, with a
    warning."""
    return _images_by_upload_task(api_client, get_upload_tasks_request_body, "ELF_IMAGE")


def get_content_library_image_by_upload_task(api_client, get_upload_tasks_request_body):
    """`{upload task id: ContentLibraryImage or None}` for the SUCCESSED `CONTENT_LIBRARY_IMAGE`
    upload tasks the body selects; other tasks are left out, with a warning."""
    return _images_by_upload_task(api_client, get_upload_tasks_request_body, "CONTENT_LIBRARY_IMAGE")


def image_of_upload_task(api_client, task):
    """The image (`ElfImage`, `SvtImage` or `ContentLibraryImage`) that SUCCESSED upload task
    `task` (an `UploadTask`) made, or None when it is not (or not yet) there."""
    lookup = _LOOKUPS.get(task.resource_type)
    if lookup is None:
        return None
    query, conditions = lookup
    args = task.args if isinstance(task.args, dict) else {}
    for condition in conditions:
        where = condition(args)
        if where is not None:
            found = query(api_client)({"where": where, "first": 1})
            if found:
                return found[0]
    return None


def _images_by_upload_task(api_client, body, resource_type):
    from cloudtower.api.upload_task_api import UploadTaskApi
    images = {}
    for task in UploadTaskApi(api_client).get_upload_tasks(body):
        if task.resource_type != resource_type:
            logger.warning("upload task %s is of type %s, not %s", task.id, task.resource_type, resource_type)
        elif task.status != "SUCCESSED":
            logger.warning("upload task %s is %s, not SUCCESSED", task.id, task.status)
        else:
            images[task.id] = image_of_upload_task(api_client, task)
    return images


def _first(args, key):
    values = args.get(key)
    if isinstance(values, list):
        return values[0] if values else None
    return values or None


def _by_id(args):
    return {"id": args["resource_id"]} if args.get("resource_id") else None


def _elf_by_local_id(args):
    attributes = args.get("attributes") if isinstance(args.get("attributes"), dict) else {}
    return {"local_id": attributes["uuid"]} if attributes.get("uuid") else None


def _library_by_elf_image(args):
    local_id = _first(args, "uploadElfImageLocalIds")
    return {"elf_images_some": {"local_id": local_id}} if local_id else None


def _library_by_lun(args):
    volume_id = _first(args, "uploadIscsiLunZbsVolumeIds")
    return {"iscsi_luns_some": {"zbs_volume_id": volume_id}} if volume_id else None


def _query(api_name, method_name):
    def bind(api_client):
        from cloudtower import api
        return getattr(getattr(api, api_name)(api_client), method_name)
    return bind


# upload resource type -> (the query of what it makes, the ways of finding it from args)
_LOOKUPS = {
    "ELF_IMAGE": (_query("ElfImageApi", "get_elf_images"), (_by_id, _elf_by_local_id)),
    "SVT_IMAGE": (_query("SvtImageApi", "get_svt_images"), (_by_id, _elf_by_local_id)),
    "CONTENT_LIBRARY_IMAGE": (_query("ContentLibraryImageApi", "get_content_library_images"),
                              (_by_id, _library_by_elf_image, _library_by_lun)),
}
