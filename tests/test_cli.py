"""The `cloudtower` command against the simulator: resources listed, counted and fetched, any
operation called, tasks waited for, images uploaded, changes watched, the simulator started; the
connection from options or the environment; exit codes; --help at every level; no secret ever
printed; a progress line on a terminal only."""
from __future__ import absolute_import

import io
import json
import os
import signal
import subprocess
import sys
import threading
import time

try:
    import queue
except ImportError:  # Python 2
    import Queue as queue

import pytest

from cloudtower import VmApi
from cloudtower.cli import main
from cloudtower.connection import api_url
from cloudtower.models import SPEC_VERSION

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture
def cli(demo, monkeypatch, capsys):
    """`cli(*argv, stdin=None)`: run the command in this process against `demo`, logged in through
    the environment; returns (exit code, stdout, stderr)."""
    for name in ("CLOUDTOWER_TOKEN", "CLOUDTOWER_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CLOUDTOWER_URL", demo.url)
    monkeypatch.setenv("CLOUDTOWER_USER", "root")
    monkeypatch.setenv("CLOUDTOWER_PASSWORD", "root")

    def run(*argv, **options):
        if options.get("stdin") is not None:
            monkeypatch.setattr(sys, "stdin", io.StringIO(options["stdin"]))
        capsys.readouterr()
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err
    return run


