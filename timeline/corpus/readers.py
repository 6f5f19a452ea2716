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

import csv
import io
import json
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from timeline.corpus.columns import (
    FILE_NAMES,
    METADATA_FIELDS,
    ColumnOptions,
    MissingTextColumn,
    resolve_columns,
)
from timeline.corpus.decode import NotText, check_text, decode_bytes, normalise_text

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


Record = RawArticle | FailedInput


def _label(path: Path) -> str:
    return path.as_posix()


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


def _decode_table(path: Path) -> tuple[str, tuple[str, ...]]:
    data = sys.stdin.buffer.read() if path == STDIN else path.read_bytes()
    decoded = decode_bytes(data)
    return decoded.text, tuple(f"{_label(path)}: {w}" for w in decoded.warnings)


def _jsonl_rows(text: str) -> Iterator[tuple[str, Any]]:
    for line_no, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            yield f"line {line_no}", f"invalid JSON: {exc.msg} (column {exc.colno})"
            continue
        if not isinstance(row, dict):
            yield f"line {line_no}", f"not a JSON object but {type(row).__name__}"
            continue
        yield f"line {line_no}", row


def _columns_of_jsonl(text: str) -> list[str]:
    """Keys of the JSON Lines objects, in order of first appearance."""
    keys: dict[str, None] = {}
    for _where, row in _jsonl_rows(text):
        if isinstance(row, dict):
            keys.update(dict.fromkeys(row))
    return list(keys)


def read_jsonl(path: Path, options: ColumnOptions) -> Iterator[Record]:
    label = _label(path)
    try:
        text, warnings = _decode_table(path)
    except NotText as exc:
        yield FailedInput(label, str(exc))
        return
    keys = _columns_of_jsonl(text)
    if not keys:  # no line parsed: each line reports its own error
        yield from _table_rows(label, _jsonl_rows(text), {"text": "text"}, warnings)
        return
    try:
        columns = resolve_columns(keys, options)
    except ValueError as exc:
        yield FailedInput(label, str(exc))
        return
    yield from _table_rows(label, _jsonl_rows(text), columns, warnings)


def _csv_reader(text: str) -> csv.DictReader:
    # Articles are longer than csv's default 128 KiB field limit (a process-wide setting).
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    return csv.DictReader(io.StringIO(text, newline=""))


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


def read_csv(path: Path, options: ColumnOptions) -> Iterator[Record]:
    label = _label(path)
    try:
        text, warnings = _decode_table(path)
        reader = _csv_reader(text)
        header = reader.fieldnames or []
    except NotText as exc:
        yield FailedInput(label, str(exc))
        return
    except csv.Error as exc:
        yield FailedInput(label, f"malformed CSV header: {exc}")
        return
    try:
        columns = resolve_columns(header, options)
    except ValueError as exc:
        yield FailedInput(label, str(exc))
        return
    yield from _table_rows(label, _csv_rows(reader), columns, warnings)


def read_parquet(path: Path, options: ColumnOptions) -> Iterator[Record]:
    import polars as pl

    label = _label(path)
    try:
        table = pl.read_parquet(path)
    except Exception as exc:  # polars raises many kinds for a bad file
        yield FailedInput(label, f"unreadable Parquet: {type(exc).__name__}: "
                                 f"{str(exc).splitlines()[0] if str(exc) else ''}".rstrip(": "))
        return
    try:
        columns = resolve_columns(table.columns, options)
    except ValueError as exc:
        yield FailedInput(label, str(exc))
        return
    rows = ((f"row {n}", row) for n, row in enumerate(table.iter_rows(named=True), 1))
    yield from _table_rows(label, rows, columns, ())


def read_text_file(path: Path, manifest: ManifestRow | None) -> Record:
    label = _label(path)
    try:
        decoded = decode_bytes(path.read_bytes())
    except NotText as exc:
        return FailedInput(label, str(exc))
    fields = dict(manifest.fields) if manifest else {}
    extra = dict(manifest.extra) if manifest else {}
    return RawArticle(label, decoded.text, fields, extra, decoded.warnings)


def read_html_file(path: Path, manifest: ManifestRow | None, today: date) -> Record:
    """Main text and metadata of a news page (trafilatura), its date (htmldate)."""
    import htmldate
    import trafilatura

    label = _label(path)
    data = path.read_bytes()
    if not data.strip():
        return FailedInput(label, "empty: 0 bytes" if not data else "empty: no text")
    if b"\x00" in data[:100_000] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return FailedInput(label, "binary: contains NUL bytes, not HTML")
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
    return RawArticle(label, text, fields, extra, (), published_basis=basis)


# --- folders and manifests ---------------------------------------------------


