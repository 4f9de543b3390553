"""How the store keeps one resource: its fields in slots, read like a dict.

A dict of the 68 fields of a VM takes 1.6 KB before its values; the same fields in slots take
0.6 KB, which is what lets 100,000 VMs (and their disks, volumes and NICs) fit in the memory a
simulator may take. A record reads like the dict it replaces - `record["name"]`,
`record.get("host")`, `"id" in record`, `dict(record)`, `record.items()` - with its type's fields
in the order of the model, then any other key (the simulator's own `_password`, `_i18n` ..., or
a field a saved state has that this API version lacks).

Only the store changes records (`Store.create`, `update`, `link`, `delete`): they journal and
index what changes. `EMPTY` is the one empty list every empty list field starts as; it cannot be
changed in place (a field gets a new list instead), so that it can be shared.
"""
from __future__ import absolute_import

import sys
from operator import attrgetter, itemgetter

_keys = dict.viewkeys if sys.version_info[0] == 2 else dict.keys  # a set-like view


class _Empty(list):
    """An empty list that refuses to change (shared by every empty list field)."""

    __slots__ = ()

    def _refuse(self, *args, **kwargs):
        raise TypeError("a record's list field is replaced, never changed in place")

    append = extend = insert = remove = pop = clear = sort = reverse = __setitem__ = __delitem__ = _refuse
    __iadd__ = __imul__ = _refuse

    def __deepcopy__(self, memo):
        return self

    def __copy__(self):
        return self

    def __reduce__(self):
        return (_empty, ())


def _empty():
    return EMPTY


EMPTY = _Empty()


class Record(object):
    """A resource's fields (see the module's docstring); `to_dict()` gives a plain dict."""

    __slots__ = ("_extra",)
    keys_in_order = ()        # the type's field keys, in slot order (set per type)
    _slot_of = {}             # field key -> slot name
    _all = None               # attrgetter of every slot: a tuple of the values
    _fill = None              # (record, tuple of every slot's value): sets them all
    _values_of = None         # dict with every field -> the tuple of their values, in slot order

    def __init__(self, values=()):
        self._fill(self, (None,) * len(self.keys_in_order))
        self._extra = None
        for key, value in (values.items() if hasattr(values, "items") else values):
            self[key] = value

    @classmethod
    def from_dict(cls, values, complete=False):
        """A record of a dict (keys the type lacks go with the other keys). `complete`: the
        dict has every field of the type (so it has other keys only if it is longer)."""
        record = cls.__new__(cls)
        cls._fill(record, cls._values_of(values) if complete else tuple(map(values.get, cls.keys_in_order)))
        if complete and len(values) == len(cls.keys_in_order):
            record._extra = None
        else:
            others = _keys(values) - cls._key_set
            record._extra = dict((key, values[key]) for key in others) if others else None
        return record

    @classmethod
    def from_values(cls, values):
        """A record of the values of every field, in `keys_in_order` (a tuple)."""
        record = cls.__new__(cls)
        cls._fill(record, values)
        record._extra = None
        return record

    # -- reading ---------------------------------------------------------------------------------

    def __getitem__(self, key):
        slot = self._slot_of.get(key)
        if slot is not None:
            return getattr(self, slot)
        if self._extra is not None and key in self._extra:
            return self._extra[key]
        raise KeyError(key)

    def get(self, key, default=None):
        slot = self._slot_of.get(key)
        if slot is not None:
            return getattr(self, slot)
        if self._extra is not None:
            return self._extra.get(key, default)
        return default

    def __contains__(self, key):
        return key in self._slot_of or (self._extra is not None and key in self._extra)

    def keys(self):
        if self._extra is None:
            return list(self.keys_in_order)
        return list(self.keys_in_order) + list(self._extra)

    def __iter__(self):
        return iter(self.keys())

    def __len__(self):
        return len(self.keys_in_order) + (len(self._extra) if self._extra is not None else 0)

    def values(self):
        values = list(self._all(self)) if len(self.keys_in_order) > 1 else [self._all(self)]
        if self._extra is not None:
            values.extend(self._extra.values())
        return values

    def items(self):
        return list(zip(self.keys(), self.values()))

    def to_dict(self):
        """The record as a plain dict (a new one)."""
        out = dict(zip(self.keys_in_order, self._all(self))) if len(self.keys_in_order) > 1 else \
            dict((key, self[key]) for key in self.keys_in_order)
        if self._extra is not None:
            out.update(self._extra)
        return out

    def copy(self):
        """A plain dict of the record (as `dict.copy` would give)."""
        return self.to_dict()

    def __eq__(self, other):
        if isinstance(other, Record):
            other = other.to_dict()
        return isinstance(other, dict) and self.to_dict() == other

    def __ne__(self, other):
        return not self == other

    __hash__ = None

    def __repr__(self):
        return "<%s %r>" % (type(self).__name__, self.to_dict())

    # -- changing (the store) --------------------------------------------------------------------

    def __setitem__(self, key, value):
        slot = self._slot_of.get(key)
        if slot is not None:
            setattr(self, slot, value)
        else:
            if self._extra is None:
                self._extra = {}
            self._extra[key] = value

    def __getstate__(self):
        return self.to_dict()

    def __setstate__(self, state):
        type(self).__init__(self, state)

    def __reduce__(self):
        return (type(self), (self.to_dict(),))


def record_class(type_name, keys):
    """The Record subclass of a resource type whose fields are `keys` (JSON keys, in order)."""
    slots = tuple("f_%d" % index for index in range(len(keys)))
    namespace = {
        "__slots__": slots,
        "keys_in_order": tuple(keys),
        "_slot_of": dict(zip(keys, slots)),
        "_key_set": frozenset(keys),
        "_all": staticmethod(attrgetter(*slots)) if slots else staticmethod(lambda record: ()),
        "_fill": staticmethod(_filler(slots)),
        # (itemgetter gives a tuple for two keys or more: three times as fast as map(dict.get))
        "_values_of": staticmethod(itemgetter(*keys) if len(keys) > 1 else lambda values: tuple(
            values[key] for key in keys)),
    }
    return type(str(type_name + "Record"), (Record,), namespace)


def _filler(slots):
    """A function (record, values) that sets every slot at once: one unpacking assignment
    (made from source: a loop of setattr calls costs several times more, per record made)."""
    if not slots:
        return lambda record, values: None
    namespace = {}
    targets = "".join("record.%s, " % slot for slot in slots)
    exec("def fill(record, values):\n    %s= values\n" % targets, namespace)
    return namespace["fill"]


def getter(record_type, key):
    """A fast function `record -> value of field key` (None for a key the type lacks)."""
    slot = record_type._slot_of.get(key)
    if slot is not None:
        return attrgetter(slot)
    return lambda record: record.get(key)
