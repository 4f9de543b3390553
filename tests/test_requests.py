"""What the SDK sends: path, method, headers, JSON bodies, query strings and multipart uploads,
and the argument checks that stop a bad request before it is sent.

Requests go to the simulator and are read back from its journal (`sent`); the recorder is used
where the exact query string must be seen, which the journal does not keep."""
from __future__ import absolute_import

import base64
import io
import os
import sys

import pytest

from cloudtower import (ApiInfoApi, ApiTypeError, ApiValueError, BadRequestException, ClusterApi,
                        Configuration, ContentLibraryImageApi, ElfImageApi, GetVmsRequestBody,
                        NotFoundException, ResourceChangeApi, UnauthorizedException, VmApi, VmCreationParams,
                        VmWhereInput)
from cloudtower.utils import login

PY2 = sys.version_info[0] == 2


@pytest.fixture
def cluster_ids(client):
    """The ids of the demo estate's clusters."""
    return [cluster.id for cluster in ClusterApi(client).get_clusters({"order_by": "name_ASC"})]


def vm_creation(cluster_id, **fields):
    params = {"cluster_id": cluster_id, "name": "new-vm", "status": "STOPPED", "firmware": "BIOS", "ha": True,
              "memory": 2147483648, "cpu_cores": 1, "cpu_sockets": 2, "vm_nics": [], "vm_disks": {}}
    params.update(fields)
    return params


def last(sim, sent):
    """The last request `sim` received (fails the test if there was none)."""
    requests = sent(sim)
    assert requests, "the simulator received no request"
    return requests[-1]


def assert_refused(sim, sent, error, call, *words):
    """`call()` raises `error` whose message names every one of `words`, and sends nothing."""
    with pytest.raises(error) as raised:
        call()
    for word in words:
        assert word in str(raised.value)
    assert sent(sim) == []


def second_token(sim, make_client):
    """Another valid token of root on `sim` (a second login)."""
    configuration = Configuration(host=sim.url)
    login(make_client(configuration), "root", "root")
    return configuration.api_key["Authorization"]


# -- the request line and headers ---------------------------------------------------------------

def test_post_goes_to_the_operation_path_with_json_headers(demo, client, token, sent):
    VmApi(client).get_vms({})
    request = last(demo, sent)
    assert request.method == "POST"
    assert request.path == "/v2/api/get-vms"
    assert request.status == 200
    assert request.headers["authorization"] == token  # the bare token, no "Bearer"
    assert request.headers["content-type"] == "application/json"
    assert request.headers["accept"] == "application/json"
    assert request.headers["user-agent"] == client.user_agent
    import cloudtower
    assert cloudtower.__version__ in client.user_agent
    assert "content-language" not in request.headers


def test_a_host_with_a_trailing_path_keeps_it(demo, config, make_client, sent):
    config.host = demo.url[:-len("/v2/api")] + "/custom/base"
    with pytest.raises(NotFoundException):  # the simulator serves the API at /v2/api only
        VmApi(make_client(config)).get_vms({})
    assert last(demo, sent).path == "/custom/base/get-vms"


def test_api_key_prefix_is_put_before_the_token(demo, config, client, token, sent):
    config.api_key_prefix["Authorization"] = "Token"
    with pytest.raises(UnauthorizedException):  # CloudTower wants the bare token
        VmApi(client).get_vms({})
    assert last(demo, sent).headers["authorization"] == "Token " + token


def test_no_token_sends_no_authorization_header(demo, config, client, sent):
    config.api_key.clear()
    with pytest.raises(UnauthorizedException):
        VmApi(client).get_vms({})
    assert "authorization" not in last(demo, sent).headers


def test_content_language_keyword_sends_the_header(demo, client, sent):
    VmApi(client).get_vms({}, content_language="zh-CN")
    assert last(demo, sent).headers["content-language"] == "zh-CN"


def test_a_content_language_outside_the_enum_is_refused(demo, client, sent):
    assert_refused(demo, sent, ApiValueError, lambda: VmApi(client).get_vms({}, content_language="fr-FR"),
                   "content_language", "fr-FR")


