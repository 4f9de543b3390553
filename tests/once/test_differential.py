"""The differential test: the same snippets run in our SDK and in the reference `cloudtower-sdk`,
against the built-in simulator, and what they print must be the same.

    python3 tests/matrix.py --python 3.13.0 --no-wheel -- tests/once -k differential
    .matrix/py313/bin/python tests/once/test_differential.py [--reference 2.20.0] [--show GLOB]

The reference is installed once, with pip from PyPI, into a virtualenv cached at
`.matrix/reference-<version>/` (git-ignored); where it cannot be installed the test is skipped,
saying why (`DIFFERENTIAL_REQUIRED=1` makes that a failure instead). Each SDK gets one process
(tests/once/differential/runner.py) that runs every snippet in a fresh namespace; before each
snippet the simulator goes back to its seed, so no snippet depends on another. A snippet's output
is what it printed through `show()`, the exception that ended it, and the requests the simulator
received meanwhile (method, path, headers, body), normalized so that the two outputs compare
line by line.

Two lists below say where the outputs may differ:
- INTENDED: where our SDK differs on purpose, with the reason, and what ours prints (a pattern);
- KNOWN_BROKEN: behaviours that differ today and are still to be fixed (empty since issue 7);
  their tests are expected to fail until then (xfail, not strict: a fix passes at once), and an
  entry is removed when its fix lands, so the comparison guards it from then on.
`tests/once/differential/KNOWN.md` shows both outputs of every KNOWN_BROKEN snippet; the second
command above (any interpreter with pytest and our runtime deps) rewrites it, prints what fails
outside KNOWN_BROKEN, and `--show GLOB` prints both outputs of the snippets named.
"""
import argparse
import collections
import contextlib
import fnmatch
import importlib.util
import json
import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import time

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
FOLDER = os.path.join(HERE, "differential")
RUNNER = os.path.join(FOLDER, "runner.py")
KNOWN_FILE = os.path.join(FOLDER, "KNOWN.md")
CACHE = os.path.join(ROOT, ".matrix")
CERT_FILE = os.path.join(ROOT, "tests", "data", "localhost.crt")
KEY_FILE = os.path.join(ROOT, "tests", "data", "localhost.key")

# The releases compared with; `DIFFERENTIAL_REFERENCES=2.20.0,2.23.0` picks others.
REFERENCE_VERSIONS = [version.strip() for version in
                      os.environ.get("DIFFERENTIAL_REFERENCES", "2.20.0").split(",") if version.strip()]
SNIPPET_TIMEOUT = 60  # seconds one snippet may take before its process is restarted
# Request headers that say nothing about the SDK (urllib3 or the connection sets them).
TRANSPORT_HEADERS = frozenset(["host", "content-length", "accept-encoding", "connection", "user-agent"])


# ----------------------------------------------------------------------------------------------
# Where the outputs may differ.

def _by_name(entries):
    """{snippet name: the rest of its entry} of entries that begin with names separated by white
    space."""
    result = collections.OrderedDict()
    for entry in entries:
        for name in entry[0].split():
            if name in result:
                raise ValueError("%s is listed twice" % name)
            result[name] = entry[1] if len(entry) == 2 else tuple(entry[1:])
    return result


# Why ours differs on purpose, for the reasons several snippets share.
WHY_REFUSED = ("checked against the spec before sending: the error names the field and nothing is "
               "sent; it is an ApiException with status 400 (like the server's answer) as well as "
               "ApiTypeError/ApiValueError (item 4)")
WHY_KEPT = ("a scalar of another JSON type than declared that does not convert (`\"abc\"` for an "
            "integer, a list for text) is kept as the server sent it; the official raises a bare "
            "ValueError or makes Python's repr of it")
WHY_BAD_ANSWER = ("a 2xx answer that is not JSON, empty, or not of the declared shape (a list, an "
                  "object, a model, a date) raises ApiResponseError (an ApiException with the "
                  "answer's status and body, issue 6); the official raises a bare "
                  "TypeError/ValueError/AttributeError or makes something else of it (an empty "
                  "model, a list of characters)")
WHY_BAD_DATE = ("a date that does not parse raises ApiResponseError with the answer's status and "
                "body (issue 6); the official's ApiException has status 0 and no body")
WHY_CAUGHT_URLLIB3 = ("the same urllib3 `except` clause catches it; being our ApiConnectionError "
                      "too, it has a `status` (0)")
WHY_FALSE = ("`\"false\"` for a boolean is False; the official says True (the truth of a non-empty "
             "text)")
WHY_TRANSPORT = ("a transport failure is our ApiException (status 0) as well as the urllib3 "
                 "exception the official raises (contract: ApiConnectionError)")
WHY_RETRY = ("a query is retried on a transient error (contract: 2 retries, backoff, "
             "Retry-After); the official fails at once")
WHY_TYPE_ERROR = ("a call without a required argument raises ApiTypeError, a TypeError as "
                  "Python's own error is")
WHY_CRASH = ("the official crashes here (an AttributeError, TypeError or assertion of its own); "
             "ours does what was asked")
WHY_REPR = ("a readable repr, `Vm(id=..., name=...)` (README); the official prints the to_dict() "
            "text")
WHY_STR = "str(error) adds the lines of the CloudTower message and request id"
WHY_WAIT = ("wait_task/wait_tasks return the finished Task models and poll with `id_in`; the "
            "official returns None (no script uses the result)")
