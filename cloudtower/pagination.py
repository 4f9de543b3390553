"""Every resource a query matches, page by page: `paginate(VmApi(client).get_vms, body)`.

Pages are asked for with `first` and an `after` cursor (the id of a resource already seen),
keeping the caller's `where` and `orderBy` (`id_ASC` when there is none, so that the order is
total). CloudTower orders by the `orderBy` field and then by id, and `after: X` starts right
behind X *where X is now*. That is exact while X exists, still matches `where` and keeps its
`orderBy` value; it goes wrong when X was deleted meanwhile (the page comes back empty) or moved
(the page starts somewhere else). So each page is asked for `after` the second-to-last resource
seen, and must hold the last one seen with the `orderBy` value it had: then the page goes on from
where the last one was. When it does not, paginate goes back to the latest resource it yielded
that is still where it was (same `orderBy` value, still matched) and goes on from there. Ids
already yielded are remembered and never yielded again.

The rule: every resource that exists and matches `where` for the whole iteration, and whose
`orderBy` value does not change meanwhile, is yielded exactly once, whatever else is created,
deleted or changed; no resource is yielded twice. A resource created, deleted or changed during
the iteration may or may not be yielded. Ordering by a field that never changes (id, the default,
or a creation time) makes every resource present throughout come exactly once.
"""
from __future__ import absolute_import

import logging

from cloudtower.exceptions import ApiTypeError, ApiValueError
from cloudtower.model import encode

logger = logging.getLogger("cloudtower.pagination")

DEFAULT_PAGE_SIZE = 500
DEFAULT_ORDER = "id_ASC"
RESUME_PROBE = 8   # how many of the latest resources seen are checked first for a place to go on from
# Body fields paginate sets itself; the caller may give `after` (where to start), not these.
_OWN_FIELDS = ("first", "last", "before", "skip")


def paginate(method, body=None, page_size=DEFAULT_PAGE_SIZE, **options):
    """A `Paginator` over every resource `method` (a `get_*` query of an Api object, such as
    `VmApi(client).get_vms`) matches with `body` (its `where`, `orderBy` and optionally `after`,
    as a dict or the request model). `options` (`content_language`, `_request_timeout` ...) go
    with each request.

        for vm in paginate(VmApi(client).get_vms, {"where": {"status": "RUNNING"}}):
            print(vm.name)
    """
    return Paginator(method, body, page_size, options)


class Paginator(object):
    """Iterate it for the resources (models); `pages()` gives them a page (list) at a time and
    `count()` how many match now (one `-connection` request). See the module docstring for what
    is guaranteed while resources change."""

    def __init__(self, method, body=None, page_size=DEFAULT_PAGE_SIZE, options=None):
        operation = getattr(method, "operation", None)
        api = getattr(method, "__self__", None)
        if operation is None or api is None:
            raise ApiTypeError("paginate takes a query method of an Api object, such as "
                               "VmApi(client).get_vms, not %r" % (method,))
        if not _pageable(operation):
            raise ApiTypeError("%s cannot be paged: its body has no `first` and `after`" % operation.name)
        if isinstance(page_size, bool) or not isinstance(page_size, int) or page_size < 1:
            raise ApiValueError("page_size must be a positive integer, not %r" % (page_size,))
        self.method = method
        self.operation = operation
        self.page_size = page_size
        self.options = dict(options or {})
        query = encode(body, operation.body, api.api_client.client_side_validation, ("body",)) or {}
        given = [name for name in _OWN_FIELDS if query.get(name) is not None]
        if given:
            raise ApiValueError("paginate sets %s itself; take fewer with itertools.islice, or start "
                                "with `after`" % " and ".join(given), ("body", given[0]))
        self.where = query.get("where")
        self.order_by = query.get("orderBy") or DEFAULT_ORDER
        self.start_after = query.get("after")

    def __iter__(self):
        for page in self.pages():
            for item in page:
                yield item

    def pages(self):
        """The resources, a page (a list of at most `page_size`) at a time."""
        return _Walk(self).pages()

    def count(self):
        """How many resources match `where` now (the `-connection` operation; without one, by
        paging through them)."""
        counter = self._count_method()
        if counter is None:
            return sum(len(page) for page in self.pages())
        body = {"where": self.where} if self.where is not None else {}
        return counter(body, **self.options).aggregate.count

    def _count_method(self):
        api = self.method.__self__
        wanted = _item_type(self.operation) + "Connection"
        for name in dir(type(api)):
            operation = getattr(getattr(type(api), name), "operation", None)
            if operation is not None and operation.returns == wanted and not name.endswith("_with_http_info"):
                return getattr(api, name)
        return None

    def __repr__(self):
        return "<Paginator %s where=%r orderBy=%s page_size=%d>" % (
            self.operation.name, self.where, self.order_by, self.page_size)


