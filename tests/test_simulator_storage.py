"""The simulator's storage, upload, label, user, alert and settings workflows, through real HTTP
with the SDK (cloudtower/simulator/workflows/storage.py, uploads.py, misc.py)."""
from __future__ import absolute_import

import json
import os
import tempfile

import pytest

from cloudtower import (AlertApi, ClusterSettingsApi, ContentLibraryImageApi, ElfImageApi, GlobalSettingsApi,
                        IscsiLunApi, IscsiLunSnapshotApi, IscsiTargetApi, LabelApi, SvtImageApi,
                        UploadTaskApi, UserApi, VmApi, VmSnapshotApi, VmVolumeApi, VmVolumeSnapshotApi)
from cloudtower.exceptions import ApiException
from cloudtower.utils import SVT_VERSION_OFFSET, get_svt_image_version

GIB = 1024 ** 3


@pytest.fixture
def client(sim):
    return sim.client()


@pytest.fixture
def estate(sim):
    """A cluster; a VM `vm1` with two disks (1 and 2 GiB) and a CD-ROM; a VM `vm2` without disks."""
    store = sim.store
    with store.lock:
        cluster = store.create("Cluster", {"name": "cluster-1", "local_id": "cluster-1-local"})
        vm = store.create("Vm", {"name": "vm1", "cluster": cluster["id"], "status": "STOPPED", "vcpu": 2,
                                 "cpu": {"cores": 2, "sockets": 1}, "memory": 4 * GIB})
        other = store.create("Vm", {"name": "vm2", "cluster": cluster["id"], "status": "RUNNING"})
        volumes = []
        for index in range(2):
            volume = store.create("VmVolume", {"name": "vm1-disk-%d" % index, "cluster": cluster["id"],
                                               "size": (index + 1) * GIB, "local_id": "volume-%d" % index,
                                               "path": "/volumes/%d" % index, "mounting": True})
            store.create("VmDisk", {"vm": vm["id"], "vm_volume": volume["id"], "type": "DISK",
                                    "bus": "VIRTIO", "boot": index})
            volumes.append(volume["id"])
        image = store.create("ElfImage", {"name": "os.iso", "cluster": cluster["id"], "size": 1000,
                                          "path": "/images/os.iso", "local_id": "image-local"})
        store.create("VmDisk", {"vm": vm["id"], "elf_image": image["id"], "type": "CD_ROM", "bus": "IDE",
                                "boot": 2})
    return {"cluster": cluster["id"], "vm": vm["id"], "vm2": other["id"], "volumes": volumes}


def part(data):
    """A file part as (file name, bytes): plain bytes would be a path on Python 2."""
    return ("chunk.bin", bytes(data))


def error_of(call, *args, **kwargs):
    with pytest.raises(ApiException) as caught:
        call(*args, **kwargs)
    return caught.value.status, json.loads(caught.value.body)


# -- VM snapshots ---------------------------------------------------------------------------------

def snapshot_vm(sim, client, vm_id, name="snap-1"):
    answer = VmSnapshotApi(client).create_vm_snapshot({"data": [{"vm_id": vm_id, "name": name,
                                                                 "consistent_type": "CRASH_CONSISTENT"}]})
    assert answer[0].task_id and answer[0].data.entity_async_status == "CREATING"
    sim.advance_tasks()
    return VmSnapshotApi(client).get_vm_snapshots({"where": {"id": answer[0].data.id}})[0]


def test_vm_snapshot_takes_a_lun_snapshot_per_disk(sim, client, estate):
    snapshot = snapshot_vm(sim, client, estate["vm"])
    assert snapshot.vm.id == estate["vm"] and snapshot.cluster.id == estate["cluster"]
    assert (snapshot.cpu.cores, snapshot.vcpu, snapshot.memory) == (2, 2, 4 * GIB)
    assert snapshot.consistent_type == "CRASH_CONSISTENT" and snapshot.entity_async_status is None
    assert [disk.type for disk in snapshot.vm_disks] == ["DISK", "DISK", "CD_ROM"]
    assert [disk.vm_volume_local_id for disk in snapshot.vm_disks[:2]] == ["volume-0", "volume-1"]
    cd_rom = snapshot.vm_disks[2]
    assert cd_rom.elf_image_local_id == "image-local" and cd_rom.snapshot_local_id is None
    assert snapshot.size == 3 * GIB
    lun_snapshot_ids = [disk.snapshot_local_id for disk in snapshot.vm_disks if disk.snapshot_local_id]
    assert len(lun_snapshot_ids) == 2
    found = IscsiLunSnapshotApi(client).get_iscsi_lun_snapshots({"where": {"name_in": lun_snapshot_ids}})
    assert sorted(item.local_id for item in found) == sorted(lun_snapshot_ids)
    target = found[0].iscsi_target
    assert IscsiTargetApi(client).get_iscsi_targets({"where": {"id": target.id}})[0].internal is True
    vm = VmApi(client).get_vms({"where": {"id": estate["vm"]}})[0]
    assert [item.id for item in vm.snapshots] == [snapshot.id]


