# -*- coding: utf-8 -*-
"""The simulator's VM workflows (cloudtower/simulator/workflows/vm.py), through real HTTP with the
SDK: create, power, migrate, delete and the recycle bin, disks, CD-ROMs, NICs, clones, templates.

Each test builds the estate it needs itself (a cluster, hosts with memory, a VLAN ...) on an
empty simulator whose tasks end only when the test says so (`advance_tasks`).
"""
from __future__ import absolute_import, unicode_literals

import pytest

from cloudtower.api.global_settings_api import GlobalSettingsApi
from cloudtower.api.host_api import HostApi
from cloudtower.api.task_api import TaskApi
from cloudtower.api.vlan_api import VlanApi
from cloudtower.api.vm_api import VmApi
from cloudtower.api.vm_disk_api import VmDiskApi
from cloudtower.api.vm_folder_api import VmFolderApi
from cloudtower.api.vm_nic_api import VmNicApi
from cloudtower.api.vm_placement_group_api import VmPlacementGroupApi
from cloudtower.api.vm_template_api import VmTemplateApi
from cloudtower.api.vm_volume_api import VmVolumeApi
from cloudtower.exceptions import BadRequestException, NotFoundException, ResourceLockedException

GB = 1024 ** 3


class Estate(object):
    """A cluster with hosts (total memory each, 1 GiB for the OS), a VLAN and an ISO image."""

    def __init__(self, sim, memories=(8 * GB,)):
        self.sim = sim
        self.client = sim.client()
        self.vms = VmApi(self.client)
        store = sim.store
        with store.lock:
            self.cluster = store.create("Cluster", {"name": "cluster-a"})["id"]
            self.hosts = [store.create("Host", {"name": "host-%d" % index, "cluster": self.cluster,
                                                "total_memory_bytes": memory, "os_memory_bytes": GB,
                                                "management_ip": "10.0.0.%d" % (index + 1)})["id"]
                          for index, memory in enumerate(memories)]
            vds = store.create("Vds", {"name": "vds-1", "cluster": self.cluster, "ovsbr_name": "ovsbr-vm"})
            self.vlan = store.create("Vlan", {"name": "vm-network", "vds": vds["id"], "vlan_id": 10,
                                              "local_id": "vlan-local-10"})["id"]
            self.image = store.create("ElfImage", {"name": "centos.iso", "cluster": self.cluster, "size": GB,
                                                   "local_id": "image-local-1"})["id"]

    def create(self, name="vm-1", memory=2, status="STOPPED", host=None, disks=None, nics=True, **extra):
        params = {"cluster_id": self.cluster, "name": name, "ha": True, "cpu_cores": 2, "cpu_sockets": 2,
                  "memory": memory, "memory_unit": "GB", "status": status, "firmware": "BIOS",
                  "vm_disks": disks if disks is not None else {
                      "mount_cd_roms": [{"boot": 0, "elf_image_id": self.image}],
                      "mount_new_create_disks": [{"boot": 1, "bus": "VIRTIO", "vm_volume": {
                          "name": name + "-data", "size": 10, "size_unit": "GB",
                          "elf_storage_policy": "REPLICA_2_THIN_PROVISION"}}]},
                  "vm_nics": [{"connect_vlan_id": self.vlan}] if nics else []}
        if host is not None:
            params["host_id"] = self.hosts[host]
        params.update(extra)
        return self.vms.create_vm([params])[0]

    def ready(self, name="vm-1", **options):
        """A created VM (its task ended), as the API shows it."""
        answer = self.create(name, **options)
        self.finish([answer])
        return self.vm(answer.data.id)

    def finish(self, answers):
        """End every task; the tasks of `answers` (WithTask items) by id."""
        self.sim.advance_tasks()
        ids = [answer.task_id for answer in answers]
        return dict((task.id, task) for task in TaskApi(self.client).get_tasks({"where": {"id_in": ids}}))

    def outcome(self, answers):
        tasks = self.finish(answers)
        return [tasks[answer.task_id] for answer in answers]

    def vm(self, vm_id):
        found = self.vms.get_vms({"where": {"id": vm_id}})
        return found[0] if found else None

    def host(self, index):
        return HostApi(self.client).get_hosts({"where": {"id": self.hosts[index]}})[0]

    def disks(self, vm_id):
        return VmDiskApi(self.client).get_vm_disks({"where": {"vm": {"id": vm_id}}})

    def nics(self, vm_id):
        return VmNicApi(self.client).get_vm_nics({"where": {"vm": {"id": vm_id}}, "orderBy": "order_ASC"})

    def volumes(self, **where):
        return VmVolumeApi(self.client).get_vm_volumes({"where": where})

    def act(self, operation, vm_id, data=None, **options):
        body = {"where": {"id": vm_id}}
        if data is not None:
            body["data"] = data
        return getattr(self.vms, operation)(body, **options)


