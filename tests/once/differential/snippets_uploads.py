# Multipart uploads: the file as a path or bytes, the form fields, what the server keeps.

### elf_image_from_path
import os
from cloudtower import ElfImageApi, ClusterApi
api_client = client()
cluster = ClusterApi(api_client).get_clusters({"where": {"name": "elf-prod"}})[0]
path = os.path.join(tmp, "disk.iso")
with open(path, "wb") as handle:
    handle.write(b"ISO" * 100)
tasks = ElfImageApi(api_client).create_elf_image(path, cluster_id=cluster.id, name="disk", size="300", size_unit="B")
show(isinstance(tasks, list), tasks[0].status, tasks[0].size)

### elf_image_from_bytes
from cloudtower import ElfImageApi, ClusterApi
api_client = client()
cluster = ClusterApi(api_client).get_clusters({"where": {"name": "elf-prod"}})[0]
tasks = ElfImageApi(api_client).create_elf_image(b"0123456789", cluster_id=cluster.id, name="tiny", size="10")
show(tasks[0].status, tasks[0].current_chunk)

### elf_image_size_as_int
from cloudtower import ElfImageApi, ClusterApi
api_client = client()
cluster = ClusterApi(api_client).get_clusters({"where": {"name": "elf-prod"}})[0]
show(attempt(ElfImageApi(api_client).create_elf_image, b"0123456789", cluster_id=cluster.id, name="tiny", size=10))

### elf_image_file_object
from cloudtower import ElfImageApi, ClusterApi
import io
api_client = client()
cluster = ClusterApi(api_client).get_clusters({"where": {"name": "elf-prod"}})[0]
show(attempt(ElfImageApi(api_client).create_elf_image, io.BytesIO(b"0123456789"), cluster_id=cluster.id, name="tiny", size="10"))

### elf_image_open_file
import os
from cloudtower import ElfImageApi, ClusterApi
api_client = client()
cluster = ClusterApi(api_client).get_clusters({"where": {"name": "elf-prod"}})[0]
path = os.path.join(tmp, "disk.iso")
with open(path, "wb") as handle:
    handle.write(b"0123456789")
with open(path, "rb") as handle:
    show(attempt(ElfImageApi(api_client).create_elf_image, handle, cluster_id=cluster.id, name="tiny", size="10"))

### elf_image_int_file
from cloudtower import ElfImageApi
show(attempt(ElfImageApi(client()).create_elf_image, 12345, cluster_id="c", name="x", size="10"))

### elf_image_missing_path
import os
from cloudtower import ElfImageApi
show(attempt(ElfImageApi(client()).create_elf_image, os.path.join(tmp, "missing.iso"), cluster_id="c", size="1"))

### elf_image_no_file
from cloudtower import ElfImageApi
show(attempt(ElfImageApi(client()).create_elf_image, None, cluster_id="c", size="1"))

### elf_image_empty_bytes
from cloudtower import ElfImageApi
show(attempt(ElfImageApi(client()).create_elf_image, b"", cluster_id="c", size="1"))

### elf_image_unknown_cluster
from cloudtower import ElfImageApi
show(attempt(ElfImageApi(client()).create_elf_image, b"0123456789", cluster_id="no-such", name="x", size="10"))

### elf_image_two_chunks
from cloudtower import ElfImageApi, ClusterApi
api_client = client()
cluster = ClusterApi(api_client).get_clusters({"where": {"name": "elf-prod"}})[0]
api = ElfImageApi(api_client)
first = api.create_elf_image(b"x" * 8 * 1024 * 1024, cluster_id=cluster.id, name="big", size="9", size_unit="MB")
show(first[0].status)
second = api.create_elf_image(b"y" * 1024 * 1024, upload_task_id=first[0].id)
show(second[0].status, second[0].current_chunk)

### elf_image_with_http_info
from cloudtower import ElfImageApi, ClusterApi
api_client = client()
cluster = ClusterApi(api_client).get_clusters({"where": {"name": "elf-prod"}})[0]
data, status, headers = ElfImageApi(api_client).create_elf_image_with_http_info(b"abc", cluster_id=cluster.id, name="t", size="3")
show(status, data[0].status)

### elf_image_content_language
from cloudtower import ElfImageApi
show(attempt(ElfImageApi(client()).create_elf_image, b"abc", cluster_id="no-such", size="3", content_language="zh-CN"))

### svt_image_upload
from cloudtower import SvtImageApi, ClusterApi
api_client = client()
cluster = ClusterApi(api_client).get_clusters({"where": {"name": "elf-prod"}})[0]
data = bytearray(40000)
data[32 * 1024 + 190:32 * 1024 + 195] = b"3.1.0"
tasks = SvtImageApi(api_client).upload_svt_image(bytes(data), cluster_id=cluster.id, name="svt.iso", size=str(len(data)))
show(tasks[0].status)

### content_library_image_upload
import json
from cloudtower import ContentLibraryImageApi, ClusterApi
api_client = client()
cluster = ClusterApi(api_client).get_clusters({"where": {"name": "elf-prod"}})[0]
tasks = ContentLibraryImageApi(api_client).create_content_library_image(b"abcd", json.dumps([cluster.id]), name="lib", size="4")
show(tasks[0].status)

### content_library_image_missing_clusters
from cloudtower import ContentLibraryImageApi
show(attempt(ContentLibraryImageApi(client()).create_content_library_image, b"abcd"))

### ovf_upload
from cloudtower import OvfApi, ClusterApi
api_client = client()
cluster = ClusterApi(api_client).get_clusters({"where": {"name": "elf-prod"}})[0]
task = OvfApi(api_client).upload_elf_file(b"<ovf/>", cluster_id=cluster.id, name="a.ovf", size="6")
show(type(task).__name__, task.status)

### files_parameters_path
import os
from cloudtower import ApiClient
path = os.path.join(tmp, "a.txt")
with open(path, "wb") as handle:
    handle.write(b"hello")
show(ApiClient().files_parameters({"file": path}))

### files_parameters_bytes
from cloudtower import ApiClient
show(ApiClient().files_parameters({"file": b"hello"}))

### files_parameters_list
from cloudtower import ApiClient
show(ApiClient().files_parameters({"file": [b"a", b"b"]}))

### files_parameters_none_and_empty
from cloudtower import ApiClient
show(ApiClient().files_parameters(None), ApiClient().files_parameters({}), ApiClient().files_parameters({"file": None}))

### files_parameters_int
from cloudtower import ApiClient
show(attempt(ApiClient().files_parameters, {"file": 5}))

### files_parameters_file_object
import io
from cloudtower import ApiClient
show(attempt(ApiClient().files_parameters, {"file": io.BytesIO(b"abc")}))

### files_parameters_tuple
from cloudtower import ApiClient
show(attempt(ApiClient().files_parameters, {"file": ("name.txt", b"abc")}))

### files_parameters_mimetype
import os
from cloudtower import ApiClient
path = os.path.join(tmp, "page.html")
with open(path, "wb") as handle:
    handle.write(b"<p>")
show(ApiClient().files_parameters({"file": path}))

### files_parameters_empty_bytes
from cloudtower import ApiClient
show(ApiClient().files_parameters({"file": b""}))

### files_parameters_missing_path
import os
from cloudtower import ApiClient
show(attempt(ApiClient().files_parameters, {"file": os.path.join(tmp, "missing")}))
