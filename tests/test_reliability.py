"""The unhappy path of the SDK: transport failures, bad answers, deadlines, retries, refused input,
secrets and sockets. Faults come from the simulator (its `faults`, counted in its journal) or from a
raw socket server below, for what no HTTP server does (accept and never answer, reset, garbage)."""
from __future__ import absolute_import

import decimal
import json
import logging
import os
import socket
import sys
import threading

import pytest
import urllib3

from cloudtower import (ApiClient, ApiConnectionError, ApiException, ApiResponseError, ApiTimeoutError,
                        ApiTypeError, ApiValueError, BadRequestException, Configuration, InvalidRequestTypeError,
                        InvalidRequestValueError, LabelApi, RetryPolicy, ServiceException, UserApi,
                        VmApi, VmOperateParams)
from cloudtower.model import MAX_NESTING, encode
from cloudtower.retry import Attempts, is_query, is_transient
from cloudtower.utils import login

PY2 = sys.version_info[0] == 2


class RawServer(object):
    """A TCP server on 127.0.0.1 that does one thing with each connection: `silent` reads the request
    and never answers, `reset` reads it and resets the connection, `garbage` answers bytes that are
    not HTTP. `connections` counts what it accepted."""

    def __init__(self, behaviour):
        self.behaviour = behaviour
        self.connections = 0
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.port = self.listener.getsockname()[1]
        self.url = "http://127.0.0.1:%d/v2/api" % self.port
        self.stopped = threading.Event()
        self.accepted = []
        self.thread = threading.Thread(target=self._serve, name="raw-server")
        self.thread.daemon = True
        self.thread.start()

    def _serve(self):
        self.listener.settimeout(0.05)
        while not self.stopped.is_set():
            try:
                conn, _ = self.listener.accept()
            except socket.timeout:
                continue
            except (OSError, socket.error):
                return
            self.connections += 1
            self.accepted.append(conn)
            conn.settimeout(5)
            try:
                conn.recv(65536)
                if self.behaviour == "reset":
                    import struct
                    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    conn.close()
                elif self.behaviour == "garbage":
                    conn.sendall(b"this is not HTTP\r\n\r\n")
                    conn.close()
            except (OSError, socket.error):
                pass

    def stop(self):
        self.stopped.set()
        self.thread.join(5)
        self.listener.close()
        for conn in self.accepted:
            conn.close()


@pytest.fixture
def raw_server():
    made = []

    def start(behaviour):
        server = RawServer(behaviour)
        made.append(server)
        return server
    yield start
    for server in made:
        server.stop()


def client_for(url, make_client, **settings):
    configuration = Configuration(host=url)
    configuration.api_key["Authorization"] = "not-a-real-token"
    for name, value in settings.items():
        setattr(configuration, name, value)
    return make_client(configuration)


def free_port():
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


def wait_for(condition, timeout=30):
    """Poll `condition` until it holds (True) or `timeout` seconds pass (False)."""
    import time
    deadline = time.time() + timeout
    while not condition():
        if time.time() > deadline:
            return False
        time.sleep(0.02)
    return True


def calls(simulator, sent, path):
    return len(sent(simulator, path))


# -- every failure is an ApiException ------------------------------------------------------------

def test_connection_refused_is_a_connection_error(make_client):
    client = client_for("http://127.0.0.1:%d/v2/api" % free_port(), make_client, retries=0)
    with pytest.raises(ApiConnectionError) as raised:
        VmApi(client).get_vms({})
    error = raised.value
    assert isinstance(error, ApiException) and error.status == 0
    assert error.request_sent is False  # the connection was never made
    assert "POST /v2/api/get-vms" in str(error) and "127.0.0.1" in str(error)
    assert "refused" in str(error).lower()
    assert isinstance(error.original, urllib3.exceptions.HTTPError)
    # Code written against urllib3 (as the official SDK raises it) still catches it.
    assert isinstance(error, urllib3.exceptions.MaxRetryError)
    # urllib3 derives NewConnectionError from ConnectTimeoutError; nothing timed out here.
    assert not isinstance(error, ApiTimeoutError) and "timed out" not in str(error)


