"""Back up a VM: take a snapshot and find the iSCSI LUN snapshots behind its disks.

    python examples/backup_vm.py [VM_NAME]    # against the built-in simulator (default: db-01)
    CLOUDTOWER_URL=... CLOUDTOWER_USER=... CLOUDTOWER_PASSWORD=... python examples/backup_vm.py VM_NAME
"""
from __future__ import print_function

import os
import sys

from cloudtower import (ApiClient, Configuration, IscsiLunSnapshot, IscsiLunSnapshotApi, VmApi, VmSnapshot,
                        VmSnapshotApi)
from cloudtower.utils import login, wait_tasks


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


def main(argv):
    # type: (list[str]) -> int
    vm_name = argv[1] if len(argv) > 1 else "db-01"
    simulator = None
    if os.environ.get("CLOUDTOWER_URL"):
        client = ApiClient(Configuration(host=os.environ["CLOUDTOWER_URL"]))
        login(client, os.environ["CLOUDTOWER_USER"], os.environ["CLOUDTOWER_PASSWORD"])
    else:
        from cloudtower.simulator import Simulator
        simulator = Simulator(seed="demo", task_delay=0.2).start()
        client = simulator.client()
    try:
        snapshot, lun_snapshots = backup_vm(client, vm_name, vm_name + "-backup")
        print("snapshot %s (%s) of %s" % (snapshot.name, snapshot.consistent_type, vm_name))
        for lun_snapshot in lun_snapshots:
            print("  LUN snapshot %s" % lun_snapshot.name)
    finally:
        client.close()
        if simulator is not None:
            simulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
