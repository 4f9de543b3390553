"""Waiting out resource locks: `when_unlocked(VmApi(client).update_vm)(body)`.

A mutation of a resource that a running task holds fails at once with `ResourceLockedException`
(HTTP 400, code `ResourceLocked`): the server did nothing, so the same request can be sent again
once the resource is free - when its `entity_async_status` is null again (or it is gone).
"""
from __future__ import absolute_import

import functools
import logging

from cloudtower.exceptions import ApiTypeError, ApiValueError, ResourceLockedException
from cloudtower.polling import Backoff, Deadline, describe, is_transient

logger = logging.getLogger("cloudtower.locks")

FIRST_CHECK_INTERVAL = 0.25


def when_unlocked(method, timeout=300, interval=2, api_client=None):
    """`method` (a mutation of an Api object, or any callable with `api_client` given), made to
    wait out resource locks.

    The returned function takes `method`'s arguments. When the call raises
    `ResourceLockedException`, it polls the locked resources (one query per resource type, the
    first checks 0.25 s apart, backing off to `interval` seconds) until none has an
    `entity_async_status`, then calls again - as often as it takes, within `timeout` seconds in
    all. After that the last `ResourceLockedException` is raised. Other errors are raised at
    once.

        update = when_unlocked(VmApi(client).update_vm, timeout=120)
        update({"where": {"id": vm.id}, "data": {"description": "patched"}})
    """
    client = api_client or getattr(getattr(method, "__self__", None), "api_client", None)
    if client is None or not callable(method):
        raise ApiTypeError("when_unlocked takes a method of an Api object (or api_client=), not %r"
                           % (method,))
    name = getattr(method, "__name__", repr(method))

    def call(*args, **kwargs):
        if kwargs.get("async_req"):
            raise ApiValueError("when_unlocked waits for the answer itself: call it without async_req")
        deadline = Deadline(timeout)
        while True:
            try:
                return method(*args, **kwargs)
            except ResourceLockedException as error:
                locked = error.locked_resources
                if deadline.passed():
                    raise
                logger.info("%s: %s locked; waiting for %s to be free", name, _names(locked),
                            "it" if len(locked) == 1 else "them")
                if not wait_until_free(client, locked, deadline, interval):
                    raise
    return _wraps(call, method)


def wait_until_free(api_client, resources, deadline, interval=2):
    """Poll `resources` (`[{"id", "type"}]`, as `ResourceLockedException.locked_resources`
    lists them) until none has an `entity_async_status`; False if `deadline` passed first."""
    queries = _queries(api_client, resources)
    waits = Backoff(FIRST_CHECK_INTERVAL, interval)
    while True:
        if not queries:
            # No query shows their state: wait a little, and let the next try tell.
            _sleep(deadline, waits)
            return not deadline.passed()
        if all(_free(query, ids, deadline) for query, ids in queries):
            return True
        if deadline.passed():
            return False
        _sleep(deadline, waits)


def _queries(api_client, resources):
    """(query method, ids) per resource type whose state a query shows."""
    from cloudtower import models
    from cloudtower.operation_index import query_for
    by_type = {}
    for resource in resources:
        by_type.setdefault(resource.get("type") or "", []).append(resource.get("id"))
    queries = []
    for lock_type, ids in sorted(by_type.items()):
        type_name = "".join(part.capitalize() for part in lock_type.split("_"))   # VM_VOLUME -> VmVolume
        model = getattr(models, type_name, None)
        entry = query_for(type_name) if model is not None else None
        if entry is None or "entity_async_status" not in model.attribute_map:
            logger.debug("no query shows whether a %s is locked; retrying after a wait", lock_type)
            continue
        queries.append((entry.bind(api_client), [resource_id for resource_id in ids if resource_id]))
    return queries


def _free(query, ids, deadline):
    try:
        found = query({"where": {"id_in": ids}}, _request_timeout=deadline.request_timeout())
    except Exception as error:  # noqa: BLE001 - sorted out by is_transient
        if not is_transient(error):
            raise
        logger.warning("checking locked resources failed (%s); checking again", describe(error))
        return False
    return all(item.entity_async_status is None for item in found)   # a deleted one is free too


def _sleep(deadline, waits):
    import time
    time.sleep(deadline.cap(waits.next()))


def _names(resources):
    return ", ".join("%s %s" % (item.get("type"), item.get("id")) for item in resources) or "a resource"


def _wraps(wrapper, method):
    try:
        return functools.wraps(method)(wrapper)
    except AttributeError:  # Python 2: a callable without __name__
        return wrapper
