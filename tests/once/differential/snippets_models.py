# Models as scripts use them: constructors, attributes, to_dict/to_str/repr, equality (issue 7,
# items 1 and 2). Each block from `### name` to the next is one snippet; see runner.py for the
# helpers (show, attempt, client, sim, FakeResponse, url, tmp).

### constructor_keywords
from cloudtower.models import Vm
vm = Vm(id="vm-1", name="web", vcpu=2, memory=1024)
show(vm.id, vm.name, vm.vcpu, vm.memory, vm.status, vm.cluster)

### constructor_no_arguments
from cloudtower.models import Vm
vm = Vm()
show(vm.name, vm.vm_disks, vm.to_dict() == Vm().to_dict())

### constructor_unknown_keyword_ignored
from cloudtower.models import Vm
vm = Vm(name="a", foo=1)
show(vm.name, hasattr(vm, "foo"))

### constructor_json_key_ignored
from cloudtower.models import Vm
vm = Vm(name="a", entityAsyncStatus="CREATING")
show(vm.name, vm.entity_async_status)

### constructor_unknown_keyword_to_dict
from cloudtower.models import NestedCluster
show(NestedCluster(id="c", name="n", bogus=True).to_dict())

### constructor_local_vars_configuration
from cloudtower import Configuration
from cloudtower.models import Vm
configuration = Configuration()
configuration.client_side_validation = False
vm = Vm(name="a", local_vars_configuration=configuration)
show(vm.name, vm.local_vars_configuration is configuration)

### local_vars_configuration_default
from cloudtower import Configuration
from cloudtower.models import Vm
vm = Vm(name="a")
show(isinstance(vm.local_vars_configuration, Configuration), vm.local_vars_configuration.client_side_validation)

### discriminator_is_none
from cloudtower.models import Vm, NestedCluster
show(Vm().discriminator, NestedCluster(id="c").discriminator)

### set_own_attribute
from cloudtower.models import Vm
vm = Vm(name="a")
vm.note = "x"
show(vm.note, vm.name)

### own_attribute_not_in_to_dict
from cloudtower.models import Vm
vm = Vm(name="a")
vm.note = "x"
show("note" in vm.to_dict(), sorted(k for k, v in vm.to_dict().items() if v is not None))

### subclass_sets_custom_attribute
from cloudtower.models import Vm
class MyVm(Vm):
    def __init__(self, **kwargs):
        super(MyVm, self).__init__(**kwargs)
        self.custom = "mine"
vm = MyVm(name="a")
show(vm.custom, vm.name, isinstance(vm, Vm))

### subclass_equals_base
from cloudtower.models import Vm
class MyVm(Vm):
    pass
show(MyVm(name="a") == Vm(name="a"), Vm(name="a") == MyVm(name="a"), MyVm(name="a") != Vm(name="a"))

### subclass_with_method
from cloudtower.models import NestedCluster
class Cluster(NestedCluster):
    def label(self):
        return "%s (%s)" % (self.name, self.id)
show(Cluster(id="c1", name="prod").label(), Cluster(id="c1", name="prod").to_dict())

### private_attribute_read
from cloudtower.models import Vm
vm = Vm(name="a", entity_async_status="CREATING")
show(vm._entity_async_status, vm._name, vm._id)

### private_attribute_write
from cloudtower.models import Vm
vm = Vm(name="a")
vm._name = "b"
show(vm.name, vm._name, vm.to_dict()["name"])

### private_attribute_of_decoded_model
from cloudtower import ApiClient
vm = ApiClient().deserialize(FakeResponse('{"id": "v", "name": "n", "entityAsyncStatus": "UPDATING"}'), "Vm")
show(vm._entity_async_status, vm._name)

### private_attribute_nested
from cloudtower.models import Vm
vm = Vm(cluster={"id": "c"})
show(vm._cluster)

### dict_field_stays_dict
from cloudtower.models import Vm
vm = Vm(cluster={"id": "c"})
show(vm.cluster["id"], type(vm.cluster).__name__)

### dict_field_list_of_dicts
from cloudtower.models import Vm
vm = Vm(vm_disks=[{"id": "d1"}, {"id": "d2"}])
show(vm.vm_disks[0]["id"], type(vm.vm_disks[1]).__name__)

### dict_where_to_dict
from cloudtower.models import GetVmsRequestBody
show(GetVmsRequestBody(where={"name": "x"}).to_dict())

### dict_where_attribute
from cloudtower.models import GetVmsRequestBody
body = GetVmsRequestBody(where={"name": "x"}, first=3)
show(body.where, body.first, type(body.where).__name__)

### dict_field_sent
from cloudtower import VmApi
from cloudtower.models import GetVmsRequestBody
body = GetVmsRequestBody(where={"name": "web-01"}, first=1)
show([vm.name for vm in VmApi(client()).get_vms(body)])

### model_field_sent
from cloudtower import VmApi
from cloudtower.models import GetVmsRequestBody, VmWhereInput
body = GetVmsRequestBody(where=VmWhereInput(name="web-01"), first=1)
show([vm.name for vm in VmApi(client()).get_vms(body)])

