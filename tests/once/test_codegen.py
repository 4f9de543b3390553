"""The generator, run on the small spec in tests/data (and, when it is beside the project, a
check that the committed code is what the generator makes from the real spec)."""
import io
import json
import os
import shutil
import subprocess
import sys

import pytest

from cloudtower.models import SPEC_VERSION

pytestmark = pytest.mark.skipif(sys.version_info < (3, 6), reason="the generator runs on Python 3")

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MINI_SPEC = os.path.join(ROOT, "tests", "data", "mini_spec.json")
MINI_LEGACY = os.path.join(ROOT, "tests", "data", "mini_legacy_names.json")
SPECS = os.path.join(ROOT, "..", "shared", "specs")
# The spec the committed code says it comes from, and an older one that must stay usable input.
SHIPPED_SPEC = os.path.join(SPECS, "cloudtower-%s.json" % SPEC_VERSION)
OLDER_SPEC = os.path.join(SPECS, "cloudtower-4.6.0.json")
# The hand-written core: every module at the top of the package.
CORE = sorted(name for name in os.listdir(os.path.join(ROOT, "cloudtower")) if name.endswith(".py"))


def codegen(*args):
    return subprocess.run([sys.executable, "-m", "codegen"] + list(args), cwd=ROOT,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)


@pytest.fixture
def project(tmp_path):
    """A project folder with the hand-written core and the mini spec's generated code (with the
    aliases of tests/data/mini_legacy_names.json)."""
    package = tmp_path / "cloudtower"
    package.mkdir()
    for name in CORE:
        shutil.copy(os.path.join(ROOT, "cloudtower", name), str(package / name))
    result = codegen("--spec", MINI_SPEC, "--out", str(tmp_path), "--legacy", MINI_LEGACY)
    assert result.returncode == 0, result.stdout
    return tmp_path


def run_in(project, code):
    result = subprocess.run([sys.executable, "-c", code], cwd=str(project), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, universal_newlines=True,
                            env=dict(os.environ, PYTHONPATH=str(project)))
    assert result.returncode == 0, result.stdout
    return result.stdout


def test_names_follow_the_reference_rules():
    from codegen import names
    assert names.snake_case("GetVmsConnection") == "get_vms_connection"
    assert names.snake_case("UpdateClusterEnableISCSISetting") == "update_cluster_enable_iscsi_setting"
    assert names.snake_case("GetTopNVmVolumeMetrics") == "get_top_nvm_volume_metrics"
    assert names.snake_case("ExportCSV") == "export_csv"
    assert names.class_name("WithTask_Vm_") == "WithTaskVm"
    assert names.attribute_name("entityAsyncStatus") == "entity_async_status"
    assert names.attribute_name("AND") == "_and"
    assert names.attribute_name("__typename") == "typename"
    assert names.enum_constant_names(["RESTRICT_EACH_DISK", "RESTRICT_WHOLE_VM"]) == ["EACH_DISK", "WHOLE_VM"]
    assert names.enum_constant_names(["entityAsyncStatus_ASC", "name_DESC"]) == ["ENTITYASYNCSTATUS_ASC", "NAME_DESC"]
    assert names.enum_constant_names(["zh-CN", "en-US", "*"]) == ["ZH_CN", "EN_US", "ASTERISK"]
    assert names.enum_constant_names(["EC", "REPLICA_2_THIN_PROVISION"], "VmVolumeElfStoragePolicyType") == \
        ["EC", "_2_THIN_PROVISION"]


def test_parse_names_inline_schemas_and_merges_all_of():
    from codegen import spec
    parsed = spec.load(MINI_SPEC)
    models = dict((model.name, model) for model in parsed.models)
    assert "WidgetStartParamsData" in models
    assert "WidgetStopParamsData" not in models  # identical inline schema: shared model
    stop = dict((field.attr, field) for field in models["WidgetStopParams"].fields)
    assert stop["data"].type == "WidgetStartParamsData"
    creation = [field.attr for field in models["WidgetCreationParams"].fields]
    assert creation == ["name", "cluster_id", "ha"]
    assert "WidgetCreationParamsAllOf" in models
    widget = dict((field.attr, field) for field in models["Widget"].fields)
    assert widget["entity_async_status"].json_key == "entityAsyncStatus"
    assert widget["cluster"].type == "NestedCluster" and widget["cluster"].nullable
    assert widget["clusters"].type == "list[NestedCluster]"
    assert widget["created"].type == "datetime" and widget["labels"].type == "object"
    apis = dict((api.name, api) for api in parsed.apis)
    methods = [op.method_name for op in apis["WidgetApi"].operations]
    assert "create_widget_0" in methods  # the tag lists CreateWidget twice
    alias = [op for op in apis["WidgetApi"].operations if op.method_name == "update_widget_iscsi_setting"][0]
    assert [param.name for param in alias.params if param.required] == ["body"]


