"""The `cloudtower` command: quick looks and one-off calls from a shell (`cloudtower --help`)."""
from __future__ import absolute_import, print_function

import argparse
import errno
import logging
import os
import sys

from cloudtower.connection import add_connection_arguments, connect

# Exit codes scripts can test.
OK, API_ERROR, USAGE, UNREACHABLE, AUTHENTICATION, TIMEOUT, INTERRUPTED = 0, 1, 2, 3, 4, 5, 130

DESCRIPTION = "Look at and change a SmartX CloudTower from a shell."

EPILOG = """\
commands:
  RESOURCE list       list resources: vms, clusters, hosts, tasks, alerts, elf-images, vlans, ...
                      (any query: RESOURCE is the name after get- in its path)
  RESOURCE count      count them
  RESOURCE get ID     one resource, as JSON
  tasks wait ID...    wait for tasks to end
  call OPERATION      call any operation with a JSON body: cloudtower call get-vms '{"first": 5}'
  upload KIND FILE    upload an elf-image, svt-image or content-library-image
  watch               print resource changes as they happen (JSON lines)
  simulator ...       run the built-in simulator (python -m cloudtower.simulator)
  `cloudtower COMMAND --help` tells more. Connection options go before the command.

exit codes:
  0  done
  1  the server refused or failed the request, or a task failed
  2  bad usage or input (an unknown option, operation or field; JSON that does not parse)
  3  CloudTower could not be reached (connection refused or reset, DNS, TLS, timeout)
  4  not logged in (wrong user or password, expired token)
  5  timed out waiting (tasks wait --timeout)
  130 interrupted (Ctrl-C)

examples:
  export CLOUDTOWER_URL=https://tower.example.com CLOUDTOWER_USER=admin
  cloudtower --password-stdin vms list --where name_contains=web --output json < password.txt
  cloudtower tasks wait cl0a1b2c3 cl0d4e5f6 --timeout 600
"""

logger = logging.getLogger("cloudtower.cli")


class UsageError(Exception):
    """Bad input on the command line (exit code 2)."""


def main(argv=None):
    """Run the command `argv` (default: sys.argv[1:]); returns the exit code."""
    try:
        return _main(list(sys.argv[1:] if argv is None else argv))
    except SystemExit as exit:   # --help, --version and argparse's errors (2)
        return exit.code if isinstance(exit.code, int) else (OK if exit.code is None else USAGE)


def _main(argv):
    parser = _top_parser()
    args = parser.parse_args(argv)
    if args.verbose == 1:
        logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                            format="%(levelname)s %(name)s: %(message)s")
    if args.command is None:
        parser.print_help(sys.stderr)
        return USAGE
    if args.command == "simulator":
        from cloudtower.simulator.__main__ import main as simulator_main
        return simulator_main(args.rest, prog="cloudtower simulator")
    try:
        command, options = _command(args.command, args.rest)
        client = _logged_in(args)
        try:
            return command(client, options) or OK
        finally:
            client.close()
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return INTERRUPTED
    except Exception as error:  # noqa: BLE001 - every failure becomes a message and an exit code
        if isinstance(error, IOError) and error.errno == errno.EPIPE:
            _quiet_stdout()   # the reader went away (| head): stop without a word
            return OK
        code, message = _failure(error)
        print("cloudtower: %s" % message, file=sys.stderr)
        logger.debug("details", exc_info=True)
        return code


def _quiet_stdout():
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (tests capture it)
        pass


class LoginFailed(Exception):
    """The server refused the credentials (exit code 4)."""


def _logged_in(args):
    from cloudtower.exceptions import ApiException
    try:
        return connect(args, debug=args.verbose > 1)   # -vv: every request logged, secrets redacted
    except ApiException as error:
        if error.status in (400, 401, 403):
            raise LoginFailed("login failed: %s" % _api_message(error))
        raise


def _top_parser():
    parser = argparse.ArgumentParser(prog="cloudtower", description=DESCRIPTION, epilog=EPILOG,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    add_connection_arguments(parser)
    parser.add_argument("-v", "--verbose", action="count", default=0,
                        help="log to stderr (-v: what happens, -vv: every request, secrets redacted)")
    parser.add_argument("--version", action="version", version="%(prog)s " + _version())
    parser.add_argument("command", nargs="?", metavar="COMMAND", help="see below")
    parser.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    return parser


def _version():
    from cloudtower import __version__
    from cloudtower.models import SPEC_VERSION
    return "%s (CloudTower API %s)" % (__version__, SPEC_VERSION)


def _command(name, rest):
    """(function(client, options), options) of command `name` with arguments `rest`."""
    from cloudtower import cli_commands
    parser = cli_commands.parser_of(name)
    if parser is None:
        raise UsageError("no command or resource %r (see cloudtower --help)%s"
                         % (name, cli_commands.did_you_mean(name)))
    options = parser.parse_args(rest)
    return options.run, options


def _failure(error):
    """(exit code, message) for an error."""
    from cloudtower.exceptions import (ApiAttributeError, ApiException, ApiKeyError, ApiTypeError,
                                       ApiValueError, OpenApiException, TaskTimeoutException,
                                       UnauthorizedException)
    from cloudtower.polling import describe
    if isinstance(error, LoginFailed):
        return AUTHENTICATION, str(error)
    refused = (ApiTypeError, ApiValueError, ApiKeyError, ApiAttributeError)   # (these are also 400s)
    sdk_error = isinstance(error, OpenApiException) and not isinstance(error, ApiException)
    if isinstance(error, refused) or sdk_error:
        return USAGE, str(error)    # bad input the SDK refused before sending
    if isinstance(error, UsageError):
        return USAGE, str(error)
    if isinstance(error, TaskTimeoutException) or (isinstance(error, ApiException) and error.status == 408):
        return TIMEOUT, error.reason
    if isinstance(error, ApiException):
        if isinstance(error, UnauthorizedException):
            return AUTHENTICATION, _api_message(error)
        return (UNREACHABLE if not error.status else API_ERROR), _api_message(error)
    if _is_network(error):
        return UNREACHABLE, describe(error)
    if isinstance(error, (IOError, OSError)):
        return USAGE, str(error)    # a file that cannot be read
    return API_ERROR, "%s: %s" % (type(error).__name__, error)


def _is_network(error):
    from cloudtower.polling import is_transient
    return is_transient(error)


def _api_message(error):
    lines = [line for line in (error.reason or "").splitlines() if line.strip()]
    text = "HTTP %s" % error.status if error.status else "no answer"
    if error.message:
        text += ": %s" % error.message
    elif lines:
        text += ": %s" % "; ".join(lines[:3])
    if error.request_id:
        text += " (request id %s)" % error.request_id
    return text


def run():
    """The console script's entry point."""
    sys.exit(main())


if __name__ == "__main__":   # python -m cloudtower.cli: run the one module the commands import
    from cloudtower import cli
    cli.run()
