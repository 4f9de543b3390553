"""A client of an active-passive CloudTower (4.9.0): several management endpoints, one active.

    from cloudtower import ActivePassiveApiClient, FailoverStrategy, VmApi

    client = ActivePassiveApiClient(["https://tower-1", "https://tower-2"],
                                    user_config={"name": "root", "password": "..."})
    vms = VmApi(client).get_vms({"first": 10})      # every Api class works on it unchanged

Which endpoint is active says nothing about the order of `endpoints`: the client asks each one's
health probe (`GET <root>/api/healthz`: 200 on the active endpoint, 307 on a passive one), all at
once, so that an endpoint that does not answer costs one `probe_timeout`, not one per endpoint. It
uses the single endpoint that answered 200; none raises `ActivePassiveNoActiveHost` (see below
for the retries), several `ActivePassiveMultipleActives`. Threads that need the active endpoint while a probe round runs
wait for that round instead of starting their own.

A passive endpoint answers every API call with 307. urllib3 would follow it (and drop the
`Authorization` header on the way to another host); this client never follows a redirect: the
307 is its signal that the roles changed. What it does then is the `FailoverStrategy`:
- `AUTO_FAILOVER` (default): remember the active endpoint; on a 307, probe the endpoints again
  and send the request once more to the one found active (`ActivePassiveRetryExhausted` if that
  one answers 307 as well). A connection error (refused, reset, timed out) forgets the active
  endpoint, so that the next attempt probes again, but does not itself send the request again.
- `MANUAL_FAILOVER`: on a 307, forget the active endpoint and raise
  `ActivePassiveFailoverRequired`; the caller decides whether to send the request again (the next
  request probes, so does `discover()`).
- `ALWAYS_PROBE`: probe before every attempt, and raise `ActivePassiveFailoverRequired` on a 307.

How this composes with the SDK's retry policy (`cloudtower.retry`, `Configuration.retries`):
- A 307 is no transient error: the policy never retries it, and the failover above does not use
  up one of its retries. A 307 means the passive endpoint did nothing, so sending the request to
  the new active endpoint is safe for mutations too.
- A transient error (a connection error; 408, 429, 502, 503, 504) is the policy's: a query is
  sent again after a backoff, a mutation only if its connection was never made. A connection
  error forgets the active endpoint first, so the retry goes to the endpoint a new probe round
  finds active: when the active endpoint dies and another takes over, a query rides the
  failover out within its retries. A mutation the server may have seen is never sent twice.
- A probe round that finds no endpoint active is, for the policy, a connection never made (the
  request was not sent): it is tried again after a backoff, queries and mutations alike, so a
  failover that leaves no endpoint active for a moment is ridden out too;
  `ActivePassiveNoActiveHost` is raised once the retries are used up (at once with
  `retries=0`). More than one active endpoint raises `ActivePassiveMultipleActives` at once.
- `_request_timeout=seconds` is a deadline for the whole call: attempts, backoff, probe rounds
  and the failover included (a probe round then waits at most the time left).

Requests go to the active endpoint whatever URL they were built on: `configuration.host` follows
the active endpoint's API URL, and a URL under any endpoint (`call_api(..., _host=...)`,
`request()`) is sent to the same path on the active one; a URL under none of them raises
`ActivePassiveUnknownHost`. The login token (`configuration.api_key`) is valid on every endpoint.
"""
from __future__ import absolute_import

import copy
import logging
import threading
import time

from cloudtower import rest
from cloudtower.api_client import ApiClient, _check_request, _host_of, probe
from cloudtower.configuration import DEFAULT_API_PATH, DEFAULT_PROBE_PATH, Configuration
from cloudtower.exceptions import (ActivePassiveDuplicateHost, ActivePassiveException,  # noqa: F401 - public here
                                   ActivePassiveFailoverRequired, ActivePassiveMultipleActives,
                                   ActivePassiveNoActiveHost, ActivePassiveNoEndpoints,
                                   ActivePassiveRetryExhausted, ActivePassiveUnknownHost, ApiConnectionError,
                                   ApiException, ApiTypeError, ApiValueError)
from cloudtower.model import STRING_TYPES

logger = logging.getLogger("cloudtower.active_passive")

DEFAULT_PROBE_TIMEOUT = 5     # seconds one probe round may take (each endpoint probed at once)
DEFAULT_SCHEME = "http"       # of an endpoint URL written without one, as in the official SDK
TEMPORARY_REDIRECT = 307      # how a passive endpoint answers
_JOIN_SLACK = 1.0             # seconds beyond the probe timeout a probe thread is waited for
_ENDPOINT_KEYS = ("host", "root_url", "base_url", "scheme", "api_path", "probe_path")
_USER_KEYS = ("name", "password", "source")


