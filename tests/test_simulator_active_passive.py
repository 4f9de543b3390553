"""The simulator as an active-passive CloudTower (issue 8, item 6): `Simulator(endpoints=2)` serves
one estate on two endpoints, the active one answers `GET /api/healthz` with 200, the passive one
answers everything with 307 to the same URL on the active one; `failover()` swaps the roles; the
command line takes `--endpoints N` and fails over on SIGUSR1.

Spoken to with urllib3 directly, so that what the simulator answers is seen as it is."""
from __future__ import absolute_import

import json
import os
import signal
import subprocess
import sys
import threading

import pytest
import urllib3

from cloudtower import VmApi
from cloudtower.simulator import Simulator

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PATIENCE = 60


@pytest.fixture
def http():
    manager = urllib3.PoolManager(retries=False)
    yield manager
    manager.clear()


@pytest.fixture
def pair(start_simulator):
    return start_simulator(seed="demo", task_delay=None, endpoints=2)


def token_of(simulator):
    client = simulator.client()
    token = client.configuration.api_key["Authorization"]
    client.close()
    return token


def test_the_active_endpoint_answers_the_probe_200_and_the_passive_one_307(pair, http):
    active, passive = pair.root_urls
    assert pair.url == pair.urls[0] == active + "/v2/api"
    answer = http.request("GET", active + "/api/healthz")
    assert answer.status == 200
    answer = http.request("GET", passive + "/api/healthz", redirect=False)
    assert answer.status == 307 and answer.headers["Location"] == active + "/api/healthz"


def test_a_passive_endpoint_answers_every_call_with_307_to_the_same_url_on_the_active_one(pair, http):
    active, passive = pair.root_urls
    token = token_of(pair)
    for method, target, headers, body in [
            ("POST", "/v2/api/get-vms", {"Authorization": token}, b'{"first": 1}'),
            ("POST", "/v2/api/get-vms", {}, b"{}"),  # no token: still 307, before anything else
            ("POST", "/v2/api/login", {}, b'{"username": "root", "password": "root", "source": "LOCAL"}'),
            ("GET", "/v2/api/get-version", {}, None),
            ("GET", "/v2/api/resource-changes?start_revision=1&limit=5", {"Authorization": token}, None),
            ("POST", "/v2/api/no-such-operation", {}, b"{}"),
            ("POST", "/api", {}, b'{"query": "{authnStrategies{id type}}"}')]:
        answer = http.urlopen(method, passive + target, headers=headers, body=body, redirect=False)
        assert answer.status == 307, target
        assert answer.headers["Location"] == active + target
        assert json.loads(answer.data.decode("utf-8"))["status"] == 307
    statuses = [entry[4] for entry in pair.requests]
    assert statuses[-7:] == [307] * 7  # journaled as answered


def test_failover_swaps_the_roles_and_one_estate_and_token_serve_both(pair, http):
    token = token_of(pair)
    vm_api = VmApi(pair.client())
    vm = vm_api.get_vms({"where": {"name": "web-01"}})[0]
    vm_api.update_vm({"where": {"id": vm.id}, "data": {"description": "before the failover"}})
    assert pair.failover() == pair.urls[1] == pair.url
    assert http.request("GET", pair.root_urls[0] + "/api/healthz", redirect=False).status == 307
    assert http.request("GET", pair.root_urls[1] + "/api/healthz").status == 200
    answer = http.urlopen("POST", pair.urls[1] + "/get-vms", body=json.dumps({"where": {"id": vm.id}}),
                          headers={"Authorization": token, "Content-Type": "application/json"})
    assert answer.status == 200  # the token from before, on the other endpoint
    assert json.loads(answer.data.decode("utf-8"))[0]["description"] == "before the failover"
    pair.failover()
    assert pair.url == pair.urls[0]


def test_three_endpoints_take_turns(start_simulator, http):
    trio = start_simulator(seed="empty", endpoints=3)
    assert len(set(trio.urls)) == 3
    for expected in (1, 2, 0):
        trio.failover()
        assert trio.url == trio.urls[expected]
        assert [http.request("GET", root + "/api/healthz", redirect=False).status for root in trio.root_urls] == \
            [200 if index == expected else 307 for index in range(3)]


def test_a_single_endpoint_is_active_and_has_nothing_to_fail_over_to(start_simulator, http):
    single = start_simulator(seed="empty")
    assert single.urls == [single.url]
    assert http.request("GET", single.root_urls[0] + "/api/healthz").status == 200
    with pytest.raises(ValueError, match="no passive endpoint"):
        single.failover()


@pytest.mark.parametrize("count", [0, -1, 1.5, "2", True])
def test_a_bad_number_of_endpoints_is_refused(count):
    with pytest.raises(ValueError, match="endpoints must be a number of endpoints, 1 or more"):
        Simulator(seed="empty", endpoints=count)


def test_a_pair_serves_https_on_both_endpoints(start_simulator, cert_file, key_file):
    secure = start_simulator(seed="empty", endpoints=2, cert=cert_file, key=key_file)
    manager = urllib3.PoolManager(retries=False, cert_reqs="CERT_REQUIRED", ca_certs=cert_file,
                                  assert_hostname="localhost")
    try:
        roots = [root.replace("127.0.0.1", "localhost") for root in secure.root_urls]
        assert [manager.request("GET", root + "/api/healthz", redirect=False).status for root in roots] == [200, 307]
    finally:
        manager.clear()


# -- the command line -------------------------------------------------------------------------------

def read_line(process):
    """The next line the process prints (a watchdog kills it if none comes)."""
    watchdog = threading.Timer(PATIENCE, process.kill)
    watchdog.start()
    try:
        return process.stdout.readline().decode("utf-8").rstrip("\r\n")
    finally:
        watchdog.cancel()


@pytest.mark.skipif(not hasattr(signal, "SIGUSR1"), reason="SIGUSR1 is POSIX")
def test_the_command_line_serves_a_pair_and_fails_over_on_sigusr1(http):
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    process = subprocess.Popen([sys.executable, "-m", "cloudtower.simulator", "--port", "0", "--seed", "empty",
                                "--endpoints", "2"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    try:
        lines = [read_line(process), read_line(process)]
        assert lines[0].startswith("CloudTower simulator listening on http://127.0.0.1:") and \
            lines[0].endswith("/v2/api (active)"), lines
        assert lines[1].endswith("/v2/api (passive)"), lines
        urls = [line.split(" on ", 1)[1].split(" ")[0] for line in lines]
        roots = [url[:-len("/v2/api")] for url in urls]
        assert http.request("GET", roots[0] + "/api/healthz").status == 200
        process.send_signal(signal.SIGUSR1)
        assert read_line(process) == "CloudTower simulator failed over: %s is active" % urls[1]
        assert [http.request("GET", root + "/api/healthz", redirect=False).status for root in roots] == [307, 200]
        process.send_signal(signal.SIGTERM)
        assert process.wait() == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()
        process.stderr.close()


def test_the_command_line_says_how_to_fail_over():
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    output = subprocess.check_output([sys.executable, "-m", "cloudtower.simulator", "--help"], cwd=ROOT, env=env)
    text = output.decode("utf-8")
    assert "--endpoints N" in text and "SIGUSR1" in text and "kill -USR1 <pid>" in text
