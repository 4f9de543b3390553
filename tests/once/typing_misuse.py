"""Misuses of the API that mypy and pyright must both report, each on its own line.

Never run: tests/once/test_typing.py type-checks it. A line with an `E:` comment must get an
error from both checkers, and no other line may; a `reveal:` comment says what `reveal_type` shows.
"""
from cloudtower import ApiClient, GetVmsRequestBody, Vm, VmApi, VmStatus, VmWhereInput

vm_api = VmApi(ApiClient())
vms = vm_api.get_vms({"where": {"status": VmStatus.RUNNING, "cluster": {"name": "elf-prod"}}, "first": 10})
reveal_type(vms)  # reveal: List[Vm]
reveal_type(vms[0].name)  # reveal: str
reveal_type(vms[0].cluster)  # reveal: NestedCluster | None
reveal_type(vm_api.get_vms({"first": 1}, async_req=True))  # reveal: ApplyResult[List[Vm]]
reveal_type(vm_api.get_vms_with_http_info({"first": 1})[1])  # reveal: int
cluster = VmApi(ApiClient()).get_vms({"where": {"name": "db-01"}})[0].cluster
if cluster is not None:
    reveal_type(cluster.name)  # reveal: str
print(VmApi(ApiClient()).get_vms({"where": {"name": "db-01"}})[0].cluster.name)  # E: the cluster may be None
vm_api.get_vms(GetVmsRequestBody(where=VmWhereInput(name="db-01"), first=1))

vm_api.get_vms(VmWhereInput(name="db-01"))  # E: a wrong body type (a where input, not the request body)
vm_api.get_vms({"where": {"nmae": "db-01"}})  # E: an unknown (misspelled) dict key
vm_api.get_vms({"where": {"name": "db-01"}, "first": "10"})  # E: a wrong value type in a dict
print(vms[0].nmae)  # E: a misspelled attribute
vm_api.get_vms({"where": {"status": "RUNING"}})  # E: a wrong enum value
Vm(status="RUNING")  # E: a wrong enum value in a constructor
vm_api.get_vms()  # E: a missing required parameter
vm_api.get_vms({"first": 1}, timeout=3)  # E: an unknown keyword
Vm(nmae="db-01")  # E: an unknown keyword of a constructor
vm_api.create_vm([{"name": "web-1"}])  # E: a dict body without the keys the spec requires
vm_api.get_vms({"first": 1}, content_language="fr-FR")  # E: a header value outside its enum
