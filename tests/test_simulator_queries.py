"""The where / orderBy / pagination semantics of API-NOTES, through the SDK over HTTP, on an
estate the tests make themselves (so that every expected answer is known):

    cluster c1: hosts h1 (disks sda, sdb), h2 (no disks); folder "prod"; VMs web-1, web-2
    cluster c2: host h3 (disk nvme0); VMs db-1, app-web (app-web on no host)
    cluster c3-empty: nothing
    VM cache: no cluster, no host
    alerts a-disk (c1, h1, sdb, VMs web-1 web-2), a-cpu (c1, VM db-1), a-note (c2, no VMs)
"""
from __future__ import absolute_import

import json

import pytest
import urllib3

from cloudtower import AlertApi, ApiException, ClusterApi, DatacenterApi, DiskApi, HostApi, VmApi
from cloudtower.simulator import query

VMS = ["web-1", "web-2", "db-1", "cache", "app-web"]  # in the order they are made (ids grow)


def make_estate(store):
    """The records above; returns {name: id}."""
    ids = {}

    def add(type_name, name, **values):
        values["name"] = name
        ids[name] = store.create(type_name, values, event=False)["id"]
        return ids[name]

    add("Organization", "org")
    add("Cluster", "c1", version="6.0.0", type="SMTX_OS", running_vm_num=2)
    add("Cluster", "c2", version="5.1.2", type="SMTX_ELF", running_vm_num=0)
    add("Cluster", "c3-empty", version="6.1.0", type="SMTX_OS", running_vm_num=None)
    add("Host", "h1", cluster=ids["c1"], status="CONNECTED_HEALTHY", total_memory_bytes=256)
    add("Host", "h2", cluster=ids["c1"], status="CONNECTED_WARNING", total_memory_bytes=128)
    add("Host", "h3", cluster=ids["c2"], status="CONNECTED_HEALTHY", total_memory_bytes=512)
    add("Disk", "sda", host=ids["h1"], size=100, type="HDD", healthy=True, serial="S-100")
    add("Disk", "sdb", host=ids["h1"], size=200, type="SSD", healthy=False, serial="S-200")
    add("Disk", "nvme0", host=ids["h3"], size=300, type="NVMe_SSD", healthy=True, serial="N-300")
    add("VmFolder", "prod", cluster=ids["c1"])
    add("Vm", "web-1", status="RUNNING", vcpu=2, memory=2048, cpu_usage=10.5, ha=True,
        description="frontend A", cluster=ids["c1"], host=ids["h1"], folder=ids["prod"])
    add("Vm", "web-2", status="RUNNING", vcpu=4, memory=4096, cpu_usage=55.25, ha=False,
        description="frontend B", cluster=ids["c1"], host=ids["h2"], folder=ids["prod"])
    add("Vm", "db-1", status="STOPPED", vcpu=8, memory=16384, cpu_usage=None, ha=True,
        description="database", cluster=ids["c2"], host=ids["h3"])
    add("Vm", "cache", status="SUSPENDED", vcpu=2, memory=1024, cpu_usage=0.0, ha=False, description="")
    add("Vm", "app-web", status="STOPPED", vcpu=1, memory=2048, cpu_usage=99.0, ha=True,
        description="web app", cluster=ids["c2"])
    store.create("Alert", {"message": "disk failure", "severity": "CRITICAL", "ended": False, "value": 90.5,
                           "cluster": ids["c1"], "host": ids["h1"], "disk": ids["sdb"],
                           "vms": [ids["web-1"], ids["web-2"]], "local_id": "a-disk"}, event=False)
    store.create("Alert", {"message": "cpu high", "severity": "WARNING", "ended": True, "value": 75.0,
                           "cluster": ids["c1"], "vms": [ids["db-1"]], "local_id": "a-cpu"}, event=False)
    store.create("Alert", {"message": "note", "severity": "INFO", "ended": False, "value": 0.0,
                           "cluster": ids["c2"], "vms": [], "local_id": "a-note"}, event=False)
    return ids


@pytest.fixture(scope="module")
def estate():
    from cloudtower.simulator import Simulator
    sim = Simulator(seed="empty", task_delay=None)
    ids = make_estate(sim.store)
    sim.start()
    client = sim.client()
    yield sim, client, ids
    sim.stop()


@pytest.fixture
def fresh():
    """A simulator of its own (for tests that change things), with the estate."""
    from cloudtower.simulator import Simulator
    sim = Simulator(seed="empty", task_delay=None)
    ids = make_estate(sim.store)
    sim.start()
    yield sim, sim.client(), ids
    sim.stop()


def names(items):
    return [item.name for item in items]


def vms(client, body):
    return names(VmApi(client).get_vms(body))


def alerts(client, body):
    return [item.local_id for item in AlertApi(client).get_alerts(body)]


def expected_vms(*wanted):
    """`wanted` in the order the VMs were made (the default order)."""
    assert set(wanted) <= set(VMS), wanted
    return [name for name in VMS if name in wanted]


