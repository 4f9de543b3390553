"""Operations every client needs first: log in, ask the version, read resource-change events."""
from __future__ import absolute_import

import binascii
import hashlib
import os

from cloudtower.simulator.handlers import SimError, handles

DEFAULT_EVENT_LIMIT = 100


def password_hash(username, password):
    """How the simulator keeps passwords: never in clear."""
    return hashlib.sha256(("cloudtower-simulator:%s:%s" % (username, password)).encode("utf-8")).hexdigest()


def add_user(store, username, password, source="LOCAL", role="ADMIN"):
    """Create (or reset the password of) a user who can log in."""
    user = store.find("User", username=username)
    values = {"username": username, "name": username, "source": source, "role": role,
              "_password": password_hash(username, password), "_password_name": username}
    if user is None:
        return store.create("User", values, event=False)
    return store.update("User", user["id"], values, event=False)


def check_password(store, username, password, sources=("LOCAL",)):
    """The id of the user with these credentials, or None."""
    user = store.find("User", username=username)
    if user is None or user.get("source") not in sources:
        return None
    # `_password_name`: the name the hash was made with (a user renamed since keeps it)
    if user.get("_password") != password_hash(user.get("_password_name") or username, password):
        return None
    return user["id"]


def issue_token(store, user_id):
    """A new token for a user; it stays valid across restarts when the state is saved."""
    tokens = store.settings.setdefault("tokens", {})
    token = binascii.hexlify(os.urandom(24)).decode("ascii")  # unguessable, like a real session token
    tokens[token] = user_id
    return token


@handles("/login")
def login(ctx, body):
    source = body.get("source") or "LOCAL"
    username, password = body.get("username"), body.get("password")
    if source == "AUTHN":
        strategies = dict((item["id"], item) for item in ctx.store.settings.get("authn_strategies", []))
        strategy = strategies.get(body.get("auth_config_id"))
        if strategy is None:
            ctx.fail(400, "login_failed")
        user_id = check_password(ctx.store, username, password, sources=(strategy["type"],))
    else:
        user_id = check_password(ctx.store, username, password, sources=(source,))
    if user_id is None:
        ctx.fail(400, "login_failed")
    return {"task_id": None, "data": {"token": issue_token(ctx.store, user_id)}}


@handles("/get-version")
def get_version(ctx, body):
    from cloudtower.models import SPEC_VERSION
    return SPEC_VERSION


@handles("/get-my-info")
def get_my_info(ctx, body):
    user = ctx.store.get("User", ctx.user)
    return ctx.render("User", user)


@handles("/resource-changes")
def resource_changes(ctx, params):
    """Events after `start_revision` (inclusive), filtered by type, id and action."""
    store = ctx.store
    try:
        start = int(params.get("start_revision") or 0)
        limit = int(params.get("limit") or DEFAULT_EVENT_LIMIT)
    except ValueError:
        raise SimError(400, "start_revision and limit must be integers")
    if not 1 <= limit <= 1000:
        raise SimError(400, "limit must be between 1 and 1000")
    answer = {"currentRevision": str(store.revision), "compactRevision": str(store.compact_revision),
              "data": [], "ec": ""}
    if start and start <= store.compact_revision:
        answer["ec"] = "COMPACTED"
        answer["error"] = {"message": "revision %d has been compacted; the oldest kept is %d"
                                      % (start, store.compact_revision + 1)}
        return answer
    wanted_type = (params.get("resource_type") or "").upper()
    for event in store.events:
        if int(event["revision"]) < start:
            continue
        if wanted_type and event["resource_type"] != wanted_type:
            continue
        if params.get("resource_id") and event["resource_id"] != params["resource_id"]:
            continue
        if params.get("action") and event["action"] != params["action"].upper():
            continue
        answer["data"].append(event)
        if len(answer["data"]) >= limit:
            break
    return answer
