"""How fast the simulator answers the SDK on a 10,000-VM estate.

    python3 benchmarks/simulator.py [--vms 10000] [--runs 30] [--profile]

Builds `Simulator(seed="demo", vms=N)` (or, if the demo estate does not give N VMs with disks,
NICs, clusters and hosts, an estate of its own with `store.create`), serves it on loopback and
measures through the SDK (`VmApi.get_vms`, logged in as root):

- a filtered page: RUNNING VMs of the biggest cluster, by name, first 100 (target: median < 30 ms)
- every VM in one `get_vms({})` (target: median < 1 s)

Prints a table of medians against the targets, PASS or FAIL. With `--profile`, also prints where
the simulator's time goes (cProfile of the server side of each query, in process). Always exits
0: it is a report.
"""
from __future__ import print_function

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from cloudtower import VmApi  # noqa: E402
from cloudtower.simulator import Simulator  # noqa: E402
from cloudtower.simulator.server import API_BASE, Request, encode_body  # noqa: E402

PAGE_TARGET = 0.030
ALL_TARGET = 1.0


def build(vms):
    """A simulator with `vms` realistic VMs; says where the estate came from."""
    started = time.time()
    sim = Simulator(seed="demo", vms=vms, task_delay=None)
    store = sim.store
    records = list(store.tables["Vm"].values())
    wanted = ("vm_disks", "vm_nics", "cluster", "host")
    realistic = len(records) == vms and all(all(record.get(key) for key in wanted) for record in records)
    if realistic:
        return sim, "demo seed", time.time() - started
    sim = Simulator(seed="empty", task_delay=None)
    make_estate(sim.store, vms)
    return sim, "built by this script (the demo seed gave %d VMs)" % len(records), time.time() - started


def make_estate(store, vms):
    """3 clusters of 4 hosts each, `vms` VMs with 2 disks (and volumes) and a NIC each."""
    statuses = ["RUNNING"] * 8 + ["STOPPED", "SUSPENDED"]
    clusters, hosts = [], []
    for number in range(3):
        cluster = store.create("Cluster", {"name": "cluster-%d" % (number + 1), "type": "SMTX_OS",
                                           "version": "6.1.0"}, event=False)
        clusters.append(cluster["id"])
        for host_number in range(4):
            hosts.append((cluster["id"], store.create("Host", {
                "name": "node-%d-%d" % (number + 1, host_number + 1), "cluster": cluster["id"],
                "status": "CONNECTED_HEALTHY", "total_memory_bytes": 512 << 30}, event=False)["id"]))
    vlan = store.create("Vlan", {"name": "vm-network", "vlan_id": 100}, event=False)["id"]
    for index in range(vms):
        cluster, host = hosts[index % len(hosts)]
        vm = store.create("Vm", {"name": "vm-%05d" % index, "cluster": cluster, "host": host,
                                 "status": statuses[index % len(statuses)], "vcpu": 2 + index % 4,
                                 "memory": (2 + index % 8) << 30, "cpu_usage": (index % 100) / 1.0,
                                 "ha": index % 3 == 0, "description": "benchmark VM %d" % index}, event=False)
        for disk in range(2):
            volume = store.create("VmVolume", {"name": "vm-%05d-disk%d" % (index, disk), "cluster": cluster,
                                               "size": 40 << 30}, event=False)
            store.create("VmDisk", {"vm": vm["id"], "vm_volume": volume["id"], "boot": disk, "bus": "VIRTIO",
                                    "type": "DISK"}, event=False)
        store.create("VmNic", {"vm": vm["id"], "vlan": vlan, "mac_address": "52:54:00:%02x:%02x:%02x" % (
            index >> 16 & 255, index >> 8 & 255, index & 255), "model": "VIRTIO"}, event=False)


def biggest_cluster(store):
    counts = {}
    for record in store.tables["Vm"].values():
        if record.get("cluster"):
            counts[record["cluster"]] = counts.get(record["cluster"], 0) + 1
    cluster_id = max(counts, key=counts.get)
    return store.get("Cluster", cluster_id)["name"], counts[cluster_id]


def timed(function, runs):
    times = []
    result = None
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), min(times), result


def profile(sim, body, repeat, top=25):
    """cProfile of the server side of a query (dispatch, query, render, JSON), in process."""
    import json
    token = next(iter(sim.store.settings["tokens"]))
    headers = {"Authorization": token, "Content-Type": "application/json"}
    request = Request("POST", API_BASE + "/get-vms", {}, headers, json.dumps(body).encode("utf-8"))
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(repeat):
        encode_body(sim.handle(request).body)  # what the HTTP handler does with the answer
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--vms", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=30,
                        help="runs of the filtered page (of the full list: a sixth)")
    parser.add_argument("--profile", action="store_true", help="also print a cProfile of the server side")
    args = parser.parse_args()

    sim, origin, seconds = build(args.vms)
    store = sim.store
    cluster_name, in_cluster = biggest_cluster(store)
    print("estate: %d VMs, %d VM disks, %d VM NICs, %d hosts, %d clusters (%s, %.1f s)" % (
        len(store.tables["Vm"]), len(store.tables["VmDisk"]), len(store.tables["VmNic"]),
        len(store.tables["Host"]), len(store.tables["Cluster"]), origin, seconds))
    page_body = {"where": {"status": "RUNNING", "cluster": {"name": cluster_name}}, "orderBy": "name_ASC",
                 "first": 100}
    with sim:
        api = VmApi(sim.client())
        page = lambda: api.get_vms(page_body)  # noqa: E731
        every = lambda: api.get_vms({})  # noqa: E731
        for _ in range(3):
            page()
        every()
        page_median, page_best, page_result = timed(page, args.runs)
        all_median, all_best, all_result = timed(every, max(3, args.runs // 6))
        assert len(page_result) == min(100, in_cluster) and len(all_result) == len(store.tables["Vm"])
        assert all(vm.status == "RUNNING" and vm.cluster.name == cluster_name for vm in page_result)
        rows = [
            ("get_vms: RUNNING in %s, by name, first 100" % cluster_name, page_median, page_best,
             PAGE_TARGET),
            ("get_vms({}): all %d VMs" % len(all_result), all_median, all_best, ALL_TARGET),
        ]
        print()
        print("%-52s %10s %10s %10s" % ("query (through the SDK, over HTTP)", "median", "best", "target"))
        for name, median, best, target in rows:
            print("%-52s %8.1fms %8.1fms %8.0fms  %s" % (name, median * 1000, best * 1000, target * 1000,
                                                          "PASS" if median < target else "FAIL"))
        if args.profile:
            print("\n-- server side of the filtered page (x%d) --" % args.runs)
            print(profile(sim, page_body, args.runs))
            print("\n-- server side of every VM (x3) --")
            print(profile(sim, {}, 3))
    return 0


if __name__ == "__main__":
    sys.exit(main())
