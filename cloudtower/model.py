"""Base classes of the generated models and enums, and conversion between models and JSON.

A generated model is a table (`_fields`); this module gives it behaviour.

A model keeps its field values in its instance `__dict__` under the attribute names, so reading a
field (`vm.name`) is an ordinary attribute lookup, as fast as Python allows. Decoding is cheap
because it works in place: the JSON object of a response becomes the instance `__dict__` of its
model, after the few changes a table plans per class - nested objects become models, a value of
another JSON type than declared is converted (`"5"` for an integer), a JSON key that differs from
the attribute name is copied to it. Anything else a server sends is kept as it came, and so is
anything a script puts in: a dict assigned to a field stays that dict, and is checked when sent.
"""
from __future__ import absolute_import

import datetime
import importlib
import sys
import threading
import warnings

from cloudtower.exceptions import (SECRET_WORDS, ApiAttributeError, ApiTypeError, ApiValueError,
                                   InvalidRequestTypeError, InvalidRequestValueError, compiled)

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
    """`list[Vm]` -> ("list", "Vm"); `dict(str, Vm)` -> ("dict", "Vm"); `Vm` -> ("", "Vm")."""
    if type_string.startswith("list[") and type_string.endswith("]"):
        return "list", type_string[5:-1]
    if type_string.startswith("dict(") and type_string.endswith(")"):
        return "dict", type_string[5:-1].partition(",")[2].strip()
    return "", type_string


_PLAIN_TYPES = frozenset(["str", "int", "bool", "object", "file"])
_KINDS = {}


def kind_of(type_string):
    """How values of a type are decoded: `list`, `dict`, `plain` (str, int, bool, object, enums:
    the JSON value is the Python value), `float`, `datetime`, `date` or `model`."""
    kind = _KINDS.get(type_string)
    if kind is None:
        outer = split_type(type_string)[0]
        if outer:
            kind = outer
        elif type_string in _PLAIN_TYPES or is_enum_name(type_string):
            kind = "plain"
        elif type_string in ("float", "datetime", "date"):
            kind = type_string
        else:
            kind = "model"
        _KINDS[type_string] = kind
    return kind


# ----------------------------------------------------------------------------------------------
# Decoding: JSON values to Python values, in place.

def _to_int(value):
    if isinstance(value, (bool, float)):
        return int(value)
    if isinstance(value, STRING_TYPES):
        try:
            return int(value)
        except ValueError:
            return value
    return value


def _to_float(value):
    if isinstance(value, INTEGER_TYPES):
        return float(value)  # a JavaScript server writes 2.0 as 2
    if isinstance(value, STRING_TYPES):
        try:
            return float(value)
        except ValueError:
            return value
    return value


def _to_str(value):
    if isinstance(value, (bool, float) + INTEGER_TYPES):
        return str(value)
    return value


def _to_bool(value):
    if isinstance(value, STRING_TYPES):
        return {"true": True, "false": False}.get(value.strip().lower(), value)
    if isinstance(value, (float,) + INTEGER_TYPES):
        return bool(value)
    return value


# Declared scalar type -> (the JSON types that need no change, the conversion of any other).
_SCALARS = {
    "int": ((int, long) if sys.version_info[0] == 2 else (int,), _to_int),  # noqa: F821
    "float": ((float,), _to_float),
    "str": (STRING_TYPES, _to_str),
    "bool": ((bool,), _to_bool),
}


def _parse_datetime(value):
    from dateutil.parser import isoparse
    return isoparse(value)


def _parse_date(value):
    try:
        return datetime.datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        return _parse_datetime(value).date()  # a full timestamp: its date


def _lenient(parse):
    """`parse` for a field: text that is not a date is kept as it came."""
    def decode(value):
        if not isinstance(value, STRING_TYPES):
            return value
        try:
            return parse(value)
        except (ValueError, OverflowError):
            return value
    return decode


