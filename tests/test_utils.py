"""cloudtower.utils against a scripted server: waiting for tasks, logging in, the SVT ISO version."""
from __future__ import absolute_import

import io
import threading

import pytest

from cloudtower import ApiException, ServiceException, Task, UnauthorizedException, VmApi
from cloudtower.utils import get_svt_image_version, login, wait_task, wait_tasks
from recorder import Reply

FAST = {"interval": 0.01, "timeout": 30}


class TaskBoard(object):
    """Answers POST /get-tasks: task `id` goes through `statuses[id]` one poll at a time (the last
    status repeats). Only the ids the request asks for (`where.id_in`) are answered."""

    def __init__(self, **statuses):
        self.statuses = statuses
        self.polls = dict((task_id, 0) for task_id in statuses)
        self.asked = []
        self.lock = threading.Lock()

    def __call__(self, request):
        wanted = request.json["where"]["id_in"]
        with self.lock:
            self.asked.append(list(wanted))
            tasks = []
            for task_id in wanted:
                if task_id not in self.statuses:
                    continue
                sequence = self.statuses[task_id]
                status = sequence[min(self.polls[task_id], len(sequence) - 1)]
                self.polls[task_id] += 1
                task = {"id": task_id, "status": status, "progress": 100 if status == "SUCCESSED" else 10,
                        "description": "task " + task_id, "steps": []}
                if status == "FAILED":
                    task["error_code"] = "E_" + task_id
                    task["error_message"] = "boom in " + task_id
                tasks.append(task)
        return tasks


def test_wait_task_returns_when_the_task_succeeds(server, client, token):
    board = TaskBoard(t1=["PENDING", "EXECUTING", "SUCCESSED"])
    server.on("/get-tasks", board)
    task = wait_task("t1", client, **FAST)
    assert isinstance(task, Task)
    assert task.id == "t1" and task.status == "SUCCESSED"
    assert board.asked == [["t1"], ["t1"], ["t1"]]
    polls = server.requests_to("/get-tasks")
    assert all(request.method == "POST" and request.headers["authorization"] == token for request in polls)
    assert polls[0].json == {"where": {"id_in": ["t1"]}}


def test_wait_tasks_polls_only_the_unfinished_ones(server, client):
    board = TaskBoard(a=["EXECUTING", "SUCCESSED"], b=["PENDING", "EXECUTING", "EXECUTING", "SUCCESSED"])
    server.on("/get-tasks", board)
    tasks = wait_tasks(["a", "b"], client, **FAST)
    assert [task.id for task in tasks] == ["a", "b"]
    assert all(task.status == "SUCCESSED" for task in tasks)
    assert board.asked == [["a", "b"], ["a", "b"], ["b"], ["b"]]


def test_wait_tasks_does_not_change_the_ids(server, client):
    server.on("/get-tasks", TaskBoard(a=["SUCCESSED"], b=["PENDING", "SUCCESSED"]))
    ids = ["a", "b", "a"]
    tasks = wait_tasks(ids, client, **FAST)
    assert ids == ["a", "b", "a"]
    assert set(task.id for task in tasks) == set(["a", "b"])


def test_wait_tasks_lists_every_failure(server, client):
    board = TaskBoard(a=["FAILED"], b=["PENDING", "EXECUTING", "FAILED"], c=["SUCCESSED"])
    server.on("/get-tasks", board)
    with pytest.raises(ApiException) as raised:
        wait_tasks(["a", "b", "c"], client, **FAST)
    error = raised.value
    assert error.status == 500
    assert "a" in [task.id for task in error.failed_tasks] and "b" in [task.id for task in error.failed_tasks]
    assert "boom in a" in error.reason and "boom in b" in error.reason
    assert "boom in a" in str(error)
    assert board.polls["b"] == 3  # waited for b to end before raising


def test_wait_tasks_exit_on_error_raises_at_once(server, client):
    board = TaskBoard(a=["PENDING"], b=["FAILED"])
    server.on("/get-tasks", board)
    with pytest.raises(ApiException) as raised:
        wait_tasks(["a", "b"], client, exit_on_error=True, **FAST)
    assert raised.value.status == 500
    assert "boom in b" in raised.value.reason
    assert len(board.asked) == 1


