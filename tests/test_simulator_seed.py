# -*- coding: utf-8 -*-
"""The simulator's `demo` estate: its shape, figures that add up, records valid against their
schemas, the same estate at every build, `vms=N`, and what a client sees of it over HTTP."""
from __future__ import absolute_import

import json
import re

import pytest

from cloudtower import models
from cloudtower.model import INTEGER_TYPES, STRING_TYPES, fields, kind_of, split_type
from cloudtower.simulator import seed
from cloudtower.simulator.catalog import catalog
from cloudtower.simulator.store import Store

CJK = re.compile(u"[\u4e00-\u9fff]")
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def build(vms=None):
    store = Store(catalog())
    seed.build(store, "demo", vms=vms)
    return store


@pytest.fixture(scope="module")
def store():
    return build()


@pytest.fixture(scope="module")
def scaled():
    return build(vms=1000)


def records(store, type_name):
    return list(store.tables[type_name].values())


def by_id(store, type_name, ids):
    return [store.get(type_name, one) for one in ids]


# -- validity against the model tables --------------------------------------------------------

def check_value(type_string, value, path, errors):
    outer, inner = split_type(type_string)
    if outer:
        if not isinstance(value, list):
            errors.append("%s: %r is not a list" % (path, value))
            return
        for index, item in enumerate(value):
            if item is None:
                errors.append("%s[%d] is null" % (path, index))
            else:
                check_value(inner, item, "%s[%d]" % (path, index), errors)
        return
    if inner in ("str", "datetime", "date"):
        ok = isinstance(value, STRING_TYPES)
    elif inner == "int":
        ok = isinstance(value, INTEGER_TYPES) and not isinstance(value, bool)
    elif inner == "float":
        ok = isinstance(value, INTEGER_TYPES + (float,)) and not isinstance(value, bool)
    elif inner == "bool":
        ok = isinstance(value, bool)
    elif inner == "object":
        ok = isinstance(value, dict)
    elif kind_of(inner) == "plain":  # an enum
        ok = value in getattr(models, inner).allowable_values
    else:
        if not isinstance(value, dict):
            errors.append("%s: %r is not a %s object" % (path, value, inner))
        else:
            check_model(getattr(models, inner), value, path, errors)
        return
    if not ok:
        errors.append("%s: %r is not a valid %s" % (path, value, inner))


def check_model(model, value, path, errors):
    for field in fields(model).values():
        where = "%s.%s" % (path, field.key)
        if field.key not in value:
            if field.required:
                errors.append("%s is missing" % where)
            continue
        if value[field.key] is None:
            if not field.nullable:
                errors.append("%s is null" % where)
            continue
        check_value(field.type, value[field.key], where, errors)
    for key in value:
        if key not in fields(model):
            errors.append("%s.%s is not a field of %s" % (path, key, model.__name__))


def test_every_record_is_valid_against_its_schema(store):
    errors = []
    checked = 0
    for type_name in sorted(store.tables):
        model = getattr(models, type_name)
        for record in records(store, type_name):
            for key in record:
                if not key.startswith("_") and key not in fields(model):
                    errors.append("%s %s: stored key %r is not a field" % (type_name, record["id"], key))
            for language in ("en-US", "zh-CN"):
                check_model(model, store.render(type_name, record, language),
                            "%s[%s]" % (type_name, record["id"]), errors)
            checked += 1
    assert checked > 300
    assert errors == []


def test_scaled_records_are_valid_too(scaled):
    errors = []
    for type_name in ("Vm", "VmDisk", "VmVolume", "VmNic", "VmSnapshot", "Host", "Cluster", "Label"):
        model = getattr(models, type_name)
        for record in records(scaled, type_name)[::7]:
            check_model(model, scaled.render(type_name, record), type_name, errors)
    assert errors == []


# -- the shape of the estate ------------------------------------------------------------------

def test_datacenter_and_clusters(store):
    [datacenter] = records(store, "Datacenter")
    [organization] = records(store, "Organization")
    assert datacenter["organization"] == organization["id"]
    clusters = records(store, "Cluster")
    assert sorted(cluster["id"] for cluster in clusters) == sorted(datacenter["clusters"])
    elf = [cluster for cluster in clusters if cluster["type"] == "SMTX_OS"]
    zbs = [cluster for cluster in clusters if cluster["type"] == "SMTX_ZBS"]
    assert len(elf) == 2 and len(zbs) == 1
    assert all(cluster["hypervisor"] == "ELF" for cluster in elf)
    for cluster in clusters:
        assert 3 <= len(cluster["hosts"]) <= 4
        assert cluster["datacenters"] == [datacenter["id"]]
        assert cluster["connect_state"] == "CONNECTED"
    assert zbs[0]["vms"] == []