def command(*argv, **options):
    """Run `python -m cloudtower ARGV` in a child process; (exit code, stdout, stderr)."""
    env = dict(os.environ, PYTHONPATH=ROOT)
    env.update(options.get("env") or {})
    process = subprocess.Popen([sys.executable, "-m", "cloudtower"] + list(argv), stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    out, err = process.communicate((options.get("stdin") or "").encode("utf-8"))
    return process.returncode, out.decode("utf-8"), err.decode("utf-8")


def rows(table):
    lines = table.strip().splitlines()
    return [line.split() for line in lines[1:]], lines[0].split()


# -- resources ------------------------------------------------------------------------------------

def test_vms_list_shows_a_table(cli, client):
    code, out, err = cli("vms", "list", "--where", "name_contains=web")
    assert code == 0 and err == ""
    table, header = rows(out)
    assert header == ["NAME", "STATUS", "VCPU", "MEMORY", "CLUSTER.NAME", "HOST.NAME", "ID"]
    expected = VmApi(client).get_vms({"where": {"name_contains": "web"}, "orderBy": "id_ASC"})
    assert [row[0] for row in table] == [vm.name for vm in expected]
    assert [row[-1] for row in table] == [vm.id for vm in expected]


@pytest.mark.parametrize("output", ["json", "jsonl"])
def test_vms_list_as_json(cli, client, output):
    code, out, _ = cli("vms", "list", "--where", "status=RUNNING", "--order-by", "name_DESC",
                       "--output", output)
    items = json.loads(out) if output == "json" else [json.loads(line) for line in out.splitlines()]
    expected = VmApi(client).get_vms({"where": {"status": "RUNNING"}, "orderBy": "name_DESC"})
    assert code == 0 and [item["name"] for item in items] == [vm.name for vm in expected]
    assert "entityAsyncStatus" in items[0] or "entity_async_status" in items[0] or "cluster" in items[0]


def test_list_limit_and_columns(cli):
    code, out, _ = cli("vms", "list", "--order-by", "name_ASC", "--limit", "4",
                       "--columns", "name,cluster.name,vm_disks", "--page-size", "3")
    table, header = rows(out)
    assert code == 0 and header == ["NAME", "CLUSTER.NAME", "VM_DISKS"] and len(table) == 4
    assert [row[0] for row in table] == sorted(row[0] for row in table)
    assert all(row[2].isdigit() for row in table)   # a list shows how many


@pytest.mark.parametrize("where, body", [
    (["status=RUNNING"], {"status": "RUNNING"}),
    (["vcpu_gte=4"], {"vcpu_gte": 4}),
    (["status_in=RUNNING,SUSPENDED"], {"status_in": ["RUNNING", "SUSPENDED"]}),
    (["cluster.name=elf-prod", "ha=true"], {"AND": [{"cluster": {"name": "elf-prod"}}, {"ha": True}]}),
    (["host=null"], {"host": None}),
], ids=["enum", "int", "list", "relation+bool", "null"])
def test_count_reads_where_values_as_their_types(cli, client, where, body):
    argv = ["vms", "count"]
    for condition in where:
        argv += ["--where", condition]
    code, out, _ = cli(*argv)
    assert code == 0 and int(out) == VmApi(client).get_vms_connection({"where": body}).aggregate.count


def test_where_json(cli, client):
    code, out, _ = cli("vms", "count", "--where-json", '{"OR": [{"name": "web-01"}, {"name": "db-01"}]}')
    assert code == 0 and out.strip() == "2"


@pytest.mark.parametrize("argv, message", [
    (["vms", "list", "--where", "nmae=x"], "VmWhereInput has no 'nmae'; did you mean name?"),
    (["vms", "list", "--where", "vcpu_gte=many"], "'many' is not a int"),
    (["vms", "list", "--where", "name"], "KEY=VALUE"),
    (["vms", "list", "--where", "name.x=1"], "name is not a relation"),
    (["vms", "list", "--where-json", "{"], "not JSON"),
    (["vmz", "list"], "did you mean vms?"),
    (["vms", "list", "--limit", "0"], "positive integer"),
    (["vms"], "usage: cloudtower vms"),   # "choose an action" (Python 2: "too few arguments")
], ids=["unknown field", "not an int", "no value", "not a relation", "bad JSON", "unknown resource",
        "bad limit", "no action"])
def test_bad_input_is_exit_code_2_with_a_message(cli, argv, message):
    code, out, err = cli(*argv)
    assert code == 2 and out == "" and message in err


def test_get_one_resource_as_json(cli, client):
    vm = VmApi(client).get_vms({"first": 1})[0]
    code, out, _ = cli("vms", "get", vm.id)
    assert code == 0 and json.loads(out)["name"] == vm.name
    code, out, err = cli("vms", "get", "no-such-vm")
    assert code == 1 and "no Vm with id no-such-vm" in err


def test_any_query_is_a_resource(cli):
    code, out, _ = cli("vm-snapshots", "list", "--output", "json")
    assert code == 0 and isinstance(json.loads(out), list)
    code, out, _ = cli("elf-images", "count")
    assert code == 0 and int(out) > 0


# -- call -----------------------------------------------------------------------------------------------

def test_call_any_operation_with_a_json_body(cli, demo, sent):
    code, out, _ = cli("call", "get-vms", '{"first": 5, "orderBy": "name_ASC"}')
    assert code == 0 and len(json.loads(out)) == 5
    assert sent(demo, "/get-vms")[-1].json == {"first": 5, "orderBy": "name_ASC"}
    code, out, _ = cli("call", "GetVmsConnection")
    assert code == 0 and json.loads(out)["aggregate"]["count"] == 30
    code, out, _ = cli("call", "get-version")
    assert code == 0 and json.loads(out) == SPEC_VERSION


def test_call_reads_the_body_from_stdin_or_a_file(cli, tmpdir):
    code, out, _ = cli("call", "get_clusters", "-", stdin=u'{"where": {"type": "SMTX_ZBS"}}')
    assert code == 0 and [item["type"] for item in json.loads(out)] == ["SMTX_ZBS"]
    body = tmpdir.join("body.json")
    body.write('{"first": 1}')
    code, out, _ = cli("call", "/get-hosts", "@" + str(body))
    assert code == 0 and len(json.loads(out)) == 1


def test_call_a_get_operation_with_its_query_parameters(cli, demo, sent):
    code, out, _ = cli("call", "resource-changes", '{"resource_type": "VM", "limit": 3}')
    answer = json.loads(out)
    assert code == 0 and "currentRevision" in answer and len(answer["data"]) <= 3
    assert sent(demo, "/resource-changes")[-1].method == "GET"


def test_call_a_mutation_and_wait_for_its_task(cli, client, demo):
    vm = VmApi(client).get_vms({"where": {"status": "STOPPED"}, "first": 1})[0]
    code, out, _ = cli("call", "start-vm", json.dumps({"where": {"id": vm.id}}))
    task_id = json.loads(out)[0]["task_id"]
    assert code == 0 and task_id
    demo.advance_tasks()
    code, out, _ = cli("tasks", "wait", task_id, "--output", "json")
    assert code == 0 and json.loads(out)[0]["status"] == "SUCCESSED"


@pytest.mark.parametrize("argv, message", [
    (["call", "get-vmz"], "no operation 'get-vmz'; did you mean /get-vms"),
    (["call", "get-vms", "{nope"], "BODY is not JSON"),
    (["call", "get-vms", '{"nmae": 1}'], "nmae"),
    (["call", "resource-changes", "[1]"], "takes its parameters as a JSON object"),
], ids=["unknown operation", "bad JSON", "unknown field", "not an object"])
def test_call_with_bad_input_is_exit_code_2(cli, argv, message):
    code, _, err = cli(*argv)
    assert code == 2 and message in err


# -- tasks wait -------------------------------------------------------------------------------------

def start_stopped(client, count, demo=None):
    vms = VmApi(client).get_vms({"where": {"status": "STOPPED"}, "orderBy": "name_ASC", "first": count})
    return [VmApi(client).start_vm({"where": {"id": vm.id}})[0].task_id for vm in vms]


def test_tasks_wait_exit_codes(cli, client, demo):
    done = start_stopped(client, 2)
    demo.advance_tasks()
    code, out, _ = cli("tasks", "wait", *done)
    table, header = rows(out)
    assert code == 0 and [row[0] for row in table] == done and all(row[1] == "SUCCESSED" for row in table)

    demo.faults.add("task", operation="/start-vm", count=1, message="no room")
    failed = start_stopped(client, 1)
    demo.advance_tasks()
    code, out, err = cli("tasks", "wait", failed[0])
    assert code == 1 and "1 task(s) failed" in err and "no room" in out

    running = start_stopped(client, 1)   # never ends: tasks move only on advance_tasks()
    code, _, err = cli("tasks", "wait", running[0], "--timeout", "0.3", "--interval", "0.05")
    assert code == 5 and running[0] in err

    code, _, err = cli("tasks", "wait", "no-such-task")
    assert code == 1 and "No task with id(s): no-such-task" in err


# -- uploads and watching ------------------------------------------------------------------------------

def test_upload_an_iso_by_cluster_name(cli, demo, tmpdir):
    with demo.store.lock:
        demo.store.settings["upload_chunk_size"] = 4096
    path = tmpdir.join("tools.iso")
    path.write_binary(b"\x01" * 10000)
    code, out, err = cli("upload", "elf-image", str(path), "--cluster", "elf-prod", "--chunk-size", "4096")
    table, header = rows(out)
    assert code == 0 and header == ["NAME", "SIZE", "ID"] and table[0][:2] == ["tools.iso", "10000"]
    assert "\r" not in err   # no progress line: stderr is not a terminal
    code, out, _ = cli("upload", "content-library-image", str(path), "--cluster", "elf-prod",
                       "--cluster", "elf-dev", "--chunk-size", "4096", "--name", "lib", "-o", "json")
    image = json.loads(out)[0]
    assert code == 0 and image["name"] == "lib" and len(image["clusters"]) == 2
    code, _, err = cli("upload", "elf-image", str(path), "--cluster", "no-such-cluster")
    assert code == 2 and "no such cluster" in err
    code, _, err = cli("upload", "elf-image", str(tmpdir.join("missing.iso")), "--cluster", "elf-prod")
    assert code == 2 and "missing.iso" in err


def test_watch_prints_changes_until_interrupted(demo, client):
    env = {"CLOUDTOWER_URL": demo.url, "CLOUDTOWER_USER": "root", "CLOUDTOWER_PASSWORD": "root"}
    env.update(PYTHONPATH=ROOT)
    argv = [sys.executable, "-m", "cloudtower", "watch", "--type", "VM", "--interval", "0.05"]
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env=dict(os.environ, **env))
    lines = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(line) for line in iter(process.stdout.readline, b"")])
    reader.daemon = True
    reader.start()
    try:
        vms = VmApi(client).get_vms({})
        # The watch starts from the newest change it is told of when it first asks: a change made
        # before that answer is not news to it. So change VMs (one at a time: a VM is locked
        # while its change runs) until one change is printed.
        deadline, event, changes = time.time() + 60, None, 0
        while event is None:
            assert time.time() < deadline and process.poll() is None, "watch printed none of %d changes" % changes
            changed = vms[changes % len(vms)].id
            VmApi(client).update_vm({"where": {"id": changed}, "data": {"description": "seen by watch %d" % changes}})
            changes += 1
            try:
                event = json.loads(lines.get(timeout=1).decode("utf-8"))
            except queue.Empty:
                continue
        assert event["resource_type"] == "VM" and event["resource_id"] in [vm.id for vm in vms[:changes]]
    finally:
        # SIGTERM, as a service manager stops it: SIGINT is ignored by jobs a shell runs in the
        # background, and so by this test when the matrix runs that way.
        process.send_signal(signal.SIGTERM)
        deadline = time.time() + 60
        while process.poll() is None and time.time() < deadline:
            time.sleep(0.05)
        if process.poll() is None:
            process.kill()
        reader.join()  # (stdout is at its end: the reader stops)
        err = process.stderr.read()
    assert process.returncode == 0 and "go on with --since" in err.decode("utf-8")


