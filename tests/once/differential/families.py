"""Snippets made from tables: one snippet per case, so that each case passes or fails alone.

Loaded by tests/once/test_differential.py (not by the runner); `snippets()` lists them.
"""

# JSON bodies x declared types, decoded by `ApiClient.deserialize` (issue 7, item 3): for each
# type, the JSON values a server could plausibly send for it.
VALUES = {
    "int_5": "5", "int_0": "0", "int_1": "1", "float_5.0": "5.0", "float_5.5": "5.5", "text_5": '"5"',
    "text_5.5": '"5.5"', "text_abc": '"abc"', "text_empty": '""', "true": "true", "text_true": '"true"',
    "text_false": '"false"', "null": "null", "list": '[1, "2"]', "object": '{"id": "c", "n": 1}',
    "text_date": '"2024-01-02"', "text_datetime": '"2024-01-02T03:04:05Z"',
    "text_datetime_offset": '"2024-01-02T03:04:05.123+08:00"', "text_running": '"RUNNING"',
    "text_unknown_status": '"HIBERNATING"',
}
DECODE_CASES = [
    ("int", ["int_5", "float_5.0", "float_5.5", "text_5", "text_abc", "true", "null", "object"]),
    ("float", ["int_5", "float_5.5", "text_5.5", "text_abc", "true", "null"]),
    ("str", ["text_abc", "int_5", "float_5.5", "true", "null", "list", "object"]),
    ("bool", ["true", "text_true", "text_false", "int_1", "int_0", "text_abc", "null"]),
    ("object", ["int_5", "text_5", "true", "null", "list", "object"]),
    ("date", ["text_date", "text_datetime", "text_abc", "int_5", "null"]),
    ("datetime", ["text_datetime", "text_datetime_offset", "text_date", "text_abc", "int_5", "null"]),
    ("VmStatus", ["text_running", "text_unknown_status", "int_5", "null"]),
    ("list[int]", ["list", "int_5", "text_abc", "null", "object"]),
    ("list[str]", ["list", "int_5", "text_abc", "null", "object"]),
    ("dict(str, int)", ["object", "int_5", "text_abc", "null", "list"]),
    ("NestedCluster", ["object", "int_5", "text_abc", "null", "list"]),
    ("list[NestedCluster]", ["list", "int_5", "text_abc", "null", "object"]),
]

# Queries the demo estate answers with data: (Api class, method).
QUERIES = [
    ("AlertApi", "get_alerts"), ("AlertRuleApi", "get_alert_rules"), ("ClusterApi", "get_clusters"),
    ("ClusterSettingsApi", "get_cluster_settingses"),
    ("ContentLibraryVmTemplateApi", "get_content_library_vm_templates"), ("DatacenterApi", "get_datacenters"),
    ("DiskApi", "get_disks"), ("ElfImageApi", "get_elf_images"), ("GlobalAlertRuleApi", "get_global_alert_rules"),
    ("GlobalSettingsApi", "get_global_settingses"), ("HostApi", "get_hosts"), ("IscsiLunApi", "get_iscsi_luns"),
    ("IscsiLunSnapshotApi", "get_iscsi_lun_snapshots"), ("IscsiTargetApi", "get_iscsi_targets"),
    ("LabelApi", "get_labels"), ("NicApi", "get_nics"), ("OrganizationApi", "get_organizations"),
    ("TaskApi", "get_tasks"), ("UserApi", "get_users"), ("VdsApi", "get_vdses"), ("VlanApi", "get_vlans"),
    ("VmApi", "get_vms"), ("VmDiskApi", "get_vm_disks"), ("VmFolderApi", "get_vm_folders"),
    ("VmNicApi", "get_vm_nics"), ("VmPlacementGroupApi", "get_vm_placement_groups"),
    ("VmSnapshotApi", "get_vm_snapshots"), ("VmTemplateApi", "get_vm_templates"), ("VmVolumeApi", "get_vm_volumes"),
]
# Their `_connection` twins answer counts.
CONNECTIONS = [("AlertApi", "get_alerts"), ("ClusterApi", "get_clusters"), ("DiskApi", "get_disks"),
               ("HostApi", "get_hosts"), ("TaskApi", "get_tasks"), ("VmApi", "get_vms"),
               ("VmDiskApi", "get_vm_disks"), ("VlanApi", "get_vlans"), ("VmSnapshotApi", "get_vm_snapshots"),
               ("IscsiLunApi", "get_iscsi_luns")]

