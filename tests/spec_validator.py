"""A small OpenAPI-3.0 schema validator for the tests: does a JSON value fit a schema of the spec?

    validator = SpecValidator(spec)            # the parsed spec (a dict)
    errors = validator.validate(value, {"$ref": "#/components/schemas/Vm"})
    # -> ["$[0].cluster: null is not allowed", ...]  (empty when the value fits)

It knows what the CloudTower spec uses: `$ref`, `type` (string, integer, number, boolean, array,
object), `format` int32/int64 (integer ranges), `nullable`, `enum`, `properties`, `required`,
`additionalProperties` (false or a schema), `allOf`, `items`, and the few `minLength`, `minItems`,
`minimum`, `maximum`. An empty schema (`{}`) accepts anything. Every error names the JSON path
of the value that does not fit.
"""
from __future__ import absolute_import

from cloudtower.model import INTEGER_TYPES, STRING_TYPES  # (str, unicode) and (int, long) on Python 2

INTEGER_RANGES = {
    "int32": (-2 ** 31, 2 ** 31 - 1),
    "int64": (-2 ** 63, 2 ** 63 - 1),
}

MAX_ERRORS = 20


class SpecValidator(object):
    """Validates JSON values against the schemas of one OpenAPI 3.0 document."""

    def __init__(self, spec):
        self.spec = spec

    def resolve(self, ref):
        """The schema a local `$ref` (`#/components/schemas/Vm`) points at."""
        if not ref.startswith("#/"):
            raise ValueError("only local $refs are supported, not %r" % (ref,))
        node = self.spec
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            node = node[part]
        return node

    def schema(self, name):
        """The component schema `name`."""
        return self.spec["components"]["schemas"][name]

    def validate(self, value, schema, path="$"):
        """The list of errors (empty: the value fits the schema)."""
        errors = []
        self._check(value, schema, path, errors)
        return errors

    def check(self, value, schema, path="$"):
        """Raise AssertionError listing the errors, if there are any."""
        errors = self.validate(value, schema, path)
        if errors:
            raise AssertionError("\n".join(errors))

    # -- the checks --------------------------------------------------------------------------

    def _check(self, value, schema, path, errors):
        if len(errors) >= MAX_ERRORS:
            return
        if value is None:
            if self.allows_null(schema):
                return
            errors.append("%s: null is not allowed" % path)
            return
        if "$ref" in schema:
            self._check(value, self.resolve(schema["$ref"]), path, errors)
        for part in schema.get("allOf", ()):
            self._check(value, part, path, errors)
        kind = schema.get("type")
        if kind is not None and not _is_type(value, kind):
            errors.append("%s: expected %s, got %s" % (path, _article(kind), _describe(value)))
            return
        if "enum" in schema and value not in schema["enum"]:
            errors.append("%s: %s is not one of %s" % (path, _describe(value), ", ".join(
                _quote(item) for item in schema["enum"])))
        if kind == "integer":
            limits = INTEGER_RANGES.get(schema.get("format"))
            if limits and not limits[0] <= value <= limits[1]:
                errors.append("%s: %d is out of the %s range" % (path, value, schema["format"]))
        if kind in ("integer", "number"):
            if "minimum" in schema and value < schema["minimum"]:
                errors.append("%s: %r is less than the minimum %r" % (path, value, schema["minimum"]))
            if "maximum" in schema and value > schema["maximum"]:
                errors.append("%s: %r is more than the maximum %r" % (path, value, schema["maximum"]))
        if kind == "string" and "minLength" in schema and len(value) < schema["minLength"]:
            errors.append("%s: shorter than %d characters" % (path, schema["minLength"]))
        if isinstance(value, list):
            if "minItems" in schema and len(value) < schema["minItems"]:
                errors.append("%s: fewer than %d items" % (path, schema["minItems"]))
            items = schema.get("items")
            if items is not None:
                for index, item in enumerate(value):
                    self._check(item, items, "%s[%d]" % (path, index), errors)
        if isinstance(value, dict):
            self._check_object(value, schema, path, errors)

    def _check_object(self, value, schema, path, errors):
        properties = schema.get("properties", {})
        for key in schema.get("required", ()):
            if key not in value:
                errors.append("%s: missing required property %s" % (path, _quote(key)))
        for key, item in value.items():
            where = _join(path, key)
            if key in properties:
                self._check(item, properties[key], where, errors)
                continue
            extra = schema.get("additionalProperties", True)
            if extra is False:
                errors.append("%s: unknown property (additionalProperties is false)" % where)
            elif isinstance(extra, dict):
                self._check(item, extra, where, errors)

    def allows_null(self, schema):
        """True when null fits: `nullable: true`, a `$ref` to a schema that allows it, an `allOf`
        whose parts all allow it, or a schema that constrains nothing (no type, $ref or allOf)."""
        if schema.get("nullable"):
            return True
        if "$ref" in schema:
            return self.allows_null(self.resolve(schema["$ref"]))
        if "allOf" in schema:
            return all(self.allows_null(part) for part in schema["allOf"])
        return "type" not in schema and "enum" not in schema


def _is_type(value, kind):
    if kind == "string":
        return isinstance(value, STRING_TYPES)
    if kind == "integer":
        return isinstance(value, INTEGER_TYPES) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, INTEGER_TYPES + (float,)) and not isinstance(value, bool)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "array":
        return isinstance(value, list)
    if kind == "object":
        return isinstance(value, dict)
    raise ValueError("unknown schema type %r" % (kind,))


def _article(kind):
    return ("an " if kind[0] in "aeiou" else "a ") + kind


def _describe(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean %s" % ("true" if value else "false")
    text = _quote(value) if isinstance(value, STRING_TYPES) else repr(value)
    if len(text) > 40:
        text = text[:37] + "..."
    kind = {dict: "object", list: "array", float: "number"}.get(type(value))
    if kind is None:
        kind = "string" if isinstance(value, STRING_TYPES) else \
            "integer" if isinstance(value, INTEGER_TYPES) \
            else type(value).__name__
    return "%s %s" % (kind, text)


def _quote(value):
    """'text' on every Python (repr would give u'text' on Python 2)."""
    return "'%s'" % (value,) if isinstance(value, STRING_TYPES) else repr(value)


def _join(path, key):
    if isinstance(key, STRING_TYPES) and key.replace("_", "a").isalnum() and not key[:1].isdigit():
        return "%s.%s" % (path, key)
    return "%s[%s]" % (path, _quote(key))
