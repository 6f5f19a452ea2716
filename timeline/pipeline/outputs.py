"""Writing a run's files: all together or not at all, one run at a time, no links followed.

A build writes several files that belong together (the chronology in four
formats, the mentions, the report, the page). They are written into a staging
folder inside the output folder and moved into place at the end, each by a
rename (atomic on one file system), so that a reader sees the old set or the new
one, never a new Parquet beside an old Markdown:

- a run that fails leaves the previous outputs as they were (its staging folder
  is removed, and the exception says so); a run that is killed leaves its
  staging folder, which the next run into the folder removes, saying so;
- before the renames, the list of moves is written into the staging folder, so
  a run killed *during* the moves is completed by the next run (rolled forward);
- files the previous run wrote that this run does not produce (a page from a
  run with charts, now built without) are removed when the new set moves in;
- a lock file (``.timeline.lock``, held with ``flock`` and so released when the
  process ends, however it ends) refuses a second run into the same folder;
- every file is created in the staging folder, which the run has just made and
  only its owner can enter, and the renames replace a symbolic link planted at
  an output's name without touching its target. The output folder itself must
  not be a symbolic link.

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> with Outputs(folder / "out", owned=("a.txt", "b.txt")) as outputs:
...     _ = (outputs.path("a.txt")).write_text("new")
...     sorted(outputs.commit())
['a.txt']
>>> (folder / "out" / "a.txt").read_text()
'new'
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType, TracebackType

fcntl: ModuleType | None
try:
    import fcntl
except ImportError:  # pragma: no cover - not on POSIX (Windows): the lock file is not locked
    fcntl = None

LOCK_NAME = ".timeline.lock"
STAGING_PREFIX = ".staging-"
JOURNAL_NAME = ".moves.json"


class OutputError(RuntimeError):
    """The output folder cannot be written: locked by another run, or unsafe."""


class OutputLocked(OutputError):
    """Another run is writing into the same folder."""


def _lock(directory: Path) -> int:
    """Open and lock the folder's lock file; raise :class:`OutputLocked` when held.
    (Where ``flock`` does not exist, Windows, the file is made but not locked.)"""
    path = directory / LOCK_NAME
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags, 0o644)
    except OSError as exc:
        if exc.errno != errno.ELOOP:
            raise
        path.unlink()  # a planted symbolic link: removed, its target untouched
        fd = os.open(path, flags, 0o644)
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.read(fd, 64).decode("ascii", "replace").strip()
        os.close(fd)
        raise OutputLocked(f"another build is writing into {directory}"
                           + (f" (process {holder})" if holder else "")
                           + "; wait for it to finish, or choose another folder with -o") from None
    os.ftruncate(fd, 0)
    os.write(fd, f"{os.getpid()}\n".encode())
    return fd


def _unlock(fd: int) -> None:
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_UN)
    os.close(fd)


def _remove(path: Path) -> None:
    """Remove a file, a symbolic link (not its target) or a folder, if present."""
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)


def _move_all(staging: Path, directory: Path, moves: Iterable[str],
              removals: Iterable[str]) -> None:
    for name in moves:
        source = staging / name
        if not source.exists():
            continue  # moved before the run was interrupted
        target = directory / name
        if source.is_dir():
            _remove(target)
        os.replace(source, target)  # replaces a link at the target, not what it points to
    for name in removals:
        _remove(directory / name)


class Outputs:
    """The files of one run in ``directory``: write them at :meth:`path`, then
    :meth:`commit`. Use as a context manager (it takes the lock).

    ``owned`` names every file a run of this kind may write: those the run does
    not produce this time are removed at commit, as stale.
    """

    def __init__(self, directory: str | Path, owned: Iterable[str] = ()) -> None:
        self.directory = Path(directory)
        self.owned = tuple(owned)
        self.notes: list[str] = []
        self.staging: Path | None = None
        self._lock: int | None = None
        self._committed = False

    def __enter__(self) -> Outputs:
        directory = self.directory
        if directory.is_symlink():
            raise OutputError(f"output folder {directory} is a symbolic link; give the "
                              f"folder it points to ({os.path.realpath(directory)}) instead")
        if directory.exists() and not directory.is_dir():
            raise OutputError(f"output folder {directory} exists and is not a folder")
        directory.mkdir(parents=True, exist_ok=True)
        self._lock = _lock(directory)
        try:
            self._recover()
            self.staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=directory))
        except BaseException:
            _unlock(self._lock)
            raise
        return self

    def _recover(self) -> None:
        """Finish or discard what an interrupted run left (we hold the lock)."""
        for leftover in sorted(self.directory.glob(STAGING_PREFIX + "*")):
            if leftover.is_symlink() or not leftover.is_dir():
                _remove(leftover)
                continue
            journal = leftover / JOURNAL_NAME
            if journal.is_file() and not journal.is_symlink():
                plan = json.loads(journal.read_text(encoding="utf-8"))
                _move_all(leftover, self.directory, plan["moves"], plan["removals"])
                self.notes.append(f"a previous run into {self.directory} was interrupted "
                                  "while moving its files into place; its moves were completed")
            else:
                self.notes.append(f"a previous run into {self.directory} did not finish; its "
                                  "partial files were discarded, the outputs there are those "
                                  "of the last complete run")
            shutil.rmtree(leftover)

    @property
    def folder(self) -> Path:
        """The staging folder: what a writer puts here moves into place at commit."""
        if self.staging is None:
            raise RuntimeError("Outputs is used as a context manager")
        return self.staging

    def path(self, name: str) -> Path:
        """Where to write the output called ``name`` (a plain file name)."""
        if Path(name).name != name or name.startswith("."):
            raise ValueError(f"output name {name!r}: a plain file name expected")
        return self.folder / name

    def commit(self) -> dict[str, Path]:
        """Move every file written into place at once; remove stale owned files.
        Returns name -> final path."""
        if self.staging is None:
            raise RuntimeError("Outputs is used as a context manager")
        moves = sorted(p.name for p in self.staging.iterdir() if p.name != JOURNAL_NAME)
        removals = [name for name in self.owned if name not in moves]
        journal = self.staging / JOURNAL_NAME
        pending = journal.with_name(JOURNAL_NAME + ".tmp")
        pending.write_text(json.dumps({"moves": moves, "removals": removals}), encoding="utf-8")
        os.replace(pending, journal)  # from here on, a killed run is rolled forward
        _move_all(self.staging, self.directory, moves, removals)
        shutil.rmtree(self.staging)
        self._committed = True
        return {name: self.directory / name for name in moves}

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        try:
            if self.staging is not None and self.staging.exists():
                shutil.rmtree(self.staging, ignore_errors=True)
            if exc is not None and not self._committed:
                exc.add_note(f"the outputs in {self.directory} are those of the previous run, "
                             "left as they were")
        finally:
            if self._lock is not None:
                _unlock(self._lock)
                self._lock = None


def write_atomically(path: str | Path, data: bytes) -> Path:
    """Write one file by a rename from a temporary file beside it: readers see the
    old file or the new one, and a symbolic link at ``path`` is replaced, not followed."""
    path = Path(path)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
