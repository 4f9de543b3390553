# -*- coding: utf-8 -*-
"""How the simulator behaves as a CloudTower, in process: authentication, content-language,
request validation, resource-change events, determinism, tasks over time, many clients at once,
and faults of every kind."""
from __future__ import absolute_import

import json
import logging
import random
import threading
import time

import pytest
import urllib3

from cloudtower import (ApiClient, ApiConnectionError, ApiException, ApiInfoApi, ApiResponseError, ApiValueError,
                        BadRequestException, Configuration,
                        LabelApi, ResourceChangeApi, ResourceLockedException, TaskApi, UnauthorizedException,
                        VmApi)
from cloudtower.models import SPEC_VERSION
from cloudtower.simulator import Simulator
from cloudtower.utils import login, wait_tasks


@pytest.fixture
def start():
    """`start(**options)`: a started Simulator, stopped after the test."""
    started = []

    def make(**options):
        options.setdefault("seed", "demo")
        simulator = Simulator(**options).start()
        started.append(simulator)
        return simulator
    yield make
    for simulator in started:
        simulator.stop()


@pytest.fixture
def sim(start):
    return start(task_delay=0.02)


@pytest.fixture
def clients():
    """`clients.append(client)` closes them after the test."""
    made = []
    yield made
    for client in made:
        client.close()


@pytest.fixture
def client(sim, clients):
    made = sim.client()
    clients.append(made)
    return made


@pytest.fixture
def no_retry_client(sim, clients):
    """A client that does not retry, so that every injected fault reaches the test."""
    made = sim.client(retries=0)
    clients.append(made)
    return made


@pytest.fixture
def http():
    pool = urllib3.PoolManager()
    yield pool
    pool.clear()


def raw(http, sim, path, body=None, token=None, language=None, method="POST", headers=None):
    """Send JSON as it is (no SDK validation): (status, decoded body, headers)."""
    sent = {"Content-Type": "application/json"}
    if token:
        sent["Authorization"] = token
    if language:
        sent["content-language"] = language
    sent.update(headers or {})
    data = json.dumps(body).encode("utf-8") if body is not None else None
    response = http.request(method, sim.url + path, body=data, headers=sent)
    return response.status, json.loads(response.data.decode("utf-8")), response.headers


def token_of(client):
    return client.configuration.api_key["Authorization"]


def bare_client(sim, clients, **settings):
    """An ApiClient that has not logged in."""
    configuration = Configuration(host=sim.url)
    for name, value in settings.items():
        setattr(configuration, name, value)
    made = ApiClient(configuration)
    clients.append(made)
    return made


def started(start, clients, **options):
    """A started Simulator, a logged-in client of it and its first VM."""
    sim = start(**options)
    client = sim.client()
    clients.append(client)
    return sim, client, VmApi(client).get_vms({"first": 1})[0]


def rename(client, vm_id, name):
    answer = VmApi(client).update_vm({"where": {"id": vm_id}, "data": {"name": name}})
    return wait_tasks([item.task_id for item in answer], client, interval=0.01, timeout=30)


# -- authentication ------------------------------------------------------------------------------

def test_local_login_gives_a_token_and_a_bad_password_is_400(sim, clients, http):
    status, body, _ = raw(http, sim, "/login", {"username": "root", "password": "root", "source": "LOCAL"})
    assert status == 200 and body["task_id"] is None and body["data"]["token"]
    status, body, _ = raw(http, sim, "/login", {"username": "root", "password": "wrong", "source": "LOCAL"})
    assert status == 400 and body["message"] == "Invalid username or password"
    with pytest.raises(BadRequestException) as raised:
        login(bare_client(sim, clients), "nobody", "root")
    assert raised.value.status == 400


def test_operations_need_a_valid_token(sim, client, clients, http):
    status, body, _ = raw(http, sim, "/get-vms", {})
    assert status == 401 and body["path"] == "/get-vms" and "Authorization" in body["message"]
    assert raw(http, sim, "/get-vms", {}, token="not-a-token")[0] == 401
    assert raw(http, sim, "/get-vms", {}, token="Bearer " + token_of(client))[0] == 401  # the bare token only
    assert raw(http, sim, "/get-vms", {}, token=token_of(client))[0] == 200
    with pytest.raises(UnauthorizedException):
        VmApi(bare_client(sim, clients)).get_vms({})


