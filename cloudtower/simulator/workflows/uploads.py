"""Chunked uploads: ISO images (`/upload-elf-image`), VMTools images (`/upload-svt-image`),
content-library images (`/upload-content-library-image`) and OVF files (`/upload-elf-file`).

The first call (no `upload_task_id`) names the file (`size`: its whole size, a string, in bytes
unless `size_unit` says otherwise) and carries its first chunk; it makes an `UploadTask`
(`INITIALIZING`, then `UPLOADING` once the chunk is kept). Each next call carries
`upload_task_id` and the next chunk. Every chunk but the last must have exactly `chunk_size`
bytes (`store.settings["upload_chunk_size"]`, 8 MiB unless set), the last exactly what remains;
another size is a 400 that leaves the task as it was. When every byte is there the task is
`SUCCESSED`, and the resource exists: an `ElfImage`; an `SvtImage` whose version is read from
the ISO (the text at byte 32*1024+190, 128 bytes, as `cloudtower.utils.get_svt_image_version`
reads it; the form's `version` when the ISO has none); a `ContentLibraryImage` on the clusters
of `clusters` (a JSON list of ids, a JSON ClusterWhereInput, or ids separated by commas), with an
`ElfImage` on each; an OVF file is only kept. The task's `args` keep the form fields, and at the
end `resource_id` and `path`.

Received bytes stay in memory (never in the saved state): after a restart an unfinished upload
cannot go on and is answered with a 400.
"""
from __future__ import absolute_import

import json
import re
import weakref

from cloudtower.simulator.handlers import handles
from cloudtower.simulator.workflows.common import UNITS, identity, now
from cloudtower.utils import SVT_VERSION_LENGTH, SVT_VERSION_OFFSET

DEFAULT_CHUNK_SIZE = 8 * 1024 * 1024
IMAGE_DIR = "/usr/share/smartx/images/"
_BUFFERS = weakref.WeakKeyDictionary()   # store -> {upload task id: bytearray}


def _buffers(store):
    buffers = _BUFFERS.get(store)
    if buffers is None:
        buffers = _BUFFERS[store] = {}
    return buffers


def _number(ctx, form, field):
    try:
        return int(form.get(field) or "")
    except ValueError:
        ctx.fail(400, "bad_field", field=field, value=form.get(field))


def _start(ctx, form, resource_type, filename):
    """A new upload task (not stored yet: the first chunk is checked first)."""
    unit = form.get("size_unit") or "B"
    if unit not in UNITS:
        ctx.fail(400, "bad_field", field="size_unit", value=unit)
    size = _number(ctx, form, "size") * UNITS[unit]
    for field in UPLOADS[ctx.operation.path][1]:
        if not form.get(field):
            ctx.fail(400, "bad_field", field=field, value=form.get(field))
    if form.get("cluster_id"):
        ctx.one("Cluster", form["cluster_id"])
    if form.get("clusters"):
        _cluster_ids(ctx, form["clusters"])
    args = dict((key, value) for key, value in form.items() if key not in ("file", "upload_task_id"))
    args["filename"] = filename
    chunk_size = int(ctx.store.settings.get("upload_chunk_size") or DEFAULT_CHUNK_SIZE)
    return {"status": "INITIALIZING", "size": size, "chunk_size": chunk_size, "current_chunk": 0,
            "resource_type": resource_type, "args": args, "started_at": now(ctx), "finished_at": None}


