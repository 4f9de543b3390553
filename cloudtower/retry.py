"""When a failed request is sent again, and how long a call may take: the SDK's retry policy.

A query (`/get-*`, `/get-version`, `/resource-changes`) changes nothing, so it is sent again when
it fails in a way that may pass: the connection failed or timed out, or the server answered 408,
429, 502, 503 or 504. A mutation is sent again only when the connection could not be made at all,
so the server provably never saw it; after any answer, or a read timeout, sending it again could
do the work twice.

Waits grow exponentially with jitter (`backoff * 2**n`, at most `backoff_max`), or follow the
server's `Retry-After` (seconds or an HTTP date, at most `retry_after_max`). A call given a
deadline (`_request_timeout=seconds`) never waits past it.
"""
from __future__ import absolute_import

import email.utils
import logging
import random
import time

from cloudtower.exceptions import ApiConnectionError, ApiException, ApiValueError

logger = logging.getLogger("cloudtower.retry")

DEFAULT_RETRIES = 2
BACKOFF = 0.5
BACKOFF_MAX = 8.0
RETRY_AFTER_MAX = 60.0
RETRY_STATUSES = frozenset([408, 429, 502, 503, 504])
# (connect, read) seconds of one attempt, when neither the call nor the configuration says.
DEFAULT_TIMEOUT = (10.0, 120.0)
# Paths, after the API base, whose operations only read.
QUERY_PATHS = frozenset(["/get-version", "/resource-changes"])


def is_query(method, url):
    """True when the request only reads, so that sending it twice does no harm."""
    if method.upper() in ("GET", "HEAD", "OPTIONS"):
        return True
    path = url.split("?", 1)[0].rstrip("/")
    last = "/" + path.rpartition("/")[2]
    return last.startswith("/get-") or last in QUERY_PATHS


def is_transient(error):
    """True for a failure that may pass if the request is sent again later."""
    return isinstance(error, ApiConnectionError) or getattr(error, "status", None) in RETRY_STATUSES


class RetryPolicy(object):
    """How often and after how long failed requests are sent again (see the module docstring).

    `Configuration.retries` takes one, or a number of retries (0 turns retrying off), or a urllib3
    `Retry` (its `total`, `backoff_factor`, `status_forcelist` and `respect_retry_after_header`
    are used; a mutation is still never sent twice once the server may have seen it).
    """

    def __init__(self, retries=DEFAULT_RETRIES, backoff=BACKOFF, backoff_max=BACKOFF_MAX,
                 retry_after_max=RETRY_AFTER_MAX, statuses=RETRY_STATUSES, respect_retry_after=True):
        self.retries = retries
        self.backoff = backoff
        self.backoff_max = backoff_max
        self.retry_after_max = retry_after_max
        self.statuses = frozenset(statuses)
        self.respect_retry_after = respect_retry_after

    @classmethod
    def of(cls, setting):
        """The policy a `Configuration.retries` value stands for (None: the default)."""
        if setting is None:
            return DEFAULT_POLICY
        if isinstance(setting, RetryPolicy):
            return setting
        if setting is False:
            return cls(retries=0)
        if isinstance(setting, int) and not isinstance(setting, bool):
            if setting < 0:
                raise ApiValueError("retries must be 0 or more, got %d" % setting)
            return cls(retries=setting)
        if hasattr(setting, "backoff_factor") and hasattr(setting, "total"):  # a urllib3 Retry
            total = setting.total
            if total is None or total is False:
                total = max(count for count in (setting.connect, setting.read, setting.status, 0)
                            if isinstance(count, int) and not isinstance(count, bool))
            return cls(retries=total, backoff=setting.backoff_factor or BACKOFF,
                       statuses=setting.status_forcelist or RETRY_STATUSES,
                       respect_retry_after=setting.respect_retry_after_header)
        raise ApiValueError("retries must be a number, a cloudtower.retry.RetryPolicy or a urllib3 Retry, "
                            "got %s" % type(setting).__name__)

    def delay(self, retry, error):
        """Seconds to wait before retry number `retry` (0 for the first) after `error`."""
        retry_after = self._retry_after(error) if self.respect_retry_after else None
        if retry_after is not None:
            return retry_after
        wait = min(self.backoff * (2 ** retry), self.backoff_max)
        return wait * (1 - 0.25 * random.random())  # jitter: clients that failed together spread out

    def _retry_after(self, error):
        headers = getattr(error, "headers", None)
        value = headers.get("Retry-After") if headers is not None else None
        if not value:
            return None
        try:
            seconds = float(value)
        except ValueError:
            parsed = email.utils.parsedate_tz(value)
            if parsed is None:
                return None
            seconds = email.utils.mktime_tz(parsed) - time.time()
        return min(max(seconds, 0.0), self.retry_after_max)

    def should_retry(self, error, query):
        """True when `error` may pass and sending the request again is safe."""
        if isinstance(error, ApiConnectionError):
            return query or not error.request_sent
        return query and getattr(error, "status", None) in self.statuses

    def __repr__(self):
        return "RetryPolicy(retries=%r, backoff=%r, backoff_max=%r, statuses=%s)" % (
            self.retries, self.backoff, self.backoff_max, sorted(self.statuses))


DEFAULT_POLICY = RetryPolicy()


class Attempts(object):
    """The attempts of one request: the timeout of each, and whether to try again after a failure.

    `timeout` is the call's `_request_timeout`: a number is a deadline for the whole call (every
    attempt and every wait inside it), a `(connect, read)` pair or a urllib3 `Timeout` applies to
    each attempt, None means `default` (the configuration's `request_timeout`).
    """

    def __init__(self, policy, query, timeout=None, default=None, description="request"):
        self.policy = policy
        self.query = query
        self.description = description
        self.retries = 0
        self.deadline = None
        self.per_attempt = timeout
        if timeout is None:
            self.per_attempt = DEFAULT_TIMEOUT if default is None else default
        if _is_number(timeout):
            if timeout <= 0:
                raise ApiValueError("_request_timeout must be more than 0 seconds, got %r" % (timeout,))
            self.deadline = time.time() + timeout
            self.per_attempt = None

    def timeout(self):
        """The timeout of the next attempt: a (connect, read) pair, a urllib3 `Timeout`, or a
        number of seconds for the attempt as a whole (what is left before the deadline)."""
        if self.deadline is None:
            return self.per_attempt
        return max(self.deadline - time.time(), 0.001)

    def wait_before_retry(self, error):
        """After a failed attempt: sleep and return True if the request should be sent again,
        else return False (the caller raises `error`)."""
        if not isinstance(error, ApiException) or self.retries >= self.policy.retries:
            return False
        if not self.policy.should_retry(error, self.query):
            return False
        wait = self.policy.delay(self.retries, error)
        if self.deadline is not None and time.time() + wait >= self.deadline:
            return False
        self.retries += 1
        logger.info("retry %d of %d of %s in %.2f s after: %s", self.retries, self.policy.retries,
                    self.description, wait, _summary(error))
        time.sleep(wait)
        return True


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _summary(error):
    if isinstance(error, ApiConnectionError):
        return error.reason
    return "%s %s" % (error.status, error.reason)
