"""cloudtower.utils against the simulator: waiting for its tasks, logging in (LOCAL, and LDAP through
the AUTHN strategy), the SVT ISO version."""
from __future__ import absolute_import

import io
import threading
import time

import pytest

from cloudtower import (ApiException, BadRequestException, Configuration, ServiceException, Task,
                        UserApi, VmApi)
from cloudtower.utils import get_svt_image_version, login, wait_task, wait_tasks

FAST = {"interval": 0.01, "timeout": 30}
TIB = 1024 ** 4


def stopped_vm_ids(client):
    """The ids of the stopped VMs of the estate, by name."""
    vms = VmApi(client).get_vms({"where": {"status": "STOPPED"}, "order_by": "name_ASC"})
    assert len(vms) >= 3, "the demo estate has stopped VMs"
    return [vm.id for vm in vms]


def start_vm(client, vm_id):
    """Starts VM `vm_id`; the id of the task that does it."""
    return VmApi(client).start_vm({"where": {"id": vm_id}})[0].task_id


def polled_ids(sim, sent):
    """The task ids of each /get-tasks request `sim` received, in turn."""
    return [request.json["where"]["id_in"] for request in sent(sim, "/get-tasks")]


def end_tasks_after_polls(sim, sent, polls):
    """A started thread that ends `sim`'s running tasks once it has answered `polls` task polls (so
    that a waiting test sees them running first, however fast or slow the machine is)."""
    def run():
        deadline = time.time() + 30
        while len(sent(sim, "/get-tasks")) < polls and time.time() < deadline:
            time.sleep(0.005)
        sim.advance_tasks()
    thread = threading.Thread(target=run, name="test-end-tasks")
    thread.daemon = True
    thread.start()
    return thread


def test_wait_task_returns_when_the_task_succeeds(start_simulator, sent):
    sim = start_simulator(task_delay=0.05)
    client = sim.client()
    vm_id = stopped_vm_ids(client)[0]
    answer = VmApi(client).start_vm({"where": {"id": vm_id}})[0]
    assert answer.data.status == "STOPPED"  # the task has not run yet
    task = wait_task(answer.task_id, client, **FAST)
    assert isinstance(task, Task)
    assert task.id == answer.task_id and task.status == "SUCCESSED"
    assert VmApi(client).get_vms({"where": {"id": vm_id}})[0].status == "RUNNING"
    polls = sent(sim, "/get-tasks")
    token = client.configuration.api_key["Authorization"]
    assert polls and all(request.method == "POST" and request.headers["authorization"] == token
                         for request in polls)
    assert all(request.json == {"where": {"id_in": [answer.task_id]}} for request in polls)


def test_wait_task_polls_until_the_task_ends(demo, client, sent):
    task_id = start_vm(client, stopped_vm_ids(client)[0])
    ender = end_tasks_after_polls(demo, sent, 3)
    task = wait_task(task_id, client, **FAST)
    ender.join(30)
    assert task.status == "SUCCESSED"
    assert len(polled_ids(demo, sent)) >= 4  # 3 saw it running, then one saw it end


def test_wait_tasks_polls_only_the_unfinished_ones(demo, client, sent):
    first, second = stopped_vm_ids(client)[:2]
    done = start_vm(client, first)
    demo.advance_tasks()
    running = start_vm(client, second)
    ender = end_tasks_after_polls(demo, sent, 3)
    tasks = wait_tasks([done, running], client, **FAST)
    ender.join(30)
    assert [task.id for task in tasks] == [done, running]
    assert all(task.status == "SUCCESSED" for task in tasks)
    asked = polled_ids(demo, sent)
    assert asked[0] == [done, running]
    assert len(asked) >= 4 and all(ids == [running] for ids in asked[1:])


def test_wait_tasks_does_not_change_the_ids(start_simulator):
    sim = start_simulator(task_delay=0.05)
    client = sim.client()
    first, second = [start_vm(client, vm_id) for vm_id in stopped_vm_ids(client)[:2]]
    ids = [first, second, first]
    tasks = wait_tasks(ids, client, **FAST)
    assert ids == [first, second, first]
    assert set(task.id for task in tasks) == set([first, second])


