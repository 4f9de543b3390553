"""Upload an ISO as an image of a cluster, with progress, and mount it in a VM's CD-ROM. The
image is deleted at the end unless --keep is given.

    python examples/upload_iso.py [FILE.iso]     # against a built-in simulated CloudTower
                                                 # (without FILE: a small made-up ISO)
    python examples/upload_iso.py FILE.iso --host https://tower.example.com --user admin --password ...

An interrupted upload goes on where it stopped with --resume UPLOAD_TASK_ID (the error says it).
"""
from __future__ import print_function

import argparse
import os
import shutil
import tempfile

from cloudtower import ElfImageApi, VmApi, VmDiskApi
from cloudtower.connection import connect_or_simulate
from cloudtower.utils import UploadError, upload_elf_image, wait_tasks
from sandbox import Place, scratch_vms


def made_up_iso(folder, size=24 * 1024 * 1024):
    """A file of `size` bytes that stands in for an ISO."""
    path = os.path.join(folder, "sdk-example.iso")
    with open(path, "wb") as handle:
        handle.write(b"CD001" + os.urandom(size - 5))
    return path


def show_progress(done, total):
    print("  %5.1f%% (%d of %d MiB)" % (100.0 * done / total if total else 100, done >> 20, total >> 20))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", help="the ISO to upload (default: a made-up one)")
    parser.add_argument("--resume", metavar="UPLOAD_TASK_ID", help="go on with an interrupted upload")
    parser.add_argument("--keep", action="store_true", help="keep the image")
    with connect_or_simulate(parser, task_delay=0.2) as (client, args):
        folder = tempfile.mkdtemp()
        try:
            path = args.file or made_up_iso(folder)
            place = Place(client)
            print("Uploading %s to %s:" % (os.path.basename(path), place.cluster.name))
            try:
                image = upload_elf_image(client, path, place.cluster.id, progress=show_progress,
                                         upload_task_id=args.resume)
            except UploadError as error:
                raise SystemExit("upload failed: %s" % error.reason)
            print("ELF image %s: %d bytes, id %s" % (image.name, image.size, image.id))
            with scratch_vms(client, place, ["sdk-with-iso"]) as (vm_id,):
                added = VmApi(client).add_vm_cd_rom({"where": {"id": vm_id}, "data": {"vm_cd_roms": [
                    {"boot": 1, "index": 1, "elf_image_id": image.id}]}})
                wait_tasks([item.task_id for item in added], client, interval=1)
                cd_rom = VmDiskApi(client).get_vm_disks({"where": {"vm": {"id": vm_id}, "type": "CD_ROM"}})[0]
                print("sdk-with-iso has it in a CD-ROM: %s" % cd_rom.elf_image.name)
            if not args.keep:
                deleted = ElfImageApi(client).delete_elf_image({"where": {"id": image.id}})
                wait_tasks([item.task_id for item in deleted], client, interval=1)
                print("Deleted the image.")
        finally:
            shutil.rmtree(folder)


if __name__ == "__main__":
    main()
