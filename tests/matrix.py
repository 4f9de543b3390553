"""Run the test suite on every Python that pyenv has, then check the wheel.

    python3 tests/matrix.py                  # every interpreter of `pyenv versions`
    python3 tests/matrix.py --python 2.7.18  # just one (repeatable)
    python3 tests/matrix.py -- -k login      # arguments after -- go to pytest
    python3 tests/matrix.py -- tests/once    # only the once checks (in their own environment)

Each interpreter gets a virtualenv under `.matrix/` with the deps `tox.ini` names for it
(urllib3 1.26 on 2.7 and 3.6, urllib3 2.x on the rest) and runs `tests/` but `tests/once/`.
The checks that do not depend on the interpreter (`tests/once/`: types, the differential test
against the reference SDK, generator freshness) run once, on the newest Python, in a virtualenv
that adds the deps of tox.ini's `[testenv:once]`. The last step builds the `py2.py3-none-any`
wheel and installs it in fresh virtualenvs of the oldest and newest Python.
Exits 1 if any step fails; always prints which interpreters ran.
"""
from __future__ import print_function

import argparse
import concurrent.futures
import configparser
import glob
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(ROOT, ".matrix")
# What the installed wheel must do: import, and serve and answer through the simulator it ships.
WHEEL_CHECK = """
import cloudtower, cloudtower.models.vm, cloudtower.utils
from cloudtower import ApiClient, VmApi, Vm
from cloudtower.simulator import Simulator
assert Vm(name="x").to_dict()["name"] == "x"
with Simulator(seed="demo") as sim:
    assert len(VmApi(sim.client()).get_vms({"first": 3})) == 3
"""
# The last virtualenv release that still creates Python 2.7 and 3.6 environments.
VIRTUALENV = "virtualenv<20.22"
# Its bundled pip/setuptools/wheel, which suit every Python it supports; a cache of our own, never
# updated in the background (an updated cache once gave Python 3.6 a pip it cannot run).
VIRTUALENV_OPTIONS = ["-q", "--no-periodic-update", "--pip", "bundle", "--setuptools", "bundle",
                      "--wheel", "bundle", "--app-data", os.path.join(WORK, "app-data")]


def main():
    parser = argparse.ArgumentParser(description="Run the tests on every pyenv interpreter.")
    parser.add_argument("--python", action="append", help="a pyenv version, e.g. 3.13.0 (repeatable)")
    parser.add_argument("--jobs", type=int, default=2, help="interpreters tested at once (default 2)")
    parser.add_argument("--no-wheel", action="store_true", help="skip the wheel check")
    parser.add_argument("--no-once", action="store_true", help="skip tests/once (run once, on the newest Python)")
    parser.add_argument("pytest_args", nargs="*", help="arguments for pytest (after --)")
    args = parser.parse_args()

    interpreters = find_interpreters(args.python)
    if not interpreters:
        print("no Python interpreters found (is pyenv installed?)")
        return 1
    print("interpreters: %s" % ", ".join(version for version, _ in interpreters))
    virtualenv = tool_virtualenv()
    deps = read_deps()

    results = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        # pytest arguments naming tests/once run in the once environment only (it has the checkers).
        only_once = any(arg.replace(os.sep, "/").startswith("tests/once") for arg in args.pytest_args)
        futures = [] if only_once else [
            pool.submit(run_suite, virtualenv, version, python, deps, args.pytest_args)
            for version, python in interpreters]
        if only_once or not (args.no_once or args.pytest_args):
            newest = interpreters[-1]
            futures.append(pool.submit(run_suite, virtualenv, newest[0], newest[1], deps,
                                       args.pytest_args if only_once else [ONCE], once=True))
        for future in concurrent.futures.as_completed(futures):
            result = future.result()
            results.append(result)
            print_result(result)
    results.sort(key=lambda result: version_key(result["version"]))
    if not args.no_wheel:
        oldest, newest = interpreters[0], interpreters[-1]
        wheel = check_wheel(virtualenv, [oldest, newest] if oldest != newest else [oldest])
        results.append(wheel)
        print_result(wheel)

    print("\nsummary")
    for result in results:
        print("  %-22s %-5s %6.1fs  %s" % (result["version"], "ok" if result["ok"] else "FAIL",
                                          result["seconds"], result["summary"]))
    print("ran on: %s" % ", ".join(r["version"] for r in results
                                   if r["version"] != "wheel" and not r["version"].startswith("once")))
    return 0 if all(result["ok"] for result in results) else 1