_DECODERS = {}


def decoder_for(type_string):
    """A function that turns the JSON value of `type_string` into its Python value, or None when
    JSON values of the type need no change (plain strings, numbers, enums, untyped objects)."""
    if type_string in _DECODERS:
        return _DECODERS[type_string]
    kind = kind_of(type_string)
    decoder = None
    if kind in ("list", "dict"):
        inner = decoder_for(split_type(type_string)[1])
        if inner is not None:
            decoder = (_list_decoder if kind == "list" else _dict_decoder)(inner)
    elif kind == "model":
        decoder = _model_decoder(type_string)
    elif kind in ("datetime", "date"):
        decoder = _lenient(_parse_datetime if kind == "datetime" else _parse_date)
    elif type_string in _SCALARS:
        decoder = _scalar_decoder(*_SCALARS[type_string])
    _DECODERS[type_string] = decoder
    return decoder


def _scalar_decoder(accepted, convert):
    def decode(value):
        return value if type(value) in accepted else convert(value)
    return decode


def _model_decoder(class_name):
    found = []

    def decode(value):
        if type(value) is not dict:
            return value  # already a model, or something unexpected: keep it
        if not found:
            found.append(_decoder_of_class(resolve(class_name)))
        return found[0](value)
    return decode


def _list_decoder(decode_item):
    def decode(value):
        if type(value) is not list:
            return value
        return [decode_item(item) for item in value]
    return decode


def _dict_decoder(decode_value):
    def decode(value):
        if type(value) is not dict:
            return value
        return dict((key, decode_value(item)) for key, item in value.items())
    return decode


def _decoder_of_class(cls):
    """The function that decodes a JSON object of model class `cls` in place and returns its
    model, made the first time it is needed.

    Decoding is the hot path of every query: 10,000 VMs hold 170,000 nested objects. The function
    is written out for the class (like `dataclasses` writes `__init__`), one line per field that
    needs work, and calls the functions of the nested classes directly; that costs half of what
    a loop over the same table does.
    """
    function = _CLASS_DECODERS.get(cls)
    if function is not None and function is not _COMPILING:
        return function
    with _COMPILE_LOCK:  # other threads wait here; the compiling thread comes back for nested classes
        function = _CLASS_DECODERS.get(cls)
        if function is _COMPILING:  # a class nested in itself: look its function up when called
            return lambda data: _CLASS_DECODERS[cls](data)
        if function is None:
            _CLASS_DECODERS[cls] = _COMPILING
            try:
                function = _compile_decoder(cls)
            finally:
                if function is None:
                    del _CLASS_DECODERS[cls]
                else:
                    _CLASS_DECODERS[cls] = function
    return function


_CLASS_DECODERS = {}
_COMPILING = object()
_COMPILE_LOCK = threading.RLock()


