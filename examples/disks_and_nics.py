"""Add and remove disks and NICs of a VM: a new 30 GiB disk and a second NIC, then both removed
again. (CloudTower re-creates disks and NICs when it syncs, so their ids change: find a disk by
its VM and volume, a NIC by its VM and MAC address.)

    python examples/disks_and_nics.py            # against a built-in simulated CloudTower
    python examples/disks_and_nics.py --host https://tower.example.com --user admin --password ...
"""
from __future__ import print_function

import argparse

from cloudtower import VmApi, VmDiskApi, VmNicApi
from cloudtower.connection import connect_or_simulate
from cloudtower.utils import wait_tasks
from sandbox import Place, scratch_vms

GIB = 1024 ** 3


def show(client, vm_id, when):
    disks = VmDiskApi(client).get_vm_disks({"where": {"vm": {"id": vm_id}}, "orderBy": "boot_ASC"})
    nics = VmNicApi(client).get_vm_nics({"where": {"vm": {"id": vm_id}}, "orderBy": "order_ASC"})
    disk_names = ["%s %s" % (disk.type, disk.vm_volume.name if disk.vm_volume else "-") for disk in disks]
    nic_names = ["%s (%s)" % (nic.mac_address, nic.model) for nic in nics]
    print("%s: disks %s; NICs %s" % (when, ", ".join(disk_names), ", ".join(nic_names)))
    return disks, nics


def change(client, operation, body):
    """Run a VM operation and wait for its task."""
    answer = getattr(VmApi(client), operation)(body)
    wait_tasks([item.task_id for item in answer], client, interval=1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    with connect_or_simulate(parser, task_delay=0.2) as (client, args):
        place = Place(client)
        with scratch_vms(client, place, ["sdk-devices"]) as (vm_id,):
            show(client, vm_id, "at first")
            new_disk = {"boot": 1, "bus": "VIRTIO", "vm_volume": {
                "name": "sdk-devices-data", "size": 30, "size_unit": "GB",
                "elf_storage_policy": "REPLICA_2_THIN_PROVISION"}}
            change(client, "add_vm_disk",
                   {"where": {"id": vm_id}, "data": {"vm_disks": {"mount_new_create_disks": [new_disk]}}})
            change(client, "add_vm_nic", {"where": {"id": vm_id}, "data": {"vm_nics": [
                {"connect_vlan_id": place.vlan.id, "model": "E1000"}]}})
            disks, nics = show(client, vm_id, "added")
            data_disk = [disk for disk in disks
                         if disk.vm_volume and disk.vm_volume.name == "sdk-devices-data"][0]
            change(client, "remove_vm_disk", {"where": {"id": vm_id}, "data": {"disk_ids": [data_disk.id]}})
            added_nic = [nic for nic in nics if nic.model == "E1000"][0]
            change(client, "remove_vm_nic_by_where",
                   {"where": {"vm": {"id": vm_id}, "mac_address": added_nic.mac_address},
                    "effect": {"vm_ids": [vm_id]}})
            show(client, vm_id, "removed")


if __name__ == "__main__":
    main()
