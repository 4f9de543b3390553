"""Connecting from a command line: where the CloudTower is and who logs in, from options or the
environment (`CLOUDTOWER_URL`, `CLOUDTOWER_USER`, `CLOUDTOWER_PASSWORD`, `CLOUDTOWER_TOKEN`).
The `cloudtower` command and the examples use it; so can any script:

    parser = argparse.ArgumentParser(description="my report")
    with connect_or_simulate(parser) as (client, args):   # no --host: the built-in simulator
        print(len(VmApi(client).get_vms({})))
"""
from __future__ import absolute_import, print_function

import contextlib
import getpass
import os
import sys

from cloudtower.exceptions import ApiValueError

ENVIRONMENT = (("host", "CLOUDTOWER_URL"), ("user", "CLOUDTOWER_USER"), ("password", "CLOUDTOWER_PASSWORD"),
               ("token", "CLOUDTOWER_TOKEN"))
API_PATH = "/v2/api"


def api_url(host):
    """The API base URL for `host`: `tower.example.com` -> `https://tower.example.com/v2/api`;
    a URL with a path is kept as it is."""
    url = host.strip().rstrip("/")
    if not url:
        raise ApiValueError("the CloudTower host is empty")
    if "://" not in url:
        url = "https://" + url
    scheme, _, rest = url.partition("://")
    if scheme not in ("http", "https"):
        raise ApiValueError("the CloudTower URL must start with http:// or https://, not %s://" % scheme)
    if "/" not in rest:
        url += API_PATH
    return url


def add_connection_arguments(parser, password_option=False):
    """Add `--host`, `--user`, `--password-stdin` (and `--password` with `password_option`),
    `--source`, `--insecure` and `--ca-cert` to an argparse parser."""
    group = parser.add_argument_group("connection (or the environment: %s)" % ", ".join(
        name for _, name in ENVIRONMENT))
    group.add_argument("--host", metavar="URL",
                       help="the CloudTower: https://tower.example.com[/v2/api] (env CLOUDTOWER_URL)")
    group.add_argument("--user", metavar="NAME", help="who logs in (env CLOUDTOWER_USER)")
    if password_option:
        group.add_argument("--password", help="the password (env CLOUDTOWER_PASSWORD; visible to other "
                                              "users of this machine: prefer the environment)")
    group.add_argument("--password-stdin", action="store_true",
                       help="read the password from the first line of standard input")
    group.add_argument("--source", default="LOCAL", choices=("LOCAL", "LDAP"),
                       help="where the user is defined (default LOCAL)")
    group.add_argument("--insecure", action="store_true", help="do not verify the server's TLS certificate")
    group.add_argument("--ca-cert", metavar="FILE",
                       help="verify the server's certificate against this CA bundle")
    return parser


def settings(args, environ=None):
    """`{host, user, password, token}` from the parsed `args`, then the environment."""
    environ = os.environ if environ is None else environ
    found = {}
    for name, variable in ENVIRONMENT:
        value = getattr(args, name, None)
        found[name] = value if value else environ.get(variable) or None
    return found


def read_password(args, given, stdin=None):
    """The password: from standard input with `--password-stdin`, else `given` (option or
    environment), else asked for on a terminal. Raises ApiValueError when there is none."""
    stdin = stdin or sys.stdin
    if getattr(args, "password_stdin", False):
        line = stdin.readline()
        password = line[:-1] if line.endswith("\n") else line
        if password.endswith("\r"):
            password = password[:-1]
        if not password:
            raise ApiValueError("--password-stdin: standard input has no password")
        return password
    if given:
        return given
    if stdin.isatty():
        return getpass.getpass("CloudTower password: ")
    raise ApiValueError("no password: give it with --password-stdin or CLOUDTOWER_PASSWORD")


def connect(args, environ=None, stdin=None, debug=False):
    """An `ApiClient` logged in to the CloudTower that `args` and the environment name (with
    `CLOUDTOWER_TOKEN`, that token is used instead of logging in); `debug` logs every request
    (secrets redacted) through `Configuration.debug`."""
    from cloudtower.api_client import ApiClient
    from cloudtower.configuration import Configuration
    from cloudtower.utils import login
    found = settings(args, environ)
    if not found["host"]:
        raise ApiValueError("no CloudTower: give --host URL or set CLOUDTOWER_URL")
    configuration = Configuration(host=api_url(found["host"]))
    if getattr(args, "insecure", False):
        configuration.verify_ssl = False
    if getattr(args, "ca_cert", None):
        configuration.ssl_ca_cert = args.ca_cert
    configuration.debug = debug
    client = ApiClient(configuration)
    if found["token"] and not getattr(args, "user", None):
        configuration.api_key["Authorization"] = found["token"]
        return client
    if not found["user"]:
        client.close()
        raise ApiValueError("no user: give --user NAME or set CLOUDTOWER_USER (or CLOUDTOWER_TOKEN)")
    try:
        password = read_password(args, found["password"], stdin)
        login(client, found["user"], password, getattr(args, "source", "LOCAL"))
    except BaseException:
        client.close()
        raise
    return client


@contextlib.contextmanager
def connect_or_simulate(parser=None, argv=None, **simulator_options):
    """Parse the command line (`parser`, with the connection options added) and yield
    `(client, args)`: a client logged in to the CloudTower it or the environment names, else to a
    built-in simulator started with `simulator_options` (default: the demo estate). The client
    and the simulator are closed afterwards."""
    import argparse
    parser = parser or argparse.ArgumentParser()
    add_connection_arguments(parser, password_option=True)
    args = parser.parse_args(argv)
    simulator = None
    if settings(args)["host"]:
        try:
            client = connect(args)
        except ApiValueError as error:
            parser.error(str(error))
    else:
        from cloudtower.simulator import Simulator
        options = dict({"seed": "demo"}, **simulator_options)
        simulator = Simulator(**options).start()
        print("Using a simulated CloudTower at %s (give --host or CLOUDTOWER_URL for a real one)"
              % simulator.url)
        client = simulator.client()
    try:
        yield client, args
    finally:
        client.close()
        if simulator is not None:
            simulator.stop()
