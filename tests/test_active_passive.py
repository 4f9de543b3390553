"""`ActivePassiveApiClient` over real HTTP (issue 8, item 5): discovery, every strategy, every
exception, retries, threads, `async_req`, every Api class.

The simulator's active-passive pair (`Simulator(endpoints=2)`) plays a CloudTower 4.9.0; the
recording server of tests/recorder.py plays what it never does (two active endpoints, none,
an endpoint that dies or flaps)."""
from __future__ import absolute_import

import pickle
import threading
import time
import warnings

import pytest

import cloudtower
from cloudtower import (ActivePassiveApiClient, ActivePassiveDuplicateHost, ActivePassiveException,
                        ActivePassiveFailoverRequired, ActivePassiveMultipleActives, ActivePassiveNoActiveHost,
                        ActivePassiveNoEndpoints, ActivePassiveRetryExhausted, ActivePassiveUnknownHost,
                        ApiConnectionError, ApiException, ApiTypeError, ApiValueError, Configuration,
                        FailoverStrategy, RetryPolicy, VmApi)
from conftest import sent_to
from recorder import Reply, Rendezvous

ROOT = {"name": "root", "password": "root"}
LOGIN = {"task_id": None, "data": {"token": "tok-ap"}}
UPDATE_VM = VmApi.update_vm.operation.path
PATIENCE = 30  # seconds a test waits for what must happen (a busy machine is slow, never that slow)


@pytest.fixture
def pair(start_simulator):
    """A demo estate served by an active-passive pair: `urls[0]` active, `urls[1]` passive."""
    return start_simulator(seed="demo", task_delay=None, endpoints=2)


@pytest.fixture
def make_ap():
    """`make_ap(endpoints, **kwargs)`: an `ActivePassiveApiClient`, closed after the test."""
    made = []

    def make(endpoints, **kwargs):
        client = ActivePassiveApiClient(endpoints, **kwargs)
        made.append(client)
        return client
    yield make
    for client in made:
        client.close()


def quick(retries):
    """Settings with `retries` retries 10 ms apart (0: none)."""
    configuration = Configuration()
    configuration.retries = RetryPolicy(retries=retries, backoff=0.01) if retries else 0
    return configuration


def active(server):
    server.script("/api/healthz", Reply(200, json={"status": "ok"}))


def passive(server, to):
    server.script("/api/healthz", Reply(307, json={"message": "passive"}, headers={"Location": to.url + "/api/healthz"}))


def probes(server):
    return len(server.requests_to("/api/healthz"))


def root_of(url):
    return url[:-len("/v2/api")]


# -- the endpoints ------------------------------------------------------------------------------------

@pytest.mark.parametrize("endpoints", [None, [], ()])
def test_no_endpoint_raises_no_endpoints(endpoints):
    with pytest.raises(ActivePassiveNoEndpoints) as raised:
        ActivePassiveApiClient(endpoints)
    assert raised.value.status == 0 and raised.value.endpoints == []
    assert isinstance(raised.value, ActivePassiveException) and isinstance(raised.value, ApiException)


def test_an_endpoint_without_an_address_raises_no_endpoints():
    with pytest.raises(ActivePassiveNoEndpoints) as raised:
        ActivePassiveApiClient(["http://tower-1", Configuration()])
    assert "endpoints[1] has no address" in str(raised.value)


def test_the_same_endpoint_twice_raises_duplicate_host():
    with pytest.raises(ActivePassiveDuplicateHost) as raised:
        ActivePassiveApiClient(["http://tower-1", "http://tower-2", "http://tower-1/v2/api/"])
    error = raised.value
    assert (error.status, error.host) == (0, "http://tower-1")
    assert error.endpoints == ["http://tower-1", "http://tower-2", "http://tower-1/v2/api/"]
    assert "endpoints[0] and endpoints[2]" in str(error)