# What ours prints when it refuses a request before sending it: an ApiException with status 400
# that is also an ApiValueError (ApiTypeError for a wrong type or an unknown field), and no
# request in the journal.
REFUSED = "raised *[*ApiException*ApiValueError*](status=400*)\n"
REFUSED_TYPE = "raised *[*ApiException*ApiTypeError*](status=400*)\n"  # a wrong type, a typo
# What ours prints for a 2xx answer that is not what was declared: an ApiResponseError (shown as
# the ApiException it is) with the answer's status.
BAD_ANSWER = "raised ApiException[ApiException,OpenApiException](status=200, *)\n"

# Where ours differs on purpose: (snippets, why, what ours prints: `*` stands for any text).
# The reference must print something else, or the entry is stale.
INTENDED = _by_name([
    ("""
     models/constructor_unknown_keyword_warns""",
     ("a constructor keyword the model does not know is ignored with a warning that names it (the "
      "official ignores it silently)"),
     "1 True\n"),
    ("""
     requests/body_enum_out_of_range requests/body_missing_required_field
     requests/content_language_unknown requests/missing_required_parameter uploads/elf_image_no_file""",
     WHY_REFUSED,
     REFUSED),
    ("""
     models/dict_field_checked_when_sent requests/body_typo_refused requests/body_typo_nested
     query/refused_get_cluster_storage_info query/refused_get_vm_metrics
     query/refused_get_discover_hosts""",
     WHY_REFUSED + "; an unknown field is an ApiTypeError (contract)",
     REFUSED_TYPE),
    ("""
     decoding/bool_from_false_text decode/bool.from_text_false""",
     WHY_FALSE,
     "False\n"),
    ("""
     decoding/model_field_bool_from_text""",
     WHY_FALSE,
     "False True\n"),
    ("""
     decode/dict_str_int.from_object""",
     WHY_KEPT + " (here: `'c'` for an integer in a dict)",
     "{'id': 'c', 'n': 1}\n"),
    ("""
     decode/int.from_text_abc decode/float.from_text_abc decode/bool.from_text_abc""",
     WHY_KEPT,
     "'abc'\n"),
    ("""
     decode/str.from_list""",
     WHY_KEPT,
     "[1, '2']\n"),
    ("""
     decode/str.from_object""",
     WHY_KEPT,
     "{'id': 'c', 'n': 1}\n"),
    ("""
     decode/list_int.from_object decode/list_str.from_object decode/list_NestedCluster.from_object
     decode/list_int.from_text_abc decode/list_str.from_text_abc decode/dict_str_int.from_text_abc
     decode/NestedCluster.from_text_abc decode/list_NestedCluster.from_text_abc
     decode/date.from_int_5 decode/datetime.from_int_5 decode/list_int.from_int_5
     decode/list_str.from_int_5 decode/dict_str_int.from_int_5 decode/NestedCluster.from_int_5
     decode/list_NestedCluster.from_int_5 decode/dict_str_int.from_list decode/NestedCluster.from_list
     decode/list_NestedCluster.from_list decoding/model_from_list_json decoding/model_from_text_json
     decoding/body_empty decoding/body_not_json_object""",
     WHY_BAD_ANSWER,
     BAD_ANSWER),
    ("""
     decoding/datetime_bad_text_raises decoding/date_bad_text_raises decode/date.from_text_abc
     decode/datetime.from_text_abc""",
     WHY_BAD_DATE,
     BAD_ANSWER),
    ("""
     decoding/type_unknown_model""",
     ("an unknown type name raises ApiTypeError naming it; the official an AttributeError of its "
      "models module"),
     "raised ApiTypeError[ApiTypeError,OpenApiException,TypeError]()\n"),
    ("""
     requests/body_wrong_type requests/body_wrong_model_class requests/body_list_for_object""",
     WHY_REFUSED,
     REFUSED_TYPE),
    ("""
     requests/async_req_validation_error""",
     WHY_REFUSED + " (with async_req, at the call: nothing is queued)",
     REFUSED_TYPE),
    ("""
     errors/error_status_client_side errors/error_wrong_type_caught errors/error_enum_caught
     errors/error_language_caught errors/error_missing_field_caught
     errors/error_typo_caught_as_api_exception""",
     WHY_REFUSED,
     "('ApiException', 400)\n"),
    ("""
     tls/untrusted_certificate""",
     WHY_TRANSPORT,
     "raised *ApiException*urllib3.MaxRetryError*\n"),
    ("""
     tls/untrusted_certificate_caught_as_api_exception
     errors/connection_refused_caught_as_api_exception""",
     WHY_TRANSPORT,
     "('ApiException', 0)\n"),
    ("""
     errors/connection_refused_caught_as_urllib3 tls/untrusted_certificate_caught_as_urllib3""",
     WHY_CAUGHT_URLLIB3,
     "('MaxRetryError', 0)\n"),
    ("""
     errors/connection_refused_caught_as_new_connection_error""",
     WHY_CAUGHT_URLLIB3,
     "('NewConnectionError', 0)\n"),
    ("""
     requests/request_without_host""",
     WHY_TRANSPORT + "; the message says to set Configuration.host",
     "raised *urllib3.LocationValueError*(status=0*)\n"),
    ("""
     errors/read_timeout_caught_as_urllib3""",
     WHY_CAUGHT_URLLIB3,
     "('ReadTimeoutError', 0)\n"),
    ("""
     errors/drop_connection_caught_as_urllib3""",
     WHY_CAUGHT_URLLIB3,
     "('HTTPError', 0)\n-> POST /get-vms * => 0\n"),
    ("""
     tls/http_to_https_port""",
     WHY_TRANSPORT,
     "raised *ApiException*urllib3.ProtocolError*(status=0*)\n"),
    ("""
     tls/untrusted_certificate_without_retries""",
     WHY_CRASH,
     "raised *ApiException*(status=0*)\n"),
    ("""
     exceptions/api_exception_http_resp_str""",
     WHY_STR,
     "(400)\nReason: Bad Request\nMessage: m\n*"),
    ("""
     requests/no_arguments uploads/content_library_image_missing_clusters
     requests/too_many_positional""",
     WHY_TYPE_ERROR,
     "raised ApiTypeError[ApiTypeError,OpenApiException,TypeError]()\n"),
    ("""
     errors/malformed_answer""",
     ("a 2xx answer that is not JSON raises ApiResponseError (contract); the official returns one "
      "empty Vm per character"),
     "raised *ApiException*\n-> POST /get-vms * => 200\n"),
    ("""
     errors/malformed_answer_object""",
     ("a 2xx answer that is not JSON raises ApiResponseError (contract); the official returns an "
      "empty model"),
     "raised *ApiException*\n-> POST /get-vms-connection * => 200\n"),
    ("""
     errors/status_503_once_query""",
     WHY_RETRY,
     "[Vm(*)]\n-> POST /get-vms * => 503\n-> POST /get-vms * => 200\n"),
    ("""
     errors/status_429_retry_after""",
     WHY_RETRY,
     "[Vm(*)]\n-> POST /get-vms * => 429\n-> POST /get-vms * => 200\n"),
    ("""
     errors/status_502_with_http_info""",
     WHY_RETRY,
     "([Vm(*)], 200, HTTPHeaderDict{*})\n-> POST /get-vms * => 502\n-> POST /get-vms * => 200\n"),
    ("""
     errors/drop_connection_query""",
     WHY_RETRY,
     "[Vm(*)]\n-> POST /get-vms * => 0\n-> POST /get-vms * => 200\n"),
    ("""
     errors/connection_refused""",
     WHY_TRANSPORT,
     "raised *urllib3.NewConnectionError*(status=0*)\n"),
    ("""
     errors/connection_refused_with_retries""",
     WHY_TRANSPORT,
     "raised *urllib3.MaxRetryError*(status=0*)\n"),
    ("""
     errors/drop_connection_always""",
     WHY_TRANSPORT,
     "raised *urllib3.ProtocolError*(status=0*)\n-> POST /get-vms * => 0\n"),
    ("""
     errors/bad_host_name""",
     WHY_TRANSPORT,
     "raised *urllib3.NameResolutionError*(status=0*)\n"),
    ("""
     requests/request_timeout_expires""",
     WHY_TRANSPORT,
     "raised *urllib3.ReadTimeoutError*(status=0*)\n"),
    ("""
     client/user_agent""",
     ("the User-Agent names this SDK, its version and the API version (CloudTower's logs tell "
      "which client called)"),
     "'cloudtower-python-sdk/*/python (API *)'\n"),
    ("""
     client/set_default_header_content_language_keyword""",
     ("`set_default_header(\"content_language\", ...)` sends the `content-language` header; the "
      "official sends a header named `content_language` that the server ignores"),
     ("['User-Agent', 'content-language']\n"
      "-> POST /get-vms {*\"content-language\": \"zh-CN\"*} {\"first\": 1} => 200\n")),
    ("""
     client/last_response_before_call""",
     "`last_response` is None before the first call; the official has no such attribute yet",
     "None\n"),
    ("""
     client/sanitize_set client/sanitize_object""",
     ("a value JSON cannot hold raises ApiTypeError naming where it is (issue 6); the official "
      "crashes with an AttributeError"),
     REFUSED_TYPE),
    ("""
     uploads/files_parameters_int uploads/elf_image_int_file""",
     ("a file part that is not a path, a file or bytes raises ApiTypeError naming the field, which "
      "is also the official's ApiException with status 400"),
     REFUSED_TYPE),
    ("""
     client/update_params_for_auth_unknown_setting""",
     ("an auth scheme the configuration has no credentials for falls back to the login token, "
      "which the server accepts everywhere"),
     "{'Authorization': 't'} []\n"),
    ("""
     client/request_lowercase_method""",
     "`request()` takes the method in any case; the official refuses lower case",
     "200\n-> POST /get-vms * => 200\n"),
    ("""
     client/request_timeout_bad""",
     ("a `_request_timeout` that is neither a number nor a pair is refused; the official ignores "
      "it silently"),
     "raised *ApiValueError*)\n"),
    ("""
     client/rest_request_method""",
     "`rest_client.request()` sends any method; the official asserts",
     "raised ServiceException[*](status=501*)\n"),
    ("""
     configuration/api_key_empty_value""",
     "an empty token is not sent; the official sends an Authorization header of None",
     "None {}\n"),
    ("""
     configuration/refresh_hook_used_in_request""",
     ("`refresh_api_key_hook` runs before the token is looked for, so it can supply the first "
      "one; the official looks first and sends no token"),
     "1\n-> POST /get-vms {*\"authorization\": \"<token>\"*} => 200\n"),
    ("""
     configuration/client_side_validation_client_later""",
     ("the client follows later changes of its configuration's `client_side_validation`; the "
      "official copies it once"),
     "False\n"),
    ("""
     configuration/repr_configuration""",
     WHY_REPR,
     "False\n"),
    ("""
     models/repr_small""",
     WHY_REPR,
     "\"NestedCluster(id='c', name='n')\"\n"),
    ("""
     models/str_small""",
     WHY_REPR,
     "'NestedCpu(cores=2, sockets=1)'\n"),
    ("""
     models/print_model""",
     WHY_REPR,
     "NestedLabel(id='l', key='env', value='prod')\n"),
    ("""
     models/assign_none_to_required""",
     ("None for a required field is accepted in a model (it is not sent); the official raises "
      "ValueError in the setter"),
     "NestedCluster()\n"),
    ("""
     models/assign_none_to_required_setter""",
     ("None for a required field is accepted in a model (it is not sent); the official raises "
      "ValueError in the setter"),
     "None None\n"),
    ("""
     models/assign_none_optional""",
     ("None for a required field is accepted in a model (it is not sent); the official raises "
      "ValueError in the setter"),
     "None True\n"),
    ("""
     models/getattr_unknown""",
     "an unknown attribute raises ApiAttributeError (an AttributeError) naming the close matches",
     "raised ApiAttributeError[ApiAttributeError,AttributeError,OpenApiException]() 'default'\n"),
    ("""
     requests/body_dict_attribute_keys""",
     ("a dict body may use attribute names (`order_by`); they are sent as the JSON keys (README); "
      "the official sends them as given and the server refuses them"),
     ("['web-01', 'web-02']\n"
      "-> POST /get-vms * {\"first\": 2, \"orderBy\": \"name_ASC\", \"where\": {\"name_starts_with\": "
      "\"web\"}} => 200\n")),
    ("""
     requests/content_language_none""",
     "`content_language=None` sends no header; the official crashes on a header of None",
     ("[Vm(*)]\n"
      "-> POST /get-vms {\"accept\": \"application/json\", \"authorization\": \"<token>\", "
      "\"content-type\": \"application/json\"} {\"first\": 1} => 200\n")),
    ("""
     requests/headers_keyword_overrides_accept""",
     "`_headers` override the method's own headers; the official silently replaces Accept",
     ("-> POST /get-vms {\"accept\": \"application/json, text/plain\", \"authorization\": \"<token>\", "
      "\"content-type\": \"application/json\"} {\"first\": 1} => 200\n")),
    ("""
     uploads/elf_image_file_object uploads/elf_image_open_file""",
     "an upload takes a file object too; the official refuses anything but a path or bytes",
     ("[UploadTask(*status='SUCCESSED'*)]\n"
      "-> POST /get-clusters * => 200\n"
      "-> POST /upload-elf-image * => 200\n")),
    ("""
     uploads/files_parameters_file_object""",
     "`files_parameters` takes file objects and (name, data) pairs too; the official refuses them",
     "[('file', ('file', b'abc', 'application/octet-stream'))]\n"),
    ("""
     uploads/files_parameters_tuple""",
     "`files_parameters` takes file objects and (name, data) pairs too; the official refuses them",
     "[('file', ('name.txt', b'abc', 'text/plain'))]\n"),
    ("""
     uploads/elf_image_empty_bytes""",
     "an empty file is sent; the official drops it silently",
     ("raised NotFoundException*(status=404*)\n"
      "-> POST /upload-elf-image * files {\"file\": [\"file\", \"application/octet-stream\", \"\"]} => "
      "404\n")),
    ("""
     uploads/files_parameters_empty_bytes""",
     "an empty file is sent; the official drops it silently",
     "[('file', ('file', b'', 'application/octet-stream'))]\n"),
    ("""
     utils/wait_task_success""",
     WHY_WAIT,
     "False\n*-> POST /get-tasks * {\"where\": {\"id_in\": [*]}} => 200*\n"),
    ("""
     utils/wait_task_failure""",
     WHY_WAIT,
     "raised *ApiException*(status=500*-> POST /get-tasks * {\"where\": {\"id_in\": [*]}} => 200*\n"),
    ("""
     utils/wait_task_failure_message""",
     WHY_WAIT,
     "500 True True\n*-> POST /get-tasks * {\"where\": {\"id_in\": [*]}} => 200*\n"),
    ("""
     utils/wait_task_timeout""",
     WHY_WAIT,
     "raised *ApiException*(status=408*-> POST /get-tasks * {\"where\": {\"id_in\": [*]}} => 200*\n"),
    ("""
     utils/wait_task_unknown_id""",
     "wait_task fails at once, naming the id, when the server has no such task (TaskNotFoundException, "
     "status 404; issue 10); the official waits out the whole timeout, then raises 408",
     "raised *NotFoundException*(status=404*-> POST /get-tasks * {\"where\": {\"id_in\": [*]}} => 200\n"),
    ("""
     utils/wait_task_returns""",
     WHY_WAIT,
     "Task(*)\n*-> POST /get-tasks * {\"where\": {\"id_in\": [*]}} => 200*\n"),
    ("""
     utils/wait_tasks_returns""",
     WHY_WAIT,
     "[Task(*)]\n*"),
    ("""
     utils/wait_tasks_empty""",
     WHY_WAIT,
     "[]\n"),
    ("""
     utils/wait_tasks_list_emptied""",
     "wait_tasks leaves the caller's list of ids as it was; the official empties it",
     "['cl*']\n*"),
    ("""
     svt_version/padded""",
     "the version has no NUL padding; the official keeps the NUL characters after the text",
     "'3.2.1'\n"),
    ("""
     svt_version/nul_padding""",
     "the version has no NUL padding; the official keeps the NUL characters after the text",
     "'4.0.0'\n"),
    ("""
     svt_version/empty""",
     "the version has no NUL padding; the official keeps the NUL characters after the text",
     "''\n"),
    ("""
     svt_version/unicode""",
     "the version has no NUL padding; the official keeps the NUL characters after the text",
     "'版本 1.0'\n"),
    ("""
     errors/error_str""",
     WHY_STR,
     ("(404)\n"
      "Reason: Not Found\n"
      "Message: gone\n"
      "Request id: sim-#\n"
      "HTTP response headers: *\n"
      "HTTP response body: *\n"
      "\n"
      "-> POST /get-vms * => 404\n")),
    ("""
     errors/error_args""",
     ("an ApiException's args are (status, reason), so it pickles and prints like other "
      "exceptions; the official's are empty"),
     ("(404, 'Not Found')\n"
      "-> POST /get-vms {\"accept\": \"application/json\", \"authorization\": \"<token>\", "
      "\"content-type\": \"application/json\"} {\"first\": 1} => 404\n")),
    ("""
     exceptions/api_exception_args""",
     ("an ApiException's args are (status, reason), so it pickles and prints like other "
      "exceptions; the official's are empty"),
     "(1, 'r')\n"),
    ("""
     exceptions/repr_api_exception""",
     ("an ApiException's args are (status, reason), so it pickles and prints like other "
      "exceptions; the official's are empty"),
     "\"ApiException(400, 'bad')\"\n"),
    ("""
     exceptions/api_type_error_path""",
     ("the message names the field first, dotted (`body[0].name: ...`); the official appends `at "
      "['body'][0]['name']`"),
     "'body[0].name: bad type' ['body', 0, 'name'] (<class str>) False\n"),
    ("""
     exceptions/api_value_error_path""",
     ("the message names the field first, dotted (`body[0].name: ...`); the official appends `at "
      "['body'][0]['name']`"),
     "'a[1]: bad value' ['a', 1] True\n"),
    ("""
     models/extra_server_field_reachable""",
     ("a field a newer server sends stays reachable as an attribute named by its JSON key; the "
      "official drops it"),
     "{'a': 1} 'v'\n"),
    ("""
     model_table/Vm model_table/Cluster model_table/Host model_table/VmWhereInput
     model_table/VmCreationParams models/openapi_types_and_attribute_map models/to_dict_attribute_names
     models/to_dict_keys_all_fields models/to_dict_where_and_or models/with_task_model
     enums/order_by_constants decoding/real_vm_types decoding/real_vm_to_dict decoding/real_vm_to_str
     decoding/real_vm_to_dict_serialize models/to_dict_serialize_list
     query/get_hosts query/get_iscsi_luns query/get_iscsi_targets query/get_vm_nics""",
     ("the API is that of cloudtower-sdk 2.23.0, with more fields and enum values than 2.20.0's: "
      "these print what 2.23.0 prints (`--reference 2.23.0`)"),
     "*"),
    ("""
     imports/lazy_models""",
     "models load on first use (import takes milliseconds); the official imports all 2,000 at once",
     "'False'\n"),
])

