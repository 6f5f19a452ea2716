"""Discovery of the inputs: folders walked, sidecar manifests read, standard input spooled.

What is read and what is not, each refusal with its reason: symbolic links inside
folders only with ``--follow-symlinks``; files a manifest names only inside its
corpus folder; nothing under the build's own output folder, and no file an earlier
build wrote (:mod:`timeline.corpus.earlier`); hidden files and other extensions
listed as ignored; a folder that cannot be read listed as failed.
"""

from __future__ import annotations

import atexit
import csv
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from timeline.corpus.columns import FILE_NAMES, ColumnOptions, resolve_columns
from timeline.corpus.decode import NotText
from timeline.corpus.earlier import BUILD_FILES, is_build_output
from timeline.corpus.earlier import REASON as EARLIER_OUTPUT
from timeline.corpus.formats import (
    CORPUS_SUFFIXES,
    FailedInput,
    ManifestRow,
    TableFile,
    csv_reader,
    csv_rows,
    has_value,
    jsonl_columns,
    jsonl_rows,
    split_row,
)
from timeline.corpus.opening import (
    STDIN,
    STDIN_LABEL,
    NotReadable,
    Source,
    file_kind,
    path_key,
    path_label,
)

#: Sidecar manifests: metadata for the .txt/.html files beside them, not articles.
MANIFEST_NAMES = ("manifest.csv", "manifest.jsonl")


def _spool_stdin(folder: Path | None = None) -> Source:
    """Standard input copied to a temporary file, so that it is read as a stream like
    any JSON Lines file, and may be read more than once: in ``folder`` (a run's work
    folder, removed with it), else in the temporary folder, removed at exit."""
    handle, name = tempfile.mkstemp(prefix="timeline-stdin-", suffix=".jsonl", dir=folder)
    if folder is None:
        atexit.register(_remove, name)
    with os.fdopen(handle, "wb") as spool:
        shutil.copyfileobj(sys.stdin.buffer, spool, 1 << 20)
    return Source(Path(name), follow=False, label=STDIN_LABEL)


def _remove(name: str) -> None:
    try:
        os.unlink(name)
    except OSError:
        pass


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _confined(target: Path, root: Path, follow: bool) -> str | None:
    """Why a file a manifest names may not be read (None when it may): it must lie
    inside the corpus folder, and, unless symbolic links are followed, be reached
    through none."""
    if not _inside(path_key(target), path_key(root)):
        return "outside the corpus folder: refused"
    if not follow:
        real = Path(os.path.realpath(target))
        if target.is_symlink() or not _inside(real, Path(os.path.realpath(root))):
            return "reached through a symbolic link: not followed (--follow-symlinks reads it)"
    return None


