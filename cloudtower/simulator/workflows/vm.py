# -*- coding: utf-8 -*-
"""VMs: create (blank, from a template or a content-library template, clone, convert a template),
edit (basic info, CPU and memory, options, folder, disks, CD-ROMs, NICs), power, migrate, delete
and the recycle bin, VM templates from VMs, placement groups.

Choices where CloudTower leaves room:
- Creating makes the VM at once (entityAsyncStatus CREATING, status STOPPED, on `host_id` or the
  cluster's host with the most free memory); its disks, new volumes and NICs appear when the task
  ends, and then it starts if `status` is RUNNING - without room on a host the task FAILS and the
  VM stays STOPPED. Clones and VMs from templates are STOPPED unless `status` says otherwise; they
  get new volumes and new MACs.
- A host's free memory: total_memory_bytes - os_memory_bytes - the memory of its RUNNING and
  SUSPENDED VMs. Starting without `host_id` prefers the VM's host, else the roomiest host of its
  cluster; with `host_id`, that host or a FAILED task.
- A power operation on a VM in a state it does not apply to (start a RUNNING VM, suspend a
  STOPPED one, anything on a VM in the recycle bin) is accepted; its task FAILS with a message and
  the VM is unchanged.
- Fields (name, CPU, memory, options, folder) change when the request is accepted; disks,
  CD-ROMs, NICs, power state and placement when the task ends. A RUNNING or SUSPENDED VM's vcpu
  and memory may grow (memory as far as its host has room), not shrink: 400.
- delete-vm moves a VM to the recycle bin when the bin is on (the cluster's ClusterSettings, else
  GlobalSettings): in_recycle_bin, deleted_at, powered off. A VM already in the bin, or any VM
  with the bin off, is deleted with its disks, NICs and the volumes no other VM mounts (shared
  volumes stay), its snapshots too with effect.include_snapshots. move-vm-to-recycle moves it
  whatever the setting.
- Disks and NICs keep their ids. A NIC's index is its `order` (renumbered after removals); a new
  NIC gets a unique MAC 52:54:00:xx:xx:xx unless the params give one. Disk or NIC ids, indexes
  or sizes that do not fit the VM fail the task (the request is accepted).
"""
from __future__ import absolute_import, unicode_literals

import collections
import copy
import functools

from cloudtower import models
from cloudtower.simulator import i18n, shapes
from cloudtower.simulator.handlers import TaskFailure, create_from_params, handles, values_from_params
from cloudtower.simulator.store import Summary
from cloudtower.simulator.workflows.common import changed, created, free, identity, now, scaled

ACTIVE = ("RUNNING", "SUSPENDED")          # states that hold memory on the host
PLACES = (("Host", "host"), ("Cluster", "cluster"), ("VmFolder", "folder"))   # what counts a VM
PLACE_KEYS = dict(PLACES)
BITS = {"bps": 1, "Kbps": 10 ** 3, "Mbps": 10 ** 6, "Gbps": 10 ** 9, "Tbps": 10 ** 12,
        "bit": 1, "Kb": 10 ** 3, "Mb": 10 ** 6, "Gb": 10 ** 9, "Tb": 10 ** 12, "Pb": 10 ** 15}
POLICIES = models.VmVolumeElfStoragePolicyType.allowable_values
DEFAULT_POLICY = "REPLICA_2_THIN_PROVISION"
VIDEO_TYPES = models.VmVideoType.allowable_values


def _vm_counts(vm):
    """What a VM adds to the counters of its host, cluster and folder (VM_COUNTS.names): nothing
    from the recycle bin but the memory it holds on its host, if it is running or suspended. The
    vCPUs "for active VMs" are those of the running VMs (a suspended VM holds its memory, not
    CPU), as the demo estate counts them."""
    status, memory = vm.get("status"), vm.get("memory") or 0
    held = memory if status in ACTIVE else 0
    if vm.get("in_recycle_bin"):
        return (0, 0, 0, 0, 0, 0, 0, 0, held)
    vcpu = vm.get("vcpu") or 0
    running = status == "RUNNING"
    return (1, memory, vcpu, vcpu if running else 0, held, int(running), int(status == "STOPPED"),
            int(status == "SUSPENDED"), held)


# The counters of hosts, clusters and folders, kept by the store as VMs change (Store.totals);
# held_memory, the memory of the running and suspended VMs (in the recycle bin too), is what a
# host cannot give others.
VM_COUNTS = Summary("Vm", by=[key for _, key in PLACES], fields=("in_recycle_bin", "status", "memory", "vcpu"),
                    names=("vm_num", "provisioned_memory_bytes", "provisioned_cpu_cores",
                           "provisioned_cpu_cores_for_active_vm", "running_pause_vm_memory_bytes",
                           "running_vm_num", "stopped_vm_num", "suspended_vm_num", "held_memory"),
                    of=_vm_counts)

# What a VM, a template of it and a VM made from that share.
IO_LIMITS = ("max_bandwidth", "max_bandwidth_policy", "max_iops", "max_iops_policy")
HARDWARE = ("clock_offset", "cpu", "cpu_model", "firmware", "ha", "io_policy", "memory", "vcpu", "video_type",
            "win_opt") + IO_LIMITS
DISK_FIELDS = ("boot", "bus", "key", "disabled") + IO_LIMITS
NIC_FIELDS = ("enabled", "gateway", "ip_address", "local_id", "mac_address", "mirror", "model", "subnet_mask",
              "type")
NIC_COPIED = ("enabled", "mirror", "model", "type", "vlan") + tuple(
    direction + field for direction in ("ingress", "egress")
    for field in ("_rate_limit_enabled", "_rate_limit_max_rate_in_bitps", "_rate_limit_burst_in_bit"))
# Creation params that _plan reads itself rather than as VM fields of the same name.
OWN_PARAMS = ("status", "host_id", "vm_disks", "vm_nics", "disk_operate", "gpu_devices", "cloud_init",
              "owner", "vcpu", "cpu_cores", "cpu_sockets", "template_id", "src_vm_id", "is_full_copy")