def test_hosts(store):
    hosts = records(store, "Host")
    statuses = [host["status"] for host in hosts]
    assert statuses.count("CONNECTED_HEALTHY") >= len(hosts) - 2
    ips = [host["management_ip"] for host in hosts]
    assert len(set(ips)) == len(ips) and all(re.match(r"^\d+\.\d+\.\d+\.\d+$", ip) for ip in ips)
    for host in hosts:
        assert host["total_cpu_cores"] > 0 and host["cpu_hz_per_core"] > 0 and host["cpu_brand"]
        assert host["total_cpu_hz"] == host["total_cpu_cores"] * host["cpu_hz_per_core"]
        assert 0 < host["used_cpu_hz"] < host["total_cpu_hz"]
        assert host["total_memory_bytes"] > host["used_memory_bytes"] >= host["os_memory_bytes"] > 0
        assert host["nic_count"] == len(host["nics"]) > 0


def test_disks_on_every_host(store):
    disks = records(store, "Disk")
    for host in records(store, "Host"):
        mine = by_id(store, "Disk", host["disks"])
        assert set(disk["type"] for disk in mine) == set(["HDD", "SSD"])
        assert all(disk["host"] == host["id"] and disk["serial"] and disk["size"] > 0 for disk in mine)
        assert host["hdd_disk_count"] == len([disk for disk in mine if disk["type"] == "HDD"])
        assert host["ssd_disk_count"] == len([disk for disk in mine if disk["type"] == "SSD"])
        data = [disk for disk in mine if disk["usage"] == "DATA" and disk["mounted"]]
        assert host["total_data_capacity"] == sum(disk["size"] for disk in data)
        assert host["hdd_data_capacity"] + host["ssd_data_capacity"] == host["total_data_capacity"]
        assert host["failure_data_space"] == sum(
            disk["size"] for disk in data if disk["health_status"] in ("UNHEALTHY", "SMART_FAILED"))
        assert host["used_data_space"] == sum(disk["partitions"][0]["used_size"] for disk in data)
        assert host["total_cache_capacity"] == sum(
            disk["size"] for disk in mine if disk["usage"] == "CACHE" and disk["mounted"])
    health = set(disk["health_status"] for disk in disks)
    assert set(["HEALTHY", "SUBHEALTHY", "UNHEALTHY", "SMART_FAILED"]) <= health
    usage = set(disk["usage_status"] for disk in disks)
    assert set(["MOUNTED", "UNMOUNTED", "PARTIAL_MOUNTED"]) <= usage
    assert len(set(disk["serial"] for disk in disks)) == len(disks)


def test_networks(store):
    for cluster in records(store, "Cluster"):
        vdses = by_id(store, "Vds", cluster["vdses"])
        vm_vds = [vds for vds in vdses if vds["type"] == "VM"]
        mgt_vds = [vds for vds in vdses if vds["type"] == "MANAGEMENT"]
        assert len(vm_vds) == 1 and len(mgt_vds) == 1
        assert mgt_vds[0]["internal"] and not vm_vds[0]["internal"]
        vlans = by_id(store, "Vlan", vm_vds[0]["vlans"])
        default = [vlan for vlan in vlans if vlan["name"] == "default"]
        assert len(default) == 1 and default[0]["vlan_id"] == 0 and len(vlans) >= 2
        assert vm_vds[0]["vlans_num"] == len(vlans)
        assert [vlan["type"] for vlan in by_id(store, "Vlan", mgt_vds[0]["vlans"])] == ["MANAGEMENT"]
        for host in by_id(store, "Host", cluster["hosts"]):
            nic_vdses = set(nic["vds"] for nic in by_id(store, "Nic", host["nics"]))
            assert nic_vdses == set([vm_vds[0]["id"], mgt_vds[0]["id"]])


