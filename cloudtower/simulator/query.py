"""Queries: Prisma-1 `where` filters, `orderBy`, and `first`/`skip`/`after`/`before`/`last`,
for any resource type (driven by the catalog, nothing per type).

`where` semantics: `f` equals (`null`: is null), `f_not` differs, `f_in`/`f_not_in`, `f_lt`,
`f_lte`, `f_gt`, `f_gte`; for text `f_contains`, `f_starts_with`, `f_ends_with` and their `_not_`
forms. `AND` (all; empty: true), `OR` (any; empty: false), `NOT` (none of them; empty: true). A
to-one relation takes the related type's where (`null`: no related resource); a to-many relation
takes `f_some`, `f_every`, `f_none`. As in any GraphQL input, a single value where a list is
expected is a list of that one value (`{"NOT": {...}}` is `{"NOT": [{...}]}`, `f_in: x` is
`f_in: [x]`).
"""
from __future__ import absolute_import

from operator import itemgetter


class QueryError(Exception):
    """A query the server would refuse (HTTP 400); the message names the problem."""


def _true(record):
    return True


def compile_where(store, type_name, where, path="where"):
    """A predicate `record -> bool` for a where-object."""
    if where is None:
        return _true
    if not isinstance(where, dict):
        raise QueryError("%s must be an object" % path)
    resource = store.catalog.resources[type_name]
    tests = []
    for key, value in where.items():
        test = _compile_key(store, resource, key, value, "%s.%s" % (path, key))
        if test is not None:
            tests.append(test)
    if not tests:
        return _true
    if len(tests) == 1:
        return tests[0]
    if len(tests) == 2:
        first, second = tests
        return lambda record: first(record) and second(record)

    def all_of(record):
        for test in tests:
            if not test(record):
                return False
        return True
    return all_of


def _memoized(test, table):
    """`test` of the record with an id, each id tested once (per compiled query): many records
    share the few they relate to (VMs and their cluster)."""
    known = {}

    def by_id(resource_id):
        found = known.get(resource_id)
        if found is None:
            other = table.get(resource_id)
            found = known[resource_id] = other is not None and bool(test(other))
        return found
    return by_id


def _compile_key(store, resource, key, value, path):
    if key in ("AND", "OR", "NOT"):
        if not isinstance(value, list):
            value = [value]  # list input coercion: one where-object is a list of one
        parts = [compile_where(store, resource.name, item, "%s[%d]" % (path, index))
                 for index, item in enumerate(value)]
        if key == "AND":
            return lambda record: all(part(record) for part in parts)
        if key == "OR":
            return lambda record: any(part(record) for part in parts)
        return lambda record: not any(part(record) for part in parts)
    split = resource.where_keys.get(key)
    if split is None:
        raise QueryError("%s: %s cannot be filtered by %r" % (path, resource.name, key))
    field_key, operator = split
    field = resource.fields.get(field_key)
    if field is None:
        raise QueryError("%s: unknown field %r" % (path, key))
    if field.relation is not None:
        return _compile_relation(store, field, operator, value, path)
    return _compile_scalar(field_key, operator, value, path)


def _compile_relation(store, field, operator, value, path):
    relation = field.relation
    table = store.tables[relation.target]
    key = field.key
    if not relation.many:
        if value is None:
            return lambda record: not record.get(key)
        inner = _memoized(compile_where(store, relation.target, value, path), table)
        return lambda record: inner(record.get(key))
    if value is None:
        raise QueryError("%s may not be null" % path)
    inner = _memoized(compile_where(store, relation.target, value, path), table)

    def related(record):
        return [other for other in record.get(key) or () if other in table]
    if operator == "_some":
        return lambda record: any(inner(other) for other in related(record))
    if operator == "_every":
        return lambda record: all(inner(other) for other in related(record))
    if operator == "_none":
        return lambda record: not any(inner(other) for other in related(record))
    raise QueryError("%s: a to-many relation takes _some, _every or _none" % path)


