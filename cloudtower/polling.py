"""What the helpers that wait share: a deadline, waits that back off, and which errors are worth
trying again (the transport's own retries live in the core; these helpers wait on top of them)."""
from __future__ import absolute_import

import random
import socket
import time

from cloudtower.exceptions import ApiException

# As CONTRACTS.md says of `cloudtower.retry.is_transient`: a connection error (status 0) or one of
# these HTTP statuses means "try again later"; anything else will not get better by waiting.
TRANSIENT_STATUSES = frozenset([0, 408, 429, 502, 503, 504])
# A request made at or just after a deadline still gets this long, so that the last poll can be
# answered; it keeps `timeout=T` within T + 1 s.
LAST_REQUEST_TIMEOUT = 0.5

_now = getattr(time, "monotonic", time.time)  # Python 2 has no monotonic clock


def is_transient(error):
    """True when `error` (raised by an API call) is worth trying again after a wait: a connection
    error (status 0, or a raw urllib3/socket error from an older transport) or HTTP 408, 429,
    502, 503, 504."""
    transport_says = _transport_is_transient()
    if transport_says is not None and transport_says(error):
        return True
    if isinstance(error, ApiException):
        return error.status in TRANSIENT_STATUSES
    import urllib3
    return isinstance(error, (urllib3.exceptions.HTTPError, socket.timeout, _CONNECTION_ERRORS))


try:
    _CONNECTION_ERRORS = ConnectionError
except NameError:  # Python 2: socket.error is what a reset or refused connection raises
    _CONNECTION_ERRORS = socket.error


def _transport_is_transient():
    try:
        from cloudtower.retry import is_transient as transport_is_transient
    except ImportError:
        return None
    return transport_is_transient


def describe(error):
    """A one-line description of an error for a log line (never a body that could hold a secret)."""
    if isinstance(error, ApiException):
        reason = (error.message or error.reason or "").strip().splitlines()
        return "HTTP %s %s" % (error.status, reason[0] if reason else "")
    reason = getattr(error, "reason", None)
    if isinstance(reason, Exception):   # urllib3's MaxRetryError: what went wrong is its reason
        error = reason
    text = str(error).strip()
    return "%s: %s" % (type(error).__name__, text.splitlines()[0] if text else "")


class Deadline(object):
    """A point in time `seconds` from now; None: never."""

    def __init__(self, seconds):
        self.seconds = seconds
        self._end = None if seconds is None else _now() + seconds

    def left(self):
        """Seconds until the deadline (0 once passed; None without a deadline)."""
        if self._end is None:
            return None
        return max(0.0, self._end - _now())

    def passed(self):
        """Whether the deadline has passed."""
        return self._end is not None and _now() >= self._end

    def request_timeout(self, default=None):
        """The `_request_timeout` for a request made now: the time left (at least
        LAST_REQUEST_TIMEOUT), or `default` without a deadline."""
        left = self.left()
        if left is None:
            return default
        return max(left, LAST_REQUEST_TIMEOUT)

    def cap(self, seconds):
        """`seconds`, cut to the time left."""
        left = self.left()
        return seconds if left is None else min(seconds, left)

    def __repr__(self):
        return "<Deadline %s>" % ("never" if self._end is None else "in %.1f s" % self.left())


class Backoff(object):
    """Waits that start at `first` seconds and double up to `cap`; with `jitter`, each wait is
    drawn between half and all of it (so that many clients do not retry in step)."""

    def __init__(self, first, cap, jitter=False):
        self.first = max(0.0, min(first, cap))
        self.cap = cap
        self.jitter = jitter
        self._next = self.first

    def next(self):
        """The next wait, in seconds."""
        wait = self._next
        self._next = min(self.cap, max(self._next * 2, 0.001) if self._next else 0.0)
        if self.jitter:
            wait = random.uniform(wait / 2.0, wait)
        return wait

    def reset(self):
        """Start again from `first`."""
        self._next = self.first

    def __repr__(self):
        return "<Backoff next %.2f s, cap %.2f s>" % (self._next, self.cap)