# -- scalar operators -----------------------------------------------------------------------------

SCALAR_CASES = [
    # strings
    ({"name": "web-1"}, ["web-1"]),
    ({"name": "nothing"}, []),
    ({"name_not": "web-1"}, ["web-2", "db-1", "cache", "app-web"]),
    ({"name_in": ["web-1", "cache", "missing"]}, ["web-1", "cache"]),
    ({"name_in": []}, []),
    ({"name_not_in": ["web-1", "cache"]}, ["web-2", "db-1", "app-web"]),
    ({"name_not_in": []}, VMS),
    ({"name_lt": "cache"}, ["app-web"]),
    ({"name_lte": "cache"}, ["cache", "app-web"]),
    ({"name_gt": "db-1"}, ["web-1", "web-2"]),
    ({"name_gte": "db-1"}, ["web-1", "web-2", "db-1"]),
    ({"name_contains": "web"}, ["web-1", "web-2", "app-web"]),
    ({"name_contains": "WEB"}, []),  # case-sensitive
    ({"name_not_contains": "web"}, ["db-1", "cache"]),
    ({"name_starts_with": "web"}, ["web-1", "web-2"]),
    ({"name_not_starts_with": "web"}, ["db-1", "cache", "app-web"]),
    ({"name_ends_with": "-1"}, ["web-1", "db-1"]),
    ({"name_not_ends_with": "-1"}, ["web-2", "cache", "app-web"]),
    ({"description": ""}, ["cache"]),
    ({"description_contains": ""}, VMS),
    ({"description_starts_with": "frontend"}, ["web-1", "web-2"]),
    # integers
    ({"vcpu": 2}, ["web-1", "cache"]),
    ({"vcpu_not": 2}, ["web-2", "db-1", "app-web"]),
    ({"vcpu_in": [1, 8]}, ["db-1", "app-web"]),
    ({"vcpu_not_in": [1, 8]}, ["web-1", "web-2", "cache"]),
    ({"vcpu_lt": 2}, ["app-web"]),
    ({"vcpu_lte": 2}, ["web-1", "cache", "app-web"]),
    ({"vcpu_gt": 2}, ["web-2", "db-1"]),
    ({"vcpu_gte": 4}, ["web-2", "db-1"]),
    ({"memory_gte": 2048, "memory_lt": 16384}, ["web-1", "web-2", "app-web"]),
    # floats (db-1 has no cpu_usage: null is neither less nor more than anything)
    ({"cpu_usage": 10.5}, ["web-1"]),
    ({"cpu_usage": 0}, ["cache"]),
    ({"cpu_usage_not": 10.5}, ["web-2", "db-1", "cache", "app-web"]),
    ({"cpu_usage_in": [0.0, 99]}, ["cache", "app-web"]),
    ({"cpu_usage_not_in": [0.0, 99]}, ["web-1", "web-2", "db-1"]),
    ({"cpu_usage_lt": 55.25}, ["web-1", "cache"]),
    ({"cpu_usage_lte": 55.25}, ["web-1", "web-2", "cache"]),
    ({"cpu_usage_gt": 10.5}, ["web-2", "app-web"]),
    ({"cpu_usage_gte": 10.5}, ["web-1", "web-2", "app-web"]),
    # enums
    ({"status": "RUNNING"}, ["web-1", "web-2"]),
    ({"status_not": "RUNNING"}, ["db-1", "cache", "app-web"]),
    ({"status_in": ["STOPPED", "SUSPENDED"]}, ["db-1", "cache", "app-web"]),
    ({"status_not_in": ["STOPPED", "SUSPENDED"]}, ["web-1", "web-2"]),
    # booleans
    ({"ha": True}, ["web-1", "db-1", "app-web"]),
    ({"ha": False}, ["web-2", "cache"]),
    ({"ha_not": True}, ["web-2", "cache"]),
    # null
    ({"cpu_usage": None}, ["db-1"]),
    ({"cpu_usage_not": None}, ["web-1", "web-2", "cache", "app-web"]),
    ({"name_not": None}, VMS),
    ({"name": None}, []),
    ({"folder": None}, ["db-1", "cache", "app-web"]),
    ({"cluster": None}, ["cache"]),
    ({"host": None}, ["cache", "app-web"]),
    # several keys: all must hold
    ({"status": "STOPPED", "ha": True, "vcpu_gt": 1}, ["db-1"]),
    ({}, VMS),
]


@pytest.mark.parametrize("where,expected", SCALAR_CASES, ids=[repr(case[0]) for case in SCALAR_CASES])
def test_scalar_operators_on_vms(estate, where, expected):
    sim, client, ids = estate
    assert vms(client, {"where": where}) == expected_vms(*expected)
    assert VmApi(client).get_vms_connection({"where": where}).aggregate.count == len(expected)


