"""Migrate a running VM (live) to another host of its cluster, and back. (Across clusters:
`VmApi.migrate_vm_across_cluster`, with a mapping of the networks.)

    python examples/migrate_vm.py                # against a built-in simulated CloudTower
    python examples/migrate_vm.py --host https://tower.example.com --user admin --password ...

It works on a VM of its own, sdk-migrate, deleted at the end.
"""
from __future__ import print_function

import argparse
import sys

from cloudtower import ApiClient, ClusterApi, HostApi, VmApi
from cloudtower.connection import connect_or_simulate
from cloudtower.utils import wait_task, when_unlocked


def host_of(client, vm_id):
    # type: (ApiClient, str) -> tuple[str, str]
    """(id, name) of the host VM `vm_id` is on."""
    host = VmApi(client).get_vms({"where": {"id": vm_id}})[0].host
    return (host.id, host.name) if host else ("", "-")


def migrate(client, vm_id, host_id):
    # type: (ApiClient, str, str) -> str
    """Migrate VM `vm_id` to host `host_id`; returns the name of the host it is on then."""
    answer = VmApi(client).migrate_vm({"where": {"id": vm_id}, "data": {"host_id": host_id}})
    wait_task(answer[0].task_id, client, interval=1)
    return host_of(client, vm_id)[1]


def main():
    # type: () -> int
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    with connect_or_simulate(parser, task_delay=0.3) as (client, _):
        vm_api = VmApi(client)
        cluster = ClusterApi(client).get_clusters({"where": {"type": "SMTX_OS"}, "first": 1})[0]
        hosts = HostApi(client).get_hosts({"where": {"cluster": {"id": cluster.id}}, "orderBy": "name_ASC"})
        if len(hosts) < 2:
            raise SystemExit("cluster %s has one host: nowhere to migrate to" % cluster.name)
        made = vm_api.create_vm([{
            "name": "sdk-migrate", "cluster_id": cluster.id, "host_id": hosts[0].id, "status": "RUNNING",
            "firmware": "BIOS", "ha": True, "cpu_sockets": 1, "cpu_cores": 1, "memory": 1,
            "memory_unit": "GB", "vm_nics": [], "vm_disks": {}}])
        wait_task(made[0].task_id, client, interval=1)
        vm_id = made[0].data.id
        try:
            first_id, first_name = host_of(client, vm_id)
            target = [host for host in hosts if host.id != first_id][-1]
            print("sdk-migrate runs on %s" % first_name)
            print("migrated to %s (asked for %s)" % (migrate(client, vm_id, target.id), target.name))
            print("migrated back to %s" % migrate(client, vm_id, first_id))
        finally:
            vm_api.poweroff_vm({"where": {"id": vm_id}})
            # the power-off task holds the VM for a moment: delete it once it is free
            deleted = when_unlocked(vm_api.delete_vm, timeout=120)({"where": {"id": vm_id}})
            wait_task(deleted[0].task_id, client, interval=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
