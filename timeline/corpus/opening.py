"""Opening the inputs: regular files only, symbolic links only when allowed.

A :class:`Source` names a file to read and whether it may be reached through a
symbolic link; :func:`open_regular` opens it or says why not (a link not
followed, a FIFO, a device, a socket), with the checks made on the opened file.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

#: The path that names standard input, read as JSON Lines (as `timeline tag -` does).
STDIN = Path("-")
#: What standard input is called in the report.
STDIN_LABEL = "-"


@dataclass(frozen=True, slots=True)
class Source:
    """A file to read, and whether it may be reached through a symbolic link: one
    the user named on the command line, or any under ``--follow-symlinks``."""

    path: Path
    follow: bool = False
    #: What the input is called in the report, when not its path ("-": standard input).
    label: str | None = None

    @property
    def name(self) -> str:
        return self.label or path_label(self.path)


def path_label(path: Path) -> str:
    """What a file is called in the report."""
    return path.as_posix()


def path_key(path: Path) -> Path:
    """The absolute, normalised path: one key per file however it was named."""
    return Path(os.path.normpath(path.absolute()))


class NotReadable(ValueError):
    """A path that is not read: a symbolic link not followed, a FIFO, a device ..."""


def file_kind(mode: int) -> str:
    """What a file that is not a regular file is, for the reason it is not read."""
    for test, name in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                       (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISLNK, "a symbolic link")):
        if test(mode):
            return name
    return "not a regular file"


def open_regular(path: Path, *, follow: bool = False) -> BinaryIO:
    """Open a regular file for reading, or raise :class:`NotReadable` saying why not.

    The checks are made on the opened file itself, so a path swapped between a
    look and the read changes nothing: a symbolic link is refused (unless
    ``follow``), and anything not a regular file (a FIFO, which would block for
    ever; ``/dev/zero``, which never ends; a socket) is closed again unread.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    if not follow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP and not follow:
            raise NotReadable("symbolic link: not followed (--follow-symlinks reads "
                              "the files links point to)") from None
        if exc.errno == errno.ENXIO:
            raise NotReadable("not a regular file (a socket)") from None
        raise NotReadable(f"cannot be opened: {exc.strerror or exc}") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotReadable(f"not a regular file ({file_kind(mode)}): not read")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_bounded(handle: BinaryIO, limit: int) -> tuple[bytes, bool]:
    """At most ``limit`` bytes, and whether the file held more."""
    data = handle.read(limit + 1)
    return data[:limit], len(data) > limit
