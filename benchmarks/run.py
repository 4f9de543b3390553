"""Benchmarks of this package against the reference `cloudtower-sdk` 2.20.0, side by side.

    python3 benchmarks/run.py [--runs N] [--repeat N] [--vms N] [--no-simulator]

Installs this working tree into a fresh virtualenv and the reference into a cached one (both
under benchmarks/.work/, with the interpreter running this script), then measures in each: the
time and peak memory of importing the package, decoding a 10,000-VM `get_vms` response, the
installed size, and the time of `help(cloudtower)` and `python -m pydoc cloudtower`. Prints a table of ours / reference ratios against the targets and writes
benchmarks/.work/results.json. Then runs benchmarks/simulator.py (the built-in simulator's
query speed on a 10,000-VM estate; `--no-simulator` skips it). A missed target reads FAIL, and
the script then exits 1.
"""
import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
WORK = os.path.join(HERE, ".work")
PROBE = os.path.join(HERE, "probe.py")
REFERENCE = ("cloudtower-sdk", "2.20.0")
TIME = "/usr/bin/time"  # GNU time (Debian package `time`)
# What `pip install` needs of the working tree (the ones present are copied).
SOURCE_FILES = ("setup.py", "setup.cfg", "pyproject.toml", "MANIFEST.in", "README.md", "LICENSE")
IMPORTS = ["import cloudtower", "from cloudtower import VmApi, Vm"]
# Introspection a user tries first: each must finish in under a second.
HELP = [("`help(cloudtower)`", ["-c", "import cloudtower; help(cloudtower)"]),
        ("`python -m pydoc cloudtower`", ["-m", "pydoc", "cloudtower"])]
# Children run without PYTHON* variables: no PYTHONDONTWRITEBYTECODE, no PYTHONPATH.
ENV = dict((key, value) for key, value in os.environ.items() if not key.startswith("PYTHON"))


def call(*argv):
    """Run a command in WORK; its stdout as text."""
    return subprocess.run(argv, check=True, env=ENV, cwd=WORK, stdout=subprocess.PIPE,
                          universal_newlines=True).stdout


class Venv(object):
    def __init__(self, name):
        self.dir = os.path.join(WORK, name)
        self.python = os.path.join(self.dir, "bin", "python")

    def create(self):
        shutil.rmtree(self.dir, ignore_errors=True)
        call(sys.executable, "-m", "venv", self.dir)

    def pip_install(self, *args):
        call(self.python, "-m", "pip", "install", "-q", "--disable-pip-version-check", *args)

    def probe(self, *args):
        return json.loads(call(self.python, PROBE, *args))


def setup_reference():
    """The reference venv, made once and reused while it still holds the reference."""
    venv = Venv("ref-venv")
    try:
        if venv.probe("info")["version"] == REFERENCE[1]:
            return venv
    except (OSError, subprocess.CalledProcessError, ValueError, KeyError):
        pass
    print("installing the reference %s==%s ..." % REFERENCE, flush=True)
    venv.create()
    venv.pip_install("%s==%s" % REFERENCE)
    return venv


