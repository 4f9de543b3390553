# Copying and pickling models (scripts cache results, hand them to worker processes).

### copy_model
import copy
from cloudtower.models import Vm
vm = Vm(name="a", cluster={"id": "c"})
clone = copy.copy(vm)
show(clone == vm, clone.name, clone.cluster)

### deepcopy_model
import copy
from cloudtower.models import Vm, NestedCluster
vm = Vm(name="a", cluster=NestedCluster(id="c"))
clone = copy.deepcopy(vm)
clone.cluster.id = "d"
show(vm.cluster.id, clone.cluster.id, clone == vm)

### copy_is_shallow
import copy
from cloudtower.models import Vm, NestedCluster
vm = Vm(name="a", cluster=NestedCluster(id="c"))
clone = copy.copy(vm)
clone.name = "b"
show(vm.name, clone.name, clone.cluster is vm.cluster)

### pickle_model
import pickle
from cloudtower.models import Vm, NestedCluster
vm = Vm(name="a", cluster=NestedCluster(id="c"), vm_disks=[])
back = pickle.loads(pickle.dumps(vm))
show(back == vm, back.cluster, type(back).__name__)

### pickle_decoded_list
import pickle
from cloudtower import VmApi
vms = VmApi(client()).get_vms({"first": 2})
back = pickle.loads(pickle.dumps(vms))
show(back == vms, type(back).__name__, [vm.name for vm in back])

### pickle_decoded_model_fields
import pickle
from cloudtower import VmApi
vm = VmApi(client()).get_vms({"where": {"name": "web-01"}})[0]
back = pickle.loads(pickle.dumps(vm))
show(back.cluster, back.vm_disks, back.cpu_usage, back.to_dict() == vm.to_dict())

### pickle_protocols
import pickle
from cloudtower.models import NestedCluster
show([pickle.loads(pickle.dumps(NestedCluster(id="c"), protocol)) == NestedCluster(id="c") for protocol in range(pickle.HIGHEST_PROTOCOL + 1)])

### deepcopy_decoded
import copy
from cloudtower import VmApi
vm = VmApi(client()).get_vms({"where": {"name": "web-01"}})[0]
clone = copy.deepcopy(vm)
show(clone == vm, clone.cluster.name, clone.vm_disks[0] == vm.vm_disks[0])

### deepcopy_decoded_list
import copy
from cloudtower import VmApi
vms = VmApi(client()).get_vms({"first": 2})
show(copy.deepcopy(vms) == vms)

### pickle_with_task
import pickle
from cloudtower import VmApi
api = VmApi(client())
vm = api.get_vms({"where": {"name": "web-01"}})[0]
result = api.update_vm({"where": {"id": vm.id}, "data": {"description": "x"}})
back = pickle.loads(pickle.dumps(result))
show(back[0].data.description, back == result)

### json_dumps_to_dict
import json
from cloudtower import VmApi
vm = VmApi(client()).get_vms({"where": {"name": "web-01"}})[0]
show(json.loads(json.dumps(vm.to_dict())) == vm.to_dict())

### json_dumps_model
import json
from cloudtower.models import NestedCluster
show(attempt(json.dumps, NestedCluster(id="c")))

### json_dumps_to_dict_serialize
import json
from cloudtower.models import GetVmsRequestBody, VmWhereInput
show(json.dumps(GetVmsRequestBody(where=VmWhereInput(name="a"), first=1).to_dict(serialize=True), sort_keys=True)[:60])

### pickle_model_subclass
import pickle
from cloudtower.models import NestedCluster
show(attempt(pickle.dumps, NestedCluster(id="c")) is not None)

### copy_configuration_in_model
import copy
from cloudtower.models import NestedCluster
cluster = NestedCluster(id="c")
show(copy.deepcopy(cluster).local_vars_configuration is not cluster.local_vars_configuration)

### pickle_enum_value
import pickle
from cloudtower.models import VmStatus
show(pickle.loads(pickle.dumps(VmStatus.RUNNING)))

### pickle_model_with_own_attribute
import pickle
from cloudtower.models import Vm
vm = Vm(name="a")
vm.note = "mine"
back = pickle.loads(pickle.dumps(vm))
show(back.name, getattr(back, "note", None))
