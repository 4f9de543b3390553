"""Stateful handlers: the operations whose real behaviour the simulator models.

Each module registers its handlers with `@handles(path)`; importing this package loads them all.
"""
from __future__ import absolute_import

MODULES = ("vm", "storage", "uploads", "misc", "performance")

for _name in MODULES:
    __import__("cloudtower.simulator.workflows." + _name)