def test_rollback_restores_cpu_memory_and_disks(sim, client, estate):
    snapshot = snapshot_vm(sim, client, estate["vm"])
    store = sim.store
    with store.lock:  # the VM changes after the snapshot: more memory, a disk grown, a disk gone
        store.update("Vm", estate["vm"], {"memory": 8 * GIB, "vcpu": 4, "cpu": {"cores": 4, "sockets": 1}})
        store.update("VmVolume", estate["volumes"][0], {"size": 5 * GIB})
        store.delete("VmDisk", store.get("VmVolume", estate["volumes"][1])["vm_disks"][0])
    answer = VmApi(client).rollback_vm({"where": {"id": estate["vm"]}, "data": {"snapshot_id": snapshot.id}})
    assert answer[0].data.entity_async_status == "UPDATING"
    sim.advance_tasks()
    vm = VmApi(client).get_vms({"where": {"id": estate["vm"]}})[0]
    assert (vm.memory, vm.vcpu, vm.cpu.cores, vm.entity_async_status) == (4 * GIB, 2, 2, None)
    assert len(vm.vm_disks) == 3
    volumes = VmVolumeApi(client).get_vm_volumes({"where": {"vm_disks_some": {"vm": {"id": estate["vm"]}}},
                                                  "orderBy": "name_ASC"})
    assert [(volume.id, volume.size, volume.mounting) for volume in volumes] == [
        (estate["volumes"][0], GIB, True), (estate["volumes"][1], 2 * GIB, True)]
    status, error = error_of(VmApi(client).rollback_vm, {"where": {"id": estate["vm2"]},
                                                         "data": {"snapshot_id": snapshot.id}})
    assert status == 400 and snapshot.id in error["message"]


def test_delete_vm_snapshot_removes_its_lun_snapshots(sim, client, estate):
    snapshot = snapshot_vm(sim, client, estate["vm"])
    names = [disk.snapshot_local_id for disk in snapshot.vm_disks if disk.snapshot_local_id]
    answer = VmSnapshotApi(client).delete_vm_snapshot({"where": {"id": snapshot.id}})
    assert answer[0].data.id == snapshot.id
    sim.advance_tasks()
    assert VmSnapshotApi(client).get_vm_snapshots({}) == []
    assert IscsiLunSnapshotApi(client).get_iscsi_lun_snapshots({"where": {"name_in": names}}) == []
    assert VmApi(client).get_vms({"where": {"id": estate["vm"]}})[0].snapshots == []


# -- VM volumes -----------------------------------------------------------------------------------