def test_scalar_operators_on_other_types(estate):
    sim, client, ids = estate
    hosts, disks, clusters = HostApi(client), DiskApi(client), ClusterApi(client)
    assert names(hosts.get_hosts({"where": {"status": "CONNECTED_HEALTHY"}})) == ["h1", "h3"]
    assert names(hosts.get_hosts({"where": {"total_memory_bytes_gt": 128}})) == ["h1", "h3"]
    assert names(hosts.get_hosts({"where": {"name_not_in": ["h1"]}})) == ["h2", "h3"]
    assert names(disks.get_disks({"where": {"size_lte": 200}})) == ["sda", "sdb"]
    assert names(disks.get_disks({"where": {"type_in": ["SSD", "NVMe_SSD"]}})) == ["sdb", "nvme0"]
    assert names(disks.get_disks({"where": {"healthy": False}})) == ["sdb"]
    assert names(disks.get_disks({"where": {"serial_starts_with": "S-", "serial_not_ends_with": "00"}})) == []
    assert names(disks.get_disks({"where": {"serial_ends_with": "300"}})) == ["nvme0"]
    assert names(clusters.get_clusters({"where": {"version_gte": "6.0.0"}})) == ["c1", "c3-empty"]
    assert names(clusters.get_clusters({"where": {"type_not": "SMTX_OS"}})) == ["c2"]
    assert names(clusters.get_clusters({"where": {"running_vm_num": None}})) == ["c3-empty"]
    assert names(clusters.get_clusters({"where": {"running_vm_num_lt": 1}})) == ["c2"]
    assert alerts(client, {"where": {"severity_in": ["CRITICAL", "INFO"]}}) == ["a-disk", "a-note"]
    assert alerts(client, {"where": {"ended_not": True}}) == ["a-disk", "a-note"]
    assert alerts(client, {"where": {"value_gt": 0, "value_lt": 90.5}}) == ["a-cpu"]
    assert alerts(client, {"where": {"message_contains": "high"}}) == ["a-cpu"]


# -- AND / OR / NOT --------------------------------------------------------------------------------

LOGIC_CASES = [
    ({"AND": [{"status": "RUNNING"}, {"ha": True}]}, ["web-1"]),
    ({"AND": []}, VMS),
    ({"OR": [{"name": "cache"}, {"vcpu_gte": 8}]}, ["db-1", "cache"]),
    ({"OR": []}, []),
    ({"OR": [{}]}, VMS),
    ({"NOT": [{"status": "RUNNING"}]}, ["db-1", "cache", "app-web"]),
    ({"NOT": [{"status": "RUNNING"}, {"ha": True}]}, ["cache"]),  # none of them holds
    ({"NOT": []}, VMS),
    ({"NOT": [{"cluster": {"name": "c1"}}]}, ["db-1", "cache", "app-web"]),  # no cluster: not in c1
    ({"OR": [{"AND": [{"status": "RUNNING"}, {"ha": False}]}, {"NOT": [{"name_contains": "-"}]}]},
     ["web-2", "cache"]),
    ({"status": "STOPPED", "OR": [{"ha": False}, {"vcpu": 1}]}, ["app-web"]),
]


@pytest.mark.parametrize("where,expected", LOGIC_CASES, ids=[repr(case[0]) for case in LOGIC_CASES])
def test_and_or_not(estate, where, expected):
    sim, client, ids = estate
    assert vms(client, {"where": where}) == expected_vms(*expected)


# A single where-object where AND/OR/NOT take a list is a list of one (GraphQL input coercion).
SINGLE_OBJECT_CASES = [
    ({"NOT": {"status": "RUNNING"}}, {"NOT": [{"status": "RUNNING"}]}),
    ({"NOT": {}}, {"NOT": [{}]}),
    ({"AND": {"status": "RUNNING"}}, {"AND": [{"status": "RUNNING"}]}),
    ({"OR": {"name": "cache"}}, {"OR": [{"name": "cache"}]}),
    ({"OR": {"NOT": {"name_contains": "-"}}}, {"OR": [{"NOT": [{"name_contains": "-"}]}]}),
    ({"cluster": {"NOT": {"name": "c1"}}}, {"cluster": {"NOT": [{"name": "c1"}]}}),
    ({"name_in": "cache"}, {"name_in": ["cache"]}),
]


@pytest.mark.parametrize("single,listed", SINGLE_OBJECT_CASES, ids=[repr(case[0]) for case in SINGLE_OBJECT_CASES])
def test_a_single_object_for_a_list_of_filters_is_a_list_of_one_in_the_query_engine(estate, single, listed):
    sim, client, ids = estate
    selected = [record["name"] for record in query.run(sim.store, "Vm", {"where": single})]
    assert selected == [record["name"] for record in query.run(sim.store, "Vm", {"where": listed})]
    assert selected == vms(client, {"where": listed})  # what the API answers for the list form


