# What goes on the wire and how Api methods are called: bodies as dicts and models, headers,
# the per-call keywords (async_req, _with_http_info, _preload_content ...). The requests the
# simulator received are part of every snippet's output.

### body_dict_json_keys
from cloudtower import VmApi
VmApi(client()).get_vms({"where": {"name_starts_with": "web"}, "orderBy": "name_ASC", "first": 2})

### body_dict_attribute_keys
from cloudtower import VmApi
show([vm.name for vm in VmApi(client()).get_vms({"where": {"name_starts_with": "web"}, "order_by": "name_ASC", "first": 2})])

### body_model
from cloudtower import VmApi
from cloudtower.models import GetVmsRequestBody, VmWhereInput, VmOrderByInput
VmApi(client()).get_vms(GetVmsRequestBody(where=VmWhereInput(name_starts_with="web"), order_by=VmOrderByInput.NAME_ASC, first=2))

### body_model_renamed_fields
from cloudtower import VmApi
from cloudtower.models import GetVmsRequestBody, VmWhereInput
VmApi(client()).get_vms(GetVmsRequestBody(where=VmWhereInput(entity_async_status=None, _and=[VmWhereInput(status="RUNNING")]), first=1))

### body_model_none_dropped
from cloudtower import VmApi
from cloudtower.models import GetVmsRequestBody
VmApi(client()).get_vms(GetVmsRequestBody(where=None, first=1, skip=None))

### body_dict_none_sent_as_null
from cloudtower import VmApi
show(len(VmApi(client()).get_vms({"where": {"entityAsyncStatus": None}, "first": 2})))

### body_dict_with_model_inside
from cloudtower import VmApi
from cloudtower.models import VmWhereInput
VmApi(client()).get_vms({"where": VmWhereInput(name="web-01"), "first": 1})

### body_model_with_dict_inside
from cloudtower import VmApi
from cloudtower.models import GetVmsRequestBody
VmApi(client()).get_vms(GetVmsRequestBody(where={"name": "web-01", "cluster": {"name": "elf-prod"}}))

### body_nested_where_relations
from cloudtower import VmApi
vms = VmApi(client()).get_vms({"where": {"cluster": {"name": "elf-prod"}, "status_in": ["RUNNING", "STOPPED"]}, "first": 3})
show([vm.name for vm in vms])

### body_and_or_not
from cloudtower import VmApi
vms = VmApi(client()).get_vms({"where": {"OR": [{"name": "web-01"}, {"name": "web-02"}], "NOT": [{"status": "STOPPED"}]}})
show(sorted(vm.name for vm in vms))

### body_model_from_other_class
from cloudtower import VmApi
api = VmApi(client())
vm = api.get_vms({"where": {"name": "web-01"}})[0]
show(len(api.get_vms({"where": {"cluster": vm.cluster}, "first": 2})))

### body_datetime_value
import datetime
from cloudtower import AlertApi
AlertApi(client()).get_alerts({"where": {"local_start_time_gt": datetime.datetime(2020, 1, 2, 3, 4, 5)}, "first": 1})

### body_date_value
import datetime
from cloudtower import AlertApi
AlertApi(client()).get_alerts({"where": {"local_start_time_gt": datetime.date(2020, 1, 2)}, "first": 1})

### body_tuple_value
from cloudtower import VmApi
VmApi(client()).get_vms({"where": {"name_in": ("web-01", "web-02")}})

### body_unicode
from cloudtower import VmApi
show(VmApi(client()).get_vms({"where": {"name": "虚拟机"}}))

### body_typo_refused
from cloudtower import VmApi
show(attempt(VmApi(client()).get_vms, {"wher": {"name": "web-01"}}))

### body_typo_nested
from cloudtower import VmApi
show(attempt(VmApi(client()).get_vms, {"where": {"nmae": "web-01"}}))

### body_wrong_type
from cloudtower import VmApi
show(attempt(VmApi(client()).get_vms, {"first": "two"}))

### body_enum_out_of_range
from cloudtower import VmApi
show(attempt(VmApi(client()).get_vms, {"where": {"status": "SLEEPING"}}))