# Operations the client validation refuses with {"first": 2} (a required field missing ...): the
# reference sends them and the server answers.
REFUSED_QUERIES = [("ClusterApi", "get_cluster_storage_info"), ("MetricsApi", "get_vm_metrics"),
                   ("DiscoveredHostApi", "get_discover_hosts")]

# Where filters of `get_vms`: the wire body and the names the simulator answers.
FILTERS = [
    ("equals", {"name": "web-01"}), ("not", {"name_not": "web-01"}), ("in", {"name_in": ["web-01", "db-01"]}),
    ("not_in", {"status_not_in": ["RUNNING"]}), ("contains", {"name_contains": "web"}),
    ("starts_with", {"name_starts_with": "db"}), ("ends_with", {"name_ends_with": "01"}),
    ("gt", {"vcpu_gt": 4}), ("gte", {"memory_gte": 8 * 1024 ** 3}), ("lt", {"cpu_usage_lt": 10.5}),
    ("bool", {"ha": False}), ("relation", {"cluster": {"name": "elf-prod"}}),
    ("relation_some", {"vm_disks_some": {"boot": 0}}), ("and", {"AND": [{"status": "RUNNING"}, {"vcpu_gte": 2}]}),
    ("or", {"OR": [{"name": "web-01"}, {"name": "db-01"}]}), ("not_list", {"NOT": [{"status": "RUNNING"}]}),
    ("null", {"entityAsyncStatus": None}), ("enum", {"status": "STOPPED"}),
]

# Configuration fields whose default a script may read.
CONFIGURATION_FIELDS = [
    "verify_ssl", "ssl_ca_cert", "cert_file", "key_file", "assert_hostname", "proxy", "proxy_headers",
    "safe_chars_for_path_param", "retries", "client_side_validation", "socket_options", "temp_folder_path",
    "api_key", "api_key_prefix", "refresh_api_key_hook", "username", "password", "discard_unknown_keys",
    "disabled_client_side_validations", "logger_stream_handler", "logger_file_handler", "logger_file", "debug",
    "logger_format", "server_index", "server_variables", "server_operation_index", "server_operation_variables",
]

# Import paths: (module, name).
IMPORTS = [
    ("cloudtower.api.vm_api", "VmApi"), ("cloudtower.api.cluster_api", "ClusterApi"),
    ("cloudtower.api.task_api", "TaskApi"), ("cloudtower.api.user_api", "UserApi"),
    ("cloudtower.api.elf_image_api", "ElfImageApi"), ("cloudtower.api", "VmApi"),
    ("cloudtower.models.vm", "Vm"), ("cloudtower.models.vm_where_input", "VmWhereInput"),
    ("cloudtower.models.get_vms_request_body", "GetVmsRequestBody"), ("cloudtower.models.with_task_vm", "WithTaskVm"),
    ("cloudtower.models.vm_status", "VmStatus"), ("cloudtower.models", "NestedCluster"),
    ("cloudtower.configuration", "Configuration"), ("cloudtower.api_client", "ApiClient"),
    ("cloudtower.rest", "RESTClientObject"), ("cloudtower.exceptions", "ApiException"),
    ("cloudtower.utils", "wait_tasks"), ("cloudtower", "ApiClient"), ("cloudtower", "Vm"),
    ("cloudtower", "VmStatus"),
]

# HTTP error statuses a query may get (not the transient ones, which a query retries).
HTTP_STATUSES = [400, 401, 403, 404, 405, 409, 422, 500, 501]

