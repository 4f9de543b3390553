"""What the examples share: a place to work (the first SMTX OS cluster, a host, its `default` VLAN)
and small throw-away VMs, deleted when done. Not an example itself."""
from __future__ import print_function

import contextlib

from cloudtower import ClusterApi, HostApi, VlanApi, VmApi
from cloudtower.utils import wait_tasks


class Place(object):
    """The first SMTX OS (ELF) cluster by name, its hosts and its `default` VM VLAN."""

    def __init__(self, client):
        self.cluster = ClusterApi(client).get_clusters(
            {"where": {"type": "SMTX_OS"}, "orderBy": "name_ASC", "first": 1})[0]
        self.hosts = HostApi(client).get_hosts(
            {"where": {"cluster": {"id": self.cluster.id}}, "orderBy": "name_ASC"})
        self.vlan = VlanApi(client).get_vlans(
            {"where": {"name": "default", "vds": {"cluster": {"id": self.cluster.id}}}})[0]


@contextlib.contextmanager
def scratch_vms(client, place, names, status="STOPPED"):
    """Create small VMs (1 vCPU, 1 GiB, a 10 GiB disk, a NIC) named `names`; yield their ids;
    delete them at the end, whatever happens."""
    created = VmApi(client).create_vm([{
        "name": name, "cluster_id": place.cluster.id, "host_id": place.hosts[0].id, "status": status,
        "firmware": "BIOS", "ha": False, "cpu_sockets": 1, "cpu_cores": 1, "vcpu": 1, "memory": 1,
        "memory_unit": "GB", "vm_nics": [{"connect_vlan_id": place.vlan.id}],
        "vm_disks": {"mount_new_create_disks": [{"boot": 0, "bus": "VIRTIO", "vm_volume": {
            "name": name + "-disk", "size": 10, "size_unit": "GB",
            "elf_storage_policy": "REPLICA_2_THIN_PROVISION"}}]},
    } for name in names])
    ids = [item.data.id for item in created]
    try:
        wait_tasks([item.task_id for item in created], client, interval=1)
        yield ids
    finally:
        left = [vm.id for vm in VmApi(client).get_vms({"where": {"id_in": ids}})]
        if left:
            deleted = VmApi(client).delete_vm({"where": {"id_in": left}})
            wait_tasks([item.task_id for item in deleted], client, interval=1)
        print("Deleted the scratch VM(s) %s." % ", ".join(names))
