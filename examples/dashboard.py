"""A capacity and health dashboard: alerts, HDD health, CPU, memory and storage per datacenter.

    python examples/dashboard.py          # against the built-in simulator
    python examples/dashboard.py --host https://tower.example.com --user admin   # or CLOUDTOWER_URL ...
"""
from __future__ import division, print_function

import argparse
import sys

from cloudtower import AlertApi, ApiClient, Cluster, ClusterApi, DiskApi, HostApi
from cloudtower.connection import connect_or_simulate

BYTE_UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"]
HZ_UNITS = ["Hz", "KHz", "MHz", "GHz", "THz"]


def human(value, units, step=1024):
    # type: (float | None, list[str], int) -> str
    """`1536, BYTE_UNITS` -> `1.50KiB`."""
    value = float(value or 0)
    for unit in units[:-1]:
        if value < step:
            return "%.2f%s" % (value, unit)
        value /= step
    return "%.2f%s" % (value, units[-1])


def alerts_by_severity(client, cluster_ids):
    # type: (ApiClient, list[str]) -> dict[str, int]
    """Open alerts of the clusters, counted by severity."""
    alerts = AlertApi(client).get_alerts({"where": {"ended": False, "cluster": {"id_in": cluster_ids}}})
    counts = {}  # type: dict[str, int]
    for alert in alerts:
        counts[alert.severity] = counts.get(alert.severity, 0) + 1
    return counts


def hdd_health(client, cluster_ids):
    # type: (ApiClient, list[str]) -> dict[str, int]
    """Mechanical disks of the clusters' hosts: healthy, warning (not fully mounted), error."""
    disks = DiskApi(client).get_disks({"where": {"type": "HDD", "host": {"cluster": {"id_in": cluster_ids}}}})
    summary = {"healthy": 0, "warning": 0, "error": 0, "total": len(disks)}
    for disk in disks:
        if disk.health_status in ("UNHEALTHY", "SUBHEALTHY", "SMART_FAILED"):
            summary["error"] += 1
        elif disk.usage_status in ("UNMOUNTED", "PARTIAL_MOUNTED"):
            summary["warning"] += 1
        else:
            summary["healthy"] += 1
    return summary


def capacity(client, clusters):
    # type: (ApiClient, list[Cluster]) -> dict[str, str]
    """CPU of the SMTX OS clusters; memory of their ELF hosts; storage of every cluster."""
    cluster_ids = [cluster.id for cluster in clusters]
    hosts = HostApi(client).get_hosts({"where": {"cluster": {"id_in": cluster_ids}}})
    hypervisor = dict((cluster.id, cluster.hypervisor) for cluster in clusters)
    smtx_os = [cluster for cluster in clusters if cluster.type == "SMTX_OS"]
    total_hz = sum(cluster.total_cpu_hz or 0 for cluster in smtx_os)
    used_hz = sum(cluster.used_cpu_hz or 0 for cluster in smtx_os)
    elf_hosts = [host for host in hosts if hypervisor.get(host.cluster.id) == "ELF"]
    total_memory = sum(host.total_memory_bytes or 0 for host in elf_hosts)
    used_memory = sum((host.running_pause_vm_memory_bytes or 0) + (host.os_memory_bytes or 0) for host in elf_hosts)
    total = sum(cluster.total_data_capacity or 0 for cluster in clusters)
    used = sum(cluster.used_data_space or 0 for cluster in clusters)
    failed = sum(cluster.failure_data_space or 0 for cluster in clusters)
    return {
        "cpu": "%s of %s (%.1f%%), %d cores" % (human(used_hz, HZ_UNITS, 1000), human(total_hz, HZ_UNITS, 1000),
                                               100.0 * used_hz / total_hz if total_hz else 0,
                                               sum(cluster.total_cpu_cores or 0 for cluster in smtx_os)),
        "memory": "%s of %s (%.1f%%)" % (human(used_memory, BYTE_UNITS), human(total_memory, BYTE_UNITS),
                                         100.0 * used_memory / total_memory if total_memory else 0),
        "storage": "%s used, %s failed, %s free of %s" % (human(used, BYTE_UNITS), human(failed, BYTE_UNITS),
                                                          human(total - used - failed, BYTE_UNITS),
                                                          human(total, BYTE_UNITS)),
    }


def dashboard(client, datacenter_id=None):
    # type: (ApiClient, str | None) -> dict[str, object]
    """Everything above for the clusters of a datacenter (or all clusters)."""
    clusters = ClusterApi(client).get_clusters(
        {"where": {"datacenters_some": {"id": datacenter_id}}} if datacenter_id else {})
    cluster_ids = [cluster.id for cluster in clusters]
    result = {"alerts": alerts_by_severity(client, cluster_ids),
              "hdd": hdd_health(client, cluster_ids)}  # type: dict[str, object]
    result.update(capacity(client, clusters))
    return result


def main():
    # type: () -> int
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    with connect_or_simulate(parser) as (client, _):
        for key, value in sorted(dashboard(client).items()):
            print("%-8s %s" % (key, value))
    return 0


if __name__ == "__main__":
    sys.exit(main())
