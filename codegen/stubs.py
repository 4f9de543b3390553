"""Stubs: the `.pyi` files that tell type checkers and editors what the generated code holds.

`render(spec_model)` returns {path: text} like `render.render`, from the same parsed spec:

- `cloudtower/models/__init__.pyi` defines every model and enum class, in one module. A model is
  its typed class (keyword constructor from the fields, see `Model` in `cloudtower/model.pyi`)
  and, for a model that can be part of a request body, a `TypedDict` of its JSON keys
  (`VmWhereInputDict`), so that a dict body is checked like a model body. An enum is its class of
  constants and a `Literal` alias of its values (`VmStatusValue`), the type of the fields that
  hold it. One module, because checkers analyse modules that import each other as one unit, and
  2,000 small ones that do (the models refer to each other, a package to its modules and back)
  take mypy minutes where one module of the same classes takes seconds.
- `cloudtower/models/<module>.pyi`, one per model and enum (and renamed model), re-exports its
  names from the index, so that `cloudtower.models.vm` resolves as it does at run time.
- `cloudtower/models/_stub_lines.py`: the line of each class in the index, for Python 3.13's
  `inspect.getsource` (see `cloudtower._lazy`), so nothing reads the 3 MB index to find it.
- `cloudtower/api/<module>.pyi`, one per Api class: each method with its parameters, its
  options, and overloads for what it returns (`async_req=True`: an `ApplyResult`;
  `_preload_content=False`: the raw urllib3 response; `*_with_http_info`: a tuple).
- `cloudtower/api/__init__.pyi` re-exports the Api classes.

The `...Dict` and `...Value` names exist for type checkers only (import them under
`typing.TYPE_CHECKING`). Stubs are never imported at run time.
"""
import keyword
import re

from codegen import legacy as legacy_names
from codegen import names
from codegen.render import HEADER, LINE_LIMIT

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


def render(spec_model, legacy=legacy_names.NONE):
    """Every stub file of the generated code, keyed by its path (with the aliases of `legacy`,
    a `codegen.legacy.Legacy`, each documented as deprecated)."""
    context = _Context(spec_model)
    index = render_models_index(spec_model, context, legacy.models)
    files = {MODELS_INDEX: index, STUB_LINES: render_stub_lines(spec_model, index)}
    for model in spec_model.models:
        exported = [model.name] + ([dict_name(model.name)] if model.name in context.body_models else [])
        files[_model_path(model.name)] = render_module(model.name, exported, context)
    for enum in spec_model.enums:
        files[_model_path(enum.name)] = render_module(enum.name, [enum.name, value_name(enum.name)], context)
    for alias in legacy.models:
        files[_model_path(alias.name)] = render_module(alias.name, [alias.name], context, "legacy ")
    for api in spec_model.apis:
        files["cloudtower/api/%s.pyi" % names.module_name(api.name)] = render_api(
            api, context, legacy.methods_of(api.name))
    old_apis = legacy.old_apis(spec_model)
    for name in old_apis:
        files["cloudtower/api/%s.pyi" % names.module_name(name)] = render_old_api(
            name, legacy.methods_of(name), context)
    files["cloudtower/api/__init__.pyi"] = render_api_index(spec_model, old_apis)
    return files


MODELS_INDEX = "cloudtower/models/__init__.pyi"
STUB_LINES = "cloudtower/models/_stub_lines.py"


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
        self.operations = dict(((api.name, op.method_name), op) for api in spec_model.apis for op in api.operations)
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

    def names(self):
        """The names the imports bind."""
        bound = set(line.split(" as ")[-1] for line in self.plain)
        for imported in self.modules.values():
            bound.update(imported)
        return bound

    def text(self):
        groups = [["import %s\n" % line for line in sorted(self.plain)], []]
        # The standard library and typing first, then the package's own modules.
        for module in sorted(self.modules):
            own = module.startswith("cloudtower.")
            source = self._relative(module) if own else module
            imported = sorted(self.modules[module])
            line = "from %s import %s\n" % (source, ", ".join(imported))
            if len(line) > LINE_LIMIT:  # an Api's many models: one a line
                line = "from %s import (\n%s)\n" % (source, "".join("    %s,\n" % name for name in imported))
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
        module = "cloudtower.models"  # the index defines every model and enum
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