def test_bad_arguments_are_refused_naming_them():
    with pytest.raises(ApiTypeError, match="a list of URLs or Configurations, not a single str"):
        ActivePassiveApiClient("http://tower-1")
    with pytest.raises(ApiTypeError, match=r"endpoints\[1\] must be a URL, a Configuration or a dict, not int"):
        ActivePassiveApiClient(["http://tower-1", 8080])
    with pytest.raises(ApiValueError, match=r"endpoints\[0\] has unknown key\(s\) 'url'"):
        ActivePassiveApiClient([{"url": "http://tower-1"}])
    with pytest.raises(ApiValueError, match="failover_strategy must be one of"):
        ActivePassiveApiClient(["http://tower-1"], failover_strategy="auto")
    with pytest.raises(ApiValueError, match="probe_timeout"):
        ActivePassiveApiClient(["http://tower-1"], probe_timeout=0)
    with pytest.raises(ApiValueError, match=r"'username' \(did you mean name\?\)"):
        ActivePassiveApiClient(["http://tower-1"], user_config={"username": "root", "password": "x"})
    with pytest.raises(ApiTypeError, match="user_config.password must be text, not NoneType"):
        ActivePassiveApiClient(["http://tower-1"], user_config={"name": "root"})


def test_endpoints_are_urls_configurations_or_dicts():
    tls = Configuration(root_url="https://tower-3:8443")
    tls.verify_ssl = False
    client = ActivePassiveApiClient(["tower-1", "https://tower-2/v2/api", tls,
                                     {"root_url": "tower-4", "scheme": "https", "probe_path": "/healthz"}])
    assert client.endpoints == ["http://tower-1", "https://tower-2", "https://tower-3:8443", "https://tower-4"]
    endpoints = client._endpoints
    assert [endpoint.host for endpoint in endpoints] == [
        "http://tower-1/v2/api", "https://tower-2/v2/api", "https://tower-3:8443/v2/api", "https://tower-4/v2/api"]
    assert endpoints[3].probe_url == "https://tower-4/healthz"
    assert endpoints[2].configuration.verify_ssl is False and tls.host == "https://tower-3:8443/v2/api"
    assert client.current_active_base_url is None  # nothing probed yet
    client.close()


# -- discovery ----------------------------------------------------------------------------------------

def test_the_active_endpoint_is_found_whatever_the_order(pair, make_ap):
    client = make_ap(list(reversed(pair.urls)), user_config=ROOT)
    assert client.current_active_base_url == pair.root_urls[0]
    assert client.configuration.host == pair.url
    assert len(VmApi(client).get_vms({"first": 3})) == 3
    assert [entry.status for entry in sent_to(pair, "/api/healthz")] in ([200, 307], [307, 200])


def test_the_endpoints_are_probed_at_once(start_recorder, make_ap):
    # Each probe is answered only once both are in: probed one after the other, the first would
    # wait in vain and fail.
    first, second = start_recorder(), start_recorder()
    both = Rendezvous(2, lambda request: Reply(200, json={}) if request.headers["host"].endswith(
        ":%d" % first.port) else Reply(307, json={}), patience=5)
    first.on("/api/healthz", both)
    second.on("/api/healthz", both)
    client = make_ap([first.url, second.url], probe_timeout=PATIENCE, configuration=quick(0))
    assert client.discover() == first.url


def test_an_endpoint_that_never_answers_costs_one_probe_timeout(start_recorder, pair, make_ap):
    silent = start_recorder()
    silent.script("/api/healthz", Reply(200, json={}, delay=3))
    client = make_ap([silent.url] + pair.urls, probe_timeout=0.5, user_config=ROOT)
    assert client.current_active_base_url == pair.root_urls[0]  # found without the silent one
    other = start_recorder()
    passive(other, silent)
    client = make_ap([silent.url, other.url], probe_timeout=0.5, configuration=quick(0))
    with pytest.raises(ActivePassiveNoActiveHost) as raised:
        client.discover()
    assert raised.value.failures[0].startswith(silent.url + ": timed out")
    assert raised.value.failures[1].startswith(other.url + ": passive")


