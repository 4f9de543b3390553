"""Fixtures of the runtime tests.

Tests that need a CloudTower talk to the simulator (cloudtower.simulator) over real HTTP on
loopback: `demo`, one demo estate per test module put back to its seed before each test (its
tasks end only on `advance_tasks()`), with `token`, `config` and `client` logged in to it; `sim`,
a fresh empty one per test; `start_simulator(**options)` for any other. `sent(sim)` reads what a
simulator received from its journal.

Tests that must script an answer the simulator never gives, or see what its journal does not
show (the query string, the client's address, the proxy's view), use the recording server of
tests/recorder.py: `recorder`, `recorder_config`, `recorder_client`, `start_recorder(**options)`.

tests/data/localhost.crt and tests/data/localhost.key are a TEST-ONLY self-signed certificate and
its (public) private key, for 127.0.0.1 and localhost; they protect nothing.
"""
from __future__ import absolute_import

import json
import logging
import os
import threading

import pytest

from cloudtower.simulator import Simulator
from recorder import HANDLER_THREAD_PREFIX, Recorder, parse_multipart

try:
    from socketserver import BaseServer
except ImportError:  # Python 2
    from SocketServer import BaseServer

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
CERT_FILE = os.path.join(DATA, "localhost.crt")
KEY_FILE = os.path.join(DATA, "localhost.key")

# A made-up token for the recorder: tests compare against it, it opens nothing.
RECORDER_TOKEN = "tok-3f1e0b-test"
SIMULATOR_THREAD_PREFIX = "cloudtower-simulator"


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
def cert_file():
    return CERT_FILE


@pytest.fixture
def key_file():
    return KEY_FILE


@pytest.fixture
def make_client():
    """`make_client(configuration, **kwargs)`: an `ApiClient`, closed after the test."""
    from cloudtower import ApiClient
    factory = Factory(ApiClient, ApiClient.close)
    yield factory
    factory.end_all()


# -- the simulator --------------------------------------------------------------------------------

@pytest.fixture
def start_simulator():
    """`start_simulator(**options)`: a started `Simulator` (see its docstring), stopped after the test."""
    factory = Factory(lambda **options: Simulator(**options).start(), Simulator.stop)
    yield factory
    factory.end_all()


@pytest.fixture
def sim():
    """A fresh empty simulator whose tasks end only on `advance_tasks()`."""
    with Simulator(seed="empty", task_delay=None) as simulator:
        yield simulator


@pytest.fixture(scope="module")
def demo_simulator():
    """The demo estate of one test module, and a token of root (tokens outlive `reset()`)."""
    with Simulator(seed="demo", task_delay=None) as simulator:
        client = simulator.client()
        token = client.configuration.api_key["Authorization"]
        client.close()
        yield simulator, token


@pytest.fixture
def demo(demo_simulator):
    """The module's demo simulator, back to its seed: no change, task, fault or journal entry."""
    simulator = demo_simulator[0]
    simulator.reset()
    return simulator


@pytest.fixture
def token(demo_simulator):
    """A login token of root on `demo`."""
    return demo_simulator[1]


def logged_in(host, token):
    """A `Configuration` for the API at `host` that sends `token`."""
    from cloudtower import Configuration
    configuration = Configuration(host=host)
    configuration.api_key["Authorization"] = token
    return configuration


@pytest.fixture
def config(demo, token):
    """A `Configuration` for `demo`, logged in with `token`."""
    return logged_in(demo.url, token)


@pytest.fixture
def client(config, make_client):
    """An `ApiClient` for `demo`, logged in with `token`."""
    return make_client(config)


class Sent(object):
    """One request in a simulator's journal: `method`, `path`, `headers` (lower-case names),
    `body` (bytes), `status` (of the answer), and `json` / `form` / `files` of the body."""

    def __init__(self, entry):
        self.method, self.path, headers, self.body, self.status = entry
        self.headers = dict((name.lower(), value) for name, value in headers.items())

    @property
    def json(self):
        return json.loads(self.body.decode("utf-8")) if self.body else None

    @property
    def form(self):
        """The text fields of a multipart body."""
        return parse_multipart(self.headers["content-type"], self.body)[0]

    @property
    def files(self):
        """The file fields of a multipart body: name -> (filename, content type, bytes)."""
        return parse_multipart(self.headers["content-type"], self.body)[1]

    def __repr__(self):
        return "<Sent %s %s %s>" % (self.method, self.path, self.status)


def sent_to(simulator, path=None):
    """What `simulator` journaled, oldest first, as `Sent`; with `path` (`/get-vms`, `/api` or a
    full path) only the requests to it."""
    entries = [Sent(entry) for entry in list(simulator.requests)]
    if path is None:
        return entries
    return [entry for entry in entries if path in (entry.path, entry.path[len("/v2/api"):])]


@pytest.fixture
def sent():
    """`sent(simulator, path=None)`: the requests a simulator received (see `sent_to`)."""
    return sent_to


@pytest.fixture
def tls_sim(start_simulator):
    """A demo simulator serving HTTPS with the test-only self-signed certificate."""
    return start_simulator(seed="demo", task_delay=None, cert=CERT_FILE, key=KEY_FILE)


# -- the recording server -------------------------------------------------------------------------

@pytest.fixture
def start_recorder():
    """`start_recorder(**options)`: a started `Recorder` (see tests/recorder.py), stopped after the test."""
    factory = Factory(lambda **options: Recorder(**options).start(), Recorder.stop)
    yield factory
    factory.end_all()


@pytest.fixture
def recorder(start_recorder):
    """A recording HTTP server, one per test."""
    return start_recorder()


@pytest.fixture
def recorder_token():
    return RECORDER_TOKEN


@pytest.fixture
def recorder_config(recorder):
    """A `Configuration` for `recorder`, logged in with `RECORDER_TOKEN`."""
    return logged_in(recorder.host, RECORDER_TOKEN)


@pytest.fixture
def recorder_client(recorder_config, make_client):
    """An `ApiClient` for `recorder`, logged in with `RECORDER_TOKEN`."""
    return make_client(recorder_config)


@pytest.fixture
def vm_json():
    """`vm_json(**fields)`: a VM as a server sends it (JSON keys), with nested resources."""
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


# -- the process ----------------------------------------------------------------------------------

def _serves_http(thread):
    """True for a thread of a test server (the simulator's or the recorder's), not the SDK's."""
    if thread.name.startswith((SIMULATOR_THREAD_PREFIX, HANDLER_THREAD_PREFIX)):
        return True
    target = getattr(thread, "_target", None) or getattr(thread, "_Thread__target", None)
    return isinstance(getattr(target, "__self__", None), BaseServer)  # a connection's handler


def _has_target(thread):
    return (getattr(thread, "_target", None) or getattr(thread, "_Thread__target", None)) is not None


@pytest.fixture
def sdk_threads():
    """`sdk_threads()`: the live threads started during the test that are not a test server's."""
    before = set(threading.enumerate())

    def current():
        new = [thread for thread in threading.enumerate() if thread not in before]
        for thread in new:
            if not _has_target(thread) and thread is not threading.current_thread():
                thread.join(5)  # its work is done (Thread.run dropped its target): it is ending
        return [thread for thread in new if thread.is_alive() and not _serves_http(thread)]
    return current


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
