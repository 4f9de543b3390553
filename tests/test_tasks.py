"""wait_task(s) against the simulator: unknown ids, one poll per round, the first polls soon,
progress, every failure listed, deadlines that hold whatever the server does, transient errors
ridden out (its faults), and what the journal saw."""
from __future__ import absolute_import

import logging
import threading
import time

import pytest

from cloudtower import ApiException, ApiTypeError, NotFoundException, TaskTimeoutException, VmApi
from cloudtower.polling import Backoff, Deadline
from cloudtower.utils import TaskNotFoundException, wait_task, wait_tasks

FAST = {"interval": 0.01, "timeout": 30}


def start_stopped_vms(client, count):
    """Start `count` stopped VMs of the demo estate; the ids of their tasks."""
    vms = VmApi(client).get_vms({"where": {"status": "STOPPED"}, "orderBy": "name_ASC", "first": count})
    assert len(vms) == count
    return [VmApi(client).start_vm({"where": {"id": vm.id}})[0].task_id for vm in vms]


def polls(sim, sent):
    return sent(sim, "/get-tasks")


def when(condition, timeout=30):
    """Wait until `condition()` is true (polling); False if it never was within `timeout`."""
    deadline = time.time() + timeout
    while not condition():
        if time.time() > deadline:
            return False
        time.sleep(0.005)
    return True


def in_background(function):
    thread = threading.Thread(target=function, name="test-background")
    thread.daemon = True
    thread.start()
    return thread


def end_tasks_after(sim, sent, count):
    """End `sim`'s tasks once it has answered `count` task polls."""
    return in_background(lambda: when(lambda: len(polls(sim, sent)) >= count) and sim.advance_tasks())


# -- ids -------------------------------------------------------------------------------------------

def test_an_unknown_task_id_fails_at_once_naming_it(demo, client, sent):
    known = start_stopped_vms(client, 1)[0]
    with pytest.raises(TaskNotFoundException) as raised:
        wait_tasks([known, "no-such-task"], client, interval=0.01, timeout=300)
    error = raised.value
    assert isinstance(error, NotFoundException) and error.status == 404
    assert error.missing_ids == ["no-such-task"]
    assert "no-such-task" in str(error) and known not in str(error)
    assert len(polls(demo, sent)) == 1


def test_wait_task_of_an_unknown_id_fails_at_once(demo, client, sent):
    with pytest.raises(ApiException) as raised:
        wait_task("cl0000000000000000000nope", client)  # the 5 s / 300 s defaults: no waiting
    assert raised.value.status == 404 and "cl0000000000000000000nope" in raised.value.reason
    assert len(polls(demo, sent)) == 1


@pytest.mark.parametrize("ids", ["task-1", 42, None, [1, 2]])
def test_ids_that_are_not_a_list_of_ids_are_refused(client, ids):
    with pytest.raises(ApiTypeError) as raised:
        wait_tasks(ids, client)
    assert "ids" in str(raised.value)


def test_no_ids_need_no_request(demo, client, sent):
    assert wait_tasks([], client) == []
    assert wait_tasks([None], client) == []
    assert polls(demo, sent) == []


# -- polling ---------------------------------------------------------------------------------------

def test_every_round_asks_for_all_unfinished_tasks_in_one_request(demo, client, sent):
    task_ids = start_stopped_vms(client, 3)
    ender = end_tasks_after(demo, sent, 3)
    tasks = wait_tasks(task_ids, client, **FAST)
    ender.join(30)
    assert [task.id for task in tasks] == task_ids and all(task.status == "SUCCESSED" for task in tasks)
    asked = [request.json["where"]["id_in"] for request in polls(demo, sent)]
    assert len(asked) >= 4 and all(ids == task_ids for ids in asked)


def test_the_first_polls_come_soon_whatever_the_interval(demo, client, sent):
    # With interval=60, a wait that polled only every `interval` would see the end of the tasks
    # (after the 3rd poll) only after the 10 s timeout; the short first waits see it.
    task_ids = start_stopped_vms(client, 2)
    ender = end_tasks_after(demo, sent, 3)
    tasks = wait_tasks(task_ids, client, interval=60, timeout=10)
    ender.join(30)
    assert all(task.status == "SUCCESSED" for task in tasks)
    assert len(polls(demo, sent)) >= 4


def test_waits_back_off_from_a_quarter_second_to_the_interval():
    waits = Backoff(0.25, 5)
    assert [waits.next() for _ in range(7)] == [0.25, 0.5, 1, 2, 4, 5, 5]
    waits.reset()
    assert waits.next() == 0.25
    assert [Backoff(0.25, 0.1).next() for _ in range(2)] == [0.1, 0.1]  # never more than the interval
    assert Backoff(0.25, 0).next() == 0
    jittered = Backoff(4, 8, jitter=True)
    assert all(2 <= jittered.next() <= 8 for _ in range(20))


def test_progress_sees_every_task_after_each_poll(demo, client, sent):
    task_ids = start_stopped_vms(client, 2)
    seen = []
    ender = end_tasks_after(demo, sent, 2)

    def progress(tasks):
        seen.append([(task.id, task.status) for task in tasks])
    tasks = wait_tasks(task_ids, client, progress=progress, **FAST)
    ender.join(30)
    assert len(seen) == len(polls(demo, sent)) >= 3
    assert all([task_id for task_id, _ in round_] == task_ids for round_ in seen)
    assert seen[0] == [(task_ids[0], "PENDING"), (task_ids[1], "PENDING")]
    assert seen[-1] == [(task.id, "SUCCESSED") for task in tasks]