def _compile_decoder(cls):
    lines = ["def decode(data):"]
    names = {"new": _new_object, "set_dict": _set_instance_dict, "cls": cls, "dict": dict, "list": list}
    fields = sorted(cls._by_attr.values(), key=lambda field: field.attr)
    for field in fields:
        if field.key != field.attr:  # stored under the attribute name too
            lines.append("    if %r in data: data[%r] = data[%r]" % (field.key, field.attr, field.key))
    lines.append("    get = data.get")
    for index, field in enumerate(fields):
        outer, inner = split_type(field.type)
        if field.type in _SCALARS:
            accepted, convert = _SCALARS[field.type]
            names["convert_%s" % field.type] = convert
            test = ("type(value) is not %s" % accepted[0].__name__ if len(accepted) == 1
                    else "type(value) not in %s" % ("accepted_" + field.type))
            names["accepted_" + field.type] = accepted
            names[accepted[0].__name__] = accepted[0]
            lines.append("    value = get(%r)" % field.attr)
            lines.append("    if value is not None and %s: data[%r] = convert_%s(value)" % (test, field.attr, field.type))
        elif kind_of(field.type) == "model" or (outer == "list" and kind_of(inner) == "model"):
            # A nested model, or a list of them: its class's function, called directly.
            name = "decode_%d" % index
            names[name] = _decoder_of_class(resolve(inner))
            lines.append("    value = get(%r)" % field.attr)
            if outer:
                lines.append("    if type(value) is list: data[%r] = [%s(item) if type(item) is dict else item "
                             "for item in value]" % (field.attr, name))
            else:
                lines.append("    if type(value) is dict: data[%r] = %s(value)" % (field.attr, name))
        elif kind_of(field.type) != "plain":
            decoder = decoder_for(field.type)
            if decoder is not None:
                names["decode_%d" % index] = decoder
                lines.append("    value = get(%r)" % field.attr)
                lines.append("    if value is not None: data[%r] = decode_%d(value)" % (field.attr, index))
    lines += ["    obj = new(cls)", "    set_dict(obj, data)", "    return obj"]
    namespace = {}
    exec(compile("\n".join(lines), "<decoder of %s>" % cls.__name__, "exec"), names, namespace)
    return namespace["decode"]


def _decode_object(cls, data):
    """The model of class `cls` whose `__dict__` is the JSON object `data`, decoded in place."""
    return _decoder_of_class(cls)(data)


# ----------------------------------------------------------------------------------------------
# Models and enums.

class Field(object):
    """One field of a model: `name` (the attribute), `json_key`, `type` (a type string such as
    `str`, `NestedCluster`, `list[NestedVmDisk]`), `required`, `nullable`, and `limits` (what the
    spec allows: `enum`, `minimum`, `maximum`, `minLength`, `minItems`, `items_enum`)."""

    __slots__ = ("attr", "key", "type", "required", "nullable", "limits")

    def __init__(self, attr, type_string, flags, key, limits=None):
        self.attr = attr
        self.key = key
        self.type = type_string
        self.required = bool(flags & REQUIRED)
        self.nullable = bool(flags & NULLABLE)
        self.limits = limits or {}

    @property
    def name(self):
        """The attribute name (`entity_async_status`)."""
        return self.attr

    @property
    def json_key(self):
        """The key in JSON (`entityAsyncStatus`)."""
        return self.key

    def __repr__(self):
        return "Field(%r, json_key=%r, type=%r, required=%r, nullable=%r)" % (
            self.attr, self.key, self.type, self.required, self.nullable)


def fields(model):
    """The fields of a model class (or of the class of a model), by JSON key:
    `{json_key: Field}`. A read-only view; `VmWhereInput` has about 450 of them."""
    cls = model if isinstance(model, type) else type(model)
    if not issubclass(cls, Model):
        raise ApiTypeError("%s is not a model class" % (cls.__name__,))
    return _ReadOnly(cls._by_key)


try:
    from types import MappingProxyType as _ReadOnly
except ImportError:  # Python 2
    _ReadOnly = dict


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
        limits = namespace.get("_constraints") or {}
        for row in rows:
            attr, type_string, flags = row[0], row[1], row[2]
            key = row[3] if len(row) > 3 else attr
            field = Field(attr, type_string, flags, key, limits.get(attr))
            cls.attribute_map[attr] = key
            cls.openapi_types[attr] = type_string
            cls._by_attr[attr] = field
            cls._by_key[key] = field
            setattr(cls, attr, None)  # the value of a field never set
        cls._required = tuple(field for field in cls._by_attr.values() if field.required)


_ModelBase = _ModelMeta("_ModelBase", (object,), {"__slots__": ()})


