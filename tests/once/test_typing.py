"""Types: mypy --strict and pyright (basedpyright, strict) accept the examples and the README's
code, and both report each misuse in typing_misuse.py on its line; jedi completes statically."""
import io
import json
import os
import re
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HERE = os.path.dirname(os.path.abspath(__file__))
MISUSE = os.path.join(HERE, "typing_misuse.py")
EXAMPLES = sorted(os.path.join(ROOT, "examples", name) for name in os.listdir(os.path.join(ROOT, "examples"))
                  if name.endswith(".py"))
# The hand-written stubs, and generated ones of each kind: checked for errors themselves.
STUBS = sorted(os.path.join(ROOT, "cloudtower", name) for name in os.listdir(os.path.join(ROOT, "cloudtower"))
               if name.endswith(".pyi")) + [
    os.path.join(ROOT, "cloudtower", path) for path in (
        "simulator/__init__.pyi", "api/__init__.pyi", "api/vm_api.pyi", "models/__init__.pyi",
        "models/vm.pyi", "models/vm_status.pyi", "models/vm_where_input.pyi", "models/metric.pyi")]
# pyright reads the models' stub (every class, 3,000 statements) for the files that import it, but
# refuses to check its body ("code is too complex to analyze"): mypy checks that one.
MODELS_STUB = os.path.join(ROOT, "cloudtower", "models", "__init__.pyi")
PYRIGHT_STUBS = [path for path in STUBS if path != MODELS_STUB]
PYRIGHT_CONFIG = {
    "typeCheckingMode": "strict",
    # The examples and README run on Python 2.7 too, so they annotate with type comments.
    "reportTypeCommentUsage": False,
    # `cloudtower.models.vm` and its siblings have stubs but no file: they are made from a table
    # row when imported (the README says so).
    "reportMissingModuleSource": False,
}

pytestmark = pytest.mark.skipif(sys.version_info < (3, 9), reason="the type checkers run on the newest Python")


def tool(name):
    return os.path.join(os.path.dirname(sys.executable), name)