def test_simulator_runs_the_built_in_simulator(capsys):
    assert main(["simulator", "--coverage"]) == 0
    assert "stateful: " in capsys.readouterr()[0]


# -- connection, secrets, exit codes ------------------------------------------------------------------

def test_password_from_stdin_and_never_echoed(start_simulator, sent):
    sim = start_simulator(seed="demo", users=["alice:pw-3f9c1d"])
    code, out, err = command("--host", sim.url, "--user", "alice", "--password-stdin", "-vv", "vms", "count",
                             stdin="pw-3f9c1d\n", env={"CLOUDTOWER_PASSWORD": "", "CLOUDTOWER_TOKEN": ""})
    assert code == 0 and out.strip() == "30"
    assert sent(sim, "/login")[-1].json["password"] == "pw-3f9c1d"
    token = sent(sim, "/get-vms-connection")[-1].headers["authorization"]
    assert "request POST %s/login" % sim.url in err and "/get-vms-connection" in err   # -vv logged them ...
    assert "pw-3f9c1d" not in out + err and token not in out + err                   # ... with no secret
    assert err.count("request POST %s/get-vms-connection" % sim.url) == 1   # logged once, not twice


def test_token_from_the_environment(demo, token, sent):
    code, out, _ = command("vms", "count", env={"CLOUDTOWER_URL": demo.url, "CLOUDTOWER_TOKEN": token,
                                                "CLOUDTOWER_USER": "", "CLOUDTOWER_PASSWORD": ""})
    assert code == 0 and out.strip() == "30" and sent(demo, "/login") == []