@pytest.fixture
def estate(sim):
    return Estate(sim, memories=(8 * GB, 8 * GB))


def test_create_blank_vm_makes_its_disks_volumes_and_nics_when_the_task_ends(estate):
    answer = estate.create()
    assert answer.task_id and answer.data.entity_async_status == "CREATING"
    assert answer.data.status == "STOPPED" and answer.data.name == "vm-1"
    assert answer.data.vcpu == 4 and answer.data.cpu.cores == 2 and answer.data.cpu.sockets == 2
    assert answer.data.memory == 2 * GB and answer.data.host.id == estate.hosts[0]
    assert estate.vm(answer.data.id).vm_disks == []

    task, = estate.outcome([answer])
    assert task.status == "SUCCESSED"
    vm = estate.vm(answer.data.id)
    assert vm.entity_async_status is None and vm.status == "STOPPED" and vm.in_recycle_bin is False
    disks = estate.disks(vm.id)
    assert sorted(disk.id for disk in disks) == sorted(disk.id for disk in vm.vm_disks)
    assert all(disk.vm.id == vm.id for disk in disks)
    cd_rom, = [disk for disk in disks if disk.type == "CD_ROM"]
    data_disk, = [disk for disk in disks if disk.type == "DISK"]
    assert cd_rom.elf_image.id == estate.image and cd_rom.vm_volume is None
    volume, = estate.volumes(id=data_disk.vm_volume.id)
    assert volume.size == 10 * GB and volume.name == "vm-1-data" and volume.mounting is True
    assert [disk.id for disk in volume.vm_disks] == [data_disk.id]
    assert vm.size == 10 * GB

    nic, = estate.nics(vm.id)
    assert [item.id for item in vm.vm_nics] == [nic.id]
    assert nic.vm.id == vm.id and nic.vlan.id == estate.vlan and nic.model == "VIRTIO" and nic.enabled is True
    assert nic.mac_address.startswith("52:54:00:")
    vlan, = VlanApi(estate.client).get_vlans({"where": {"id": estate.vlan}})
    assert [item.id for item in vlan.vm_nics] == [nic.id]
    host = estate.host(0)
    assert host.vm_num == 1 and host.stopped_vm_num == 1 and host.running_vm_num == 0


def test_create_running_vm_starts_it_on_a_host_with_room(estate):
    vm = estate.ready(status="RUNNING", memory=4)
    assert vm.status == "RUNNING"
    host = estate.host([vm.host.id == host_id for host_id in estate.hosts].index(True))
    assert host.running_vm_num == 1 and host.running_pause_vm_memory_bytes == 4 * GB


def test_create_running_vm_without_room_fails_and_leaves_it_stopped(estate):
    answer = estate.create(status="RUNNING", memory=16)
    task, = estate.outcome([answer])
    assert task.status == "FAILED" and "free memory" in task.error_message
    vm = estate.vm(answer.data.id)
    assert vm.status == "STOPPED" and len(vm.vm_disks) == 2 and len(vm.vm_nics) == 1


