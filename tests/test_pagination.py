"""paginate() against the simulator: every resource of every query operation, the caller's where
and orderBy kept, counts from the -connection operation, and exactly-once while VMs are created,
deleted and moved around the cursor - at 10,000 VMs with a writer running alongside."""
from __future__ import absolute_import

import collections
import itertools
import random
import threading

import pytest

from cloudtower import ApiTypeError, ApiValueError, ClusterApi, GetVmsRequestBody, VmApi, VmWhereInput
from cloudtower.api import APIS
from cloudtower.pagination import Paginator
from cloudtower.utils import paginate


def vm_ids(client, body=None):
    """The ids of the VMs one unpaged get_vms selects."""
    return [vm.id for vm in VmApi(client).get_vms(dict(body or {}))]


def once_each(ids):
    counts = collections.Counter(ids)
    return [item for item, count in counts.items() if count > 1]


def new_vms(client, names):
    """Create stopped VMs named `names` on the first SMTX OS cluster; returns the answers."""
    cluster = ClusterApi(client).get_clusters(
        {"where": {"type": "SMTX_OS"}, "orderBy": "name_ASC", "first": 1})[0]
    return VmApi(client).create_vm([{
        "name": name, "cluster_id": cluster.id, "status": "STOPPED", "firmware": "BIOS", "ha": False,
        "cpu_sockets": 1, "cpu_cores": 1, "memory": 1, "memory_unit": "GB", "vm_nics": [],
        "vm_disks": {},
    } for name in names])


def delete_vms(client, ids):
    if ids:
        VmApi(client).delete_vm({"where": {"id_in": list(ids)}})


def test_paginate_yields_every_vm_in_order_page_by_page(demo, client, sent):
    everything = vm_ids(client, {"orderBy": "id_ASC"})
    assert len(everything) == 30
    assert [vm.id for vm in paginate(VmApi(client).get_vms, page_size=7)] == everything
    requests = [request.json for request in sent(demo, "/get-vms")][1:]
    assert requests[0] == {"orderBy": "id_ASC", "first": 7}
    # then `after` the second-to-last seen, one more than the page: the last seen must come first
    assert requests[1] == {"orderBy": "id_ASC", "first": 8, "after": everything[5]}
    assert requests[2] == {"orderBy": "id_ASC", "first": 8, "after": everything[12]}
    assert len(requests) == 5  # 7 + 7 + 7 + 7 + 2


@pytest.mark.parametrize("body", [
    {"where": {"status": "RUNNING"}, "orderBy": "name_DESC"},
    {"where": {"cluster": {"name": "elf-prod"}}, "orderBy": "status_ASC"},   # many ties
    {"orderBy": "vcpu_DESC"},
    {"where": {"name_contains": "no-such-vm"}},
    GetVmsRequestBody(where=VmWhereInput(status="STOPPED"), order_by="memory_ASC"),
    {"order_by": "local_created_at_ASC", "where": {"vcpu_gte": 2}},           # attribute names
], ids=["where+orderBy", "ties", "orderBy", "nothing", "model", "attribute-names"])
@pytest.mark.parametrize("page_size", [1, 3, 500])
def test_paginate_keeps_the_callers_where_and_order(demo, client, sent, body, page_size):
    expected = [vm.id for vm in VmApi(client).get_vms(body)]
    got = [vm.id for vm in paginate(VmApi(client).get_vms, body, page_size=page_size)]
    assert got == expected
    sent_bodies = [request.json for request in sent(demo, "/get-vms")][1:]
    where = VmApi(client).api_client.sanitize_for_serialization(body)
    where = where.get("where")
    assert all(request.get("where") == where for request in sent_bodies)


def test_paginate_starts_after_the_callers_cursor(client):
    everything = vm_ids(client, {"orderBy": "name_ASC"})
    body = {"orderBy": "name_ASC", "after": everything[9]}
    got = [vm.id for vm in paginate(VmApi(client).get_vms, body, 4)]
    assert got == everything[10:]


def test_pages_are_lists_of_at_most_page_size(client):
    pages = list(paginate(VmApi(client).get_vms, {"orderBy": "name_ASC"}, page_size=8).pages())
    assert [len(page) for page in pages] == [8, 8, 8, 6]
    assert [vm.id for page in pages for vm in page] == vm_ids(client, {"orderBy": "name_ASC"})