def test_one_probe_round_serves_every_thread_that_needs_it(start_recorder, make_ap):
    first, second = start_recorder(), start_recorder()
    gate = threading.Event()
    first.on("/api/healthz", lambda request: (gate.wait(PATIENCE), Reply(200, json={}))[1])
    passive(second, first)
    first.script("/get-vms", [])
    client = make_ap([first.url, second.url], configuration=quick(0), probe_timeout=PATIENCE)
    answers = []
    threads = [threading.Thread(target=lambda: answers.append(VmApi(client).get_vms({}))) for _ in range(16)]
    for thread in threads:
        thread.start()
    deadline = time.time() + PATIENCE
    while time.time() < deadline and not (client._round is not None and client._round.waiting == 15):
        time.sleep(0.01)
    waiting = client._round.waiting if client._round is not None else None
    gate.set()
    for thread in threads:
        thread.join(PATIENCE)
    assert waiting == 15  # the other 15 threads waited for the first one's round
    assert (probes(first), probes(second)) == (1, 1)
    assert answers == [[]] * 16 and len(first.requests_to("/get-vms")) == 16


def test_no_active_endpoint_raises_no_active_host_after_the_retries(start_recorder, make_ap):
    first, second = start_recorder(), start_recorder()
    passive(first, second)
    urls = [first.url, second.url]
    second.stop()  # refused
    client = make_ap(urls, configuration=quick(2))
    with pytest.raises(ActivePassiveNoActiveHost) as raised:
        VmApi(client).get_vms({})
    error = raised.value
    assert error.status == 0 and error.endpoints == urls
    assert error.failures[0] == "%s: passive (307 to %s/api/healthz)" % tuple(urls)
    assert error.failures[1].startswith(urls[1] + ": connection failed")
    assert probes(first) == 3  # the first round and two retries: nothing was sent meanwhile
    assert client.current_active_base_url is None


def test_no_active_endpoint_raises_at_once_without_retries(start_recorder, make_ap):
    first, second = start_recorder(), start_recorder()
    passive(first, second)
    passive(second, first)
    client = make_ap([first.url, second.url], configuration=quick(0))
    with pytest.raises(ActivePassiveNoActiveHost):
        VmApi(client).get_vms({}, _request_timeout=PATIENCE)
    assert (probes(first), probes(second)) == (1, 1)
    assert not first.requests_to("/get-vms") and not second.requests_to("/get-vms")


def test_a_failover_with_no_endpoint_active_for_a_moment_is_ridden_out(start_recorder, make_ap):
    first, second = start_recorder(), start_recorder()
    passive(first, second)
    rounds = []

    def second_probe(request):
        rounds.append(request)
        return Reply(307, json={}) if len(rounds) == 1 else Reply(200, json={})
    second.on("/api/healthz", second_probe)
    client = make_ap([first.url, second.url], configuration=quick(2))
    assert VmApi(client).delete_vm({"where": {"id": "vm1"}}) == []  # a mutation: nothing was sent before
    assert len(second.requests_to("/delete-vm")) == 1 and len(rounds) == 2


def test_two_active_endpoints_raise_multiple_actives_at_once(start_recorder, make_ap):
    first, second = start_recorder(), start_recorder()
    active(first)
    active(second)
    client = make_ap([first.url, second.url], configuration=quick(2))
    with pytest.raises(ActivePassiveMultipleActives) as raised:
        VmApi(client).get_vms({})
    error = raised.value
    assert error.status == 0 and error.active_hosts == [first.url, second.url]
    assert error.endpoints == [first.url, second.url] and first.url in str(error)
    assert (probes(first), probes(second)) == (1, 1)  # not retried: the client cannot choose


