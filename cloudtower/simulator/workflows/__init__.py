"""Stateful handlers: the operations whose real behaviour the simulator models.

Each module of MODULES registers its handlers with `@handles(path)`; importing this package
loads them all. A module of helpers they share is listed in HELPERS. A module in neither list is
not loaded: the simulator warns about it at start (see `unlisted_modules`).
"""
from __future__ import absolute_import

import os

MODULES = ("vm", "storage", "uploads", "misc", "performance")
HELPERS = ("common",)

for _name in MODULES:
    __import__("cloudtower.simulator.workflows." + _name)


def unlisted_modules(directory=os.path.dirname(os.path.abspath(__file__))):
    """The modules of this package (`.py` files in `directory`) in neither MODULES nor HELPERS."""
    try:
        names = os.listdir(directory)
    except OSError:  # not a directory (a zip archive): nothing to say
        return []
    found = sorted(name[:-3] for name in names if name.endswith(".py") and name != "__init__.py")
    return [name for name in found if name not in MODULES and name not in HELPERS]
