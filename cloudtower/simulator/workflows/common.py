"""Helpers the workflow modules share: units, uniqueness, and the `WithTask` answers of
creating, changing and deleting records through tasks."""
from __future__ import absolute_import

import functools

from cloudtower.simulator.store import resource_type_name

_STEPS = ("", "K", "M", "G", "T", "P")
# ByteUnit (B, KB ... PB) and BPSUnit (Bps, KBps ... TBps), binary multiples as CloudTower shows them.
UNITS = dict([(step + "B", 1024 ** power) for power, step in enumerate(_STEPS)] +
             [(step + "Bps", 1024 ** power) for power, step in enumerate(_STEPS)])


def each(function):
    """A handler made of `function(ctx, item)`, called on each item of the body (a list, or the
    `data` list of a `{"data": [...]}` body); the answers in order."""
    @functools.wraps(function)
    def handler(ctx, body):
        return [function(ctx, item) for item in (body["data"] if isinstance(body, dict) else body)]
    return handler


def scaled(params):
    """`params` with every `<x>_unit` folded into `<x>` (`assigned_size: 10, assigned_size_unit:
    "GB"` -> `assigned_size: 10737418240`); a value without a unit is taken as bytes."""
    out = {}
    for key, value in params.items():
        if key.endswith("_unit"):
            continue
        unit = params.get(key + "_unit")
        if unit in UNITS and isinstance(value, int) and not isinstance(value, bool):
            value = value * UNITS[unit]
        out[key] = value
    return out


def snake(type_name):
    """`IscsiLunSnapshot` -> `iscsi_lun_snapshot`."""
    return resource_type_name(type_name).lower()


def now(ctx):
    return ctx.store.clock.iso()


def identity(ctx, type_name):
    """A new `local_id` and `local_created_at`, as far as `type_name` has them."""
    fields = ctx.catalog.resources[type_name].fields
    values = {"local_id": ctx.store.new_id(), "local_created_at": now(ctx)}
    return dict((key, value) for key, value in values.items() if key in fields)


def referring(ctx, type_name, key, resource_id):
    """The records of `type_name` whose relation `key` holds `resource_id` (even a deleted one)."""
    def holds(value):
        return resource_id in value if isinstance(value, list) else value == resource_id
    return [record for record in ctx.store.records(type_name) if holds(record.get(key))]


def unique(ctx, type_name, values, shown=None):
    """A 400 answer when a record with these `values` exists already (`shown`: how the message
    names it; its name by default)."""
    if ctx.store.find(type_name, **values) is not None:
        ctx.fail(400, "exists", kind=type_name, name=shown or values.get("name"))


def one_where(ctx, type_name, where):
    """The one record a where-object (usually a `*WhereUniqueInput`) selects, or a 404."""
    records = ctx.select(type_name, where)
    if not records:
        ctx.fail(404, "not_found", kind=type_name, id=where)
    return records[0]


def owned(ctx, type_name, resource_id, key, owner_type, owner):
    """The record `resource_id`, which must belong to `owner` (point at it through `key`): a 404
    when it does not exist, a 400 when it is another's."""
    record = ctx.one(type_name, resource_id)
    if record.get(key) != owner["id"]:
        ctx.fail(400, "not_related", kind=type_name, id=resource_id, owner=owner_type, owner_id=owner["id"])
    return record


def free(ctx, type_name, where):
    """The records a where selects, none of them held by a running task."""
    records = ctx.select(type_name, where)
    ctx.ensure_free(type_name, records)
    return records


def created(ctx, type_name, record):
    """The `WithTask` answer for a new record (its task says CREATING until it ends)."""
    return ctx.with_task(type_name, record, ctx.submit(type_name, record, status="CREATING"))


def changed(ctx, type_name, record, values=None, work=None):
    """Apply `values` now (the placeholder state), run `work()` at the task's end; `WithTask`."""
    if values:
        ctx.store.update(type_name, record["id"], values)
    return ctx.with_task(type_name, record, ctx.submit(type_name, record, work=work))


def deleted(ctx, type_name, records, cleanup=None):
    """Delete `records` when their tasks end, then `cleanup(record)` (what depends on them);
    the `WithTaskDelete` answers."""
    ctx.ensure_free(type_name, records)
    answers = []
    for record in records:
        def work(record_id=record["id"]):
            if ctx.store.get(type_name, record_id) is not None:
                gone = ctx.store.delete(type_name, record_id)
                if cleanup is not None:
                    cleanup(gone)
        task = ctx.submit(type_name, record, work=work, status="DELETING")
        answers.append({"task_id": task["id"], "data": {"id": record["id"]}})
    return answers


def delete_all(ctx, type_name, records):
    """Remove records now (dependents of something being deleted)."""
    for record in records:
        if ctx.store.get(type_name, record["id"]) is not None:
            ctx.store.delete(type_name, record["id"])


def drop_or_detach(ctx, type_name, key, resource_id, drop):
    """What points at a deleted resource through `key`: deleted too (`drop`), or pointing at
    nothing."""
    records = referring(ctx, type_name, key, resource_id)
    if drop:
        delete_all(ctx, type_name, records)
    for record in records if not drop else ():
        ctx.store.update(type_name, record["id"], {key: None})


def update_if_present(ctx, type_name, resource_id, values):
    """Change a record that may have gone meanwhile (work at a task's end)."""
    if ctx.store.get(type_name, resource_id) is not None:
        ctx.store.update(type_name, resource_id, values)
