"""Page through a large estate: count the VMs, then read them all, 500 a request, and sum them up
by cluster and state - without holding a 10,000-VM answer at once.

    python examples/page_estate.py               # against a built-in simulator with 5,000 VMs
    python examples/page_estate.py --running --host https://tower.example.com --user admin ...
"""
from __future__ import division, print_function

import argparse
import sys

from cloudtower import VmApi
from cloudtower.connection import connect_or_simulate
from cloudtower.utils import paginate

GIB = 1024 ** 3


def main():
    # type: () -> int
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--running", action="store_true", help="only the running VMs")
    parser.add_argument("--page-size", type=int, default=500)
    with connect_or_simulate(parser, vms=5000, task_delay=0.2) as (client, args):
        page_size = int(args.page_size)
        if args.running:
            vms = paginate(VmApi(client).get_vms, {"where": {"status": "RUNNING"}, "orderBy": "name_ASC"},
                           page_size)
        else:
            vms = paginate(VmApi(client).get_vms, {"orderBy": "name_ASC"}, page_size)
        print("%d VMs match; reading them %d at a time" % (vms.count(), page_size))
        counts = {}  # type: dict[tuple[str, str], int]
        memory = {}  # type: dict[str, int]
        pages = 0
        for page in vms.pages():
            pages += 1
            for vm in page:
                cluster = vm.cluster.name if vm.cluster else "-"
                counts[(cluster, str(vm.status))] = counts.get((cluster, str(vm.status)), 0) + 1
                memory[cluster] = memory.get(cluster, 0) + (vm.memory or 0)
        print("%d pages read" % pages)
        for (cluster, status), count in sorted(counts.items()):
            print("  %-12s %-10s %6d" % (cluster, status, count))
        for cluster, total in sorted(memory.items()):
            print("  %-12s %8.0f GiB of memory provisioned" % (cluster, total / GIB))
    return 0


if __name__ == "__main__":
    sys.exit(main())
