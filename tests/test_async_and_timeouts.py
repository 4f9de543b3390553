"""`async_req=True`, the client's thread pool and its end, and `_request_timeout`."""
from __future__ import absolute_import

import gc
import weakref
from multiprocessing.pool import ApplyResult

import pytest
import urllib3

from cloudtower import ApiClient, ApiValueError, NotFoundException, VmApi
from recorder import Rendezvous, Reply

SLOW = 2.0  # seconds the server waits before a delayed answer
SHORT = 0.3  # a timeout well below SLOW
LONG = 30  # a timeout well above SLOW


def test_async_req_returns_an_apply_result(server, client, vm_json):
    server.script("/get-vms", [vm_json()])
    result = VmApi(client).get_vms({"first": 1}, async_req=True)
    assert isinstance(result, ApplyResult)
    vms = result.get(timeout=LONG)
    assert vms[0].id == "vm-1"
    assert server.last.json == {"first": 1}


def test_async_req_with_http_info(server, client):
    server.script("/get-vms", [])
    data, status, headers = VmApi(client).get_vms_with_http_info({}, async_req=True).get(timeout=LONG)
    assert (data, status) == ([], 200)
    assert headers["x-tower-request-id"] == server.last.request_id


def test_async_req_error_is_raised_by_get(server, client):
    server.script("/get-vms", (404, {}, {"message": "gone"}))
    result = VmApi(client).get_vms({}, async_req=True)
    with pytest.raises(NotFoundException) as raised:
        result.get(timeout=LONG)
    assert raised.value.message == "gone"


def test_async_req_checks_arguments_at_once(server, client):
    with pytest.raises(ApiValueError):
        VmApi(client).get_vms({"where": {"status": "FLYING"}}, async_req=True)
    assert server.requests == []


def test_concurrent_async_calls(server, config, make_client):
    client = make_client(config, pool_threads=4)
    server.on("/get-vms", Rendezvous(4, lambda request: [{"id": request.json["where"]["id"], "name": "vm"}]))
    api = VmApi(client)
    results = [api.get_vms({"where": {"id": "vm-%d" % index}}, async_req=True) for index in range(4)]
    vms = [result.get(timeout=LONG + 10) for result in results]
    assert [items[0].id for items in vms] == ["vm-0", "vm-1", "vm-2", "vm-3"]
    assert len(server.requests_to("/get-vms")) == 4


def test_close_ends_the_thread_pool(server, config, sdk_threads):
    client = ApiClient(config, pool_threads=3)
    VmApi(client).get_vms({}, async_req=True).get(timeout=LONG)
    pool = client.pool
    assert sdk_threads(), "the pool runs threads"
    client.close()
    assert sdk_threads() == []
    with pytest.raises((ValueError, AssertionError)):
        pool.apply_async(len, ([],))  # closed


def test_context_manager_closes_the_client(server, config, sdk_threads, vm_json):
    server.script("/get-vms", [vm_json()])
    with ApiClient(config, pool_threads=2) as client:
        vms = VmApi(client).get_vms({}, async_req=True).get(timeout=LONG)
        assert sdk_threads()
    assert vms[0].id == "vm-1"
    assert sdk_threads() == []


def test_close_waits_for_running_calls(server, config, sdk_threads):
    server.script("/get-vms", Reply(200, json=[{"id": "late"}], delay=0.5))
    client = ApiClient(config)
    result = VmApi(client).get_vms({}, async_req=True)
    client.close()
    assert result.ready()
    assert result.get(timeout=0)[0].id == "late"
    assert sdk_threads() == []


def test_a_closed_client_can_still_be_used(server, config, sdk_threads):
    client = ApiClient(config)
    VmApi(client).get_vms({}, async_req=True).get(timeout=LONG)
    client.close()
    assert VmApi(client).get_vms({}) == []
    assert VmApi(client).get_vms({}, async_req=True).get(timeout=LONG) == []
    client.close()
    client.close()  # twice is fine
    assert sdk_threads() == []


def test_a_client_without_async_calls_starts_no_thread(server, config, sdk_threads):
    with ApiClient(config) as client:
        VmApi(client).get_vms({})
        assert sdk_threads() == []


def test_a_closed_client_releases_its_thread_pool(server, config):
    # SDK BUG (left failing on purpose): `ApiClient.pool` registers `atexit.register(pool.close)` and
    # `close()` never unregisters it, so every pool a client ever started stays referenced by the
    # atexit registry for the life of the process (a service that makes a client per job grows).
    client = ApiClient(config)
    VmApi(client).get_vms({}, async_req=True).get(timeout=LONG)
    pool = weakref.ref(client.pool)
    client.close()
    del client
    gc.collect()
    assert pool() is None, "the closed ThreadPool is still referenced"


# -- timeouts ----------------------------------------------------------------------------------

TIMEOUT_ERRORS = (urllib3.exceptions.ReadTimeoutError, urllib3.exceptions.MaxRetryError)


@pytest.mark.parametrize("timeout", [SHORT, (LONG, SHORT)])
def test_a_short_timeout_raises(server, client, timeout):
    server.script("/get-vms", Reply(200, json=[], delay=SLOW))
    with pytest.raises(TIMEOUT_ERRORS) as raised:
        VmApi(client).get_vms({}, _request_timeout=timeout)
    if isinstance(raised.value, urllib3.exceptions.MaxRetryError):
        assert isinstance(raised.value.reason, urllib3.exceptions.ReadTimeoutError)


@pytest.mark.parametrize("timeout", [LONG, (LONG, LONG), [LONG, LONG]])
def test_a_long_timeout_succeeds(server, client, timeout):
    server.script("/get-vms", Reply(200, json=[{"id": "slow"}], delay=0.5))
    assert VmApi(client).get_vms({}, _request_timeout=timeout)[0].id == "slow"


def test_timeout_of_a_get(server, client):
    from cloudtower import ApiInfoApi
    server.script("/get-version", Reply(200, json="4.6.0", delay=SLOW))
    with pytest.raises(TIMEOUT_ERRORS):
        ApiInfoApi(client).get_api_version(_request_timeout=SHORT)


def test_timeout_of_an_async_call(server, client):
    server.script("/get-vms", Reply(200, json=[], delay=SLOW))
    result = VmApi(client).get_vms({}, async_req=True, _request_timeout=SHORT)
    with pytest.raises(TIMEOUT_ERRORS):
        result.get(timeout=LONG)


def test_the_client_recovers_after_a_timeout(server, client):
    server.script("/get-vms", Reply(200, json=[], delay=SLOW), [{"id": "next"}])
    with pytest.raises(TIMEOUT_ERRORS):
        VmApi(client).get_vms({}, _request_timeout=SHORT)
    assert VmApi(client).get_vms({})[0].id == "next"


@pytest.mark.parametrize("timeout", ["5", (1, 2, 3), True])
def test_a_bad_timeout_is_refused(server, client, timeout):
    with pytest.raises(ApiValueError):
        VmApi(client).get_vms({}, _request_timeout=timeout)
    assert server.requests == []