def test_vm_volume_lifecycle(sim, client, estate):
    api = VmVolumeApi(client)
    created = api.create_vm_volume([{"name": "data", "cluster_id": estate["cluster"], "size": 10,
                                     "size_unit": "GB", "sharing": False,
                                     "elf_storage_policy": "REPLICA_2_THIN_PROVISION"}])[0].data
    assert (created.size, created.mounting, created.cluster.id) == (10 * GIB, False, estate["cluster"])
    status, error = error_of(api.update_vm_volume, {"where": {"id": created.id},
                                                    "data": {"size": 1, "size_unit": "GB"}})
    assert status == 400 and "shrink" in error["message"]
    sim.advance_tasks()
    api.update_vm_volume({"where": {"id": created.id},
                          "data": {"size": 20, "size_unit": "GB", "name": "data-2"}})
    clone = api.clone_vm_volume([{"where": {"id": created.id}, "data": {"name": "data-copy"}}])[0].data
    assert (clone.size, clone.name, clone.elf_storage_policy) == \
        (20 * GIB, "data-copy", "REPLICA_2_THIN_PROVISION")
    sim.advance_tasks()
    snapshot = VmVolumeSnapshotApi(client).create_vm_volume_snapshot([{"volume_id": created.id, "name": "s",
                                                                      "description": ""}])
    assert snapshot[0].data.vm_volume.id == created.id and snapshot[0].data.volume_size == 20 * GIB
    sim.advance_tasks()
    status, error = error_of(api.delete_vm_volume_from_vm, {"where": {"id": estate["volumes"][0]}})
    assert status == 400 and "vm1-disk-0" in error["message"]
    status, error = error_of(api.delete_vm_volume_from_vm, {"where": {"id": estate["volumes"][0]}},
                             content_language="zh-CN")
    assert status == 400 and u"\u4f7f\u7528" in error["message"]  # "in use", in Chinese
    api.delete_vm_volume_from_vm({"where": {"id": created.id}, "effect": {"include_snapshots": True}})
    sim.advance_tasks()
    left = api.get_vm_volumes({"where": {"cluster": {"id": estate["cluster"]}}, "orderBy": "name_ASC"})
    assert [volume.name for volume in left] == ["data-copy", "vm1-disk-0", "vm1-disk-1"]
    assert VmVolumeSnapshotApi(client).get_vm_volume_snapshots({}) == []


# -- iSCSI ----------------------------------------------------------------------------------------

TARGET = {"stripe_size": 1, "stripe_num": 1, "replica_num": 2, "thin_provision": True}


def test_iscsi_target_lun_and_snapshot(sim, client, estate):
    targets, luns, snapshots = IscsiTargetApi(client), IscsiLunApi(client), IscsiLunSnapshotApi(client)
    made = [targets.create_iscsi_target([{"name": name, "cluster_id": estate["cluster"], "stripe_size": 256,
                                          "stripe_size_unit": "KB", "stripe_num": 4, "replica_num": 2,
                                          "thin_provision": True}])[0].data for name in ("t1", "t2")]
    target, other = made
    assert target.iqn_name.endswith(":t1") and target.stripe_size == 256 * 1024
    status, _ = error_of(targets.create_iscsi_target, [dict(TARGET, name="t1", cluster_id=estate["cluster"])])
    assert status == 400
    sim.advance_tasks()  # a target being created is locked
    lun = luns.create_iscsi_lun([{"name": "lun-a", "iscsi_target_id": target.id, "assigned_size": 1,
                                  "assigned_size_unit": "GB", "replica_num": 2}])[0].data
    assert (lun.assigned_size, lun.lun_id, lun.iscsi_target.id, lun.stripe_num) == (GIB, 1, target.id, 4)
    sim.advance_tasks()
    assert [item.id for item in targets.get_iscsi_targets({"where": {"id": target.id}})[0].luns] == [lun.id]
    snapshot = snapshots.create_iscsi_lun_snapshot([{"name": "snap-a", "iscsi_target_id": target.id,
                                                     "iscsi_lun_id": lun.id}])[0].data
    assert (snapshot.iscsi_lun.id, snapshot.iscsi_target.id) == (lun.id, target.id)
    status, _ = error_of(snapshots.create_iscsi_lun_snapshot, [{"name": "x", "iscsi_target_id": other.id,
                                                               "iscsi_lun_id": lun.id}])
    assert status == 400
    sim.advance_tasks()
    assert luns.get_iscsi_luns({"where": {"id": lun.id}})[0].snapshot_num == 1
    # grow, then roll back to the snapshot's size; shrinking is refused
    luns.update_iscsi_lun({"where": {"id": lun.id}, "data": {"assigned_size": 2, "assigned_size_unit": "GB"}})
    sim.advance_tasks()
    status, _ = error_of(luns.update_iscsi_lun, {"where": {"id": lun.id}, "data": {"assigned_size": 1}})
    assert status == 400
    luns.rollback_iscsi_lun_from_snapshot([{"lun_id": lun.id, "snapshot_id": snapshot.id}])
    sim.advance_tasks()
    assert luns.get_iscsi_luns({"where": {"id": lun.id}})[0].assigned_size == GIB
    clone = luns.clone_iscsi_lun_from_snapshot([{"name": "lun-b", "iscsi_target_id": other.id,
                                                 "snapshot_id": snapshot.id}])[0].data
    copy = luns.copy_iscsi_lun([{"name": "lun-c", "src_lun_id": lun.id}])[0].data
    assert (clone.iscsi_target.id, clone.assigned_size, clone.lun_id) == (other.id, GIB, 1)
    assert (copy.iscsi_target.id, copy.assigned_size, copy.lun_id) == (target.id, GIB, 2)
    sim.advance_tasks()
    assert sorted(item.name for item in targets.get_iscsi_targets({"where": {"id": target.id}})[0].luns) == \
        ["lun-a", "lun-c"]
    # a target with LUNs is not deleted; LUNs go with their snapshots (remove_snapshot), then the target
    status, error = error_of(targets.delete_iscsi_target, {"where": {"id": target.id}})
    assert status == 400 and "t1" in error["message"]
    luns.delete_iscsi_lun({"where": {"iscsi_target": {"id": target.id}}, "data": {"remove_snapshot": True}})
    sim.advance_tasks()
    assert snapshots.get_iscsi_lun_snapshots({"where": {"id": snapshot.id}}) == []
    assert targets.get_iscsi_targets({"where": {"id": target.id}})[0].luns == []
    targets.delete_iscsi_target({"where": {"id": target.id}})
    sim.advance_tasks()
    assert [item.name for item in targets.get_iscsi_targets({})] == ["t2"]
    assert [item.name for item in luns.get_iscsi_luns({})] == ["lun-b"]