class FailoverStrategy(object):
    """What an `ActivePassiveApiClient` does when the endpoint it uses answers 307 (see the
    module docstring)."""

    AUTO_FAILOVER = "auto_failover"
    MANUAL_FAILOVER = "manual_failover"
    ALWAYS_PROBE = "always_probe"

    ALL = (AUTO_FAILOVER, MANUAL_FAILOVER, ALWAYS_PROBE)


class Endpoint(object):
    """One management endpoint: its configuration (address, TLS, proxy), its connection pool,
    and the URLs of its API (`host`), root (`root_url`) and health probe (`probe_url`)."""

    def __init__(self, configuration):
        self.configuration = configuration
        self.root_url = configuration.root_url.rstrip("/")
        self.host = configuration.host.rstrip("/")
        self.probe_url = configuration.probe_url
        self.rest_client = rest.RESTClientObject(configuration)

    def relative(self, url):
        """`(base, rest)` when `url` is under this endpoint (`base`: "api" for its API URL,
        "root" for its root URL), else None."""
        for base, prefix in (("api", self.host), ("root", self.root_url)):
            if url == prefix or url.startswith(prefix + "/") or url.startswith(prefix + "?"):
                return base, url[len(prefix):]
        return None

    def url(self, base, rest_of_url):
        """The URL of `rest_of_url` under this endpoint's API (`base` "api") or root URL."""
        return (self.host if base == "api" else self.root_url) + rest_of_url

    def __repr__(self):
        return "<Endpoint %s>" % self.root_url


class _Round(object):
    """One probe round, which the threads that need the active endpoint meanwhile wait for."""

    def __init__(self):
        self.done = threading.Event()
        self.endpoint = None
        self.error = None
        self.waiting = 0  # threads waiting for it (read by tests)


