"""The stubs the generator writes: what they declare (on the small spec in tests/data), that
`--check` covers them, and that they agree with the runtime classes of the real package."""
import ast
import io
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(sys.version_info < (3, 6), reason="the generator runs on Python 3")

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MINI_SPEC = os.path.join(ROOT, "tests", "data", "mini_spec.json")


@pytest.fixture(scope="module")
def mini():
    from codegen import spec, stubs
    return stubs.render(spec.load(MINI_SPEC))


def classes(text):
    """{class name: {annotated name: annotation text}} of a stub."""
    found = {}
    for node in ast.parse(text).body:
        if isinstance(node, ast.ClassDef):
            found[node.name] = dict((item.target.id, ast.unparse(item.annotation)) for item in node.body
                                    if isinstance(item, ast.AnnAssign))
    return found


def test_a_model_stub_types_its_fields_and_a_body_model_has_a_typed_dict(mini):
    widget = classes(mini["cloudtower/models/widget.pyi"])["Widget"]
    assert widget["id"] == "str" and widget["status"] == "WidgetStatusValue"
    assert widget["cluster"] == "Optional[NestedCluster]"  # nullable
    assert widget["clusters"] == "Optional[List[NestedCluster]]"  # not required
    assert widget["created"] == "Optional[datetime]" and widget["labels"] == "Optional[Any]"
    assert "WidgetDict" not in mini["cloudtower/models/widget.pyi"]  # an answer, never a body

    start = classes(mini["cloudtower/models/widget_start_params.pyi"])
    assert start["WidgetStartParamsDict"]["where"] == "Required[Union[WidgetWhereInput, WidgetWhereInputDict]]"
    assert start["WidgetStartParamsDict"]["data"] == \
        "Union[WidgetStartParamsData, WidgetStartParamsDataDict]"
    where = classes(mini["cloudtower/models/widget_where_input.pyi"])["WidgetWhereInputDict"]
    assert where["AND"] == "List[Union[WidgetWhereInput, WidgetWhereInputDict]]"
    assert where["name"] == "Optional[str]"  # nullable: a dict may send null


def test_keys_that_are_no_identifiers_use_the_functional_typed_dict(tmp_path):
    from codegen import spec, stubs
    document = {"openapi": "3.0.0", "info": {"version": "1"}, "components": {"schemas": {
        "Point": {"type": "object", "properties": {"__typename": {"type": "string"},
                                                   "x-y": {"type": "number"}, "str": {"type": "string"}}}}},
        "paths": {"/put-point": {"post": {"operationId": "PutPoint", "tags": ["Point"], "requestBody": {
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Point"}}}}}}}}
    text = stubs.render(spec.parse(document))["cloudtower/models/point.pyi"]
    assert "PointDict = TypedDict(\n    'PointDict',\n" in text
    assert "'__typename': builtins.str," in text and "'x-y': float," in text
    # A field named `str` hides the builtin in the class body: the stub spells it out.
    assert "    str: Optional[builtins.str] = ...\n" in text and "import builtins\n" in text
    compile(text, "point.pyi", "exec")


def test_an_api_stub_overloads_each_method_by_its_answer(mini):
    text = mini["cloudtower/api/widget_api.pyi"]
    methods = [node for node in ast.parse(text).body[-1].body if isinstance(node, ast.FunctionDef)]
    get_widgets = [ast.unparse(node.returns) for node in methods if node.name == "get_widgets"]
    assert get_widgets == ["List[Widget]", "ApplyResult[List[Widget]]", "HTTPResponse", "ApplyResult[HTTPResponse]"]
    info = [ast.unparse(node.returns) for node in methods if node.name == "get_widgets_with_http_info"]
    assert info[0] == "Tuple[List[Widget], int, HTTPHeaders]"
    upload = [node for node in methods if node.name == "upload_widget_image"][0]
    assert [arg.arg for arg in upload.args.args] == ["self", "file", "cluster_id"]
    assert "content_language" in [arg.arg for arg in upload.args.kwonlyargs]


def test_check_covers_the_stubs(tmp_path):
    def codegen(*args):
        return subprocess.run([sys.executable, "-m", "codegen", "--spec", MINI_SPEC, "--out", str(tmp_path)]
                              + list(args), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              universal_newlines=True)
    assert codegen().returncode == 0
    stub = tmp_path / "cloudtower" / "models" / "widget.pyi"
    stub.write_text(stub.read_text().replace("id: str", "id: int"))
    stale = tmp_path / "cloudtower" / "models" / "gadget.pyi"
    stale.write_text((tmp_path / "cloudtower" / "models" / "nested_cluster.pyi").read_text())
    check = codegen("--check")
    assert check.returncode == 1
    assert "changed: cloudtower/models/widget.pyi" in check.stdout
    assert "stale: cloudtower/models/gadget.pyi" in check.stdout


def test_the_stubs_declare_what_the_runtime_has():
    """Every model's annotated fields are its attributes, every enum's constants its values, every
    Api method (and its twin) is declared; checked against the real package's classes."""
    sys.path.insert(0, ROOT)
    try:
        import cloudtower.api
        import cloudtower.models
    finally:
        sys.path.remove(ROOT)
    package = os.path.join(ROOT, "cloudtower")
    for name, module in sorted(cloudtower.models.MODELS.items()) + sorted(cloudtower.models.ENUMS.items()):
        with io.open(os.path.join(package, "models", module + ".pyi"), encoding="utf-8") as handle:
            declared = classes(handle.read())[name]
        runtime = getattr(cloudtower.models, name)
        if name in cloudtower.models.ENUMS:
            values = dict((key, value) for key, value in vars(runtime).items()
                          if isinstance(value, str) and value in runtime.allowable_values)  # the constants
            assert sorted(declared) == sorted(values), name
        else:
            assert sorted(declared) == sorted(runtime.attribute_map), name
    for name, module in sorted(cloudtower.api.APIS.items()):
        with io.open(os.path.join(package, "api", module + ".pyi"), encoding="utf-8") as handle:
            tree = ast.parse(handle.read())
        declared = set(node.name for node in tree.body[-1].body if isinstance(node, ast.FunctionDef))
        runtime = set(key for key, value in vars(getattr(cloudtower.api, name)).items()
                      if callable(value) and not key.startswith("_"))
        assert declared == runtime, name
