"""HTTPS with the test-only self-signed certificate of tests/data (127.0.0.1 and localhost), served
by the simulator; the recorder where the server must ask for a client certificate."""
from __future__ import absolute_import

import shutil
import ssl
import subprocess
import warnings

import certifi
import pytest
import urllib3

from cloudtower import ApiException, ApiTLSError, Configuration, VmApi
from cloudtower.utils import login


@pytest.fixture
def tls_token(tls_sim):
    """A login token of root on `tls_sim` (logged in over verified HTTPS)."""
    client = tls_sim.client()
    token = client.configuration.api_key["Authorization"]
    client.close()
    tls_sim.requests.clear()
    return token


def tls_config(tls_sim, token, host=None):
    configuration = Configuration(host=(host or "https://127.0.0.1:%d" % tls_sim.port) + "/v2/api")
    configuration.api_key["Authorization"] = token
    return configuration


def is_certificate_failure(error):
    """True for a failed certificate check: `ApiTLSError` (status 0), which is also the urllib3
    error the official SDK raises (`MaxRetryError` with an SSL error as its reason)."""
    return (isinstance(error, ApiTLSError) and error.status == 0 and "SSL" in str(error.reason)
            and isinstance(error, urllib3.exceptions.MaxRetryError)
            and isinstance(error.original.reason, (urllib3.exceptions.SSLError, ssl.SSLError)))


def test_the_certificate_is_not_trusted_by_default(tls_sim, tls_token, make_client, sent):
    client = make_client(tls_config(tls_sim, tls_token))
    with pytest.raises(ApiException) as raised:
        VmApi(client).get_vms({})
    assert is_certificate_failure(raised.value), repr(raised.value)
    assert sent(tls_sim) == []


def test_a_failed_certificate_check_is_status_0_and_not_retried(tls_sim, tls_token, make_client, sent, caplog):
    configuration = tls_config(tls_sim, tls_token)
    with pytest.raises(ApiException) as raised:
        VmApi(make_client(configuration)).get_vms({})
    assert raised.value.status == 0
    assert "CERTIFICATE_VERIFY_FAILED" in raised.value.reason or "certificate" in raised.value.reason.lower()
    assert sent(tls_sim) == []
    assert not [record for record in caplog.records if record.name == "cloudtower.retry"]


@pytest.mark.parametrize("name", ["127.0.0.1", "localhost"])
def test_the_certificate_as_ca(tls_sim, tls_token, make_client, cert_file, sent, name):
    # On Python 2, urllib3 1.26 matches IP addresses in a certificate's subjectAltName only with the
    # `ipaddress` backport: the py27 test env installs it, but setup.py does not require it (an SDK
    # gap: `pip install` of the SDK on 2.7 cannot verify `https://<ip>`; `localhost` works there).
    configuration = tls_config(tls_sim, tls_token, host="https://%s:%d" % (name, tls_sim.port))
    configuration.ssl_ca_cert = cert_file
    vms = VmApi(make_client(configuration)).get_vms({"first": 1})
    assert len(vms) == 1 and vms[0].id
    request = sent(tls_sim)[-1]
    assert request.path == "/v2/api/get-vms" and request.status == 200
    assert request.json == {"first": 1}
    assert request.headers["authorization"] == tls_token


def test_the_ca_as_constructor_argument(tls_sim, tls_token, make_client, cert_file):
    configuration = Configuration(host="https://localhost:%d/v2/api" % tls_sim.port, ssl_ca_cert=cert_file)
    configuration.api_key["Authorization"] = tls_token
    assert len(VmApi(make_client(configuration)).get_vms({"first": 1})) == 1


def test_verify_ssl_false_accepts_the_certificate(tls_sim, tls_token, make_client, sent):
    configuration = tls_config(tls_sim, tls_token)
    configuration.verify_ssl = False
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", urllib3.exceptions.InsecureRequestWarning)
        vms = VmApi(make_client(configuration)).get_vms({"first": 1})
    assert len(vms) == 1 and vms[0].id
    assert sent(tls_sim)[-1].headers["authorization"] == tls_token


def test_assert_hostname_mismatch_fails(tls_sim, tls_token, make_client, cert_file, sent):
    configuration = tls_config(tls_sim, tls_token)
    configuration.ssl_ca_cert = cert_file
    configuration.assert_hostname = "tower.example.com"
    with pytest.raises(Exception) as raised:
        VmApi(make_client(configuration)).get_vms({})
    assert is_certificate_failure(raised.value), repr(raised.value)
    assert sent(tls_sim) == []


