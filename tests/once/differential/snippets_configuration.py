# Configuration (issue 7, item 8). The default of each field is a generated family.

### host_default
from cloudtower import Configuration
show(Configuration().host)

### host_given
from cloudtower import Configuration
show(Configuration(host="http://tower/v2/api").host)

### host_set
from cloudtower import Configuration
configuration = Configuration()
configuration.host = "http://tower/v2/api"
show(configuration.host, configuration.server_index)

### host_trailing_slash
from cloudtower import Configuration
show(Configuration(host="http://tower/v2/api/").host)

### server_index_default
from cloudtower import Configuration
show(Configuration().server_index, Configuration(host="http://x").server_index)

### api_key_dict_kept
from cloudtower import Configuration
keys = {"Authorization": "token"}
configuration = Configuration(api_key=keys)
keys["Authorization"] = "changed"
show(configuration.api_key is keys, configuration.api_key["Authorization"])

### api_key_prefix_dict_kept
from cloudtower import Configuration
prefixes = {"Authorization": "Bearer"}
configuration = Configuration(api_key_prefix=prefixes)
show(configuration.api_key_prefix is prefixes)

### api_key_empty_dict
from cloudtower import Configuration
keys = {}
configuration = Configuration(api_key=keys)
configuration.api_key["Authorization"] = "t"
show(keys)

### api_key_with_prefix
from cloudtower import Configuration
configuration = Configuration(api_key={"Authorization": "t"}, api_key_prefix={"Authorization": "Bearer"})
show(configuration.get_api_key_with_prefix("Authorization"))

### api_key_without_prefix
from cloudtower import Configuration
configuration = Configuration(api_key={"Authorization": "t"})
show(configuration.get_api_key_with_prefix("Authorization"), configuration.get_api_key_with_prefix("Other"))

### api_key_alias
from cloudtower import Configuration
configuration = Configuration(api_key={"alias": "t"})
show(configuration.get_api_key_with_prefix("Authorization", alias="alias"))

### api_key_empty_value
from cloudtower import Configuration
configuration = Configuration(api_key={"Authorization": ""})
show(configuration.get_api_key_with_prefix("Authorization"), configuration.auth_settings())

### refresh_api_key_hook
from cloudtower import Configuration
configuration = Configuration()
def refresh(conf):
    conf.api_key["Authorization"] = "fresh"
configuration.refresh_api_key_hook = refresh
show(configuration.get_api_key_with_prefix("Authorization"))

### refresh_hook_used_in_request
from cloudtower import VmApi
api_client = client()
api_client.configuration.api_key = {}
def refresh(conf):
    conf.api_key["Authorization"] = token
api_client.configuration.refresh_api_key_hook = refresh
show(len(VmApi(api_client).get_vms({"first": 1})))

### auth_settings_token
from cloudtower import Configuration
show(Configuration(api_key={"Authorization": "t"}).auth_settings())

### auth_settings_empty
from cloudtower import Configuration
show(Configuration().auth_settings())

### auth_settings_basic
from cloudtower import Configuration
show(Configuration(username="u", password="p").auth_settings())

### auth_settings_username_only
from cloudtower import Configuration
show(Configuration(username="u").auth_settings())

### basic_auth_token
from cloudtower import Configuration
show(Configuration(username="user", password="pa:ss").get_basic_auth_token())

### basic_auth_token_empty
from cloudtower import Configuration
show(Configuration().get_basic_auth_token())

### host_settings
from cloudtower import Configuration
show(Configuration().get_host_settings())

### host_from_settings_none
from cloudtower import Configuration
show(Configuration(host="http://x/v2/api").get_host_from_settings(None))

### host_from_settings_zero
from cloudtower import Configuration
show(Configuration(host="http://x/v2/api").get_host_from_settings(0))

### host_from_settings_out_of_range
from cloudtower import Configuration
show(attempt(Configuration().get_host_from_settings, 3))

