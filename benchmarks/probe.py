"""The part of the benchmarks that runs inside one virtualenv, with that venv's `cloudtower`.

`run.py` calls it with the venv's own python; it prints its results as JSON on stdout.

    python probe.py info                       where the package is, its version
    python probe.py generate OUT [--count N]   write a `get_vms` response of N VMs (fixed seed)
    python probe.py decode DATA [--repeat N]   time json.loads, ApiClient().deserialize, and reading
                                               every attribute (against dict.get on the parsed JSON)
    python probe.py encode [--repeat N]        time encoding a 1,000-id filter (against json.dumps)
"""
import argparse
import gc
import importlib.metadata
import importlib.util
import json
import os
import random
import sys
import time
import uuid


def info():
    spec = importlib.util.find_spec("cloudtower")  # finds the package without importing it
    return {
        "package_dir": spec.submodule_search_locations[0],
        "version": importlib.metadata.version("cloudtower-sdk"),
        "python": sys.version.split()[0],
    }


# -- a realistic `get_vms` response ------------------------------------------------------------

SEED = 20200
# Items per list; other lists (GPUs, USB devices, placement groups...) have one item in 10% of VMs.
LIST_SIZES = {"vm_disks": (2, 4), "vm_nics": (1, 3), "labels": (1, 3), "snapshots": (1, 4)}
RARE_LIST_SHARE = 0.1
TEXT = {
    "os": ["Ubuntu 22.04.3 LTS", "CentOS Linux 7 (Core)", "Windows Server 2019 Datacenter",
           "Rocky Linux 9.2 (Blue Onyx)"],
    "kernel_info": ["5.15.0-91-generic", "3.10.0-1160.el7.x86_64", "10.0.17763",
                    "5.14.0-284.11.1.el9_2.x86_64"],
    "cpu_model": ["cluster_default", "host_passthrough"],
    "guest_cpu_model": ["Intel Xeon Processor (Cascadelake)", "Intel Xeon Gold 6248R"],
    "description": ["web front end", "batch worker, restart freely", "postgres replica", ""],
    "dns_servers": ["10.0.0.2,10.0.0.3", "114.114.114.114"],
    "vm_tools_version": ["4.1.0", "4.2.1", "4.3.0"],
    "key": ["env", "team", "tier", "owner"],
    "value": ["prod", "staging", "payments", "search", "frontend"],
}
GIB = 1 << 30


def _cuid(rng):
    return "cl" + "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(23))


def _text(owner, attr, rng):
    if attr == "id":
        return _cuid(rng)
    if attr == "name":
        return "%s-%04d" % (owner, rng.randrange(10000))
    if attr.endswith("ip") or attr == "ips":
        return "10.%d.%d.%d" % (rng.randrange(256), rng.randrange(256), rng.randrange(1, 255))
    if attr.endswith(("_at", "_time")):
        return "2024-%02d-%02dT%02d:%02d:%02d.%03dZ" % (
            rng.randint(1, 12), rng.randint(1, 28), rng.randrange(24), rng.randrange(60),
            rng.randrange(60), rng.randrange(1000))
    if attr.endswith(("uuid", "local_id")):
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))
    if attr in TEXT:
        return rng.choice(TEXT[attr])
    return "%s-%d" % (attr, rng.randrange(100000))


def _integer(attr, rng):
    if attr == "memory":
        return rng.choice([2, 4, 8, 16, 32, 64]) * GIB
    if attr in ("vcpu", "cores", "sockets"):
        return rng.choice([1, 2, 4, 8])
    if "size" in attr or "bandwidth" in attr:
        return rng.randrange(GIB, 512 * GIB)
    return rng.randrange(100, 100000)


def _value(models, owner, attr, type_name, rng):
    """A JSON value of `type_name` for field `attr` of model `owner`."""
    if type_name.startswith("list["):
        if attr in LIST_SIZES:
            count = rng.randint(*LIST_SIZES[attr])
        else:
            count = 1 if rng.random() < RARE_LIST_SHARE else 0
        return [_value(models, owner, attr, type_name[5:-1], rng) for _ in range(count)]
    if type_name == "str":
        return _text(owner, attr, rng)
    if type_name == "int":
        return _integer(attr, rng)
    if type_name == "float":
        return round(rng.uniform(0, 100), 2)
    if type_name == "bool":
        return rng.random() < 0.5
    cls = getattr(models, type_name)
    if not cls.openapi_types:  # an enum
        return rng.choice(cls.allowable_values)
    return _fill(models, cls, rng)


def _fill(models, cls, rng):
    owner = cls.__name__.replace("Nested", "").lower()
    return dict((cls.attribute_map[attr], _value(models, owner, attr, type_name, rng))
                for attr, type_name in sorted(cls.openapi_types.items()))


