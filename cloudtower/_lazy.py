"""Packages whose names are imported on first use.

`import cloudtower` must stay cheap although the package exports about 2,000 classes, each in a
module of its own. A package calls `install()` with a table of the names it exports and the
module holding each; a name is imported when it is first read, then cached on the package.
"""
from __future__ import absolute_import

import importlib
import os
import sys
import types


# Modules whose `dir()` calls go on to build and document every name listed (see __dir__).
_MEMBER_DOCUMENTERS = frozenset(["inspect", "pydoc"])


class LazyModule(types.ModuleType):
    """A module that imports the names of its export table when they are first read."""

    def __getattr__(self, name):
        state = self.__dict__.get("_lazy_state")
        if name == "__all__" and state is not None:
            return _all_names(self, state)
        if state is None or name.startswith("__"):
            raise AttributeError(name)
        table, delegates = state
        where = table.get(name) or self.__dict__.get("_lazy_renamed", {}).get(name)
        if where is not None:
            value = _load(self.__name__, name, where)
        else:
            value = _from_delegates(self.__name__, name, delegates)
        setattr(self, name, value)
        return value

    def __dir__(self):
        """Every name the module exports (loaded or not), as `dir()` of an ordinary module.

        Except for pydoc and `inspect.getmembers` (help(), `python -m pydoc`): they read and
        document every name `dir()` gives, which for `cloudtower.models` would build and render
        2,000 classes. They get what is loaded; `__doc__` and `__all__` list the rest.
        """
        table, delegates = self.__dict__["_lazy_state"]
        names = set(self.__dict__)
        if sys._getframe(1).f_globals.get("__name__") not in _MEMBER_DOCUMENTERS:
            names.update(table)
            for delegate in delegates:
                names.update(_import(delegate).__dict__["_lazy_state"][0])
        return sorted(names)

    @property
    def __doc__(self):
        """The module's docstring, followed by the names it exports (none of them imported)."""
        text = self.__dict__.get("_lazy_doc")
        if text is None:
            text = self.__dict__["_lazy_doc"] = _exports_doc(self)
        return text

    @__doc__.setter
    def __doc__(self, value):
        self.__dict__["__doc__"] = value
        self.__dict__.pop("_lazy_doc", None)


def _exports_doc(module):
    import textwrap
    state = module.__dict__.get("_lazy_state")
    text = module.__dict__.get("__doc__") or ""
    if state is None:
        return text
    table, delegates = state
    groups = [("Exports, each imported when first used", table)]
    for delegate in delegates:
        groups.append(("From %s" % delegate, _import(delegate).__dict__["_lazy_state"][0]))
    for title, names in groups:
        names = sorted(name for name in names if not name.startswith("_"))
        text += "\n\n%s (%d):\n%s" % (title, len(names), textwrap.fill(
            ", ".join(names), 92, initial_indent="    ", subsequent_indent="    ", break_on_hyphens=False))
    return text + "\n"


def _all_names(module, state):
    """What `from <module> import *` imports: every exported name (so, everything)."""
    table, delegates = state
    names = set(table)
    for delegate in delegates:
        names.update(getattr(_import(delegate), "__all__", ()))
    return sorted(name for name in names if not name.startswith("_"))


def install(module_name, table, delegates=()):
    """Make module `module_name` export the names of `table` lazily.

    `table` maps each exported name to the module that defines it: a submodule name relative to
    the package (`"vm"`), or an absolute path (`"cloudtower.api_client"`). A name that is the
    last part of its module's path stands for the module itself. Names not in the table are
    looked up in the `delegates` packages, in order.
    """
    module = sys.modules[module_name]
    module.__dict__["_lazy_state"] = (table, tuple(delegates))
    if sys.version_info[0] >= 3:
        module.__class__ = LazyModule
        return module
    # Python 2 cannot change a module's class: put a lazy copy in its place. The original is
    # kept alive, because Python 2 clears the globals of a module that is garbage-collected.
    lazy = LazyModule(module_name)
    lazy.__dict__.update(module.__dict__)
    lazy.__dict__["_lazy_original"] = module
    sys.modules[module_name] = lazy
    return lazy


def _import(path):
    """The module at `path`, imported if need be.

    Always through the import system, never straight from `sys.modules`: a module that another
    thread is still executing is already in `sys.modules`, half filled, and only the import
    system waits for it to finish.
    """
    return importlib.import_module(path)


def _load(package, name, where):
    path = where if "." in where else package + "." + where
    module = _import(path)
    if path.rpartition(".")[2] == name:
        return module
    try:
        return getattr(module, name)
    except AttributeError:
        raise AttributeError("module %r does not define %r" % (path, name))


def _from_delegates(package, name, delegates):
    for delegate in delegates:
        module = _import(delegate)
        try:
            return getattr(module, name)
        except AttributeError:
            continue
    raise AttributeError("module %r has no attribute %r" % (package, name))


