"""Storage: VM snapshots (with a LUN snapshot per virtual disk), VM volumes and their snapshots,
iSCSI targets, LUNs and LUN snapshots.

Choices where CloudTower leaves room:
- A VM's volumes live in the cluster's internal iSCSI target (`zbs-iscsi-datastore-...`,
  `internal: true`, made on first need); a VM snapshot takes an `IscsiLunSnapshot` of each DISK in
  it (or in the LUN's own target when the volume has a `lun`), named by its `local_id`, which
  the snapshot's `vm_disks[].snapshot_local_id` gives.
- Deleting a volume mounted on a VM, or a target that still has LUNs, is refused (400): the
  caller removes the disk / the LUNs first. Sizes only grow (`update-vm-volume`,
  `update-iscsi-lun`).
- Sizes with a `*_unit` are binary multiples (1 KB = 1024 B); without a unit they are bytes.
- Records change when the request is accepted (the placeholder state); deletions and rollbacks
  happen when their task ends.
"""
from __future__ import absolute_import

import copy

from cloudtower import models
from cloudtower.model import fields
from cloudtower.simulator import shapes
from cloudtower.simulator.handlers import GENERIC, create_from_params, handles, values_from_params
from cloudtower.simulator.workflows.common import (changed, created, delete_all, deleted, drop_or_detach,
                                                   each, free, identity, now, one_where, owned, referring,
                                                   scaled, unique, update_if_present)

IQN_PREFIX = "iqn.2016-02.com.smartx:system:"
# Fields a snapshot does not take from what it freezes: its own identity and state.
_OWN = ("id", "name", "description", "local_id", "local_created_at", "entityAsyncStatus", "size")
# LUN fields that are its identity or usage rather than its configuration.
_LUN_OWN = _OWN + ("lun_id", "zbs_volume_id", "snapshot_num", "unique_size", "shared_size",
                   "unique_logical_size", "iscsi_target", "consistency_group", "labels")


def _shared_fields(ctx, to_type, from_type, exclude=_OWN):
    """Plain (non-relation) fields `to_type` (a resource type or model name) shares with the
    resource type `from_type`."""
    source = ctx.catalog.resources[from_type].fields
    target = ctx.catalog.resources.get(to_type)
    keys = target.fields.items() if target else [(key, None) for key in fields(getattr(models, to_type))]
    return [key for key, field in keys if key in source and source[key].relation is None
            and (field is None or field.relation is None) and key not in exclude]


def _copied(ctx, to_type, from_type, record, exclude=_OWN):
    """The plain fields `to_type` shares with `from_type`, copied from `record`."""
    keys = _shared_fields(ctx, to_type, from_type, exclude)
    return dict((key, copy.deepcopy(record.get(key))) for key in keys)


def _frozen(ctx, model_name, type_name, record, **extra):
    """A `Nested*` value of `model_name` filled from a record's plain fields, then `extra`."""
    value = shapes.example(model_name)
    copied = _copied(ctx, model_name, type_name, record, ())
    value.update((key, item) for key, item in copied.items() if item is not None)
    value.update(extra)
    return value


# ---------------------------------------------------------------------------------------------
# VM snapshots.

def internal_target(ctx, cluster_id):
    """The cluster's internal iSCSI target, where VM volumes live (made on first need)."""
    target = ctx.store.find("IscsiTarget", cluster=cluster_id, internal=True)
    if target is None:
        name = "zbs-iscsi-datastore-%s" % (cluster_id or "default")
        target = ctx.store.create("IscsiTarget", dict(
            identity(ctx, "IscsiTarget"), name=name, iqn_name=IQN_PREFIX + name, cluster=cluster_id,
            internal=True, replica_num=2, stripe_num=8, stripe_size=256 * 1024, thin_provision=True))
    return target