# The vendor's own test suite sends {"where": {"NOT": {}}} to /get-vm-nics: the request validator
# (the SDK's own encoder, model.encode(strict=True)) takes it, and so does the query engine.
@pytest.mark.parametrize("where", [{"NOT": {}}, {"AND": {}}, {"OR": {"NOT": {}}}])
def test_a_single_object_for_a_list_of_filters_is_taken_over_http(estate, where):
    sim, client, ids = estate
    token = client.configuration.api_key["Authorization"]
    pool = urllib3.PoolManager()
    response = pool.request("POST", sim.url + "/get-vm-nics", body=json.dumps({"where": where}).encode("utf-8"),
                            headers={"Authorization": token, "Content-Type": "application/json"})
    assert response.status == 200, response.data
    listed = dict((key, [value]) for key, value in where.items())
    expected = pool.request("POST", sim.url + "/get-vm-nics", body=json.dumps({"where": listed}).encode("utf-8"),
                            headers={"Authorization": token, "Content-Type": "application/json"})
    assert json.loads(response.data.decode("utf-8")) == json.loads(expected.data.decode("utf-8"))
    pool.clear()


def test_a_single_object_for_a_list_of_filters_is_taken_through_the_sdk(estate):
    sim, client, ids = estate
    assert vms(client, {"where": {"NOT": {"status": "RUNNING"}}}) == expected_vms("db-1", "cache", "app-web")


# -- relations ------------------------------------------------------------------------------------

RELATION_CASES = [
    ({"cluster": {"name": "c1"}}, ["web-1", "web-2"]),
    ({"cluster": {"name_in": ["c1", "c2"]}}, ["web-1", "web-2", "db-1", "app-web"]),
    ({"cluster": {}}, ["web-1", "web-2", "db-1", "app-web"]),  # has a cluster
    ({"host": {"cluster": {"name": "c1"}}}, ["web-1", "web-2"]),  # two levels
    ({"host": {"cluster": {"name": "c2"}}}, ["db-1"]),  # app-web is in c2 but on no host
    ({"host": {"disks_some": {"healthy": False}}}, ["web-1"]),
    ({"folder": {"name": "prod"}}, ["web-1", "web-2"]),
    ({"cluster": {"name": "c1"}, "host": {"name": "h2"}}, ["web-2"]),
]


@pytest.mark.parametrize("where,expected", RELATION_CASES, ids=[repr(case[0]) for case in RELATION_CASES])
def test_to_one_relations(estate, where, expected):
    sim, client, ids = estate
    assert vms(client, {"where": where}) == expected_vms(*expected)


def test_to_many_relations(estate):
    sim, client, ids = estate
    hosts, clusters = HostApi(client), ClusterApi(client)
    # h2 has no disks: `_every` holds for it (nothing to fail), `_some` does not, `_none` does.
    assert names(hosts.get_hosts({"where": {"disks_some": {"healthy": True}}})) == ["h1", "h3"]
    assert names(hosts.get_hosts({"where": {"disks_every": {"healthy": True}}})) == ["h2", "h3"]
    assert names(hosts.get_hosts({"where": {"disks_none": {"healthy": False}}})) == ["h2", "h3"]
    assert names(hosts.get_hosts({"where": {"disks_some": {}}})) == ["h1", "h3"]  # has disks
    assert names(hosts.get_hosts({"where": {"disks_none": {}}})) == ["h2"]  # has none
    assert names(hosts.get_hosts({"where": {"disks_every": {"size_gt": 1000}}})) == ["h2"]
    # clusters by their VMs (c3-empty has none) and by their hosts' disks (three levels)
    assert names(clusters.get_clusters({"where": {"vms_some": {"status": "RUNNING"}}})) == ["c1"]
    assert names(clusters.get_clusters({"where": {"vms_every": {"status": "RUNNING"}}})) == ["c1", "c3-empty"]
    assert names(clusters.get_clusters({"where": {"vms_none": {"status": "RUNNING"}}})) == ["c2", "c3-empty"]
    nvme = {"hosts_some": {"disks_some": {"type": "NVMe_SSD"}}}
    assert names(clusters.get_clusters({"where": nvme})) == ["c2"]
    # a to-many relation without an inverse (Alert.vms)
    assert alerts(client, {"where": {"vms_some": {"name_starts_with": "web"}}}) == ["a-disk"]
    assert alerts(client, {"where": {"vms_every": {"status": "STOPPED"}}}) == ["a-cpu", "a-note"]
    assert alerts(client, {"where": {"vms_none": {}}}) == ["a-note"]
    # to-one relations of alerts, and OR across relations
    assert alerts(client, {"where": {"disk": {"host": {"name": "h1"}}}}) == ["a-disk"]
    no_host_or_healthy_disk = {"OR": [{"host": None}, {"disk": {"healthy": True}}]}
    assert alerts(client, {"where": no_host_or_healthy_disk}) == ["a-cpu", "a-note"]
    # VMs by their alerts' side is not queryable (no inverse); by disks of their host it is
    assert vms(client, {"where": {"host": {"disks_every": {"healthy": True}}}}) == ["web-2", "db-1"]


