"""Bad input never breaks the simulator: each of these gets a 4xx answer with a message (never a
500, never a hang), and the server keeps serving. Spoken to over raw sockets, byte by byte, so
that nothing on the client side cleans the request up first."""
from __future__ import absolute_import

import json
import socket
import threading

import pytest

from cloudtower import VmApi
from cloudtower.simulator import Simulator
from cloudtower.simulator.server import MAX_DEPTH

PATIENCE = 30  # seconds a test waits for an answer that must come (generous: the machine may be busy)


@pytest.fixture(scope="module")
def served():
    """A demo simulator with a short idle timeout, and root's token."""
    with Simulator(seed="demo", task_delay=None, idle_timeout=0.5) as simulator:
        client = simulator.client()
        yield simulator, client.configuration.api_key["Authorization"]
        client.close()


class Answer(object):
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body.decode("utf-8"))


def read_answer(sock):
    """One HTTP answer from `sock` (None if the server closed the connection without one)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict((name.strip().lower(), value.strip())
                   for name, _, value in (line.partition(":") for line in lines[1:]))
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return Answer(int(lines[0].split()[1]), headers, body)


def exchange(simulator, raw):
    """Send raw bytes on a new connection; the answer (None if the server hung up)."""
    sock = socket.create_connection(("127.0.0.1", simulator.port), timeout=PATIENCE)
    try:
        sock.sendall(raw)
        return read_answer(sock)
    finally:
        sock.close()


def post(simulator, token, path, body, extra_headers=""):
    data = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8")
    head = ("POST %s HTTP/1.1\r\nHost: localhost\r\nAuthorization: %s\r\nContent-Type: application/json\r\n"
            "Content-Length: %d\r\n%s\r\n" % (path, token, len(data), extra_headers))
    return exchange(simulator, head.encode("ascii") + data)


def still_serving(simulator, token):
    answer = post(simulator, token, "/v2/api/get-vms", {"first": 1})
    assert answer is not None and answer.status == 200 and len(answer.json()) == 1


def test_create_user_with_an_empty_username_is_a_400(served):
    simulator, token = served
    role = simulator.store.create("UserRoleNext", {"name": "operators"}, event=False)["id"]
    for username in ("", "   "):
        answer = post(simulator, token, "/v2/api/create-user", [
            {"username": username, "name": "nobody", "password": "secret-1", "role_id": role}])
        assert answer.status == 400
        assert answer.json()["message"] == "username must not be empty"
        assert answer.json()["path"] == "/create-user"
    still_serving(simulator, token)


def nested(key, depth, leaf="{}"):
    """The text of a where nested `depth` deep through `key` (`NOT` as a list, others objects)."""
    if key == "NOT":
        return '{"NOT":[' * depth + leaf + "]}" * depth
    return ('{"%s":' % key) * depth + leaf + "}" * depth


@pytest.mark.parametrize("key", ["NOT", "AND", "cluster"])
def test_a_where_nested_600_deep_is_a_400(served, key):
    simulator, token = served
    where = nested(key, 600) if key != "AND" else '{"AND":[' * 600 + "{}" + "]}" * 600
    answer = post(simulator, token, "/v2/api/get-vms", ('{"where":%s}' % where).encode("ascii"))
    assert answer.status == 400
    assert answer.json()["message"] == "The request body nests deeper than %d levels" % MAX_DEPTH
    still_serving(simulator, token)


def test_a_where_nested_within_the_limit_is_answered(served):
    simulator, token = served
    depth = MAX_DEPTH // 2 - 1  # each NOT is two levels: the object and its list
    answer = post(simulator, token, "/v2/api/get-vms-connection",
                  ('{"where":%s}' % nested("NOT", depth)).encode("ascii"))
    assert answer.status == 200
    # NOT of NOT ... of {} (everything): an odd number of NOTs selects nothing.
    expected = 0 if depth % 2 else len(simulator.store.tables["Vm"])
    assert answer.json() == {"aggregate": {"count": expected}}


@pytest.mark.parametrize("document", [{"query": 5}, {"query": None}, {}, [], u"text", 5])
def test_a_graphql_request_without_a_query_text_is_a_400(served, document):
    simulator, token = served
    answer = post(simulator, token, "/api", document)
    assert answer.status == 400
    assert "query is a string" in answer.json()["errors"][0]["message"]
    still_serving(simulator, token)


def test_a_graphql_body_that_is_not_json_is_a_400(served):
    simulator, token = served
    answer = post(simulator, token, "/api", b"{query")
    assert answer.status == 400 and answer.json()["errors"][0]["message"] == "The request body is not JSON"


@pytest.mark.parametrize("length", ["-1", "abc", "1e3", "", "0x10"])
def test_a_content_length_that_is_not_a_number_is_a_400_and_the_connection_ends(served, length):
    simulator, token = served
    raw = ("POST /v2/api/get-vms HTTP/1.1\r\nHost: localhost\r\nAuthorization: %s\r\n"
           "Content-Length: %s\r\n\r\n{}" % (token, length)).encode("ascii")
    sock = socket.create_connection(("127.0.0.1", simulator.port), timeout=PATIENCE)
    try:
        sock.sendall(raw)
        answer = read_answer(sock)
        assert answer.status == 400
        assert answer.json() == {"message": "Content-Length must be a number of bytes, not %r" % length,
                                 "status": 400, "path": "/get-vms"}
        assert answer.headers["connection"] == "close"
        assert sock.recv(1) == b""  # where the body would end is unknown: the server hung up
    finally:
        sock.close()
    still_serving(simulator, token)


def test_a_body_shorter_than_its_content_length_is_closed_after_the_idle_timeout(served):
    simulator, token = served
    raw = ("POST /v2/api/get-vms HTTP/1.1\r\nHost: localhost\r\nAuthorization: %s\r\n"
           "Content-Length: 100\r\n\r\n{}" % token).encode("ascii")
    assert exchange(simulator, raw) is None  # no answer: the connection was closed
    still_serving(simulator, token)


def test_a_chunked_body_is_read(served):
    simulator, token = served
    body = b'{"first": 2}'
    raw = ("POST /v2/api/get-vms HTTP/1.1\r\nHost: localhost\r\nAuthorization: %s\r\n"
           "Transfer-Encoding: chunked\r\n\r\n" % token).encode("ascii")
    raw += b"%x\r\n%s\r\n%x\r\n%s\r\n0\r\n\r\n" % (5, body[:5], len(body) - 5, body[5:])
    answer = exchange(simulator, raw)
    assert answer.status == 200 and len(answer.json()) == 2


def test_a_bad_chunk_size_is_a_400(served):
    simulator, token = served
    raw = ("POST /v2/api/get-vms HTTP/1.1\r\nHost: localhost\r\nAuthorization: %s\r\n"
           "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n" % token).encode("ascii")
    answer = exchange(simulator, raw)
    assert answer.status == 400 and "chunk size" in answer.json()["message"]


def open_connections(simulator):
    return len(simulator._server._connections)


def wait_until(condition, timeout=PATIENCE):
    done = threading.Event()
    for _ in range(int(timeout / 0.05)):
        if condition():
            return True
        done.wait(0.05)
    return condition()


def test_idle_and_half_open_connections_are_closed_by_the_server(served):
    simulator, token = served
    assert wait_until(lambda: open_connections(simulator) == 0)
    half_request = b"POST /v2/api/get-vms HTTP/1.1\r\nHost: localhost\r\n"  # headers never end
    sockets = []
    try:
        for index in range(12):
            sock = socket.create_connection(("127.0.0.1", simulator.port), timeout=PATIENCE)
            if index % 3 == 1:
                sock.sendall(half_request)
            elif index % 3 == 2:
                sock.sendall(b"GE")  # not even a request line
            sockets.append(sock)
        assert wait_until(lambda: open_connections(simulator) == 12)
        for sock in sockets:
            # Each one ends from the server's side (EOF), well before our own timeout.
            assert sock.recv(1) == b""
        assert wait_until(lambda: open_connections(simulator) == 0)
    finally:
        for sock in sockets:
            sock.close()
    still_serving(simulator, token)


def test_a_keep_alive_connection_serves_requests_until_it_is_idle(served):
    simulator, token = served
    sock = socket.create_connection(("127.0.0.1", simulator.port), timeout=PATIENCE)
    try:
        for _ in range(3):
            data = b'{"first": 1}'
            sock.sendall(("POST /v2/api/get-vms HTTP/1.1\r\nHost: localhost\r\nAuthorization: %s\r\n"
                          "Content-Length: %d\r\n\r\n" % (token, len(data))).encode("ascii") + data)
            assert read_answer(sock).status == 200
        assert sock.recv(1) == b""  # then silence: closed after the idle timeout
    finally:
        sock.close()


def test_the_sdk_reconnects_after_the_server_closed_an_idle_connection(served):
    simulator, _ = served
    client = simulator.client()
    try:
        api = VmApi(client)
        assert len(api.get_vms({"first": 1})) == 1
        assert wait_until(lambda: open_connections(simulator) == 0)  # the pooled connection was closed
        assert len(api.get_vms({"first": 1})) == 1
    finally:
        client.close()


def test_no_idle_timeout_keeps_connections(start_simulator):
    simulator = start_simulator(seed="empty", idle_timeout=None)
    sock = socket.create_connection(("127.0.0.1", simulator.port), timeout=1.5)
    try:
        with pytest.raises(socket.timeout):
            sock.recv(1)  # still open: the server waits for a request
    finally:
        sock.close()


def test_a_method_the_api_does_not_have_is_a_501(served):
    simulator, token = served
    answer = exchange(simulator, b"BREW /v2/api/get-vms HTTP/1.1\r\nHost: localhost\r\n\r\n")
    assert answer.status == 501
    still_serving(simulator, token)