def test_generation_is_deterministic_and_check_reports_differences(tmp_path):
    first = codegen("--spec", MINI_SPEC, "--out", str(tmp_path))
    assert first.returncode == 0, first.stdout
    files = sorted(str(path.relative_to(tmp_path)) for path in tmp_path.rglob("*.py"))
    snapshot = dict((name, (tmp_path / name).read_text()) for name in files)
    assert "cloudtower/api/widget_api.py" in files and "cloudtower/models/_tables_w.py" in files

    assert codegen("--spec", MINI_SPEC, "--out", str(tmp_path), "--check").returncode == 0
    again = codegen("--spec", MINI_SPEC, "--out", str(tmp_path))
    assert "0 file(s)" in again.stdout or "wrote 0" in again.stdout
    assert snapshot == dict((name, (tmp_path / name).read_text()) for name in files)

    (tmp_path / "cloudtower/api/widget_api.py").write_text("# edited\n")
    stale = tmp_path / "cloudtower/models/_tables_q.py"
    stale.write_text(snapshot["cloudtower/models/_tables_w.py"])
    check = codegen("--spec", MINI_SPEC, "--out", str(tmp_path), "--check")
    assert check.returncode == 1
    assert "changed: cloudtower/api/widget_api.py" in check.stdout
    assert "stale: cloudtower/models/_tables_q.py" in check.stdout
    assert codegen("--spec", MINI_SPEC, "--out", str(tmp_path)).returncode == 0
    assert not stale.exists()
    assert (tmp_path / "cloudtower/api/widget_api.py").read_text() == snapshot["cloudtower/api/widget_api.py"]


def test_generated_package_imports_and_behaves(project):
    out = run_in(project, """
import inspect, json, pkgutil
import cloudtower
from cloudtower import WidgetApi, Widget, WidgetStatus, WidgetIoPolicy, ContentLanguage
from cloudtower.models.widget import Widget as Same
from cloudtower.api.widget_api import WidgetApi as SameApi
import cloudtower.models as models
assert Same is Widget and SameApi is WidgetApi
assert Widget.attribute_map["entity_async_status"] == "entityAsyncStatus"
assert Widget.openapi_types["clusters"] == "list[NestedCluster]"
assert WidgetStatus.RUNNING == "RUNNING" and WidgetIoPolicy.EACH_DISK == "RESTRICT_EACH_DISK"
assert ContentLanguage.ASTERISK == "*"
names = sorted(name for _, name, _ in pkgutil.iter_modules(models.__path__) if not name.startswith("_"))
assert "widget" in names and "widget_start_params_data" in names, names
assert str(inspect.signature(WidgetApi.upload_widget_image)) == "(self, file, cluster_id, **kwargs)"
assert str(inspect.signature(WidgetApi.get_widgets_with_http_info)) == "(self, get_widgets_request_body, **kwargs)"
w = Widget.from_json(json.loads('{"id": "1", "name": "a", "usage": 2, "cluster": {"id": "c", "name": "n"}, "__typename": "Widget"}'))
assert w.usage == 2.0 and isinstance(w.usage, float) and w.cluster.name == "n" and w.typename == "Widget"
print("ok", len(names))
""")
    assert out.startswith("ok")


def test_header_parameters_are_declared_and_checked(project):
    out = run_in(project, """
from cloudtower import ApiClient, ApiTypeError, WidgetApi
operation = WidgetApi.get_widgets.operation
assert operation.headers == (("content_language", "content-language", "ContentLanguage"),
                             ("x_tower_zone", "x-tower-zone", "int"),
                             ("external_cloudtower_id", "external-cloudtower-id", "str")), operation.headers
assert operation.optional == frozenset(["content_language", "x_tower_zone", "external_cloudtower_id"])
assert WidgetApi.start_widget.operation.headers == (("content_language", "content-language", "ContentLanguage"),)
try:
    WidgetApi(ApiClient()).get_widgets({}, x_tower_zone="three")
except ApiTypeError as error:
    assert "x_tower_zone" in str(error), error
else:
    raise AssertionError("a header of the wrong type was accepted")
print("ok")
""")
    assert out.startswith("ok")


