"""Uploading images: an ISO as an ELF image, a VMTools ISO as an SVT image, an image into the
content library.

CloudTower takes a file in chunks: the first request names the file and carries the first chunk,
and answers an `UploadTask` whose `chunk_size` says how big every further chunk must be; each
next chunk goes with `upload_task_id`. The helpers here read the file one chunk at a time (memory
stays flat whatever the file's size), report progress, go on after a transient error from where
the server says it is, resume an interrupted upload by its upload task id, wait for the task to
end and return the image it made.
"""
from __future__ import absolute_import

import json
import logging
import os
import time

from cloudtower.exceptions import ApiException, ApiTypeError, ApiValueError
from cloudtower.model import STRING_TYPES
from cloudtower.polling import Backoff, Deadline, describe, is_transient

logger = logging.getLogger("cloudtower.uploads")

DEFAULT_CHUNK_SIZE = 8 * 1024 * 1024   # what CloudTower asks for unless set otherwise
RETRIES = 5                            # transient errors in a row before giving up
RETRY_FIRST, RETRY_CAP = 0.5, 8.0
RUNNING = ("INITIALIZING", "UPLOADING", "PAUSED")


class UploadError(ApiException):
    """An upload could not go on (`cause` says why; `status` is its status, 0 for a connection
    error) or its task ended FAILED (500). `upload_task_id` (None before the server made one)
    resumes it: pass it as `upload_task_id=` to the same helper with the same file."""

    def __init__(self, message, upload_task_id=None, cause=None, status=None):
        if upload_task_id:
            message += "; to resume, upload the same file with upload_task_id=%s" % upload_task_id
        if status is None:
            status = cause.status if isinstance(cause, ApiException) and cause.status is not None else 0
        super(UploadError, self).__init__(status=status, reason=message)
        self.upload_task_id = upload_task_id
        self.cause = cause
        if isinstance(cause, ApiException):
            self.message, self.code, self.request_id = cause.message, cause.code, cause.request_id


def upload_elf_image(client, path, cluster_id, name=None, description=None, progress=None,
                     upload_task_id=None, chunk_size=None, timeout=600):
    """Upload the ISO at `path` as an ELF image of cluster `cluster_id` and return the
    `ElfImage`. `name` defaults to the file name. See `upload` for `progress`,
    `upload_task_id`, `chunk_size` and `timeout`."""
    from cloudtower.api.elf_image_api import ElfImageApi
    fields = {"cluster_id": cluster_id, "name": name or os.path.basename(path), "description": description}
    method = ElfImageApi(client).create_elf_image
    task = upload(method, path, fields, progress, upload_task_id, chunk_size, timeout)
    return _created(client, task, timeout)


def upload_svt_image(client, path, cluster_id, name=None, version=None, progress=None,
                     upload_task_id=None, chunk_size=None, timeout=600):
    """Upload the VMTools ISO at `path` as an SVT image of cluster `cluster_id` and return the
    `SvtImage`. `version` defaults to the one the ISO carries (`get_svt_image_version`)."""
    from cloudtower.api.svt_image_api import SvtImageApi
    from cloudtower.image_utils import get_svt_image_version
    if version is None:
        version = get_svt_image_version(path) or None
    fields = {"cluster_id": cluster_id, "name": name or os.path.basename(path), "version": version}
    method = SvtImageApi(client).upload_svt_image
    task = upload(method, path, fields, progress, upload_task_id, chunk_size, timeout)
    return _created(client, task, timeout)


def upload_content_library_image(client, path, clusters, name=None, description=None, progress=None,
                                 upload_task_id=None, chunk_size=None, timeout=600):
    """Upload the image at `path` into the content library, distributed to `clusters` (a list of
    cluster ids, or a ClusterWhereInput dict), and return the `ContentLibraryImage`."""
    from cloudtower.api.content_library_image_api import ContentLibraryImageApi
    fields = {"clusters": _clusters_field(clusters), "name": name or os.path.basename(path),
              "description": description}
    method = ContentLibraryImageApi(client).create_content_library_image
    task = upload(method, path, fields, progress, upload_task_id, chunk_size, timeout)
    return _created(client, task, timeout)


