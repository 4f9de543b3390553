"""How answers are decoded: models, nested models, enums, unknown values, floats, nulls, strings,
and the `_with_http_info` / `_preload_content` / `_return_http_data_only` forms of a result.

Real answers come from the simulator; the recorder sends what a spec-valid CloudTower of this
version never does (unknown enum values and fields, empty bodies, text, other success statuses)."""
from __future__ import absolute_import

import json

import pytest
import urllib3

from cloudtower import (ApiInfoApi, ApiResponseError, ElfImageApi, NestedCluster, NestedHost, NestedVmDisk, NestedVmNic,
                        ResourceChangeApi, TableReporterApi, TaskApi, UploadTaskApi, UserApi, Vm, VmApi,
                        VmConnection, VmStatus, WithTaskVm)
from cloudtower.models import SPEC_VERSION

BY_NAME = {"order_by": "name_ASC"}


def raw_answer(method, *args):
    """The JSON the server sends for `method(*args)`, undecoded."""
    response = method(*args, _preload_content=False)
    return json.loads(response.data.decode("utf-8"))


def vm_named(client, name):
    return VmApi(client).get_vms({"where": {"name": name}})[0]


def stopped_vms(client, count=1):
    vms = VmApi(client).get_vms({"where": {"status": "STOPPED"}, "order_by": "name_ASC"})
    assert len(vms) >= count
    return vms[:count]


def test_list_of_models_with_nested_models_and_lists(client):
    raw = raw_answer(VmApi(client).get_vms, BY_NAME)
    vms = VmApi(client).get_vms(BY_NAME)
    assert isinstance(vms, list) and len(vms) == len(raw) > 1
    for vm, data in zip(vms, raw):
        assert isinstance(vm, Vm)
        assert (vm.id, vm.name, vm.vcpu, vm.memory, vm.ha) == tuple(data[key] for key in
                                                                    ("id", "name", "vcpu", "memory", "ha"))
        assert isinstance(vm.cluster, NestedCluster)
        assert (vm.cluster.id, vm.cluster.name) == (data["cluster"]["id"], data["cluster"]["name"])
        assert isinstance(vm.host, NestedHost) and vm.host.management_ip == data["host"]["management_ip"]
        assert [type(disk) for disk in vm.vm_disks] == [NestedVmDisk] * len(data["vm_disks"])
        assert [disk.id for disk in vm.vm_disks] == [disk["id"] for disk in data["vm_disks"]]
        assert [type(nic) for nic in vm.vm_nics] == [NestedVmNic] * len(data["vm_nics"])
        assert [(label.id, label.key, label.value) for label in vm.labels] == \
            [(label["id"], label["key"], label["value"]) for label in data["labels"]]
        assert [snapshot.id for snapshot in vm.snapshots] == [item["id"] for item in data["snapshots"]]
        assert vm.out_uninstall_usb == data["out_uninstall_usb"]
    assert any(len(vm.vm_disks) > 1 for vm in vms) and any(vm.labels for vm in vms)
    assert any(vm.snapshots == [] for vm in vms) and any(vm.snapshots for vm in vms)


def test_nested_values_are_decoded_once(client):
    vm = VmApi(client).get_vms({"first": 1})[0]
    assert vm.cluster is vm.cluster
    assert vm.vm_disks is vm.vm_disks


def test_enums_stay_wire_strings(client):
    stopped = stopped_vms(client)[0]
    VmApi(client).start_vm({"where": {"id": stopped.id}})  # its task runs until advance_tasks()
    vm = VmApi(client).get_vms({"where": {"id": stopped.id}})[0]
    assert vm.status == VmStatus.STOPPED == "STOPPED"
    assert vm.entity_async_status == "UPDATING"
    assert vm.guest_os_type in ("LINUX", "WINDOWS")
    assert vm.to_dict()["status"] == "STOPPED"


def test_an_enum_value_the_sdk_does_not_know_is_kept(recorder, recorder_client, vm_json):
    # Recorder: an enum value of a newer CloudTower, which the simulator (this spec) never sends.
    recorder.script("/get-vms", [vm_json(status="HIBERNATING")])
    vm = VmApi(recorder_client).get_vms({})[0]
    assert vm.status == "HIBERNATING"
    assert vm.to_dict()["status"] == "HIBERNATING"