def test_vcpu_must_equal_cores_times_sockets(estate):
    with pytest.raises(BadRequestException) as raised:
        estate.create(vcpu=3)
    assert "cpu_cores" in str(raised.value)
    assert estate.vms.get_vms({}) == []


def test_power_transitions(estate):
    vm = estate.ready()
    steps = [("start_vm", "RUNNING"), ("suspend_vm", "SUSPENDED"), ("resume_vm", "RUNNING"),
             ("restart_vm", "RUNNING"), ("force_restart_vm", "RUNNING"), ("shut_down_vm", "STOPPED"),
             ("start_vm", "RUNNING"), ("poweroff_vm", "STOPPED")]
    for operation, status in steps:
        answer, = estate.act(operation, vm.id)
        assert answer.data.entity_async_status == "UPDATING"
        task, = estate.outcome([answer])
        assert task.status == "SUCCESSED", (operation, task.error_message)
        assert estate.vm(vm.id).status == status, operation
    assert estate.vm(vm.id).last_shutdown_time
    host = estate.host(0)
    assert host.stopped_vm_num == 1 and host.running_vm_num == 0 and host.running_pause_vm_memory_bytes == 0


def test_power_operation_in_the_wrong_state_fails_its_task(estate):
    vm = estate.ready()
    for operation in ("shut_down_vm", "suspend_vm", "resume_vm", "restart_vm"):
        task, = estate.outcome(estate.act(operation, vm.id))
        assert task.status == "FAILED" and "STOPPED" in task.error_message, operation
    estate.outcome(estate.act("start_vm", vm.id))
    task, = estate.outcome(estate.act("start_vm", vm.id))
    assert task.status == "FAILED" and "is RUNNING" in task.error_message
    assert estate.vm(vm.id).status == "RUNNING"


def test_start_on_a_host_without_enough_memory_fails(sim):
    estate = Estate(sim, memories=(5 * GB,))  # 4 GiB for VMs
    first, second = estate.ready("vm-1", memory=3), estate.ready("vm-2", memory=2)
    assert estate.outcome(estate.act("start_vm", first.id))[0].status == "SUCCESSED"
    task, = estate.outcome(estate.act("start_vm", second.id))
    assert task.status == "FAILED"
    assert "cluster-a" in task.error_message and str(2 * GB) in task.error_message
    vm = estate.vm(second.id)
    assert vm.status == "STOPPED" and vm.entity_async_status is None
    task, = estate.outcome(estate.act("start_vm", second.id, {"host_id": estate.hosts[0]}))
    assert task.status == "FAILED" and "host-0 has %d bytes of free memory" % GB in task.error_message
    task, = estate.outcome(estate.act("start_vm", second.id, content_language="zh-CN"))
    assert task.status == "FAILED" and "虚拟机 vm-2" in task.error_message


def test_a_second_mutation_while_the_first_task_runs_is_locked(estate):
    vm = estate.ready()
    first, = estate.act("start_vm", vm.id)
    with pytest.raises(ResourceLockedException) as raised:
        estate.act("add_vm_nic", vm.id, {"vm_nics": [{"connect_vlan_id": estate.vlan}]})
    assert raised.value.locked_resources == [{"id": vm.id, "type": "VM"}]
    assert estate.outcome([first])[0].status == "SUCCESSED"
    estate.outcome(estate.act("shut_down_vm", vm.id))
    assert estate.vm(vm.id).status == "STOPPED"


