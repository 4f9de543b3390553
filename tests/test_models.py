"""Models as users handle them: built by hand or decoded from a real answer (the simulator's, or
the recorder's for a field of a newer server), compared, printed, changed, sent back and pickled."""
from __future__ import absolute_import

import json
import pickle
import sys

import pytest

from cloudtower import (ApiAttributeError, ApiValueError, GetVmsRequestBody, NestedCluster, Vm, VmApi,
                        VmStatus, VmWhereInput)


@pytest.fixture
def decoded_vm(recorder, recorder_client, vm_json):
    """A VM decoded from a real answer, with a field only a newer server knows."""
    # Recorder: a field of a newer CloudTower, which the simulator (this spec) never sends.
    recorder.script("/get-vms", [vm_json(future_field="f")])
    return VmApi(recorder_client).get_vms({})[0]


def first_vm_and_its_json(client):
    """The first VM of the estate, decoded, and the JSON it was sent as."""
    raw = json.loads(VmApi(client).get_vms({"first": 1}, _preload_content=False).data.decode("utf-8"))
    return VmApi(client).get_vms({"first": 1})[0], raw[0]


def test_keyword_constructor_and_attributes():
    vm = Vm(id="vm-1", name="web", status=VmStatus.RUNNING, cluster=NestedCluster(id="c", name="cc"))
    assert (vm.id, vm.name, vm.status) == ("vm-1", "web", "RUNNING")
    assert vm.cluster.name == "cc"
    assert vm.vcpu is None


def test_to_dict_uses_attribute_names_and_plain_values():
    where = VmWhereInput(entity_async_status="CREATING", _and=[VmWhereInput(name="a")])
    data = where.to_dict()
    assert data["entity_async_status"] == "CREATING"
    assert data["_and"] == [dict(VmWhereInput(name="a").to_dict())]
    assert data["_and"][0]["name"] == "a"
    assert data["name"] is None
    assert "entityAsyncStatus" not in data and "AND" not in data


def test_to_dict_of_a_decoded_vm(decoded_vm):
    data = decoded_vm.to_dict()
    assert data["id"] == "vm-1"
    assert data["cluster"] == {"id": "cl-1", "name": "cluster-a"}
    assert data["vm_disks"] == [{"id": "d-1"}, {"id": "d-2"}]
    assert data["entity_async_status"] is None
    assert "future_field" not in data  # not a field of the spec (it stays readable: vm.future_field)
    assert "entityAsyncStatus" not in data
    assert set(Vm.attribute_map) <= set(data)


def test_to_str_and_repr(decoded_vm):
    text = decoded_vm.to_str()
    assert repr(decoded_vm.cluster.name) in text and repr(decoded_vm.name) in text
    shown = repr(decoded_vm)
    assert shown.startswith("Vm(id=%r, name=%r" % (decoded_vm.id, decoded_vm.name))
    assert "NestedCluster(id=%r, name=%r)" % (decoded_vm.cluster.id, decoded_vm.cluster.name) in shown
    assert "future_field" not in shown and decoded_vm.future_field == "f"
    assert "None" not in shown


def test_equality_by_value(client):
    decoded, data = first_vm_and_its_json(client)
    assert decoded == Vm.from_dict(data)
    assert not (decoded != Vm.from_dict(data))
    decoded.name = "other"
    assert decoded != Vm.from_dict(data)
    assert Vm(id="a", name="b") == Vm(name="b", id="a")
    assert Vm(id="a") != Vm(id="b")
    assert Vm(id="a") != NestedCluster(id="a")
    assert Vm(id="a") != {"id": "a"}


def test_models_are_not_hashable():
    with pytest.raises(TypeError):
        hash(Vm(id="a"))


def test_from_dict_with_json_or_attribute_keys():
    by_json = GetVmsRequestBody.from_dict({"where": {"AND": [{"entityAsyncStatus": "CREATING"}]},
                                           "orderBy": "name_ASC"})
    by_attr = GetVmsRequestBody.from_dict({"where": {"_and": [{"entity_async_status": "CREATING"}]},
                                           "order_by": "name_ASC"})
    assert by_json == by_attr
    assert isinstance(by_json.where, VmWhereInput)
    assert isinstance(by_json.where._and[0], VmWhereInput)
    assert by_json.where._and[0].entity_async_status == "CREATING"
    assert by_json.order_by == "name_ASC"


