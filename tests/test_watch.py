"""watch() against the simulator's resource-change events: from now or a start revision, in
revision order, filtered by type, big-integer revisions, compaction raised, transient errors
retried, and stopped from another thread."""
from __future__ import absolute_import

import json
import logging
import threading
import time

import pytest

from cloudtower import ApiException, ApiValueError, VmApi
from cloudtower.utils import RevisionCompactedError, Watcher, watch


def rename(client, sim, vm_id, name):
    VmApi(client).update_vm({"where": {"id": vm_id}, "data": {"name": name}})
    sim.advance_tasks()


def some_vms(client, count=3):
    return VmApi(client).get_vms({"orderBy": "name_ASC", "first": count})


def take(watcher, count, timeout=30):
    """The first `count` events of `watcher` (read in a thread; stopped after `timeout`)."""
    events = []

    def run():
        for event in watcher:
            events.append(event)
            if len(events) >= count:
                break
    thread = threading.Thread(target=run, name="test-watch")
    thread.daemon = True
    thread.start()
    thread.join(timeout)
    watcher.stop()
    thread.join(timeout)
    assert not thread.is_alive()
    return events


def current_revision(client):
    from cloudtower import ResourceChangeApi
    return int(ResourceChangeApi(client).get_resource_changes(limit=1).current_revision)


def test_watch_from_now_sees_only_later_changes(demo, client):
    vms = some_vms(client)
    rename(client, demo, vms[0].id, "before-the-watch")
    watcher = watch(client, ["VM"], interval=0.01)
    events = []

    def run():
        for event in watcher:
            events.append(event)
            if len(events) == 2:
                break
    thread = threading.Thread(target=run, name="test-watch")
    thread.daemon = True
    thread.start()
    deadline = time.time() + 30
    while watcher.revision is None and time.time() < deadline:   # it has read where "now" is
        time.sleep(0.005)
    rename(client, demo, vms[1].id, "watched-1")
    rename(client, demo, vms[2].id, "watched-2")
    thread.join(30)
    watcher.stop()
    names = [json.loads(event.new_value)["name"] for event in events if event.action == "UPDATE"]
    assert "before-the-watch" not in names
    assert "watched-1" in names or "watched-2" in names
    assert all(event.resource_type == "VM" for event in events)


def test_watch_catches_up_from_a_start_revision_in_order(demo, client):
    vms = some_vms(client)
    start = current_revision(client) + 1
    for index, vm in enumerate(vms):
        rename(client, demo, vm.id, "renamed-%d" % index)
    end = current_revision(client)
    events = take(watch(client, start_revision=start, interval=0.01, page_size=2), end - start + 1)
    revisions = [int(event.revision) for event in events]
    assert revisions == list(range(start, end + 1))   # every one, in order, none twice
    renamed = []
    for event in events:
        name = json.loads(event.new_value or "{}").get("name") if event.resource_type == "VM" else None
        if name and name.startswith("renamed-") and name not in renamed:
            renamed.append(name)
    assert renamed == ["renamed-0", "renamed-1", "renamed-2"]
    assert set(event.resource_type for event in events) > set(["VM"])   # tasks too, without a filter


def renamed_since(client, sim, count):
    """Rename `count` VMs (adding "-x"); the revision of the first change."""
    start = current_revision(client) + 1
    for vm in some_vms(client, count):
        rename(client, sim, vm.id, vm.name + "-x")
    return start


def test_watch_filters_by_type_in_any_case(demo, client):
    start = renamed_since(client, demo, 2)
    events = take(watch(client, ["task"], start_revision=start, interval=0.01), 4)
    assert len(events) == 4 and set(event.resource_type for event in events) == set(["TASK"])
    events = take(watch(client, "VM", start_revision=str(start), interval=0.01), 2)
    assert set(event.resource_type for event in events) == set(["VM"])


def test_revisions_beyond_64_bits_are_compared_as_integers(start_simulator):
    sim = start_simulator(seed="demo", task_delay=None)
    client = sim.client()
    with sim.store.lock:
        sim.store.revision = 2 ** 64 - 3    # the next events cross 2**64 (and 10**19 as text)
    vm = some_vms(client, 1)[0]
    start = 2 ** 64 - 2
    for index in range(3):
        rename(client, sim, vm.id, "big-%d" % index)
    events = take(watch(client, ["VM"], start_revision=start, interval=0.01, page_size=3), 3)
    revisions = [int(event.revision) for event in events]
    assert revisions == sorted(revisions) and revisions[0] >= start and revisions[-1] > 2 ** 64
    watcher = watch(client, start_revision=str(2 ** 70))
    assert watcher.revision == 2 ** 70