# ---------------------------------------------------------------------------------------------
# Small helpers.

def _copy(source, keys):
    """The values of `keys` that `source` has (not None), copied."""
    return dict((key, copy.deepcopy(source[key])) for key in keys if source.get(key) is not None)


def _failure(ctx, key, **values):
    return TaskFailure(i18n.text(key, ctx.language, **values))


def _existing(ctx, type_name, ids):
    return [record for record in (ctx.store.get(type_name, item) for item in ids or ()) if record is not None]


def _find_local(ctx, type_name, local_id):
    """The record whose id or local_id is `local_id` (what templates and mappings name)."""
    if not local_id:
        return None
    return ctx.store.get(type_name, local_id) or ctx.store.find(type_name, local_id=local_id)


def _disks(ctx, vm):
    return _existing(ctx, "VmDisk", vm.get("vm_disks"))


def _nics(ctx, vm):
    return sorted(_existing(ctx, "VmNic", vm.get("vm_nics")), key=lambda nic: nic.get("order") or 0)


def _own(ctx, vm, type_name, item_id, kind):
    """The disk or NIC `item_id` of `vm` (of `kind` CD_ROM/DISK when given), or a task failure."""
    item = ctx.store.get(type_name, item_id)
    if item is None or item.get("vm") != vm["id"] or (kind and item.get("type") != kind):
        raise _failure(ctx, "vm_no_item", name=vm["name"], kind=kind or type_name, id=item_id)
    return item


def _submit(ctx, type_name, record, work, status, others=()):
    """A task holding `record` (its entityAsyncStatus `status`) and `others`, (type, record,
    status) triples."""
    task = ctx.submit(type_name, record, work=work, status=status,
                      also=[(kind, other) for kind, other, _ in others])
    for kind, other, shown in others:
        if shown != status and (kind, other["id"]) in ctx.tasks.held:
            ctx.store.update(kind, other["id"], {"entityAsyncStatus": shown})
    return task