def test_a_field_from_a_newer_server_is_kept_but_is_not_a_field(recorder, recorder_client, vm_json):
    # Recorder: a field of a newer CloudTower, which the simulator (this spec) never sends.
    recorder.script("/get-vms", [vm_json(quantum_state={"spin": "up"}, tier=3)], [vm_json()])
    vm = VmApi(recorder_client).get_vms({})[0]
    assert vm.quantum_state == {"spin": "up"}
    assert vm.tier == 3
    # As in the official SDK: to_dict() and == are about the fields of the spec.
    data = vm.to_dict()
    assert "quantum_state" not in data and "tier" not in data
    assert vm == VmApi(recorder_client).get_vms({})[0]
    vm.tier = 4
    assert vm.tier == 4


def test_float_fields(demo, client):
    running = vm_named(client, "web-01")
    assert isinstance(running.cpu_usage, float) and running.cpu_usage == raw_answer(
        VmApi(client).get_vms, {"where": {"id": running.id}})[0]["cpu_usage"]
    with demo.store.lock:  # whole numbers, as a JavaScript server writes them: 2, not 2.0
        demo.store.update("Vm", running.id, {"cpu_usage": 2, "memory_usage": 0})
    sent = raw_answer(VmApi(client).get_vms, {"where": {"id": running.id}})[0]
    assert type(sent["cpu_usage"]) is int and type(sent["memory_usage"]) is int
    vm = VmApi(client).get_vms({"where": {"id": running.id}})[0]
    assert vm.cpu_usage == 2.0 and isinstance(vm.cpu_usage, float)
    assert vm.memory_usage == 0.0 and isinstance(vm.memory_usage, float)
    assert vm.cpu_usage / 4 == 0.5  # no integer division on Python 2
    assert isinstance(vm.to_dict()["cpu_usage"], float)


def test_task_progress_is_float(demo, client):
    task = TaskApi(client).get_tasks({"first": 1})[0]
    with demo.store.lock:
        demo.store.update("Task", task.id, {"progress": 1})
    assert type(raw_answer(TaskApi(client).get_tasks, {"where": {"id": task.id}})[0]["progress"]) is int
    task = TaskApi(client).get_tasks({"where": {"id": task.id}})[0]
    assert task.progress == 1.0 and isinstance(task.progress, float)
    assert task.steps and task.steps[0].key == task.key
    assert isinstance(task.steps[0].current, float)


def test_null_fields_are_none(client):
    stopped = stopped_vms(client)[0]
    data = raw_answer(VmApi(client).get_vms, {"where": {"id": stopped.id}})[0]
    assert data["cpu_usage"] is None and data["snapshot_plan"] is None and data["entityAsyncStatus"] is None
    vm = VmApi(client).get_vms({"where": {"id": stopped.id}})[0]
    assert vm.cpu_usage is None and vm.snapshot_plan is None and vm.entity_async_status is None
    assert vm.to_dict()["cpu_usage"] is None and vm.to_dict()["snapshot_plan"] is None


def test_a_null_nested_model_and_missing_fields_are_none(recorder, recorder_client, vm_json):
    # Recorder: the simulator sends every field, and a VM always with its cluster.
    recorder.script("/get-vms", [vm_json(cluster=None, description=None)])
    vm = VmApi(recorder_client).get_vms({})[0]
    assert vm.cluster is None and vm.description is None and vm.host is None
    assert vm.entity_async_status is None
    assert vm.snapshot_plan is None  # not in the answer at all
    assert vm.to_dict()["cluster"] is None and vm.to_dict()["snapshot_plan"] is None


def test_with_task_answers(client):
    vms = stopped_vms(client, 2)
    result = VmApi(client).start_vm({"where": {"id_in": [vm.id for vm in vms]}})
    assert [type(item) for item in result] == [WithTaskVm, WithTaskVm]
    assert all(item.task_id for item in result)
    assert result[0].task_id != result[1].task_id
    assert isinstance(result[0].data, Vm)
    assert sorted(item.data.id for item in result) == sorted(vm.id for vm in vms)
    assert result[0].data.cluster.name in [vm.cluster.name for vm in vms]
    login = UserApi(client).login({"username": "root", "password": "root", "source": "LOCAL"})
    assert login.task_id is None and login.data.token