def test_migrate_to_a_host_or_any_other_with_room(estate):
    vm = estate.ready(status="RUNNING", memory=4, host=0)
    assert vm.host.id == estate.hosts[0]
    task, = estate.outcome(estate.act("migrate_vm", vm.id, {"host_id": estate.hosts[1]}))
    assert task.status == "SUCCESSED" and estate.vm(vm.id).host.id == estate.hosts[1]
    assert estate.host(1).running_vm_num == 1 and estate.host(0).running_vm_num == 0
    task, = estate.outcome(estate.act("migrate_vm", vm.id))
    assert task.status == "SUCCESSED" and estate.vm(vm.id).host.id == estate.hosts[0]
    task, = estate.outcome(estate.act("migrate_vm", vm.id, {"host_id": estate.hosts[0]}))
    assert task.status == "FAILED" and "already" in task.error_message
    estate.ready("big", status="RUNNING", memory=5, host=1)
    task, = estate.outcome(estate.act("migrate_vm", vm.id))
    assert task.status == "FAILED" and estate.vm(vm.id).host.id == estate.hosts[0]


def test_delete_with_the_recycle_bin_on_and_recover(estate):
    settings = GlobalSettingsApi(estate.client)
    estate.finish([settings.update_global_recycle_bin_setting({"enabled": True, "retain": 7})])
    vm = estate.ready(status="RUNNING")
    answer, = estate.vms.delete_vm({"where": {"id": vm.id}})
    assert answer.data.id == vm.id and estate.vm(vm.id).entity_async_status == "DELETING"
    assert estate.outcome([answer])[0].status == "SUCCESSED"
    binned = estate.vm(vm.id)
    assert binned.in_recycle_bin is True and binned.deleted_at and binned.status == "STOPPED"
    assert estate.host(0).vm_num == 0
    task, = estate.outcome(estate.act("start_vm", vm.id))
    assert task.status == "FAILED" and "recycle bin" in task.error_message

    task, = estate.outcome(estate.vms.recover_vm_from_recycle_bin({"where": {"id": vm.id}}))
    assert task.status == "SUCCESSED"
    recovered = estate.vm(vm.id)
    assert recovered.in_recycle_bin is False and recovered.deleted_at is None and estate.host(0).vm_num == 1

    estate.outcome(estate.vms.move_vm_to_recycle_bin({"where": {"id": vm.id}}))
    assert estate.vm(vm.id).in_recycle_bin is True
    estate.outcome(estate.vms.delete_vm({"where": {"id": vm.id}}))  # from the bin: gone for good
    assert estate.vm(vm.id) is None


def test_delete_with_the_recycle_bin_off_removes_the_vm_disks_nics_and_own_volumes(estate):
    shared = estate.sim.store.create("VmVolume", {"name": "shared", "size": GB, "sharing": True,
                                                  "cluster": estate.cluster})["id"]
    vm = estate.ready()
    estate.outcome(estate.act("add_vm_disk", vm.id, {"vm_disks": {"mount_disks": [
        {"boot": 2, "bus": "SCSI", "vm_volume_id": shared}]}}))
    own = [disk.vm_volume.id for disk in estate.disks(vm.id)
           if disk.vm_volume and disk.vm_volume.id != shared]
    task, = estate.outcome(estate.vms.delete_vm({"where": {"id": vm.id}}))
    assert task.status == "SUCCESSED"
    assert estate.vm(vm.id) is None and estate.disks(vm.id) == [] and estate.nics(vm.id) == []
    assert estate.volumes(id_in=own) == []
    volume, = estate.volumes(id=shared)
    assert volume.mounting is False and volume.vm_disks == []
    assert estate.host(0).vm_num == 0


def test_cluster_recycle_bin_setting_wins_over_the_global_one(estate):
    GlobalSettingsApi(estate.client).update_global_recycle_bin_setting({"enabled": True, "retain": 7})
    GlobalSettingsApi(estate.client).create_cluster_recycle_bin_setting(
        {"where": {"id": estate.cluster}, "data": {"enabled": False, "retain": 1}})
    vm = estate.ready()
    estate.outcome(estate.vms.delete_vm({"where": {"id": vm.id}}))
    assert estate.vm(vm.id) is None


