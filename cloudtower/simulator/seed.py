# -*- coding: utf-8 -*-
"""Initial estates: `empty`, `demo`, or a JSON file.

`demo` is a small estate whose figures add up: one datacenter (of one organization) with two
SMTX OS clusters (ELF) and one SMTX ZBS cluster, hosts with disks and NICs, VDSes and VLANs,
30 VMs with their disks, volumes, NICs and snapshots, ISO images, templates, iSCSI targets and
LUNs, alerts in English and Chinese, finished tasks and settings. `vms=N` makes it N VMs, spread
over the ELF hosts (whose memory grows to fit them); the rest stays as it is.

Cluster, datacenter, host, folder and label figures are the sums of what they hold: a host's
`running_pause_vm_memory_bytes` is the memory of its running and suspended VMs, its
`used_memory_bytes` that plus `os_memory_bytes`, its `provisioned_*` the vCPUs and memory of all
its VMs; its data capacity is the size of its mounted data disks, `failure_data_space` the part
of it on failing disks, `used_data_space` the used size of their data partitions; the
cluster's figures are the sums over its hosts, and the datacenter's over its clusters.

The estate is the same at every start: ids come from the store's counter, values from a fixed
`random.Random` seed and timestamps from a clock frozen at 2026-01-01T00:00:00.000Z.
"""
from __future__ import absolute_import

import collections
import gc
import datetime
import json
import random

from cloudtower.simulator.store import Clock, iso_format, resource_type_name

KIB = 1024
MIB = 1024 ** 2
GIB = 1024 ** 3
GB = 10 ** 9
TB = 10 ** 12

DEMO_VMS = 30
SERIAL_CHARACTERS = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
RANDOM_SEED = 20260101
EPOCH = datetime.datetime(2026, 1, 1)
EPOCH_SECONDS = 1767225600          # EPOCH in seconds since 1970-01-01 UTC


def build(store, name="demo", vms=None):
    """Fill an empty store with the estate `name` (`demo`, `empty` or a JSON file's path)."""
    if name == "empty":
        return
    if name == "demo":
        return demo(store, vms)
    with open(name) as handle:
        data = json.load(handle)
    if "tables" in data:
        store.load(data)
    else:
        for type_name, records in data.items():
            for record in records:
                store.create(type_name, record, event=False)


class _SeedClock(Clock):
    """The clock while the demo is built: always 2026-01-01T00:00:00.000Z."""

    def iso(self, seconds=None):
        return iso() if seconds is None else Clock.iso(self, seconds)


def demo(store, vms=None):
    """The demo estate, with `vms` VMs (30 when None)."""
    clock = store.clock
    store.clock = _SeedClock(frozen=EPOCH_SECONDS)   # what the store fills with "now" gets a fixed moment
    collecting = gc.isenabled()
    gc.disable()  # the build makes millions of objects and frees few: the collector's passes find nothing
    try:
        _Demo(store, DEMO_VMS if vms is None else int(vms)).build()
    finally:
        store.clock = clock
        if collecting:
            gc.enable()


def iso(days=0.0, seconds=0):
    """The timestamp `days` (and `seconds`) before 2026-01-01T00:00:00.000Z, as the API writes it."""
    return iso_format(EPOCH - datetime.timedelta(days=days, seconds=seconds))


def _after(stamp, seconds):
    """The timestamp `seconds` after the timestamp `stamp`."""
    moment = datetime.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ")
    return iso_format(moment + datetime.timedelta(seconds=seconds))


# ---------------------------------------------------------------------------------------------
# What the estate is made of.

CLUSTERS = [
    {"name": "elf-prod", "type": "SMTX_OS", "hypervisor": "ELF", "version": "5.1.2", "hosts": 4,
     "ip": "192.168.10.10", "data_net": "10.10.10", "mgt_base": 11, "edition": "ENTERPRISE",
     "cpu": ("Intel(R) Xeon(R) Gold 6248R CPU @ 3.00GHz", 2, 24, 3000000000, "Cascadelake-Server"),
     "memory": 512 * GIB, "os_memory": 32 * GIB, "server": "Dell PowerEdge R740xd",
     "hdd": (4, 8 * TB), "ssd": (2, 1920 * GB), "used": (0.35, 0.55),
     "vlan": ("vm-prod-100", 100), "vm_nets": ("10.20", "10.21")},
    {"name": "elf-dev", "type": "SMTX_OS", "hypervisor": "ELF", "version": "5.1.2", "hosts": 3,
     "ip": "192.168.10.20", "data_net": "10.10.20", "mgt_base": 21, "edition": "STANDARD",
     "cpu": ("Intel(R) Xeon(R) Silver 4214R CPU @ 2.40GHz", 2, 12, 2400000000, "Cascadelake-Server"),
     "memory": 256 * GIB, "os_memory": 24 * GIB, "server": "Lenovo ThinkSystem SR650",
     "hdd": (4, 4 * TB), "ssd": (2, 960 * GB), "used": (0.25, 0.45),
     "vlan": ("vm-dev-200", 200), "vm_nets": ("10.30", "10.31")},
    {"name": "zbs-storage", "type": "SMTX_ZBS", "hypervisor": None, "version": "5.5.0", "hosts": 3,
     "ip": "192.168.10.30", "data_net": "10.10.30", "mgt_base": 31, "edition": "ENTERPRISE",
     "cpu": ("Intel(R) Xeon(R) Silver 4210R CPU @ 2.40GHz", 2, 10, 2400000000, None),
     "memory": 128 * GIB, "os_memory": 48 * GIB, "server": "Inspur NF5280M5",
     "hdd": (4, 12 * TB), "ssd": (2, 1920 * GB), "used": (0.74, 0.8),
     "vlan": ("access-300", 300), "vm_nets": ("10.40", "10.41")},
]

CPU_MODELS = ["Cascadelake-Server", "Skylake-Server", "Broadwell", "Haswell", "IvyBridge", "SandyBridge",
              "Westmere", "Nehalem", "Penryn", "Conroe"]

# Disks whose health or mounting is not plain: (cluster, host, disk) -> (health, usage status).
DISK_STATES = {
    (0, 1, "sdf"): ("SMART_FAILED", "MOUNTED"),
    (0, 2, "sde"): ("SUBHEALTHY", "MOUNTED"),
    (1, 0, "sdg"): ("UNHEALTHY", "UNMOUNTED"),
    (1, 2, "sdc"): ("SUBHEALTHY", "PARTIAL_MOUNTED"),
    (2, 0, "sdh"): ("HEALTHY", "UNMOUNTED"),           # a new disk, not mounted yet
}
EXTRA_DISKS = {(2, 0): [("sdh", "HDD", 12 * TB, "DATA")]}
DOWN_NIC = (1, 2, "eth3")                                 # a NIC without link (its host warns)

# name, guest OS, OS, sockets, cores, memory GiB, disk sizes GiB, NICs, bus, firmware, ISO
PROFILES = [
    ("web", "LINUX", "CentOS Linux 7 (Core)", 1, 2, 4, (40,), 1, "VIRTIO", "BIOS", "centos"),
    ("app", "LINUX", "Ubuntu 22.04.3 LTS", 1, 4, 8, (60, 100), 1, "VIRTIO", "BIOS", "ubuntu"),
    ("db", "LINUX", "Rocky Linux 8.8 (Green Obsidian)", 2, 4, 32, (80, 500, 200), 2, "VIRTIO", "UEFI",
     "centos"),
    ("k8s-node", "LINUX", "Ubuntu 22.04.3 LTS", 2, 4, 16, (100, 200), 1, "VIRTIO", "UEFI", "ubuntu"),
    ("win-ad", "WINDOWS", "Microsoft Windows Server 2019 Datacenter", 1, 2, 8, (80,), 1, "SCSI", "BIOS",
     "windows"),
    ("win-rds", "WINDOWS", "Microsoft Windows Server 2022 Standard", 2, 4, 16, (120, 200), 2, "SCSI", "UEFI",
     "windows"),
    ("cache", "LINUX", "Debian GNU/Linux 12 (bookworm)", 1, 2, 8, (40,), 1, "VIRTIO", "BIOS", "ubuntu"),
    ("ci-runner", "LINUX", "Ubuntu 20.04.6 LTS", 1, 8, 16, (100, 300), 1, "SCSI", "BIOS", "ubuntu"),
    ("legacy-erp", "WINDOWS", "Microsoft Windows Server 2008 R2 Enterprise", 1, 2, 4, (60, 100), 1, "IDE",
     "BIOS", "virtio"),
    ("monitor", "LINUX", "CentOS Linux 7 (Core)", 1, 4, 8, (50, 200), 1, "VIRTIO", "BIOS", "centos"),
]
KERNELS = {"CentOS": "3.10.0-1160.el7.x86_64", "Ubuntu 22": "5.15.0-86-generic",
           "Ubuntu 20": "5.4.0-163-generic", "Rocky": "4.18.0-477.10.1.el8_8.x86_64",
           "Debian": "6.1.0-13-amd64"}