@pytest.mark.parametrize("url, urllib3_class", [
    ("http://127.0.0.1:%d/v2/api" % free_port(), "NewConnectionError"),
    ("http://no-such-host.invalid/v2/api", "NewConnectionError")])
def test_retries_false_raises_the_urllib3_error_itself(make_client, url, urllib3_class):
    # As urllib3 does with `retries=False`, and so the official SDK: the error itself (no
    # MaxRetryError around it), so that `except NewConnectionError` written for it still works.
    client = client_for(url, make_client, retries=False)
    with pytest.raises(getattr(urllib3.exceptions, urllib3_class)) as raised:
        VmApi(client).get_vms({})
    error = raised.value
    assert isinstance(error, ApiConnectionError) and error.status == 0 and error.request_sent is False
    assert not isinstance(error, urllib3.exceptions.MaxRetryError)
    assert type(error.original).__name__ in (urllib3_class, "NameResolutionError")


def test_an_unknown_host_is_a_connection_error(make_client):
    client = client_for("http://no-such-host.invalid/v2/api", make_client, retries=0)
    with pytest.raises(ApiConnectionError) as raised:
        VmApi(client).get_vms({})
    assert raised.value.status == 0 and "no-such-host.invalid" in str(raised.value)


def test_a_reset_connection_is_a_connection_error(raw_server, make_client):
    server = raw_server("reset")
    client = client_for(server.url, make_client)
    with pytest.raises(ApiConnectionError) as raised:
        VmApi(client).update_vm({"where": {"id": "vm-1"}, "data": {"name": "x"}})
    assert raised.value.request_sent is True
    assert server.connections == 1  # a mutation that reached the server is never sent again


def test_a_protocol_error_is_a_connection_error(raw_server, make_client):
    server = raw_server("garbage")
    client = client_for(server.url, make_client, retries=0)
    # Python 2's httplib reads an answer without a status line as HTTP/0.9: a 200 whose body is
    # not JSON. Either way, an ApiException.
    with pytest.raises(ApiResponseError if PY2 else ApiConnectionError) as raised:
        VmApi(client).get_vms({})
    assert "this is not HTTP" in str(raised.value)


def test_a_dropped_connection_is_a_connection_error(demo, token, make_client, sent):
    demo.faults.add("drop", operation="/get-vms", count=1)
    client = client_for(demo.url, make_client, retries=0)
    client.configuration.api_key["Authorization"] = token
    with pytest.raises(ApiConnectionError) as raised:
        VmApi(client).get_vms({})
    assert isinstance(raised.value, urllib3.exceptions.HTTPError)
    assert calls(demo, sent, "/get-vms") == 1


def test_a_malformed_answer_is_a_response_error(demo, client, sent):
    demo.faults.add("malformed", operation="/get-vms", count=3)
    with pytest.raises(ApiResponseError) as raised:
        VmApi(client).get_vms({})
    error = raised.value
    assert isinstance(error, ApiException)
    assert error.status == 200 and error.request_id and error.headers["Content-Type"].startswith("application/json")
    assert error.body.startswith("[{") and "not JSON" in error.reason
    assert calls(demo, sent, "/get-vms") == 1  # an answer came: not retried


def test_an_answer_of_the_wrong_shape_is_a_response_error(recorder, recorder_client):
    # Recorder: the simulator always answers in the declared shape.
    recorder.script("/get-vms", {"id": "vm-1"})
    with pytest.raises(ApiResponseError) as raised:
        VmApi(recorder_client).get_vms({})
    assert "expected a list" in raised.value.reason
    recorder.script("/get-vms", [1, 2])
    with pytest.raises(ApiResponseError) as raised:
        VmApi(recorder_client).get_vms({})
    assert "item 0" in raised.value.reason


def test_an_answer_nested_3000_deep_is_a_response_error(recorder, recorder_client):
    # Recorder: an answer nested deeper than Python's recursion limit.
    # Lists in lists where objects are declared: json.loads gives up with RecursionError on most
    # Pythons (3.13 parses it); either way the answer is not the declared shape.
    body = b"[" * 3000 + b"]" * 3000
    recorder.script("/get-vms", (200, {"Content-Type": "application/json"}, body))
    with pytest.raises(ApiResponseError) as raised:
        VmApi(recorder_client).get_vms({})
    assert "deeply" in raised.value.reason or "item 0 is a list" in raised.value.reason


