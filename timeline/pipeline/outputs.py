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
- the output folder itself is locked (``flock`` on the folder, released when the
  process ends, however it ends, and leaving no file behind): a second run into
  the same folder is refused;
- every file is created in the staging folder, which the run has just made and
  only its owner can enter, and the renames replace a symbolic link planted at
  an output's name without touching its target. The output folder itself must
  not be a symbolic link.

What the folder holds is not trusted: a corpus downloaded with a ``reports/``
folder may carry a staging folder and a list of moves of its own making. A list
of moves is followed only when it is of the form this module writes and names
only the run's own outputs (plain names, never a path); it moves only regular
files from its staging folder into the output folder, and removes only files
and symbolic links (never what they point to, never a folder). Anything else is
discarded, with a note, and never stops the run.

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

import contextlib
import errno
import json
import os
import shutil
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import ModuleType, TracebackType
from typing import Any

fcntl: ModuleType | None
try:
    import fcntl
except ImportError:  # pragma: no cover - not on POSIX (Windows): nothing is locked
    fcntl = None

#: The lock file of earlier versions (and of file systems that cannot lock a
#: folder): removed when found, unless another run holds it.
LOCK_NAME = ".timeline.lock"
STAGING_PREFIX = ".staging-"
JOURNAL_NAME = ".moves.json"
#: What a list of moves this module wrote says it is.
JOURNAL_KIND = "timeline moves"
#: The largest list of moves read back (a run's holds a few dozen names).
JOURNAL_BYTES = 64 * 1024


class OutputError(RuntimeError):
    """The output folder cannot be written: locked by another run, or unsafe."""


class OutputLocked(OutputError):
    """Another run is writing into the same folder."""


def _locked_message(directory: Path, holder: int | None) -> str:
    return (f"another build is writing into {directory}"
            + (f" (process {holder})" if holder else "")
            + "; wait for it to finish, or choose another folder with -o")


def _holder(fd: int) -> int | None:
    """The process holding a lock on the file open at ``fd`` (Linux's /proc/locks), if known."""
    try:
        info = os.fstat(fd)
        with open("/proc/locks", encoding="ascii", errors="replace") as handle:
            for line in handle:
                fields = line.split()
                if len(fields) > 5 and fields[1] == "FLOCK":
                    device_inode = fields[5].split(":")
                    if len(device_inode) == 3 and int(device_inode[2]) == info.st_ino:
                        return int(fields[4])
    except (OSError, ValueError):
        pass
    return None


class FolderLock:
    """An exclusive lock on a folder, held until :meth:`release` or the process ends.

    The folder itself is locked (``flock`` on a descriptor of it), so no file is
    left behind however the process ends. Where a folder cannot be locked (some
    network file systems), a lock file in it is locked instead and removed on
    release; a lock file left by a killed run is taken over, since ``flock`` is
    released with its process.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.fd: int | None = None
        self.file: Path | None = None

    def acquire(self) -> None:
        if fcntl is None:  # pragma: no cover - Windows: no lock
            return
        flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0) \
            | getattr(os, "O_CLOEXEC", 0)
        fd = os.open(self.directory, flags)
        try:
            self._lock(fd)
        except OSError as exc:
            os.close(fd)
            if exc.errno not in (errno.EBADF, errno.EINVAL, errno.ENOLCK, errno.EOPNOTSUPP):
                raise
            self._acquire_file()
            return
        self.fd = fd
        self._remove_old_lock_file()

    def _lock(self, fd: int) -> None:
        """Lock ``fd`` at once, or close it and say who holds the lock (other errors of
        the lock are the caller's)."""
        assert fcntl is not None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            os.close(fd)
            raise OutputLocked(_locked_message(self.directory, holder)) from None

    def _acquire_file(self) -> None:
        """The lock file of a folder that cannot be locked itself."""
        assert fcntl is not None
        path = self.directory / LOCK_NAME
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
        while True:
            _remove_unless_file(path)
            fd = os.open(path, flags, 0o600)
            self._lock(fd)
            # the file may have been removed by the run that held it, between our
            # open and our lock: then the lock is on a file no one else will open
            try:
                same = os.path.samestat(os.fstat(fd), os.lstat(path))
            except FileNotFoundError:
                same = False
            if same:
                self.fd, self.file = fd, path
                return
            os.close(fd)

    def _remove_old_lock_file(self) -> None:
        """Remove a lock file an earlier version left (or planted: a link is removed,
        not followed), unless a run of that version holds it."""
        path = self.directory / LOCK_NAME
        try:
            info = os.lstat(path)
        except FileNotFoundError:
            return
        if not stat.S_ISREG(info.st_mode):
            _remove_unless_file(path)
            return
        assert fcntl is not None
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
                     | getattr(os, "O_CLOEXEC", 0))
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            os.close(fd)
            self.release()
            raise OutputLocked(_locked_message(self.directory, holder)) from None
        path.unlink()
        os.close(fd)

    def release(self) -> None:
        if self.fd is None:
            return
        if self.file is not None:
            with contextlib.suppress(OSError):
                self.file.unlink()
        if fcntl is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)
        self.fd = self.file = None