def model_lines(model, context, imports):
    """A model's typed class, and its `TypedDict` if it is a body model."""
    types = _Annotations(context, imports, shadowed=[field.attr for field in model.fields]
                         + [field.json_key for field in model.fields])
    doc = ("The `%s` schema of the CloudTower API." % model.schema if model.schema
           else "An object nested in another schema of the CloudTower API.")
    lines = ["class %s(%s):\n" % (model.name, imports.add("cloudtower.model", "Model")), '    """%s"""\n\n' % doc]
    for field in model.fields:
        annotation = types.value(field.type)
        if field.nullable or not field.required:
            annotation = types.optional(annotation)
        lines.append("    %s: %s = ...\n" % (field.attr, annotation))
    if not model.fields:
        lines.append("    pass\n")
    if model.name in context.body_models:
        lines.append("\n\n")
        lines.extend(_typed_dict(model, types))
    return lines


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


def enum_lines(enum, imports):
    """An enum's class of constants, and the `Literal` alias of its values."""
    values = ", ".join(_string(value) for _, value in enum.constants)
    lines = ["%s = %s[%s]\n" % (value_name(enum.name), imports.extension("Literal"), values), "\n\n",
             "class %s(%s):\n" % (enum.name, imports.add("cloudtower.model", "Enum")),
             '    """The values of `%s`; fields of the enum hold them as plain strings."""\n\n' % enum.name]
    final = imports.extension("Final")
    lines.extend("    %s: %s = %s\n" % (constant, final, _string(value)) for constant, value in enum.constants)
    if not enum.constants:
        lines.append("    pass\n")
    return lines


def _string(value):
    """A string literal in double quotes (what stubs conventionally use)."""
    text = repr(value)
    if text.startswith("'") and '"' not in value:
        text = '"%s"' % text[1:-1].replace("\\'", "'")
    return text


def render_api(api, context, aliases=()):
    """The stub of one Api class: every method with its overloads, then the deprecated `aliases`
    (`codegen.legacy.MethodAlias`) of older releases' names."""
    imports = _Imports("cloudtower.api")
    types = _Annotations(context, imports)
    imports.add("cloudtower.operation", "Api")
    body = ["class %s(Api):\n" % api.name, '    """The operations tagged `%s`."""\n' % api.tag]
    for op in api.operations:
        body.append("\n")
        body.extend(_method(op, types))
    body.extend(_aliases(aliases, context, types))
    return _assemble(context.version, "stub of tag %s" % api.tag, imports, body)


def render_old_api(name, aliases, context):
    """The stub of an Api class only older releases had: its deprecated aliases."""
    imports = _Imports("cloudtower.api")
    types = _Annotations(context, imports)
    imports.add("cloudtower.operation", "Api")
    body = ["class %s(Api):\n" % name,
            '    """`%s` of older releases; its operations are on other Api classes now."""\n' % name]
    body.extend(_aliases(aliases, context, types))
    return _assemble(context.version, "stub of legacy %s" % name, imports, body)


def _aliases(aliases, context, types):
    """The overloads of each alias, as those of its new name, each saying it is deprecated."""
    lines = []
    for alias in aliases:
        op = context.operations[(alias.new_api, alias.new_name)]
        lines.append("\n")
        lines.extend(_method(op, types, alias.name, "%s.%s" % (alias.api, alias.name),
                             "%s.%s" % (alias.new_api, alias.new_name)))
    return lines


def _method(op, types, name=None, old=None, new=None):
    """The overloads of `op`'s method (under `name`; an alias of an `old` name, deprecated in
    favour of `new`, when those are given) and of its `_with_http_info` twin."""
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
    name = name or op.method_name
    lines = []
    for suffix, answer in (("", returns), ("_with_http_info", http_info)):
        decorators = "    @%s\n" % overload
        # An alias says it is deprecated in a docstring, not with `@deprecated`: mypy takes
        # minutes to check overloads that carry another decorator when they take a body whose
        # dict type reaches the where-inputs (every such pair is compared structurally).
        body = (' ...\n' if not old else '\n        """Deprecated: %s%s of older releases; use %s%s."""\n'
                % (old, suffix, new, suffix))
        for options, pattern in ANSWERS:
            if "ApplyResult" in pattern:
                imports.add("multiprocessing.pool", "ApplyResult")
            if "HTTPResponse" in pattern:
                imports.add("urllib3", "HTTPResponse")
            signature = params + (["*"] + keywords if keywords else [])
            signature.append("**options: %s[%s]" % (unpack, imports.add("cloudtower.operation", options)))
            lines.append("%s    def %s(%s) -> %s:%s"
                         % (decorators, name + suffix, ", ".join(signature), pattern.replace("%s", answer), body))
    return lines


