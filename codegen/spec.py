"""Parse: read the OpenAPI document and describe every class the SDK needs.

The result is plain data (`SpecModel`), independent of how it is rendered. Schemas become
`ModelDef`/`EnumDef`; inline object schemas get their own model, named after their parent and
property; identical inline schemas share one model (the first one met, in document order).
"""
import collections
import json

from codegen import names

REF_PREFIX = "#/components/schemas/"

Field = collections.namedtuple("Field", "attr json_key type required nullable constraints")
ModelDef = collections.namedtuple("ModelDef", "name schema fields extra_allowed")
EnumDef = collections.namedtuple("EnumDef", "name schema constants")
Param = collections.namedtuple("Param", "name wire location type required")
OperationDef = collections.namedtuple(
    "OperationDef",
    "operation_id method_name http_method path params returns auth content_type deprecated",
)
ApiDef = collections.namedtuple("ApiDef", "name tag operations")


class SpecError(Exception):
    """The spec holds something the generator does not know how to render."""


class SpecModel(object):
    """Everything the renderer needs: models, enums and Api classes, in a stable order."""

    def __init__(self, version, models, enums, apis):
        self.version = version
        self.models = models
        self.enums = enums
        self.apis = apis


def load(path):
    """Read the spec file at `path` and return its `SpecModel`."""
    with open(path) as handle:
        document = json.load(handle)
    return parse(document)


def parse(document):
    """Turn an OpenAPI 3 document (a dict) into a `SpecModel`."""
    schemas = document.get("components", {}).get("schemas", {})
    builder = _SchemaBuilder(schemas)
    builder.build_all()
    apis = _parse_apis(document.get("paths", {}), builder)
    version = document.get("info", {}).get("version", "")
    models = sorted(builder.models.values(), key=lambda m: m.name)
    enums = sorted(builder.enums.values(), key=lambda e: e.name)
    return SpecModel(version, models, enums, apis)


def ref_name(ref):
    """`#/components/schemas/Vm` -> `Vm`."""
    if not ref.startswith(REF_PREFIX):
        raise SpecError("unsupported $ref %r" % ref)
    return ref[len(REF_PREFIX):]


def _canonical(schema):
    return json.dumps(schema, sort_keys=True)


def _is_object(schema):
    return "properties" in schema or schema.get("type") == "object" or "allOf" in schema


class _SchemaBuilder(object):
    """Walks `components/schemas` in document order and names every class."""

    def __init__(self, schemas):
        self.schemas = schemas
        self.models = collections.OrderedDict()
        self.enums = collections.OrderedDict()
        self._inline_names = {}  # canonical JSON of an inline schema -> its model name

    def build_all(self):
        for schema_name, schema in self.schemas.items():
            name = names.class_name(schema_name)
            if "enum" in schema:
                constants = names.enum_constant_names(schema["enum"], name)
                self._add(self.enums, EnumDef(name, schema_name, list(zip(constants, schema["enum"]))))
            elif _is_object(schema):
                self._add(self.models, self._model(name, schema_name, schema))
            # Aliases of other schemas, arrays and bare numbers get no class: their users see
            # the type they stand for (see `type_of`).

    def _add(self, table, definition):
        if definition.name in self.models or definition.name in self.enums:
            raise SpecError("two schemas are both named %s" % definition.name)
        table[definition.name] = definition

    def _model(self, name, schema_name, schema):
        properties, required, extra_allowed = self._merged(name, schema)
        fields = []
        seen = {}
        for json_key, prop in properties.items():
            attr = names.attribute_name(json_key)
            if attr in seen:
                raise SpecError("%s: properties %r and %r both become attribute %r"
                                % (name, seen[attr], json_key, attr))
            seen[attr] = json_key
            fields.append(Field(
                attr=attr,
                json_key=json_key,
                type=self.type_of(prop, name, json_key),
                required=json_key in required,
                nullable=bool(prop.get("nullable")),
                constraints=_constraints(self._resolve_alias(prop)),
            ))
        return ModelDef(name, schema_name, fields, extra_allowed)

    def _merged(self, name, schema):
        """Properties, required names and openness of an object schema, with `allOf` merged."""
        if "allOf" not in schema:
            return (schema.get("properties", {}), set(schema.get("required", ())),
                    schema.get("additionalProperties", True) is not False)
        properties = collections.OrderedDict()
        required = set()
        extra_allowed = True
        for part in schema["allOf"]:
            if "$ref" in part:
                part = self.schemas[ref_name(part["$ref"])]
            else:
                self._inline_model(name + "AllOf", part)
            part_props, part_required, part_open = self._merged(name, part)
            properties.update(part_props)
            required.update(part_required)
            extra_allowed = extra_allowed and part_open
        return properties, required, extra_allowed

    def _inline_model(self, name, schema):
        """Name an inline object schema, or reuse the model of an identical one."""
        key = _canonical(schema)
        if key not in self._inline_names:
            self._inline_names[key] = name
            self._add(self.models, self._model(name, None, schema))
        return self._inline_names[key]

    def _resolve_alias(self, schema):
        """Follow `$ref`s (and single-`allOf` wrappers) to schemas that get no class."""
        while True:
            if "allOf" in schema and len(schema["allOf"]) == 1 and "properties" not in schema:
                schema = schema["allOf"][0]
            elif "$ref" in schema:
                target = self.schemas[ref_name(schema["$ref"])]
                if "enum" in target or _is_object(target):
                    return schema
                schema = target
            else:
                return schema

    def type_of(self, schema, owner, prop):
        """The type string of a property: `str`, `list[NestedVm]`, `VmStatus`, `object` ..."""
        if "allOf" in schema and len(schema["allOf"]) == 1 and "properties" not in schema:
            return self.type_of(schema["allOf"][0], owner, prop)
        if "$ref" in schema:
            target_name = ref_name(schema["$ref"])
            target = self.schemas[target_name]
            if "enum" in target or _is_object(target):
                return names.class_name(target_name)
            return self.type_of(target, owner, prop)
        kind = schema.get("type")
        if kind == "array":
            return "list[%s]" % self.type_of(schema.get("items", {}), owner, prop)
        if kind == "string":
            return "datetime" if schema.get("format") == "date-time" else "str"
        if kind == "integer":
            return "int"
        if kind == "number":
            return "float"
        if kind == "boolean":
            return "bool"
        if schema.get("properties") or "allOf" in schema:
            return self._inline_model(owner + names.camel_case(prop), schema)
        if kind in (None, "object"):
            return "object"
        raise SpecError("%s.%s: unknown schema type %r" % (owner, prop, kind))


