"""The Python examples in README.md run as written (each in a fresh interpreter)."""
from __future__ import absolute_import

import io
import os
import re
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def python_blocks():
    with io.open(os.path.join(ROOT, "README.md"), encoding="utf-8") as handle:
        text = handle.read()
    return re.findall(r"```python\n(.*?)```", text, re.S)


def test_the_readme_has_examples():
    assert len(python_blocks()) >= 4


@pytest.mark.parametrize("index", range(len(python_blocks())))
def test_readme_example_runs(index):
    code = python_blocks()[index]
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               env=dict(os.environ, PYTHONPATH=ROOT), cwd=ROOT)
    output = process.communicate()[0].decode("utf-8", "replace")
    assert process.returncode == 0, output
    assert "Traceback" not in output
