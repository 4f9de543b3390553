"""Page through a large estate: count the VMs, then read them all, 500 a request, and sum them up
by cluster and state - without holding a 10,000-VM answer at once.

    python examples/page_estate.py               # against a built-in simulator with 5,000 VMs
    python examples/page_estate.py --where-status RUNNING --host https://tower.example.com --user admin ...
"""
from __future__ import print_function

import argparse
import collections

from cloudtower import VmApi
from cloudtower.connection import connect_or_simulate
from cloudtower.utils import paginate

GIB = 1024 ** 3


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--where-status", help="only VMs in this state (RUNNING, STOPPED ...)")
    parser.add_argument("--page-size", type=int, default=500)
    with connect_or_simulate(parser, vms=5000, task_delay=0.2) as (client, args):
        body = {"orderBy": "name_ASC"}
        if args.where_status:
            body["where"] = {"status": args.where_status}
        vms = paginate(VmApi(client).get_vms, body, page_size=args.page_size)
        print("%d VMs match; reading them %d at a time" % (vms.count(), args.page_size))
        counts = collections.Counter()
        memory = collections.Counter()
        pages = 0
        for page in vms.pages():
            pages += 1
            for vm in page:
                where = vm.cluster.name if vm.cluster else "-"
                counts[(where, vm.status)] += 1
                memory[where] += vm.memory or 0
        print("%d pages read" % pages)
        for (cluster, status), count in sorted(counts.items()):
            print("  %-12s %-10s %6d" % (cluster, status, count))
        for cluster, total in sorted(memory.items()):
            print("  %-12s %8.0f GiB of memory provisioned" % (cluster, total / GIB))


if __name__ == "__main__":
    main()