def test_a_bad_where_is_a_400(estate):
    sim, client, ids = estate
    for body in ({"where": {"vms_some": None}}, {"where": {"no_such_field": 1}},
                 {"where": {"disks": {"healthy": True}}}):
        with pytest.raises(ApiException) as caught:
            _raw_post(sim, "/get-hosts", body)
        assert caught.value.status == 400


def _raw_post(sim, path, body):
    """POST a body the SDK would refuse to send; raise ApiException for an error answer."""
    import json
    import urllib3
    client = sim.client()
    token = client.configuration.api_key["Authorization"]
    headers = {"Content-Type": "application/json", "Authorization": token}
    response = urllib3.PoolManager().request("POST", sim.url + path, body=json.dumps(body).encode("utf-8"),
                                             headers=headers)
    data = json.loads(response.data.decode("utf-8"))
    if response.status != 200:
        assert set(["message", "status", "path"]) <= set(data)
        raise ApiException(status=response.status, reason=data["message"])
    return data


# -- orderBy ----------------------------------------------------------------------------------------

ORDER_CASES = [
    ("name_ASC", ["app-web", "cache", "db-1", "web-1", "web-2"]),
    ("name_DESC", ["web-2", "web-1", "db-1", "cache", "app-web"]),
    # ties keep the default order (by id, i.e. by age) in both directions
    ("vcpu_ASC", ["app-web", "web-1", "cache", "web-2", "db-1"]),
    ("vcpu_DESC", ["db-1", "web-2", "web-1", "cache", "app-web"]),
    ("memory_ASC", ["cache", "web-1", "app-web", "web-2", "db-1"]),
    # nulls first ascending, last descending
    ("cpu_usage_ASC", ["db-1", "cache", "web-1", "web-2", "app-web"]),
    ("cpu_usage_DESC", ["app-web", "web-2", "web-1", "cache", "db-1"]),
    ("status_ASC", ["web-1", "web-2", "db-1", "app-web", "cache"]),
    ("ha_DESC", ["web-1", "db-1", "app-web", "web-2", "cache"]),
]


@pytest.mark.parametrize("order_by,expected", ORDER_CASES, ids=[case[0] for case in ORDER_CASES])
def test_order_by(estate, order_by, expected):
    sim, client, ids = estate
    assert vms(client, {"orderBy": order_by}) == expected


def test_order_by_on_other_types_and_with_where(estate):
    sim, client, ids = estate
    clusters = ClusterApi(client)
    assert names(clusters.get_clusters({"orderBy": "running_vm_num_ASC"})) == ["c3-empty", "c2", "c1"]
    assert names(clusters.get_clusters({"orderBy": "running_vm_num_DESC"})) == ["c1", "c2", "c3-empty"]
    assert names(DiskApi(client).get_disks({"orderBy": "size_DESC", "where": {"host": {"name": "h1"}}})) == [
        "sdb", "sda"]
    assert names(HostApi(client).get_hosts({"orderBy": "total_memory_bytes_DESC"})) == ["h3", "h1", "h2"]
    assert alerts(client, {"orderBy": "value_ASC"}) == ["a-note", "a-cpu", "a-disk"]
    assert vms(client, {"where": {"ha": True}, "orderBy": "name_DESC"}) == ["web-1", "db-1", "app-web"]


# -- pagination -------------------------------------------------------------------------------------

BY_NAME = ["app-web", "cache", "db-1", "web-1", "web-2"]


def _page_cases():
    return [
        ({"first": 2}, BY_NAME[:2]),
        ({"first": 0}, []),
        ({"first": 10}, BY_NAME),
        ({"skip": 2}, BY_NAME[2:]),
        ({"skip": 10}, []),
        ({"first": 2, "skip": 1}, BY_NAME[1:3]),
        ({"last": 2}, BY_NAME[-2:]),
        ({"last": 10}, BY_NAME),
        ({"last": 0}, []),
        ({"last": 2, "skip": 1}, BY_NAME[2:4]),
        ({"last": 2, "skip": 4}, BY_NAME[:1]),
        ({"first": 3, "last": 2}, BY_NAME[1:3]),
        ({"after": "cache", "first": 2}, ["db-1", "web-1"]),
        ({"after": "cache"}, BY_NAME[2:]),
        ({"after": "web-2"}, []),
        ({"before": "web-1", "last": 2}, ["cache", "db-1"]),
        ({"before": "cache", "last": 5}, ["app-web"]),
        ({"before": "db-1"}, ["app-web", "cache"]),
        ({"after": "app-web", "before": "web-2"}, ["cache", "db-1", "web-1"]),
        ({"after": "cache", "skip": 1, "first": 1}, ["web-1"]),
    ]


@pytest.mark.parametrize("page,expected", _page_cases(), ids=[repr(case[0]) for case in _page_cases()])
def test_pagination(estate, page, expected):
    sim, client, ids = estate
    body = dict(page, orderBy="name_ASC")
    for cursor in ("after", "before"):
        if cursor in body:
            body[cursor] = ids[body[cursor]]
    assert vms(client, body) == expected
    assert VmApi(client).get_vms_connection(body).aggregate.count == len(expected)