@pytest.mark.parametrize("argv, env, code, message", [
    (["vms", "count"], {"CLOUDTOWER_PASSWORD": "pw-9e8d7c"}, 4,
     "login failed: HTTP 400: Invalid username or password"),
    (["vms", "count"], {"CLOUDTOWER_USER": "", "CLOUDTOWER_TOKEN": "not-a-token"}, 4, "HTTP 401"),
    (["vms", "count"], {"CLOUDTOWER_URL": "http://127.0.0.1:1/v2/api"}, 3, "Connection refused"),
    (["vms", "count"], {"CLOUDTOWER_URL": ""}, 2, "no CloudTower: give --host URL or set CLOUDTOWER_URL"),
    (["vms", "count"], {"CLOUDTOWER_USER": ""}, 2, "no user"),
    (["vms", "count"], {"CLOUDTOWER_PASSWORD": ""}, 2, "no password: give it with --password-stdin"),
    (["--bogus"], {}, 2, "unrecognized arguments"),
    ([], {}, 2, "usage: cloudtower"),
], ids=["wrong password", "bad token", "unreachable", "no host", "no user", "no password (no terminal)",
        "unknown option", "no command"])
def test_exit_codes(demo, argv, env, code, message):
    base = {"CLOUDTOWER_URL": demo.url, "CLOUDTOWER_USER": "root", "CLOUDTOWER_PASSWORD": "root",
            "CLOUDTOWER_TOKEN": ""}
    base.update(env)
    got, out, err = command(*argv, env=base)
    assert got == code and message in err
    assert "pw-9e8d7c" not in out + err   # the password is not shown


