"""`async_req=True`, the client's thread pool and its end, and `_request_timeout`, against the
simulator (slow answers by its latency fault)."""
from __future__ import absolute_import

import gc
import weakref
from multiprocessing.pool import ApplyResult

import pytest
import urllib3

from cloudtower import ApiClient, ApiInfoApi, ApiValueError, NotFoundException, VmApi
from recorder import Rendezvous

SLOW = 2.0  # seconds the server waits before a delayed answer
SHORT = 0.3  # a timeout well below SLOW
LONG = 30  # a timeout well above SLOW


def slow(sim, operation="/get-vms", latency=SLOW, count=None):
    """Answers of `operation` come `latency` seconds late."""
    return sim.faults.add("latency", operation=operation, latency=latency, count=count)


def test_async_req_returns_an_apply_result(demo, client, sent):
    expected = VmApi(client).get_vms({"first": 1})
    result = VmApi(client).get_vms({"first": 1}, async_req=True)
    assert isinstance(result, ApplyResult)
    vms = result.get(timeout=LONG)
    assert vms == expected and len(vms) == 1
    assert sent(demo)[-1].json == {"first": 1}


def test_async_req_with_http_info(client):
    data, status, headers = VmApi(client).get_vms_with_http_info({"where": {"name": "none"}},
                                                                 async_req=True).get(timeout=LONG)
    assert (data, status) == ([], 200)
    assert headers["x-tower-request-id"].startswith("sim-")


def test_async_req_error_is_raised_by_get(demo, client):
    demo.faults.add("status", operation="/get-vms", status=404, message="gone")
    result = VmApi(client).get_vms({}, async_req=True)
    with pytest.raises(NotFoundException) as raised:
        result.get(timeout=LONG)
    assert raised.value.message == "gone"


def test_async_req_checks_arguments_at_once(demo, client, sent):
    with pytest.raises(ApiValueError):
        VmApi(client).get_vms({"where": {"status": "FLYING"}}, async_req=True)
    assert sent(demo) == []


def test_concurrent_async_calls(recorder, recorder_config, make_client):
    # Recorder: its Rendezvous answers only once all 4 requests are in at once (concurrency, untimed).
    client = make_client(recorder_config, pool_threads=4)
    answer = Rendezvous(4, lambda request: [{"id": request.json["where"]["id"], "name": "vm"}])
    recorder.on("/get-vms", answer)
    api = VmApi(client)
    results = [api.get_vms({"where": {"id": "vm-%d" % index}}, async_req=True) for index in range(4)]
    vms = [result.get(timeout=LONG + 10) for result in results]
    assert [items[0].id for items in vms] == ["vm-0", "vm-1", "vm-2", "vm-3"]
    assert len(recorder.requests_to("/get-vms")) == 4


def test_close_ends_the_thread_pool(config, sdk_threads):
    client = ApiClient(config, pool_threads=3)
    VmApi(client).get_vms({}, async_req=True).get(timeout=LONG)
    pool = client.pool
    assert sdk_threads(), "the pool runs threads"
    client.close()
    assert sdk_threads() == []
    with pytest.raises((ValueError, AssertionError)):
        pool.apply_async(len, ([],))  # closed


def test_context_manager_closes_the_client(config, sdk_threads):
    with ApiClient(config, pool_threads=2) as client:
        vms = VmApi(client).get_vms({"first": 1}, async_req=True).get(timeout=LONG)
        assert sdk_threads()
    assert len(vms) == 1 and vms[0].id
    assert sdk_threads() == []


def test_close_waits_for_running_calls(demo, config, sdk_threads):
    slow(demo, latency=0.5)
    client = ApiClient(config)
    result = VmApi(client).get_vms({"first": 1}, async_req=True)
    client.close()
    assert result.ready()
    assert len(result.get(timeout=0)) == 1
    assert sdk_threads() == []


def test_a_closed_client_can_still_be_used(config, sdk_threads):
    client = ApiClient(config)
    VmApi(client).get_vms({}, async_req=True).get(timeout=LONG)
    client.close()
    none = {"where": {"name": "none"}}
    assert VmApi(client).get_vms(none) == []
    assert VmApi(client).get_vms(none, async_req=True).get(timeout=LONG) == []
    client.close()
    client.close()  # twice is fine
    assert sdk_threads() == []


def test_a_client_without_async_calls_starts_no_thread(config, sdk_threads):
    with ApiClient(config) as client:
        assert VmApi(client).get_vms({"first": 1})
        assert sdk_threads() == []


def test_a_closed_client_releases_its_thread_pool(config):
    # `ApiClient.pool` once registered `atexit.register(pool.close)` that `close()` never
    # unregistered, so every pool a client ever started stayed referenced for the life of the
    # process (a service that makes a client per job grew).
    client = ApiClient(config)
    VmApi(client).get_vms({}, async_req=True).get(timeout=LONG)
    pool = weakref.ref(client.pool)
    client.close()
    del client
    gc.collect()
    assert pool() is None, "the closed ThreadPool is still referenced"


# -- timeouts ----------------------------------------------------------------------------------
# On a fresh simulator each: an answer delayed past a test's end must not reach the next one's journal.

TIMEOUT_ERRORS = (urllib3.exceptions.ReadTimeoutError, urllib3.exceptions.MaxRetryError)


@pytest.fixture
def sim_client(sim):
    """An `ApiClient` logged in to `sim` (empty: no VM)."""
    return sim.client()


@pytest.mark.parametrize("timeout", [SHORT, (LONG, SHORT)])
def test_a_short_timeout_raises(sim, sim_client, timeout):
    slow(sim)
    with pytest.raises(TIMEOUT_ERRORS) as raised:
        VmApi(sim_client).get_vms({}, _request_timeout=timeout)
    if isinstance(raised.value, urllib3.exceptions.MaxRetryError):
        assert isinstance(raised.value.reason, urllib3.exceptions.ReadTimeoutError)


@pytest.mark.parametrize("timeout", [LONG, (LONG, LONG), [LONG, LONG]])
def test_a_long_timeout_succeeds(demo, client, timeout):
    slow(demo, latency=0.5)
    assert len(VmApi(client).get_vms({"first": 1}, _request_timeout=timeout)) == 1


def test_timeout_of_a_get(sim, sim_client):
    slow(sim, "/get-version")
    with pytest.raises(TIMEOUT_ERRORS):
        ApiInfoApi(sim_client).get_api_version(_request_timeout=SHORT)


def test_timeout_of_an_async_call(sim, sim_client):
    slow(sim)
    result = VmApi(sim_client).get_vms({}, async_req=True, _request_timeout=SHORT)
    with pytest.raises(TIMEOUT_ERRORS):
        result.get(timeout=LONG)


def test_the_client_recovers_after_a_timeout(sim, sim_client):
    slow(sim, count=1)
    with pytest.raises(TIMEOUT_ERRORS):
        VmApi(sim_client).get_vms({}, _request_timeout=SHORT)
    assert VmApi(sim_client).get_vms({}) == []


@pytest.mark.parametrize("timeout", ["5", (1, 2, 3), True])
def test_a_bad_timeout_is_refused(demo, client, sent, timeout):
    with pytest.raises(ApiValueError):
        VmApi(client).get_vms({}, _request_timeout=timeout)
    assert sent(demo) == []