def read_manifest(path: Path, options: ColumnOptions, root: Path | None = None,
                  follow: bool = False
                  ) -> tuple[dict[Path, ManifestRow], list[FailedInput], list[str]]:
    """Rows of a sidecar manifest keyed by the file they describe.

    Files are named relative to the manifest and must lie inside ``root`` (the
    corpus folder; the manifest's own folder by default): a row naming a file
    elsewhere ("../../home/user/secret.txt", "/etc/hostname") is refused.
    Returns (rows, failures for rows naming absent or refused files, warnings).
    """
    label = path_label(path)
    root = root if root is not None else path.parent
    try:
        table = TableFile(path, follow)
    except (NotText, NotReadable) as exc:
        return {}, [], [f"{label}: manifest ignored: {exc}"]
    warnings = table.warnings
    if path.suffix == ".csv":
        try:
            with table.open(newline="") as handle:
                reader = csv_reader(handle)
                header = list(reader.fieldnames or [])
                rows = list(csv_rows(reader))
        except csv.Error as exc:
            return {}, [], [f"{label}: manifest ignored: malformed CSV: {exc}"]
    else:
        rows = list(jsonl_rows(table))
        header = jsonl_columns(table)
    folded = {c.strip().casefold(): c for c in header}
    file_column = next((folded[n] for n in FILE_NAMES if n in folded), None)
    if file_column is None:
        return {}, [], [f"{label}: manifest ignored: no file column (expected one of "
                        f"{', '.join(FILE_NAMES)}); columns are: {', '.join(header)}"]
    meta_options = replace(options, text=None)
    try:
        columns = resolve_columns(header, meta_options, need_text=False)
    except ValueError:
        columns = resolve_columns(header, ColumnOptions(), need_text=False)
    columns.pop("text", None)
    found: dict[Path, ManifestRow] = {}
    failures: list[FailedInput] = []
    notes = list(warnings)
    for where, row in rows:
        row_label = f"{label}:{where}"
        if isinstance(row, str):
            notes.append(f"{row_label}: manifest row ignored: {row}")
            continue
        name = row.get(file_column)
        if not has_value(name) or not isinstance(name, str):
            notes.append(f"{row_label}: manifest row ignored: no file named")
            continue
        try:
            target = (path.parent / name.strip())
            refused = _confined(target, root, follow)
            present = refused is None and target.exists()
        except (OSError, ValueError) as exc:  # a NUL or an over-long name
            refused, present = f"not a usable path ({type(exc).__name__})", False
        if refused is not None:
            failures.append(FailedInput(row_label, f"manifest names {name.strip()!r}, "
                                                   f"{refused}"))
            continue
        if not present:
            failures.append(FailedInput(row_label, f"manifest names {name.strip()!r}, "
                                                   "which is not there"))
            continue
        fields, extra = split_row(row, columns, skip=(file_column,))
        if "id" not in fields:
            # The manifest names the file; its stem is the id gold files use.
            fields["id"] = Path(name.strip()).stem
        key = path_key(target)
        if key in found:
            notes.append(f"{row_label}: manifest names {name.strip()!r} again; "
                         "the first row is used")
            continue
        found[key] = ManifestRow(row_label, fields, extra)
    return found, failures, notes


@dataclass(frozen=True, slots=True)
class Discovery:
    """What a walk over the given paths found."""

    files: tuple[Source, ...]
    manifests: Mapping[Path, ManifestRow]
    failures: tuple[FailedInput, ...]
    warnings: tuple[str, ...]
    ignored: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class _Entry:
    path: Path
    #: None for a regular file (or a link followed to one); else why it is not one.
    odd: str | None = None
    is_dir: bool = False
    #: A folder that could not be read: its files are inputs that failed.
    failed: bool = False


def _unreadable(path: str | Path, exc: OSError) -> _Entry:
    return _Entry(Path(path), f"folder cannot be read: {exc.strerror or exc}; its files "
                              "are not in the corpus", True, True)


def _walk(root: Path, follow: bool, excluded: Sequence[Path]) -> Iterator[_Entry]:
    """Entries under root, recursively, in a stable (sorted) order.

    Symbolic links are listed, not followed, unless ``follow`` (then each folder is
    visited once, so a link loop ends); folders in ``excluded`` are listed, not
    entered; a folder that cannot be read is listed as failed, never skipped silently.
    """
    seen: set[tuple[int, int]] = set()
    errors: list[OSError] = []
    for directory, subdirs, names in os.walk(root, followlinks=follow, onerror=errors.append):
        while errors:
            failure = errors.pop(0)
            yield _unreadable(failure.filename or directory, failure)
        try:
            info = os.stat(directory)
        except OSError as exc:
            yield _unreadable(directory, exc)
            continue
        if (info.st_dev, info.st_ino) in seen:
            subdirs[:] = []
            continue
        seen.add((info.st_dev, info.st_ino))
        kept = []
        for name in sorted(subdirs):
            sub = Path(directory) / name
            if _real(sub) in excluded:
                yield _Entry(sub, "the output folder of this build: not an input", True)
            elif sub.is_symlink() and not follow:
                yield _Entry(sub, "symbolic link to a folder: not followed "
                                  "(--follow-symlinks reads it)", True)
            else:
                kept.append(name)
        subdirs[:] = kept
        for name in sorted(names):
            path = Path(directory) / name
            try:
                mode = (os.stat if follow else os.lstat)(path).st_mode
            except OSError as exc:  # a dangling link, a file gone meanwhile
                yield _Entry(path, f"cannot be read: {exc.strerror or exc}")
                continue
            if stat.S_ISLNK(mode):
                yield _Entry(path, "symbolic link: not followed (--follow-symlinks reads "
                                   "the files links point to)")
            elif not stat.S_ISREG(mode):
                yield _Entry(path, f"not a regular file ({file_kind(mode)}): not read")
            else:
                yield _Entry(path)
    for failure in errors:  # the last folders tried
        yield _unreadable(failure.filename or root, failure)


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


