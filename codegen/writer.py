"""Write: put rendered files on disk, or tell how the disk differs from them."""
import io
import os

from codegen.render import HEADER

# Folders the generator owns: a generated file there that it no longer makes is removed.
GENERATED_DIRS = ("cloudtower/api", "cloudtower/models")
_MARK = HEADER.split("%s")[0]


def compare(root, files):
    """[(path, state)] for every file that is `changed`, `missing` or `stale` (generated
    earlier, no longer made), sorted by path."""
    changes = []
    for path in sorted(files):
        current = _read(os.path.join(root, path))
        if current is None:
            changes.append((path, "missing"))
        elif current != files[path]:
            changes.append((path, "changed"))
    for folder in GENERATED_DIRS:
        directory = os.path.join(root, folder)
        if not os.path.isdir(directory):
            continue
        for name in sorted(os.listdir(directory)):
            path = folder + "/" + name
            if path not in files and name.endswith((".py", ".pyi")):
                text = _read(os.path.join(root, path)) or ""
                if text.startswith(_MARK):
                    changes.append((path, "stale"))
    return changes


def write(root, files, changes):
    """Apply `changes` (from `compare`): write changed and missing files, remove stale ones."""
    for path, state in changes:
        target = os.path.join(root, path)
        if state == "stale":
            os.remove(target)
            continue
        directory = os.path.dirname(target)
        if not os.path.isdir(directory):
            os.makedirs(directory)
        with io.open(target, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(files[path])


def _read(path):
    try:
        with io.open(path, encoding="utf-8", newline="") as handle:
            return handle.read()
    except (IOError, OSError):
        return None