def test_default_header_content_language(demo, client, sent):
    client.set_default_header("content_language", "en-US")
    api = VmApi(client)
    api.get_vms({})
    assert last(demo, sent).headers["content-language"] == "en-US"
    api.get_vms({}, content_language="zh-CN")  # the call's own value wins
    assert last(demo, sent).headers["content-language"] == "zh-CN"


def test_default_header_of_the_constructor_and_user_agent(demo, config, make_client, sent):
    client = make_client(config, header_name="X-Team", header_value="infra")
    client.user_agent = "my-script/1.0"
    VmApi(client).get_vms({})
    assert last(demo, sent).headers["x-team"] == "infra"
    assert last(demo, sent).headers["user-agent"] == "my-script/1.0"


def test_cookie_is_sent(demo, config, make_client, sent):
    VmApi(make_client(config, cookie="session=abc")).get_vms({})
    assert last(demo, sent).headers["cookie"] == "session=abc"


def test_extra_headers_keyword(demo, client, sent):
    VmApi(client).get_vms({}, _headers={"X-Trace": "t-1"})
    assert last(demo, sent).headers["x-trace"] == "t-1"


def test_request_auth_replaces_the_configured_token(demo, config, client, make_client, sent):
    other = second_token(demo, make_client)
    config.api_key["Authorization"] = "not-a-token"
    auth = {"in": "header", "type": "api_key", "key": "Authorization", "value": other}
    assert VmApi(client).get_vms({"first": 1}, _request_auth=auth)
    assert last(demo, sent).headers["authorization"] == other


def test_content_type_keyword_overrides_the_json_type(demo, client, sent):
    VmApi(client).get_vms({"first": 1}, _content_type="application/json; charset=utf-8")
    assert last(demo, sent).headers["content-type"] == "application/json; charset=utf-8"
    assert last(demo, sent).json == {"first": 1}
    assert last(demo, sent).status == 200


# -- JSON bodies ----------------------------------------------------------------------------------

def test_model_body_sends_only_the_attributes_set(demo, client, sent):
    vms = VmApi(client).get_vms(GetVmsRequestBody(where=VmWhereInput(name="web-01"), first=1))
    assert last(demo, sent).json == {"where": {"name": "web-01"}, "first": 1}
    assert [vm.name for vm in vms] == ["web-01"]


def test_dict_body_with_attribute_names_is_sent_with_json_keys(demo, client, sent):
    body = {"where": {"_and": [{"entity_async_status": "CREATING"}, {"name_contains": "web"}],
                      "_not": [{"cluster": {"name": "c1"}}]},
            "order_by": "name_ASC", "first": 5}
    VmApi(client).get_vms(body)
    assert last(demo, sent).json == {
        "where": {"AND": [{"entityAsyncStatus": "CREATING"}, {"name_contains": "web"}],
                  "NOT": [{"cluster": {"name": "c1"}}]},
        "orderBy": "name_ASC", "first": 5}
    assert last(demo, sent).status == 200


def test_dict_body_with_json_keys_is_sent_as_it_is(demo, client, sent):
    body = {"where": {"OR": [{"entityAsyncStatus": "UPDATING"}, {"vcpu_gt": 2}]}, "orderBy": "vcpu_DESC",
            "skip": 1}
    vms = VmApi(client).get_vms(body)
    assert last(demo, sent).json == body
    assert vms and all(vm.vcpu > 2 for vm in vms)


def test_models_nested_in_dicts_and_dicts_in_models(demo, client, sent):
    body = GetVmsRequestBody(where={"_or": [VmWhereInput(entity_async_status="DELETING"), {"name": "a"}]})
    VmApi(client).get_vms({"where": body.where, "last": 2})
    assert last(demo, sent).json == {"where": {"OR": [{"entityAsyncStatus": "DELETING"}, {"name": "a"}]},
                                     "last": 2}
    assert last(demo, sent).status == 200


def test_explicit_none_in_a_dict_is_sent_as_null(demo, client, sent):
    vms = VmApi(client).get_vms({"where": {"entity_async_status": None, "name": "web-01"}})
    assert last(demo, sent).json == {"where": {"entityAsyncStatus": None, "name": "web-01"}}
    assert [vm.name for vm in vms] == ["web-01"]