def test_connection_answer(client):
    connection = VmApi(client).get_vms_connection({"where": {"name_contains": "web"}})
    count = len(VmApi(client).get_vms({"where": {"name_contains": "web"}}))
    assert isinstance(connection, VmConnection)
    assert connection.aggregate.count == count > 0
    assert connection.to_dict() == {"aggregate": {"count": count}}


def test_bare_string_answer(client):
    version = ApiInfoApi(client).get_api_version()
    assert version == SPEC_VERSION
    assert isinstance(version, (str, type(u"")))


def test_text_answer_that_is_not_json(recorder, recorder_client):
    # Recorder: a text/csv body; the simulator answers JSON only.
    recorder.script("/export-csv", (200, {"Content-Type": "text/csv"}, "name,id\nvm,1\n"))
    body = {"filter": {"vms": {}}, "columns": [], "name": "vms"}
    exported = TableReporterApi(recorder_client).export_csv(body)
    assert exported == "name,id\nvm,1\n"


def test_list_of_strings_answer(demo, client):
    with demo.store.lock:
        demo.store.settings["upload_chunk_size"] = 3  # so that a 3-byte chunk leaves an upload unfinished
    cluster = vm_named(client, "web-01").cluster.id
    started = [ElfImageApi(client).create_elf_image(file=("part.iso", bytearray(b"abc")), cluster_id=cluster,
                                                    name="image-%d" % index, size="6")[0]
               for index in range(2)]
    assert [task.status for task in started] == ["UPLOADING", "UPLOADING"]
    cancelled = UploadTaskApi(client).cancel_upload_task({"where": {"id_in": [task.id for task in started]}})
    assert sorted(cancelled) == sorted(task.id for task in started)
    assert all(isinstance(item, (str, type(u""))) for item in cancelled)


def test_an_empty_body_is_not_an_answer(recorder, recorder_client):
    # Recorder: an empty 200 body, which the simulator never sends.
    recorder.script("/get-vms", (200, {"x-tower-request-id": "req-empty"}, b""))
    with pytest.raises(ApiResponseError) as raised:
        VmApi(recorder_client).get_vms({})
    assert raised.value.status == 200 and raised.value.request_id == "req-empty"
    assert "empty" in raised.value.reason and raised.value.body == ""


def test_empty_list(client):
    assert VmApi(client).get_vms({"where": {"name": "no-such-vm"}}) == []


def test_resource_changes(demo, client):
    vm = stopped_vms(client)[0]
    VmApi(client).start_vm({"where": {"id": vm.id}})
    demo.advance_tasks()
    changes = ResourceChangeApi(client).get_resource_changes(resource_type="VM", resource_id=vm.id)
    assert changes.current_revision == str(demo.store.revision)
    assert changes.compact_revision == "0"
    assert changes.data and all(event.resource_id == vm.id and event.resource_type == "VM"
                                for event in changes.data)
    assert all(event.action == "UPDATE" for event in changes.data)
    revisions = [int(event.revision) for event in changes.data]
    assert revisions == sorted(revisions)
    assert json.loads(changes.data[-1].new_value)["status"] == "RUNNING"


def test_resource_changes_keep_big_revisions_as_text(recorder, recorder_client):
    # Recorder: a revision past 2**64; the simulator's revisions are small.
    big = str(2 ** 70)
    event = {"revision": big, "prev_revision": "7", "resource_type": "VM", "resource_id": "vm-1",
             "action": "UPDATE", "old_value": "{}", "new_value": "{}", "created_at": "2024-01-01"}
    recorder.script("/resource-changes", {"currentRevision": big, "compactRevision": "5", "data": [event],
                                          "ec": ""})
    changes = ResourceChangeApi(recorder_client).get_resource_changes(start_revision="6")
    assert changes.current_revision == big and changes.compact_revision == "5"
    assert int(changes.data[0].revision) == 2 ** 70
    assert changes.data[0].action == "UPDATE"


