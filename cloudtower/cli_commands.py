"""The commands of `cloudtower` (see `cloudtower.cli`): each has a parser builder and a function
`run(client, options)` that returns an exit code."""
from __future__ import absolute_import, print_function

import argparse
import difflib
import functools
import itertools
import json
import signal
import sys

from cloudtower import cli_output as output
from cloudtower.cli import API_ERROR, OK, UsageError
from cloudtower.operation_index import close_matches, find, operations

COMMANDS = ("call", "upload", "watch", "simulator")


def parser_of(name):
    """The parser of command `name` (a resource such as `vms`, or `call`, `upload`, `watch`);
    None when there is no such command."""
    builders = {"call": call_parser, "upload": upload_parser, "watch": watch_parser}
    if name in builders:
        return builders[name]()
    return resource_parser(name)


def did_you_mean(name):
    names = list(COMMANDS) + resource_names()
    close = difflib.get_close_matches(name, names, n=3)
    return "; did you mean %s?" % " or ".join(close) if close else ""


def resource_names():
    """The resources `cloudtower RESOURCE list` knows: every query whose body pages."""
    from cloudtower.pagination import _pageable
    return sorted(path[len("/get-"):] for path, entry in operations().items()
                  if path.startswith("/get-") and _pageable(entry.operation))


def _parser(prog, description, epilog=None):
    return argparse.ArgumentParser(prog="cloudtower " + prog, description=description, epilog=epilog,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)


def _actions(parser):
    actions = parser.add_subparsers(title="actions", metavar="ACTION")
    parser.set_defaults(run=functools.partial(_no_action, parser))
    return actions


def _no_action(parser, client, options):
    parser.error("choose an action (see --help)")


# -- RESOURCE list | count | get ------------------------------------------------------------------

WHERE_HELP = """\
where:
  --where KEY=VALUE filters like the API's where: name=web-01, name_contains=web, vcpu_gte=4,
  status_in=RUNNING,STOPPED, cluster.name=prod (a dot goes into a relation), host=null.
  Values are read as the field's type. Repeat --where to add conditions (all must hold);
  --where-json '{"OR": [...]}' takes any where as JSON."""


