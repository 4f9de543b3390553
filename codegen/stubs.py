"""Stubs: the `.pyi` files that tell type checkers and editors what the generated code holds.

`render(spec_model)` returns {path: text} like `render.render`, from the same parsed spec:

- `cloudtower/models/<module>.pyi`, one per model and enum, so that `cloudtower.models.vm`
  resolves. A model's stub is its typed class (keyword constructor from the fields, see
  `Model` in `cloudtower/model.pyi`) and, for a model that can be part of a request body, a
  `TypedDict` of its JSON keys (`VmWhereInputDict`), so that a dict body is checked like a model
  body. An enum's stub is its class of constants and a `Literal` alias of its values
  (`VmStatusValue`), the type of the fields that hold it.
- `cloudtower/models/__init__.pyi` and `cloudtower/api/__init__.pyi` re-export the classes.
- `cloudtower/api/<module>.pyi`, one per Api class: each method with its parameters, its
  options, and overloads for what it returns (`async_req=True`: an `ApplyResult`;
  `_preload_content=False`: the raw urllib3 response; `*_with_http_info`: a tuple).

The `...Dict` and `...Value` names exist for type checkers only (import them under
`typing.TYPE_CHECKING`). Stubs are never imported at run time.
"""
import keyword
import re

from codegen import names
from codegen.render import HEADER

# How the spec's scalar type strings read in a stub.
SCALARS = {
    "str": "str",
    "int": "int",
    "float": "float",
    "bool": "bool",
    "object": "Any",
    "datetime": "datetime",
    "date": "date",
    "file": "FileValue",
}
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

# The four ways an Api method can answer: the request options that select each (a `TypedDict`
# of cloudtower/operation.pyi, by `async_req` and `_preload_content`) and what it returns.
ANSWERS = (
    ("SyncOptions", "%s"),
    ("AsyncOptions", "ApplyResult[%s]"),
    ("RawOptions", "HTTPResponse"),
    ("AsyncRawOptions", "ApplyResult[HTTPResponse]"),
)


def render(spec_model):
    """Every stub file of the generated code, keyed by its path."""
    context = _Context(spec_model)
    files = {}
    for model in spec_model.models:
        files[_model_path(model.name)] = render_model(model, context)
    for enum in spec_model.enums:
        files[_model_path(enum.name)] = render_enum(enum, context)
    for api in spec_model.apis:
        files["cloudtower/api/%s.pyi" % names.module_name(api.name)] = render_api(api, context)
    files["cloudtower/models/__init__.pyi"] = render_models_index(spec_model)
    files["cloudtower/api/__init__.pyi"] = render_api_index(spec_model)
    return files


def _model_path(class_name):
    return "cloudtower/models/%s.pyi" % names.module_name(class_name)


def dict_name(model_name):
    """The `TypedDict` of a body model's JSON keys: `VmWhereInput` -> `VmWhereInputDict`."""
    return model_name + "Dict"


def value_name(enum_name):
    """The `Literal` alias of an enum's values: `VmStatus` -> `VmStatusValue`."""
    return enum_name + "Value"


def _inner(type_string):
    while type_string.startswith("list["):
        type_string = type_string[5:-1]
    return type_string


class _Context(object):
    """What every stub needs to know about the others: which names are models or enums, and
    which models can be part of a request body (those get a `TypedDict`)."""

    def __init__(self, spec_model):
        self.version = spec_model.version
        self.models = dict((model.name, model) for model in spec_model.models)
        self.enums = dict((enum.name, enum) for enum in spec_model.enums)
        for name in list(self.models) + list(self.enums):
            for derived in (dict_name(name), value_name(name)):
                if derived in self.models or derived in self.enums:
                    raise ValueError("stub name %s of %s is also a class of the spec" % (derived, name))
        self.body_models = self._reachable(
            param.type for api in spec_model.apis for op in api.operations for param in op.params
            if param.location in ("body", "form", "query", "header"))

    def _reachable(self, type_strings):
        found = set()
        stack = [_inner(type_string) for type_string in type_strings]
        while stack:
            name = stack.pop()
            if name in found or name not in self.models:
                continue
            found.add(name)
            stack.extend(_inner(field.type) for field in self.models[name].fields)
        return found


