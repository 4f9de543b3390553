"""The examples in examples/ run as written, against the built-in simulator."""
from __future__ import absolute_import

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_example(name, *args):
    env = dict(os.environ, PYTHONPATH=ROOT)
    env.pop("CLOUDTOWER_URL", None)
    process = subprocess.Popen([sys.executable, os.path.join(ROOT, "examples", name)] + list(args),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    output = process.communicate()[0].decode("utf-8", "replace")
    assert process.returncode == 0, output
    return output


def test_quickstart_creates_starts_snapshots_and_deletes_a_vm():
    output = run_example("quickstart.py")
    assert "elf-prod" in output and "SMTX_ZBS" in output
    assert "VM sdk-quickstart is RUNNING with 1 disk(s) and 1 NIC(s)" in output
    assert "Snapshot sdk-quickstart-snap taken" in output
    assert "deleted; done." in output


def test_dashboard_sums_alerts_disks_and_capacity():
    output = run_example("dashboard.py")
    lines = dict(line.split(None, 1) for line in output.strip().splitlines())
    assert "'CRITICAL'" in lines["alerts"] and "'NOTICE'" in lines["alerts"] and "'INFO'" in lines["alerts"]
    assert "'total'" in lines["hdd"]
    assert "GHz of" in lines["cpu"] and "free of" in lines["storage"]


def test_backup_vm_finds_the_lun_snapshots_of_its_disks():
    output = run_example("backup_vm.py", "db-01")
    assert "snapshot db-01-backup" in output
    assert output.count("LUN snapshot ") >= 1
