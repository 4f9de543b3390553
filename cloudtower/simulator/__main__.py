"""`python -m cloudtower.simulator`: serve a simulated CloudTower until interrupted.

Prints one line, `CloudTower simulator listening on <base URL>` (with `--endpoints N`, one per
endpoint, ending in `(active)` or `(passive)`), then serves until SIGINT or SIGTERM, saves the
state (with --state) and exits 0. SIGUSR1 fails an active-passive pair over. See `--help`.
"""
from __future__ import absolute_import, print_function

import argparse
import logging
import os
import signal
import socket
import sys
import threading

from cloudtower.simulator.server import IDLE_TIMEOUT

DESCRIPTION = """\
Serve a simulated CloudTower (API %s) on this machine: every operation answered, with state,
asynchronous tasks, resource locks, resource-change events and faults on demand."""

EPILOG = """\
users:
  --user NAME:PASSWORD adds a LOCAL user, --user ldap:NAME:PASSWORD a user of the simulated LDAP
  server (log in with source LDAP). root:root always exists.

faults (--fault "KIND [option=value ...]", repeatable):
  KIND is one of
    latency    wait before answering (seconds=S)
    status     answer with an HTTP error instead (status=503, retry-after=S sets Retry-After)
    drop       close the connection without an answer
    malformed  answer with a truncated, unparsable JSON body
    task       the next task the operation starts FAILS with message=TEXT
  options
    op=/get-vms       only calls of this operation (default: every operation)
    count=N           only the next N matching calls (default: every one)
    fraction=F        each matching call with chance F, 0..1 (default: 1)
    status=CODE       the HTTP status of a status fault (default 503)
    retry-after=S     the Retry-After header of a status fault
    seconds=S         the delay of a latency fault (also latency=S)
    message=TEXT      the error message of a task fault (underscores become spaces)
  examples
    --fault "status op=/get-vms count=2 status=503 retry-after=1"
    --fault "latency seconds=0.2 fraction=0.5"
    --fault "task op=/create-vm message=disk_full"

--task-delay SECONDS is how long a task takes (PENDING, EXECUTING at half, then SUCCESSED);
"none" keeps tasks PENDING for ever (the in-process API moves them on). --state FILE keeps the
estate across restarts: every change is appended to FILE.journal-N before it is answered (so it
survives even kill -9), and the journal is compacted into FILE (written atomically) when it has
grown as large as FILE, and on exit.
--coverage lists every operation as stateful (modelled) or generic (answered from its shape).

active-passive:
  --endpoints 2 serves the estate on two endpoints, as an active-passive CloudTower (4.9.0)
  does: one line per endpoint says its URL and role. The active endpoint answers
  GET /api/healthz with 200; a passive one answers it, and every API call, with 307 (Location:
  the same URL on the active endpoint). A token is valid on both. With --port P, endpoint i
  listens on P + i. To fail over from outside, send the process SIGUSR1
  (kill -USR1 <pid>): the next endpoint becomes the active one, and a line
  "CloudTower simulator failed over: <url> is active" is printed."""

LISTENING = "CloudTower simulator listening on %s"
FAILED_OVER = "CloudTower simulator failed over: %s is active"
PROG = "python -m cloudtower.simulator"


def _number(convert, unit, smallest, above=False, none=()):
    """An argparse type: a number of `unit` at least `smallest` (more than it, if `above`), or
    None for a word of `none`."""
    def parse(text):
        if text.lower() in none:
            return None
        try:
            value = convert(text)
        except ValueError:
            raise argparse.ArgumentTypeError("a number of %s%s, not %r" % (unit, " or 'none'" if none else "", text))
        if value < smallest or (above and value == smallest):
            raise argparse.ArgumentTypeError("%s %s must be %s %s" % (
                text, unit, "more than" if above else "at least", smallest))
        return value
    return parse


_task_delay = _number(float, "seconds", 0, none=("none", "manual"))
_idle_timeout = _number(float, "seconds", 0, above=True, none=("none",))
_byte_count = _number(int, "bytes", 1)
_endpoint_count = _number(int, "endpoints", 1)