def test_vms(store):
    vms = records(store, "Vm")
    assert len(vms) == 30
    elf = set(cluster["id"] for cluster in records(store, "Cluster") if cluster["hypervisor"] == "ELF")
    assert set(vm["cluster"] for vm in vms) == elf
    statuses = [vm["status"] for vm in vms]
    assert statuses.count("SUSPENDED") == 1
    assert statuses.count("RUNNING") > len(vms) // 2 and statuses.count("STOPPED") >= 3
    assert set(vm["vm_tools_status"] for vm in vms) == set(["RUNNING", "NOT_RUNNING", "NOT_INSTALLED"])
    assert set(vm["guest_os_type"] for vm in vms) == set(["LINUX", "WINDOWS"])
    assert len(set(vm["name"] for vm in vms)) == len(vms)
    buses = set()
    for vm in vms:
        host = store.get("Host", vm["host"])
        assert host["cluster"] == vm["cluster"] and vm["node_ip"] == host["management_ip"]
        assert vm["vcpu"] == vm["cpu"]["cores"] * vm["cpu"]["sockets"] and vm["memory"] > 0
        disks = by_id(store, "VmDisk", vm["vm_disks"])
        plain = [disk for disk in disks if disk["type"] == "DISK"]
        assert 1 <= len(plain) <= 3
        for disk in plain:
            volume = store.get("VmVolume", disk["vm_volume"])
            assert volume["cluster"] == vm["cluster"] and volume["vm_disks"] == [disk["id"]]
            buses.add(disk["bus"])
        assert vm["size"] == sum(store.get("VmVolume", disk["vm_volume"])["size"] for disk in plain)
        for disk in disks:
            if disk["type"] == "CD_ROM":
                image = store.get("ElfImage", disk["elf_image"])
                assert image["cluster"] == vm["cluster"] and image["name"].endswith(".iso")
        nics = by_id(store, "VmNic", vm["vm_nics"])
        assert 1 <= len(nics) <= 2
        first = store.get("Vlan", nics[0]["vlan"])
        assert first["name"] == "default" and store.get("Vds", first["vds"])["cluster"] == vm["cluster"]
        for nic in nics:
            assert re.match(r"^52:54:00(:[0-9a-f]{2}){3}$", nic["mac_address"]) and nic["ip_address"]
        if vm["vm_tools_status"] == "RUNNING":
            assert vm["ips"].split(",") == [nic["ip_address"] for nic in nics]
        for snapshot in by_id(store, "VmSnapshot", vm["snapshots"]):
            assert snapshot["vm"] == vm["id"] and snapshot["cluster"] == vm["cluster"]
    assert buses == set(["VIRTIO", "SCSI", "IDE"])
    assert any(vm["snapshots"] for vm in vms) and any(vm["folder"] for vm in vms)
    assert any(vm["vm_placement_group"] for vm in vms) and any(vm["labels"] for vm in vms)
    assert any(disk["type"] == "CD_ROM" for disk in records(store, "VmDisk"))
    macs = [nic["mac_address"] for nic in records(store, "VmNic")]
    assert len(set(macs)) == len(macs)


def test_images_templates_and_storage(store):
    for cluster in records(store, "Cluster"):
        images = [image for image in records(store, "ElfImage") if image["cluster"] == cluster["id"]]
        assert len(images) >= 2 if cluster["hypervisor"] == "ELF" else not images
    assert len(records(store, "VmTemplate")) == 2
    assert len(records(store, "ContentLibraryVmTemplate")) == 2
    zbs = [cluster for cluster in records(store, "Cluster") if cluster["type"] == "SMTX_ZBS"][0]
    targets = records(store, "IscsiTarget")
    assert targets and all(target["cluster"] == zbs["id"] and target["luns"] for target in targets)
    for lun in records(store, "IscsiLun"):
        assert lun["id"] in store.get("IscsiTarget", lun["iscsi_target"])["luns"]
    assert records(store, "IscsiLunSnapshot")


def test_folders_groups_and_labels(store):
    for folder in records(store, "VmFolder"):
        assert folder["vm_num"] == len(folder["vms"])
        assert all(store.get("Vm", vm)["cluster"] == folder["cluster"] for vm in folder["vms"])
    for group in records(store, "VmPlacementGroup"):
        assert all(store.get("Vm", vm)["cluster"] == group["cluster"] for vm in group["vms"])
    labels = records(store, "Label")
    assert len(labels) == 2
    for label in labels:
        assert label["vm_num"] == len(label["vms"]) and label["host_num"] == len(label["hosts"])
        assert label["total_num"] >= label["vm_num"]


