"""Uploads against the simulator's chunked upload operations: ELF, SVT and content-library
images, streamed a chunk at a time, progress, transient errors gone through, resume by upload
task id, the image returned; image_utils finds the images of upload tasks; memory stays flat
(measured in a child process through /proc: the peak RSS while uploading a 200 MB file)."""
from __future__ import absolute_import

import io
import json
import os
import subprocess
import sys

import pytest

from cloudtower import (ApiValueError, ClusterApi, ContentLibraryImage, ElfImage, SvtImage, UploadTaskApi)
from cloudtower.image_utils import (get_content_library_image_by_upload_task, get_elf_image_by_upload_task,
                                    get_svt_image_version)
from cloudtower.uploads import UploadError, upload
from cloudtower.utils import upload_content_library_image, upload_elf_image, upload_svt_image

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHUNK = 64 * 1024
MIB = 1024 * 1024


@pytest.fixture
def small_chunks(demo):
    """The demo simulator, asking for 64 KiB chunks."""
    with demo.store.lock:
        demo.store.settings["upload_chunk_size"] = CHUNK
    return demo


def elf_clusters(client):
    return ClusterApi(client).get_clusters({"where": {"type": "SMTX_OS"}, "orderBy": "name_ASC"})


def write(tmpdir, name, size, version=None):
    """A file of `size` bytes (a VMTools version text at its offset, if given); its path."""
    data = bytearray((index * 7) % 251 for index in range(size))
    if version is not None:
        offset = 32 * 1024 + 190
        data[offset:offset + 128] = version.encode("ascii").ljust(128, b"\x00")
    path = str(tmpdir.join(name))
    with io.open(path, "wb") as handle:
        handle.write(bytes(data))
    return path


def posted(sim, sent, path):
    """(form fields, file bytes, status) of each upload request `sim` received at `path`."""
    return [(request.form, request.files["file"][2], request.status) for request in sent(sim, path)]


def test_an_iso_becomes_an_elf_image_chunk_by_chunk(small_chunks, client, sent, tmpdir):
    cluster = elf_clusters(client)[0]
    path = write(tmpdir, "ubuntu.iso", 3 * CHUNK + 1000)
    seen = []
    image = upload_elf_image(client, path, cluster.id, description="for tests", chunk_size=CHUNK,
                             progress=lambda done, total: seen.append((done, total)))
    assert isinstance(image, ElfImage)
    assert image.name == "ubuntu.iso" and image.size == 3 * CHUNK + 1000 and image.cluster.id == cluster.id
    requests = posted(small_chunks, sent, "/upload-elf-image")
    assert [len(data) for _, data, _ in requests] == [CHUNK, CHUNK, CHUNK, 1000]
    assert b"".join(data for _, data, _ in requests) == io.open(path, "rb").read()
    first = requests[0][0]
    assert first == {"cluster_id": cluster.id, "name": "ubuntu.iso", "size": str(3 * CHUNK + 1000),
                     "description": "for tests"}
    task_id = UploadTaskApi(client).get_upload_tasks(
        {"where": {"status": "SUCCESSED"}, "orderBy": "finished_at_DESC", "first": 1})[0].id
    assert all(form == {"upload_task_id": task_id} for form, _, _ in requests[1:])
    assert seen == [(CHUNK, 3 * CHUNK + 1000), (2 * CHUNK, 3 * CHUNK + 1000), (3 * CHUNK, 3 * CHUNK + 1000),
                    (3 * CHUNK + 1000, 3 * CHUNK + 1000)]


def test_a_vmtools_iso_becomes_an_svt_image_with_its_version(small_chunks, client, sent, tmpdir):
    cluster = elf_clusters(client)[0]
    path = write(tmpdir, "SMTX_VMTOOLS-4.1.0.iso", 2 * CHUNK, version="4.1.0")
    assert get_svt_image_version(path) == "4.1.0"
    image = upload_svt_image(client, path, cluster.id, chunk_size=CHUNK)
    assert isinstance(image, SvtImage) and image.name == "SMTX_VMTOOLS-4.1.0.iso" and image.version == 40100
    assert posted(small_chunks, sent, "/upload-svt-image")[0][0]["version"] == "4.1.0"