class ActivePassiveApiClient(ApiClient):
    """An `ApiClient` that sends each request to the active endpoint of an active-passive
    CloudTower, and fails over when the roles change (see the module docstring).

    `endpoints`: the endpoints, in any order, each a URL (its root, `https://tower-1`, or its
    API URL, `https://tower-1/v2/api`; `http` when it has no scheme), a `Configuration` (its
    address, probe path and TLS settings), or a dict of `Configuration` keywords (`root_url`,
    `scheme`, `api_path`, `probe_path` ...). `user_config` (`{"name", "password", "source"}`,
    source `LOCAL` by default) logs in at once, through the active endpoint. `probe_timeout`:
    seconds a probe round may take (default 5). `failover_strategy`: a `FailoverStrategy`
    (default `AUTO_FAILOVER`). `configuration`: the settings every endpoint shares (token,
    retries, timeouts, TLS for URL endpoints ...); it is copied, and the copy's `host` follows
    the active endpoint. The other arguments are `ApiClient`'s.
    """

    def __init__(self, endpoints, user_config=None, probe_timeout=None, failover_strategy=None,
                 configuration=None, header_name=None, header_value=None, cookie=None, pool_threads=1):
        if failover_strategy is None:
            failover_strategy = FailoverStrategy.AUTO_FAILOVER
        if failover_strategy not in FailoverStrategy.ALL:
            raise ApiValueError("failover_strategy must be one of FailoverStrategy.AUTO_FAILOVER, "
                                "MANUAL_FAILOVER or ALWAYS_PROBE (%s), not %r"
                                % (", ".join(FailoverStrategy.ALL), failover_strategy))
        if probe_timeout is not None and (isinstance(probe_timeout, bool) or
                                          not isinstance(probe_timeout, (int, float)) or probe_timeout <= 0):
            raise ApiValueError("probe_timeout must be a number of seconds more than 0, not %r" % (probe_timeout,))
        if configuration is not None and not isinstance(configuration, Configuration):
            raise ApiTypeError("configuration must be a Configuration, not %s" % type(configuration).__name__)
        shared = _copy_sharing_keys(configuration if configuration is not None
                                    else Configuration.get_default_copy())
        self._endpoints = _endpoints(endpoints, shared)
        self.failover_strategy = failover_strategy
        self.probe_timeout = DEFAULT_PROBE_TIMEOUT if probe_timeout is None else probe_timeout
        self._lock = threading.Lock()
        self._active = None   # the Endpoint in use (None: probe before the next request)
        self._round = None    # the probe round running, if one is
        shared.host = self._endpoints[0].host
        ApiClient.__init__(self, shared, header_name=header_name, header_value=header_value, cookie=cookie,
                           pool_threads=pool_threads)
        self.rest_client = self._endpoints[0].rest_client
        if user_config is not None:
            from cloudtower.utils import login
            login(self, *_user(user_config))

    # -- what it knows -------------------------------------------------------------------------

    @property
    def current_active_base_url(self):
        """The root URL of the endpoint in use (`https://tower-1`), or None before the first
        probe round and after the endpoint in use failed."""
        active = self._active
        return active.root_url if active is not None else None

    @property
    def endpoints(self):
        """The root URLs of the endpoints, in the order given."""
        return [endpoint.root_url for endpoint in self._endpoints]

    def discover(self):
        """Probe every endpoint now and use the one that is active; returns its root URL.
        Raises `ActivePassiveNoActiveHost` or `ActivePassiveMultipleActives`."""
        with self._lock:
            self._active = None
        return self._active_endpoint(None).root_url

    def __repr__(self):
        return "<ActivePassiveApiClient active=%s endpoints=%s strategy=%s>" % (
            self.current_active_base_url, ", ".join(self.endpoints), self.failover_strategy)

    def close(self):
        """End the thread pool and close the connections to every endpoint."""
        ApiClient.close(self)
        for endpoint in self._endpoints:
            endpoint.rest_client.clear()

    # -- requests ------------------------------------------------------------------------------

    def request(self, method, url, query_params=None, headers=None, post_params=None, body=None,
                _preload_content=True, _request_timeout=None, redirect=None):
        """Send one request to the same path on the active endpoint, failing over and retrying
        as the strategy and the retry policy say. `redirect` is ignored: a redirect is never
        followed, a 307 means the endpoint turned passive."""
        base, path = self._relative(url)
        _check_request(method, url)
        attempts = self._attempts(method, url, _request_timeout)
        passive = None  # the endpoint that answered 307, once one has
        while True:
            try:
                endpoint = self._active_endpoint(attempts)
            except ActivePassiveNoActiveHost as error:
                # Nothing was sent: like a connection never made, for the retry policy (a failover
                # may leave no endpoint active for a moment).
                if not attempts.wait_before_retry(ApiConnectionError(error.reason, request_sent=False)):
                    raise
                continue
            try:
                return endpoint.rest_client.request(method, endpoint.url(base, path), query_params=query_params,
                                                    headers=headers, post_params=post_params, body=body,
                                                    _preload_content=_preload_content,
                                                    _request_timeout=attempts.timeout(), redirect=False)
            except ApiException as error:
                if error.status == TEMPORARY_REDIRECT:
                    self._forget(endpoint)
                    if self.failover_strategy != FailoverStrategy.AUTO_FAILOVER:
                        raise self._redirected(ActivePassiveFailoverRequired, endpoint, error)
                    if passive is not None:
                        raise self._redirected(ActivePassiveRetryExhausted, endpoint, error, passive)
                    passive = endpoint
                    logger.info("%s answered %s %s with 307: it is passive now; probing the endpoints again",
                                endpoint.root_url, method.upper(), path)
                    continue
                if isinstance(error, ApiConnectionError):
                    self._forget(endpoint)
                if not attempts.wait_before_retry(error):
                    raise

    def do_probe(self, url, timeout=None):
        """Like `ApiClient.do_probe`, through the connection pool of the endpoint `url` is under."""
        endpoint = self._endpoint_of(url)
        status, _ = probe(endpoint.rest_client if endpoint else self.rest_client, url, timeout, self.user_agent)
        return status == 200

    def _relative(self, url):
        endpoint = self._endpoint_of(url)
        if endpoint is None:
            raise ActivePassiveUnknownHost(
                reason="%s is not under one of the endpoints (%s): an active-passive client sends only to "
                       "its endpoints" % (url, ", ".join(self.endpoints)),
                host=url, endpoints=self.endpoints, strategy=self.failover_strategy)
        return endpoint.relative(url)

    def _endpoint_of(self, url):
        for endpoint in self._by_length:
            if endpoint.relative(url) is not None:
                return endpoint
        return None

    def _redirected(self, kind, endpoint, error, first=None):
        """The exception for a 307 from `endpoint` (`first`: the endpoint that answered 307 before)."""
        location = error.headers.get("Location") if error.headers is not None else None
        reason = "%s answered 307%s: it is passive now" % (endpoint.root_url, " (to %s)" % location if location else "")
        if first is not None:
            reason = "after %s answered 307, the probe found %s active, and %s; the roles keep changing" % (
                first.root_url, endpoint.root_url, reason.partition(" ")[2])
        reason += "; the request was not carried out"
        exception = kind(status=TEMPORARY_REDIRECT, reason=reason, host=endpoint.root_url,
                         endpoints=self.endpoints, strategy=self.failover_strategy)
        exception.headers, exception.body, exception.request_id = error.headers, error.body, error.request_id
        return exception

    # -- which endpoint ------------------------------------------------------------------------

    def _forget(self, endpoint):
        with self._lock:
            if self._active is endpoint:
                self._active = None

    def _active_endpoint(self, attempts):
        """The endpoint to send to: the one in use, or the one a probe round finds active (the
        round running, if one is; `ALWAYS_PROBE`: a round of its own)."""
        always = self.failover_strategy == FailoverStrategy.ALWAYS_PROBE
        with self._lock:
            if self._active is not None and not always:
                return self._active
            round_ = None if always else self._round
            leading = round_ is None
            if leading:
                round_ = _Round()
                if not always:
                    self._round = round_
            else:
                round_.waiting += 1
        if not leading:
            round_.done.wait()
        else:
            try:
                round_.endpoint = self._probe_round(self._time_left(attempts))
            except ActivePassiveException as error:
                round_.error = error
            with self._lock:
                if self._round is round_:
                    self._round = None
                self._active = round_.endpoint  # None after a failed round
            round_.done.set()
            if round_.endpoint is not None:
                self.configuration.host = round_.endpoint.host
        if round_.error is not None:
            raise round_.error
        return round_.endpoint

    def _time_left(self, attempts):
        deadline = getattr(attempts, "deadline", None)
        if deadline is None:
            return self.probe_timeout
        return max(min(self.probe_timeout, deadline - time.time()), 0.001)

    def _probe_round(self, timeout):
        """Probe every endpoint at once; the single active one, else raise."""
        results = [None] * len(self._endpoints)

        def run(index, endpoint):
            try:
                results[index] = probe(endpoint.rest_client, endpoint.probe_url, timeout, self.user_agent)
            except Exception as error:  # noqa: BLE001 - whatever failed is reported with the others
                results[index] = error

        threads = []
        for index, endpoint in enumerate(self._endpoints[1:], 1):
            thread = threading.Thread(target=run, args=(index, endpoint), name="cloudtower-probe-%d" % index)
            thread.daemon = True
            thread.start()
            threads.append(thread)
        run(0, self._endpoints[0])
        for thread in threads:
            thread.join(timeout + _JOIN_SLACK)
        results = list(results)  # a probe that has not ended by now counts as failed
        actives, failures = [], []
        for endpoint, result in zip(self._endpoints, results):
            if isinstance(result, tuple) and result[0] == 200:
                actives.append(endpoint)
            elif isinstance(result, tuple):
                failures.append("%s: passive (307%s)" % (endpoint.root_url, " to %s" % result[1] if result[1] else ""))
            elif result is None:
                failures.append("%s: no answer within %.3g s" % (endpoint.root_url, timeout))
            else:
                failures.append("%s: %s" % (endpoint.root_url, _describe(result)))
        logger.debug("probe round: %s active; %s", ", ".join(e.root_url for e in actives) or "none",
                     "; ".join(failures) or "no failures")
        if len(actives) == 1:
            if self._active is not actives[0]:
                logger.info("active endpoint: %s", actives[0].root_url)
            return actives[0]
        if actives:
            raise ActivePassiveMultipleActives(
                reason="more than one endpoint answered the probe as active: %s" % ", ".join(
                    endpoint.root_url for endpoint in actives),
                endpoints=self.endpoints, active_hosts=[endpoint.root_url for endpoint in actives],
                failures=failures, strategy=self.failover_strategy)
        raise ActivePassiveNoActiveHost(reason="no endpoint answered the probe as active: %s" % "; ".join(failures),
                                        endpoints=self.endpoints, failures=failures,
                                        strategy=self.failover_strategy)

    @property
    def _by_length(self):
        # Longest root first: an endpoint whose root is under another's still matches itself.
        return sorted(self._endpoints, key=lambda endpoint: -len(endpoint.root_url))