def setup_ours():
    """A fresh venv with this working tree installed (built from a copy: the tree stays clean)."""
    print("installing ours from %s ..." % ROOT, flush=True)
    source = os.path.join(WORK, "ours-src")
    shutil.rmtree(source, ignore_errors=True)
    shutil.copytree(os.path.join(ROOT, "cloudtower"), os.path.join(source, "cloudtower"),
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in SOURCE_FILES:
        if os.path.exists(os.path.join(ROOT, name)):
            shutil.copy(os.path.join(ROOT, name), source)
    venv = Venv("ours-venv")
    venv.create()
    venv.pip_install(source)
    return venv


# -- measurements ----------------------------------------------------------------------------

def run_once(argv):
    """Wall time (s) and max RSS (KiB) of one fresh process.

    The max RSS comes from GNU time: a child forked by this script would count this script's
    own memory in its peak (Linux keeps the peak across exec), one forked by `time` does not.
    The wall time includes starting `time` itself (about 1 ms, the same in every row).
    """
    start = time.perf_counter()
    process = subprocess.run([TIME, "-f", "%M"] + argv, env=ENV, cwd=WORK, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, universal_newlines=True)
    wall = time.perf_counter() - start
    if process.returncode:
        raise SystemExit("failed: %s\n%s" % (" ".join(argv), process.stderr))
    return wall, int(process.stderr.split()[-1])


def measure_imports(venvs, runs):
    """Median wall time and max RSS of each import and of `pass`, runs interleaved."""
    codes = ["pass"] + IMPORTS
    for venv in venvs.values():  # warm-up: writes any .pyc pip did not, and checks the path
        where = call(venv.python, "-c", "import cloudtower; from cloudtower import VmApi, Vm; "
                                        "print(cloudtower.__file__)")
        if not where.startswith(venv.dir):
            raise SystemExit("%s imports cloudtower from %s" % (venv.python, where))
    samples = dict(((side, code), []) for side in venvs for code in codes)
    for _ in range(runs):
        for side, venv in venvs.items():
            for code in codes:
                samples[side, code].append(run_once([venv.python, "-c", code]))
    result = {}
    for (side, code), values in samples.items():
        result.setdefault(side, {})[code] = {
            "wall_s": statistics.median(wall for wall, _ in values),
            "max_rss_kib": max(rss for _, rss in values)}
    return result


def measure_help(venvs, runs):
    """Median wall time (s) of each HELP command (its output is thrown away), runs interleaved."""
    samples = dict(((side, name), []) for side in venvs for name, _ in HELP)
    for _ in range(runs):
        for side, venv in venvs.items():
            for name, argv in HELP:
                samples[side, name].append(run_once([venv.python] + argv)[0])
    return dict((side, dict((name, statistics.median(samples[side, name])) for name, _ in HELP))
                for side in venvs)


def installed_size(package_dir):
    """(du -sk in KiB, sum of the file sizes in bytes) of an installed package folder."""
    disk = int(call("du", "-sk", package_dir).split()[0])
    apparent = 0
    for folder, _, files in os.walk(package_dir):
        apparent += sum(os.lstat(os.path.join(folder, name)).st_size for name in files)
    return disk, apparent


# -- the report ------------------------------------------------------------------------------

def rows(imports, decoding, encoding, sizes, helps):
    """(measurement, unit, ours, reference, target) rows; a target is (text, check(ours, ratio))."""
    def both(value):
        return value("ours"), value("ref")

    def wall(side, code):
        return imports[side][code]["wall_s"] * 1000

    def rss(side, code):
        return imports[side][code]["max_rss_kib"] / 1024.0

    fast = ("ours/ref <= 1/20", lambda ours, ratio: ratio <= 1 / 20.0)
    small = ("ours/ref <= 1/5", lambda ours, ratio: ratio <= 1 / 5.0)
    table = [("`python -c pass`: wall", "ms") + both(lambda s: wall(s, "pass")) + (None,),
             ("`python -c pass`: max RSS", "MB") + both(lambda s: rss(s, "pass")) + (None,)]
    for code in IMPORTS:
        table += [
            ("`%s`: wall, raw" % code, "ms") + both(lambda s: wall(s, code)) + (fast,),
            ("`%s`: wall, net of pass" % code, "ms")
            + both(lambda s: wall(s, code) - wall(s, "pass")) + (fast,),
            ("`%s`: max RSS, raw" % code, "MB") + both(lambda s: rss(s, code)) + (small,),
            ("`%s`: max RSS, net of pass" % code, "MB")
            + both(lambda s: rss(s, code) - rss(s, "pass")) + (small,)]

    def decode(key, per_loads=False):
        return both(lambda s: decoding[s][key] / decoding[s]["json_loads"] if per_loads
                    else decoding[s][key] * 1000)

    def per(key, floor_keys):
        return both(lambda s: decoding[s][key] / sum(decoding[s][floor] for floor in floor_keys))

    def at_most(limit):
        return ("ours <= %s" % limit, lambda ours, ratio: ours <= limit)

    compact = ("ours/ref <= 1/10", lambda ours, ratio: ratio <= 1 / 10.0)
    table += [
        ("json.loads(data)", "ms") + decode("json_loads") + (None,),
        ("deserialize(list[Vm])", "ms") + decode("deserialize")
        + (("ref/ours >= 15", lambda ours, ratio: ratio <= 1 / 15.0),),
        ("deserialize / json.loads", "x") + decode("deserialize", True) + (at_most(1.5),),
        ("read all attributes from the JSON with dict.get (floor)", "ms") + decode("read_json") + (None,),
        ("read all attributes, first time / floor", "x") + per("read_first", ["read_json"]) + (at_most(2),),
        ("read all attributes, second time / floor", "x") + per("read_second", ["read_json"]) + (at_most(1.5),),
        ("deserialize + read all attributes", "ms") + decode("deserialize_read_all") + (None,),
        ("deserialize + read all / (json.loads + floor)", "x")
        + per("deserialize_read_all", ["json_loads", "read_json"]) + (at_most(1.5),),
        ("encode + dump a 1,000-id filter", "us") + both(lambda s: encoding[s]["encode_dumps"] * 1e6) + (None,),
        ("encode + dump / json.dumps", "x")
        + both(lambda s: encoding[s]["encode_dumps"] / encoding[s]["json_dumps"]) + (at_most(2),),
        ("installed size, du -sk", "MB") + both(lambda s: sizes[s][0] / 1024.0) + (compact,),
        ("installed size, sum of file sizes", "MB") + both(lambda s: sizes[s][1] / 1e6) + (compact,)]
    second = ("ours <= 1000 ms", lambda ours, ratio: ours <= 1000)
    for name, _ in HELP:
        table.append(("%s: wall" % name, "ms") + both(lambda s: helps[s][name] * 1000) + (second,))
    return table


def judge(table):
    """The rows as dicts, with their ratio and verdict."""
    judged = []
    for name, unit, ours, ref, target in table:
        ratio = ours / ref if ref else float("nan")
        verdict = ""
        if target:
            verdict = "PASS" if target[1](ours, ratio) else "FAIL"
        judged.append({"measurement": name, "unit": unit, "ours": ours, "reference": ref,
                       "ratio": ratio, "target": target[0] if target else "", "result": verdict})
    return judged


def format_ratio(ratio):
    if 0 < ratio < 0.5:
        return "%.3f (1/%.0f)" % (ratio, 1 / ratio)
    return "%.2f" % ratio


def print_table(judged):
    header = ("measurement", "unit", "ours", "reference", "ours/ref", "target", "result")
    lines = [header]
    for row in judged:
        lines.append((row["measurement"], row["unit"], "%.1f" % row["ours"], "%.1f" % row["reference"],
                      format_ratio(row["ratio"]), row["target"],
                      "FAIL <<<<<<" if row["result"] == "FAIL" else row["result"]))
    widths = [max(len(line[column]) for line in lines) for column in range(len(header))]
    for index, line in enumerate(lines):
        print("  ".join(cell.rjust(width) if 1 < column < 5 else cell.ljust(width)
                        for column, (cell, width) in enumerate(zip(line, widths))).rstrip())
        if index == 0:
            print("  ".join("-" * width for width in widths))


def git_revision():
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, check=True,
                              stdout=subprocess.PIPE, universal_newlines=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "cloudtower", "setup.py"],
                               cwd=ROOT, stdout=subprocess.PIPE, universal_newlines=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + (" + uncommitted changes" if dirty.strip() else "")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="fresh processes per import (10)")
    parser.add_argument("--repeat", type=int, default=5, help="repeats per decode timing (5)")
    parser.add_argument("--vms", type=int, default=10000, help="VMs in the response (10000)")
    parser.add_argument("--no-simulator", action="store_true", help="skip the simulator's benchmark")
    args = parser.parse_args()
    os.makedirs(WORK, exist_ok=True)
    if not os.access(TIME, os.X_OK):
        raise SystemExit("%s is needed to measure peak memory (apt-get install time)" % TIME)

    venvs = {"ours": setup_ours(), "ref": setup_reference()}
    packages = dict((side, venv.probe("info")) for side, venv in venvs.items())
    data = os.path.join(WORK, "vms-%d.json" % args.vms)
    print("generating %d VMs ..." % args.vms, flush=True)
    generated = venvs["ours"].probe("generate", data, "--count", str(args.vms))
    print("timing imports (%d runs each) ..." % args.runs, flush=True)
    imports = measure_imports(venvs, args.runs)
    print("timing decoding (best of %d) ..." % args.repeat, flush=True)
    decoding = dict((side, venv.probe("decode", data, "--repeat", str(args.repeat)))
                    for side, venv in venvs.items())
    print("timing encoding (best of %d) ..." % (args.repeat * 40), flush=True)
    encoding = dict((side, venv.probe("encode", "--repeat", str(args.repeat * 40))) for side, venv in venvs.items())
    sizes = dict((side, installed_size(packages[side]["package_dir"])) for side in venvs)
    print("timing help() and pydoc (median of 3) ...", flush=True)
    helps = measure_help(venvs, 3)
    judged = judge(rows(imports, decoding, encoding, sizes, helps))

    machine = {"python": "%s (%s)" % (platform.python_version(), sys.executable),
               "cpu_count": os.cpu_count(), "platform": platform.platform(),
               "ours": "%s, git %s" % (packages["ours"]["version"], git_revision()),
               "reference": "%s %s" % (REFERENCE[0], packages["ref"]["version"]),
               "response": "%d VMs, %.1f MB of JSON" % (generated["vms"], generated["bytes"] / 1e6)}
    print()
    for key, value in machine.items():
        print("%-10s %s" % (key + ":", value))
    print("import rows: median wall time and max RSS of %d fresh processes; decode rows: best of %d"
          % (args.runs, args.repeat))
    print()
    print_table(judged)
    if decoding["ours"]["values_read"] != decoding["ref"]["values_read"]:
        print("\nWARNING: the packages read different numbers of values: ours %d, reference %d"
              % (decoding["ours"]["values_read"], decoding["ref"]["values_read"]))
    failed = [row["measurement"] for row in judged if row["result"] == "FAIL"]
    print("\n%s" % ("ALL TARGETS PASS" if not failed else
                    "%d TARGET(S) FAIL: %s" % (len(failed), "; ".join(failed))))

    results = {"machine": machine, "runs": args.runs, "repeat": args.repeat, "packages": packages,
               "generated": generated, "imports": imports, "decoding": decoding, "encoding": encoding,
               "sizes": dict((side, {"du_kib": disk, "apparent_bytes": apparent})
                             for side, (disk, apparent) in sizes.items()),
               "help": helps,
               "rows": judged}
    with open(os.path.join(WORK, "results.json"), "w") as handle:
        json.dump(results, handle, indent=2)
    print("results: %s" % os.path.relpath(os.path.join(WORK, "results.json")))

    simulator_failed = False
    if not args.no_simulator:
        # The simulator has no reference to compare with: its own targets, in its own process.
        print("\nsimulator (%d VMs) ..." % args.vms, flush=True)
        simulator_failed = subprocess.call([sys.executable, os.path.join(HERE, "simulator.py"),
                                            "--vms", str(args.vms)]) != 0
    return 1 if failed or simulator_failed else 0


if __name__ == "__main__":
    sys.exit(main())
