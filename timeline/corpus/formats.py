"""The formats of the inputs, each read into raw articles: plain text, HTML pages,
JSON Lines, CSV and Parquet tables (and the tables' rows that sidecar manifests
hold, for :mod:`timeline.corpus.discovery`); :func:`read_file` picks the reader.

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
import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any, BinaryIO

from timeline import jsonio
from timeline.corpus.columns import (
    METADATA_FIELDS,
    ColumnOptions,
    repeated_column,
    resolve_columns,
)
from timeline.corpus.decode import NotText, check_text, decode_bytes, normalise_text, sniff_encoding
from timeline.corpus.opening import (
    STDIN_LABEL,
    NotReadable,
    Source,
    open_regular,
    path_key,
    path_label,
    read_bounded,
)
from timeline.corpus.parquetpages import BadPages, page_sizes
from timeline.limits import MAX_HTML_BYTES, MAX_INPUT_BYTES, MAX_PARQUET_PAGE_BYTES

TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
CSV_SUFFIXES = (".csv",)
PARQUET_SUFFIXES = (".parquet", ".pq")
CORPUS_SUFFIXES = (TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES + CSV_SUFFIXES
                   + PARQUET_SUFFIXES)
#: Rows of a Parquet file converted at a time (at most): memory stays that of a few rows.
PARQUET_BATCH_ROWS = 16
#: Bytes of values a batch of Parquet rows may hold once decompressed (fewer rows
#: per batch when the file's pages are large).
PARQUET_BATCH_BYTES = 64 * 1024 * 1024
#: Times its own size a Parquet file's values may decode to (a dictionary value may
#: stand for every row); news tables decode to 3 to 20 times theirs.
PARQUET_EXPANSION = 1000


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


def _cut_note(limit: int) -> str:
    return (f"only the first {limit:,} bytes of the file were read (limit input_bytes); "
            "the rest is not in the corpus")


# --- tables --------------------------------------------------------------------


def has_value(value: Any) -> bool:
    """Whether a cell holds a value: not None, NaN or blank."""
    if value is None:
        return False
    if isinstance(value, float) and value != value:  # NaN from tables
        return False
    return not (isinstance(value, str) and not value.strip())


def split_row(row: Mapping[str, Any], columns: Mapping[str, str],
              skip: Sequence[str] = ()) -> tuple[dict[str, Any], dict[str, Any]]:
    """A table row as (metadata fields, other columns)."""
    used = set(columns.values()) | set(skip)
    fields = {name: row[column] for name, column in columns.items()
              if name in METADATA_FIELDS and has_value(row.get(column))}
    extra = {str(k): v for k, v in row.items() if k not in used and has_value(v)}
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
        fields, extra = split_row(row, columns)
        yield RawArticle(row_label, text, fields, extra, warnings)
    if n == 0:
        yield FailedInput(label, "empty: no articles (no rows)")


class TableFile:
    """A text table (JSON Lines, CSV) read as a stream: its encoding is found in one
    pass over the bytes, then each reading decodes line by line, so memory holds a
    line, not the file."""

    def __init__(self, path: Path, follow: bool, label: str | None = None) -> None:
        self.path, self.follow = path, follow
        with open_regular(path, follow=follow) as handle:
            sniffed = sniff_encoding(handle)
        self.encoding = sniffed.encoding
        self.warnings = tuple(f"{label or path_label(path)}: {w}" for w in sniffed.warnings)

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


def jsonl_rows(table: TableFile) -> Iterator[tuple[str, Any]]:
    """(where, object) for each line of a JSON Lines table, or (where, why not) for a
    line that is not a JSON object; blank lines are skipped."""
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


def jsonl_columns(table: TableFile) -> list[str]:
    """Keys of the JSON Lines objects, in order of first appearance."""
    keys: dict[str, None] = {}
    for _where, row in jsonl_rows(table):
        if isinstance(row, dict):
            keys.update(dict.fromkeys(row))
    return list(keys)


def read_jsonl(source: Source, options: ColumnOptions) -> Iterator[Record]:
    label = source.name
    try:
        table = TableFile(source.path, source.follow, source.name)
    except (NotText, NotReadable) as exc:
        yield FailedInput(label, str(exc))
        return
    keys = jsonl_columns(table)
    if not keys:  # no line parsed: each line reports its own error
        yield from _table_rows(label, jsonl_rows(table), {"text": "text"}, table.warnings)
        return
    try:
        columns = resolve_columns(keys, options)
    except ValueError as exc:
        yield FailedInput(label, str(exc))
        return
    yield from _table_rows(label, jsonl_rows(table), columns, table.warnings)


def csv_reader(handle: IO[str]) -> csv.DictReader[str]:
    """A CSV reader of rows as dicts keyed by the header."""
    # Articles are longer than csv's default 128 KiB field limit (a process-wide
    # setting); the bound keeps one runaway field (an unclosed quote) from
    # reading the whole file into memory.
    csv.field_size_limit(min(sys.maxsize, MAX_INPUT_BYTES))
    return csv.DictReader(handle)


def csv_rows(reader: csv.DictReader[str]) -> Iterator[tuple[str, Any]]:
    """(where, row) for each row of a CSV table, or (where, why not) for a malformed one;
    cells beyond the header's names are kept under ``_extra_cells``."""
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
    label = path_label(source.path)
    try:
        table = TableFile(source.path, source.follow, source.name)
    except (NotText, NotReadable) as exc:
        yield FailedInput(label, str(exc))
        return
    with table.open(newline="") as handle:
        try:
            reader = csv_reader(handle)
            header = reader.fieldnames or []
        except csv.Error as exc:
            yield FailedInput(label, f"malformed CSV header: {exc}")
            return
        try:
            columns = resolve_columns(header, options)
        except ValueError as exc:
            yield FailedInput(label, str(exc))
            return
        repeated = repeated_column(header, columns)
        if repeated is not None:
            yield FailedInput(label, repeated)
            return
        yield from _table_rows(label, csv_rows(reader), columns, table.warnings)