def test_discover_probes_again_and_says_which_is_active(pair, make_ap):
    client = make_ap(pair.urls, user_config=ROOT)
    assert client.discover() == pair.root_urls[0]
    pair.failover()
    assert client.discover() == pair.root_urls[1]
    assert client.current_active_base_url == pair.root_urls[1] and client.configuration.host == pair.urls[1]


# -- AUTO_FAILOVER ------------------------------------------------------------------------------------

def test_auto_failover_in_the_middle_of_a_loop_of_queries(pair, make_ap):
    client = make_ap(pair.urls, user_config=ROOT)
    vm_api = VmApi(client)
    used = []
    for index in range(10):
        if index == 5:
            pair.failover()
        assert len(vm_api.get_vms({"first": 2})) == 2
        used.append(client.current_active_base_url)
    assert used == [pair.root_urls[0]] * 5 + [pair.root_urls[1]] * 5
    statuses = [entry.status for entry in sent_to(pair, "/get-vms")]
    assert statuses == [200] * 5 + [307] + [200] * 5  # one 307, then the same request once more
    assert len(sent_to(pair, "/login")) == 1  # the token is valid on both endpoints


def test_auto_failover_sends_a_mutation_once_more_after_a_307(pair, make_ap):
    client = make_ap(pair.urls, user_config=ROOT)
    vm_api = VmApi(client)
    vm = vm_api.get_vms({"where": {"name": "web-01"}})[0]
    pair.failover()
    vm_api.update_vm({"where": {"id": vm.id}, "data": {"description": "after the failover"}})
    assert [entry.status for entry in sent_to(pair, UPDATE_VM)] == [307, 200]
    assert vm_api.get_vms({"where": {"id": vm.id}})[0].description == "after the failover"


def test_a_307_from_the_endpoint_found_active_too_raises_retry_exhausted(start_recorder, make_ap):
    first, second = start_recorder(), start_recorder()
    active(first)
    first.script("/get-vms", Reply(307, json={"message": "passive"}, headers={"Location": second.url + "/v2/api/get-vms"}))
    passive(second, first)
    client = make_ap([first.url, second.url], configuration=quick(2))
    with pytest.raises(ActivePassiveRetryExhausted) as raised:
        VmApi(client).get_vms({})
    error = raised.value
    assert (error.status, error.host, error.strategy) == (307, first.url, FailoverStrategy.AUTO_FAILOVER)
    assert error.endpoints == [first.url, second.url] and error.headers["Location"].startswith(second.url)
    assert "roles keep changing" in str(error)
    assert len(first.requests_to("/get-vms")) == 2 and probes(first) == 2  # once more, not by the retries
    assert client.current_active_base_url is None


def dies(server):
    """From now on `server` drops every connection without an answer."""
    server.default(lambda request: Reply(close=True))
    for path in ("/api/healthz", "/get-vms"):
        server.script(path, Reply(close=True))


def test_a_connection_error_forgets_the_active_endpoint_without_sending_again(start_recorder, make_ap):
    first, second = start_recorder(), start_recorder()
    active(first)
    passive(second, first)
    client = make_ap([first.url, second.url], configuration=quick(0))
    assert VmApi(client).get_vms({}) == []
    dies(first)
    active(second)
    with pytest.raises(ApiConnectionError):
        VmApi(client).get_vms({})
    assert client.current_active_base_url is None and not second.requests_to("/get-vms")
    assert VmApi(client).get_vms({}) == []  # the next request probes: the second is active
    assert client.current_active_base_url == second.url


def test_the_retry_policy_rides_the_death_of_the_active_endpoint_out(start_recorder, make_ap):
    first, second = start_recorder(), start_recorder()
    active(first)
    passive(second, first)
    client = make_ap([first.url, second.url], configuration=quick(2))
    assert VmApi(client).get_vms({}) == []
    dies(first)
    active(second)
    assert VmApi(client).get_vms({}) == []  # retried by the policy, on the endpoint probed active
    assert client.current_active_base_url == second.url and len(second.requests_to("/get-vms")) == 1


