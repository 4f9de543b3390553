"""Create VMs: a blank one with two disks, two NICs and a CD-ROM, and one from a content-library
template, set up by cloud-init. Both are deleted at the end.

    python examples/create_vm.py                       # against a built-in simulated CloudTower
    python examples/create_vm.py --host https://tower.example.com --user admin   # asks the password
"""
from __future__ import print_function

import argparse
import sys

from cloudtower import (ApiClient, Cluster, ClusterApi, ContentLibraryVmTemplate, ContentLibraryVmTemplateApi,
                        ElfImage, ElfImageApi, Vlan, VlanApi, VmApi, VmDiskApi)
from cloudtower.connection import connect_or_simulate
from cloudtower.utils import wait_tasks

GIB = 1024 ** 3


def create_blank_vm(client, cluster, vlan, iso):
    # type: (ApiClient, Cluster, Vlan, ElfImage | None) -> str
    """A stopped VM with a 20 GiB boot disk, a 50 GiB data disk, `iso` in a CD-ROM, two NICs."""
    created = VmApi(client).create_vm([{
        "name": "sdk-blank", "cluster_id": cluster.id, "status": "STOPPED", "firmware": "BIOS", "ha": True,
        "cpu_sockets": 1, "cpu_cores": 2, "vcpu": 2, "memory": 4, "memory_unit": "GB",
        "vm_disks": {
            "mount_cd_roms": [{"boot": 0, "index": 0, "elf_image_id": iso.id}] if iso else [],
            "mount_new_create_disks": [
                {"boot": 1, "bus": "VIRTIO", "vm_volume": {
                    "name": "sdk-blank-boot", "size": 20, "size_unit": "GB",
                    "elf_storage_policy": "REPLICA_2_THIN_PROVISION"}},
                {"boot": 2, "bus": "VIRTIO", "vm_volume": {
                    "name": "sdk-blank-data", "size": 50, "size_unit": "GB",
                    "elf_storage_policy": "REPLICA_2_THIN_PROVISION"}},
            ],
        },
        "vm_nics": [{"connect_vlan_id": vlan.id}, {"connect_vlan_id": vlan.id, "model": "E1000"}],
    }])
    wait_tasks([item.task_id for item in created], client, interval=1)
    return created[0].data.id


def create_from_template(client, cluster, template):
    # type: (ApiClient, Cluster, ContentLibraryVmTemplate) -> str
    """A running VM from a content-library template; cloud-init names it and gives it a key."""
    created = VmApi(client).create_vm_from_content_library_template([{
        "template_id": template.id, "cluster_id": cluster.id, "name": "sdk-from-template",
        "is_full_copy": False, "status": "RUNNING",
        "cloud_init": {
            "hostname": "sdk-web-1",
            "public_keys": ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExampleKeyOnlyForTheDocs sdk@example"],
            "nameservers": ["192.168.10.2"],
            "networks": [{"nic_index": 0, "type": "IPV4_DHCP"}],
            "user_data": "#cloud-config\npackages: [nginx]\n",
        },
    }])
    wait_tasks([item.task_id for item in created], client, interval=1)
    return created[0].data.id


def describe(client, vm_id):
    # type: (ApiClient, str) -> None
    """One line about VM `vm_id`: state, size, disks, NICs, host name."""
    vm = VmApi(client).get_vms({"where": {"id": vm_id}})[0]
    disks = VmDiskApi(client).get_vm_disks({"where": {"vm": {"id": vm_id}}, "orderBy": "boot_ASC"})
    kinds = ", ".join(str(disk.type) for disk in disks)
    print("  %-18s %-8s %d vCPU, %.0f GiB, disks: %s; %d NIC(s); hostname %s" % (
        vm.name, vm.status, vm.vcpu, vm.memory / GIB, kinds, len(vm.vm_nics or []), vm.hostname or "-"))


def main():
    # type: () -> int
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    with connect_or_simulate(parser, task_delay=0.2) as (client, _):
        cluster = ClusterApi(client).get_clusters(
            {"where": {"type": "SMTX_OS"}, "orderBy": "name_ASC", "first": 1})[0]
        vlan = VlanApi(client).get_vlans(
            {"where": {"name": "default", "vds": {"cluster": {"id": cluster.id}}}})[0]
        isos = ElfImageApi(client).get_elf_images({"where": {"cluster": {"id": cluster.id}}, "first": 1})
        templates = ContentLibraryVmTemplateApi(client).get_content_library_vm_templates(
            {"where": {"clusters_some": {"id": cluster.id}}, "orderBy": "name_ASC", "first": 1})
        made = []  # type: list[str]
        try:
            print("On cluster %s:" % cluster.name)
            made.append(create_blank_vm(client, cluster, vlan, isos[0] if isos else None))
            describe(client, made[-1])
            if templates:
                made.append(create_from_template(client, cluster, templates[0]))
                describe(client, made[-1])
        finally:
            if made:
                deleted = VmApi(client).delete_vm({"where": {"id_in": made}})
                wait_tasks([item.task_id for item in deleted], client, interval=1)
                print("Deleted %d VM(s); done." % len(made))
    return 0


if __name__ == "__main__":
    sys.exit(main())
