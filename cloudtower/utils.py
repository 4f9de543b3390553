"""Helpers for what scripts do around the API: log in, wait for tasks, read an SVT ISO's version."""
from __future__ import absolute_import

import json
import logging
import time

from cloudtower.exceptions import TaskFailedException, TaskTimeoutException

logger = logging.getLogger("cloudtower.utils")

# Where a VMTools (SVT) ISO keeps its version text.
SVT_VERSION_OFFSET = 32 * 1024 + 190
SVT_VERSION_LENGTH = 128


def wait_tasks(ids, api_client, interval=5, timeout=300, exit_on_error=False):
    """Poll the tasks `ids` until every one has ended; return them (as `Task` models).

    Raises `ApiException` with status 408 (`TaskTimeoutException`) when some are still running
    after `timeout` seconds, and status 500 (`TaskFailedException`) when some failed: at once
    with `exit_on_error`, else after all have ended, listing every failure. `ids` is not changed.
    """
    from cloudtower.api.task_api import TaskApi
    task_api = TaskApi(api_client)
    pending = [task_id for index, task_id in enumerate(ids) if task_id and task_id not in ids[:index]]
    finished = {}
    failed = []
    deadline = time.time() + timeout
    while pending:
        tasks = task_api.get_tasks({"where": {"id_in": pending}})
        for task in tasks:
            if task.status == "SUCCESSED":
                finished[task.id] = task
            elif task.status == "FAILED":
                finished[task.id] = task
                failed.append(task)
                if exit_on_error:
                    raise TaskFailedException([task])
        pending = [task_id for task_id in pending if task_id not in finished]
        if not pending:
            break
        _log_progress(len(finished), len(finished) + len(pending), tasks, pending)
        remaining = deadline - time.time()
        if remaining <= 0:
            raise TaskTimeoutException(pending, timeout)
        time.sleep(min(interval, remaining))
    if failed:
        raise TaskFailedException(failed)
    return [finished[task_id] for task_id in ids if task_id in finished]


def wait_task(id, api_client, interval=5, timeout=300):  # noqa: A002 - the name users pass
    """Poll task `id` until it ends and return it; raises like `wait_tasks` (408, 500)."""
    tasks = wait_tasks([id], api_client, interval=interval, timeout=timeout, exit_on_error=True)
    return tasks[0] if tasks else None


def _log_progress(done, total, tasks, pending):
    if not logger.isEnabledFor(logging.INFO):
        return
    running = ", ".join("%s %s (progress %s)" % (task.id, task.status, task.progress)
                        for task in tasks if task.id in pending)
    logger.info("%d/%d task(s) done%s", done, total, "; still running: " + running if running else "")


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
    """The id of the LDAP AUTHN strategy, from the GraphQL API next to `/v2/api`; None if the
    CloudTower has none (older versions do not know AUTHN)."""
    host = api_client.configuration.host.rstrip("/")
    if host.endswith("/v2/api"):
        host = host[:-len("/v2/api")] + "/api"
    try:
        response = api_client.request("POST", host, headers={"Content-Type": "application/json"},
                                      body={"query": "{authnStrategies{id type}}", "variables": {}})
        strategies = json.loads(response.data)["data"]["authnStrategies"]
    except Exception as error:  # noqa: BLE001 - any failure means: log in the old way
        logger.debug("no AUTHN strategies (%s); logging in with source LDAP", type(error).__name__)
        return None
    for strategy in strategies or ():
        if strategy.get("type") == "LDAP":
            return strategy.get("id")
    return None


def get_svt_image_version(path):
    """The version text stored in a VMTools (SVT) ISO file at `path`."""
    with open(path, "rb") as iso:
        iso.seek(SVT_VERSION_OFFSET)
        raw = iso.read(SVT_VERSION_LENGTH)
    return raw.decode("utf-8", "replace").strip().strip("\x00").strip()
