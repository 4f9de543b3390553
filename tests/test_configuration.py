"""`Configuration`: proxy, connection pool, retries, defaults, debug logging (secrets redacted) and
the log file, against the simulator; the recorder plays the proxy, and the server where a test must
see the client's connections (which the simulator's journal does not show) or script an answer."""
from __future__ import absolute_import

import copy
import io
import logging
import threading

import pytest
import urllib3

from cloudtower import (ApiClient, ApiConnectionError, ApiInfoApi, ApiValueError, ClusterApi, Configuration,
                        RetryPolicy, ResourceChangeApi, UserApi, VmApi)
from recorder import HTTPConnection, Rendezvous, urlsplit

# Made-up secrets: the logging tests check that none of them reaches a log.
PASSWORD = "pw-Zq8!made-up"
LOGIN_TOKEN = "tok-login-made-up-77"
HOP_BY_HOP = ("connection", "proxy-connection", "proxy-authorization", "keep-alive", "transfer-encoding",
              "content-length", "date", "server")


def forward(request):
    """A forward proxy's answer: send `request` (absolute URL target) on and relay the answer."""
    target = urlsplit(request.target)
    assert target.scheme == "http", "a forward proxy only gets absolute http:// targets"
    connection = HTTPConnection(target.hostname, target.port, timeout=30)
    headers = dict((name, value) for name, value in request.headers.items() if name not in HOP_BY_HOP)
    path = target.path + ("?" + target.query if target.query else "")
    connection.request(request.method, path, body=request.body or None, headers=headers)
    response = connection.getresponse()
    body = response.read()
    answer_headers = dict((name, value) for name, value in response.getheaders()
                          if name.lower() not in HOP_BY_HOP)
    connection.close()
    return (response.status, answer_headers, body)


@pytest.fixture
def proxy(start_recorder):
    """A forward proxy (a recorder that sends each request on) in front of any server."""
    # Recorder: a proxy, which sees the absolute-URL requests of a client configured to use one.
    recorder = start_recorder()
    recorder.default(forward)
    return recorder


def base_url(sim):
    """`http://127.0.0.1:<port>`: where `sim` listens."""
    return sim.url[:-len("/v2/api")]


# -- proxy ---------------------------------------------------------------------------------------

def test_requests_go_through_the_proxy(demo, proxy, config, make_client, token, sent):
    config.proxy = proxy.url
    config.proxy_headers = {"X-Proxy-Tag": "p-1"}
    vms = VmApi(make_client(config)).get_vms({"first": 1})
    assert len(vms) == 1 and vms[0].id
    assert len(proxy.requests) == 1
    through = proxy.last
    assert through.target == demo.url + "/get-vms"  # absolute URL: a forward-proxy request
    assert through.method == "POST"
    assert through.headers["x-proxy-tag"] == "p-1"
    assert through.json == {"first": 1}
    assert sent(demo)[-1].headers["authorization"] == token
    assert sent(demo)[-1].json == {"first": 1}


def test_a_get_with_query_through_the_proxy(demo, proxy, config, make_client, sent):
    config.proxy = proxy.url
    changes = ResourceChangeApi(make_client(config)).get_resource_changes(start_revision="1", limit=5)
    assert changes.current_revision == str(demo.store.revision)
    assert urlsplit(proxy.last.target).path == "/v2/api/resource-changes"
    assert proxy.last.query == {"start_revision": ["1"], "limit": ["5"]}
    assert sent(demo)[-1].path == "/v2/api/resource-changes" and sent(demo)[-1].status == 200


def test_no_proxy_by_default(demo, proxy, client, sent):
    VmApi(client).get_vms({})
    assert proxy.requests == []
    assert sent(demo)[-1].path == "/v2/api/get-vms"


# -- connection pool and retries --------------------------------------------------------------------

def urllib3_pool(client, url):
    return client.rest_client.pool_manager.connection_from_url(url)


def test_connection_pool_maxsize(demo, config, make_client):
    config.connection_pool_maxsize = 3
    client = make_client(config)
    VmApi(client).get_vms({})
    assert urllib3_pool(client, base_url(demo)).pool.maxsize == 3


