"""Where the server is, as the official 2.23.0 takes it: `Configuration(root_url=..., base_url=...,
scheme=..., api_path=..., probe_path=...)` beside `host`, the `host` and `probe_url` derived from
them; `ApiClient.do_probe`, `_request_redirect` and the login's GraphQL URL (issue 8, item 4).

The expectations of the tables are what cloudtower-sdk 2.23.0 gives for the same arguments, but
where a comment says why ours differs."""
from __future__ import absolute_import

import pytest

from cloudtower import (ApiClient, ApiConnectionError, ApiException, ApiTypeError, Configuration,
                        NotFoundException, UnauthorizedException, VmApi)
from cloudtower.utils import login
from recorder import Reply

FIELDS = ("host", "root_url", "base_url", "api_path", "probe_path", "probe_url", "scheme")


def address(configuration):
    return dict((name, getattr(configuration, name)) for name in FIELDS)


def expected(host, root, api_path, probe_path, probe_url, scheme):
    return {"host": host, "root_url": root, "base_url": root, "api_path": api_path,
            "probe_path": probe_path, "probe_url": probe_url, "scheme": scheme}


CONSTRUCTED = [
    # a host (the API base URL): root, API path and scheme are read from it
    (dict(host="https://t:8443/v2/api"),
     expected("https://t:8443/v2/api", "https://t:8443", "/v2/api", "/api/healthz", "https://t:8443/api/healthz", "https")),
    (dict(host="http://t/x/v2/api"),
     expected("http://t/x/v2/api", "http://t", "/x/v2/api", "/api/healthz", "http://t/api/healthz", "http")),
    (dict(host="http://t"), expected("http://t", "http://t", "", "/api/healthz", "http://t/api/healthz", "http")),
    (dict(host="http://t/v2/api", scheme="https"),  # the URL's own scheme wins
     expected("http://t/v2/api", "http://t", "/v2/api", "/api/healthz", "http://t/api/healthz", "http")),
    (dict(host="t/v2/api", scheme="https"),  # ... and completes one written without
     expected("https://t/v2/api", "https://t", "/v2/api", "/api/healthz", "https://t/api/healthz", "https")),
    (dict(host="t/v2/api"), expected("t/v2/api", "t/v2/api", "", "/api/healthz", "t/v2/api", None)),
    # a host and an API path: the path replaces the host's
    (dict(host="http://t/v2/api", api_path="v3"),
     expected("http://t/v3", "http://t", "/v3", "/api/healthz", "http://t/api/healthz", "http")),
    (dict(host="http://t/v2/api/", api_path="/custom/"),
     expected("http://t/custom", "http://t", "/custom", "/api/healthz", "http://t/api/healthz", "http")),
    (dict(host="http://t/v2/api", api_path=""),
     expected("http://t", "http://t", "", "/api/healthz", "http://t/api/healthz", "http")),
    # probe paths: "" is the default, "/" the root itself
    (dict(host="http://t/v2/api", probe_path="health"),
     expected("http://t/v2/api", "http://t", "/v2/api", "/health", "http://t/health", "http")),
    (dict(host="http://t/v2/api", probe_path=""),
     expected("http://t/v2/api", "http://t", "/v2/api", "/api/healthz", "http://t/api/healthz", "http")),
    (dict(host="http://t/v2/api", probe_path="/"),
     expected("http://t/v2/api", "http://t", "/v2/api", "", "http://t", "http")),
    # a root URL: the API path defaults to /v2/api ("" too; "/" is the root itself)
    (dict(root_url="http://r"), expected("http://r/v2/api", "http://r", "/v2/api", "/api/healthz",
                                         "http://r/api/healthz", "http")),
    (dict(root_url="http://r/", api_path=""), expected("http://r/v2/api", "http://r", "/v2/api", "/api/healthz",
                                                       "http://r/api/healthz", "http")),
    (dict(root_url="http://r", api_path="/"), expected("http://r", "http://r", "", "/api/healthz",
                                                       "http://r/api/healthz", "http")),
    (dict(root_url="r", scheme="https", probe_path="/h/"),
     expected("https://r/v2/api", "https://r", "/v2/api", "/h", "https://r/h", "https")),
    (dict(root_url="https://r/sub", api_path="/custom", scheme="http"),
     expected("https://r/sub/custom", "https://r/sub", "/custom", "/api/healthz", "https://r/sub/api/healthz", "https")),
    (dict(root_url="sub"), expected("sub/v2/api", "sub", "/v2/api", "/api/healthz", "sub/api/healthz", None)),
    (dict(root_url="http://r", host="http://t/v2/api"),  # the root wins over a host
     expected("http://r/v2/api", "http://r", "/v2/api", "/api/healthz", "http://r/api/healthz", "http")),
    # a base URL is the same as a root URL; a root that is only a path goes under it
    (dict(base_url="b", scheme="http"), expected("http://b/v2/api", "http://b", "/v2/api", "/api/healthz",
                                                 "http://b/api/healthz", "http")),
    (dict(base_url="http://b/pre"), expected("http://b/pre/v2/api", "http://b/pre", "/v2/api", "/api/healthz",
                                             "http://b/pre/api/healthz", "http")),
    (dict(root_url="/sub", base_url="http://b/pre"),
     expected("http://b/pre/sub/v2/api", "http://b/pre/sub", "/v2/api", "/api/healthz",
              "http://b/pre/sub/api/healthz", "http")),
    (dict(root_url="sub", base_url="b", scheme="https"),
     expected("https://b/sub/v2/api", "https://b/sub", "/v2/api", "/api/healthz", "https://b/sub/api/healthz",
              "https")),
    (dict(root_url="https://r", base_url="http://b"),
     expected("https://r/v2/api", "https://r", "/v2/api", "/api/healthz", "https://r/api/healthz", "https")),
]