# Behaviours that differ today and are still to be fixed: (snippets, what differs). Their tests
# are expected to fail until then; remove an entry when its fix lands. Empty since issue 7: every
# difference left is intended (above).
KNOWN_BROKEN = _by_name([
])


# ----------------------------------------------------------------------------------------------
# The snippets.

def load_snippets():
    """{name: code} of every snippet, in a stable order: the `### name` blocks of the
    differential/snippets_*.py files, then the generated families of differential/families.py."""
    snippets = collections.OrderedDict()

    def add(name, code):
        if name in snippets:
            raise ValueError("two snippets are named %r" % name)
        if not re.match(r"^[\w.-]+/[\w.\-\[\]=,]+$", name):
            raise ValueError("snippet name %r: use topic/name" % name)
        snippets[name] = code

    for file_name in sorted(os.listdir(FOLDER)):
        if file_name.startswith("snippets_") and file_name.endswith(".py"):
            topic = file_name[len("snippets_"):-len(".py")]
            with open(os.path.join(FOLDER, file_name)) as handle:
                for name, code in parse_blocks(handle.read(), file_name):
                    add("%s/%s" % (topic, name), code)
    spec = importlib.util.spec_from_file_location("differential_families", os.path.join(FOLDER, "families.py"))
    families = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(families)
    for name, code in families.snippets():
        add(name, code)
    return snippets


