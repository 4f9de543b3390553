"""Base classes of the generated models and enums, and conversion between models and JSON.

A generated model is a table (`_fields`); this module gives it behaviour.

Decoding is lazy, which is what makes large responses cheap: a model decoded from a response
keeps the JSON object it came from as its instance `__dict__`, so a plain field (`vm.name`) is an
ordinary attribute lookup. Only fields that need work - a nested model, a float sent as an integer,
a JSON key that differs from the attribute name - have a descriptor, which converts the value the
first time it is read and stores the result back. Values the spec does not know (a new enum value,
an extra field from a newer CloudTower) are kept as they came.
"""
from __future__ import absolute_import

import datetime
import importlib
import re
import sys

from cloudtower.exceptions import (ApiAttributeError, ApiTypeError, ApiValueError, InvalidRequestTypeError,
                                   InvalidRequestValueError)

# Flags of a field row in a generated `_fields` table.
OPTIONAL = 0
REQUIRED = 1
NULLABLE = 2

MODELS_PACKAGE = "cloudtower.models"

if sys.version_info[0] == 2:  # pragma: no cover - Python 2
    STRING_TYPES = (str, unicode)  # noqa: F821
    INTEGER_TYPES = (int, long)  # noqa: F821
else:
    STRING_TYPES = (str,)
    INTEGER_TYPES = (int,)

_new_object = object.__new__


def _models_package():
    # Through the import system: it waits while another thread is still running the package's
    # __init__ (then the package is in sys.modules but not yet filled).
    return importlib.import_module(MODELS_PACKAGE)


_CLASSES = {}


def resolve(name):
    """The model or enum class called `name` (imported on first use)."""
    cls = _CLASSES.get(name)
    if cls is None:
        try:
            cls = _CLASSES[name] = getattr(_models_package(), name)
        except AttributeError:
            raise ApiTypeError("unknown model or enum %r" % (name,))
    return cls


def is_enum_name(name):
    """True when `name` is a generated enum (its values stay plain strings)."""
    return name in _models_package().ENUMS


def split_type(type_string):
    """`list[Vm]` -> ("list", "Vm"); `Vm` -> ("", "Vm")."""
    if type_string.startswith("list[") and type_string.endswith("]"):
        return "list", type_string[5:-1]
    return "", type_string


_PLAIN_TYPES = frozenset(["str", "int", "bool", "object", "file"])
_KINDS = {}


def kind_of(type_string):
    """How values of a type are decoded: `list`, `plain` (str, int, bool, object, enums: the
    JSON value is the Python value), `float`, `datetime`, `date` or `model`."""
    kind = _KINDS.get(type_string)
    if kind is None:
        if split_type(type_string)[0]:
            kind = "list"
        elif type_string in _PLAIN_TYPES or is_enum_name(type_string):
            kind = "plain"
        elif type_string in ("float", "datetime", "date"):
            kind = type_string
        else:
            kind = "model"
        _KINDS[type_string] = kind
    return kind


def _is_plain(type_string):
    """True when JSON values of the type, lists included, never need converting."""
    while kind_of(type_string) == "list":
        type_string = split_type(type_string)[1]
    return kind_of(type_string) == "plain"


class DecodedList(list):
    """A list whose items were already decoded; marks it so they are not decoded again."""

    __slots__ = ()

    def __reduce__(self):
        return (list, (list(self),))


_DECODERS = {}


def decoder_for(type_string):
    """A function that turns the JSON value of `type_string` into its Python value.

    The function returns its argument itself when there is nothing to do, so that callers can
    tell whether anything changed.
    """
    decoder = _DECODERS.get(type_string)
    if decoder is None:
        kind = kind_of(type_string)
        if _is_plain(type_string):
            decoder = _identity
        elif kind == "list":
            decoder = _list_decoder(decoder_for(split_type(type_string)[1]))
        elif kind == "model":
            decoder = _model_decoder(type_string)
        else:
            decoder = _SCALAR_DECODERS[kind]
        _DECODERS[type_string] = decoder
    return decoder


def _identity(value):
    return value


def _decode_float(value):
    # A JavaScript server writes 2.0 as 2; Python 2 would then divide as integers.
    if type(value) in INTEGER_TYPES:
        return float(value)
    return value


def _decode_datetime(value):
    if isinstance(value, STRING_TYPES):
        try:
            from dateutil.parser import isoparse
            return isoparse(value)
        except ValueError:
            return value
    return value


