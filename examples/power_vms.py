"""Power many VMs at once: one request starts (restarts, powers off) every VM a filter selects,
and one wait follows all their tasks, with progress.

    python examples/power_vms.py                 # against a built-in simulated CloudTower
    python examples/power_vms.py --host https://tower.example.com --user admin --password ...
"""
from __future__ import print_function

import argparse

from cloudtower import VmApi
from cloudtower.connection import connect_or_simulate
from cloudtower.utils import wait_tasks
from sandbox import Place, scratch_vms


def power(client, operation, where):
    """Run a power operation (`start_vm`, `restart_vm`, `poweroff_vm` ...) on every VM `where`
    selects and wait for all of it; returns the VMs' states."""
    started = getattr(VmApi(client), operation)({"where": where})

    def progress(tasks):
        ended = sum(1 for task in tasks if task.status in ("SUCCESSED", "FAILED"))
        print("  %s: %d of %d task(s) ended" % (operation, ended, len(tasks)))
    wait_tasks([item.task_id for item in started], client, interval=2, progress=progress)
    return sorted((vm.name, vm.status) for vm in VmApi(client).get_vms({"where": where}))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=3, help="how many scratch VMs (default 3)")
    with connect_or_simulate(parser, task_delay=0.5) as (client, args):
        names = ["sdk-power-%d" % number for number in range(1, args.count + 1)]
        with scratch_vms(client, Place(client), names):
            where = {"name_starts_with": "sdk-power-"}
            for operation in ("start_vm", "restart_vm", "poweroff_vm"):
                states = power(client, operation, where)
                print("after %s: %s" % (operation, ", ".join("%s %s" % state for state in states)))


if __name__ == "__main__":
    main()