def _compile_scalar(key, operator, value, path):
    if operator == "":
        if isinstance(value, (dict, list)):
            raise QueryError("%s must be a single value" % path)
        return lambda record: record.get(key) == value
    if operator == "_not":
        return lambda record: record.get(key) != value
    if operator in ("_in", "_not_in"):
        if value is None:
            raise QueryError("%s must be a list" % path)
        if not isinstance(value, list):
            value = [value]  # list input coercion
        members = _member_set(value)
        if operator == "_in":
            return lambda record: _hashable(record.get(key)) in members
        return lambda record: _hashable(record.get(key)) not in members
    if value is None:
        raise QueryError("%s may not be null" % path)
    if operator in ("_lt", "_lte", "_gt", "_gte"):
        compare = {
            "_lt": lambda a: a < value, "_lte": lambda a: a <= value,
            "_gt": lambda a: a > value, "_gte": lambda a: a >= value,
        }[operator]

        def ordered(record):
            current = record.get(key)
            if current is None:
                return False
            try:
                return compare(current)
            except TypeError:
                return False
        return ordered
    text_tests = {
        "_contains": lambda text: value in text,
        "_starts_with": lambda text: text.startswith(value),
        "_ends_with": lambda text: text.endswith(value),
    }
    positive = operator.replace("_not", "", 1) if operator.startswith("_not_") else operator
    test = text_tests.get(positive)
    if test is None:
        raise QueryError("%s: unknown operator %r" % (path, operator))
    negate = positive != operator

    def text(record):
        current = record.get(key)
        if current is None:
            return False
        return test(current) != negate
    return text


def _hashable(value):
    return tuple(value) if isinstance(value, list) else value


def _member_set(values):
    return set(_hashable(item) for item in values)


def order(records, resource, order_by, path="orderBy"):
    """Records sorted by `<field>_ASC` / `<field>_DESC` (nulls first ascending, last descending;
    ties by id)."""
    if not order_by:
        return records
    field, _, direction = order_by.rpartition("_")
    if direction not in ("ASC", "DESC") or field not in resource.order_fields:
        raise QueryError("%s: %r is not a way to order %s" % (path, order_by, resource.name))
    descending = direction == "DESC"
    ids = [record["id"] for record in records]
    if ids != sorted(ids):  # ties go by id; records are usually in id order already
        records = sorted(records, key=lambda record: record["id"])
    nulls = [record for record in records if record.get(field) is None]
    values = [record for record in records if record.get(field) is not None] if nulls else list(records)
    try:
        if values and isinstance(values[0][field], list):
            raise TypeError("lists go by their length")
        values.sort(key=itemgetter(field), reverse=descending)  # stable: ties keep the id order
    except TypeError:  # lists (by length), or values of mixed types
        values.sort(key=lambda record: _sortable(record[field]), reverse=descending)
    return values + nulls if descending else nulls + values


def _sortable(value):
    if isinstance(value, list):
        return (0, len(value), "")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (0, value, "")
    return (1, 0, str(value))


def paginate(records, first=None, skip=None, after=None, before=None, last=None):
    """Prisma-1 pagination: cursors (`after`/`before`, exclusive) first, then `skip` and
    `first` from the start or `skip` and `last` from the end."""
    for name, value in (("first", first), ("skip", skip), ("last", last)):
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
            raise QueryError("%s must be a non-negative integer" % name)
    for cursor, keep_after in ((after, True), (before, False)):
        if cursor is not None:
            index = _position(records, cursor)
            if index is None:
                return []  # like the server: a cursor that is not in the result selects nothing
            records = records[index + 1:] if keep_after else records[:index]
    skip = skip or 0
    if last is not None and first is None:
        if skip:
            records = records[:max(0, len(records) - skip)]
        return records[len(records) - last:] if last else []
    records = records[skip:]
    if first is not None:
        records = records[:first]
    if last is not None:
        records = records[len(records) - last:] if last else []
    return records


def _position(records, cursor):
    for index, record in enumerate(records):
        if record["id"] == cursor:
            return index
    return None


def run(store, type_name, body):
    """The records a `get-*` body selects, in order, paginated."""
    body = body or {}
    resource = store.catalog.resources[type_name]
    test = compile_where(store, type_name, body.get("where"))
    if test is _true:
        records = list(store.tables[type_name].values())
    else:
        records = [record for record in store.tables[type_name].values() if test(record)]
    records = order(records, resource, body.get("orderBy"))
    return paginate(records, body.get("first"), body.get("skip"), body.get("after"), body.get("before"),
                    body.get("last"))
