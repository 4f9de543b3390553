"""Every operation of the generated Api classes, found by name: for the helpers that pick an
operation at run time (the `cloudtower` command's `call`, the query that tells whether a locked
resource is free). Built on first use: it imports every Api module (~0.1 s)."""
from __future__ import absolute_import

import re
import threading

_LOCK = threading.Lock()
_INDEX = {}


class Entry(object):
    """One operation: `api` (the Api class name), `method` (its method name), `operation`."""

    __slots__ = ("api", "method", "operation")

    def __init__(self, api, method, operation):
        self.api = api
        self.method = method
        self.operation = operation

    def bind(self, api_client):
        """The operation's method on an Api object of `api_client`."""
        from cloudtower import api as api_package
        return getattr(getattr(api_package, self.api)(api_client), self.method)

    def __repr__(self):
        return "<Entry %s.%s %s %s>" % (self.api, self.method, self.operation.method, self.operation.path)


def operations():
    """Operation path (`/get-vms`) -> `Entry`, for every operation."""
    with _LOCK:
        if not _INDEX:
            _INDEX.update(_build())
    return _INDEX


def _build():
    from cloudtower import api as api_package
    from cloudtower.api import APIS
    index = {}
    for api_name in sorted(APIS):
        api_class = getattr(api_package, api_name)
        for name in sorted(vars(api_class)):
            operation = getattr(getattr(api_class, name), "operation", None)
            if operation is not None and not name.endswith("_with_http_info") and operation.path not in index:
                index[operation.path] = Entry(api_name, name, operation)
    return index


def find(name):
    """The `Entry` of an operation named by its path (`/get-vms`, `get-vms`), method name
    (`get_vms`) or operationId (`GetVms`); None if there is none."""
    index = operations()
    text = name.strip()
    if re.match(r"^[A-Z]", text):                      # GetVms -> get_vms
        text = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", text).lower()
    path = "/" + text.strip("/").replace("_", "-")
    if path in index:
        return index[path]
    for entry in index.values():                       # names that do not follow the path
        if entry.method == text:
            return entry
    return None


def close_matches(name, count=3):
    """Up to `count` operation paths that look like `name`, for a "did you mean"."""
    import difflib
    wanted = "/" + name.strip().strip("/").replace("_", "-").lower()
    return difflib.get_close_matches(wanted, sorted(operations()), n=count)


def query_for(type_name):
    """The `Entry` of the query (`get-*` with a where) that returns resources of model
    `type_name` (`Vm` -> `/get-vms`), or None."""
    wanted = "list[%s]" % type_name
    candidates = [entry for path, entry in sorted(operations().items())
                  if entry.operation.returns == wanted and path.startswith("/get-") and entry.operation.body]
    return candidates[0] if candidates else None