def _freeze_disk(ctx, vm, disk, index):
    store = ctx.store
    volume = store.get("VmVolume", disk.get("vm_volume")) or {}
    elf_image = store.get("ElfImage", disk.get("elf_image")) or {}
    svt_image = store.get("SvtImage", disk.get("svt_image")) or {}
    image = elf_image or svt_image
    extra = {"index": index, "path": volume.get("path") or image.get("path") or "",
             "size": volume.get("size") or image.get("size") or 0, "disk_name": volume.get("name"),
             "image_name": image.get("name"), "vm_volume_local_id": volume.get("local_id") or "",
             "storage_policy_uuid": volume.get("elf_storage_policy") or "",
             "elf_image_local_id": elf_image.get("local_id") or "",
             "svt_image_local_id": svt_image.get("local_id") or ""}
    if disk.get("type") == "DISK" and volume:
        lun = store.get("IscsiLun", volume.get("lun"))
        if lun:
            target = store.get("IscsiTarget", lun["iscsi_target"])
        else:
            target = internal_target(ctx, vm.get("cluster"))
        snapshot = _new_lun_snapshot(ctx, target, lun, None, {"assigned_size": extra["size"]})
        extra["snapshot_local_id"] = snapshot["local_id"]
    return _frozen(ctx, "NestedFrozenDisks", "VmDisk", disk, **extra)


def _freeze_nic(ctx, nic, index):
    vlan = ctx.store.get("Vlan", nic.get("vlan")) or {}
    vds = ctx.store.get("Vds", vlan.get("vds")) or {}
    frozen_vlan = _frozen(ctx, "NestedFrozenVlan", "Vlan", vlan, vlan_local_id=vlan.get("local_id") or "",
                          vds_ovs=vds.get("ovsbr_name") or "")
    return _frozen(ctx, "NestedFrozenNic", "VmNic", nic, index=index, vlan=frozen_vlan)


@handles("/create-vm-snapshot")
@each
def create_vm_snapshot(ctx, item):
    vm = ctx.one("Vm", item["vm_id"])
    ctx.ensure_free("Vm", [vm])
    disks = [disk for disk in (ctx.store.get("VmDisk", i) for i in vm.get("vm_disks") or ()) if disk]
    nics = [nic for nic in (ctx.store.get("VmNic", i) for i in vm.get("vm_nics") or ()) if nic]
    values = _copied(ctx, "VmSnapshot", "Vm", vm)
    values.update(identity(ctx, "VmSnapshot"), name=item["name"], vm=vm["id"], cluster=vm.get("cluster"),
                  consistent_type=item.get("consistent_type") or "CRASH_CONSISTENT",
                  vm_disks=[_freeze_disk(ctx, vm, disk, index) for index, disk in enumerate(disks)],
                  vm_nics=[_freeze_nic(ctx, nic, index) for index, nic in enumerate(nics)])
    values["size"] = sum(disk["size"] for disk in values["vm_disks"] if disk["type"] == "DISK")
    return created(ctx, "VmSnapshot", ctx.store.create("VmSnapshot", values))


def _restore_vm(ctx, vm_id, snapshot_id):
    store = ctx.store
    vm, snapshot = store.get("Vm", vm_id), store.get("VmSnapshot", snapshot_id)
    if vm is None or snapshot is None:
        return
    disk_keys = _shared_fields(ctx, "NestedFrozenDisks", "VmDisk", ())
    old_volumes = [(store.get("VmDisk", i) or {}).get("vm_volume") for i in vm.get("vm_disks") or ()]
    for disk_id in list(vm.get("vm_disks") or ()):
        store.delete("VmDisk", disk_id)
    for frozen in snapshot.get("vm_disks") or ():
        volume = store.get("VmVolume", _id_by_local(ctx, "VmVolume", frozen["vm_volume_local_id"]))
        if volume is None and frozen["type"] == "DISK":
            volume = store.create("VmVolume", {
                "local_id": frozen["vm_volume_local_id"] or store.new_id(), "local_created_at": now(ctx),
                "name": frozen.get("disk_name") or "%s-disk-%d" % (vm["name"], frozen["index"]),
                "path": frozen["path"], "cluster": vm.get("cluster"), "sharing": False})
        if volume is not None:
            store.update("VmVolume", volume["id"], {"size": frozen["size"], "mounting": True})
        values = dict((key, frozen.get(key)) for key in disk_keys)
        values.update(vm=vm_id, vm_volume=volume and volume["id"],
                      elf_image=_id_by_local(ctx, "ElfImage", frozen.get("elf_image_local_id")),
                      svt_image=_id_by_local(ctx, "SvtImage", frozen.get("svt_image_local_id")))
        store.create("VmDisk", values)
    for volume_id in old_volumes:
        volume = store.get("VmVolume", volume_id)
        if volume is not None and not volume.get("vm_disks"):
            store.update("VmVolume", volume_id, {"mounting": False})
    store.update("Vm", vm_id, _copied(ctx, "VmSnapshot", "Vm", snapshot))


