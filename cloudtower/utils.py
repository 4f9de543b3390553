"""Helpers for what scripts do around the API: log in, wait for tasks, page through resources,
wait out resource locks, watch changes, upload images, read an SVT ISO's version."""
from __future__ import absolute_import

import json
import logging
import time

from cloudtower.configuration import DEFAULT_API_PATH
from cloudtower.exceptions import (ApiTypeError, TaskFailedException, TaskNotFoundException,  # noqa: F401
                                   TaskTimeoutException)
from cloudtower.locks import when_unlocked  # noqa: F401 - public here
from cloudtower.model import STRING_TYPES
from cloudtower.pagination import Paginator, paginate  # noqa: F401 - public here
from cloudtower.polling import Backoff, Deadline, describe, is_transient
from cloudtower.uploads import (UploadError, upload_content_library_image,  # noqa: F401 - public here
                                upload_elf_image, upload_svt_image)
from cloudtower.watch import RevisionCompactedError, Watcher, watch  # noqa: F401 - public here

logger = logging.getLogger("cloudtower.utils")

# Where a VMTools (SVT) ISO keeps its version text.
SVT_VERSION_OFFSET = 32 * 1024 + 190
SVT_VERSION_LENGTH = 128

ENDED = frozenset(["SUCCESSED", "FAILED"])
FIRST_POLL_INTERVAL = 0.25  # most tasks end within seconds: look again soon, then back off


def wait_tasks(ids, api_client, interval=5, timeout=300, exit_on_error=False, progress=None):
    """Poll the tasks `ids` until every one has ended; return them (as `Task` models, in the
    order of `ids`). `ids` is not changed; ids that are None are skipped.

    All unfinished tasks are asked for in one request per round: the first rounds come quickly
    (0.25 s apart), then the wait doubles up to `interval` seconds. `progress(tasks)`, if given,
    is called after each round with the latest `Task` of every id.

    Raises, as `ApiException` subclasses:
    - `TaskNotFoundException` (404) at once when the server has no task of some id;
    - `TaskFailedException` (500) when tasks failed, listing each with its error message: at once
      with `exit_on_error`, else after all have ended;
    - `TaskTimeoutException` (408) when some are still running `timeout` seconds after the call.
      The call returns or raises within `timeout` + 1 s whatever the server does: each poll's
      `_request_timeout` is the time left, and transient errors (connection errors, HTTP 408,
      429, 502, 503, 504) are logged and polled through until the deadline.
    Any other error of a poll is raised as it is.
    """
    from cloudtower.api.task_api import TaskApi
    requested = _task_list(ids)
    task_ids = _unique(task_id for task_id in requested if task_id is not None)
    task_api = TaskApi(api_client)
    deadline = Deadline(timeout)
    waits = Backoff(FIRST_POLL_INTERVAL, interval)
    latest = {}
    failed = []
    pending = list(task_ids)
    while pending:
        try:
            tasks = task_api.get_tasks({"where": {"id_in": pending}},
                                       _request_timeout=deadline.request_timeout())
        except Exception as error:  # noqa: BLE001 - sorted out by is_transient
            if not is_transient(error):
                raise
            if deadline.passed():
                logger.warning("polling task(s) failed (%s) and the %ss timeout has passed",
                               describe(error), timeout)
                raise TaskTimeoutException(pending, timeout)
            wait = deadline.cap(waits.next())
            logger.warning("polling %d task(s) failed (%s); polling again in %.1f s",
                           len(pending), describe(error), wait)
            time.sleep(wait)
            continue
        answered = dict((task.id, task) for task in tasks)
        missing = [task_id for task_id in pending if task_id not in answered]
        if missing:
            raise TaskNotFoundException(missing)
        latest.update(answered)
        ended = [answered[task_id] for task_id in pending if answered[task_id].status in ENDED]
        failed.extend(task for task in ended if task.status == "FAILED")
        pending = [task_id for task_id in pending if answered[task_id].status not in ENDED]
        if progress is not None:
            progress([latest[task_id] for task_id in task_ids])
        if failed and exit_on_error:
            raise TaskFailedException(failed)
        if not pending:
            break
        _log_progress(len(task_ids) - len(pending), len(task_ids), [latest[task_id] for task_id in pending])
        if deadline.passed():
            raise TaskTimeoutException(pending, timeout)
        time.sleep(deadline.cap(waits.next()))
    if failed:
        raise TaskFailedException(failed)
    return [latest[task_id] for task_id in requested if task_id in latest]