def _decode_date(value):
    if isinstance(value, STRING_TYPES):
        try:
            return datetime.datetime.strptime(value, "%Y-%m-%d").date()
        except ValueError:
            return value
    return value


_SCALAR_DECODERS = {"float": _decode_float, "datetime": _decode_datetime, "date": _decode_date}


def _model_decoder(class_name):
    state = {}

    def decode(value):
        if type(value) is not dict:
            return value  # already a model, or something unexpected: keep it
        cls = state.get("cls")
        if cls is None:
            cls = state["cls"] = resolve(class_name)
        obj = _new_object(cls)
        _set_instance_dict(obj, value)
        return obj
    return decode


def _list_decoder(decode_item):
    def decode(value):
        if type(value) is not list:
            return value  # a DecodedList, or something unexpected
        return DecodedList([decode_item(item) for item in value])
    return decode


class _Field(object):
    """One row of a model's table, as the runtime uses it."""

    __slots__ = ("attr", "key", "type", "required", "nullable")

    def __init__(self, attr, type_string, flags, key):
        self.attr = attr
        self.key = key
        self.type = type_string
        self.required = bool(flags & REQUIRED)
        self.nullable = bool(flags & NULLABLE)


class _RenamedField(object):
    """A field whose JSON key is not its attribute name (`entityAsyncStatus`)."""

    __slots__ = ("key",)

    def __init__(self, key):
        self.key = key

    def __get__(self, obj, owner):
        if obj is None:
            return self
        return obj.__dict__.get(self.key)

    def __set__(self, obj, value):
        obj.__dict__[self.key] = value


class _DecodedField(object):
    """A field whose JSON value must be converted when read (nested models, floats, dates)."""

    __slots__ = ("key", "type", "_decode")

    def __init__(self, key, type_string):
        self.key = key
        self.type = type_string
        self._decode = None

    def __get__(self, obj, owner):
        if obj is None:
            return self
        values = obj.__dict__
        value = values.get(self.key)
        if value is None:
            return None
        decode = self._decode
        if decode is None:
            decode = self._decode = decoder_for(self.type)
        converted = decode(value)
        if converted is not value:
            values[self.key] = converted
        return converted

    def __set__(self, obj, value):
        obj.__dict__[self.key] = value


class _ModelMeta(type):
    """Turns a model's `_fields` table into attributes, `attribute_map` and `openapi_types`."""

    def __init__(cls, name, bases, namespace):
        super(_ModelMeta, cls).__init__(name, bases, namespace)
        rows = namespace.get("_fields")
        if rows is None:
            return
        cls.attribute_map = {}
        cls.openapi_types = {}
        cls._by_attr = {}
        cls._by_key = {}
        for row in rows:
            attr, type_string, flags = row[0], row[1], row[2]
            key = row[3] if len(row) > 3 else attr
            field = _Field(attr, type_string, flags, key)
            cls.attribute_map[attr] = key
            cls.openapi_types[attr] = type_string
            cls._by_attr[attr] = field
            cls._by_key[key] = field
            if not _is_plain(type_string):
                setattr(cls, attr, _DecodedField(key, type_string))
            elif key != attr:
                setattr(cls, attr, _RenamedField(key))
            else:
                setattr(cls, attr, None)


_ModelBase = _ModelMeta("_ModelBase", (object,), {"__slots__": ()})