def test_attributes_set_to_none_are_not_sent(demo, client, sent):
    body = GetVmsRequestBody(where=VmWhereInput(name="a", entity_async_status=None), first=None)
    VmApi(client).get_vms(body)
    assert last(demo, sent).json == {"where": {"name": "a"}}


def test_empty_body(demo, client, sent):
    VmApi(client).get_vms({})
    assert last(demo, sent).body == b"{}"


def test_non_ascii_text_is_sent_as_utf8_json(demo, client, sent):
    VmApi(client).get_vms({"where": {"name": u"\u865a\u62df\u673a"}})
    assert last(demo, sent).json == {"where": {"name": u"\u865a\u62df\u673a"}}


def test_list_body_of_models_and_dicts(demo, client, cluster_ids, sent):
    params = [VmCreationParams(**vm_creation(cluster_ids[0], name="from-model")),
              vm_creation(cluster_ids[0], name="from-dict", vcpu=2)]
    result = VmApi(client).create_vm(params)
    request = last(demo, sent)
    assert request.path == "/v2/api/create-vm" and request.status == 200
    assert isinstance(request.json, list) and len(request.json) == 2
    assert request.json[0]["name"] == "from-model"
    assert request.json[1]["name"] == "from-dict" and request.json[1]["vcpu"] == 2
    assert request.json[0]["vm_disks"] == {} and request.json[0]["vm_nics"] == []
    assert "vcpu" not in request.json[0]
    assert [item.data.name for item in result] == ["from-model", "from-dict"]
    assert all(item.task_id for item in result)


def test_body_passed_by_keyword(demo, client, sent):
    VmApi(client).get_vms(get_vms_request_body={"first": 3})
    assert last(demo, sent).json == {"first": 3}


def test_body_passed_positionally_and_by_keyword_is_an_error(demo, client, sent):
    assert_refused(demo, sent, ApiTypeError,
                   lambda: VmApi(client).get_vms({"first": 3}, get_vms_request_body={"first": 4}),
                   "get_vms_request_body")


# -- client-side validation -------------------------------------------------------------------------

@pytest.mark.parametrize("body, error, words", [
    ({"wher": {}}, ApiTypeError, ["get_vms_request_body", "wher", "where"]),
    ({"where": {"nmae": "a"}}, ApiTypeError, ["get_vms_request_body.where", "nmae"]),
    ({"first": "1"}, ApiTypeError, ["get_vms_request_body.first", "integer"]),
    ({"where": {"vcpu_in": 4}}, ApiTypeError, ["get_vms_request_body.where.vcpu_in", "list"]),
    ({"where": {"id_in": ["a", 5]}}, ApiTypeError, ["get_vms_request_body.where.id_in[1]", "string"]),
    ({"where": {"status_in": ["RUNNING", "FLYING"]}}, ApiValueError,
     ["get_vms_request_body.where.status_in[1]", "FLYING"]),
    ({"where": {"vcpu_in": [1, True]}}, ApiTypeError, ["get_vms_request_body.where.vcpu_in[1]", "integer"]),
    ({"where": {"status": "FLYING"}}, ApiValueError, ["get_vms_request_body.where.status", "FLYING"]),
    ({"order_by": "name_UP"}, ApiValueError, ["get_vms_request_body.order_by", "name_UP"]),
    ({"where": {"_and": [{"name": 1}]}}, ApiTypeError, ["get_vms_request_body.where._and[0].name"]),
    ("first=1", ApiTypeError, ["get_vms_request_body"]),
])
def test_invalid_bodies_are_refused_naming_the_field(demo, client, sent, body, error, words):
    assert_refused(demo, sent, error, lambda: VmApi(client).get_vms(body), *words)


def test_a_missing_required_field_is_refused(demo, client, sent):
    params = vm_creation("cl-1")
    del params["cluster_id"]
    assert_refused(demo, sent, ApiValueError, lambda: VmApi(client).create_vm([vm_creation("cl-1"), params]),
                   "vm_creation_params[1]", "cluster_id")


