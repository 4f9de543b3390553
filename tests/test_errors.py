"""HTTP error answers become `ApiException` subclasses carrying what the server said: the
simulator's real errors (401, 404, 400, a resource lock, 5xx by fault), and, from the recorder,
what the simulator never answers (403, bodies that are no CloudTower error)."""
from __future__ import absolute_import

import json

import pytest
import urllib3

from cloudtower import (ApiException, BadRequestException, Configuration, ForbiddenException,
                        NotFoundException, ResourceLockedException, ServiceException, UnauthorizedException,
                        VmApi)
from cloudtower import exceptions
from recorder import Reply


def stopped_vm(client):
    return VmApi(client).get_vms({"where": {"status": "STOPPED"}, "first": 1})[0]


def check_error(error, status, reason, message, path):
    """`error` carries the answer: status, reason, the body and what it says, the request id."""
    assert isinstance(error, ApiException)
    assert error.status == status
    assert error.reason == reason
    body = json.loads(error.body)
    assert error.error == body
    assert body["message"] == message == error.message
    assert error.path == body["path"] == path
    assert error.code == body.get("code")
    request_id = error.headers["x-tower-request-id"]
    assert request_id and error.request_id == request_id
    text = str(error)
    assert str(status) in text and reason in text and message in text and request_id in text


def test_401_without_a_token(demo, make_client, sent):
    client = make_client(Configuration(host=demo.url))
    with pytest.raises(UnauthorizedException) as raised:
        VmApi(client).get_vms({})
    check_error(raised.value, 401, "Unauthorized",
                "Unauthorized: a valid token is required in the Authorization header", "/get-vms")
    assert raised.value.code is None
    assert [request.status for request in sent(demo)] == [401]  # an error answer is not retried


def test_404_of_an_unknown_operation(demo, client, sent):
    with pytest.raises(NotFoundException) as raised:
        client.call_api("/get-nothing", "POST", body={}, auth_settings=["Authorization"])
    check_error(raised.value, 404, "Not Found", "No operation /get-nothing", "/get-nothing")
    assert [request.status for request in sent(demo)] == [404]


def test_404_of_an_id_that_does_not_exist(demo, client):
    vm = stopped_vm(client)
    with pytest.raises(NotFoundException) as raised:
        VmApi(client).start_vm({"where": {"id": vm.id}, "data": {"host_id": "no-such-host"}})
    check_error(raised.value, 404, "Not Found", "Host no-such-host not found", "/start-vm")


def test_400_of_a_body_the_server_refuses(demo, config, client, sent):
    config.client_side_validation = False
    with pytest.raises(BadRequestException) as raised:
        VmApi(client).get_vms({"where": {"status": "FLYING"}})
    error = raised.value
    assert not isinstance(error, ResourceLockedException)  # a bad request without a code is no lock
    assert error.code is None
    check_error(error, 400, "Bad Request", error.message, "/get-vms")
    assert "body.where.status" in error.message and "FLYING" in error.message
    assert [request.status for request in sent(demo)] == [400]


@pytest.mark.parametrize("status, reason, retry_after", [
    (500, "Internal Server Error", None),
    (502, "Bad Gateway", None),
    (503, "Service Unavailable", 7),
])
def test_5xx_answers_are_service_exceptions(demo, client, status, reason, retry_after):
    client.configuration.retries = 0  # the error itself (tests/test_retries.py: the retries)
    fault = demo.faults.add("status", operation="/get-vms", status=status, retry_after=retry_after, count=5,
                            message="went wrong %d" % status)
    with pytest.raises(ServiceException) as raised:
        VmApi(client).get_vms({})
    error = raised.value
    check_error(error, status, reason, "went wrong %d" % status, error.path)
    assert error.path.endswith("/get-vms")
    assert error.headers.get("Retry-After") == (None if retry_after is None else str(retry_after))
    assert fault.count == 4  # one answer: no retry


def test_an_unlisted_status_is_a_plain_api_exception(demo, client):
    demo.faults.add("status", operation="/get-vms", status=409, message="conflict")
    with pytest.raises(ApiException) as raised:
        VmApi(client).get_vms({})
    assert type(raised.value) is ApiException
    assert raised.value.status == 409 and raised.value.message == "conflict"


def test_403_is_a_forbidden_exception(recorder, recorder_client):
    # Recorder: the simulator lets every logged-in user do everything, so it never answers 403.
    body = {"message": "went wrong 403", "status": 403, "path": "/get-vms", "code": "Code403"}
    recorder.script("/get-vms", Reply(403, json=body, headers={"x-tower-request-id": "rid-403"}))
    with pytest.raises(ForbiddenException) as raised:
        VmApi(recorder_client).get_vms({})
    error = raised.value
    check_error(error, 403, "Forbidden", "went wrong 403", "/get-vms")
    assert error.code == "Code403"
    assert error.request_id == "rid-403"
    assert len(recorder.requests) == 1  # an error answer is not retried