def test_wait_task_raises_when_the_task_fails(server, client):
    server.on("/get-tasks", TaskBoard(t=["EXECUTING", "FAILED"]))
    with pytest.raises(ApiException) as raised:
        wait_task("t", client, **FAST)
    assert raised.value.status == 500
    assert "boom in t" in str(raised.value)


def test_wait_tasks_times_out(server, client):
    board = TaskBoard(slow=["EXECUTING"], quick=["SUCCESSED"])
    server.on("/get-tasks", board)
    with pytest.raises(ApiException) as raised:
        wait_tasks(["quick", "slow"], client, interval=0.01, timeout=0.2)
    error = raised.value
    assert error.status == 408
    assert "slow" in error.reason and "quick" not in error.reason
    assert error.pending_ids == ["slow"]
    assert len(board.asked) >= 2


def test_wait_task_times_out(server, client):
    server.on("/get-tasks", TaskBoard(t=["PENDING"]))
    with pytest.raises(ApiException) as raised:
        wait_task("t", client, interval=0.01, timeout=0.1)
    assert raised.value.status == 408


def test_wait_tasks_passes_server_errors_on(server, client):
    server.script("/get-tasks", (500, {}, {"message": "db down"}))
    with pytest.raises(ServiceException) as raised:
        wait_task("t", client, **FAST)
    assert raised.value.message == "db down"


# -- login ----------------------------------------------------------------------------------------

def login_answer(token):
    return {"task_id": None, "data": {"token": token}}


def test_login_stores_the_token(server, config, client):
    config.api_key.clear()
    server.script("/login", login_answer("tok-new"))
    login(client, "root", "pw")
    assert config.api_key["Authorization"] == "tok-new"
    request = server.last
    assert request.method == "POST" and request.path == "/v2/api/login"
    assert request.json == {"username": "root", "password": "pw", "source": "LOCAL"}
    assert "authorization" not in request.headers
    VmApi(client).get_vms({})
    assert server.last.headers["authorization"] == "tok-new"


def test_login_replaces_an_old_token(server, config, client):
    server.script("/login", login_answer("tok-fresh"))
    login(client, "root", "pw")
    assert config.api_key["Authorization"] == "tok-fresh"


def test_login_failure_raises_and_keeps_the_old_token(server, config, client, token):
    server.script("/login", (401, {}, {"message": "bad username or password", "status": 401}))
    with pytest.raises(UnauthorizedException):
        login(client, "root", "wrong")
    assert config.api_key["Authorization"] == token


def test_ldap_login_uses_the_authn_strategy(server, client, config):
    strategies = {"data": {"authnStrategies": [{"id": "s-oidc", "type": "OIDC"},
                                               {"id": "s-ldap", "type": "LDAP"}]}}
    server.script("/api", strategies)
    server.script("/login", login_answer("tok-ldap"))
    login(client, "alice", "pw", source="LDAP")
    graphql, sent = server.requests
    assert graphql.method == "POST" and graphql.path == "/api"
    assert graphql.json["query"] == "{authnStrategies{id type}}"
    assert sent.path == "/v2/api/login"
    assert sent.json == {"username": "alice", "password": "pw", "source": "AUTHN", "auth_config_id": "s-ldap"}
    assert config.api_key["Authorization"] == "tok-ldap"


@pytest.mark.parametrize("graphql_answer", [
    (404, {}, {"message": "no such path"}),
    (500, {}, b"<html>error</html>"),
    (200, {}, b"not json"),
    {"data": {"authnStrategies": [{"id": "s-oidc", "type": "OIDC"}]}},
    {"data": {"authnStrategies": None}},
    {"errors": [{"message": "Cannot query field"}]},
    Reply(close=True),
])
def test_ldap_login_falls_back_to_source_ldap(server, client, config, graphql_answer):
    server.script("/api", graphql_answer)
    server.script("/login", login_answer("tok-old-ldap"))
    login(client, "alice", "pw", source="LDAP")
    assert server.requests_to("/api")
    sent = server.requests_to("/login")[-1]
    assert sent.json == {"username": "alice", "password": "pw", "source": "LDAP"}
    assert config.api_key["Authorization"] == "tok-old-ldap"


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