def version_key(version):
    return tuple(int(part) for part in re.findall(r"\d+", version)) or (999,)


def find_interpreters(wanted):
    """[(version, python path)] sorted oldest first."""
    try:
        root = subprocess.check_output(["pyenv", "root"], universal_newlines=True).strip()
    except (OSError, subprocess.CalledProcessError):
        return [(".".join(map(str, sys.version_info[:3])), sys.executable)]
    found = []
    for path in glob.glob(os.path.join(root, "versions", "*", "bin", "python")):
        version = path.split(os.sep)[-3]
        if re.match(r"^\d+\.\d+\.\d+$", version) and (not wanted or version in wanted):
            found.append((version, path))
    missing = set(wanted or ()) - set(version for version, _ in found)
    if missing:
        raise SystemExit("not installed in pyenv: %s" % ", ".join(sorted(missing)))
    return sorted(found, key=lambda item: version_key(item[0]))


def tool_virtualenv():
    """A Python 3 environment holding `virtualenv`, used to create all the others."""
    env = os.path.join(WORK, "tools")
    python = os.path.join(env, "bin", "python")
    if not os.path.exists(os.path.join(env, "bin", "virtualenv")):
        shutil.rmtree(env, ignore_errors=True)
        subprocess.check_call([sys.executable, "-m", "venv", env])
        subprocess.check_call([python, "-m", "pip", "install", "-q", VIRTUALENV, "wheel", "setuptools<70"])
    return os.path.join(env, "bin", "virtualenv")


def read_deps():
    """{tox factor or None: [requirement]} from tox.ini's [testenv] deps."""
    parser = configparser.ConfigParser()
    parser.read(os.path.join(ROOT, "tox.ini"))
    deps = {}
    lines = parser.get("testenv", "deps").splitlines()
    if parser.has_section("testenv:once"):
        lines += ["once: " + line.strip() for line in parser.get("testenv:once", "deps").splitlines()
                  if line.strip() and not line.strip().startswith(("#", "{"))]
    for line in lines:
        line = line.strip()
        if not line:
            continue
        match = re.match(r"^([\w,]+):\s*(.+)$", line)
        if match:
            for factor in match.group(1).split(","):
                deps.setdefault(factor, []).append(match.group(2))
        else:
            deps.setdefault(None, []).append(line)
    return deps


ONCE = os.path.join("tests", "once")


def factor(version):
    major, minor = version.split(".")[:2]
    return "py%s%s" % (major, minor)


def make_env(virtualenv, version, python, requirements, name=None):
    """A virtualenv `name` (default: the tox factor) for `python` with `requirements`, reused
    while they stay the same."""
    env = os.path.join(WORK, name or factor(version))
    stamp = os.path.join(env, ".requirements")
    wanted = hashlib.sha1(("\n".join([python] + requirements)).encode()).hexdigest()
    if os.path.exists(stamp) and open(stamp).read() == wanted:
        return env
    shutil.rmtree(env, ignore_errors=True)
    subprocess.check_call([virtualenv] + VIRTUALENV_OPTIONS + ["-p", python, env])
    subprocess.check_call([os.path.join(env, "bin", "python"), "-m", "pip", "install", "-q",
                           "--disable-pip-version-check"] + requirements)
    with open(stamp, "w") as handle:
        handle.write(wanted)
    return env


