# cloudtower.utils: login, waiting for tasks, the SVT image version.

### wait_task_success
from cloudtower.utils import wait_task
api_client = client()
task_id = vm_task(api_client)
sim("advance")
show(attempt(wait_task, task_id, api_client, interval=0.05, timeout=30) is None)

### wait_task_failure
from cloudtower.utils import wait_task
api_client = client()
task_id = vm_task(api_client, fails=True)
sim("advance")
show(attempt(wait_task, task_id, api_client, interval=0.05, timeout=30))

### wait_task_failure_message
from cloudtower import ApiException
from cloudtower.utils import wait_task
api_client = client()
task_id = vm_task(api_client, fails=True)
sim("advance")
try:
    wait_task(task_id, api_client, interval=0.05, timeout=30)
except ApiException as error:
    show(error.status, "disk full" in error.reason, task_id in error.reason)

### wait_task_timeout
from cloudtower.utils import wait_task
api_client = client()
show(attempt(wait_task, vm_task(api_client), api_client, interval=0.05, timeout=0.2))

### wait_task_unknown_id
from cloudtower.utils import wait_task
show(attempt(wait_task, "no-such-task", client(), interval=0.05, timeout=0.2))

### wait_tasks_success
from cloudtower import VmApi
from cloudtower.utils import wait_tasks
api_client = client()
api = VmApi(api_client)
vms = api.get_vms({"where": {"status": "RUNNING"}, "first": 2})
ids = [item.task_id for item in api.update_vm({"where": {"id_in": [vm.id for vm in vms]}, "data": {"description": "x"}})]
sim("advance")
result = attempt(wait_tasks, list(ids), api_client, interval=0.05, timeout=30)
show(len(ids), result is None or isinstance(result, list))

### wait_tasks_failure
from cloudtower.utils import wait_tasks
api_client = client()
ids = [vm_task(api_client, fails=True)]
sim("advance")
show(attempt(wait_tasks, ids, api_client, interval=0.05, timeout=30))

### wait_tasks_failure_reason
from cloudtower import ApiException
from cloudtower.utils import wait_tasks
api_client = client()
ids = [vm_task(api_client, fails=True)]
sim("advance")
try:
    wait_tasks(list(ids), api_client, interval=0.05, timeout=30)
except ApiException as error:
    show(error.status, error.reason.startswith("Tasks failed:"), "disk full" in error.reason)

### wait_tasks_exit_on_error
from cloudtower.utils import wait_tasks
api_client = client()
ids = [vm_task(api_client, fails=True)]
sim("advance")
show(attempt(wait_tasks, ids, api_client, interval=0.05, timeout=30, exit_on_error=True))

### wait_tasks_timeout
from cloudtower.utils import wait_tasks
api_client = client()
show(attempt(wait_tasks, [vm_task(api_client)], api_client, interval=0.05, timeout=0.2))

### wait_tasks_empty
from cloudtower.utils import wait_tasks
show(wait_tasks([], client(), interval=0.05, timeout=1))

### wait_tasks_list_emptied
from cloudtower.utils import wait_tasks
api_client = client()
ids = [vm_task(api_client)]
sim("advance")
wait_tasks(ids, api_client, interval=0.05, timeout=30)
show(ids)

### wait_task_returns
from cloudtower.utils import wait_task
api_client = client()
task_id = vm_task(api_client)
sim("advance")
show(wait_task(task_id, api_client, interval=0.05, timeout=30))

### wait_tasks_returns
from cloudtower.utils import wait_tasks
api_client = client()
task_id = vm_task(api_client)
sim("advance")
show(wait_tasks([task_id], api_client, interval=0.05, timeout=30))

### login_sets_token
from cloudtower import ApiClient, Configuration
from cloudtower.utils import login
api_client = ApiClient(Configuration(host=url))
result = login(api_client, "root", "root")
show(result, sorted(api_client.configuration.api_key), len(api_client.configuration.api_key["Authorization"]))

### login_ldap_without_strategy
from cloudtower import ApiClient, Configuration
from cloudtower.utils import login
api_client = ApiClient(Configuration(host=url))
show(attempt(login, api_client, "nobody", "x", source="LDAP"))

### login_source_enum
from cloudtower import ApiClient, Configuration
from cloudtower.models import UserSource
from cloudtower.utils import login
api_client = ApiClient(Configuration(host=url))
login(api_client, "root", "root", source=UserSource.LOCAL)
show("Authorization" in api_client.configuration.api_key)

### login_then_query
from cloudtower import ApiClient, Configuration, VmApi
from cloudtower.utils import login
api_client = ApiClient(Configuration(host=url))
login(api_client, "root", "root")
show(len(VmApi(api_client).get_vms({"first": 2})))

### login_unknown_user
from cloudtower import ApiClient, Configuration
from cloudtower.utils import login
show(attempt(login, ApiClient(Configuration(host=url)), "nobody", "x"))

### svt_image_version_missing
import os
from cloudtower.utils import get_svt_image_version
show(attempt(get_svt_image_version, os.path.join(tmp, "missing.iso")))

### utils_names
from cloudtower import utils
show([hasattr(utils, name) for name in ("wait_task", "wait_tasks", "login", "get_svt_image_version")])
