"""Alerts, labels, users, and the global and per-cluster settings.

- `/resolve-alert` ends the alerts (`ended`, `local_end_time`).
- Labels: a key/value pair is unique; `/add-labels-to-resources` and
  `/remove-labels-from-resources` link (unlink) the labels the `where` selects to what each
  `data.<relation>` where-object selects; the counters (`vm_num` ... `total_num`) are counted
  again on every change and every read. `/update-label` and `/delete-label` are the generic ones.
- Users: a username is unique; the password is kept as a hash (the user logs in with it through
  `/login`); `role_id` links the role and sets `role` from its preset; deleting a user revokes
  their tokens, and nobody deletes themselves. `/create-root-user` makes `root` if there is none.
- Settings: the one `GlobalSettings` record (made on first need) keeps `vm_recycle_bin`
  `{enabled, retain}` and `auth`; a cluster's `ClusterSettings` (made on first need) keeps
  `vm_recycle_bin` (null: the global setting applies), `default_ha` and `enabled_iscsi`. Creating
  a cluster's recycle-bin setting that exists already sets it.
"""
from __future__ import absolute_import

from cloudtower import models
from cloudtower.simulator.builtin import password_hash
from cloudtower.simulator.handlers import answer_generically, create_from_params, handles, values_from_params
from cloudtower.simulator.workflows.common import changed, created, deleted, each, free, now, snake, unique


@handles("/resolve-alert")
def resolve_alert(ctx, body):
    stamp = now(ctx)
    return [changed(ctx, "Alert", alert, {"ended": True, "local_end_time": stamp, "local_update_time": stamp})
            for alert in free(ctx, "Alert", body["where"])]


# ---------------------------------------------------------------------------------------------
# Labels.

def label_counts(ctx, label):
    """The counters of a label: `<type>_num` per relation, VM and system VLANs, `total_num`."""
    resource = ctx.catalog.resources["Label"]
    counts = {"total_num": 0}
    for key, relation in resource.relations.items():
        linked = len([i for i in label.get(key) or () if i in ctx.store.tables[relation.target]])
        counts["total_num"] += linked
        if snake(relation.target) + "_num" in resource.fields:
            counts[snake(relation.target) + "_num"] = linked
    vlans = [ctx.store.get("Vlan", vlan_id) or {} for vlan_id in label.get("vlans") or ()]
    counts["vm_vlan_num"] = len([vlan for vlan in vlans if vlan.get("type") == "VM"])
    counts["system_vlan_num"] = len(vlans) - counts["vm_vlan_num"]
    return counts


@handles("/get-labels", "/get-labels-connection")
def get_labels(ctx, body):
    for label in ctx.store.records("Label"):
        counts = label_counts(ctx, label)
        if any(label.get(key) != value for key, value in counts.items()):
            ctx.store.update("Label", label["id"], counts, event=False)  # derived: no event
    return answer_generically(ctx, body)


@handles("/create-label")
@each
def create_label(ctx, params):
    unique(ctx, "Label", {"key": params["key"], "value": params.get("value")},
           "%s=%s" % (params["key"], params.get("value")))
    extra = dict(label_counts(ctx, {}), createdAt=now(ctx))
    return created(ctx, "Label", create_from_params(ctx, "Label", params, extra))


def _relabel(add):
    def relabel(ctx, body):
        relations = ctx.catalog.resources["Label"].relations
        chosen = {}
        for key, where in body["data"].items():
            if where is not None:
                selected = ctx.select(relations[key].target, where, "data." + key)
                chosen[key] = [record["id"] for record in selected]
        answers = []
        for label in free(ctx, "Label", body["where"]):
            values = {}
            for key, ids in chosen.items():
                current = label.get(key) or []
                kept = [i for i in current if i not in ids]
                values[key] = current + [i for i in ids if i not in current] if add else kept
            values.update(label_counts(ctx, dict(label, **values)))
            answers.append(changed(ctx, "Label", label, values))
        return answers
    return relabel


handles("/add-labels-to-resources")(_relabel(True))
handles("/remove-labels-from-resources")(_relabel(False))


# ---------------------------------------------------------------------------------------------
# Users.

