"""Naming rules: how spec names become Python names.

Every rule here mirrors the public surface of cloudtower-sdk, so that user scripts keep working.
"""
import keyword
import re
import unicodedata

_UPPER_RUN = re.compile(r"([A-Z]+)([A-Z][a-z][a-z]+)")
_LOWER_UPPER = re.compile(r"([a-z\d])([A-Z])")
_NON_ALNUM = re.compile(r"[^A-Za-z0-9]")

# Words that cannot be attribute or parameter names as they are.
RESERVED = set(keyword.kwlist) | {"print", "exec", "async", "await", "self", "property", "True", "False", "None"}


def snake_case(word):
    """`GetVmsConnection` -> `get_vms_connection`; an acronym stays one word (`ISCSISetting`)."""
    word = _UPPER_RUN.sub(r"\1_\2", word)
    word = _LOWER_UPPER.sub(r"\1_\2", word)
    return word.replace("-", "_").lower()


def class_name(schema_name):
    """`WithTask_Vm_` -> `WithTaskVm`: every non-alphanumeric character is dropped."""
    return _NON_ALNUM.sub("", schema_name)


def camel_case(word):
    """`vm_disks` -> `VmDisks`: used to name inline schemas after their property."""
    return "".join(part[:1].upper() + part[1:] for part in _NON_ALNUM.split(word) if part)


def module_name(class_name_):
    """The module that holds a class: `VmStatus` -> `vm_status`."""
    return snake_case(class_name_)


def attribute_name(json_key):
    """`entityAsyncStatus` -> `entity_async_status`, `__typename` -> `typename`, `AND` -> `_and`."""
    name = snake_case(json_key).lstrip("_")
    if name in RESERVED:
        name = "_" + name
    return name


# Enums whose constant names were fixed when their values all shared a prefix that later values
# do not have. Users' scripts use the old names, so the old prefix is still removed where present.
LEGACY_ENUM_PREFIXES = {
    "VmVolumeElfStoragePolicyType": "REPLICA_",
}


def enum_constant_names(values, enum_name=None):
    """The constant names of an enum's values, in order, with the prefix they all share removed.

    `RESTRICT_EACH_DISK, RESTRICT_WHOLE_VM` -> `EACH_DISK, WHOLE_VM`; a name that would start
    with a digit gets a leading `_`.
    """
    names = [_constant_name(value) for value in values]
    prefix = _shared_prefix(names) if len(names) > 1 else ""
    prefix = LEGACY_ENUM_PREFIXES.get(enum_name, prefix)
    out = []
    for name in names:
        short = name[len(prefix):] if prefix and name.startswith(prefix) else name
        if short[:1].isdigit():
            short = "_" + short
        out.append(short)
    if len(set(out)) != len(out):
        raise ValueError("enum %s: two values get the same constant name: %s" % (enum_name, out))
    return out


def _constant_name(value):
    """`entityAsyncStatus_ASC` -> `ENTITYASYNCSTATUS_ASC`; `*` -> `ASTERISK`."""
    if not re.search(r"[A-Za-z0-9]", value):
        return "_".join(unicodedata.name(char).replace(" ", "_").replace("-", "_") for char in value)
    return re.sub(r"[^A-Z0-9]", "_", value.upper())


def _shared_prefix(names):
    """The longest common prefix of all names that ends just after an `_`."""
    first, last = min(names), max(names)
    size = 0
    while size < len(first) and size < len(last) and first[size] == last[size]:
        size += 1
    prefix = first[:size]
    cut = prefix.rfind("_")
    return prefix[:cut + 1] if cut > 0 else ""