### host_from_settings_servers
from cloudtower import Configuration
servers = [{"url": "https://{region}.example/api", "variables": {"region": {"default_value": "eu", "enum_values": ["eu", "us"]}}}]
show(Configuration().get_host_from_settings(0, variables={"region": "us"}, servers=servers),
     Configuration().get_host_from_settings(0, servers=servers))

### host_from_settings_bad_variable
from cloudtower import Configuration
servers = [{"url": "https://{region}.example/api", "variables": {"region": {"default_value": "eu", "enum_values": ["eu", "us"]}}}]
show(attempt(Configuration().get_host_from_settings, 0, variables={"region": "mars"}, servers=servers))

### debug_default
from cloudtower import Configuration
show(Configuration().debug)

### debug_on_logger_levels
import logging
from cloudtower import Configuration
configuration = Configuration()
configuration.debug = True
show(configuration.debug, logging.getLogger("cloudtower").level, logging.getLogger("urllib3").level)

### debug_off_logger_levels
import logging
from cloudtower import Configuration
configuration = Configuration()
configuration.debug = True
configuration.debug = False
show(configuration.debug, logging.getLogger("cloudtower").level, logging.getLogger("urllib3").level)

### debug_value_kept
from cloudtower import Configuration
configuration = Configuration()
configuration.debug = 1
show(configuration.debug)

### logger_keys
from cloudtower import Configuration
show(sorted(Configuration().logger), Configuration().logger["package_logger"].name)

### logger_file_default
from cloudtower import Configuration
show(Configuration().logger_file, Configuration().logger_file_handler)

### logger_file_set
import os
import logging
from cloudtower import Configuration
configuration = Configuration()
path = os.path.join(tmp, "sdk.log")
configuration.logger_file = path
logging.getLogger("cloudtower").warning("hello")
configuration.logger_file_handler.flush()
show(configuration.logger_file == path, "hello" in open(path).read(), type(configuration.logger_file_handler).__name__)

### logger_format
from cloudtower import Configuration
configuration = Configuration()
configuration.logger_format = "%(message)s"
show(configuration.logger_format, type(configuration.logger_formatter).__name__)

### logger_formatter_uses_format
import logging
from cloudtower import Configuration
configuration = Configuration()
configuration.logger_format = "<%(message)s>"
record = logging.LogRecord("x", logging.INFO, "x.py", 1, "hi", None, None)
show(configuration.logger_formatter.format(record))

### set_default_and_copy
from cloudtower import Configuration
configuration = Configuration(host="http://default/v2/api")
Configuration.set_default(configuration)
copy = Configuration.get_default_copy()
show(copy.host, copy is configuration)

### set_default_used_by_client
from cloudtower import ApiClient, Configuration
Configuration.set_default(Configuration(host="http://default/v2/api"))
show(ApiClient().configuration.host)

### set_default_used_by_model
from cloudtower import Configuration
from cloudtower.models import NestedCluster
configuration = Configuration()
configuration.client_side_validation = False
Configuration.set_default(configuration)
show(attempt(NestedCluster, id=None))

### get_default_copy_fresh
from cloudtower import Configuration
show(Configuration.get_default_copy().host, Configuration.get_default_copy() is Configuration.get_default_copy())

### deepcopy
import copy
from cloudtower import Configuration
configuration = Configuration(host="http://x/v2/api", api_key={"Authorization": "t"})
clone = copy.deepcopy(configuration)
clone.api_key["Authorization"] = "u"
show(clone.host, configuration.api_key["Authorization"], clone.logger["package_logger"] is configuration.logger["package_logger"])

### copy_shallow
import copy
from cloudtower import Configuration
configuration = Configuration(host="http://x/v2/api", api_key={"Authorization": "t"})
clone = copy.copy(configuration)
show(clone.host, clone.api_key is configuration.api_key)

### debug_report
from cloudtower import Configuration
report = Configuration().to_debug_report()
show(report.splitlines()[0], len(report.splitlines()), [line.split(":")[0] for line in report.splitlines()])

### disabled_client_side_validations
from cloudtower import Configuration
configuration = Configuration(disabled_client_side_validations="maxLength,minLength")
show(configuration.disabled_client_side_validations)