### body_missing_required_field
from cloudtower import VmApi
show(attempt(VmApi(client()).update_vm, {"data": {"description": "x"}}))

### body_wrong_model_class
from cloudtower import VmApi
from cloudtower.models import NestedCluster
show(attempt(VmApi(client()).get_vms, NestedCluster(id="c")))

### body_list_for_object
from cloudtower import VmApi
show(attempt(VmApi(client()).get_vms, [{"first": 1}]))

### body_validation_off
from cloudtower import VmApi
show(attempt(VmApi(client(client_side_validation=False)).get_vms, {"wher": {"name": "web-01"}}))

### body_array
from cloudtower import VmApi
show(attempt(VmApi(client()).create_vm, [{"cluster_id": "nope", "name": "x", "vcpu": 1, "memory": 1, "ha": True,
     "cpu_cores": 1, "cpu_sockets": 1, "firmware": "BIOS", "status": "STOPPED", "vm_nics": [], "vm_disks": {}}]))

### update_vm_wire
from cloudtower import VmApi
api = VmApi(client())
vm = api.get_vms({"where": {"name": "web-01"}})[0]
result = api.update_vm({"where": {"id": vm.id}, "data": {"description": "changed"}})
show(isinstance(result, list), len(result), type(result[0]).__name__, result[0].data.description, result[0].task_id is not None)

### update_vm_model_body
from cloudtower import VmApi
from cloudtower.models import VmUpdateParams, VmUpdateParamsData, VmWhereInput
api = VmApi(client())
vm = api.get_vms({"where": {"name": "web-01"}})[0]
result = api.update_vm(VmUpdateParams(where=VmWhereInput(id=vm.id), data=VmUpdateParamsData(description="changed", vcpu=4)))
show(result[0].data.description)

### start_vm_task
from cloudtower import VmApi, TaskApi
api = VmApi(client())
vm = api.get_vms({"where": {"status": "STOPPED"}, "first": 1})[0]
result = api.start_vm({"where": {"id": vm.id}})
task = TaskApi(client()).get_tasks({"where": {"id": result[0].task_id}})[0]
show(task.status, result[0].data.id == vm.id)

### content_language_keyword
from cloudtower import VmApi
VmApi(client()).get_vms({"first": 1}, content_language="zh-CN")

### content_language_default_header
from cloudtower import VmApi
api_client = client()
api_client.set_default_header("content-language", "zh-CN")
VmApi(api_client).get_vms({"first": 1})

### content_language_error_text
from cloudtower import VmApi
api_client = client()
vm_task(api_client)
show(attempt(VmApi(api_client).update_vm, {"where": {"name": "web-01"}, "data": {"description": "second"}}, content_language="zh-CN"))

### content_language_unknown
from cloudtower import VmApi
show(attempt(VmApi(client()).get_vms, {"first": 1}, content_language="fr-FR"))

### content_language_none
from cloudtower import VmApi
show(attempt(VmApi(client()).get_vms, {"first": 1}, content_language=None))

### headers_keyword
from cloudtower import VmApi
VmApi(client()).get_vms({"first": 1}, _headers={"X-Trace": "abc"})

### headers_keyword_overrides_accept
from cloudtower import VmApi
VmApi(client()).get_vms({"first": 1}, _headers={"Accept": "application/json, text/plain"})

### content_type_keyword
from cloudtower import VmApi
show(attempt(VmApi(client()).get_vms, {"first": 1}, _content_type="application/json; charset=utf-8"))

### request_auth_keyword
from cloudtower import VmApi
api_client = client()
auth = {"in": "header", "key": "Authorization", "value": token, "type": "api_key"}
api_client.configuration.api_key = {}
show(len(VmApi(api_client).get_vms({"first": 1}, _request_auth=auth)))

### request_auth_query
from cloudtower import VmApi
api_client = client()
auth = {"in": "query", "key": "token", "value": "abc", "type": "api_key"}
show(attempt(VmApi(api_client).get_vms, {"first": 1}, _request_auth=auth))

