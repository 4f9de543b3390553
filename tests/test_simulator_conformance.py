"""Every operation of the spec, called on a running simulator with a minimal valid request, answers
200 with a body that fits the operation's declared 200 response schema.

The requests are built from the spec alone (not from the SDK): for a JSON body the required
fields only, with valid values - an enum's first value, `"x1"`, `"x2"` ... for text (names must
often be unique), the id of an existing resource of the right type for `*_id` / `*_ids` fields,
`{"id": <existing id>}` for a where-input, one minimal item for a required array; the 6 uploads
get a small file part, the 2 GET operations their query parameters. Ids are picked near what the
request's `where` selects (a snapshot of the VM it is about), and a deletion deletes a record of
its own. The requests go out with urllib3 directly (raw HTTP, the token of root/root), reads
first, deletions last, and the tasks they start are ended after each. All failures are collected
and reported in one assertion.

The test makes sure that each resource type a request names or a query answers has at least one
record (the demo estate has only some of them): it adds a plain record with `store.create`.
"""
from __future__ import absolute_import

import json
import os
import re
import uuid

import pytest

from cloudtower.models import SPEC_VERSION
from spec_validator import SpecValidator

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SPEC_CANDIDATES = [
    os.environ.get("CLOUDTOWER_SPEC") or "",
    os.path.join(ROOT, "..", "shared", "specs", "cloudtower-%s.json" % SPEC_VERSION),
    "/work/shared/specs/cloudtower-%s.json" % SPEC_VERSION,
]
SPEC_PATH = next((path for path in SPEC_CANDIDATES if path and os.path.exists(path)), None)

pytestmark = pytest.mark.skipif(SPEC_PATH is None, reason="the CloudTower spec is not beside the project")

SCHEMA_PREFIX = "#/components/schemas/"

# Operations whose minimal request cannot succeed, and why: path -> (expected status, reason).
# The answer must then have exactly this status and an error body (message, status, path). Only
# a stateful handler (`@handles`) knows enough to refuse: answered generically, they succeed.
_UPLOAD_NAMES = (400, "the first chunk of an upload must say what is uploaded: the whole file's `size` "
                      "(which makes the upload task) and, but for content-library images, the `cluster_id`; "
                      "the spec marks neither required")
EXPECTED_ERRORS = {
    "/create-root-user": (400, "the root user exists already (it is who the test logs in as)"),
    "/upload-content-library-image": _UPLOAD_NAMES,
    "/upload-elf-file": _UPLOAD_NAMES,
    "/upload-elf-image": _UPLOAD_NAMES,
    "/upload-svt-image": _UPLOAD_NAMES,
}

# Operations called a second time with these optional fields too, which must then succeed.
WITH_FIELDS = {
    "/upload-content-library-image": ("size",),
    "/upload-elf-file": ("size", "cluster_id"),
    "/upload-elf-image": ("size", "cluster_id"),
    "/upload-svt-image": ("size", "cluster_id"),
}
UPLOAD_BYTES = 64

# Operations answered by a stateful handler (workflows/*.py, owned by other engineers) whose
# answer does not fit the spec yet: path -> what is wrong. They are reported, not failed.
KNOWN_FAILURES = {
}


# -- the spec ---------------------------------------------------------------------------------

_SPEC = []


def load_spec():
    if not _SPEC:
        with open(SPEC_PATH) as handle:
            _SPEC.append(json.load(handle))
    return _SPEC[0]


def operations(spec):
    """[(path, method, operation)] of every operation, reads first and deletions last (so that
    what the other calls use still exists)."""
    found = []
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            found.append((path, method.upper(), operation))

    def rank(entry):
        path = entry[0]
        if path.startswith("/get-") or entry[1] == "GET":
            return 0
        if path.startswith("/delete-"):
            return 2
        return 1
    found.sort(key=lambda entry: (rank(entry), entry[0]))
    return found


def resource_types(spec):
    """Type name -> True for every schema a `get-*` query returns a list of (and that has an id)."""
    schemas = spec["components"]["schemas"]
    found = {}
    for path, item in spec["paths"].items():
        if not path.startswith("/get-") or path.endswith("-connection"):
            continue
        for operation in item.values():
            schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
            ref = schema.get("items", {}).get("$ref", "")
            name = ref[len(SCHEMA_PREFIX):]
            if schema.get("type") == "array" and name and "id" in schemas.get(name, {}).get("properties", {}):
                found[name] = True
    return found


