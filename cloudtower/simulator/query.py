"""Queries: Prisma-1 `where` filters, `orderBy`, and `first`/`skip`/`after`/`before`/`last`,
for any resource type (driven by the catalog, nothing per type).

`where` semantics: `f` equals (`null`: is null), `f_not` differs, `f_in`/`f_not_in`, `f_lt`,
`f_lte`, `f_gt`, `f_gte`; for text `f_contains`, `f_starts_with`, `f_ends_with` and their `_not_`
forms. `AND` (all; empty: true), `OR` (any; empty: false), `NOT` (none of them; empty: true). A
to-one relation takes the related type's where (`null`: no related resource); a to-many relation
takes `f_some`, `f_every`, `f_none`. As in any GraphQL input, a single value where a list is
expected is a list of that one value (`{"NOT": {...}}` is `{"NOT": [{...}]}`, `f_in: x` is
`f_in: [x]`).

How a query runs, without going through every record where an index can say: the parts of the
where that an index answers exactly - `id`, `id_in`, `f: value` and `f_in` of a plain field or a
to-one relation, a to-one relation's where (the ids of what it selects, then the records that
point at those) - give sets of candidate ids (`Store.lookup`); the other parts are a test per
record. The candidates are gone through in the table's order (the order records were made in,
which is id order: the few candidates sorted, many with the table and a membership test), and a
page of `first` n without orderBy stops at its n-th match. An ordered page of `first` n keeps the
n smallest (heapq, which breaks ties as the stable sort of all would), not a sort of everything.
A count without a test is the size of the candidates.
"""
from __future__ import absolute_import

import heapq

from cloudtower.model import INTEGER_TYPES, STRING_TYPES

from cloudtower.simulator.record import getter


class QueryError(Exception):
    """A query the server would refuse (HTTP 400); the message names the problem."""


def _true(record):
    return True


# -- tests -------------------------------------------------------------------------------------------

def compile_where(store, type_name, where, path="where"):
    """A predicate `record -> bool` for a where-object."""
    return plan(store, type_name, where, path, indexed=False).test


def _all_of(tests):
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
            return _all_of(parts)
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
    get = getter(resource.record_class, field_key)
    if field.relation is not None:
        return _compile_relation(store, field, get, operator, value, path)
    return _compile_scalar(get, operator, value, path)


def _compile_relation(store, field, get, operator, value, path):
    relation = field.relation
    table = store.tables[relation.target]
    if not relation.many:
        if value is None:
            return lambda record: not get(record)
        inner = _memoized(compile_where(store, relation.target, value, path), table)
        return lambda record: inner(get(record))
    if value is None:
        raise QueryError("%s may not be null" % path)
    inner = _memoized(compile_where(store, relation.target, value, path), table)

    def related(record):
        return [other for other in get(record) or () if other in table]
    if operator == "_some":
        return lambda record: any(inner(other) for other in related(record))
    if operator == "_every":
        return lambda record: all(inner(other) for other in related(record))
    if operator == "_none":
        return lambda record: not any(inner(other) for other in related(record))
    raise QueryError("%s: a to-many relation takes _some, _every or _none" % path)


def _compile_scalar(get, operator, value, path):
    if operator == "":
        if isinstance(value, (dict, list)):
            raise QueryError("%s must be a single value" % path)
        return lambda record: get(record) == value
    if operator == "_not":
        return lambda record: get(record) != value
    if operator in ("_in", "_not_in"):
        if value is None:
            raise QueryError("%s must be a list" % path)
        if not isinstance(value, list):
            value = [value]  # list input coercion
        members = _member_set(value)
        if operator == "_in":
            return lambda record: _hashable(get(record)) in members
        return lambda record: _hashable(get(record)) not in members
    if value is None:
        raise QueryError("%s may not be null" % path)
    if operator in ("_lt", "_lte", "_gt", "_gte"):
        compare = {
            "_lt": lambda a: a < value, "_lte": lambda a: a <= value,
            "_gt": lambda a: a > value, "_gte": lambda a: a >= value,
        }[operator]

        def ordered(record):
            current = get(record)
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
        current = get(record)
        if current is None:
            return False
        try:
            return test(current) != negate
        except (TypeError, AttributeError):  # not a text
            return False
    return text