### disabled_client_side_validations_bad
from cloudtower import Configuration
show(attempt(Configuration, disabled_client_side_validations="noSuchKeyword"))

### set_unknown_attribute
from cloudtower import Configuration
configuration = Configuration()
configuration.my_setting = 1
show(configuration.my_setting)

### client_side_validation_off_body
from cloudtower import VmApi
api_client = client()
api_client.configuration.client_side_validation = False
show(attempt(VmApi(api_client).get_vms, {"first": "two"}))

### client_side_validation_client_attribute
from cloudtower import ApiClient, Configuration
configuration = Configuration()
configuration.client_side_validation = False
show(ApiClient(configuration).client_side_validation)

### client_side_validation_client_later
from cloudtower import ApiClient, Configuration
configuration = Configuration()
api_client = ApiClient(configuration)
configuration.client_side_validation = False
show(api_client.client_side_validation)

### connection_pool_maxsize
import multiprocessing
from cloudtower import Configuration
show(Configuration().connection_pool_maxsize == multiprocessing.cpu_count() * 5)

### proxy_used
from cloudtower import ApiClient, Configuration
configuration = Configuration(host="http://tower/v2/api")
configuration.proxy = "http://127.0.0.1:3128"
configuration.proxy_headers = {"X-Proxy": "1"}
show(type(ApiClient(configuration).rest_client.pool_manager).__name__)

### pool_manager_type
from cloudtower import ApiClient, Configuration
show(type(ApiClient(Configuration()).rest_client.pool_manager).__name__)

### pool_maxsize_applied
from cloudtower import ApiClient, Configuration
configuration = Configuration()
configuration.connection_pool_maxsize = 7
show(ApiClient(configuration).rest_client.pool_manager.connection_pool_kw.get("maxsize"))

### retries_applied
from cloudtower import ApiClient, Configuration
configuration = Configuration()
configuration.retries = 2
show(ApiClient(configuration).rest_client.pool_manager.connection_pool_kw.get("retries"))

### verify_ssl_false_pool
import ssl
from cloudtower import ApiClient, Configuration
configuration = Configuration()
configuration.verify_ssl = False
show(ApiClient(configuration).rest_client.pool_manager.connection_pool_kw.get("cert_reqs") == ssl.CERT_NONE)

### ssl_ca_cert_pool
from cloudtower import ApiClient, Configuration
configuration = Configuration(ssl_ca_cert="/path/ca.pem")
show(ApiClient(configuration).rest_client.pool_manager.connection_pool_kw.get("ca_certs"))

### ca_certs_default_pool
from cloudtower import ApiClient, Configuration
show(ApiClient(Configuration()).rest_client.pool_manager.connection_pool_kw.get("ca_certs"))

### cert_file_pool
from cloudtower import ApiClient, Configuration
configuration = Configuration()
configuration.cert_file = "/path/client.pem"
configuration.key_file = "/path/client.key"
kw = ApiClient(configuration).rest_client.pool_manager.connection_pool_kw
show(kw.get("cert_file"), kw.get("key_file"))

### socket_options_pool
import socket
from cloudtower import ApiClient, Configuration
configuration = Configuration()
configuration.socket_options = [(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)]
show(ApiClient(configuration).rest_client.pool_manager.connection_pool_kw.get("socket_options"))

### assert_hostname_pool
from cloudtower import ApiClient, Configuration
configuration = Configuration()
configuration.assert_hostname = False
show(ApiClient(configuration).rest_client.pool_manager.connection_pool_kw.get("assert_hostname"))

### repr_configuration
from cloudtower import Configuration
show(repr(Configuration(host="http://x/v2/api")).startswith("<cloudtower.configuration.Configuration object"))

### server_variables
from cloudtower import Configuration
configuration = Configuration(server_variables={"a": "b"}, server_operation_index={"x": 1}, server_operation_variables={"y": {}})
show(configuration.server_variables, configuration.server_operation_index, configuration.server_operation_variables)