def camel(words):
    return "".join(word[:1].upper() + word[1:] for word in words)


def type_for_key(key, types, context=""):
    """The resource type an `x_y_id` / `x_y_ids` key names: the longest run of trailing words that
    is a type (`connect_vlan_id` -> Vlan, `iscsi_target_id` -> IscsiTarget), else the type whose
    name ends with those words and is closest to the `context` (the owner's or the params' name:
    `snapshot_id` in `IscsiLunRollbackParams` -> IscsiLunSnapshot); None if none fits."""
    match = re.match(r"^(.*?)_ids?$", key)
    if not match:
        return None
    words = [word for word in match.group(1).split("_") if word]
    for start in range(len(words)):
        name = camel(words[start:])
        if name in types:
            return name
        if name.endswith("s") and name[:-1] in types:
            return name[:-1]
    context_words = set(camel_words(context))
    best = None
    for start in range(len(words)):
        tail = camel(words[start:])
        for name in types:
            if name.endswith(tail):
                extra = [word for word in camel_words(name[:-len(tail)]) if word not in context_words]
                score = (-len(extra), -start)
                if best is None or score > best[0]:
                    best = (score, name)
        if best is not None:
            return best[1]
    return None


def camel_words(name):
    return re.findall(r"[A-Z][a-z0-9]*", name)


# -- building minimal requests ----------------------------------------------------------------

class RequestBuilder(object):
    """Minimal valid JSON values of the spec's schemas."""

    def __init__(self, spec, types, id_of):
        self.spec = spec
        self.validator = SpecValidator(spec)
        self.types = types
        self.id_of = id_of        # type name -> an existing id of that type
        self.context = []         # the names of the schemas being built, outermost first
        self.fresh_where = False  # where-objects select a new record (for deletions)
        self.counter = 0
        self.chosen = {}          # type name -> the id this request picked first

    def build(self, schema, key="", depth=0, owner=None):
        """A minimal valid value of `schema` for the field `key`; `owner` is the resource type the
        operation is about (its relations tell what `x_id` fields point at)."""
        if depth > 12:
            raise ValueError("schema too deep at %s" % key)
        if "$ref" in schema:
            name = schema["$ref"][len(SCHEMA_PREFIX):]
            where_type = self._where_type(name)
            if where_type is not None:
                return {"id": self.pick(where_type, fresh=self.fresh_where)}
            self.context.append(name)
            try:
                return self.build(self.validator.resolve(schema["$ref"]), key, depth + 1, owner)
            finally:
                self.context.pop()
        if "allOf" in schema:
            merged = merge_all_of(self.validator, schema)
            return self.build(merged, key, depth + 1, owner)
        if "enum" in schema:
            return schema["enum"][0]
        kind = schema.get("type")
        if kind == "string":
            resource = self.type_for_key(key, owner)
            if resource is not None and not key.endswith("_ids"):
                return self.pick(resource)
            self.counter += 1
            return "x%d" % self.counter  # names must often be unique
        if kind == "integer":
            return max(1, schema.get("minimum", 1))
        if kind == "number":
            return max(1, schema.get("minimum", 1))
        if kind == "boolean":
            return False
        if kind == "array":
            item = schema.get("items", {})
            resource = self.type_for_key(key, owner) if key.endswith("_ids") else None
            if resource is not None and item.get("type") == "string":
                return [self.pick(resource)]
            return [self.build(item, singular(key), depth + 1, owner)]
        if kind == "object" or "properties" in schema:
            value = {}
            properties = schema.get("properties", {})
            # the `where` first: what else the request names is picked near what it selects
            for name in sorted(schema.get("required", ()), key=lambda name: name != "where"):
                value[name] = self.build(properties.get(name, {}), name, depth + 1, owner)
            return value
        return {}

    def start(self):
        """Begin a new request: nothing is picked yet."""
        self.chosen = {}

    def pick(self, type_name, fresh=False):
        """An id of `type_name` for this request (near what it picked before)."""
        picked = self.id_of(type_name, fresh=fresh, near=self.chosen)
        self.chosen.setdefault(type_name, picked)
        return picked

    def type_for_key(self, key, owner):
        """The resource type an `x_id` / `x_ids` field points at: the type of the owner's
        relation `x` (or `xs`) if it has one, else the type the key's words name."""
        match = re.match(r"^(.*?)_ids?$", key)
        if match and owner is not None:
            properties = self.validator.schema(owner).get("properties", {})
            stem = match.group(1)
            for name in (stem, stem + "s", stem + "es"):
                target = nested_type(self.validator, properties.get(name))
                if target in self.types:
                    return target
        return type_for_key(key, self.types, (owner or "") + "".join(self.context[-1:]))

    def owner_of(self, operation):
        """The resource type an operation answers with (`WithTask_Vm_` -> Vm), or None."""
        schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
        name = schema.get("items", schema).get("$ref", "")[len(SCHEMA_PREFIX):]
        name = re.sub(r"^WithTask_(Delete)?(.*?)(-Array)?_$", r"\2", name)
        return name if name in self.types else None

    def _where_type(self, schema_name):
        for suffix in ("WhereUniqueInput", "WhereInput"):
            if schema_name.endswith(suffix) and schema_name[:-len(suffix)] in self.types:
                return schema_name[:-len(suffix)]
        return None


