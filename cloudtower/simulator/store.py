"""The simulator's state: resources by type, their relations (kept consistent both ways), the
resource-change events, and saving/loading it all.

A record (`record.Record`: fields in slots, read like a dict) is keyed by JSON key, as the API
shows the resource, except that a relation holds ids: a to-one relation the related id (or
None), a to-many relation a list of ids. Keys starting with `_` are the simulator's own (a
user's password, messages in other languages ...) and are never sent.

Every change goes through `create`, `update`, `link` or `delete`, which keep the inverse side of
each relation in step and record an event with a new revision (never change a record in place:
the --state journal, the indexes and the JSON kept of records learn of a change only there).
- Once `track_changes()` is called, `changes()` says what changed since its last call (a journal
  entry), and `apply()` replays such an entry.
- `lookup()` finds records by a field's value through an index made on first use and kept up to
  date by those methods; `in_order()` goes through them by a field's order, through a sorted
  index made and kept the same way.
- `rendered_json()` keeps the JSON of records as the API shows them (up to RENDERED_BYTES) until
  they, or what they show of related resources, change.
- `totals()` sums numbers of records grouped by a field (a `Summary`: the VMs of each host,
  cluster and folder), made on first use and kept up to date the same way, so a counter of what
  a resource holds costs nothing per change.
"""
from __future__ import absolute_import

import bisect
import collections
import datetime
import json
import operator
import re
import sys
import threading

from cloudtower.model import INTEGER_TYPES, STRING_TYPES, fields
from cloudtower.simulator import shapes
from cloudtower.simulator.record import Record, getter

_keys = dict.viewkeys if sys.version_info[0] == 2 else dict.keys  # a set-like view

EPOCH = datetime.datetime(2026, 1, 1)

# A table keeps its records in the order they were made: a dict does from Python 3.7 on (and
# is faster to go through than an OrderedDict).
_Table = dict if sys.version_info >= (3, 7) else collections.OrderedDict
_UNIX_EPOCH = datetime.datetime(1970, 1, 1)


class Clock(object):
    """Wall time, or (for tests) time that only moves when told to."""

    def __init__(self, frozen=None):
        self._frozen = frozen
        self._offset = 0.0

    def now(self):
        """Seconds since the epoch."""
        import time
        if self._frozen is not None:
            return self._frozen + self._offset
        return time.time() + self._offset

    def advance(self, seconds):
        self._offset += seconds

    def iso(self, seconds=None):
        """An ISO-8601 UTC timestamp (`2026-01-01T00:00:00.000Z`)."""
        # (not utcfromtimestamp: deprecated since Python 3.12)
        seconds = self.now() if seconds is None else seconds
        return iso_format(_UNIX_EPOCH + datetime.timedelta(seconds=seconds))


def iso_format(moment):
    """A datetime as the API writes it: `2026-01-01T00:00:00.000Z` (milliseconds, truncated)."""
    text = moment.isoformat()  # (twice as fast as strftime; no fraction when there is none)
    return (text[:23] if moment.microsecond else text + ".000") + "Z"


def resource_type_name(name):
    """The resource type as change events name it: `VmDisk` -> `VM_DISK`."""
    return re.sub(r"([a-z\d])([A-Z])", r"\1_\2", name).upper()


