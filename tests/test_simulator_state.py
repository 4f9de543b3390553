"""The --state file, in process: what a restart loads (the snapshot and the journal replayed) is
exactly what the simulator served, whatever changed while snapshots were being written. (Killing
a real process at bad moments: test_simulator_cli.py.)"""
from __future__ import absolute_import

import json
import os
import shutil
import threading

import pytest

from cloudtower import LabelApi, ResourceLockedException, VmApi
from cloudtower.simulator import Simulator
from cloudtower.simulator.catalog import catalog
from cloudtower.simulator.statefile import StateFile
from cloudtower.simulator.store import Store
from cloudtower.utils import login, wait_tasks


def everything(store):
    """A store's whole state as comparable text."""
    return json.dumps(store.dump(), sort_keys=True)


def loaded_from(directory, name="state.json"):
    """A store loaded from the state files in `directory`, as a restart would."""
    store = Store(catalog())
    assert StateFile(os.path.join(directory, name), store).load()
    return store


def copy_as_a_kill_would_leave_it(simulator, source, target):
    """The state files as they are between two changes (no compaction running)."""
    os.mkdir(target)
    with simulator._state._compacting:
        with simulator.store.lock:
            for name in os.listdir(source):
                if name.startswith("state.json"):
                    shutil.copy(os.path.join(source, name), target)
            return everything(simulator.store)


def test_what_a_restart_loads_is_what_was_served_while_snapshots_are_written(tmpdir):
    directory = str(tmpdir.mkdir("live"))
    simulator = Simulator(seed="demo", vms=200, task_delay=0.01, state=os.path.join(directory, "state.json"),
                          compact_after=30000).start()
    clients = [simulator.client() for _ in range(3)]
    vms = VmApi(clients[0]).get_vms({"first": 30})
    # Each call once before the threads (the SDK's first use of a model from many threads at
    # once is the subject of another test).
    created = LabelApi(clients[0]).create_label([{"key": "first", "value": "v"}])[0]
    wait_tasks([created.task_id], clients[0], interval=0.01, timeout=60)
    LabelApi(clients[0]).delete_label({"where": {"id": created.data.id}})
    VmApi(clients[0]).update_vm({"where": {"id": vms[0].id}, "data": {"description": "first"}})
    stop, failures = threading.Event(), []

    def churn(index):
        labels, api, vm_api = [], LabelApi(clients[index]), VmApi(clients[index])
        number = 0
        try:
            while not stop.is_set():
                number += 1
                labels.append(api.create_label([{"key": "k%d-%d" % (index, number), "value": "v"}])[0].data.id)
                vm = vms[(index * 10 + number) % len(vms)]
                try:
                    if number % 3 == 0:
                        api.delete_label({"where": {"id": labels[0]}})
                        labels.pop(0)
                    vm_api.update_vm({"where": {"id": vm.id}, "data": {"description": "n%d" % number}})
                except ResourceLockedException:  # its task has not ended yet: another time
                    pass
                if number % 7 == 0:
                    login(simulator.client(), "root", "root")  # a new token in the settings
        except Exception as error:  # noqa: BLE001 - reported below
            failures.append(repr(error))
    threads = [threading.Thread(target=churn, args=(index,)) for index in range(3)]
    for thread in threads:
        thread.start()
    try:
        compactions = simulator._state.compactions
        for moment in range(4):
            # Wait for a compaction to have happened since the last copy, then copy.
            for _ in range(6000):
                if simulator._state.compactions > compactions or failures:
                    break
                stop.wait(0.01)
            assert failures == []
            compactions = simulator._state.compactions
            target = str(tmpdir.join("copy%d" % moment))
            served = copy_as_a_kill_would_leave_it(simulator, directory, target)
            assert everything(loaded_from(target)) == served
        assert simulator._state.compactions >= 5  # (the first snapshot, then four or more)
    finally:
        stop.set()
        for thread in threads:
            thread.join(60)
        for client in clients:
            client.close()
        simulator.stop()
    assert failures == []
    served = everything(simulator.store)
    assert everything(loaded_from(directory)) == served  # after a clean stop: the snapshot alone
    assert sorted(os.listdir(directory)) == ["state.json"]


def test_replaying_a_change_twice_changes_nothing(tmpdir):
    simulator = Simulator(seed="demo", task_delay=0, state=str(tmpdir.join("state.json"))).start()
    try:
        client = simulator.client()
        LabelApi(client).create_label([{"key": "twice", "value": "v"}])
        vm = VmApi(client).get_vms({"first": 1})[0]
        VmApi(client).update_vm({"where": {"id": vm.id}, "data": {"name": "again"}})
        client.close()
        with simulator.store.lock:
            served = everything(simulator.store)
        journal = str(tmpdir.join("state.json.journal-1"))
        with open(journal, "rb") as handle:
            entries = [json.loads(line.decode("utf-8")) for line in handle.read().splitlines()[1:]]
        assert entries
        store = loaded_from(str(tmpdir))
        for entry in entries:
            store.apply(entry)
        assert everything(store) == served
    finally:
        simulator.stop()


def test_reset_writes_a_new_snapshot(tmpdir):
    state = str(tmpdir.join("state.json"))
    simulator = Simulator(seed="demo", task_delay=0, state=state).start()
    try:
        client = simulator.client()
        LabelApi(client).create_label([{"key": "gone-after-reset", "value": "v"}])
        simulator.reset()
        LabelApi(client).create_label([{"key": "after-reset", "value": "v"}])
        with simulator.store.lock:
            served = everything(simulator.store)
        assert everything(loaded_from(str(tmpdir))) == served
        keys = [label["key"] for label in loaded_from(str(tmpdir)).records("Label")]
        assert "after-reset" in keys and "gone-after-reset" not in keys
    finally:
        simulator.stop()


def test_a_state_of_the_previous_format_loads(tmpdir):
    """A state file written by an older simulator (one JSON document, no journal) loads."""
    with Simulator(seed="demo", task_delay=0) as first:
        data = first.store.dump()
    data["format"] = 1
    state = str(tmpdir.join("state.json"))
    with open(state, "w") as handle:
        json.dump(data, handle)
    with Simulator(seed="empty", task_delay=0, state=state) as second:
        assert len(second.store.records("Vm")) == len(data["tables"]["Vm"])
        LabelApi(second.client()).create_label([{"key": "new", "value": "v"}])
    with open(state) as handle:
        assert json.load(handle)["format"] == 2


@pytest.mark.parametrize("content", [b"", b"{", b"[]", b'{"format":2,"generation":1,"tables":{"Vm":[{"id"'])
def test_a_state_file_that_is_not_a_state_is_an_error_naming_it(tmpdir, content):
    state = str(tmpdir.join("state.json"))
    with open(state, "wb") as handle:
        handle.write(content)
    with pytest.raises(ValueError) as raised:
        Simulator(seed="demo", state=state)
    assert state in str(raised.value)
    with open(state, "rb") as handle:
        assert handle.read() == content  # left as it was