# -- deadlines -----------------------------------------------------------------------------------

def test_every_request_has_a_default_timeout():
    configuration = Configuration()
    connect, read = configuration.request_timeout
    assert 0 < connect <= 60 and 0 < read <= 600


def test_a_peer_that_never_answers_times_out(raw_server, make_client):
    server = raw_server("silent")
    client = client_for(server.url, make_client, retries=0, request_timeout=(1, 0.3))
    with pytest.raises(ApiTimeoutError) as raised:
        VmApi(client).get_vms({})
    assert raised.value.status == 0 and "timed out" in str(raised.value)
    assert isinstance(raised.value, ApiConnectionError)


def test_a_deadline_covers_the_retries(raw_server, make_client):
    server = raw_server("silent")
    client = client_for(server.url, make_client, retries=5)
    with pytest.raises(ApiTimeoutError):
        VmApi(client).get_vms({}, _request_timeout=0.5)
    # Each retry gets what is left of the 0.5 s; the backoff alone (0.5 s, 1 s ...) leaves no room
    # for five of them.
    assert 1 <= server.connections <= 2


def test_a_wait_longer_than_the_deadline_is_not_taken(demo, client, sent):
    demo.faults.add("status", operation="/get-vms", status=503, retry_after=30, count=1)
    with pytest.raises(ServiceException):
        VmApi(client).get_vms({}, _request_timeout=5)
    assert calls(demo, sent, "/get-vms") == 1


# -- retries -------------------------------------------------------------------------------------

@pytest.mark.parametrize("status", [408, 429, 502, 503, 504])
def test_a_query_is_retried_on_transient_statuses(demo, client, sent, status, caplog):
    demo.faults.add("status", operation="/get-vms", status=status, count=2)
    client.configuration.retries = RetryPolicy(backoff=0.01)
    with caplog.at_level(logging.INFO, logger="cloudtower.retry"):
        assert VmApi(client).get_vms({"first": 1})
    assert calls(demo, sent, "/get-vms") == 3
    assert [record.levelno for record in caplog.records if record.name == "cloudtower.retry"] == [logging.INFO] * 2
    assert "retry 1 of 2" in caplog.records[0].getMessage() and str(status) in caplog.records[0].getMessage()


def test_a_query_gives_up_after_two_retries(demo, client, sent):
    demo.faults.add("status", operation="/get-vms", status=503, count=5)
    client.configuration.retries = RetryPolicy(backoff=0.01)
    with pytest.raises(ServiceException) as raised:
        VmApi(client).get_vms({})
    assert raised.value.status == 503
    assert calls(demo, sent, "/get-vms") == 3


def test_a_500_is_not_retried(demo, client, sent):
    demo.faults.add("status", operation="/get-vms", status=500, count=2)
    with pytest.raises(ServiceException):
        VmApi(client).get_vms({})
    assert calls(demo, sent, "/get-vms") == 1


def test_a_dropped_query_is_retried(demo, client, sent):
    demo.faults.add("drop", operation="/get-vms", count=1)
    client.configuration.retries = RetryPolicy(backoff=0.01)
    assert VmApi(client).get_vms({"first": 1})
    assert calls(demo, sent, "/get-vms") == 2


@pytest.mark.parametrize("fault", [{"kind": "status", "status": 503}, {"kind": "drop"}])
def test_a_mutation_that_reached_the_server_is_never_sent_again(demo, client, sent, fault):
    vm = VmApi(client).get_vms({"first": 1})[0]
    options = dict(fault)
    demo.faults.add(options.pop("kind"), operation="/update-vm-basic-info", count=1, **options)
    client.configuration.retries = RetryPolicy(backoff=0.01)
    with pytest.raises(ApiException):
        VmApi(client).update_vm({"where": {"id": vm.id}, "data": {"description": "once"}})
    assert calls(demo, sent, "/update-vm-basic-info") == 1


