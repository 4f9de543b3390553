"""The simulator's state: resources by type, their relations (kept consistent both ways), the
resource-change events, and saving/loading it all.

A record (`record.Record`: fields in slots, read like a dict) is keyed by JSON key, as the API
shows the resource, except that a relation holds ids: a to-one relation the related id (or
None), a to-many relation a list of ids. Keys starting with `_` are the simulator's own (a
user's password, messages in other languages ...) and are never sent. Every change goes through `create`, `update`, `link` or `delete`, which keep the
inverse side of each relation in step and record an event with a new revision (never change a
record in place: the --state journal and the indexes learn of a change only through these).
Once `track_changes()` is called, `changes()` says what changed since its last call (a journal
entry), and `apply()` replays such an entry.
"""
from __future__ import absolute_import

import collections
import datetime
import json
import re
import sys
import threading

_keys = dict.viewkeys if sys.version_info[0] == 2 else dict.keys  # a set-like view

from cloudtower.simulator import shapes
from cloudtower.simulator.record import Record

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
        moment = _UNIX_EPOCH + datetime.timedelta(seconds=self.now() if seconds is None else seconds)
        return moment.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (moment.microsecond // 1000)


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
        self._settings_seen = {}    # settings as the last changes() saw them
        self._revision_seen = 0     # the newest event the last changes() saw

    # -- ids -------------------------------------------------------------------------------

    def new_id(self):
        """A cuid-like id; ids grow with creation order, so sorting by id sorts by age."""
        self.id_counter += 1
        return "cl%ssim%s" % (_base36(self.id_counter, 10), _base36(self.id_counter * 7919 % 1679616, 4))

    # -- reading ---------------------------------------------------------------------------

    def get(self, type_name, resource_id):
        """The record of a resource, or None."""
        return self.tables[type_name].get(resource_id)

    def records(self, type_name):
        """Every record of a type, oldest first (a list: safe to iterate while changing)."""
        return list(self.tables[type_name].values())

    def find(self, type_name, **values):
        """The first record whose fields equal `values`, or None."""
        for record in self.tables[type_name].values():
            if all(record.get(key) == value for key, value in values.items()):
                return record
        return None

    def render(self, type_name, record, language="en-US"):
        """The resource as the API returns it."""
        return shapes.render(self, self.catalog.resources[type_name], record, language)

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
            if not any(field.key in resource.relations for field in relation.nested._by_attr.values()):
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

    # -- changing --------------------------------------------------------------------------

    def create(self, type_name, values=None, event=True, _making=()):
        """Add a resource: `values` by JSON key, relations as ids; missing required fields get
        plain defaults - a required to-one relation the first resource of its type (one not
        taken yet, for a one-to-one relation), or a new plain one when there is none. Returns
        the record."""
        resource = self.catalog.resources[type_name]
        values = values or {}
        resource_id = values.get("id") or self.new_id()
        links = {"id": resource_id}
        for key in _keys(values) & _keys(resource.relations):  # (as link() does, for a new record)
            relation = resource.relations[key]
            table = self.tables[relation.target]
            ids = [other for other in _ids(values[key]) if other in table]
            links[key] = ids if relation.many else (ids[0] if ids else None)
        if resource.required_to_one:
            links.update(self._required_links(resource, links, event, _making + (type_name,)))
        record = shapes.blank_record(resource, self.clock, values, links)
        self.tables[type_name][resource_id] = record
        self._touch(type_name, resource_id)
        for key, value in links.items():
            inverse = resource.relations[key].inverse if key != "id" else None
            if inverse is not None and value:
                for other in (value if isinstance(value, list) else (value,)):
                    self._link_one(inverse, other, resource_id)
        if event:
            self._event(type_name, resource_id, "CREATE", None, record)
        return record

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
        old = _event_value(record) if event else None
        for key, value in values.items():
            if key in resource.relations:
                self.link(type_name, resource_id, key, value, event=False)
            else:
                record[key] = value
        self._touch(type_name, resource_id)
        self._forget_nested(type_name, resource_id)
        if event:
            self._event(type_name, resource_id, "UPDATE", old, record)
        return record

    def link(self, type_name, resource_id, key, value, event=True):
        """Point relation `key` of a resource at `value` (an id, a list of ids or None), and
        update the inverse relation of every resource that gains or loses the link."""
        relation = self.catalog.resources[type_name].relations[key]
        record = self.tables[type_name][resource_id]
        old_ids = _ids(record.get(key))
        new_ids = [i for i in _ids(value) if i in self.tables[relation.target]]
        if relation.many:
            record[key] = new_ids
        else:
            record[key] = new_ids[0] if new_ids else None
        self._touch(type_name, resource_id)
        inverse = relation.inverse
        if inverse is not None:
            for gone in old_ids:
                if gone not in new_ids:
                    self._unlink_one(inverse, gone, resource_id)
            for added in new_ids:
                if added not in old_ids:
                    self._link_one(inverse, added, resource_id)
        if event:
            self._event(type_name, resource_id, "UPDATE", None, record)

    def _link_one(self, relation, resource_id, other_id):
        record = self.tables[relation.owner].get(resource_id)
        if record is None:
            return
        self._touch(relation.owner, resource_id)
        if relation.many:
            current = record.get(relation.key)
            if not current:
                record[relation.key] = [other_id]  # (an empty list may be the shared EMPTY)
            elif other_id not in current:
                current.append(other_id)  # a list of this record's own (see link)
        else:
            previous = record.get(relation.key)
            if previous and previous != other_id and relation.inverse is not None:
                self._unlink_one(relation.inverse, previous, resource_id)
            record[relation.key] = other_id

    def _unlink_one(self, relation, resource_id, other_id):
        record = self.tables[relation.owner].get(resource_id)
        if record is None:
            return
        self._touch(relation.owner, resource_id)
        if relation.many:
            record[relation.key] = [i for i in record.get(relation.key) or [] if i != other_id]
        elif record.get(relation.key) == other_id:
            record[relation.key] = None

    def delete(self, type_name, resource_id, event=True):
        """Remove a resource and every link to it. Returns the removed record."""
        resource = self.catalog.resources[type_name]
        record = self.tables[type_name].pop(resource_id)
        self._touch(type_name, resource_id)
        for key, relation in resource.relations.items():
            if relation.inverse is not None:
                for other in _ids(record.get(key)):
                    self._unlink_one(relation.inverse, other, resource_id)
        self._forget_nested(type_name, resource_id)
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
            "old_value": old if isinstance(old, str) else _event_value(old),
            "new_value": _event_value(new),
            "created_at": self.clock.iso(),
        })
        if len(self.events) > self.max_events:
            self.compact(self.max_events)

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
                else:
                    table[resource_id] = make(record)
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


_MISSING = object()


def _json_copy(value):
    """A deep copy of JSON data."""
    return json.loads(json.dumps(value))


def _plain(record):
    return record.to_dict() if record is not None else None


def _event_value(record):
    """A record's JSON text as events show it (without the simulator's own `_` keys)."""
    if record is None:
        return ""
    plain = record.to_dict() if isinstance(record, Record) else record
    return json.dumps(dict((key, value) for key, value in plain.items() if not key.startswith("_")),
                      sort_keys=True)


def _ids(value):
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [item for item in value if item]
    return [value]


_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
_PAIRS = [first + second for first in _DIGITS for second in _DIGITS]  # 0 .. 36**2 - 1 in base 36


def _base36(number, width):
    """`number` in base 36, `width` digits (more if it needs them), zero-padded."""
    text = ""
    while number:
        number, rest = divmod(number, 1296)
        text = _PAIRS[rest] + text
    return text.lstrip("0").rjust(width, "0")