class Model(_ModelBase):
    """Base of every generated model.

    Build one with keywords (`Vm(name="web-1")`) or from a dict with JSON or attribute keys
    (`VmWhereInput.from_dict({"name_contains": "web"})`). Attributes are the snake-case names of
    the JSON keys; `to_dict()` gives them back as plain data.
    """

    _fields = ()
    _by_attr = {}
    _by_key = {}
    _extra_allowed = True
    _constraints = {}
    attribute_map = {}
    openapi_types = {}

    def __init__(self, **kwargs):
        kwargs.pop("local_vars_configuration", None)
        for name, value in kwargs.items():
            if name not in self._by_attr:
                raise ApiTypeError("%s() got an unexpected keyword argument %r%s"
                                   % (type(self).__name__, name, _suggest(name, self._by_attr)))
            setattr(self, name, value)

    def __setattr__(self, name, value):
        field = self._by_attr.get(name)
        if field is None:
            if name in self.__dict__:  # a field only a newer server knows
                self.__dict__[name] = value
                return
            raise ApiAttributeError("%s has no attribute %r%s"
                                    % (type(self).__name__, name, _suggest(name, self._by_attr)))
        self.__dict__[field.key] = coerce(value, field.type)

    def __getattr__(self, name):
        # Only reached when normal lookup fails: give a helpful message.
        if name.startswith("__"):
            raise AttributeError(name)
        raise ApiAttributeError("%s has no attribute %r%s"
                                % (type(self).__name__, name, _suggest(name, self._by_attr)))

    @classmethod
    def from_dict(cls, data):
        """A model built from a dict whose keys are JSON keys or attribute names."""
        if isinstance(data, cls):
            return data
        if not isinstance(data, dict):
            raise ApiTypeError("%s.from_dict() needs a dict, got %s" % (cls.__name__, type(data).__name__))
        obj = _new_object(cls)
        values = {}
        for name, value in data.items():
            field = cls._by_attr.get(name) or cls._by_key.get(name)
            if field is None:
                if not cls._extra_allowed:
                    raise ApiValueError("%s has no field %r%s" % (cls.__name__, name, _suggest(name, cls._by_attr)))
                values[name] = value
            else:
                values[field.key] = coerce(value, field.type)
        _set_instance_dict(obj, values)
        return obj

    @classmethod
    def from_json(cls, data):
        """A model that reads the decoded JSON object `data` in place (no copy)."""
        obj = _new_object(cls)
        _set_instance_dict(obj, data)
        return obj

    def to_dict(self):
        """The model as a dict of attribute names to plain values (nested models become dicts)."""
        result = {}
        for attr in self._by_attr:
            result[attr] = _to_plain(getattr(self, attr))
        for key, value in self.__dict__.items():
            if key not in self._by_key:
                result[key] = _to_plain(value)
        return result

    def to_str(self):
        """`to_dict()` pretty-printed, secrets (passwords, tokens) redacted."""
        import pprint
        return pprint.pformat(redact(self.to_dict()))

    def __repr__(self):
        parts = []
        for field in sorted(self._by_attr.values(), key=_field_order):
            value = getattr(self, field.attr)
            if value is not None:
                parts.append("%s=%s" % (field.attr, REDACTED if is_secret_name(field.attr) else repr(value)))
        for key, value in sorted(self.__dict__.items()):
            if key not in self._by_key and value is not None:
                parts.append("%s=%s" % (key, REDACTED if is_secret_name(key) else repr(value)))
        return "%s(%s)" % (type(self).__name__, ", ".join(parts))

    def __eq__(self, other):
        if type(other) is not type(self):
            return NotImplemented
        return self.to_dict() == other.to_dict()

    def __ne__(self, other):
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    __hash__ = None


def _field_order(field):
    # `id` and `name` first: they are what a reader looks for.
    return (field.attr not in ("id", "name"), field.attr != "id", field.attr)


# Sets an instance's `__dict__` without going through `Model.__setattr__`.
_set_instance_dict = Model.__dict__["__dict__"].__set__


def make_class(name, module_name, tables, is_enum):
    """The model or enum class `name`, built from its row in the table module `tables`."""
    if is_enum:
        constants = tables.ENUMS[name]
        namespace = dict(constants)
        namespace["allowable_values"] = [value for _, value in constants]
        namespace["__module__"] = module_name
        namespace["__doc__"] = "The values of `%s`." % name
        return type(name, (Enum,), namespace)
    row = tables.MODELS[name]
    schema = row.get("schema", name)
    namespace = {
        "__module__": module_name,
        "__doc__": ("The `%s` schema of the CloudTower API." % schema if schema
                    else "An object nested in another schema of the CloudTower API."),
        "_fields": row["fields"],
        "_extra_allowed": row.get("extra_allowed", True),
        "_constraints": row.get("constraints", {}),
    }
    return _ModelMeta(name, (Model,), namespace)


class Enum(object):
    """Base of every generated enum: string constants whose values are the wire values.

    Values are plain strings, so `vm.status == VmStatus.RUNNING` works, and a value a newer
    server sends that this SDK does not know is still a string.
    """

    allowable_values = []
    openapi_types = {}
    attribute_map = {}