def _remove_unless_file(path: Path) -> None:
    """Remove what stands at ``path`` if it is a symbolic link (not its target) or a
    folder; a regular file is left."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISDIR(info.st_mode):
        shutil.rmtree(path)
    elif not stat.S_ISREG(info.st_mode):
        path.unlink()


def _unlink_file(path: Path) -> None:
    """Remove a file or a symbolic link (not its target) if present; a folder is left."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    if not stat.S_ISDIR(info.st_mode):
        path.unlink()


def _plain_name(name: object) -> bool:
    """Whether ``name`` is the name of a file directly in a folder (no path, not hidden)."""
    return (isinstance(name, str) and bool(name) and "/" not in name and "\\" not in name
            and "\x00" not in name and not name.startswith(".") and Path(name).name == name)


def _regular_file(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def _move_all(staging: Path, directory: Path, moves: Iterable[str],
              removals: Iterable[str]) -> None:
    """Move each named regular file from ``staging`` into ``directory``, then remove
    the files named in ``removals`` (names checked by the caller: plain names)."""
    for name in moves:
        source = staging / name
        if not _regular_file(source):
            continue  # moved before the run was interrupted (or not a file of ours)
        os.replace(source, directory / name)  # replaces a link at the target, not its target
    for name in removals:
        _unlink_file(directory / name)


class Outputs:
    """The files of one run in ``directory``: write them at :meth:`path`, then
    :meth:`commit`. Use as a context manager (it takes the lock).

    ``owned`` names every file a run of this kind may write: those the run does
    not produce this time are removed at commit, as stale, and only those are
    moved when an interrupted run is completed.
    """

    def __init__(self, directory: str | Path, owned: Iterable[str] = ()) -> None:
        self.directory = Path(directory)
        self.owned = tuple(owned)
        self.notes: list[str] = []
        self.staging: Path | None = None
        self._lock: FolderLock | None = None
        self._committed = False
        self._created = False

    def __enter__(self) -> Outputs:
        directory = self.directory
        if directory.is_symlink():
            raise OutputError(f"output folder {directory} is a symbolic link; give the "
                              f"folder it points to ({os.path.realpath(directory)}) instead")
        if directory.exists() and not directory.is_dir():
            raise OutputError(f"output folder {directory} exists and is not a folder; "
                              "give a folder with -o")
        self._created = not directory.exists()
        directory.mkdir(parents=True, exist_ok=True)
        lock = FolderLock(directory)
        try:
            lock.acquire()
        except BaseException:
            self._remove_if_made()
            raise
        self._lock = lock
        try:
            for name in self.owned:
                target = directory / name
                if target.is_dir() and not target.is_symlink():
                    raise OutputError(f"{target} is a folder where the build writes a file; "
                                      "move it away or choose another folder with -o")
            self._recover()
            self.staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=directory))
        except BaseException:
            self._release()
            raise
        return self

    def _recover(self) -> None:
        """Finish or discard what an interrupted run left (we hold the lock)."""
        for leftover in sorted(self.directory.glob(STAGING_PREFIX + "*")):
            try:
                info = os.lstat(leftover)
            except FileNotFoundError:
                continue
            if not stat.S_ISDIR(info.st_mode):
                leftover.unlink()  # a file or a link at a staging name: not a run's
                continue
            plan = self._journal(leftover, info)
            if plan is not None:
                moves, removals = plan
                _move_all(leftover, self.directory, moves, removals)
                self.notes.append(f"a previous run into {self.directory} was interrupted "
                                  "while moving its files into place; its moves were completed")
            shutil.rmtree(leftover)

    def _journal(self, staging: Path, info: os.stat_result) -> tuple[list[str], list[str]] | None:
        """The moves and removals of an interrupted run's list, when it is one this
        module wrote for this run's own files; else None (with a note saying why)."""
        journal = staging / JOURNAL_NAME
        discarded = (f"a previous run into {self.directory} did not finish; its partial "
                     "files were discarded, the outputs there are those of the last complete "
                     "run")
        try:
            journal_info = os.lstat(journal)
        except FileNotFoundError:
            self.notes.append(discarded)
            return None
        except OSError as exc:
            self.notes.append(f"{discarded} ({journal}: {exc.strerror or exc})")
            return None
        problem = None
        plan: Any = None
        if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
            problem = "its folder belongs to another user"
        elif not stat.S_ISREG(journal_info.st_mode):
            problem = "its list of moves is not a file"
        elif journal_info.st_size > JOURNAL_BYTES:
            problem = "its list of moves is too large to be one this program writes"
        else:
            try:
                with open(journal, "rb", opener=_no_follow) as handle:
                    plan = json.loads(handle.read(JOURNAL_BYTES + 1).decode("utf-8"))
            except (OSError, ValueError) as exc:  # unreadable, not UTF-8, not JSON
                problem = f"its list of moves cannot be read ({type(exc).__name__})"
        if problem is None:
            problem = self._plan_problem(plan)
        if problem is not None:
            self.notes.append(f"{discarded}; {problem}, so it was not followed")
            return None
        return list(plan["moves"]), list(plan["removals"])

    def _plan_problem(self, plan: Any) -> str | None:
        """Why a list of moves is not one this module wrote for this run's files."""
        if not isinstance(plan, dict) or plan.get("kind") != JOURNAL_KIND or \
                set(plan) != {"kind", "moves", "removals"}:
            return "its list of moves is not one this program writes"
        for key in ("moves", "removals"):
            names = plan[key]
            if not isinstance(names, list) or not all(_plain_name(n) for n in names):
                return f"its list of moves names paths, not plain file names ({key})"
            strange = [n for n in names if n not in self.owned]
            if strange:
                return (f"its list of moves names files this run does not write "
                        f"({', '.join(repr(n[:40]) for n in strange[:3])})")
        return None

    @property
    def folder(self) -> Path:
        """The staging folder: what a writer puts here moves into place at commit."""
        if self.staging is None:
            raise RuntimeError("Outputs is used as a context manager")
        return self.staging

    def path(self, name: str) -> Path:
        """Where to write the output called ``name`` (a plain file name)."""
        if not _plain_name(name):
            raise ValueError(f"output name {name!r}: a plain file name expected")
        return self.folder / name

    def commit(self) -> dict[str, Path]:
        """Move every file written into place at once; remove stale owned files.
        Returns name -> final path."""
        if self.staging is None:
            raise RuntimeError("Outputs is used as a context manager")
        moves = sorted(p.name for p in self.staging.iterdir() if p.name != JOURNAL_NAME)
        unknown = [name for name in moves if self.owned and name not in self.owned]
        if unknown:
            raise RuntimeError(f"outputs not declared as owned: {', '.join(unknown)}")
        removals = [name for name in self.owned if name not in moves]
        journal = self.staging / JOURNAL_NAME
        pending = journal.with_name(JOURNAL_NAME + ".tmp")
        pending.write_text(json.dumps({"kind": JOURNAL_KIND, "moves": moves,
                                       "removals": removals}), encoding="utf-8")
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
            self._release()

    def _release(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None
        if not self._committed:
            self._remove_if_made()

    def _remove_if_made(self) -> None:
        """The output folder, when this run made it and leaves nothing in it."""
        if self._created:
            with contextlib.suppress(OSError):
                self.directory.rmdir()  # only when empty


def _no_follow(path: str, flags: int) -> int:
    """``open``'s opener that refuses a symbolic link at the last component."""
    return os.open(path, flags | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))


@contextlib.contextmanager
def replacing(path: str | Path) -> Iterator[Path]:
    """A new file to write in place of ``path``, moved there by a rename when the block
    ends without error (removed otherwise): readers see the old file or the new one,
    and a symbolic link at ``path`` is replaced, not followed.

    >>> folder = Path(tempfile.mkdtemp())
    >>> with replacing(folder / "page.html") as temporary:
    ...     _ = temporary.write_text("<p>new</p>")
    >>> (folder / "page.html").read_text()
    '<p>new</p>'
    """
    path = Path(path)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    temporary = Path(name)
    try:
        yield temporary
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_atomically(path: str | Path, data: bytes) -> Path:
    """Write one file by a rename from a temporary file beside it: readers see the
    old file or the new one, and a symbolic link at ``path`` is replaced, not followed."""
    path = Path(path)
    with replacing(path) as temporary:
        temporary.write_bytes(data)
    return path
