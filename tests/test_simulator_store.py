"""The simulator's store: records (fields in slots, read like a dict), the shared empty list,
relations kept both ways (each id once), totals kept change by change, and reset() of an estate
too large to keep a copy of."""
from __future__ import absolute_import

import copy
import json

import pytest

from cloudtower import VmApi
from cloudtower.simulator import Simulator
from cloudtower.simulator.catalog import catalog
from cloudtower.simulator.record import EMPTY, Record
from cloudtower.simulator.store import Store


@pytest.fixture
def store():
    return Store(catalog())


def test_a_record_reads_like_the_dict_it_replaces(store):
    cluster = store.create("Cluster", {"name": "c1"})
    vm = store.create("Vm", {"name": "web", "cluster": cluster["id"], "_note": "the simulator's own"})
    assert isinstance(vm, Record)
    assert vm["name"] == "web" and vm.get("cluster") == cluster["id"] and vm.get("nothing", 7) == 7
    assert "name" in vm and "_note" in vm and "nothing" not in vm
    with pytest.raises(KeyError):
        vm["nothing"]
    plain = vm.to_dict()
    assert type(plain) is dict and plain == dict(vm) == dict(vm.items()) and vm == plain
    assert plain["_note"] == "the simulator's own" and set(vm.keys()) == set(plain)
    assert len(vm) == len(plain) == len(catalog().resources["Vm"].fields) + 1
    assert json.loads(json.dumps(plain)) == plain
    assert copy.deepcopy(vm) == vm and copy.deepcopy(vm) is not vm


def test_a_records_fields_are_only_its_types_and_render_leaves_out_the_simulators_own(store):
    vm = store.create("Vm", {"name": "web", "_password": "secret"})
    shown = store.render("Vm", vm)
    assert "_password" not in shown and set(shown) == set(catalog().resources["Vm"].fields)


def test_empty_list_fields_share_one_list_that_cannot_change_in_place(store):
    first, second = store.create("Vm", {"name": "a"}), store.create("Vm", {"name": "b"})
    assert first["vm_disks"] is EMPTY and second["vm_disks"] is EMPTY and EMPTY == []
    with pytest.raises(TypeError):
        first["vm_disks"].append("x")
    with pytest.raises(TypeError):
        first["vm_disks"] += ["x"]
    assert EMPTY == [] and second["vm_disks"] == []
    disk = store.create("VmDisk", {"vm": first["id"]})
    assert first["vm_disks"] == [disk["id"]] and second["vm_disks"] == [] and EMPTY == []


def test_relations_are_kept_both_ways_when_records_are_made_changed_and_deleted(store):
    cluster = store.create("Cluster", {"name": "c1"})
    other = store.create("Cluster", {"name": "c2"})
    vm = store.create("Vm", {"name": "web", "cluster": cluster["id"]})
    assert cluster["vms"] == [vm["id"]]
    store.update("Vm", vm["id"], {"cluster": other["id"]})
    assert cluster["vms"] == [] and other["vms"] == [vm["id"]]
    store.delete("Vm", vm["id"])
    assert other["vms"] == []
    ghost = store.create("Vm", {"name": "ghost", "cluster": "no-such-cluster"})
    assert ghost["cluster"] is None  # a link to nothing is not made


def test_add_makes_a_whole_record_as_create_makes_it_and_links_it_both_ways(store):
    cluster = store.create("Cluster", {"name": "c1"})
    label = store.create("Label", {"key": "env", "value": "prod"})
    values = {"name": "web", "cluster": cluster["id"], "labels": [label["id"]], "memory": 4,
              "cpu": {"sockets": 1, "cores": 2}}
    made = store.create("Vm", dict(values))
    whole = store.blank("Vm")
    assert set(whole) == set(catalog().resources["Vm"].fields) and whole["vm_disks"] == []
    whole.update(values, labels=[label["id"]])
    added = store.add("Vm", whole)
    assert whole["id"] == added["id"] and added["id"] > made["id"]  # a new id, in creation order
    assert dict(added, id=made["id"]) == made
    assert cluster["vms"] == [made["id"], added["id"]] and label["vms"] == [made["id"], added["id"]]
    disk = store.blank("VmDisk")
    disk.update(vm=added["id"], bus="VIRTIO")
    disk = store.add("VmDisk", disk)
    assert added["vm_disks"] == [disk["id"]] and made["vm_disks"] == []
    store.delete("Vm", added["id"])
    assert cluster["vms"] == [made["id"]] and label["vms"] == [made["id"]]
    with pytest.raises(ValueError, match="lack the field 'bus'"):
        store.add("VmDisk", dict((key, value) for key, value in store.blank("VmDisk").items() if key != "bus"))