def _to_plain(value):
    if isinstance(value, Model):
        return value.to_dict()
    if isinstance(value, list):
        return [_to_plain(item) for item in value]
    if isinstance(value, dict):
        return dict((key, _to_plain(item)) for key, item in value.items())
    return value


def redact(data):
    """A copy of plain `data` (decoded JSON, `to_dict()`) with the values of secret-named keys
    replaced."""
    if isinstance(data, dict):
        return dict((key, REDACTED if is_secret_name(key) and value is not None else redact(value))
                    for key, value in data.items())
    if isinstance(data, list):
        return [redact(item) for item in data]
    return data


def _suggest(name, choices):
    import difflib
    close = difflib.get_close_matches(str(name), list(choices), n=1)
    return "; did you mean %r?" % close[0] if close else ""


def coerce(value, type_string):
    """Turn a value a user assigns into what a model stores: dicts become models, lists of dicts
    become lists of models. Other values are kept as they are (they are checked when sent)."""
    if value is None:
        return None
    kind = kind_of(type_string)
    if kind == "list":
        inner = split_type(type_string)[1]
        if isinstance(value, (list, tuple)) and kind_of(inner) in ("list", "model"):
            return DecodedList([coerce(item, inner) for item in value])
        return value
    if kind == "model" and isinstance(value, dict):
        return resolve(type_string).from_dict(value)
    return value


# ----------------------------------------------------------------------------------------------
# Encoding: Python values to JSON-ready data, checked against the spec's types.

# Deeper input than this (path elements: fields and list indexes) is refused: no where-filter
# needs it, and Python's recursion limit would otherwise end the encoding with RecursionError.
MAX_NESTING = 100

# Field names whose values are secrets: never shown in a repr, a log or an error message.
_SECRET_NAME = re.compile(r"pass(word|wd)?|secret|token|credential|private_?key|api_?key|authorization",
                          re.IGNORECASE)
REDACTED = "<redacted>"


def is_secret_name(name):
    """True when a field or header called `name` holds a secret (a password, a token ...)."""
    return bool(_SECRET_NAME.search(str(name)))


def encode(value, type_string=None, validate=True, path=("body",), strict=False):
    """JSON-ready data for `value`, read as `type_string` (None: no type, encode as it is).

    Models and dicts read as a model have their keys mapped to JSON keys; attributes left as None
    are not sent, a key a dict gives explicitly as None is sent as null. A model of another class
    is read as a dict of its fields. With `validate`, unknown fields, missing required fields,
    wrong types and values outside an enum raise `InvalidRequestTypeError` /
    `InvalidRequestValueError` (an `ApiTypeError` / `ApiValueError`, and a 400 `ApiException`)
    naming the field. A value JSON cannot hold, or input nested too deeply, raises them whatever
    `validate` says. With `strict` (a server's view), dict keys must be JSON keys.
    """
    try:
        return _encode(value, type_string, validate, tuple(path), strict)
    except RecursionError:
        raise InvalidRequestValueError("nested too deeply to encode", tuple(path))


if sys.version_info[0] == 2:  # pragma: no cover - Python 2 has no RecursionError
    RecursionError = RuntimeError  # noqa: A001


def _encode(value, type_string, validate, path, strict):
    if value is None:
        return None
    if len(path) > MAX_NESTING:
        raise InvalidRequestValueError("nested more than %d levels deep" % MAX_NESTING, path)
    if type_string is None or type_string == "object":
        return _encode_untyped(value, path)
    outer, inner = split_type(type_string)
    if outer:
        if not isinstance(value, (list, tuple)):
            if isinstance(value, (dict, Model)) and kind_of(inner) == "model":
                value = [value]  # as GraphQL does: one object where a list is expected is a list of it
            elif validate:
                raise InvalidRequestTypeError("expected a list, got %s" % _describe(value, path), path)
            else:
                return _encode_untyped(value, path)
        return [_encode(item, inner, validate, path + (index,), strict) for index, item in enumerate(value)]
    encoder = _SCALAR_ENCODERS.get(type_string)
    if encoder is not None:
        return encoder(value, validate, path)
    cls = resolve(type_string)
    if isinstance(value, Model):
        if isinstance(value, cls):
            return _encode_model(value, cls, validate, path)
        # A model of another class (VmOperateParams where VmDeleteParams is expected, a
        # NestedCluster in a where-filter): sent when its fields fit.
        return _encode_mapping(_set_fields(value), cls, validate, path, strict=True)
    if issubclass(cls, Enum):
        return _encode_enum(value, cls, validate, path)
    if isinstance(value, dict):
        return _encode_mapping(value, cls, validate, path, strict)
    if validate:
        raise InvalidRequestTypeError("expected %s or a dict, got %s" % (cls.__name__, _describe(value, path)), path)
    return _encode_untyped(value, path)


