"""Asynchronous tasks: every mutation is accepted at once and does its work in a task that goes
PENDING -> EXECUTING -> SUCCESSED (or FAILED) over `delay` seconds, or only when the test calls
`Simulator.advance_tasks()` (delay None). While a task holds a resource, the resource's
`entityAsyncStatus` is set and other mutations of it get the `ResourceLocked` error.
"""
from __future__ import absolute_import

import logging

from cloudtower.simulator.store import resource_type_name

logger = logging.getLogger("cloudtower.simulator")


class TaskFailure(Exception):
    """Raised by a task's work to end the task FAILED with this message (and error code)."""

    def __init__(self, message, code="TASK_FAILED"):
        super(TaskFailure, self).__init__(message)
        self.message = message
        self.code = code


class _Job(object):
    __slots__ = ("task_id", "created", "work", "holds", "forced_failure")

    def __init__(self, task_id, created, work, holds):
        self.task_id = task_id
        self.created = created
        self.work = work
        self.holds = holds
        self.forced_failure = None


class Tasks(object):
    """Runs the simulator's tasks; all methods expect the caller to hold `store.lock`."""

    def __init__(self, store, delay=0.05, faults=None):
        self.store = store
        self.delay = delay
        self.faults = faults
        self.jobs = []
        self.held = {}            # (type name, id) -> task id

    def check_free(self, type_name, records):
        """The resources among `records` that a running task holds, as the locked-error lists
        them (`[{"id", "type"}]`)."""
        return [{"id": record["id"], "type": resource_type_name(type_name)}
                for record in records if (type_name, record["id"]) in self.held]

    def submit(self, description, operation=None, resource=None, holds=(), work=None, status="UPDATING",
               cluster_id=None, path=None):
        """Start a task for `operation` (at `path`, which fault rules name it by). `resource` is
        (type name, id) of the resource it is about; `holds` the
        (type name, id) pairs it locks (their entityAsyncStatus becomes `status` until it
        ends); `work()` runs when it ends and may raise `TaskFailure`. Returns the task record."""
        store = self.store
        type_name, resource_id = resource or (None, None)
        task = store.create("Task", {
            "description": description,
            "status": "PENDING",
            "progress": 0.0,
            "resource_type": resource_type_name(type_name) if type_name else None,
            "resource_id": resource_id,
            "resource_mutation": operation,
            "key": operation,
            "local_created_at": store.clock.iso(),
            "started_at": None,
            "finished_at": None,
            "error_code": None,
            "error_message": None,
            "snapshot": "{}",
            "args": {},
            "internal": False,
            "steps": [],
            "cluster": cluster_id,
        })
        job = _Job(task["id"], store.clock.now(), work, list(holds))
        for held_type, held_id in job.holds:
            self.held[(held_type, held_id)] = task["id"]
            self._set_async_status(held_type, held_id, status)
        fault = self.faults.take(path, kinds=("task",)) if self.faults and path else None
        if fault is not None:
            job.forced_failure = fault.message or "injected failure"
        self.jobs.append(job)
        if self.delay == 0:
            self.advance(finish_all=True)
        return self.store.get("Task", task["id"])

    def _set_async_status(self, type_name, resource_id, status):
        resource = self.store.catalog.resources[type_name]
        if "entityAsyncStatus" in resource.fields and self.store.get(type_name, resource_id) is not None:
            self.store.update(type_name, resource_id, {"entityAsyncStatus": status})

    def advance(self, finish_all=False):
        """Move tasks along: those whose time has come (or all, with `finish_all`)."""
        now = self.store.clock.now()
        for job in list(self.jobs):
            elapsed = now - job.created
            task = self.store.get("Task", job.task_id)
            if task is None:
                self.jobs.remove(job)
                continue
            if finish_all or (self.delay is not None and elapsed >= self.delay):
                self._finish(job, task)
            elif self.delay is not None and elapsed >= self.delay / 2.0 and task["status"] == "PENDING":
                self._execute(task, 0.5)

    def _execute(self, task, progress):
        self.store.update("Task", task["id"], {"status": "EXECUTING", "progress": progress,
                                               "started_at": task.get("started_at") or self.store.clock.iso()})

    def _finish(self, job, task):
        self.jobs.remove(job)
        if task["status"] == "PENDING":
            self._execute(task, 0.5)
        for held in job.holds:
            self.held.pop(held, None)
            self._set_async_status(held[0], held[1], None)
        outcome = {"status": "SUCCESSED", "progress": 1.0, "finished_at": self.store.clock.iso()}
        try:
            if job.forced_failure:
                raise TaskFailure(job.forced_failure, "INJECTED_FAILURE")
            if job.work is not None:
                job.work()
        except TaskFailure as failure:
            outcome.update({"status": "FAILED", "error_code": failure.code, "error_message": failure.message})
        except Exception as error:  # noqa: BLE001 - a bug in a task's work fails that task, not the caller
            logger.exception("task %s failed unexpectedly", job.task_id)
            outcome.update({"status": "FAILED", "error_code": "INTERNAL_ERROR",
                            "error_message": "%s: %s" % (type(error).__name__, error)})
        self.store.update("Task", task["id"], outcome)

    def finish_all(self):
        """End every running task now."""
        while self.jobs:
            self.advance(finish_all=True)

    def fail_orphans(self, message="The simulator stopped while this task ran"):
        """After loading a saved state: end FAILED the tasks that were running (their work is
        gone with the process that ran them), and free the resources they held
        (`entityAsyncStatus` back to null)."""
        running = set(job.task_id for job in self.jobs)
        for task in self.store.records("Task"):
            if task.get("status") in ("PENDING", "EXECUTING") and task["id"] not in running:
                self.store.update("Task", task["id"], {"status": "FAILED", "error_code": "INTERRUPTED",
                                                       "error_message": message,
                                                       "finished_at": self.store.clock.iso()})
        for type_name, resource in self.store.catalog.resources.items():
            if "entityAsyncStatus" in resource.fields:
                for record in self.store.records(type_name):
                    if record.get("entityAsyncStatus") and (type_name, record["id"]) not in self.held:
                        self.store.update(type_name, record["id"], {"entityAsyncStatus": None})
