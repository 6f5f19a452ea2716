"""A run's work folder: made for the run, removed at its end, and cleaned up after a
run that could not remove its own.

A build keeps its intermediate files (spooled texts, mentions, the merge's blocks)
in a folder of its own, ``timeline-run-*`` in the temporary folder or in
``--work-dir``. The run locks its folder (``flock``, released by the system when
the process ends, however it ends) and removes it at the end; a run killed
(``kill -9``, a machine out of memory) cannot, so every run first removes the
``timeline-run-*`` folders beside its own that belong to this user and that no
live run holds.

A folder is made under another name, locked, marked, then renamed, so that a
run cleaning up never sees a live run's folder unlocked; a folder without the
mark (an earlier version's, which may be at work without a lock) is left alone.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
import time
from pathlib import Path
from types import TracebackType

from timeline.pipeline.outputs import FolderLock, OutputLocked

WORK_PREFIX = "timeline-run-"
#: A work folder between its making and its lock.
NEW_PREFIX = ".timeline-run-new-"
#: A folder of NEW_PREFIX older than this (seconds) was left by a run killed at its start.
NEW_GRACE_SECONDS = 60
#: The file that marks a work folder as one a run locks for its whole life.
MARK = ".timeline-work"


def _ours(path: Path) -> bool:
    """A folder (not a link) of this user's."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    owner_ok = not hasattr(os, "geteuid") or info.st_uid == os.geteuid()
    return stat.S_ISDIR(info.st_mode) and owner_ok


def _marked(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path / MARK).st_mode)
    except OSError:
        return False


def clean_stale(parent: Path) -> list[Path]:
    """Remove the work folders in ``parent`` that dead runs left; returns them."""
    removed: list[Path] = []
    try:
        entries = sorted(os.scandir(parent), key=lambda e: e.name)
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        path = Path(entry.path)
        if entry.name.startswith(NEW_PREFIX):
            try:
                if now - os.lstat(path).st_mtime < NEW_GRACE_SECONDS:
                    continue
            except OSError:
                continue
        elif not entry.name.startswith(WORK_PREFIX):
            continue
        if not _ours(path) or (entry.name.startswith(WORK_PREFIX) and not _marked(path)):
            continue
        lock = FolderLock(path)
        try:
            lock.acquire()
        except OutputLocked:
            continue  # a live run's
        except OSError:
            continue  # gone meanwhile, or not ours to open
        try:
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
        finally:
            lock.release()
    return removed


class WorkFolder:
    """The work folder of one run (a context manager giving its path).

    ``parent`` is where to make it (default: the temporary folder).
    """

    def __init__(self, parent: str | Path | None = None) -> None:
        self.parent = Path(parent) if parent is not None else Path(tempfile.gettempdir())
        self.path: Path | None = None
        self._lock: FolderLock | None = None
        #: The folders of dead runs removed when this one was made.
        self.cleaned: list[Path] = []

    def __enter__(self) -> Path:
        self.parent.mkdir(parents=True, exist_ok=True)
        self.cleaned = clean_stale(self.parent)
        made = Path(tempfile.mkdtemp(prefix=NEW_PREFIX, dir=self.parent))
        lock = FolderLock(made)
        try:
            lock.acquire()
            (made / MARK).write_bytes(b"")
            path = made.with_name(WORK_PREFIX + made.name[len(NEW_PREFIX):])
            os.rename(made, path)
        except BaseException:
            lock.release()
            shutil.rmtree(made, ignore_errors=True)
            raise
        self.path, self._lock = path, lock
        return path

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Remove the folder and release it (again: nothing)."""
        if self.path is not None:
            shutil.rmtree(self.path, ignore_errors=True)
            self.path = None
        if self._lock is not None:
            with contextlib.suppress(OSError):
                self._lock.release()
            self._lock = None
