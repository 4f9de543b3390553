"""Keep working through a failover of an active-passive CloudTower (4.9.0): of its management
endpoints one is active; `ActivePassiveApiClient` finds it, and when the roles change it finds the
new one and sends the request again. A loop of queries runs across the failover; then the same
with MANUAL_FAILOVER, where the script decides what to send again.

    python examples/active_passive.py        # a built-in simulated pair, failed over half-way
    python examples/active_passive.py --host https://tower-1,https://tower-2 --user admin --password ...
                                             # a real one: fail it over while the loop runs

--host (or CLOUDTOWER_URL) names the endpoints, separated by commas, in any order.
"""
from __future__ import print_function

import argparse
import logging
import sys
import time

from cloudtower import (ActivePassiveApiClient, ActivePassiveFailoverRequired, Configuration, FailoverStrategy,
                        VmApi)
from cloudtower.connection import add_connection_arguments, read_password, settings
from cloudtower.simulator import Simulator

try:
    from typing import TYPE_CHECKING, Callable, List, Optional  # noqa: F401 - type comments
    if TYPE_CHECKING:
        from cloudtower.models import VmUpdateParamsDict  # noqa: F401 - only the stubs have it
except ImportError:  # Python 2 without the typing backport
    pass


def query_loop(client, count, interval, fail_over=None):
    # type: (ActivePassiveApiClient, int, float, Optional[Callable[[], str]]) -> List[str]
    """Count the running VMs `count` times; `fail_over()` half-way, if given. Returns the
    endpoint that answered each query."""
    vm_api = VmApi(client)
    answered_by = []  # type: List[str]
    for number in range(1, count + 1):
        if fail_over is not None and number == count // 2 + 1:
            print("-- the CloudTower fails over: %s is the active endpoint now" % fail_over())
        running = vm_api.get_vms_connection({"where": {"status": "RUNNING"}}).aggregate.count
        endpoint = client.current_active_base_url or "-"
        answered_by.append(endpoint)
        print("query %2d: %d running VMs, answered by %s" % (number, running, endpoint))
        time.sleep(interval)
    return answered_by


def manual_failover(endpoints, shared, fail_over):
    # type: (List[str], ActivePassiveApiClient, Callable[[], str]) -> None
    """MANUAL_FAILOVER: a 307 raises, and the script sends the request again itself."""
    client = ActivePassiveApiClient(endpoints, failover_strategy=FailoverStrategy.MANUAL_FAILOVER,
                                    configuration=shared.configuration)  # the same token
    vm_api = VmApi(client)
    vm = vm_api.get_vms({"where": {"status": "RUNNING"}, "orderBy": "name_ASC", "first": 1})[0]
    print("-- MANUAL_FAILOVER: %s is answered by %s" % (vm.name, client.current_active_base_url))
    fail_over()
    update = {"where": {"id": vm.id},
              "data": {"description": "updated after a failover"}}  # type: VmUpdateParamsDict
    try:
        vm_api.update_vm(update)
    except ActivePassiveFailoverRequired as error:   # the passive endpoint did nothing
        print("%s answered 307: %s" % (error.host, "the update was not carried out; sending it again"))
        vm_api.update_vm(update)                     # the next request probes: the new active one
    description = vm_api.get_vms({"where": {"id": vm.id}})[0].description
    print("%s: %r, answered by %s" % (vm.name, description, client.current_active_base_url))
    client.close()


def main():
    # type: () -> int
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    add_connection_arguments(parser, password_option=True)
    parser.add_argument("--queries", type=int, default=10, help="how many queries the loop sends (default 10)")
    parser.add_argument("--interval", type=float, default=None,
                        help="seconds between them (default 0.1; 1 against a real CloudTower)")
    args = parser.parse_args()
    # The client logs what it does on a failover (INFO) on the logger `cloudtower.active_passive`.
    logging.basicConfig(level=logging.INFO, format="   (%(name)s) %(message)s", stream=sys.stdout)
    logging.getLogger("cloudtower.simulator").setLevel(logging.WARNING)
    found = settings(args)
    if found["host"]:   # --host URL,URL (or CLOUDTOWER_URL): the endpoints, in any order
        configuration = Configuration()
        configuration.verify_ssl = not args.insecure
        configuration.ssl_ca_cert = args.ca_cert
        endpoints = [url.strip() for url in found["host"].split(",") if url.strip()]
        if found["token"] and not args.user:
            configuration.api_key["Authorization"] = found["token"]
            client = ActivePassiveApiClient(endpoints, configuration=configuration)
            client.discover()
        else:
            user_config = {"name": found["user"] or "", "password": read_password(args, found["password"]),
                           "source": args.source}
            client = ActivePassiveApiClient(endpoints, user_config=user_config, configuration=configuration)
        print("Endpoints %s; %s is active" % (", ".join(client.endpoints), client.current_active_base_url))
        query_loop(client, args.queries, 1.0 if args.interval is None else args.interval)
        client.close()
        return 0
    with Simulator(seed="demo", endpoints=2) as pair:
        endpoints = list(reversed(pair.urls))   # the order says nothing about which one is active
        print("Using a simulated active-passive CloudTower: %s (active), %s (passive)"
              % (pair.urls[0], pair.urls[1]))
        client = ActivePassiveApiClient(endpoints, user_config={"name": "root", "password": "root"})
        answered_by = query_loop(client, args.queries, 0.1 if args.interval is None else args.interval,
                                 fail_over=pair.failover)
        print("%d queries, none failed: %s" % (len(answered_by), ", ".join(
            "%d answered by %s" % (answered_by.count(root), root) for root in pair.root_urls)))
        manual_failover(endpoints, client, pair.failover)
        client.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
