"""Import behaviour: `import cloudtower` stays cheap (checked in a fresh interpreter), names resolve
on first use, and every documented import path gives the same class."""
from __future__ import absolute_import

import io
import json
import os
import subprocess
import sys

import pytest

from cloudtower import VmApi

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_python(code):
    """Run `code` in a fresh interpreter (the project on its path) and return its JSON output."""
    env = dict(os.environ, PYTHONPATH=ROOT)
    process = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    out, err = process.communicate()
    assert process.returncode == 0, err.decode("utf-8", "replace")
    return json.loads(out.decode("utf-8"))


def test_import_cloudtower_loads_no_transport_and_no_model():
    loaded = run_python("import sys, json, cloudtower; print(json.dumps(sorted(sys.modules)))")
    assert "cloudtower" in loaded
    assert "urllib3" not in loaded
    assert not [name for name in loaded if name.startswith("cloudtower.models.")]
    assert "cloudtower.api_client" not in loaded


def test_importing_one_model_loads_only_what_it_needs():
    loaded = run_python("import sys, json\n"
                        "from cloudtower import Vm\n"
                        "print(json.dumps(sorted(sys.modules)))")
    models = [name for name in loaded if name.startswith("cloudtower.models.")]
    assert "cloudtower.models.vm" in models
    assert len(models) < 10, models
    assert "urllib3" not in loaded


def test_using_a_decoded_vm_in_a_fresh_interpreter():
    # Reading nested fields imports their classes on first use, without any prior import.
    result = run_python(
        "import json\n"
        "from cloudtower import ApiClient\n"
        "client = ApiClient()\n"
        "class Answer(object):\n"
        "    data = b'[{\"id\": \"v\", \"cluster\": {\"id\": \"c\", \"name\": \"n\"}}]'\n"
        "vm = client.deserialize(Answer(), 'list[Vm]')[0]\n"
        "print(json.dumps([type(vm).__module__, type(vm.cluster).__module__, vm.cluster.name]))\n")
    assert result == ["cloudtower.models.vm", "cloudtower.models.nested_cluster", "n"]


def test_root_names():
    from cloudtower import ApiClient, Configuration, Vm, VmApi
    import cloudtower
    import cloudtower.models.vm
    from cloudtower.api.vm_api import VmApi as VmApiFromModule
    from cloudtower.api_client import ApiClient as ApiClientFromModule
    from cloudtower.configuration import Configuration as ConfigurationFromModule
    assert cloudtower.models.vm.Vm is Vm is cloudtower.Vm
    assert cloudtower.models.Vm is Vm
    assert VmApiFromModule is VmApi is cloudtower.api.VmApi
    assert ApiClientFromModule is ApiClient
    assert ConfigurationFromModule is Configuration
    assert cloudtower.VmStatus is cloudtower.models.vm_status.VmStatus


@pytest.mark.parametrize("module, names", [
    ("cloudtower", ["ApiClient", "Configuration", "VmApi", "Vm", "VmStatus", "ApiException"]),
    ("cloudtower.models", ["Vm", "VmWhereInput", "VmStatus"]),
    ("cloudtower.api", ["VmApi", "TaskApi"]),
])
def test_star_import(module, names):
    # Scripts written `from cloudtower import *` for the reference package (whose __init__ imports
    # every name) must find the names: the lazy packages answer `__all__`.
    # dir() is read at module level: inside the generator it would list the generator's scope.
    found = run_python("from %s import *\nimport json\nhere = dir()\n"
                       "print(json.dumps(sorted(n for n in %r if n in here)))" % (module, names))
    assert found == sorted(names)


def test_utils_and_rest_modules():
    import cloudtower.rest
    import cloudtower.utils
    assert callable(cloudtower.utils.wait_tasks) and callable(cloudtower.utils.login)
    assert hasattr(cloudtower.rest, "RESTClientObject")


def test_an_unknown_name_is_an_attribute_error():
    import cloudtower
    try:
        cloudtower.NoSuchThing
    except AttributeError:
        pass
    else:
        raise AssertionError("cloudtower.NoSuchThing did not raise")


def test_a_pickled_vm_loads_in_a_fresh_interpreter(client, tmpdir):
    import pickle
    vm = VmApi(client).get_vms({"first": 1})[0]
    vm.cluster  # decoded: the pickle holds a NestedCluster
    path = str(tmpdir.join("vm.pickle"))
    with io.open(path, "wb") as handle:
        pickle.dump(vm, handle, 2)
    loaded = run_python(
        "import json, pickle, sys\n"
        "vm = pickle.load(open(%r, 'rb'))\n"
        "print(json.dumps([type(vm).__module__, vm.id, vm.cluster.name, type(vm.cluster).__name__,\n"
        "                  vm.vm_disks[0].id, 'urllib3' in sys.modules]))\n" % path)
    assert loaded == ["cloudtower.models.vm", vm.id, vm.cluster.name, "NestedCluster", vm.vm_disks[0].id,
                      False]
