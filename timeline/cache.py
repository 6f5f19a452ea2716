"""A small on-disk cache for costly, derived artefacts (compiled automata, bundles).

Some fixed costs are worth paying once per machine rather than once per run:
compiling a language's rules into a Hyperscan database, or bundling the Vega
JavaScript for the page. Each artefact is stored under a *name* and a *key* (a
hash of everything it was derived from: rule file contents, library versions),
so a stale entry is never read: a changed input gives a new key.

Entries are written atomically (a temporary file, then ``os.replace``) and carry
a SHA-256 of their payload; an entry that is truncated, corrupt or unreadable is
treated as missing (and removed), so the caller rebuilds it. The cache is an
optimisation only: when the directory cannot be written, nothing is cached and
nothing fails.

The directory is ``$TIMELINE_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/timeline``,
else ``~/.cache/timeline``.

>>> import tempfile, os
>>> saved = os.environ.get("TIMELINE_CACHE_DIR")
>>> os.environ["TIMELINE_CACHE_DIR"] = tempfile.mkdtemp()
>>> put("demo", "k1", b"payload")
True
>>> get("demo", "k1")
b'payload'
>>> get("demo", "other-key") is None
True
>>> _ = os.environ.pop("TIMELINE_CACHE_DIR") if saved is None else os.environ.update(
...     TIMELINE_CACHE_DIR=saved)
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # not POSIX: processes build artefacts without waiting for one another
    fcntl = None  # type: ignore[assignment]

_MAGIC = b"timeline-cache-1\n"
_SAFE = re.compile(r"[^A-Za-z0-9_.-]")


def cache_dir() -> Path:
    """Where cached artefacts live (see the module docstring)."""
    explicit = os.environ.get("TIMELINE_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "timeline"


def content_key(*parts: str | bytes) -> str:
    """A hex key over everything an artefact is derived from."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


def _path(name: str, key: str) -> Path:
    return cache_dir() / f"{_SAFE.sub('_', name)}-{_SAFE.sub('_', key)[:64]}.bin"


def get(name: str, key: str) -> bytes | None:
    """The payload stored under (name, key), or None when absent or damaged."""
    path = _path(name, key)
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    header_end = len(_MAGIC) + 64
    if len(blob) < header_end or not blob.startswith(_MAGIC):
        _discard(path)
        return None
    checksum, payload = blob[len(_MAGIC):header_end], blob[header_end:]
    if hashlib.sha256(payload).hexdigest().encode("ascii") != checksum:
        _discard(path)
        return None
    return payload


def put(name: str, key: str, payload: bytes) -> bool:
    """Store the payload atomically; False (and no error) when the cache is not writable."""
    path = _path(name, key)
    blob = _MAGIC + hashlib.sha256(payload).hexdigest().encode("ascii") + payload
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".bin")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(blob)
            os.replace(temporary, path)
        except BaseException:
            _discard(Path(temporary))
            raise
    except OSError:
        return False
    return True


def cached(name: str, key: str, build: Callable[[], bytes]) -> bytes:
    """The payload under (name, key), built by ``build`` and stored when absent. Built
    once when processes ask together (the workers of a build, parallel runs on a fresh
    machine): the first builds it holding a lock beside the entry, the others wait for
    the lock, then read what it stored.

    >>> import tempfile, os
    >>> saved = os.environ.get("TIMELINE_CACHE_DIR")
    >>> os.environ["TIMELINE_CACHE_DIR"] = tempfile.mkdtemp()
    >>> cached("demo", "k2", lambda: b"built once")
    b'built once'
    >>> cached("demo", "k2", lambda: b"never built")
    b'built once'
    >>> _ = os.environ.pop("TIMELINE_CACHE_DIR") if saved is None else os.environ.update(
    ...     TIMELINE_CACHE_DIR=saved)
    """
    payload = get(name, key)
    if payload is not None:
        return payload
    with _building(name, key):
        payload = get(name, key)  # built meanwhile by the process that held the lock
        if payload is None:
            payload = build()
            put(name, key, payload)
    return payload


@contextlib.contextmanager
def _building(name: str, key: str) -> Iterator[None]:
    """Hold the lock of the artefact (name, key); nothing is held when the cache folder
    cannot be written (nor where there is no ``flock``)."""
    path = _path(name, key).with_suffix(".lock")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    except OSError:
        yield
        return
    try:
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # and with it the lock


def _discard(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass
