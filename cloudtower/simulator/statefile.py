"""The `--state` file: the estate kept across restarts, every acknowledged change with it.

    <state>               a snapshot of the whole estate, JSON (written atomically: a temporary
                          file beside it, fsync, rename), mode 0600
    <state>.journal-<N>   the changes since snapshot N, one JSON line each (`Store.changes()`),
                          handed to the OS before the change is answered; mode 0600

So a change that was answered survives the process being killed (a power cut may take the last
half second: the journal is fsync'ed that often). At start the snapshot is loaded and its
journal replayed; a torn last line (the process was killed while writing it, before answering)
is dropped. Once the journal is as large as the snapshot (at least `MIN_JOURNAL_LIMIT`), it is
compacted into a new snapshot: a new journal takes the changes from that moment on, and a thread
writes the records a small slice at a time under the store's lock, so no request waits more than
a slice. Records may change between slices; that is harmless, as replaying the new journal over
the snapshot sets every record changed since to its latest value. A clean stop compacts too and
leaves the snapshot alone.

Only the simulator's own files are ever deleted: journals whose first line names this state file,
and temporary files of an interrupted snapshot (their name and first bytes say so).
"""
from __future__ import absolute_import

import json
import logging
import os
import re
import tempfile
import threading
import time

logger = logging.getLogger("cloudtower.simulator")

FORMAT = 2
MIN_JOURNAL_LIMIT = 16 * 1024 * 1024  # bytes of journal before a compaction is due, at least
SLICE_SECONDS = 0.002                 # how long a snapshot holds the store's lock at a time
TEMPORARY_SUFFIX = ".snapshot-tmp"
JOURNAL_KEY = "cloudtower_simulator_journal"

_ENCODER = json.JSONEncoder(separators=(",", ":"), check_circular=False)


class StateError(ValueError):
    """A state file or journal that cannot be loaded (damaged other than by a torn last line)."""