def run_suite(virtualenv, version, python, deps, pytest_args, once=False):
    """Run pytest in the virtualenv of `version`; `once`: the interpreter-independent checks."""
    started = time.time()
    requirements = deps.get(None, []) + deps.get(factor(version), [])
    name = factor(version)
    label = version
    if once:
        requirements = requirements + deps.get("once", [])
        name, label = "once", "once (%s)" % version
    log_path = os.path.join(WORK, "%s.log" % name)
    try:
        env = make_env(virtualenv, version, python, requirements, name)
    except subprocess.CalledProcessError as error:
        return {"version": label, "ok": False, "seconds": time.time() - started,
                "summary": "could not set up the environment: %s" % error, "log": None}
    env_python = os.path.join(env, "bin", "python")
    urllib3 = subprocess.check_output([env_python, "-c", "import urllib3; print(urllib3.__version__)"],
                                      universal_newlines=True).strip()
    environ = dict(os.environ, PYTHONPATH=ROOT, PYTHONDONTWRITEBYTECODE="1")
    command = [env_python, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    command += pytest_args
    # Options alone (`-k login`) select from the whole suite, which for an interpreter is
    # tests/ without tests/once.
    if not any(os.path.exists(os.path.join(ROOT, arg.split("::")[0])) for arg in pytest_args):
        command += [ONCE] if once else ["tests", "--ignore=" + ONCE]
    with open(log_path, "w") as log:
        code = subprocess.call(command, cwd=ROOT, env=environ, stdout=log, stderr=subprocess.STDOUT)
    with open(log_path) as log:
        lines = [line.strip() for line in log if line.strip()]
    summary = lines[-1] if lines else "no output"
    if code == 5 and once:  # pytest found no tests: nothing to check yet
        code = 0
    return {"version": label, "ok": code == 0, "seconds": time.time() - started,
            "summary": "urllib3 %s: %s" % (urllib3, summary), "log": log_path}


def check_wheel(virtualenv, interpreters):
    """Build the wheel once; install and import it in fresh virtualenvs."""
    started = time.time()
    work = tempfile.mkdtemp(prefix="wheel-", dir=WORK)
    tools_python = os.path.join(os.path.dirname(virtualenv), "python")
    try:
        subprocess.check_call([tools_python, "setup.py", "-q", "bdist_wheel", "-d", work],
                              cwd=ROOT, stdout=subprocess.DEVNULL)
        wheels = glob.glob(os.path.join(work, "*.whl"))
        if len(wheels) != 1 or not wheels[0].endswith("-py2.py3-none-any.whl"):
            return {"version": "wheel", "ok": False, "seconds": time.time() - started,
                    "summary": "expected one py2.py3-none-any wheel, got %s" % wheels}
        checked = []
        for version, python in interpreters:
            env = os.path.join(work, factor(version))
            subprocess.check_call([virtualenv] + VIRTUALENV_OPTIONS + ["-p", python, env])
            env_python = os.path.join(env, "bin", "python")
            subprocess.check_call([env_python, "-m", "pip", "install", "-q", "--disable-pip-version-check",
                                   wheels[0]])
            subprocess.check_call([env_python, "-c", WHEEL_CHECK], cwd=work)
            checked.append(version)
        return {"version": "wheel", "ok": True, "seconds": time.time() - started,
                "summary": "%s installs, imports and runs the simulator on %s"
                % (os.path.basename(wheels[0]), ", ".join(checked))}
    except subprocess.CalledProcessError as error:
        return {"version": "wheel", "ok": False, "seconds": time.time() - started, "summary": str(error)}
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(os.path.join(ROOT, "build"), ignore_errors=True)


def print_result(result):
    print("%-8s %-5s %s" % (result["version"], "ok" if result["ok"] else "FAIL", result["summary"]))
    if not result["ok"] and result.get("log"):
        with open(result["log"]) as log:
            tail = log.readlines()[-60:]
        print("".join("    | " + line for line in tail))


if __name__ == "__main__":
    sys.exit(main())
