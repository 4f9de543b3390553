"""Header parameters: every one the spec declares is an optional keyword of its Api methods, sent
as its header and type-checked like the other parameters; and the version strings the client
sends and reports name the API it speaks."""
from __future__ import absolute_import

import pytest

import cloudtower
from cloudtower import ApiTypeError, ApiValueError, Configuration, MetricsApi, VmApi
from cloudtower.models import SPEC_VERSION


def last(sim, sent):
    requests = sent(sim)
    assert requests, "the simulator received no request"
    return requests[-1]


def test_external_cloudtower_id_is_sent_as_its_header(demo, client, sent):
    VmApi(client).get_vms({"first": 1}, external_cloudtower_id="tower-b")
    request = last(demo, sent)
    assert request.status == 200
    assert request.headers["external-cloudtower-id"] == "tower-b"
    assert "content-language" not in request.headers


def test_every_header_given_is_sent_and_none_is_not(demo, client, sent):
    api = VmApi(client)
    api.get_vms_with_http_info({}, content_language="zh-CN", external_cloudtower_id="tower-b")
    assert last(demo, sent).headers["content-language"] == "zh-CN"
    assert last(demo, sent).headers["external-cloudtower-id"] == "tower-b"
    api.get_vms({}, external_cloudtower_id=None)
    assert "external-cloudtower-id" not in last(demo, sent).headers


def test_a_header_of_the_wrong_type_is_refused_naming_the_parameter(demo, client, sent):
    with pytest.raises(ApiTypeError) as raised:
        VmApi(client).get_vms({}, external_cloudtower_id=42)
    assert "external_cloudtower_id" in str(raised.value)
    with pytest.raises(ApiValueError) as raised:
        VmApi(client).get_vms({}, content_language="fr-FR")
    assert "content_language" in str(raised.value)
    assert sent(demo) == []


def test_an_operation_takes_only_the_headers_it_declares(demo, client, sent):
    api = MetricsApi(client)  # the metrics operations take no content-language
    assert api.get_vm_metrics.operation.headers == (
        ("external_cloudtower_id", "external-cloudtower-id", "str"),)
    with pytest.raises(ApiTypeError) as raised:
        api.get_vm_metrics({}, content_language="zh-CN")
    assert "content_language" in str(raised.value)
    assert sent(demo) == []


def test_every_operation_lists_its_optional_keywords():
    from cloudtower import api as api_package
    count = 0
    for name in api_package.APIS:
        cls = getattr(api_package, name)
        for attribute in dir(cls):
            method = getattr(cls, attribute)
            operation = getattr(method, "operation", None)
            if operation is None or attribute.endswith("_with_http_info"):
                continue
            count += 1
            assert "external_cloudtower_id" in operation.optional, attribute
            headers = set(keyword for keyword, _, _ in operation.headers)
            assert headers <= operation.optional
    assert count >= 577


def test_user_agent_and_debug_report_name_the_api_version(make_client):
    client = make_client(Configuration(host="http://127.0.0.1:9/v2/api"))
    assert client.user_agent == "cloudtower-python-sdk/%s/python (API %s)" % (cloudtower.__version__,
                                                                               SPEC_VERSION)
    report = Configuration().to_debug_report()
    assert "Version of the API: %s" % SPEC_VERSION in report
    assert "SDK Package Version: %s" % cloudtower.__version__ in report