class _Imports(object):
    """The imports a stub needs, collected while its annotations are written."""

    def __init__(self, package, own_module=None):
        self.package = package  # imports of the package's own modules are written relative to it
        self.own_module = own_module
        self.modules = {}  # module -> set of names
        self.plain = set()  # `import X` lines

    def add(self, module, name):
        if module != self.own_module:
            self.modules.setdefault(module, set()).add(name)
        return name

    def _relative(self, module):
        """`cloudtower.models.vm` seen from `cloudtower.api`: `..models.vm` (shorter files)."""
        here = self.package.split(".")
        there = module.split(".")
        shared = 0
        while shared < min(len(here), len(there) - 1) and here[shared] == there[shared]:
            shared += 1
        return "." * (len(here) - shared + 1) + ".".join(there[shared:])

    def typing(self, name):
        return self.add("typing", name)

    def extension(self, name):
        return self.add("typing_extensions", name)

    def module(self, line):
        """Add an `import ...` line (`builtins`, `datetime as _datetime`)."""
        self.plain.add(line)

    def text(self):
        groups = [["import %s\n" % line for line in sorted(self.plain)], []]
        # The standard library and typing first, then the package's own modules.
        for module in sorted(self.modules):
            own = module.startswith("cloudtower.")
            line = "from %s import %s\n" % (self._relative(module) if own else module,
                                             ", ".join(sorted(self.modules[module])))
            groups[own].append(line)
        return "\n".join("".join(group) for group in groups if group)


class _Annotations(object):
    """Writes the annotation of a spec type string, adding the imports it needs."""

    def __init__(self, context, imports, shadowed=()):
        self.context = context
        self.imports = imports
        # Field names that hide a builtin type inside a class body (a field called `str`).
        self.shadowed = frozenset(shadowed)

    def value(self, type_string, accept_dict=False):
        """What a value of `type_string` is. With `accept_dict`, a body model may also be given
        as its `TypedDict` (as the runtime accepts)."""
        if type_string.startswith("list["):
            return "%s[%s]" % (self.imports.typing("List"), self.value(type_string[5:-1], accept_dict))
        scalar = SCALARS.get(type_string)
        if scalar is not None:
            return self._scalar(scalar)
        module = "cloudtower.models." + names.module_name(type_string)
        if type_string in self.context.enums:
            return self.imports.add(module, value_name(type_string))
        if type_string not in self.context.models:
            raise ValueError("unknown type %r" % type_string)
        model = self.imports.add(module, type_string)
        if accept_dict and type_string in self.context.body_models:
            return "%s[%s, %s]" % (self.imports.typing("Union"), model,
                                   self.imports.add(module, dict_name(type_string)))
        return model

    def _scalar(self, scalar):
        if scalar == "Any":
            return self.imports.typing("Any")
        if scalar == "FileValue":
            return self.imports.add("cloudtower.operation", scalar)
        if scalar in ("datetime", "date"):
            if scalar in self.shadowed:
                self.imports.module("datetime as _datetime")
                return "_datetime." + scalar
            return self.imports.add("datetime", scalar)
        if scalar in self.shadowed:
            self.imports.module("builtins")
            return "builtins." + scalar
        return scalar

    def optional(self, annotation):
        return "%s[%s]" % (self.imports.typing("Optional"), annotation)


def _header(version, source):
    return HEADER % (version, source)


def _assemble(version, source, imports, body):
    return _header(version, source) + imports.text() + "\n\n" + "".join(body)


def render_model(model, context):
    """The stub of one model: its typed class, and its `TypedDict` if it is a body model."""
    module = "cloudtower.models." + names.module_name(model.name)
    imports = _Imports("cloudtower.models", module)
    types = _Annotations(context, imports, shadowed=[field.attr for field in model.fields]
                         + [field.json_key for field in model.fields])
    imports.add("cloudtower.model", "Model")
    doc = ("The `%s` schema of the CloudTower API." % model.schema if model.schema
           else "An object nested in another schema of the CloudTower API.")
    body = ["class %s(Model):\n" % model.name, '    """%s"""\n\n' % doc]
    for field in model.fields:
        annotation = types.value(field.type)
        if field.nullable or not field.required:
            annotation = types.optional(annotation)
        body.append("    %s: %s = ...\n" % (field.attr, annotation))
    if not model.fields:
        body.append("    pass\n")
    if model.name in context.body_models:
        body.append("\n\n")
        body.extend(_typed_dict(model, types))
    return _assemble(context.version, "stub of %s" % model.name, imports, body)