def test_a_compacted_start_revision_raises_instead_of_skipping(start_simulator):
    sim = start_simulator(seed="demo", task_delay=None, max_events=10)
    client = sim.client()
    vm = some_vms(client, 1)[0]
    for index in range(8):
        rename(client, sim, vm.id, "churn-%d" % index)
    with pytest.raises(RevisionCompactedError) as raised:
        next(iter(watch(client, start_revision=1, interval=0.01)))
    error = raised.value
    assert isinstance(error, ApiException) and error.status == 410
    assert error.start_revision == 1 and error.compact_revision >= 1
    assert "Revision 1 has been compacted" in str(error)
    events = take(watch(client, start_revision=error.compact_revision + 1, interval=0.01), 3)
    assert int(events[0].revision) == error.compact_revision + 1


@pytest.mark.parametrize("kind, options, status", [
    ("status", {"status": 503, "retry_after": 0}, 503),
    ("status", {"status": 429}, 429),
    ("drop", {}, 0),
], ids=["503", "429", "dropped"])
def test_transient_errors_are_retried(demo, client, sent, caplog, kind, options, status):
    vm = some_vms(client, 1)[0]
    start = current_revision(client) + 1
    rename(client, demo, vm.id, "through-errors")
    demo.faults.add(kind, operation="/resource-changes", count=2, **options)
    with caplog.at_level(logging.WARNING, logger="cloudtower"):
        events = take(watch(client, ["VM"], start_revision=start, interval=0.01), 1)
    assert json.loads(events[0].new_value)["name"] == "through-errors"
    statuses = [request.status for request in sent(demo, "/resource-changes")]
    assert statuses[1:4] == [status, status, 200]   # (the first: the test asking where "now" is)
    mine = [record for record in caplog.records if record.name == "cloudtower.watch"]
    # one line per failed read; the transport may have retried some itself (and logged that)
    assert len(mine) <= 2 and all("reading resource changes failed" in record.getMessage() for record in mine)


def test_other_errors_are_raised(demo, client):
    demo.faults.add("status", operation="/resource-changes", count=1, status=500, message="db down")
    with pytest.raises(ApiException) as raised:
        next(iter(watch(client, start_revision=1)))
    assert raised.value.status == 500


def test_stop_from_another_thread_ends_a_waiting_watch(demo, client, sent):
    watcher = watch(client, ["VM"], interval=0.01)
    finished = threading.Event()

    def run():
        for _ in watcher:
            pass
        finished.set()
    thread = threading.Thread(target=run, name="test-watch")
    thread.daemon = True
    thread.start()
    deadline = time.time() + 30
    while len(sent(demo, "/resource-changes")) < 3 and time.time() < deadline:   # it is following
        time.sleep(0.005)
    watcher.stop()
    assert finished.wait(30)
    asked = len(sent(demo, "/resource-changes"))
    time.sleep(0.1)
    assert len(sent(demo, "/resource-changes")) == asked     # no more requests once stopped
    assert watcher.stopped and "stopped" in repr(watcher)


def test_stop_ends_a_watch_that_retries(demo, client):
    demo.faults.add("status", operation="/resource-changes", status=503)   # for ever
    with watch(client) as watcher:
        stopper = threading.Timer(0.3, watcher.stop)
        stopper.start()
        assert list(watcher) == []
    stopper.join()


def test_revision_says_where_to_go_on(demo, client):
    start = renamed_since(client, demo, 3)
    first = take(watch(client, ["VM"], start_revision=start, interval=0.01), 1)
    watcher = watch(client, ["VM"], start_revision=int(first[0].revision) + 1, interval=0.01)
    rest = take(watcher, 2)
    assert int(rest[0].revision) > int(first[0].revision)
    assert watcher.revision == int(rest[-1].revision) + 1


@pytest.mark.parametrize("arguments", [
    {"start_revision": "abc"}, {"start_revision": -1}, {"start_revision": True},
    {"resource_types": [5]}, {"resource_types": [""]}, {"page_size": 0}, {"page_size": 1001},
])
def test_bad_arguments_are_refused(client, arguments):
    with pytest.raises(ApiValueError):
        watch(client, **arguments)


def test_repr(client):
    assert repr(Watcher(client, ["vm"], 7)) == "<Watcher VM from revision 7>"
    assert repr(watch(client)) == "<Watcher every type from revision now>"
