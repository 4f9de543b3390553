"""Fixtures of the runtime tests: a real recording HTTP(S) server on 127.0.0.1 (tests/recorder.py)
and SDK clients pointed at it.

tests/data/localhost.crt and tests/data/localhost.key are a TEST-ONLY self-signed certificate and
its (public) private key, for 127.0.0.1 and localhost; they protect nothing.
"""
from __future__ import absolute_import

import logging
import os
import threading

import pytest

from recorder import HANDLER_THREAD_PREFIX, Recorder

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
CERT_FILE = os.path.join(DATA, "localhost.crt")
KEY_FILE = os.path.join(DATA, "localhost.key")

# A made-up token: tests compare against it, it opens nothing.
TOKEN = "tok-3f1e0b-test"


class Factory(object):
    """A fixture's factory: calls `make` and remembers what it made, for `end` after the test."""

    def __init__(self, make, end):
        self.make, self.end, self.made = make, end, []

    def __call__(self, *args, **kwargs):
        item = self.make(*args, **kwargs)
        self.made.append(item)
        return item

    def end_all(self):
        for item in self.made:
            self.end(item)


@pytest.fixture
def start_server():
    """`start_server(**options)`: a started `Recorder` (see tests/recorder.py), stopped after the test."""
    factory = Factory(lambda **options: Recorder(**options).start(), Recorder.stop)
    yield factory
    factory.end_all()


@pytest.fixture
def server(start_server):
    """A recording HTTP server, one per test."""
    return start_server()


@pytest.fixture
def tls_server(start_server):
    """A recording HTTPS server with the test-only self-signed certificate."""
    return start_server(tls=True, certfile=CERT_FILE, keyfile=KEY_FILE)


@pytest.fixture
def cert_file():
    return CERT_FILE


@pytest.fixture
def key_file():
    return KEY_FILE


@pytest.fixture
def token():
    return TOKEN


@pytest.fixture
def config(server):
    """A `Configuration` for `server`, logged in with `TOKEN`."""
    from cloudtower import Configuration
    configuration = Configuration(host=server.host)
    configuration.api_key["Authorization"] = TOKEN
    return configuration


@pytest.fixture
def make_client():
    """`make_client(configuration, **kwargs)`: an `ApiClient`, closed after the test."""
    from cloudtower import ApiClient
    factory = Factory(ApiClient, ApiClient.close)
    yield factory
    factory.end_all()


@pytest.fixture
def client(config, make_client):
    """An `ApiClient` for `server`, logged in with `TOKEN`."""
    return make_client(config)


@pytest.fixture
def sdk_threads():
    """`sdk_threads()`: the live threads started during the test that are not the server's."""
    before = set(threading.enumerate())

    def current():
        return [thread for thread in threading.enumerate()
                if thread not in before and thread.is_alive()
                and not thread.name.startswith(HANDLER_THREAD_PREFIX)]
    return current


@pytest.fixture
def vm_json():
    """`vm_json(**fields)`: a VM as the server sends it (JSON keys), with nested resources."""
    def make(**fields):
        vm = {
            "id": "vm-1",
            "name": "web-1",
            "status": "RUNNING",
            "vcpu": 4,
            "memory": 8589934592,
            "cpu_usage": 12.5,
            "ha": True,
            "entityAsyncStatus": None,
            "cluster": {"id": "cl-1", "name": "cluster-a"},
            "host": None,
            "vm_disks": [{"id": "d-1"}, {"id": "d-2"}],
            "vm_nics": [],
            "labels": [{"id": "l-1"}],
            "out_uninstall_usb": ["usb-1"],
            "guest_os_type": "LINUX",
        }
        vm.update(fields)
        return vm
    return make


@pytest.fixture
def changes_json():
    """`changes_json(current, compact="1", events=())`: a /resource-changes answer."""
    def make(current, compact="1", events=()):
        return {"currentRevision": current, "compactRevision": compact, "data": list(events), "ec": ""}
    return make


@pytest.fixture
def restore_logging():
    """Puts back the levels and handlers of the loggers `Configuration.debug` changes."""
    loggers = [logging.getLogger(name) for name in ("cloudtower", "cloudtower.rest", "urllib3")]
    saved = [(logger, logger.level, list(logger.handlers)) for logger in loggers]
    yield
    for logger, level, handlers in saved:
        for handler in list(logger.handlers):
            if handler not in handlers:
                logger.removeHandler(handler)
                handler.close()
        logger.setLevel(level)


@pytest.fixture
def restore_default_configuration():
    """Forgets a default set with `Configuration.set_default` during the test."""
    from cloudtower import Configuration
    yield
    Configuration.set_default(None)
