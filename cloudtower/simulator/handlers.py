"""How operations are answered.

Every operation is answered: a stateful handler registered with `@handles(path)` where the
simulator models the real behaviour (VM lifecycle, snapshots, uploads ...), otherwise the
generic behaviour its shape calls for, decided from the catalog (no code per type):

- `get-<things>`: a query of that resource type; `get-<things>-connection`: its count.
- a list of creation params answered by `WithTask<R>`: create resources of type R.
- `{where, data}` answered by `WithTask<R>`: update the resources the where selects.
- `{where}` answered by `WithTaskDelete<R>`: delete them.
- anything else answered by `WithTask<R>`: a task on each selected resource.
- any other answer: a minimal valid value of the answer's type.
"""
from __future__ import absolute_import

from cloudtower.exceptions import ApiTypeError, ApiValueError
from cloudtower.model import encode, fields, kind_of, split_type
from cloudtower.simulator import i18n, query, shapes
from cloudtower.simulator.tasks import TaskFailure  # noqa: F401 - handlers raise it

HANDLERS = {}
REPLACED = []   # (path, the handler replaced, the one that replaced it): said at start-up


def handles(*paths):
    """Register a function `(ctx, body) -> JSON-ready answer` as the handler of `paths`."""
    def register(function):
        for path in paths:
            previous = HANDLERS.get(path)
            if previous is not None and previous is not function:
                REPLACED.append((path, previous, function))
            HANDLERS[path] = function
        return function
    return register


def registration_problems(catalog):
    """What is wrong with the registered handlers, one sentence each: a handler for a path the
    API does not have (it is never called), one registered over another, a workflow module that
    is not loaded."""
    from cloudtower.models import SPEC_VERSION
    from cloudtower.simulator import workflows
    problems = ["a handler is registered for %s (%s), which API %s does not have: it is never called"
                % (path, _name(function), SPEC_VERSION) for path, function in sorted(HANDLERS.items())
                if path not in catalog.operations]
    problems += ["the handler %s of %s replaced %s" % (_name(new), path, _name(old)) for path, old, new in REPLACED]
    problems += ["cloudtower/simulator/workflows/%s.py is in neither MODULES nor HELPERS of "
                 "workflows/__init__.py: its handlers are not loaded" % name for name in workflows.unlisted_modules()]
    return problems


def _name(function):
    return "%s.%s" % (function.__module__, getattr(function, "__name__", repr(function)))


class Encoded(list):
    """An answer that is a JSON array whose items are encoded already (JSON bytes)."""


class SimError(Exception):
    """An error answer: HTTP `status` with a CloudTower error body."""

    def __init__(self, status, message, code=None, props=None):
        super(SimError, self).__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.props = props

    def body(self, path):
        error = {"message": self.message, "status": self.status, "path": path}
        if self.code:
            error["code"] = self.code
        if self.props is not None:
            error["props"] = self.props
        return error


class Context(object):
    """What a handler works with: the state, the request's operation and language."""

    def __init__(self, simulator, operation, language, user):
        self.simulator = simulator
        self.store = simulator.store
        self.catalog = simulator.catalog
        self.tasks = simulator.tasks
        self.operation = operation
        self.language = language
        self.user = user

    # -- answers -----------------------------------------------------------------------------

    def fail(self, status, key, code=None, props=None, **values):
        """Raise an error answer whose message is the text `key` of i18n, in the request's language."""
        raise SimError(status, i18n.text(key, self.language, **values), code, props)

    def render(self, type_name, record):
        return self.store.render(type_name, record, self.language)

    def with_task(self, type_name, record, task):
        """A `WithTask<R>` answer item."""
        return {"task_id": task["id"] if task else None, "data": self.render(type_name, record)}

    # -- reading -----------------------------------------------------------------------------

    def select(self, type_name, where, path="where"):
        """The records a where-object selects (an error answer for a bad where)."""
        try:
            return query.select(self.store, type_name, where, path)
        except query.QueryError as error:
            raise SimError(400, str(error))

    def one(self, type_name, resource_id, what=None):
        """The record with this id, or a 404 error answer naming what was looked for."""
        record = self.store.get(type_name, resource_id) if resource_id else None
        if record is None:
            self.fail(404, "not_found", kind=what or type_name, id=resource_id)
        return record

    # -- changing ----------------------------------------------------------------------------

    def ensure_free(self, type_name, records):
        """Raise the `ResourceLocked` error when a running task holds one of `records`."""
        locked = self.tasks.check_free(type_name, records)
        if locked:
            self.fail(400, "locked", code="ResourceLocked", props={"locked_resources": locked},
                      resources=", ".join("%s-%s" % (item["type"], item["id"]) for item in locked))

    def submit(self, type_name, record, work=None, status="UPDATING", description=None, also=()):
        """Start a task that holds `record` (and the `(type name, record)` pairs of `also`) and
        runs `work()` at its end; returns the task."""
        name = self.operation.name
        cluster = record.get("cluster") if isinstance(record.get("cluster"), str) else None
        text = description or i18n.text("task", "en-US", operation=name, name=record.get("name") or record["id"])
        holds = [(type_name, record["id"])] + [(other_type, other["id"]) for other_type, other in also]
        return self.tasks.submit(text, operation=name, path=self.operation.path, resource=(type_name, record["id"]),
                                 holds=holds, work=work, status=status, cluster_id=cluster)


# ---------------------------------------------------------------------------------------------
# Generic behaviour.

def generic_kind(catalog, operation):
    """How an operation without a stateful handler is answered: (kind, resource type name)."""
    path = operation.path
    returns = operation.returns or ""
    if path.startswith("/get-") and path.endswith("-connection") and returns.endswith("Connection"):
        name = returns[:-len("Connection")]
        if name in catalog.resources:
            return "count", name
    if path.startswith("/get-") and returns.startswith("list["):
        name = returns[5:-1]
        resource = catalog.resources.get(name)
        if resource is not None and path == "/get-" + resource.plural:
            return "query", name
    outer, inner = split_type(returns)
    if outer and inner.startswith("WithTaskDelete") and inner[len("WithTaskDelete"):] in catalog.resources:
        return "delete", inner[len("WithTaskDelete"):]
    if outer and inner.startswith("WithTask") and inner[len("WithTask"):] in catalog.resources:
        name = inner[len("WithTask"):]
        body = operation.body or ""
        if body.startswith("list["):
            return "create", name
        body_model = catalog.model(body) if body and kind_of(body) == "model" else None
        if body_model is not None and "where" in fields(body_model):
            if "data" in fields(body_model) and operation.path.startswith("/update-"):
                return "update", name
            return "action", name
        return "create", name
    return "example", None


def answer_generically(ctx, body):
    kind, type_name = generic_kind(ctx.catalog, ctx.operation)
    return GENERIC[kind](ctx, body, type_name)


def _query(ctx, body, type_name):
    source = _where_type(ctx, ctx.operation.body) or type_name
    try:
        records = query.run(ctx.store, source, body)
    except query.QueryError as error:
        raise SimError(400, str(error))
    if source != type_name:
        # A view of another type's resources (ClusterStorageInfo of the clusters the where
        # selects): the stored record of the same id, else what the two types share.
        resource, shown = ctx.catalog.resources[type_name], ctx.catalog.resources[source]
        clock = ctx.store.clock
        records = [ctx.store.get(type_name, record["id"]) or shapes.view(resource, shown, record, clock)
                   for record in records]
        return [ctx.render(type_name, record) for record in records]
    if ctx.language == "en-US":  # (as kept by the store, until the records change)
        return Encoded(ctx.store.rendered_json(type_name, record) for record in records)
    return [ctx.render(type_name, record) for record in records]


def _count(ctx, body, type_name):
    try:
        return {"aggregate": {"count": query.count(ctx.store, type_name, body)}}
    except query.QueryError as error:
        raise SimError(400, str(error))


def _create(ctx, body, type_name):
    items = body if isinstance(body, list) else (body.get("data") if isinstance(body, dict) else None)
    if isinstance(items, dict):
        items = [items]
    if not isinstance(items, list):
        items = [body or {}]
    answers = []
    for params in items:
        record = create_from_params(ctx, type_name, params if isinstance(params, dict) else {})
        task = ctx.submit(type_name, record, status="CREATING")
        answers.append(ctx.with_task(type_name, record, task))
    return answers


def _targets(ctx, body, type_name):
    """The records of `type_name` a `{where}` body selects; when the where is of another type,
    the `type_name` records related to what it selects."""
    where = body.get("where") if isinstance(body, dict) else None
    where_type = _where_type(ctx, ctx.operation.body) or type_name
    records = ctx.select(where_type, where)
    if where_type != type_name:
        records = _related(ctx, where_type, records, type_name)
    ctx.ensure_free(type_name, records)
    return records


def _related(ctx, from_type, records, to_type):
    resource = ctx.catalog.resources[from_type]
    ids = []
    for relation in resource.relations.values():
        if relation.target == to_type:
            for record in records:
                value = record.get(relation.key)
                for other in (value if isinstance(value, list) else [value]):
                    if other and other not in ids:
                        ids.append(other)
    related = (ctx.store.get(to_type, other) for other in ids)
    return [record for record in related if record is not None]