def parse_blocks(text, file_name):
    """[(name, code)] of the blocks of a snippets file: each starts with a line `### name`."""
    blocks = []
    name, lines = None, []
    for number, line in enumerate(text.splitlines(), 1):
        match = re.match(r"^### ([\w.\-\[\]=,]+)\s*$", line)
        if match:
            if name:
                blocks.append((name, "\n".join(lines).strip() + "\n"))
            name, lines = match.group(1), []
        elif line.startswith("###"):
            raise ValueError("%s:%d: a snippet header is `### name`" % (file_name, number))
        elif name:
            lines.append(line)
    if name:
        blocks.append((name, "\n".join(lines).strip() + "\n"))
    return blocks


SNIPPETS = load_snippets()


# ----------------------------------------------------------------------------------------------
# The reference package, in a cached virtualenv.

class ReferenceUnavailable(Exception):
    """The reference cannot be installed here (no network, no venv module ...)."""


def reference_python(version):
    """The interpreter of a virtualenv holding `cloudtower-sdk==version`, made once and reused."""
    env = os.path.join(CACHE, "reference-%s" % version)
    python = os.path.join(env, "bin", "python")
    stamp = os.path.join(env, ".installed")
    # One per release and base interpreter: every virtualenv of that interpreter shares it.
    wanted = "%s %s %s" % (version, sys.base_prefix, sys.version.split()[0])
    if not os.path.isdir(CACHE):
        os.makedirs(CACHE)
    with _file_lock(env + ".lock"):
        if os.path.exists(stamp) and open(stamp).read() == wanted:
            return python
        shutil.rmtree(env, ignore_errors=True)
        steps = ([sys.executable, "-m", "venv", env],
                 [python, "-m", "pip", "install", "-q", "--disable-pip-version-check", "--timeout", "30",
                  "--retries", "1", "cloudtower-sdk==%s" % version])
        for argv in steps:
            try:
                process = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                         universal_newlines=True, timeout=900, cwd=CACHE)
            except (OSError, subprocess.TimeoutExpired) as error:
                raise ReferenceUnavailable("%s: %s" % (" ".join(argv[:4]), error))
            if process.returncode:
                shutil.rmtree(env, ignore_errors=True)
                tail = [line for line in process.stdout.splitlines() if line.strip()][-3:]
                raise ReferenceUnavailable("`%s` failed: %s" % (" ".join(argv[2:]), " | ".join(tail)))
        with open(stamp, "w") as handle:
            handle.write(wanted)
    return python