def test_wait_task_reports_progress_of_its_task(demo, client, sent):
    task_id = start_stopped_vms(client, 1)[0]
    seen = []
    ender = end_tasks_after(demo, sent, 2)
    task = wait_task(task_id, client, progress=lambda task: seen.append(task.status), **FAST)
    ender.join(30)
    assert task.id == task_id and seen[0] == "PENDING" and seen[-1] == "SUCCESSED"


def test_exit_on_error_lists_every_failure_of_the_round(demo, client, sent):
    demo.faults.add("task", operation="/start-vm", count=2, message="no host fits")
    failing = start_stopped_vms(client, 2)
    demo.advance_tasks()
    with pytest.raises(ApiException) as raised:
        wait_tasks(failing, client, exit_on_error=True, **FAST)
    error = raised.value
    assert error.status == 500
    assert [task.id for task in error.failed_tasks] == failing
    assert all("%s: no host fits" % task_id in error.reason for task_id in failing)


# -- deadlines and transient errors ------------------------------------------------------------------

def test_a_slow_server_cannot_stretch_the_timeout(start_simulator, sent):
    # The task has ended, but every answer about it comes 4 s late: a wait with timeout=1 must
    # give up (408) rather than wait for the answer. (A simulator of its own: the late answers
    # are journaled after the test.)
    sim = start_simulator(seed="demo", task_delay=None)
    client = sim.client()
    task_id = start_stopped_vms(client, 1)[0]
    sim.advance_tasks()
    sim.faults.add("latency", operation="/get-tasks", latency=4)
    with pytest.raises(TaskTimeoutException) as raised:
        wait_task(task_id, client, interval=0.01, timeout=1)
    assert raised.value.status == 408 and raised.value.pending_ids == [task_id]
    assert when(lambda: len(polls(sim, sent)) >= 1)  # journaled once answered, 4 s later
    # the first poll had the whole second; at most one more went out at the deadline
    assert 1 <= len(polls(sim, sent)) <= 2
    assert all(request.json == {"where": {"id_in": [task_id]}} for request in polls(sim, sent))


def test_a_slow_first_answer_counts_against_the_deadline_and_the_next_poll_gets_the_rest(demo, client, sent):
    # The first answer is 3 s late; with timeout=20 the first poll waits for it (it has the whole
    # time left), and its answer is used.
    task_id = start_stopped_vms(client, 1)[0]
    demo.advance_tasks()
    demo.faults.add("latency", operation="/get-tasks", latency=3, count=1)
    task = wait_task(task_id, client, interval=0.01, timeout=20)
    assert task.status == "SUCCESSED"
    assert len(polls(demo, sent)) == 1


@pytest.mark.parametrize("kind, options", [
    ("status", {"status": 503}),
    ("status", {"status": 502}),
    ("status", {"status": 429}),
    ("status", {"status": 504}),
    ("status", {"status": 408}),
    ("drop", {}),
], ids=["503", "502", "429", "504", "408", "dropped"])
def test_transient_errors_are_ridden_out(demo, client, sent, caplog, kind, options):
    task_id = start_stopped_vms(client, 1)[0]
    demo.advance_tasks()
    demo.faults.add(kind, operation="/get-tasks", count=3, **options)
    with caplog.at_level(logging.WARNING, logger="cloudtower"):
        task = wait_task(task_id, client, interval=0.01, timeout=60)
    assert task.id == task_id and task.status == "SUCCESSED"
    statuses = [request.status for request in polls(demo, sent)]
    assert statuses == [options.get("status", 0)] * 3 + [200]
    mine = [record for record in caplog.records if record.name == "cloudtower.utils"]
    assert 1 <= len(mine) <= 3  # one line per failed poll (the transport may retry some itself)
    assert all("polling 1 task(s) failed" in record.getMessage() for record in mine)


def test_transient_errors_past_the_deadline_raise_the_timeout(demo, client, sent):
    task_id = start_stopped_vms(client, 1)[0]
    demo.advance_tasks()
    demo.faults.add("status", operation="/get-tasks", status=503)
    with pytest.raises(TaskTimeoutException) as raised:
        wait_tasks([task_id], client, interval=0.05, timeout=1)
    assert raised.value.status == 408 and raised.value.pending_ids == [task_id]
    statuses = [request.status for request in polls(demo, sent)]
    assert len(statuses) >= 2 and set(statuses) == set([503])


def test_a_dropped_connection_past_the_deadline_raises_the_timeout(demo, client, sent):
    task_id = start_stopped_vms(client, 1)[0]
    demo.faults.add("drop", operation="/get-tasks")
    with pytest.raises(TaskTimeoutException):
        wait_task(task_id, client, interval=0.05, timeout=0.5)
    assert len(polls(demo, sent)) >= 1 and set(request.status for request in polls(demo, sent)) == set([0])


def test_other_errors_are_raised_at_once(demo, client, sent):
    task_id = start_stopped_vms(client, 1)[0]
    demo.faults.add("status", operation="/get-tasks", status=500, message="db down")
    with pytest.raises(ApiException) as raised:
        wait_task(task_id, client, **FAST)
    assert raised.value.status == 500 and raised.value.message == "db down"
    assert len(polls(demo, sent)) == 1


def test_deadline_cuts_waits_and_request_timeouts():
    deadline = Deadline(60)
    assert 59 < deadline.left() <= 60 and not deadline.passed()
    assert deadline.cap(5) == 5 and 59 < deadline.request_timeout() <= 60
    over = Deadline(0)
    assert over.passed() and over.left() == 0 and over.cap(5) == 0
    assert over.request_timeout() == 0.5  # the last poll still gets a moment to be answered
    never = Deadline(None)
    assert never.left() is None and not never.passed() and never.request_timeout(7) == 7