def test_wait_tasks_lists_every_failure(demo, client, sent):
    vm_ids = stopped_vm_ids(client)
    # a: its task fails by a fault the simulator injects, and has ended before the wait starts
    demo.faults.add("task", operation="/start-vm", count=1, message="boom in a")
    failed_early = start_vm(client, vm_ids[0])
    # b: a VM whose memory no host has; its task fails while the wait polls
    VmApi(client).update_vm({"where": {"id": vm_ids[1]}, "data": {"memory": 64 * TIB}})
    demo.advance_tasks()
    impossible = start_vm(client, vm_ids[1])
    fine = start_vm(client, vm_ids[2])
    ender = end_tasks_after_polls(demo, sent, 2)
    with pytest.raises(ApiException) as raised:
        wait_tasks([failed_early, impossible, fine], client, **FAST)
    ender.join(30)
    error = raised.value
    assert error.status == 500
    assert sorted(task.id for task in error.failed_tasks) == sorted([failed_early, impossible])
    assert all(task.status == "FAILED" for task in error.failed_tasks)
    assert "boom in a" in error.reason and "free memory" in error.reason
    assert "boom in a" in str(error)
    asked = polled_ids(demo, sent)
    assert asked[0] == [failed_early, impossible, fine]
    assert len(asked) >= 3 and all(ids == [impossible, fine] for ids in asked[1:])  # waited for b


def test_wait_tasks_exit_on_error_raises_at_once(demo, client, sent):
    vm_ids = stopped_vm_ids(client)
    demo.faults.add("task", operation="/start-vm", count=1, message="boom in b")
    failed = start_vm(client, vm_ids[0])
    demo.advance_tasks()
    running = start_vm(client, vm_ids[1])  # never ends: tasks move only on advance_tasks()
    with pytest.raises(ApiException) as raised:
        wait_tasks([running, failed], client, exit_on_error=True, **FAST)
    assert raised.value.status == 500
    assert "boom in b" in raised.value.reason
    assert polled_ids(demo, sent) == [[running, failed]]


def test_wait_task_raises_when_the_task_fails(start_simulator):
    sim = start_simulator(task_delay=0.05)
    client = sim.client()
    sim.faults.add("task", operation="/start-vm", message="boom in t")
    vm_id = stopped_vm_ids(client)[0]
    with pytest.raises(ApiException) as raised:
        wait_task(start_vm(client, vm_id), client, **FAST)
    assert raised.value.status == 500
    assert "boom in t" in str(raised.value)
    assert VmApi(client).get_vms({"where": {"id": vm_id}})[0].status == "STOPPED"


def test_wait_tasks_times_out(demo, client, sent):
    first, second = stopped_vm_ids(client)[:2]
    quick = start_vm(client, first)
    demo.advance_tasks()
    slow = start_vm(client, second)  # never ends: tasks move only on advance_tasks()
    with pytest.raises(ApiException) as raised:
        wait_tasks([quick, slow], client, interval=0.01, timeout=0.2)
    error = raised.value
    assert error.status == 408
    assert slow in error.reason and quick not in error.reason
    assert error.pending_ids == [slow]
    assert len(polled_ids(demo, sent)) >= 2


def test_wait_task_times_out(demo, client):
    task_id = start_vm(client, stopped_vm_ids(client)[0])
    with pytest.raises(ApiException) as raised:
        wait_task(task_id, client, interval=0.01, timeout=0.1)
    assert raised.value.status == 408


def test_wait_tasks_passes_server_errors_on(demo, client):
    task_id = start_vm(client, stopped_vm_ids(client)[0])
    demo.faults.add("status", operation="/get-tasks", status=500, message="db down")
    with pytest.raises(ServiceException) as raised:
        wait_task(task_id, client, **FAST)
    assert raised.value.status == 500 and raised.value.message == "db down"


# -- login ----------------------------------------------------------------------------------------

def test_login_stores_the_token(demo, make_client, sent):
    config = Configuration(host=demo.url)
    client = make_client(config)
    login(client, "root", "root")
    token = config.api_key["Authorization"]
    assert token
    request = sent(demo)[-1]
    assert request.method == "POST" and request.path == "/v2/api/login" and request.status == 200
    assert request.json == {"username": "root", "password": "root", "source": "LOCAL"}
    assert "authorization" not in request.headers
    VmApi(client).get_vms({})
    assert sent(demo)[-1].headers["authorization"] == token
    assert sent(demo)[-1].status == 200


def test_login_replaces_an_old_token(client, config, token):
    login(client, "root", "root")
    assert config.api_key["Authorization"] not in (None, token)
    assert VmApi(client).get_vms({"first": 1})


def test_login_failure_raises_and_keeps_the_old_token(client, config, token):
    with pytest.raises(BadRequestException) as raised:
        login(client, "root", "wrong")
    assert raised.value.status == 400 and raised.value.message == "Invalid username or password"
    assert config.api_key["Authorization"] == token