def _set_fields(model):
    """A model's fields that are set, by JSON key."""
    return dict((key, value) for key, value in model.__dict__.items() if value is not None)


def _encode_model(model, cls, validate, path):
    data = {}
    for key, value in model.__dict__.items():
        if value is None:
            continue  # left unset
        field = cls._by_key.get(key)
        if field is None:
            data[key] = _encode_untyped(value, path + (key,))
        else:
            data[key] = _encode(value, field.type, validate, path + (field.attr,), False)
            if validate:
                _check_constraints(cls, field, data[key], path + (field.attr,))
    if validate:
        _check_required(cls, data, path)
    return data


def _encode_mapping(mapping, cls, validate, path, strict=False):
    data = {}
    for name, value in mapping.items():
        field = cls._by_key.get(name) if strict else cls._by_attr.get(name) or cls._by_key.get(name)
        if field is None:
            if validate:
                raise InvalidRequestTypeError("unknown field %r for %s%s"
                                              % (name, cls.__name__, _suggest(name, cls._by_attr)), path)
            data[name] = _encode_untyped(value, path + (name,))
            continue
        if field.key in data:
            raise InvalidRequestValueError("field %r is given twice (as %r and %r)"
                                           % (field.attr, field.attr, field.key), path)
        if value is None:
            if validate and not field.nullable:
                raise InvalidRequestValueError("%s may not be null" % field.attr, path)
            data[field.key] = None
            continue
        data[field.key] = _encode(value, field.type, validate, path + (field.key if strict else field.attr,), strict)
        if validate:
            _check_constraints(cls, field, data[field.key], path + (field.attr,))
    if validate:
        _check_required(cls, data, path)
    return data


def _check_required(cls, data, path):
    for field in cls._by_attr.values():
        if field.required and data.get(field.key) is None and not (field.nullable and field.key in data):
            raise InvalidRequestValueError("missing required field %r of %s" % (field.attr, cls.__name__), path)


def _check_constraints(cls, field, value, path):
    limits = cls._constraints.get(field.attr)
    if not limits or value is None:
        return
    if "enum" in limits and value not in limits["enum"]:
        raise InvalidRequestValueError("must be one of %s, got %s"
                                       % (", ".join(map(repr, limits["enum"])), _shown(value, path)), path)
    if "items_enum" in limits:
        for index, item in enumerate(value):
            if item not in limits["items_enum"]:
                raise InvalidRequestValueError("must be one of %s, got %s" % (
                    ", ".join(map(repr, limits["items_enum"])), _shown(item, path)), path + (index,))
    if "minimum" in limits and value < limits["minimum"]:
        raise InvalidRequestValueError("must be at least %s, got %s" % (limits["minimum"], _shown(value, path)), path)
    if "maximum" in limits and value > limits["maximum"]:
        raise InvalidRequestValueError("must be at most %s, got %s" % (limits["maximum"], _shown(value, path)), path)
    if "minLength" in limits and len(value) < limits["minLength"]:
        raise InvalidRequestValueError("must have at least %d characters" % limits["minLength"], path)
    if "minItems" in limits and len(value) < limits["minItems"]:
        raise InvalidRequestValueError("must have at least %d items" % limits["minItems"], path)


def _encode_enum(value, cls, validate, path):
    if not isinstance(value, STRING_TYPES):
        if validate:
            raise InvalidRequestTypeError("expected a %s value (a string), got %s"
                                          % (cls.__name__, _describe(value, path)), path)
        return _encode_untyped(value, path)
    if validate and cls.allowable_values and value not in cls.allowable_values:
        raise InvalidRequestValueError("%s is not a %s value; expected one of %s"
                                       % (_shown(value, path), cls.__name__, ", ".join(cls.allowable_values)), path)
    return value


def _encode_str(value, validate, path):
    if isinstance(value, STRING_TYPES):
        return value
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    if validate:
        raise InvalidRequestTypeError("expected a string, got %s" % _describe(value, path), path)
    return _encode_untyped(value, path)


