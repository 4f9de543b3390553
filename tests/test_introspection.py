"""help(), pydoc and inspect on the lazily built package: they list what is there without
building every class, show each field's type, and find the source of models and Api classes."""
from __future__ import absolute_import

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_python(*args):
    process = subprocess.Popen([sys.executable] + list(args), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               env=dict(os.environ, PYTHONPATH=ROOT), cwd=ROOT)
    output = process.communicate()[0].decode("utf-8", "replace")
    assert process.returncode == 0, output
    return output


def test_pydoc_of_the_package_lists_the_names_without_importing_a_model():
    output = run_python("-c", """
import sys, pydoc, cloudtower
text = pydoc.render_doc(cloudtower) + pydoc.render_doc(cloudtower.models)
loaded = sorted(name for name in sys.modules if name.startswith(("cloudtower.models.", "cloudtower.api.")))
for name in ("ApiClient", "VmApi", "Vm", "VmWhereInput", "VmStatus", "NestedCluster"):
    assert name in text, name
assert loaded == [], loaded
print(len(text.splitlines()))
""")
    assert int(output.split()[-1]) < 10000  # it was 203,000 lines when every class was built


def test_python_m_pydoc_runs():
    output = run_python("-m", "pydoc", "cloudtower")
    assert "VmApi" in output and "cloudtower.models" in output


def test_help_of_a_model_shows_each_field_with_its_type():
    output = run_python("-c", "import pydoc\nfrom cloudtower import Vm\nprint(pydoc.render_doc(Vm))")
    assert "cluster: NestedCluster (nullable)" in output
    assert "entity_async_status: EntityAsyncStatus (nullable, JSON entityAsyncStatus)" in output
    assert "vm_disks: list[NestedVmDisk]" in output


def test_dir_lists_every_export_without_importing_it_and_all_lists_everything():
    output = run_python("-c", """
import sys, cloudtower, cloudtower.models as models
assert "VmStatus" in dir(models) and "NestedCluster" in dir(models), "a model not yet loaded"
assert "Vm" in dir(cloudtower) and "VmApi" in dir(cloudtower) and "ApiClient" in dir(cloudtower)
assert len(dir(models)) > 2000 and len(dir(cloudtower)) > 2000
assert not [name for name in sys.modules if name.startswith("cloudtower.models.")]
assert "VmStatus" in models.__all__ and "VmApi" in cloudtower.__all__
print("ok")
""")
    assert output.strip().endswith("ok")


def test_inspect_getsource_of_a_model_an_enum_and_an_api_class():
    output = run_python("-c", """
import inspect, os
from cloudtower import Vm, VmApi, VmStatus
print(inspect.getsource(Vm))
print(inspect.getsource(VmStatus))
print(inspect.getsource(VmApi))
print(os.path.relpath(inspect.getsourcefile(Vm), os.path.dirname(inspect.getsourcefile(VmApi))))
""")
    # The models' stub is their readable source: each class alone, typed.
    model = output[output.index("class Vm(Model):"):output.index("class VmStatus(Enum):")]
    assert "    name: str = ...\n" in model and "    status: VmStatusValue = ...\n" in model
    assert model.count("class ") == 1
    assert '    RUNNING: Final = "RUNNING"\n' in output
    assert "class VmApi(Api):" in output and "def get_vms(self, get_vms_request_body, **kwargs):" in output
    assert output.strip().splitlines()[-1] == os.path.join("..", "models", "__init__.pyi")