class _Walk(object):
    """One iteration: the ids yielded, in order, and the `orderBy` value each had when last seen
    (every resource before it in that order has been seen by then)."""

    def __init__(self, paginator):
        self.paginator = paginator
        self.order_key = paginator.order_by.rpartition("_")[0]
        self.order = []         # ids in the order yielded
        self.values = {}        # id -> its orderBy value when last seen

    def pages(self):
        size = self.paginator.page_size
        start = self.paginator.start_after
        tail = [start] if start is not None else []   # the last two ids seen, in the server's order
        while True:
            cursor = tail[-2] if len(tail) == 2 else (tail[-1] if tail else None)
            expected = tail[-1] if len(tail) == 2 else None
            wanted = size + (1 if expected is not None else 0)
            page = self._fetch(cursor, wanted)
            ids = [item.id for item in page]
            if expected is not None and not self._in_place(expected, dict(zip(ids, page))):
                tail = self._resume_point()     # the cursor or the last one seen went away or moved
                continue
            if not page and cursor is not None and cursor != start and not self._still_in_place(cursor):
                tail = self._resume_point()     # the resume point went away after it was checked
                continue
            new = [item for item in page if item.id not in self.values]
            self.order.extend(item.id for item in new)
            for item in page:   # all up to here has been seen: a place to go on from
                self.values[item.id] = self._order_value(item)
            if new:
                yield new
            if len(page) < wanted:
                return
            tail = ([cursor] if cursor is not None else []) + ids
            tail = tail[-2:]

    def _fetch(self, cursor, first):
        body = {"orderBy": self.paginator.order_by, "first": first}
        if self.paginator.where is not None:
            body["where"] = self.paginator.where
        if cursor is not None:
            body["after"] = cursor
        return self.paginator.method(body, **self.paginator.options)

    def _order_value(self, item):
        if self.order_key == "id":
            return item.id
        return getattr(item, _attribute(type(item), self.order_key), None)

    def _matching(self, ids):
        """The resources of `ids` that still match `where`, by id."""
        where = {"id_in": list(ids)}
        if self.paginator.where is not None:
            where = {"AND": [self.paginator.where, where]}
        found = self.paginator.method({"where": where, "first": len(ids)}, **self.paginator.options)
        return dict((item.id, item) for item in found)

    def _in_place(self, resource_id, found):
        item = found.get(resource_id)
        return item is not None and self._order_value(item) == self.values.get(resource_id)

    def _still_in_place(self, resource_id):
        return self._in_place(resource_id, self._matching([resource_id]))

    def _resume_point(self):
        """A new `tail`: the latest resource yielded that still matches `where` with the same
        `orderBy` value; else where the caller started (what was yielded is not yielded again)."""
        size, end = RESUME_PROBE, len(self.order)
        while end > 0:
            chunk = self.order[max(0, end - size):end]
            found = self._matching(chunk)
            for resource_id in reversed(chunk):
                if self._in_place(resource_id, found):
                    logger.debug("%s: going on after %s", self.paginator.operation.name, resource_id)
                    return [resource_id]
            end -= len(chunk)
            size = min(size * 4, self.paginator.page_size)   # the last few usually do; else look further back
        logger.debug("%s: nothing yielded is where it was; starting again", self.paginator.operation.name)
        start = self.paginator.start_after
        return [start] if start is not None else []


def _pageable(operation):
    if not operation.body or not (operation.returns or "").startswith("list["):
        return False
    from cloudtower import models
    body = getattr(models, operation.body, None)
    keys = set(getattr(body, "attribute_map", {}).values())
    return "first" in keys and "after" in keys


def _item_type(operation):
    return operation.returns[len("list["):-1]


def _attribute(model_class, json_key):
    for attribute, key in model_class.attribute_map.items():
        if key == json_key:
            return attribute
    return json_key