def upload(method, path, fields, progress=None, upload_task_id=None, chunk_size=None, timeout=600):
    """Upload the file at `path` with the chunked upload operation `method` (such as
    `ElfImageApi(client).create_elf_image`), its first request carrying the form `fields`;
    return the ended `UploadTask` (SUCCESSED).

    The first chunk has `chunk_size` bytes (default 8 MiB, what CloudTower asks for), the others
    the size the server's upload task says. `progress(sent_bytes, total_bytes)` is called after
    each chunk the server took. With `upload_task_id`, an interrupted upload of the same file
    goes on from the chunk the server expects next. A transient error (connection error, HTTP
    408, 429, 502, 503, 504) is retried up to 5 times in a row, from where the server says the
    upload is. Once every byte is sent, the task is polled until it ends, for at most `timeout`
    seconds. Raises `UploadError` (with `upload_task_id` to resume) when it cannot go on.
    """
    return _Upload(method, path, fields, progress, chunk_size, timeout).run(upload_task_id)


class _Upload(object):

    def __init__(self, method, path, fields, progress, chunk_size, timeout):
        from cloudtower.api.upload_task_api import UploadTaskApi
        if chunk_size is not None and (isinstance(chunk_size, bool) or not isinstance(chunk_size, int)
                                       or chunk_size < 1):
            raise ApiValueError("chunk_size must be a positive number of bytes, not %r" % (chunk_size,))
        self.method = method
        self.tasks = UploadTaskApi(method.__self__.api_client)
        self.path = path
        self.filename = os.path.basename(path)
        self.size = os.path.getsize(path)
        self.fields = dict((key, value) for key, value in fields.items() if value is not None)
        # the fields the operation requires go with every chunk (content-library images: clusters)
        self.always = dict((key, value) for key, value in self.fields.items()
                           if key in method.operation.required)
        self.progress = progress
        self.first_chunk = chunk_size or DEFAULT_CHUNK_SIZE
        self.timeout = timeout
        self.task = None
        self.sent = 0

    def run(self, upload_task_id):
        with open(self.path, "rb") as source:
            if upload_task_id:
                self._resync(upload_task_id)
            failures = 0
            waits = Backoff(RETRY_FIRST, RETRY_CAP, jitter=True)
            while self.task is None or (self.sent < self.size and self.task.status in RUNNING):
                try:
                    self._send_next(source)
                    failures = 0
                    waits.reset()
                except Exception as error:  # noqa: BLE001 - sorted out by is_transient
                    if isinstance(error, (ApiTypeError, ApiValueError)) or \
                            (not isinstance(error, ApiException) and not is_transient(error)):
                        raise   # not the server's doing: refused before sending, a file that cannot be read
                    failures += 1
                    self._give_up_unless_transient(error, failures)
                    wait = waits.next()
                    logger.warning("uploading %s: chunk at byte %d failed (%s); going on in %.1f s",
                                   self.filename, self.sent, describe(error), wait)
                    time.sleep(wait)
                    self._resync_after_error()
        return self._wait_until_ended()

    def _send_next(self, source):
        """Post the next chunk (the first one makes the upload task)."""
        source.seek(self.sent)
        if self.task is None:
            chunk = source.read(min(self.first_chunk, self.size))
            answer = self.method(file=(self.filename, chunk), size=str(self.size), **self.fields)
        else:
            chunk = source.read(min(self.task.chunk_size, self.size - self.sent))
            answer = self.method(file=(self.filename, chunk), upload_task_id=self.task.id, **self.always)
        self.task = answer[0] if isinstance(answer, list) else answer
        self.sent += len(chunk)
        del chunk   # before the next is read: at most one chunk in memory here
        if self.progress is not None:
            self.progress(self.sent, self.size)

    def _give_up_unless_transient(self, error, failures):
        task_id = self.task.id if self.task is not None else None
        if not is_transient(error):
            raise UploadError("uploading %s failed at byte %d of %d: %s"
                              % (self.filename, self.sent, self.size, describe(error)), task_id, error)
        if failures > RETRIES:
            raise UploadError("uploading %s failed at byte %d of %d, %d times in a row: %s" % (
                self.filename, self.sent, self.size, failures, describe(error)), task_id, error)

    def _resync(self, upload_task_id):
        """Take up upload task `upload_task_id` where the server is."""
        found = self.tasks.get_upload_tasks({"where": {"id": upload_task_id}})
        if not found:
            raise ApiValueError("there is no upload task %s to resume" % upload_task_id)
        task = found[0]
        if int(task.size) != self.size:
            raise ApiValueError("upload task %s is for %s bytes, but %s has %d: not the same file"
                                % (upload_task_id, task.size, self.path, self.size))
        self.task = task
        self.sent = min(self.size, (task.current_chunk or 0) * task.chunk_size)
        logger.info("uploading %s: going on from byte %d of %d (upload task %s)", self.filename, self.sent,
                    self.size, task.id)

    def _resync_after_error(self):
        """After a failed chunk: ask the server which chunk it expects (the failed one may have
        arrived). A failure to ask counts as another failure of the loop."""
        if self.task is None:
            self.sent = 0
            return
        try:
            self._resync(self.task.id)
        except ApiValueError:
            raise
        except Exception as error:  # noqa: BLE001 - the loop's next try asks again
            logger.warning("uploading %s: could not ask where the upload is (%s)", self.filename,
                           describe(error))

    def _wait_until_ended(self):
        deadline = Deadline(self.timeout)
        waits = Backoff(0.25, 5)
        while self.task.status in RUNNING:
            if deadline.passed():
                raise UploadError("upload task %s of %s is still %s after %ss" % (
                    self.task.id, self.filename, self.task.status, self.timeout), self.task.id, status=408)
            time.sleep(deadline.cap(waits.next()))
            try:
                found = self.tasks.get_upload_tasks({"where": {"id": self.task.id}},
                                                    _request_timeout=deadline.request_timeout())
            except Exception as error:  # noqa: BLE001 - sorted out by is_transient
                if not is_transient(error):
                    raise
                continue
            if found:
                self.task = found[0]
        if self.task.status != "SUCCESSED":
            args = self.task.args if isinstance(self.task.args, dict) else {}
            detail = args.get("error") or args.get("message") or self.task.status
            raise UploadError("upload task %s of %s ended %s: %s"
                              % (self.task.id, self.filename, self.task.status, detail), None, status=500)
        logger.info("uploaded %s (%d bytes, upload task %s)", self.filename, self.size, self.task.id)
        return self.task


def _created(client, task, timeout):
    """The image a SUCCESSED upload task made (it may show up a moment after the task ends)."""
    from cloudtower import image_utils
    deadline = Deadline(timeout)
    waits = Backoff(0.25, 5)
    while True:
        image = image_utils.image_of_upload_task(client, task)
        if image is not None:
            return image
        if deadline.passed():
            raise UploadError("upload task %s ended, but the %s it made was not found" % (
                task.id, task.resource_type), None, status=404)
        time.sleep(deadline.cap(waits.next()))


def _clusters_field(clusters):
    if isinstance(clusters, STRING_TYPES):
        return clusters
    if isinstance(clusters, dict):
        return json.dumps(clusters, separators=(",", ":"))
    ids = list(clusters) if isinstance(clusters, (list, tuple)) else []
    if ids and all(isinstance(item, STRING_TYPES) for item in ids):
        return json.dumps({"id_in": ids}, separators=(",", ":"))
    raise ApiValueError("clusters must be a list of cluster ids or a ClusterWhereInput dict, not %r"
                        % (clusters,))