def test_a_server_error_is_exit_code_1(cli, demo):
    demo.faults.add("status", operation="/get-vms-connection", status=500, message="db down")
    code, _, err = cli("vms", "count")
    assert code == 1 and "HTTP 500: db down" in err and "request id" in err


@pytest.mark.parametrize("argv", [
    [], ["vms"], ["vms", "list"], ["vms", "count"], ["vms", "get"], ["tasks", "wait"], ["call"], ["upload"],
    ["upload", "elf-image"], ["upload", "svt-image"], ["upload", "content-library-image"], ["watch"],
    ["simulator"],
])
def test_help_at_every_level(demo, argv):
    code, out, err = command(*(argv + ["--help"]) if argv else ["--help"], env={"CLOUDTOWER_URL": demo.url})
    assert code == 0 and out.startswith("usage: ") and err == ""
    if argv:
        assert out.startswith("usage: cloudtower " + " ".join(argv))


def test_version():
    code, out, err = command("--version")
    assert code == 0 and "cloudtower" in out + err and "API %s" % SPEC_VERSION in out + err


@pytest.mark.parametrize("host, url", [
    ("tower.example.com", "https://tower.example.com/v2/api"),
    ("http://10.0.0.5", "http://10.0.0.5/v2/api"),
    ("https://tower/v2/api/", "https://tower/v2/api"),
    ("http://127.0.0.1:8090/v2/api", "http://127.0.0.1:8090/v2/api"),
])
def test_host_becomes_the_api_url(host, url):
    assert api_url(host) == url


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a pseudo-terminal (pty) is needed")
def test_progress_line_on_a_terminal_only(start_simulator):
    import pty
    sim = start_simulator(seed="demo", task_delay=None)   # tasks end when the test says
    client = sim.client()
    task_ids = start_stopped(client, 2)

    def end_after_two_polls():
        deadline = time.time() + 60
        while len([entry for entry in list(sim.requests) if entry[1].endswith("/get-tasks")]) < 2:
            if time.time() > deadline:
                break
            time.sleep(0.01)
        sim.advance_tasks()
    ender = threading.Thread(target=end_after_two_polls, name="test-ender")
    ender.daemon = True
    ender.start()
    master, slave = pty.openpty()
    env = dict(os.environ, PYTHONPATH=ROOT, CLOUDTOWER_URL=sim.url, CLOUDTOWER_USER="root",
               CLOUDTOWER_PASSWORD="root")
    argv = [sys.executable, "-m", "cloudtower", "tasks", "wait", "--interval", "0.1"] + task_ids
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=slave, env=env)
    out = process.communicate()[0].decode("utf-8")
    os.close(slave)
    err = b""
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:
            break
        if not data:
            break
        err += data
    os.close(master)
    assert process.returncode == 0 and "SUCCESSED" in out
    assert b"\rtasks: 0 of 2 ended" in err and b"tasks: 2 of 2 ended" in err