def test_a_to_many_relation_holds_each_id_once_and_changes_in_place(store):
    cluster = store.create("Cluster", {"name": "c1"})
    vms = [store.create("Vm", {"name": "vm-%d" % number, "cluster": cluster["id"]})["id"] for number in range(4)]
    listed = cluster["vms"]
    assert listed == vms
    store.delete("Vm", vms[1])
    assert cluster["vms"] is listed and listed == [vms[0], vms[2], vms[3]]  # not copied
    store.link("Cluster", cluster["id"], "vms", [vms[0], vms[0], vms[2]])
    assert cluster["vms"] == [vms[0], vms[2]]
    assert store.get("Vm", vms[3])["cluster"] is None and store.get("Vm", vms[0])["cluster"] == cluster["id"]
    store.update("Vm", vms[2], {"cluster": None})
    store.update("Vm", vms[0], {"cluster": None})
    assert cluster["vms"] == []


def test_totals_are_what_a_pass_over_the_records_gives(store):
    from cloudtower.simulator.store import Summary
    by_cluster = Summary("Vm", by=("cluster",), fields=("memory", "status"), names=("vms", "memory", "running"),
                         of=lambda vm: (1, vm.get("memory") or 0, int(vm.get("status") == "RUNNING")))
    first, second = store.create("Cluster", {"name": "c1"}), store.create("Cluster", {"name": "c2"})
    vm = store.create("Vm", {"name": "a", "cluster": first["id"], "memory": 4, "status": "RUNNING"})
    assert store.totals(by_cluster, "cluster", first["id"]) == {"vms": 1, "memory": 4, "running": 1}  # made
    store.create("Vm", {"name": "b", "cluster": first["id"], "memory": 2, "status": "STOPPED"})
    store.update("Vm", vm["id"], {"memory": 8})
    assert store.totals(by_cluster, "cluster", first["id"]) == {"vms": 2, "memory": 10, "running": 1}
    store.update("Vm", vm["id"], {"cluster": second["id"], "status": "STOPPED"})
    assert store.totals(by_cluster, "cluster", first["id"]) == {"vms": 1, "memory": 2, "running": 0}
    assert store.totals(by_cluster, "cluster", second["id"]) == {"vms": 1, "memory": 8, "running": 0}
    store.delete("Cluster", second["id"])  # its VM points at no cluster now
    store.delete("Vm", store.find("Vm", name="b")["id"])
    assert store.totals(by_cluster, "cluster", first["id"]) == {"vms": 0, "memory": 0, "running": 0}
    assert store.totals(by_cluster, "cluster", second["id"]) == {"vms": 0, "memory": 0, "running": 0}


def test_reset_of_a_large_estate_builds_the_seed_again(monkeypatch):
    import cloudtower.simulator as simulator_module
    monkeypatch.setattr(simulator_module, "LARGE_ESTATE", 10)  # the demo counts as large
    with Simulator(seed="demo", task_delay=0) as sim:
        assert sim._seed_state is None  # no copy kept
        client = sim.client()
        before = json.dumps(sim.store.dump()["tables"], sort_keys=True)
        vm = VmApi(client).get_vms({"first": 1})[0]
        VmApi(client).update_vm({"where": {"id": vm.id}, "data": {"name": "changed"}})
        sim.reset()
        assert json.dumps(sim.store.dump()["tables"], sort_keys=True).count('"changed"') == 0
        assert VmApi(client).get_vms({"where": {"id": vm.id}})[0].name == vm.name  # still logged in
        assert json.dumps(sim.store.dump()["tables"], sort_keys=True) == before  # the same estate again
