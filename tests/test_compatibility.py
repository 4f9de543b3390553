"""What scripts written for the official `cloudtower-sdk` reach besides the Api methods, and that
behaves here as it does there: the rest client's verbs, `ApiClient.request()` and its error bodies
(bytes), `last_response.data` (text), the type tables and private `__deserialize`, the header
helpers, `sanitize_for_serialization`, `files_parameters`. Over real HTTP to the simulator, or to
the recorder where the simulator answers no such request (a PUT, a form field, a charset)."""
from __future__ import absolute_import

import datetime
import json
import sys

import pytest

from cloudtower import (ApiClient, ApiException, ApiTypeError, BadRequestException, ElfImageApi,
                        NotFoundException, VmApi)
from cloudtower.models import NestedCluster, VmConnection

PY2 = sys.version_info[0] == 2


def test_the_exceptions_are_importable_from_the_rest_module():
    from cloudtower import exceptions
    from cloudtower.rest import (ApiException as RestApiException, ForbiddenException,  # noqa: F401
                                 NotFoundException as RestNotFound, ServiceException, UnauthorizedException)
    assert RestApiException is exceptions.ApiException and RestNotFound is exceptions.NotFoundException


# -- the rest client and ApiClient.request ---------------------------------------------------------

@pytest.mark.parametrize("verb", ["GET", "HEAD", "DELETE", "OPTIONS", "POST", "PUT", "PATCH"])
def test_every_verb_of_the_rest_client_sends_its_method(recorder, recorder_client, verb):
    # Recorder: the simulator answers only POST and GET.
    send = getattr(recorder_client.rest_client, verb)
    kwargs = {"body": {"a": 1}} if verb in ("DELETE", "OPTIONS", "POST", "PUT", "PATCH") else {}
    response = send(recorder.host + "/anything", headers={"Authorization": "t"}, **kwargs)
    assert response.status == 200
    request = recorder.last
    assert (request.method, request.op) == (verb, "/anything")
    assert request.headers["authorization"] == "t"
    assert request.headers["content-type"] == "application/json"  # the official's default, on every verb
    assert request.json == kwargs.get("body")


def test_an_error_body_is_bytes_from_request_and_text_from_an_api_method(demo, client, token, sent):
    headers = {"Content-Type": "application/json", "Authorization": token}
    for send in (lambda: client.request("POST", demo.url + "/no-such", headers=headers, body={}),
                 lambda: client.rest_client.POST(demo.url + "/no-such", headers=headers, body={})):
        with pytest.raises(NotFoundException) as raised:
            send()
        error = raised.value
        assert isinstance(error.body, bytes) and json.loads(error.body.decode("utf-8"))["status"] == 404
        assert error.message == "No operation /no-such" and "No operation /no-such" in str(error)
    # Through an Api method or call_api, as the official SDK decodes it there: text.
    with pytest.raises(NotFoundException) as raised:
        client.call_api("/no-such", "POST", body={}, auth_settings=["Authorization"])
    assert isinstance(raised.value.body, str) and json.loads(raised.value.body)["path"] == "/no-such"
    assert [request.status for request in sent(demo)] == [404, 404, 404]


def test_a_request_without_a_body_still_says_json(demo, client, sent):
    with pytest.raises(NotFoundException):  # the simulator's operations are POSTs
        client.request("GET", demo.url + "/get-vms")
    assert sent(demo)[-1].method == "GET"
    assert sent(demo)[-1].headers["content-type"] == "application/json"


def test_a_body_the_content_type_cannot_carry_is_refused_before_sending(demo, client, token, sent):
    headers = {"Content-Type": "text/plain", "Authorization": token}
    with pytest.raises(ApiException) as raised:  # the official's error: status 0
        client.request("POST", demo.url + "/get-vms", headers=headers, body={"first": 1})
    assert raised.value.status == 0 and "text/plain" in raised.value.reason
    assert sent(demo) == []
    with pytest.raises(BadRequestException):  # text is sent as it is; the server refuses it
        client.request("POST", demo.url + "/get-vms", headers=headers, body="first=1")
    assert sent(demo)[-1].body == b"first=1"


def test_what_json_cannot_hold_is_refused_naming_where_it_is(demo, client, token, sent):
    headers = {"Content-Type": "application/json", "Authorization": token}
    with pytest.raises(ApiTypeError) as raised:  # never a bare TypeError of json.dumps
        client.request("POST", demo.url + "/get-vms", headers=headers, body={"where": {"id_in": set(["a"])}})
    assert "body" in str(raised.value) and "set" in str(raised.value) and raised.value.status == 400
    with pytest.raises(ApiTypeError) as raised:
        client.call_api("/get-vms", "POST", body={"where": {"id_in": [object()]}}, auth_settings=["Authorization"])
    assert "body.where.id_in[0]" in str(raised.value)
    assert sent(demo) == []


