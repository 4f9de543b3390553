"""Faults on demand: latency, an HTTP error status, a dropped connection, a malformed body, or a
failing task - for one operation or all, for the next N calls or a fraction of calls."""
from __future__ import absolute_import

import random
import threading

KINDS = ("latency", "status", "drop", "malformed", "task")


class Fault(object):
    """One fault rule. `operation` is an operation path (`/get-vms`) or None for every one;
    `count` how many more times it fires (None: no limit); `fraction` the chance per call.
    `fired` counts the calls it hit."""

    def __init__(self, kind, operation=None, count=None, fraction=None, status=503, retry_after=None,
                 latency=0.0, message=None):
        if kind not in KINDS:
            raise ValueError("fault kind must be one of %s, not %r" % (", ".join(KINDS), kind))
        if operation and not operation.startswith("/"):
            operation = "/" + operation
        self.kind = kind
        self.operation = operation
        self.count = count
        self.fraction = fraction
        self.status = status
        self.retry_after = retry_after
        self.latency = latency if kind == "latency" else 0.0
        self.message = message  # None: a standard "injected" text
        self.fired = 0

    def __repr__(self):
        return "<Fault %s on %s count=%s fraction=%s fired=%d>" % (
            self.kind, self.operation or "every operation", self.count, self.fraction, self.fired)


class Faults(object):
    """The active fault rules; `take` decides, per call, which one fires."""

    def __init__(self, seed=0, known_paths=None):
        self.rules = []
        self.known_paths = known_paths
        self._random = random.Random(seed)
        self._lock = threading.Lock()

    def add(self, kind, operation=None, count=None, fraction=None, **options):
        """Add a rule (see `Fault`) and return it. Raises ValueError for an unknown operation."""
        fault = Fault(kind, operation, count, fraction, **options)
        if fault.operation and self.known_paths is not None and fault.operation not in self.known_paths:
            import difflib
            close = difflib.get_close_matches(fault.operation, list(self.known_paths), n=3)
            raise ValueError("no operation %s%s" % (fault.operation, "; did you mean %s?" % " or ".join(close)
                                                                     if close else ""))
        with self._lock:
            self.rules.append(fault)
        return fault

    def clear(self):
        """Remove every rule."""
        with self._lock:
            del self.rules[:]

    def take(self, path, kinds=("latency", "status", "drop", "malformed")):
        """The rule that fires for a call of `path`, if any (its count goes down by one)."""
        with self._lock:
            for fault in list(self.rules):
                if fault.kind not in kinds or (fault.operation and fault.operation != path):
                    continue
                if fault.fraction is not None and self._random.random() >= fault.fraction:
                    continue
                if fault.count is not None:
                    fault.count -= 1
                    if fault.count <= 0:
                        self.rules.remove(fault)
                fault.fired += 1
                return fault
        return None


def parse(text):
    """A rule from its command-line form: `KIND [op=PATH] [count=N] [fraction=F] [status=503]
    [retry-after=S] [seconds=S] [message=TEXT]`."""
    words = text.split()
    if not words:
        raise ValueError("empty fault")
    options = {}
    for word in words[1:]:
        key, _, value = word.partition("=")
        key = key.replace("-", "_")
        if key in ("op", "operation"):
            options["operation"] = value
        elif key == "count":
            options["count"] = int(value)
        elif key == "fraction":
            options["fraction"] = float(value)
        elif key == "status":
            options["status"] = int(value)
        elif key == "retry_after":
            options["retry_after"] = int(value)
        elif key in ("seconds", "latency"):
            options["latency"] = float(value)
        elif key == "message":
            options["message"] = value.replace("_", " ")
        else:
            raise ValueError("unknown fault option %r" % key)
    return Fault(words[0], **options)