def test_add_and_remove_disks(estate):
    vm = estate.ready()
    spare = estate.sim.store.create("VmVolume", {"name": "spare", "size": 2 * GB,
                                                 "cluster": estate.cluster})["id"]
    answer, = estate.act("add_vm_disk", vm.id, {"vm_disks": {
        "mount_disks": [{"boot": 2, "bus": "VIRTIO", "vm_volume_id": spare}],
        "mount_new_create_disks": [{"boot": 3, "bus": "SCSI", "vm_volume": {
            "name": "logs", "size": 1, "size_unit": "GB",
            "elf_storage_policy": "REPLICA_3_THIN_PROVISION"}}]}})
    assert len(answer.data.vm_disks) == 2  # the disks come when the task ends
    estate.outcome([answer])
    disks = estate.disks(vm.id)
    assert len(disks) == 4 and estate.vm(vm.id).size == 13 * GB
    logs, = estate.volumes(name="logs")
    assert logs.size == GB and logs.elf_storage_policy == "REPLICA_3_THIN_PROVISION"
    assert estate.volumes(id=spare)[0].mounting is True

    spare_disk, = [disk for disk in disks if disk.vm_volume and disk.vm_volume.id == spare]
    task, = estate.outcome(estate.act("remove_vm_disk", vm.id, {"disk_ids": [spare_disk.id]}))
    assert task.status == "SUCCESSED" and len(estate.disks(vm.id)) == 3
    volume, = estate.volumes(id=spare)
    assert volume.mounting is False and volume.vm_disks == []  # unmounted, not deleted

    task, = estate.outcome(estate.act("remove_vm_disk", vm.id, {"disk_ids": ["no-such-disk"]}))
    assert task.status == "FAILED" and "no-such-disk" in task.error_message

    logs_disk, = [disk for disk in estate.disks(vm.id) if disk.vm_volume and disk.vm_volume.id == logs.id]
    def expand(size):
        return estate.outcome(estate.vms.expand_vm_disk({"where": {"id": logs_disk.id}, "size": size,
                                                         "size_unit": "GB"}))[0]
    task = expand(3)
    assert task.status == "SUCCESSED" and estate.volumes(id=logs.id)[0].size == 3 * GB
    task = expand(1)
    assert task.status == "FAILED" and estate.volumes(id=logs.id)[0].size == 3 * GB


def test_cd_roms(estate):
    vm = estate.ready(disks={})
    estate.outcome(estate.act("add_vm_cd_rom", vm.id,
                              {"vm_cd_roms": [{"boot": 0, "elf_image_id": estate.image}]}))
    cd_rom, = estate.disks(vm.id)
    assert cd_rom.type == "CD_ROM" and cd_rom.bus == "IDE" and cd_rom.elf_image.id == estate.image
    estate.outcome(estate.vms.eject_iso_from_vm_cd_rom({"where": {"id": cd_rom.id}}))
    assert estate.disks(vm.id)[0].elf_image is None
    estate.outcome(estate.vms.toggle_vm_cd_rom_disable({"where": {"id": cd_rom.id}, "disabled": True}))
    assert estate.disks(vm.id)[0].disabled is True
    task, = estate.outcome(estate.act("remove_vm_cd_rom", vm.id, {"cd_rom_ids": [cd_rom.id]}))
    assert task.status == "SUCCESSED" and estate.disks(vm.id) == []