def render_models_index(spec_model, context, aliases=()):
    """`cloudtower/models/__init__.pyi`: the tables' names, then every model and enum class
    (sorted by name), then the old names of renamed models."""
    imports = _Imports("cloudtower.models", "cloudtower.models")
    head = "SPEC_VERSION: str\nMODELS: %s[str, str]\nENUMS: Dict[str, str]\n" % imports.typing("Dict")
    if aliases:
        head += "RENAMED: Dict[str, %s[str, str]]\n" % imports.typing("Tuple")
    items = [(model.name, model) for model in spec_model.models] + [(enum.name, enum) for enum in spec_model.enums]
    body = [head]
    for name, item in sorted(items, key=lambda pair: pair[0]):
        body.append("\n\n")
        body.extend(enum_lines(item, imports) if name in context.enums else model_lines(item, context, imports))
    if aliases:
        body.append("\n")
    for alias in sorted(aliases, key=lambda alias: alias.name):
        body.append("\n# The name cloudtower-sdk %s gave `%s`; deprecated.\n%s = %s\n" % (
            legacy_names.releases_text(alias.releases), alias.new_name, alias.name, alias.new_name))
    defined = set(name for name, _ in items) | set(alias.name for alias in aliases)
    defined |= set(map(dict_name, context.body_models)) | set(map(value_name, context.enums))
    clashes = sorted(defined & imports.names())
    if clashes:
        raise ValueError("class names of the spec clash with names the models stub imports: %s"
                         % ", ".join(clashes))
    return _assemble(spec_model.version, "stub of every model and enum", imports, body)


def render_module(module_class, exported, context, kind=""):
    """The stub of the module of `module_class` (`cloudtower.models.vm`): the names it has at
    run time, and the type-only ones that go with them, re-exported from the index."""
    line = "from cloudtower.models import %s\n" % ", ".join("%s as %s" % (name, name) for name in exported)
    return _header(context.version, "stub of %s%s" % (kind, module_class)) + line


def render_stub_lines(spec_model, index):
    """`cloudtower/models/_stub_lines.py`: the line of each model and enum class in `index`
    (the text of `cloudtower/models/__init__.pyi`)."""
    classes = set(model.name for model in spec_model.models) | set(enum.name for enum in spec_model.enums)
    lines = {}
    for number, line in enumerate(index.splitlines(), 1):
        match = _CLASS_LINE.match(line)
        if match and match.group(1) in classes:
            lines[match.group(1)] = number
    text = (_header(spec_model.version, "lines of the model stubs")
            + '"""The line of each model and enum class in `__init__.pyi`, where `inspect.getsource`\n'
              'finds it on Python 3.13 (see `cloudtower._lazy`)."""\n\nLINES = {\n')
    text += "".join("    %r: %d,\n" % (name, lines[name]) for name in sorted(lines))
    return text + "}\n"


_CLASS_LINE = re.compile(r"^class ([A-Za-z_][A-Za-z0-9_]*)\(")


def render_api_index(spec_model, old_apis=()):
    """`cloudtower/api/__init__.pyi`: every Api class, from its own module (and the Api classes
    only older releases had)."""
    imports = _Imports("cloudtower.api")
    imports.typing("Dict")
    body = ["APIS: Dict[str, str]\n" + ("OLD_APIS: Dict[str, str]\n" if old_apis else "") + "\n"]
    body.extend("from .%s import %s as %s\n" % (names.module_name(name), name, name)
                for name in sorted([api.name for api in spec_model.apis] + list(old_apis)))
    return _assemble(spec_model.version, "stub of the index", imports, body)