IMAGES = [
    ("centos", "CentOS-7-x86_64-Minimal-2009.iso", 1020264448, "CentOS 7.9 minimal installer"),
    ("ubuntu", "ubuntu-22.04.3-live-server-amd64.iso", 2133391360, "Ubuntu 22.04.3 LTS server installer"),
    ("windows", "Windows_Server_2019_Datacenter_x64.iso", 5675520000,
     "Windows Server 2019 installation media"),
    ("virtio", "virtio-win-0.1.229.iso", 627519488, "VirtIO drivers for Windows guests"),
]

FOLDERS = [  # cluster index, folder name, profiles whose VMs it holds
    (0, "web-frontend", ("web", "app")),
    (0, "databases", ("db",)),
    (1, "ci-cd", ("ci-runner",)),
]


def _kind(rule, target, unit, operator, boolean, thresholds, english, chinese):
    """An alert kind: its global rule's facts, and texts (title, message, cause, impact, solution)
    in English and Chinese; a message may name %(host)s, %(disk)s, %(vm)s ..."""
    keys = ("title",) + TEXT_KEYS
    return {"rule": rule, "object": target, "unit": unit, "operator": operator, "boolean": boolean,
            "thresholds": thresholds, "en": dict(zip(keys, english)), "zh": dict(zip(keys, chinese))}


TEXT_KEYS = ("message", "cause", "impact", "solution")
ALERT_KINDS = collections.OrderedDict()
ALERT_KINDS["disk_smart"] = _kind(
    "disk_smart_check_failed", "DISK", "UNIT_UNSPECIFIED", "==", True, [("CRITICAL", 1.0)],
    ("A disk failed its S.M.A.R.T. self-check.",
     "The S.M.A.R.T. self-check of disk %(disk)s (serial %(serial)s) on host %(host)s failed.",
     "The S.M.A.R.T. data of the disk reports an attribute below its failure threshold.",
     "The disk may fail at any moment. Its data is then rebuilt from other replicas, and the "
     "redundancy of the cluster is reduced until that has finished.",
     "Replace the disk as soon as possible and check that data recovery has completed."),
    (u"磁盘 S.M.A.R.T. 自检失败。",
     u"主机 %(host)s 上的磁盘 %(disk)s（序列号 %(serial)s）S.M.A.R.T. 自检失败。",
     u"磁盘的 S.M.A.R.T. 数据中有属性低于其失效阈值。",
     u"磁盘可能随时失效。届时其数据将从其他副本重建，在重建完成之前集群的冗余度降低。",
     u"请尽快更换该磁盘，并确认数据恢复已经完成。"))
ALERT_KINDS["disk_unhealthy"] = _kind(
    "disk_unhealthy", "DISK", "UNIT_UNSPECIFIED", "==", True, [("CRITICAL", 1.0)],
    ("A disk is unhealthy.",
     "Disk %(disk)s (serial %(serial)s) on host %(host)s is unhealthy and was removed from the storage pool.",
     "The disk returned repeated I/O errors.",
     "The capacity of the disk is no longer available; its data was recovered to other disks.",
     "Replace the disk, then mount the new disk on the host."),
    (u"磁盘状态不健康。",
     u"主机 %(host)s 上的磁盘 %(disk)s（序列号 %(serial)s）状态不健康，已从存储池中移除。",
     u"磁盘多次返回 I/O 错误。",
     u"该磁盘的容量已不可用，其数据已恢复到其他磁盘。",
     u"请更换该磁盘，然后在主机上挂载新磁盘。"))
ALERT_KINDS["disk_subhealthy"] = _kind(
    "disk_io_latency_high", "DISK", "MICROSECOND", ">", False,
    [("NOTICE", 200000.0), ("CRITICAL", 1000000.0)],
    ("The I/O latency of a disk is high.",
     "Disk %(disk)s (serial %(serial)s) on host %(host)s is sub-healthy: its I/O latency is %(value_ms)d ms, "
     "above %(threshold_ms)d ms.",
     "The disk answers I/O requests slowly, an early sign of wear or of a failing cable or controller.",
     "Reads and writes that touch the disk are slower, and the system may isolate the disk.",
     "Check the cable and the controller of the disk and watch its latency; replace the disk if it does not "
     "recover."),
    (u"磁盘 I/O 延迟过高。",
     u"主机 %(host)s 上的磁盘 %(disk)s（序列号 %(serial)s）处于亚健康状态：I/O 延迟为 %(value_ms)d 毫秒，"
     u"超过 %(threshold_ms)d 毫秒。",
     u"磁盘响应 I/O 请求缓慢，这可能是磨损或线缆、控制器故障的早期迹象。",
     u"涉及该磁盘的读写变慢，系统可能会隔离该磁盘。",
     u"请检查磁盘的线缆和控制器并关注其延迟；如果没有恢复，请更换磁盘。"))
ALERT_KINDS["cluster_storage"] = _kind(
    "cluster_storage_usage_high", "CLUSTER", "PERCENT", ">", False, [("NOTICE", 70.0), ("CRITICAL", 90.0)],
    ("The storage usage of a cluster is high.",
     "The storage usage of cluster %(cluster)s is %(value).1f%%, above %(threshold)d%%.",
     "The data written to the cluster fills most of its capacity.",
     "When the storage is full, writes fail and virtual machines or LUNs may stop.",
     "Delete data that is no longer needed, or add disks or hosts to the cluster."),
    (u"集群存储使用率过高。",
     u"集群 %(cluster)s 的存储使用率为 %(value).1f%%，超过 %(threshold)d%%。",
     u"写入集群的数据已占用其大部分容量。",
     u"存储空间写满后写入将会失败，虚拟机或 LUN 可能停止服务。",
     u"请删除不再需要的数据，或为集群添加磁盘或主机。"))
ALERT_KINDS["host_memory"] = _kind(
    "host_memory_usage_high", "PHYSICAL_HOST", "PERCENT", ">", False, [("NOTICE", 80.0), ("CRITICAL", 95.0)],
    ("The memory usage of a host is high.",
     "The memory usage of host %(host)s was %(value).1f%%, above %(threshold)d%%.",
     "Virtual machines and system services on the host used most of its memory.",
     "The host cannot start more virtual machines, and the running ones may slow down.",
     "Migrate some virtual machines to other hosts, or add memory to the host."),
    (u"主机内存使用率过高。",
     u"主机 %(host)s 的内存使用率曾为 %(value).1f%%，超过 %(threshold)d%%。",
     u"主机上的虚拟机和系统服务占用了其大部分内存。",
     u"主机无法再启动更多虚拟机，正在运行的虚拟机可能变慢。",
     u"请将部分虚拟机迁移到其他主机，或为主机增加内存。"))
ALERT_KINDS["host_nic_down"] = _kind(
    "host_nic_link_down", "NETWORK", "UNIT_UNSPECIFIED", "==", True, [("NOTICE", 1.0)],
    ("A network port of a host is down.",
     "Network port %(nic)s of host %(host)s is down.",
     "The port has no link: the cable, the switch port or the NIC has a problem.",
     "The virtual distributed switch that uses the port has less bandwidth and no redundancy.",
     "Check the cable and the switch port, then the NIC."),
    (u"主机网口断开。",
     u"主机 %(host)s 的网口 %(nic)s 已断开。",
     u"该网口没有链路：线缆、交换机端口或网卡存在问题。",
     u"使用该网口的虚拟分布式交换机带宽降低，且失去冗余。",
     u"请检查线缆和交换机端口，然后检查网卡。"))