def test_legacy_names_become_aliases(project):
    api_text = (project / "cloudtower/api/widget_api.py").read_text()
    assert "kick_widget = renamed(start_widget, 'WidgetApi.kick_widget', 'WidgetApi.start_widget')" in api_text
    assert (project / "cloudtower/api/gadget_api.py").exists()
    stub = (project / "cloudtower/api/widget_api.pyi").read_text()
    assert '"""Deprecated: WidgetApi.kick_widget of older releases; use WidgetApi.start_widget."""' in stub
    assert "def kick_widget_with_http_info(" in stub
    assert "class GadgetApi(Api):" in (project / "cloudtower/api/gadget_api.pyi").read_text()
    assert "\nGadget = Widget\n" in (project / "cloudtower/models/__init__.pyi").read_text()
    assert "import Gadget as Gadget\n" in (project / "cloudtower/models/gadget.pyi").read_text()
    assert not (project / "cloudtower/api/gizmo_api.py").exists()  # no successor: stays removed
    out = run_in(project, """
import warnings
warnings.simplefilter("always")
import cloudtower
from cloudtower import GadgetApi, WidgetApi, Widget, WidgetStatus
with warnings.catch_warnings(record=True) as caught:
    from cloudtower import Gadget
    from cloudtower.models.gadget_status import GadgetStatus
    from cloudtower.models import Gadget as again
assert Gadget is again is Widget and GadgetStatus is WidgetStatus
assert [str(w.message) for w in caught] == ["Gadget is deprecated: use Widget",
                                            "GadgetStatus is deprecated: use WidgetStatus"], caught
assert GadgetApi.get_widgets.operation is WidgetApi.get_widgets.operation
assert WidgetApi.kick_widget_with_http_info.operation is WidgetApi.start_widget.operation
assert not hasattr(GadgetApi, "get_gadgets") and not hasattr(cloudtower, "Gizmo")
assert "Gadget" not in cloudtower.__all__ and "GadgetApi" in cloudtower.__all__
print("ok")
""")
    assert out.startswith("ok")


def test_a_legacy_name_whose_successor_is_missing_is_an_error():
    from codegen import legacy, spec
    parsed = spec.load(MINI_SPEC)
    with pytest.raises(legacy.LegacyError) as raised:
        legacy.resolve({"methods": [{"api": "WidgetApi", "old": "poke", "new": "poke_widget"}]}, parsed)
    assert "WidgetApi.poke_widget" in str(raised.value)
    with pytest.raises(legacy.LegacyError) as raised:
        legacy.resolve({"models": [{"old": "Widget", "new": "WidgetStatus"}]}, parsed)
    assert "still has a class" in str(raised.value)
    result = codegen("--spec", MINI_SPEC, "--legacy", os.path.join(ROOT, "no-such-file.json"), "--check")
    assert result.returncode != 0 and "no-such-file.json" in result.stdout


@pytest.mark.skipif(not os.path.exists(SHIPPED_SPEC), reason="the CloudTower spec is not beside the project")
def test_committed_code_is_what_the_generator_makes():
    result = codegen("--spec", SHIPPED_SPEC, "--check")
    assert result.returncode == 0, result.stdout


@pytest.mark.skipif(not os.path.exists(OLDER_SPEC), reason="the 4.6.0 spec is not beside the project")
def test_the_older_spec_still_generates_a_working_package(tmp_path):
    package = tmp_path / "cloudtower"
    package.mkdir()
    for name in CORE:
        shutil.copy(os.path.join(ROOT, "cloudtower", name), str(package / name))
    result = codegen("--spec", OLDER_SPEC, "--out", str(tmp_path))
    assert result.returncode == 0, result.stdout
    out = run_in(tmp_path, """
from cloudtower import VmApi, MetricsApi, ClusterApi
from cloudtower.models import SPEC_VERSION
assert SPEC_VERSION == "4.6.0", SPEC_VERSION
assert VmApi.get_vms.operation.headers == (("content_language", "content-language", "ContentLanguage"),)
assert VmApi.get_vms.operation.optional == frozenset(["content_language"])
assert MetricsApi.get_vm_metrics.operation.headers == ()
assert not hasattr(ClusterApi, "get_cluster_pin_in_performance_info")  # new in 2.23.0
assert VmApi.mig_rate_vm.operation is VmApi.migrate_vm.operation  # legacy-names.json applies too
print("ok")
""")
    assert out.startswith("ok")