class Model(_ModelBase):
    """Base of every generated model.

    Build one with keywords (`Vm(name="web-1")`) or from a dict with JSON or attribute keys
    (`VmWhereInput.from_dict({"name_contains": "web"})`). Attributes are the snake-case names of
    the JSON keys; `to_dict()` gives them back as plain data. A model is a plain object to a
    script: it may carry attributes of its own, which are never sent.
    """

    _fields = ()
    _by_attr = {}
    _by_key = {}
    _required = ()
    _extra_allowed = True
    _constraints = {}
    attribute_map = {}
    openapi_types = {}
    discriminator = None

    def __init__(self, local_vars_configuration=None, **kwargs):
        values = self.__dict__
        if local_vars_configuration is not None:
            values["local_vars_configuration"] = local_vars_configuration
        fields = self._by_attr
        for name, value in kwargs.items():
            if name in fields:
                values[name] = value
            else:
                # As the official SDK: an unknown keyword is ignored; unlike it, not silently.
                warnings.warn("%s() ignores the unknown keyword %r%s"
                              % (type(self).__name__, name, _suggest(name, fields)), stacklevel=2)

    def __setattr__(self, name, value):
        fields = self._by_attr
        if name in fields:
            self.__dict__[name] = value
        elif name[:1] == "_" and name[1:] in fields:  # `vm._name`, the official's field storage
            self.__dict__[name[1:]] = value
        else:
            object.__setattr__(self, name, value)  # an attribute of the script's own

    def __getattr__(self, name):
        # Only reached when normal lookup fails.
        if name[:1] == "_" and name[1:2] != "_" and name[1:] in self._by_attr:
            return getattr(self, name[1:])
        if name == "local_vars_configuration":
            from cloudtower.configuration import Configuration
            configuration = self.__dict__[name] = Configuration.get_default_copy()
            return configuration
        if name.startswith("__"):
            raise AttributeError(name)
        raise ApiAttributeError("%s has no attribute %r%s"
                                % (type(self).__name__, name, _suggest(name, self._by_attr)))

    @classmethod
    def from_dict(cls, data):
        """A model built from a dict whose keys are JSON keys or attribute names; nested dicts
        become models."""
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
                values[field.attr] = _models_from_dicts(value, field.type)
        _set_instance_dict(obj, values)
        return obj

    @classmethod
    def from_json(cls, data):
        """The model of the decoded JSON object `data`, which it keeps (decoded in place)."""
        return _decode_object(cls, data)

    def to_dict(self, serialize=False):
        """The fields as a dict of plain values (nested models become dicts), by attribute name,
        or by JSON key with `serialize`. Attributes of the script's own are not fields."""
        values = self.__dict__
        result = {}
        for field in self._by_attr.values():
            result[field.key if serialize else field.attr] = _to_plain(values.get(field.attr), serialize)
        return result

    def to_str(self):
        """`to_dict()` pretty-printed, secrets (passwords, tokens) redacted."""
        import pprint
        return pprint.pformat(redact(self.to_dict()))

    def __repr__(self):
        parts = []
        values = self.__dict__
        for field in sorted(self._by_attr.values(), key=_field_order):
            value = values.get(field.attr)
            if value is not None:
                parts.append("%s=%s" % (field.attr, REDACTED if is_secret_name(field.attr) else repr(value)))
        return "%s(%s)" % (type(self).__name__, ", ".join(parts))

    def __eq__(self, other):
        if not isinstance(other, Model):
            return NotImplemented
        if not (isinstance(other, type(self)) or isinstance(self, type(other))):
            return False
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
    server sends that this SDK does not know is still a string. An instance (`VmStatus()`) is
    an empty object, as in the official SDK.
    """

    allowable_values = []
    openapi_types = {}
    attribute_map = {}
    discriminator = None

    def __init__(self, local_vars_configuration=None, **kwargs):
        if local_vars_configuration is None:
            from cloudtower.configuration import Configuration
            local_vars_configuration = Configuration.get_default_copy()
        self.local_vars_configuration = local_vars_configuration

    def to_dict(self, serialize=False):
        """An enum instance has no fields: `{}`."""
        return {}

    def to_str(self):
        """`{}`."""
        return "{}"

    __repr__ = to_str

    def __eq__(self, other):
        return isinstance(other, type(self))

    def __ne__(self, other):
        return not self.__eq__(other)

    __hash__ = None


def _to_plain(value, serialize=False):
    if isinstance(value, Model):
        return value.to_dict(serialize)
    if isinstance(value, list):
        return [_to_plain(item, serialize) for item in value]
    if isinstance(value, dict):
        return dict((key, _to_plain(item, serialize)) for key, item in value.items())
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


def _models_from_dicts(value, type_string):
    """For `from_dict`: dicts become models, lists of dicts lists of models."""
    if value is None:
        return None
    kind = kind_of(type_string)
    if kind == "list" and isinstance(value, (list, tuple)):
        inner = split_type(type_string)[1]
        if kind_of(inner) in ("list", "model"):
            return [_models_from_dicts(item, inner) for item in value]
    if kind == "model" and isinstance(value, dict):
        return resolve(type_string).from_dict(value)
    return value


# ----------------------------------------------------------------------------------------------
# Encoding: Python values to JSON-ready data, checked against the spec's types.

# Deeper input than this (path elements: fields and list indexes) is refused: no where-filter
# needs it, and Python's recursion limit would otherwise end the encoding with RecursionError.
MAX_NESTING = 100

# Field names that contain one of the SECRET_WORDS hold secrets: never shown in a repr, a log or
# an error message.
REDACTED = "<redacted>"


def is_secret_name(name):
    """True when a field or header called `name` holds a secret (a password, a token ...)."""
    return bool(compiled(SECRET_WORDS).search(str(name)))


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
        if outer == "list" and not isinstance(value, (list, tuple)):
            if isinstance(value, (dict, Model)) and kind_of(inner) == "model":
                value = [value]  # as GraphQL does: one object where a list is expected is a list of it
            elif validate:
                raise InvalidRequestTypeError("expected a list, got %s" % _describe(value, path), path)
            else:
                return _encode_untyped(value, path)
        if outer == "dict":
            if not isinstance(value, dict):
                if validate:
                    raise InvalidRequestTypeError("expected a dict, got %s" % _describe(value, path), path)
                return _encode_untyped(value, path)
            return dict((key, _encode(item, inner, validate, path + (key,), strict)) for key, item in value.items())
        if isinstance(value, list) and _all_plain(value, inner, validate):
            return value  # a list of ids, names ...: checked at C speed, sent as it is
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


# Declared scalar item type -> the Python types its items may have to be sent as they are.
_PLAIN_ITEM_TYPES = {
    "str": frozenset(STRING_TYPES),
    "int": frozenset(INTEGER_TYPES),
    "float": frozenset(INTEGER_TYPES + (float,)),
    "bool": frozenset([bool]),
}


def _all_plain(items, item_type, validate):
    """True when every item of a list of scalars or enum values can be sent as it is."""
    accepted = _PLAIN_ITEM_TYPES.get(item_type)
    if accepted is None:
        if kind_of(item_type) != "plain" or item_type in ("object", "file"):
            return False
        cls = resolve(item_type)  # an enum
        accepted = _PLAIN_ITEM_TYPES["str"]
        if validate and cls.allowable_values and not set(items) <= _allowed_values(cls):
            return False
    return set(map(type, items)) <= accepted


_ALLOWED = {}


def _allowed_values(enum):
    """The values of an enum class, as a set."""
    allowed = _ALLOWED.get(enum)
    if allowed is None:
        allowed = _ALLOWED[enum] = frozenset(enum.allowable_values)
    return allowed


def _set_fields(model):
    """A model's fields that are set, by JSON key."""
    fields = type(model)._by_attr
    result = {}
    for attr, value in model.__dict__.items():
        field = fields.get(attr)
        if field is not None and value is not None:
            result[field.key] = value
    return result


