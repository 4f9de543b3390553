# -*- coding: utf-8 -*-
"""The VM counters of hosts, clusters and folders (vm_num, provisioned memory and vCPUs, VMs per
state, a host's allocatable memory), which the simulator keeps up to date change by change
(Store.totals), always equal what counting every VM of each of them again gives - in the demo
estate as seeded, and after a random sequence of creates, deletes, moves to and from the recycle
bin, power changes, resizes, folder changes and migrations, through real HTTP with the SDK.
"""
from __future__ import absolute_import, unicode_literals

import random

from cloudtower.api.cluster_api import ClusterApi
from cloudtower.api.global_settings_api import GlobalSettingsApi
from cloudtower.api.host_api import HostApi
from cloudtower.api.task_api import TaskApi
from cloudtower.api.vlan_api import VlanApi
from cloudtower.api.vm_api import VmApi
from cloudtower.api.vm_folder_api import VmFolderApi
from cloudtower.exceptions import ApiException

GB = 1024 ** 3
ACTIVE = ("RUNNING", "SUSPENDED")
POWER = {"RUNNING": ("shut_down_vm", "poweroff_vm", "suspend_vm", "restart_vm"),  # what applies in each state
         "STOPPED": ("start_vm",), "SUSPENDED": ("resume_vm", "poweroff_vm")}


def full_recount(client):
    """{(kind, id): {counter: value}} of every host, cluster and folder, counted from the VMs each
    lists (as the simulator counted before it kept totals), and the same from the VMs' side."""
    vms = dict((vm.id, vm) for vm in VmApi(client).get_vms({}))
    places = [("Host", host) for host in HostApi(client).get_hosts({})] + \
        [("Cluster", cluster) for cluster in ClusterApi(client).get_clusters({})] + \
        [("VmFolder", folder) for folder in VmFolderApi(client).get_vm_folders({})]
    expected, shown = {}, {}
    for kind, place in places:
        listed = [vms[item.id] for item in place.vms or ()]
        key = {"Host": "host", "Cluster": "cluster", "VmFolder": "folder"}[kind]
        pointing = sorted(vm.id for vm in vms.values() if getattr(vm, key) and getattr(vm, key).id == place.id)
        assert sorted(vm.id for vm in listed) == pointing, (kind, place.name)  # both sides agree
        counted = [vm for vm in listed if not vm.in_recycle_bin]
        active = [vm for vm in counted if vm.status in ACTIVE]
        values = {"vm_num": len(counted)}
        if kind != "VmFolder":
            values.update(
                provisioned_memory_bytes=sum(vm.memory or 0 for vm in counted),
                provisioned_cpu_cores=sum(vm.vcpu or 0 for vm in counted),
                running_vm_num=len([vm for vm in counted if vm.status == "RUNNING"]),
                stopped_vm_num=len([vm for vm in counted if vm.status == "STOPPED"]),
                suspended_vm_num=len([vm for vm in counted if vm.status == "SUSPENDED"]))
        if kind == "Cluster":
            values["provisioned_cpu_cores_for_active_vm"] = sum(vm.vcpu or 0 for vm in counted
                                                                if vm.status == "RUNNING")
        if kind == "Host":
            values["running_pause_vm_memory_bytes"] = sum(vm.memory or 0 for vm in active)
            held = sum(vm.memory or 0 for vm in listed if vm.status in ACTIVE)  # the recycle bin's too
            values["allocatable_memory_bytes"] = max(0, place.total_memory_bytes - place.os_memory_bytes - held)
        expected[(kind, place.name)] = values
        shown[(kind, place.name)] = dict((name, getattr(place, name)) for name in values)
    return expected, shown


def assert_counters_add_up(client):
    expected, shown = full_recount(client)
    wrong = dict((place, (shown[place], values)) for place, values in expected.items() if shown[place] != values)
    assert not wrong, wrong


def test_the_seeded_counters_are_a_full_recount(start_simulator):
    sim = start_simulator(seed="demo", vms=90, task_delay=None)
    assert_counters_add_up(sim.client())