def test_connection_pool_maxsize_bounds_the_kept_connections(recorder, recorder_config, make_client):
    # Recorder: its Rendezvous holds 4 requests at once and it shows each one's client address.
    server, config = recorder, recorder_config
    config.connection_pool_maxsize = 2
    client = make_client(config, pool_threads=4)
    server.on("/get-vms", Rendezvous(4, lambda request: []))
    with warnings_ignored():
        results = [VmApi(client).get_vms({}, async_req=True) for _ in range(4)]
        assert [result.get(timeout=60) for result in results] == [[], [], [], []]
    assert len(set(request.client_address for request in server.requests)) == 4  # 4 connections at once
    queue = list(urllib3_pool(client, server.url).pool.queue)
    kept = [connection for connection in queue if connection is not None]
    assert len(kept) == 2  # the other two were discarded


def test_connections_are_reused(recorder, recorder_client):
    # Recorder: it shows the client's address of each request; the simulator's journal does not.
    api = VmApi(recorder_client)
    for _ in range(3):
        api.get_vms({})
    assert len(set(request.client_address for request in recorder.requests)) == 1


def test_close_closes_pooled_connections(recorder, recorder_client):
    # Recorder: it shows the client's address of each request; the simulator's journal does not.
    VmApi(recorder_client).get_vms({})
    recorder_client.close()
    VmApi(recorder_client).get_vms({})
    addresses = [request.client_address for request in recorder.requests]
    assert addresses[0] != addresses[1]


class warnings_ignored(object):
    def __enter__(self):
        self.logger = logging.getLogger("urllib3.connectionpool")
        self.level = self.logger.level
        self.logger.setLevel(logging.ERROR)  # "Connection pool is full, discarding connection"

    def __exit__(self, *exc_info):
        self.logger.setLevel(self.level)


@pytest.mark.parametrize("retries, attempts", [(None, 3), (RetryPolicy(3, backoff=0.01), 4), (0, 1), (False, 1),
                                               (urllib3.Retry(total=1, backoff_factor=0.01), 2)])
def test_retries(demo, config, make_client, retries, attempts):
    config.retries = retries  # None: the default, 2 retries
    dropped = demo.faults.add("drop", operation="/get-version", count=10)  # hang up without answering
    with pytest.raises(urllib3.exceptions.HTTPError):  # the SDK's ApiConnectionError is one too
        ApiInfoApi(make_client(config)).get_api_version()
    assert 10 - dropped.count == attempts


# -- defaults ----------------------------------------------------------------------------------------

def test_set_default_is_used_by_clients_built_without_configuration(demo, token, sent,
                                                                    restore_default_configuration):
    configuration = Configuration(host=demo.url)
    configuration.api_key["Authorization"] = token
    Configuration.set_default(configuration)
    configuration.host = "http://changed.invalid/v2/api"  # set_default kept a copy
    with ApiClient() as client:
        assert client.configuration.host == demo.url
        VmApi(client).get_vms({})
    assert sent(demo)[-1].headers["authorization"] == token
    assert len(VmApi().get_vms({"first": 2})) == 2  # an Api without a client makes one from the default
    assert sent(demo)[-1].json == {"first": 2}


def test_get_default_copy_is_a_copy(restore_default_configuration):
    configuration = Configuration(host="http://tower.invalid/v2/api")
    configuration.api_key["Authorization"] = "a"
    Configuration.set_default(configuration)
    first = Configuration.get_default_copy()
    first.api_key["Authorization"] = "b"
    first.host = "http://other.invalid"
    second = Configuration.get_default_copy()
    assert second.api_key["Authorization"] == "a"
    assert second.host == "http://tower.invalid/v2/api"
    assert first is not second


def test_get_default_copy_without_a_default():
    configuration = Configuration.get_default_copy()
    assert configuration.host == ""  # as the official SDK: no address until one is given
    assert configuration.api_key == {}


def test_deepcopy_of_a_configuration(config):
    duplicate = copy.deepcopy(config)
    assert duplicate.host == config.host
    duplicate.api_key["Authorization"] = "other"
    assert config.api_key["Authorization"] != "other"


def test_configuration_defaults():
    configuration = Configuration()
    assert configuration.verify_ssl is True
    assert configuration.client_side_validation is True
    assert configuration.debug is False
    assert configuration.proxy is None
    assert configuration.connection_pool_maxsize >= 1
    assert configuration.logger_format == "%(asctime)s %(levelname)s %(message)s"  # the official's
    assert "Python SDK Debug Report" in configuration.to_debug_report()


# -- as the official SDK's ---------------------------------------------------------------------------

