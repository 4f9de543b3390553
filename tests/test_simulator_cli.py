"""`python -m cloudtower.simulator`: run as a separate process, spoken to over HTTP(S).

Also the --state file's crash safety: the process is killed with SIGKILL at several moments
(one of them while it writes the file) and must always leave a file that parses and loads.
"""
from __future__ import absolute_import

import datetime
import glob
import json
import os
import re
import signal
import socket
import stat
import subprocess
import sys
import threading
import time

import pytest
import urllib3

from cloudtower import ApiClient, ApiException, Configuration, LabelApi, TaskApi, VmApi
from cloudtower.models import SPEC_VERSION
from cloudtower.utils import login, wait_tasks

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "tests", "data")
CERT_FILE = os.path.join(DATA, "localhost.crt")
KEY_FILE = os.path.join(DATA, "localhost.key")
LISTENING = re.compile(r"^CloudTower simulator listening on (https?)://127\.0\.0\.1:(\d+)/v2/api$")
TOTALS = re.compile(r"^stateful: (\d+), generic: (\d+) \(query: (\d+), count: (\d+), create: (\d+), "
                    r"update: (\d+), action: (\d+), delete: (\d+), example: (\d+)\), total: (\d+)$")
STARTUP_TIMEOUT = 60

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX signals")