@pytest.mark.filterwarnings("ignore:remove_vm_nic is deprecated")
def test_nics_by_index_and_by_where(estate):
    vm = estate.ready(nics=False)
    estate.outcome(estate.act("add_vm_nic", vm.id, {"vm_nics": [
        {"connect_vlan_id": estate.vlan, "mac_address": "52:54:00:aa:bb:cc", "model": "E1000"},
        {"connect_vlan_id": estate.vlan, "ip_address": "192.168.1.20"}]}))
    first, second = estate.nics(vm.id)
    assert (first.order, second.order) == (0, 1) and first.mac_address == "52:54:00:aa:bb:cc"
    assert first.model == "E1000" and second.mac_address != first.mac_address
    assert estate.vm(vm.id).ips == "192.168.1.20"

    estate.outcome(estate.act("update_vm_nic", vm.id, {"nic_index": 1, "enabled": False, "mirror": True}))
    assert estate.nics(vm.id)[1].enabled is False and estate.nics(vm.id)[1].mirror is True
    estate.outcome(estate.vms.update_vm_nic_basic_info({"where": {"mac_address": "52:54:00:aa:bb:cc"},
                                                        "data": {"ip_address": "192.168.1.10"}}))
    assert estate.nics(vm.id)[0].ip_address == "192.168.1.10"

    task, = estate.outcome(estate.act("remove_vm_nic", vm.id, {"nic_index": [5]}))
    assert task.status == "FAILED" and len(estate.nics(vm.id)) == 2
    estate.outcome(estate.act("remove_vm_nic", vm.id, {"nic_index": [0]}))
    remaining, = estate.nics(vm.id)
    assert remaining.id == second.id and remaining.order == 0
    answers = estate.vms.remove_vm_nic_by_where({"where": {"mac_address": second.mac_address}, "effect": {}})
    assert [answer.data.id for answer in answers] == [vm.id]
    estate.outcome(answers)
    assert estate.nics(vm.id) == [] and estate.vm(vm.id).vm_nics == []


def test_update_basic_info_grows_a_running_vm_but_does_not_shrink_it(estate):
    vm = estate.ready(status="RUNNING")
    answer, = estate.act("update_vm", vm.id, {"name": "renamed", "memory": 3, "memory_unit": "GB", "vcpu": 8})
    assert answer.data.name == "renamed" and answer.data.memory == 3 * GB
    assert answer.data.vcpu == 8 and answer.data.cpu.cores == 2 and answer.data.cpu.sockets == 4
    estate.finish([answer])
    with pytest.raises(BadRequestException) as raised:
        estate.act("update_vm", vm.id, {"memory": 1, "memory_unit": "GB"})
    assert "shut it down" in str(raised.value)
    assert estate.vm(vm.id).memory == 3 * GB
    estate.outcome(estate.act("poweroff_vm", vm.id))
    estate.finish(estate.act("update_vm", vm.id, {"memory": 1, "memory_unit": "GB"}))
    assert estate.vm(vm.id).memory == GB
    estate.finish(estate.act("update_vm_advanced_options", vm.id,
                             {"windows_optimize": True, "video_type": "VGA"}))
    assert estate.vm(vm.id).win_opt is True and estate.vm(vm.id).video_type == "VGA"


def test_clone_vm_gets_new_volumes_and_macs(estate):
    source = estate.ready(status="RUNNING")
    answer, = estate.vms.clone_vm([{"src_vm_id": source.id, "name": "clone-1"}])
    assert answer.data.entity_async_status == "CREATING" and answer.data.memory == source.memory
    task, = estate.outcome([answer])
    assert task.status == "SUCCESSED"
    clone = estate.vm(answer.data.id)
    assert clone.status == "STOPPED" and clone.vcpu == source.vcpu and clone.cluster.id == estate.cluster
    source_disks, clone_disks = estate.disks(source.id), estate.disks(clone.id)
    assert sorted(disk.type for disk in clone_disks) == sorted(disk.type for disk in source_disks)
    source_volumes = set(disk.vm_volume.id for disk in source_disks if disk.vm_volume)
    clone_volumes = set(disk.vm_volume.id for disk in clone_disks if disk.vm_volume)
    assert len(clone_volumes) == 1 and not clone_volumes & source_volumes
    assert estate.volumes(id=clone_volumes.pop())[0].size == 10 * GB
    source_nic, = estate.nics(source.id)
    clone_nic, = estate.nics(clone.id)
    assert clone_nic.vlan.id == estate.vlan and clone_nic.mac_address != source_nic.mac_address


