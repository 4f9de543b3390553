"""What the `cloudtower` command prints: tables for people, JSON for programs, and a progress line
on a terminal only."""
from __future__ import absolute_import, print_function

import datetime
import json
import sys

# Columns a table shows when --columns is not given (other resources: name, status, id).
DEFAULT_COLUMNS = {
    "vms": "name,status,vcpu,memory,cluster.name,host.name,id",
    "tasks": "description,status,progress,started_at,finished_at,id",
    "alerts": "severity,message,ended,cluster.name,id",
    "hosts": "name,status,cluster.name,management_ip,id",
    "clusters": "name,type,version,id",
}


def write(text, stream=None):
    """Write a line of text (as UTF-8 on Python 2, whatever the stream's encoding)."""
    stream = stream or sys.stdout
    if sys.version_info[0] == 2 and not isinstance(text, str):  # pragma: no cover - Python 2
        text = text.encode("utf-8")
    stream.write(text + "\n")
    stream.flush()


def as_json(client, value):
    """JSON-ready data for answers (models become dicts keyed as the API's JSON is)."""
    return client.sanitize_for_serialization(value)


def dumps(data, pretty=False):
    if pretty:
        return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False, default=str)
    return json.dumps(data, separators=(",", ":"), sort_keys=True, ensure_ascii=False, default=str)


def print_items(client, items, output, columns, stream=None):
    """Print `items` (an iterable of models) as a table, a JSON array or JSON lines; JSON is
    written as the items come, so that a large estate is not held in memory."""
    if output == "table":
        print_table(list(items), columns, stream)
        return
    if output == "jsonl":
        for item in items:
            write(dumps(as_json(client, item)), stream)
        return
    separator = "["
    for item in items:
        write(separator, stream)
        write("  " + dumps(as_json(client, item), pretty=True).replace("\n", "\n  "), stream)
        separator = ","
    write("[]" if separator == "[" else "]", stream)


def print_table(items, columns, stream=None):
    """A plain text table: one row per item, `columns` (dotted field paths) across."""
    rows = [[column.upper() for column in columns]]
    rows.extend([cell(item, column) for column in columns] for item in items)
    widths = [max(len(row[index]) for row in rows) for index in range(len(columns))]
    for row in rows:
        write("  ".join(text.ljust(width) for text, width in zip(row, widths)).rstrip(), stream)


def cell(item, path):
    """The text of field `path` (`cluster.name`; JSON keys or attribute names) of a model."""
    value = item
    for part in path.split("."):
        if value is None:
            break
        value = field(value, part)
    if value is None:
        return ""
    if isinstance(value, list):
        return str(len(value))
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    if isinstance(value, float):
        return "%g" % value
    if isinstance(value, dict) or hasattr(value, "attribute_map"):
        return value.get("name", "") if isinstance(value, dict) else (getattr(value, "name", None) or "")
    return value if isinstance(value, type(u"")) else str(value)


def field(value, name):
    """Field `name` of a model or dict, by attribute name or JSON key."""
    if isinstance(value, dict):
        return value.get(name)
    attribute_map = getattr(value, "attribute_map", {})
    if name not in attribute_map:
        for attribute, key in attribute_map.items():
            if key == name:
                name = attribute
                break
    return getattr(value, name, None)


def columns_for(resource, model_class, chosen=None):
    """The columns of a table of `resource` (`vms`): `chosen` (comma-separated), else a default."""
    if chosen:
        return [column.strip() for column in chosen.split(",") if column.strip()]
    if resource in DEFAULT_COLUMNS:
        return DEFAULT_COLUMNS[resource].split(",")
    fields = set(model_class.attribute_map)
    return [name for name in ("name", "status", "type") if name in fields] + ["id"]


class Progress(object):
    """One line on a terminal (stderr), rewritten in place; nothing when stderr is not one."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.shown = _is_terminal(self.stream)
        self._width = 0

    def update(self, text):
        if not self.shown:
            return
        self.stream.write("\r" + text.ljust(self._width))
        self.stream.flush()
        self._width = len(text)

    def done(self):
        if self.shown and self._width:
            self.stream.write("\n")
            self.stream.flush()
            self._width = 0


def _is_terminal(stream):
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def size_text(count):
    """`209715200` -> `200.0 MiB`."""
    size, unit = float(count), "B"
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if size < 1024 or unit == "TiB":
            break
        size /= 1024
    return "%d B" % size if unit == "B" else "%.1f %s" % (size, unit)