def _describe(error):
    if isinstance(error, ApiException):
        return "%s %s" % (error.status, error.reason) if error.status else "%s" % (error.reason,)
    return "%s: %s" % (type(error).__name__, error)


def _copy_sharing_keys(configuration):
    """A copy of `configuration` that shares its `api_key` and `api_key_prefix` dicts (a token
    put in either later is used by both)."""
    duplicate = copy.deepcopy(configuration)
    duplicate.api_key = configuration.api_key
    duplicate.api_key_prefix = configuration.api_key_prefix
    return duplicate


def _endpoints(specs, shared):
    """The `Endpoint`s of the constructor's `endpoints`, checked."""
    if isinstance(specs, STRING_TYPES + (Configuration, dict)):
        raise ApiTypeError("endpoints must be a list of URLs or Configurations, not a single %s"
                           % type(specs).__name__)
    if specs is None or not hasattr(specs, "__iter__"):
        raise ActivePassiveNoEndpoints(reason="endpoints must be a list of URLs or Configurations, not %r"
                                       % (specs,), endpoints=[])
    specs = list(specs)
    if not specs:
        raise ActivePassiveNoEndpoints(reason="endpoints is empty: give the URL of each endpoint", endpoints=[])
    result, seen = [], {}
    for index, spec in enumerate(specs):
        configuration = _endpoint_configuration(index, spec, shared)
        if not configuration.root_url or not _host_of(configuration.host):
            raise ActivePassiveNoEndpoints(reason="endpoints[%d] has no address: %r" % (index, spec),
                                           endpoints=[_text(item) for item in specs])
        endpoint = Endpoint(configuration)
        if endpoint.root_url in seen:
            raise ActivePassiveDuplicateHost(
                reason="endpoints[%d] and endpoints[%d] are the same endpoint: %s"
                       % (seen[endpoint.root_url], index, endpoint.root_url),
                host=endpoint.root_url, endpoints=[_text(item) for item in specs])
        seen[endpoint.root_url] = index
        result.append(endpoint)
    return result