def _encode_int(value, validate, path):
    if isinstance(value, INTEGER_TYPES) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if validate:
        raise InvalidRequestTypeError("expected an integer, got %s" % _describe(value, path), path)
    return _encode_untyped(value, path)


def _encode_float(value, validate, path):
    if isinstance(value, INTEGER_TYPES + (float,)) and not isinstance(value, bool):
        return value
    if validate:
        raise InvalidRequestTypeError("expected a number, got %s" % _describe(value, path), path)
    return _encode_untyped(value, path)


def _encode_bool(value, validate, path):
    if isinstance(value, bool):
        return value
    if validate:
        raise InvalidRequestTypeError("expected True or False, got %s" % _describe(value, path), path)
    return _encode_untyped(value, path)


def _encode_datetime(value, validate, path):
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    return _encode_str(value, validate, path)


def _encode_file(value, validate, path):
    return value


_SCALAR_ENCODERS = {
    "str": _encode_str,
    "int": _encode_int,
    "float": _encode_float,
    "bool": _encode_bool,
    "datetime": _encode_datetime,
    "date": _encode_datetime,
    "file": _encode_file,
}

_JSON_SCALARS = STRING_TYPES + INTEGER_TYPES + (float, bool)


def _encode_untyped(value, path):
    """JSON-ready data for a value of no declared type: models by their own table, containers
    item by item, dates as ISO-8601 text. A value JSON cannot hold raises, naming the field."""
    if value is None or isinstance(value, _JSON_SCALARS):
        return value
    if len(path) > MAX_NESTING:
        raise InvalidRequestValueError("nested more than %d levels deep" % MAX_NESTING, path)
    if isinstance(value, Model):
        return _encode_model(value, type(value), False, path)
    if isinstance(value, (list, tuple)):
        return [_encode_untyped(item, path + (index,)) for index, item in enumerate(value)]
    if isinstance(value, dict):
        return dict((key, _encode_untyped(item, path + (key,))) for key, item in value.items())
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    raise InvalidRequestTypeError("a %s cannot be sent as JSON; give a string, a number, a bool, a list "
                                  "or a dict" % type(value).__name__, path)


def _describe(value, path=()):
    """A value's type and (unless it is a secret) a short repr, for an error message."""
    if path and is_secret_name(path[-1]):
        return type(value).__name__
    text = repr(value)
    if len(text) > 40:
        text = text[:37] + "..."
    return "%s %s" % (type(value).__name__, text)


def _shown(value, path):
    """A value as an error message shows it: its repr, or only its type when it is a secret."""
    if path and is_secret_name(path[-1]):
        return "a %s" % type(value).__name__
    return repr(value)


def decode(data, type_string, strict=False):
    """The Python value of decoded JSON `data` read as `type_string` (`list[Vm]`, `str` ...).

    With `strict` (a whole answer), data of another shape than the type's - not a list where a
    list is declared, not an object where a model is - raises `ApiValueError`; nested values are
    checked when they are read.
    """
    if data is None or type_string is None:
        return data
    kind = kind_of(type_string)
    if kind == "list":
        if type(data) is list:
            inner = split_type(type_string)[1]
            if kind_of(inner) == "model":
                return _decode_model_list(data, resolve(inner), strict)
        elif strict:
            raise ApiValueError("expected a list, got %s" % _json_type(data))
    elif kind == "model" and strict and type(data) is not dict:
        raise ApiValueError("expected an object, got %s" % _json_type(data))
    return decoder_for(type_string)(data)


def _json_type(data):
    for kind, name in ((dict, "an object"), (list, "a list"), (bool, "a boolean"), (float, "a number")):
        if isinstance(data, kind):
            return name
    if isinstance(data, INTEGER_TYPES):
        return "a number"
    return "a string" if isinstance(data, STRING_TYPES) else type(data).__name__


def _decode_model_list(items, cls, strict=False):
    # The hot path of every query: one object per item, no copying.
    new, set_dict = _new_object, _set_instance_dict
    result = DecodedList()
    append = result.append
    for item in items:
        if type(item) is dict:
            obj = new(cls)
            set_dict(obj, item)
            append(obj)
        elif strict and item is not None:
            raise ApiValueError("expected a list of objects, item %d is %s" % (len(result), _json_type(item)))
        else:
            append(item)
    return result
