# Errors as scripts catch them: HTTP errors from the server, faults on the way, what the client
# refuses before sending (issue 7, items 4, 5 and 7).

### status_400_resource_locked
from cloudtower import VmApi
api_client = client()
vm_task(api_client)  # holds web-01 until the task ends
show(attempt(VmApi(api_client).update_vm, {"where": {"name": "web-01"}, "data": {"description": "second"}}))

### status_400_fields
from cloudtower import VmApi, ApiException
api_client = client()
vm_task(api_client)
try:
    VmApi(api_client).update_vm({"where": {"name": "web-01"}, "data": {"description": "second"}})
except ApiException as error:
    show(error.status, error.reason, type(error.body).__name__, type(error.headers).__name__)

### status_500_mutation
from cloudtower import VmApi
api = VmApi(client())
vm = api.get_vms({"where": {"name": "web-01"}})[0]
sim("fault", kind="status", operation="/update-vm-basic-info", status=500, count=1)
show(attempt(api.update_vm, {"where": {"id": vm.id}, "data": {"description": "x"}}))

### status_503_once_query
from cloudtower import VmApi
sim("fault", kind="status", operation="/get-vms", status=503, count=1)
show(attempt(VmApi(client()).get_vms, {"first": 1}))

### status_503_always_query
from cloudtower import VmApi
sim("fault", kind="status", operation="/get-vms", status=503)
show(attempt(VmApi(client(retries=False)).get_vms, {"first": 1}))

### status_503_mutation
from cloudtower import VmApi
api = VmApi(client())
vm = api.get_vms({"where": {"name": "web-01"}})[0]
sim("fault", kind="status", operation="/update-vm-basic-info", status=503, count=1)
show(attempt(api.update_vm, {"where": {"id": vm.id}, "data": {"description": "x"}}))

### status_429_retry_after
from cloudtower import VmApi
sim("fault", kind="status", operation="/get-vms", status=429, count=1, retry_after=0)
show(attempt(VmApi(client()).get_vms, {"first": 1}))

### status_502_with_http_info
from cloudtower import VmApi
sim("fault", kind="status", operation="/get-vms", status=502, count=1)
show(attempt(VmApi(client()).get_vms_with_http_info, {"first": 1}))

### error_str
from cloudtower import VmApi
sim("fault", kind="status", operation="/get-vms", status=404, count=1, message="gone")
try:
    VmApi(client()).get_vms({"first": 1})
except Exception as error:
    print(str(error))

### error_body_json
import json
from cloudtower import VmApi, ApiException
sim("fault", kind="status", operation="/get-vms", status=404, count=1, message="gone")
try:
    VmApi(client()).get_vms({"first": 1})
except ApiException as error:
    show(json.loads(error.body))

### error_headers_lookup
from cloudtower import VmApi, ApiException
sim("fault", kind="status", operation="/get-vms", status=404, count=1)
try:
    VmApi(client()).get_vms({"first": 1})
except ApiException as error:
    show(error.headers["content-type"], error.headers.get("x-tower-request-id"))

### error_args
from cloudtower import VmApi, ApiException
sim("fault", kind="status", operation="/get-vms", status=404, count=1)
try:
    VmApi(client()).get_vms({"first": 1})
except ApiException as error:
    show(error.args)

### error_status_client_side
from cloudtower import VmApi, ApiException
show(catching(lambda: VmApi(client()).get_vms({"wher": 1}), ApiException))

### error_typo_caught_as_api_exception
from cloudtower import VmApi, ApiException
show(catching(lambda: VmApi(client()).get_vms({"where": {"nmae": "x"}}), ApiException, TypeError, ValueError))

### error_wrong_type_caught
from cloudtower import VmApi, ApiException
show(catching(lambda: VmApi(client()).get_vms({"first": "two"}), ApiException))

### error_enum_caught
from cloudtower import VmApi, ApiException
show(catching(lambda: VmApi(client()).get_vms({"where": {"status": "SLEEPING"}}), ApiException))

### error_language_caught
from cloudtower import VmApi, ApiException
show(catching(lambda: VmApi(client()).get_vms({"first": 1}, content_language="fr-FR"), ApiException))

### error_missing_field_caught
from cloudtower import VmApi, ApiException
show(catching(lambda: VmApi(client()).update_vm({"data": {"description": "x"}}), ApiException))

### error_other_model_class_sent
from cloudtower import VmApi
api = VmApi(client())
vm = api.get_vms({"where": {"name": "web-01"}})[0]
show([v.name for v in api.get_vms({"where": {"cluster": vm.cluster}, "orderBy": "name_ASC", "first": 2})])

### error_nested_host_as_where
from cloudtower import VmApi, HostApi
api_client = client()
host = HostApi(api_client).get_hosts({"first": 1, "orderBy": "name_ASC"})[0]
from cloudtower.models import NestedHost
show(len(VmApi(api_client).get_vms({"where": {"host": NestedHost(id=host.id, name=host.name)}})) >= 0)

### error_model_list_as_where_in
from cloudtower import VmApi
api = VmApi(client())
vms = api.get_vms({"first": 2, "orderBy": "name_ASC"})
show(attempt(lambda: len(api.get_vms({"where": {"id_in": [vm.id for vm in vms]}}))))