### assign_wrong_type_kept
from cloudtower.models import Vm
vm = Vm()
vm.vcpu = "four"
show(vm.vcpu)

### assign_none_to_required
from cloudtower.models import NestedCluster
show(attempt(NestedCluster, id=None))

### assign_none_to_required_setter
from cloudtower.models import NestedCluster
cluster = NestedCluster(id="c")
def clear():
    cluster.id = None
show(attempt(clear), cluster.id)

### assign_none_without_validation
from cloudtower import Configuration
from cloudtower.models import NestedCluster
configuration = Configuration()
configuration.client_side_validation = False
show(NestedCluster(id=None, local_vars_configuration=configuration).id)

### assign_none_optional
from cloudtower.models import Vm
vm = Vm(description=None)
show(vm.description, "description" in vm.to_dict())

### to_dict_attribute_names
from cloudtower.models import Vm
d = Vm(name="a", entity_async_status="CREATING", vcpu=2).to_dict()
show(d["entity_async_status"], d["name"], d["vcpu"], d["memory"], len(d))

### to_dict_serialize_json_keys
from cloudtower.models import Vm
d = Vm(name="a", entity_async_status="CREATING").to_dict(serialize=True)
show(d.get("entityAsyncStatus"), d.get("entity_async_status"), d["name"])

### to_dict_serialize_nested
from cloudtower.models import GetVmsRequestBody, VmWhereInput
d = GetVmsRequestBody(where=VmWhereInput(entity_async_status="CREATING"), order_by="name_ASC").to_dict(serialize=True)
show(d["orderBy"], d["where"]["entityAsyncStatus"])

### to_dict_nested_models
from cloudtower.models import Vm, NestedCluster, NestedVmDisk
d = Vm(cluster=NestedCluster(id="c", name="n"), vm_disks=[NestedVmDisk(id="d")]).to_dict()
show(d["cluster"], d["vm_disks"])

### to_dict_keys_all_fields
from cloudtower.models import NestedCluster, VmWhereInput
show(sorted(NestedCluster().to_dict()), len(VmWhereInput().to_dict()))

### to_dict_where_and_or
from cloudtower.models import VmWhereInput
d = VmWhereInput(_and=[VmWhereInput(name="a")], _or=[VmWhereInput(name="b")]).to_dict()
show(d["_and"], d["_or"], d["_not"])

### to_dict_serialize_and_or
from cloudtower.models import VmWhereInput
d = VmWhereInput(_and=[VmWhereInput(name="a")]).to_dict(serialize=True)
show(d["AND"][0]["name"], "_and" in d)

### to_str_small
from cloudtower.models import NestedCluster
show(NestedCluster(id="c", name="n").to_str())

### repr_small
from cloudtower.models import NestedCluster
show(repr(NestedCluster(id="c", name="n")))

### str_small
from cloudtower.models import NestedCpu
show(str(NestedCpu(cores=2, sockets=1)))

### print_model
from cloudtower.models import NestedLabel
print(NestedLabel(id="l", key="env", value="prod"))

### equality_same_fields
from cloudtower.models import NestedCluster
show(NestedCluster(id="c") == NestedCluster(id="c"), NestedCluster(id="c") == NestedCluster(id="d"))

### equality_other_class
from cloudtower.models import NestedCluster, NestedHost
show(NestedCluster(id="c") == NestedHost(id="c"), NestedCluster(id="c") != NestedHost(id="c"))

### equality_with_dict
from cloudtower.models import NestedCluster
show(NestedCluster(id="c", name="n") == {"id": "c", "name": "n"}, NestedCluster(id="c") != {"id": "c"})

### equality_with_none
from cloudtower.models import NestedCluster
show(NestedCluster(id="c") == None, NestedCluster(id="c") != None)  # noqa: E711

### equality_decoded_vs_built
from cloudtower import ApiClient
from cloudtower.models import NestedCluster
decoded = ApiClient().deserialize(FakeResponse('{"id": "c", "name": "n"}'), "NestedCluster")
show(decoded == NestedCluster(id="c", name="n"))

### equality_extra_server_field
from cloudtower import ApiClient
from cloudtower.models import NestedCluster
decoded = ApiClient().deserialize(FakeResponse('{"id": "c", "name": "n", "newField": 1}'), "NestedCluster")
show(decoded == NestedCluster(id="c", name="n"), decoded.to_dict())

### extra_server_field_to_dict
from cloudtower import ApiClient
vm = ApiClient().deserialize(FakeResponse('{"id": "v", "name": "n", "futureField": {"a": 1}}'), "Vm")
show("futureField" in vm.to_dict(), "future_field" in vm.to_dict(), vm.name)

### hashable
from cloudtower.models import NestedCluster
show(attempt(hash, NestedCluster(id="c")))

### in_list
from cloudtower.models import NestedCluster
show(NestedCluster(id="c") in [NestedCluster(id="d"), NestedCluster(id="c")])