def test_templates_from_and_to_vms(estate):
    source = estate.ready()
    templates = VmTemplateApi(estate.client)
    answer, = templates.clone_vm_template_from_vm([{"vm_id": source.id, "name": "tpl",
                                                    "cloud_init_supported": True}])
    assert answer.data.entity_async_status == "CREATING"
    assert estate.vm(source.id).entity_async_status == "UPDATING"
    estate.outcome([answer])
    template, = templates.get_vm_templates({"where": {"id": answer.data.id}})
    assert template.memory == source.memory and template.vcpu == 4 and template.cluster.id == estate.cluster
    assert sorted(disk.type for disk in template.vm_disks) == ["CD_ROM", "DISK"]
    assert [disk.size for disk in template.vm_disks if disk.type == "DISK"] == [10 * GB]
    nic, = template.vm_nics
    assert nic.vlan.vlan_local_id == "vlan-local-10" and nic.vlan.vds_ovs == "ovsbr-vm"

    answer, = estate.vms.create_vm_from_template([{"template_id": template.id, "name": "from-tpl",
                                                   "is_full_copy": False, "memory": 4, "memory_unit": "GB",
                                                   "status": "RUNNING"}])
    task, = estate.outcome([answer])
    assert task.status == "SUCCESSED"
    made = estate.vm(answer.data.id)
    assert made.status == "RUNNING" and made.memory == 4 * GB and made.vcpu == 4
    assert len(estate.disks(made.id)) == 2 and estate.nics(made.id)[0].vlan.id == estate.vlan

    with pytest.raises(NotFoundException):
        estate.vms.create_vm_from_template([{"template_id": "no-such", "name": "x", "is_full_copy": False}])

    task, = estate.outcome(templates.convert_vm_template_from_vm([{"vm_id": made.id, "name": "t2",
                                                                   "cloud_init_supported": False}]))
    assert task.status == "FAILED" and "RUNNING" in task.error_message  # a running VM is not converted
    assert templates.get_vm_templates({"where": {"name": "t2"}}) == [] and estate.vm(made.id) is not None

    answer, = templates.convert_vm_template_from_vm([{"vm_id": source.id, "name": "t3",
                                                      "cloud_init_supported": False}])
    assert estate.vm(source.id).entity_async_status == "DELETING"
    assert estate.outcome([answer])[0].status == "SUCCESSED"
    assert estate.vm(source.id) is None and estate.disks(source.id) == []

    answer, = estate.vms.convert_vm_template_to_vm([{"converted_from_template_id": answer.data.id,
                                                     "name": "back"}])
    assert estate.outcome([answer])[0].status == "SUCCESSED"
    assert templates.get_vm_templates({"where": {"name": "t3"}}) == []
    back = estate.vm(answer.data.id)
    assert back.name == "back" and len(back.vm_disks) == 2 and len(back.vm_nics) == 1


def test_folders_and_placement_groups_link_both_ways(estate):
    vm = estate.ready()
    folders = VmFolderApi(estate.client)
    folder = folders.create_vm_folder([{"cluster_id": estate.cluster, "name": "web"}])[0].data
    estate.finish(estate.vms.add_vm_to_folder({"where": {"id": vm.id}, "data": {"folder_id": folder.id}}))
    assert estate.vm(vm.id).folder.id == folder.id
    shown, = folders.get_vm_folders({"where": {"id": folder.id}})
    assert [item.id for item in shown.vms] == [vm.id] and shown.vm_num == 1
    estate.finish(estate.vms.remove_vm_to_folder({"where": {"id": vm.id}}))
    assert estate.vm(vm.id).folder is None
    assert folders.get_vm_folders({"where": {"id": folder.id}})[0].vm_num == 0

    groups = VmPlacementGroupApi(estate.client)
    answer, = groups.create_vm_placement_group([{"name": "pg", "cluster_id": estate.cluster, "enabled": True,
                                                 "vms": {"id": vm.id}, "must_hosts": {"id": estate.hosts[1]},
                                                 "vm_host_must_enabled": True}])
    estate.finish([answer])
    group, = groups.get_vm_placement_groups({"where": {"id": answer.data.id}})
    assert [item.id for item in group.vms] == [vm.id]
    assert [host.id for host in group.vm_host_must_host_uuids] == [estate.hosts[1]]
    assert [item.id for item in estate.vm(vm.id).vm_placement_group] == [group.id]