def _account(ctx, params, user=None):
    """User values the params give beyond same-named fields: display name, role, password."""
    if "username" in params and not (params["username"] or "").strip():
        ctx.fail(400, "empty", field="username")
    username = params.get("username") or user["username"]
    other = ctx.store.find("User", username=username)
    if other is not None and (user is None or other["id"] != user["id"]):
        ctx.fail(400, "exists", kind="User", name=username)
    values = {"display_username": username}
    if params.get("role_id"):
        preset = ctx.one("UserRoleNext", params["role_id"]).get("preset")
        values["role"] = preset if preset in models.UserRole.allowable_values else None
    if params.get("password"):
        values.update(_password=password_hash(username, params["password"]), _password_name=username,
                      password_updated_at=now(ctx))
    elif user is not None and username != user["username"]:
        values["_password_name"] = user.get("_password_name") or user["username"]  # the hash's name
    return values


@handles("/create-user")
@each
def create_user(ctx, params):
    params = dict(params, source=params.get("source") or "LOCAL")
    return created(ctx, "User", create_from_params(ctx, "User", params, _account(ctx, params)))


@handles("/create-root-user")
def create_root_user(ctx, body):
    params = {"username": "root", "name": "root", "password": body["password"], "source": "LOCAL"}
    user = create_from_params(ctx, "User", params, dict(_account(ctx, params), role="ROOT"))
    return created(ctx, "User", user)


@handles("/update-user")
def update_user(ctx, body):
    return [changed(ctx, "User", user, dict(values_from_params(ctx, "User", body["data"]),
                                            **_account(ctx, body["data"], user)))
            for user in free(ctx, "User", body["where"])]


@handles("/delete-user")
def delete_user(ctx, body):
    users = ctx.select("User", body["where"])
    if any(user["id"] == ctx.user for user in users):
        ctx.fail(400, "delete_self")

    def revoke(user):
        tokens = ctx.store.settings.get("tokens", {})
        for token in [token for token, owner in tokens.items() if owner == user["id"]]:
            del tokens[token]
    return deleted(ctx, "User", users, cleanup=revoke)


# ---------------------------------------------------------------------------------------------
# Settings.

def global_settings(store):
    """The one GlobalSettings record (made on first need, recycle bin off)."""
    record = next(iter(store.tables["GlobalSettings"].values()), None)
    if record is None:
        record = store.create("GlobalSettings", {"vm_recycle_bin": {"enabled": False, "retain": 0}},
                              event=False)
    return record


def cluster_settings(store, cluster_id):
    """A cluster's ClusterSettings record (made on first need)."""
    record = store.find("ClusterSettings", cluster=cluster_id)
    return record or store.create("ClusterSettings", {"cluster": cluster_id})


# path -> (GlobalSettings field, the body keys that set parts of it)
GLOBAL_SETTERS = {
    "/update-global-recycle-bin-setting": ("vm_recycle_bin", ("enabled", "retain")),
    "/update-access-restriction": ("auth", ("access_list", "access_mode")),
    "/update-password-security": ("auth", ("password_expire_days", "password_complexity",
                                           "login_miss_time_threshold", "login_miss_num_threshold")),
    "/update-session-timeout": ("auth", ("session_max_age",)),
}

# path -> the ClusterSettings values a body sets, on each cluster its `where` selects
CLUSTER_SETTERS = {
    "/create-cluster-recycle-bin-setting": lambda body: {"vm_recycle_bin": dict(body["data"])},
    "/update-cluster-recycle-bin-setting": lambda body: {"vm_recycle_bin": dict(body["data"])},
    "/delete-cluster-recycle-bin-setting": lambda body: {"vm_recycle_bin": None},
    "/update-cluster-ha-setting": lambda body: {"default_ha": body["ha"]},
    "/update-cluster-enable-iscsi-setting": lambda body: {"enabled_iscsi": body["enable_iscsi"]},
}


@handles(*GLOBAL_SETTERS)
def set_global(ctx, body):
    field, keys = GLOBAL_SETTERS[ctx.operation.path]
    record = global_settings(ctx.store)
    value = dict(record.get(field) or {})
    value.update((key, body[key]) for key in keys if key in body)
    return changed(ctx, "GlobalSettings", record, {field: value})


@handles("/get-global-settingses", "/get-global-settingses-connection")
def get_global_settings(ctx, body):
    global_settings(ctx.store)
    return answer_generically(ctx, body)


@handles(*CLUSTER_SETTERS)
def set_cluster(ctx, body):
    values = CLUSTER_SETTERS[ctx.operation.path](body)
    answers = [changed(ctx, "ClusterSettings", cluster_settings(ctx.store, cluster["id"]), values)
               for cluster in ctx.select("Cluster", body["where"])]
    if ctx.operation.path.startswith("/delete-"):
        return [{"task_id": answer["task_id"], "data": {"id": answer["data"]["id"]}} for answer in answers]
    return answers