ALERT_KINDS["host_ntp"] = _kind(
    "host_time_offset", "PHYSICAL_HOST", "SECOND", ">", False, [("INFO", 1.0), ("NOTICE", 10.0)],
    ("The clock of a host is off the NTP server.",
     "The clock of host %(host)s was %(value).1f seconds off the NTP server.",
     "The host could not reach the NTP server for a while.",
     "Logs and monitoring data of the host may carry wrong times.",
     "Check that the host can reach the NTP server."),
    (u"主机时间与 NTP 服务器不一致。",
     u"主机 %(host)s 的时间曾与 NTP 服务器相差 %(value).1f 秒。",
     u"主机有一段时间无法连接 NTP 服务器。",
     u"主机的日志和监控数据可能带有错误的时间。",
     u"请检查主机能否连接 NTP 服务器。"))
ALERT_KINDS["vm_tools"] = _kind(
    "vm_tools_not_installed", "VM", "UNIT_UNSPECIFIED", "==", True, [("INFO", 1.0)],
    ("VMTools is not installed in a virtual machine.",
     "VMTools is not installed in virtual machine %(vm)s.",
     "The guest operating system of the virtual machine has no VMTools.",
     "The IP addresses and guest disk usage of the virtual machine are not shown, and it cannot be shut "
     "down gracefully.",
     "Install VMTools in the virtual machine."),
    (u"虚拟机未安装 VMTools。",
     u"虚拟机 %(vm)s 未安装 VMTools。",
     u"虚拟机的客户机操作系统中没有 VMTools。",
     u"无法显示虚拟机的 IP 地址和客户机磁盘使用情况，也无法正常关闭虚拟机。",
     u"请在虚拟机中安装 VMTools。"))
ALERT_KINDS["vm_cpu"] = _kind(
    "vm_cpu_usage_high", "VM", "PERCENT", ">", False, [("NOTICE", 80.0), ("CRITICAL", 95.0)],
    ("The CPU usage of a virtual machine is high.",
     "The CPU usage of virtual machine %(vm)s has been %(value).1f%% for 5 minutes, above %(threshold)d%%.",
     "Workloads in the virtual machine use all of its vCPUs.",
     "Applications in the virtual machine respond slowly.",
     "Find the processes that use the CPU, or give the virtual machine more vCPUs."),
    (u"虚拟机 CPU 使用率过高。",
     u"虚拟机 %(vm)s 的 CPU 使用率已持续 5 分钟为 %(value).1f%%，超过 %(threshold)d%%。",
     u"虚拟机中的负载占满了其全部 vCPU。",
     u"虚拟机中的应用响应缓慢。",
     u"请找出占用 CPU 的进程，或为虚拟机增加 vCPU。"))


# ---------------------------------------------------------------------------------------------
# Building it.