def _where_type(ctx, body_type):
    """The resource type the `where` of a body type selects (`VmWhereInput`,
    `VmWhereUniqueInput` -> Vm), or None."""
    if not body_type or kind_of(body_type) != "model":
        return None
    field = fields(ctx.catalog.model(body_type)).get("where")
    if field is None:
        return None
    for suffix in ("WhereUniqueInput", "WhereInput"):
        if field.type.endswith(suffix):
            name = field.type[:-len(suffix)]
            return name if name in ctx.catalog.resources else None
    return None


def _update(ctx, body, type_name):
    records = _targets(ctx, body, type_name)
    data = body.get("data") if isinstance(body.get("data"), dict) else {}
    answers = []
    for record in records:
        changes = values_from_params(ctx, type_name, data)
        ctx.store.update(type_name, record["id"], changes)
        answers.append(ctx.with_task(type_name, record, ctx.submit(type_name, record)))
    return answers


def _action(ctx, body, type_name):
    records = _targets(ctx, body, type_name)
    return [ctx.with_task(type_name, record, ctx.submit(type_name, record)) for record in records]


def _delete(ctx, body, type_name):
    records = _targets(ctx, body, type_name)
    answers = []
    for record in records:
        def work(type_name=type_name, record_id=record["id"]):
            if ctx.store.get(type_name, record_id) is not None:
                ctx.store.delete(type_name, record_id)
        task = ctx.submit(type_name, record, work=work, status="DELETING")
        answers.append({"task_id": task["id"], "data": {"id": record["id"]}})
    return answers


def _example(ctx, body, type_name):
    returns = ctx.operation.returns
    if returns is None:
        return None
    value = shapes.example(returns, ctx.store.clock)
    items = value if isinstance(value, list) else [value]
    for item in items:
        if isinstance(item, dict) and "task_id" in _fields_of(returns):
            item["task_id"] = ctx.tasks.submit(ctx.operation.name, operation=ctx.operation.name,
                                               path=ctx.operation.path)["id"]
    return value


def _fields_of(type_string):
    inner = split_type(type_string)[1]
    if kind_of(inner) != "model":
        return {}
    from cloudtower import models
    return fields(getattr(models, inner))


GENERIC = {"query": _query, "count": _count, "create": _create, "update": _update, "action": _action,
           "delete": _delete, "example": _example}


# ---------------------------------------------------------------------------------------------
# From request params to record values.

def values_from_params(ctx, type_name, params):
    """Record values for a resource from creation/update params: fields of the same name,
    `<relation>_id` / `<relation>_ids` as links, where-objects of a relation as the links to
    what they select."""
    resource = ctx.catalog.resources[type_name]
    values = {}
    for key, value in params.items():
        if value is None:
            continue
        field = resource.fields.get(key)
        if field is not None and field.relation is None:
            if _fits(field.type, value):
                values[key] = value
            continue
        relation = _relation_for_param(resource, key)
        if relation is None:
            continue
        ids = _linked_ids(ctx, relation, value, key)
        if ids is None:
            continue  # not a link: e.g. params of related resources to make (`vm_nics: [{...}]`)
        for other in ids:
            if ctx.store.get(relation.target, other) is None:
                ctx.fail(404, "not_found", kind=relation.target, id=other)
        values[relation.key] = ids if relation.many else (ids[0] if ids else None)
    return values


def _linked_ids(ctx, relation, value, key):
    """The ids a param gives for a relation: an id, a list of ids, or a where-object of the
    related type (what it selects); None when the value is none of these."""
    if _is_text(value):
        return [value]
    if isinstance(value, list):
        return value if all(_is_text(item) for item in value) else None
    if isinstance(value, dict):
        where_keys = ctx.catalog.resources[relation.target].where_keys
        if all(name in where_keys for name in value):
            return [record["id"] for record in ctx.select(relation.target, value, key)]
    return None


def _is_text(value):
    return isinstance(value, str) or type(value).__name__ == "unicode"


def _relation_for_param(resource, key):
    candidates = [key]
    if key.endswith("_ids"):
        candidates += [key[:-4] + "s", key[:-4] + "es", key[:-4]]
    elif key.endswith("_id"):
        candidates += [key[:-3], key[:-3] + "s"]
    for candidate in candidates:
        if candidate in resource.relations:
            return resource.relations[candidate]
    return None


def _fits(type_string, value):
    """Whether `value` is a valid JSON value of the resource field's type (the SDK's own check)."""
    try:
        encode(value, type_string, validate=True, strict=True)
    except (ApiTypeError, ApiValueError):
        return False
    return True


def create_from_params(ctx, type_name, params, extra=None):
    """A new resource built from creation params (`Store.create` links the required relations
    they lack)."""
    values = values_from_params(ctx, type_name, params)
    values.update(extra or {})
    if "local_id" in ctx.catalog.resources[type_name].fields and "local_id" not in values:
        values["local_id"] = ctx.store.new_id()
    return ctx.store.create(type_name, values)  # it links the required relations values lack