def install_tables(package_name, models, enums, renamed=None):
    """Set up package `package_name` (`cloudtower.models`) to export the classes of its tables.

    `models` and `enums` map class names to module names. Each module exists only as a row of a
    table module (`_tables_<first letter>`): `TableFinder` makes it when it is first imported,
    so that 2,000 modules cost neither files on disk nor time at import. `renamed` maps the old
    names of renamed classes to (old module name, new class name): they can be imported, but are
    not listed, and warn when first imported.
    """
    package = sys.modules[package_name]
    renamed = renamed or {}
    package._lazy_renamed = dict((old, module) for old, (module, _) in renamed.items())
    finder = TableFinder(package_name, models, enums, renamed)
    entry = finder.path_entry(package.__path__[0])
    sys.path_importer_cache[entry] = finder
    if _table_path_hook not in sys.path_hooks:
        sys.path_hooks.append(_table_path_hook)
    _FINDERS[entry] = finder
    package.__path__.append(entry)
    table = dict(models)
    table.update(enums)
    return install(package_name, table)


_FINDERS = {}


def _table_path_hook(entry):
    # Found again if something empties sys.path_importer_cache.
    finder = _FINDERS.get(entry)
    if finder is None:
        raise ImportError("not a table path entry")
    return finder


class TableFinder(object):
    """Finds, loads and lists the modules of a package that are rows of its tables.

    It is the importer of a path entry of the package's `__path__`, so both the import system
    (Python 2 and 3) and `pkgutil.iter_modules` see the modules.
    """

    ENTRY = "<tables>"

    def __init__(self, package_name, models, enums, renamed=None):
        self.package_name = package_name
        self.classes = {}  # module name -> (class name, is_enum)
        for name, module in models.items():
            self.classes[module] = (name, False)
        for name, module in enums.items():
            self.classes[module] = (name, True)
        self.renamed = dict((module, (old, new)) for old, (module, new) in (renamed or {}).items())

    def path_entry(self, package_dir):
        """The `__path__` entry this finder answers for: not a real folder."""
        self.package_dir = package_dir
        return package_dir + "/" + self.ENTRY

    def _short_name(self, fullname):
        package, _, short = fullname.rpartition(".")
        if package == self.package_name and (short in self.classes or short in self.renamed):
            return short
        return None

    # Python 3 (PEP 451)
    def find_spec(self, fullname, target=None):
        """A spec for a module of the tables (Python 3), else None."""
        if self._short_name(fullname) is None:
            return None
        from importlib.machinery import ModuleSpec
        return ModuleSpec(fullname, self, origin="table")

    def create_module(self, spec):
        """The default module object."""
        return None  # the default module object

    def exec_module(self, module):
        """Fill the module with its class (Python 3)."""
        self._fill(module)

    # Python 2 (PEP 302)
    def find_module(self, fullname, path=None):
        """Itself, as the loader of a module of the tables (Python 2), else None."""
        return self if self._short_name(fullname) is not None else None

    def load_module(self, fullname):
        """The module, made and filled (Python 2)."""
        module = sys.modules.get(fullname)
        if module is None:
            module = types.ModuleType(fullname)
            module.__loader__ = self
            module.__package__ = self.package_name
            sys.modules[fullname] = module
            try:
                self._fill(module)
            except Exception:
                del sys.modules[fullname]
                raise
        return module

    # pkgutil
    def iter_modules(self, prefix=""):
        """(name, is package) of every module of the tables, for pkgutil."""
        for short in sorted(self.classes):
            yield prefix + short, False

    def _fill(self, module):
        from cloudtower.model import make_class
        short = module.__name__.rpartition(".")[2]
        if short in self.renamed:
            from cloudtower.operation import warn_renamed
            old, new = self.renamed[short]
            setattr(module, old, getattr(_import(self.package_name), new))
            warn_renamed(old, new)
            return
        class_name, is_enum = self.classes[short]
        tables = _import("%s._tables_%s" % (self.package_name, short[0]))
        cls = make_class(class_name, module.__name__, tables, is_enum)
        module.__doc__ = "The `%s` %s (a row of %s)." % (class_name, "enum" if is_enum else "model",
                                                        tables.__name__)
        if not is_enum:
            cls.__doc__ = (cls.__doc__ or "") + _fields_doc(tables.MODELS[class_name]["fields"])
        # The package's stub, which defines every class, is the module's readable source:
        # `inspect.getsource(Vm)` shows the typed class.
        module.__file__ = os.path.join(getattr(self, "package_dir", ""), "__init__.pyi")
        if sys.version_info >= (3, 13):
            _set_first_line(cls, self.package_name)
        setattr(module, class_name, cls)

    def __repr__(self):
        return "<TableFinder %s: %d modules>" % (self.package_name, len(self.classes))


def _fields_doc(rows):
    """The lines `help()` shows for a model's fields: `name: type (required, nullable; JSON key)`."""
    from cloudtower.model import NULLABLE, REQUIRED
    lines = ["", "", "Fields (attribute: type):"]
    for row in rows:
        notes = [note for flag, note in ((REQUIRED, "required"), (NULLABLE, "nullable")) if row[2] & flag]
        if len(row) > 3:
            notes.append("JSON %s" % row[3])
        lines.append("    %s: %s%s" % (row[0], row[1], " (%s)" % ", ".join(notes) if notes else ""))
    return "\n".join(lines)


def _set_first_line(cls, package_name):
    """Python 3.13's `inspect.getsource` finds a class by its `__firstlineno__`: its line in the
    package's stub, which the generator lists in `_stub_lines` (the stub is 3 MB: never read)."""
    try:
        lines = _import(package_name + "._stub_lines").LINES
    except ImportError:
        return  # inspect says the source is not available
    number = lines.get(cls.__name__)
    if number is not None:
        cls.__firstlineno__ = number