def test_unicode_answer(demo, client):
    vm = stopped_vms(client)[0]
    name = u"\u865a\u62df\u673a-1"
    VmApi(client).update_vm({"where": {"id": vm.id}, "data": {"name": name}})
    assert VmApi(client).get_vms({"where": {"id": vm.id}})[0].name == name
    assert VmApi(client).get_vms({"where": {"name": name}})[0].id == vm.id


# -- the forms of a result ----------------------------------------------------------------------

def test_with_http_info_gives_data_status_and_headers(demo, client, sent):
    data, status, headers = VmApi(client).get_vms_with_http_info({"first": 1})
    assert status == 200
    assert len(data) == 1 and isinstance(data[0], Vm) and data[0].id
    assert headers["x-tower-request-id"].startswith("sim-")
    assert headers["CONTENT-TYPE"].startswith("application/json")  # case-insensitive
    assert sent(demo)[-1].json == {"first": 1}


def test_with_http_info_of_an_empty_answer(recorder, recorder_client):
    # Recorder: an empty 200 body, which the simulator never sends.
    recorder.script("/get-vms", (200, {}, b""))
    with pytest.raises(ApiResponseError):
        VmApi(recorder_client).get_vms_with_http_info({})


def test_preload_content_false_gives_the_raw_urllib3_response(client):
    vm = VmApi(client).get_vms({"first": 1})[0]
    response = VmApi(client).get_vms({"first": 1}, _preload_content=False)
    assert isinstance(response, urllib3.response.HTTPResponse)
    assert response.status == 200
    assert json.loads(response.data.decode("utf-8"))[0]["id"] == vm.id
    assert response.headers["x-tower-request-id"]


def test_preload_content_false_can_be_streamed(client):
    whole = VmApi(client).get_vms({}, _preload_content=False).data
    assert len(whole) > 4096 * 2
    response = VmApi(client).get_vms({}, _preload_content=False)
    chunks = list(response.stream(4096))
    response.release_conn()
    assert b"".join(chunks) == whole
    assert len(chunks) > 1


def test_return_http_data_only_on_the_plain_method(client):
    for flag in (True, False):  # the plain method always gives the data only
        result = VmApi(client).get_vms({"first": 1}, _return_http_data_only=flag)
        assert isinstance(result, list) and isinstance(result[0], Vm)


def test_return_http_data_only_on_with_http_info(client):
    # The generated clients this SDK replaces return only the data when a `_with_http_info`
    # method is called with `_return_http_data_only=True` (it once was ignored).
    result = VmApi(client).get_vms_with_http_info({"first": 1}, _return_http_data_only=True)
    assert isinstance(result, list)
    assert isinstance(result[0], Vm)


def test_last_response_is_kept(client):
    VmApi(client).get_vms({"first": 1})
    first = client.last_response.getheader("x-tower-request-id")
    VmApi(client).get_vms({"first": 1})
    assert client.last_response.status == 200
    assert client.last_response.getheader("x-tower-request-id") not in (None, first)


def test_deserialize_and_sanitize_round_trip(client):
    raw = raw_answer(VmApi(client).get_vms, BY_NAME)

    class Answer(object):
        data = json.dumps(raw).encode("utf-8")
    vms = client.deserialize(Answer(), "list[Vm]")
    assert [vm.cluster.name for vm in vms] == [data["cluster"]["name"] for data in raw]
    for vm, data in zip(vms, raw):
        sent = client.sanitize_for_serialization(vm)
        assert sent == dict((key, value) for key, value in data.items() if value is not None)  # no None
    assert any(data["entityAsyncStatus"] is None for data in raw)


@pytest.mark.parametrize("status", [201, 204])
def test_other_success_statuses_do_not_raise(recorder, recorder_client, status):
    # Recorder: the simulator answers every success 200.
    recorder.script("/get-vms", (status, {}, b""))
    data, got, _ = VmApi(recorder_client).get_vms_with_http_info({})
    assert got == status and data is None