def test_assert_hostname_names_the_certificate(tls_sim, tls_token, make_client, cert_file):
    configuration = tls_config(tls_sim, tls_token)
    configuration.ssl_ca_cert = cert_file
    configuration.assert_hostname = "localhost"
    assert len(VmApi(make_client(configuration)).get_vms({"first": 1})) == 1


def client_certificate_server(start_recorder, cert_file, key_file):
    # Recorder: the simulator asks no client for a certificate, nor shows the one it got.
    return start_recorder(tls=True, certfile=cert_file, keyfile=key_file, client_ca=cert_file)


def test_client_certificate(start_recorder, recorder_token, make_client, cert_file, key_file):
    server = client_certificate_server(start_recorder, cert_file, key_file)
    configuration = Configuration(host="https://localhost:%d/v2/api" % server.port)
    configuration.api_key["Authorization"] = recorder_token
    configuration.ssl_ca_cert = cert_file
    configuration.cert_file = cert_file
    configuration.key_file = key_file
    assert VmApi(make_client(configuration)).get_vms({}) == []
    subject = dict(item[0] for item in server.last.peer_certificate["subject"])
    assert subject["commonName"] == "localhost"


def test_no_client_certificate_is_refused(start_recorder, recorder_token, make_client, cert_file, key_file):
    server = client_certificate_server(start_recorder, cert_file, key_file)
    configuration = Configuration(host=server.host)
    configuration.api_key["Authorization"] = recorder_token
    configuration.ssl_ca_cert = cert_file
    configuration.retries = False
    with pytest.raises(Exception):
        VmApi(make_client(configuration)).get_vms({})
    assert server.requests == []


# -- the default trust: Python's, as in the official SDK --------------------------------------------

@pytest.fixture
def no_trust_settings(monkeypatch):
    """The test process with no SSL_CERT_FILE / SSL_CERT_DIR of its own (they may be set after)."""
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    return monkeypatch


def test_ssl_cert_file_is_trusted_without_ssl_ca_cert(tls_sim, make_client, cert_file, no_trust_settings, sent):
    # CloudTower often runs with a private CA that the system trusts, or SSL_CERT_FILE names.
    no_trust_settings.setenv("SSL_CERT_FILE", cert_file)
    client = make_client(Configuration(host="https://localhost:%d/v2/api" % tls_sim.port))
    login(client, "root", "root")
    vms = VmApi(client).get_vms({"first": 1})
    assert len(vms) == 1 and vms[0].id
    assert [request.path for request in sent(tls_sim)] == ["/v2/api/login", "/v2/api/get-vms"]


def test_ssl_cert_dir_is_trusted_without_ssl_ca_cert(tls_sim, tls_token, make_client, cert_file, tmpdir,
                                                     no_trust_settings):
    # A folder of CA certificates named by their subject hash (`openssl rehash`).
    try:
        subject_hash = subprocess.check_output(["openssl", "x509", "-hash", "-noout", "-in", cert_file])
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("no openssl command to name the certificate by its subject hash")
    folder = tmpdir.mkdir("certs")
    shutil.copy(cert_file, str(folder.join(subject_hash.decode("ascii").strip() + ".0")))
    no_trust_settings.setenv("SSL_CERT_DIR", str(folder))
    no_trust_settings.setenv("SSL_CERT_FILE", str(tmpdir.join("none.pem")))
    configuration = tls_config(tls_sim, tls_token, host="https://localhost:%d" % tls_sim.port)
    assert len(VmApi(make_client(configuration)).get_vms({"first": 1})) == 1


def test_without_trust_settings_the_default_trust_store_is_used(tls_sim, tls_token, make_client,
                                                                 no_trust_settings):
    # No CA bundle of the SDK's own where Python has a trust store (certifi only where it has none).
    client = make_client(tls_config(tls_sim, tls_token))
    paths = ssl.get_default_verify_paths()
    expected = None if (paths.cafile or paths.capath) else certifi.where()
    assert client.rest_client.pool_manager.connection_pool_kw["ca_certs"] == expected
    with pytest.raises(ApiTLSError):  # the test certificate is in neither
        VmApi(client).get_vms({})