# VMTools ISO files: (name, the bytes at 32 KiB + 190, the file size) for get_svt_image_version.
SVT_IMAGES = [("padded", b" 3.2.1    ", 40000), ("nul_padding", b"4.0.0", 40000), ("empty", b"", 40000),
              ("short_file", None, 3), ("unicode", u"版本 1.0".encode("utf-8"), 40000)]

# Model classes whose tables (field names and types) a script may read.
MODELS = ["Vm", "Cluster", "Host", "Task", "Alert", "VmWhereInput", "GetVmsRequestBody", "VmCreationParams",
          "WithTaskVm", "UploadTask", "ErrorBody", "NestedCluster", "VmUpdateParams", "ClusterConnection"]


def slug(type_string):
    return type_string.replace("(", "_").replace(")", "").replace(", ", "_").replace("[", "_").replace("]", "")


def decode_snippets():
    for type_string, names in DECODE_CASES:
        for name in names:
            yield ("decode/%s.from_%s" % (slug(type_string), name),
                   "from cloudtower import ApiClient\n"
                   "show(attempt(ApiClient().deserialize, FakeResponse(%r), %r))\n" % (VALUES[name], type_string))


def query_snippets():
    for api, method in QUERIES:
        yield ("query/%s" % method,
               "from cloudtower import %s\nshow(%s(client()).%s({\"first\": 2}))\n" % (api, api, method))
    for api, method in CONNECTIONS:
        yield ("query/%s_connection" % method,
               "from cloudtower import %s\nconnection = %s(client()).%s_connection({})\n"
               "show(type(connection).__name__, connection.aggregate.count)\n" % (api, api, method))
    for api, method in REFUSED_QUERIES:
        yield ("query/refused_%s" % method,
               "from cloudtower import %s\nshow(attempt(%s(client()).%s, {\"first\": 2}))\n" % (api, api, method))
    for status in HTTP_STATUSES:
        yield ("http_status/%d" % status,
               "from cloudtower import VmApi\n"
               "sim(\"fault\", kind=\"status\", operation=\"/get-vms\", status=%d, count=1)\n"
               "show(attempt(VmApi(client()).get_vms, {\"first\": 1}))\n" % status)
    for name, where in FILTERS:
        yield ("filter/%s" % name,
               "from cloudtower import VmApi\n"
               "show([vm.name for vm in VmApi(client()).get_vms({\"where\": %r, \"orderBy\": \"name_ASC\"})])\n" % (where,))


def surface_snippets():
    for field in CONFIGURATION_FIELDS:
        yield ("configuration_default/%s" % field,
               "from cloudtower import Configuration\nshow(Configuration().%s)\n" % field)
    for module, name in IMPORTS:
        yield ("import/%s.%s" % (module, name),
               "import importlib\nimport cloudtower\nvalue = getattr(importlib.import_module(%r), %r)\n"
               "show(value.__name__, value is getattr(cloudtower, %r, value))\n" % (module, name, name))
    for name in MODELS:
        yield ("model_table/%s" % name,
               "from cloudtower.models import %s\nshow(sorted(%s.openapi_types.items()))\n"
               "show(sorted(%s.attribute_map.items()))\nshow(sorted(%s().to_dict()))\n" % (name, name, name, name))


def svt_snippets():
    for name, text, size in SVT_IMAGES:
        yield ("svt_version/%s" % name,
               "import os\nfrom cloudtower.utils import get_svt_image_version\n"
               "data = bytearray(%d)\n" % size
               + ("data[32 * 1024 + 190:32 * 1024 + %d] = %r\n" % (190 + len(text), text) if text is not None else "")
               + "path = os.path.join(tmp, \"svt.iso\")\nwith open(path, \"wb\") as handle:\n"
               "    handle.write(bytes(data))\nshow(attempt(get_svt_image_version, path))\n")


def snippets():
    """[(name, code)] of every generated snippet."""
    return list(decode_snippets()) + list(query_snippets()) + list(surface_snippets()) + list(svt_snippets())