def _cpu(ctx, params, current):
    """`cpu` and `vcpu` from params (cpu_cores, cpu_sockets, vcpu) over the `current` cpu."""
    current = current or {}
    cores = params.get("cpu_cores") or current.get("cores") or 1
    sockets = params.get("cpu_sockets") or current.get("sockets") or 1
    vcpu = params.get("vcpu")
    if vcpu and not params.get("cpu_cores") and not params.get("cpu_sockets"):
        cores, sockets = (cores, vcpu // cores) if vcpu % cores == 0 else (vcpu, 1)
    if vcpu and vcpu != cores * sockets:
        ctx.fail(400, "vm_cpu", vcpu=vcpu, cores=cores, sockets=sockets)
    return {"cpu": {"cores": cores, "sockets": sockets}, "vcpu": cores * sockets}


def _qos(qos):
    """VmNic rate-limit fields from a VmNicQosOption."""
    values = {}
    for direction in ("ingress", "egress"):
        traffic = (qos or {}).get(direction)
        if traffic:
            values[direction + "_rate_limit_enabled"] = traffic["enabled"]
            for key, field in (("rate_limit", "_rate_limit_max_rate_in_bitps"),
                               ("burst", "_rate_limit_burst_in_bit")):
                if traffic.get(key) is not None:
                    unit = traffic.get(key + "_unit") or ("bps" if key == "rate_limit" else "bit")
                    values[direction + field] = float(traffic[key] * BITS[unit])
    return values


def _new_mac(ctx):
    counter = ctx.store.settings.get("vm_mac_counter", 0)
    while True:
        counter += 1
        mac = "52:54:00:%02x:%02x:%02x" % ((counter >> 16) & 255, (counter >> 8) & 255, counter & 255)
        if ctx.store.find("VmNic", mac_address=mac) is None:  # (by an index)
            ctx.store.settings["vm_mac_counter"] = counter
            return mac


# ---------------------------------------------------------------------------------------------
# Hosts, memory and the counters of hosts, clusters and folders.

def _free(ctx, host, vm_id=None):
    """A host's free memory, not counting VM `vm_id`."""
    used = ctx.store.totals(VM_COUNTS, "host", host["id"])["held_memory"]
    vm = ctx.store.get("Vm", vm_id) if vm_id else None
    if vm is not None and vm.get("host") == host["id"] and vm.get("status") in ACTIVE:
        used -= vm.get("memory") or 0
    return (host.get("total_memory_bytes") or 0) - (host.get("os_memory_bytes") or 0) - used


def _hosts(ctx, cluster_id):
    cluster = ctx.store.get("Cluster", cluster_id) or {}
    return _existing(ctx, "Host", cluster.get("hosts"))


def _host_for(ctx, vm, host_id=None, exclude=None, room=True):
    """Where `vm` may run: the host `host_id`, else its own host, else the roomiest other host of
    its cluster (not `exclude`); `room`: it must have free memory for the VM. A TaskFailure
    when none fits."""
    memory = vm.get("memory") or 0

    def fits(host):
        return not room or _free(ctx, host, vm["id"]) >= memory
    if host_id:
        host = ctx.store.get("Host", host_id)
        if host is None:
            raise _failure(ctx, "not_found", kind="Host", id=host_id)
        if vm.get("cluster") and host.get("cluster") != vm["cluster"]:
            raise _failure(ctx, "vm_other_cluster", host=host["name"], name=vm["name"])
        if not fits(host):
            raise _failure(ctx, "vm_no_room", host=host["name"], free=max(0, _free(ctx, host, vm["id"])),
                           name=vm["name"], memory=memory)
        return host
    hosts = _hosts(ctx, vm.get("cluster")) or _existing(ctx, "Host", [vm.get("host")])
    hosts = sorted((host for host in hosts if host["id"] != exclude),
                   key=lambda host: (host["id"] != vm.get("host"), -_free(ctx, host, vm["id"])))
    for host in hosts:
        if fits(host):
            return host
    cluster = ctx.store.get("Cluster", vm.get("cluster")) or {}
    raise _failure(ctx, "vm_no_host", cluster=cluster.get("name") or "-", memory=memory, name=vm["name"])


def _places(vm):
    return set((kind, vm.get(key)) for kind, key in PLACES if vm.get(key))


def _recount(ctx, places):
    """Bring the VM counters of hosts, clusters and folders in step with their VMs (from the
    store's totals: as cheap at 100,000 VMs as at 10)."""
    for type_name, record_id in places:
        record = ctx.store.get(type_name, record_id)
        if record is None:
            continue
        values = ctx.store.totals(VM_COUNTS, PLACE_KEYS[type_name], record_id)
        held = values.pop("held_memory")
        if type_name == "Host":
            values["allocatable_memory_bytes"] = max(0, (record.get("total_memory_bytes") or 0) -
                                                     (record.get("os_memory_bytes") or 0) - held)
        fields = ctx.catalog.resources[type_name].fields
        values = dict((key, value) for key, value in values.items()
                      if key in fields and record.get(key) != value)
        if values:
            ctx.store.update(type_name, record_id, values)


def _set_vm(ctx, vm, values):
    """Change a VM, keeping node_ip and the counters of where it is (and was) in step."""
    if "host" in values:
        host = ctx.store.get("Host", values["host"]) or {}
        values = dict(values, node_ip=host.get("management_ip") or "")
    before = _places(vm)
    ctx.store.update("Vm", vm["id"], values)
    _recount(ctx, before | _places(vm))


def _refresh(ctx, vm):
    """A VM's size and ips from its disks and NICs."""
    volumes = _existing(ctx, "VmVolume", [disk.get("vm_volume") for disk in _disks(ctx, vm)
                                          if disk.get("type") == "DISK"])
    size = sum(volume.get("size") or 0 for volume in volumes)
    values = {"size": size, "provisioned_size": size,
              "ips": ",".join(nic["ip_address"] for nic in _nics(ctx, vm) if nic.get("ip_address"))}
    values = dict((key, value) for key, value in values.items() if vm.get(key) != value)
    if values:
        ctx.store.update("Vm", vm["id"], values)


def _recycle_bin_on(ctx, vm):
    cluster = ctx.store.get("Cluster", vm.get("cluster")) or {}
    setting = (ctx.store.get("ClusterSettings", cluster.get("settings")) or {}).get("vm_recycle_bin")
    if setting is None:
        settings = next(iter(ctx.store.tables["GlobalSettings"].values()), None) or {}
        setting = settings.get("vm_recycle_bin") or {}
    return bool(setting.get("enabled"))


# ---------------------------------------------------------------------------------------------
# Disks and NICs: specs from params (checked when the request comes), made when a task ends.

def _cd_image(ctx, params, cluster_id):
    """The ElfImage a CD-ROM mounts: `elf_image_id`, or the `content_library_image_id`'s image in
    the cluster (or any of its images)."""
    if params.get("elf_image_id"):
        return ctx.one("ElfImage", params["elf_image_id"])["id"]
    if params.get("content_library_image_id"):
        image = ctx.one("ContentLibraryImage", params["content_library_image_id"])
        return _library_image(ctx, image, cluster_id)
    return None


def _library_image(ctx, library_image, cluster_id):
    images = _existing(ctx, "ElfImage", (library_image or {}).get("elf_images"))
    image = next((image for image in images if image.get("cluster") == cluster_id),
                 images[0] if images else None)
    return image and image["id"]


def _disk_specs(ctx, disks, cluster_id):
    """Disk specs from VmDiskParams: CD-ROMs, existing volumes, new volumes."""
    specs = []
    for cd_rom in disks.get("mount_cd_roms") or ():
        specs.append(dict(_copy(cd_rom, DISK_FIELDS), type="CD_ROM", bus="IDE",
                          elf_image=_cd_image(ctx, cd_rom, cluster_id)))
    for disk in disks.get("mount_disks") or ():
        disk = scaled(disk)
        volume = ctx.one("VmVolume", disk["vm_volume_id"])
        specs.append(dict(_copy(disk, DISK_FIELDS), type="DISK", volume=volume["id"]))
    for disk in disks.get("mount_new_create_disks") or ():
        disk = scaled(disk)
        volume = _copy(scaled(disk["vm_volume"]), ("name", "size", "elf_storage_policy", "path"))
        specs.append(dict(_copy(disk, DISK_FIELDS), type="DISK", new_volume=volume))
    return specs


def _operate(ctx, specs, operate, cluster_id, name):
    """Disk specs changed by a VmDiskOperate (remove, modify by index; add new)."""
    specs = list(specs)
    if not operate:
        return specs
    for change in operate.get("modify_disks") or ():
        index = change["disk_index"]
        if not 0 <= index < len(specs):
            ctx.fail(400, "vm_no_item", name=name, kind="disk", id=index)
        spec = specs[index] = dict(specs[index], **_copy(change, ("bus",)))
        if change.get("vm_volume_id"):
            spec.pop("new_volume", None)
            spec["volume"] = ctx.one("VmVolume", change["vm_volume_id"])["id"]
    removed = set((operate.get("remove_disks") or {}).get("disk_index") or ())
    specs = [spec for index, spec in enumerate(specs) if index not in removed]
    return specs + _disk_specs(ctx, operate.get("new_disks") or {}, cluster_id)


def _nic_values(ctx, params):
    """VmNic values from VmNicParams (or the data of a NIC update)."""
    values = _copy(params, NIC_FIELDS)
    if params.get("connect_vlan_id"):
        values["vlan"] = ctx.one("Vlan", params["connect_vlan_id"])["id"]
    if params.get("nic_id"):
        values["nic"] = ctx.one("Nic", params["nic_id"])["id"]
    values.update(_qos(params.get("qos")))
    return values


def _mounting(ctx, volume_id):
    volume = ctx.store.get("VmVolume", volume_id)
    if volume is not None and volume.get("mounting") != bool(volume.get("vm_disks")):
        ctx.store.update("VmVolume", volume_id, {"mounting": bool(volume.get("vm_disks"))})


def _attach_disks(ctx, specs, vm):
    start = len(_disks(ctx, vm))
    for index, spec in enumerate(specs):
        volume_id = spec.get("volume") if ctx.store.get("VmVolume", spec.get("volume")) else None
        if spec.get("new_volume") is not None:
            volume = dict(identity(ctx, "VmVolume"), id=ctx.store.new_id(), cluster=vm.get("cluster"),
                          sharing=False, type="KVM_VOLUME", name="%s-%d" % (vm["name"], start + index + 1),
                          size=0, elf_storage_policy=DEFAULT_POLICY)
            volume.update(spec["new_volume"])
            volume.setdefault("path", "/usr/share/smartx/volumes/%s" % volume["local_id"])
            volume_id = ctx.store.create("VmVolume", volume)["id"]
        values = dict(_copy(spec, DISK_FIELDS + ("type", "elf_image")), vm=vm["id"], vm_volume=volume_id)
        values.setdefault("boot", start + index)
        values.setdefault("bus", "VIRTIO")
        ctx.store.create("VmDisk", values)
        _mounting(ctx, volume_id)
    _refresh(ctx, vm)


def _unplug(ctx, disk, drop_volume=False):
    """Remove a disk; its volume stays (unmounted), or goes with `drop_volume` if no one shares it."""
    ctx.store.delete("VmDisk", disk["id"])
    volume = ctx.store.get("VmVolume", disk.get("vm_volume"))
    if volume is not None and drop_volume and not volume.get("sharing") and not volume.get("vm_disks"):
        ctx.store.delete("VmVolume", volume["id"])
    elif volume is not None:
        _mounting(ctx, volume["id"])


def _unplug_ids(ctx, disk_ids, kind, vm):
    for disk in [_own(ctx, vm, "VmDisk", disk_id, kind) for disk_id in disk_ids]:
        _unplug(ctx, disk)
    _refresh(ctx, vm)


def _add_nics(ctx, specs, vm):
    start = len(_nics(ctx, vm))
    for index, spec in enumerate(specs):
        values = {"model": "VIRTIO", "enabled": True, "mirror": False, "type": "VLAN",
                  "local_id": ctx.store.new_id()}
        values.update(spec)
        values.setdefault("mac_address", _new_mac(ctx))
        ctx.store.create("VmNic", dict(values, vm=vm["id"], order=start + index))
    _refresh(ctx, vm)


def _drop_nics(ctx, nic_ids, vm):
    for nic in _existing(ctx, "VmNic", nic_ids):
        if nic.get("vm") == vm["id"]:
            ctx.store.delete("VmNic", nic["id"])
    for index, nic in enumerate(_nics(ctx, vm)):
        if nic.get("order") != index:
            ctx.store.update("VmNic", nic["id"], {"order": index})
    _refresh(ctx, vm)


def _update_items(ctx, type_name, ids, values, vm):
    for item in _existing(ctx, type_name, ids):
        ctx.store.update(type_name, item["id"], values)
    _refresh(ctx, vm)


# ---------------------------------------------------------------------------------------------
# Making VMs: a plan (values, disk and NIC specs, the state asked for), then the VM.

def _plan(ctx, params, base, disks=(), nics=()):
    """What to make from creation params over `base` (a template's or a VM's values)."""
    params = scaled(params)
    values = copy.deepcopy(base)
    values.update(values_from_params(ctx, "Vm", dict((key, value) for key, value in params.items()
                                                      if key not in OWN_PARAMS)))
    values.update(_cpu(ctx, params, values.get("cpu")))
    host_id = params.get("host_id")
    if host_id and not values.get("cluster"):
        values["cluster"] = ctx.one("Host", host_id).get("cluster")
    elif host_id:
        ctx.one("Host", host_id)
    if params.get("gpu_devices"):
        values["gpu_devices"] = [ctx.one("GpuDevice", gpu["gpu_id"])["id"] for gpu in params["gpu_devices"]]
    if (params.get("cloud_init") or {}).get("hostname"):
        values["hostname"] = params["cloud_init"]["hostname"]
    if params.get("vm_disks") is not None:
        disks = _disk_specs(ctx, params["vm_disks"], values.get("cluster"))
    if params.get("vm_nics") is not None:
        nics = [_nic_values(ctx, nic) for nic in params["vm_nics"]]
    return {"values": values, "disks": _operate(ctx, disks, params.get("disk_operate"), values.get("cluster"),
                                                params["name"]),
            "nics": list(nics), "status": params.get("status") or "STOPPED", "host_id": host_id, "holds": []}


def _launch(ctx, plan):
    """Make a plan's VM now (STOPPED); returns it and the work that completes it."""
    values = dict(plan["values"], status="STOPPED", in_recycle_bin=False, **identity(ctx, "Vm"))
    hosts = sorted(_hosts(ctx, values.get("cluster")), key=lambda host: -_free(ctx, host))
    values["host"] = plan["host_id"] or (hosts[0]["id"] if hosts else None)
    values["node_ip"] = (ctx.store.get("Host", values["host"]) or {}).get("management_ip") or ""
    vm = ctx.store.create("Vm", values)
    _recount(ctx, _places(vm))

    def work():
        record = ctx.store.get("Vm", vm["id"])
        if record is None:
            return
        _attach_disks(ctx, plan["disks"], record)
        _add_nics(ctx, plan["nics"], record)
        if plan.get("after"):
            plan["after"]()
        if plan["status"] == "RUNNING":
            _set_vm(ctx, record, {"status": "RUNNING", "host": _host_for(ctx, record, plan["host_id"])["id"]})
    return vm, work


def _create_all(ctx, plans):
    answers = []
    for plan in plans:
        vm, work = _launch(ctx, plan)
        answers.append(ctx.with_task("Vm", vm, _submit(ctx, "Vm", vm, work, "CREATING", plan["holds"])))
    return answers


def _from_template(ctx, type_name, template_id):
    """(base values, disk specs, NIC specs) of a VmTemplate or ContentLibraryVmTemplate."""
    template = ctx.one(type_name, template_id)
    base = _copy(template, HARDWARE + ("cluster",) if type_name == "VmTemplate" else HARDWARE)
    if base.get("video_type") not in VIDEO_TYPES:
        base.pop("video_type", None)
    disks = []
    for disk in sorted(template.get("vm_disks") or (), key=lambda item: item.get("index") or 0):
        spec = dict(_copy(disk, DISK_FIELDS), type=disk["type"])
        if disk["type"] == "CD_ROM":
            image = _find_local(ctx, "ElfImage", disk.get("elf_image_local_id"))
            spec["elf_image"] = image["id"] if image else _library_image(
                ctx, ctx.store.get("ContentLibraryImage", disk.get("content_library_image_id")), None)
        else:
            policy = disk.get("storage_policy") or disk.get("storage_policy_uuid")
            spec["new_volume"] = {"size": disk.get("size") or 0,
                                  "elf_storage_policy": policy if policy in POLICIES else DEFAULT_POLICY}
        disks.append(spec)
    nics = []
    for nic in sorted(template.get("vm_nics") or (), key=lambda item: item.get("index") or 0):
        spec = _copy(nic, NIC_COPIED)
        vlan = _find_local(ctx, "Vlan", (nic.get("vlan") or {}).get("vlan_local_id"))
        spec["vlan"] = vlan["id"] if vlan else None
        nics.append(spec)
    return base, disks, nics


def _clone_source(ctx, vm):
    """(base values, disk specs, NIC specs) of a VM to clone: new volumes like its own."""
    base = _copy(vm, HARDWARE + ("guest_os_type", "nested_virtualization", "cluster"))
    disks = []
    for disk in _disks(ctx, vm):
        spec = dict(_copy(disk, DISK_FIELDS + ("type", "elf_image")))
        volume = ctx.store.get("VmVolume", disk.get("vm_volume"))
        if volume is not None:
            spec["new_volume"] = _copy(volume, ("size", "elf_storage_policy"))
        disks.append(spec)
    return base, disks, [_copy(nic, NIC_COPIED) for nic in _nics(ctx, vm)]


@handles("/create-vm")
def create_vm(ctx, body):
    return _create_all(ctx, [_plan(ctx, params, {}) for params in body])


@handles("/clone-vm")
def clone_vm(ctx, body):
    return _create_all(ctx, [_plan(ctx, params, *_clone_source(ctx, ctx.one("Vm", params["src_vm_id"])))
                             for params in body])


@handles("/create-vm-from-template")
def create_vm_from_template(ctx, body):
    return _create_all(ctx, [_plan(ctx, params, *_from_template(ctx, "VmTemplate", params["template_id"]))
                             for params in body])


@handles("/create-vm-from-content-library-template")
def create_vm_from_library_template(ctx, body):
    return _create_all(ctx, [_plan(ctx, params, *_from_template(ctx, "ContentLibraryVmTemplate",
                                                                params["template_id"]))
                             for params in body])


@handles("/create-vm-from-content-library-template-batch")
def create_vms_from_library_template(ctx, body):
    """Every VM at once, one task for them all."""
    source = _from_template(ctx, "ContentLibraryVmTemplate", body["template_id"])
    launched = [_launch(ctx, plan) for plan in [_plan(ctx, params, *source) for params in body["vms"]]]
    if not launched:
        return {"task_id": None, "data": []}

    def work():
        problems = []
        for _, one in launched:
            try:
                one()
            except TaskFailure as failure:
                problems.append(failure.message)
        if problems:
            raise TaskFailure("; ".join(problems))
    others = [("Vm", vm, "CREATING") for vm, _ in launched[1:]]
    task = _submit(ctx, "Vm", launched[0][0], work, "CREATING", others)
    return {"task_id": task["id"], "data": [ctx.render("Vm", vm) for vm, _ in launched]}


@handles("/convert-vm-template-to-vm")
def convert_template_to_vm(ctx, body):
    plans = []
    for params in body:
        template = ctx.one("VmTemplate", params["converted_from_template_id"])
        plan = _plan(ctx, {"name": params["name"]}, *_from_template(ctx, "VmTemplate", template["id"]))
        plan["after"] = functools.partial(_drop, ctx, "VmTemplate", template["id"])
        plan["holds"] = [("VmTemplate", template, "DELETING")]
        plans.append(plan)
    ctx.ensure_free("VmTemplate", [plan["holds"][0][1] for plan in plans])
    return _create_all(ctx, plans)


def _drop(ctx, type_name, record_id):
    if ctx.store.get(type_name, record_id) is not None:
        ctx.store.delete(type_name, record_id)


# ---------------------------------------------------------------------------------------------
# Operations on the VMs a where selects: one task each.

def _each_vm(ctx, vms, plan, status="UPDATING", deleting=False):
    """`plan(vm)` -> (values shown now, `work(vm)` at the task's end) for every VM first (so that
    a refused request changes nothing), then the changes and tasks; the `WithTask` answers."""
    plans = [(vm,) + tuple(plan(vm)) for vm in vms]
    answers = []
    for vm, values, work in plans:
        if values:
            _set_vm(ctx, vm, values)
        task = ctx.submit("Vm", vm, work=work and functools.partial(_on_vm, ctx, vm["id"], work),
                          status=status)
        answers.append({"task_id": task["id"], "data": {"id": vm["id"]}} if deleting
                       else ctx.with_task("Vm", vm, task))
    return answers


def _on_vm(ctx, vm_id, work):
    vm = ctx.store.get("Vm", vm_id)
    if vm is not None:
        work(vm)


def _vm_operation(path, status="UPDATING", deleting=False):
    """Register `plan(ctx, body, vm)` as the handler of a `{where: VmWhereInput ...}` operation."""
    def register(plan):
        @handles(path)
        def handler(ctx, body):
            vms = free(ctx, "Vm", body["where"])
            return _each_vm(ctx, vms, functools.partial(plan, ctx, body), status, deleting)
        return plan
    return register


def _item_operation(path, type_name):
    """Register `plan(ctx, body, vm, item_ids)` as the handler of an operation whose where selects
    disks or NICs (of the VMs `effect.vm_ids` names, if it does): one task per VM they are on."""
    def register(plan):
        @handles(path)
        def handler(ctx, body):
            only = (body.get("effect") or {}).get("vm_ids")
            owned = collections.OrderedDict()
            for item in ctx.select(type_name, body["where"]):
                if item.get("vm") and (not only or item["vm"] in only):
                    owned.setdefault(item["vm"], []).append(item["id"])
            vms = _existing(ctx, "Vm", owned)
            ctx.ensure_free("Vm", vms)
            return _each_vm(ctx, vms, lambda vm: plan(ctx, body, vm, owned[vm["id"]]))
        return plan
    return register


def _check_status(ctx, vm, allowed):
    if vm.get("in_recycle_bin"):
        raise _failure(ctx, "vm_in_recycle_bin", name=vm["name"])
    if vm.get("status") not in allowed:
        raise _failure(ctx, "vm_status", name=vm["name"], status=vm.get("status"),
                       operation=ctx.operation.path.lstrip("/"), allowed=" or ".join(allowed))


# path -> (the states it applies to, the state it leaves)
POWER = {
    "/start-vm": (("STOPPED", "SUSPENDED"), "RUNNING"),
    "/restart-vm": (("RUNNING",), "RUNNING"),
    "/force-restart-vm": (("RUNNING",), "RUNNING"),
    "/shutdown-vm": (("RUNNING",), "STOPPED"),
    "/poweroff-vm": (("RUNNING", "SUSPENDED"), "STOPPED"),
    "/suspend-vm": (("RUNNING",), "SUSPENDED"),
    "/resume-vm": (("SUSPENDED",), "RUNNING"),
}


def _power(ctx, body, vm):
    allowed, target = POWER[ctx.operation.path]
    host_id = (body.get("data") or {}).get("host_id")
    if host_id:
        ctx.one("Host", host_id)

    def work(vm):
        _check_status(ctx, vm, allowed)
        values = {"status": target}
        if vm["status"] == "STOPPED" and target == "RUNNING":
            values["host"] = _host_for(ctx, vm, host_id)["id"]
        if target == "STOPPED":
            values["last_shutdown_time"] = now(ctx)
        _set_vm(ctx, vm, values)
    return None, work


for _path in POWER:
    _vm_operation(_path)(_power)


@_vm_operation("/migrate-vm")
def _migrate(ctx, body, vm):
    host_id = (body.get("data") or {}).get("host_id")
    if host_id:
        ctx.one("Host", host_id)

    def work(vm):
        _check_status(ctx, vm, ("RUNNING", "STOPPED"))
        if host_id and host_id == vm.get("host"):
            raise _failure(ctx, "vm_same_host", name=vm["name"], host=ctx.store.get("Host", host_id)["name"])
        host = _host_for(ctx, vm, host_id, exclude=vm.get("host"), room=vm["status"] == "RUNNING")
        _set_vm(ctx, vm, {"host": host["id"]})
    return None, work


@_vm_operation("/migrate-vm-across-cluster")
def _migrate_across(ctx, body, vm):
    data, config = body["data"], body["data"]["vm_config"]
    cluster_id = ctx.one("Cluster", data["cluster_id"])["id"]
    if data.get("host_id"):
        ctx.one("Host", data["host_id"])
    mapping = dict((item["src_vlan_local_id"], item["dest_vlan_local_id"])
                   for item in config["network_mapping"])

    def work(vm):
        _check_status(ctx, vm, ("RUNNING", "STOPPED"))
        host = _host_for(ctx, dict(vm, cluster=cluster_id), data.get("host_id"),
                         room=vm["status"] == "RUNNING")
        for nic in _nics(ctx, vm):
            vlan = ctx.store.get("Vlan", nic.get("vlan")) or {}
            target = _find_local(ctx, "Vlan", mapping.get(vlan.get("local_id"))
                                 or mapping.get(vlan.get("id")))
            if target is not None:
                ctx.store.update("VmNic", nic["id"], {"vlan": target["id"]})
        for volume in _existing(ctx, "VmVolume", [disk.get("vm_volume") for disk in _disks(ctx, vm)]):
            ctx.store.update("VmVolume", volume["id"], {"cluster": cluster_id,
                                                        "elf_storage_policy": config["elf_storage_policy"]})
        values = dict(_copy({"name": config.get("new_name")}, ("name",)), cluster=cluster_id, host=host["id"],
                      folder=None)
        _set_vm(ctx, vm, values)
    return None, work


@_vm_operation("/update-vm-basic-info")
def _update_basic(ctx, body, vm):
    data = scaled(body["data"])
    values = _copy(data, ("name", "description", "ha", "memory"))
    if data.get("vcpu") or data.get("cpu_cores") or data.get("cpu_sockets"):
        values.update(_cpu(ctx, data, vm.get("cpu")))
    if vm.get("status") in ACTIVE:  # hot plug: grow only, memory as far as the host has room
        for what in ("vcpu", "memory"):
            if values.get(what, vm.get(what) or 0) < (vm.get(what) or 0):
                ctx.fail(400, "vm_shrink", what=what, name=vm["name"], old=vm.get(what), new=values[what])
        host = ctx.store.get("Host", vm.get("host"))
        if host is not None and values.get("memory", 0) > (vm.get("memory") or 0) and \
                _free(ctx, host, vm["id"]) < values["memory"]:
            ctx.fail(400, "vm_no_room", host=host["name"], free=max(0, _free(ctx, host, vm["id"])),
                     name=vm["name"], memory=values["memory"])
    return values, None


@_vm_operation("/update-vm-advanced-options")
def _update_advanced(ctx, body, vm):
    values = _copy(body["data"], ("video_type", "cpu_model", "clock_offset"))
    if body["data"].get("windows_optimize") is not None:
        values["win_opt"] = body["data"]["windows_optimize"]
    return values, None


@_vm_operation("/update-vm-host-options")
def _update_host_options(ctx, body, vm):
    values = _copy(body["data"], ("hostname",))
    if body["data"].get("dns_servers") is not None:
        values["dns_servers"] = ",".join(body["data"]["dns_servers"])
    return values, None


@_vm_operation("/add-vm-to-folder")
def _add_to_folder(ctx, body, vm):
    return {"folder": ctx.one("VmFolder", body["data"]["folder_id"])["id"]}, None


@_vm_operation("/remove-vm-from-folder")
def _remove_from_folder(ctx, body, vm):
    return {"folder": None}, None


# -- deleting and the recycle bin ----------------------------------------------------------------

def _to_recycle_bin(ctx, vm):
    values = {"in_recycle_bin": True, "deleted_at": now(ctx)}
    if vm.get("status") in ACTIVE:
        values.update(status="STOPPED", last_shutdown_time=now(ctx))
    _set_vm(ctx, vm, values)


def _destroy(ctx, vm, include_snapshots):
    """Delete a VM, its disks, NICs and the volumes only it mounts (and its snapshots)."""
    for disk in _disks(ctx, vm):
        _unplug(ctx, disk, drop_volume=True)
    for nic in _nics(ctx, vm):
        ctx.store.delete("VmNic", nic["id"])
    for snapshot in _existing(ctx, "VmSnapshot", vm.get("snapshots") if include_snapshots else ()):
        ctx.store.delete("VmSnapshot", snapshot["id"])
    places = _places(vm)
    ctx.store.delete("Vm", vm["id"])
    _recount(ctx, places)


@_vm_operation("/delete-vm", status="DELETING", deleting=True)
def _delete(ctx, body, vm):
    include_snapshots = (body.get("effect") or {}).get("include_snapshots")

    def work(vm):
        if not vm.get("in_recycle_bin") and _recycle_bin_on(ctx, vm):
            _to_recycle_bin(ctx, vm)
        else:
            _destroy(ctx, vm, include_snapshots)
    return None, work


@_vm_operation("/move-vm-to-recycle", status="DELETING", deleting=True)
def _move_to_recycle_bin(ctx, body, vm):
    return None, functools.partial(_to_recycle_bin, ctx)


@_vm_operation("/recover-vm-from-recycle", deleting=True)
def _recover(ctx, body, vm):
    def work(vm):
        if not vm.get("in_recycle_bin"):
            raise _failure(ctx, "vm_not_in_recycle_bin", name=vm["name"])
        _set_vm(ctx, vm, {"in_recycle_bin": False, "deleted_at": None})
    return None, work


# -- disks and CD-ROMs ---------------------------------------------------------------------------

@_vm_operation("/add-vm-disk")
def _add_disk(ctx, body, vm):
    data = scaled(body["data"])
    return _copy(data, ("io_policy",) + IO_LIMITS), functools.partial(
        _attach_disks, ctx, _disk_specs(ctx, data["vm_disks"], vm.get("cluster")))


@_vm_operation("/add-vm-cd-rom")
def _add_cd_rom(ctx, body, vm):
    specs = _disk_specs(ctx, {"mount_cd_roms": body["data"]["vm_cd_roms"]}, vm.get("cluster"))
    return None, functools.partial(_attach_disks, ctx, specs)


@_vm_operation("/remove-vm-disk")
def _remove_disk(ctx, body, vm):
    return None, functools.partial(_unplug_ids, ctx, body["data"]["disk_ids"], None)


@_vm_operation("/remove-vm-cd-rom")
def _remove_cd_rom(ctx, body, vm):
    return None, functools.partial(_unplug_ids, ctx, body["data"]["cd_rom_ids"], "CD_ROM")


@_vm_operation("/update-vm-disk")
def _update_disk(ctx, body, vm):
    data = body["data"]
    values = _copy(data, ("bus",))
    if data.get("vm_volume_id"):
        values["vm_volume"] = ctx.one("VmVolume", data["vm_volume_id"])["id"]
    if "elf_image_id" in data or "content_library_image_id" in data:
        values["elf_image"] = _cd_image(ctx, data, vm.get("cluster"))

    def work(vm):
        disk = _own(ctx, vm, "VmDisk", data["vm_disk_id"], None)
        old_volume = disk.get("vm_volume")
        ctx.store.update("VmDisk", disk["id"], values)
        for volume_id in (old_volume, disk.get("vm_volume")):
            _mounting(ctx, volume_id)
        _refresh(ctx, vm)
    return None, work


@_item_operation("/expand-vm-disk", "VmDisk")
def _expand_disk(ctx, body, vm, disk_ids):
    size = scaled(body)["size"]

    def work(vm):
        volumes = []
        for disk in _existing(ctx, "VmDisk", disk_ids):
            volume = ctx.store.get("VmVolume", disk.get("vm_volume"))
            if volume is None:
                raise _failure(ctx, "vm_no_item", name=vm["name"], kind="DISK", id=disk["id"])
            if size < (volume.get("size") or 0):
                raise _failure(ctx, "vm_disk_shrink", id=disk["id"], name=vm["name"], old=volume.get("size"),
                               new=size)
            volumes.append(volume)
        _update_items(ctx, "VmVolume", [volume["id"] for volume in volumes], {"size": size}, vm)
    return None, work


@_item_operation("/eject-iso-from-vm-cd-rom", "VmDisk")
def _eject(ctx, body, vm, disk_ids):
    ejected = {"elf_image": None, "svt_image": None}
    return None, functools.partial(_update_items, ctx, "VmDisk", disk_ids, ejected)


@_item_operation("/toggle-vm-cd-rom-disable", "VmDisk")
def _toggle_cd_rom(ctx, body, vm, disk_ids):
    return None, functools.partial(_update_items, ctx, "VmDisk", disk_ids, {"disabled": body["disabled"]})


# -- NICs ------------------------------------------------------------------------------------------

@_vm_operation("/add-vm-nic")
def _add_nic(ctx, body, vm):
    return None, functools.partial(_add_nics, ctx, [_nic_values(ctx, nic) for nic in body["data"]["vm_nics"]])


@_vm_operation("/remove-vm-nic")
def _remove_nic(ctx, body, vm):
    indexes = body["data"]["nic_index"]

    def work(vm):
        nics = _nics(ctx, vm)
        for index in indexes:
            if not 0 <= index < len(nics):
                raise _failure(ctx, "vm_no_item", name=vm["name"], kind="NIC", id=index)
        _drop_nics(ctx, [nics[index]["id"] for index in indexes], vm)
    return None, work


@_item_operation("/remove-vm-nic-by-where", "VmNic")
def _remove_nics_where(ctx, body, vm, nic_ids):
    return None, functools.partial(_drop_nics, ctx, nic_ids)


@_vm_operation("/update-vm-nic")
def _update_nic(ctx, body, vm):
    index, values = body["data"]["nic_index"], _nic_values(ctx, body["data"])

    def work(vm):
        nics = _nics(ctx, vm)
        if not 0 <= index < len(nics):
            raise _failure(ctx, "vm_no_item", name=vm["name"], kind="NIC", id=index)
        _update_items(ctx, "VmNic", [nics[index]["id"]], values, vm)
    return None, work


def _edit_nics(ctx, body, vm, nic_ids):
    return None, functools.partial(_update_items, ctx, "VmNic", nic_ids, _nic_values(ctx, body["data"]))


for _path in ("/update-vm-nic-basic-info", "/update-vm-nic-advance-info", "/update-vm-nic-qos-option"):
    _item_operation(_path, "VmNic")(_edit_nics)


# ---------------------------------------------------------------------------------------------
# VM templates from VMs: frozen disks and NICs.

def _frozen_disk(ctx, disk, index):
    volume = ctx.store.get("VmVolume", disk.get("vm_volume")) or {}
    image = ctx.store.get("ElfImage", disk.get("elf_image")) or {}
    value = shapes.example("NestedFrozenDisks")
    value.update(_copy(disk, DISK_FIELDS + ("type",)))
    value.update(index=index, path=volume.get("path") or image.get("path") or "",
                 size=volume.get("size") or image.get("size") or 0, disk_name=volume.get("name"),
                 image_name=image.get("name"), vm_volume_local_id=volume.get("local_id") or "",
                 elf_image_local_id=image.get("local_id") or "",
                 storage_policy_uuid=volume.get("elf_storage_policy") or "")
    return value


def _template_nic(ctx, nic, index):
    vlan = ctx.store.get("Vlan", nic.get("vlan")) or {}
    vds = ctx.store.get("Vds", vlan.get("vds")) or {}
    frozen_vlan = {"name": vlan.get("name") or "", "network_ids": vlan.get("network_ids") or [],
                   "vds_ovs": vds.get("ovsbr_name") or "", "vlan_id": vlan.get("vlan_id") or 0,
                   "vlan_local_id": vlan.get("local_id") or vlan.get("id") or ""}
    return dict(_copy(nic, ("enabled", "ip_address", "mac_address", "mirror", "model", "type")), index=index,
                vlan=frozen_vlan, vpc_nic=None)


def _template_handler(convert):
    """clone-vm-template-from-vm, or (`convert`) convert-vm-template-from-vm: the VM, STOPPED,
    goes when the template is made."""
    def handler(ctx, body):
        vms = [ctx.one("Vm", params["vm_id"]) for params in body]
        clusters = [ctx.one("Cluster", params["cluster_id"])["id"] if params.get("cluster_id")
                    else vm.get("cluster") for params, vm in zip(body, vms)]
        ctx.ensure_free("Vm", vms)
        answers = []
        for params, vm, cluster_id in zip(body, vms, clusters):
            values = dict(_copy(vm, HARDWARE), name=params["name"],
                          description=params.get("description") or "",
                          cloud_init_supported=params["cloud_init_supported"], cluster=cluster_id,
                          size=vm.get("size") or 0,
                          vm_disks=[_frozen_disk(ctx, disk, i) for i, disk in enumerate(_disks(ctx, vm))],
                          vm_nics=[_template_nic(ctx, nic, i) for i, nic in enumerate(_nics(ctx, vm))],
                          **identity(ctx, "VmTemplate"))
            template = ctx.store.create("VmTemplate", values)
            work = functools.partial(_converted, ctx, vm["id"], template["id"]) if convert else None
            task = _submit(ctx, "VmTemplate", template, work, "CREATING",
                           [("Vm", vm, "DELETING" if convert else "UPDATING")])
            answers.append(ctx.with_task("VmTemplate", template, task))
        return answers
    return handler


def _converted(ctx, vm_id, template_id):
    vm = ctx.store.get("Vm", vm_id)
    if vm is None:
        return
    try:
        _check_status(ctx, vm, ("STOPPED",))
    except TaskFailure:
        _drop(ctx, "VmTemplate", template_id)
        raise
    _destroy(ctx, vm, include_snapshots=False)


handles("/clone-vm-template-from-vm")(_template_handler(False))
handles("/convert-vm-template-from-vm")(_template_handler(True))


# ---------------------------------------------------------------------------------------------
# Placement groups: the generic answers, with the must / prefer hosts linked.

def _placement_hosts(ctx, params):
    links = {}
    for param, key in (("must_hosts", "vm_host_must_host_uuids"),
                       ("prefer_hosts", "vm_host_prefer_host_uuids")):
        if params.get(param) is not None:
            links[key] = [host["id"] for host in ctx.select("Host", params[param], param)]
    return links


@handles("/create-vm-placement-group")
def create_placement_group(ctx, body):
    return [created(ctx, "VmPlacementGroup", create_from_params(ctx, "VmPlacementGroup", params,
                                                                _placement_hosts(ctx, params)))
            for params in body]


@handles("/update-vm-placement-group")
def update_placement_group(ctx, body):
    groups = free(ctx, "VmPlacementGroup", body["where"])
    values = values_from_params(ctx, "VmPlacementGroup", body["data"])
    values.update(_placement_hosts(ctx, body["data"]), local_updated_at=now(ctx))
    return [changed(ctx, "VmPlacementGroup", group, values) for group in groups]
