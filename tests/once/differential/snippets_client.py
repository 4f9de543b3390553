# ApiClient and the REST client: the helpers scripts call directly (issue 7, items 7 and 8).

### primitive_types
from cloudtower import ApiClient
show(sorted(t.__name__ for t in ApiClient.PRIMITIVE_TYPES))

### native_types_mapping
from cloudtower import ApiClient
show(sorted((k, v.__name__) for k, v in ApiClient.NATIVE_TYPES_MAPPING.items()))

### user_agent
show(client().user_agent)

### user_agent_set
api_client = client()
api_client.user_agent = "my-script/1.0"
from cloudtower import VmApi
VmApi(api_client).get_vms({"first": 1})
show(api_client.user_agent, api_client.default_headers["User-Agent"])

### default_headers
from cloudtower import ApiClient
show(sorted(ApiClient().default_headers))

### set_default_header
from cloudtower import ApiClient
api_client = ApiClient()
api_client.set_default_header("X-A", "1")
show(api_client.default_headers["X-A"])

### set_default_header_content_language_keyword
from cloudtower import VmApi
api_client = client()
api_client.set_default_header("content_language", "zh-CN")
show(sorted(api_client.default_headers))
VmApi(api_client).get_vms({"first": 1})

### header_name_constructor
from cloudtower import ApiClient
show(ApiClient(header_name="X-B", header_value="2").default_headers.get("X-B"))

### cookie_attribute
from cloudtower import ApiClient
show(ApiClient(cookie="a=b").cookie, ApiClient().cookie)

### pool_threads_attribute
from cloudtower import ApiClient
show(ApiClient().pool_threads, ApiClient(pool_threads=4).pool_threads)

### pool_property
from cloudtower import ApiClient
api_client = ApiClient()
pool = api_client.pool
show(type(pool).__name__, api_client.pool is pool)
api_client.close()

### close_twice
from cloudtower import ApiClient
api_client = ApiClient()
api_client.pool
api_client.close()
api_client.close()
show("closed")

### context_manager
from cloudtower import ApiClient, VmApi, Configuration
configuration = Configuration(host=url)
configuration.api_key["Authorization"] = token
with ApiClient(configuration) as api_client:
    show(type(api_client).__name__, len(VmApi(api_client).get_vms({"first": 1})))

### configuration_default
from cloudtower import ApiClient
show(ApiClient().configuration.host)

### client_side_validation_attribute
from cloudtower import ApiClient
show(ApiClient().client_side_validation)

### last_response_before_call
from cloudtower import ApiClient
show(attempt(getattr, ApiClient(), "last_response"))

### last_response_after_call
from cloudtower import VmApi
api_client = client()
VmApi(api_client).get_vms({"first": 1})
show(type(api_client.last_response).__name__, api_client.last_response.status, api_client.last_response.reason)

### last_response_after_error
from cloudtower import VmApi
api_client = client()
VmApi(api_client).get_vms({"first": 1})
sim("fault", kind="status", operation="/get-vms", status=404, count=1)
attempt(VmApi(api_client).get_vms, {"first": 1})
show(api_client.last_response.status)

### last_response_getheaders
from cloudtower import VmApi
api_client = client()
VmApi(api_client).get_vms({"first": 1})
show(type(api_client.last_response.getheaders()).__name__, api_client.last_response.getheader("x-none", "dflt"))

### sanitize_model
from cloudtower import ApiClient
from cloudtower.models import GetVmsRequestBody, VmWhereInput
show(ApiClient().sanitize_for_serialization(GetVmsRequestBody(where=VmWhereInput(entity_async_status="CREATING"), first=1)))

### sanitize_dict_attribute_keys
from cloudtower import ApiClient
show(ApiClient().sanitize_for_serialization({"order_by": "name_ASC", "where": {"entity_async_status": None}}))

### sanitize_none_values
from cloudtower import ApiClient
show(ApiClient().sanitize_for_serialization({"a": None, "b": [None, 1]}))

### sanitize_datetime
import datetime
from cloudtower import ApiClient
show(ApiClient().sanitize_for_serialization([datetime.datetime(2024, 1, 2, 3, 4, 5), datetime.date(2024, 1, 2)]))

### sanitize_tuple
from cloudtower import ApiClient
show(ApiClient().sanitize_for_serialization((1, "a", (2,))))

### sanitize_bytes
from cloudtower import ApiClient
show(ApiClient().sanitize_for_serialization(b"abc"))

### sanitize_bytes_nested
from cloudtower import ApiClient
show(ApiClient().sanitize_for_serialization({"a": [b"x", (1, b"y")]}))

### sanitize_model_in_list
from cloudtower import ApiClient
from cloudtower.models import NestedCluster
show(ApiClient().sanitize_for_serialization([NestedCluster(id="c"), {"x": NestedCluster(name="n")}]))

