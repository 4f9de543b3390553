"""Add and remove disks and NICs of a VM: a new 30 GiB disk and a second NIC, then both removed
again. (CloudTower re-creates disks and NICs when it syncs, so their ids change: find a disk by
its VM and volume, a NIC by its VM and MAC address.)

    python examples/disks_and_nics.py            # against a built-in simulated CloudTower
    python examples/disks_and_nics.py --host https://tower.example.com --user admin --password ...

It works on a VM of its own, sdk-devices, deleted at the end.
"""
from __future__ import print_function

import argparse
import sys

from cloudtower import ApiClient, ClusterApi, VlanApi, VmApi, VmDisk, VmDiskApi, VmNic, VmNicApi, WithTaskVm
from cloudtower.connection import connect_or_simulate
from cloudtower.utils import wait_tasks


def show(client, vm_id, when):
    # type: (ApiClient, str, str) -> tuple[list[VmDisk], list[VmNic]]
    """Print the disks and NICs of VM `vm_id`; return them."""
    disks = VmDiskApi(client).get_vm_disks({"where": {"vm": {"id": vm_id}}, "orderBy": "boot_ASC"})
    nics = VmNicApi(client).get_vm_nics({"where": {"vm": {"id": vm_id}}, "orderBy": "order_ASC"})
    disk_names = ["%s %s" % (disk.type, disk.vm_volume.name if disk.vm_volume else "-") for disk in disks]
    nic_names = ["%s (%s)" % (nic.mac_address, nic.model) for nic in nics]
    print("%s: disks %s; NICs %s" % (when, ", ".join(disk_names), ", ".join(nic_names)))
    return disks, nics


def done(client, answer):
    # type: (ApiClient, list[WithTaskVm]) -> None
    """Wait for the tasks of a VM operation."""
    wait_tasks([item.task_id for item in answer], client, interval=1)


def main():
    # type: () -> int
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    with connect_or_simulate(parser, task_delay=0.2) as (client, _):
        vm_api = VmApi(client)
        cluster = ClusterApi(client).get_clusters({"where": {"type": "SMTX_OS"}, "first": 1})[0]
        vlan = VlanApi(client).get_vlans(
            {"where": {"name": "default", "vds": {"cluster": {"id": cluster.id}}}})[0]
        made = vm_api.create_vm([{
            "name": "sdk-devices", "cluster_id": cluster.id, "status": "STOPPED", "firmware": "BIOS",
            "ha": False, "cpu_sockets": 1, "cpu_cores": 1, "memory": 1, "memory_unit": "GB",
            "vm_nics": [{"connect_vlan_id": vlan.id}],
            "vm_disks": {"mount_new_create_disks": [{"boot": 0, "bus": "VIRTIO", "vm_volume": {
                "name": "sdk-devices-disk", "size": 10, "size_unit": "GB",
                "elf_storage_policy": "REPLICA_2_THIN_PROVISION"}}]}}])
        done(client, made)
        vm_id = made[0].data.id
        try:
            show(client, vm_id, "at first")
            done(client, vm_api.add_vm_disk({"where": {"id": vm_id}, "data": {"vm_disks": {
                "mount_new_create_disks": [{"boot": 1, "bus": "VIRTIO", "vm_volume": {
                    "name": "sdk-devices-data", "size": 30, "size_unit": "GB",
                    "elf_storage_policy": "REPLICA_2_THIN_PROVISION"}}]}}}))
            done(client, vm_api.add_vm_nic({"where": {"id": vm_id}, "data": {"vm_nics": [
                {"connect_vlan_id": vlan.id, "model": "E1000"}]}}))
            disks, nics = show(client, vm_id, "added")

            data_disk = [disk for disk in disks
                         if disk.vm_volume and disk.vm_volume.name == "sdk-devices-data"][0]
            done(client, vm_api.remove_vm_disk(
                {"where": {"id": vm_id}, "data": {"disk_ids": [data_disk.id]}}))
            added_nic = [nic for nic in nics if nic.model == "E1000"][0]
            done(client, vm_api.remove_vm_nic_by_where({
                "where": {"vm": {"id": vm_id}, "mac_address": added_nic.mac_address},
                "effect": {"vm_ids": [vm_id]}}))
            show(client, vm_id, "removed")
        finally:
            wait_tasks([item.task_id for item in vm_api.delete_vm({"where": {"id": vm_id}})], client)
    return 0


if __name__ == "__main__":
    sys.exit(main())