def _id_by_local(ctx, type_name, local_id):
    record = ctx.store.find(type_name, local_id=local_id) if local_id else None
    return record["id"] if record else None


@handles("/rollback-vm")
def rollback_vm(ctx, body):
    answers = []
    for vm in free(ctx, "Vm", body["where"]):
        snapshot = owned(ctx, "VmSnapshot", body["data"]["snapshot_id"], "vm", "Vm", vm)
        answers.append(changed(ctx, "Vm", vm,
                               work=lambda vm_id=vm["id"], snapshot_id=snapshot["id"]:
                               _restore_vm(ctx, vm_id, snapshot_id)))
    return answers


def _vm_snapshot_luns(ctx, snapshot):
    local_ids = set(disk.get("snapshot_local_id") for disk in snapshot.get("vm_disks") or ()) - set([None])
    return [record for record in ctx.store.records("IscsiLunSnapshot") if record["local_id"] in local_ids]


@handles("/delete-vm-snapshot")
def delete_vm_snapshot(ctx, body):
    return deleted(ctx, "VmSnapshot", ctx.select("VmSnapshot", body["where"]),
                   cleanup=lambda snapshot: _delete_lun_snapshots(ctx, _vm_snapshot_luns(ctx, snapshot)))


# ---------------------------------------------------------------------------------------------
# VM volumes.

def _new_volume(ctx, values):
    """A volume's values: `values`, a new identity and path, not mounted."""
    new = dict(identity(ctx, "VmVolume"), mounting=False, type="KVM_VOLUME")
    new.update((key, value) for key, value in values.items() if value is not None)
    new["path"] = "/usr/share/smartx/volumes/%s" % new["local_id"]
    return new


@handles("/create-vm-volume")
@each
def create_vm_volume(ctx, params):
    return created(ctx, "VmVolume", create_from_params(ctx, "VmVolume", scaled(params), _new_volume(ctx, {})))


@handles("/clone-vm-volume")
@each
def clone_vm_volume(ctx, item):
    source = one_where(ctx, "VmVolume", item["where"])
    values = dict((key, source.get(key)) for key in ("size", "elf_storage_policy", "sharing", "type"))
    values.update(name=item["data"]["name"], description=item["data"].get("description") or "",
                  cluster=source.get("cluster"))
    return created(ctx, "VmVolume", ctx.store.create("VmVolume", _new_volume(ctx, values)))


def _unmounted(ctx, type_name, records):
    for record in records:
        if record.get("mounting") or record.get("vm_disks"):
            ctx.fail(400, "in_use", kind=type_name, name=record["name"], what="Vm")
    return records


@handles("/delete-vm-volume")
def delete_vm_volume(ctx, body):
    include = (body.get("effect") or {}).get("include_snapshots")
    volumes = _unmounted(ctx, "VmVolume", ctx.select("VmVolume", body["where"]))
    return deleted(ctx, "VmVolume", volumes, cleanup=lambda volume: drop_or_detach(
        ctx, "VmVolumeSnapshot", "vm_volume", volume["id"], include))


@handles("/create-vm-volume-snapshot")
@each
def create_vm_volume_snapshot(ctx, item):
    volume = ctx.one("VmVolume", item["volume_id"])
    values = dict(identity(ctx, "VmVolumeSnapshot"), name=item["name"], description=item["description"],
                  vm_volume=volume["id"], cluster=volume.get("cluster"),
                  elf_storage_policy=volume.get("elf_storage_policy"), size=volume.get("size"),
                  volume_size=volume.get("size"), volume_sharing=volume.get("sharing"),
                  type="KVM_VOLUME_SNAPSHOT", createAt=now(ctx), zbs_snapshot_uuid=ctx.store.new_id())
    return created(ctx, "VmVolumeSnapshot", ctx.store.create("VmVolumeSnapshot", values))