def test_get_version_needs_no_login(sim, clients, http):
    response = http.request("GET", sim.url + "/get-version")
    assert response.status == 200 and json.loads(response.data.decode("utf-8")) == SPEC_VERSION
    assert ApiInfoApi(bare_client(sim, clients)).get_api_version() == SPEC_VERSION


def test_an_ldap_user_logs_in_through_the_authn_strategy(start, clients):
    sim = start(users=["ldap:bob:ldap-pw", "alice:pw"])
    client = bare_client(sim, clients)
    login(client, "bob", "ldap-pw", source="LDAP")
    assert VmApi(client).get_vms({})
    sent = [json.loads(body.decode("utf-8")) for method, path, headers, body, status in sim.requests
            if path.endswith("/login") and status == 200]
    assert sent[-1]["source"] == "AUTHN" and sent[-1]["auth_config_id"]
    with pytest.raises(BadRequestException):  # an LDAP user is no LOCAL user
        login(bare_client(sim, clients), "bob", "ldap-pw", source="LOCAL")
    with pytest.raises(BadRequestException):
        login(bare_client(sim, clients), "bob", "wrong", source="LDAP")
    login(bare_client(sim, clients), "alice", "pw")


def test_resource_changes_take_basic_auth(sim, clients, http):
    basic = bare_client(sim, clients, username="root", password="root")
    answer = ResourceChangeApi(basic).get_resource_changes(limit=5)
    assert int(answer.current_revision) >= 0
    wrong = bare_client(sim, clients, username="root", password="wrong")
    with pytest.raises(UnauthorizedException):
        ResourceChangeApi(wrong).get_resource_changes(limit=5)
    # Basic auth is for /resource-changes only
    headers = urllib3.util.make_headers(basic_auth="root:root")
    assert raw(http, sim, "/get-vms", {}, headers=headers)[0] == 401


# -- content-language ----------------------------------------------------------------------------

def test_content_language_sets_the_language_of_messages(sim, client, http):
    token = token_of(client)
    english = raw(http, sim, "/get-vms", {"first": "ten"}, token=token, language="en-US")
    chinese = raw(http, sim, "/get-vms", {"first": "ten"}, token=token, language="zh-CN")
    assert english[0] == chinese[0] == 400
    assert english[1]["message"].startswith("Invalid request body")
    assert chinese[1]["message"].startswith(u"请求体无效")
    assert raw(http, sim, "/get-vms", {}, language="zh-CN")[1]["message"].startswith(u"未授权")
    wrong = {"username": "root", "password": "x", "source": "LOCAL"}
    assert raw(http, sim, "/login", wrong, language="zh-CN")[1]["message"] == u"用户名或密码错误"
    assert raw(http, sim, "/get-vms", {}, token=token)[0] == 200  # en-US is the default


def test_another_content_language_is_a_400(sim, client, clients, http):
    status, body, _ = raw(http, sim, "/get-vms", {}, token=token_of(client), language="fr-FR")
    assert status == 400 and "fr-FR" in body["message"] and "content-language" in body["message"]
    with pytest.raises(ApiValueError):  # the SDK refuses it before sending ...
        VmApi(client).get_vms({}, content_language="fr-FR")
    lenient = bare_client(sim, clients, client_side_validation=False)
    login(lenient, "root", "root")
    with pytest.raises(BadRequestException) as raised:  # ... the server when the SDK does not check
        VmApi(lenient).get_vms({}, content_language="fr-FR")
    assert "fr-FR" in raised.value.message


# -- request validation --------------------------------------------------------------------------

@pytest.mark.parametrize("path, body, named", [
    ("/get-vms", {"wher": {}}, "wher"),                                            # unknown field
    ("/get-vms", {"where": {"nmae": "x"}}, "nmae"),                                # unknown nested field
    ("/get-vms", {"first": "ten"}, "first"),                                       # wrong type
    ("/get-vms", {"where": {"vcpu": "four"}}, "vcpu"),                             # wrong nested type
    ("/update-vm-basic-info", {"data": {"name": "x"}}, "where"),                   # missing required
    ("/login", {"username": "root", "source": "LOCAL"}, "password"),               # missing required
    ("/get-vms", {"where": {"status": "BOGUS"}}, "status"),                        # bad enum value
    ("/login", {"username": "root", "password": "root", "source": "KERBEROS"}, "source"),
])
def test_invalid_bodies_are_400_naming_the_field(sim, client, http, path, body, named):
    status, answer, _ = raw(http, sim, path, body, token=token_of(client))
    assert status == 400, answer
    assert named in answer["message"] and answer["path"] == path