def discover(paths: Sequence[Path], options: ColumnOptions, *, follow_symlinks: bool = False,
             exclude: Sequence[Path] = (), spool: Path | None = None) -> Discovery:
    """Walk the given paths: the files to read, the manifests' rows, and what was
    refused or ignored, each with its reason.

    Paths named here are read even when they are symbolic links (the user named
    them); inside folders, links are followed only with ``follow_symlinks``.
    Anything under ``exclude`` (the build's own output folder) is never read.
    Standard input (``-``) is copied into ``spool`` (default: the temporary folder).
    """
    files: list[Source] = []
    manifests: dict[Path, ManifestRow] = {}
    failures: list[FailedInput] = []
    warnings: list[str] = []
    ignored: list[tuple[str, str]] = []
    seen: set[Path] = set()
    excluded = [_real(Path(p)) for p in exclude]

    def add(file: Path, follow: bool) -> None:
        key = path_key(file)
        if key not in seen:
            seen.add(key)
            files.append(Source(file, follow))

    def is_excluded(path: Path) -> bool:
        real = _real(path)
        return any(_inside(real, folder) for folder in excluded)

    for path in paths:
        if is_excluded(path):
            ignored.append((path_label(path),
                            "inside the output folder of this build: not an input"))
        elif path.is_dir():
            walked = list(_walk(path, follow_symlinks, excluded))
            for entry in walked:
                if entry.odd is None and entry.path.name.lower() in MANIFEST_NAMES:
                    rows, bad, notes = read_manifest(entry.path, options, path, follow_symlinks)
                    manifests.update(rows)
                    failures.extend(bad)
                    warnings.extend(notes)
            for entry in walked:
                file = entry.path
                if file.name.lower() in MANIFEST_NAMES and entry.odd is None:
                    continue
                if entry.failed:
                    failures.append(FailedInput(path_label(file), entry.odd or "not read"))
                elif file.name.startswith("."):
                    ignored.append((path_label(file), "hidden file"))
                elif entry.odd is None and file.name in BUILD_FILES and \
                        is_build_output(file, follow=follow_symlinks):
                    ignored.append((path_label(file), EARLIER_OUTPUT))
                elif entry.odd is not None and (entry.is_dir
                                                or file.suffix.lower() not in CORPUS_SUFFIXES):
                    ignored.append((path_label(file), entry.odd))
                elif entry.odd is not None:
                    failures.append(FailedInput(path_label(file), entry.odd))
                elif file.suffix.lower() in CORPUS_SUFFIXES:
                    add(file, follow_symlinks)
                else:
                    ignored.append((path_label(file), f"not a corpus file "
                                                      f"({file.suffix or 'no extension'})"))
        elif path == STDIN:
            files.append(_spool_stdin(spool))
        elif path.exists() or path.is_symlink():
            add(path, True)
        else:
            failures.append(FailedInput(path_label(path), "not found: no such file or folder"))
    # A manifest may name a file the walk left out (hidden, another extension).
    for key in manifests:
        add(key, follow_symlinks)
    return Discovery(tuple(files), manifests, tuple(failures), tuple(warnings),
                     tuple(ignored))
