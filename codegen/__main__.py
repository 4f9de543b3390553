"""Command line: `python3 -m codegen --spec PATH [--out DIR] [--check]`.

Regenerates `cloudtower/api/` and `cloudtower/models/` (code and `.pyi` stubs) from the spec. With `--check`, writes
nothing and exits 1 when a generated file differs from what is on disk, naming each one.
"""
from __future__ import print_function

import argparse
import os
import sys

from codegen import render, spec, stubs, writer


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python3 -m codegen", description=__doc__.splitlines()[0])
    parser.add_argument("--spec", required=True, help="the CloudTower OpenAPI spec (JSON)")
    parser.add_argument("--out", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                        help="the project root to write into (default: this checkout)")
    parser.add_argument("--check", action="store_true",
                        help="only compare with what is on disk; exit 1 if anything differs")
    args = parser.parse_args(argv)

    parsed = spec.load(args.spec)
    files = render.render(parsed)
    files.update(stubs.render(parsed))
    changes = writer.compare(args.out, files)
    if args.check:
        for path, state in changes:
            print("%s: %s" % (state, path))
        if changes:
            print("%d generated file(s) differ from the generator's output; run python3 -m codegen --spec %s"
                  % (len(changes), args.spec))
            return 1
        print("generated code is up to date (%d files)" % len(files))
        return 0
    writer.write(args.out, files, changes)
    print("wrote %d file(s), removed %d, %d unchanged" % (
        sum(1 for _, state in changes if state != "stale"),
        sum(1 for _, state in changes if state == "stale"),
        len(files) - sum(1 for _, state in changes if state != "stale")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
