"""Many threads at once: the first use of a model, an enum or an Api class from 32 threads behind
a barrier must succeed in every thread (a half-loaded module must never be used)."""
from __future__ import absolute_import

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Run in a fresh process, so that every model, enum and Api class is used for the first time by
# the 32 threads at once. Prints one line: the number of failures, then the first of them.
FIRST_USE = r"""
import sys, threading
from cloudtower import ApiClient, Configuration
from cloudtower.model import encode

url, token = sys.argv[1], sys.argv[2]
configuration = Configuration(host=url)
configuration.api_key["Authorization"] = token
client = ApiClient(configuration)
THREADS = 32


class Barrier(object):  # threading.Barrier is not in Python 2
    def __init__(self, parties):
        self.parties, self.arrived, self.condition = parties, 0, threading.Condition()

    def wait(self):
        with self.condition:
            self.arrived += 1
            self.condition.notify_all()
            while self.arrived < self.parties:
                self.condition.wait()

barrier = Barrier(THREADS)
# Decoded before the threads start, without reading `cluster`: NestedCluster is not loaded yet.
raw = client.call_api("/get-vms", "POST", body={"first": 8}, header_params={"Content-Type": "application/json"},
                      response_types_map={200: "object"}, auth_settings=["Authorization"],
                      _return_http_data_only=True)
failures = []


def work(index):
    barrier.wait()
    try:
        encode({"orderBy": "name_ASC", "where": {"status": "RUNNING"}}, "GetVmsRequestBody")
        from cloudtower.model import decode
        vms = decode(raw, "list[Vm]")
        names = [vm.cluster.name for vm in vms]
        assert all(names), names
        import cloudtower
        api_class = getattr(cloudtower, ("ClusterApi", "HostApi", "AlertApi", "VmApi")[index % 4])
        assert api_class(client).api_client is client
        assert getattr(cloudtower, "VmStatus").RUNNING == "RUNNING"
    except Exception as error:  # noqa: BLE001 - every failure is counted
        failures.append("%s: %s" % (type(error).__name__, error))

threads = [threading.Thread(target=work, args=(index,)) for index in range(THREADS)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
client.close()
print("%d %s" % (len(failures), failures[:1]))
"""


def test_first_use_from_32_threads_in_20_fresh_processes(demo, token):
    environ = dict(os.environ, PYTHONPATH=ROOT)
    results = []
    for _ in range(20):
        output = subprocess.check_output([sys.executable, "-c", FIRST_USE, demo.url, token], env=environ,
                                         universal_newlines=True)
        results.append(output.strip())
    assert results == ["0 []"] * 20