def upload(ctx, form):
    resource_type, _, finish = UPLOADS[ctx.operation.path]
    filename, chunk = form.get("file") if isinstance(form.get("file"), tuple) else ("", b"")
    buffers = _buffers(ctx.store)
    task_id = form.get("upload_task_id")
    if task_id:
        task = ctx.one("UploadTask", task_id)
        if task["status"] not in ("INITIALIZING", "UPLOADING"):
            ctx.fail(400, "upload_ended", id=task_id, state=task["status"])
        if task_id not in buffers:
            ctx.fail(400, "upload_lost", id=task_id)
        received = buffers[task_id]
    else:
        task, received = _start(ctx, form, resource_type, filename), bytearray()
    expected = min(task["chunk_size"], task["size"] - len(received))
    if len(chunk) != expected:
        ctx.fail(400, "chunk_size", index=task["current_chunk"], id=task.get("id") or "(new)", got=len(chunk),
                 expected=expected, chunk_size=task["chunk_size"])
    if not task_id:
        task = ctx.store.create("UploadTask", task)
        buffers[task["id"]] = received
    received.extend(chunk)
    values = {"status": "UPLOADING", "current_chunk": task["current_chunk"] + 1}
    if len(received) == task["size"]:
        resource = finish(ctx, task["args"], bytes(received), task["size"]) or {}
        del buffers[task["id"]]
        args = dict(task["args"], resource_id=resource.get("id"),
                    path=resource.get("path") or IMAGE_DIR + task["id"])
        values.update(status="SUCCESSED", finished_at=now(ctx), args=args)
    task = ctx.store.update("UploadTask", task["id"], values)
    answer = ctx.render("UploadTask", task)
    return [answer] if (ctx.operation.returns or "").startswith("list[") else answer


def _image(ctx, type_name, args, size, **values):
    values.update(identity(ctx, type_name), name=args.get("name") or args["filename"], size=size,
                  description=args.get("description") or "")
    values["path"] = IMAGE_DIR + (values.get("local_id") or ctx.store.new_id())
    fields = ctx.catalog.resources[type_name].fields
    values = dict((key, value) for key, value in values.items() if key in fields)
    return ctx.store.create(type_name, values)


def _elf_image(ctx, args, data, size):
    return _image(ctx, "ElfImage", args, size, cluster=args["cluster_id"])


def svt_version(data, fallback=None):
    """The version of a VMTools ISO as the schema's int32: the text as a number, or a dotted
    version `a.b.c` as a*10000 + b*100 + c (`fallback`: the text when the ISO has none)."""
    text = data[SVT_VERSION_OFFSET:SVT_VERSION_OFFSET + SVT_VERSION_LENGTH].decode("utf-8", "replace")
    text = text.strip().strip("\x00").strip() or (fallback or "")
    if text.isdigit():
        version = int(text)
    else:
        numbers = [int(part) for part in re.findall(r"\d+", text)[:3]]
        version = sum(number * 100 ** (2 - index) for index, number in enumerate(numbers))
    return min(version, 2 ** 31 - 1)


def _svt_image(ctx, args, data, size):
    version = svt_version(data, args.get("version"))
    return _image(ctx, "SvtImage", args, size, cluster=args["cluster_id"], version=version)


def _cluster_ids(ctx, text):
    try:
        value = json.loads(text)
    except ValueError:
        value = [item.strip() for item in text.split(",") if item.strip()]
    if isinstance(value, dict):
        return [record["id"] for record in ctx.select("Cluster", value, "clusters")]
    ids = value if isinstance(value, list) else [value]
    return [ctx.one("Cluster", cluster_id)["id"] for cluster_id in ids]


def _content_library_image(ctx, args, data, size):
    clusters = _cluster_ids(ctx, args["clusters"])
    image = _image(ctx, "ContentLibraryImage", args, size, clusters=clusters, createdAt=now(ctx))
    elf_images = [_image(ctx, "ElfImage", args, size, cluster=cluster, content_library_image=image["id"])
                  for cluster in clusters]
    return ctx.store.update("ContentLibraryImage", image["id"],
                            {"elf_image_uuids": [elf_image["local_id"] for elf_image in elf_images]})


# path -> (UploadResourceType, the form fields a first call needs, what the whole file makes)
UPLOADS = {
    "/upload-elf-image": ("ELF_IMAGE", ("cluster_id",), _elf_image),
    "/upload-svt-image": ("SVT_IMAGE", ("cluster_id",), _svt_image),
    "/upload-content-library-image": ("CONTENT_LIBRARY_IMAGE", ("clusters",), _content_library_image),
    "/upload-elf-file": ("OVF", ("cluster_id",), lambda ctx, args, data, size: None),  # kept for import
}
handles(*UPLOADS)(upload)


@handles("/cancel-upload-task")
def cancel_upload_task(ctx, body):
    """Stop uploads: their tasks and received bytes are gone; answers their ids."""
    tasks = ctx.select("UploadTask", body["where"])
    for task in tasks:
        _buffers(ctx.store).pop(task["id"], None)
        ctx.store.delete("UploadTask", task["id"])
    return [task["id"] for task in tasks]