def _hashable(value):
    return tuple(value) if isinstance(value, list) else value


def _member_set(values):
    return set(_hashable(item) for item in values)


# -- plans: candidates from indexes, and a test ------------------------------------------------------

class Plan(object):
    """How to find what a where selects: `sets`, collections of ids every match is in (None:
    any record may match), and `test`, what the sets do not settle."""

    __slots__ = ("sets", "test")

    def __init__(self, sets, test):
        self.sets = sets
        self.test = test


def plan(store, type_name, where, path="where", indexed=True):
    """The Plan of a where-object (`indexed=False`: every part a test, no sets)."""
    if where is None:
        return Plan(None, _true)
    if not isinstance(where, dict):
        raise QueryError("%s must be an object" % path)
    resource = store.catalog.resources[type_name]
    sets, tests = [], []
    for key, value in where.items():
        test = _compile_key(store, resource, key, value, "%s.%s" % (path, key))  # (checks the key too)
        found = _indexed(store, resource, key, value, path) if indexed else None
        if found is None:
            tests.append(test)
        else:
            sets.append(found)
    return Plan(sets or None, _all_of(tests))


def _indexed(store, resource, key, value, path):
    """The ids of exactly the records that one part of a where selects, when an index says
    (else None)."""
    if key == "id":
        return (value,) if _scalar(value) and value in store.tables[resource.name] else ()
    if key == "id_in":
        values = value if isinstance(value, list) else [value]
        table = store.tables[resource.name]
        return set(one for one in values if _scalar(one) and one in table)
    split = resource.where_keys.get(key)
    if split is None or split[0] is None:
        return None
    field_key, operator = split
    field = resource.fields[field_key]
    if field.relation is not None:
        if field.relation.many or operator != "":
            return None
        if value is None:
            return store.lookup(resource.name, field_key, None)
        inner = plan(store, field.relation.target, value, "%s.%s" % (path, key))
        return _union(store.lookup(resource.name, field_key, target["id"])
                      for target in matches(store, field.relation.target, inner))
    if operator == "" and _scalar(value):
        return store.lookup(resource.name, field_key, value)
    if operator == "_in" and (isinstance(value, list) or _scalar(value)):
        values = value if isinstance(value, list) else [value]
        if all(_scalar(one) for one in values):
            return _union(store.lookup(resource.name, field_key, one) for one in values)
    return None


def _scalar(value):
    return value is None or isinstance(value, _SCALARS)


def _union(collections):
    """One collection of the ids of several (None if one of them is None: not indexed)."""
    collections = list(collections)
    if any(found is None for found in collections):
        return None
    if len(collections) == 1:
        return collections[0]
    union = set()
    for found in collections:
        union.update(found)
    return union


