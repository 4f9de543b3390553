"""Power many VMs at once: one request starts (restarts, powers off) every VM a filter selects,
and one wait follows all their tasks, with progress.

    python examples/power_vms.py                 # against a built-in simulated CloudTower
    python examples/power_vms.py --host https://tower.example.com --user admin --password ...

It works on VMs of its own (sdk-power-1, -2 ...), deleted at the end.
"""
from __future__ import print_function

import argparse
import sys

from cloudtower import ApiClient, ClusterApi, Task, VmApi, VmWhereInput, WithTaskVm
from cloudtower.connection import connect_or_simulate
from cloudtower.utils import wait_tasks

PREFIX = "sdk-power-"


def wait_and_report(client, operation, started):
    # type: (ApiClient, str, list[WithTaskVm]) -> None
    """Wait for the tasks of a power operation (with progress), then print the VMs' states."""
    def progress(tasks):
        # type: (list[Task]) -> None
        ended = sum(1 for task in tasks if task.status in ("SUCCESSED", "FAILED"))
        print("  %s: %d of %d task(s) ended" % (operation, ended, len(tasks)))
    wait_tasks([item.task_id for item in started], client, interval=2, progress=progress)
    vms = VmApi(client).get_vms({"where": {"name_starts_with": PREFIX}, "orderBy": "name_ASC"})
    print("after %s: %s" % (operation, ", ".join("%s %s" % (vm.name, vm.status) for vm in vms)))


def main():
    # type: () -> int
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=3, help="how many VMs (default 3)")
    with connect_or_simulate(parser, task_delay=0.5) as (client, args):
        vm_api = VmApi(client)
        cluster = ClusterApi(client).get_clusters({"where": {"type": "SMTX_OS"}, "first": 1})[0]
        made = vm_api.create_vm([{
            "name": "%s%d" % (PREFIX, number), "cluster_id": cluster.id, "status": "STOPPED",
            "firmware": "BIOS", "ha": False, "cpu_sockets": 1, "cpu_cores": 1, "memory": 1,
            "memory_unit": "GB", "vm_nics": [], "vm_disks": {}} for number in range(1, int(args.count) + 1)])
        wait_tasks([item.task_id for item in made], client, interval=1)
        try:
            # one request each, for every VM the where selects
            ours = VmWhereInput(name_starts_with=PREFIX)
            wait_and_report(client, "start_vm", vm_api.start_vm({"where": ours}))
            wait_and_report(client, "restart_vm", vm_api.restart_vm({"where": ours}))
            wait_and_report(client, "poweroff_vm", vm_api.poweroff_vm({"where": ours}))
        finally:
            deleted = vm_api.delete_vm({"where": {"name_starts_with": PREFIX}})
            wait_tasks([item.task_id for item in deleted], client)
            print("Deleted the %s* VMs." % PREFIX)
    return 0


if __name__ == "__main__":
    sys.exit(main())