class Store(object):
    """All resources of the simulated CloudTower; use `with store.lock:` around compound changes."""

    def __init__(self, catalog, clock=None, max_events=10000):
        self.catalog = catalog
        self.clock = clock or Clock()
        self.lock = threading.RLock()
        self.max_events = max_events
        self.tables = dict((name, _Table()) for name in catalog.resources)
        self.events = collections.deque()
        self.revision = 0
        self.compact_revision = 0
        self.id_counter = 0
        self.settings = {}          # simulator-wide facts: users' tokens, upload buffers ...
        self._nested_cache = {}     # Nested* class -> {id: the Nested* object shown}
        self._touched = None        # type name -> {id: None} changed since changes(), in order (None: not tracked)
        self._indexes = {}          # type name -> {field key: {value: id or set of ids}}
        self._orders = {}           # type name -> {field key: _Order}
        self._totals = {}           # type name -> {Summary: {field key: {value: [sums]}}}
        self._hidden_in_events = {}  # type name -> the keys events leave out
        self._linked = {}           # type name -> [(inverse, getter)] of the relations `add` links back
        self._in_id_order = dict((name, True) for name in catalog.resources)  # table order is id order
        self._newest_id = {}        # type name -> the largest id inserted (while in id order)
        self._rendered = {}         # type name -> {id: JSON bytes of the record as rendered in en-US}
        self._rendered_bytes = 0
        self._settings_seen = {}    # settings as the last changes() saw them
        self._revision_seen = 0     # the newest event the last changes() saw

    # -- ids -------------------------------------------------------------------------------

    def new_id(self):
        """A cuid-like id; ids grow with creation order, so sorting by id sorts by age."""
        self.id_counter += 1
        number = self.id_counter
        tag = number * 7919 % _FOUR_DIGITS
        if number < _FOUR_DIGITS:  # (the first 1.6 million: two pairs of digits each, no loop)
            return "cl000000%s%ssim%s%s" % (_PAIRS[number // 1296], _PAIRS[number % 1296],
                                            _PAIRS[tag // 1296], _PAIRS[tag % 1296])
        return "cl%ssim%s" % (_base36(number, 10), _base36(tag, 4))

    # -- reading ---------------------------------------------------------------------------

    def get(self, type_name, resource_id):
        """The record of a resource, or None."""
        return self.tables[type_name].get(resource_id)

    def records(self, type_name):
        """Every record of a type, oldest first (a list: safe to iterate while changing)."""
        return list(self.tables[type_name].values())

    def find(self, type_name, **values):
        """The first record (the oldest) whose fields equal `values`, or None."""
        table = self.tables[type_name]
        ids = None
        for key, value in values.items():
            found = self.lookup(type_name, key, value)
            if found is not None and (ids is None or len(found) < len(ids)):
                ids = found
        if ids is not None and self._in_id_order[type_name]:
            records = (table[resource_id] for resource_id in sorted(ids))
        else:
            records = table.values()
        for record in records:
            if all(record.get(key) == value for key, value in values.items()):
                return record
        return None

    def render(self, type_name, record, language="en-US"):
        """The resource as the API returns it."""
        return shapes.render(self, self.catalog.resources[type_name], record, language)

    def rendered_json(self, type_name, record):
        """The record as the API shows it (in en-US), as JSON bytes; kept until it, or what it
        shows of a related resource, changes."""
        rendered = self._rendered.get(type_name)
        if rendered is None:
            rendered = self._rendered[type_name] = {} if self.catalog.renders_plainly(type_name) else None
        elif record["id"] in rendered:
            return rendered[record["id"]]
        text = encode_json(self.render(type_name, record))
        if rendered is not None and self._rendered_bytes + len(text) <= RENDERED_BYTES:
            rendered[record["id"]] = text
            self._rendered_bytes += len(text)
        return text

    def _forget_shown(self, type_name, record, keys=None):
        """Forget the rendered JSON of the records that show `record` (when `keys`, the fields
        that changed, include one they show)."""
        if not self._rendered or (keys is not None and not self.catalog.shown_keys(type_name) & set(keys)):
            return
        for owner, inverse_key in self.catalog.referrers(type_name):
            rendered = self._rendered.get(owner)
            if not rendered:
                continue
            if inverse_key is None:  # who points at it is not kept: forget them all
                self._rendered_bytes -= sum(len(text) for text in rendered.values())
                rendered.clear()
                continue
            for other in _ids(record.get(inverse_key)):
                text = rendered.pop(other, None)
                if text is not None:
                    self._rendered_bytes -= len(text)

    def nested(self, relation, resource_id):
        """The `Nested*` object a relation shows for a related resource (None if it is gone)."""
        cache = self._nested_cache.get(relation.nested)
        if cache is None:
            cache = self._nested_cache[relation.nested] = {}
        value = cache.get(resource_id)
        if value is None:
            target = self.tables[relation.target].get(resource_id)
            if target is None:
                return None
            resource = self.catalog.resources[relation.target]
            value = shapes.nested(relation.nested, target, self, resource)
            if not any(field.key in resource.relations for field in fields(relation.nested).values()):
                cache[resource_id] = value  # one that shows relations would not see them change
        return value

    def nested_list(self, relation, resource_ids):
        """The `Nested*` objects of a to-many relation (those still there)."""
        cache = self._nested_cache.get(relation.nested) or {}
        shown = []
        for resource_id in resource_ids:
            value = cache.get(resource_id)
            if value is None:
                value = self.nested(relation, resource_id)
                if value is None:
                    continue
            shown.append(value)
        return shown

    def lookup(self, type_name, key, value):
        """The ids of the records whose field `key` equals `value` (a set, or a tuple of one id;
        through an index, made on first use). None when `key` cannot be indexed: not a plain
        field or a to-one relation, or a value that cannot be hashed."""
        indexes = self._indexes.get(type_name)
        index = indexes.get(key) if indexes is not None else None
        if index is None:
            if not self.indexable(type_name, key):
                return None
            index = self._index(type_name, key)
            if index is None:
                return None
        try:
            found = index.get(value)
        except TypeError:  # an unhashable value (a list): equal to no indexed value
            return None
        if found is None:
            return ()
        return (found,) if not isinstance(found, set) else found

    def indexable(self, type_name, key):
        """Whether a field can be looked up by value: a plain field (not a list or object) or a
        to-one relation."""
        field = self.catalog.resources[type_name].fields.get(key)
        if field is None:
            return key == "id"
        if field.relation is not None:
            return not field.relation.many
        return field.type in _SCALAR_TYPES or field.enum is not None

    def in_order(self, type_name, key, descending=False):
        """The ids of a table's records by the value of `key` (nulls first ascending, last
        descending; ties by id), through a sorted index made on first use; None when the values
        cannot be ordered that way (lists, mixed types)."""
        orders = self._orders.setdefault(type_name, {})
        found = orders.get(key)
        if found is None:
            if not self.indexable(type_name, key):
                return None
            found = _Order.of(self.tables[type_name].values(), key)
            if found is None:
                return None
            orders[key] = found
        return found.descending() if descending else found.ascending()

    def in_id_order(self, type_name):
        """Whether the table's order (the order records were made in) is the order of their ids
        (as with every id `new_id` makes)."""
        return self._in_id_order[type_name]

    def totals(self, summary, key, value):
        """The sums of `summary.of(record)` over the records whose field `key` (one of
        `summary.by`) is `value`, by `summary.names` (zeros when there are none). Made in one
        pass over the table on first use, then kept up to date by every change, so always what
        a pass over the records would give."""
        made = self._totals.setdefault(summary.type_name, {})
        groups = made.get(summary)
        if groups is None:
            groups = made[summary] = summary.tally(self.tables[summary.type_name].values())
        return dict(zip(summary.names, groups[key].get(value) or (0,) * len(summary.names)))

    def _index(self, type_name, key):
        index = {}
        try:
            for resource_id, record in self.tables[type_name].items():
                _index(index, record.get(key), resource_id)
        except TypeError:  # a value that cannot be hashed: this field is not looked up by value
            return None
        self._indexes.setdefault(type_name, {})[key] = index
        return index

    def _set(self, type_name, record, key, value):
        """Set a field of a stored record (and keep its indexes and totals, if any, up to date)."""
        totals = self._totals.get(type_name)
        moved = [(summary, groups) for summary, groups in totals.items() if key in summary.watched] \
            if totals else ()
        for summary, groups in moved:
            summary.count(groups, record, -1)
        orders = self._orders.get(type_name)
        if orders and key in orders:
            old = record.get(key)
            if old != value or type(old) is not type(value):
                order = orders[key]
                order.remove(old, record["id"])
                if not order.add(value, record["id"]):
                    del orders[key]
        indexes = self._indexes.get(type_name)
        if indexes and key in indexes:
            old = record.get(key)
            if old != value or type(old) is not type(value):
                index = indexes[key]
                _unindex(index, old, record["id"])
                try:
                    _index(index, value, record["id"])
                except TypeError:
                    del indexes[key]
        record[key] = value
        for summary, groups in moved:
            summary.count(groups, record, 1)

    def _insert(self, type_name, resource_id, record, indexed=True):
        """Add a new record at the end of its table (and to its indexes)."""
        if self._in_id_order[type_name]:
            newest = self._newest_id.get(type_name)
            if isinstance(resource_id, _TEXT) and (newest is None or resource_id > newest):
                self._newest_id[type_name] = resource_id
            else:
                self._in_id_order[type_name] = False
        self.tables[type_name][resource_id] = record
        if indexed and type_name in self._totals:
            for summary, groups in self._totals[type_name].items():
                summary.count(groups, record, 1)
        if indexed and (type_name in self._indexes or type_name in self._orders):
            for key, index in list(self._indexes.get(type_name, {}).items()):
                try:
                    _index(index, record.get(key), resource_id)
                except TypeError:
                    del self._indexes[type_name][key]
            for key, order in list(self._orders.get(type_name, {}).items()):
                if not order.add(record.get(key), resource_id):
                    del self._orders[type_name][key]

    # -- changing --------------------------------------------------------------------------

    def create(self, type_name, values=None, event=True, _making=()):
        """Add a resource: `values` by JSON key, relations as ids; missing required fields get
        plain defaults - a required to-one relation the first resource of its type (one not
        taken yet, for a one-to-one relation), or a new plain one when there is none. Returns
        the record."""
        resource = self.catalog.resources[type_name]
        values = values or {}
        given_id = values.get("id")
        resource_id = given_id or self.new_id()
        links = {"id": resource_id}
        relations, tables = resource.relations, self.tables
        for key in _keys(values) & _keys(relations):  # (as link() does, for a new record)
            relation, value = relations[key], values[key]
            table = tables[relation.target]
            if not relation.many and not isinstance(value, (list, tuple)):
                links[key] = value if value and value in table else None
            else:
                ids = [other for other in _ids(value) if other in table]
                links[key] = ids if relation.many else (ids[0] if ids else None)
        required = resource.required_to_one
        if required and not all(links.get(key) for key, _ in required):
            links.update(self._required_links(resource, links, event, _making + (type_name,)))
        record = shapes.blank_record(resource, self.clock, values, links)
        self._insert(type_name, resource_id, record)
        self._touch(type_name, resource_id)
        for key, value in links.items():
            inverse = relations[key].inverse if value and key != "id" else None
            if inverse is not None:
                self._link_back(inverse, value, resource_id, not given_id)
        if event:
            self._event(type_name, resource_id, "CREATE", None, record)
        return record

    def blank(self, type_name):
        """A new dict of every field of the type with the plain default `create` gives it (a
        timestamp-like field the clock's time now), to fill in for `add`."""
        return shapes.blank_record(self.catalog.resources[type_name], self.clock).to_dict()

    def add(self, type_name, values):
        """Add a new resource made whole, without an event: `values` (a dict of this store's, as
        `blank` gives it, filled in) holds every field of the type, its relations ids of records
        that exist (each list its own), and gets the new id. `create` without its defaults and
        checks, for building a large estate (the seed's VMs): half the time. Returns the record."""
        resource_id = values["id"] = self.new_id()
        try:
            record = self.catalog.resources[type_name].record_class.from_dict(values, complete=True)
        except KeyError as error:
            raise ValueError("Store.add(%r): the values lack the field %s (start from blank())"
                             % (type_name, error))
        self._insert(type_name, resource_id, record)
        self._touch(type_name, resource_id)
        linked = self._linked.get(type_name)
        if linked is None:
            linked = self._linked[type_name] = [
                (relation.inverse, getter(type(record), key))
                for key, relation in sorted(self.catalog.resources[type_name].relations.items())
                if relation.inverse is not None]
        for inverse, read in linked:
            value = read(record)
            if value:
                self._link_back(inverse, value, resource_id, True)
        return record

    def _link_back(self, inverse, value, resource_id, new):
        """Link a new record into the inverse relation of each record its relation names
        (`value`: an id or a list of ids)."""
        if isinstance(value, list):
            for other in value:
                self._link_one(inverse, other, resource_id, new)
        else:
            self._link_one(inverse, value, resource_id, new)

    def _required_links(self, resource, relations, event, making):
        links = {}
        for key, relation in resource.required_to_one:
            if _ids(relations.get(key)):
                continue
            table = self.tables[relation.target]
            inverse = relation.inverse
            if inverse is not None and not inverse.many:  # one-to-one: do not take another's
                target = next((other for other, record in table.items() if not record.get(inverse.key)), None)
            else:
                target = next(iter(table), None)
            if target is None and relation.target not in making:
                target = self.create(relation.target, None, event, making)["id"]
            if target is not None:
                links[key] = target
        return links

    def update(self, type_name, resource_id, values, event=True):
        """Change fields of a resource (relations given as ids). Returns the record."""
        resource = self.catalog.resources[type_name]
        record = self.tables[type_name][resource_id]
        old = self._event_value(type_name, record) if event else None
        for key, value in values.items():
            if key in resource.relations:
                self.link(type_name, resource_id, key, value, event=False)
            else:
                self._set(type_name, record, key, value)
        self._touch(type_name, resource_id)
        self._forget_nested(type_name, resource_id)
        self._forget_shown(type_name, record, values)
        if event:
            self._event(type_name, resource_id, "UPDATE", old, record)
        return record

    def link(self, type_name, resource_id, key, value, event=True):
        """Point relation `key` of a resource at `value` (an id, a list of ids or None), and
        update the inverse relation of every resource that gains or loses the link."""
        relation = self.catalog.resources[type_name].relations[key]
        record = self.tables[type_name][resource_id]
        old_ids = _ids(record.get(key))
        table, seen = self.tables[relation.target], set()
        new_ids = [i for i in _ids(value) if i in table and not (i in seen or seen.add(i))]  # (once each)
        if relation.many:
            record[key] = new_ids
        else:
            self._set(type_name, record, key, new_ids[0] if new_ids else None)
        self._touch(type_name, resource_id)
        inverse = relation.inverse
        if inverse is not None:
            kept, had = set(new_ids), set(old_ids)  # (lists may be long: look up in sets)
            for gone in old_ids:
                if gone not in kept:
                    self._unlink_one(inverse, gone, resource_id)
            for added in new_ids:
                if added not in had:
                    self._link_one(inverse, added, resource_id)
        if event:
            self._event(type_name, resource_id, "UPDATE", None, record)

    def _link_one(self, relation, resource_id, other_id, new=False):
        """Add `other_id` to the relation of a record (`new`: a record just made with an id of
        `new_id`, which no list can hold yet - a long list is not searched for it)."""
        record = self.tables[relation.owner].get(resource_id)
        if record is None:
            return
        self._touch(relation.owner, resource_id)
        if relation.many:
            current = record.get(relation.key)
            if not current:
                record[relation.key] = [other_id]  # (an empty list may be the shared EMPTY)
            elif new or other_id not in current:
                current.append(other_id)  # a list of this record's own (see link)
        else:
            previous = record.get(relation.key)
            if previous and previous != other_id and relation.inverse is not None:
                self._unlink_one(relation.inverse, previous, resource_id)
            self._set(relation.owner, record, relation.key, other_id)

    def _unlink_one(self, relation, resource_id, other_id):
        record = self.tables[relation.owner].get(resource_id)
        if record is None:
            return
        self._touch(relation.owner, resource_id)
        if relation.many:
            current = record.get(relation.key)
            if current:  # (not the shared EMPTY)
                try:  # in place, as _link_one appends (a copy costs as much as the list); an id is there once
                    current.remove(other_id)
                except ValueError:  # not there
                    pass
        elif record.get(relation.key) == other_id:
            self._set(relation.owner, record, relation.key, None)

    def delete(self, type_name, resource_id, event=True):
        """Remove a resource and every link to it. Returns the removed record."""
        resource = self.catalog.resources[type_name]
        record = self.tables[type_name].pop(resource_id)
        for key, index in self._indexes.get(type_name, {}).items():
            _unindex(index, record.get(key), resource_id)
        for key, order in self._orders.get(type_name, {}).items():
            order.remove(record.get(key), resource_id)
        for summary, groups in self._totals.get(type_name, {}).items():
            summary.count(groups, record, -1)
        self._touch(type_name, resource_id)
        for key, relation in resource.relations.items():
            if relation.inverse is not None:
                for other in _ids(record.get(key)):
                    self._unlink_one(relation.inverse, other, resource_id)
        self._forget_nested(type_name, resource_id)
        self._forget_shown(type_name, record)
        if event:
            self._event(type_name, resource_id, "DELETE", record, None)
        return record

    def _forget_nested(self, type_name, resource_id):
        for nested_class in self.catalog.nested_classes(type_name):
            cache = self._nested_cache.get(nested_class)
            if cache:
                cache.pop(resource_id, None)

    # -- events ----------------------------------------------------------------------------

    def _event(self, type_name, resource_id, action, old, new):
        previous = self.revision
        self.revision += 1
        self.events.append({
            "revision": str(self.revision),
            "prev_revision": str(previous),
            "resource_type": resource_type_name(type_name),
            "resource_id": resource_id,
            "action": action,
            "old_value": old if isinstance(old, str) else self._event_value(type_name, old),
            "new_value": self._event_value(type_name, new),
            "created_at": self.clock.iso(),
        })
        if len(self.events) > self.max_events:
            self.compact(self.max_events)

    def _event_value(self, type_name, record):
        """A record's JSON text as events show it: without the simulator's own `_` keys, and
        without its to-many relations (the other side's links: a VM's event names its host, a
        host's does not list its VMs - which would make every change of a VM cost as much as
        the VMs of its host and cluster, in time and in the events kept)."""
        if record is None:
            return ""
        hidden = self._hidden_in_events.get(type_name)
        if hidden is None:
            hidden = self._hidden_in_events[type_name] = frozenset(
                key for key, relation in self.catalog.resources[type_name].relations.items() if relation.many)
        plain = record.to_dict() if isinstance(record, Record) else record
        return json.dumps(dict((key, value) for key, value in plain.items()
                               if not key.startswith("_") and key not in hidden), sort_keys=True)

    def compact(self, keep):
        """Drop all but the newest `keep` events (as the server's compaction does)."""
        while len(self.events) > keep:
            dropped = self.events.popleft()
            self.compact_revision = max(self.compact_revision, int(dropped["revision"]))

    # -- tracking changes (the --state journal) ---------------------------------------------

    def track_changes(self):
        """Remember from now on what changes, for `changes()` (the state as it is now is known)."""
        self._touched = {}
        self._settings_seen = _json_copy(self.settings)
        self._revision_seen = self.revision

    def _touch(self, type_name, resource_id):
        """Note that a record changed (for the journal and the rendered JSON)."""
        rendered = self._rendered.get(type_name)
        if rendered:
            text = rendered.pop(resource_id, None)
            if text is not None:
                self._rendered_bytes -= len(text)
        if self._touched is not None:
            touched = self._touched.get(type_name)
            if touched is None:
                touched = self._touched[type_name] = _Table()  # in order: new records are appended in it
            touched[resource_id] = None

    def changes(self):
        """What changed since the last call, as a journal entry (JSON data to serialize at once,
        before anything changes again), or None: every record made, changed or deleted, as
        `[id, record or None]` in the order first changed (new records in the order made), the
        new events, the counters, and the settings that changed."""
        if self._touched is None:
            return None
        settings = self._settings_changes()
        if not self._touched and not settings and self.revision == self._revision_seen:
            return None
        records = {}
        for type_name, ids in self._touched.items():
            table = self.tables[type_name]
            records[type_name] = [[resource_id, _plain(table.get(resource_id))] for resource_id in ids]
        self._touched = {}
        events = []
        for event in reversed(self.events):
            if int(event["revision"]) <= self._revision_seen:
                break
            events.append(event)
        events.reverse()
        self._revision_seen = self.revision
        return {"records": records, "events": events, "settings": settings, "revision": self.revision,
                "compact_revision": self.compact_revision, "id_counter": self.id_counter}

    def _settings_changes(self):
        """[["set", key, value] | ["del", key] | ["merge", key, {subkey: value}, [removed subkeys]]]:
        how the settings changed since the last call (a dict setting by the keys that changed in
        it: tokens are many)."""
        seen, operations = self._settings_seen, []
        for key, value in self.settings.items():
            old = seen.get(key, _MISSING)
            if old == value:
                continue
            if isinstance(old, dict) and isinstance(value, dict):
                changed = dict((name, item) for name, item in value.items() if old.get(name, _MISSING) != item)
                operations.append(["merge", key, changed, [name for name in old if name not in value]])
            else:
                operations.append(["set", key, value])
            seen[key] = _json_copy(value)
        for key in [key for key in seen if key not in self.settings]:
            operations.append(["del", key])
            del seen[key]
        return _json_copy(operations) if operations else operations

    def apply(self, entry):
        """Replay a `changes()` entry (again, or on a state that already has some of it: each
        part sets what it names, so replaying is harmless)."""
        for type_name, records in entry.get("records", {}).items():
            table = self.tables.get(type_name)
            if table is None:
                continue  # a type this API version does not have
            make = self.catalog.resources[type_name].record_class.from_dict
            for resource_id, record in records:
                if record is None:
                    table.pop(resource_id, None)
                elif resource_id in table:
                    table[resource_id] = make(record)
                else:
                    self._insert(type_name, resource_id, make(record), indexed=False)
            self._indexes.pop(type_name, None)  # made again on first use
            self._orders.pop(type_name, None)
            self._totals.pop(type_name, None)
        self._rendered = {}
        self._rendered_bytes = 0
        newest = int(self.events[-1]["revision"]) if self.events else 0
        self.events.extend(event for event in entry.get("events", ()) if int(event["revision"]) > newest)
        self.revision = max(self.revision, entry.get("revision", 0))
        self.compact_revision = max(self.compact_revision, entry.get("compact_revision", 0))
        self.id_counter = max(self.id_counter, entry.get("id_counter", 0))
        self.compact(self.max_events)
        for operation in entry.get("settings", ()):
            if operation[0] == "set":
                self.settings[operation[1]] = operation[2]
            elif operation[0] == "del":
                self.settings.pop(operation[1], None)
            elif operation[0] == "merge":
                value = self.settings.setdefault(operation[1], {})
                value.update(operation[2])
                for name in operation[3]:
                    value.pop(name, None)
        self._nested_cache = {}

    # -- saving ------------------------------------------------------------------------------

    def dump(self):
        """Everything as plain JSON data."""
        return {
            "format": 1,
            "tables": dict((name, [record.to_dict() for record in table.values()])
                           for name, table in self.tables.items() if table),
            "events": list(self.events),
            "revision": self.revision,
            "compact_revision": self.compact_revision,
            "id_counter": self.id_counter,
            "settings": self.settings,
        }

    def load(self, data):
        """Replace everything with what `dump` gave."""
        self.tables = dict((name, _Table()) for name in self.catalog.resources)
        for name, records in data.get("tables", {}).items():
            if name in self.tables:
                make = self.catalog.resources[name].record_class.from_dict
                table = self.tables[name]
                for record in records:
                    table[record["id"]] = make(record)
        self.events = collections.deque(data.get("events", []))
        self.revision = data.get("revision", 0)
        self.compact_revision = data.get("compact_revision", 0)
        self.id_counter = data.get("id_counter", 0)
        self.settings = data.get("settings", {})
        self._nested_cache = {}     # Nested* class -> {id: the Nested* object shown}
        self._touched = None        # everything changed: whoever tracks changes starts again
        self._indexes = {}
        self._orders = {}
        self._totals = {}
        self._in_id_order = dict((name, _in_order(list(table))) for name, table in self.tables.items())
        self._newest_id = dict((name, max(table)) for name, table in self.tables.items()
                               if table and self._in_id_order[name])
        self._rendered = {}
        self._rendered_bytes = 0


RENDERED_BYTES = 64 * 1024 * 1024  # JSON kept of rendered records, at most
_MISSING = object()
_SCALAR_TYPES = frozenset(["str", "int", "float", "bool", "datetime", "date"])
_TEXT = STRING_TYPES
_NUMBERS = (float,) + tuple(INTEGER_TYPES)


def _index(index, value, resource_id):
    """Add an id under `value` (one id alone, more in a set)."""
    found = index.get(value)
    if found is None:
        index[value] = resource_id
    elif isinstance(found, set):
        found.add(resource_id)
    elif found != resource_id:
        index[value] = set([found, resource_id])


def _unindex(index, value, resource_id):
    try:
        found = index.get(value)
    except TypeError:
        return
    if found is None:
        return
    if isinstance(found, set):
        found.discard(resource_id)
        if len(found) == 1:
            index[value] = next(iter(found))
        elif not found:
            del index[value]
    elif found == resource_id:
        del index[value]


class _Order(object):
    """A table's ids sorted by a field: `entries`, sorted (value, id) pairs of the records with
    a value, and `nulls`, the sorted ids of those without."""

    __slots__ = ("entries", "nulls", "kind")

    @classmethod
    def of(cls, records, key):
        """The order of `records` by `key`, or None if their values are not all of one kind
        that compares (text, numbers)."""
        order = cls()
        order.kind, order.entries, order.nulls = None, [], []
        for record in records:
            value = record.get(key)
            if value is None:
                order.nulls.append(record["id"])
            elif order.fits(value):
                order.entries.append((value, record["id"]))
            else:
                return None
        try:
            order.entries.sort()
            order.nulls.sort()
        except TypeError:  # ids that do not compare
            return None
        return order

    def fits(self, value):
        kind = "text" if isinstance(value, _TEXT) else "number" if isinstance(value, _NUMBERS) else None
        if kind is None or (self.kind is not None and kind != self.kind):
            return False
        self.kind = kind
        return True

    def add(self, value, resource_id):
        """Add a record's value; False if it does not fit (the order must go)."""
        if value is None:
            bisect.insort(self.nulls, resource_id)
        elif self.fits(value):
            bisect.insort(self.entries, (value, resource_id))
        else:
            return False
        return True

    def remove(self, value, resource_id):
        if value is None:
            entries, item = self.nulls, resource_id
        else:
            entries, item = self.entries, (value, resource_id)
        try:
            index = bisect.bisect_left(entries, item)
        except TypeError:
            return
        if index < len(entries) and entries[index] == item:
            del entries[index]

    def ascending(self):
        for resource_id in self.nulls:
            yield resource_id
        for _, resource_id in self.entries:
            yield resource_id

    def descending(self):
        """By value, largest first, ties still by id (ascending), then the nulls."""
        entries, end = self.entries, len(self.entries)
        while end > 0:
            start = bisect.bisect_left(entries, (entries[end - 1][0],), 0, end)
            for index in range(start, end):
                yield entries[index][1]
            end = start
        for resource_id in self.nulls:
            yield resource_id


class Summary(object):
    """Numbers summed over the records of `type_name`, grouped by each of the fields `by` (plain
    fields or to-one relations): `of(record)` gives what a record adds, a tuple of numbers in the
    order of `names`, read from its fields `fields` (plain fields or to-one relations too: the
    store learns of their changes). A record whose `by` field is None counts in no group of it.
    See `Store.totals`."""

    def __init__(self, type_name, by, fields, names, of):
        self.type_name = type_name
        self.by = tuple(by)
        self.names = tuple(names)
        self.of = of
        self.watched = frozenset(fields) | frozenset(by)   # the fields a change of which moves sums

    def tally(self, records):
        """{key of `by`: {value: [sums]}} of `records`."""
        groups = dict((key, {}) for key in self.by)
        for record in records:
            self.count(groups, record, 1)
        return groups

    def count(self, groups, record, sign):
        """Add (`sign` 1) or take away (-1) what a record adds to the sums of its groups."""
        part, combine = self.of(record), operator.add if sign > 0 else operator.sub
        for key in self.by:
            value = record.get(key)
            if value is None:
                continue
            sums = groups[key].get(value)
            if sums is None:
                sums = groups[key][value] = [0] * len(self.names)
            sums[:] = map(combine, sums, part)

    def __repr__(self):
        return "<Summary of %s by %s: %s>" % (self.type_name, ", ".join(self.by), ", ".join(self.names))


def _in_order(ids):
    """Whether a list of ids is sorted (every one a text)."""
    return all(isinstance(one, _TEXT) and isinstance(other, _TEXT) and one < other
               for one, other in zip(ids, ids[1:]))


def _json_copy(value):
    """A deep copy of JSON data."""
    return json.loads(json.dumps(value))


# Compact, UTF-8 as it is, and no check for cycles (answers are trees: the check costs ~10% of
# encoding a 10,000-VM answer).
_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, check_circular=False)


def encode_json(value):
    """The bytes of a JSON answer."""
    text = _ENCODER.encode(value)
    return text.encode("utf-8") if not isinstance(text, bytes) else text


def _plain(record):
    return record.to_dict() if record is not None else None


def _ids(value):
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [item for item in value if item]
    return [value]


_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
_PAIRS = [first + second for first in _DIGITS for second in _DIGITS]  # 0 .. 36**2 - 1 in base 36
_FOUR_DIGITS = 36 ** 4


def _base36(number, width):
    """`number` in base 36, `width` digits (more if it needs them), zero-padded."""
    text = ""
    while number:
        number, rest = divmod(number, 1296)
        text = _PAIRS[rest] + text
    return text.lstrip("0").rjust(width, "0")