def _fault(text):
    from cloudtower.simulator import faults
    from cloudtower.simulator.catalog import catalog
    try:
        rule = faults.parse(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError("%s (in %r)" % (error, text))
    if rule.operation and rule.operation not in catalog().operations:
        raise argparse.ArgumentTypeError("no operation %s (in %r)" % (rule.operation, text))
    return rule


def _user(text):
    parts = text.split(":")
    if not (len(parts) == 2 or (len(parts) == 3 and parts[0].lower() == "ldap")) or not all(parts):
        raise argparse.ArgumentTypeError("a user is NAME:PASSWORD or ldap:NAME:PASSWORD, not %r" % (text,))
    return text


def build_parser(prog=PROG):
    """The command line's parser; `prog` is how usage and errors name the command."""
    from cloudtower.models import SPEC_VERSION
    parser = argparse.ArgumentParser(prog=prog,
                                     description=DESCRIPTION % SPEC_VERSION, epilog=EPILOG,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8090, help="port to listen on; 0 picks a free one (default 8090)")
    parser.add_argument("--seed", default="demo", metavar="demo|empty|FILE.json",
                        help="the estate to start with (default demo); ignored when --state exists")
    parser.add_argument("--vms", type=int, metavar="N", help="how many VMs the demo estate has (default 30)")
    parser.add_argument("--max-events", type=int, default=10000, metavar="N",
                        help="resource-change events kept before the oldest are compacted (default 10000)")
    parser.add_argument("--task-delay", type=_task_delay, default=0.05, metavar="SECONDS",
                        help="how long a task takes, or 'none' (default 0.05)")
    parser.add_argument("--idle-timeout", type=_idle_timeout, default=IDLE_TIMEOUT, metavar="SECONDS",
                        help="close a connection silent this long, or 'none' (default %g)" % IDLE_TIMEOUT)
    parser.add_argument("--user", type=_user, action="append", default=[], metavar="NAME:PASSWORD",
                        help="add a user (repeatable; ldap:NAME:PASSWORD for an LDAP user)")
    parser.add_argument("--state", metavar="FILE", help="keep the estate in this file across restarts")
    parser.add_argument("--compact-after", type=_byte_count, metavar="BYTES",
                        help="compact the --state journal into the file once it holds this many bytes "
                             "(default: as many as the file, at least 16 MiB)")
    parser.add_argument("--endpoints", type=_endpoint_count, default=1, metavar="N",
                        help="serve as an active-passive CloudTower on N endpoints (default 1; see below)")
    parser.add_argument("--cert", metavar="FILE", help="serve HTTPS with this certificate (PEM)")
    parser.add_argument("--key", metavar="FILE", help="the certificate's private key (PEM)")
    parser.add_argument("--fault", type=_fault, action="append", default=[], metavar="'KIND option=value ...'",
                        help="inject a fault (repeatable; see below)")
    parser.add_argument("--coverage", action="store_true",
                        help="list every operation as stateful or generic, with totals, and exit")
    parser.add_argument("-v", "--verbose", action="count", default=0,
                        help="log to stderr (-v: what happens, -vv: every request)")
    return parser


def main(argv=None, prog=PROG):
    """Serve until interrupted (see the module's docstring); `prog`: the command's name in
    usage and error messages (`cloudtower simulator` runs this too). Returns the exit code."""
    parser = build_parser(prog)
    args = parser.parse_args(argv)
    if args.coverage:
        from cloudtower.simulator.coverage import coverage_report
        print(coverage_report())
        return 0
    if args.key and not args.cert:
        parser.error("--key needs --cert")
    if args.vms is not None and args.vms < 0:
        parser.error("--vms must be 0 or more")
    if args.state and not os.path.isdir(os.path.dirname(os.path.abspath(args.state))):
        parser.error("--state %s: no such directory" % args.state)
    if args.verbose:
        logging.basicConfig(level=logging.DEBUG if args.verbose > 1 else logging.INFO, stream=sys.stderr,
                            format="%(asctime)s %(name)s %(levelname)s %(message)s")

    from cloudtower.simulator import Simulator
    try:
        simulator = Simulator(seed=args.seed, task_delay=args.task_delay, host=args.host, port=args.port,
                              users=args.user, state=args.state, cert=args.cert, key=args.key, vms=args.vms,
                              max_events=args.max_events, freeze_gc=True, idle_timeout=args.idle_timeout,
                              compact_after=args.compact_after, endpoints=args.endpoints)
    except (IOError, OSError, ValueError) as error:  # StateError is a ValueError
        print("cannot load the estate (%s): %s" % (args.state or args.seed, error), file=sys.stderr)
        return 2
    for rule in args.fault:
        simulator.faults.rules.append(rule)

    stop = threading.Event()
    failovers = []  # one item per SIGUSR1 not acted on yet

    def on_signal(signum, frame):
        stop.set()
    signal.signal(signal.SIGINT, on_signal)  # before serving: from the first request on, a signal saves
    signal.signal(signal.SIGTERM, on_signal)
    if args.endpoints > 1 and hasattr(signal, "SIGUSR1"):
        signal.signal(signal.SIGUSR1, lambda signum, frame: failovers.append(signum))
    try:
        simulator.start()
    except (IOError, OSError, socket.error) as error:  # address in use, unreadable certificate ...
        print("cannot serve on %s:%d: %s" % (args.host, args.port, error), file=sys.stderr)
        return 1
    if args.endpoints == 1:
        print(LISTENING % simulator.url)
    for url in simulator.urls if args.endpoints > 1 else ():
        print(LISTENING % url + (" (active)" if url == simulator.url else " (passive)"))
    sys.stdout.flush()
    try:
        while not stop.is_set():
            stop.wait(0.2)  # a timeout, so that signals are handled on Python 2 too
            while failovers:
                failovers.pop()
                print(FAILED_OVER % simulator.failover())
                sys.stdout.flush()
    except KeyboardInterrupt:
        pass
    finally:
        simulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