def test_without_a_host_a_request_fails_at_once_saying_to_set_it(make_client, caplog):
    client = make_client(Configuration())
    assert client.configuration.host == "" and client.configuration.get_host_settings()[0]["url"] == ""
    with pytest.raises(ApiConnectionError) as raised:
        VmApi(client).get_vms({})
    assert raised.value.status == 0 and "Configuration.host" in str(raised.value)
    assert isinstance(raised.value, urllib3.exceptions.LocationValueError)  # what the official raises
    assert not [record for record in caplog.records if record.name == "cloudtower.retry"]  # no retry


def test_the_api_key_dict_given_is_the_one_used(demo, token, make_client, sent):
    # As the official SDK: the caller's dict itself, so a token put in it later is sent.
    keys, prefixes = {"Authorization": "stale"}, {"Other": "Bearer"}
    configuration = Configuration(host=demo.url, api_key=keys, api_key_prefix=prefixes)
    assert configuration.api_key is keys and configuration.api_key_prefix is prefixes
    client = make_client(configuration)
    keys["Authorization"] = token
    assert len(VmApi(client).get_vms({"first": 1})) == 1
    assert sent(demo)[-1].headers["authorization"] == token


def test_a_host_variable_outside_its_enum_values_is_refused():
    servers = [{"url": "https://{region}.example/api",
                "variables": {"region": {"default_value": "eu", "enum_values": ["eu", "us"]}}}]
    configuration = Configuration()
    assert configuration.get_host_from_settings(0, variables={"region": "us"}, servers=servers) == \
        "https://us.example/api"
    with pytest.raises(ValueError) as raised:
        configuration.get_host_from_settings(0, variables={"region": "mars"}, servers=servers)
    assert "region" in str(raised.value) and "mars" in str(raised.value)


def test_disabled_client_side_validations_takes_json_schema_keywords():
    assert Configuration(disabled_client_side_validations="maxLength,pattern").disabled_client_side_validations \
        == "maxLength,pattern"
    with pytest.raises(ApiValueError) as raised:
        Configuration(disabled_client_side_validations="maxLength,noSuchKeyword")
    assert "noSuchKeyword" in str(raised.value)


def test_basic_auth_needs_both_username_and_password(demo, token, make_client, sent):
    assert "Basic" not in Configuration(username="u").auth_settings()
    assert "Basic" not in Configuration(password="p").auth_settings()
    configuration = Configuration(host=demo.url, username="root", password="root")
    assert configuration.auth_settings()["Basic"]["value"] == "Basic cm9vdDpyb290"
    ResourceChangeApi(make_client(configuration)).get_resource_changes()  # an operation of basic auth
    assert sent(demo)[-1].headers["authorization"] == "Basic cm9vdDpyb290"


def test_debug_keeps_the_value_set(restore_logging):
    configuration = Configuration()
    configuration.debug = 1
    assert configuration.debug == 1 and logging.getLogger("cloudtower").level == logging.DEBUG
    configuration.debug = 0
    assert configuration.debug == 0 and logging.getLogger("cloudtower").level == logging.WARNING


# -- debug logging -------------------------------------------------------------------------------

class Capture(logging.Handler):
    def __init__(self):
        logging.Handler.__init__(self, logging.DEBUG)
        self.records = []
        self.lock_ = threading.Lock()

    def emit(self, record):
        with self.lock_:
            self.records.append(record)

    @property
    def text(self):
        return "\n".join(record.getMessage() for record in self.records)


@pytest.fixture
def captured(restore_logging):
    """The messages of every log record emitted while the test runs."""
    handler = Capture()
    root = logging.getLogger()
    root.addHandler(handler)
    yield handler
    root.removeHandler(handler)


def assert_no_secret(text, *secrets):
    for secret in secrets:
        assert secret not in text, "a secret reached the log"  # (the secret itself is not shown)


def test_debug_logs_requests_and_answers(demo, config, client, captured, token, capfd):
    config.debug = True
    vm = VmApi(client).get_vms({"where": {"name": "web-01"}})[0]
    request_id = client.last_response.getheader("x-tower-request-id")
    text = captured.text
    assert "POST" in text and demo.url + "/get-vms" in text
    assert '"name": "web-01"' in text
    assert "200" in text and request_id in text and vm.id in text
    assert "<redacted>" in text
    assert_no_secret(text, token)
    out, err = capfd.readouterr()
    assert "get-vms" in out + err  # debug output goes somewhere without any logging set up
    assert_no_secret(out + err, token)