# -- answers ---------------------------------------------------------------------------------------

def test_last_response_data_is_text(demo, client):
    # `str`, as in the official SDK: bytes decoded on Python 3, the bytes (str) on Python 2.
    vms = VmApi(client).get_vms({"first": 2})
    data = client.last_response.data
    assert isinstance(data, str)
    assert [vm["id"] for vm in json.loads(data)] == [vm.id for vm in vms]


@pytest.mark.skipif(PY2, reason="Python 2 keeps the answer's bytes, as the official SDK does there")
def test_last_response_data_is_decoded_as_its_charset_says(recorder, recorder_client):
    body = json.dumps([{"id": "vm-1", "name": u"\u865a\u62df\u673a"}], ensure_ascii=False).encode("gbk")
    recorder.script("/get-vms", (200, {"Content-Type": "application/json; charset=gbk"}, body))
    assert VmApi(recorder_client).get_vms({})[0].name == u"\u865a\u62df\u673a"
    assert recorder_client.last_response.data == body.decode("gbk")


def test_deserialize_takes_a_class_and_the_private_deserialize_a_value(demo, client):
    connection = VmApi(client).get_vms_connection({})
    again = client.deserialize(client.last_response, VmConnection)
    assert isinstance(again, VmConnection) and again.aggregate.count == connection.aggregate.count > 0
    deserialize = client._ApiClient__deserialize  # the official's private method, which scripts call
    assert deserialize({"id": "c", "name": "n"}, "NestedCluster") == NestedCluster(id="c", name="n")
    assert deserialize({"id": "c"}, NestedCluster) == NestedCluster(id="c")
    assert deserialize(["1", "2"], "list[int]") == [1, 2]
    assert deserialize("7", int) == 7
    assert deserialize("2024-01-02", "date") == datetime.date(2024, 1, 2)
    with pytest.raises(ApiTypeError):
        client.deserialize(client.last_response, 5)


def test_the_official_type_tables():
    assert set(ApiClient.PRIMITIVE_TYPES) >= set([float, bool, bytes, str, int])
    assert ApiClient.NATIVE_TYPES_MAPPING["datetime"] is datetime.datetime
    assert ApiClient.NATIVE_TYPES_MAPPING["object"] is object
    assert sorted(ApiClient.NATIVE_TYPES_MAPPING) == ["bool", "date", "datetime", "float", "int", "long",
                                                      "object", "str"]


# -- parameters --------------------------------------------------------------------------------------

def test_select_header_helpers_as_the_official():
    client = ApiClient()
    assert client.select_header_accept(["Application/JSON", "text/plain"]) == "application/json"
    assert client.select_header_accept(["text/plain", "text/html"]) == "text/plain, text/html"
    assert client.select_header_accept([]) is None
    assert client.select_header_content_type(["*/*"]) == "application/json"
    assert client.select_header_content_type(["Text/Plain"]) == "text/plain"
    assert client.select_header_content_type(["application/json-patch+json", "application/json"], "PATCH",
                                             [{"op": "add"}]) == "application/json-patch+json"


@pytest.mark.skipif(PY2, reason="on Python 2 bytes are str: text")
def test_sanitize_for_serialization_keeps_bytes_for_form_fields(recorder, recorder_client):
    assert recorder_client.sanitize_for_serialization({"a": [b"x", (1, b"y")]}) == {"a": [b"x", (1, b"y")]}
    recorder_client.call_api("/echo", "POST", post_params=[("field", b"raw bytes")],
                             header_params={"Content-Type": "multipart/form-data"})
    assert recorder.last.form == {"field": "raw bytes"}
    with pytest.raises(ApiTypeError) as raised:  # what JSON cannot hold names its place
        recorder_client.sanitize_for_serialization({"a": [set([1])]})
    assert "body.a[0]" in str(raised.value) and "set" in str(raised.value)


def test_a_file_of_another_type_is_refused_as_the_official_400(demo, client, sent):
    for call in (lambda: ElfImageApi(client).create_elf_image(12345, cluster_id="c", name="x", size="10"),
                 lambda: client.files_parameters({"file": 5})):
        with pytest.raises(ApiTypeError) as raised:
            call()
        assert isinstance(raised.value, ApiException) and raised.value.status == 400
        assert "file" in str(raised.value) and "int" in str(raised.value)
    assert sent(demo) == []