### sanitize_enum_value
from cloudtower import ApiClient
from cloudtower.models import VmStatus
show(ApiClient().sanitize_for_serialization({"status": VmStatus.RUNNING}))

### sanitize_model_with_dict_field
from cloudtower import ApiClient
from cloudtower.models import Vm
show(ApiClient().sanitize_for_serialization(Vm(cluster={"id": "c"}, name="n")))

### sanitize_set
from cloudtower import ApiClient
show(attempt(ApiClient().sanitize_for_serialization, {"a": {1}}))

### sanitize_object
from cloudtower import ApiClient
class Thing(object):
    pass
show(attempt(ApiClient().sanitize_for_serialization, Thing()))

### sanitize_decoded_model
from cloudtower import VmApi
api_client = client()
vm = VmApi(api_client).get_vms({"where": {"name": "web-01"}})[0]
show(api_client.sanitize_for_serialization(vm.cluster), sorted(api_client.sanitize_for_serialization(vm))[:5])

### sanitize_float_int
from cloudtower import ApiClient
show(ApiClient().sanitize_for_serialization({"a": 1.0, "b": 2, "c": True}))

### parameters_to_tuples_dict
from cloudtower import ApiClient
show(ApiClient().parameters_to_tuples({"a": 1, "b": [1, 2]}, None))

### parameters_to_tuples_formats
from cloudtower import ApiClient
show([ApiClient().parameters_to_tuples({"a": [1, 2]}, {"a": style}) for style in ("multi", "csv", "ssv", "tsv", "pipes")])

### parameters_to_tuples_pairs
from cloudtower import ApiClient
show(ApiClient().parameters_to_tuples([("a", 1), ("a", 2)], {}))

### select_header_accept
from cloudtower import ApiClient
api_client = ApiClient()
show(api_client.select_header_accept(["application/json", "text/plain"]), api_client.select_header_accept(["text/plain", "text/html"]),
     api_client.select_header_accept([]), api_client.select_header_accept(["Application/JSON"]))

### select_header_content_type
from cloudtower import ApiClient
api_client = ApiClient()
show(api_client.select_header_content_type([]), api_client.select_header_content_type(["multipart/form-data"]),
     api_client.select_header_content_type(["text/plain", "application/json"]), api_client.select_header_content_type(["*/*"]))

### select_header_content_type_patch
from cloudtower import ApiClient
show(ApiClient().select_header_content_type(["application/json-patch+json", "application/json"], "PATCH", [{}]))

### update_params_for_auth
from cloudtower import ApiClient, Configuration
api_client = ApiClient(Configuration(api_key={"Authorization": "t"}))
headers, queries = {}, []
api_client.update_params_for_auth(headers, queries, ["Authorization"])
show(headers, queries)

### update_params_for_auth_none
from cloudtower import ApiClient, Configuration
api_client = ApiClient(Configuration(api_key={"Authorization": "t"}))
headers, queries = {}, []
api_client.update_params_for_auth(headers, queries, [])
show(headers, queries)

### update_params_for_auth_request_auth
from cloudtower import ApiClient
headers, queries = {}, []
ApiClient().update_params_for_auth(headers, queries, ["Authorization"], {"in": "query", "key": "k", "value": "v"})
show(headers, queries)

### update_params_for_auth_cookie
from cloudtower import ApiClient
headers, queries = {}, []
ApiClient().update_params_for_auth(headers, queries, ["Authorization"], {"in": "cookie", "key": "k", "value": "c=1"})
show(headers, queries)

### update_params_for_auth_bad_place
from cloudtower import ApiClient
show(attempt(ApiClient().update_params_for_auth, {}, [], ["Authorization"], {"in": "body", "key": "k", "value": "v"}))

### update_params_for_auth_unknown_setting
from cloudtower import ApiClient, Configuration
api_client = ApiClient(Configuration(api_key={"Authorization": "t"}))
headers, queries = {}, []
api_client.update_params_for_auth(headers, queries, ["NoSuchScheme"])
show(headers, queries)

### update_params_for_auth_basic
from cloudtower import ApiClient, Configuration
api_client = ApiClient(Configuration(username="u", password="p"))
headers, queries = {}, []
api_client.update_params_for_auth(headers, queries, ["Basic"])
show(headers)

### request_get
api_client = client()
show(attempt(api_client.request, "GET", url + "/get-vms"))

### request_post_status
import json
api_client = client()
response = api_client.request("POST", url + "/get-vms", headers={"Content-Type": "application/json", "Authorization": token}, body={"first": 1})
show(type(response).__name__, response.status, type(response.data).__name__, len(json.loads(response.data)))

### request_post_data_type
api_client = client()
response = api_client.request("POST", url + "/get-vms", headers={"Content-Type": "application/json", "Authorization": token}, body={"first": 1})
show(type(response.data).__name__)

### request_unknown_method
api_client = client()
show(attempt(api_client.request, "TRACE", url + "/get-vms"))

