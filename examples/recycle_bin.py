"""Delete a VM into the recycle bin, recover it, and delete it for good.

`move_vm_to_recycle_bin` puts a VM in the recycle bin whatever the settings say; `delete_vm` does
so when the recycle bin is on (for the VM's cluster, or globally:
`GlobalSettingsApi.update_global_recycle_bin_setting`), and deletes a VM already in the bin.

    python examples/recycle_bin.py               # against a built-in simulated CloudTower
    python examples/recycle_bin.py --host https://tower.example.com --user admin --password ...

It works on a VM of its own, sdk-recycled, which it deletes for good.
"""
from __future__ import print_function

import argparse
import sys

from cloudtower import ApiClient, ClusterApi, VmApi, WithTaskDeleteVm, WithTaskVm
from cloudtower.connection import connect_or_simulate
from cloudtower.utils import wait_tasks


def report(client, operation, vm_id, answer):
    # type: (ApiClient, str, str, list[WithTaskVm] | list[WithTaskDeleteVm]) -> None
    """Wait for the tasks of `answer`, then say where VM `vm_id` is."""
    wait_tasks([item.task_id for item in answer], client, interval=1)
    found = VmApi(client).get_vms({"where": {"id": vm_id}})
    state = ("in the recycle bin" if found[0].in_recycle_bin else found[0].status) if found else "gone"
    print("after %s: sdk-recycled is %s" % (operation, state))


def main():
    # type: () -> int
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    with connect_or_simulate(parser, task_delay=0.2) as (client, _):
        vm_api = VmApi(client)
        cluster = ClusterApi(client).get_clusters({"where": {"type": "SMTX_OS"}, "first": 1})[0]
        made = vm_api.create_vm([{
            "name": "sdk-recycled", "cluster_id": cluster.id, "status": "STOPPED", "firmware": "UEFI",
            "ha": False, "cpu_sockets": 1, "cpu_cores": 2, "memory": 2, "memory_unit": "GB", "vm_nics": [],
            "vm_disks": {}}])
        vm_id = made[0].data.id
        report(client, "create_vm", vm_id, made)
        report(client, "move_vm_to_recycle_bin", vm_id,
               vm_api.move_vm_to_recycle_bin({"where": {"id": vm_id}}))
        report(client, "recover_vm_from_recycle_bin", vm_id,
               vm_api.recover_vm_from_recycle_bin({"where": {"id": vm_id}}))
        report(client, "move_vm_to_recycle_bin", vm_id,
               vm_api.move_vm_to_recycle_bin({"where": {"id": vm_id}}))
        # a VM in the recycle bin: deleted for good
        report(client, "delete_vm", vm_id, vm_api.delete_vm({"where": {"id": vm_id}}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