def test_a_body_that_is_not_json_is_400(sim, client, http):
    response = http.request("POST", sim.url + "/get-vms", body=b"{not json",
                            headers={"Content-Type": "application/json", "Authorization": token_of(client)})
    assert response.status == 400


# -- resource-change events ----------------------------------------------------------------------

def changes(client, **query):
    return ResourceChangeApi(client).get_resource_changes(**query)


def test_every_change_gets_a_revision_and_pages_of_events(start, clients):
    sim, client, vm = started(start, clients, task_delay=0)
    start_revision = int(changes(client, limit=1).current_revision) + 1
    names = ["watched-%d" % number for number in range(5)]
    for name in names:
        rename(client, vm.id, name)
    LabelApi(client).create_label([{"key": "not-a-vm", "value": "v"}])

    seen, revision, pages = [], start_revision, 0
    while True:
        page = changes(client, start_revision=str(revision), resource_type="VM", limit=2)
        assert page.ec == "" and len(page.data) <= 2
        pages += 1
        if not page.data:
            break
        seen.extend(page.data)
        revision = int(page.data[-1].revision) + 1
    assert pages >= 3
    revisions = [int(event.revision) for event in seen]
    assert revisions == sorted(set(revisions)) and revisions[0] >= start_revision
    assert all(event.revision.isdigit() and int(event.prev_revision) < int(event.revision) for event in seen)
    assert set(event.resource_type for event in seen) == {"VM"}
    shown = []
    for event in seen:
        name = json.loads(event.new_value)["name"] if event.new_value else None
        if name in names and name not in shown:
            shown.append(name)
    assert shown == names  # every rename, in order
    everything = changes(client, start_revision=str(start_revision), limit=1000).data
    assert "LABEL" in set(event.resource_type for event in everything)
    assert int(changes(client, limit=1).current_revision) == int(everything[-1].revision)


def test_an_events_value_names_what_a_resource_points_at_not_what_points_at_it(start, clients):
    sim, client, vm = started(start, clients, task_delay=0)
    start_revision = int(changes(client, limit=1).current_revision) + 1
    answer = VmApi(client).poweroff_vm({"where": {"id": vm.id}}) if vm.status != "STOPPED" else \
        VmApi(client).start_vm({"where": {"id": vm.id}})
    wait_tasks([item.task_id for item in answer], client, interval=0.01, timeout=30)
    events = changes(client, start_revision=str(start_revision), limit=100).data
    [host] = [json.loads(event.new_value) for event in events if event.resource_type == "HOST"]
    assert host["id"] == vm.host.id and "vms" not in host and "disks" not in host  # its to-many relations
    assert host["cluster"] == vm.cluster.id and host["vm_num"] >= 1                  # its fields and to-ones
    new_vm = [json.loads(event.new_value) for event in events if event.resource_type == "VM"][-1]
    assert new_vm["host"] == vm.host.id and "vm_disks" not in new_vm


def test_a_compacted_start_revision_is_reported(start, clients):
    sim, client, vm = started(start, clients, task_delay=0, max_events=5)
    for number in range(5):
        rename(client, vm.id, "churn-%d" % number)
    answer = changes(client, start_revision="1", resource_type="VM", limit=10)
    compacted = int(answer.compact_revision)
    assert compacted > 1
    assert answer.ec == "COMPACTED" and answer.error and answer.data == []  # said, not skipped
    kept = changes(client, start_revision=str(compacted + 1), limit=10)
    assert kept.ec == "" and int(kept.data[0].revision) == compacted + 1

    sim.store.compact(1)
    newest = int(changes(client, limit=1).current_revision)
    assert changes(client, start_revision=str(newest - 1)).ec == "COMPACTED"
    assert [event.revision for event in changes(client, start_revision=str(newest)).data] == [str(newest)]