def read_manifest(path: Path, options: ColumnOptions
                  ) -> tuple[dict[Path, ManifestRow], list[FailedInput], list[str]]:
    """Rows of a sidecar manifest keyed by the file they describe.

    Returns (rows, failures for rows naming absent files, warnings).
    """
    label = _label(path)
    try:
        text, warnings = _decode_table(path)
    except NotText as exc:
        return {}, [], [f"{label}: manifest ignored: {exc}"]
    if path.suffix == ".csv":
        try:
            reader = _csv_reader(text)
            header = list(reader.fieldnames or [])
            rows = list(_csv_rows(reader))
        except csv.Error as exc:
            return {}, [], [f"{label}: manifest ignored: malformed CSV: {exc}"]
    else:
        rows = list(_jsonl_rows(text))
        header = _columns_of_jsonl(text)
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
        target = (path.parent / name.strip())
        if not target.is_file():
            failures.append(FailedInput(row_label, f"manifest names {name.strip()!r}, "
                                                   "which is not there"))
            continue
        fields, extra = _split_row(row, columns, skip=(file_column,))
        if "id" not in fields:
            # The manifest names the file; its stem is the id gold files use.
            fields["id"] = Path(name.strip()).stem
        key = Path(os.path.normpath(target.absolute()))
        if key in found:
            notes.append(f"{row_label}: manifest names {name.strip()!r} again; "
                            "the first row is used")
            continue
        found[key] = ManifestRow(row_label, fields, extra)
    return found, failures, notes


@dataclass(frozen=True, slots=True)
class Discovery:
    """What a walk over the given paths found."""

    files: tuple[Path, ...]
    manifests: Mapping[Path, ManifestRow]
    failures: tuple[FailedInput, ...]
    warnings: tuple[str, ...]
    ignored: tuple[tuple[str, str], ...]


def _walk(root: Path) -> Iterator[Path]:
    """Files under root, recursively, in a stable (sorted) order."""
    for directory, subdirs, names in os.walk(root):
        subdirs.sort()
        for name in sorted(names):
            yield Path(directory) / name


def discover(paths: Sequence[Path], options: ColumnOptions) -> Discovery:
    files: list[Path] = []
    manifests: dict[Path, ManifestRow] = {}
    failures: list[FailedInput] = []
    warnings: list[str] = []
    ignored: list[tuple[str, str]] = []
    seen: set[Path] = set()

    def add(file: Path) -> None:
        key = Path(os.path.normpath(file.absolute()))
        if key not in seen:
            seen.add(key)
            files.append(file)

    for path in paths:
        if path.is_dir():
            walked = list(_walk(path))
            for file in walked:
                if file.name.lower() in MANIFEST_NAMES:
                    rows, bad, notes = read_manifest(file, options)
                    manifests.update(rows)
                    failures.extend(bad)
                    warnings.extend(notes)
            for file in walked:
                if file.name.lower() in MANIFEST_NAMES:
                    continue
                if file.name.startswith("."):
                    ignored.append((_label(file), "hidden file"))
                elif file.suffix.lower() in CORPUS_SUFFIXES:
                    add(file)
                else:
                    ignored.append((_label(file), f"not a corpus file "
                                                  f"({file.suffix or 'no extension'})"))
        elif path.is_file() or path == STDIN:
            add(path)
        else:
            failures.append(FailedInput(_label(path), "not found: no such file or folder"))
    # A manifest may name a file outside the folders walked (../other/x.txt).
    for key in manifests:
        add(key)
    return Discovery(tuple(files), manifests, tuple(failures), tuple(warnings),
                     tuple(ignored))


def read_file(path: Path, manifests: Mapping[Path, ManifestRow], options: ColumnOptions,
              today: date) -> Iterator[Record]:
    """Records from one file, whatever its kind."""
    suffix = path.suffix.lower()
    manifest = manifests.get(Path(os.path.normpath(path.absolute())))
    if suffix in JSONL_SUFFIXES or path == STDIN:
        yield from read_jsonl(path, options)
    elif suffix in CSV_SUFFIXES:
        yield from read_csv(path, options)
    elif suffix in PARQUET_SUFFIXES:
        yield from read_parquet(path, options)
    elif suffix in HTML_SUFFIXES:
        yield read_html_file(path, manifest, today)
    elif suffix in TEXT_SUFFIXES or manifest is not None:
        yield read_text_file(path, manifest)
    else:
        yield FailedInput(_label(path), f"unsupported file type ({suffix or 'no extension'}); "
                          f"expected one of {', '.join(CORPUS_SUFFIXES)}")


__all__ = ["MissingTextColumn", "RawArticle", "FailedInput", "discover", "read_file"]
