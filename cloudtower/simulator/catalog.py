"""What the simulator knows about the API, read from the SDK's generated code (not per type).

`Catalog` lists every operation (path -> `cloudtower.operation.Operation`), every resource type
(a schema with an `id` that a `get-*` query returns), each resource's relations to the others and
the inverse of each relation, and how a where-input key splits into a field and an operator.
"""
from __future__ import absolute_import

import re
import sys

from cloudtower import models
from cloudtower.api import APIS
from cloudtower.model import fields, kind_of, split_type
from cloudtower.simulator.record import record_class

# Where-input suffixes, longest first so that `_not_in` wins over `_in`.
WHERE_OPERATORS = ("_not_starts_with", "_not_ends_with", "_not_contains", "_starts_with", "_ends_with",
                   "_contains", "_not_in", "_every", "_some", "_none", "_not", "_lte", "_gte", "_in", "_lt",
                   "_gt", "")


class Field(object):
    """A field of a resource type, by its JSON key."""

    __slots__ = ("key", "type", "required", "nullable", "enum", "relation")

    def __init__(self, key, type_string, required, nullable, enum):
        self.key = key
        self.type = type_string
        self.required = required
        self.nullable = nullable
        self.enum = enum          # the enum class name, or None
        self.relation = None      # a Relation when the field points at other resources

    def __repr__(self):
        return "<Field %s: %s>" % (self.key, self.type)


class Relation(object):
    """`Vm.cluster` -> `Cluster` (to-one), `Cluster.vms` -> `Vm` (to-many), and its inverse."""

    __slots__ = ("owner", "key", "target", "many", "nested", "inverse")

    def __init__(self, owner, key, target, many, nested):
        self.owner = owner
        self.key = key
        self.target = target
        self.many = many
        self.nested = nested      # the Nested* model class rendered for each related resource
        self.inverse = None       # the Relation of the target that points back, if any

    def __repr__(self):
        return "<Relation %s.%s -> %s%s>" % (self.owner, self.key, "[%s]" % self.target if self.many else self.target,
                                              " <-> %s.%s" % (self.inverse.owner, self.inverse.key) if self.inverse else "")


class ResourceType(object):
    """A kind of resource the simulator stores: fields, relations, query and order inputs."""

    def __init__(self, name, plural, model):
        self.name = name
        self.plural = plural          # "vms" in /get-vms
        self.model = model
        self.fields = {}
        self.relations = {}
        self.where_keys = {}          # where key -> (field key or None, operator)
        self.order_fields = set()
        keys = []
        for field in fields(model).values():
            outer, inner = split_type(field.type)
            enum = inner if kind_of(inner) == "plain" and inner not in ("str", "int", "bool", "object") else None
            self.fields[field.key] = Field(field.key, field.type, field.required, field.nullable, enum)
            keys.append(field.key)
        self.record_class = record_class(name, keys)  # how the store keeps one (record.py)

    @property
    def required_to_one(self):
        """[(key, relation)] of the to-one relations a record must have (not nullable)."""
        found = self.__dict__.get("_required_to_one")
        if found is None:
            found = self._required_to_one = [
                (key, relation) for key, relation in self.relations.items()
                if not relation.many and self.fields[key].required and not self.fields[key].nullable]
        return found

    def render_plan(self):
        """How `shapes.render` shows a record, worked out once: (plain field keys, [(key, to-one
        relation)], [(key, to-many relation, nullable)], the set of all field keys)."""
        plan = self.__dict__.get("_render_plan")
        if plan is None:
            plain = [key for key, field in self.fields.items() if field.relation is None]
            to_one = [(key, field.relation) for key, field in self.fields.items()
                      if field.relation is not None and not field.relation.many]
            to_many = [(key, field.relation, field.nullable) for key, field in self.fields.items()
                       if field.relation is not None and field.relation.many]
            plan = self._render_plan = (plain, to_one, to_many, frozenset(self.fields))
        return plan

    def __repr__(self):
        return "<ResourceType %s (%d fields, %d relations)>" % (self.name, len(self.fields), len(self.relations))