def test_a_mutation_after_a_read_timeout_is_never_sent_again(demo, client, sent):
    vm = VmApi(client).get_vms({"first": 1})[0]
    demo.faults.add("latency", operation="/update-vm-basic-info", latency=2, count=1)
    with pytest.raises(ApiTimeoutError):
        VmApi(client).update_vm({"where": {"id": vm.id}, "data": {"description": "once"}},
                                _request_timeout=(5, 0.3))
    # The simulator journals the request when its (late) answer is written; the SDK, which
    # retries only before it returns, has given up by then.
    assert wait_for(lambda: calls(demo, sent, "/update-vm-basic-info") >= 1)
    assert calls(demo, sent, "/update-vm-basic-info") == 1


def test_a_mutation_is_retried_when_the_connection_could_not_be_made(make_client, caplog):
    client = client_for("http://127.0.0.1:%d/v2/api" % free_port(), make_client,
                        retries=RetryPolicy(backoff=0.01))
    with caplog.at_level(logging.INFO, logger="cloudtower.retry"):
        with pytest.raises(ApiConnectionError):
            VmApi(client).update_vm({"where": {"id": "vm-1"}, "data": {"description": "x"}})
    retries = [record for record in caplog.records if record.name == "cloudtower.retry"]
    assert len(retries) == 2 and "POST" in retries[0].getMessage()


def test_retry_after_in_seconds_is_honoured(demo, client, sent, caplog):
    demo.faults.add("status", operation="/get-vms", status=429, retry_after=1, count=1)
    with caplog.at_level(logging.INFO, logger="cloudtower.retry"):
        assert VmApi(client).get_vms({"first": 1})
    assert "in 1.00 s" in caplog.records[-1].getMessage()
    assert calls(demo, sent, "/get-vms") == 2


def test_retry_after_as_an_http_date_is_honoured_and_capped(recorder, recorder_client, caplog):
    # Recorder: the simulator writes Retry-After in seconds only.
    import email.utils
    import time
    late = email.utils.formatdate(time.time() + 3600, usegmt=True)
    recorder.script("/get-vms", (503, {"Retry-After": late}, b"{}"), [])
    recorder_client.configuration.retries = RetryPolicy(retry_after_max=0.2)
    with caplog.at_level(logging.INFO, logger="cloudtower.retry"):
        assert VmApi(recorder_client).get_vms({}) == []
    assert "in 0.20 s" in caplog.records[-1].getMessage()


def test_retries_0_turns_retrying_off(demo, client, sent):
    demo.faults.add("status", operation="/get-vms", status=503, count=1)
    client.configuration.retries = 0
    with pytest.raises(ServiceException):
        VmApi(client).get_vms({})
    assert calls(demo, sent, "/get-vms") == 1


def test_a_urllib3_retry_is_accepted(demo, client, sent):
    demo.faults.add("status", operation="/get-vms", status=503, count=5)
    client.configuration.retries = urllib3.Retry(total=1, backoff_factor=0.01)
    with pytest.raises(ServiceException):
        VmApi(client).get_vms({})
    assert calls(demo, sent, "/get-vms") == 2


def test_the_backoff_grows_with_jitter_up_to_the_cap():
    policy = RetryPolicy()
    error = ServiceException(status=503, reason="Service Unavailable")
    for retry, (low, high) in enumerate([(0.375, 0.5), (0.75, 1), (1.5, 2), (3, 4), (6, 8), (6, 8)]):
        delays = set(policy.delay(retry, error) for _ in range(20))
        assert all(low <= delay <= high for delay in delays), (retry, delays)
        assert len(delays) > 1  # jitter


def test_what_counts_as_a_query_and_as_transient():
    assert is_query("POST", "http://t/v2/api/get-vms") and is_query("POST", "http://t/v2/api/get-vms-connection")
    assert is_query("GET", "http://t/v2/api/get-version") and is_query("GET", "http://t/v2/api/resource-changes?x=1")
    assert not is_query("POST", "http://t/v2/api/create-vm") and not is_query("POST", "http://t/v2/api/login")
    assert is_transient(ApiConnectionError("x")) and is_transient(ServiceException(status=502))
    assert not is_transient(ServiceException(status=500)) and not is_transient(BadRequestException(status=400))