def test_count_asks_the_connection_operation(demo, client, sent):
    pages = paginate(VmApi(client).get_vms, {"where": {"status": "RUNNING"}, "orderBy": "name_ASC"})
    assert pages.count() == len(vm_ids(client, {"where": {"status": "RUNNING"}})) > 0
    counted = [request.json for request in sent(demo, "/get-vms-connection")]
    assert counted == [{"where": {"status": "RUNNING"}}]
    assert paginate(VmApi(client).get_vms).count() == 30


def test_count_without_a_connection_operation_pages_through(demo, client, sent):
    from cloudtower import PciDeviceApi
    pages = paginate(PciDeviceApi(client).get_pci_devices, page_size=2)
    assert pages.count() == len(PciDeviceApi(client).get_pci_devices({}))
    assert not [request for request in sent(demo) if request.path.endswith("-connection")]


def query_methods():
    """(Api class name, method name) of every query operation whose body pages."""
    from cloudtower import api as api_package
    from cloudtower.pagination import _pageable
    found = []
    for api_name in sorted(APIS):
        api_class = getattr(api_package, api_name)
        for name in sorted(vars(api_class)):
            operation = getattr(getattr(api_class, name), "operation", None)
            if operation is not None and not name.endswith("_with_http_info") and _pageable(operation) \
                    and operation.path.startswith("/get-"):
                found.append((api_name, name))
    return found


def test_every_query_operation_pages(demo, client):
    from cloudtower import api as api_package
    methods = query_methods()
    assert len(methods) >= 110
    nonempty = 0
    for api_name, name in methods:
        method = getattr(getattr(api_package, api_name)(client), name)
        expected = [item.id for item in method({"orderBy": "id_ASC"})]
        got = [item.id for item in paginate(method, page_size=2)]
        assert got == expected, name
        nonempty += bool(expected)
    assert nonempty >= 30  # the demo estate fills many kinds


@pytest.mark.parametrize("method, message", [
    (lambda client: len, "a query method of an Api object"),
    (lambda client: VmApi(client).get_vms_connection, "cannot be paged"),
    (lambda client: VmApi(client).start_vm, "cannot be paged"),
], ids=["not an api method", "a count", "a mutation"])
def test_paginate_refuses_what_cannot_be_paged(client, method, message):
    with pytest.raises(ApiTypeError) as raised:
        paginate(method(client))
    assert message in str(raised.value)


@pytest.mark.parametrize("body, field", [
    ({"first": 5}, "first"), ({"skip": 2}, "skip"), ({"last": 1}, "last"), ({"before": "x"}, "before"),
])
def test_paginate_refuses_fields_it_sets_itself(client, body, field):
    with pytest.raises(ApiValueError) as raised:
        paginate(VmApi(client).get_vms, body)
    assert field in str(raised.value) and "islice" in str(raised.value)


@pytest.mark.parametrize("page_size", [0, -1, "10", 2.5, True])
def test_paginate_refuses_a_bad_page_size(client, page_size):
    with pytest.raises(ApiValueError):
        paginate(VmApi(client).get_vms, page_size=page_size)


def test_a_bad_where_is_refused_before_sending(demo, client, sent):
    with pytest.raises((ApiTypeError, ApiValueError)) as raised:   # the core's check, named as it names it
        paginate(VmApi(client).get_vms, {"where": {"nmae": "x"}})
    assert "nmae" in str(raised.value)
    assert sent(demo, "/get-vms") == []


def test_repr_says_what_is_paged(client):
    text = repr(paginate(VmApi(client).get_vms, {"where": {"status": "RUNNING"}}, page_size=50))
    assert "get_vms" in text and "RUNNING" in text and "id_ASC" in text and "50" in text
    assert isinstance(paginate(VmApi(client).get_vms), Paginator)


# -- changes during the iteration ---------------------------------------------------------------------

