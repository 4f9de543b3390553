"""A CloudTower on loopback: a stateful fake of the whole API, for scripts and tests.

    from cloudtower.simulator import Simulator
    from cloudtower import VmApi

    with Simulator(seed="demo", task_delay=0.05) as sim:
        client = sim.client()                       # an ApiClient, logged in as root
        vms = VmApi(client).get_vms({"where": {"status": "RUNNING"}})

Or from a shell: `python -m cloudtower.simulator --port 8090` (see `--help`).

It answers all operations of the spec: queries with the full where/orderBy/pagination
semantics, mutations that run as tasks and lock what they touch, uploads, resource-change
events, and faults on demand. State lives in memory, or in a `--state` file across restarts
(a snapshot and a journal of every change answered since: see `statefile`).
"""
from __future__ import absolute_import

import collections
import gc
import json
import logging
import ssl
import threading
import time

from cloudtower.simulator import builtin, faults as faults_module, workflows  # noqa: F401 - registers handlers
from cloudtower.simulator.catalog import catalog as _catalog
from cloudtower.simulator.handlers import registration_problems
from cloudtower.simulator.server import API_BASE, IDLE_TIMEOUT, Dispatcher, Server, _Handler
from cloudtower.simulator.statefile import StateFile
from cloudtower.simulator.store import Clock, Store
from cloudtower.simulator.tasks import Tasks

__all__ = ["Simulator"]

logger = logging.getLogger("cloudtower.simulator")

DEFAULT_USER = ("root", "root")
SYNC_INTERVAL = 0.5  # seconds between fsyncs of the --state journal
LARGE_ESTATE = 20000  # records: a larger estate is kept out of the garbage collector's passes, and
                      # reset() builds its seed again instead of keeping a copy