def test_an_image_goes_into_the_content_library_of_clusters(small_chunks, client, sent, tmpdir):
    clusters = elf_clusters(client)
    path = write(tmpdir, "centos.qcow2", CHUNK + 5)
    image = upload_content_library_image(client, path, [cluster.id for cluster in clusters], name="centos",
                                         chunk_size=CHUNK)
    assert isinstance(image, ContentLibraryImage) and image.name == "centos"
    assert sorted(cluster.id for cluster in image.clusters) == sorted(cluster.id for cluster in clusters)
    form = posted(small_chunks, sent, "/upload-content-library-image")[0][0]
    assert json.loads(form["clusters"]) == {"id_in": [cluster.id for cluster in clusters]}


def test_an_empty_file_is_one_empty_chunk(small_chunks, client, sent, tmpdir):
    path = write(tmpdir, "empty.iso", 0)
    image = upload_elf_image(client, path, elf_clusters(client)[0].id, chunk_size=CHUNK)
    assert image.size == 0
    assert [len(data) for _, data, _ in posted(small_chunks, sent, "/upload-elf-image")] == [0]


@pytest.mark.parametrize("kind, options", [
    ("drop", {}), ("status", {"status": 503}), ("status", {"status": 502}),
], ids=["dropped", "503", "502"])
def test_a_transient_error_mid_upload_is_gone_through(small_chunks, client, sent, tmpdir, kind, options):
    path = write(tmpdir, "flaky.iso", 4 * CHUNK)

    def progress(done, total):
        if done == CHUNK:   # after the first chunk, the next two requests fail
            small_chunks.faults.add(kind, operation="/upload-elf-image", count=2, **options)
    image = upload_elf_image(client, path, elf_clusters(client)[0].id, chunk_size=CHUNK, progress=progress)
    assert image.size == 4 * CHUNK
    requests = posted(small_chunks, sent, "/upload-elf-image")
    assert [status for _, _, status in requests] == [200, options.get("status", 0), options.get("status", 0),
                                                     200, 200, 200]
    assert b"".join(data for _, data, status in requests if status == 200) == io.open(path, "rb").read()


def test_an_interrupted_upload_resumes_by_its_task_id(small_chunks, client, sent, tmpdir):
    cluster = elf_clusters(client)[0]
    path = write(tmpdir, "big.iso", 5 * CHUNK + 3)

    def progress(done, total):
        if done == 2 * CHUNK:
            small_chunks.faults.add("status", operation="/upload-elf-image", count=1, status=500,
                                    message="disk full")
    with pytest.raises(UploadError) as raised:
        upload_elf_image(client, path, cluster.id, chunk_size=CHUNK, progress=progress)
    error = raised.value
    assert error.status == 500 and error.message == "disk full" and error.upload_task_id
    assert "upload_task_id=%s" % error.upload_task_id in str(error)
    seen = []
    image = upload_elf_image(client, path, cluster.id, chunk_size=CHUNK, upload_task_id=error.upload_task_id,
                             progress=lambda done, total: seen.append(done))
    assert image.size == 5 * CHUNK + 3
    requests = posted(small_chunks, sent, "/upload-elf-image")
    assert [status for _, _, status in requests] == [200, 200, 500, 200, 200, 200, 200]
    assert all(form == {"upload_task_id": error.upload_task_id} for form, _, _ in requests[1:])
    assert b"".join(data for _, data, status in requests if status == 200) == io.open(path, "rb").read()
    assert seen == [3 * CHUNK, 4 * CHUNK, 5 * CHUNK, 5 * CHUNK + 3]


