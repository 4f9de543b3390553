"""Watch changes as they happen: a thread prints the VM events CloudTower records while the main
thread creates, renames and deletes a VM, then stops the watcher.

    python examples/watch_changes.py             # against a built-in simulated CloudTower
    python examples/watch_changes.py --host https://tower.example.com --user admin --password ...

`cloudtower watch --type VM` does the same from a shell.
"""
from __future__ import print_function

import argparse
import json
import threading
import time

from cloudtower import VmApi
from cloudtower.connection import connect_or_simulate
from cloudtower.utils import RevisionCompactedError, wait_tasks, watch
from sandbox import Place, scratch_vms


def follow(watcher, seen):
    """Print every event `watcher` yields (in revision order) until it is stopped."""
    try:
        for event in watcher:
            value = json.loads(event.new_value or event.old_value or "{}")
            print("  revision %s: %s %s %s" % (event.revision, event.action, event.resource_type,
                                               value.get("name", event.resource_id)))
            seen.append(event)
    except RevisionCompactedError as error:   # it fell too far behind: read afresh, watch from now
        print("  %s" % error.reason)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    with connect_or_simulate(parser, task_delay=0.2) as (client, args):
        watcher = watch(client, ["VM"], interval=0.5)
        seen = []
        thread = threading.Thread(target=follow, args=(watcher, seen), name="watcher")
        thread.daemon = True
        thread.start()
        while watcher.revision is None and thread.is_alive():   # it has found out where "now" is
            time.sleep(0.05)
        print("Watching VM changes from revision %s:" % watcher.revision)
        with scratch_vms(client, Place(client), ["sdk-watched"]) as (vm_id,):
            renamed = VmApi(client).update_vm(
                {"where": {"id": vm_id}, "data": {"name": "sdk-watched-renamed"}})
            wait_tasks([item.task_id for item in renamed], client, interval=1)
        time.sleep(2)   # give the watcher a poll or two to see the last events
        watcher.stop()
        thread.join(30)
        print("Saw %d event(s); a later watch can go on from revision %s." % (len(seen), watcher.revision))


if __name__ == "__main__":
    main()