class StateFile(object):
    """The snapshot and journal of one store at `path` (see the module's docstring).

    `load()` then `resume()`, or when there is no snapshot yet `create()`; then `append()` a
    `Store.changes()` entry before answering each change, `sync()` now and then,
    `compact_in_background()` when `compaction_due()`, and `close()` at the end.
    """

    def __init__(self, path, store, journal_limit=None):
        self.path = os.path.abspath(path)
        self.directory, self.name = os.path.split(self.path)
        self.store = store
        self.journal_limit = journal_limit
        self.generation = 0            # the journal being written continues snapshot N
        self.compactions = 0           # snapshots written since the start (for tests, figures)
        self.longest_hold = 0.0        # seconds the last snapshot held the store's lock at a time
        self.longest_hold_cpu = 0.0    # ... of its thread's CPU time
        self._journal = None           # its file descriptor
        self._journal_bytes = 0        # bytes of changes in it
        self._snapshot_bytes = 0
        self._unsynced = False
        self._compacting = threading.Lock()  # taken before the store's lock, never after
        self._thread = None
        self._resume = None            # (generation, offset of its last complete line) after load()

    # -- starting ------------------------------------------------------------------------------

    def load(self):
        """Load the snapshot into the store and replay its journals (nothing is written: see
        `resume()`); False when there is no snapshot (build the estate, then `create()`)."""
        self._remove_stale_temporaries()
        journals = self._journals()
        if not os.path.exists(self.path):
            if journals:
                logger.warning("%s: ignoring %s, the snapshot they continue is gone", self.path,
                               ", ".join(os.path.basename(path) for path in journals.values()))
            self.generation = max(journals) + 1 if journals else 1
            return False
        with open(self.path, "rb") as handle:
            text = handle.read()
        try:
            data = json.loads(text.decode("utf-8"))
        except ValueError as error:
            raise StateError("%s is not a saved state: %s" % (self.path, error))
        if not isinstance(data, dict) or not isinstance(data.get("tables", {}), dict):
            raise StateError("%s is not a saved state: not an object with tables" % self.path)
        self._snapshot_bytes = len(text)
        self.generation = data.get("generation", 0)  # (format 1 had no journal)
        self.store.load(data)
        following = sorted(generation for generation in journals if generation >= self.generation)
        for generation in following:
            self._resume = (generation, self._replay(journals[generation]))
        logger.info("loaded %s (snapshot %d, %d bytes of journal after it)", self.path, self.generation,
                    self._journal_bytes)
        return True

    def resume(self):
        """After `load()`: go on writing the newest journal (after its last complete line: a
        torn one goes), and delete the journals the snapshot holds already."""
        journals = self._journals()
        if self._resume is not None:
            self.generation, end = self._resume
            self._open_journal(truncate_at=end)
        else:
            self._open_journal()
        self._remove_journals(older_than=self.generation, journals=journals)

    def create(self):
        """Write the first snapshot, of the store as it is, and start its journal."""
        journals = self._journals()
        with self._compacting:
            with self.store.lock:
                self._snapshot(sliced=False)
                self._open_journal()
            self._remove_journals(older_than=self.generation, journals=journals)

    def _replay(self, path):
        """Apply the entries of a journal; the offset where its last complete line ends."""
        count = 0
        with open(path, "rb") as handle:
            end = header = len(handle.readline())  # (checked by _journals)
            for number, line in enumerate(handle, 2):
                if not line.endswith(b"\n"):
                    logger.warning("%s: dropped a torn last line (%d bytes): the change it began was never "
                                   "answered", path, len(line))
                    break
                try:
                    entry = json.loads(line.decode("utf-8"))
                except ValueError as error:
                    raise StateError("%s: line %d is damaged (%s)" % (path, number, error))
                self.store.apply(entry)
                count += 1
                end += len(line)
        self._journal_bytes += end - header
        logger.info("%s: replayed %d changes", path, count)
        return end

    # -- journaling ----------------------------------------------------------------------------

    def append(self, entry):
        """Write one change (a `Store.changes()` entry) to the journal; call it holding the
        store's lock, before the change is answered."""
        data = (_ENCODER.encode(entry) + "\n").encode("utf-8")
        _write_all(self._journal, data)
        self._journal_bytes += len(data)
        self._unsynced = True

    def sync(self):
        """fsync the journal if it has news (outside the store's lock: it may take a while)."""
        with self.store.lock:
            if not self._unsynced or self._journal is None:
                return
            self._unsynced = False
            handle = os.dup(self._journal)  # the journal may be rotated meanwhile
        try:
            os.fsync(handle)
        finally:
            os.close(handle)

    def _open_journal(self, truncate_at=None):
        """Start writing journal `self.generation` (a new one has a header line; an existing one
        goes on after its last complete line)."""
        if self._journal is not None:
            os.close(self._journal)
        path = self._journal_path(self.generation)
        if truncate_at is None:
            self._journal = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o600)
            header = {JOURNAL_KEY: 1, "generation": self.generation, "state": self.name}
            _write_all(self._journal, (json.dumps(header, sort_keys=True) + "\n").encode("utf-8"))
            self._journal_bytes = 0
        else:
            self._journal = os.open(path, os.O_WRONLY | os.O_APPEND)
            os.ftruncate(self._journal, truncate_at)  # a torn last line goes
        self._unsynced = True

    # -- compacting ----------------------------------------------------------------------------

    def compaction_due(self):
        limit = self.journal_limit or max(MIN_JOURNAL_LIMIT, self._snapshot_bytes)
        return self._journal_bytes > limit

    def compact_in_background(self):
        """Start compacting the journal into a new snapshot in a thread (unless one runs)."""
        if self._thread is not None and self._thread.is_alive():
            return
        self._thread = threading.Thread(target=self._compact_quietly, name="cloudtower-simulator-state")
        self._thread.daemon = True
        self._thread.start()

    def _compact_quietly(self):
        try:
            self.compact()
        except Exception:  # noqa: BLE001 - the journal keeps everything; the next try may succeed
            logger.exception("%s: compacting the journal failed (it is kept)", self.path)

    def compact(self, sliced=True):
        """Write a new snapshot and start a new journal, unless the journal is empty; with
        `sliced`, holding the store's lock a slice of records at a time."""
        started = time.time()
        with self._compacting:
            journals = self._journals()
            with self.store.lock:
                if self._journal_bytes == 0:
                    return False
                self.generation += 1
                self._open_journal()  # changes from now on go to the new journal
            self._snapshot(sliced)
            self._remove_journals(older_than=self.generation, journals=journals)
        logger.info("%s: compacted into snapshot %d (%d bytes) in %.2f s, holding the lock at most %.1f ms "
                    "at a time (%.1f ms of CPU)", self.path, self.generation, self._snapshot_bytes,
                    time.time() - started, self.longest_hold * 1000, self.longest_hold_cpu * 1000)
        return True

    def rewrite(self, change):
        """Call `change()` (which replaces the store's content) and write the result as a new
        snapshot at once, with a new journal; all under the store's lock."""
        with self._compacting:
            journals = self._journals()
            with self.store.lock:
                change()
                self.generation += 1
                self._open_journal()
                self._snapshot(sliced=False)
            self._remove_journals(older_than=self.generation, journals=journals)

    def close(self):
        """Compact what the journal holds (the snapshot alone is left) and stop writing."""
        if self._thread is not None:
            self._thread.join()
        self.compact(sliced=False)
        with self.store.lock:
            if self._journal is not None and self._journal_bytes == 0:
                os.close(self._journal)
                self._journal = None
                _remove(self._journal_path(self.generation))

    def _snapshot(self, sliced):
        """Write the snapshot of `self.generation` atomically (see the module's docstring)."""
        lock = _TimedLock(self.store.lock)
        handle, temporary = tempfile.mkstemp(prefix="." + self.name + ".", suffix=TEMPORARY_SUFFIX,
                                             dir=self.directory)
        size = 0
        try:
            with os.fdopen(handle, "wb") as target:
                def write(text):
                    target.write(text.encode("utf-8"))
                    return len(text)
                size += write('{"format":%d,"generation":%d,"tables":{' % (FORMAT, self.generation))
                with lock:
                    tables = [(name, list(table)) for name, table in sorted(self.store.tables.items()) if table]
                for index, (name, ids) in enumerate(tables):
                    size += write('%s%s:[' % ("," if index else "", json.dumps(name)))
                    separator = ""
                    for chunk in _slices(lock, self.store.tables, name, ids, sliced):
                        size += write(separator + chunk)
                        separator = ","
                    size += write("]")
                with lock:  # (events never change once made: they are encoded after)
                    events = list(self.store.events)
                    tail = _ENCODER.encode({"revision": self.store.revision, "id_counter": self.store.id_counter,
                                            "compact_revision": self.store.compact_revision,
                                            "settings": self.store.settings})
                size += write('},"events":[')
                for start in range(0, len(events), 1000):
                    size += write(("," if start else "") + ",".join(_ENCODER.encode(event)
                                                                    for event in events[start:start + 1000]))
                size += write("]," + tail[1:])
                target.flush()
                os.fsync(target.fileno())
            _replace(temporary, self.path)
        except BaseException:
            _remove(temporary)
            raise
        _fsync_directory(self.directory)
        self._snapshot_bytes = size
        self.longest_hold, self.longest_hold_cpu = lock.longest, lock.longest_cpu
        self.compactions += 1

    # -- files ---------------------------------------------------------------------------------

    def _journal_path(self, generation):
        return os.path.join(self.directory, "%s.journal-%d" % (self.name, generation))

    def _journals(self):
        """{generation: path} of this state's journals (those whose header says so)."""
        pattern = re.compile(re.escape(self.name) + r"\.journal-(\d+)$")
        found = {}
        for name in os.listdir(self.directory):
            match = pattern.match(name)
            if match is None:
                continue
            path = os.path.join(self.directory, name)
            generation = int(match.group(1))
            if _header(path) == {JOURNAL_KEY: 1, "generation": generation, "state": self.name}:
                found[generation] = path
            else:
                logger.warning("%s: not a journal of this simulator's; left alone", path)
        return found

    def _remove_journals(self, older_than, journals):
        for generation, path in journals.items():
            if generation < older_than:
                _remove(path)

    def _remove_stale_temporaries(self):
        """Delete the temporary files of snapshots that a kill interrupted."""
        pattern = re.compile(r"\." + re.escape(self.name) + r"\.[A-Za-z0-9_]+" + re.escape(TEMPORARY_SUFFIX) + "$")
        prefix = ('{"format":%d,"generation":' % FORMAT).encode("ascii")
        for name in os.listdir(self.directory):
            if pattern.match(name):
                path = os.path.join(self.directory, name)
                with open(path, "rb") as handle:
                    start = handle.read(len(prefix))
                if prefix.startswith(start):  # empty, cut short, or a whole prefix: ours
                    _remove(path)