def test_a_cursor_not_in_the_result_selects_nothing(estate):
    sim, client, ids = estate
    where = {"status": "RUNNING"}
    assert vms(client, {"where": where, "after": ids["db-1"], "first": 5}) == []
    assert vms(client, {"where": where, "before": ids["db-1"]}) == []
    assert vms(client, {"after": "no-such-id"}) == []
    assert vms(client, {"after": ids["c1"]}) == []  # an id of another type


def test_pagination_without_order_follows_the_default_order(estate):
    sim, client, ids = estate
    assert vms(client, {"first": 2}) == VMS[:2]
    assert vms(client, {"last": 2}) == VMS[-2:]
    assert vms(client, {"after": ids["web-2"], "first": 2}) == ["db-1", "cache"]


@pytest.mark.parametrize("page", [{"first": -1}, {"skip": -1}, {"last": -2}])
def test_negative_pagination_is_a_400(estate, page):
    sim, client, ids = estate
    with pytest.raises(ApiException) as caught:
        VmApi(client).get_vms(page)
    assert caught.value.status == 400
    with pytest.raises(ApiException) as caught:
        VmApi(client).get_vms_connection(page)
    assert caught.value.status == 400


def test_counts_equal_the_length_of_the_same_query(estate):
    sim, client, ids = estate
    bodies = [{}, {"where": {"status": "RUNNING"}}, {"where": {"OR": []}}, {"first": 3, "skip": 1},
              {"where": {"cluster": {"name": "c1"}}, "last": 1}]
    bodies += [{"where": case[0]} for case in LOGIC_CASES + RELATION_CASES]
    api = VmApi(client)
    for body in bodies:
        assert api.get_vms_connection(body).aggregate.count == len(api.get_vms(body)), body
    every_healthy = {"where": {"disks_every": {"healthy": True}}}
    assert HostApi(client).get_hosts_connection(every_healthy).aggregate.count == 2
    assert AlertApi(client).get_alerts_connection({"where": {"vms_none": {}}}).aggregate.count == 1


# -- relations both ways ---------------------------------------------------------------------------

def _related_names(items):
    return sorted(item.name for item in items or [])


def test_relations_read_the_same_both_ways(estate):
    sim, client, ids = estate
    by_name = dict((vm.name, vm) for vm in VmApi(client).get_vms({}))
    clusters = dict((cluster.name, cluster) for cluster in ClusterApi(client).get_clusters({}))
    for cluster in clusters.values():
        assert _related_names(cluster.vms) == sorted(
            name for name, vm in by_name.items() if vm.cluster is not None and vm.cluster.id == cluster.id)
    assert _related_names(clusters["c1"].vms) == ["web-1", "web-2"]
    assert _related_names(clusters["c3-empty"].vms) == []
    assert by_name["web-1"].cluster.name == "c1" and by_name["cache"].cluster is None
    hosts = dict((host.name, host) for host in HostApi(client).get_hosts({}))
    disks = DiskApi(client).get_disks({})
    for host in hosts.values():
        assert _related_names(host.disks) == sorted(disk.name for disk in disks if disk.host.id == host.id)
    assert _related_names(hosts["h1"].disks) == ["sda", "sdb"]
    assert _related_names(hosts["h2"].disks) == []
    assert _related_names(clusters["c1"].hosts) == ["h1", "h2"]


def test_relations_stay_consistent_when_the_store_changes(fresh):
    sim, client, ids = fresh
    store = sim.store
    with store.lock:
        store.update("Disk", ids["sdb"], {"host": ids["h2"]})     # move a disk
        new = store.create("Disk", {"name": "sdc", "host": ids["h3"]})["id"]
        store.delete("Disk", ids["nvme0"])
    hosts = dict((host.name, host) for host in HostApi(client).get_hosts({}))
    assert _related_names(hosts["h1"].disks) == ["sda"]
    assert _related_names(hosts["h2"].disks) == ["sdb"]
    assert _related_names(hosts["h3"].disks) == ["sdc"]
    assert [disk.host.name for disk in DiskApi(client).get_disks({"where": {"id": new}})] == ["h3"]
    assert names(HostApi(client).get_hosts({"where": {"disks_some": {"name": "sdb"}}})) == ["h2"]