def test_a_mutation_the_server_may_have_seen_is_not_sent_again(start_recorder, make_ap):
    first, second = start_recorder(), start_recorder()
    active(first)
    passive(second, first)
    first.script("/delete-vm", Reply(close=True))  # read, then the connection drops
    client = make_ap([first.url, second.url], configuration=quick(2))
    with pytest.raises(ApiConnectionError) as raised:
        VmApi(client).delete_vm({"where": {"id": "vm1"}})
    assert raised.value.request_sent
    assert len(first.requests_to("/delete-vm")) == 1 and not second.requests_to("/delete-vm")
    assert client.current_active_base_url is None


# -- MANUAL_FAILOVER ----------------------------------------------------------------------------------

def test_manual_failover_raises_failover_required_on_a_307(pair, make_ap):
    client = make_ap(pair.urls, user_config=ROOT, failover_strategy=FailoverStrategy.MANUAL_FAILOVER)
    vm_api = VmApi(client)
    vm = vm_api.get_vms({"where": {"name": "web-01"}})[0]
    pair.failover()
    with pytest.raises(ActivePassiveFailoverRequired) as raised:
        vm_api.update_vm({"where": {"id": vm.id}, "data": {"description": "manual"}})
    error = raised.value
    assert (error.status, error.host, error.strategy) == (307, pair.root_urls[0], "manual_failover")
    assert error.endpoints == pair.root_urls
    assert error.headers["Location"] == pair.urls[1] + UPDATE_VM  # seen, not followed
    assert client.current_active_base_url is None
    assert [entry.status for entry in sent_to(pair, UPDATE_VM)] == [307]  # not carried out
    vm_api.update_vm({"where": {"id": vm.id}, "data": {"description": "manual"}})  # the caller fails over
    assert client.current_active_base_url == pair.root_urls[1]
    assert vm_api.get_vms({"where": {"id": vm.id}})[0].description == "manual"


# -- ALWAYS_PROBE -------------------------------------------------------------------------------------

def test_always_probe_probes_before_every_request(pair, make_ap):
    client = make_ap(pair.urls, user_config=ROOT, failover_strategy=FailoverStrategy.ALWAYS_PROBE)
    vm_api = VmApi(client)
    for index in range(4):
        if index == 2:
            pair.failover()
        vm_api.get_vms({"first": 1})
    statuses = [entry.status for entry in sent_to(pair, "/get-vms")]
    assert statuses == [200] * 4  # each request went where the probe just before it said
    assert len(sent_to(pair, "/api/healthz")) == 2 * 5  # the login and 4 queries, both endpoints each
    assert client.current_active_base_url == pair.root_urls[1]


def test_always_probe_raises_failover_required_on_a_307(start_recorder, make_ap):
    first, second = start_recorder(), start_recorder()
    active(first)
    first.script("/get-vms", Reply(307, json={}, headers={"Location": second.url + "/v2/api/get-vms"}))
    passive(second, first)
    client = make_ap([first.url, second.url], configuration=quick(2),
                     failover_strategy=FailoverStrategy.ALWAYS_PROBE)
    with pytest.raises(ActivePassiveFailoverRequired) as raised:
        VmApi(client).get_vms({})
    assert (raised.value.status, raised.value.strategy) == (307, "always_probe")
    assert len(first.requests_to("/get-vms")) == 1


# -- where requests go --------------------------------------------------------------------------------

def test_a_url_under_no_endpoint_raises_unknown_host(pair, make_ap):
    client = make_ap(pair.urls, user_config=ROOT)
    with pytest.raises(ActivePassiveUnknownHost) as raised:
        client.call_api("/get-vms", "POST", body={}, response_types_map={200: "list[Vm]"},
                        auth_settings=["Authorization"], _host="http://elsewhere.invalid/v2/api")
    error = raised.value
    assert (error.status, error.host) == (0, "http://elsewhere.invalid/v2/api/get-vms")
    assert error.endpoints == pair.root_urls
    with pytest.raises(ActivePassiveUnknownHost):
        client.request("GET", "http://elsewhere.invalid/api/healthz")


