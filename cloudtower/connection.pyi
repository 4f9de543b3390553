# Types of cloudtower/connection.py, for type checkers and editors (never imported at run time).
import argparse
from typing import IO, Any, ContextManager, Dict, Mapping, Optional, Sequence, Tuple

from cloudtower.api_client import ApiClient

ENVIRONMENT: Tuple[Tuple[str, str], ...]
API_PATH: str

def api_url(host: str) -> str:
    """The API base URL for `host` (`tower.example.com` -> `https://tower.example.com/v2/api`)."""
def add_connection_arguments(parser: argparse.ArgumentParser, password_option: bool = ...) -> argparse.ArgumentParser:
    """Add `--host`, `--user`, `--password-stdin` (and `--password`), `--source`, `--insecure`, `--ca-cert`."""
def settings(args: argparse.Namespace, environ: Optional[Mapping[str, str]] = ...) -> Dict[str, Optional[str]]:
    """`{host, user, password, token}` from the parsed `args`, then the environment."""
def read_password(args: argparse.Namespace, given: Optional[str], stdin: Optional[IO[str]] = ...) -> str:
    """The password: from standard input, `given`, or asked for on a terminal."""
def connect(args: argparse.Namespace, environ: Optional[Mapping[str, str]] = ..., stdin: Optional[IO[str]] = ...,
            debug: bool = ...) -> ApiClient:
    """An `ApiClient` logged in to the CloudTower that `args` and the environment name."""
def connect_or_simulate(
    parser: Optional[argparse.ArgumentParser] = ..., argv: Optional[Sequence[str]] = ..., **simulator_options: Any
) -> ContextManager[Tuple[ApiClient, argparse.Namespace]]:
    """Yield `(client, args)`: a client of the CloudTower the command line names, else of a simulator."""
