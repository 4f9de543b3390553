"""Delete a VM into the recycle bin, recover it, and delete it for good.

`move_vm_to_recycle_bin` puts a VM in the recycle bin whatever the settings say; `delete_vm` does
so when the recycle bin is on (for the VM's cluster, or globally:
`GlobalSettingsApi.update_global_recycle_bin_setting`), and deletes a VM already in the bin.

    python examples/recycle_bin.py               # against a built-in simulated CloudTower
    python examples/recycle_bin.py --host https://tower.example.com --user admin --password ...
"""
from __future__ import print_function

import argparse

from cloudtower import VmApi
from cloudtower.connection import connect_or_simulate
from cloudtower.utils import wait_tasks
from sandbox import Place, scratch_vms


def run(client, operation, vm_id):
    """Run a VM operation on `vm_id`, wait for it, and say where the VM is then."""
    vm_api = VmApi(client)
    answer = getattr(vm_api, operation)({"where": {"id": vm_id}})
    wait_tasks([item.task_id for item in answer], client, interval=1)
    found = vm_api.get_vms({"where": {"id": vm_id}})
    state = ("in the recycle bin" if found[0].in_recycle_bin else found[0].status) if found else "gone"
    print("after %s: sdk-recycled is %s" % (operation, state))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    with connect_or_simulate(parser, task_delay=0.2) as (client, args):
        with scratch_vms(client, Place(client), ["sdk-recycled"]) as (vm_id,):
            run(client, "move_vm_to_recycle_bin", vm_id)
            run(client, "recover_vm_from_recycle_bin", vm_id)
            run(client, "move_vm_to_recycle_bin", vm_id)
            run(client, "delete_vm", vm_id)          # a VM in the recycle bin: deleted for good


if __name__ == "__main__":
    main()