def test_a_model_of_the_wrong_class_is_refused(demo, client, sent):
    assert_refused(demo, sent, ApiTypeError, lambda: VmApi(client).get_vms(VmWhereInput(name="a")),
                   "GetVmsRequestBody")


def test_a_model_ignores_an_unknown_keyword_with_a_warning():
    import warnings
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        where = VmWhereInput(nmae="a", name="b")
    assert where.to_dict()["name"] == "b" and "nmae" not in where.to_dict()
    assert len(caught) == 1 and "nmae" in str(caught[0].message) and "'name'" in str(caught[0].message)
    assert caught[0].filename == __file__  # the warning points at the caller


def test_without_client_side_validation_the_body_is_sent_as_given(demo, config, client, sent):
    config.client_side_validation = False
    body = {"wher": {"x": 1}, "first": "1", "where": {"status": "FLYING", "entity_async_status": "X"}}
    with pytest.raises(BadRequestException):  # the server checks what the client did not
        VmApi(client).get_vms(body)
    assert last(demo, sent).json == {"wher": {"x": 1}, "first": "1",
                                     "where": {"status": "FLYING", "entityAsyncStatus": "X"}}


def test_client_side_validation_switched_off_on_the_client(demo, client, sent):
    # ApiClient copies `client_side_validation` from the configuration into an attribute, as the
    # reference client does, whose generated methods read `self.api_client.client_side_validation`:
    # switching it off there must work too (it once did nothing).
    client.client_side_validation = False
    with pytest.raises(BadRequestException):  # the server checks what the client did not
        VmApi(client).get_vms({"first": "1"})
    assert last(demo, sent).json == {"first": "1"}


def test_without_client_side_validation_a_missing_field_is_sent(demo, config, client, cluster_ids, sent):
    config.client_side_validation = False
    params = vm_creation(cluster_ids[0])
    del params["name"]
    with pytest.raises(BadRequestException) as raised:
        VmApi(client).create_vm([params])
    assert "name" in raised.value.message
    assert "name" not in last(demo, sent).json[0]
    assert last(demo, sent).json[0]["cluster_id"] == cluster_ids[0]


# -- argument checks --------------------------------------------------------------------------------

def test_an_unknown_keyword_is_a_type_error(demo, client, sent):
    assert_refused(demo, sent, ApiTypeError, lambda: VmApi(client).get_vms({}, frist=1), "frist")


def test_a_required_argument_not_given_is_a_type_error(demo, client, sent):
    # As Python's own error for the official SDK's method: `except TypeError` catches it.
    assert_refused(demo, sent, ApiTypeError, lambda: VmApi(client).get_vms(), "get_vms_request_body", "missing")
    client.configuration.client_side_validation = False
    assert_refused(demo, sent, TypeError, lambda: VmApi(client).get_vms(), "get_vms_request_body")


def test_a_required_argument_given_as_none_is_a_value_error(demo, client, sent):
    assert_refused(demo, sent, ApiValueError, lambda: VmApi(client).get_vms(None), "get_vms_request_body")
    with pytest.raises(BadRequestException) as raised:  # and the 400 the server would answer
        VmApi(client).get_vms(get_vms_request_body=None)
    assert raised.value.status == 400 and sent(demo) == []


def test_without_client_side_validation_a_required_none_is_sent(demo, client, sent):
    # As the official SDK does: the server answers the missing body.
    client.configuration.client_side_validation = False
    with pytest.raises(BadRequestException) as raised:
        VmApi(client).get_vms(None)
    assert "body" in raised.value.message
    assert [(request.path, request.body, request.status) for request in sent(demo)] == [("/v2/api/get-vms", b"", 400)]


def test_too_many_positional_arguments(demo, client, sent):
    assert_refused(demo, sent, ApiTypeError, lambda: VmApi(client).get_vms({}, {}), "get_vms")


# -- the two GET operations -----------------------------------------------------------------------

def test_get_api_version_sends_a_get_without_auth(demo, client, sent):
    from cloudtower.models import SPEC_VERSION
    assert ApiInfoApi(client).get_api_version() == SPEC_VERSION
    request = last(demo, sent)
    assert request.method == "GET"
    assert request.path == "/v2/api/get-version"
    assert "authorization" not in request.headers
    assert request.body == b""


