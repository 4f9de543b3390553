"""The simulator's state for operations the 2.23.0 API added: pinning clusters in the performance
tier, VM disks resident in cache, and a VM's NVRAM (cloudtower/simulator/workflows/performance.py)."""
from __future__ import absolute_import

import pytest

from cloudtower import (BadRequestException, ClusterApi, HostApi, ResourceLockedException, VmApi, VmDiskApi,
                        VmVolumeApi, WithTaskClusterPinInPerformanceInfo, WithTaskVm)


def pin_info(client, cluster_id):
    return ClusterApi(client).get_cluster_pin_in_performance_info({"where": {"id": cluster_id}})[0]


def test_enabling_and_disabling_pin_in_performance_is_kept(demo, client):
    api = ClusterApi(client)
    cluster = api.get_clusters({"where": {"name": "elf-prod"}})[0]
    host = HostApi(client).get_hosts({"where": {"cluster": {"id": cluster.id}}, "first": 1})[0]
    assert not pin_info(client, cluster.id).pin_in_performance_enabled

    answer = api.update_cluster_enable_pin_in_performance({
        "where": {"id": cluster.id},
        "data": {"cluster_default_prio_percentage": 0.3, "hosts": [{"where": {"id": host.id}, "percentage": 0.5}]},
    })
    assert isinstance(answer[0], WithTaskClusterPinInPerformanceInfo) and answer[0].task_id
    with pytest.raises(ResourceLockedException):  # the task holds the cluster
        api.update_cluster_disable_pin_in_performance({"where": {"id": cluster.id}})
    demo.advance_tasks()
    info = pin_info(client, cluster.id)
    assert (info.name, info.pin_in_performance_enabled, info.prio_space_percentage) == ("elf-prod", True, 0.3)
    assert [(item.id, item.prio_space_percentage) for item in info.hosts] == [(host.id, 0.5)]

    api.update_cluster_disable_pin_in_performance({"where": {"id": cluster.id}})
    demo.advance_tasks()
    assert pin_info(client, cluster.id).pin_in_performance_enabled is False


def test_vm_disks_resident_in_cache_set_their_volumes(demo, client):
    vm = VmApi(client).get_vms({"where": {"vm_disks_some": {"vm_volume": {"id_not": None}}}, "first": 1})[0]
    answer = VmApi(client).set_vm_disk_resident_in_cache({"where": {"vm": {"id": vm.id}}, "resident_in_cache": True})
    assert len(answer) == 1 and isinstance(answer[0], WithTaskVm) and answer[0].data.id == vm.id
    demo.advance_tasks()
    disks = VmDiskApi(client).get_vm_disks({"where": {"vm": {"id": vm.id}, "vm_volume": {"id_not": None}}})
    volumes = VmVolumeApi(client).get_vm_volumes({"where": {"id_in": [disk.vm_volume.id for disk in disks]}})
    assert volumes and all(volume.resident_in_cache is True for volume in volumes)


def test_nvram_uploaded_is_downloaded(demo, client):
    api = VmApi(client)
    vm = api.get_vms({"first": 1})[0]
    where = {"vm": {"id": vm.id}, "cluster": {"id": vm.cluster.id}}
    assert api.download_nvram(where).ec == "ENOENT"
    assert api.upload_nvram(dict(where, data="bnZyYW0=")) == vm.local_id
    answer = api.download_nvram(where)
    assert answer.ec == "EOK"
    assert (answer.data.data, answer.data.resource_uuid) == ("bnZyYW0=", vm.local_id)
    other = ClusterApi(client).get_clusters({"where": {"id_not": vm.cluster.id}, "first": 1})[0]
    with pytest.raises(BadRequestException):
        api.download_nvram({"vm": {"id": vm.id}, "cluster": {"id": other.id}})
