"""Upload an ISO as an image of a cluster, with progress, and boot a VM from it (in a CD-ROM).
The VM, and the image unless --keep is given, are deleted at the end.

    python examples/upload_iso.py [FILE.iso]     # against a built-in simulated CloudTower
                                                 # (without FILE: a small made-up ISO)
    python examples/upload_iso.py FILE.iso --host https://tower.example.com --user admin --password ...

An interrupted upload goes on where it stopped with --resume UPLOAD_TASK_ID (the error says it).
"""
from __future__ import print_function

import argparse
import os
import shutil
import sys
import tempfile

from cloudtower import ApiClient, ClusterApi, ElfImageApi, VmApi, VmDiskApi
from cloudtower.connection import connect_or_simulate
from cloudtower.utils import UploadError, upload_elf_image, wait_tasks


def made_up_iso(folder, size=24 * 1024 * 1024):
    # type: (str, int) -> str
    """A file of `size` bytes that stands in for an ISO."""
    path = os.path.join(folder, "sdk-example.iso")
    with open(path, "wb") as handle:
        handle.write(b"CD001" + os.urandom(size - 5))
    return path


def show_progress(done, total):
    # type: (int, int) -> None
    print("  %5.1f%% (%d of %d MiB)" % (100.0 * done / total if total else 100, done >> 20, total >> 20))


def use_in_a_vm(client, cluster_id, image_id):
    # type: (ApiClient, str, str) -> None
    """Create a VM that boots from the image in a CD-ROM (sdk-with-iso), look, delete it."""
    vm_api = VmApi(client)
    made = vm_api.create_vm([{
        "name": "sdk-with-iso", "cluster_id": cluster_id, "status": "STOPPED", "firmware": "BIOS",
        "ha": False, "cpu_sockets": 1, "cpu_cores": 1, "memory": 1, "memory_unit": "GB", "vm_nics": [],
        "vm_disks": {"mount_cd_roms": [{"boot": 0, "index": 0, "elf_image_id": image_id}]}}])
    wait_tasks([item.task_id for item in made], client, interval=1)
    cd_rom = VmDiskApi(client).get_vm_disks({"where": {"vm": {"id": made[0].data.id}, "type": "CD_ROM"}})[0]
    print("sdk-with-iso has it in a CD-ROM: %s" % (cd_rom.elf_image.name if cd_rom.elf_image else "-"))
    deleted = vm_api.delete_vm({"where": {"id": made[0].data.id}})
    wait_tasks([item.task_id for item in deleted], client, interval=1)


def main():
    # type: () -> int
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", nargs="?", help="the ISO to upload (default: a made-up one)")
    parser.add_argument("--resume", metavar="UPLOAD_TASK_ID", help="go on with an interrupted upload")
    parser.add_argument("--keep", action="store_true", help="keep the image")
    with connect_or_simulate(parser, task_delay=0.2) as (client, args):
        folder = tempfile.mkdtemp()
        try:
            path = str(args.file) if args.file else made_up_iso(folder)
            cluster = ClusterApi(client).get_clusters({"where": {"type": "SMTX_OS"}, "first": 1})[0]
            print("Uploading %s to %s:" % (os.path.basename(path), cluster.name))
            try:
                image = upload_elf_image(client, path, cluster.id, progress=show_progress,
                                         upload_task_id=str(args.resume) if args.resume else None)
            except UploadError as error:
                raise SystemExit("upload failed: %s" % error.reason)
            print("ELF image %s: %d bytes, id %s" % (image.name, image.size, image.id))
            use_in_a_vm(client, cluster.id, image.id)
            if not args.keep:
                deleted = ElfImageApi(client).delete_elf_image({"where": {"id": image.id}})
                wait_tasks([item.task_id for item in deleted], client, interval=1)
                print("Deleted the image.")
        finally:
            shutil.rmtree(folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