def readme_blocks():
    with io.open(os.path.join(ROOT, "README.md"), encoding="utf-8") as handle:
        return re.findall(r"```python\n(.*?)```", handle.read(), re.S)


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    """{checker: {(file, line): [message]}} for the examples, the README blocks, the misuse file
    and the stubs; a checker's notes and revealed types are kept apart under (checker, "notes")."""
    work = tmp_path_factory.mktemp("typing")
    readme = []
    for index, code in enumerate(readme_blocks()):
        path = str(work / ("readme_%d.py" % index))
        with io.open(path, "w", encoding="utf-8") as handle:
            handle.write(code)
        readme.append(path)
    files = EXAMPLES + readme + [MISUSE]
    env = dict(os.environ, PYTHONPATH=ROOT)
    found = {"mypy": {}, "pyright": {}, "mypy notes": {}, "pyright notes": {}}

    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", "--show-error-codes", "--no-pretty",
         "--cache-dir", os.path.join(ROOT, ".mypy_cache")] + files + STUBS,
        cwd=str(work), env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
    for line in mypy.stdout.splitlines():
        match = re.match(r"^(.*?):(\d+): (error|note): (.*)$", line)
        if match:
            kind = "mypy" if match.group(3) == "error" else "mypy notes"
            key = (os.path.abspath(os.path.join(str(work), match.group(1))), int(match.group(2)))
            found[kind].setdefault(key, []).append(match.group(4))
    assert mypy.returncode in (0, 1), mypy.stdout

    config = work / "pyrightconfig.json"
    config.write_text(json.dumps(PYRIGHT_CONFIG))
    pyright = subprocess.run(
        [tool("basedpyright"), "--outputjson", "-p", str(config), "--pythonpath", sys.executable] + files
        + PYRIGHT_STUBS,
        cwd=str(work), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    report = json.loads(pyright.stdout)
    for diagnostic in report["generalDiagnostics"]:
        kind = {"error": "pyright", "information": "pyright notes"}.get(diagnostic["severity"])
        if kind:
            line = diagnostic["range"]["start"]["line"] + 1 if "range" in diagnostic else 0  # 0: the whole file
            key = (os.path.abspath(diagnostic["file"]), line)
            found[kind].setdefault(key, []).append(diagnostic["message"])
    found["readme"] = readme
    return found


def errors_in(found, checker, paths):
    return dict((key, messages) for key, messages in found[checker].items() if key[0] in paths)


@pytest.mark.parametrize("checker", ["mypy", "pyright"])
def test_examples_readme_and_stubs_type_check(checked, checker):
    paths = set(EXAMPLES + checked["readme"] + STUBS)
    assert errors_in(checked, checker, paths) == {}


def marked_lines(marker):
    with io.open(MISUSE, encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    return dict((number, line.split(marker, 1)[1].split("#")[0].strip())
                for number, line in enumerate(lines, 1) if marker in line)


@pytest.mark.parametrize("checker", ["mypy", "pyright"])
def test_each_misuse_is_reported_on_its_line(checked, checker):
    expected = marked_lines("# E:")
    assert len(expected) >= 10
    reported = dict((line, messages) for (path, line), messages in errors_in(checked, checker, {MISUSE}).items())
    missed = dict((line, what) for line, what in expected.items() if line not in reported)
    unexpected = dict((line, messages) for line, messages in reported.items() if line not in expected)
    assert missed == {} and unexpected == {}


@pytest.mark.parametrize("checker", ["mypy", "pyright"])
def test_revealed_types_are_the_spec_types_not_any(checked, checker):
    notes = dict((line, " ".join(messages))
                 for (path, line), messages in checked[checker + " notes"].items() if path == MISUSE)
    for line, expected in marked_lines("# reveal:").items():
        text = notes.get(line, "")
        revealed = re.search(r'(?:Revealed type is|Type of .* is) "(.*)"', text)
        assert revealed, (line, text)
        # mypy writes module paths and lower-case builtins: `builtins.list[cloudtower.models.Vm]`.
        shown = re.sub(r"\b(?:builtins|[a-z_]+(?:\.[a-z_0-9]+)*)\.(?=[A-Za-z_])", "", revealed.group(1))
        assert shown.lower() == expected.lower(), (line, revealed.group(1))
        assert "Any" not in shown and "Unknown" not in shown


def complete(source):
    import jedi
    project = jedi.Project(ROOT, added_sys_path=[ROOT])
    lines = source.splitlines()
    script = jedi.Script(source, path=os.path.join(ROOT, "example_in_editor.py"), project=project)
    return [completion.name for completion in script.complete(len(lines), len(lines[-1]))]


def test_jedi_completes_statically():
    assert "Vm" in complete("import cloudtower\ncloudtower.Vm")
    assert "name" in complete("from cloudtower import Vm\nVm().na")
    assert "name" in complete("from cloudtower import ApiClient, VmApi\n"
                              "client = ApiClient()\nVmApi(client).get_vms({})[0].na")
    assert "get_vms_connection" in complete("from cloudtower import VmApi\nVmApi().get_vms_c")


def test_jedi_goes_to_a_stub_or_source_file():
    import jedi
    project = jedi.Project(ROOT, added_sys_path=[ROOT])
    source = "from cloudtower import Vm, VmApi\nVm\nVmApi\n"
    script = jedi.Script(source, path=os.path.join(ROOT, "example_in_editor.py"), project=project)
    for line in (2, 3):
        definitions = script.goto(line, 1, follow_imports=True)
        assert definitions, line
        path = str(definitions[0].module_path)
        assert path.endswith((".pyi", ".py")) and os.path.exists(path), path
        with io.open(path, encoding="utf-8") as handle:
            assert "class %s(" % definitions[0].name in handle.read()