def test_ldap_login_uses_the_authn_strategy(start_simulator, make_client, sent):
    sim = start_simulator(users=["ldap:alice:pw"])
    ldap = [item["id"] for item in sim.store.settings["authn_strategies"] if item["type"] == "LDAP"]
    with sim.store.lock:  # another kind of strategy first: only the LDAP one is used
        sim.store.settings["authn_strategies"].insert(0, {"id": "s-oidc", "type": "OIDC"})
    config = Configuration(host=sim.url)
    client = make_client(config)
    login(client, "alice", "pw", source="LDAP")
    graphql, sent_login = sent(sim)
    assert graphql.method == "POST" and graphql.path == "/api" and graphql.status == 200
    assert graphql.json["query"] == "{authnStrategies{id type}}"
    assert sent_login.path == "/v2/api/login" and sent_login.status == 200
    assert sent_login.json == {"username": "alice", "password": "pw", "source": "AUTHN",
                               "auth_config_id": ldap[0]}
    assert UserApi(client).get_my_info().username == "alice"


def without_ldap_strategy(strategies):
    """A setup: the simulator's AUTHN strategies become `strategies` (its LDAP users stay)."""
    def setup(sim):
        with sim.store.lock:
            sim.store.settings["authn_strategies"] = list(strategies)
    return setup


def fault(kind, **options):
    """A setup: the next request (the GraphQL lookup) gets a fault of `kind`."""
    def setup(sim):
        return sim.faults.add(kind, count=1, **options)
    return setup


@pytest.mark.parametrize("setup", [
    without_ldap_strategy([]),
    without_ldap_strategy([{"id": "s-oidc", "type": "OIDC"}]),
    fault("status", status=404),
    fault("drop"),
    fault("malformed"),
], ids=["no strategy", "no LDAP strategy", "404", "dropped", "not JSON"])
def test_ldap_login_falls_back_to_source_ldap(start_simulator, make_client, sent, setup):
    sim = start_simulator(users=["ldap:alice:pw"])
    injected = setup(sim)
    config = Configuration(host=sim.url)
    client = make_client(config)
    login(client, "alice", "pw", source="LDAP")
    if injected is not None:
        assert injected.count == 0  # the lookup got the fault (the journal keeps no faulted answer)
    else:
        assert [request.status for request in sent(sim, "/api")] == [200]
    assert sent(sim, "/login")[-1].json == {"username": "alice", "password": "pw", "source": "LDAP"}
    assert UserApi(client).get_my_info().username == "alice"


@pytest.mark.parametrize("graphql_answer", [
    (500, {}, b"<html>error</html>"),
    {"data": {"authnStrategies": None}},
    {"errors": [{"message": "Cannot query field"}]},
])
def test_ldap_login_falls_back_on_answers_of_other_servers(recorder, recorder_client, recorder_config,
                                                           graphql_answer):
    # Recorder: HTML error pages, null strategies and GraphQL errors, which the simulator never gives.
    recorder.script("/api", graphql_answer)
    recorder.script("/login", {"task_id": None, "data": {"token": "tok-old-ldap"}})
    login(recorder_client, "alice", "pw", source="LDAP")
    assert recorder.requests_to("/api")
    sent_login = recorder.requests_to("/login")[-1]
    assert sent_login.json == {"username": "alice", "password": "pw", "source": "LDAP"}
    assert recorder_config.api_key["Authorization"] == "tok-old-ldap"


# -- SVT image version ------------------------------------------------------------------------------

def write_iso(path, version_field, size=64 * 1024):
    data = bytearray(b"\x01" * size)
    offset = 32 * 1024 + 190
    data[offset:offset + len(version_field)] = version_field
    with io.open(path, "wb") as handle:
        handle.write(bytes(data))


@pytest.mark.parametrize("field, expected", [
    (b"5.1.2-beta.3".ljust(128, b"\x00"), "5.1.2-beta.3"),
    (b"  v6.0.0  ".ljust(128, b" "), "v6.0.0"),
    (b"X" * 128 + b"TRAILER", "X" * 128),
])
def test_get_svt_image_version(tmpdir, field, expected):
    path = str(tmpdir.join("svt.iso"))
    write_iso(path, field)
    assert get_svt_image_version(path) == expected


def test_get_svt_image_version_of_a_missing_file(tmpdir):
    with pytest.raises((IOError, OSError)):
        get_svt_image_version(str(tmpdir.join("absent.iso")))