def matches(store, type_name, query_plan):
    """The records a plan selects, in the table's order (a generator: stop when you have
    enough)."""
    table = store.tables[type_name]
    test = query_plan.test
    if query_plan.sets is None:
        return (record for record in table.values() if test(record)) if test is not _true \
            else iter(table.values())
    ordered = sorted(query_plan.sets, key=len)
    if not ordered[0]:
        return iter(())
    if store.in_id_order(type_name) and len(ordered[0]) <= max(64, len(table) // 4):
        ids = _intersection(ordered)
        chosen = (table.get(resource_id) for resource_id in sorted(ids))  # (sorting a few is cheaper)
        return (record for record in chosen if record is not None and test(record))
    first = ordered[0] if isinstance(ordered[0], (set, frozenset)) else set(ordered[0])
    if len(ordered) == 1:  # (the next two: one or two sets, the usual, without a loop per id)
        return (record for resource_id, record in table.items() if resource_id in first and test(record))
    if len(ordered) == 2:
        second = ordered[1]
        return (record for resource_id, record in table.items()
                if resource_id in first and resource_id in second and test(record))
    return (record for resource_id, record in table.items()
            if all(resource_id in ids for ids in ordered) and test(record))


def _intersection(sets):
    """The ids in every one of `sets` (a new set, or the one set there is)."""
    ordered = sorted(sets, key=len)
    first = ordered[0] if isinstance(ordered[0], (set, frozenset)) else set(ordered[0])
    return first.intersection(*ordered[1:]) if len(ordered) > 1 else first  # (in C, through the smaller)


_SCALARS = tuple(INTEGER_TYPES) + tuple(STRING_TYPES) + (float,)
SORTED_INDEX_FROM = 2000  # candidates from which a page by a field's order uses its sorted index


def _first_in_order(store, type_name, query_plan, order_by, wanted):
    """The first `wanted` records a plan selects by `order_by`: through the field's sorted
    index when many records are candidates, else the `wanted` smallest of the candidates; None
    when neither can order these values (`order` sorts them all then)."""
    resource = store.catalog.resources[type_name]
    field, descending = _order_key(resource, order_by, "orderBy")
    table = store.tables[type_name]
    sets = sorted(query_plan.sets, key=len) if query_plan.sets is not None else []
    if len(sets[0] if sets else table) >= SORTED_INDEX_FROM:
        ordered = store.in_order(type_name, field, descending)
        if ordered is not None:
            test, page = query_plan.test, []
            if wanted:
                for resource_id in ordered:
                    if all(resource_id in ids for ids in sets):
                        record = table[resource_id]
                        if test is _true or test(record):
                            page.append(record)
                            if len(page) >= wanted:
                                break
            return page
    chosen = _intersection(sets) if sets else None
    candidates = list(table.values()) if chosen is None else [table[one] for one in chosen if one in table]
    if query_plan.test is not _true:
        candidates = [record for record in candidates if query_plan.test(record)]
    return _top(candidates, resource, order_by, wanted)


def select(store, type_name, where, path="where"):
    """Every record a where-object selects, in the table's order."""
    return list(matches(store, type_name, plan(store, type_name, where, path)))


# -- order and pages -----------------------------------------------------------------------------

def _order_key(resource, order_by, path):
    """(field, descending) of an orderBy value."""
    field, _, direction = order_by.rpartition("_")
    if direction not in ("ASC", "DESC") or field not in resource.order_fields:
        raise QueryError("%s: %r is not a way to order %s" % (path, order_by, resource.name))
    return field, direction == "DESC"


def order(records, resource, order_by, path="orderBy", first=None, in_id_order=False):
    """Records sorted by `<field>_ASC` / `<field>_DESC` (nulls first ascending, last descending;
    ties by id); with `first`, only the first that many (the rest are not sorted).
    `in_id_order`: the records are in id order already."""
    if not order_by:
        return records if first is None else records[:first]
    field, descending = _order_key(resource, order_by, path)
    if not in_id_order:
        get_id = getter(resource.record_class, "id")
        ids = [get_id(record) for record in records]
        if ids != sorted(ids):  # ties go by id; records are usually in id order already
            records = sorted(records, key=get_id)
    get = getter(resource.record_class, field)
    nulls = [record for record in records if get(record) is None]
    values = [record for record in records if get(record) is not None] if nulls else list(records)
    wanted = None if first is None else max(0, first - (0 if descending else len(nulls)))
    try:
        if values and isinstance(get(values[0]), list):
            raise TypeError("lists go by their length")
        values = _sorted(values, get, descending, wanted)
    except TypeError:  # lists (by length), or values of mixed types
        values = _sorted(values, lambda record: _sortable(get(record)), descending, wanted)
    result = values + nulls if descending else nulls + values
    return result if first is None else result[:first]


class _Descending(object):
    """An id that sorts the other way (for ties of a descending order, which go by id)."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    def __lt__(self, other):
        return other.value < self.value

    def __eq__(self, other):
        return self.value == other.value


def _top(records, resource, order_by, wanted):
    """The first `wanted` records, in any order, by `order_by` (with ties by id, nulls first
    ascending and last descending); None when the values cannot be compared this way (lists,
    mixed types: `order` knows)."""
    field, descending = _order_key(resource, order_by, "orderBy")
    get, get_id = getter(resource.record_class, field), getter(resource.record_class, "id")
    if descending:
        def key(record):
            value = get(record)
            return (value is not None, value, _Descending(get_id(record)))
    else:
        def key(record):
            value = get(record)
            return (value is not None, value, get_id(record))
    if any(isinstance(get(record), (list, dict)) for record in records[:1]):
        return None
    try:
        return (heapq.nlargest if descending else heapq.nsmallest)(wanted, records, key=key)
    except TypeError:
        return None


def _sorted(records, key, descending, wanted):
    """`records` sorted by `key` (stable: ties keep their order), or the first `wanted` of them."""
    if wanted is None or wanted * 4 >= len(records):
        return sorted(records, key=key, reverse=descending)[:wanted]
    pick = heapq.nlargest if descending else heapq.nsmallest  # as stable as sorted(), documented
    return pick(wanted, records, key=key)


def _sortable(value):
    if isinstance(value, list):
        return (0, len(value), "")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (0, value, "")
    return (1, 0, str(value))


def _check_numbers(first, skip, last):
    for name, value in (("first", first), ("skip", skip), ("last", last)):
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
            raise QueryError("%s must be a non-negative integer" % name)


def paginate(records, first=None, skip=None, after=None, before=None, last=None):
    """Prisma-1 pagination: cursors (`after`/`before`, exclusive) first, then `skip` and
    `first` from the start or `skip` and `last` from the end."""
    _check_numbers(first, skip, last)
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


def _forward_page(found, first, skip, after):
    """`first` records after `skip` (and after the record `after`) of an iterator of records in
    order, taking no more of it than that."""
    if after is not None:
        for record in found:
            if record["id"] == after:
                break
        else:
            return []  # the cursor is not in the result: nothing
    page = []
    if first == 0:
        return page
    skip = skip or 0
    for record in found:
        if skip:
            skip -= 1
            continue
        page.append(record)
        if first is not None and len(page) >= first:
            break  # (before the next match is looked for)
    return page


# -- queries -----------------------------------------------------------------------------------------

def run(store, type_name, body):
    """The records a `get-*` body selects, in order, paginated."""
    body = body or {}
    resource = store.catalog.resources[type_name]
    query_plan = plan(store, type_name, body.get("where"))
    order_by, first, skip = body.get("orderBy"), body.get("first"), body.get("skip")
    after, before, last = body.get("after"), body.get("before"), body.get("last")
    _check_numbers(first, skip, last)
    if order_by:
        _order_key(resource, order_by, "orderBy")
    if order_by and first is not None and after is None and before is None and last is None:
        page = _first_in_order(store, type_name, query_plan, order_by, (skip or 0) + first)
        if page is not None:
            return page[skip or 0:]
    found = matches(store, type_name, query_plan)
    if not order_by and last is None and before is None:
        return _forward_page(found, first, skip, after)
    records = order(list(found), resource, order_by, in_id_order=store.in_id_order(type_name))
    return paginate(records, first, skip, after, before, last)


def count(store, type_name, body):
    """How many records a `get-*-connection` body selects."""
    body = body or {}
    if any(body.get(key) is not None for key in ("first", "skip", "after", "before", "last")):
        return len(run(store, type_name, body))
    if body.get("orderBy"):
        _order_key(store.catalog.resources[type_name], body["orderBy"], "orderBy")
    query_plan = plan(store, type_name, body.get("where"))
    if query_plan.test is _true:
        if query_plan.sets is None:
            return len(store.tables[type_name])
        return len(_intersection(query_plan.sets))
    return sum(1 for _ in matches(store, type_name, query_plan))