def nested_type(validator, schema):
    """`Cluster` for a property whose schema is (a list of, or allOf) `NestedCluster`."""
    while schema:
        if "items" in schema:
            schema = schema["items"]
        elif "allOf" in schema:
            schema = schema["allOf"][0]
        elif "$ref" in schema:
            name = schema["$ref"][len(SCHEMA_PREFIX):]
            return name[len("Nested"):] if name.startswith("Nested") else None
        else:
            return None
    return None


def merge_all_of(validator, schema):
    """One object schema from an `allOf` (properties and required of every part)."""
    parts = []
    for part in schema["allOf"]:
        while "$ref" in part:
            part = validator.resolve(part["$ref"])
        if "allOf" in part:
            part = merge_all_of(validator, part)
        parts.append(part)
    if len(parts) == 1:
        return parts[0]
    merged = {"type": "object", "properties": {}, "required": []}
    for part in parts:
        merged["properties"].update(part.get("properties", {}))
        merged["required"].extend(name for name in part.get("required", ()) if name not in merged["required"])
    return merged


def singular(key):
    if key.endswith("ies"):
        return key[:-3] + "y"
    if key.endswith("s"):
        return key[:-1]
    return key


def multipart(fields):
    """A multipart/form-data body of `fields` (name -> text, or (file name, bytes))."""
    boundary = "sim-" + uuid.uuid4().hex
    chunks = []
    for name, value in fields.items():
        chunks.append(("--%s\r\n" % boundary).encode("ascii"))
        if isinstance(value, tuple):
            head = ('Content-Disposition: form-data; name="%s"; filename="%s"\r\n'
                    'Content-Type: application/octet-stream\r\n\r\n' % (name, value[0]))
            chunks.append(head.encode("utf-8"))
            chunks.append(value[1])
        else:
            chunks.append(('Content-Disposition: form-data; name="%s"\r\n\r\n' % name).encode("utf-8"))
            chunks.append(value.encode("utf-8"))
        chunks.append(b"\r\n")
    chunks.append(("--%s--\r\n" % boundary).encode("ascii"))
    return b"".join(chunks), "multipart/form-data; boundary=%s" % boundary


# -- records to point at ------------------------------------------------------------------------