def test_resuming_with_another_file_is_refused(small_chunks, client, tmpdir):
    cluster = elf_clusters(client)[0]
    first = write(tmpdir, "a.iso", 3 * CHUNK)

    def fail_after_one(done, total):
        small_chunks.faults.add("status", operation="/upload-elf-image", count=1, status=500)
    with pytest.raises(UploadError) as raised:
        upload_elf_image(client, first, cluster.id, chunk_size=CHUNK, progress=fail_after_one)
    with pytest.raises(ApiValueError) as refused:
        upload_elf_image(client, write(tmpdir, "b.iso", 2 * CHUNK), cluster.id,
                         upload_task_id=raised.value.upload_task_id)
    assert "not the same file" in str(refused.value)
    with pytest.raises(ApiValueError):
        upload_elf_image(client, first, cluster.id, upload_task_id="no-such-task")


def test_a_first_chunk_of_the_wrong_size_is_an_upload_error(small_chunks, client, tmpdir):
    with pytest.raises(UploadError) as raised:   # the server asks for 64 KiB; 8 MiB chunks by default
        upload_elf_image(client, write(tmpdir, "x.iso", 2 * CHUNK), elf_clusters(client)[0].id)
    assert raised.value.status == 400 and raised.value.upload_task_id is None


@pytest.mark.parametrize("arguments", [{"chunk_size": 0}, {"chunk_size": "8M"}, {"chunk_size": True}])
def test_bad_arguments_are_refused(client, tmpdir, arguments):
    with pytest.raises(ApiValueError):
        upload_elf_image(client, write(tmpdir, "x.iso", 10), "cluster", **arguments)


def test_clusters_must_be_ids_or_a_where(client, tmpdir):
    with pytest.raises(ApiValueError):
        upload_content_library_image(client, write(tmpdir, "x.iso", 10), [1, 2])


def test_upload_takes_any_chunked_upload_operation(small_chunks, client, sent, tmpdir):
    from cloudtower import ElfImageApi
    cluster = elf_clusters(client)[0]
    task = upload(ElfImageApi(client).create_elf_image, write(tmpdir, "raw.iso", CHUNK + 1),
                  {"cluster_id": cluster.id, "name": "raw"}, chunk_size=CHUNK)
    assert task.status == "SUCCESSED" and task.resource_type == "ELF_IMAGE"


# -- image_utils ----------------------------------------------------------------------------------

def test_image_utils_find_the_images_of_upload_tasks(small_chunks, client, tmpdir, caplog):
    clusters = elf_clusters(client)
    elf = upload_elf_image(client, write(tmpdir, "a.iso", 10), clusters[0].id, chunk_size=CHUNK)
    library = upload_content_library_image(client, write(tmpdir, "b.iso", 10), [clusters[0].id],
                                           chunk_size=CHUNK)
    tasks = UploadTaskApi(client).get_upload_tasks({"where": {"status": "SUCCESSED"}})
    by_type = dict((task.resource_type, task.id) for task in tasks if task.args.get("resource_id") in
                   (elf.id, library.id))
    found = get_elf_image_by_upload_task(client, {"where": {"id": by_type["ELF_IMAGE"]}})
    assert found == {by_type["ELF_IMAGE"]: elf}
    library_task = by_type["CONTENT_LIBRARY_IMAGE"]
    found = get_content_library_image_by_upload_task(client, {"where": {"id": library_task}})
    assert list(found) == [library_task] and found[library_task].id == library.id
    # a task of another type is left out, with a warning
    assert get_elf_image_by_upload_task(client, {"where": {"id": by_type["CONTENT_LIBRARY_IMAGE"]}}) == {}
    assert "is of type CONTENT_LIBRARY_IMAGE, not ELF_IMAGE" in caplog.text


