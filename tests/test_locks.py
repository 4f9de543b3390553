"""when_unlocked() against the simulator's resource locks: it waits until the locked resources'
entity_async_status is null, then sends the same request again, within a total timeout."""
from __future__ import absolute_import

import logging
import threading
import time

import pytest

from cloudtower import ApiException, ApiTypeError, ApiValueError, ResourceLockedException, VmApi
from cloudtower.operation_index import find, query_for
from cloudtower.polling import Deadline
from cloudtower.utils import when_unlocked
from cloudtower.locks import wait_until_free

UPDATE = "/update-vm-basic-info"


def two_vms(client):
    return VmApi(client).get_vms({"where": {"status": "STOPPED"}, "orderBy": "name_ASC", "first": 2})


def lock(client, vm_ids):
    """Start a task that holds each of `vm_ids` (they stay locked until advance_tasks())."""
    VmApi(client).update_vm({"where": {"id_in": list(vm_ids)}, "data": {"description": "held"}})


def vm_polls(sim, sent):
    return [request for request in sent(sim, "/get-vms") if "id_in" in (request.json.get("where") or {})]


def after(condition, action, timeout=30):
    """In a thread: once `condition()` holds, `action()`."""
    def run():
        deadline = time.time() + timeout
        while not condition() and time.time() < deadline:
            time.sleep(0.005)
        action()
    thread = threading.Thread(target=run, name="test-after")
    thread.daemon = True
    thread.start()
    return thread


def test_a_locked_update_waits_for_the_task_and_goes_through(demo, client, sent, caplog):
    vm = two_vms(client)[0]
    lock(client, [vm.id])
    releaser = after(lambda: len(vm_polls(demo, sent)) >= 2, demo.advance_tasks)
    update = when_unlocked(VmApi(client).update_vm, timeout=30, interval=0.05)
    with caplog.at_level(logging.INFO, logger="cloudtower.locks"):
        answer = update({"where": {"id": vm.id}, "data": {"description": "after the lock"}})
    releaser.join(30)
    assert answer[0].data.id == vm.id
    assert [request.status for request in sent(demo, UPDATE)] == [200, 400, 200]
    assert sent(demo, UPDATE)[1].json == sent(demo, UPDATE)[2].json   # the same request, again
    polls = vm_polls(demo, sent)
    assert len(polls) >= 3 and all(request.json == {"where": {"id_in": [vm.id]}} for request in polls)
    assert any("VM %s locked" % vm.id in record.getMessage() for record in caplog.records)
    demo.advance_tasks()
    assert VmApi(client).get_vms({"where": {"id": vm.id}})[0].description == "after the lock"


def test_every_locked_resource_must_be_free(demo, client, make_client, config, sent):
    first, second = two_vms(client)
    other = make_client(config)
    lock(client, [first.id, second.id])

    def release_then_hold_the_second():
        demo.faults.add("latency", operation="/get-vms", count=1, latency=1)   # our next look comes late
        demo.advance_tasks()
        lock(other, [second.id])                # the first is free now, the second held again
        after(lambda: len(vm_polls(demo, sent)) >= 4, demo.advance_tasks)
    after(lambda: len(vm_polls(demo, sent)) >= 2, release_then_hold_the_second)
    update = when_unlocked(VmApi(client).update_vm, timeout=30, interval=0.05)
    answer = update({"where": {"id_in": [first.id, second.id]}, "data": {"description": "both"}})
    assert sorted(item.data.id for item in answer) == sorted([first.id, second.id])
    journal = sent(demo)
    updates = [index for index, request in enumerate(journal) if request.path.endswith(UPDATE)]
    assert [journal[index].status for index in updates] == [200, 400, 200, 200]   # ours tried twice
    relock, retry = updates[2], updates[3]
    assert any(request.path.endswith("/get-vms") for request in journal[relock:retry])  # it looked again


