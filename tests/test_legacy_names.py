"""Names of older cloudtower-sdk releases (../shared/data/legacy-names.json): a method renamed on
its class (`VmApi.mig_rate_vm`), a method of an Api class that is gone (`DefaultApi`, `IscsiApi`),
and a renamed model (`InlineResponse200`) work as before and warn once, with a
`DeprecationWarning` that names the new spelling. Names without a successor stay removed."""
from __future__ import absolute_import

import importlib
import json
import os
import subprocess
import sys

import pytest

import cloudtower
from cloudtower import HostApi, IscsiConnectionApi, LogCollectionApi, VmApi, WithTaskLoginResponse, WithTaskVm

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LEGACY_NAMES = os.path.join(ROOT, "..", "shared", "data", "legacy-names.json")

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def run_script(tmpdir, code, *args):
    """Run `code` as the script `tmpdir/script.py` in a fresh Python (so that no warning was given
    yet); its last line of output, read as JSON."""
    script = tmpdir.join("script.py")
    script.write(code)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([ROOT] + sys.path))
    process = subprocess.Popen([sys.executable, str(script)] + list(args), stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, env=env)
    output = process.communicate()[0].decode("utf-8")
    assert process.returncode == 0, output
    return json.loads(output.strip().splitlines()[-1])


def test_a_renamed_method_calls_the_new_operation(demo, client, sent):
    vm_api = VmApi(client)
    vm = vm_api.get_vms({"where": {"status": "RUNNING"}, "first": 1})[0]
    hosts = HostApi(client).get_hosts({"where": {"cluster": {"id": vm.cluster.id}}})
    target = [host.id for host in hosts if host.id != vm.host.id][0]
    answer = vm_api.mig_rate_vm({"where": {"id": vm.id}, "data": {"host_id": target}})
    assert isinstance(answer[0], WithTaskVm) and answer[0].data.id == vm.id
    request = sent(demo)[-1]
    assert request.path == "/v2/api/migrate-vm"
    assert request.json == {"where": {"id": vm.id}, "data": {"host_id": target}}

    demo.advance_tasks()  # the migration ends
    data, status, _ = vm_api.force_shut_down_vm_with_http_info({"where": {"id": vm.id}})
    assert status == 200 and sent(demo)[-1].path == "/v2/api/poweroff-vm"


def test_a_renamed_method_keeps_the_signature_and_checks(demo, client, sent):
    import inspect
    if hasattr(inspect, "signature"):
        assert str(inspect.signature(VmApi.mig_rate_vm)) == "(self, vm_migrate_params, **kwargs)"
    assert VmApi.mig_rate_vm.operation is VmApi.migrate_vm.operation
    assert VmApi.mig_rate_vm.__name__ == "mig_rate_vm"
    assert "VmApi.migrate_vm" in VmApi.mig_rate_vm.__doc__
    with pytest.raises(cloudtower.ApiValueError):
        VmApi(client).mig_rate_vm(None)
    with pytest.raises(cloudtower.ApiTypeError):
        VmApi(client).mig_rate_vm({}, colour="red")
    assert sent(demo) == []


def test_old_api_classes_import_as_before_and_call_where_the_methods_went(demo, client, sent):
    from cloudtower import DefaultApi, IscsiApi
    from cloudtower.api import DefaultApi as from_api
    from cloudtower.api.default_api import DefaultApi as from_module
    from cloudtower.api.iscsi_api import IscsiApi as iscsi_from_module
    assert DefaultApi is from_api is from_module and IscsiApi is iscsi_from_module

    connections = IscsiApi(client).get_iscsi_connections_connection({})
    assert connections == IscsiConnectionApi(client).get_iscsi_connections_connection({})
    assert [request.path for request in sent(demo)] == ["/v2/api/get-iscsi-connections-connection"] * 2
    assert DefaultApi(client).delete_log_collection({"where": {"id_in": []}}) == []
    assert sent(demo)[-1].path == "/v2/api/delete-log-collection"
    assert DefaultApi.create_log_collection.operation is LogCollectionApi.create_log_collection.operation


def test_old_model_names_are_the_new_classes_on_every_import_path():
    from cloudtower import InlineResponse200
    from cloudtower.models import InlineResponse200 as from_models
    from_module = importlib.import_module("cloudtower.models.inline_response200").InlineResponse200
    assert InlineResponse200 is from_models is from_module is WithTaskVm
    assert importlib.import_module("cloudtower.models.with_task_token_string").WithTaskTokenString \
        is WithTaskLoginResponse
    old = InlineResponse200(task_id="t-1")
    assert old.to_dict()["task_id"] == "t-1"
    assert old == WithTaskVm(task_id="t-1")


