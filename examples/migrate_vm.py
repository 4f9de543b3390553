"""Migrate a running VM (live) to another host of its cluster, and back. (Across clusters:
`VmApi.migrate_vm_across_cluster`, with a mapping of the networks.)

    python examples/migrate_vm.py                # against a built-in simulated CloudTower
    python examples/migrate_vm.py --host https://tower.example.com --user admin --password ...
"""
from __future__ import print_function

import argparse

from cloudtower import VmApi
from cloudtower.connection import connect_or_simulate
from cloudtower.utils import wait_task
from sandbox import Place, scratch_vms


def migrate(client, vm_id, host_id):
    """Migrate VM `vm_id` to host `host_id`; returns the name of the host it is on then."""
    answer = VmApi(client).migrate_vm({"where": {"id": vm_id}, "data": {"host_id": host_id}})
    wait_task(answer[0].task_id, client, interval=1)
    return VmApi(client).get_vms({"where": {"id": vm_id}})[0].host.name


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    with connect_or_simulate(parser, task_delay=0.3) as (client, args):
        place = Place(client)
        if len(place.hosts) < 2:
            raise SystemExit("cluster %s has one host: nowhere to migrate to" % place.cluster.name)
        with scratch_vms(client, place, ["sdk-migrate"], status="RUNNING") as (vm_id,):
            vm = VmApi(client).get_vms({"where": {"id": vm_id}})[0]
            target = [host for host in place.hosts if host.id != vm.host.id][-1]
            print("sdk-migrate runs on %s" % vm.host.name)
            print("migrated to %s (asked for %s)" % (migrate(client, vm_id, target.id), target.name))
            print("migrated back to %s" % migrate(client, vm_id, vm.host.id))


if __name__ == "__main__":
    main()