def test_delete_lun_snapshot(sim, client, estate):
    made = IscsiTargetApi(client).create_iscsi_target([dict(TARGET, name="t", cluster_id=estate["cluster"])])
    target = made[0].data
    sim.advance_tasks()
    lun = IscsiLunApi(client).create_iscsi_lun([{"name": "l", "iscsi_target_id": target.id,
                                                 "assigned_size": 1, "replica_num": 2}])[0].data
    api = IscsiLunSnapshotApi(client)
    snapshot = api.create_iscsi_lun_snapshot([{"name": "s", "iscsi_target_id": target.id,
                                               "iscsi_lun_id": lun.id}])
    sim.advance_tasks()
    answer = api.delete_iscsi_lun_snapshot({"where": {"id": snapshot[0].data.id}})
    assert api.get_iscsi_lun_snapshots({})[0].entity_async_status == "DELETING"
    sim.advance_tasks()
    assert answer[0].data.id == snapshot[0].data.id and api.get_iscsi_lun_snapshots({}) == []
    assert IscsiLunApi(client).get_iscsi_luns({})[0].snapshot_num == 0


# -- uploads --------------------------------------------------------------------------------------

def test_chunked_elf_image_upload(sim, client, estate):
    sim.store.settings["upload_chunk_size"] = 8
    data = b"0123456789abcdefghij"
    api = ElfImageApi(client)
    first = api.create_elf_image(file=part(data[:8]), cluster_id=estate["cluster"], name="tiny.iso",
                                 size="20")
    task = first[0]
    assert (task.status, task.chunk_size, task.size, task.current_chunk, task.resource_type) == \
        ("UPLOADING", 8, 20, 1, "ELF_IMAGE")
    status, error = error_of(api.create_elf_image, file=part(data[8:13]), upload_task_id=task.id)
    assert status == 400 and "chunk_size 8" in error["message"]
    second = api.create_elf_image(file=part(data[8:16]), upload_task_id=task.id)[0]
    assert (second.status, second.current_chunk) == ("UPLOADING", 2)
    last = api.create_elf_image(file=part(data[16:]), upload_task_id=task.id)[0]
    assert (last.status, last.current_chunk) == ("SUCCESSED", 3)
    image = api.get_elf_images({"where": {"name": "tiny.iso"}})[0]
    assert (image.size, image.cluster.id, image.id) == (20, estate["cluster"], last.args["resource_id"])
    assert image.path
    status, _ = error_of(api.create_elf_image, file=part(b"x"), upload_task_id=task.id)
    assert status == 400
    assert UploadTaskApi(client).get_upload_tasks({"where": {"id": task.id}})[0].status == "SUCCESSED"