_THREAD_TIME = getattr(time, "thread_time", None)  # (Python 3.7+)


class _TimedLock(object):
    """A lock used with `with`, remembering the longest time it was held, wall and CPU (of this
    thread: what the slice cost, without the time the machine gave other processes)."""

    def __init__(self, lock):
        self.lock = lock
        self.longest = self.longest_cpu = 0.0
        self._since = self._cpu_since = None

    def __enter__(self):
        self.lock.acquire()
        self._since = time.time()
        self._cpu_since = _THREAD_TIME() if _THREAD_TIME else 0.0

    def __exit__(self, *exc_info):
        self.longest = max(self.longest, time.time() - self._since)
        if _THREAD_TIME:
            self.longest_cpu = max(self.longest_cpu, _THREAD_TIME() - self._cpu_since)
        self.lock.release()


def _slices(lock, tables, name, ids, sliced):
    """The JSON text of the records `ids` of a table (those still there), a slice at a time,
    each made holding `lock` (with `sliced`, for about SLICE_SECONDS, with a pause after it in
    which requests get the lock)."""
    position, count = 0, len(ids)
    encode = _ENCODER.encode
    while position < count:
        with lock:
            table = tables[name]
            parts = []
            deadline = time.time() + SLICE_SECONDS
            while position < count:
                record = table.get(ids[position])
                position += 1
                if record is not None:
                    parts.append(encode(record.to_dict()))
                if sliced and not position % 32 and time.time() > deadline:
                    break
        if parts:
            yield ",".join(parts)
        if sliced:
            time.sleep(0.001)


def _header(path):
    """The first line of a file as JSON data (None if it is not)."""
    try:
        with open(path, "rb") as handle:
            return json.loads(handle.readline(4096).decode("utf-8"))
    except (IOError, OSError, ValueError):
        return None


def _write_all(handle, data):
    while data:
        written = os.write(handle, data)
        data = data[written:]


def _remove(path):
    try:
        os.remove(path)
    except OSError:
        pass


def _replace(source, target):
    """Rename `source` over `target` atomically (os.rename fails on Windows if target exists)."""
    getattr(os, "replace", os.rename)(source, target)


def _fsync_directory(directory):
    """Make a rename in `directory` durable (POSIX; a no-op where directories cannot be opened)."""
    try:
        handle = os.open(directory, os.O_RDONLY)
    except (OSError, IOError):
        return
    try:
        os.fsync(handle)
    except (OSError, IOError):
        pass
    finally:
        os.close(handle)