class Simulator(object):
    """A simulated CloudTower serving HTTP on loopback, in threads of this process.

    `seed` is `demo` (a small realistic estate), `empty`, or the path of a JSON file (a saved
    state). `task_delay` is how long a task takes (None: tasks only move on `advance_tasks()`).
    `users` adds LOCAL users (`"name:password"`) or LDAP users (`"ldap:name:password"`).
    `state` keeps everything in a file across restarts: every change is journaled before it is
    answered, and the journal is compacted into the file once it holds `compact_after` bytes
    (default: as many as the file). `cert`/`key` serve HTTPS. `vms` scales
    the demo estate to that many VMs. `idle_timeout` is how many seconds a connection may stay
    silent before it is closed (None: never). `freeze_gc` keeps a large estate out of the garbage
    collector's passes while serving (faster; a process-wide setting the command line uses).

    `endpoints=2` (or more) serves the estate as an active-passive CloudTower (4.9.0) does, on
    that many endpoints (`urls`; `url` is the active one, the first at the start): the active
    endpoint answers `GET /api/healthz` with 200 and the API as usual; a passive one answers
    everything, the probe included, with 307 and a `Location` on the active endpoint. A token is
    valid on every endpoint. `failover()` makes the next endpoint the active one. With `port`,
    endpoint i listens on `port + i`.
    """

    def __init__(self, seed="demo", task_delay=0.05, host="127.0.0.1", port=0, users=(), state=None,
                 cert=None, key=None, vms=None, max_events=10000, journal_size=1000, freeze_gc=False,
                 idle_timeout=IDLE_TIMEOUT, compact_after=None, endpoints=1):
        if isinstance(endpoints, bool) or not isinstance(endpoints, int) or endpoints < 1:
            raise ValueError("endpoints must be a number of endpoints, 1 or more, not %r" % (endpoints,))
        self.endpoints = endpoints
        self.active_endpoint = 0
        self.ports = [0] * endpoints
        self.seed = seed
        self.task_delay = task_delay
        self.host = host
        self.port = port
        self.users = list(users)
        self.state_path = state
        self.compact_after = compact_after
        self.cert = cert
        self.key = key
        self.vms = vms
        self.idle_timeout = idle_timeout
        self.catalog = _catalog()
        for problem in registration_problems(self.catalog):
            logger.warning("simulator: %s", problem)
        self.faults = faults_module.Faults(known_paths=self.catalog.operations)
        self.freeze_gc = freeze_gc
        self.clock = Clock()
        self.store = Store(self.catalog, self.clock, max_events=max_events)
        self.tasks = Tasks(self.store, task_delay, self.faults)
        self.requests = collections.deque(maxlen=journal_size)
        self._seed_state = None
        self._frozen = False
        self._server = None
        self._servers = []
        self._threads = []
        self._stopping = threading.Event()
        self._state = StateFile(state, self.store, compact_after) if state else None
        self._load()

    # -- lifecycle ---------------------------------------------------------------------------

    def _load(self):
        """The estate: loaded from the state file, or built from the seed. With `freeze_gc` the
        collector does not run while it is made, and a large estate is then kept out of its passes
        (see `_freeze`): otherwise the first collection after the build walks all of it."""
        collecting = gc.isenabled()
        if self.freeze_gc:
            gc.disable()
        try:
            self._load_estate()
            self._freeze()
        finally:
            if collecting:
                gc.enable()

    def _load_estate(self):
        loaded = self._state is not None and self._state.load()
        if loaded:
            self.store.track_changes()
            self._add_users(default=False)  # --user given on this start counts too
            self.tasks.fail_orphans()  # tasks saved while running have lost their work
            self._state.resume()
            self.commit()
            return
        self._build_seed()
        if sum(len(table) for table in self.store.tables.values()) < LARGE_ESTATE:
            # Kept for reset() as JSON text: loaded faster than the seed is built again.
            self._seed_state = json.dumps(self.store.dump(), separators=(",", ":"))
        if self._state is not None:
            self._state.create()
            self.store.track_changes()

    def _build_seed(self):
        """The estate of `seed` (and `vms`), with the users, in the (empty) store."""
        from cloudtower.simulator import seed as seeds
        seeds.build(self.store, self.seed, vms=self.vms)
        self._add_users()
        if self.seed not in ("demo", "empty"):
            self.tasks.fail_orphans()  # a saved state's tasks that were running have lost their work

    def _add_users(self, default=True):
        if default:
            builtin.add_user(self.store, *DEFAULT_USER)
        for spec in self.users:
            parts = spec.split(":") if hasattr(spec, "split") else list(spec)
            if len(parts) == 3 and parts[0].lower() == "ldap":
                self.add_ldap_user(parts[1], parts[2])
            elif len(parts) == 2:
                builtin.add_user(self.store, parts[0], parts[1])
            else:
                raise ValueError("a user is NAME:PASSWORD or ldap:NAME:PASSWORD, not %r" % (spec,))

    def add_ldap_user(self, username, password):
        """Add a user of the simulated LDAP server (logs in through its AUTHN strategy)."""
        with self.store.lock:
            strategies = self.store.settings.setdefault("authn_strategies", [])
            if not any(item["type"] == "LDAP" for item in strategies):
                strategies.append({"id": self.store.new_id(), "type": "LDAP"})
            builtin.add_user(self.store, username, password, source="LDAP")
            self.commit()

    def start(self):
        """Start serving; returns the simulator."""
        if self._server is not None:
            return self
        self._dispatcher = Dispatcher(self)
        servers = []
        try:
            for index in range(self.endpoints):
                servers.append(self._serve_endpoint(index))
        except Exception:
            for server in servers:
                server.server_close()
            raise
        self._servers = servers
        self._server = servers[0]
        self.ports = [server.server_address[1] for server in servers]
        self.port = self.ports[0]
        self._stopping.clear()
        threads = [threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                                    name="cloudtower-simulator-http-%d" % index)
                   for index, server in enumerate(servers)]
        threads.append(threading.Thread(target=self._tick, name="cloudtower-simulator-tasks"))
        for thread in threads:
            thread.daemon = True
            thread.start()
        self._threads = threads
        self._freeze()
        return self

    def _serve_endpoint(self, index):
        port = self.port + index if self.port else 0
        server = Server((self.host, port), _Handler, idle_timeout=self.idle_timeout, endpoint=index)
        server.simulator = self
        if self.cert:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER) if hasattr(ssl, "PROTOCOL_TLS_SERVER") \
                else ssl.SSLContext(ssl.PROTOCOL_SSLv23)
            try:
                context.load_cert_chain(self.cert, self.key)
                server.socket = context.wrap_socket(server.socket, server_side=True,
                                                    do_handshake_on_connect=False)  # see Server
            except Exception:
                server.server_close()
                raise
        return server

    def _freeze(self):
        """With `freeze_gc`, while a large estate is served, keep what the process holds out of
        the cyclic garbage collector's passes (Python 3.7+): a full pass walks every object, every
        record included, and answering 10,000 VMs makes enough objects to start several. It is a
        setting of the whole process, so only the command line (which owns its process) turns it
        on; `stop()` hands everything back. Called once the estate is made, and when serving
        starts (for what was made since)."""
        if not self.freeze_gc:
            return
        if hasattr(gc, "freeze") and sum(len(table) for table in self.store.tables.values()) >= LARGE_ESTATE:
            gc.freeze()
            self._frozen = True

    def stop(self):
        """Stop serving (and compact the journal into the state file, if there is one)."""
        if self._server is None:
            return
        self._stopping.set()
        for server in self._servers:
            server.shutdown()
        for server in self._servers:
            server.close_connections()
            server.server_close()
        for thread in self._threads:
            thread.join(5)
        self._server = None
        self._servers = []
        if self._frozen:
            gc.unfreeze()
            self._frozen = False
        if self._state is not None:
            self._state.close()

    def __enter__(self):
        return self.start()

    def __exit__(self, exc_type, exc_value, traceback):
        self.stop()

    def _tick(self):
        interval = 0.02 if self.task_delay is None else min(0.05, max(0.005, self.task_delay / 4.0))
        synced_at = time.time()
        while not self._stopping.wait(interval):
            try:
                with self.store.lock:
                    if self.task_delay is not None and self.tasks.jobs:
                        self.tasks.advance()
                    self.commit()
                if self._state is not None and time.time() - synced_at >= SYNC_INTERVAL:
                    synced_at = time.time()
                    self._state.sync()
                    if self._state.compaction_due():
                        self._state.compact_in_background()
            except Exception:  # noqa: BLE001 - a failed task or fsync must not stop the ticks
                logger.exception("simulator tick failed")

    # -- use ---------------------------------------------------------------------------------

    @property
    def url(self):
        """The API base URL (`http://127.0.0.1:<port>/v2/api`) of the active endpoint."""
        return self.urls[self.active_endpoint]

    @property
    def urls(self):
        """The API base URL of every endpoint, in endpoint order (not by role)."""
        return [root + API_BASE for root in self.root_urls]

    @property
    def root_urls(self):
        """The root URL of every endpoint (`http://127.0.0.1:<port>`), in endpoint order."""
        scheme = "https" if self.cert else "http"
        return ["%s://%s:%d" % (scheme, self.host, port) for port in self.ports]

    def failover(self):
        """Make the next endpoint the active one (the active becomes passive); returns its URL.
        Requests being answered meanwhile end as they began."""
        if self.endpoints < 2:
            raise ValueError("a simulator of one endpoint has no passive endpoint to fail over to "
                             "(Simulator(endpoints=2) serves two)")
        self.active_endpoint = (self.active_endpoint + 1) % self.endpoints
        logger.info("simulator: failed over; %s is active", self.url)
        return self.url

    def client(self, username=DEFAULT_USER[0], password=DEFAULT_USER[1], source="LOCAL", **settings):
        """An `ApiClient` for this simulator, logged in (pass `Configuration` attributes as
        keywords, e.g. `verify_ssl=False`)."""
        from cloudtower.api_client import ApiClient
        from cloudtower.configuration import Configuration
        from cloudtower.utils import login
        configuration = Configuration(host=self.url)
        if self.cert and "ssl_ca_cert" not in settings and "verify_ssl" not in settings:
            configuration.ssl_ca_cert = self.cert
        for name, value in settings.items():
            setattr(configuration, name, value)
        client = ApiClient(configuration)
        login(client, username, password, source)
        return client

    def advance_tasks(self):
        """End every running task now (as if its time had come)."""
        with self.store.lock:
            self.tasks.finish_all()
            self.commit()

    def reset(self):
        """Back to the seed (as `seed`, `vms` and `users` make it, also when the estate was
        loaded from a state file): every change, task and fault is gone (login tokens stay
        valid)."""
        if self._state is not None:
            self._state.rewrite(self._restore_seed)  # the whole estate changed: a new snapshot
            self.store.track_changes()
        else:
            with self.store.lock:
                self._restore_seed()

    def _restore_seed(self):
        with self.store.lock:
            sessions = self.store.settings.get("tokens", {}), self.store.settings.get("token_counter", 0)
            if self._seed_state is not None:
                self.store.load(json.loads(self._seed_state))
            else:
                self.store.load({})
                self._build_seed()
            # Logged-in clients stay logged in (as long as their user is still there).
            self.store.settings["tokens"] = dict((token, user) for token, user in sessions[0].items()
                                                 if self.store.get("User", user) is not None)
            self.store.settings["token_counter"] = sessions[1]
            self.tasks.jobs = []
            self.tasks.held = {}
            self.faults.clear()
            self.requests.clear()

    def handle(self, request):
        """Answer one request (the HTTP server calls this)."""
        return self._dispatcher.handle(request)

    def journal(self, request, response):
        """Remember a request and its answer status (see `requests`; 0: the connection was
        dropped)."""
        self.requests.append((request.method, request.path, request.headers, request.body,
                              response.status if response is not None else 0))

    def check_password(self, username, password):
        """The id of the LOCAL or LDAP user with these credentials, or None."""
        return builtin.check_password(self.store, username, password, sources=("LOCAL", "LDAP"))

    def commit(self):
        """Journal what changed since the last commit, when the state is kept in a file (call
        it holding the store's lock, before a change is answered)."""
        if self._state is not None:
            entry = self.store.changes()
            if entry is not None:
                self._state.append(entry)

    def save(self):
        """Compact the journal into the state file now (if there is one; requests go on)."""
        if self._state is not None:
            self._state.compact()

    def __repr__(self):
        where = self.url if self._server else "(stopped)"
        if self.endpoints > 1 and self._server:
            where += " (active; passive: %s)" % ", ".join(url for url in self.urls if url != self.url)
        return "<Simulator %s seed=%r>" % (where, self.seed)
