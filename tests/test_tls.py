"""HTTPS with the test-only self-signed certificate of tests/data (127.0.0.1 and localhost)."""
from __future__ import absolute_import

import ssl
import warnings

import pytest
import urllib3

from cloudtower import ApiException, Configuration, VmApi


def tls_config(tls_server, token, host=None):
    configuration = Configuration(host=(host or tls_server.url) + "/v2/api")
    configuration.api_key["Authorization"] = token
    return configuration


def is_certificate_failure(error):
    """True for the ways a failed certificate check can surface: `ApiException` status 0, or a
    urllib3 SSL error (directly, or as the reason of `MaxRetryError` after the retries)."""
    if isinstance(error, ApiException):
        return error.status == 0 and "SSL" in str(error.reason)
    if isinstance(error, urllib3.exceptions.MaxRetryError):
        error = error.reason
    return isinstance(error, (urllib3.exceptions.SSLError, ssl.SSLError))


def test_the_certificate_is_not_trusted_by_default(tls_server, token, make_client):
    client = make_client(tls_config(tls_server, token))
    with pytest.raises(Exception) as raised:
        VmApi(client).get_vms({})
    assert is_certificate_failure(raised.value), repr(raised.value)
    assert tls_server.requests == []
    assert tls_server.failed_handshakes >= 1


def test_a_failed_certificate_check_without_retries_is_status_0(tls_server, token, make_client):
    # With urllib3's default retries the SSLError comes back wrapped in MaxRetryError (see the test
    # above); without retries the SDK turns it into ApiException(status=0).
    configuration = tls_config(tls_server, token)
    configuration.retries = False
    with pytest.raises(ApiException) as raised:
        VmApi(make_client(configuration)).get_vms({})
    assert raised.value.status == 0
    assert "CERTIFICATE_VERIFY_FAILED" in raised.value.reason or "certificate" in raised.value.reason.lower()
    assert tls_server.requests == []


@pytest.mark.parametrize("name", ["127.0.0.1", "localhost"])
def test_the_certificate_as_ca(tls_server, token, make_client, cert_file, name):
    # SDK BUG on Python 2 (left failing there on purpose): urllib3 1.26 matches IP addresses in a
    # certificate's subjectAltName only when the `ipaddress` backport is installed, and setup.py does
    # not require it (`ipaddress; python_version < "3"`), so `https://<ip>` never verifies on 2.7.
    configuration = tls_config(tls_server, token, host="https://%s:%d" % (name, tls_server.port))
    configuration.ssl_ca_cert = cert_file
    vms = VmApi(make_client(configuration)).get_vms({"first": 1})
    assert vms == []
    assert tls_server.last.path == "/v2/api/get-vms"
    assert tls_server.last.json == {"first": 1}
    assert tls_server.last.headers["authorization"] == token


def test_the_ca_as_constructor_argument(tls_server, token, make_client, cert_file):
    configuration = Configuration(host="https://localhost:%d/v2/api" % tls_server.port, ssl_ca_cert=cert_file)
    assert VmApi(make_client(configuration)).get_vms({}) == []


def test_verify_ssl_false_accepts_the_certificate(tls_server, token, make_client):
    configuration = tls_config(tls_server, token)
    configuration.verify_ssl = False
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", urllib3.exceptions.InsecureRequestWarning)
        tls_server.script("/get-vms", [{"id": "vm-1"}])
        vms = VmApi(make_client(configuration)).get_vms({})
    assert vms[0].id == "vm-1"
    assert tls_server.last.headers["authorization"] == token


def test_assert_hostname_mismatch_fails(tls_server, token, make_client, cert_file):
    configuration = tls_config(tls_server, token)
    configuration.ssl_ca_cert = cert_file
    configuration.assert_hostname = "tower.example.com"
    with pytest.raises(Exception) as raised:
        VmApi(make_client(configuration)).get_vms({})
    assert is_certificate_failure(raised.value), repr(raised.value)
    assert tls_server.requests == []


def test_assert_hostname_names_the_certificate(tls_server, token, make_client, cert_file):
    configuration = tls_config(tls_server, token)
    configuration.ssl_ca_cert = cert_file
    configuration.assert_hostname = "localhost"
    assert VmApi(make_client(configuration)).get_vms({}) == []


def test_client_certificate(start_server, token, make_client, cert_file, key_file):
    server = start_server(tls=True, certfile=cert_file, keyfile=key_file, client_ca=cert_file)
    configuration = tls_config(server, token, host="https://localhost:%d" % server.port)
    configuration.ssl_ca_cert = cert_file
    configuration.cert_file = cert_file
    configuration.key_file = key_file
    assert VmApi(make_client(configuration)).get_vms({}) == []
    subject = dict(item[0] for item in server.last.peer_certificate["subject"])
    assert subject["commonName"] == "localhost"


def test_no_client_certificate_is_refused(start_server, token, make_client, cert_file, key_file):
    server = start_server(tls=True, certfile=cert_file, keyfile=key_file, client_ca=cert_file)
    configuration = tls_config(server, token)
    configuration.ssl_ca_cert = cert_file
    configuration.retries = False
    with pytest.raises(Exception):
        VmApi(make_client(configuration)).get_vms({})
    assert server.requests == []
