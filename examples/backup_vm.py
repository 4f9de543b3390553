"""Back up a VM: take a snapshot and find the iSCSI LUN snapshots behind its disks.

    python examples/backup_vm.py [VM_NAME]    # against the built-in simulator (default: db-01)
    python examples/backup_vm.py VM_NAME --host https://tower.example.com --user admin
                                              # (or CLOUDTOWER_URL, CLOUDTOWER_USER ...)
"""
from __future__ import print_function

import argparse
import sys

from cloudtower import ApiClient, IscsiLunSnapshot, IscsiLunSnapshotApi, VmApi, VmSnapshot, VmSnapshotApi
from cloudtower.connection import connect_or_simulate
from cloudtower.utils import wait_tasks


def backup_vm(client, vm_name, snapshot_name):
    # type: (ApiClient, str, str) -> tuple[VmSnapshot, list[IscsiLunSnapshot]]
    """Snapshot the VM named `vm_name`; return the snapshot and its LUN snapshots."""
    vms = VmApi(client).get_vms({"where": {"name": vm_name}, "first": 1})
    if not vms:
        raise SystemExit("no VM named %r" % vm_name)
    vm = vms[0]

    created = VmSnapshotApi(client).create_vm_snapshot({"data": [{
        "vm_id": vm.id,
        "name": snapshot_name,
        # A file-system-consistent snapshot needs VMTools running in the guest.
        "consistent_type": "FILE_SYSTEM_CONSISTENT" if vm.vm_tools_status == "RUNNING" else "CRASH_CONSISTENT",
    }]})
    wait_tasks([item.task_id for item in created], client, interval=1)
    snapshot_id = created[0].data.id
    snapshot = VmSnapshotApi(client).get_vm_snapshots({"where": {"id": snapshot_id}})[0]

    # Each DISK of the snapshot names the LUN snapshot that holds it; CD-ROMs have none.
    local_ids = [disk.snapshot_local_id for disk in snapshot.vm_disks or [] if disk.type == "DISK"]
    lun_snapshots = IscsiLunSnapshotApi(client).get_iscsi_lun_snapshots(
        {"where": {"name_in": [local_id for local_id in local_ids if local_id is not None]}})
    return snapshot, lun_snapshots


def main():
    # type: () -> int
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("vm_name", nargs="?", default="db-01", help="the VM to back up (default db-01)")
    with connect_or_simulate(parser, task_delay=0.2) as (client, args):
        vm_name = str(args.vm_name)
        snapshot, lun_snapshots = backup_vm(client, vm_name, vm_name + "-backup")
        print("snapshot %s (%s) of %s" % (snapshot.name, snapshot.consistent_type, vm_name))
        for lun_snapshot in lun_snapshots:
            print("  LUN snapshot %s" % lun_snapshot.name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
