"""The built-in simulator's figures, each against its target.

    python3 benchmarks/simulator.py [--vms 10000,100000] [--runs 30] [--changes 100] [--json FILE]
                                    [--skip NAME ...]

For each estate size it starts `python -m cloudtower.simulator --vms N` in its own process, as
users run it, and measures through the SDK over loopback HTTP, logged in as root:

- startup: from the command to the listening line, wall time (target at 100,000 VMs: 20 s); the
  CPU time the process took is shown too (it does not grow with a busy machine)
- memory: the process's RSS once started and after the queries below, per 1,000 VMs (8 MiB at
  100,000; at 10,000 the interpreter and the API's models weigh more than the estate)
- by id: `get_vms` of one VM by id (2 ms at 100,000)
- page: the first 100 RUNNING VMs of the biggest cluster (20 ms at 100,000); the same ordered by
  name is shown too
- count: `get_vms_connection` of the RUNNING VMs of that cluster (10 ms at 100,000)
- serve all (at 10,000 only): all VMs in one `get_vms({})` read as raw bytes, against
  `json.dumps` of the same VMs in this process (1.2x; the first call, which makes the JSON the
  simulator keeps of each VM, is shown too)
- changes: `--changes` VMs (100) updated (a description), created (with a disk and a NIC) and
  deleted one call at a time, each kind after one untimed call (which makes the counters' totals
  and the MAC index once); per VM, the server's CPU time from the first call until every task
  has ended (5 ms at 100,000: a change must not cost more as the estate grows), and the wall
  time of the calls (answered at once; the tasks end `--task-delay 0` later)

A query's figure is the best of `--runs` calls (the median is shown too, and the CPU time the
server took per call); and, at 10,000 VMs with `--state`, while VMs are being changed as fast as
one client can: how long a snapshot holds the store's lock at a time (what a request can wait
for it; 50 ms; the CPU time of the longest slice is shown too: on a busy machine the wall time
of a slice grows with the time the OS gives other processes), with the latency of by-id queries
during snapshots and between them.

Prints the figures against their targets (PASS/FAIL) and a growth line from the smallest to the
largest estate; exits 1 when a target is missed. `--json FILE` also writes the figures (for
benchmarks/run.py).
"""
from __future__ import print_function

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import urllib3  # noqa: E402

from cloudtower import ApiClient, ClusterApi, Configuration, VlanApi, VmApi  # noqa: E402
from cloudtower.utils import login, wait_tasks  # noqa: E402

MIB = 1024.0 * 1024.0
# name -> (target, unit, the estate size it applies to: None for every size)
TARGETS = {
    "startup": (20.0, "s", 100000),
    "rss_per_1000_vms": (8.0, "MiB", 100000),
    "by_id": (2.0, "ms", 100000),
    "page": (20.0, "ms", 100000),
    "count": (10.0, "ms", 100000),
    "serve_all_vs_json_dumps": (1.2, "x", 10000),
    "update_cpu": (5.0, "ms", 100000),
    "create_cpu": (5.0, "ms", 100000),
    "delete_cpu": (5.0, "ms", 100000),
    "save_lock_hold": (50.0, "ms", 10000),
}
SAVES = 3  # snapshots to watch in the save measurement


class SimulatorProcess(object):
    """`python -m cloudtower.simulator` in a child process (stderr to a file), until `stop()`."""

    def __init__(self, *arguments):
        env = dict(os.environ, PYTHONPATH=ROOT)
        self.stderr = tempfile.TemporaryFile()
        started = time.time()
        self.process = subprocess.Popen([sys.executable, "-m", "cloudtower.simulator", "--port", "0"] + list(arguments),
                                        stdout=subprocess.PIPE, stderr=self.stderr, env=env,
                                        universal_newlines=True)
        line = self.process.stdout.readline()
        self.startup = time.time() - started
        self.startup_cpu = self.cpu()
        if "listening on " not in line:
            raise SystemExit("the simulator did not start: %r %s" % (line, self.errors()))
        self.url = line.strip().rsplit(" ", 1)[1]

    def client(self):
        client = ApiClient(Configuration(host=self.url))
        login(client, "root", "root")
        return client

    def cpu(self):
        """The CPU time (user + system) the process has taken, seconds (Linux)."""
        with open("/proc/%d/stat" % self.process.pid) as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / float(os.sysconf("SC_CLK_TCK"))

    def rss(self):
        """The process's resident memory, MiB (Linux)."""
        with open("/proc/%d/status" % self.process.pid) as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024.0
        return float("nan")

    def errors(self):
        self.stderr.seek(0)
        return self.stderr.read().decode("utf-8", "replace")

    def stop(self):
        self.process.terminate()
        self.process.wait()