class _Demo(object):
    """Builds the demo estate in a store (one use)."""

    def __init__(self, store, vm_count):
        self.store = store
        self.vm_count = max(0, vm_count)
        self.rng = random.Random(RANDOM_SEED)
        self.clusters = []                           # [(spec, record)]
        self.hosts = []                              # per cluster: [host facts]
        self.vdses = []                              # per cluster: {"vm": record, "mgt": record}
        self.vlans = []                              # per cluster: {"default", "second", "mgt"}
        self.images = []                             # per cluster: {iso key: record}
        self.vms = []                                # [(vm record, host facts, tools status)], the first 200
        self.kits = {}                               # (profile, cluster index) -> vm_kit()
        self.labels = {}                             # key -> record
        self.folders = {}                            # (cluster index, profile name) -> record
        self.placement = {}                          # (cluster index, profile name) -> record
        self.rules = {}                              # alert kind -> {cluster id: AlertRule record}
        self.counter = collections.defaultdict(int)

    # -- helpers ---------------------------------------------------------------------------

    def make(self, type_name, values):
        return self.store.create(type_name, values, event=False)

    def between(self, low, high):
        """A float in [low, high)."""
        return low + (high - low) * self.rng.random()

    def uuid(self):
        rand = self.rng.random
        return "%08x-%04x-4%03x-%04x-%012x" % (int(rand() * 0x100000000), int(rand() * 0x10000),
                                               int(rand() * 0x1000), 0x8000 | int(rand() * 0x4000),
                                               int(rand() * 0x1000000000000))

    def serial(self, prefix):
        rand = self.rng.random
        return prefix + "".join(SERIAL_CHARACTERS[int(rand() * len(SERIAL_CHARACTERS))] for _ in range(8))

    def next(self, what):
        self.counter[what] += 1
        return self.counter[what]

    def mac(self, prefix):
        number = self.next("mac:" + prefix)
        return "%s:%02x:%02x:%02x" % (prefix, (number >> 16) & 0xff, (number >> 8) & 0xff, number & 0xff)

    def ip(self, net):
        """The next address of a /16 VM network `a.b` (from a.b.1.10 on)."""
        number = self.next("ip:" + net)
        return "%s.%d.%d" % (net, 1 + number // 240, 10 + number % 240)

    # -- the estate ------------------------------------------------------------------------

    def build(self):
        organization = self.make("Organization", {"name": "SmartX"})
        self.datacenter = self.make("Datacenter", {"name": "dc-shanghai", "organization": organization["id"]})
        self.make_labels()
        for index, spec in enumerate(CLUSTERS):
            self.make_cluster(index, spec)
        self.make_images()
        self.make_templates()
        self.make_groups()
        self.make_vms()
        self.fit_memory()
        self.make_storage()
        self.sum_up()
        self.make_alerts()
        self.make_tasks()
        self.make_settings()

    def make_labels(self):
        for key, value, days in (("env", "production", 300), ("owner", "platform-team", 280)):
            self.labels[key] = self.make("Label", {"key": key, "value": value, "createdAt": iso(days)})

    def make_cluster(self, index, spec):
        elf = spec["hypervisor"] == "ELF"
        cpu_name, sockets, cores, hz, cpu_model = spec["cpu"]
        cluster = self.make("Cluster", {
            "name": spec["name"], "type": spec["type"], "hypervisor": spec["hypervisor"],
            "version": spec["version"], "architecture": "X86_64", "connect_state": "CONNECTED",
            "ip": spec["ip"], "management_vip": spec["ip"], "mgt_gateway": "192.168.10.1",
            "mgt_netmask": "255.255.255.0", "dns": ["192.168.10.2", "192.168.10.3"],
            "ntp_mode": "EXTERNAL", "ntp_servers": ["ntp1.example.internal", "ntp2.example.internal"],
            "local_id": self.uuid(), "license_type": "SUBSCRIPTION", "license_serial": self.uuid(),
            "license_sign_date": iso(400), "license_expire_date": iso(-330),
            "software_edition": spec["edition"],
            "is_all_flash": False, "stretch": False, "has_metrox": False, "rdma_enabled": False,
            "nvmf_enabled": False, "nvme_over_rdma_enabled": False, "nvme_over_tcp_enabled": False,
            "pmem_enabled": False, "vhost_enabled": not elf, "auto_converge": True if elf else None,
            "current_cpu_model": cpu_model, "recommended_cpu_models": [cpu_model] if cpu_model else [],
            "total_cpu_models": list(CPU_MODELS) if elf else [],
            "iscsi_vip": None if elf else "192.168.10.39", "max_chunk_num": 255,
            "reserved_cpu_cores_for_system_service": 0 if elf else 4,
            "upgrade_tool_version": spec["version"], "migration_data_size": 0, "migration_speed": 0,
            "recover_data_size": 0, "recover_speed": 0,
            "datacenters": [self.datacenter["id"]],
            "labels": [self.labels["env"]["id"]] if index == 0 else [],
        })
        self.clusters.append((spec, cluster))
        mgt = self.make("Vds", {
            "name": "vds-mgt", "cluster": cluster["id"], "type": "MANAGEMENT", "internal": True,
            "bond_mode": "active-backup", "ovsbr_name": "ovsbr-mgt", "local_id": self.uuid(),
            "work_mode": "single"})
        vm_vds = self.make("Vds", {
            "name": "vds-vm", "cluster": cluster["id"], "type": "VM", "internal": False,
            "bond_mode": "balance-tcp", "ovsbr_name": "ovsbr-vm", "local_id": self.uuid(),
            "work_mode": "active-active"})
        # `_net`: the /16 network the VMs' addresses on a VM VLAN come from.
        vlans = {
            "mgt": self.make("Vlan", {
                "name": "mgt-network", "vlan_id": 0, "vds": mgt["id"], "type": "MANAGEMENT",
                "mode_type": "VLAN_ACCESS", "local_id": self.uuid(), "network_ids": [],
                "gateway_ip": "192.168.10.1", "subnetmask": "255.255.255.0"}),
            "default": self.make("Vlan", {
                "name": "default", "vlan_id": 0, "vds": vm_vds["id"], "type": "VM",
                "mode_type": "VLAN_ACCESS", "local_id": self.uuid(), "network_ids": [],
                "_net": spec["vm_nets"][0]}),
            "second": self.make("Vlan", {
                "name": spec["vlan"][0], "vlan_id": spec["vlan"][1], "vds": vm_vds["id"], "type": "VM",
                "mode_type": "VLAN_ACCESS", "local_id": self.uuid(), "network_ids": [],
                "_net": spec["vm_nets"][1], "labels": [self.labels["owner"]["id"]] if index == 0 else []}),
        }
        for vds in (mgt, vm_vds):
            self.store.update("Vds", vds["id"], {"vlans_num": len(vds["vlans"])}, event=False)
        self.vdses.append({"mgt": mgt, "vm": vm_vds})
        self.vlans.append(vlans)
        hosts = []
        for number in range(spec["hosts"]):
            hosts.append(self.make_host(index, number, spec, cluster, mgt, vm_vds))
        self.hosts.append(hosts)

    def make_host(self, cluster_index, number, spec, cluster, mgt_vds, vm_vds):
        cpu_name, sockets, cores, hz, cpu_model = spec["cpu"]
        name = "%s-%02d" % (spec["name"], number + 1)
        management_ip = "192.168.10.%d" % (spec["mgt_base"] + number)
        warning = (cluster_index, number) == DOWN_NIC[:2]
        total_cores = sockets * cores
        host = self.make("Host", {
            "name": name, "cluster": cluster["id"], "management_ip": management_ip,
            "data_ip": "%s.%d" % (spec["data_net"], 11 + number), "local_id": self.uuid(),
            "chunk_id": str(number + 1), "status": "CONNECTED_WARNING" if warning else "CONNECTED_HEALTHY",
            "state": "IN_USE", "model": spec["server"], "serial": self.serial("SRV"),
            "os_version": "%s-el7" % spec["version"], "cpu_brand": cpu_name, "cpu_vendor": "GenuineIntel",
            "cpu_model": cpu_model or "host-passthrough", "compatible_cpu_models": list(CPU_MODELS[:6]),
            "total_cpu_sockets": sockets, "total_cpu_cores": total_cores, "cpu_hz_per_core": hz,
            "total_cpu_hz": total_cores * hz,
            "used_cpu_hz": float(int(total_cores * hz * self.between(0.12, 0.45))),
            "cpu_fan_speed": [float(int(self.between(4800, 6200))) for _ in range(sockets)],
            "cpu_fan_speed_unit": "RPM",
            "cpu_temperature_celsius": [int(self.between(45, 62)) for _ in range(sockets)],
            "total_memory_bytes": spec["memory"], "os_memory_bytes": spec["os_memory"],
            "iommu": "DISABLE", "is_os_in_raid1": False, "lsm_cap_disk_safe_umount": True,
            "nested_virtualization": False, "with_faster_ssd_as_cache": True,
            "pmem_dimm_capacity": 0, "pmem_dimm_count": 0, "pmem_disk_count": 0,
            "labels": [self.labels["env"]["id"]] if (cluster_index, number) == (0, 0) else [],
        })
        facts = {"record": host, "cluster": cluster_index, "vms": 0, "running": 0, "stopped": 0,
                 "suspended": 0, "vcpus": 0, "active_vcpus": 0, "memory": 0, "active_memory": 0}
        self.make_disks(cluster_index, number, spec, host)
        nics = []
        for port in range(4):
            nic_name = "eth%d" % port
            down = (cluster_index, number, nic_name) == DOWN_NIC
            management = port < 2
            nics.append(self.make("Nic", {
                "name": nic_name, "host": host["id"], "vds": (mgt_vds if management else vm_vds)["id"],
                "type": "MANAGEMENT" if management else "VM", "local_id": self.uuid(),
                "nic_uuid": self.uuid(),
                "mac_address": self.mac("0c:c4:7a"), "mtu": 1500, "speed": 10000, "physical": True,
                "up": not down, "running": not down, "driver": "ixgbe", "driver_state": "READY",
                "model": "Intel Corporation 82599ES 10-Gigabit SFI/SFP+ Network Connection",
                "ip_address": management_ip if port == 0 else None,
                "subnet_mask": "255.255.255.0" if port == 0 else None,
                "gateway_ip": "192.168.10.1" if port == 0 else None,
                "is_sriov": False, "user_usage": "DEFAULT", "rdma_enabled": False,
            }))
        self.store.update("Host", host["id"], {"nic_count": len(nics)}, event=False)
        facts["nics"] = nics
        return facts

    def make_disks(self, cluster_index, number, spec, host):
        hdd_count, hdd_size = spec["hdd"]
        ssd_count, ssd_size = spec["ssd"]
        layout = [("sda", "SSD", 480 * GB, "BOOT")]
        layout += [("sd%s" % "bcdefgh"[i], "SSD", ssd_size, "CACHE") for i in range(ssd_count)]
        layout += [("sd%s" % "bcdefgh"[ssd_count + i], "HDD", hdd_size, "DATA") for i in range(hdd_count)]
        layout += EXTRA_DISKS.get((cluster_index, number), [])
        used_fraction = self.between(*spec["used"])
        figures = {"hdd_disk_count": 0, "ssd_disk_count": 0, "hdd_data_capacity": 0, "ssd_data_capacity": 0,
                   "total_cache_capacity": 0, "failure_data_space": 0, "used_data_space": 0}
        for slot, (name, disk_type, size, usage) in enumerate(layout):
            health, usage_status = DISK_STATES.get((cluster_index, number, name), ("HEALTHY", "MOUNTED"))
            mounted = usage_status in ("MOUNTED", "PARTIAL_MOUNTED")
            partitions = []
            if usage == "BOOT":
                partitions = [
                    {"name": name + "1", "path": "/dev/%s1" % name, "size": 1 * GIB, "usage": "BOOT",
                     "used_size": 180 * MIB},
                    {"name": name + "2", "path": "/dev/%s2" % name, "size": 240 * GIB, "usage": "SYSTEM",
                     "used_size": int(240 * GIB * self.between(0.2, 0.4))},
                    {"name": name + "3", "path": "/dev/%s3" % name, "size": size - 241 * GIB,
                     "usage": "METAD",
                     "used_size": int((size - 241 * GIB) * self.between(0.05, 0.2))},
                ]
            elif mounted and usage == "CACHE":
                partitions = [
                    {"name": name + "1", "path": "/dev/%s1" % name, "size": 10 * GIB, "usage": "JOURNAL",
                     "used_size": int(10 * GIB * self.between(0.3, 0.7))},
                    {"name": name + "2", "path": "/dev/%s2" % name, "size": size - 10 * GIB, "usage": "CACHE",
                     "used_size": int((size - 10 * GIB) * self.between(0.5, 0.9))},
                ]
            elif mounted:
                partitions = [{"name": name + "1", "path": "/dev/%s1" % name, "size": size,
                               "usage": "PARTITION", "used_size": int(size * used_fraction)}]
            failure = None
            if health != "HEALTHY":
                failure = {"smart_check": health == "SMART_FAILED", "iostat_latency": health == "SUBHEALTHY",
                           "iostat_latency_ms": 320 if health == "SUBHEALTHY" else 0,
                           "chunk_io_error": health == "UNHEALTHY", "chunk_checksum_error": False,
                           "chunk_errflag": health == "UNHEALTHY", "chunk_warnflag": health == "SUBHEALTHY"}
            ssd = disk_type == "SSD"
            self.make("Disk", {
                "name": name, "path": "/dev/" + name, "host": host["id"], "type": disk_type, "size": size,
                "serial": self.serial("S4" if ssd else "ZA"), "local_id": self.uuid(),
                "model": ("SAMSUNG MZ7LH%dHAJD" % (size // GB)) if ssd else ("ST%dNM001G" % (size // GB)),
                "firmware": "HXT7904Q" if ssd else "SN03", "usage": usage, "recommended_usage": usage,
                "function": "UNMOUNT" if not mounted else usage, "health_status": health,
                "healthy": health == "HEALTHY", "usage_status": usage_status, "mounted": mounted,
                "offline": False, "partitions": partitions, "failure_information": failure,
                "numa_node": slot % 2, "physical_slot_on_brick": slot,
                "remaining_life_percent": int(self.between(88, 100)) if ssd else None,
            })
            figures["ssd_disk_count" if ssd else "hdd_disk_count"] += 1
            if not mounted:
                continue
            if usage == "CACHE":
                figures["total_cache_capacity"] += size
            elif usage == "DATA":
                figures["ssd_data_capacity" if ssd else "hdd_data_capacity"] += size
                figures["used_data_space"] += partitions[0]["used_size"]
                if health in ("UNHEALTHY", "SMART_FAILED"):
                    figures["failure_data_space"] += size
        figures["total_data_capacity"] = figures["hdd_data_capacity"] + figures["ssd_data_capacity"]
        self.store.update("Host", host["id"], figures, event=False)

    def make_images(self):
        for index, (spec, cluster) in enumerate(self.clusters):
            images = {}
            if spec["hypervisor"] == "ELF":
                for key, name, size, description in IMAGES:
                    images[key] = self.make("ElfImage", {
                        "name": name, "size": size, "description": description, "cluster": cluster["id"],
                        "path": "/usr/share/smartx/images/" + self.uuid(), "local_id": self.uuid(),
                        "local_created_at": iso(200 - 10 * len(images), 3600 * index)})
            self.images.append(images)

    def frozen_vlan(self, vlan, vds):
        return {"name": vlan["name"], "vlan_id": vlan["vlan_id"], "vlan_local_id": vlan["local_id"],
                "vds_ovs": vds["ovsbr_name"], "network_ids": []}

    def make_templates(self):
        for index, (name, profile, description) in enumerate([
                ("centos7-template", PROFILES[0], "CentOS 7.9 with VMTools and cloud-init"),
                ("ubuntu2204-template", PROFILES[1], "Ubuntu 22.04 LTS with VMTools and cloud-init")]):
            spec, cluster = self.clusters[index]
            sockets, cores, memory, sizes, bus = profile[3], profile[4], profile[5], profile[6], profile[8]
            disks = []
            for position, size in enumerate(sizes):
                disks.append({"boot": position + 1, "bus": bus, "index": position, "type": "DISK",
                              "size": size * GIB, "path": "/usr/share/smartx/volumes/" + self.uuid(),
                              "disk_name": "%s-disk%d" % (name, position + 1), "elf_image_local_id": "",
                              "svt_image_local_id": "", "storage_policy_uuid": "",
                              "vm_volume_local_id": self.uuid()})
            self.make("VmTemplate", {
                "name": name, "description": description, "cluster": cluster["id"], "local_id": self.uuid(),
                "local_created_at": iso(150 - 20 * index), "vcpu": sockets * cores,
                "cpu": {"sockets": sockets, "cores": cores}, "cpu_model": spec["cpu"][4],
                "memory": memory * GIB, "size": sum(sizes) * GIB, "clock_offset": "UTC",
                "firmware": profile[9], "ha": True, "cloud_init_supported": True, "win_opt": False,
                "video_type": "VGA", "io_policy": "RESTRICT_EACH_DISK", "vm_disks": disks,
                "vm_nics": [{"index": 0, "model": "VIRTIO", "enabled": True, "mirror": False, "type": "VLAN",
                             "vlan": self.frozen_vlan(self.vlans[index]["default"],
                                                      self.vdses[index]["vm"])}],
            })
        elf_clusters = [cluster["id"] for spec, cluster in self.clusters if spec["hypervisor"] == "ELF"]
        for index, (name, profile, description) in enumerate([
                ("centos7-base", PROFILES[0], "CentOS 7.9 base image for the content library"),
                ("windows2019-base", PROFILES[4], "Windows Server 2019 Datacenter, sysprepped")]):
            sockets, cores, memory, sizes, bus = profile[3], profile[4], profile[5], profile[6], profile[8]
            windows = profile[1] == "WINDOWS"
            self.make("ContentLibraryVmTemplate", {
                "name": name, "description": description, "architecture": "X86_64",
                "createdAt": iso(120 - 30 * index), "vcpu": sockets * cores,
                "cpu": {"sockets": sockets, "cores": cores}, "cpu_model": "Cascadelake-Server",
                "memory": memory * GIB, "size": sum(sizes) * GIB,
                "clock_offset": "LOCALTIME" if windows else "UTC",
                "firmware": profile[9], "ha": True, "cloud_init_supported": not windows, "win_opt": windows,
                "os": profile[2], "video_type": "VGA", "vm_template_uuids": [], "clusters": elf_clusters,
                "template_config": {"guest_os_type": profile[1], "cpu_exclusive_expected_enabled": False,
                                    "minimum_replica": False, "sync_vm_time_on_resume": True},
                "vm_disks": [{"boot": position + 1, "bus": bus, "index": position, "type": "DISK",
                              "size": size * GIB, "disk_name": "%s-disk%d" % (name, position + 1),
                              "storage_policy": "REPLICA_2_THIN_PROVISION"}
                             for position, size in enumerate(sizes)],
                "vm_nics": [{"index": 0, "model": "VIRTIO", "enabled": True, "mirror": False,
                             "type": "VLAN"}],
            })

    def make_groups(self):
        for cluster_index, name, prefixes in FOLDERS:
            folder = self.make("VmFolder", {"name": name, "cluster": self.clusters[cluster_index][1]["id"],
                                            "local_id": self.uuid()})
            for prefix in prefixes:
                self.folders[(cluster_index, prefix)] = folder
        prod, dev = self.clusters[0][1], self.clusters[1][1]
        self.placement = {
            (0, "db"): self.make("VmPlacementGroup", {
                "name": "db-anti-affinity", "description": "Keep the database servers on different hosts",
                "cluster": prod["id"], "enabled": True, "local_id": self.uuid(), "local_created_at": iso(90),
                "local_updated_at": iso(30), "vm_vm_policy_enabled": True, "vm_vm_policy": "PREFER_DIFFERENT",
                "vm_host_must_enabled": False, "vm_host_must_policy": True, "vm_host_prefer_enabled": False,
                "vm_host_prefer_policy": True}),
            (1, "k8s-node"): self.make("VmPlacementGroup", {
                "name": "k8s-prefer-new-hosts", "description": "Run the Kubernetes nodes on the newer hosts",
                "cluster": dev["id"], "enabled": True, "local_id": self.uuid(), "local_created_at": iso(60),
                "local_updated_at": iso(12), "vm_vm_policy_enabled": False, "vm_vm_policy": "PREFER_SAME",
                "vm_host_must_enabled": False, "vm_host_must_policy": True, "vm_host_prefer_enabled": True,
                "vm_host_prefer_policy": True,
                "vm_host_prefer_host_uuids": [facts["record"]["id"] for facts in self.hosts[1][1:]]}),
        }

    # -- VMs -------------------------------------------------------------------------------

    def make_vms(self):
        elf_hosts = [facts for index, hosts in enumerate(self.hosts)
                     if self.clusters[index][0]["hypervisor"] == "ELF" for facts in hosts]
        count = self.vm_count
        if not elf_hosts or not count:
            return
        per_profile = (count + len(PROFILES) - 1) // len(PROFILES)
        width = max(2, len(str(per_profile)))
        for index in range(count):
            profile = PROFILES[index % len(PROFILES)]
            name = "%s-%0*d" % (profile[0], width, index // len(PROFILES) + 1)
            self.make_vm(index, name, profile, elf_hosts[index % len(elf_hosts)])

    def vm_kit(self, profile, cluster_index):
        """What the records of the VMs of a profile on a cluster have in common, as whole records
        to fill in (see `Store.add`): {"volumes": [per disk], "vm", "disks": [per disk], "cd_rom",
        "nics": [per NIC], "snapshots": [per snapshot]}; made once per profile and cluster."""
        kit = self.kits.get((profile, cluster_index))
        if kit is not None:
            return kit
        prefix, guest, os_name, sockets, cores, memory_gib, sizes, nic_count, bus, firmware, iso_key = profile
        spec, cluster = self.clusters[cluster_index]
        cluster_id, windows = cluster["id"], guest == "WINDOWS"
        total_size = sum(sizes) * GIB

        def whole(type_name, values):
            record = self.store.blank(type_name)
            record.update(values)
            return record

        folder = self.folders.get((cluster_index, prefix))
        device = {"VIRTIO": "vd", "SCSI": "sd", "IDE": "hd"}[bus]
        vlans = [self.vlans[cluster_index]["default"], self.vlans[cluster_index]["second"]][:nic_count]
        same = {"vcpu": sockets * cores, "memory": memory_gib * GIB, "cpu_model": spec["cpu"][4],
                "firmware": firmware, "ha": True, "clock_offset": "LOCALTIME" if windows else "UTC",
                "win_opt": windows, "io_policy": "RESTRICT_EACH_DISK"}  # (a VM's and its snapshots')
        policy = "REPLICA_3_THICK_PROVISION" if prefix == "db" else "REPLICA_2_THIN_PROVISION"
        kit = self.kits[(profile, cluster_index)] = {
            "volumes": [whole("VmVolume", {
                "cluster": cluster_id, "size": size_gib * GIB, "type": "KVM_VOLUME", "mounting": True,
                "sharing": False, "description": "", "elf_storage_policy": policy}) for size_gib in sizes],
            "vm": whole("Vm", dict(same, **{
                "cluster": cluster_id, "folder": folder["id"] if folder is not None else None,
                "description": "%s server" % prefix, "guest_os_type": guest, "os": os_name,
                "in_recycle_bin": False, "internal": False, "protected": False,
                "nested_virtualization": False, "video_type": "VGA" if windows else "CIRRUS",
                "cloud_init_supported": not windows,
                "size": total_size, "provisioned_size": total_size, "logical_size_bytes": total_size,
                "dns_servers": "192.168.10.2,192.168.10.3"})),
            "disks": [whole("VmDisk", {
                "type": "DISK", "bus": bus, "boot": position + 1, "device": device + "abcdefgh"[position],
                "key": position, "disabled": False}) for position in range(len(sizes))],
            "cd_rom": whole("VmDisk", {
                "elf_image": self.images[cluster_index][iso_key]["id"], "type": "CD_ROM", "bus": "IDE",
                "boot": len(sizes) + 1, "device": "hd" + "abcdefgh"[len(sizes) if bus == "IDE" else 0],
                "key": len(sizes), "disabled": False}),
            "nics": [(vlan, whole("VmNic", {
                "vlan": vlan["id"], "subnet_mask": "255.255.0.0", "gateway": vlan["_net"] + ".0.1",
                "model": "E1000" if bus == "IDE" else "VIRTIO", "enabled": True, "mirror": False,
                "type": "VLAN", "order": position, "egress_rate_limit_enabled": False,
                "ingress_rate_limit_enabled": False}))
                for position, vlan in enumerate(vlans)],
            "snapshots": [whole("VmSnapshot", dict(same, **{
                "description": description, "cluster": cluster_id, "size": total_size}))
                for description in ("Before the application upgrade", "Weekly snapshot")],
        }
        return kit

    def make_vm(self, index, name, profile, host_facts):
        """A VM with its volumes, disks, NICs and snapshots (records made whole from its kit:
        building 100,000 VMs is most of the time a large estate takes to start)."""
        rng, uuid, add = self.rng, self.uuid, self.store.add
        prefix, guest, os_name, sockets, cores, memory_gib, sizes, nic_count, bus, firmware, iso_key = profile
        cluster_index = host_facts["cluster"]
        kit = self.vm_kit(profile, cluster_index)
        spec = self.clusters[cluster_index][0]
        host = host_facts["record"]
        host_id = host["id"]
        if index % 30 == 13:
            status = "SUSPENDED"
        elif index % 6 == 4:
            status = "STOPPED"
        else:
            status = "RUNNING"
        running = status == "RUNNING"
        if status != "RUNNING":
            tools = "NOT_RUNNING"
        elif index % 8 == 3:
            tools = "NOT_INSTALLED"
        else:
            tools = "RUNNING"
        tools_running = tools == "RUNNING"
        windows = guest == "WINDOWS"
        vcpu = sockets * cores
        memory = memory_gib * GIB
        created_days = 20 + (index * 7919 % 500) + rng.random()
        created = iso(created_days)
        # Disks: volumes first (their sizes make the VM's), the VM, then its disks and NICs.
        volumes = []  # [(id, name, path, local_id, size)]
        total_used = 0
        for position, blank in enumerate(kit["volumes"]):
            size = blank["size"]
            thin = blank["elf_storage_policy"].endswith("THIN_PROVISION")
            used = int(size * (0.2 + 0.6 * rng.random())) if thin else size
            total_used += used
            volume = dict(blank)
            volume.update({
                "name": "%s-disk%d" % (name, position + 1), "path": "/usr/share/smartx/volumes/" + uuid(),
                "local_id": uuid(), "local_created_at": created, "used_size": used,
                "used_size_usage": round(100.0 * used / size, 2), "unique_size": used,
                "unique_logical_size": float(used),
                "guest_used_size": int(used * 0.9) if tools_running else None,
                "guest_size_usage": round(90.0 * used / size, 2) if tools_running else None})
            add("VmVolume", volume)
            volumes.append((volume["id"], volume["name"], volume["path"], volume["local_id"], size))
        total_size = kit["vm"]["size"]
        nic_ips = [self.ip(vlan["_net"]) for vlan, blank in kit["nics"]]
        kernel = None
        if tools_running and not windows:
            kernel = next((text for key, text in KERNELS.items() if os_name.startswith(key)), None)
        group = self.placement.get((cluster_index, prefix))
        labels = [self.labels["env"]["id"]] if cluster_index == 0 and prefix in ("db", "web") else \
            [self.labels["owner"]["id"]] if prefix == "k8s-node" else []
        values = dict(kit["vm"])
        values.update({
            "host": host_id, "labels": labels,
            "vm_placement_group": [group["id"]] if group is not None else [],
            "name": name, "status": status, "cpu": {"sockets": sockets, "cores": cores},
            "ips": ",".join(nic_ips) if tools_running else "", "vm_tools_status": tools,
            "vm_tools_version": None if tools == "NOT_INSTALLED" else "4.1.0",
            "hostname": name if tools_running else None, "kernel_info": kernel,
            "local_id": uuid(), "bios_uuid": uuid(), "node_ip": host["management_ip"],
            "guest_cpu_model": spec["cpu"][0] if running else None, "out_uninstall_usb": [],
            "local_created_at": created,
            "last_shutdown_time": iso(created_days / 3.0) if status == "STOPPED" else None,
            "cpu_usage": round(self.between(2.0, 70.0), 2) if running else None,
            "memory_usage": round(self.between(20.0, 85.0), 2) if running else None,
            "used_size": total_used, "used_size_usage": round(100.0 * total_used / total_size, 2),
            "unique_size": total_used, "unique_logical_size": float(total_used),
            "guest_used_size": int(total_used * 0.9) if tools_running else None,
            "guest_size_usage": round(90.0 * total_used / total_size, 2) if tools_running else None,
        })
        vm = add("Vm", values)
        vm_id = values["id"]
        for (volume_id, _, _, local_id, _), blank in zip(volumes, kit["disks"]):
            disk = dict(blank)
            disk.update({"vm": vm_id, "vm_volume": volume_id,
                         "serial": local_id[:20] if bus != "IDE" else None})
            add("VmDisk", disk)
        if index % 4 == 1:
            disk = dict(kit["cd_rom"])
            disk["vm"] = vm_id
            add("VmDisk", disk)
        macs = []
        for position, (vlan, blank) in enumerate(kit["nics"]):
            macs.append(self.mac("52:54:00"))
            nic = dict(blank)
            nic.update({"vm": vm_id, "mac_address": macs[-1], "ip_address": nic_ips[position],
                        "local_id": uuid(),
                        "interface_id": "vnet%d" % (index * 2 + position) if running else None})
            add("VmNic", nic)
        snapshots = 2 if index % 10 == 2 else (1 if index % 5 == 2 else 0)
        if snapshots:
            frozen_disks = [{"boot": position + 1, "bus": bus, "index": position, "type": "DISK",
                             "size": size, "path": path, "disk_name": volume_name,
                             "vm_volume_local_id": local_id, "elf_image_local_id": "",
                             "svt_image_local_id": "", "storage_policy_uuid": ""}
                            for position, (_, volume_name, path, local_id, size) in enumerate(volumes)]
            frozen_nics = [{"index": position, "mac_address": macs[position], "ip_address": nic_ips[position],
                            "subnet_mask": blank["subnet_mask"], "gateway": blank["gateway"],
                            "model": blank["model"], "enabled": True, "mirror": False,
                            "vlan": self.frozen_vlan(vlan, self.vdses[cluster_index]["vm"])}
                           for position, (vlan, blank) in enumerate(kit["nics"])]
        for number in range(snapshots):
            snapshot = dict(kit["snapshots"][number])
            snapshot.update({
                "name": "%s-%s" % (name, ("before-upgrade", "weekly")[number]), "vm": vm_id,
                "local_id": uuid(), "local_created_at": iso(created_days * (0.5 - 0.2 * number)),
                "cpu": {"sockets": sockets, "cores": cores},
                "consistent_type": "FILE_SYSTEM_CONSISTENT" if tools_running else "CRASH_CONSISTENT",
                "vm_disks": frozen_disks, "vm_nics": frozen_nics})
            add("VmSnapshot", snapshot)
        host_facts["vms"] += 1
        host_facts["vcpus"] += vcpu
        host_facts["memory"] += memory
        if status == "STOPPED":
            host_facts["stopped"] += 1
        else:
            host_facts["running" if running else "suspended"] += 1
            host_facts["active_memory"] += memory
            if running:
                host_facts["active_vcpus"] += vcpu
        if len(self.vms) < 200:  # (the alerts and tasks name some of the first)
            self.vms.append((vm, host_facts, tools))

    # -- figures ---------------------------------------------------------------------------

    def fit_memory(self):
        """Host memory figures from the VMs on them; a host grows (in 64 GiB steps) when its
        running VMs would not fit in 85% of it (only with many VMs)."""
        for hosts in self.hosts:
            for facts in hosts:
                host = facts["record"]
                used = host["os_memory_bytes"] + facts["active_memory"]
                total = host["total_memory_bytes"]
                if used > total * 0.85:
                    total = ((int(used / 0.85) + 64 * GIB - 1) // (64 * GIB)) * 64 * GIB
                self.store.update("Host", host["id"], {
                    "total_memory_bytes": total, "running_pause_vm_memory_bytes": facts["active_memory"],
                    "used_memory_bytes": float(used), "allocatable_memory_bytes": total - used,
                    "provisioned_memory_bytes": facts["memory"], "provisioned_cpu_cores": facts["vcpus"],
                    "allocable_cpu_cores_for_vm_exclusive": host["total_cpu_cores"] // 2,
                    "vm_num": facts["vms"], "running_vm_num": facts["running"],
                    "stopped_vm_num": facts["stopped"], "suspended_vm_num": facts["suspended"]}, event=False)

    def make_storage(self):
        """iSCSI targets and LUNs on the ZBS cluster."""
        for spec, cluster in self.clusters:
            if spec["type"] != "SMTX_ZBS":
                continue
            for position, (name, description, luns) in enumerate([
                    ("iscsi-oracle", "Oracle RAC shared storage",
                     [("oracle-data", 2048 * GIB, 0.62), ("oracle-redo", 200 * GIB, 0.4)]),
                    ("iscsi-backup", "Backup repository for Veeam", [("backup-repo", 10240 * GIB, 0.55)])]):
                target = self.make("IscsiTarget", {
                    "name": name, "description": description, "cluster": cluster["id"],
                    "local_id": self.uuid(),
                    "iqn_name": "iqn.2016-02.com.smartx:system:" + name, "ip_whitelist": "",
                    "iqn_whitelist": "*/*", "chap_enabled": False, "external_use": True, "internal": False,
                    "replica_num": 2, "stripe_num": 4, "stripe_size": 256 * KIB, "thin_provision": True})
                for lun_number, (lun_name, size, used) in enumerate(luns):
                    unique = int(size * used)
                    lun = self.make("IscsiLun", {
                        "name": lun_name, "iscsi_target": target["id"], "lun_id": lun_number + 1,
                        "local_id": self.uuid(), "zbs_volume_id": self.uuid(),
                        "local_created_at": iso(180 - 40 * position - lun_number), "assigned_size": size,
                        "allowed_initiators": "", "replica_num": 2, "stripe_num": 4, "stripe_size": 256 * KIB,
                        "thin_provision": True, "unique_size": unique, "unique_logical_size": float(unique),
                        "shared_size": 0, "snapshot_num": 1 if lun_name == "oracle-data" else 0,
                        "io_size": 0})
                    if lun_name == "oracle-data":
                        self.make("IscsiLunSnapshot", {
                            "name": "oracle-data-before-patch", "iscsi_lun": lun["id"],
                            "iscsi_target": target["id"], "local_id": self.uuid(),
                            "local_created_at": iso(14), "unique_size": int(size * 0.03)})

    def sum_up(self):
        """Cluster figures as sums over their hosts, the datacenter's over its clusters."""
        keys = ("total_cpu_cores", "total_cpu_sockets", "total_cpu_hz", "used_cpu_hz", "total_memory_bytes",
                "used_memory_bytes", "total_data_capacity", "used_data_space", "failure_data_space",
                "total_cache_capacity", "provisioned_cpu_cores", "provisioned_memory_bytes", "vm_num",
                "running_vm_num", "stopped_vm_num", "suspended_vm_num")
        datacenter = dict((key, 0) for key in (
            "host_num", "vm_num", "total_cpu_hz", "used_cpu_hz", "total_memory_bytes", "used_memory_bytes",
            "total_data_capacity", "used_data_space", "failure_data_space"))
        for index, (spec, cluster) in enumerate(self.clusters):
            hosts = [facts["record"] for facts in self.hosts[index]]
            figures = dict((key, sum(host[key] for host in hosts)) for key in keys)
            figures["used_cpu_hz"] = float(figures["used_cpu_hz"])
            figures["used_memory_bytes"] = float(figures["used_memory_bytes"])
            active = sum(facts["active_vcpus"] for facts in self.hosts[index])
            cores = float(figures["total_cpu_cores"])
            figures.update({
                "host_num": len(hosts),
                "valid_data_space": figures["total_data_capacity"] - figures["failure_data_space"],
                "provisioned_cpu_cores_for_active_vm": active,
                "provisioned_ratio": round(figures["provisioned_cpu_cores"] / cores, 4),
                "provisioned_for_active_vm_ratio": round(active / cores, 4),
                "max_physical_data_capacity": figures["total_data_capacity"],
                "max_physical_data_capacity_per_node": max(host["total_data_capacity"] for host in hosts),
            })
            self.store.update("Cluster", cluster["id"], figures, event=False)
            for key in datacenter:
                datacenter[key] += figures[key]
        datacenter["used_cpu_hz"] = float(datacenter["used_cpu_hz"])
        datacenter["used_memory_bytes"] = float(datacenter["used_memory_bytes"])
        datacenter["cluster_num"] = len(self.clusters)
        self.store.update("Datacenter", self.datacenter["id"], datacenter, event=False)
        for folder in self.store.records("VmFolder"):
            self.store.update("VmFolder", folder["id"], {"vm_num": len(folder["vms"])}, event=False)
        for label in self.labels.values():
            counts = {"vm_num": len(label["vms"]), "host_num": len(label["hosts"]),
                      "cluster_num": len(label["clusters"]), "vm_vlan_num": len(label["vlans"])}
            counts["total_num"] = sum(counts.values())
            self.store.update("Label", label["id"], counts, event=False)

    # -- alerts, tasks, settings -------------------------------------------------------------

    def make_alerts(self):
        """The global alert rules (with each cluster's rule), and alerts about what is wrong in
        the estate: the failing disks, the full ZBS cluster, the NIC without link ..."""
        for key, kind in ALERT_KINDS.items():
            thresholds = [{"severity": severity, "value": value, "quantile": 0}
                          for severity, value in kind["thresholds"]]
            texts = {}
            for language in ("en", "zh"):
                texts[language] = dict((text, kind[language][text]) for text in TEXT_KEYS)
                texts[language]["message"] = kind[language]["title"]
            values = {"name": kind["rule"], "object": kind["object"], "unit": kind["unit"],
                      "operator": kind["operator"], "boolean": kind["boolean"], "disabled": False,
                      "default_thresholds": thresholds, "thresholds": thresholds,
                      "_i18n": {"zh-CN": texts["zh"]}}
            values.update(texts["en"])
            rule = self.make("GlobalAlertRule", values)
            self.rules[key] = dict((cluster["id"], self.make("AlertRule", {
                "global_alert_rule": rule["id"], "cluster": cluster["id"], "customized": False,
                "disabled": False, "local_id": self.uuid(), "thresholds": thresholds}))
                for spec, cluster in self.clusters)
        prod, dev, zbs = [cluster for spec, cluster in self.clusters]
        for kind, severity, place, value, threshold, days, ended in (
                ("disk_smart", "CRITICAL", (0, 1, "sdf"), 1.0, 1.0, 2.3, None),
                ("disk_unhealthy", "CRITICAL", (1, 0, "sdg"), 1.0, 1.0, 9.5, 6.0),
                ("disk_subhealthy", "NOTICE", (0, 2, "sde"), 320000.0, 200000.0, 0.8, None)):
            host = self.hosts[place[0]][place[1]]["record"]
            disk = [self.store.get("Disk", one) for one in host["disks"]
                    if self.store.get("Disk", one)["name"] == place[2]][0]
            names = {"host": host["name"], "disk": disk["name"], "serial": disk["serial"],
                     "value_ms": value // 1000, "threshold_ms": threshold // 1000}
            self.alert(kind, severity, self.clusters[place[0]][1], names, value, threshold, days, ended,
                       host=host, disk=disk)
        usage = 100.0 * zbs["used_data_space"] / zbs["total_data_capacity"]
        self.alert("cluster_storage", "NOTICE", zbs,
                   {"cluster": zbs["name"], "value": usage, "threshold": 70}, round(usage, 2), 70.0, 3.1)
        host = self.hosts[0][0]["record"]
        self.alert("host_memory", "NOTICE", prod, {"host": host["name"], "value": 91.4, "threshold": 80},
                   91.4, 80.0, 21.0, 20.5, host=host)
        host = self.hosts[DOWN_NIC[0]][DOWN_NIC[1]]["record"]
        self.alert("host_nic_down", "NOTICE", dev, {"host": host["name"], "nic": DOWN_NIC[2]}, 1.0, 1.0, 1.2,
                   host=host)
        host = self.hosts[2][1]["record"]
        self.alert("host_ntp", "INFO", zbs, {"host": host["name"], "value": 2.7}, 2.7, 1.0, 45.0, 44.9,
                   host=host)
        no_tools = [vm for vm, facts, tools in self.vms[:200] if tools == "NOT_INSTALLED"][:2]
        for position, vm in enumerate(no_tools):
            self.alert("vm_tools", "INFO", self.store.get("Cluster", vm["cluster"]), {"vm": vm["name"]},
                       1.0, 1.0, 5.0 - position, vms=[vm])
        for vm in [vm for vm, facts, tools in self.vms[:200] if vm["status"] == "RUNNING"][:1]:
            self.store.update("Vm", vm["id"], {"cpu_usage": 97.6}, event=False)
            self.alert("vm_cpu", "CRITICAL", self.store.get("Cluster", vm["cluster"]),
                       {"vm": vm["name"], "value": 97.6, "threshold": 95}, 97.6, 95.0, 0.1, vms=[vm])

    def alert(self, kind_key, severity, cluster, names, value, threshold, days_ago, ended=None, host=None,
              disk=None, vms=()):
        """An alert of `kind_key` that began `days_ago` days before the estate's moment (and
        ended `ended` days before it, or goes on), its texts filled in with `names`."""
        kind = ALERT_KINDS[kind_key]
        labels = {"cluster": cluster["name"]}
        if host is not None:
            labels["hostname"] = host["name"]
        if disk is not None:
            labels["disk"] = disk["name"]
        if vms:
            labels["vm"] = vms[0]["name"]
        start = iso(days_ago)
        values = {
            "severity": severity, "cluster": cluster["id"], "host": host["id"] if host else None,
            "disk": disk["id"] if disk else None, "vms": [vm["id"] for vm in vms],
            "alert_rule": self.rules[kind_key][cluster["id"]]["id"], "local_id": self.uuid(),
            "ended": ended is not None, "value": value, "threshold": threshold, "labels": labels,
            "create_time": start, "local_create_time": start, "local_start_time": start,
            "local_update_time": iso(ended if ended is not None else min(days_ago, 0.05)),
            "local_end_time": iso(ended) if ended is not None else "",
            "_i18n": {"zh-CN": dict((text, kind["zh"][text] % names) for text in TEXT_KEYS)}}
        values.update((text, kind["en"][text] % names) for text in TEXT_KEYS)
        return self.make("Alert", values)

    def make_tasks(self):
        """Finished tasks about what the estate holds, at the moments those things happened."""
        prod, dev, zbs = [cluster for spec, cluster in self.clusters]
        first = dict((vm["name"].rsplit("-", 1)[0], vm) for vm, facts, tools in reversed(self.vms[:30]))
        image = self.images[0]["centos"]
        lun = next(iter(self.store.tables["IscsiLun"].values()))
        snapshot = next(iter(self.store.tables["VmSnapshot"].values()), None)
        host = self.hosts[1][0]["record"]
        disk = [self.store.get("Disk", one) for one in host["disks"]
                if self.store.get("Disk", one)["health_status"] == "UNHEALTHY"][0]
        failure = ("DISK_UNHEALTHY", "Disk %s (serial %s) on host %s cannot be mounted: it is unhealthy "
                                     "(repeated I/O errors)." % (disk["name"], disk["serial"], host["name"]))
        plans = [  # description, operation, type, resource, cluster, started, seconds, failure
            ("Upload image %s" % image["name"], "upload_elf_image", "ElfImage", image, prod,
             image["local_created_at"], 600, None),
            ("Create iSCSI LUN %s" % lun["name"], "create_iscsi_lun", "IscsiLun", lun, zbs,
             lun["local_created_at"], 20, None),
            ("Mount disk %s on host %s" % (disk["name"], host["name"]), "mount_disk", "Disk", disk, dev,
             iso(5.2), 45, failure),
        ]
        if "web" in first:
            vm = first["web"]
            plans.append(("Create virtual machine %s" % vm["name"], "create_vm", "Vm", vm,
                          self.store.get("Cluster", vm["cluster"]), vm["local_created_at"], 95, None))
        if "app" in first:
            vm = first["app"]
            plans.append(("Start virtual machine %s" % vm["name"], "start_vm", "Vm", vm,
                          self.store.get("Cluster", vm["cluster"]), iso(3.0), 12, None))
        if snapshot is not None:
            plans.append(("Create snapshot %s" % snapshot["name"], "create_vm_snapshot", "VmSnapshot",
                          snapshot, self.store.get("Cluster", snapshot["cluster"]),
                          snapshot["local_created_at"], 8, None))
        plans.sort(key=lambda plan: plan[5])
        for description, operation, type_name, resource, cluster, started, seconds, failure in plans:
            self.make("Task", {
                "description": description, "status": "FAILED" if failure else "SUCCESSED",
                "progress": 0.6 if failure else 1.0, "key": operation, "resource_mutation": operation,
                "resource_type": resource_type_name(type_name), "resource_id": resource["id"],
                "cluster": cluster["id"], "local_created_at": started, "started_at": started,
                "finished_at": _after(started, seconds), "snapshot": "{}", "args": {}, "internal": False,
                "steps": [{"key": operation, "current": 60.0 if failure else 100.0, "total": 100.0,
                           "unit": "PERCENT", "finished": not failure, "per_second": 0.0}],
                "error_code": failure[0] if failure else None,
                "error_message": failure[1] if failure else None,
            })

    def make_settings(self):
        self.make("GlobalSettings", {
            "vm_recycle_bin": {"enabled": False, "retain": 7},
            "auth": {"access_mode": "NONE", "access_list": [], "enable_single_session_login": False,
                     "login_miss_num_threshold": 5, "login_miss_time_threshold": 300,
                     "password_complexity": "MIDDLE", "password_expire_days": 90, "session_max_age": 3600}})
        for spec, cluster in self.clusters:
            elf = spec["hypervisor"] == "ELF"
            self.make("ClusterSettings", {
                "cluster": cluster["id"], "default_ha": True if elf else None,
                "default_storage_policy": "REPLICA_2_THIN_PROVISION", "enabled_iscsi": not elf,
                "vm_recycle_bin": {"enabled": False, "retain": 7} if elf else None})