def test_from_dict_refuses_unknown_fields_of_a_closed_schema():
    with pytest.raises(ApiValueError) as raised:
        GetVmsRequestBody.from_dict({"frist": 1})
    assert "frist" in str(raised.value)


def test_an_attribute_of_a_scripts_own_is_kept_and_a_misspelled_read_is_refused():
    vm = Vm(id="a")
    vm.note = "mine"  # as on the official SDK's models
    assert vm.note == "mine" and "note" not in vm.to_dict()
    with pytest.raises(ApiAttributeError) as raised:
        vm.nmae
    assert "did you mean 'name'" in str(raised.value)


def test_a_decoded_vm_keeps_working_after_assignments(recorder_client, decoded_vm):
    decoded_vm.name = "renamed"
    decoded_vm.entity_async_status = "UPDATING"
    decoded_vm.cluster = {"id": "cl-2", "name": "cluster-b"}
    decoded_vm.vm_disks = [{"id": "d-9"}]
    decoded_vm.cpu_usage = 3
    assert decoded_vm.name == "renamed"
    assert decoded_vm.entity_async_status == "UPDATING"
    assert decoded_vm.cluster == {"id": "cl-2", "name": "cluster-b"}  # what a script puts in, it gets back
    assert decoded_vm.vm_disks[0] == {"id": "d-9"}
    data = decoded_vm.to_dict()
    assert data["name"] == "renamed" and data["entity_async_status"] == "UPDATING"
    assert data["cluster"] == {"id": "cl-2", "name": "cluster-b"}
    assert data["vm_disks"] == [{"id": "d-9"}]
    sent = recorder_client.sanitize_for_serialization(decoded_vm)
    assert sent["entityAsyncStatus"] == "UPDATING" and sent["cluster"]["name"] == "cluster-b"
    assert "future_field" not in sent  # only the fields of the spec are sent


def test_a_decoded_model_can_be_sent_back(demo, client, sent):
    vm = VmApi(client).get_vms({"first": 1})[0]
    again = VmApi(client).get_vms({"where": {"cluster": {"id": vm.cluster.id}, "id_in": [vm.id]}})
    assert sent(demo)[-1].json == {"where": {"cluster": {"id": vm.cluster.id}, "id_in": [vm.id]}}
    assert again == [vm]


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_pickle_round_trip_of_a_decoded_vm(decoded_vm, protocol):
    decoded_vm.cluster  # a nested model already decoded
    copy = pickle.loads(pickle.dumps(decoded_vm, protocol))
    assert type(copy) is Vm
    assert copy == decoded_vm
    assert copy.cluster.name == "cluster-a"
    assert copy.vm_disks[1].id == "d-2"
    assert copy.future_field == "f"
    assert copy.cpu_usage == 12.5


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_pickle_round_trip_of_a_decoded_list(client, protocol):
    vms = VmApi(client).get_vms({"first": 2})
    copy = pickle.loads(pickle.dumps(vms, protocol))
    assert len(copy) == 2 and [vm.id for vm in copy] == [vm.id for vm in vms]
    assert copy == list(vms)
    assert copy[1].cluster.name == vms[1].cluster.name


def test_class_metadata():
    assert Vm.attribute_map["entity_async_status"] == "entityAsyncStatus"
    assert Vm.openapi_types["vm_disks"] == "list[NestedVmDisk]"
    assert Vm.openapi_types["cluster"] == "NestedCluster"
    assert VmWhereInput.attribute_map["_and"] == "AND"
    assert "RUNNING" in VmStatus.allowable_values


def test_the_public_field_list():
    from cloudtower.model import Field, fields
    listed = fields(VmWhereInput)
    assert len(listed) == len(VmWhereInput.attribute_map)
    field = listed["AND"]
    assert isinstance(field, Field)
    assert (field.name, field.json_key, field.type) == ("_and", "AND", "list[VmWhereInput]")
    assert field.nullable and not field.required
    assert fields(Vm(name="x"))["entityAsyncStatus"].name == "entity_async_status"
    assert fields(Vm)["name"].required
    with pytest.raises(TypeError):
        fields(VmStatus)
    if sys.version_info[0] >= 3:
        with pytest.raises(TypeError):  # read-only
            listed["x"] = field
    else:  # Python 2: a copy
        listed["x"] = field
        assert "x" not in fields(VmWhereInput)