def changed_vms(sim, client):
    """Starts the stopped VMs (their tasks end): resource-change events of VMs and tasks."""
    stopped = VmApi(client).get_vms({"where": {"status": "STOPPED"}})
    VmApi(client).start_vm({"where": {"id_in": [vm.id for vm in stopped]}})
    sim.advance_tasks()
    return stopped


def test_get_resource_changes_with_basic_auth(demo, config, client, sent):
    changed_vms(demo, client)
    config.username, config.password = "root", "root"
    changes = ResourceChangeApi(client).get_resource_changes(start_revision="1", resource_type="VM", limit=3)
    request = last(demo, sent)
    assert request.method == "GET" and request.path == "/v2/api/resource-changes" and request.status == 200
    expected = "Basic " + base64.b64encode(b"root:root").decode("ascii")
    assert request.headers["authorization"] == expected
    assert len(changes.data) == 3 and all(event.resource_type == "VM" for event in changes.data)


def test_get_resource_changes_sends_query_parameters(recorder, recorder_config, recorder_client):
    # Recorder: the simulator's journal does not keep the query string.
    recorder_config.username, recorder_config.password = "watcher", "pw-9"
    recorder.script("/resource-changes", {"currentRevision": "10", "compactRevision": "1", "data": [],
                                          "ec": ""})
    ResourceChangeApi(recorder_client).get_resource_changes(start_revision="1", resource_type="VM", limit=10)
    request = recorder.last
    assert request.method == "GET"
    assert request.path == "/v2/api/resource-changes"
    assert request.query == {"start_revision": ["1"], "resource_type": ["VM"], "limit": ["10"]}
    expected = "Basic " + base64.b64encode(b"watcher:pw-9").decode("ascii")
    assert request.headers["authorization"] == expected


def test_get_resource_changes_falls_back_to_the_token(demo, client, token, sent):
    changed_vms(demo, client)
    changes = ResourceChangeApi(client).get_resource_changes(resource_type="VM", action="UPDATE")
    assert last(demo, sent).headers["authorization"] == token
    assert changes.data
    assert all((event.resource_type, event.action) == ("VM", "UPDATE") for event in changes.data)


def test_query_parameters_are_type_checked(demo, client, sent):
    assert_refused(demo, sent, ApiTypeError,
                   lambda: ResourceChangeApi(client).get_resource_changes(limit="ten"), "limit")


def test_query_values_are_url_encoded(recorder, recorder_client):
    # Recorder: the simulator's journal does not keep the query string.
    recorder.script("/resource-changes", (200, {}, b'{"data": []}'))
    ResourceChangeApi(recorder_client).get_resource_changes(resource_id="a b&c=d/e", limit=1)
    assert recorder.last.query == {"resource_id": ["a b&c=d/e"], "limit": ["1"]}


# -- multipart uploads -----------------------------------------------------------------------------

def check_upload(request, path, filename, data, fields):
    assert request.method == "POST"
    assert request.path == path
    assert request.status == 200
    assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert request.files["file"][0] == filename
    assert request.files["file"][2] == data
    assert request.form == fields


def test_upload_a_file_by_path(demo, client, cluster_ids, tmpdir, token, sent):
    image = tmpdir.join("disk.iso")
    image.write_binary(b"ISO\x00\xff\r\n--")
    result = ElfImageApi(client).create_elf_image(file=str(image), cluster_id=cluster_ids[0], name="img",
                                                  size="9")
    check_upload(last(demo, sent), "/v2/api/upload-elf-image", "disk.iso", b"ISO\x00\xff\r\n--",
                 {"cluster_id": cluster_ids[0], "name": "img", "size": "9"})
    assert last(demo, sent).headers["authorization"] == token
    assert result[0].id and result[0].status == "SUCCESSED" and result[0].updated_at