def test_first_chunk_of_wrong_size_is_refused(sim, client, estate):
    sim.store.settings["upload_chunk_size"] = 8
    status, error = error_of(ElfImageApi(client).create_elf_image, file=part(b"0123456789"),
                             cluster_id=estate["cluster"], name="x.iso", size="20")
    assert status == 400 and "10 bytes" in error["message"]
    assert UploadTaskApi(client).get_upload_tasks({}) == []


def test_svt_image_upload_reads_the_version(sim, client, estate):
    sim.store.settings["upload_chunk_size"] = 16 * 1024
    iso = bytearray(40 * 1024)
    iso[SVT_VERSION_OFFSET:SVT_VERSION_OFFSET + 9] = b"  3.2.1  "
    handle, path = tempfile.mkstemp(suffix=".iso")
    with os.fdopen(handle, "wb") as target:
        target.write(bytes(iso))
    try:
        assert get_svt_image_version(path) == "3.2.1"
    finally:
        os.remove(path)
    api = SvtImageApi(client)
    fields = {"cluster_id": estate["cluster"], "name": "vmtools.iso", "size": str(len(iso))}
    for start in range(0, len(iso), 16 * 1024):
        task = api.upload_svt_image(file=part(iso[start:start + 16 * 1024]), **fields)[0]
        fields = {"upload_task_id": task.id}
    assert task.status == "SUCCESSED"
    image = api.get_svt_images({})[0]
    assert (image.name, image.size, image.cluster.id) == ("vmtools.iso", len(iso), estate["cluster"])
    assert image.version == 30201  # an int32 in the schema: 3.2.1 -> 3*10000 + 2*100 + 1


def test_content_library_image_upload_and_cancel(sim, client, estate):
    sim.store.settings["upload_chunk_size"] = 4
    api = ContentLibraryImageApi(client)
    task = api.create_content_library_image(file=part(b"abcd"), clusters=json.dumps([estate["cluster"]]),
                                            name="lib.iso", size="6")[0]
    task = api.create_content_library_image(file=part(b"ef"), clusters="", upload_task_id=task.id)[0]
    assert task.status == "SUCCESSED"
    image = api.get_content_library_images({})[0]
    assert [cluster.id for cluster in image.clusters] == [estate["cluster"]] and image.size == 6
    elf_images = ElfImageApi(client).get_elf_images({"where": {"content_library_image": {"id": image.id}}})
    assert [item.cluster.id for item in elf_images] == [estate["cluster"]]
    assert image.elf_image_uuids == [elf_images[0].local_id]
    pending = ElfImageApi(client).create_elf_image(file=part(b"abcd"), cluster_id=estate["cluster"], name="p",
                                                   size="10")[0]
    assert UploadTaskApi(client).cancel_upload_task({"where": {"id": pending.id}}) == [pending.id]
    status, _ = error_of(ElfImageApi(client).create_elf_image, file=part(b"efgh"), upload_task_id=pending.id)
    assert status == 404


# -- alerts, labels, users, settings --------------------------------------------------------------

def test_resolve_alert(sim, client, estate):
    with sim.store.lock:
        alert = sim.store.create("Alert", {"message": "disk slow", "ended": False, "severity": "WARNING",
                                           "cluster": estate["cluster"]})
    answer = AlertApi(client).resolve_alert({"where": {"id": alert["id"]}})
    assert answer[0].data.ended is True and answer[0].task_id
    sim.advance_tasks()
    resolved = AlertApi(client).get_alerts({"where": {"ended": True}})
    assert [item.id for item in resolved] == [alert["id"]] and resolved[0].local_end_time


