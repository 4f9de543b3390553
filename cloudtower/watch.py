"""Following what changes: `for event in watch(client, ["VM"]): ...`.

CloudTower numbers every change of a resource with a revision and keeps the newest events at
`/resource-changes`; older ones are compacted away. A watcher reads them in revision order from a
start revision, then keeps asking for newer ones. Revisions are decimal text that can outgrow 64
bits: they are compared as Python integers.
"""
from __future__ import absolute_import

import logging
import threading

from cloudtower.exceptions import ApiException, ApiValueError
from cloudtower.model import STRING_TYPES
from cloudtower.polling import Backoff, describe, is_transient

logger = logging.getLogger("cloudtower.watch")

PAGE_SIZE = 1000         # the most events the server gives per request
REQUEST_TIMEOUT = 30     # seconds for one request, retries included
RETRY_FIRST, RETRY_CAP = 0.5, 8.0


class RevisionCompactedError(ApiException):
    """The events from `start_revision` on are gone: the server compacted everything up to
    `compact_revision`. Status 410 (Gone). Start again from a fresh read of the resources, then
    watch from now."""

    def __init__(self, start_revision, compact_revision):
        reason = ("Revision %d has been compacted away: the server keeps events after revision %d only. "
                  "Read the resources afresh and watch from now." % (start_revision, compact_revision))
        super(RevisionCompactedError, self).__init__(status=410, reason=reason)
        self.start_revision = start_revision
        self.compact_revision = compact_revision


def watch(client, resource_types=None, start_revision=None, interval=1, page_size=PAGE_SIZE):
    """A `Watcher` of resource-change events (`ResourceChangeEvent` models), in revision order.

    `resource_types` (`["VM", "VM_VOLUME"]`, any case) keeps only events of those types (all
    events are read; the filter is applied here). `start_revision` is the first revision to
    yield (an int or decimal text); None starts from now. Once caught up, it asks again every
    `interval` seconds, for ever, until `stop()` (from any thread) or a `break`. Transient errors
    (connection errors, HTTP 408, 429, 502, 503, 504) are retried with backoff (0.5 s up to 8 s,
    one log line each); a start revision that has been compacted away raises
    `RevisionCompactedError` instead of skipping events.

        watcher = watch(client, ["VM"])
        for event in watcher:
            print(event.revision, event.action, event.resource_id)
    """
    return Watcher(client, resource_types, start_revision, interval, page_size)


class Watcher(object):
    """Iterate it for the events. `revision` is the next revision it will read (save it to go
    on later with `watch(..., start_revision=watcher.revision)`); `stop()` ends the iteration
    from any thread, at the latest after the request in flight."""

    def __init__(self, client, resource_types=None, start_revision=None, interval=1, page_size=PAGE_SIZE):
        from cloudtower.api.resource_change_api import ResourceChangeApi
        self.api = ResourceChangeApi(client)
        self.resource_types = _types(resource_types)
        self.revision = None if start_revision is None else _revision(start_revision, "start_revision")
        if isinstance(page_size, bool) or not isinstance(page_size, int) or not 1 <= page_size <= PAGE_SIZE:
            raise ApiValueError("page_size must be an integer from 1 to %d, not %r" % (PAGE_SIZE, page_size))
        self.interval = interval
        self.page_size = page_size
        self._stop = threading.Event()
        self._retry = Backoff(RETRY_FIRST, RETRY_CAP, jitter=True)

    def stop(self):
        """End the iteration (safe from any thread)."""
        self._stop.set()

    @property
    def stopped(self):
        """Whether `stop()` was called."""
        return self._stop.is_set()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        self.stop()

    def __iter__(self):
        if self.revision is None and not self._start_from_now():
            return
        while not self._stop.is_set():
            answer = self._read(start_revision=str(self.revision), limit=self.page_size)
            if answer is None:
                continue
            self._check_compaction(answer)
            events = sorted(answer.data or [], key=lambda event: _revision(event.revision, "revision"))
            for event in events:
                revision = _revision(event.revision, "revision")
                if revision < self.revision:
                    continue
                if self._stop.is_set():
                    return
                self.revision = revision + 1
                if self.resource_types is None or (event.resource_type or "").upper() in self.resource_types:
                    yield event
            if len(events) < self.page_size:
                self._stop.wait(self.interval)      # caught up: ask again in a while

    def _start_from_now(self):
        while not self._stop.is_set():
            answer = self._read(limit=1)
            if answer is not None:
                self.revision = _revision(answer.current_revision or 0, "currentRevision") + 1
                logger.debug("watching from revision %d", self.revision)
                return True
        return False

    def _read(self, **params):
        """The server's answer, or None after a transient error (and a wait)."""
        try:
            answer = self.api.get_resource_changes(_request_timeout=REQUEST_TIMEOUT, **params)
        except Exception as error:  # noqa: BLE001 - sorted out by is_transient
            if not is_transient(error):
                raise
            wait = self._retry.next()
            logger.warning("reading resource changes failed (%s); trying again in %.1f s",
                           describe(error), wait)
            self._stop.wait(wait)
            return None
        self._retry.reset()
        return answer

    def _check_compaction(self, answer):
        compacted = _revision(answer.compact_revision or 0, "compactRevision")
        if (answer.ec or "").upper() == "COMPACTED" or compacted >= self.revision:
            raise RevisionCompactedError(self.revision, compacted)

    def __repr__(self):
        return "<Watcher %s from revision %s%s>" % (
            ", ".join(sorted(self.resource_types)) if self.resource_types else "every type",
            "now" if self.revision is None else self.revision, " (stopped)" if self.stopped else "")


def _types(resource_types):
    if resource_types is None:
        return None
    if isinstance(resource_types, STRING_TYPES):
        resource_types = [resource_types]
    types = set()
    for item in resource_types:
        if not isinstance(item, STRING_TYPES) or not item:
            raise ApiValueError("resource_types must be type names such as 'VM', not %r" % (item,))
        types.add(item.upper())
    return frozenset(types)


def _revision(value, name):
    """A revision as an integer (they are decimal text, and may not fit 64 bits)."""
    if isinstance(value, bool):
        raise ApiValueError("%s must be a revision number, not %r" % (name, value))
    try:
        revision = int(value)
    except (TypeError, ValueError):
        raise ApiValueError("%s must be a revision number, not %r" % (name, value))
    if revision < 0:
        raise ApiValueError("%s must not be negative, not %r" % (name, value))
    return revision