### request_timeout_number
from cloudtower import VmApi
show(len(VmApi(client()).get_vms({"first": 2}, _request_timeout=30)))

### request_timeout_pair
from cloudtower import VmApi
show(len(VmApi(client()).get_vms({"first": 2}, _request_timeout=(5, 30))))

### request_timeout_expires
from cloudtower import VmApi
sim("fault", kind="latency", operation="/get-vms", latency=3, count=1)
show(attempt(VmApi(client(retries=False)).get_vms, {"first": 1}, _request_timeout=0.3))

### unknown_keyword_argument
from cloudtower import VmApi
show(attempt(VmApi(client()).get_vms, {"first": 1}, bogus=1))

### missing_required_parameter
from cloudtower import VmApi
show(attempt(VmApi(client()).get_vms, None))

### missing_required_without_validation
from cloudtower import VmApi
show(attempt(VmApi(client(client_side_validation=False)).get_vms, None))

### body_as_keyword
from cloudtower import VmApi
show(len(VmApi(client()).get_vms(get_vms_request_body={"first": 2})))

### too_many_positional
from cloudtower import VmApi
show(attempt(VmApi(client()).get_vms, {"first": 1}, "zh-CN"))

### no_arguments
from cloudtower import VmApi
show(attempt(VmApi(client()).get_vms))

### with_http_info
from cloudtower import VmApi
data, status, headers = VmApi(client()).get_vms_with_http_info({"first": 1})
show(len(data), status, type(headers).__name__, headers.get("content-type"))

### with_http_info_data_only
from cloudtower import VmApi
result = VmApi(client()).get_vms_with_http_info({"first": 1}, _return_http_data_only=True)
show(isinstance(result, list), len(result))

### with_http_info_tuple
from cloudtower import VmApi
result = VmApi(client()).get_vms_with_http_info({"first": 1})
show(type(result).__name__, len(result), result[1])

### return_http_data_only_on_plain
from cloudtower import VmApi
result = VmApi(client()).get_vms({"first": 1}, _return_http_data_only=False)
show(isinstance(result, list), isinstance(result, tuple))

### with_http_info_error
from cloudtower import VmApi
sim("fault", kind="status", operation="/get-vms", status=500, count=1)
show(attempt(VmApi(client(retries=False)).get_vms_with_http_info, {"first": 1}))

### preload_content_false
import json
from cloudtower import VmApi
response = VmApi(client()).get_vms({"first": 1}, _preload_content=False)
show(type(response).__name__, response.status, len(json.loads(response.data)))

### preload_content_false_read
import json
from cloudtower import VmApi
response = VmApi(client()).get_vms({"first": 2}, _preload_content=False)
show(len(json.loads(response.read())), response.headers.get("content-type"))

### preload_content_false_http_info
from cloudtower import VmApi
response = VmApi(client()).get_vms_with_http_info({"first": 1}, _preload_content=False)
show(type(response).__name__, response.status)

### preload_content_false_error
from cloudtower import VmApi
sim("fault", kind="status", operation="/get-vms", status=404, count=1)
show(attempt(VmApi(client()).get_vms, {"first": 1}, _preload_content=False))

### async_req
from cloudtower import VmApi
thread = VmApi(client()).get_vms({"first": 2}, async_req=True)
show(type(thread).__name__, len(thread.get(30)))

### async_req_http_info
from cloudtower import VmApi
thread = VmApi(client()).get_vms_with_http_info({"first": 2}, async_req=True)
data, status, headers = thread.get(30)
show(len(data), status)

### async_req_error
from cloudtower import VmApi
sim("fault", kind="status", operation="/get-vms", status=404, count=1)
thread = VmApi(client()).get_vms({"first": 2}, async_req=True)
show(attempt(thread.get, 30))

### async_req_several
from cloudtower import VmApi, ClusterApi
api_client = client()
threads = [VmApi(api_client).get_vms({"first": 1}, async_req=True), ClusterApi(api_client).get_clusters({"first": 1}, async_req=True)]
show([type(t.get(30)[0]).__name__ for t in threads], threads[0].ready(), threads[0].successful())