def test_bad_retry_and_timeout_settings_are_refused(demo, client):
    for setting in ("three", -1):
        client.configuration.retries = setting
        with pytest.raises(ApiValueError):
            VmApi(client).get_vms({})
    client.configuration.retries = None
    with pytest.raises(ApiValueError):
        Attempts(RetryPolicy(), True, timeout=0)


# -- bodies --------------------------------------------------------------------------------------

def test_a_model_of_another_class_is_sent_when_its_fields_fit(demo, client, sent):
    vm = VmApi(client).get_vms({"where": {"status": "STOPPED"}, "first": 1})[0]
    # What scripts written for the official SDK do: VmOperateParams where VmDeleteParams is declared.
    VmApi(client).delete_vm(vm_delete_params=VmOperateParams(where={"id": vm.id}))
    assert sent(demo, "/delete-vm")[-1].json == {"where": {"id": vm.id}}
    # A NestedCluster as a where-filter of clusters.
    same_cluster = VmApi(client).get_vms({"where": {"cluster": vm.cluster}})
    assert sent(demo, "/get-vms")[-1].json["where"]["cluster"] == {"id": vm.cluster.id, "name": vm.cluster.name}
    assert same_cluster and all(other.cluster.id == vm.cluster.id for other in same_cluster)


def test_a_model_of_another_class_that_does_not_fit_is_refused(demo, client, sent):
    vm = VmApi(client).get_vms({"first": 1})[0]
    with pytest.raises(InvalidRequestTypeError) as raised:
        VmApi(client).get_vms({"where": vm})  # a whole Vm is not a VmWhereInput
    assert "unknown field" in str(raised.value)
    assert not sent(demo, "/get-vms")[1:]


def test_one_object_where_a_list_of_filters_is_declared_is_a_one_item_list(demo, client, sent):
    VmApi(client).get_vms({"where": {"NOT": {"status": "RUNNING"}}, "first": 1})
    assert sent(demo, "/get-vms")[-1].json["where"] == {"NOT": [{"status": "RUNNING"}]}


# -- typos and values that cannot be sent --------------------------------------------------------

def test_a_typo_in_a_dict_body_is_refused_in_every_model(demo, client, sent):
    with pytest.raises(ApiTypeError) as raised:
        VmApi(client).update_vm({"where": {"id": "x"}, "data": {"descripton": "d"}})
    assert "descripton" in str(raised.value) and "did you mean 'description'" in str(raised.value)
    assert "vm_update_params.data" in str(raised.value)
    assert sent(demo, "/update-vm-basic-info") == []
    # Also an ApiException with status 400: what the server would have answered.
    assert isinstance(raised.value, BadRequestException) and raised.value.status == 400


@pytest.mark.parametrize("value, kind", [(set(["a"]), "set"), (decimal.Decimal("1.5"), "Decimal")]
                         + ([] if PY2 else [(b"raw", "bytes")]))
def test_a_value_json_cannot_hold_names_the_field(demo, client, sent, value, kind):
    body = {"where": {"id": "x"}, "data": {"description": value}}
    with pytest.raises(ApiTypeError) as raised:
        VmApi(client).update_vm(body)
    assert "data.description" in str(raised.value) and kind in str(raised.value)
    client.configuration.client_side_validation = False
    with pytest.raises(ApiTypeError) as raised:
        VmApi(client).update_vm(body)
    assert "data.description" in str(raised.value) and kind in str(raised.value)
    assert sent(demo, "/update-vm-basic-info") == []


def nested_where(depth):
    where = {}
    for _ in range(depth):
        where = {"AND": [where]}
    return where