# -- determinism, reset and tasks over time ------------------------------------------------------

def vms_of(sim, clients):
    client = sim.client()
    clients.append(client)
    return [vm.to_dict() for vm in VmApi(client).get_vms({})]


def test_two_simulators_with_the_same_seed_answer_the_same(start, clients):
    first = vms_of(start(), clients)
    time.sleep(0.05)
    assert vms_of(start(), clients) == first
    assert vms_of(start(vms=20), clients) == vms_of(start(vms=20), clients)


def test_reset_restores_the_seed_and_keeps_clients_logged_in(sim, client, clients):
    before = [vm.to_dict() for vm in VmApi(client).get_vms({})]
    labels = LabelApi(client).get_labels_connection({}).aggregate.count
    rename(client, before[0]["id"], "changed")
    LabelApi(client).create_label([{"key": "temporary", "value": "v"}])
    sim.faults.add("status", operation="/get-clusters")
    sim.reset()
    assert [vm.to_dict() for vm in VmApi(client).get_vms({})] == before
    assert LabelApi(client).get_labels_connection({}).aggregate.count == labels
    assert sim.faults.rules == []


def test_without_task_delay_tasks_wait_for_advance(start, clients):
    sim, client, vm = started(start, clients, task_delay=None)
    answer = VmApi(client).update_vm({"where": {"id": vm.id}, "data": {"name": "held"}})
    for _ in range(10):  # every request moves the tasks whose time has come: none has
        task = TaskApi(client).get_tasks({"where": {"id": answer[0].task_id}})[0]
    assert task.status == "PENDING"
    assert VmApi(client).get_vms({"where": {"id": vm.id}})[0].entity_async_status == "UPDATING"
    with pytest.raises(ResourceLockedException) as locked:
        VmApi(client).update_vm({"where": {"id": vm.id}, "data": {"name": "again"}})
    assert locked.value.locked_resources == [{"id": vm.id, "type": "VM"}]
    sim.advance_tasks()
    task = TaskApi(client).get_tasks({"where": {"id": answer[0].task_id}})[0]
    assert task.status == "SUCCESSED" and task.progress == 1.0
    assert VmApi(client).get_vms({"where": {"id": vm.id}})[0].entity_async_status is None


def test_with_a_task_delay_tasks_move_on_over_time(start, clients):
    sim, client, vm = started(start, clients, task_delay=0.05)
    revision = int(changes(client, limit=1).current_revision) + 1
    answer = VmApi(client).update_vm({"where": {"id": vm.id}, "data": {"name": "timed"}})
    task_id = answer[0].task_id
    observed = []
    deadline = time.time() + 60  # a bound for a busy machine, not a speed
    while time.time() < deadline:
        status = TaskApi(client).get_tasks({"where": {"id": task_id}})[0].status
        if not observed or observed[-1] != status:
            observed.append(status)
        if status == "SUCCESSED":
            break
    assert observed[0] == "PENDING" and observed[-1] == "SUCCESSED"
    assert observed in (["PENDING", "EXECUTING", "SUCCESSED"], ["PENDING", "SUCCESSED"])
    history = [json.loads(event.new_value)["status"]
               for event in changes(client, start_revision=str(revision), resource_id=task_id, limit=100).data]
    history = [status for index, status in enumerate(history) if index == 0 or history[index - 1] != status]
    assert history == ["PENDING", "EXECUTING", "SUCCESSED"]
    task = TaskApi(client).get_tasks({"where": {"id": task_id}})[0]
    assert task.started_at <= task.finished_at


# -- many clients at once ------------------------------------------------------------------------

THREADS = 50
ROUNDS = 3