def test_locked_again_before_the_retry_waits_again(demo, client, make_client, config, sent):
    vm = two_vms(client)[0]
    other = make_client(config)
    lock(client, [vm.id])

    def release():
        demo.faults.add("latency", operation=UPDATE, count=1, latency=1)   # our retry comes late ...
        demo.advance_tasks()
        seen = len(vm_polls(demo, sent))
        # ... and once we have seen the VM free, someone else takes it first
        after(lambda: len(vm_polls(demo, sent)) > seen, take_it)

    def take_it():
        VmApi(other).start_vm({"where": {"id": vm.id}})
        after(lambda: len(sent(demo, UPDATE)) >= 3, demo.advance_tasks)
    after(lambda: len(vm_polls(demo, sent)) >= 1, release)
    update = when_unlocked(VmApi(client).update_vm, timeout=30, interval=0.05)
    update({"where": {"id": vm.id}, "data": {"description": "third time"}})
    assert [request.status for request in sent(demo, UPDATE)] == [200, 400, 400, 200]
    assert [request.status for request in sent(demo, "/start-vm")] == [200]


def test_a_lock_that_outlasts_the_timeout_raises_it(demo, client, sent):
    vm = two_vms(client)[0]
    lock(client, [vm.id])   # never released: tasks move only on advance_tasks()
    update = when_unlocked(VmApi(client).update_vm, timeout=0.5, interval=0.05)
    with pytest.raises(ResourceLockedException) as raised:
        update({"where": {"id": vm.id}, "data": {"description": "never"}})
    assert raised.value.locked_resources == [{"id": vm.id, "type": "VM"}]
    assert [request.status for request in sent(demo, UPDATE)][1:] == [400]
    assert len(vm_polls(demo, sent)) >= 2


def test_other_errors_are_raised_at_once(demo, client, sent):
    vm = two_vms(client)[0]
    demo.faults.add("status", operation=UPDATE, count=1, status=500, message="db down")
    update = when_unlocked(VmApi(client).update_vm, timeout=30)
    with pytest.raises(ApiException) as raised:
        update({"where": {"id": vm.id}, "data": {"description": "x"}})
    assert raised.value.status == 500 and raised.value.message == "db down"
    assert len(sent(demo, UPDATE)) == 1 and vm_polls(demo, sent) == []


def test_transient_errors_while_checking_are_waited_through(demo, client, sent):
    vm = two_vms(client)[0]
    lock(client, [vm.id])
    demo.faults.add("status", operation="/get-vms", count=2, status=503)
    after(lambda: len(vm_polls(demo, sent)) >= 3, demo.advance_tasks)
    when_unlocked(VmApi(client).update_vm, timeout=30, interval=0.05)(
        {"where": {"id": vm.id}, "data": {"description": "through 503s"}})
    assert [request.status for request in vm_polls(demo, sent)][:2] == [503, 503]
    assert sent(demo, UPDATE)[-1].status == 200


def test_the_wrapper_keeps_the_methods_name_and_arguments(demo, client):
    update = when_unlocked(VmApi(client).update_vm)
    assert update.__name__ == "update_vm"
    with pytest.raises(ApiValueError):
        update({"where": {"id": "x"}, "data": {}}, async_req=True)
    with pytest.raises(ApiTypeError):
        when_unlocked(lambda: None)    # no Api object to ask whether the resource is free
    with pytest.raises(ApiTypeError):
        when_unlocked("update_vm", api_client=client)


def test_wait_until_free_of_a_type_no_query_shows(client):
    # Nothing tells whether it is free: one short wait, then the caller tries again.
    assert wait_until_free(client, [{"id": "x", "type": "NO_SUCH_TYPE"}], Deadline(5), interval=0.01)


def test_lock_types_map_to_their_queries():
    assert query_for("Vm").method == "get_vms"
    assert query_for("VmVolume").method == "get_vm_volumes"
    assert query_for("IscsiLun").method == "get_iscsi_luns"
    assert query_for("NoSuchType") is None
    assert [find(name).method for name in ("get-vms", "/get-vms", "GetVms", "get_vms")] == ["get_vms"] * 4
    packages = find("get_cloudtower_application_packages")     # a method not named like its path
    assert packages.operation.path == "/get-cloudtower-application-packages"
    assert find("no-such-operation") is None