def test_alerts(store):
    alerts = records(store, "Alert")
    assert set(alert["severity"] for alert in alerts) == set(["CRITICAL", "NOTICE", "INFO"])
    assert any(alert["ended"] for alert in alerts) and not all(alert["ended"] for alert in alerts)
    assert any(alert["vms"] for alert in alerts) and any(alert["disk"] for alert in alerts)
    for alert in alerts:
        assert alert["cluster"] and store.get("AlertRule", alert["alert_rule"])["cluster"] == alert["cluster"]
        if alert["host"]:
            assert store.get("Host", alert["host"])["cluster"] == alert["cluster"]
        translated = alert["_i18n"]["zh-CN"]
        assert sorted(translated) == ["cause", "impact", "message", "solution"]
        for key in translated:
            assert alert[key] and not CJK.search(alert[key])
            assert CJK.search(translated[key])
        assert bool(alert["local_end_time"]) == alert["ended"]
    assert records(store, "GlobalAlertRule") and records(store, "AlertRule")


def test_tasks_and_settings(store):
    tasks = records(store, "Task")
    statuses = [task["status"] for task in tasks]
    assert statuses.count("FAILED") == 1 and statuses.count("SUCCESSED") == len(tasks) - 1
    for task in tasks:
        assert task["finished_at"] > task["started_at"]
        assert bool(task["error_message"]) == (task["status"] == "FAILED")
    [settings] = records(store, "GlobalSettings")
    assert settings["vm_recycle_bin"]["enabled"] is False
    clusters = records(store, "Cluster")
    settings_of = sorted(item["cluster"] for item in records(store, "ClusterSettings"))
    assert settings_of == sorted(cluster["id"] for cluster in clusters)
    assert all(cluster["settings"] for cluster in clusters)


def test_timestamps_are_fixed(store):
    for type_name in ("Vm", "Alert", "Task", "VmVolume", "Label", "IscsiLun"):
        for record in records(store, type_name):
            for key, value in record.items():
                timestamp = key.endswith("_at") or key.endswith("_time")
                if timestamp and isinstance(value, STRING_TYPES) and value:
                    assert ISO.match(value) and value <= "2026-01-01T00:00:00.000Z", (type_name, key, value)


# -- figures that add up ----------------------------------------------------------------------

CLUSTER_SUMS = ("total_cpu_cores", "total_cpu_sockets", "total_cpu_hz", "used_cpu_hz", "total_memory_bytes",
                "used_memory_bytes", "total_data_capacity", "used_data_space", "failure_data_space",
                "total_cache_capacity", "provisioned_cpu_cores", "provisioned_memory_bytes", "vm_num",
                "running_vm_num", "stopped_vm_num", "suspended_vm_num")


def check_figures(store):
    vms = records(store, "Vm")
    for host in records(store, "Host"):
        mine = by_id(store, "Vm", host["vms"])
        active = [vm for vm in mine if vm["status"] in ("RUNNING", "SUSPENDED")]
        assert host["vm_num"] == len(mine)
        assert host["running_vm_num"] == len([vm for vm in mine if vm["status"] == "RUNNING"])
        assert host["stopped_vm_num"] == len([vm for vm in mine if vm["status"] == "STOPPED"])
        assert host["suspended_vm_num"] == len([vm for vm in mine if vm["status"] == "SUSPENDED"])
        assert host["running_pause_vm_memory_bytes"] == sum(vm["memory"] for vm in active)
        assert host["used_memory_bytes"] == host["os_memory_bytes"] + host["running_pause_vm_memory_bytes"]
        assert host["used_memory_bytes"] <= host["total_memory_bytes"]      # running VMs fit
        assert host["allocatable_memory_bytes"] == host["total_memory_bytes"] - host["used_memory_bytes"]
        assert host["provisioned_memory_bytes"] == sum(vm["memory"] for vm in mine)
        assert host["provisioned_cpu_cores"] == sum(vm["vcpu"] for vm in mine)
    for cluster in records(store, "Cluster"):
        hosts = by_id(store, "Host", cluster["hosts"])
        assert cluster["host_num"] == len(hosts)
        for key in CLUSTER_SUMS:
            assert cluster[key] == sum(host[key] for host in hosts), key
        assert cluster["valid_data_space"] == cluster["total_data_capacity"] - cluster["failure_data_space"]
        mine = [vm for vm in vms if vm["cluster"] == cluster["id"]]
        assert cluster["vm_num"] == len(mine) == len(cluster["vms"])
        assert cluster["running_vm_num"] == len([vm for vm in mine if vm["status"] == "RUNNING"])
        assert cluster["provisioned_cpu_cores_for_active_vm"] == sum(
            vm["vcpu"] for vm in mine if vm["status"] == "RUNNING")
    [datacenter] = records(store, "Datacenter")
    clusters = records(store, "Cluster")
    assert datacenter["cluster_num"] == len(clusters)
    for key in ("host_num", "vm_num", "total_cpu_hz", "used_cpu_hz", "total_memory_bytes",
                "used_memory_bytes", "total_data_capacity", "used_data_space", "failure_data_space"):
        assert datacenter[key] == sum(cluster[key] for cluster in clusters), key


