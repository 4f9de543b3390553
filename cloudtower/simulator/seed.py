"""Initial estates: `empty`, `demo`, or a JSON file."""
from __future__ import absolute_import

import json


def build(store, name="demo", vms=None):
    """Fill an empty store with the estate `name` (`demo`, `empty` or a JSON file's path)."""
    if name == "empty":
        return
    if name == "demo":
        return demo(store, vms)
    with open(name) as handle:
        data = json.load(handle)
    if "tables" in data:
        store.load(data)
    else:
        for type_name, records in data.items():
            for record in records:
                store.create(type_name, record, event=False)


def demo(store, vms=None):
    """A small estate: one datacenter, a cluster, a host and a few VMs."""
    datacenter = store.create("Datacenter", {"name": "dc-1"}, event=False)
    cluster = store.create("Cluster", {"name": "cluster-1", "datacenters": [datacenter["id"]]}, event=False)
    host = store.create("Host", {"name": "host-1", "cluster": cluster["id"]}, event=False)
    for index in range(vms or 3):
        store.create("Vm", {"name": "vm-%d" % index, "cluster": cluster["id"], "host": host["id"],
                            "status": "RUNNING"}, event=False)