def test_resource_locked(demo, client):
    vm = stopped_vm(client)
    api = VmApi(client)
    api.start_vm({"where": {"id": vm.id}})  # its task holds the VM until advance_tasks()
    with pytest.raises(ResourceLockedException) as raised:
        api.update_vm({"where": {"id": vm.id}, "data": {"description": "changed"}})
    error = raised.value
    assert isinstance(error, BadRequestException)
    locked = [{"id": vm.id, "type": "VM"}]
    check_error(error, 400, "Bad Request", "Resource [VM-%s] locked" % vm.id, "/update-vm-basic-info")
    assert error.code == "ResourceLocked"
    assert error.locked_resources == locked
    assert error.props == {"locked_resources": locked}
    demo.advance_tasks()
    assert api.update_vm({"where": {"id": vm.id}, "data": {"description": "changed"}})[0].task_id


def test_resource_locked_without_props(recorder, recorder_client):
    # Recorder: the simulator's lock errors always carry props.
    recorder.script("/get-vms", (400, {}, {"code": "ResourceLocked", "message": "locked"}))
    with pytest.raises(ResourceLockedException) as raised:
        VmApi(recorder_client).get_vms({})
    assert raised.value.locked_resources == []


@pytest.mark.parametrize("body", [b"<html><body>502 Bad Gateway</body></html>", b"", b"\xff\xfe not utf-8",
                                  b'"just a string"', b"[1, 2]"])
def test_an_error_body_that_is_not_a_cloudtower_error(recorder, recorder_client, body):
    # Recorder: the simulator's error bodies are always CloudTower errors (as a proxy's are not).
    recorder.script("/get-vms", (502, {"Content-Type": "text/html"}, body))
    with pytest.raises(ServiceException) as raised:
        VmApi(recorder_client).get_vms({})
    error = raised.value
    assert error.status == 502
    assert error.message is None and error.code is None and error.props is None
    assert error.request_id == recorder.last.request_id
    if body.startswith(b"<html>"):
        assert "502 Bad Gateway" in error.body and "502 Bad Gateway" in str(error)


@pytest.mark.parametrize("call", ["no token", "no such host"])
def test_an_error_message_in_chinese(demo, client, make_client, call):
    # content_language="zh-CN" makes CloudTower answer errors in Chinese; str(error) must not fail
    # on them (on Python 2 neither).
    if call == "no token":
        with pytest.raises(UnauthorizedException) as raised:
            VmApi(make_client(Configuration(host=demo.url))).get_vms({}, content_language="zh-CN")
        expected = u"\u672a\u6388\u6743"  # "unauthorized"
    else:
        vm = stopped_vm(client)
        with pytest.raises(NotFoundException) as raised:
            VmApi(client).start_vm({"where": {"id": vm.id}, "data": {"host_id": "nohost"}},
                                   content_language="zh-CN")
        expected = u"\u672a\u627e\u5230Host nohost"  # "not found: Host nohost"
    error = raised.value
    assert expected in error.message
    text = str(error)
    if isinstance(text, bytes):  # Python 2
        text = text.decode("utf-8")
    assert error.message in text


def test_error_in_with_http_info(demo, make_client):
    with pytest.raises(UnauthorizedException):
        VmApi(make_client(Configuration(host=demo.url))).get_vms_with_http_info({})


def test_error_with_preload_content_false_still_raises(demo, make_client):
    with pytest.raises(UnauthorizedException) as raised:
        VmApi(make_client(Configuration(host=demo.url))).get_vms({}, _preload_content=False)
    assert raised.value.status == 401


def test_a_connection_closed_without_an_answer(demo, client):
    fault = demo.faults.add("drop", operation="/get-vms", count=10)
    with pytest.raises(urllib3.exceptions.HTTPError):
        VmApi(client).get_vms({})
    assert fault.count < 10  # the server got the request and hung up


def test_a_connection_refused(start_simulator, make_client):
    sim = start_simulator()
    client = sim.client()
    sim.stop()
    with pytest.raises(urllib3.exceptions.HTTPError):
        VmApi(make_client(client.configuration)).get_vms({}, _request_timeout=5)


def test_exceptions_are_importable_from_their_module():
    for name in ("ApiException", "ApiTypeError", "ApiValueError", "ApiKeyError", "OpenApiException"):
        assert issubclass(getattr(exceptions, name), exceptions.OpenApiException)
    assert issubclass(exceptions.ApiTypeError, TypeError)
    assert issubclass(exceptions.ApiValueError, ValueError)
    assert issubclass(exceptions.ApiKeyError, KeyError)


def test_api_exception_built_by_hand():
    error = ApiException(status=0, reason="SSLError")
    assert error.status == 0 and error.reason == "SSLError"
    assert error.body is None and error.headers is None and error.request_id is None
    assert "SSLError" in str(error)