def test_relations_stay_consistent_through_the_api(fresh):
    sim, client, ids = fresh
    api = VmApi(client)
    # create: the new VM is among its cluster's and its host's VMs
    created = api.create_vm([{
        "cluster_id": ids["c2"], "host_id": ids["h3"], "name": "new-vm", "status": "STOPPED",
        "firmware": "BIOS", "ha": False, "memory": 1073741824, "cpu_cores": 1, "cpu_sockets": 1, "vcpu": 1,
        "vm_nics": [], "vm_disks": {}}])
    new_id = created[0].data.id
    sim.advance_tasks()
    [vm] = api.get_vms({"where": {"id": new_id}})
    assert vm.cluster.id == ids["c2"] and vm.host.id == ids["h3"]
    [cluster] = ClusterApi(client).get_clusters({"where": {"id": ids["c2"]}})
    assert new_id in [item.id for item in cluster.vms]
    assert names(api.get_vms({"where": {"cluster": {"name": "c2"}, "name": "new-vm"}})) == ["new-vm"]
    assert names(ClusterApi(client).get_clusters({"where": {"vms_some": {"id": new_id}}})) == ["c2"]
    # update: a cluster moved to another datacenter leaves the first one's clusters
    datacenters = DatacenterApi(client)
    dc1 = datacenters.create_datacenter([{"name": "dc-1", "organization_id": ids["org"]}])[0].data.id
    dc2 = datacenters.create_datacenter([{"name": "dc-2", "organization_id": ids["org"]}])[0].data.id
    sim.advance_tasks()
    ClusterApi(client).update_cluster({"where": {"id": ids["c1"]}, "data": {"datacenter_id": dc1}})
    sim.advance_tasks()
    assert _datacenter_clusters(datacenters, dc1) == ["c1"]
    ClusterApi(client).update_cluster({"where": {"id": ids["c1"]}, "data": {"datacenter_id": dc2}})
    sim.advance_tasks()
    assert _datacenter_clusters(datacenters, dc1) == []
    assert _datacenter_clusters(datacenters, dc2) == ["c1"]
    [c1] = ClusterApi(client).get_clusters({"where": {"id": ids["c1"]}})
    assert [item.id for item in c1.datacenters] == [dc2]
    # delete: the VM leaves its cluster's and host's VMs
    api.delete_vm({"where": {"id": new_id}})
    sim.advance_tasks()
    left = api.get_vms({"where": {"id": new_id}})
    assert left == [] or left[0].in_recycle_bin  # gone, or in the recycle bin if that is on
    if not left:
        [cluster] = ClusterApi(client).get_clusters({"where": {"id": ids["c2"]}})
        assert new_id not in [item.id for item in cluster.vms]
        [host] = HostApi(client).get_hosts({"where": {"id": ids["h3"]}})
        assert new_id not in [item.id for item in host.vms]
        assert ClusterApi(client).get_clusters({"where": {"vms_some": {"id": new_id}}}) == []


def _datacenter_clusters(api, datacenter_id):
    [datacenter] = api.get_datacenters({"where": {"id": datacenter_id}})
    return _related_names(datacenter.clusters)


# -- indexes: the same answers as going through every record, and no scan where they say ---------

class CountingTable(object):
    """A table (what queries use of one) that counts the records gone through, or forbids it."""

    def __init__(self, table, forbid=False):
        self.table = table
        self.seen = 0
        self.forbid = forbid

    def _went_through(self, items):
        if self.forbid:
            raise AssertionError("the query went through the table")
        for item in items:
            self.seen += 1
            yield item

    def values(self):
        return self._went_through(self.table.values())

    def items(self):
        return self._went_through(self.table.items())

    def __iter__(self):
        return self._went_through(iter(self.table))

    def get(self, key, default=None):
        return self.table.get(key, default)

    def __getitem__(self, key):
        return self.table[key]

    def __contains__(self, key):
        return key in self.table

    def __len__(self):
        return len(self.table)


def reference(store, type_name, body):
    """The answer of going through every record: each part of the where a test, a full sort."""
    resource = store.catalog.resources[type_name]
    test = query.compile_where(store, type_name, body.get("where"))
    records = [record for record in store.records(type_name) if test(record)]
    records = query.order(records, resource, body.get("orderBy"))
    return query.paginate(records, body.get("first"), body.get("skip"), body.get("after"), body.get("before"),
                          body.get("last"))


@pytest.fixture(scope="module")
def big():
    """The demo estate with 600 VMs (and their disks, NICs ...)."""
    from cloudtower.simulator import Simulator
    return Simulator(seed="demo", vms=600, task_delay=None)