@contextlib.contextmanager
def _file_lock(path):
    import fcntl
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# ----------------------------------------------------------------------------------------------
# Running the snippets.

def _simulator_class():
    from cloudtower.simulator import Simulator

    class SnippetSimulator(Simulator):
        """A simulator whose journal holds only the requests of the current snippet: a request
        still being answered when the next snippet starts (after a client-side timeout) is
        left out of it."""

        def __init__(self, **options):
            self.epoch = 0
            self.sent = []  # (request, status) of the current snippet
            Simulator.__init__(self, **options)

        def handle(self, request):
            request.epoch = self.epoch
            return Simulator.handle(self, request)

        def journal(self, request, response):
            if getattr(request, "epoch", None) == self.epoch:
                self.sent.append((request, response.status if response is not None else 0))

        def next_snippet(self):
            """Back to the seed, faults and journal cleared."""
            self.epoch += 1
            self.sent = []
            self.reset()

    return SnippetSimulator


class SdkProcess(object):
    """One runner process for one SDK, restarted if a snippet kills or hangs it."""

    def __init__(self, label, python, env, settings, control):
        self.label = label
        self.python = python
        self.env = env
        self.settings = settings
        self.control = control
        self.process = None
        self.version = None
        self.log = open(os.path.join(CACHE, "differential-%s.log" % label), "w")

    def start(self):
        self.process = subprocess.Popen([self.python, "-u", RUNNER], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=self.log, env=self.env,
                                        cwd=CACHE, universal_newlines=True, bufsize=1)
        self.lines = queue.Queue()
        reader = threading.Thread(target=self._read, args=(self.process.stdout, self.lines))
        reader.daemon = True
        reader.start()
        self._send(self.settings)

    def wait_ready(self):
        message = self._next(120)
        if message is None or "ready" not in message:
            raise RuntimeError("the %s runner did not start (see %s)" % (self.label, self.log.name))
        self.version = message["ready"]

    @staticmethod
    def _read(stream, lines):
        for line in stream:
            lines.put(line)
        lines.put(None)

    def _send(self, message):
        self.process.stdin.write(json.dumps(message) + "\n")
        self.process.stdin.flush()

    def _next(self, timeout):
        try:
            line = self.lines.get(timeout=timeout)
        except queue.Empty:
            return None
        return json.loads(line) if line is not None else {"died": True}

    def run(self, name, code):
        """The snippet's output (the runner's normalized text)."""
        if self.process is None or self.process.poll() is not None:
            self.start()
            self.wait_ready()
        self._send({"run": name, "code": code})
        deadline = time.time() + SNIPPET_TIMEOUT
        while True:
            message = self._next(max(0.1, deadline - time.time()))
            if message is None or message.get("died"):
                self.stop()
                return "<the snippet %s>\n" % ("did not end within %d s" % SNIPPET_TIMEOUT
                                               if message is None else "ended its process")
            if "control" in message:
                try:
                    self._send({"result": self.control(message["control"], **message["args"])})
                except Exception as error:  # noqa: BLE001 - reported to the snippet
                    self._send({"error": "%s: %s" % (type(error).__name__, error)})
                continue
            return message["output"]

    def stop(self):
        """End the process (it is started again by the next `run`)."""
        if self.process is None:
            return
        if self.process.poll() is None:
            try:
                self._send({"quit": True})
                self.process.wait(10)
            except (OSError, ValueError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait()
        self.process = None

    def close(self):
        self.stop()
        self.log.close()


def describe_request(request, status):
    """One line for a request the simulator received."""
    headers = dict((key.lower(), value) for key, value in request.headers.items()
                   if key.lower() not in TRANSPORT_HEADERS)
    if "authorization" in headers:  # the runners' token, or one a snippet logged in for
        headers["authorization"] = re.sub(r"\b[0-9a-f]{48}\b", "<token>", headers["authorization"])
    content_type = headers.get("content-type", "")
    body = request.body or b""
    if content_type.startswith("multipart/form-data"):
        from recorder import parse_multipart
        fields, files = parse_multipart(content_type, body)
        headers["content-type"] = "multipart/form-data; boundary=<boundary>"
        shown = "form %s files %s" % (
            json.dumps(fields, sort_keys=True),
            json.dumps(dict((name, [filename, kind, data[:64].decode("latin-1")])
                            for name, (filename, kind, data) in files.items()), sort_keys=True))
    elif body:
        try:
            shown = json.dumps(json.loads(body.decode("utf-8")), sort_keys=True)
        except ValueError:
            shown = repr(body[:200])
    else:
        shown = "(no body)"
    path = request.path[len("/v2/api"):] if request.path.startswith("/v2/api/") else request.path
    query = "?" + "&".join("%s=%s" % item for item in sorted(request.query.items())) if request.query else ""
    return "-> %s %s%s %s %s => %s" % (request.method, path, query, json.dumps(headers, sort_keys=True),
                                       shown, status)


def collapse_repeats(lines):
    """Consecutive identical requests as one line: how often a loop polls depends on timing."""
    return [line for index, line in enumerate(lines) if index == 0 or lines[index - 1] != line]


def run_snippets(python, snippets, log=None):
    """({"ours": {name: output}, "reference": {name: output}}, the two SDKs' versions).

    The snippets run in turn, ours then the reference's, each on a simulator just put back to its
    seed; the two processes start (and import their SDK) at the same time.
    """
    simulator_class = _simulator_class()
    demo = simulator_class(seed="demo", task_delay=None).start()
    tls = simulator_class(seed="empty", task_delay=None, cert=CERT_FILE, key=KEY_FILE).start()
    sides = collections.OrderedDict()
    try:
        tokens = []
        for simulator in (demo, tls):
            client = simulator.client()  # logged in as root (trusting the test certificate)
            tokens.append(client.configuration.api_key["Authorization"])
            client.close()
        settings = {"url": demo.url, "tls_url": tls.url, "tls_ca": CERT_FILE, "token": tokens[0],
                    "tls_token": tokens[1]}

        def control(action, **args):
            if action == "fault":
                demo.faults.add(args.pop("kind"), **args)
            elif action == "advance":
                demo.advance_tasks()
            else:
                raise ValueError("unknown control %r" % action)

        # No PYTHON* settings of ours (the matrix sets PYTHONPATH) and no trust settings leak in.
        base_env = dict((key, value) for key, value in os.environ.items()
                        if not key.startswith("PYTHON") and key not in ("SSL_CERT_FILE", "SSL_CERT_DIR"))
        base_env["PYTHONHASHSEED"] = "0"
        sides["ours"] = SdkProcess("ours", sys.executable, dict(base_env, PYTHONPATH=ROOT, PYTHONDONTWRITEBYTECODE="1"),
                                   settings, control)
        sides["reference"] = SdkProcess("reference", python, base_env, settings, control)
        for side in sides.values():
            side.start()
        for side in sides.values():
            side.wait_ready()
        outputs = dict((label, collections.OrderedDict()) for label in sides)
        for index, (name, code) in enumerate(snippets.items()):
            for label, side in sides.items():
                demo.next_snippet()
                tls.next_snippet()
                output = side.run(name, code)
                for simulator, prefix in ((demo, ""), (tls, "tls ")):
                    lines = [prefix + describe_request(request, status) for request, status in simulator.sent]
                    output += "".join(line + "\n" for line in collapse_repeats(lines))
                outputs[label][name] = output
            if log and (index + 1) % 100 == 0:
                log("%d/%d snippets" % (index + 1, len(snippets)))
        return outputs, dict((label, side.version) for label, side in sides.items())
    finally:
        for side in sides.values():
            side.close()
        demo.stop()
        tls.stop()


# ----------------------------------------------------------------------------------------------
# Comparing.

def compare(name, ours, reference):
    """None if the outputs agree as they should, else what is wrong."""
    intended = INTENDED.get(name)
    if intended is None:
        if ours == reference:
            return None
        return "the SDKs differ\n--- reference\n%s--- ours\n%s" % (reference, ours)
    reason, pattern = intended
    if ours == reference:
        return "no longer differs (%s): remove it from INTENDED" % reason
    if not matches(pattern, ours):
        return ("ours should print %r (%s)\n--- reference\n%s--- ours\n%s"
                % (pattern, reason, reference, ours))
    return None


def matches(pattern, text):
    """Whether `text` is `pattern`, where `*` stands for any text (newlines too) and every other
    character for itself."""
    regex = ".*".join(re.escape(part) for part in pattern.split("*"))
    return re.match("(?s)%s\\Z" % regex, text) is not None


_RESULTS = {}


def results_for(version, log=None):
    """({"ours", "reference"} -> {name: output}, versions) for a reference release (run once)."""
    if version not in _RESULTS:
        try:
            python = reference_python(version)
        except ReferenceUnavailable as error:
            _RESULTS[version] = error
        else:
            _RESULTS[version] = run_snippets(python, SNIPPETS, log)
    result = _RESULTS[version]
    if isinstance(result, ReferenceUnavailable):
        raise result
    return result


@pytest.fixture(scope="module", params=REFERENCE_VERSIONS)
def outputs(request):
    try:
        return results_for(request.param)
    except ReferenceUnavailable as error:
        message = "the reference cloudtower-sdk==%s cannot be installed here: %s" % (request.param, error)
        if os.environ.get("DIFFERENTIAL_REQUIRED"):
            pytest.fail(message)
        pytest.skip(message)


def _marks(name):
    if name in KNOWN_BROKEN:
        return [pytest.mark.xfail(reason="known difference: %s" % KNOWN_BROKEN[name], strict=False)]
    return []


@pytest.mark.parametrize("name", [pytest.param(name, marks=_marks(name)) for name in SNIPPETS])
def test_snippet(outputs, name):
    results, _ = outputs
    problem = compare(name, results["ours"][name], results["reference"][name])
    assert problem is None, problem


def test_the_lists_name_snippets_that_exist():
    for listed in (INTENDED, KNOWN_BROKEN):
        missing = [name for name in listed if name not in SNIPPETS]
        assert not missing, "no such snippets: %s" % ", ".join(missing)


def test_there_are_enough_snippets():
    assert len(SNIPPETS) >= 369


# ----------------------------------------------------------------------------------------------
# The report (KNOWN.md).

def report(results, versions, version):
    """KNOWN.md (every KNOWN_BROKEN snippet with both outputs, by what differs) and the snippets
    that fail outside KNOWN_BROKEN, as (name, problem) pairs."""
    groups = collections.OrderedDict()
    for name, why in KNOWN_BROKEN.items():
        groups.setdefault(why, []).append(name)
    lines = ["# Known differences from cloudtower-sdk %s" % version, "",
             "Written by `tests/once/test_differential.py` run as a script (do not edit by hand): the",
             "snippets of the differential test whose output differs from the reference's today and that",
             "are not intended differences (or not yet as intended). Each is listed in `KNOWN_BROKEN` of",
             "tests/once/test_differential.py and expected to fail until fixed; remove it there when its",
             "fix lands. Outputs are normalized (see differential/runner.py); `-> ...` lines are the",
             "requests the simulator received; very long lines are cut.", "",
             "Ours: %s; reference: %s. %d snippets, %d intended differences, %d known differences."
             % (versions["ours"], versions["reference"], len(SNIPPETS), len(INTENDED), len(KNOWN_BROKEN)), "",
             "## Summary", ""]
    lines += ["- %s: %d snippet%s" % (why, len(names), "" if len(names) == 1 else "s")
              for why, names in groups.items()] or ["None: every difference left is intended (`INTENDED`, each with "
                                                    "its reason)."]
    for why, names in groups.items():
        lines += ["", "## %s" % why]
        for name in names:
            fixed = compare(name, results["ours"][name], results["reference"][name]) is None
            lines += ["", "### %s%s" % (name, " (fixed: remove it from KNOWN_BROKEN)" if fixed else ""), "",
                      "```python", SNIPPETS[name].rstrip(), "```", "", "reference:", "", "```",
                      _cut(results["reference"][name]), "```", "", "ours:", "", "```", _cut(results["ours"][name]), "```"]
            if name in INTENDED:
                lines += ["", "ours should print (`*`: any text; %s):" % INTENDED[name][0], "", "```",
                          INTENDED[name][1].rstrip(), "```"]
    failing = [(name, problem) for name, problem in
               ((name, compare(name, results["ours"][name], results["reference"][name])) for name in SNIPPETS)
               if problem and name not in KNOWN_BROKEN]
    return "\n".join(lines) + "\n", failing


def _cut(output, width=300):
    return "\n".join(line if len(line) <= width else "%s... (%d more characters)" % (line[:width], len(line) - width)
                     for line in output.rstrip().splitlines())


def main():
    parser = argparse.ArgumentParser(description="Run the differential snippets and write KNOWN.md.")
    parser.add_argument("--reference", default=REFERENCE_VERSIONS[0], help="the reference release")
    parser.add_argument("--known", default=KNOWN_FILE, help="where to write the report (- for stdout)")
    parser.add_argument("--show", action="append", default=[], help="print both outputs of a snippet (fnmatch)")
    parser.add_argument("--dump", help="write every output to this JSON file")
    args = parser.parse_args()
    started = time.time()
    results, versions = results_for(args.reference, log=lambda text: print(text, file=sys.stderr))
    text, failing = report(results, versions, args.reference)
    if args.known == "-":
        print(text)
    else:
        with open(args.known, "w") as handle:
            handle.write(text)
    if args.dump:
        with open(args.dump, "w") as handle:
            json.dump(dict((name, {"code": SNIPPETS[name], "reference": results["reference"][name],
                                   "ours": results["ours"][name]}) for name in SNIPPETS), handle, indent=1)
    for pattern in args.show:
        for name in SNIPPETS:
            if fnmatch.fnmatchcase(name, pattern):
                print("=== %s\n%s--- reference\n%s--- ours\n%s" % (name, SNIPPETS[name], results["reference"][name],
                                                                   results["ours"][name]))
    for name, problem in failing:
        print("FAIL %s: %s" % (name, problem))
    print("%d snippets in %.1f s; %d fail outside KNOWN_BROKEN" % (len(SNIPPETS), time.time() - started,
                                                                  len(failing)), file=sys.stderr)
    return 1 if failing else 0


if __name__ == "__main__":
    sys.path.insert(0, ROOT)
    sys.path.insert(0, os.path.join(ROOT, "tests"))
    sys.exit(main())
