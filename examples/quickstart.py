"""A tour of the SDK: log in, look around, create a VM, start it, snapshot it.

    python examples/quickstart.py                 # against a built-in simulated CloudTower
    python examples/quickstart.py --host https://tower.example.com --user admin   # a real one
    CLOUDTOWER_URL=https://tower.example.com CLOUDTOWER_USER=admin \\
        CLOUDTOWER_PASSWORD=... python examples/quickstart.py   # the same, from the environment

Against a real CloudTower it creates (and then deletes) a small VM named `sdk-quickstart`.
"""
from __future__ import print_function

import argparse
import logging
import sys

from cloudtower import ApiClient, ClusterApi, HostApi, VlanApi, VmApi, VmSnapshotApi
from cloudtower.connection import connect_or_simulate
from cloudtower.utils import wait_tasks

GIB = 1024 ** 3


def main():
    # type: () -> int
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    with connect_or_simulate(parser, task_delay=0.3) as (client, _):
        tour(client)
    return 0


def tour(client):
    # type: (ApiClient) -> None
    vm_api = VmApi(client)

    print("\nClusters:")
    for cluster in ClusterApi(client).get_clusters({"orderBy": "name_ASC"}):
        print("  %-12s %-9s %3d hosts, %3d VMs, memory %5.0f of %5.0f GiB used" % (
            cluster.name, cluster.type, len(cluster.hosts or []), len(cluster.vms or []),
            (cluster.used_memory_bytes or 0) / GIB, (cluster.total_memory_bytes or 0) / GIB))

    running = vm_api.get_vms_connection({"where": {"status": "RUNNING"}}).aggregate.count
    print("\n%d VMs are running. The five with the most memory:" % running)
    for vm in vm_api.get_vms({"where": {"status": "RUNNING"}, "orderBy": "memory_DESC", "first": 5}):
        print("  %-24s %2d vCPU %4.0f GiB on %s" % (vm.name, vm.vcpu, vm.memory / GIB, vm.host.name if vm.host else "-"))

    cluster = ClusterApi(client).get_clusters({"where": {"type": "SMTX_OS"}, "orderBy": "name_ASC", "first": 1})[0]
    host = HostApi(client).get_hosts({"where": {"cluster": {"id": cluster.id}}, "first": 1})[0]
    vlan = VlanApi(client).get_vlans({"where": {"name": "default", "vds": {"cluster": {"id": cluster.id}}}})[0]

    print("\nCreating VM sdk-quickstart on %s / %s ..." % (cluster.name, host.name))
    created = vm_api.create_vm([{
        "name": "sdk-quickstart",
        "cluster_id": cluster.id,
        "host_id": host.id,
        "status": "STOPPED",
        "firmware": "BIOS",
        "ha": True,
        "cpu_sockets": 1,
        "cpu_cores": 2,
        "vcpu": 2,
        "memory": 2,
        "memory_unit": "GB",
        "vm_nics": [{"connect_vlan_id": vlan.id}],
        "vm_disks": {"mount_new_create_disks": [{
            "boot": 0,
            "bus": "VIRTIO",
            "vm_volume": {"name": "sdk-quickstart-disk", "size": 20, "size_unit": "GB",
                          "elf_storage_policy": "REPLICA_2_THIN_PROVISION"},
        }]},
    }])
    wait_tasks([item.task_id for item in created], client, interval=0.5)
    vm_id = created[0].data.id

    started = vm_api.start_vm({"where": {"id": vm_id}})
    wait_tasks([item.task_id for item in started], client, interval=0.5)
    vm = vm_api.get_vms({"where": {"id": vm_id}})[0]
    print("VM %s is %s with %d disk(s) and %d NIC(s)" % (vm.name, vm.status, len(vm.vm_disks or []), len(vm.vm_nics or [])))

    snapshots = VmSnapshotApi(client).create_vm_snapshot(
        {"data": [{"vm_id": vm_id, "name": "sdk-quickstart-snap", "consistent_type": "CRASH_CONSISTENT"}]})
    wait_tasks([item.task_id for item in snapshots], client, interval=0.5)
    print("Snapshot %s taken" % snapshots[0].data.name)

    stopped = vm_api.poweroff_vm({"where": {"id": vm_id}})
    wait_tasks([item.task_id for item in stopped], client, interval=0.5)
    deleted = vm_api.delete_vm({"where": {"id": vm_id}})
    wait_tasks([item.task_id for item in deleted], client, interval=0.5)
    print("VM powered off and deleted; done.")


if __name__ == "__main__":
    sys.exit(main())