@handles("/rollback-vm-volume")
@each
def rollback_vm_volume(ctx, item):
    snapshot = ctx.one("VmVolumeSnapshot", item["volume_snapshot_id"])
    volume = ctx.one("VmVolume", snapshot.get("vm_volume"))
    ctx.ensure_free("VmVolume", [volume])
    size = int(snapshot.get("volume_size") or 0)
    return changed(ctx, "VmVolume", volume,
                   work=lambda: update_if_present(ctx, "VmVolume", volume["id"], {"size": size}))


# ---------------------------------------------------------------------------------------------
# iSCSI targets, LUNs and LUN snapshots.

@handles("/create-iscsi-target")
@each
def create_iscsi_target(ctx, params):
    ctx.one("Cluster", params["cluster_id"])
    unique(ctx, "IscsiTarget", {"name": params["name"], "cluster": params["cluster_id"]})
    values = dict(identity(ctx, "IscsiTarget"), iqn_name=IQN_PREFIX + params["name"], internal=False,
                  external_use=False)
    return created(ctx, "IscsiTarget", create_from_params(ctx, "IscsiTarget", scaled(params), values))


@handles("/delete-iscsi-target")
def delete_iscsi_target(ctx, body):
    targets = ctx.select("IscsiTarget", body["where"])
    for target in targets:
        if target.get("luns"):
            ctx.fail(400, "in_use", kind="IscsiTarget", name=target["name"], what="IscsiLun")
    return deleted(ctx, "IscsiTarget", targets, cleanup=lambda target: _delete_lun_snapshots(
        ctx, referring(ctx, "IscsiLunSnapshot", "iscsi_target", target["id"])))


def lun_state(lun):
    """A LUN's configuration (what a snapshot keeps, a clone or a copy takes)."""
    return dict((key, value) for key, value in lun.items() if key not in _LUN_OWN and not key.startswith("_"))


def _new_lun(ctx, target, name, state, lun_id=None):
    """A new LUN in `target` with the configuration `state`; its `WithTask` answer."""
    ctx.ensure_free("IscsiTarget", [target])
    unique(ctx, "IscsiLun", {"name": name, "iscsi_target": target["id"]})
    used = [ctx.store.get("IscsiLun", i)["lun_id"] for i in target.get("luns") or ()]
    if lun_id in used:
        ctx.fail(400, "exists", kind="IscsiLun", name="lun_id %s" % lun_id)
    inherited = ("replica_num", "stripe_num", "stripe_size", "thin_provision")
    values = dict((key, target.get(key)) for key in inherited)
    values.update(state)
    values.update(identity(ctx, "IscsiLun"), name=name, iscsi_target=target["id"], snapshot_num=0,
                  lun_id=lun_id or max(used + [0]) + 1, zbs_volume_id=ctx.store.new_id())
    values.setdefault("allowed_initiators", target.get("iqn_whitelist") or "")
    return created(ctx, "IscsiLun", ctx.store.create("IscsiLun", values))


@handles("/create-iscsi-lun")
@each
def create_iscsi_lun(ctx, params):
    target = ctx.one("IscsiTarget", params["iscsi_target_id"])
    state = values_from_params(ctx, "IscsiLun", scaled(params))
    return _new_lun(ctx, target, params["name"], state, params.get("lun_id"))


@handles("/copy-iscsi-lun")
@each
def copy_iscsi_lun(ctx, params):
    source = ctx.one("IscsiLun", params["src_lun_id"])
    target = ctx.one("IscsiTarget", params.get("dest_iscsi_target_id") or source["iscsi_target"])
    return _new_lun(ctx, target, params["name"], lun_state(source))