@pytest.mark.parametrize("arguments, address_expected", CONSTRUCTED, ids=[repr(case[0]) for case in CONSTRUCTED])
def test_the_parts_of_an_address_as_the_official_2_23_takes_them(arguments, address_expected):
    assert address(Configuration(**arguments)) == address_expected


SET = [
    (dict(host="http://t/v2/api"), [("api_path", "/x")],
     expected("http://t/x", "http://t", "/x", "/api/healthz", "http://t/api/healthz", "http")),
    (dict(host="http://t/v2/api"), [("api_path", None)],
     expected("http://t/v2/api", "http://t", "/v2/api", "/api/healthz", "http://t/api/healthz", "http")),
    (dict(host="http://t/v2/api"), [("scheme", "https")],
     expected("https://t/v2/api", "https://t", "/v2/api", "/api/healthz", "https://t/api/healthz", "https")),
    (dict(host="http://t/v2/api"), [("root_url", "n")],
     expected("http://n/v2/api", "http://n", "/v2/api", "/api/healthz", "http://n/api/healthz", "http")),
    (dict(root_url="http://r", api_path="/custom"), [("base_url", "http://n/p/")],
     expected("http://n/p/custom", "http://n/p", "/custom", "/api/healthz", "http://n/p/api/healthz", "http")),
    (dict(root_url="r", scheme="https"), [("probe_path", "/p")],
     expected("https://r/v2/api", "https://r", "/v2/api", "/p", "https://r/p", "https")),
    (dict(root_url="http://r"), [("probe_url", " http://p/x ")],
     expected("http://r/v2/api", "http://r", "/v2/api", "/api/healthz", "http://p/x", "http")),
    (dict(root_url="http://r"), [("api_path", "/x"), ("root_url", "http://s")],
     expected("http://s/x", "http://s", "/x", "/api/healthz", "http://s/api/healthz", "http")),
    (dict(root_url="http://r"), [("host", "http://n/")],  # set alone, a host is kept as written
     expected("http://n/", "http://n", "", "/api/healthz", "http://n/api/healthz", "http")),
    (dict(), [("root_url", "http://n")],
     expected("http://n", "http://n", "", "/api/healthz", "http://n/api/healthz", "http")),
    (dict(), [("api_path", "/x"), ("root_url", "https://n")],
     expected("https://n/x", "https://n", "/x", "/api/healthz", "https://n/api/healthz", "https")),
]