def test_old_names_are_not_listed():
    assert "InlineResponse200" not in cloudtower.models.__all__
    assert "InlineResponse200" not in cloudtower.__all__
    assert "inline_response200" not in [name for _, name, _ in
                                        __import__("pkgutil").iter_modules(cloudtower.models.__path__)]


def test_each_old_name_warns_once_naming_the_new_spelling(demo, token, tmpdir):
    warned = run_script(tmpdir, """
import json, sys, warnings
from cloudtower import Configuration, ApiClient, VmApi
configuration = Configuration(host=sys.argv[1])
configuration.api_key["Authorization"] = sys.argv[2]
client = ApiClient(configuration)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    for _ in range(2):
        VmApi(client).force_shut_down_vm({"where": {"id_in": []}})
        VmApi(client).force_shut_down_vm_with_http_info({"where": {"id_in": []}})
        from cloudtower import DefaultApi
        DefaultApi(client).delete_log_collection({"where": {"id_in": []}})
        from cloudtower import InlineResponse200
        from cloudtower.models.with_task_token_string import WithTaskTokenString
        import cloudtower.models
        cloudtower.models.WithTaskTokenStringData
client.close()
print(json.dumps([[str(w.message), w.category.__name__, w.filename] for w in caught
                  if "is deprecated: use" in str(w.message)]))
""", demo.url, token)
    script = str(tmpdir.join("script.py"))  # each warning points at the caller's line
    assert warned == [[message, "DeprecationWarning", script] for message in [
        "VmApi.force_shut_down_vm is deprecated: use VmApi.poweroff_vm",
        "VmApi.force_shut_down_vm_with_http_info is deprecated: use VmApi.poweroff_vm_with_http_info",
        "DefaultApi.delete_log_collection is deprecated: use LogCollectionApi.delete_log_collection",
        "InlineResponse200 is deprecated: use WithTaskVm",
        "WithTaskTokenString is deprecated: use WithTaskLoginResponse",
        "WithTaskTokenStringData is deprecated: use LoginResponse",
    ]]


def test_star_import_gives_no_old_name_and_no_warning(tmpdir):
    assert run_script(tmpdir, """
import json, warnings
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    from cloudtower import *
print(json.dumps([str(w.message) for w in caught if "is deprecated: use" in str(w.message)]
                 + ["DefaultApi" in dir(), "InlineResponse200" in dir()]))
""") == [True, False]


@pytest.mark.parametrize("module, name", [
    ("cloudtower", "BackupLicenseApi"),
    ("cloudtower.api", "MigrateTransmitterApi"),
    ("cloudtower", "MaybeDiskType"),
    ("cloudtower.models", "NestedUploadTask"),
])
def test_names_without_a_successor_stay_removed(module, name):
    with pytest.raises(AttributeError):
        getattr(importlib.import_module(module), name)
    assert not hasattr(VmApi, "get_backup_licenses")


@pytest.mark.parametrize("module", ["cloudtower.api.backup_license_api", "cloudtower.models.nested_upload_task"])
def test_modules_without_a_successor_stay_removed(module):
    with pytest.raises(ImportError):
        importlib.import_module(module)


@pytest.mark.skipif(not os.path.exists(LEGACY_NAMES), reason="legacy-names.json is not beside the project")
def test_every_listed_successor_has_its_alias():
    with open(LEGACY_NAMES) as handle:
        legacy = json.load(handle)
    aliases = 0
    for entry in legacy["methods"]:
        old_class = getattr(cloudtower.api, entry["api"], None)
        if entry["new"] is None:
            assert old_class is None or not hasattr(old_class, entry["old"]), entry
            continue
        new_method = getattr(getattr(cloudtower.api, entry["new_api"]), entry["new"])
        for suffix in ("", "_with_http_info"):
            alias = getattr(old_class, entry["old"] + suffix)
            assert alias.operation is new_method.operation, entry
        aliases += 1
    for entry in legacy["models"]:
        if entry["new"] is None:  # not an alias; a class of that name only if the spec has one
            assert entry["old"] not in cloudtower.models.RENAMED, entry
            assert hasattr(cloudtower.models, entry["old"]) == (entry["old"] in cloudtower.models.MODELS)
            continue
        assert getattr(cloudtower.models, entry["old"]) is getattr(cloudtower.models, entry["new"])
        aliases += 1
    assert aliases == 20