class Ids(object):
    """An existing id per resource type, adding a plain record where the estate has none.

    `near` ({type name: id}) names what the same request selects already: a record related to
    one of those is preferred (a snapshot of the VM the request is about), and made if there is
    none."""

    def __init__(self, simulator):
        self.simulator = simulator
        self.cache = {}

    def __call__(self, type_name, fresh=False, near=None):
        store = self.simulator.store
        with store.lock:
            if fresh:
                return self._create(type_name, near, remember=False)
            links = self._links(type_name, near)
            if links:
                for record_id, record in store.tables[type_name].items():
                    if any(record.get(key) == value for key, value in links.items()):
                        return record_id
                return self._create(type_name, near, remember=False)
            known = self.cache.get(type_name)
            if known is not None and store.get(type_name, known) is not None:
                return known
            records = store.tables.get(type_name)
            if records:
                self.cache[type_name] = next(iter(records))
                return self.cache[type_name]
            return self._create(type_name, near)

    def _links(self, type_name, near):
        """{relation key: id} for the to-one relations of `type_name` to what `near` names."""
        resource = self.simulator.store.catalog.resources[type_name]
        return dict((key, near[relation.target]) for key, relation in resource.relations.items()
                    if not relation.many and relation.target in (near or {}) and relation.target != type_name)

    def _create(self, type_name, near=None, remember=True):
        """A plain record, its to-one relations pointing at the records the request (or else the
        other requests) name (`Store.create` links the required ones that have none)."""
        store = self.simulator.store
        resource = store.catalog.resources[type_name]
        values = {"name": "conformance-%s" % type_name.lower()} if "name" in resource.fields else {}
        for key, relation in resource.relations.items():
            one_to_one = relation.inverse is not None and not relation.inverse.many
            if not relation.many and not one_to_one and store.tables[relation.target]:
                values[key] = self.cache.get(relation.target) or next(iter(store.tables[relation.target]))
        values.update(self._links(type_name, near))
        record = store.create(type_name, values, event=False)
        if remember:
            self.cache[type_name] = record["id"]
        return record["id"]


# -- the test -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def simulator():
    from cloudtower.simulator import Simulator
    sim = Simulator(seed="demo", task_delay=None).start()
    yield sim
    sim.stop()


def http_pool():
    import urllib3
    return urllib3.PoolManager(retries=False, timeout=urllib3.Timeout(connect=5, read=30))


def log_in(pool, base):
    response = pool.request("POST", base + "/login", body=json.dumps(
        {"username": "root", "password": "root", "source": "LOCAL"}).encode("utf-8"),
        headers={"Content-Type": "application/json"})
    assert response.status == 200, response.data
    return json.loads(response.data.decode("utf-8"))["data"]["token"]


def build_request(spec, builder, path, method, operation, extra=None):
    """(url suffix, body bytes or None, headers) of the minimal request for an operation (plus
    the `extra` form fields)."""
    builder.start()
    headers = {}
    if any(param.get("in") == "header" and param["name"] == "content-language"
           for param in operation.get("parameters", ())):
        headers["content-language"] = "en-US"
    if method == "GET":
        query = []
        for param in operation.get("parameters", ()):
            if param.get("in") == "query":
                value = {"limit": "10", "start_revision": "1", "resource_type": "VM"}.get(param["name"])
                if value is not None:
                    query.append("%s=%s" % (param["name"], value))
        return path + ("?" + "&".join(query) if query else ""), None, headers
    content = operation.get("requestBody", {}).get("content", {})
    if "multipart/form-data" in content:
        schema = content["multipart/form-data"]["schema"]
        fields = {}
        for name in tuple(schema.get("required", ())) + tuple(extra or ()):
            prop = schema["properties"][name]
            if prop.get("format") == "binary":
                fields[name] = ("conformance.bin", b"\0" * UPLOAD_BYTES)
            elif name == "clusters":
                fields[name] = json.dumps({"id_in": [builder.pick("Cluster")]})
            elif name == "size":
                fields[name] = str(UPLOAD_BYTES)
            else:
                fields[name] = str(builder.build(prop, name, owner=builder.owner_of(operation)))
        body, content_type = multipart(fields)
        headers["Content-Type"] = content_type
        return path, body, headers
    headers["Content-Type"] = "application/json"
    if "application/json" not in content:
        return path, None, headers
    if path == "/login":  # the only body whose values must be the right ones
        value = {"username": "root", "password": "root", "source": "LOCAL"}
    else:
        # A deletion deletes a record of its own: one nothing else depends on.
        builder.fresh_where = path.startswith("/delete-")
        value = builder.build(content["application/json"]["schema"], owner=builder.owner_of(operation))
        builder.fresh_where = False
    return path, json.dumps(value).encode("utf-8"), headers