def _typed_dict(model, types):
    """A `TypedDict` of the model's JSON keys: a key the spec requires is `Required`."""
    typed_dict = types.imports.extension("TypedDict")
    name = dict_name(model.name)
    items = []
    for field in model.fields:
        annotation = types.value(field.type, accept_dict=True)
        if field.nullable:
            annotation = types.optional(annotation)
        if field.required:
            annotation = "%s[%s]" % (types.imports.extension("Required"), annotation)
        items.append((field.json_key, annotation))
    doc = "A dict body for `%s`: its JSON keys, each with the type of its value." % model.name
    if all(_IDENTIFIER.match(key) and not keyword.iskeyword(key) and not key.startswith("__")
           for key, _ in items):
        lines = ["class %s(%s, total=False):\n" % (name, typed_dict), '    """%s"""\n\n' % doc]
        lines.extend("    %s: %s\n" % item for item in items)
        if not items:
            lines.append("    pass\n")
        return lines
    # Keys that are no identifiers (`__typename`, `x-tower-request-id`): the functional syntax.
    lines = ["# %s\n" % doc, "%s = %s(\n    %r,\n    {\n" % (name, typed_dict, name)]
    lines.extend("        %r: %s,\n" % item for item in items)
    lines.append("    },\n    total=False,\n)\n")
    return lines


def render_enum(enum, context):
    """The stub of one enum: its constants, and the `Literal` alias of its values."""
    imports = _Imports("cloudtower.models")
    imports.add("cloudtower.model", "Enum")
    values = ", ".join(_string(value) for _, value in enum.constants)
    body = ["%s = %s[%s]\n" % (value_name(enum.name), imports.extension("Literal"), values), "\n\n",
            "class %s(Enum):\n" % enum.name,
            '    """The values of `%s`; fields of the enum hold them as plain strings."""\n\n' % enum.name]
    final = imports.extension("Final")
    body.extend("    %s: %s = %s\n" % (constant, final, _string(value)) for constant, value in enum.constants)
    if not enum.constants:
        body.append("    pass\n")
    return _assemble(context.version, "stub of %s" % enum.name, imports, body)


def _string(value):
    """A string literal in double quotes (what stubs conventionally use)."""
    text = repr(value)
    if text.startswith("'") and '"' not in value:
        text = '"%s"' % text[1:-1].replace("\\'", "'")
    return text


def render_api(api, context):
    """The stub of one Api class: every method with its overloads."""
    imports = _Imports("cloudtower.api")
    types = _Annotations(context, imports)
    imports.add("cloudtower.operation", "Api")
    body = ["class %s(Api):\n" % api.name, '    """The operations tagged `%s`."""\n' % api.tag]
    for op in api.operations:
        body.append("\n")
        body.extend(_method(op, types))
    return _assemble(context.version, "stub of tag %s" % api.tag, imports, body)


def _method(op, types):
    imports = types.imports
    params = ["self"]
    keywords = []
    for param in op.params:
        annotation = types.value(param.type, accept_dict=True)
        if param.required:
            params.append("%s: %s" % (param.name, annotation))
        else:
            keywords.append("%s: %s = ..." % (param.name, types.optional(annotation)))
    # A downloaded file is saved, and its path returned.
    returns = "str" if op.returns == "file" else types.value(op.returns) if op.returns else "None"
    http_info = "%s[%s, int, %s]" % (imports.typing("Tuple"), returns, imports.add("cloudtower.rest", "HTTPHeaders"))
    overload = imports.typing("overload")
    unpack = imports.extension("Unpack")
    lines = []
    for name, answer in ((op.method_name, returns), (op.method_name + "_with_http_info", http_info)):
        for options, pattern in ANSWERS:
            if "ApplyResult" in pattern:
                imports.add("multiprocessing.pool", "ApplyResult")
            if "HTTPResponse" in pattern:
                imports.add("urllib3", "HTTPResponse")
            signature = params + (["*"] + keywords if keywords else [])
            signature.append("**options: %s[%s]" % (unpack, imports.add("cloudtower.operation", options)))
            lines.append("    @%s\n    def %s(%s) -> %s: ...\n"
                         % (overload, name, ", ".join(signature), pattern.replace("%s", answer)))
    return lines


def render_models_index(spec_model):
    """`cloudtower/models/__init__.pyi`: every model and enum class, from its own module."""
    imports = _Imports("cloudtower.models")
    imports.typing("Dict")
    lines = ["from .%s import %s as %s\n" % (names.module_name(item.name), item.name, item.name)
             for item in sorted(spec_model.models + spec_model.enums, key=lambda item: item.name)]
    body = ["SPEC_VERSION: str\nMODELS: Dict[str, str]\nENUMS: Dict[str, str]\n\n"] + lines
    return _assemble(spec_model.version, "stub of the index", imports, body)


def render_api_index(spec_model):
    """`cloudtower/api/__init__.pyi`: every Api class, from its own module."""
    imports = _Imports("cloudtower.api")
    imports.typing("Dict")
    body = ["APIS: Dict[str, str]\n\n"]
    body.extend("from .%s import %s as %s\n" % (names.module_name(api.name), api.name, api.name)
                for api in spec_model.apis)
    return _assemble(spec_model.version, "stub of the index", imports, body)