def bodies(store):
    vms = list(store.tables["Vm"].values())
    clusters = list(store.tables["Cluster"].values())
    hosts = list(store.tables["Host"].values())
    wheres = [
        None, {}, {"id": vms[17]["id"]}, {"id": "missing"}, {"id_in": [vms[3]["id"], vms[1]["id"], "missing"]},
        {"id_in": []}, {"status": "RUNNING"}, {"status": "RUNNING", "cluster": {"id": clusters[0]["id"]}},
        {"cluster": {"name": clusters[1]["name"]}, "status_in": ["STOPPED", "SUSPENDED"]},
        {"cluster": {"id_in": [cluster["id"] for cluster in clusters]}, "vcpu_gte": 4},
        {"host": {"id": hosts[2]["id"]}}, {"host": {"cluster": {"name": clusters[0]["name"]}}},
        {"host": None}, {"folder": None, "status": "RUNNING"}, {"local_id": vms[5]["local_id"]},
        {"name": vms[9]["name"], "status": vms[9]["status"]}, {"name": vms[9]["name"], "status": "nothing"},
        {"status": "RUNNING", "OR": [{"vcpu": 2}, {"name_contains": "db"}]}, {"vcpu_in": 4},
        {"AND": [{"status": "RUNNING"}, {"cluster": {"id": clusters[0]["id"]}}]},
        {"NOT": {"status": "RUNNING"}, "cluster": {"id": clusters[1]["id"]}},
    ]
    pages = [{}, {"first": 7}, {"first": 5, "skip": 3}, {"last": 4}, {"first": 3, "after": vms[40]["id"]},
             {"last": 2, "before": vms[300]["id"]}, {"skip": 590}, {"first": 0}, {"after": "missing", "first": 2}]
    orders = [None, "name_ASC", "name_DESC", "vcpu_DESC", "cpu_usage_ASC", "cpu_usage_DESC", "memory_ASC"]
    for where in wheres:
        for page in pages:
            for order_by in orders:
                body = dict(page)
                if where is not None:
                    body["where"] = where
                if order_by:
                    body["orderBy"] = order_by
                yield body


@pytest.fixture(params=["sorted index", "smallest candidates"])
def paths(request, monkeypatch):
    """Pages by a field's order through the field's sorted index, or not."""
    monkeypatch.setattr(query, "SORTED_INDEX_FROM", 0 if request.param == "sorted index" else 10 ** 9)


def test_queries_answer_as_going_through_every_record_would(big, paths):
    store = big.store
    for body in bodies(store):
        assert [record["id"] for record in query.run(store, "Vm", body)] == \
            [record["id"] for record in reference(store, "Vm", body)], body
        if not any(key in body for key in ("first", "skip", "after", "before", "last")):
            assert query.count(store, "Vm", body) == len(reference(store, "Vm", body)), body


def test_indexes_follow_every_change(big, paths):
    store = big.store
    with big.store.lock:
        vms = list(store.tables["Vm"].values())
        clusters = list(store.tables["Cluster"].values())
        for order_by in ("name_ASC", "vcpu_DESC", "cpu_usage_ASC"):  # indexes made
            query.run(store, "Vm", {"where": {"status": "RUNNING", "cluster": {"id": clusters[0]["id"]}},
                                    "orderBy": order_by, "first": 3})
        for number, vm in enumerate(vms[:60]):
            store.update("Vm", vm["id"], {"status": ["STOPPED", "RUNNING", "SUSPENDED"][number % 3],
                                          "cluster": clusters[number % len(clusters)]["id"],
                                          "name": "renamed-%d" % (number % 7), "vcpu": number % 5,
                                          "cpu_usage": None if number % 4 else 1.5})
        for vm in vms[60:70]:
            store.delete("Vm", vm["id"])
        for number in range(10):
            store.create("Vm", {"name": "new-%d" % number, "status": "RUNNING", "cluster": clusters[0]["id"]})
        for body in bodies(store):
            assert [record["id"] for record in query.run(store, "Vm", body)] == \
                [record["id"] for record in reference(store, "Vm", body)], body


def test_lookups_by_id_and_by_indexed_fields_do_not_go_through_the_table(big):
    store = big.store
    vm = list(store.tables["Vm"].values())[123]
    cluster = store.get("Cluster", vm["cluster"])
    wheres = [{"id": vm["id"]}, {"id_in": [vm["id"]]}, {"local_id": vm["local_id"]},
              {"cluster": {"id": cluster["id"]}, "local_id": vm["local_id"]},
              {"host": {"id": vm["host"]}, "name": vm["name"]}]
    running = {"cluster": {"id": cluster["id"]}, "status": "RUNNING"}
    for where in wheres + [running]:
        query.run(store, "Vm", {"where": where})  # the indexes are made on first use
    table = store.tables["Vm"]
    store.tables["Vm"] = CountingTable(table, forbid=True)
    try:
        for where in wheres:
            assert [record["id"] for record in query.run(store, "Vm", {"where": where})] == [vm["id"]], where
            assert query.count(store, "Vm", {"where": where}) == 1
        assert store.find("Vm", local_id=vm["local_id"]) is vm
        assert query.count(store, "Vm", {"where": running}) == len(
            [one for one in table.values() if one["cluster"] == cluster["id"] and one["status"] == "RUNNING"])
    finally:
        store.tables["Vm"] = table


def test_a_page_without_order_stops_at_its_last_match(big):
    store = big.store
    cluster = list(store.tables["Cluster"].values())[0]
    body = {"where": {"status": "RUNNING", "cluster": {"id": cluster["id"]}}, "first": 10}
    query.run(store, "Vm", body)
    table = store.tables["Vm"]
    store.tables["Vm"] = counting = CountingTable(table)
    try:
        page = query.run(store, "Vm", body)
    finally:
        store.tables["Vm"] = table
    assert len(page) == 10
    position = list(table).index(page[-1]["id"])
    assert counting.seen <= position + 1  # nothing after the tenth match was looked at
