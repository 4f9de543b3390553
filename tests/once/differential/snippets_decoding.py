# Decoding answers (issue 7, item 3): what a script reads back from a response. The matrix of
# JSON values x declared types is generated in families.py; these are the examples and the
# answers of the simulator.

### int_from_text
from cloudtower import ApiClient
show(ApiClient().deserialize(FakeResponse('"5"'), "int"))

### bool_from_false_text
from cloudtower import ApiClient
show(ApiClient().deserialize(FakeResponse('"false"'), "bool"))

### datetime_from_text
from cloudtower import ApiClient
show(ApiClient().deserialize(FakeResponse('"2024-01-02T03:04:05Z"'), "datetime"))

### date_from_text
from cloudtower import ApiClient
show(ApiClient().deserialize(FakeResponse('"2024-01-02"'), "date"))

### datetime_bad_text_raises
from cloudtower import ApiClient
show(attempt(ApiClient().deserialize, FakeResponse('"not a date"'), "datetime"))

### date_bad_text_raises
from cloudtower import ApiClient
show(attempt(ApiClient().deserialize, FakeResponse('"not a date"'), "date"))

### dict_type_string
from cloudtower import ApiClient
show(ApiClient().deserialize(FakeResponse('{"a": 1, "b": 2}'), "dict(str, int)"))

### dict_type_string_models
from cloudtower import ApiClient
show(ApiClient().deserialize(FakeResponse('{"a": {"id": "c"}}'), "dict(str, NestedCluster)"))

### dict_type_string_text_values
from cloudtower import ApiClient
show(ApiClient().deserialize(FakeResponse('{"a": "5"}'), "dict(str, int)"))

### list_is_list
from cloudtower import VmApi
vms = VmApi(client()).get_vms({"first": 2})
show(isinstance(vms, list), len(vms))

### list_type_is_list
from cloudtower import VmApi
vms = VmApi(client()).get_vms({"first": 2})
show(type(vms) is list, type(vms).__name__)

### nested_list_type
from cloudtower import VmApi
vm = VmApi(client()).get_vms({"first": 1})[0]
show(type(vm.vm_disks) is list, isinstance(vm.vm_disks, list))

### list_json_dumps
import json
from cloudtower import VmApi
vms = VmApi(client()).get_vms({"first": 2})
show(json.dumps([vm.name for vm in vms]))

### list_append_and_slice
from cloudtower import VmApi
vms = VmApi(client()).get_vms({"first": 3})
vms.append("extra")
show(len(vms), vms[-1], type(vms[:2]).__name__)

### list_equality
from cloudtower import VmApi
vms = VmApi(client()).get_vms({"first": 2})
show(vms == list(vms), [vm.name for vm in vms] == [vm.name for vm in list(vms)])

### empty_list
from cloudtower import VmApi
vms = VmApi(client()).get_vms({"where": {"name": "no-such-vm"}})
show(vms, type(vms).__name__)

### model_field_int_from_text
from cloudtower import ApiClient
vm = ApiClient().deserialize(FakeResponse('{"id": "v", "vcpu": "4", "memory": "1024"}'), "Vm")
show(vm.vcpu, vm.memory)

### model_field_float_from_int
from cloudtower import ApiClient
vm = ApiClient().deserialize(FakeResponse('{"id": "v", "cpu_usage": 5, "memory_usage": 0}'), "Vm")
show(vm.cpu_usage, vm.memory_usage)

### model_field_bool_from_text
from cloudtower import ApiClient
vm = ApiClient().deserialize(FakeResponse('{"id": "v", "ha": "false", "internal": "true"}'), "Vm")
show(vm.ha, vm.internal)

### model_field_str_from_int
from cloudtower import ApiClient
vm = ApiClient().deserialize(FakeResponse('{"id": 5, "name": 7}'), "Vm")
show(vm.id, vm.name)

### model_field_enum_unknown_value
from cloudtower import ApiClient
vm = ApiClient().deserialize(FakeResponse('{"id": "v", "status": "HIBERNATING"}'), "Vm")
show(vm.status)

### model_field_datetime_text
from cloudtower import ApiClient
alert = ApiClient().deserialize(FakeResponse('{"id": "a", "local_start_time": "2024-01-02T03:04:05Z"}'), "Alert")
show(alert.local_start_time)

### model_field_nested_model
from cloudtower import ApiClient
vm = ApiClient().deserialize(FakeResponse('{"id": "v", "cluster": {"id": "c", "name": "n"}}'), "Vm")
show(vm.cluster, type(vm.cluster).__name__)

### model_field_nested_null
from cloudtower import ApiClient
vm = ApiClient().deserialize(FakeResponse('{"id": "v", "cluster": null, "vm_disks": null}'), "Vm")
show(vm.cluster, vm.vm_disks)

### model_field_list_of_models
from cloudtower import ApiClient
vm = ApiClient().deserialize(FakeResponse('{"id": "v", "vm_disks": [{"id": "d1"}, {"id": "d2"}]}'), "Vm")
show(vm.vm_disks, [type(d).__name__ for d in vm.vm_disks])

### model_from_list_json
from cloudtower import ApiClient
show(ApiClient().deserialize(FakeResponse('[{"id": "c"}]'), "NestedCluster"))

### model_from_text_json
from cloudtower import ApiClient
show(ApiClient().deserialize(FakeResponse('"c"'), "NestedCluster"))

