"""Inputs to raw articles: folders, sidecar manifests, tables, HTML pages.

Every reader turns one input into :class:`RawArticle` records (text plus raw
metadata, nothing parsed yet) or :class:`FailedInput` records with a reason; none
raises for bad data, so one bad file never stops a run.

HTML pages go through trafilatura (main-text extraction, boilerplate removal,
metadata) and htmldate (publication date from markup): both are built and
evaluated for news pages, where hand-written scraping breaks on the next site.
lxml_html_clean is listed beside them because jusText, trafilatura's fallback
extractor, imports ``lxml.html.clean``, which lxml moved to that package.
"""

from __future__ import annotations

import atexit
import csv
import errno
import io
import json
import os
import re
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import IO, Any, BinaryIO

from timeline import jsonio
from timeline.corpus.columns import (
    FILE_NAMES,
    METADATA_FIELDS,
    ColumnOptions,
    MissingTextColumn,
    resolve_columns,
)
from timeline.corpus.decode import NotText, check_text, decode_bytes, normalise_text, sniff_encoding
from timeline.limits import MAX_HTML_BYTES, MAX_INPUT_BYTES

TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
CSV_SUFFIXES = (".csv",)
PARQUET_SUFFIXES = (".parquet", ".pq")
CORPUS_SUFFIXES = (TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES + CSV_SUFFIXES
                   + PARQUET_SUFFIXES)
#: Sidecar manifests: metadata for the .txt/.html files beside them, not articles.
MANIFEST_NAMES = ("manifest.csv", "manifest.jsonl")
#: The path that names standard input, read as JSON Lines (as `timeline tag -` does).
STDIN = Path("-")
#: Rows of a Parquet file converted at a time: memory stays that of a few rows.
PARQUET_BATCH_ROWS = 16