@pytest.mark.parametrize("arguments, changes, address_expected", SET,
                         ids=["%r then %r" % (case[0], case[1]) for case in SET])
def test_changing_a_part_updates_host_and_probe_url(arguments, changes, address_expected):
    configuration = Configuration(**arguments)
    for name, value in changes:
        setattr(configuration, name, value)
    assert address(configuration) == address_expected


def test_a_host_given_alone_is_kept_as_written():
    # As before 2.23.0 (issue 7): the official 2.23.0 would also strip the slash, the query and
    # the blanks from `host` itself.
    assert Configuration(host="http://t/v2/api/").host == "http://t/v2/api/"
    assert Configuration(host="http://t/api?x=1").host == "http://t/api?x=1"
    configuration = Configuration()
    configuration.host = "http://t/v2/api/"
    assert (configuration.host, configuration.root_url, configuration.api_path) == \
        ("http://t/v2/api/", "http://t", "/v2/api")


def test_without_an_address_the_host_is_empty_until_one_is_given():
    # The official 2.23.0 makes it http://localhost; ours stays "" (issue 7), whatever else is given.
    configuration = Configuration(api_path="/custom", probe_path="/h", scheme="https")
    assert (configuration.host, configuration.root_url, configuration.probe_url) == ("", None, None)
    assert configuration.server_index == 0
    configuration.root_url = "tower"
    assert (configuration.host, configuration.probe_url) == ("https://tower/custom", "https://tower/h")


def test_a_probe_path_given_stays_when_the_host_changes():
    # The official 2.23.0 puts it back to /api/healthz.
    configuration = Configuration(probe_path="/custom/healthz")
    configuration.host = "https://tower/v2/api"
    assert configuration.probe_url == "https://tower/custom/healthz"


def test_a_host_and_port_without_a_scheme_is_a_host():
    # The official reads `tower:8443` as the scheme `tower`.
    configuration = Configuration(root_url="tower:8443", scheme="https")
    assert (configuration.host, configuration.scheme) == ("https://tower:8443/v2/api", "https")


@pytest.mark.parametrize("name", ["host", "root_url", "base_url", "api_path", "probe_path", "scheme"])
def test_a_part_that_is_not_text_is_refused_naming_it(name):
    with pytest.raises(ApiTypeError) as raised:
        Configuration(**{name: 8443})
    assert "Configuration.%s must be text" % name in str(raised.value) and "int" in str(raised.value)
    configuration = Configuration(root_url="http://r")
    with pytest.raises(ApiTypeError, match="Configuration.%s must be text" % name):
        setattr(configuration, name, ["http://x"])


def test_a_copy_keeps_the_address(config):
    import copy
    configuration = Configuration(root_url="r", scheme="https", api_path="/custom", probe_path="/h")
    duplicate = copy.deepcopy(configuration)
    assert address(duplicate) == address(configuration)
    duplicate.root_url = "other"
    assert configuration.host == "https://r/custom"


def test_a_client_reaches_the_api_at_root_url_and_api_path(demo, token, make_client):
    root = demo.url[:-len("/v2/api")]
    configuration = Configuration(root_url=root.partition("://")[2], scheme="http")
    configuration.api_key["Authorization"] = token
    assert configuration.host == demo.url
    assert len(VmApi(make_client(configuration)).get_vms({"first": 2})) == 2


# -- do_probe ---------------------------------------------------------------------------------------

def test_do_probe_is_true_on_the_active_endpoint_and_false_on_a_passive_one(start_simulator, make_client):
    pair = start_simulator(seed="empty", endpoints=2)
    client = make_client(Configuration())
    active, passive = [Configuration(host=url).probe_url for url in pair.urls]
    assert client.do_probe(active) is True
    assert client.do_probe(passive, timeout=10) is False
    pair.failover()
    assert (client.do_probe(active), client.do_probe(passive)) == (False, True)