### async_req_validation_error
from cloudtower import VmApi
show(attempt(VmApi(client()).get_vms, {"wher": 1}, async_req=True))

### async_req_pool_threads
from cloudtower import ApiClient, Configuration, VmApi
configuration = Configuration(host=url)
configuration.api_key["Authorization"] = token
with ApiClient(configuration, pool_threads=3) as api_client:
    threads = [VmApi(api_client).get_vms({"first": 1}, async_req=True) for _ in range(3)]
    show([len(t.get(30)) for t in threads], api_client.pool_threads)

### async_req_false
from cloudtower import VmApi
show(isinstance(VmApi(client()).get_vms({"first": 1}, async_req=False), list))

### api_default_client
from cloudtower import VmApi, ApiClient
api = VmApi()
show(type(api.api_client).__name__, api.api_client.configuration.host)

### request_without_host
from cloudtower import VmApi, ApiClient, Configuration
configuration = Configuration()
configuration.retries = False
show(attempt(VmApi(ApiClient(configuration)).get_vms, {"first": 1}))

### api_client_attribute
from cloudtower import VmApi
api_client = client()
show(VmApi(api_client).api_client is api_client)

### api_positional_client
from cloudtower import VmApi
api_client = client()
show(VmApi(api_client=api_client).api_client is api_client)

### method_name_and_doc
from cloudtower import VmApi
show(VmApi.get_vms.__name__, VmApi.get_vms_with_http_info.__name__, isinstance(VmApi.get_vms.__doc__, str))

### no_token_unauthorized
from cloudtower import ApiClient, Configuration, VmApi
show(attempt(VmApi(ApiClient(Configuration(host=url))).get_vms, {"first": 1}))

### bad_token_unauthorized
from cloudtower import VmApi
api_client = client()
api_client.configuration.api_key["Authorization"] = "wrong"
show(attempt(VmApi(api_client).get_vms, {"first": 1}))

### api_key_prefix
from cloudtower import VmApi
api_client = client()
api_client.configuration.api_key_prefix["Authorization"] = "Bearer"
show(attempt(VmApi(api_client).get_vms, {"first": 1}))

### basic_auth_not_used
from cloudtower import VmApi
api_client = client()
api_client.configuration.username = "root"
api_client.configuration.password = "root"
VmApi(api_client).get_vms({"first": 1})

### cookie_header
from cloudtower import ApiClient, Configuration, VmApi
configuration = Configuration(host=url)
configuration.api_key["Authorization"] = token
with ApiClient(configuration, cookie="session=1") as api_client:
    VmApi(api_client).get_vms({"first": 1})

### header_name_value
from cloudtower import ApiClient, Configuration, VmApi
configuration = Configuration(host=url)
configuration.api_key["Authorization"] = token
with ApiClient(configuration, header_name="X-Team", header_value="ops") as api_client:
    VmApi(api_client).get_vms({"first": 1})

### login_wire
from cloudtower import ApiClient, Configuration
from cloudtower.utils import login
with ApiClient(Configuration(host=url)) as api_client:
    login(api_client, "root", "root")
    show(api_client.configuration.api_key["Authorization"] is not None)

### login_user_api
from cloudtower import ApiClient, Configuration, UserApi
with ApiClient(Configuration(host=url)) as api_client:
    response = UserApi(api_client).login({"username": "root", "password": "root", "source": "LOCAL"})
    show(type(response).__name__, type(response.data).__name__, response.task_id)

### login_wrong_password
from cloudtower import ApiClient, Configuration
from cloudtower.utils import login
with ApiClient(Configuration(host=url)) as api_client:
    show(attempt(login, api_client, "root", "wrong"), api_client.configuration.api_key)

### connection_query
from cloudtower import VmApi
connection = VmApi(client()).get_vms_connection({"where": {"status": "RUNNING"}, "first": 1})
show(connection.aggregate.count)