def test_image_utils_follow_the_args_cloudtower_writes(small_chunks, client, tmpdir):
    # CloudTower names an ELF image by attributes.uuid (its local_id), a content-library image by
    # the local ids of its ELF images: with no resource_id, those are used.
    from cloudtower.image_utils import image_of_upload_task
    from cloudtower import UploadTask
    cluster = elf_clusters(client)[0]
    elf = upload_elf_image(client, write(tmpdir, "a.iso", 10), cluster.id, chunk_size=CHUNK)
    task = UploadTask(id="t1", resource_type="ELF_IMAGE", status="SUCCESSED",
                      args={"attributes": {"uuid": elf.local_id}})
    assert image_of_upload_task(client, task) == elf
    library = upload_content_library_image(client, write(tmpdir, "b.iso", 10), [cluster.id], chunk_size=CHUNK)
    task = UploadTask(id="t2", resource_type="CONTENT_LIBRARY_IMAGE", status="SUCCESSED",
                      args={"uploadElfImageLocalIds": library.elf_image_uuids})
    assert image_of_upload_task(client, task).id == library.id
    task = UploadTask(id="t3", resource_type="ELF_IMAGE", status="SUCCESSED", args={})
    assert image_of_upload_task(client, task) is None


# -- memory ----------------------------------------------------------------------------------------

MEASURE = """
import json, sys
from cloudtower import ApiClient, Configuration
from cloudtower.utils import upload_elf_image
host, token, cluster, small, big = sys.argv[1:6]
configuration = Configuration(host=host)
configuration.api_key["Authorization"] = token
client = ApiClient(configuration)
upload_elf_image(client, small, cluster)          # everything imported and connected

def status(key):
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith(key + ":"):
                return int(line.split()[1]) * 1024

with open("/proc/self/clear_refs", "w") as handle:
    handle.write("5")                              # the peak (VmHWM) starts again from now
before = status("VmRSS")
image = upload_elf_image(client, big, cluster)
print(json.dumps({"before": before, "peak": status("VmHWM"), "size": image.size}))
"""


@pytest.fixture(scope="module")
def upload_of_200_mb(tmpdir_factory):
    """Upload a 200 MB file (8 MiB chunks) from a child process; its RSS before and at the peak."""
    if not os.path.exists("/proc/self/clear_refs"):
        pytest.skip("measuring the peak RSS needs Linux's /proc/self/clear_refs")
    from cloudtower.simulator import Simulator
    folder = tmpdir_factory.mktemp("memory")
    small = str(folder.join("small.iso"))
    with io.open(small, "wb") as handle:
        handle.write(b"x" * 4096)
    big = str(folder.join("big.iso"))
    with io.open(big, "wb") as handle:
        handle.truncate(200 * 1000 * 1000)         # sparse: read as zeros, nothing on disk
    with Simulator(seed="demo", journal_size=4) as sim:
        client = sim.client()
        cluster = elf_clusters(client)[0]
        output = subprocess.check_output(
            [sys.executable, "-c", MEASURE, sim.url, client.configuration.api_key["Authorization"],
             cluster.id, small, big], env=dict(os.environ, PYTHONPATH=ROOT))
        client.close()
    result = json.loads(output.decode("utf-8").strip().splitlines()[-1])
    assert result["size"] == 200 * 1000 * 1000
    growth = result["peak"] - result["before"]
    print("\nuploading 200 MB in 8 MiB chunks grew the peak RSS by %.1f MiB (pytest -s shows this)"
          % (growth / float(MIB)))
    return growth


def test_uploading_200_mb_keeps_memory_flat(upload_of_200_mb):
    # The file is read a chunk at a time: the peak grows by a few chunks, not by the file.
    assert upload_of_200_mb <= 4 * 8 * MIB


def test_uploading_200_mb_grows_memory_by_at_most_two_chunks(upload_of_200_mb):
    assert upload_of_200_mb <= 2 * 8 * MIB


def test_a_field_refused_before_sending_is_raised_as_it_is(small_chunks, client, sent, tmpdir):
    from cloudtower import ApiTypeError
    with pytest.raises((ApiTypeError, ApiValueError)) as raised:
        upload_elf_image(client, write(tmpdir, "x.iso", 10), {"not": "an id"}, chunk_size=CHUNK)
    assert "cluster_id" in str(raised.value) and not isinstance(raised.value, UploadError)
    assert sent(small_chunks, "/upload-elf-image") == []