def wait_task(id, api_client, interval=5, timeout=300, progress=None):  # noqa: A002 - the name users pass
    """Poll task `id` until it ends and return it (a `Task`); raises like `wait_tasks` (404,
    500, 408). `progress(task)`, if given, is called after each poll."""
    report = None if progress is None else (lambda tasks: progress(tasks[0]))
    tasks = wait_tasks([id], api_client, interval=interval, timeout=timeout, exit_on_error=True,
                       progress=report)
    return tasks[0] if tasks else None


def _task_list(ids):
    """`ids` as a list, checked: task ids (text) or None; a clear error for a lone id."""
    if isinstance(ids, STRING_TYPES) or not hasattr(ids, "__iter__"):
        raise ApiTypeError("ids must be a list of task ids, not %s (wait_task takes one id)"
                           % type(ids).__name__)
    ids = list(ids)
    for task_id in ids:
        if task_id is not None and not isinstance(task_id, STRING_TYPES):
            raise ApiTypeError("ids must be task ids (text), not %s: %r" % (type(task_id).__name__, task_id))
    return ids


def _unique(items):
    seen, unique = set(), []
    for item in items:
        if item not in seen:
            seen.add(item)
            unique.append(item)
    return unique


def _log_progress(done, total, running):
    if not logger.isEnabledFor(logging.INFO):
        return
    logger.info("%d/%d task(s) done; still running: %s", done, total,
                ", ".join("%s %s (progress %s)" % (task.id, task.status, task.progress) for task in running))


def login(api_client, username, password, source="LOCAL"):
    """Log in and keep the token in `api_client.configuration.api_key["Authorization"]`.

    `source` is `LOCAL` (default) or `LDAP`; an LDAP user is logged in through the AUTHN
    strategy of the LDAP server when the CloudTower has one.
    """
    from cloudtower.api.user_api import UserApi
    params = {"username": username, "password": password, "source": source}
    if source == "LDAP":
        strategy_id = _ldap_strategy_id(api_client)
        if strategy_id is not None:
            params["source"] = "AUTHN"
            params["auth_config_id"] = strategy_id
    response = UserApi(api_client).login(params)
    api_client.configuration.api_key["Authorization"] = response.data.token
    logger.debug("logged in as %s (%s)", username, params["source"])


def _ldap_strategy_id(api_client):
    """The id of the LDAP AUTHN strategy, from the GraphQL API (`_auth_url`); None if the
    CloudTower has none (older versions do not know AUTHN)."""
    try:
        response = api_client.request("POST", _auth_url(api_client.configuration),
                                      headers={"Content-Type": "application/json"},
                                      body={"query": "{authnStrategies{id type}}", "variables": {}})
        strategies = json.loads(response.data)["data"]["authnStrategies"]
    except Exception as error:  # noqa: BLE001 - any failure means: log in the old way
        logger.debug("no AUTHN strategies (%s); logging in with source LDAP", type(error).__name__)
        return None
    for strategy in strategies or ():
        if strategy.get("type") == "LDAP":
            return strategy.get("id")
    return None


def _auth_url(configuration):
    """The URL of CloudTower's GraphQL API, where `login` finds the LDAP strategy: `/api` in
    place of the `/v2/api` that ends the API URL (`https://tower/v2/api` -> `https://tower/api`,
    also behind a path prefix), else in place of the configuration's `api_path`."""
    host = configuration.host.rstrip("/")
    for api_path in (DEFAULT_API_PATH, getattr(configuration, "api_path", None)):
        if api_path and host.endswith(api_path):
            return host[:-len(api_path)] + "/api"
    return host


def get_svt_image_version(path):
    """The version text stored in a VMTools (SVT) ISO file at `path`."""
    with open(path, "rb") as iso:
        iso.seek(SVT_VERSION_OFFSET)
        raw = iso.read(SVT_VERSION_LENGTH)
    return raw.decode("utf-8", "replace").strip().strip("\x00").strip()