def test_upload_in_chunks_sends_the_upload_task_id(demo, client, cluster_ids, tmpdir, sent):
    with demo.store.lock:
        demo.store.settings["upload_chunk_size"] = 4
    api = ElfImageApi(client)
    first = api.create_elf_image(file=bytearray(b"ISO\x00"), cluster_id=cluster_ids[0], name="img",
                                 size="6")[0]
    assert first.status == "UPLOADING" and first.chunk_size == 4
    rest = tmpdir.join("rest.bin")
    rest.write_binary(b"\xff\n")
    result = api.create_elf_image(file=str(rest), cluster_id=cluster_ids[0], name="img", size="6",
                                  upload_task_id=first.id)
    check_upload(last(demo, sent), "/v2/api/upload-elf-image", "rest.bin", b"\xff\n",
                 {"cluster_id": cluster_ids[0], "name": "img", "size": "6", "upload_task_id": first.id})
    assert result[0].id == first.id and result[0].status == "SUCCESSED"


def test_upload_a_file_object(demo, client, cluster_ids, tmpdir, sent):
    image = tmpdir.join("tools.iso")
    image.write_binary(b"\x00" * 1000 + b"end")
    with io.open(str(image), "rb") as handle:
        ElfImageApi(client).create_elf_image(handle, cluster_id=cluster_ids[0], name="tools", size="1003")
    check_upload(last(demo, sent), "/v2/api/upload-elf-image", "tools.iso", b"\x00" * 1000 + b"end",
                 {"cluster_id": cluster_ids[0], "name": "tools", "size": "1003"})


def test_upload_bytearray(demo, client, cluster_ids, sent):
    ElfImageApi(client).create_elf_image(file=bytearray(b"abc"), cluster_id=cluster_ids[0], name="raw",
                                         size="3")
    check_upload(last(demo, sent), "/v2/api/upload-elf-image", "file", b"abc",
                 {"cluster_id": cluster_ids[0], "name": "raw", "size": "3"})


@pytest.mark.skipif(PY2, reason="on Python 2 bytes are str, which the SDK reads as a file path")
def test_upload_bytes(demo, client, cluster_ids, sent):
    ElfImageApi(client).create_elf_image(file=b"abc", cluster_id=cluster_ids[0], name="raw", size="3")
    check_upload(last(demo, sent), "/v2/api/upload-elf-image", "file", b"abc",
                 {"cluster_id": cluster_ids[0], "name": "raw", "size": "3"})


def test_upload_a_named_tuple_of_data(demo, client, cluster_ids, sent):
    ElfImageApi(client).create_elf_image(file=("named.iso", io.BytesIO(b"xyz")), cluster_id=cluster_ids[0],
                                         size="3")
    check_upload(last(demo, sent), "/v2/api/upload-elf-image", "named.iso", b"xyz",
                 {"cluster_id": cluster_ids[0], "size": "3"})


def test_upload_with_required_form_fields_positionally(demo, client, cluster_ids, tmpdir, sent):
    image = tmpdir.join("lib.qcow2")
    image.write_binary(b"QFI\xfb")
    clusters = ",".join(cluster_ids[:2])
    result = ContentLibraryImageApi(client).create_content_library_image(str(image), clusters, name="lib",
                                                                         size="4", size_unit="B",
                                                                         content_language="zh-CN")
    check_upload(last(demo, sent), "/v2/api/upload-content-library-image", "lib.qcow2", b"QFI\xfb",
                 {"clusters": clusters, "name": "lib", "size": "4", "size_unit": "B"})
    assert last(demo, sent).headers["content-language"] == "zh-CN"
    assert result[0].status == "SUCCESSED"


def test_upload_without_its_required_form_field(demo, client, sent):
    assert_refused(demo, sent, ApiTypeError,
                   lambda: ContentLibraryImageApi(client).create_content_library_image(file=bytearray(b"x")),
                   "clusters")


def test_upload_of_a_missing_file_sends_nothing(demo, client, tmpdir, sent):
    with pytest.raises((IOError, OSError)):
        ElfImageApi(client).create_elf_image(file=str(tmpdir.join("absent.iso")), cluster_id="cl-1")
    assert sent(demo) == []