def _encode_model(model, cls, validate, path):
    # Only the fields: what a script keeps of its own on a model, and what a server sent that
    # the spec does not know, is not sent.
    data = {}
    fields = cls._by_attr
    for attr, value in model.__dict__.items():
        field = fields.get(attr)
        if field is None or value is None:
            continue
        data[field.key] = encoded = _encode(value, field.type, validate, path + (attr,), False)
        if validate:
            _check_constraints(cls, field, encoded, path + (attr,))
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
    for field in cls._required:
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


def sanitize(value, path=("body",)):
    """JSON-ready data for a value of no declared type (`ApiClient.sanitize_for_serialization`),
    as `encode` makes it, except that bytes are kept: form fields may carry them."""
    try:
        return _encode_untyped(value, tuple(path), _SANITIZED_SCALARS)
    except RecursionError:
        raise InvalidRequestValueError("nested too deeply to encode", tuple(path))


_SANITIZED_SCALARS = _JSON_SCALARS + (bytes,)


def _encode_untyped(value, path, scalars=_JSON_SCALARS):
    """JSON-ready data for a value of no declared type: models by their own table, containers
    item by item, dates as ISO-8601 text; `scalars` are kept as they are. A value JSON cannot hold
    raises, naming the field."""
    if value is None or isinstance(value, scalars):
        return value
    if len(path) > MAX_NESTING:
        raise InvalidRequestValueError("nested more than %d levels deep" % MAX_NESTING, path)
    if isinstance(value, Model):
        return _encode_model(value, type(value), False, path)
    if isinstance(value, list):
        return [_encode_untyped(item, path + (index,), scalars) for index, item in enumerate(value)]
    if isinstance(value, tuple):
        return tuple(_encode_untyped(item, path + (index,), scalars) for index, item in enumerate(value))
    if isinstance(value, dict):
        return dict((key, _encode_untyped(item, path + (key,), scalars)) for key, item in value.items())
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

    Nested objects become models, and a value of another JSON type than declared is converted
    where that makes sense (`"5"` for `int`, `"false"` for `bool`). With `strict` (a whole
    answer), data of another shape - not a list where a list is declared, not an object where a
    model is, text that is not a date - raises `ApiValueError`.
    """
    if data is None or type_string is None:
        return data
    kind = kind_of(type_string)
    if strict:
        _check_shape(data, type_string, kind)
    if kind == "list" and type(data) is list:
        inner = split_type(type_string)[1]
        if kind_of(inner) == "model":
            return _decode_model_list(data, resolve(inner), strict)
    decoder = decoder_for(type_string)
    return data if decoder is None else decoder(data)


def _check_shape(data, type_string, kind):
    if kind in ("list", "dict", "model"):
        expected = list if kind == "list" else dict
        if type(data) is not expected:
            raise ApiValueError("expected %s, got %s" % ("a list" if kind == "list" else "an object",
                                                         _json_type(data)))
    elif kind in ("datetime", "date"):
        try:
            if not isinstance(data, STRING_TYPES):
                raise ValueError(data)
            (_parse_datetime if kind == "datetime" else _parse_date)(data)
        except (ValueError, OverflowError):
            raise ApiValueError("expected a %s, got %r" % (kind, data))


def _json_type(data):
    for kind, name in ((dict, "an object"), (list, "a list"), (bool, "a boolean"), (float, "a number")):
        if isinstance(data, kind):
            return name
    if isinstance(data, INTEGER_TYPES):
        return "a number"
    return "a string" if isinstance(data, STRING_TYPES) else type(data).__name__


def _decode_model_list(items, cls, strict=False):
    # The hot path of every query.
    decode_item = _decoder_of_class(cls)
    result = []
    append = result.append
    for item in items:
        if type(item) is dict:
            append(decode_item(item))
        elif strict and item is not None:
            raise ApiValueError("expected a list of objects, item %d is %s" % (len(result), _json_type(item)))
        else:
            append(item)
    return result