def test_labels_on_vms(sim, client, estate):
    api = LabelApi(client)
    label = api.create_label([{"key": "env", "value": "prod"}])[0].data
    assert (label.vm_num, label.total_num) == (0, 0)
    status, _ = error_of(api.create_label, [{"key": "env", "value": "prod"}])
    assert status == 400
    sim.advance_tasks()
    api.add_labels_to_resources({"where": {"id": label.id},
                                 "data": {"vms": {"name_in": ["vm1", "vm2"]},
                                          "clusters": {"id": estate["cluster"]}}})
    sim.advance_tasks()
    labelled = VmApi(client).get_vms({"where": {"labels_some": {"id": label.id}}, "orderBy": "name_ASC"})
    assert [vm.name for vm in labelled] == ["vm1", "vm2"]
    assert [item.key for item in labelled[0].labels] == ["env"]
    shown = api.get_labels({"where": {"id": label.id}})[0]
    assert (shown.vm_num, shown.cluster_num, shown.total_num) == (2, 1, 3)
    api.remove_labels_from_resources({"where": {"key": "env"}, "data": {"vms": {"name": "vm1"}}})
    sim.advance_tasks()
    assert [vm.name for vm in VmApi(client).get_vms({"where": {"labels_some": {"key": "env"}}})] == ["vm2"]
    with sim.store.lock:
        sim.store.delete("Vm", estate["vm2"])
    assert api.get_labels({"where": {"vm_num": 0}})[0].total_num == 1
    api.update_label({"where": {"id": label.id}, "data": {"value": "staging"}})
    sim.advance_tasks()
    api.delete_label({"where": {"id": label.id}})
    sim.advance_tasks()
    assert api.get_labels({}) == []


def test_created_user_logs_in(sim, client):
    with sim.store.lock:
        role = sim.store.create("UserRoleNext", {"name": "admins", "preset": "ADMIN",
                                                 "platform": "MANAGEMENT", "actions": ["*"]})
    api = UserApi(client)
    alice = {"username": "alice", "name": "Alice", "password": "s3cret!", "role_id": role["id"]}
    user = api.create_user([alice])[0].data
    assert (user.source, user.role, [item.id for item in user.roles]) == ("LOCAL", "ADMIN", [role["id"]])
    sim.advance_tasks()
    status, _ = error_of(api.create_user, [dict(alice, name="Another Alice")])
    assert status == 400
    alice = sim.client("alice", "s3cret!")
    assert UserApi(alice).get_my_info().username == "alice"
    api.update_user({"where": {"id": user.id}, "data": {"username": "alice2"}})
    sim.advance_tasks()
    assert UserApi(sim.client("alice2", "s3cret!")).get_my_info().display_username == "alice2"
    api.update_user({"where": {"id": user.id}, "data": {"password": "n3w!"}})
    sim.advance_tasks()
    with pytest.raises(ApiException):
        sim.client("alice2", "s3cret!")
    sim.client("alice2", "n3w!")
    status, _ = error_of(UserApi(alice).delete_user, {"where": {"id": user.id}})
    assert status == 400  # nobody deletes themselves
    api.delete_user({"where": {"username": "alice2"}})
    sim.advance_tasks()
    status, _ = error_of(UserApi(alice).get_my_info)
    assert status == 401
    status, _ = error_of(api.create_root_user, {"password": "x"})
    assert status == 400  # root exists


def test_recycle_bin_settings(sim, client, estate):
    api = GlobalSettingsApi(client)
    assert api.get_global_settingses({})[0].vm_recycle_bin.enabled is False
    answer = api.update_global_recycle_bin_setting({"enabled": True, "retain": 7})
    assert answer.data.vm_recycle_bin.enabled is True
    sim.advance_tasks()
    shown = api.get_global_settingses({})[0].vm_recycle_bin
    assert (shown.enabled, shown.retain) == (True, 7)
    where = {"id": estate["cluster"]}
    api.create_cluster_recycle_bin_setting({"where": where, "data": {"enabled": False, "retain": 3}})
    sim.advance_tasks()
    settings = ClusterSettingsApi(client).get_cluster_settingses({"where": {"cluster": where}})
    assert [(item.vm_recycle_bin.enabled, item.vm_recycle_bin.retain) for item in settings] == [(False, 3)]
    api.update_cluster_recycle_bin_setting({"where": where, "data": {"enabled": True, "retain": 5}})
    sim.advance_tasks()
    assert ClusterSettingsApi(client).get_cluster_settingses({})[0].vm_recycle_bin.retain == 5
    deleted = api.delete_cluster_recycle_bin_setting({"where": where})
    sim.advance_tasks()
    settings = ClusterSettingsApi(client).get_cluster_settingses({})
    assert deleted[0].data.id == settings[0].id and settings[0].vm_recycle_bin is None
    assert sim.store.get("Cluster", estate["cluster"])["settings"] == settings[0].id