def test_counters_stay_a_full_recount_through_random_changes(start_simulator):
    sim = start_simulator(seed="demo", vms=60, task_delay=None)
    client = sim.client(retries=0)
    vm_api, settings = VmApi(client), GlobalSettingsApi(client)
    rng = random.Random(20260101)

    def pick(items):  # (as random.choice, the same on Python 2 and 3)
        return items[int(rng.random() * len(items))]
    clusters = [cluster for cluster in ClusterApi(client).get_clusters({"where": {"hypervisor": "ELF"}})]
    hosts = dict((cluster.id, [host.id for host in HostApi(client).get_hosts({"where": {"cluster": {"id": cluster.id}}})])
                 for cluster in clusters)
    folders = VmFolderApi(client).get_vm_folders({})
    vlans = dict((cluster.id, VlanApi(client).get_vlans({"where": {"name": "default", "vds": {"cluster": {"id": cluster.id}}}})[0])
                 for cluster in clusters)
    seen = dict((name, 0) for name in ("create", "delete", "bin", "recover", "power", "resize", "folder", "migrate",
                                       "across", "setting"))  # requests accepted, by kind

    def some_vm(**where):
        found = vm_api.get_vms({"where": where, "first": 1, "skip": int(rng.random() * 8)}) or \
            vm_api.get_vms({"where": where, "first": 1})
        return found[0] if found else None

    for step in range(160):
        kind = pick(("create", "create", "delete", "delete", "bin", "recover", "power", "power", "power",
                           "resize", "folder", "migrate", "migrate", "across", "setting"))
        vm = some_vm(in_recycle_bin=kind == "recover")
        if vm is None and kind != "create" and kind != "setting":
            continue
        where = {"where": {"id": vm.id}} if vm is not None else None
        try:
            if kind == "create":
                cluster = pick(clusters)
                params = {"cluster_id": cluster.id, "name": "new-%d" % step, "ha": True, "firmware": "BIOS",
                          "cpu_cores": pick((1, 2)), "cpu_sockets": pick((1, 2)),
                          "memory": pick((1, 2, 4)), "memory_unit": "GB",
                          "status": pick(("RUNNING", "STOPPED")), "vm_disks": {},
                          "vm_nics": [{"connect_vlan_id": vlans[cluster.id].id}]}
                if rng.random() < 0.5:
                    params["host_id"] = pick(hosts[cluster.id])
                folder = [one for one in folders if one.cluster.id == cluster.id]
                if folder and rng.random() < 0.5:
                    params["folder_id"] = folder[0].id
                vm_api.create_vm([params])
            elif kind == "delete":
                vm_api.delete_vm(where)
            elif kind == "bin":
                vm_api.move_vm_to_recycle_bin(where)
            elif kind == "recover":
                vm_api.recover_vm_from_recycle_bin(where)
            elif kind == "power":
                state = vm.status if rng.random() < 0.8 else pick(sorted(POWER))  # (or one that fails)
                getattr(vm_api, pick(POWER[state]))(where)
            elif kind == "resize":
                vm_api.update_vm(dict(where, data={"memory": pick((2, 8)) * GB, "vcpu": 4}))
            elif kind == "folder":
                folder = [one for one in folders if one.cluster.id == vm.cluster.id]
                if folder and not vm.folder:
                    vm_api.add_vm_to_folder(dict(where, data={"folder_id": folder[0].id}))
                else:
                    vm_api.remove_vm_to_folder(where)  # (the API names it so)
            elif kind == "migrate":
                vm_api.migrate_vm(where)
            elif kind == "across":
                target = [cluster for cluster in clusters if cluster.id != vm.cluster.id][0]
                config = {"migrate_type": "LIVE_MIGRATE", "elf_storage_policy": "REPLICA_2_THIN_PROVISION",
                          "network_mapping": [{"src_vlan_local_id": vlans[vm.cluster.id].local_id,
                                               "dest_vlan_local_id": vlans[target.id].local_id}]}
                vm_api.migrate_vm_across_cluster(dict(where, data={"cluster_id": target.id, "vm_config": config}))
            elif kind == "setting":
                settings.update_global_recycle_bin_setting({"enabled": rng.random() < 0.6, "retain": 7})
        except ApiException as error:
            assert error.status == 400, error  # refused (a running VM shrunk ...): nothing changed
            continue
        seen[kind] += 1
        sim.advance_tasks()
        if step % 40 == 39:
            assert_counters_add_up(client)
    assert_counters_add_up(client)
    done = set(task.key for task in TaskApi(client).get_tasks({"where": {"status": "SUCCESSED"}}))
    assert all(seen.values()), seen
    assert set(["create_vm", "delete_vm", "move_vm_to_recycle_bin", "recover_vm_from_recycle_bin", "start_vm",
                "suspend_vm", "update_vm", "add_vm_to_folder", "migrate_vm", "migrate_vm_across_cluster"]) <= done