def environment():
    env = dict(os.environ)
    env["PYTHONPATH"] = ROOT + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def run_cli(*args):
    """Run the CLI to its end: (exit code, stdout text, stderr text)."""
    process = subprocess.Popen([sys.executable, "-m", "cloudtower.simulator"] + list(args), cwd=ROOT,
                               env=environment(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = process.communicate()
    return process.returncode, out.decode("utf-8"), err.decode("utf-8")


class Cli(object):
    """A running simulator process (`--port 0` unless a port is given)."""

    def __init__(self, tmpdir, *args):
        command = [sys.executable, "-m", "cloudtower.simulator"] + list(args)
        if "--port" not in args:
            command += ["--port", "0"]
        self.stderr_path = os.path.join(str(tmpdir), "stderr-%d.txt" % id(self))
        self._stderr = open(self.stderr_path, "wb")
        self.process = subprocess.Popen(command, cwd=ROOT, env=environment(), stdout=subprocess.PIPE,
                                        stderr=self._stderr)
        watchdog = threading.Timer(STARTUP_TIMEOUT, self._kill_quietly)
        watchdog.start()
        try:
            self.line = self.process.stdout.readline().decode("utf-8").rstrip("\r\n")
        finally:
            watchdog.cancel()
        match = LISTENING.match(self.line)
        if not match:
            self.kill()
            raise AssertionError("no listening line but %r; stderr: %s" % (self.line, self.errors()))
        self.url = self.line.split(" on ", 1)[1]
        self.port = int(match.group(2))
        self.clients = []

    def _kill_quietly(self):
        try:
            self.process.kill()
        except OSError:
            pass

    def client(self, username="root", password="root", source="LOCAL", token=None):
        configuration = Configuration(host=self.url)
        if self.url.startswith("https"):
            # By name: on Python 2 urllib3 1.26 cannot match the certificate's IP address without
            # the `ipaddress` backport (the SDK bug noted in test_tls.py).
            configuration.host = self.url.replace("://127.0.0.1:", "://localhost:")
            configuration.ssl_ca_cert = CERT_FILE
        client = ApiClient(configuration)
        self.clients.append(client)
        if token is not None:
            configuration.api_key["Authorization"] = token
        else:
            login(client, username, password, source)
        return client

    def signal(self, number):
        for client in self.clients:
            client.close()
        self.process.send_signal(number)
        return self.wait()

    def wait(self, timeout=30):
        deadline = time.time() + timeout
        while self.process.poll() is None:
            if time.time() > deadline:
                self.process.kill()
                raise AssertionError("the simulator did not stop within %s s" % timeout)
            time.sleep(0.02)
        if not self.process.stdout.closed:
            self.rest = self.process.stdout.read().decode("utf-8")
            self.process.stdout.close()
            self._stderr.close()
        return self.process.returncode

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
        return self.wait()

    def errors(self):
        if not self._stderr.closed:
            self._stderr.flush()
        with open(self.stderr_path, "rb") as handle:
            return handle.read().decode("utf-8", "replace")


@pytest.fixture
def cli(tmpdir):
    """`cli(*args)`: a started simulator process, killed after the test if still running."""
    started = []

    def start(*args):
        process = Cli(tmpdir, *args)
        started.append(process)
        return process
    yield start
    for process in started:
        process.kill()


def free_port():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


def rename(client, vm_id, name):
    """Rename a VM and wait for its task."""
    answer = VmApi(client).update_vm({"where": {"id": vm_id}, "data": {"name": name}})
    wait_tasks([item.task_id for item in answer], client, interval=0.02, timeout=30)


# -- serving -------------------------------------------------------------------------------------

@posix_only
def test_prints_one_listening_line_serves_and_exits_0_on_sigterm(cli):
    process = cli()
    assert process.port != 0  # --port 0 picked a free port, and the line tells which
    response = urllib3.PoolManager().request("GET", process.url + "/get-version")
    assert response.status == 200
    assert json.loads(response.data.decode("utf-8")) == SPEC_VERSION
    assert process.signal(signal.SIGTERM) == 0
    assert process.rest == ""  # exactly one line on stdout


@posix_only
def test_sigint_stops_it_cleanly_too(cli):
    process = cli()
    assert VmApi(process.client()).get_vms({})
    assert process.signal(signal.SIGINT) == 0
    assert "Traceback" not in process.errors()


def test_listens_on_the_given_port(cli):
    port = free_port()
    process = cli("--port", str(port))
    assert process.port == port
    assert process.url == "http://127.0.0.1:%d/v2/api" % port


def raw_exchange(port, data):
    """Send raw bytes on a new connection: the answer's status line (b"" if none came)."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=STARTUP_TIMEOUT)
    try:
        sock.sendall(data)
        answer = b""
        while b"\r\n" not in answer:
            chunk = sock.recv(4096)
            if not chunk:
                break
            answer += chunk
        return answer.split(b"\r\n")[0]
    finally:
        sock.close()


@posix_only
def test_bad_input_gets_a_4xx_and_leaves_no_traceback_on_stderr(cli):
    process = cli("--idle-timeout", "0.5")
    token = process.client().configuration.api_key["Authorization"]

    def post(path, data, length=None):
        head = "POST %s HTTP/1.1\r\nHost: localhost\r\nAuthorization: %s\r\nContent-Length: %s\r\n\r\n" % (
            path, token, len(data) if length is None else length)
        return raw_exchange(process.port, head.encode("ascii") + data)
    deep = b'{"where":' + b'{"NOT":[' * 600 + b"{}" + b"]}" * 600 + b"}"
    answers = [
        post("/v2/api/create-user", b'[{"username": "", "name": "n", "password": "p", "role_id": "r"}]'),
        post("/v2/api/get-vms", deep),
        post("/api", b'{"query": 5}'),
        post("/v2/api/get-vms", b"{}", length="-1"),
        post("/v2/api/get-vms", b"{}", length="abc"),
    ]
    assert [line.split(b" ")[1] for line in answers] == [b"400"] * 5
    assert raw_exchange(process.port, b"POST /v2/api/get-vms HTTP/1.1\r\n") == b""  # half-open: closed
    assert VmApi(process.client()).get_vms({"first": 1})  # still serving
    assert process.signal(signal.SIGTERM) == 0
    assert "Traceback" not in process.errors() and process.errors() == ""


def test_seed_empty_has_no_vms_demo_has_some(cli):
    assert VmApi(cli("--seed", "empty").client()).get_vms({}) == []
    assert len(VmApi(cli("--seed", "demo").client()).get_vms({})) > 0


def test_vms_scales_the_demo_estate(cli):
    client = cli("--vms", "50").client()
    assert len(VmApi(client).get_vms({})) == 50
    assert VmApi(client).get_vms_connection({}).aggregate.count == 50


def test_user_adds_local_and_ldap_users(cli):
    process = cli("--user", "alice:s3cret", "--user", "ldap:bob:ldap-pw")
    assert VmApi(process.client("alice", "s3cret")).get_vms({})
    assert VmApi(process.client("bob", "ldap-pw", source="LDAP")).get_vms({})
    assert VmApi(process.client("root", "root")).get_vms({})  # the default user is still there
    with pytest.raises(ApiException) as raised:
        process.client("alice", "wrong")
    assert raised.value.status == 400


def test_a_malformed_user_is_a_usage_error():
    code, out, err = run_cli("--user", "no-password-here")
    assert code == 2
    assert "NAME:PASSWORD" in err
    assert out == ""


def seconds(timestamp):
    """An API timestamp (`2026-01-01T00:00:00.000Z`) as seconds."""
    moment = datetime.datetime.strptime(timestamp, "%Y-%m-%dT%H:%M:%S.%fZ")
    return (moment - datetime.datetime(1970, 1, 1)).total_seconds()


def test_task_delay_sets_how_long_tasks_take(cli):
    """The task the simulator records went PENDING, EXECUTING at half the delay, SUCCESSED at
    its end (by its own timestamps)."""
    client = cli("--task-delay", "0.8").client()
    vm = VmApi(client).get_vms({"first": 1})[0]
    answer = VmApi(client).update_vm({"where": {"id": vm.id}, "data": {"name": "slow"}})
    task = TaskApi(client).get_tasks({"where": {"id": answer[0].task_id}})[0]
    assert task.status in ("PENDING", "EXECUTING")
    done = wait_tasks([answer[0].task_id], client, interval=0.05, timeout=60)[0]
    assert done.status == "SUCCESSED"
    assert seconds(done.started_at) - seconds(done.local_created_at) >= 0.4 - 0.001
    assert seconds(done.finished_at) - seconds(done.local_created_at) >= 0.8 - 0.001


def test_task_delay_none_keeps_tasks_pending(cli):
    client = cli("--task-delay", "none").client()
    vm = VmApi(client).get_vms({"first": 1})[0]
    answer = VmApi(client).update_vm({"where": {"id": vm.id}, "data": {"name": "waiting"}})
    for _ in range(10):  # every request moves the tasks whose time has come: none has
        task = TaskApi(client).get_tasks({"where": {"id": answer[0].task_id}})[0]
    assert task.status == "PENDING"


def test_cert_and_key_serve_https(cli):
    process = cli("--cert", CERT_FILE, "--key", KEY_FILE)
    assert process.url.startswith("https://127.0.0.1:")
    idle = socket.create_connection(("127.0.0.1", process.port))  # connects, never says hello
    pool = urllib3.PoolManager(cert_reqs="CERT_REQUIRED", ca_certs=CERT_FILE, timeout=10, retries=False)
    by_name = process.url.replace("://127.0.0.1:", "://localhost:")
    assert json.loads(pool.request("GET", by_name + "/get-version").data.decode("utf-8")) == SPEC_VERSION
    client = process.client()
    assert VmApi(client).get_vms({})
    idle.close()
    with pytest.raises(urllib3.exceptions.HTTPError):  # it speaks only TLS
        urllib3.PoolManager(retries=False).request("GET", by_name.replace("https:", "http:") + "/get-version")


def test_fault_option_injects_faults(cli):
    process = cli("--fault", "status op=/get-vms count=1 status=502 retry-after=3",
                  "--fault", "task op=/update-vm-basic-info message=disk_full")
    client = process.client()
    client.configuration.retries = 0  # see the fault itself
    with pytest.raises(ApiException) as raised:
        VmApi(client).get_vms({})
    assert raised.value.status == 502
    assert raised.value.headers["Retry-After"] == "3"
    vm = VmApi(client).get_vms({})[0]  # count=1: only the first call failed
    answer = VmApi(client).update_vm({"where": {"id": vm.id}, "data": {"name": "x"}})
    with pytest.raises(ApiException) as failed:
        wait_tasks([answer[0].task_id], client, interval=0.02, timeout=30)
    assert failed.value.status == 500
    assert "disk full" in str(failed.value)


def test_a_bad_fault_is_a_usage_error():
    code, out, err = run_cli("--fault", "explode op=/get-vms")
    assert code == 2 and "fault kind" in err
    code, out, err = run_cli("--fault", "status op=/no-such-operation")
    assert code == 2 and "no operation /no-such-operation" in err


def test_help_documents_the_fault_syntax():
    code, out, err = run_cli("--help")
    assert code == 0
    for word in ("latency", "status", "drop", "malformed", "task", "op=", "count=", "fraction=", "retry-after="):
        assert word in out


def test_usage_and_errors_name_the_command_it_was_started_as(capsys):
    code, out, err = run_cli("--help")
    assert code == 0 and out.startswith("usage: python -m cloudtower.simulator [-h]")
    from cloudtower.cli import main
    assert main(["simulator", "--help"]) == 0
    assert capsys.readouterr().out.startswith("usage: cloudtower simulator [-h]")
    assert main(["simulator", "--vms", "many"]) == 2
    assert "cloudtower simulator: error: argument --vms" in capsys.readouterr().err


def test_coverage_lists_every_operation_with_totals():
    code, out, err = run_cli("--coverage")
    assert code == 0, err
    lines = out.strip().splitlines()
    match = TOTALS.match(lines[-1])
    assert match, lines[-1]
    numbers = [int(group) for group in match.groups()]
    stateful, generic, kinds, total = numbers[0], numbers[1], numbers[2:9], numbers[9]
    assert total == 577 == stateful + generic == len(lines) - 1
    assert sum(kinds) == generic
    assert stateful >= 4  # at least /login, /get-version, /get-my-info, /resource-changes
    rows = dict((line.split()[0], line.split()[1:]) for line in lines[:-1])
    assert rows["/login"] == ["UserApi", "stateful"]
    assert rows["/get-version"][1] == "stateful"


# -- the state file ----------------------------------------------------------------------------

@posix_only
def test_sigterm_saves_the_latest_change_and_tokens_survive(cli, tmpdir):
    state = os.path.join(str(tmpdir), "state.json")
    first = cli("--state", state)
    client = first.client()
    token = client.configuration.api_key["Authorization"]
    vm = VmApi(client).get_vms({"first": 1})[0]
    rename(client, vm.id, "renamed-before-restart")
    assert first.signal(signal.SIGTERM) == 0  # at once: the periodic save may not have run
    with open(state) as handle:
        json.load(handle)

    second = cli("--state", state)
    same_session = second.client(token=token)  # no new login: the old token is still valid
    assert VmApi(same_session).get_vms({"where": {"id": vm.id}})[0].name == "renamed-before-restart"
    assert second.signal(signal.SIGTERM) == 0


@posix_only
def test_user_flags_apply_when_the_state_file_exists(cli, tmpdir):
    state = os.path.join(str(tmpdir), "state.json")
    assert cli("--state", state).signal(signal.SIGTERM) == 0
    later = cli("--state", state, "--user", "carol:pw")
    assert VmApi(later.client("carol", "pw")).get_vms({})


def temporary_files(state):
    """Temporary files of a snapshot being written beside `state`."""
    return glob.glob(os.path.join(os.path.dirname(state), "." + os.path.basename(state) + ".*.snapshot-tmp"))


def journals(state):
    return sorted(glob.glob(state + ".journal-*"))


def inode(path):
    try:
        return os.stat(path).st_ino
    except OSError:
        return None


class Writers(object):
    """Threads that create labels as fast as they can, each through its own client, remembering
    every label whose creation was answered (acknowledged)."""

    def __init__(self, process, prefix, count=3):
        self.clients = [process.client() for _ in range(count)]  # logged in here, one at a time
        self.prefix = prefix
        self.acknowledged = []
        self.stopped = threading.Event()
        self.threads = [threading.Thread(target=self.run, args=(index,)) for index in range(count)]
        for thread in self.threads:
            thread.daemon = True
            thread.start()

    def run(self, index):
        api = LabelApi(self.clients[index])
        number = 0
        while not self.stopped.is_set():
            number += 1
            key = "%s-%d-%d" % (self.prefix, index, number)
            try:
                api.create_label([{"key": key, "value": "v"}])
            except Exception:  # noqa: BLE001 - the server is killed under our feet
                return
            self.acknowledged.append(key)

    def stop(self):
        self.stopped.set()
        for thread in self.threads:
            thread.join(60)
        for client in self.clients:
            client.close()


def wait_for(condition, timeout=60):
    """Poll `condition` until it holds (True) or `timeout` seconds passed (False)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if condition():
            return True
        time.sleep(0.0005)
    return False


@posix_only
def test_every_answered_change_survives_sigkill_at_any_moment(cli, tmpdir):
    """Labels are created from three clients while the journal is compacted again and again
    (--compact-after is small); SIGKILL comes while a snapshot is being written, or just after
    one was. Every label whose creation was answered is there after the restart."""
    state = os.path.join(str(tmpdir), "state.json")
    arguments = ("--state", state, "--vms", "500", "--task-delay", "0", "--compact-after", "100000")
    moments = ["while-compacting", "after-a-compaction", "while-compacting"]
    acknowledged = []
    caught_mid_compaction = 0
    for attempt, moment in enumerate(moments):
        process = cli(*arguments)
        writers = Writers(process, "attempt%d" % attempt)
        before = inode(state)
        if moment == "while-compacting":
            assert wait_for(lambda: temporary_files(state)), "no compaction started"
        else:
            assert wait_for(lambda: inode(state) != before), "no compaction happened"
        writing = set(temporary_files(state))
        process.process.send_signal(signal.SIGKILL)
        assert process.wait() == -signal.SIGKILL
        writers.stop()
        assert writers.acknowledged, "nothing was answered before the kill"
        acknowledged.extend(writers.acknowledged)
        if moment == "while-compacting" and writing & set(temporary_files(state)):
            caught_mid_compaction += 1  # killed with the new snapshot half-written

        restarted = cli(*arguments)
        client = restarted.client()
        keys = set(label.key for label in LabelApi(client).get_labels({"where": {"key_starts_with": "attempt"}}))
        assert [key for key in acknowledged if key not in keys] == []
        assert VmApi(client).get_vms_connection({}).aggregate.count == 500
        assert restarted.signal(signal.SIGTERM) == 0
        assert journals(state) == [] and temporary_files(state) == []  # a clean stop: the snapshot alone
    assert caught_mid_compaction >= 1, "never killed while a snapshot was being written"


def killed_after_a_change(cli, state, name, *extra):
    """Start with --state, rename the first VM to `name`, SIGKILL: the VM's id."""
    process = cli("--state", state, "--task-delay", "0", *extra)
    client = process.client()
    vm = VmApi(client).get_vms({"first": 1})[0]
    rename(client, vm.id, name)
    process.process.send_signal(signal.SIGKILL)
    process.wait()
    return vm.id


def first_vm_name(process):
    return VmApi(process.client()).get_vms({"first": 1})[0].name


@posix_only
def test_a_torn_last_journal_line_is_dropped_and_the_journal_goes_on(cli, tmpdir):
    state = os.path.join(str(tmpdir), "state.json")
    killed_after_a_change(cli, state, "before-the-tear")
    [journal] = journals(state)
    with open(journal, "ab") as handle:
        handle.write(b'{"records":{"Vm":{"cl0')  # the process died writing this line
    process = cli("--state", state, "--task-delay", "0", "-v")
    assert first_vm_name(process) == "before-the-tear"
    rename(process.client(), VmApi(process.client()).get_vms({"first": 1})[0].id, "after-the-tear")
    process.process.send_signal(signal.SIGKILL)
    process.wait()
    assert "dropped a torn last line" in process.errors()
    with open(journal, "rb") as handle:
        assert b'"cl0{' not in handle.read()  # what follows the tear was written after it, not glued on
    again = cli("--state", state)
    assert first_vm_name(again) == "after-the-tear"  # the tear was cut off, not left in the middle
    assert again.signal(signal.SIGTERM) == 0


@posix_only
def test_a_journal_damaged_before_its_end_stops_the_start_with_a_message(cli, tmpdir):
    state = os.path.join(str(tmpdir), "state.json")
    killed_after_a_change(cli, state, "first")
    killed_after_a_change(cli, state, "second")
    [journal] = journals(state)
    with open(journal, "rb") as handle:
        lines = handle.read().split(b"\n")
    lines[1] = lines[1][:-5]
    with open(journal, "wb") as handle:
        handle.write(b"\n".join(lines))
    code, out, err = run_cli("--state", state, "--port", "0")
    assert code == 2 and out == ""
    assert "cannot load the estate" in err and "line 2 is damaged" in err and "Traceback" not in err


@posix_only
def test_starting_deletes_only_files_the_simulator_wrote(cli, tmpdir):
    directory = str(tmpdir)
    state = os.path.join(directory, "state.json")
    theirs = {
        "state.json.user-notes.txt": b"my notes",
        ".state.json.user-notes.txt": b"hidden notes",
        ".state.json.abc123": b"an editor's swap file",
        ".state.json.abcdefgh.snapshot-tmp": b"not a snapshot at all",
        "state.json.journal-7": b"not a journal\n",
        "state.json.journal-old": b"mine",
        "state.json.bak": b'{"format":2,"generation":1,"tables":{}}',
    }
    for name, content in theirs.items():
        with open(os.path.join(directory, name), "wb") as handle:
            handle.write(content)
    ours = os.path.join(directory, ".state.json.x1y2z3_q.snapshot-tmp")  # a snapshot cut short by a kill
    with open(ours, "wb") as handle:
        handle.write(b'{"format":2,"generation":3,"tables":{"Vm":[{"id":"cl')

    killed_after_a_change(cli, state, "kept")
    process = cli("--state", state)
    assert first_vm_name(process) == "kept"
    assert process.signal(signal.SIGTERM) == 0
    for name, content in theirs.items():
        with open(os.path.join(directory, name), "rb") as handle:
            assert handle.read() == content, name
    assert not os.path.exists(ours)
    assert sorted(os.listdir(directory)) == sorted(list(theirs) + ["state.json"] +
                                                   [name for name in os.listdir(directory) if name.startswith("stderr-")])


@posix_only
def test_the_state_files_are_private(cli, tmpdir):
    state = os.path.join(str(tmpdir), "state.json")
    killed_after_a_change(cli, state, "private")
    for path in [state] + journals(state):
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, path
