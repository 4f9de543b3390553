"""Values shaped like the spec says: defaults for new records, rendering records as the API
shows them, and a minimal valid example of any type (for operations the simulator answers
generically)."""
from __future__ import absolute_import

import copy

from cloudtower import models
from cloudtower.model import fields, kind_of, split_type
from cloudtower.simulator.record import EMPTY

_SCALAR_DEFAULTS = {"str": "", "int": 0, "float": 0.0, "bool": False, "object": {}, "datetime": "2026-01-01T00:00:00.000Z"}


def default_value(type_string, key="", clock=None):
    """A plain valid value of a type: "" / 0 / False / the first enum value / [] / a minimal
    model. Timestamp-like string fields get the current time."""
    kind = kind_of(type_string)
    if kind == "list":
        return []
    if type_string in _SCALAR_DEFAULTS:
        if type_string == "str" and clock is not None and _is_time_key(key):
            return clock.iso()
        value = _SCALAR_DEFAULTS[type_string]
        return dict(value) if isinstance(value, dict) else value
    cls = getattr(models, type_string)
    if kind == "plain":  # an enum
        return cls.allowable_values[0] if cls.allowable_values else ""
    return example(type_string, clock=clock)


def _is_time_key(key):
    return key.endswith("_at") or key.endswith("_time") or key in ("updatedAt", "createdAt")


def example(type_string, clock=None, depth=0):
    """A minimal valid JSON value of `type_string`: every required field, nothing else."""
    outer, inner = split_type(type_string)
    if outer:
        return []
    if kind_of(type_string) != "model":
        return default_value(type_string, clock=clock)
    cls = getattr(models, type_string)
    value = {}
    for field in fields(cls).values():
        if not field.required:
            continue
        if field.nullable and depth > 2:
            value[field.key] = None
        elif kind_of(field.type) == "model":
            value[field.key] = example(field.type, clock, depth + 1)
        else:
            value[field.key] = _within(field.limits, field.type,
                                       default_value(field.type, field.key, clock), clock, depth)
    return value


def _within(limits, type_string, value, clock, depth):
    """`value` moved within a field's constraints (an inline enum, a minimum, a minimal length
    or number of items)."""
    if not limits:
        return value
    if "enum" in limits:
        return limits["enum"][0]
    if "minimum" in limits and value < limits["minimum"]:
        value = limits["minimum"]
    if "maximum" in limits and value > limits["maximum"]:
        value = limits["maximum"]
    if "minLength" in limits and len(value) < limits["minLength"]:
        value = "x" * limits["minLength"]
    if "minItems" in limits and len(value) < limits["minItems"]:
        inner = split_type(type_string)[1]
        value = [example(inner, clock, depth + 1) for _ in range(limits["minItems"])]
    if "items_enum" in limits and value:
        value = [limits["items_enum"][0] for _ in value]
    return value


_BLANKS = {}


def blank_record(resource, clock, values=None, overrides=None):
    """A new record of a resource type: `values` then `overrides` (by JSON key), and for every
    other field its plain default - relations empty, nullable fields None, timestamp-like
    required fields the current time."""
    template = _BLANKS.get(resource.name)
    if template is None:
        template = _BLANKS[resource.name] = _blank_template(resource)
    defaults, mutable, timed = template
    merged = dict(defaults)
    now = None
    for key in timed:
        if not values or key not in values:
            now = now or clock.iso()
            merged[key] = now
    for key in mutable:
        if not values or key not in values:
            merged[key] = copy.deepcopy(defaults[key])
    if values:
        merged.update(values)
    if overrides:
        merged.update(overrides)
    return resource.record_class.from_dict(merged, complete=True)


def _blank_template(resource):
    """(every field's default, keys whose default is a dict or list to copy per record (an empty
    list is the shared EMPTY), keys set to the time of creation)."""
    defaults, timed = {}, []
    for key, field in resource.fields.items():
        if field.relation is not None:
            defaults[key] = EMPTY if field.relation.many else None
        elif field.nullable and not field.required:
            defaults[key] = None
        else:
            defaults[key] = default_value(field.type, key)
            if field.type == "str" and _is_time_key(key):
                timed.append(key)
        if isinstance(defaults[key], list) and not defaults[key]:
            defaults[key] = EMPTY
    mutable = [key for key, value in defaults.items() if isinstance(value, dict) or
               (isinstance(value, list) and value is not EMPTY)]
    return defaults, mutable, timed


def view(resource, source, record, clock):
    """A record of `resource` showing a record of the resource type `source` (for a query of one
    type answered with another): the same id, the fields both types have with the same type
    (relations to the same type), plain defaults for the rest."""
    out = blank_record(resource, clock)
    for key, field in resource.fields.items():
        other = source.fields.get(key)
        if other is None or other.type != field.type or (field.relation is None) != (other.relation is None):
            continue
        value = record.get(key)
        if value is not None or field.nullable:
            out[key] = value
    out["id"] = record["id"]
    return out


def nested(nested_class, target, store=None, resource=None):
    """The `Nested*` view of a record: the nested schema's fields, read from the record; those
    that are relations of the record's `resource` shown as their own `Nested*` objects."""
    out = {}
    for field in fields(nested_class).values():
        value = target.get(field.key)
        relation = resource.relations.get(field.key) if resource is not None else None
        if relation is not None and store is not None:
            if relation.many:
                value = store.nested_list(relation, value or ())
            else:
                value = store.nested(relation, value) if value else None
        out[field.key] = value
    return out


def render(store, resource, record, language="en-US"):
    """A record as the API returns it: relations as `Nested*` objects, the simulator's own
    keys left out, texts in `language` where the record has them."""
    plain, to_one, to_many, keys = resource.render_plan()
    get = record.get
    out = record.to_dict() if record._extra is None else dict((key, get(key)) for key in keys)
    nested, nested_list = store.nested, store.nested_list
    for key, relation in to_one:
        value = get(key)
        out[key] = nested(relation, value) if value else None
    for key, relation, nullable in to_many:
        value = get(key)
        if value:
            out[key] = nested_list(relation, value)
        else:
            out[key] = None if value is None and nullable else []
    if language != "en-US":
        translated = record.get("_i18n", {}).get(language)
        if translated:
            out.update(translated)
    return out