### drop_connection_query
from cloudtower import VmApi
sim("fault", kind="drop", operation="/get-vms", count=1)
show(attempt(VmApi(client()).get_vms, {"first": 1}))

### drop_connection_always
from cloudtower import VmApi
sim("fault", kind="drop", operation="/get-vms")
show(attempt(VmApi(client(retries=False)).get_vms, {"first": 1}))

### drop_connection_caught_as_urllib3
import urllib3
from cloudtower import VmApi
sim("fault", kind="drop", operation="/get-vms")
show(catching(lambda: VmApi(client(retries=False)).get_vms({"first": 1}), urllib3.exceptions.HTTPError))

### malformed_answer
from cloudtower import VmApi
sim("fault", kind="malformed", operation="/get-vms", count=1)
show(attempt(VmApi(client()).get_vms, {"first": 1}))

### malformed_answer_object
from cloudtower import VmApi
sim("fault", kind="malformed", operation="/get-vms-connection", count=1)
show(attempt(VmApi(client()).get_vms_connection, {}))

### connection_refused
from cloudtower import ApiClient, Configuration, VmApi
configuration = Configuration(host=closed_url())
configuration.retries = False
show(attempt(VmApi(ApiClient(configuration)).get_vms, {"first": 1}))

### connection_refused_with_retries
from cloudtower import ApiClient, Configuration, VmApi
show(attempt(VmApi(ApiClient(Configuration(host=closed_url()))).get_vms, {"first": 1}))

### connection_refused_caught_as_urllib3
import urllib3
from cloudtower import ApiClient, Configuration, VmApi
api = VmApi(ApiClient(Configuration(host=closed_url())))
show(catching(lambda: api.get_vms({"first": 1}), urllib3.exceptions.MaxRetryError))

### connection_refused_caught_as_new_connection_error
import urllib3
from cloudtower import ApiClient, Configuration, VmApi
configuration = Configuration(host=closed_url())
configuration.retries = False
api = VmApi(ApiClient(configuration))
show(catching(lambda: api.get_vms({"first": 1}), urllib3.exceptions.NewConnectionError))

### read_timeout_caught_as_urllib3
import urllib3
from cloudtower import VmApi
sim("fault", kind="latency", operation="/get-vms", latency=3, count=1)
api = VmApi(client())
show(catching(lambda: api.get_vms({"first": 1}, _request_timeout=0.3), urllib3.exceptions.ReadTimeoutError,
              urllib3.exceptions.HTTPError))

### bad_host_name
from cloudtower import ApiClient, Configuration, VmApi
configuration = Configuration(host="http://no-such-host.invalid/v2/api")
configuration.retries = False
show(attempt(VmApi(ApiClient(configuration)).get_vms, {"first": 1}))

### request_body_bytes_error
from cloudtower import ApiClient
api_client = client()
sim("fault", kind="status", operation="/get-vms", status=404, count=1)
show(attempt(api_client.request, "POST", url + "/get-vms", headers={"Content-Type": "application/json", "Authorization": token}, body={"first": 1}))

### request_error_body_type
from cloudtower import ApiException
api_client = client()
sim("fault", kind="status", operation="/get-vms", status=404, count=1)
try:
    api_client.request("POST", url + "/get-vms", headers={"Content-Type": "application/json"}, body={})
except ApiException as error:
    show(type(error.body).__name__, error.status)

### call_api_error_body_type
from cloudtower import VmApi, ApiException
sim("fault", kind="status", operation="/get-vms", status=404, count=1)
try:
    VmApi(client()).get_vms({"first": 1})
except ApiException as error:
    show(type(error.body).__name__, error.status)

### rest_client_error_body_type
from cloudtower import ApiException
api_client = client()
sim("fault", kind="status", operation="/get-vms", status=404, count=1)
try:
    api_client.rest_client.POST(url + "/get-vms", headers={"Content-Type": "application/json"}, body={})
except ApiException as error:
    show(type(error.body).__name__, error.status)

### wait_for_unlock_then_retry
from cloudtower import VmApi, ApiException
api_client = client()
vm_task(api_client)
second = {"where": {"name": "web-01"}, "data": {"description": "second"}}
show(catching(lambda: VmApi(api_client).update_vm(second), ApiException))
sim("advance")
show(VmApi(api_client).update_vm(second)[0].data.description)

### not_found_operation_via_request
api_client = client()
show(attempt(api_client.request, "POST", url + "/no-such", headers={"Content-Type": "application/json"}, body={}))

### task_failure_fault
from cloudtower import TaskApi
api_client = client()
task_id = vm_task(api_client, fails=True)
sim("advance")
task = TaskApi(api_client).get_tasks({"where": {"id": task_id}})[0]
show(task.status, task.error_message)

### connection_refused_caught_as_api_exception
import urllib3
from cloudtower import ApiClient, ApiException, Configuration, VmApi
api = VmApi(ApiClient(Configuration(host=closed_url())))
show(catching(lambda: api.get_vms({"first": 1}), ApiException, urllib3.exceptions.MaxRetryError))