def call_every_operation(simulator, observe=None):
    """[(path, problem)] for every operation that does not answer as the spec says
    (`observe(path, response)` sees every answer)."""
    from cloudtower.simulator.handlers import HANDLERS
    spec = load_spec()
    validator = SpecValidator(spec)
    types = resource_types(spec)
    builder = RequestBuilder(spec, types, Ids(simulator))
    base = simulator.url
    pool = http_pool()
    token = log_in(pool, base)
    problems = []
    for path, method, operation in operations(spec):
        for queried in queried_types(spec, path, operation, types):
            builder.id_of(queried)  # something to show
        calls = [(None, EXPECTED_ERRORS.get(path) if path in HANDLERS else None)]
        if path in WITH_FIELDS:
            calls.append((WITH_FIELDS[path], None))
        for extra, expected in calls:
            try:
                suffix, body, headers = build_request(spec, builder, path, method, operation, extra)
            except Exception as error:  # noqa: BLE001 - a problem of this operation only
                problems.append((path, "cannot build a request: %r" % (error,)))
                continue
            if operation.get("security"):
                headers["Authorization"] = token
            try:
                response = pool.request(method, base + suffix, body=body, headers=headers)
            except Exception as error:  # noqa: BLE001 - a dropped connection, a timeout ...
                problems.append((path, "no answer: %r" % (error,)))
                pool = http_pool()
                continue
            if observe is not None:
                observe(path, response)
            problem = check_answer(validator, path, operation, response, expected)
            if problem:
                problems.append((path, problem if extra is None else "with %s: %s" % (extra, problem)))
            simulator.advance_tasks()  # let the tasks end: the next calls find their resources free
    return problems


def queried_types(spec, path, operation, types):
    """The resource types a `get-*` query is about: the type it answers a list of, and the type
    its `where` selects."""
    if not path.startswith("/get-"):
        return []
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    found = [schema.get("items", {}).get("$ref", "")[len(SCHEMA_PREFIX):]]
    body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
    if "$ref" in body:
        where = SpecValidator(spec).resolve(body["$ref"]).get("properties", {}).get("where", {})
        ref = where.get("$ref") or where.get("allOf", [{}])[0].get("$ref", "")
        found.append(re.sub(r"Where(Unique)?Input$", "", ref[len(SCHEMA_PREFIX):]))
    return [name for name in found if name in types]


def check_answer(validator, path, operation, response, expected=None):
    """What is wrong with an answer (expected: 200, or the error `expected`), or None."""
    try:
        data = json.loads(response.data.decode("utf-8"))
    except ValueError:
        return "status %d, the body is not JSON: %r" % (response.status, response.data[:200])
    if not response.headers.get("x-tower-request-id"):
        return "no x-tower-request-id header"
    if expected is not None:
        status = expected[0]
        if response.status != status:
            return "expected the error %d (%s), got %d: %s" % (status, expected[1], response.status,
                                                               _short(data))
        errors = validator.validate(data, {"$ref": SCHEMA_PREFIX + "ErrorBody"})
        if errors or data.get("status") != status or data.get("path") != path:
            return "a bad error body %s: %s" % (_short(data), "; ".join(errors))
        return None
    if response.status != 200:
        return "status %d: %s" % (response.status, _short(data))
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    errors = validator.validate(data, schema)
    if errors:
        return "the answer does not fit the spec:\n      " + "\n      ".join(errors)
    return None


def _short(data):
    text = json.dumps(data)
    return text if len(text) <= 300 else text[:297] + "..."


def test_every_operation_answers_as_the_spec_says(simulator):
    problems = call_every_operation(simulator)
    failures = [(path, problem) for path, problem in problems if path not in KNOWN_FAILURES]
    unexpectedly_fine = sorted(set(KNOWN_FAILURES) - set(path for path, _ in problems))
    lines = ["%s: %s" % (path, problem) for path, problem in failures]
    lines += ["%s: listed in KNOWN_FAILURES but answers as the spec says now" % path
              for path in unexpectedly_fine]
    assert not lines, "%d of %d operations do not conform:\n%s" % (
        len(lines), len(load_spec()["paths"]), "\n".join(lines))


def test_the_state_file_and_the_kept_json_follow_every_change_that_every_operation_made(tmpdir):
    """Every change goes through the store's change methods, which the --state journal and the
    JSON kept of rendered records learn from: after every operation was called (queries first,
    which fill what is kept), a restart would load exactly what is served, and what is kept of
    every record is what rendering it now gives."""
    from cloudtower.simulator import Simulator
    from cloudtower.simulator.catalog import catalog
    from cloudtower.simulator.statefile import StateFile
    from cloudtower.simulator.store import Store, encode_json
    state = str(tmpdir.join("state.json"))
    with Simulator(seed="demo", task_delay=None, state=state) as sim:
        call_every_operation(sim)
        sim.advance_tasks()
        with sim.store.lock:
            served = json.dumps(sim.store.dump(), sort_keys=True)
            loaded = Store(catalog())
            assert StateFile(state, loaded).load()  # as after a kill: the snapshot and the journal
            assert json.dumps(loaded.dump(), sort_keys=True) == served
            kept = sum(len(rendered) for rendered in sim.store._rendered.values() if rendered)
            assert kept > 100  # the queries filled it
            stale = ["%s %s" % (type_name, record["id"]) for type_name in sorted(sim.store.tables)
                     for record in sim.store.tables[type_name].values()
                     if sim.store.rendered_json(type_name, record) != encode_json(sim.store.render(type_name, record))]
            assert stale == []