@pytest.mark.parametrize("validation", [True, False])
def test_input_nested_2000_deep_is_refused(demo, client, sent, validation):
    client.configuration.client_side_validation = validation
    with pytest.raises(ApiValueError) as raised:
        VmApi(client).get_vms({"where": nested_where(2000)})
    assert "deep" in str(raised.value)
    assert isinstance(raised.value, ApiException)
    assert sent(demo, "/get-vms") == []
    encode({"where": nested_where(MAX_NESTING // 2 - 2)}, "GetVmsRequestBody")  # deep, but not too deep


def test_without_client_side_validation_a_typo_is_sent(demo, client, sent):
    client.configuration.client_side_validation = False
    with pytest.raises(BadRequestException):
        VmApi(client).update_vm({"where": {"id": "x"}, "data": {"descripton": "d"}})
    assert sent(demo, "/update-vm-basic-info")[-1].json["data"] == {"descripton": "d"}


def test_validation_errors_are_bad_requests_as_well(demo, client):
    for body, cls in [({"where": {"status": "FLYING"}}, InvalidRequestValueError),
                      ({"where": {"vcpu": "four"}}, InvalidRequestTypeError),
                      ({"first": None, "orderBy": "size_UP"}, InvalidRequestValueError)]:
        with pytest.raises(ApiException) as raised:
            VmApi(client).get_vms(body)
        assert type(raised.value) is cls and raised.value.status == 400
    with pytest.raises(BadRequestException):
        VmApi(client).get_vms({}, content_language="fr-FR")


# -- secrets -------------------------------------------------------------------------------------

PASSWORD = "Pw-7f3c1e-secret"


def test_secrets_never_show(demo, make_client, sent, capsys, caplog, restore_logging):
    configuration = Configuration(host=demo.url)
    configuration.debug = True
    client = make_client(configuration)
    captured = []
    with caplog.at_level(logging.DEBUG):
        login(client, "root", "root")
        token = configuration.api_key["Authorization"]
        answer = UserApi(client).login({"username": "root", "password": "root", "source": "LOCAL"})
        captured += [repr(answer), str(answer), answer.to_str(), repr(answer.data)]
        role = demo.store.create("UserRoleNext", {"name": "operator"})["id"]  # the demo has no roles
        params = {"name": "dana", "username": "dana", "password": PASSWORD, "role_id": role,
                  "email_address": "dana@example.com"}
        from cloudtower import UserCreationParams
        captured += [repr(UserCreationParams(**params)), UserCreationParams(**params).to_str()]
        UserApi(client).create_user([params])
        try:
            UserApi(client).create_user([dict(params, password=int("4" * 12))])  # a wrong type
        except ApiTypeError as error:
            captured.append(str(error))
            assert "int" in str(error) and "4" * 12 not in str(error)
        demo.faults.add("malformed", operation="/login", count=1)
        try:
            UserApi(client).login({"username": "root", "password": "root", "source": "LOCAL"})
        except ApiResponseError as error:
            captured.append(str(error))
        captured += [repr(configuration), repr(client), configuration.to_debug_report()]
    out, err = capsys.readouterr()
    captured += [out, err] + [record.getMessage() for record in caplog.records]
    text = "\n".join(captured)
    assert token and token not in text
    assert PASSWORD not in text and "4" * 12 not in text
    assert "<redacted>" in text
    assert any(entry.path.endswith("/create-user") for entry in sent(demo))  # the password was sent


# -- sockets and threads -------------------------------------------------------------------------

def established_to(port):
    """The ESTABLISHED TCP connections of this process to `port` (Linux /proc)."""
    inodes = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink("/proc/self/fd/" + fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    count = 0
    for table in ("/proc/self/net/tcp", "/proc/self/net/tcp6"):
        if not os.path.exists(table):
            continue
        with open(table) as lines:
            next(lines)
            for line in lines:
                fields = line.split()
                if fields[3] == "01" and fields[9] in inodes and int(fields[2].split(":")[-1], 16) == port:
                    count += 1
    return count


@pytest.mark.skipif(not os.path.exists("/proc/self/net/tcp"), reason="reads sockets from Linux /proc")
def test_close_leaves_no_socket_open_after_32_threads(demo, config, sdk_threads):
    client = ApiClient(config)
    port = int(demo.url.split(":")[2].split("/")[0])
    failures = []

    def work():
        try:
            for _ in range(3):
                LabelApi(client).get_labels({"first": 1})
        except Exception as error:  # noqa: BLE001 - counted
            failures.append(error)
    threads = [threading.Thread(target=work) for _ in range(32)]
    for thread in threads:
        thread.start()
    VmApi(client).get_vms({"first": 1}, async_req=True).get(30)
    for thread in threads:
        thread.join()
    assert failures == []
    assert established_to(port) > 0
    client.close()
    assert established_to(port) == 0
    assert sdk_threads() == []  # the async_req thread pool ended too