def test_concurrent_clients_lose_no_update(start):
    sim = start(task_delay=0.005, vms=THREADS, max_events=1000000)
    setup = sim.client()
    vms = sorted(VmApi(setup).get_vms({}), key=lambda vm: vm.name)
    assert len(vms) == THREADS
    labels_before = LabelApi(setup).get_labels_connection({}).aggregate.count
    shared = LabelApi(setup).create_label([{"key": "shared", "value": "initial"}])[0].data.id
    sim.advance_tasks()
    first_revision = int(changes(setup, limit=1).current_revision) + 1
    tasks_before = [task.id for task in TaskApi(setup).get_tasks({})]
    failures, locked = [], [0]
    ready = threading.Barrier(THREADS) if hasattr(threading, "Barrier") else None

    def retrying(call):
        deadline = time.time() + 60
        while True:
            try:
                return call()
            except ResourceLockedException:
                locked[0] += 1
                if time.time() > deadline:
                    raise
                time.sleep(random.uniform(0.002, 0.02))

    def worker(index):
        client = sim.client()
        try:
            if ready is not None:
                ready.wait()
            vm_api, label_api = VmApi(client), LabelApi(client)
            for number in range(ROUNDS):
                value = "t%02d-r%d" % (index, number)
                retrying(lambda: vm_api.update_vm({"where": {"id": vms[index].id}, "data": {"name": value}}))
                retrying(lambda: label_api.update_label({"where": {"id": shared}, "data": {"value": value}}))
                label_api.create_label([{"key": "k-" + value, "value": value}])
                assert vm_api.get_vms({"where": {"name_starts_with": "t"}}) is not None
        except Exception as error:  # noqa: BLE001 - reported below
            failures.append((index, repr(error)))
        finally:
            client.close()

    threads = [threading.Thread(target=worker, args=(index,)) for index in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    sim.advance_tasks()
    assert failures == []
    assert not any(thread.is_alive() for thread in threads)

    final = dict((vm.id, vm.name) for vm in VmApi(setup).get_vms({}))
    assert [final[vm.id] for vm in vms] == ["t%02d-r%d" % (index, ROUNDS - 1) for index in range(THREADS)]
    assert LabelApi(setup).get_labels_connection({}).aggregate.count == labels_before + 1 + THREADS * ROUNDS
    created = LabelApi(setup).get_labels({"where": {"key_starts_with": "k-"}})
    assert sorted(label.value for label in created) == sorted(
        "t%02d-r%d" % (index, number) for index in range(THREADS) for number in range(ROUNDS))
    # Every write to the shared label happened (one revision each), the last one is what it shows.
    events = changes(setup, start_revision=str(first_revision), resource_id=shared, limit=1000).data
    values = [json.loads(event.new_value)["value"] for event in events if event.action == "UPDATE"]
    written = [value for index, value in enumerate(values) if index == 0 or values[index - 1] != value]
    assert sorted(set(written)) == sorted(
        "t%02d-r%d" % (index, number) for index in range(THREADS) for number in range(ROUNDS))
    assert LabelApi(setup).get_labels({"where": {"id": shared}})[0].value == values[-1]
    revisions = [int(event["revision"]) for event in sim.store.events]
    assert revisions == sorted(set(revisions))
    tasks = TaskApi(setup).get_tasks({"where": {"id_not_in": tasks_before}})
    assert len(tasks) == 3 * THREADS * ROUNDS and all(task.status == "SUCCESSED" for task in tasks)
    setup.close()


# -- faults --------------------------------------------------------------------------------------

def test_status_fault_for_the_next_calls_of_an_operation(sim, no_retry_client):
    sim.faults.add("status", operation="/get-vms", count=2, status=503, retry_after=1)
    for _ in range(2):
        with pytest.raises(ApiException) as raised:
            VmApi(no_retry_client).get_vms({})
        assert raised.value.status == 503
        assert raised.value.headers["Retry-After"] == "1"
        assert raised.value.request_id
        assert LabelApi(no_retry_client).get_labels({}) is not None  # other operations are not affected
    assert VmApi(no_retry_client).get_vms({})  # after count calls the fault is gone
    sim.faults.add("status", operation="get-vms", count=1, status=502)  # the leading / is optional
    with pytest.raises(ApiException) as raised:
        VmApi(no_retry_client).get_vms({})
    assert raised.value.status == 502 and "Retry-After" not in raised.value.headers


def test_status_fault_for_a_fraction_of_calls(sim, no_retry_client):
    sim.faults.add("status", operation="/get-vms", fraction=0.5, status=503)
    outcomes = []
    for _ in range(40):
        try:
            VmApi(no_retry_client).get_vms({})
            outcomes.append("ok")
        except ApiException as error:
            assert error.status == 503
            outcomes.append("failed")
    assert 5 <= outcomes.count("failed") <= 35


def test_a_latency_fault_holds_the_answer_while_other_calls_are_answered(sim, client, clients):
    """The slow call is in the server (its fault fired) when a call of another operation is
    sent; that one is answered first, and the slow one, later, correctly."""
    slow = sim.faults.add("latency", operation="/get-vms", latency=2.0, count=1)
    other = sim.client()
    clients.append(other)
    answers = []
    thread = threading.Thread(target=lambda: answers.append(VmApi(client).get_vms({"first": 2})))
    thread.start()
    for _ in range(6000):  # until the slow call is in the server
        if slow.fired:
            break
        time.sleep(0.005)
    assert slow.fired == 1
    assert LabelApi(other).get_labels({}) is not None
    assert answers == []  # the slow call is still waiting
    thread.join(60)
    assert [len(answer) for answer in answers] == [2]
    assert VmApi(client).get_vms({"first": 1}) and slow.fired == 1 and sim.faults.rules == []  # count=1: gone


def test_a_latency_fault_for_a_fraction_of_calls(sim, client):
    rule = sim.faults.add("latency", latency=0.01, fraction=0.5)
    for _ in range(12):
        LabelApi(client).get_labels({})
    assert 1 <= rule.fired <= 11 and sim.faults.rules == [rule]


def test_latency_adds_to_another_fault(sim, no_retry_client):
    latency = sim.faults.add("latency", latency=0.05)  # every call, first in the list
    status = sim.faults.add("status", operation="/get-vms", count=1, status=503)
    with pytest.raises(ApiException) as raised:
        VmApi(no_retry_client).get_vms({})
    assert raised.value.status == 503
    assert (latency.fired, status.fired) == (1, 1)  # both hit the same call


def test_drop_fault_surfaces_as_a_connection_error(sim, no_retry_client):
    sim.faults.add("drop", operation="/get-vms", count=1)
    with pytest.raises(ApiConnectionError) as raised:  # no answer at all
        VmApi(no_retry_client).get_vms({})
    assert isinstance(raised.value, urllib3.exceptions.HTTPError)  # what urllib3 raised, too
    assert VmApi(no_retry_client).get_vms({})  # the next call gets a new connection


def test_malformed_fault_is_a_response_error_with_the_raw_text(sim, client):
    expected = json.dumps([vm.to_dict() for vm in VmApi(client).get_vms({})])
    sim.faults.add("malformed", operation="/get-vms", count=1)
    with pytest.raises(ApiResponseError) as raised:
        VmApi(client).get_vms({})
    # The SDK cannot decode it: it raises, with the text as it came.
    answer = raised.value.body
    assert raised.value.status == 200 and raised.value.request_id
    with pytest.raises(ValueError):
        json.loads(answer)
    assert answer.startswith("[{") and 0 < len(answer) < len(expected)
    assert isinstance(VmApi(client).get_vms({}), list)


def test_task_fault_fails_the_next_task_of_the_operation(sim, client):
    sim.faults.add("task", operation="/update-vm-basic-info", count=1, message="disk full")
    vm = VmApi(client).get_vms({"first": 1})[0]
    answer = VmApi(client).update_vm({"where": {"id": vm.id}, "data": {"name": "doomed"}})
    with pytest.raises(ApiException) as raised:
        wait_tasks([answer[0].task_id], client, interval=0.01, timeout=30)
    assert raised.value.status == 500 and "disk full" in str(raised.value)
    task = TaskApi(client).get_tasks({"where": {"id": answer[0].task_id}})[0]
    assert task.status == "FAILED" and task.error_message == "disk full"
    assert rename(client, vm.id, "fine")[0].status == "SUCCESSED"  # only the next task


def test_faults_parse_the_command_line_form():
    from cloudtower.simulator import faults
    rule = faults.parse("status op=/get-vms count=2 fraction=0.5 status=502 retry-after=3")
    assert (rule.kind, rule.operation, rule.count, rule.fraction, rule.status, rule.retry_after) == \
        ("status", "/get-vms", 2, 0.5, 502, 3)
    assert faults.parse("latency seconds=0.25").latency == 0.25
    assert faults.parse("task op=/create-vm message=disk_full").message == "disk full"
    for bad in ("", "explode", "status colour=red", "status count=many"):
        with pytest.raises(ValueError):
            faults.parse(bad)


# -- robustness ----------------------------------------------------------------------------------

def test_tasks_running_when_the_state_was_saved_end_failed_after_a_restart(tmpdir, clients):
    state = str(tmpdir.join("state.json"))
    first = Simulator(seed="demo", task_delay=None, state=state).start()
    client = first.client()
    vm = VmApi(client).get_vms({"first": 1})[0]
    task_id = VmApi(client).update_vm({"where": {"id": vm.id}, "data": {"name": "in-flight"}})[0].task_id
    token = token_of(client)
    client.close()
    first.stop()  # saved with the task PENDING and the VM UPDATING

    second = Simulator(seed="demo", task_delay=0, state=state).start()
    try:
        client = bare_client(second, clients)
        client.configuration.api_key["Authorization"] = token
        task = TaskApi(client).get_tasks({"where": {"id": task_id}})[0]
        assert task.status == "FAILED" and task.error_code == "INTERRUPTED"
        assert VmApi(client).get_vms({"where": {"id": vm.id}})[0].entity_async_status is None
        assert rename(client, vm.id, "free-again")[0].status == "SUCCESSED"  # not locked for ever
    finally:
        second.stop()


def test_a_bug_in_a_handler_is_a_500_and_in_a_task_a_failed_task(sim, client, monkeypatch):
    from cloudtower.simulator import handlers

    def broken(ctx, body):
        raise KeyError("oops")

    def broken_work(ctx, body):
        label = (ctx.store.records("Label") or [ctx.store.create("Label", {"key": "k"})])[0]
        return [ctx.with_task("Label", label, ctx.submit("Label", label, work=lambda: {}["missing"]))]
    monkeypatch.setitem(handlers.HANDLERS, "/get-labels", broken)
    monkeypatch.setitem(handlers.HANDLERS, "/update-label", broken_work)
    with pytest.raises(ApiException) as raised:
        LabelApi(client).get_labels({})
    assert raised.value.status == 500 and "KeyError" in raised.value.message
    answer = LabelApi(client).update_label({"where": {}, "data": {"value": "x"}})
    with pytest.raises(ApiException):
        wait_tasks([answer[0].task_id], client, interval=0.01, timeout=30)
    task = TaskApi(client).get_tasks({"where": {"id": answer[0].task_id}})[0]
    assert task.status == "FAILED" and task.error_code == "INTERNAL_ERROR"
    assert VmApi(client).get_vms({})  # the simulator goes on


# -- start-up checks -----------------------------------------------------------------------------

def start_up_warnings(caplog):
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="cloudtower.simulator"):
        Simulator(seed="empty")
    return [record.getMessage() for record in caplog.records
            if record.name == "cloudtower.simulator" and record.levelno == logging.WARNING]