def generate(out, count):
    from cloudtower import models
    rng = random.Random(SEED)
    vms = [_fill(models, models.Vm, rng) for _ in range(count)]
    data = json.dumps(vms, separators=(",", ":")).encode("utf-8")
    with open(out, "wb") as handle:
        handle.write(data)
    return {"path": out, "vms": count, "bytes": len(data)}


# -- decoding ------------------------------------------------------------------------------------

class Response(object):
    """What ApiClient.deserialize reads: the body as `.data`."""

    def __init__(self, data):
        self.data = data


def read_all(obj, models):
    """Read every attribute of a model and of the models nested in it; count the values. It
    walks the schema as `read_all_json` does (the same cached look-up of nested classes), so
    the two differ only in how a value is read."""
    count = 0
    cls = type(obj)
    for attr in cls.attribute_map:
        value = getattr(obj, attr)
        if value is None:
            continue
        count += 1
        nested = _nested_class(cls, attr, models)
        if nested is not None:
            for item in value if isinstance(value, list) else [value]:
                count += read_all(item, models)
    return count


def read_all_json(data, cls, models):
    """What `read_all` reads, read from the parsed JSON object of a `cls` with `dict.get`: the
    floor of reading decoded answers."""
    count = 0
    for attr, key in cls.attribute_map.items():
        value = data.get(key)
        if value is None:
            continue
        count += 1
        nested = _nested_class(cls, attr, models)
        if nested is not None:
            for item in value if isinstance(value, list) else [value]:
                count += read_all_json(item, nested, models)
    return count


_NESTED = {}


def _nested_class(cls, attr, models):
    key = (cls, attr)
    if key not in _NESTED:
        name = cls.openapi_types[attr]
        if name.startswith("list["):
            name = name[5:-1]
        found = getattr(models, name, None)
        _NESTED[key] = found if getattr(found, "openapi_types", None) else None
    return _NESTED[key]


def best_time(function, repeat, setup=None):
    """The fastest of `repeat` calls of `function` (given what `setup()` returns, if any), in
    seconds; the result of the last call."""
    best, result = None, None
    for _ in range(repeat):
        result = None  # free the previous result outside the timing
        given = (setup(),) if setup else ()
        start = time.perf_counter()
        result = function(*given)
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best, result


def decode(path, repeat):
    from cloudtower import ApiClient, models
    with open(path, "rb") as handle:
        response = Response(handle.read())
    client = ApiClient()

    def deserialize():
        return client.deserialize(response, "list[Vm]")

    def read_models(vms):
        return [read_all(vm, models) for vm in vms]

    # [0]: the last result is freed at once; kept alive, it would slow the next timings (gc).
    loads = best_time(lambda: json.loads(response.data), repeat)[0]
    decoded = best_time(deserialize, repeat)[0]
    parsed = json.loads(response.data)
    read_json, json_counts = best_time(lambda: [read_all_json(vm, models.Vm, models) for vm in parsed], repeat)
    parsed = None
    first_read = best_time(read_models, repeat, setup=deserialize)[0]
    vms = deserialize()
    read_models(vms)
    second_read = best_time(lambda: read_models(vms), repeat)[0]
    vms = None
    read, counts = best_time(lambda: read_models(deserialize()), repeat)
    if sum(counts) != sum(json_counts):
        raise SystemExit("the models gave %d values, the JSON %d" % (sum(counts), sum(json_counts)))
    return {"json_loads": loads, "deserialize": decoded, "deserialize_read_all": read,
            "read_json": read_json, "read_first": first_read, "read_second": second_read,
            "vms": len(counts), "values_read": sum(counts), "gc_enabled": gc.isenabled(),
            "package_dir": os.path.dirname(sys.modules["cloudtower"].__file__)}


IDS = 1000


def encode(repeat):
    """A `get_vms` body filtering 1,000 ids, made into the JSON that is sent: by this package's
    request path (checked against the spec where the package does that), and by `json.dumps`."""
    from cloudtower import ApiClient
    ids = ["cl%023d" % index for index in range(IDS)]
    body = {"where": {"id_in": ids}, "first": IDS}
    try:
        from cloudtower.model import encode as checked
    except ImportError:  # the reference: its request path for a dict body
        client = ApiClient()

        def checked(value, type_name):
            return client.sanitize_for_serialization(value)

    def ours():
        return json.dumps(checked(body, "GetVmsRequestBody"), separators=(",", ":"))

    def floor():
        return json.dumps(body, separators=(",", ":"))

    assert json.loads(ours()) == json.loads(floor())
    return {"encode_dumps": best_time(ours, repeat)[0], "json_dumps": best_time(floor, repeat)[0],
            "ids": IDS}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["info", "generate", "decode", "encode"])
    parser.add_argument("path", nargs="?")
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if args.command == "info":
        result = info()
    elif args.command == "generate":
        result = generate(args.path, args.count)
    elif args.command == "encode":
        result = encode(args.repeat)
    else:
        result = decode(args.path, args.repeat)
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
