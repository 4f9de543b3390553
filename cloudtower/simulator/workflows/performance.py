"""Operations the 2.23.0 API added that keep state: the performance tier and a VM's NVRAM.

- `/enable-cluster-pin-in-performance` and `/disable-cluster-pin-in-performance` switch
  `pin_in_performance_enabled` of each cluster the where selects, in its
  `ClusterPinInPerformanceInfo` (made on first need, with the cluster's id and name), which
  `/get-cluster-pin-in-performance-info` answers; enabling also keeps the cluster's
  `prio_space_percentage` and each host's `percentage`.
- `/set-vm-disk-resident-in-cache` sets `resident_in_cache` of the volumes of the VM disks the
  where selects; the answer is a `WithTask_Vm_` per VM they belong to.
- `/upload_nvram` keeps the `data` for the VM (which must be on the given cluster) and answers the
  VM's `local_id`; `/download_nvram` gives it back as `{ec: "EOK", data: {resource_uuid, data,
  fd_mtime, created_time}}`, or `{ec: "ENOENT", error: {...}}` when nothing was uploaded. (These
  `ec` codes are the simulator's choice; the spec types `ec` as text only.)
"""
from __future__ import absolute_import

from cloudtower.simulator.handlers import handles
from cloudtower.simulator.workflows.common import changed, free, one_where

INFO = "ClusterPinInPerformanceInfo"


def _pin_info(ctx, cluster):
    """The cluster's pin-in-performance record, made on first need."""
    return ctx.store.get(INFO, cluster["id"]) or ctx.store.create(
        INFO, {"id": cluster["id"], "name": cluster["name"], "pin_in_performance_enabled": False})


def _set_pinning(enabled):
    def handler(ctx, body):
        data = body.get("data") or {}
        values = {"pin_in_performance_enabled": enabled}
        if enabled:
            values["prio_space_percentage"] = data.get("cluster_default_prio_percentage")
            hosts = []
            for host in data.get("hosts") or ():
                record = one_where(ctx, "Host", host["where"])
                hosts.append({"id": record["id"], "name": record["name"],
                              "prio_space_percentage": host.get("percentage")})
            values["hosts"] = hosts
        answers = []
        for cluster in free(ctx, "Cluster", body["where"]):
            info = _pin_info(ctx, cluster)
            ctx.store.update(INFO, info["id"], values)
            task = ctx.submit("Cluster", cluster)
            answers.append(ctx.with_task(INFO, info, task))
        return answers
    return handler


handles("/enable-cluster-pin-in-performance")(_set_pinning(True))
handles("/disable-cluster-pin-in-performance")(_set_pinning(False))


@handles("/set-vm-disk-resident-in-cache")
def set_vm_disk_resident_in_cache(ctx, body):
    disks = ctx.select("VmDisk", body["where"])
    vm_ids = []
    for disk in disks:
        if disk.get("vm") and disk["vm"] not in vm_ids:
            vm_ids.append(disk["vm"])
    vms = [ctx.store.get("Vm", vm_id) for vm_id in vm_ids]
    ctx.ensure_free("Vm", vms)
    resident = bool(body["resident_in_cache"])
    answers = []
    for vm in vms:
        volumes = [disk["vm_volume"] for disk in disks if disk.get("vm") == vm["id"] and disk.get("vm_volume")]

        def work(volumes=volumes):
            for volume_id in volumes:
                if ctx.store.get("VmVolume", volume_id) is not None:
                    ctx.store.update("VmVolume", volume_id, {"resident_in_cache": resident})
        answers.append(changed(ctx, "Vm", vm, work=work))
    return answers


def _nvram_vm(ctx, body):
    vm = one_where(ctx, "Vm", body["vm"])
    cluster = one_where(ctx, "Cluster", body["cluster"])
    if vm.get("cluster") != cluster["id"]:
        ctx.fail(400, "not_related", kind="Vm", id=vm["id"], owner="Cluster", owner_id=cluster["id"])
    return vm


@handles("/upload_nvram")
def upload_nvram(ctx, body):
    vm = _nvram_vm(ctx, body)
    stamp = ctx.store.clock.now()
    previous = vm.get("_nvram") or {}
    ctx.store.update("Vm", vm["id"], {"_nvram": {
        "data": body.get("data") or "", "fd_mtime": stamp,
        "created_time": previous.get("created_time", stamp)}}, event=False)
    return vm.get("local_id") or vm["id"]


@handles("/download_nvram")
def download_nvram(ctx, body):
    vm = _nvram_vm(ctx, body)
    nvram = vm.get("_nvram")
    if nvram is None:
        return {"ec": "ENOENT", "error": {"message": "no NVRAM was uploaded for VM %s" % vm["id"]}}
    return {"ec": "EOK", "error": None, "data": dict(nvram, resource_uuid=vm.get("local_id") or vm["id"])}