def _endpoint_configuration(index, spec, shared):
    if isinstance(spec, Configuration):
        configuration = _copy_sharing_keys(spec)
        for name, value in spec.api_key.items():  # a token given with an endpoint serves them all
            shared.api_key.setdefault(name, value)
        configuration.api_key, configuration.api_key_prefix = shared.api_key, shared.api_key_prefix
        return configuration
    if isinstance(spec, STRING_TYPES):
        spec = {"root_url": spec}
    if not isinstance(spec, dict):
        raise ApiTypeError("endpoints[%d] must be a URL, a Configuration or a dict, not %s"
                           % (index, type(spec).__name__))
    unknown = sorted(set(spec) - set(_ENDPOINT_KEYS))
    if unknown:
        raise ApiValueError("endpoints[%d] has unknown key(s) %s; an endpoint dict takes %s"
                            % (index, ", ".join(map(repr, unknown)), ", ".join(_ENDPOINT_KEYS)))
    address = dict((key, value) for key, value in spec.items() if value is not None)
    root = address.get("root_url")
    if root is not None and address.get("api_path") is None and \
            root.strip().rstrip("/").endswith(DEFAULT_API_PATH):
        # The API URL (`https://tower/v2/api`, what `host` is elsewhere) stands for its root.
        address["root_url"] = root.strip().rstrip("/")[:-len(DEFAULT_API_PATH)]
    address.setdefault("scheme", shared.scheme or DEFAULT_SCHEME)
    address.setdefault("probe_path", DEFAULT_PROBE_PATH)
    if "host" not in address:
        address.setdefault("api_path", DEFAULT_API_PATH)
    configuration = _copy_sharing_keys(shared)
    configuration._set_address(address.get("host"), address.get("base_url"), address.get("root_url"),
                               address.get("api_path"), address.get("probe_path"), address.get("scheme"))
    return configuration


def _text(spec):
    if isinstance(spec, Configuration):
        return spec.root_url or spec.host
    return spec


def _user(user_config):
    """(name, password, source) of `user_config`: a dict or an object with those attributes."""
    if isinstance(user_config, dict):
        unknown = sorted(set(user_config) - set(_USER_KEYS))
        if unknown:
            hint = " (did you mean name?)" if "username" in unknown else ""
            raise ApiValueError("user_config has unknown key(s) %s%s; it takes %s"
                                % (", ".join(map(repr, unknown)), hint, ", ".join(_USER_KEYS)))
        values = [user_config.get(key) for key in _USER_KEYS]
    else:
        values = [getattr(user_config, key, None) for key in _USER_KEYS]
    name, password, source = values
    for key, value in (("name", name), ("password", password)):
        if not isinstance(value, STRING_TYPES):
            raise ApiTypeError("user_config.%s must be text, not %s" % (key, type(value).__name__))
    return name, password, source or "LOCAL"