### request_lowercase_method
api_client = client()
show(attempt(lambda: api_client.request("post", url + "/get-vms", headers={"Content-Type": "application/json", "Authorization": token}, body={"first": 1}).status))

### request_no_headers
api_client = client()
show(attempt(lambda: api_client.request("POST", url + "/get-vms", body={"first": 1})))

### request_body_string
api_client = client()
show(attempt(lambda: api_client.request("POST", url + "/get-vms", headers={"Content-Type": "application/json", "Authorization": token}, body='{"first": 1}').status))

### request_body_and_post_params
api_client = client()
show(attempt(api_client.request, "POST", url + "/get-vms", headers={"Content-Type": "application/json"}, body={"a": 1}, post_params=[("b", "2")]))

### request_form_urlencoded
api_client = client()
show(attempt(lambda: api_client.request("POST", url + "/get-vms", headers={"Content-Type": "application/x-www-form-urlencoded", "Authorization": token}, post_params=[("first", "1")]).status))

### request_unsupported_content_type
api_client = client()
show(attempt(api_client.request, "POST", url + "/get-vms", headers={"Content-Type": "text/plain", "Authorization": token}, body={"first": 1}))

### request_preload_false
api_client = client()
response = api_client.request("POST", url + "/get-vms", headers={"Content-Type": "application/json", "Authorization": token}, body={"first": 1}, _preload_content=False)
show(type(response).__name__, response.status)

### request_timeout
api_client = client()
show(attempt(lambda: api_client.request("POST", url + "/get-vms", headers={"Content-Type": "application/json", "Authorization": token}, body={"first": 1}, _request_timeout=(5, 5)).status))

### request_timeout_bad
api_client = client()
show(attempt(lambda: api_client.request("POST", url + "/get-vms", headers={"Content-Type": "application/json", "Authorization": token}, body={"first": 1}, _request_timeout="soon").status))

### request_query_params_post
api_client = client()
show(attempt(lambda: api_client.request("POST", url + "/get-vms", query_params=[("x", "1")], headers={"Content-Type": "application/json", "Authorization": token}, body={"first": 1}).status))

### rest_get
api_client = client()
show(attempt(api_client.rest_client.GET, url + "/get-vms", headers={"Authorization": token}))

### rest_post
api_client = client()
response = api_client.rest_client.POST(url + "/get-vms", headers={"Content-Type": "application/json", "Authorization": token}, body={"first": 1})
show(type(response).__name__, response.status)

### rest_delete
api_client = client()
show(attempt(api_client.rest_client.DELETE, url + "/get-vms", headers={"Authorization": token}))

### rest_head
api_client = client()
show(attempt(api_client.rest_client.HEAD, url + "/get-vms", headers={"Authorization": token}))

### rest_options
api_client = client()
show(attempt(api_client.rest_client.OPTIONS, url + "/get-vms", headers={"Authorization": token}))

### rest_put
api_client = client()
show(attempt(api_client.rest_client.PUT, url + "/get-vms", headers={"Content-Type": "application/json", "Authorization": token}, body={"first": 1}))

### rest_patch
api_client = client()
show(attempt(api_client.rest_client.PATCH, url + "/get-vms", headers={"Content-Type": "application/json", "Authorization": token}, body={"first": 1}))

### rest_request_method
api_client = client()
show(attempt(api_client.rest_client.request, "FETCH", url + "/get-vms"))

### rest_response_class
from cloudtower import rest
api_client = client()
response = api_client.rest_client.POST(url + "/get-vms", headers={"Content-Type": "application/json", "Authorization": token}, body={"first": 1})
show(isinstance(response, rest.RESTResponse), type(response.urllib3_response).__name__, response.reason)

### rest_response_getheaders
api_client = client()
response = api_client.rest_client.POST(url + "/get-vms", headers={"Content-Type": "application/json", "Authorization": token}, body={"first": 1})
show(type(response.getheaders()).__name__, response.getheader("Content-Type"), response.getheader("none", "d"))

### rest_client_object_constructor
from cloudtower import rest, Configuration
rest_client = rest.RESTClientObject(Configuration(), pools_size=2, maxsize=3)
show(rest_client.pool_manager.connection_pool_kw.get("maxsize"), type(rest_client.pool_manager).__name__)

### rest_module_exceptions
from cloudtower import rest
show([hasattr(rest, name) for name in ("ApiException", "NotFoundException", "UnauthorizedException",
                                        "ForbiddenException", "ServiceException", "ApiValueError")])

### rest_import_not_found
from cloudtower.rest import NotFoundException, UnauthorizedException, ForbiddenException, ServiceException, ApiException
show(issubclass(NotFoundException, ApiException), ServiceException.__name__)

### rest_logger
from cloudtower import rest
show(rest.logger.name)

### rest_response_io
from cloudtower import rest
import io
show(issubclass(rest.RESTResponse, io.IOBase))