def timed_ms(function, runs, server=None):
    """(best, median) wall time of `function()` in ms, the server's CPU time per call in ms
    (None without `server`), and the last result."""
    times, result = [], None
    cpu = server.cpu() if server is not None else None
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    if server is not None:
        cpu = (server.cpu() - cpu) * 1000 / runs
    return min(times) * 1000, statistics.median(times) * 1000, cpu, result


def biggest_cluster(client):
    """The id and name of the cluster with the most VMs."""
    counts = [(VmApi(client).get_vms_connection({"where": {"cluster": {"id": cluster.id}}}).aggregate.count,
               cluster.id, cluster.name) for cluster in ClusterApi(client).get_clusters({})]
    return max(counts)[1:]


def measure_estate(vms, runs, changes):
    """The figures of one estate size: {name: value}."""
    server = SimulatorProcess("--vms", str(vms), "--task-delay", "0")
    figures = {"startup": server.startup, "startup_cpu": server.startup_cpu}
    try:
        figures["rss_started_mib"] = server.rss()
        client = server.client()
        api = VmApi(client)
        total = api.get_vms_connection({}).aggregate.count
        assert total == vms, (total, vms)
        cluster_id, cluster_name = biggest_cluster(client)
        some = api.get_vms({"where": {"cluster": {"id": cluster_id}}, "skip": vms // 7, "first": 1})[0]
        running = {"status": "RUNNING", "cluster": {"id": cluster_id}}
        cases = [
            ("by_id", lambda: api.get_vms({"where": {"id": some.id}})),
            ("page", lambda: api.get_vms({"where": running, "first": 100})),
            ("page_by_name", lambda: api.get_vms({"where": running, "orderBy": "name_ASC", "first": 100})),
            ("count", lambda: api.get_vms_connection({"where": running})),
        ]
        for name, function in cases:
            function()
            figures[name], figures[name + "_median"], figures[name + "_server_cpu"], result = timed_ms(
                function, runs, server)
            if name == "by_id":
                assert [vm.id for vm in result] == [some.id]
            elif name.startswith("page"):
                assert len(result) == 100 and all(vm.status == "RUNNING" and vm.cluster.id == cluster_id
                                                  for vm in result)
        if vms <= 10000:
            figures.update(serve_all(server, client, runs=max(3, runs // 6)))
        if changes:
            figures.update(measure_changes(server, client, cluster_id, changes))
        figures["rss_after_queries_mib"] = server.rss()
        figures["rss_per_1000_vms"] = max(figures["rss_started_mib"], figures["rss_after_queries_mib"]) / (vms / 1000.0)
        client.close()
    finally:
        server.stop()
    return figures


def serve_all(server, client, runs):
    """Serving every VM: the raw HTTP answer of get_vms({}) (the bytes, not decoded), against
    json.dumps of the same VMs here."""
    pool = urllib3.PoolManager()
    headers = {"Authorization": client.configuration.api_key["Authorization"], "Content-Type": "application/json"}
    fetch = lambda: pool.request("POST", server.url + "/get-vms", body=b"{}", headers=headers).data  # noqa: E731
    cold, _, _, _ = timed_ms(fetch, 1)  # (the JSON of each VM made, then kept until it changes)
    served, _, _, body = timed_ms(fetch, runs)
    records = json.loads(body.decode("utf-8"))
    dumps, _, _, text = timed_ms(lambda: json.dumps(records), runs)
    pool.clear()
    return {"serve_all_ms": served, "serve_all_first_ms": cold, "json_dumps_ms": dumps,
            "serve_all_vs_json_dumps": served / dumps, "serve_all_mb": len(body) / 1e6}


def measure_changes(server, client, cluster_id, count):
    """Per VM changed, the server's CPU time (ms) until its task has ended, and the wall time
    of the call, for updates, creates and deletes of `count` VMs one call at a time."""
    api = VmApi(client)
    vlan = VlanApi(client).get_vlans({"where": {"name": "default", "vds": {"cluster": {"id": cluster_id}}}})[0]
    stopped = [vm.id for vm in api.get_vms({"where": {"cluster": {"id": cluster_id}, "status": "STOPPED"},
                                             "first": 2 * count + 2})]
    made = []

    def update(index):
        return api.update_vm({"where": {"id": stopped[index]}, "data": {"description": "changed %d" % index}})

    def create(index):
        answer = api.create_vm([{
            "cluster_id": cluster_id, "name": "bench-%d" % index, "cpu_cores": 2, "cpu_sockets": 1,
            "memory": 2, "memory_unit": "GB", "ha": True, "firmware": "BIOS", "status": "STOPPED",
            "vm_disks": {"mount_new_create_disks": [{"boot": 0, "bus": "VIRTIO", "vm_volume": {
                "name": "bench-%d-disk" % index, "size": 10, "size_unit": "GB",
                "elf_storage_policy": "REPLICA_2_THIN_PROVISION"}}]},
            "vm_nics": [{"connect_vlan_id": vlan.id}]}])
        made.append(answer[0].data.id)
        return answer

    def delete(index):
        return api.delete_vm({"where": {"id": stopped[count + 1 + index]}})

    figures = {}
    for name, change in (("update", update), ("create", create), ("delete", delete)):
        wait_tasks([item.task_id for item in change(count)], client, interval=0.05, timeout=600)  # (untimed)
        cpu, started, tasks = server.cpu(), time.perf_counter(), []
        for index in range(count):
            tasks.extend(item.task_id for item in change(index))
        wall = time.perf_counter() - started
        ended = wait_tasks(tasks, client, interval=0.05, timeout=600)
        assert all(task.status == "SUCCESSED" for task in ended), [task.error_message for task in ended]
        figures[name + "_cpu"] = (server.cpu() - cpu) * 1000 / count
        figures[name + "_ms"] = wall * 1000 / count
    return figures


def measure_saves(vms):
    """Snapshots of a --state estate while one client changes VMs and another asks by id."""
    directory = tempfile.mkdtemp(prefix="simulator-state-")
    state = os.path.join(directory, "state.json")
    server = SimulatorProcess("--vms", str(vms), "--state", state, "--compact-after", str(4 * 1000 * 1000),
                              "--task-delay", "0", "-v")
    stop = threading.Event()
    try:
        writer, reader = server.client(), server.client()
        ids = [vm.id for vm in VmApi(writer).get_vms({"first": 200})]

        def change():
            api, number = VmApi(writer), 0
            while not stop.is_set():
                number += 1
                api.update_vm({"where": {"id": ids[number % len(ids)]}, "data": {"description": "d%d" % number}})
        thread = threading.Thread(target=change)
        thread.start()
        api, during, between, seen = VmApi(reader), [], [], set()
        deadline = time.time() + 600
        while len(seen) < SAVES + 1 and time.time() < deadline:  # +1: the first may be half seen
            before = [name for name in os.listdir(directory) if name.endswith(".snapshot-tmp")]
            started = time.perf_counter()
            api.get_vms({"where": {"id": ids[0]}})
            elapsed = time.perf_counter() - started
            after = [name for name in os.listdir(directory) if name.endswith(".snapshot-tmp")]
            seen.update(before + after)
            (during if before or after else between).append(elapsed * 1000)
        stop.set()
        thread.join()
    finally:
        stop.set()
        server.stop()
        shutil.rmtree(directory, ignore_errors=True)
    holds = [(float(wall), float(cpu)) for wall, cpu in re.findall(
        r"compacted .* holding the lock at most ([\d.]+) ms at a time \(([\d.]+) ms of CPU\)", server.errors())]
    holds = holds[:-1]  # the last one is the compaction at exit (the server is not serving then)
    if not holds:
        raise SystemExit("no snapshot was written while serving: %s" % server.errors()[-2000:])
    return {"save_lock_hold": max(wall for wall, _ in holds), "save_lock_hold_cpu": max(cpu for _, cpu in holds),
            "saves": len(holds),
            "by_id_during_saves_p99": percentile(during, 99), "by_id_during_saves_max": max(during or [0]),
            "by_id_between_saves_p99": percentile(between, 99), "by_id_between_saves_max": max(between or [0])}


def percentile(values, percent):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * percent / 100.0))]


def verdicts(results):
    """[(figure, estate size, value, target, unit, PASS/FAIL)] for every figure with a target."""
    rows = []
    for vms, figures in sorted(results["estates"].items()):
        for name, (target, unit, size) in sorted(TARGETS.items()):
            if name in figures and (size is None or size == vms):
                rows.append((name, vms, figures[name], target, unit, "PASS" if figures[name] <= target else "FAIL"))
    if "saves" in results:
        target, unit, size = TARGETS["save_lock_hold"]
        value = results["saves"]["save_lock_hold"]
        rows.append(("save_lock_hold", size, value, target, unit, "PASS" if value <= target else "FAIL"))
    return rows


def report(results):
    print()
    print("%-26s %8s %12s %10s  %s" % ("figure", "VMs", "value", "target", "result"))
    for name, vms, value, target, unit, verdict in verdicts(results):
        print("%-26s %8d %10.2f%-2s %8.1f%-2s  %s" % (name, vms, value, unit, target, unit, verdict))
    sizes = sorted(results["estates"])
    if len(sizes) > 1:
        small, large = results["estates"][sizes[0]], results["estates"][sizes[-1]]
        growth = ["%s %.1fx" % (name, large[name] / small[name]) for name in
                  ("startup", "startup_cpu", "rss_after_queries_mib", "by_id", "page", "page_by_name", "count",
                   "update_cpu", "create_cpu", "delete_cpu")
                  if small.get(name) and name in large]
        print("growth %d -> %d VMs (%.0fx): %s" % (sizes[0], sizes[-1], sizes[-1] / float(sizes[0]),
                                                   ", ".join(growth)))
    print()
    for vms in sizes:
        print("%d VMs: %s" % (vms, ", ".join("%s %.2f" % item for item in sorted(results["estates"][vms].items()))))
    if "saves" in results:
        print("saves: %s" % ", ".join("%s %.2f" % item for item in sorted(results["saves"].items())))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--vms", default="10000,100000", help="estate sizes, comma-separated (10000,100000)")
    parser.add_argument("--runs", type=int, default=30, help="runs of each query (30)")
    parser.add_argument("--changes", type=int, default=100, help="VMs updated, created and deleted (100; 0: none)")
    parser.add_argument("--skip", action="append", default=[], choices=["estates", "saves"],
                        help="leave out a part (repeatable)")
    parser.add_argument("--json", metavar="FILE", help="also write the figures and verdicts here")
    args = parser.parse_args()
    sizes = [int(text) for text in args.vms.split(",") if text]
    results = {"estates": {}, "python": sys.version.split()[0], "cpu_count": os.cpu_count(),
               "load_average": os.getloadavg()[0]}
    if "estates" not in args.skip:
        for vms in sizes:
            print("estate of %d VMs ..." % vms, flush=True)
            results["estates"][vms] = measure_estate(vms, args.runs, args.changes)
    if "saves" not in args.skip:
        print("saves of a --state estate of 10000 VMs ...", flush=True)
        results["saves"] = measure_saves(10000)
    report(results)
    print("(load average when it started: %.1f on %d CPUs)" % (results["load_average"], results["cpu_count"]))
    rows = verdicts(results)
    results["verdicts"] = [dict(zip(("figure", "vms", "value", "target", "unit", "result"), row)) for row in rows]
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(results, handle, indent=2, sort_keys=True)
    failed = [row for row in rows if row[-1] == "FAIL"]
    print("\n%s" % ("ALL SIMULATOR TARGETS PASS" if not failed else "%d SIMULATOR TARGET(S) FAIL: %s" % (
        len(failed), ", ".join("%s at %d VMs" % (row[0], row[1]) for row in failed))))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
