"""How fast the simulator answers the SDK on a 10,000-VM estate.

    python3 benchmarks/simulator.py [--vms 10000] [--runs 30] [--in-process] [--profile]

Starts `python -m cloudtower.simulator --vms N` (the demo estate scaled to N VMs, with their
disks, NICs, hosts and clusters) in its own process, as users run it, and measures through the
SDK over loopback HTTP, logged in as root:

- a filtered page: RUNNING VMs of the biggest cluster, by name, first 100 (target: median < 30 ms)
- every VM in one `get_vms({})` (target: median < 1 s)

`--in-process` serves from a `Simulator` in this process instead (client and server then share
one interpreter lock: slower). `--profile` (in process) also prints where the server's time
goes. Prints medians against the targets, PASS or FAIL; always exits 0: it is a report.
"""
from __future__ import print_function

import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from cloudtower import ApiClient, ClusterApi, Configuration, VmApi  # noqa: E402
from cloudtower.simulator import Simulator  # noqa: E402
from cloudtower.simulator.server import API_BASE, Request, encode_body  # noqa: E402
from cloudtower.utils import login  # noqa: E402

PAGE_TARGET = 0.030
ALL_TARGET = 1.0


class SimulatorProcess(object):
    """`python -m cloudtower.simulator` in a child process, until `stop()`."""

    def __init__(self, vms):
        env = dict(os.environ, PYTHONPATH=ROOT)
        self.process = subprocess.Popen([sys.executable, "-m", "cloudtower.simulator", "--port", "0",
                                         "--vms", str(vms), "--task-delay", "none"],
                                        stdout=subprocess.PIPE, env=env, universal_newlines=True)
        line = self.process.stdout.readline()
        if "listening on " not in line:
            raise SystemExit("the simulator did not start: %r" % line)
        self.url = line.strip().rsplit(" ", 1)[1]

    def client(self):
        client = ApiClient(Configuration(host=self.url))
        login(client, "root", "root")
        return client

    def stop(self):
        self.process.terminate()
        self.process.wait()


def biggest_cluster(client):
    """(name, VM count) of the cluster with the most VMs."""
    counts = [(VmApi(client).get_vms_connection({"where": {"cluster": {"id": cluster.id}}}).aggregate.count,
               cluster.name) for cluster in ClusterApi(client).get_clusters({})]
    count, name = max(counts)
    return name, count


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
    parser.add_argument("--in-process", action="store_true", help="serve from this process")
    parser.add_argument("--profile", action="store_true", help="also profile the server side (in process)")
    args = parser.parse_args()

    started = time.time()
    if args.in_process or args.profile:
        server = Simulator(seed="demo", vms=args.vms, task_delay=None).start()
        where = "in this process"
    else:
        server = SimulatorProcess(args.vms)
        where = "python -m cloudtower.simulator, its own process"
    try:
        client = server.client()
        cluster_name, in_cluster = biggest_cluster(client)
        total = VmApi(client).get_vms_connection({}).aggregate.count
        print("estate: %d VMs, %d in cluster %s; served by %s, ready in %.1f s"
              % (total, in_cluster, cluster_name, where, time.time() - started))
        page_body = {"where": {"status": "RUNNING", "cluster": {"name": cluster_name}}, "orderBy": "name_ASC",
                     "first": 100}
        api = VmApi(client)
        page = lambda: api.get_vms(page_body)  # noqa: E731
        every = lambda: api.get_vms({})  # noqa: E731
        for _ in range(3):
            page()
        every()
        page_median, page_best, page_result = timed(page, args.runs)
        all_median, all_best, all_result = timed(every, max(3, args.runs // 6))
        assert len(page_result) == min(100, in_cluster) and len(all_result) == total
        assert all(vm.status == "RUNNING" and vm.cluster.name == cluster_name for vm in page_result)
        rows = [
            ("get_vms: RUNNING in %s, by name, first 100" % cluster_name, page_median, page_best, PAGE_TARGET),
            ("get_vms({}): all %d VMs" % len(all_result), all_median, all_best, ALL_TARGET),
        ]
        print()
        print("%-52s %10s %10s %10s" % ("query (through the SDK, over HTTP)", "median", "best", "target"))
        for name, median, best, target in rows:
            print("%-52s %8.1fms %8.1fms %8.0fms  %s" % (name, median * 1000, best * 1000, target * 1000,
                                                          "PASS" if median < target else "FAIL"))
        if args.profile:
            print("\n-- server side of the filtered page (x%d) --" % args.runs)
            print(profile(server, page_body, args.runs))
            print("\n-- server side of every VM (x3) --")
            print(profile(server, {}, 3))
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