def _first_line(exc: Exception) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text.splitlines()[0]}" if text else type(exc).__name__


def _parquet_bounds(handle: BinaryIO, metadata: Any) -> tuple[int, str | None]:
    """Rows per batch such that a batch's values fit :data:`PARQUET_BATCH_BYTES`, or
    why the file is not read: the pages read at once (one per column of a row group)
    hold more than :data:`MAX_PARQUET_PAGE_BYTES` once decompressed, or its page
    headers do not parse. Read from the headers, before anything is decompressed."""
    try:
        groups = page_sizes(handle, metadata)
    except (BadPages, OSError) as exc:
        return 0, f"unreadable Parquet: {exc}"
    widest = 1
    for number, chunks in enumerate(groups, 1):
        at_once = sum(chunk.largest for chunk in chunks)
        if at_once > MAX_PARQUET_PAGE_BYTES:
            largest = max(chunks, key=lambda chunk: chunk.largest)
            return 0, (f"row group {number} holds pages of {at_once:,} bytes once "
                       f"decompressed (column {largest.column!r}: {largest.largest:,}; limit "
                       f"parquet_page_bytes: {MAX_PARQUET_PAGE_BYTES:,}): not read, a "
                       "decompression bomb or a table to rewrite with smaller pages")
        widest = max(widest, at_once)
    # a value is never longer than its page: a batch of this many rows fits the budget
    return max(1, min(PARQUET_BATCH_ROWS, PARQUET_BATCH_BYTES // widest)), None


def _value_bytes(array: Any) -> Any:
    """Bytes of text and binary values in each row of an Arrow array (numpy int64),
    counting nested lists and structs; dictionary values once per row that uses them."""
    # Lazy, as in read_parquet: only a Parquet input needs Arrow.
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    kind = array.type
    if pa.types.is_dictionary(kind):
        sizes = _value_bytes(array.dictionary)
        indices = array.indices.fill_null(0).to_numpy(zero_copy_only=False)
        return sizes[indices] if len(sizes) else np.zeros(len(array), dtype=np.int64)
    if pa.types.is_string(kind) or pa.types.is_large_string(kind) or \
            pa.types.is_binary(kind) or pa.types.is_large_binary(kind):
        return pc.binary_length(array).fill_null(0).to_numpy(zero_copy_only=False)\
            .astype(np.int64)
    if pa.types.is_list(kind) or pa.types.is_large_list(kind) or \
            pa.types.is_fixed_size_list(kind):
        inner = _value_bytes(pc.list_flatten(array))
        parents = pc.list_parent_indices(array).to_numpy(zero_copy_only=False)
        return np.bincount(parents, weights=inner, minlength=len(array)).astype(np.int64)
    if pa.types.is_struct(kind):
        total = np.zeros(len(array), dtype=np.int64)
        for index in range(kind.num_fields):
            total += _value_bytes(array.field(index))
        return total
    return np.zeros(len(array), dtype=np.int64)


def _parquet_rows(parquet: Any, batch_rows: int, file_bytes: int) -> Iterator[tuple[str, Any]]:
    """Rows of a Parquet file a few at a time; a damaged part ends the file with a
    line that says from which row on nothing could be read.

    Each row's values are measured before they become Python objects: a row of more
    than :data:`MAX_INPUT_BYTES` fails alone, and a file whose values pass
    :data:`PARQUET_EXPANSION` times its own size (a dictionary value repeated in
    every row) ends there."""
    budget = max(MAX_PARQUET_PAGE_BYTES, PARQUET_EXPANSION * file_bytes)
    n = total = 0
    try:
        for batch in parquet.iter_batches(batch_size=batch_rows):
            sizes = [0] * batch.num_rows
            for column in batch.columns:
                sizes = [a + int(b) for a, b in zip(sizes, _value_bytes(column), strict=True)]
            rows = batch.to_pylist() if max(sizes, default=0) <= MAX_INPUT_BYTES else None
            for i in range(batch.num_rows):
                n += 1
                size = sizes[i]
                if size > MAX_INPUT_BYTES:
                    yield f"row {n}", (f"values of {size:,} bytes (limit input_bytes): "
                                       "not read")
                    continue
                total += size
                if total > budget:
                    yield f"row {n}", (f"unreadable Parquet from this row on: its values "
                                       f"pass {budget:,} bytes, {PARQUET_EXPANSION:,} times "
                                       "the file's size (a decompression bomb): not read")
                    return
                yield f"row {n}", rows[i] if rows is not None else \
                    batch.slice(i, 1).to_pylist()[0]
    except Exception as exc:  # pyarrow raises many kinds for a damaged file
        yield f"row {n + 1}", (f"unreadable Parquet from this row on: {_first_line(exc)}")


def read_parquet(source: Source, options: ColumnOptions) -> Iterator[Record]:
    """The rows of a Parquet table, its size once decompressed bounded first (from the
    page headers: a 10 KB file of 300 MB pages is refused before any is decompressed),
    then row by row (:func:`_parquet_rows`)."""
    # Lazy: pyarrow.parquet takes ~0.4 s to import, and `timeline --help` imports
    # this module (through timeline.corpus).
    import pyarrow.parquet as pq

    label = path_label(source.path)
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
        batch_rows, refused = _parquet_bounds(handle, parquet.metadata)
        if refused is not None:
            yield FailedInput(label, refused)
            return
        try:
            columns = resolve_columns(names, options)
        except ValueError as exc:
            yield FailedInput(label, str(exc))
            return
        repeated = repeated_column(names, columns)
        if repeated is not None:
            yield FailedInput(label, repeated)
            return
        file_bytes = os.fstat(handle.fileno()).st_size
        yield from _table_rows(label, _parquet_rows(parquet, batch_rows, file_bytes), columns,
                               ())


# --- single files: text and HTML ------------------------------------------------


def _read_file_bytes(source: Source) -> tuple[bytes, tuple[str, ...]]:
    """A file's bytes up to the input limit, and a note when it held more."""
    with open_regular(source.path, follow=source.follow) as handle:
        data, cut = read_bounded(handle, MAX_INPUT_BYTES)
    if not cut:
        return data, ()
    # cut at a line end so that no character is split (BOM'd UTF-16/32 aside)
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        newline = data.rfind(b"\n", len(data) - (1 << 20))
        if newline > 0:
            data = data[:newline + 1]
    return data, (_cut_note(MAX_INPUT_BYTES),)


def read_text_file(source: Source, manifest: ManifestRow | None) -> Record:
    label = path_label(source.path)
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
    # Lazy: trafilatura and htmldate take ~0.5 s to import, and `timeline --help`
    # imports this module (through timeline.corpus).
    import htmldate
    import trafilatura

    label = path_label(source.path)
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
        if has_value(value):
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


def read_file(source: Source | Path, manifests: Mapping[Path, ManifestRow],
              options: ColumnOptions, today: date) -> Iterator[Record]:
    """Records from one file, whatever its kind."""
    if isinstance(source, Path):
        source = Source(source)
    path = source.path
    suffix = path.suffix.lower()
    manifest = manifests.get(path_key(path))
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
        yield FailedInput(path_label(path),
                          f"unsupported file type ({suffix or 'no extension'}); "
                          f"expected one of {', '.join(CORPUS_SUFFIXES)}")