def test_a_correct_registry_starts_without_warnings(caplog):
    assert start_up_warnings(caplog) == []


def test_a_handler_for_a_path_the_api_does_not_have_is_said_at_start_up(monkeypatch, caplog):
    from cloudtower.simulator import handlers

    def get_gone_things(ctx, body):
        return []
    monkeypatch.setitem(handlers.HANDLERS, "/get-gone-things", get_gone_things)
    [warning] = start_up_warnings(caplog)
    assert "/get-gone-things" in warning and "get_gone_things" in warning and "never called" in warning


def test_a_handler_registered_over_another_is_said_at_start_up(monkeypatch, caplog):
    from cloudtower.simulator import handlers
    monkeypatch.setattr(handlers, "HANDLERS", dict(handlers.HANDLERS))
    monkeypatch.setattr(handlers, "REPLACED", [])

    @handlers.handles("/get-version")
    def another_version(ctx, body):
        return "0.0.0"
    [warning] = start_up_warnings(caplog)
    assert "another_version of /get-version replaced cloudtower.simulator.builtin.get_version" in warning


def test_a_workflow_module_missing_from_the_list_is_said_at_start_up(monkeypatch, caplog):
    from cloudtower.simulator import workflows
    monkeypatch.setattr(workflows, "MODULES", tuple(name for name in workflows.MODULES if name != "misc"))
    [warning] = start_up_warnings(caplog)
    assert "workflows/misc.py is in neither MODULES nor HELPERS" in warning
    assert "not loaded" in warning