class Catalog(object):
    """The operations and resource types of the API."""

    def __init__(self):
        self.operations = {}      # path -> Operation
        self.api_of = {}          # path -> Api class name
        self.resources = {}       # type name -> ResourceType
        self._load_operations()
        self._load_resources()
        self._link_relations()
        self._index_relations()
        self._load_queries()

    def _load_operations(self):
        for api_name in sorted(APIS):
            module = __import__("cloudtower.api." + APIS[api_name], fromlist=[api_name])
            api = getattr(module, api_name)
            for attr in sorted(vars(api)):
                operation = getattr(getattr(api, attr), "operation", None)
                if operation is not None and operation.path not in self.operations:
                    self.operations[operation.path] = operation
                    self.api_of[operation.path] = api_name

    def _load_resources(self):
        for path, operation in sorted(self.operations.items()):
            match = re.match(r"^/get-(.+)$", path)
            returns = operation.returns or ""
            if not match or path.endswith("-connection") or not returns.startswith("list["):
                continue
            name = returns[5:-1]
            model = getattr(models, name, None)
            if model is None or kind_of(name) != "model" or "id" not in fields(model):
                continue
            if name not in self.resources:
                self.resources[name] = ResourceType(name, match.group(1), model)

    def _link_relations(self):
        for resource in self.resources.values():
            for field in resource.fields.values():
                outer, inner = split_type(field.type)
                if not inner.startswith("Nested"):
                    continue
                target = inner[len("Nested"):]
                if target not in self.resources:
                    continue
                relation = Relation(resource.name, field.key, target, bool(outer), getattr(models, inner))
                field.relation = relation
                resource.relations[field.key] = relation
        for resource in self.resources.values():
            for relation in resource.relations.values():
                if relation.inverse is None:
                    inverse = self._find_inverse(relation)
                    if inverse is not None and inverse.inverse is None:
                        relation.inverse = inverse
                        inverse.inverse = relation

    def _find_inverse(self, relation):
        """The relation of the target that points back; None when it has none or several fit."""
        target = self.resources[relation.target]
        candidates = [other for other in target.relations.values()
                      if other.target == relation.owner and other is not relation and other.inverse is None]
        if len(candidates) <= 1:
            return candidates[0] if candidates else None
        owner_words = _words(relation.owner)
        key_words = _words(relation.key)
        scored = []
        for other in candidates:
            score = 0
            other_words = _words(other.key)
            if _singular(other_words) == owner_words or other_words == owner_words:
                score += 2
            if _singular(key_words) == _words(relation.target) or key_words == _words(relation.target):
                score += 1
            if other.many != relation.many:
                score += 1
            scored.append((score, other))
        scored.sort(key=lambda item: -item[0])
        if scored[0][0] > scored[1][0]:
            return scored[0][1]
        return None

    def _load_queries(self):
        for resource in self.resources.values():
            where = getattr(models, resource.name + "WhereInput", None)
            if where is not None:
                keys = sorted(resource.fields, key=len, reverse=True)
                for key in fields(where):
                    resource.where_keys[key] = _split_where_key(key, keys)
            order = getattr(models, resource.name + "OrderByInput", None)
            if order is not None:
                for value in order.allowable_values:
                    resource.order_fields.add(value.rsplit("_", 1)[0])

    def _index_relations(self):
        """By target type: the Nested* classes that show it, the fields they show, and the
        relations that point at it (their owner, and the target's inverse key or None)."""
        self._nested_classes, self._shown_keys, self._referrers = {}, {}, {}
        for resource in self.resources.values():
            for relation in resource.relations.values():
                self._nested_classes.setdefault(relation.target, set()).add(relation.nested)
                self._shown_keys.setdefault(relation.target, set()).update(
                    field.key for field in fields(relation.nested).values())
                self._referrers.setdefault(relation.target, []).append(
                    (resource.name, relation.inverse.key if relation.inverse is not None else None))

    def nested_classes(self, type_name):
        """The `Nested*` classes that show resources of `type_name`."""
        return self._nested_classes.get(type_name, ())

    def shown_keys(self, type_name):
        """The fields of `type_name` that a `Nested*` object of it shows (`id`, `name` ...)."""
        return self._shown_keys.get(type_name, set())

    def referrers(self, type_name):
        """[(owner type, the key of the target's inverse relation or None)] of the relations
        that point at `type_name`: where to find the records that show a resource of it."""
        return self._referrers.get(type_name, [])

    def renders_plainly(self, type_name):
        """Whether a record of `type_name` is shown from its own fields and its related
        resources' shown fields only (no `Nested*` object that shows relations of its own), so
        that its rendering can be kept until one of those changes."""
        resource = self.resources[type_name]
        for relation in resource.relations.values():
            target = self.resources[relation.target]
            if any(field.key in target.relations for field in fields(relation.nested).values()):
                return False
        return True

    def resource_for_nested(self, class_name):
        """`NestedVm` -> the `Vm` ResourceType (or None)."""
        if class_name.startswith("Nested"):
            return self.resources.get(class_name[len("Nested"):])
        return None

    def model(self, name):
        """The generated model class `name`."""
        return getattr(models, name)


def _split_where_key(key, field_keys):
    if key in ("AND", "OR", "NOT"):
        return (None, key)
    for field in field_keys:
        if key.startswith(field):
            operator = key[len(field):]
            if operator in WHERE_OPERATORS:
                return (field, operator)
    return (key, "")


def _words(name):
    text = re.sub(r"([a-z\d])([A-Z])", r"\1_\2", name).lower()
    return [word for word in text.split("_") if word]


def _singular(words):
    if not words:
        return words
    last = words[-1]
    if last.endswith("ies"):
        last = last[:-3] + "y"
    elif last.endswith("es") and last[:-2].endswith(("s", "x", "ch", "sh")):
        last = last[:-2]
    elif last.endswith("s"):
        last = last[:-1]
    return words[:-1] + [last]


_CATALOG = []


def catalog():
    """The catalog, built once per process."""
    if not _CATALOG:
        _CATALOG.append(Catalog())
    return _CATALOG[0]


if __name__ == "__main__":  # pragma: no cover - a look at what was derived
    found = catalog()
    for name in sorted(found.resources):
        print(found.resources[name])
        for relation in sorted(found.resources[name].relations.values(), key=lambda r: r.key):
            print("   ", relation)
    sys.exit(0)