def test_figures_add_up(store):
    check_figures(store)


def test_vms_option_scales_the_estate(scaled):
    assert len(records(scaled, "Vm")) == 1000
    check_figures(scaled)
    assert len(records(scaled, "Cluster")) == 3 and len(records(scaled, "Host")) == 10
    names = [vm["name"] for vm in records(scaled, "Vm")]
    assert len(set(names)) == len(names)
    assert all(1 <= len(vm["vm_nics"]) <= 2 for vm in records(scaled, "Vm"))


def test_small_vm_counts():
    for count in (0, 1):
        store = build(vms=count)
        assert len(records(store, "Vm")) == count
        check_figures(store)
        severities = set(alert["severity"] for alert in records(store, "Alert"))
        assert severities == set(["CRITICAL", "NOTICE", "INFO"])


def test_ten_thousand_vms():
    """(How fast: benchmarks/simulator.py, startup.)"""
    store = build(vms=10000)
    vms = records(store, "Vm")
    assert len(vms) == 10000 and len(set(vm["name"] for vm in vms)) == 10000
    check_figures(store)
    assert sum(len(host["vms"]) for host in records(store, "Host")) == 10000
    assert set(vm["status"] for vm in vms) == set(["RUNNING", "STOPPED", "SUSPENDED"])


def test_same_estate_every_time(store):
    again = build()
    first, second = [json.dumps(each.dump()["tables"], sort_keys=True) for each in (store, again)]
    assert first == second
    assert store.id_counter == again.id_counter


def test_build_keeps_the_store_clock():
    store = Store(catalog())
    clock = store.clock
    seed.build(store, "demo")
    assert store.clock is clock


def test_empty_and_json_seeds(tmpdir):
    empty = Store(catalog())
    seed.build(empty, "empty")
    assert not any(empty.tables.values())
    saved = tmpdir.join("state.json")
    saved.write(json.dumps(build(vms=3).dump()))
    loaded = Store(catalog())
    seed.build(loaded, str(saved))
    assert len(records(loaded, "Vm")) == 3


# -- over HTTP ------------------------------------------------------------------------------

def test_a_client_sees_the_demo():
    from cloudtower.api.alert_api import AlertApi
    from cloudtower.api.vm_api import VmApi
    from cloudtower.simulator import Simulator
    with Simulator(seed="demo", task_delay=None) as sim:
        client = sim.client()
        try:
            for cluster in records(sim.store, "Cluster"):
                vms = VmApi(client).get_vms({"where": {"cluster": {"name": cluster["name"]}}})
                assert sorted(vm.id for vm in vms) == sorted(cluster["vms"])
                assert all(vm.cluster.name == cluster["name"] for vm in vms)
            english = AlertApi(client).get_alerts({})
            chinese = AlertApi(client).get_alerts({}, content_language="zh-CN")
            assert len(chinese) == len(english) == len(records(sim.store, "Alert"))
            for alert in chinese:
                assert CJK.search(alert.message) and CJK.search(alert.solution)
            for alert in english:
                assert not CJK.search(alert.message)
            assert set(alert.severity for alert in english) == set(["CRITICAL", "NOTICE", "INFO"])
        finally:
            client.close()