### sort_by_attribute
from cloudtower.models import NestedCluster
clusters = [NestedCluster(id="b"), NestedCluster(id="a")]
show([c.id for c in sorted(clusters, key=lambda c: c.id)])

### getattr_unknown
from cloudtower.models import Vm
show(attempt(getattr, Vm(), "no_such_field"), getattr(Vm(), "no_such_field", "default"))

### hasattr_fields
from cloudtower.models import Vm
show(hasattr(Vm(), "name"), hasattr(Vm(), "entity_async_status"), hasattr(Vm(), "entityAsyncStatus"))

### setattr_json_key
from cloudtower.models import Vm
vm = Vm()
show(attempt(setattr, vm, "entityAsyncStatus", "CREATING"), vm.entity_async_status)

### openapi_types_and_attribute_map
from cloudtower.models import Vm
show(Vm.openapi_types["cluster"], Vm.openapi_types["vm_disks"], Vm.attribute_map["entity_async_status"],
     len(Vm.openapi_types), len(Vm.attribute_map))

### openapi_types_where_input
from cloudtower.models import VmWhereInput
show(VmWhereInput.openapi_types["_and"], VmWhereInput.attribute_map["_and"], VmWhereInput.openapi_types["cluster"])

### openapi_types_instance
from cloudtower.models import NestedCluster
show(NestedCluster().openapi_types, NestedCluster().attribute_map)

### openapi_types_request_body
from cloudtower.models import GetVmsRequestBody
show(sorted(GetVmsRequestBody.openapi_types.items()))

### attribute_names_iterable
from cloudtower.models import NestedCpu
cpu = NestedCpu(cores=4, sockets=2)
show([(name, getattr(cpu, name)) for name in sorted(cpu.openapi_types)])

### from_json_style_constructor
from cloudtower.models import NestedCluster
data = {"id": "c", "name": "n"}
show(NestedCluster(**data).to_dict())

### constructor_with_nested_model
from cloudtower.models import Vm, NestedCluster
vm = Vm(cluster=NestedCluster(id="c"))
show(vm.cluster.id, type(vm.cluster).__name__)

### constructor_positional
from cloudtower.models import NestedCluster
show(attempt(NestedCluster, "c", "n"))

### model_bool
from cloudtower.models import NestedCluster
show(bool(NestedCluster()), bool(NestedCluster(id="c")))

### model_len
from cloudtower.models import NestedCluster
show(attempt(len, NestedCluster(id="c")))

### model_iter
from cloudtower.models import NestedCluster
show(attempt(list, NestedCluster(id="c")))

### model_getitem
from cloudtower.models import NestedCluster
show(attempt(lambda: NestedCluster(id="c")["id"]))

### to_dict_list_of_dicts_field
from cloudtower.models import Vm
show(Vm(vm_disks=[{"id": "d"}]).to_dict()["vm_disks"])

### to_dict_dict_of_models
from cloudtower.models import Vm, NestedCluster
vm = Vm()
vm.cluster = {"inner": NestedCluster(id="c")}
show(vm.to_dict()["cluster"])

### to_dict_serialize_list
from cloudtower.models import GetVmsRequestBody, VmWhereInput
body = GetVmsRequestBody(where=VmWhereInput(_or=[VmWhereInput(entity_async_status="CREATING")]))
show(body.to_dict(serialize=True)["where"]["OR"])

### model_class_module
from cloudtower.models import Vm
from cloudtower.models.vm import Vm as VmFromModule
show(Vm is VmFromModule, Vm.__name__, Vm.__module__)

### model_docstring_exists
from cloudtower.models import Vm
show(isinstance(Vm.__doc__, str))

### vars_has_no_private_dunder
from cloudtower.models import NestedCluster
show(isinstance(vars(NestedCluster(id="c")), dict))

### with_task_model
from cloudtower.models import WithTaskVm, Vm
item = WithTaskVm(task_id="t", data=Vm(id="v"))
show(item.task_id, item.data.id, item.to_dict())

### nested_dict_to_dict_serialize
from cloudtower.models import Vm
show(Vm(cluster={"id": "c"}).to_dict(serialize=True)["cluster"])

### isinstance_object
from cloudtower.models import Vm
show(isinstance(Vm(), object), issubclass(Vm, object))

### constructor_unknown_keyword_warns
import warnings
from cloudtower.models import Vm
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    Vm(name="a", foo=1)
show(len(caught), any("foo" in str(w.message) for w in caught))

### dict_field_checked_when_sent
from cloudtower import VmApi
from cloudtower.models import GetVmsRequestBody
show(attempt(VmApi(client()).get_vms, GetVmsRequestBody(where={"nmae": "web-01"})))

### extra_server_field_reachable
from cloudtower import ApiClient
vm = ApiClient().deserialize(FakeResponse('{"id": "v", "futureField": {"a": 1}}'), "Vm")
show(getattr(vm, "futureField", "absent"), vm.id)