def test_upload_of_a_large_file(demo, client, cluster_ids, tmpdir, sent):
    data = os.urandom(3 * 1024 * 1024)
    image = tmpdir.join("big.img")
    image.write_binary(data)
    result = ElfImageApi(client).create_elf_image(file=str(image), cluster_id=cluster_ids[0],
                                                  size=str(len(data)))
    assert last(demo, sent).files["file"][2] == data
    assert last(demo, sent).form["size"] == str(len(data))
    assert result[0].status == "SUCCESSED"


def test_upload_with_non_ascii_fields(demo, client, cluster_ids, sent):
    name = u"\u955c\u50cf-1"
    result = ElfImageApi(client).create_elf_image(file=("a.iso", bytearray(b"x")), cluster_id=cluster_ids[0],
                                                  name=name, description=u"caf\u00e9", size="1")
    assert last(demo, sent).form == {"cluster_id": cluster_ids[0], "name": name, "description": u"caf\u00e9",
                                     "size": "1"}
    assert result[0].args["name"] == name


# -- other ways in ----------------------------------------------------------------------------------

def test_refresh_api_key_hook_runs_before_each_request(demo, config, client, token, make_client, sent):
    tokens = [token, second_token(demo, make_client)]
    calls = []

    def refresh(configuration):
        calls.append(configuration)
        configuration.api_key["Authorization"] = tokens[len(calls) - 1]
    config.refresh_api_key_hook = refresh
    VmApi(client).get_vms({})
    VmApi(client).get_vms({})
    assert [request.headers["authorization"] for request in sent(demo, "/get-vms")] == tokens
    assert [request.status for request in sent(demo, "/get-vms")] == [200, 200]
    assert calls[0] is config


def test_a_deprecated_operation_warns_and_still_sends(demo, client, sent):
    vm = VmApi(client).get_vms({"first": 1})[0]
    with pytest.warns(DeprecationWarning):
        result = VmApi(client).remove_vm_nic({"where": {"id": vm.id}, "data": {"nic_index": [0]}})
    assert last(demo, sent).path == "/v2/api/remove-vm-nic"
    assert last(demo, sent).json["where"] == {"id": vm.id}
    assert result[0].task_id


def test_call_api(demo, client, token, sent):
    first = VmApi(client).get_vms({"first": 1})[0]
    vms = client.call_api("/get-vms", "POST", body={"first": 1},
                          header_params={"Content-Type": "application/json"},
                          response_types_map={200: "list[Vm]"}, auth_settings=["Authorization"],
                          _return_http_data_only=True)
    assert vms[0].cluster.name == first.cluster.name
    assert last(demo, sent).json == {"first": 1}
    assert last(demo, sent).headers["authorization"] == token
    data, status, headers = client.call_api("/get-vms", "POST", body=GetVmsRequestBody(first=2),
                                            response_types_map={200: "list[Vm]"},
                                            auth_settings=["Authorization"])
    assert status == 200 and data[0].id == first.id and len(data) == 2
    assert last(demo, sent).json == {"first": 2}
    with pytest.raises(UnauthorizedException):
        client.call_api("/get-vms", "POST", body={"first": 3}, response_types_map={200: "list[Vm]"})
    assert last(demo, sent).json == {"first": 3}
    assert "authorization" not in last(demo, sent).headers  # no auth_settings: no credentials


def test_call_api_with_query_and_async(demo, client):
    changed_vms(demo, client)
    result = client.call_api("/resource-changes", "GET", query_params=[("limit", 2)],
                             response_types_map={200: "ResourceChangeResponse"}, async_req=True,
                             auth_settings=["Authorization"], _return_http_data_only=True)
    changes = result.get(timeout=30)
    assert changes.current_revision == str(demo.store.revision)
    assert len(changes.data) == 2  # the server read the limit


def test_client_request(demo, client, sent):
    graphql = demo.url[:-len("/v2/api")] + "/api"
    response = client.request("POST", graphql, headers={"Content-Type": "application/json"},
                              body={"query": "{authnStrategies{id type}}"})
    assert response.status == 200 and response.data == b'{"data":{"authnStrategies":[]}}'
    assert response.getheader("x-tower-request-id")
    assert last(demo, sent).json == {"query": "{authnStrategies{id type}}"}
    with pytest.raises(ApiValueError):
        client.request("FETCH", graphql)