### model_missing_required
from cloudtower import ApiClient
show(ApiClient().deserialize(FakeResponse('{"name": "n"}'), "NestedCluster"))

### body_not_json_text
from cloudtower import ApiClient
show(ApiClient().deserialize(FakeResponse('hello'), "str"))

### body_not_json_object
from cloudtower import ApiClient
show(ApiClient().deserialize(FakeResponse('hello'), "object"))

### body_bytes_json
from cloudtower import ApiClient
show(ApiClient().deserialize(FakeResponse(b'{"id": "c"}'), "NestedCluster"))

### body_empty
from cloudtower import ApiClient
show(attempt(ApiClient().deserialize, FakeResponse(''), "Vm"))

### body_null
from cloudtower import ApiClient
show(ApiClient().deserialize(FakeResponse('null'), "Vm"))

### type_object_nested
from cloudtower import ApiClient
show(ApiClient().deserialize(FakeResponse('{"a": [1, {"b": null}]}'), "object"))

### type_unknown_model
from cloudtower import ApiClient
show(attempt(ApiClient().deserialize, FakeResponse('{"a": 1}'), "NoSuchModel"))

### type_class_object
from cloudtower import ApiClient
from cloudtower.models import NestedCluster
show(attempt(ApiClient().deserialize, FakeResponse('{"id": "c"}'), NestedCluster))

### type_file
import os
from cloudtower import ApiClient
client_ = ApiClient()
client_.configuration.temp_folder_path = tmp
path = client_.deserialize(FakeResponse(b"abc", headers={"Content-Disposition": 'attachment; filename="x.txt"'}), "file")
show(os.path.basename(path), open(path, "rb").read())

### type_file_no_name
from cloudtower import ApiClient
client_ = ApiClient()
client_.configuration.temp_folder_path = tmp
path = client_.deserialize(FakeResponse(b"abc"), "file")
show(open(path, "rb").read(), path.startswith(tmp))

### with_task_list
from cloudtower import ApiClient
items = ApiClient().deserialize(FakeResponse('[{"task_id": "t1", "data": {"id": "v1", "name": "a"}}]'), "list[WithTaskVm]")
show(items, items[0].data.name)

### private_deserialize
from cloudtower import ApiClient
show(ApiClient()._ApiClient__deserialize({"id": "c", "name": "n"}, "NestedCluster"))

### private_deserialize_list
from cloudtower import ApiClient
show(ApiClient()._ApiClient__deserialize(["1", "2"], "list[int]"))

### private_deserialize_primitive_class
from cloudtower import ApiClient
show(ApiClient()._ApiClient__deserialize("7", int))

### real_vm_fields
from cloudtower import VmApi
vm = VmApi(client()).get_vms({"where": {"name": "web-01"}})[0]
show(vm.name, vm.vcpu, vm.memory, vm.cpu_usage, vm.status, vm.cluster.name, len(vm.vm_disks))

### real_vm_types
from cloudtower import VmApi
vm = VmApi(client()).get_vms({"where": {"name": "web-01"}})[0]
show(sorted((name, "list" if isinstance(getattr(vm, name), list) else type(getattr(vm, name)).__name__) for name in vm.openapi_types))

### real_vm_to_dict
from cloudtower import VmApi
vm = VmApi(client()).get_vms({"where": {"name": "web-01"}})[0]
show(vm.to_dict())

### real_vm_to_dict_serialize
from cloudtower import VmApi
vm = VmApi(client()).get_vms({"where": {"name": "web-01"}})[0]
show(vm.to_dict(serialize=True))

### real_vm_to_str
from cloudtower import VmApi
vm = VmApi(client()).get_vms({"where": {"name": "web-01"}})[0]
print(vm.to_str())

### real_vm_private_fields
from cloudtower import VmApi
vm = VmApi(client()).get_vms({"where": {"name": "web-01"}})[0]
show(vm._name, vm._vcpu, vm._cluster)

### real_vm_equality
from cloudtower import VmApi
api = VmApi(client())
first = api.get_vms({"where": {"name": "web-01"}})[0]
second = api.get_vms({"where": {"name": "web-01"}})[0]
show(first == second, first != second)

### real_connection_aggregate
from cloudtower import VmApi
connection = VmApi(client()).get_vms_connection({"where": {"status": "RUNNING"}})
show(connection.aggregate.count, type(connection).__name__, type(connection.aggregate).__name__)

### real_cluster_capacity
from cloudtower import ClusterApi
cluster = ClusterApi(client()).get_clusters({"where": {"name": "elf-prod"}})[0]
show(cluster.total_cpu_cores, cluster.total_memory_bytes, cluster.provisioned_cpu_cores, cluster.type)

### real_alerts_fields
from cloudtower import AlertApi
alerts = AlertApi(client()).get_alerts({"first": 3, "orderBy": "local_start_time_DESC"})
show([(alert.severity, type(alert.local_start_time).__name__) for alert in alerts])

### real_task_fields
from cloudtower import TaskApi
tasks = TaskApi(client()).get_tasks({"first": 2})
show([(task.status, task.progress, type(task.progress).__name__) for task in tasks])

### last_response_data_text
from cloudtower import VmApi
api_client = client()
VmApi(api_client).get_vms({"first": 1})
show(type(api_client.last_response.data).__name__, api_client.last_response.status)

### last_response_headers
from cloudtower import VmApi
api_client = client()
VmApi(api_client).get_vms({"first": 1})
show(api_client.last_response.getheader("content-type"), type(api_client.last_response).__name__)