def resource_parser(name):
    """`cloudtower RESOURCE ...` for the query `/get-RESOURCE`, or None if there is none."""
    from cloudtower.pagination import _pageable
    entry = find("/get-" + name) if name and not name.startswith("-") else None
    if entry is None or entry.operation.path != "/get-" + name or not _pageable(entry.operation):
        return None
    parser = _parser(name, "The %s of CloudTower (%s)." % (name, entry.operation.path))
    actions = _actions(parser)

    listing = actions.add_parser("list", help="list them", epilog=WHERE_HELP,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    listing.prog = "cloudtower %s list" % name
    _where_arguments(listing)
    listing.add_argument("--order-by", metavar="FIELD_ASC|FIELD_DESC", help="the order (default: id_ASC)")
    listing.add_argument("--limit", type=_positive, metavar="N", help="at most N of them")
    listing.add_argument("--page-size", type=_positive, default=500, metavar="N",
                         help="how many each request asks for (default 500)")
    listing.add_argument("--columns", metavar="A,B.C",
                         help="the table's columns (fields; dotted into relations)")
    listing.add_argument("--output", "-o", choices=("table", "json", "jsonl"), default="table",
                         help="a table (default), a JSON array, or JSON lines")
    listing.set_defaults(run=functools.partial(list_resources, entry, name))

    counting = actions.add_parser("count", help="count them", epilog=WHERE_HELP,
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
    counting.prog = "cloudtower %s count" % name
    _where_arguments(counting)
    counting.set_defaults(run=functools.partial(count_resources, entry))

    getting = actions.add_parser("get", help="one of them, by id, as JSON")
    getting.prog = "cloudtower %s get" % name
    getting.add_argument("id", help="its id")
    getting.set_defaults(run=functools.partial(get_resource, entry))

    if name == "tasks":
        waiting = actions.add_parser("wait", help="wait until tasks end")
        waiting.prog = "cloudtower tasks wait"
        waiting.add_argument("ids", nargs="+", metavar="ID", help="task ids")
        waiting.add_argument("--timeout", type=float, default=300,
                             help="give up after this many seconds (default 300; exit code 5)")
        waiting.add_argument("--interval", type=float, default=5,
                             help="seconds between polls, at most (default 5)")
        waiting.add_argument("--output", "-o", choices=("table", "json"), default="table")
        waiting.set_defaults(run=wait_for_tasks)
    return parser


def _where_arguments(parser):
    parser.add_argument("--where", action="append", default=[], metavar="KEY=VALUE",
                        help="a condition (repeatable)")
    parser.add_argument("--where-json", metavar="JSON", help="a where as JSON")


def _positive(text):
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError("a positive integer, not %r" % text)
    return value


def _body_model(entry):
    from cloudtower import models
    return getattr(models, entry.operation.body)


def where_of(entry, options):
    """The where of `--where` and `--where-json`, values read as their fields' types."""
    from cloudtower import models
    where_model = getattr(models, _body_model(entry).openapi_types["where"])
    conditions = []
    if options.where_json:
        conditions.append(_json(options.where_json, "--where-json"))
    for text in options.where:
        key, equals, value = text.partition("=")
        if not equals or not key:
            raise UsageError("--where takes KEY=VALUE, not %r" % text)
        conditions.append(_condition(where_model, key.strip().split("."), value))
    if not conditions:
        return None
    return conditions[0] if len(conditions) == 1 else {"AND": conditions}


def _condition(model, keys, text):
    """`{key: {next: value}}` for the dotted `keys`, the value read as the last field's type."""
    from cloudtower import models
    key = keys[0]
    type_string = _field_type(model, key)
    if len(keys) > 1:
        inner = getattr(models, type_string, None)
        if inner is None or not hasattr(inner, "attribute_map"):
            raise UsageError("--where %s: %s is not a relation to go into" % (".".join(keys), key))
        return {key: _condition(inner, keys[1:], text)}
    return {key: _value(type_string, text, key)}


def _field_type(model, key):
    by_key = dict((json_key, model.openapi_types[attribute])
                  for attribute, json_key in model.attribute_map.items())
    if key not in by_key:
        close = difflib.get_close_matches(key, list(by_key), n=3)
        hint = "; did you mean %s?" % " or ".join(close) if close else ""
        raise UsageError("--where: %s has no %r%s" % (model.__name__, key, hint))
    return by_key[key]


def _value(type_string, text, key):
    if text == "null":
        return None
    try:
        if type_string.startswith("list["):
            return [_value(type_string[5:-1], item.strip(), key) for item in text.split(",") if item.strip()]
        if type_string == "int":
            return int(text)
        if type_string == "float":
            return float(text)
        if type_string == "bool":
            if text.lower() not in ("true", "false", "yes", "no", "1", "0"):
                raise ValueError(text)
            return text.lower() in ("true", "yes", "1")
        if type_string == "object" or type_string.endswith("Input"):
            return json.loads(text)
    except ValueError:
        raise UsageError("--where %s: %r is not a %s" % (key, text, type_string))
    return text


def list_resources(entry, name, client, options):
    from cloudtower.pagination import paginate
    body = {}
    where = where_of(entry, options)
    if where is not None:
        body["where"] = where
    if options.order_by:
        body["orderBy"] = options.order_by
    page_size = min(options.page_size, options.limit or options.page_size)
    items = iter(paginate(entry.bind(client), body, page_size=page_size))
    if options.limit:
        items = itertools.islice(items, options.limit)
    model = _item_model(entry)
    output.print_items(client, items, options.output, output.columns_for(name, model, options.columns))
    return OK


def _item_model(entry):
    from cloudtower import models
    return getattr(models, entry.operation.returns[len("list["):-1])


def count_resources(entry, client, options):
    from cloudtower.pagination import paginate
    where = where_of(entry, options)
    output.write(str(paginate(entry.bind(client), {"where": where} if where is not None else {}).count()))
    return OK


def get_resource(entry, client, options):
    found = entry.bind(client)({"where": {"id": options.id}, "first": 1})
    if not found:
        print("cloudtower: no %s with id %s" % (_item_model(entry).__name__, options.id), file=sys.stderr)
        return API_ERROR
    output.write(output.dumps(output.as_json(client, found[0]), pretty=True))
    return OK


def wait_for_tasks(client, options):
    from cloudtower.exceptions import TaskFailedException
    from cloudtower.utils import wait_tasks
    progress = output.Progress()

    def show(tasks):
        done = sum(1 for task in tasks if task.status in ("SUCCESSED", "FAILED"))
        progress.update("tasks: %d of %d ended" % (done, len(tasks)))
    try:
        tasks, code = wait_tasks(options.ids, client, interval=options.interval, timeout=options.timeout,
                                 progress=show), OK
    except TaskFailedException as error:
        tasks, code = error.failed_tasks, API_ERROR
    finally:
        progress.done()
    if code != OK:
        print("cloudtower: %d task(s) failed" % len(tasks), file=sys.stderr)
    columns = ["id", "status", "description", "error_message"]
    output.print_items(client, tasks, options.output, columns)
    return code


# -- call -------------------------------------------------------------------------------------------

CALL_EPILOG = """\
BODY is JSON: the request body of a POST operation (default {}), the query parameters of a GET
one, or the form fields of an upload (its file a path). `-` reads it from standard input,
@FILE from a file. The answer is printed as JSON.

  cloudtower call get-vms '{"where": {"status": "RUNNING"}, "first": 5}'
  cloudtower call start-vm '{"where": {"id": "cl0a1b2c3"}}'
  cloudtower call resource-changes '{"resource_type": "VM", "limit": 10}'
  cloudtower call get-version"""


def call_parser():
    parser = _parser("call", "Call any CloudTower operation.", CALL_EPILOG)
    parser.add_argument("operation", metavar="OPERATION", help="its path (get-vms), method name (get_vms) "
                                                               "or operationId (GetVms)")
    parser.add_argument("body", nargs="?", metavar="BODY", help="JSON, - (standard input) or @FILE")
    parser.set_defaults(run=call_operation)
    return parser


def call_operation(client, options):
    entry = find(options.operation)
    if entry is None:
        close = close_matches(options.operation)
        raise UsageError("no operation %r%s" % (options.operation, "; did you mean %s?" % " or ".join(close)
                                                                   if close else ""))
    body = _json(_read(options.body), "BODY") if options.body else None
    operation, method = entry.operation, entry.bind(client)
    if operation.body is not None:
        answer = method({} if body is None else body)
    else:
        if body is not None and not isinstance(body, dict):
            raise UsageError("%s takes its parameters as a JSON object, not %s"
                             % (operation.path, type(body).__name__))
        answer = method(**dict((str(key), value) for key, value in (body or {}).items()))
    output.write(output.dumps(output.as_json(client, answer), pretty=True))
    return OK


def _read(text):
    if text == "-":
        return sys.stdin.read()
    if text.startswith("@"):
        with open(text[1:]) as handle:
            return handle.read()
    return text


def _json(text, what):
    try:
        return json.loads(text)
    except ValueError as error:
        raise UsageError("%s is not JSON: %s" % (what, error))


# -- upload -----------------------------------------------------------------------------------------

def upload_parser():
    parser = _parser("upload", "Upload an image: streamed in chunks, resumable; the image is printed.")
    kinds = _actions(parser)
    for kind, description in (("elf-image", "an ISO, as an ELF image of a cluster"),
                              ("svt-image", "a VMTools ISO, as an SVT image of a cluster (its version read "
                                            "from the ISO)"),
                              ("content-library-image", "an image into the content library, for clusters")):
        sub = kinds.add_parser(kind, help=description, description="Upload %s." % description)
        sub.prog = "cloudtower upload " + kind
        sub.add_argument("file", metavar="FILE")
        many = kind == "content-library-image"
        sub.add_argument("--cluster", required=True, action="append" if many else "store", metavar="ID|NAME",
                         help="the cluster%s (id or name)" % (" (repeatable)" if many else ""))
        sub.add_argument("--name", help="the image's name (default: the file's)")
        if kind == "svt-image":
            sub.add_argument("--version", help="the VMTools version (default: read from the ISO)")
        else:
            sub.add_argument("--description")
        sub.add_argument("--resume", metavar="UPLOAD_TASK_ID",
                         help="go on with an interrupted upload of this file")
        sub.add_argument("--chunk-size", type=_positive, metavar="BYTES",
                         help="the first chunk's size, if the server asks for other than 8 MiB")
        sub.add_argument("--timeout", type=float, default=600,
                         help="seconds to wait for the server to finish after the last chunk (default 600)")
        sub.add_argument("--output", "-o", choices=("table", "json"), default="table")
        sub.set_defaults(run=functools.partial(upload_image, kind))
    return parser


def upload_image(kind, client, options):
    from cloudtower import uploads
    progress = output.Progress()
    name = options.name or options.file.replace("\\", "/").rsplit("/", 1)[-1]

    def show(done, total):
        percent = 100.0 * done / total if total else 100.0
        progress.update("uploading %s: %3.0f%% (%s of %s)"
                        % (name, percent, output.size_text(done), output.size_text(total)))
    common = dict(name=options.name, progress=show, upload_task_id=options.resume,
                  chunk_size=options.chunk_size, timeout=options.timeout)
    try:
        if kind == "elf-image":
            image = uploads.upload_elf_image(client, options.file, _cluster_id(client, options.cluster),
                                             description=options.description, **common)
        elif kind == "svt-image":
            image = uploads.upload_svt_image(client, options.file, _cluster_id(client, options.cluster),
                                             version=options.version, **common)
        else:
            clusters = [_cluster_id(client, cluster) for cluster in options.cluster]
            image = uploads.upload_content_library_image(client, options.file, clusters,
                                                         description=options.description, **common)
    finally:
        progress.done()
    output.print_items(client, [image], options.output, ["name", "size", "id"])
    return OK


def _cluster_id(client, text):
    from cloudtower.api.cluster_api import ClusterApi
    found = ClusterApi(client).get_clusters({"where": {"OR": [{"id": text}, {"name": text}]}, "first": 2})
    if len(found) != 1:
        problem = "no such cluster" if not found else "more than one is named so"
        raise UsageError("--cluster %s: %s" % (text, problem))
    return found[0].id


# -- watch ------------------------------------------------------------------------------------------

def watch_parser():
    parser = _parser("watch", "Print resource changes as JSON lines, in revision order, until Ctrl-C "
                              "or SIGTERM.")
    parser.add_argument("--type", action="append", dest="types", metavar="TYPE",
                        help="only this resource type, e.g. VM (repeatable)")
    parser.add_argument("--since", metavar="REVISION", help="start at this revision (default: now)")
    parser.add_argument("--interval", type=float, default=1,
                        help="seconds between polls once caught up (default 1)")
    parser.set_defaults(run=watch_changes)
    return parser


def watch_changes(client, options):
    """Print each change as a JSON line until interrupted, then the revision to go on from."""
    from cloudtower.watch import watch
    watcher = watch(client, options.types, options.since, interval=options.interval)
    previous = _interrupt_on_sigterm()
    try:
        for event in watcher:
            output.write(output.dumps(output.as_json(client, event)))
    except KeyboardInterrupt:
        pass
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    if watcher.revision is not None:
        print("cloudtower: stopped; go on with --since %d" % watcher.revision, file=sys.stderr)
    return OK


def _interrupt_on_sigterm():
    """Make SIGTERM stop a long command as Ctrl-C does (a watch run in the background or by a
    service manager is stopped that way); the handler it replaces, or None off the main thread."""
    def interrupt(signum, frame):
        raise KeyboardInterrupt()
    try:
        return signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # signal handlers can only be set from the main thread
        return None