@handles("/clone-iscsi-lun-from-snapshot")
@each
def clone_iscsi_lun_from_snapshot(ctx, params):
    snapshot = ctx.one("IscsiLunSnapshot", params["snapshot_id"])
    target = ctx.one("IscsiTarget", params["iscsi_target_id"])
    return _new_lun(ctx, target, params["name"], snapshot.get("_lun") or {})


@handles("/rollback-iscsi-lun-from-snapshot")
@each
def rollback_iscsi_lun_from_snapshot(ctx, params):
    lun = ctx.one("IscsiLun", params["lun_id"])
    snapshot = owned(ctx, "IscsiLunSnapshot", params["snapshot_id"], "iscsi_lun", "IscsiLun", lun)
    ctx.ensure_free("IscsiLun", [lun])
    return changed(ctx, "IscsiLun", lun,
                   work=lambda: update_if_present(ctx, "IscsiLun", lun["id"], snapshot.get("_lun") or {}))


def _resizing(type_name, size_key):
    """An update handler of `{where, data}` whose sizes (with units) may only grow."""
    def update(ctx, body):
        data = scaled(body["data"])
        for record in ctx.select(type_name, body["where"]) if size_key in data else ():
            if data[size_key] < (record.get(size_key) or 0):
                ctx.fail(400, "shrink", kind=type_name, name=record["name"], old=record[size_key],
                         new=data[size_key])
        return GENERIC["update"](ctx, dict(body, data=data), type_name)
    return update


# path -> (resource type, the size that may only grow)
for _path, (_type, _size) in {"/update-vm-volume": ("VmVolume", "size"),
                              "/update-iscsi-lun": ("IscsiLun", "assigned_size"),
                              "/update-iscsi-target": ("IscsiTarget", None)}.items():
    handles(_path)(_resizing(_type, _size))


@handles("/delete-iscsi-lun")
def delete_iscsi_lun(ctx, body):
    return deleted(ctx, "IscsiLun", ctx.select("IscsiLun", body["where"]), cleanup=lambda lun: drop_or_detach(
        ctx, "IscsiLunSnapshot", "iscsi_lun", lun["id"], body["data"]["remove_snapshot"]))


def _new_lun_snapshot(ctx, target, lun, name, state):
    values = dict(identity(ctx, "IscsiLunSnapshot"), iscsi_target=target["id"], iscsi_lun=lun and lun["id"],
                  unique_size=0, _lun=state)
    values["name"] = name or values["local_id"]
    snapshot = ctx.store.create("IscsiLunSnapshot", values)
    _count_snapshots(ctx, lun)
    return snapshot


def _count_snapshots(ctx, lun):
    """Keep the LUN's `snapshot_num` (`lun` a record or {"id"}, None, or a LUN gone)."""
    if lun is not None and ctx.store.get("IscsiLun", lun["id"]) is not None:
        count = len(referring(ctx, "IscsiLunSnapshot", "iscsi_lun", lun["id"]))
        ctx.store.update("IscsiLun", lun["id"], {"snapshot_num": count})


def _delete_lun_snapshots(ctx, snapshots):
    delete_all(ctx, "IscsiLunSnapshot", snapshots)
    for snapshot in snapshots:
        _count_snapshots(ctx, {"id": snapshot.get("iscsi_lun")})


@handles("/create-iscsi-lun-snapshot")
@each
def create_iscsi_lun_snapshot(ctx, params):
    target = ctx.one("IscsiTarget", params["iscsi_target_id"])
    lun = owned(ctx, "IscsiLun", params["iscsi_lun_id"], "iscsi_target", "IscsiTarget", target)
    unique(ctx, "IscsiLunSnapshot", {"name": params["name"], "iscsi_lun": lun["id"]})
    snapshot = _new_lun_snapshot(ctx, target, lun, params["name"], lun_state(lun))
    return created(ctx, "IscsiLunSnapshot", snapshot)


@handles("/delete-iscsi-lun-snapshot")
def delete_iscsi_lun_snapshot(ctx, body):
    return deleted(ctx, "IscsiLunSnapshot", ctx.select("IscsiLunSnapshot", body["where"]),
                   cleanup=lambda snapshot: _count_snapshots(ctx, {"id": snapshot.get("iscsi_lun")}))
