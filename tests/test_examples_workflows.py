"""The workflow examples in examples/ run as written: with no arguments against the built-in
simulator, and against a CloudTower named by --host/--user/--password or the environment (here:
a simulator of the test)."""
from __future__ import absolute_import

import glob
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLES = os.path.join(ROOT, "examples")


def run(name, *args, **env):
    """Run examples/`name` in a fresh interpreter; its output (it must exit 0)."""
    environment = dict(os.environ, PYTHONPATH=ROOT)
    for variable in ("CLOUDTOWER_URL", "CLOUDTOWER_USER", "CLOUDTOWER_PASSWORD", "CLOUDTOWER_TOKEN"):
        environment.pop(variable, None)
    environment.update(env)
    process = subprocess.Popen([sys.executable, os.path.join(EXAMPLES, name)] + list(args),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=environment)
    output = process.communicate()[0].decode("utf-8", "replace")
    assert process.returncode == 0, output
    assert "Traceback" not in output and "Warning" not in output, output
    return output


def test_create_vm_blank_and_from_a_template_with_cloud_init():
    output = run("create_vm.py")
    assert "sdk-blank          STOPPED  2 vCPU, 4 GiB, disks: CD_ROM, DISK, DISK; 2 NIC(s)" in output
    assert "sdk-from-template  RUNNING" in output and "hostname sdk-web-1" in output
    assert "Deleted 2 VM(s); done." in output


def test_power_many_vms_at_once():
    output = run("power_vms.py", "--count", "2")
    assert "after start_vm: sdk-power-1 RUNNING, sdk-power-2 RUNNING" in output
    assert "after restart_vm: sdk-power-1 RUNNING, sdk-power-2 RUNNING" in output
    assert "after poweroff_vm: sdk-power-1 STOPPED, sdk-power-2 STOPPED" in output
    assert "start_vm: 2 of 2 task(s) ended" in output


def test_add_and_remove_disks_and_nics():
    lines = dict(line.split(": ", 1) for line in run("disks_and_nics.py").splitlines()
                 if line.startswith(("at first:", "added:", "removed:")))
    assert lines["at first"].startswith("disks DISK sdk-devices-disk; NICs ")
    assert "DISK sdk-devices-data" in lines["added"] and "(E1000)" in lines["added"]
    assert lines["removed"] == lines["at first"]


def test_migrate_a_running_vm_and_back():
    output = run("migrate_vm.py")
    first_host = output.split("sdk-migrate runs on ")[1].split()[0]
    assert "migrated back to %s" % first_host in output
    asked = output.split("(asked for ")[1].split(")")[0]
    assert "migrated to %s (asked for %s)" % (asked, asked) in output and asked != first_host


def test_recycle_bin_and_recovery():
    output = run("recycle_bin.py")
    assert output.index("after move_vm_to_recycle_bin: sdk-recycled is in the recycle bin") < \
        output.index("after recover_vm_from_recycle_bin: sdk-recycled is STOPPED") < \
        output.index("after delete_vm: sdk-recycled is gone")


def test_upload_an_iso_and_mount_it():
    output = run("upload_iso.py")
    assert "100.0% (24 of 24 MiB)" in output
    assert "ELF image sdk-example.iso: 25165824 bytes" in output
    assert "sdk-with-iso has it in a CD-ROM: sdk-example.iso" in output and "Deleted the image." in output


def test_watch_changes_while_they_happen():
    output = run("watch_changes.py")
    assert "CREATE VM sdk-watched" in output and "DELETE VM sdk-watched-renamed" in output
    assert "a later watch can go on from revision" in output


def test_page_through_a_large_estate():
    output = run("page_estate.py", "--page-size", "1000")
    assert "5000 VMs match; reading them 1000 at a time" in output and "5 pages read" in output
    counted = sum(int(line.split()[-1]) for line in output.splitlines()
                  if line.strip().split()[-1:] and line.strip().split()[-1].isdigit() and "GiB" not in line
                  and "pages" not in line and "match" not in line)
    assert counted == 5000


def test_an_example_runs_against_the_cloudtower_the_options_name(start_simulator, sent):
    sim = start_simulator(seed="demo", task_delay=0.05, users=["ops:pw-example"])
    output = run("power_vms.py", "--count", "1", "--host", sim.url, "--user", "ops",
                 "--password", "pw-example")
    assert "Using a simulated CloudTower" not in output
    assert "after poweroff_vm: sdk-power-1 STOPPED" in output
    assert [request.json["username"] for request in sent(sim, "/login")] == ["ops"]
    assert sent(sim, "/create-vm") and sent(sim, "/delete-vm")


def test_an_example_runs_against_the_cloudtower_the_environment_names(start_simulator, sent):
    sim = start_simulator(seed="demo", task_delay=0.05)
    output = run("dashboard.py", CLOUDTOWER_URL=sim.url, CLOUDTOWER_USER="root", CLOUDTOWER_PASSWORD="root")
    assert "Using a simulated CloudTower" not in output and "storage" in output
    assert sent(sim, "/login") and sent(sim, "/get-alerts")


@pytest.mark.parametrize("name", sorted(os.path.basename(path)
                                        for path in glob.glob(os.path.join(EXAMPLES, "*.py"))
                                        if os.path.basename(path) != "sandbox.py"))
def test_every_example_explains_itself(name):
    output = run(name, "--help")
    assert output.startswith("usage: ") and "--host" in output and "--password" in output


def test_queries_keep_working_through_a_failover_of_an_active_passive_pair():
    output = run("active_passive.py")
    lines = output.splitlines()
    answered = [line.rsplit(" ", 1)[1] for line in lines if line.startswith("query ")]
    assert len(answered) == 10 and len(set(answered[:5])) == len(set(answered[5:])) == 1
    assert answered[0] != answered[5]  # the second half answered by the other endpoint
    assert "answered POST /get-vms-connection with 307: it is passive now" in output
    assert "10 queries, none failed: 5 answered by " in output
    assert "answered 307: the update was not carried out; sending it again" in output
    assert "'updated after a failover', answered by %s" % answered[0] in output


def test_the_active_passive_example_runs_against_the_endpoints_the_options_name(start_simulator, sent):
    pair = start_simulator(seed="demo", endpoints=2)
    output = run("active_passive.py", "--host", ",".join(reversed(pair.urls)), "--user", "root", "--password",
                 "root", "--queries", "3", "--interval", "0")
    assert "Endpoints %s, %s; %s is active" % (pair.root_urls[1], pair.root_urls[0], pair.root_urls[0]) in output
    assert output.count("answered by %s" % pair.root_urls[0]) == 3
    assert len(sent(pair, "/get-vms-connection")) == 3