def test_a_url_under_any_endpoint_goes_to_the_active_one(pair, make_ap):
    client = make_ap(pair.urls, user_config=ROOT)
    vms = client.call_api("/get-vms", "POST", body={"first": 1}, response_types_map={200: "list[Vm]"},
                          auth_settings=["Authorization"], _host=pair.urls[1], _return_http_data_only=True)
    assert len(vms) == 1
    assert client.request("GET", pair.root_urls[1] + "/api/healthz").status == 200
    assert [entry.status for entry in sent_to(pair, "/get-vms")] == [200]


def test_async_req_and_every_option_work_across_a_failover(pair, make_ap):
    client = make_ap(pair.urls, user_config=ROOT, pool_threads=4)
    vm_api = VmApi(client)
    pair.failover()
    pending = [vm_api.get_vms({"first": 1}, async_req=True) for _ in range(8)]
    assert [len(result.get(PATIENCE)) for result in pending] == [1] * 8
    data, status, headers = vm_api.get_vms_with_http_info({"first": 1})
    assert status == 200 and len(data) == 1
    raw = vm_api.get_vms({"first": 1}, _preload_content=False)
    assert raw.status == 200


def test_every_api_class_works_on_it_unchanged(pair, make_ap):
    client = make_ap(pair.urls, user_config=ROOT)
    pair.failover()
    called = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # the classes of older releases
        for name in cloudtower.api.__all__:
            api = getattr(cloudtower.api, name)(client)
            assert api.api_client is client
            query = _a_query(api)
            if query is not None:
                assert isinstance(query({"first": 1}), list), name
                called += 1
    assert called >= 120
    assert client.current_active_base_url == pair.root_urls[1]


def _a_query(api):
    for attribute in sorted(dir(type(api))):
        method = getattr(api, attribute)
        operation = getattr(method, "operation", None)
        if operation is not None and not attribute.endswith("_with_http_info") and not operation.deprecated \
                and operation.path.startswith("/get-") and (operation.returns or "").startswith("list[") \
                and (operation.body or "").endswith("RequestBody") and not _required(operation.body):
            return method
    return None


def _required(model_name):
    from cloudtower.model import fields
    return [field for field in fields(getattr(cloudtower.models, model_name)).values() if field.required]


def test_the_configuration_given_is_copied_and_its_token_shared(pair, make_ap):
    configuration = Configuration()
    client = make_ap(pair.urls, configuration=configuration)
    assert configuration.host == ""  # left alone
    configuration.api_key["Authorization"] = pair.client().configuration.api_key["Authorization"]
    assert len(VmApi(client).get_vms({"first": 1})) == 1  # a token put in later is used


def test_the_exceptions_keep_their_details_through_pickle():
    error = ActivePassiveFailoverRequired(status=307, reason="r", host="http://a", endpoints=["http://a", "http://b"],
                                          strategy="manual_failover")
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is ActivePassiveFailoverRequired
    assert (copy.status, copy.reason, copy.host, copy.endpoints, copy.strategy) == \
        (307, "r", "http://a", ["http://a", "http://b"], "manual_failover")
    assert ActivePassiveNoActiveHost().reason == "no endpoint is active"


def test_a_deadline_covers_probe_rounds_and_retries(start_recorder, make_ap):
    first, second = start_recorder(), start_recorder()
    passive(first, second)
    passive(second, first)
    configuration = Configuration()
    configuration.retries = RetryPolicy(retries=100, backoff=0.05, backoff_max=0.05)
    client = make_ap([first.url, second.url], configuration=configuration)
    with pytest.raises(ActivePassiveNoActiveHost):
        VmApi(client).get_vms({}, _request_timeout=0.5)  # not 100 rounds
    assert probes(first) < 100