def test_debug_redacts_the_login_password_and_token(start_simulator, make_client, captured, capfd, sent):
    sim = start_simulator(seed="empty", users=["auditor:" + PASSWORD])
    config = Configuration(host=sim.url)
    config.debug = True
    result = UserApi(make_client(config)).login({"username": "auditor", "password": PASSWORD,
                                                 "source": "LOCAL"})
    token = result.data.token
    assert token
    assert sent(sim)[-1].json["password"] == PASSWORD  # sent, but never logged
    text = captured.text
    assert "/login" in text and "auditor" in text
    assert_no_secret(text, PASSWORD, token)
    out, err = capfd.readouterr()
    assert_no_secret(out + err, PASSWORD, token)


def test_debug_redacts_basic_auth(start_simulator, make_client, captured, sent):
    import base64
    sim = start_simulator(seed="empty", users=["watcher:" + PASSWORD])
    config = Configuration(host=sim.url)
    config.debug = True
    config.username, config.password = "watcher", PASSWORD
    ResourceChangeApi(make_client(config)).get_resource_changes(resource_type="VM")
    basic = base64.b64encode(("watcher:" + PASSWORD).encode("utf-8")).decode("ascii")
    assert sent(sim)[-1].headers["authorization"] == "Basic " + basic and sent(sim)[-1].status == 200
    text = captured.text
    assert "resource-changes" in text
    assert_no_secret(text, PASSWORD, basic)


def test_debug_redacts_tokens_in_error_answers(recorder, recorder_config, recorder_client, captured):
    # Recorder: an error answer that carries a token, which the simulator never sends.
    recorder_config.debug = True
    recorder.script("/get-clusters", (400, {}, {"message": "bad", "token": LOGIN_TOKEN}))
    with pytest.raises(Exception):
        ClusterApi(recorder_client).get_clusters({})
    text = captured.text
    assert "get-clusters" in text and "bad" in text
    assert_no_secret(text, LOGIN_TOKEN)


def test_debug_redacts_secrets_in_nested_and_list_bodies(recorder, recorder_config, recorder_client,
                                                         captured):
    # Recorder: an answer with a secret nested in a list, which the simulator never sends.
    recorder_config.debug = True
    recorder.script("/create-vm", [{"task_id": "t", "data": {"id": "vm-1", "secret_note": PASSWORD}}])
    VmApi(recorder_client).create_vm([{"cluster_id": "cl", "name": "n", "status": "STOPPED",
                                       "firmware": "BIOS", "ha": True, "memory": 1, "cpu_cores": 1,
                                       "cpu_sockets": 1, "vm_nics": [], "vm_disks": {},
                                       "description": "no secret here"}])
    text = captured.text
    assert "no secret here" in text
    assert_no_secret(text, PASSWORD)


def test_debug_off_logs_nothing(config, client, captured):
    config.debug = True
    config.debug = False
    VmApi(client).get_vms({"where": {"name": "quiet"}})
    assert "quiet" not in captured.text


def test_logger_file(config, client, tmpdir, restore_logging, token):
    path = str(tmpdir.join("sdk.log"))
    config.logger_file = path
    config.debug = True
    VmApi(client).get_vms({"where": {"name": "to-file"}})
    handler = config.logger_file_handler
    config.logger_file = None
    handler.close()
    with io.open(path, encoding="utf-8") as handle:
        text = handle.read()
    assert "get-vms" in text and "to-file" in text
    assert_no_secret(text, token)
    VmApi(client).get_vms({"where": {"name": "after-unset"}})
    with io.open(path, encoding="utf-8") as handle:
        assert "after-unset" not in handle.read()


def test_logger_file_change_closes_the_previous_file(config, tmpdir, restore_logging):
    # SDK BUG (left failing on purpose): the `logger_file` setter removes the old FileHandler from
    # the loggers but never closes it, so every reassignment leaks an open file.
    config.logger_file = str(tmpdir.join("first.log"))
    handler = config.logger_file_handler
    config.logger_file = str(tmpdir.join("second.log"))
    try:
        assert handler not in logging.getLogger("cloudtower").handlers
        assert handler.stream is None, "the previous log file is still open"
    finally:
        handler.close()