def walk_with_changes(demo, client, body, page_size, change):
    """Page through the VMs, calling `change(yielded_so_far)` after each page; returns the ids
    yielded and the ids present (and, for orderBy, unmoved) throughout."""
    before = set(vm_ids(client))
    yielded, untouched = [], set(before)
    for page in paginate(VmApi(client).get_vms, body, page_size=page_size).pages():
        yielded.extend(vm.id for vm in page)
        untouched -= change(yielded) or set()
        demo.advance_tasks()
    return yielded, untouched & set(vm_ids(client))


@pytest.mark.parametrize("order", [None, "name_ASC", "name_DESC", "status_ASC", "vcpu_DESC"])
def test_deleting_the_cursor_skips_nothing(demo, client, order):
    names = itertools.count()

    def change(yielded):
        # the last two seen (the next cursor and the one it must start with), and one further on
        ahead = [vm_id for vm_id in vm_ids(client, {"orderBy": order or "id_ASC"})
                 if vm_id not in yielded][:1]
        delete_vms(client, yielded[-2:] + ahead)
        new_vms(client, ["zz-new-%d" % next(names), "aa-new-%d" % next(names)])
        return set(yielded[-2:] + ahead)
    body = {"orderBy": order} if order else {}
    yielded, survivors = walk_with_changes(demo, client, body, 4, change)
    assert once_each(yielded) == []
    assert survivors <= set(yielded)
    assert len(survivors) >= 10


@pytest.mark.parametrize("where_change", ["rename", "stop"])
def test_moving_the_cursor_skips_nothing(demo, client, where_change):
    # The cursor (and the last seen) leave their place: renamed to sort last, or no longer
    # matched by the where; everything else must still come exactly once.
    moved = set()

    def change(yielded):
        tail = [vm_id for vm_id in yielded[-2:] if vm_id not in moved]
        for vm_id in tail:
            if where_change == "rename":
                VmApi(client).update_vm({"where": {"id": vm_id}, "data": {"name": "zzzz-%s" % vm_id}})
            else:
                VmApi(client).update_vm({"where": {"id": vm_id}, "data": {"description": "moved"}})
            demo.advance_tasks()
        moved.update(tail)
        return set(tail)
    body = {"orderBy": "name_ASC"} if where_change == "rename" else \
        {"orderBy": "name_ASC", "where": {"description_not": "moved"}}
    yielded, survivors = walk_with_changes(demo, client, body, 3, change)
    assert once_each(yielded) == []
    assert survivors <= set(yielded)
    assert len(survivors) >= 10


def stored_vm_ids(sim):
    """The ids of the VMs `sim` holds right now (the oracle; 10,000 VMs through the API take seconds)."""
    with sim.store.lock:
        return set(sim.store.tables["Vm"])


def test_exactly_once_at_ten_thousand_vms_with_a_writer_alongside(start_simulator):
    sim = start_simulator(seed="demo", vms=10000, task_delay=0)
    client = sim.client()
    writer_client = sim.client()
    before = stored_vm_ids(sim)
    assert len(before) == 10000
    stop = threading.Event()
    churn = collections.Counter()
    rng = random.Random(7)

    def writer():
        names = itertools.count()
        pool = sorted(before)
        while not stop.wait(0.05):
            delete_vms(writer_client, [rng.choice(pool)])
            new_vms(writer_client, ["web-%06d" % rng.randrange(10 ** 6), "concurrent-%d" % next(names)])
            churn["deleted"] += 1
            churn["created"] += 2
    thread = threading.Thread(target=writer, name="test-writer")
    thread.daemon = True
    thread.start()
    try:
        yielded = []
        pages = paginate(VmApi(client).get_vms, {"orderBy": "name_ASC"}, page_size=500).pages()
        for number, page in enumerate(pages):
            yielded.extend(vm.id for vm in page)
            if number % 3 == 0:   # and at some page boundaries, the cursor and the last seen go
                delete_vms(client, yielded[-2:])
                before -= set(yielded[-2:])
    finally:
        stop.set()
        thread.join(30)
        writer_client.close()
    throughout = before & stored_vm_ids(sim)
    assert churn["deleted"] >= 3 and churn["created"] >= 6   # the writer really ran alongside
    assert once_each(yielded) == []
    assert throughout <= set(yielded)
    assert len(throughout) > 9000