### delete_vm_wire
from cloudtower import VmApi
api = VmApi(client())
vm = api.get_vms({"where": {"status": "STOPPED"}, "first": 1})[0]
result = api.delete_vm({"where": {"id": vm.id}})
show(type(result[0]).__name__, result[0].data.id == vm.id)

### create_vm_wire
from cloudtower import VmApi, ClusterApi, VlanApi
api_client = client()
cluster = ClusterApi(api_client).get_clusters({"where": {"name": "elf-prod"}})[0]
vlan = VlanApi(api_client).get_vlans({"where": {"name": "default", "vds": {"cluster": {"id": cluster.id}}}})[0]
result = VmApi(api_client).create_vm([{
    "cluster_id": cluster.id, "name": "new-vm", "ha": True, "cpu_cores": 1, "cpu_sockets": 1, "vcpu": 1,
    "memory": 1073741824, "firmware": "BIOS", "status": "STOPPED",
    "vm_nics": [{"connect_vlan_id": vlan.id}],
    "vm_disks": {"mount_new_create_disks": [{"boot": 0, "bus": "VIRTIO", "vm_volume": {
        "elf_storage_policy": "REPLICA_2_THIN_PROVISION", "size": 1073741824, "name": "new-vm-disk"}}]}}])
show(result[0].data.name, result[0].data.status)

### query_by_id
from cloudtower import VmApi
api = VmApi(client())
vm = api.get_vms({"where": {"name": "web-01"}})[0]
show(api.get_vms({"where": {"id": vm.id}})[0].name)

### pagination_skip
from cloudtower import VmApi
api = VmApi(client())
show([vm.name for vm in api.get_vms({"orderBy": "name_ASC", "first": 2, "skip": 2})])

### order_by_enum
from cloudtower import VmApi
from cloudtower.models import VmOrderByInput
show([vm.name for vm in VmApi(client()).get_vms({"orderBy": VmOrderByInput.NAME_DESC, "first": 3})])

### call_api_direct
from cloudtower import VmApi
api_client = client()
result = api_client.call_api("/get-vms", "POST", header_params={"Content-Type": "application/json"}, body={"first": 1},
                             response_types_map={200: "list[Vm]"}, auth_settings=["Authorization"],
                             _return_http_data_only=True)
show(type(result[0]).__name__)

### call_api_tuple
api_client = client()
result = api_client.call_api("/get-vms", "POST", header_params={"Content-Type": "application/json"}, body={"first": 1},
                             response_types_map={200: "list[Vm]"}, auth_settings=["Authorization"])
show(len(result), result[1], type(result[0][0]).__name__)

### call_api_no_type
api_client = client()
result = api_client.call_api("/get-vms", "POST", header_params={"Content-Type": "application/json"}, body={"first": 1},
                             response_types_map={}, auth_settings=["Authorization"], _return_http_data_only=True)
show(result)

### call_api_async
api_client = client()
thread = api_client.call_api("/get-vms", "POST", header_params={"Content-Type": "application/json"}, body={"first": 1},
                             response_types_map={200: "list[Vm]"}, auth_settings=["Authorization"], async_req=True,
                             _return_http_data_only=True)
show(type(thread).__name__, len(thread.get(30)))

### call_api_query_params
api_client = client()
show(attempt(api_client.call_api, "/get-vms", "POST", query_params=[("a", "1")], header_params={"Content-Type": "application/json"},
             body={"first": 1}, response_types_map={200: "list[Vm]"}, auth_settings=["Authorization"], _return_http_data_only=True))

### call_api_model_body
from cloudtower.models import GetVmsRequestBody
api_client = client()
result = api_client.call_api("/get-vms", "POST", header_params={"Content-Type": "application/json"},
                             body=GetVmsRequestBody(first=1, order_by="name_DESC"),
                             response_types_map={200: "list[Vm]"}, auth_settings=["Authorization"], _return_http_data_only=True)
show(result[0].name)

### call_api_unknown_path
api_client = client()
show(attempt(api_client.call_api, "/no-such-operation", "POST", header_params={"Content-Type": "application/json"}, body={},
             response_types_map={200: "object"}, auth_settings=["Authorization"]))
