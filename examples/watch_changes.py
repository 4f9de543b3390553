"""Watch changes as they happen: a thread prints the VM events CloudTower records while the main
thread creates, renames and deletes a VM, then stops the watcher.

    python examples/watch_changes.py             # against a built-in simulated CloudTower
    python examples/watch_changes.py --host https://tower.example.com --user admin --password ...

`cloudtower watch --type VM` does the same from a shell.
"""
from __future__ import print_function

import argparse
import json
import sys
import threading
import time

from cloudtower import ClusterApi, ResourceChangeEvent, VmApi
from cloudtower.connection import connect_or_simulate
from cloudtower.utils import RevisionCompactedError, Watcher, wait_tasks, watch


def follow(watcher, seen):
    # type: (Watcher, list[ResourceChangeEvent]) -> None
    """Print every event `watcher` yields (in revision order) until it is stopped."""
    try:
        for event in watcher:
            value = json.loads(event.new_value or event.old_value or "{}")  # type: dict[str, object]
            print("  revision %s: %s %s %s" % (event.revision, event.action, event.resource_type,
                                               value.get("name", event.resource_id)))
            seen.append(event)
    except RevisionCompactedError as error:   # it fell too far behind: read afresh, watch from now
        print("  %s" % error.reason)


def main():
    # type: () -> int
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    with connect_or_simulate(parser, task_delay=0.2) as (client, _):
        watcher = watch(client, ["VM"], interval=0.5)
        seen = []  # type: list[ResourceChangeEvent]
        thread = threading.Thread(target=follow, args=(watcher, seen), name="watcher")
        thread.daemon = True
        thread.start()
        while watcher.revision is None and thread.is_alive():   # it has found out where "now" is
            time.sleep(0.05)
        print("Watching VM changes from revision %s:" % watcher.revision)
        vm_api = VmApi(client)
        cluster = ClusterApi(client).get_clusters({"where": {"type": "SMTX_OS"}, "first": 1})[0]
        made = vm_api.create_vm([{
            "name": "sdk-watched", "cluster_id": cluster.id, "status": "STOPPED", "firmware": "BIOS",
            "ha": False, "cpu_sockets": 1, "cpu_cores": 1, "memory": 512, "memory_unit": "MB", "vm_nics": [],
            "vm_disks": {}}])
        wait_tasks([item.task_id for item in made], client, interval=1)
        vm_id = made[0].data.id
        renamed = vm_api.update_vm({"where": {"id": vm_id}, "data": {"name": "sdk-watched-renamed"}})
        wait_tasks([item.task_id for item in renamed], client, interval=1)
        wait_tasks([item.task_id for item in vm_api.delete_vm({"where": {"id": vm_id}})], client)
        time.sleep(2)   # give the watcher a poll or two to see the last events
        watcher.stop()
        thread.join(30)
        print("Saw %d event(s); a later watch can go on from revision %s." % (len(seen), watcher.revision))
    return 0


if __name__ == "__main__":
    sys.exit(main())