def test_do_probe_raises_on_any_other_answer(recorder, make_client):
    recorder.script("/api/healthz", Reply(503, json={"message": "starting"}), Reply(204), Reply(302))
    recorder.script("/elsewhere", Reply(404, json={"message": "no such page"}))
    client = make_client(Configuration(host=recorder.host))
    for status in (503, 204, 302):
        with pytest.raises(ApiException) as raised:
            client.do_probe(client.configuration.probe_url)
        assert raised.value.status == status
    with pytest.raises(NotFoundException):
        client.do_probe(recorder.url + "/elsewhere")
    assert len(recorder.requests) == 4  # one request each: no retry, no redirect followed
    assert "authorization" not in recorder.last.headers


def test_do_probe_raises_a_connection_error_when_nothing_answers(recorder, make_client):
    url = recorder.url + "/api/healthz"
    recorder.stop()
    with pytest.raises(ApiConnectionError) as raised:
        make_client(Configuration()).do_probe(url, timeout=5)
    assert raised.value.status == 0 and isinstance(raised.value, ApiException)


def test_do_probe_times_out(recorder, make_client):
    recorder.script("/api/healthz", Reply(200, json={}, delay=5))
    with pytest.raises(ApiConnectionError) as raised:
        make_client(Configuration()).do_probe(recorder.url + "/api/healthz", timeout=0.2)
    assert raised.value.status == 0 and "timed out" in str(raised.value)


# -- _request_redirect ------------------------------------------------------------------------------

def test_a_passive_endpoints_307_is_followed_by_default_and_raised_when_asked(start_simulator, make_client):
    pair = start_simulator(seed="demo", task_delay=None, endpoints=2)
    token = pair.client().configuration.api_key["Authorization"]
    configuration = Configuration(host=pair.urls[1])  # the passive endpoint
    configuration.api_key["Authorization"] = token
    vm_api = VmApi(make_client(configuration))
    # urllib3 follows to the active endpoint and drops the token on the way (another host:port).
    with pytest.raises(UnauthorizedException):
        vm_api.get_vms({"first": 1})
    with pytest.raises(ApiException) as raised:
        vm_api.get_vms({"first": 1}, _request_redirect=False)
    assert raised.value.status == 307
    assert raised.value.headers["Location"] == pair.urls[0] + "/get-vms"
    client = vm_api.api_client
    with pytest.raises(ApiException) as raised:
        client.call_api("/get-vms", "POST", body={"first": 1}, response_types_map={200: "list[Vm]"},
                        auth_settings=["Authorization"], _request_redirect=False)
    assert raised.value.status == 307
    with pytest.raises(ApiException, match="307"):
        client.request("GET", pair.root_urls[1] + "/api/healthz", redirect=False)
    answer = client.request("GET", pair.root_urls[1] + "/api/healthz", redirect=True)
    assert answer.status == 200  # followed to the active endpoint


def test_a_redirect_is_followed_with_the_request_redirect_option_true(start_simulator, make_client):
    pair = start_simulator(seed="empty", endpoints=2)
    client = make_client(Configuration(host=pair.urls[1]))
    login(client, "root", "root")  # /login needs no token: followed to the active endpoint
    assert client.configuration.api_key["Authorization"]


# -- login ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("arguments, graphql", [
    (dict(root_url="{root}", api_path="/custom/api"), "/api"),
    (dict(host="{root}/v2/api"), "/api"),
    (dict(host="{root}/prefix/v2/api"), "/prefix/api"),
])
def test_an_ldap_login_asks_the_graphql_api_beside_api_path(recorder, make_client, arguments, graphql):
    recorder.script("/api", {"data": {"authnStrategies": []}})
    recorder.script("/prefix/api", {"data": {"authnStrategies": []}})
    recorder.default(lambda request: {"task_id": None, "data": {"token": "t"}})
    arguments = dict((key, value.format(root=recorder.url)) for key, value in arguments.items())
    login(make_client(Configuration(**arguments)), "bob", "secret", source="LDAP")
    assert [request.path for request in recorder.requests][0] == graphql
    assert recorder.last.path.endswith("/login")