def _constraints(schema):
    """Value limits the server checks, beyond the type: enum, minimum, minLength ..."""
    found = {}
    for key in ("enum", "minimum", "maximum", "minLength", "minItems"):
        if key in schema:
            found[key] = schema[key]
    items = schema.get("items", {})
    if "enum" in items:
        found["items_enum"] = items["enum"]
    return found


def _parse_apis(paths, builder):
    by_tag = collections.OrderedDict()
    for path, methods in paths.items():
        for http_method, operation in methods.items():
            parsed = _parse_operation(path, http_method, operation, builder)
            for tag in operation.get("tags", ["Default"]):
                by_tag.setdefault(tag, []).append(parsed)
    apis = []
    for tag, operations in by_tag.items():
        operations = _unique_method_names(operations)
        operations.sort(key=lambda op: op.method_name)
        apis.append(ApiDef(names.class_name(tag) + "Api", tag, operations))
    apis.sort(key=lambda api: api.name)
    return apis


def _unique_method_names(operations):
    """A tag that lists an operation twice gets it twice: `get_usb_devices`, `get_usb_devices_0`."""
    used = set()
    unique = []
    for operation in operations:
        name = operation.method_name
        counter = 0
        while name in used:
            name = "%s_%d" % (operation.method_name, counter)
            counter += 1
        used.add(name)
        unique.append(operation._replace(method_name=name))
    return unique


def _parse_operation(path, http_method, operation, builder):
    operation_id = operation["operationId"]
    method_name = names.snake_case(operation_id)
    params = []
    content_type = None
    body = operation.get("requestBody")
    if body:
        content_type, media = next(iter(body["content"].items()))
        schema = media["schema"]
        if content_type == "multipart/form-data":
            required = set(schema.get("required", ()))
            form = list(schema["properties"].items())
            # Required fields come first, in their order; then the optional ones.
            form.sort(key=lambda item: item[0] not in required)
            for wire, prop in form:
                kind = "file" if prop.get("format") == "binary" else builder.type_of(prop, operation_id, wire)
                params.append(Param(wire, wire, "form", kind, wire in required))
        else:
            params.append(Param(_body_param_name(schema, builder), None, "body",
                                builder.type_of(schema, operation_id, "Body"), bool(body.get("required"))))
    for parameter in operation.get("parameters", ()):
        location = parameter["in"]
        wire = parameter["name"]
        kind = builder.type_of(parameter.get("schema", {}), operation_id, wire)
        params.append(Param(names.attribute_name(wire.replace("-", "_")), wire, location, kind,
                            bool(parameter.get("required"))))
    security = operation.get("security")
    auth = [name for requirement in (security or ()) for name in requirement]
    return OperationDef(
        operation_id=operation_id,
        method_name=method_name,
        http_method=http_method.upper(),
        path=path,
        params=params,
        returns=_response_type(operation, builder),
        auth=auth,
        content_type=content_type,
        deprecated=bool(operation.get("deprecated")),
    )


def _body_param_name(schema, builder):
    """`GetVmsRequestBody` -> `get_vms_request_body`; an array body is named after its items."""
    if schema.get("type") == "array":
        return _body_param_name(schema["items"], builder)
    if "$ref" in schema:
        target = builder.schemas[ref_name(schema["$ref"])]
        if target.get("type") == "array":
            return _body_param_name(target["items"], builder)
        if "$ref" in target:
            return "body"  # an alias of another schema
        return names.snake_case(names.class_name(ref_name(schema["$ref"])))
    return "body"


def _response_type(operation, builder):
    response = operation.get("responses", {}).get("200", {})
    for media_type, media in response.get("content", {}).items():
        schema = media.get("schema")
        if schema is None:
            return None
        if schema.get("type") == "string" and schema.get("format") == "binary":
            return "file"
        return builder.type_of(schema, operation["operationId"], "Response")
    return None