def test_every_operation_is_called():
    spec = load_spec()
    assert len(operations(spec)) == len(spec["paths"]) == 577


def test_the_validator_reports_paths():
    spec = load_spec()
    validator = SpecValidator(spec)
    vm = {"$ref": SCHEMA_PREFIX + "NestedCluster"}
    assert validator.validate({"id": "a", "name": "b"}, vm) == []
    errors = validator.validate({"id": 1, "extra": True}, vm)
    assert "$.id: expected a string, got integer 1" in errors
    assert "$: missing required property 'name'" in errors
    assert "$.extra: unknown property (additionalProperties is false)" in errors
    assert validator.validate(None, vm) == ["$: null is not allowed"]
    nullable = {"allOf": [{"$ref": SCHEMA_PREFIX + "NestedCluster"}], "nullable": True}
    assert validator.validate(None, nullable) == []
    assert validator.validate([{"id": "a", "name": None}], {"type": "array", "items": vm}) == [
        "$[0].name: null is not allowed"]
    assert validator.validate(2 ** 31, {"type": "integer", "format": "int32"}) == [
        "$: 2147483648 is out of the int32 range"]
    assert validator.validate(2 ** 31, {"type": "integer", "format": "int64"}) == []
    assert validator.validate(True, {"type": "integer"}) == ["$: expected an integer, got boolean true"]
    assert validator.validate(1.5, {"type": "integer"}) == ["$: expected an integer, got number 1.5"]
    assert validator.validate(1, {"type": "number"}) == []
    assert validator.validate("NO", {"type": "string", "enum": ["YES"]}) == [
        "$: string 'NO' is not one of 'YES'"]
    text_a = {"allOf": [{"type": "object", "properties": {"a": {"type": "string"}}}]}
    assert validator.validate({"a": 1}, text_a) == ["$.a: expected a string, got integer 1"]


def test_the_example_of_every_answer_type_fits_the_spec():
    """`shapes.example`, which answers the operations the simulator knows nothing more of."""
    from cloudtower.model import split_type
    from cloudtower.simulator import shapes
    from cloudtower.simulator.catalog import catalog
    spec = load_spec()
    validator = SpecValidator(spec)
    problems = []
    for path, operation in sorted(catalog().operations.items()):
        if operation.returns is None:
            continue
        answer = spec["paths"][path][operation.method.lower()]["responses"]["200"]
        schema = answer["content"]["application/json"]["schema"]
        outer, inner = split_type(operation.returns)
        if outer:  # an example list is empty: check an item
            value, schema = shapes.example(inner), schema["items"]
        else:
            value = shapes.example(operation.returns)
        errors = validator.validate(value, schema)
        if errors:
            problems.append("%s (%s): %s" % (path, operation.returns, "; ".join(errors)))
    assert not problems, "\n".join(problems)


def test_a_plain_record_of_every_resource_type_shows_as_the_spec_says():
    """`Store.create` with no values (plain defaults, required relations linked) and `render`."""
    from cloudtower.simulator.catalog import catalog
    from cloudtower.simulator.store import Store
    spec = load_spec()
    validator = SpecValidator(spec)
    store = Store(catalog())
    problems = []
    for name in sorted(store.catalog.resources):
        record = store.create(name, event=False)
        schema = {"$ref": SCHEMA_PREFIX + schema_name(spec, name)}
        errors = validator.validate(store.render(name, record), schema)
        if errors:
            problems.append("%s: %s" % (name, "; ".join(errors)))
    assert not problems, "\n".join(problems)


def schema_name(spec, type_name):
    """The spec's name of a resource type's schema (the same, as the generator keeps it)."""
    assert type_name in spec["components"]["schemas"], type_name
    return type_name
