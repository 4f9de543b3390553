"""`python -m cloudtower.simulator`: run as a separate process, spoken to over HTTP(S).

Also the --state file's crash safety: the process is killed with SIGKILL at several moments
(one of them while it writes the file) and must always leave a file that parses and loads.
"""
from __future__ import absolute_import

import glob
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time

import pytest
import urllib3

from cloudtower import ApiClient, ApiException, Configuration, TaskApi, VmApi
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
    assert json.loads(response.data.decode("utf-8")) == "4.6.0"
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


def test_task_delay_sets_how_long_tasks_take(cli):
    client = cli("--task-delay", "0.8").client()
    vm = VmApi(client).get_vms({"first": 1})[0]
    started = time.time()
    answer = VmApi(client).update_vm({"where": {"id": vm.id}, "data": {"name": "slow"}})
    task = TaskApi(client).get_tasks({"where": {"id": answer[0].task_id}})[0]
    assert task.status in ("PENDING", "EXECUTING")
    done = wait_tasks([answer[0].task_id], client, interval=0.05, timeout=30)
    assert done[0].status == "SUCCESSED"
    assert time.time() - started >= 0.7


def test_task_delay_none_keeps_tasks_pending(cli):
    client = cli("--task-delay", "none").client()
    vm = VmApi(client).get_vms({"first": 1})[0]
    answer = VmApi(client).update_vm({"where": {"id": vm.id}, "data": {"name": "waiting"}})
    time.sleep(0.4)
    assert TaskApi(client).get_tasks({"where": {"id": answer[0].task_id}})[0].status == "PENDING"


def test_cert_and_key_serve_https(cli):
    process = cli("--cert", CERT_FILE, "--key", KEY_FILE)
    assert process.url.startswith("https://127.0.0.1:")
    idle = socket.create_connection(("127.0.0.1", process.port))  # connects, never says hello
    pool = urllib3.PoolManager(cert_reqs="CERT_REQUIRED", ca_certs=CERT_FILE, timeout=10, retries=False)
    by_name = process.url.replace("://127.0.0.1:", "://localhost:")
    assert json.loads(pool.request("GET", by_name + "/get-version").data.decode("utf-8")) == "4.6.0"
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


def test_coverage_lists_every_operation_with_totals():
    code, out, err = run_cli("--coverage")
    assert code == 0, err
    lines = out.strip().splitlines()
    match = TOTALS.match(lines[-1])
    assert match, lines[-1]
    numbers = [int(group) for group in match.groups()]
    stateful, generic, kinds, total = numbers[0], numbers[1], numbers[2:9], numbers[9]
    assert total == 554 == stateful + generic == len(lines) - 1
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
    return glob.glob(os.path.join(os.path.dirname(state), "." + os.path.basename(state) + ".*"))


def saving(state):
    """A condition true once the state file is being written: a temporary file beside it (an
    atomic writer), or the file itself changing size (a writer in place)."""
    sizes = []

    def check():
        try:
            sizes.append(os.path.getsize(state))
        except OSError:
            sizes.append(None)
        return bool(temporary_files(state)) or len(set(sizes[-2:])) > 1
    return check


def inode(path):
    try:
        return os.stat(path).st_ino
    except OSError:
        return None


class Churn(object):
    """Renames one VM over and over from a thread, remembering the last acknowledged name."""

    def __init__(self, client, vm_id, prefix):
        self.client = client
        self.vm_id = vm_id
        self.prefix = prefix
        self.acknowledged = None
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.run)
        self.thread.daemon = True
        self.thread.start()

    def run(self):
        api = VmApi(self.client)
        number = 0
        while not self.stopped.is_set():
            number += 1
            name = "%s-%d" % (self.prefix, number)
            try:
                api.update_vm({"where": {"id": self.vm_id}, "data": {"name": name}})
            except Exception:  # noqa: BLE001 - the server is killed under our feet
                if self.stopped.wait(0.01):
                    return
                continue
            self.acknowledged = name

    def stop(self):
        self.stopped.set()
        self.thread.join(30)


def wait_for(condition, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if condition():
            return True
        time.sleep(0.0005)
    return False


@posix_only
def test_the_state_file_survives_sigkill_at_any_moment(cli, tmpdir):
    """SIGKILL right after start, while writing the file (a temporary file is there), just after
    a save, and at a random moment: the file always parses, and a restart loads it."""
    state = os.path.join(str(tmpdir), "state.json")
    arguments = ("--state", state, "--vms", "1500", "--task-delay", "0")
    moments = ["at-start", "while-saving", "after-a-save", "after-0.3s", "while-saving"]
    caught_mid_save = 0
    vm_id = None
    for attempt, moment in enumerate(moments):
        process = cli(*arguments)
        client = process.client()
        if vm_id is None:
            vm_id = VmApi(client).get_vms({"first": 1})[0].id
        churn = Churn(client, vm_id, "attempt%d" % attempt) if moment != "at-start" else None
        before = inode(state)
        if moment == "while-saving":
            assert wait_for(saving(state)), "no save started"
        elif moment == "after-a-save":
            assert wait_for(lambda: inode(state) not in (None, before)), "no save happened"
        elif moment == "after-0.3s":
            time.sleep(0.3)
        leftovers = set(temporary_files(state))
        process.process.send_signal(signal.SIGKILL)
        assert process.wait() == -signal.SIGKILL
        if churn is not None:
            churn.stop()
        if moment == "while-saving" and leftovers & set(temporary_files(state)):
            caught_mid_save += 1  # killed with the new file half-written: the old one must do

        if os.path.exists(state):
            with open(state) as handle:
                saved = json.load(handle)  # never half-written
            saved_name = [vm["name"] for vm in saved["tables"]["Vm"] if vm["id"] == vm_id][0]
        else:
            assert attempt == 0  # nothing changed yet: nothing to save
            saved_name = None
        restarted = cli(*arguments)
        vms = VmApi(restarted.client()).get_vms({})
        assert len(vms) == 1500
        if saved_name is not None:
            assert [vm.name for vm in vms if vm.id == vm_id] == [saved_name]
        assert restarted.signal(signal.SIGTERM) == 0
    assert caught_mid_save >= 1, "never killed during a save"
