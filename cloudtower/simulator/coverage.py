"""Which operations the simulator models and which it answers generically (like moto's
implementation coverage): `python -m cloudtower.simulator --coverage`.

An operation is `stateful` when a handler is registered for it with `@handles` (the real
behaviour is modelled), else `generic`, answered from its shape as one of `GENERIC_KINDS`
(see `cloudtower.simulator.handlers.generic_kind`).
"""
from __future__ import absolute_import

GENERIC_KINDS = ("query", "count", "create", "update", "action", "delete", "example")


def coverage(catalog=None):
    """`[(path, api class name, "stateful" or "generic", generic kind or None)]`, by path."""
    import cloudtower.simulator  # noqa: F401 - registers every stateful handler (builtin, workflows)
    from cloudtower.simulator.catalog import catalog as default_catalog
    from cloudtower.simulator.handlers import HANDLERS, generic_kind
    catalog = catalog or default_catalog()
    rows = []
    for path in sorted(catalog.operations):
        if path in HANDLERS:
            rows.append((path, catalog.api_of[path], "stateful", None))
        else:
            rows.append((path, catalog.api_of[path], "generic", generic_kind(catalog, catalog.operations[path])[0]))
    return rows


def totals(rows):
    """The summary line: `stateful: N, generic: M (query: a, count: b, ...), total: T`."""
    stateful = sum(1 for row in rows if row[2] == "stateful")
    kinds = [row[3] for row in rows if row[2] == "generic"]
    counts = ", ".join("%s: %d" % (kind, kinds.count(kind)) for kind in GENERIC_KINDS)
    return "stateful: %d, generic: %d (%s), total: %d" % (stateful, len(kinds), counts, len(rows))


def coverage_report(catalog=None):
    """The report as text: one line an operation (path, Api class, how it is answered), then
    the totals line."""
    rows = coverage(catalog)
    width = max(len(row[0]) for row in rows) if rows else 0
    api_width = max(len(row[1]) for row in rows) if rows else 0
    lines = ["%s  %s  %s" % (path.ljust(width), api.ljust(api_width), how if kind is None else "%s %s" % (how, kind))
             for path, api, how, kind in rows]
    lines.append(totals(rows))
    return "\n".join(lines)