@dataclass(frozen=True, slots=True)
class RawArticle:
    """One article as read: text and raw metadata values, nothing parsed yet."""

    input: str
    text: str
    #: METADATA_FIELDS -> raw value (str, number, datetime ...), only those present.
    fields: Mapping[str, Any] = field(default_factory=dict)
    #: Other columns and extraction facts, kept as provenance.
    extra: Mapping[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    #: Where ``fields["published"]`` came from, for the evidence.
    published_basis: str = "metadata"


@dataclass(frozen=True, slots=True)
class FailedInput:
    """An input that gave no article, and why."""

    input: str
    reason: str


@dataclass(frozen=True, slots=True)
class ManifestRow:
    label: str
    fields: Mapping[str, Any]
    extra: Mapping[str, Any]


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
        return self.label or _label(self.path)


Record = RawArticle | FailedInput

#: What standard input is called in the report.
STDIN_LABEL = "-"


def _label(path: Path) -> str:
    return path.as_posix()


def _spool_stdin() -> Source:
    """Standard input copied to a temporary file (removed at exit), so that it is read
    as a stream like any JSON Lines file, and may be read more than once."""
    handle, name = tempfile.mkstemp(prefix="timeline-stdin-", suffix=".jsonl")
    atexit.register(_remove, name)
    with os.fdopen(handle, "wb") as spool:
        shutil.copyfileobj(sys.stdin.buffer, spool, 1 << 20)
    return Source(Path(name), follow=False, label=STDIN_LABEL)


def _remove(name: str) -> None:
    try:
        os.unlink(name)
    except OSError:
        pass


def _key(path: Path) -> Path:
    return Path(os.path.normpath(path.absolute()))


# --- opening files: regular files only -------------------------------------------


class NotReadable(ValueError):
    """A path that is not read: a symbolic link not followed, a FIFO, a device ..."""


def _kind(mode: int) -> str:
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
            raise NotReadable(f"not a regular file ({_kind(mode)}): not read")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _read_bounded(handle: BinaryIO, limit: int) -> tuple[bytes, bool]:
    """At most ``limit`` bytes, and whether the file held more."""
    data = handle.read(limit + 1)
    return data[:limit], len(data) > limit


def _cut_note(limit: int) -> str:
    return (f"only the first {limit:,} bytes of the file were read (limit input_bytes); "
            "the rest is not in the corpus")


# --- tables --------------------------------------------------------------------


def _present(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, float) and value != value:  # NaN from tables
        return False
    return not (isinstance(value, str) and not value.strip())


def _split_row(row: Mapping[str, Any], columns: Mapping[str, str],
               skip: Sequence[str] = ()) -> tuple[dict[str, Any], dict[str, Any]]:
    """A table row as (metadata fields, other columns)."""
    used = set(columns.values()) | set(skip)
    fields = {name: row[column] for name, column in columns.items()
              if name in METADATA_FIELDS and _present(row.get(column))}
    extra = {str(k): v for k, v in row.items() if k not in used and _present(v)}
    return fields, extra


def _row_text(value: Any) -> str:
    """The text cell of a row, normalised; raises NotText when unusable."""
    if not isinstance(value, str):
        if value is None or (isinstance(value, float) and value != value):
            raise NotText("empty: no text")
        raise NotText(f"text is not a string but {type(value).__name__}")
    check_text(value)
    return normalise_text(value)


def _table_rows(label: str, rows: Iterator[tuple[str, Any]], columns: Mapping[str, str],
                warnings: tuple[str, ...]) -> Iterator[Record]:
    """Rows (label suffix, row dict or error string) to records."""
    n = 0
    for where, row in rows:
        n += 1
        row_label = f"{label}:{where}"
        if isinstance(row, str):
            yield FailedInput(row_label, row)
            continue
        try:
            text = _row_text(row.get(columns["text"]))
        except NotText as exc:
            yield FailedInput(row_label, str(exc))
            continue
        fields, extra = _split_row(row, columns)
        yield RawArticle(row_label, text, fields, extra, warnings)
    if n == 0:
        yield FailedInput(label, "empty: no articles (no rows)")


class _TableFile:
    """A text table (JSON Lines, CSV) read as a stream: its encoding is found in one
    pass over the bytes, then each reading decodes line by line, so memory holds a
    line, not the file."""

    def __init__(self, path: Path, follow: bool, label: str | None = None) -> None:
        self.path, self.follow = path, follow
        with open_regular(path, follow=follow) as handle:
            sniffed = sniff_encoding(handle)
        self.encoding = sniffed.encoding
        self.warnings = tuple(f"{label or _label(path)}: {w}" for w in sniffed.warnings)

    def open(self, newline: str | None) -> IO[str]:
        binary = open_regular(self.path, follow=self.follow)
        return io.TextIOWrapper(binary, encoding=self.encoding, errors="replace",
                                newline=newline)


def _lines(handle: IO[str], limit: int = MAX_INPUT_BYTES) -> Iterator[tuple[int, str | None]]:
    """(line number, line) pairs; a line longer than ``limit`` characters is given as
    None and skipped unread, a chunk at a time."""
    line_no = 0
    while True:
        line = handle.readline(limit + 1)
        if not line:
            return
        line_no += 1
        if len(line) > limit and not line.endswith("\n"):
            while (rest := handle.readline(1 << 20)) and not rest.endswith("\n"):
                pass
            yield line_no, None
            continue
        yield line_no, line


def _json_error(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"invalid JSON: {exc.msg} (column {exc.colno})"
    if isinstance(exc, RecursionError):
        return "invalid JSON: nested too deeply"
    return f"invalid JSON: {str(exc).split(';')[0]}"


def _jsonl_rows(table: _TableFile) -> Iterator[tuple[str, Any]]:
    with table.open(newline=None) as handle:
        for line_no, line in _lines(handle):
            where = f"line {line_no}"
            if line is None:
                yield where, (f"longer than {MAX_INPUT_BYTES:,} characters "
                              "(limit input_bytes): not read")
                continue
            if not line.strip():
                continue
            try:
                row = jsonio.loads(line[:-1] if line.endswith("\n") else line)
            except Exception as exc:  # decode errors, nesting, numbers too long: this line only
                yield where, _json_error(exc)
                continue
            if not isinstance(row, dict):
                yield where, f"not a JSON object but {type(row).__name__}"
                continue
            yield where, row


def _columns_of_jsonl(table: _TableFile) -> list[str]:
    """Keys of the JSON Lines objects, in order of first appearance."""
    keys: dict[str, None] = {}
    for _where, row in _jsonl_rows(table):
        if isinstance(row, dict):
            keys.update(dict.fromkeys(row))
    return list(keys)


def read_jsonl(source: Source, options: ColumnOptions) -> Iterator[Record]:
    label = source.name
    try:
        table = _TableFile(source.path, source.follow, source.name)
    except (NotText, NotReadable) as exc:
        yield FailedInput(label, str(exc))
        return
    keys = _columns_of_jsonl(table)
    if not keys:  # no line parsed: each line reports its own error
        yield from _table_rows(label, _jsonl_rows(table), {"text": "text"}, table.warnings)
        return
    try:
        columns = resolve_columns(keys, options)
    except ValueError as exc:
        yield FailedInput(label, str(exc))
        return
    yield from _table_rows(label, _jsonl_rows(table), columns, table.warnings)


def _csv_reader(handle: IO[str]) -> csv.DictReader:
    # Articles are longer than csv's default 128 KiB field limit (a process-wide
    # setting); the bound keeps one runaway field (an unclosed quote) from
    # reading the whole file into memory.
    csv.field_size_limit(min(sys.maxsize, MAX_INPUT_BYTES))
    return csv.DictReader(handle)


def _csv_rows(reader: csv.DictReader) -> Iterator[tuple[str, Any]]:
    row_no = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            row_no += 1
            yield f"row {row_no}", f"malformed CSV: {exc}"
            continue
        row_no += 1
        if None in row:  # more cells than header names
            extra_cells = row.pop(None)
            row["_extra_cells"] = extra_cells
        yield f"row {row_no}", row


def read_csv(source: Source, options: ColumnOptions) -> Iterator[Record]:
    label = _label(source.path)
    try:
        table = _TableFile(source.path, source.follow, source.name)
    except (NotText, NotReadable) as exc:
        yield FailedInput(label, str(exc))
        return
    with table.open(newline="") as handle:
        try:
            reader = _csv_reader(handle)
            header = reader.fieldnames or []
        except csv.Error as exc:
            yield FailedInput(label, f"malformed CSV header: {exc}")
            return
        try:
            columns = resolve_columns(header, options)
        except ValueError as exc:
            yield FailedInput(label, str(exc))
            return
        yield from _table_rows(label, _csv_rows(reader), columns, table.warnings)


def _first_line(exc: Exception) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text.splitlines()[0]}" if text else type(exc).__name__


def _parquet_rows(parquet: Any) -> Iterator[tuple[str, Any]]:
    """Rows of a Parquet file a few at a time; a damaged part ends the file with a
    line that says from which row on nothing could be read."""
    n = 0
    try:
        for batch in parquet.iter_batches(batch_size=PARQUET_BATCH_ROWS):
            for row in batch.to_pylist():
                n += 1
                yield f"row {n}", row
    except Exception as exc:  # pyarrow raises many kinds for a damaged file
        yield f"row {n + 1}", (f"unreadable Parquet from this row on: {_first_line(exc)}")


def read_parquet(source: Source, options: ColumnOptions) -> Iterator[Record]:
    import pyarrow.parquet as pq

    label = _label(source.path)
    try:
        handle = open_regular(source.path, follow=source.follow)
    except NotReadable as exc:
        yield FailedInput(label, str(exc))
        return
    with handle:
        try:
            parquet = pq.ParquetFile(handle)
            names = parquet.schema_arrow.names
        except Exception as exc:  # pyarrow raises many kinds for a bad file
            yield FailedInput(label, f"unreadable Parquet: {_first_line(exc)}")
            return
        try:
            columns = resolve_columns(names, options)
        except ValueError as exc:
            yield FailedInput(label, str(exc))
            return
        yield from _table_rows(label, _parquet_rows(parquet), columns, ())


# --- single files: text and HTML ------------------------------------------------


def _read_file_bytes(source: Source) -> tuple[bytes, tuple[str, ...]]:
    """A file's bytes up to the input limit, and a note when it held more."""
    with open_regular(source.path, follow=source.follow) as handle:
        data, cut = _read_bounded(handle, MAX_INPUT_BYTES)
    if not cut:
        return data, ()
    # cut at a line end so that no character is split (BOM'd UTF-16/32 aside)
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        newline = data.rfind(b"\n", len(data) - (1 << 20))
        if newline > 0:
            data = data[:newline + 1]
    return data, (_cut_note(MAX_INPUT_BYTES),)


def read_text_file(source: Source, manifest: ManifestRow | None) -> Record:
    label = _label(source.path)
    try:
        data, notes = _read_file_bytes(source)
        decoded = decode_bytes(data)
    except (NotText, NotReadable) as exc:
        return FailedInput(label, str(exc))
    fields = dict(manifest.fields) if manifest else {}
    extra = dict(manifest.extra) if manifest else {}
    return RawArticle(label, decoded.text, fields, extra, (*notes, *decoded.warnings))


#: Elements that hold no article text; stripped from large pages before extraction.
_NOT_TEXT = re.compile(rb"<(script|style|noscript|template|svg|math)\b|<!--", re.IGNORECASE)


def strip_markup_noise(data: bytes) -> bytes:
    """A page without its scripts, styles, SVG and comments, in one pass.

    Each element is cut from its opening tag to its closing tag (to the end when
    unclosed), found with plain searches, so the time is linear in the page.

    >>> strip_markup_noise(b"<p>a</p><script>x<p></script><!-- c --><p>b</p>")
    b'<p>a</p><p>b</p>'
    """
    lower = data.lower()
    out = []
    position = 0
    while (m := _NOT_TEXT.search(data, position)) is not None:
        out.append(data[position:m.start()])
        closing = b"-->" if m.group(0) == b"<!--" else b"</" + m.group(1).lower()
        end = lower.find(closing, m.end())
        if end < 0:
            position = len(data)
            break
        close = data.find(b">", end) if closing != b"-->" else end + 2
        position = len(data) if close < 0 else close + 1
    out.append(data[position:])
    return b"".join(out)


def _bounded_page(data: bytes) -> tuple[bytes, list[str]]:
    """The page as handed to the extractors: stripped of scripts and styles when
    large, and cut at a tag before :data:`MAX_HTML_BYTES` when still too large."""
    notes: list[str] = []
    if len(data) <= MAX_HTML_BYTES:
        return data, notes
    data = strip_markup_noise(data)
    if len(data) > MAX_HTML_BYTES:
        cut = data.rfind(b"<", 0, MAX_HTML_BYTES)
        cut = cut if cut > MAX_HTML_BYTES // 2 else MAX_HTML_BYTES
        notes.append(f"page of {len(data):,} bytes without scripts and styles; only "
                     f"the first {cut:,} were given to the text extractor (limit html_bytes)")
        data = data[:cut]
    return data, notes


def read_html_file(source: Source, manifest: ManifestRow | None, today: date) -> Record:
    """Main text and metadata of a news page (trafilatura), its date (htmldate)."""
    import htmldate
    import trafilatura

    label = _label(source.path)
    try:
        data, read_notes = _read_file_bytes(source)
    except NotReadable as exc:
        return FailedInput(label, str(exc))
    if not data.strip():
        return FailedInput(label, "empty: 0 bytes" if not data else "empty: no text")
    if b"\x00" in data[:100_000] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return FailedInput(label, "binary: contains NUL bytes, not HTML")
    data, page_notes = _bounded_page(data)
    try:
        extracted = trafilatura.bare_extraction(data, with_metadata=True,
                                                include_comments=False)
    except Exception as exc:  # a library failure on one page must not stop the run
        return FailedInput(label, f"HTML extraction failed: {type(exc).__name__}: {exc}")
    if extracted is None or isinstance(extracted, dict) or not (extracted.text or "").strip():
        return FailedInput(label, "HTML: no main text found")
    text = normalise_text(extracted.text or "")
    fields: dict[str, Any] = {}
    for name, value in (("title", extracted.title), ("source", extracted.sitename),
                        ("url", extracted.url)):
        if _present(value):
            fields[name] = value
    basis = "metadata"
    try:
        # Markup only (meta tags, JSON-LD, URL); the article text is left to the
        # tagger-based inference, which says what it used.
        found = htmldate.find_date(data.decode("utf-8", "replace"), original_date=True,
                                   extensive_search=False,
                                   max_date=today.isoformat())
    except Exception:  # htmldate on a malformed page: no date, not a failure
        found = None
    if found:
        fields["published"] = found
        basis = "HTML markup (htmldate)"
    if manifest:
        fields.update(manifest.fields)
        if "published" in manifest.fields:
            basis = "metadata"
    extra = {"extractor": "trafilatura", **(dict(manifest.extra) if manifest else {})}
    return RawArticle(label, text, fields, extra, (*read_notes, *page_notes),
                      published_basis=basis)


# --- folders and manifests ---------------------------------------------------


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _confined(target: Path, root: Path, follow: bool) -> str | None:
    """Why a file a manifest names may not be read (None when it may): it must lie
    inside the corpus folder, and, unless symbolic links are followed, be reached
    through none."""
    if not _inside(_key(target), _key(root)):
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
    label = _label(path)
    root = root if root is not None else path.parent
    try:
        table = _TableFile(path, follow)
    except (NotText, NotReadable) as exc:
        return {}, [], [f"{label}: manifest ignored: {exc}"]
    warnings = table.warnings
    if path.suffix == ".csv":
        try:
            with table.open(newline="") as handle:
                reader = _csv_reader(handle)
                header = list(reader.fieldnames or [])
                rows = list(_csv_rows(reader))
        except csv.Error as exc:
            return {}, [], [f"{label}: manifest ignored: malformed CSV: {exc}"]
    else:
        rows = list(_jsonl_rows(table))
        header = _columns_of_jsonl(table)
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
        if not _present(name) or not isinstance(name, str):
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
        fields, extra = _split_row(row, columns, skip=(file_column,))
        if "id" not in fields:
            # The manifest names the file; its stem is the id gold files use.
            fields["id"] = Path(name.strip()).stem
        key = _key(target)
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


def _walk(root: Path, follow: bool, excluded: Sequence[Path]) -> Iterator[_Entry]:
    """Entries under root, recursively, in a stable (sorted) order.

    Symbolic links are listed, not followed, unless ``follow`` (then each folder is
    visited once, so a link loop ends); folders in ``excluded`` are listed, not
    entered.
    """
    seen: set[tuple[int, int]] = set()
    for directory, subdirs, names in os.walk(root, followlinks=follow):
        try:
            info = os.stat(directory)
        except OSError:
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
                yield _Entry(path, f"not a regular file ({_kind(mode)}): not read")
            else:
                yield _Entry(path)


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


def discover(paths: Sequence[Path], options: ColumnOptions, *, follow_symlinks: bool = False,
             exclude: Sequence[Path] = ()) -> Discovery:
    """Walk the given paths: the files to read, the manifests' rows, and what was
    refused or ignored, each with its reason.

    Paths named here are read even when they are symbolic links (the user named
    them); inside folders, links are followed only with ``follow_symlinks``.
    Anything under ``exclude`` (the build's own output folder) is never read.
    """
    files: list[Source] = []
    manifests: dict[Path, ManifestRow] = {}
    failures: list[FailedInput] = []
    warnings: list[str] = []
    ignored: list[tuple[str, str]] = []
    seen: set[Path] = set()
    excluded = [_real(Path(p)) for p in exclude]

    def add(file: Path, follow: bool) -> None:
        key = _key(file)
        if key not in seen:
            seen.add(key)
            files.append(Source(file, follow))

    def is_excluded(path: Path) -> bool:
        real = _real(path)
        return any(_inside(real, folder) for folder in excluded)

    for path in paths:
        if is_excluded(path):
            ignored.append((_label(path), "inside the output folder of this build: not an input"))
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
                if file.name.startswith("."):
                    ignored.append((_label(file), "hidden file"))
                elif entry.odd is not None and (entry.is_dir
                                                or file.suffix.lower() not in CORPUS_SUFFIXES):
                    ignored.append((_label(file), entry.odd))
                elif entry.odd is not None:
                    failures.append(FailedInput(_label(file), entry.odd))
                elif file.suffix.lower() in CORPUS_SUFFIXES:
                    add(file, follow_symlinks)
                else:
                    ignored.append((_label(file), f"not a corpus file "
                                                  f"({file.suffix or 'no extension'})"))
        elif path == STDIN:
            files.append(_spool_stdin())
        elif path.exists() or path.is_symlink():
            add(path, True)
        else:
            failures.append(FailedInput(_label(path), "not found: no such file or folder"))
    # A manifest may name a file the walk left out (hidden, another extension).
    for key in manifests:
        add(key, follow_symlinks)
    return Discovery(tuple(files), manifests, tuple(failures), tuple(warnings),
                     tuple(ignored))


def read_file(source: Source | Path, manifests: Mapping[Path, ManifestRow],
              options: ColumnOptions, today: date) -> Iterator[Record]:
    """Records from one file, whatever its kind."""
    if isinstance(source, Path):
        source = Source(source)
    path = source.path
    suffix = path.suffix.lower()
    manifest = manifests.get(_key(path))
    if suffix in JSONL_SUFFIXES or source.label == STDIN_LABEL:
        yield from read_jsonl(source, options)
    elif suffix in CSV_SUFFIXES:
        yield from read_csv(source, options)
    elif suffix in PARQUET_SUFFIXES:
        yield from read_parquet(source, options)
    elif suffix in HTML_SUFFIXES:
        yield read_html_file(source, manifest, today)
    elif suffix in TEXT_SUFFIXES or manifest is not None:
        yield read_text_file(source, manifest)
    else:
        yield FailedInput(_label(path), f"unsupported file type ({suffix or 'no extension'}); "
                          f"expected one of {', '.join(CORPUS_SUFFIXES)}")


__all__ = ["MissingTextColumn", "RawArticle", "FailedInput", "Source", "discover",
           "open_regular", "read_file"]