def test_batch_from_a_content_library_template_is_one_task(estate):
    store = estate.sim.store
    template = store.create("ContentLibraryVmTemplate", {
        "name": "ubuntu", "memory": GB, "vcpu": 2, "cpu": {"cores": 1, "sockets": 2},
        "clusters": [estate.cluster],
        "vm_disks": [{"index": 0, "boot": 0, "bus": "VIRTIO", "type": "DISK", "size": 20 * GB,
                      "storage_policy": "REPLICA_3_THICK_PROVISION"}],
        "vm_nics": [{"index": 0, "vlan": {"name": "vm-network", "vds_ovs": "ovsbr-vm", "vlan_id": 10,
                                          "vlan_local_id": "vlan-local-10"}}]})
    answer = estate.vms.create_vm_from_content_library_template_batch({"template_id": template["id"], "vms": [
        {"name": name, "cluster_id": estate.cluster, "is_full_copy": False} for name in ("web-1", "web-2")]})
    assert [vm.name for vm in answer.data] == ["web-1", "web-2"]
    assert [estate.vm(vm.id).entity_async_status for vm in answer.data] == ["CREATING", "CREATING"]
    task, = estate.outcome([answer])
    assert task.status == "SUCCESSED"
    for shown in answer.data:
        vm = estate.vm(shown.id)
        assert vm.entity_async_status is None and vm.vcpu == 2 and vm.memory == GB
        disk, = estate.disks(vm.id)
        volume, = estate.volumes(id=disk.vm_volume.id)
        assert volume.size == 20 * GB and volume.elf_storage_policy == "REPLICA_3_THICK_PROVISION"
        assert estate.nics(vm.id)[0].vlan.id == estate.vlan


def test_migrate_across_clusters_maps_the_networks(estate):
    store = estate.sim.store
    with store.lock:
        cluster = store.create("Cluster", {"name": "cluster-b"})["id"]
        host = store.create("Host", {"name": "host-b", "cluster": cluster,
                                     "total_memory_bytes": 8 * GB})["id"]
        vds = store.create("Vds", {"name": "vds-b", "cluster": cluster})["id"]
        vlan = store.create("Vlan", {"name": "net-b", "vds": vds, "local_id": "vlan-local-b"})["id"]
    vm = estate.ready(status="RUNNING")
    config = {"migrate_type": "LIVE_MIGRATE", "elf_storage_policy": "REPLICA_3_THIN_PROVISION",
              "new_name": "moved", "network_mapping": [{"src_vlan_local_id": "vlan-local-10",
                                                        "dest_vlan_local_id": "vlan-local-b"}]}
    answers = estate.act("migrate_vm_across_cluster", vm.id, {"cluster_id": cluster, "vm_config": config})
    task, = estate.outcome(answers)
    assert task.status == "SUCCESSED", task.error_message
    moved = estate.vm(vm.id)
    assert (moved.name, moved.cluster.id, moved.host.id, moved.status) == ("moved", cluster, host, "RUNNING")
    assert estate.nics(vm.id)[0].vlan.id == vlan
    data_disk, = [disk for disk in estate.disks(vm.id) if disk.type == "DISK"]
    assert estate.volumes(id=data_disk.vm_volume.id)[0].elf_storage_policy == "REPLICA_3_THIN_PROVISION"
    assert estate.host(0).vm_num == 0
    assert HostApi(estate.client).get_hosts({"where": {"id": host}})[0].vm_num == 1
