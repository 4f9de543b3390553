# HTTPS (issue 7, items 5 and 6): `tls_url` is a simulator serving the test-only certificate of
# tests/data (`tls_ca`), which no default trust store holds.

### untrusted_certificate
from cloudtower import ApiClient, Configuration, VmApi
configuration = Configuration(host=tls_url)
configuration.api_key["Authorization"] = tls_token
show(attempt(VmApi(ApiClient(configuration)).get_vms, {"first": 1}))

### untrusted_certificate_caught_as_urllib3
import urllib3
from cloudtower import ApiClient, Configuration, VmApi
configuration = Configuration(host=tls_url)
configuration.api_key["Authorization"] = tls_token
api = VmApi(ApiClient(configuration))
show(catching(lambda: api.get_vms({"first": 1}), urllib3.exceptions.MaxRetryError))

### untrusted_certificate_without_retries
from cloudtower import ApiClient, Configuration, VmApi
configuration = Configuration(host=tls_url)
configuration.api_key["Authorization"] = tls_token
configuration.retries = False
show(attempt(VmApi(ApiClient(configuration)).get_vms, {"first": 1}))

### ssl_ca_cert_trusts
from cloudtower import ApiClient, Configuration, VmApi
configuration = Configuration(host=tls_url)
configuration.api_key["Authorization"] = tls_token
configuration.ssl_ca_cert = tls_ca
show(VmApi(ApiClient(configuration)).get_vms({"first": 1}))

### ssl_ca_cert_constructor
from cloudtower import ApiClient, Configuration, VmApi
configuration = Configuration(host=tls_url, ssl_ca_cert=tls_ca)
configuration.api_key["Authorization"] = tls_token
show(VmApi(ApiClient(configuration)).get_vms({"first": 1}))

### verify_ssl_false
from cloudtower import ApiClient, Configuration, VmApi
configuration = Configuration(host=tls_url)
configuration.api_key["Authorization"] = tls_token
configuration.verify_ssl = False
show(VmApi(ApiClient(configuration)).get_vms({"first": 1}))

### ssl_cert_file_environment
import os
from cloudtower import ApiClient, Configuration, VmApi
os.environ["SSL_CERT_FILE"] = tls_ca
configuration = Configuration(host=tls_url)
configuration.api_key["Authorization"] = tls_token
show(attempt(VmApi(ApiClient(configuration)).get_vms, {"first": 1}))

### ssl_cert_file_login
import os
from cloudtower import ApiClient, Configuration
from cloudtower.utils import login
os.environ["SSL_CERT_FILE"] = tls_ca
api_client = ApiClient(Configuration(host=tls_url))
show(attempt(login, api_client, "root", "root"), "Authorization" in api_client.configuration.api_key)

### ssl_cert_dir_environment
import os
import shutil
import subprocess
from cloudtower import ApiClient, Configuration, VmApi
folder = os.path.join(tmp, "certs")
os.mkdir(folder)
shutil.copy(tls_ca, os.path.join(folder, "ca.pem"))
subprocess.call(["openssl", "rehash", folder], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
os.environ["SSL_CERT_DIR"] = folder
os.environ["SSL_CERT_FILE"] = os.path.join(tmp, "none.pem")
configuration = Configuration(host=tls_url)
configuration.api_key["Authorization"] = tls_token
show(attempt(VmApi(ApiClient(configuration)).get_vms, {"first": 1}))

### assert_hostname_false
from cloudtower import ApiClient, Configuration, VmApi
configuration = Configuration(host=tls_url.replace("127.0.0.1", "localhost"))
configuration.api_key["Authorization"] = tls_token
configuration.ssl_ca_cert = tls_ca
configuration.assert_hostname = False
show(len(VmApi(ApiClient(configuration)).get_vms({"first": 1})))

### http_to_https_port
from cloudtower import ApiClient, Configuration, VmApi
configuration = Configuration(host=tls_url.replace("https://", "http://"))
configuration.api_key["Authorization"] = tls_token
configuration.retries = False
show(attempt(VmApi(ApiClient(configuration)).get_vms, {"first": 1}))

### untrusted_certificate_caught_as_api_exception
import urllib3
from cloudtower import ApiClient, ApiException, Configuration, VmApi
configuration = Configuration(host=tls_url)
configuration.api_key["Authorization"] = tls_token
api = VmApi(ApiClient(configuration))
show(catching(lambda: api.get_vms({"first": 1}), ApiException, urllib3.exceptions.MaxRetryError))

