"""Legacy names: what older cloudtower-sdk releases called the methods and models that later
releases renamed, read from `legacy-names.json` (kept beside the specs, in `../data`).

A name with a successor in the spec gets an alias: the renderer adds it to the Api class (or
makes the old Api class again, holding only aliases) and to the models' index. A name without a
successor stays removed.
"""
import collections
import json
import os

from codegen import names

MethodAlias = collections.namedtuple("MethodAlias", "api name new_api new_name releases")
ModelAlias = collections.namedtuple("ModelAlias", "name new_name releases")


class LegacyError(Exception):
    """legacy-names.json names a successor the spec does not have, or an old name it still uses."""


class Legacy(object):
    """The aliases to generate: `methods` (`MethodAlias`) and `models` (`ModelAlias`), sorted."""

    def __init__(self, methods=(), models=()):
        self.methods = sorted(methods)
        self.models = sorted(models)

    def methods_of(self, api_name):
        """The method aliases that belong on Api class `api_name`."""
        return [alias for alias in self.methods if alias.api == api_name]

    def old_apis(self, spec_model):
        """Names of the Api classes that only older releases had (made of aliases alone)."""
        current = set(api.name for api in spec_model.apis)
        return sorted(set(alias.api for alias in self.methods) - current)


NONE = Legacy()


def default_path(spec_path):
    """Where legacy-names.json lives for a spec: `../data/` from the spec's folder."""
    return os.path.join(os.path.dirname(os.path.abspath(spec_path)), os.pardir, "data", "legacy-names.json")


def load(path, spec_model):
    """Read legacy-names.json at `path` and resolve it against `spec_model`."""
    with open(path) as handle:
        return resolve(json.load(handle), spec_model)


def resolve(document, spec_model):
    """The `Legacy` of a legacy-names document: every entry with a successor, checked against the
    spec (the successor exists; the old name is not in use)."""
    operations = dict((api.name, set(op.method_name for op in api.operations)) for api in spec_model.apis)
    classes = set(model.name for model in spec_model.models) | set(enum.name for enum in spec_model.enums)
    modules = set(names.module_name(name) for name in classes)
    methods = []
    for entry in document.get("methods", ()):
        if not entry.get("new"):
            continue
        alias = MethodAlias(entry["api"], entry["old"], entry.get("new_api") or entry["api"], entry["new"],
                            tuple(entry.get("releases", ())))
        if alias.new_name not in operations.get(alias.new_api, ()):
            raise LegacyError("%s.%s: its successor %s.%s is not in the spec"
                              % (alias.api, alias.name, alias.new_api, alias.new_name))
        if alias.name in operations.get(alias.api, ()) or alias.name.endswith("_with_http_info"):
            raise LegacyError("%s.%s: the spec still has an operation of that name" % (alias.api, alias.name))
        methods.append(alias)
    models = []
    for entry in document.get("models", ()):
        if not entry.get("new"):
            continue
        alias = ModelAlias(entry["old"], entry["new"], tuple(entry.get("releases", ())))
        if alias.new_name not in classes:
            raise LegacyError("model %s: its successor %s is not in the spec" % (alias.name, alias.new_name))
        if alias.name in classes or names.module_name(alias.name) in modules:
            raise LegacyError("model %s: the spec still has a class of that name or module" % alias.name)
        models.append(alias)
    return Legacy(methods, models)


def releases_text(releases):
    """`1.9.0` or `1.9.0-2.0.0`: the releases that had a name (they are listed in order)."""
    if not releases:
        return "older releases"
    return releases[0] if len(releases) == 1 else "%s-%s" % (releases[0], releases[-1])
