"""Writing the chronology: Parquet, CSV, JSON Lines, Markdown, and the mentions.

Formats (docs/conventions.md, "Chronology"): one row or object per event.

- Parquet and JSON Lines keep the types: lists, the ``mentions`` structs; dates
  are ISO strings in JSON whether the frame holds them as strings or dates.
- CSV holds no nested JSON: list columns (``sources``, ``languages``,
  ``conflicts``) are joined with ``"; "``, and the mentions go to their own
  table, ``mentions.csv`` (one row per mention, with its ``event_id``). Cells
  that a spreadsheet would run as a formula (starting with ``= + - @``, a tab or
  a carriage return) get a leading ``'``.
- ``chronology.md`` has one line per event: date, summary, sources. Text is
  escaped for Markdown: no HTML from an article survives as HTML, and Markdown
  characters are shown as written.
"""

from __future__ import annotations

import html
import json
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

import polars as pl

from timeline import jsonio

CHRONOLOGY_BASENAME = "chronology"
MENTIONS_BASENAME = "mentions"
#: How list cells are joined in CSV.
LIST_SEPARATOR = "; "
#: First characters that make a spreadsheet read a cell as a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def iso(value: Any) -> str:
    """An ISO date or datetime string, from a string or a ``date``/``datetime``."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def json_line(row: dict[str, Any]) -> str:
    """One JSON Lines record; dates as ISO strings."""
    return jsonio.dumps(row).decode("utf-8")


def neutralise_formulas(frame: pl.DataFrame) -> pl.DataFrame:
    """String cells starting like a formula get a leading ``'`` (CSV for spreadsheets)."""
    pattern = "^[" + re.escape("".join(FORMULA_STARTS)) + "]"
    return frame.with_columns(
        pl.when(pl.col(name).str.contains(pattern)).then(pl.lit("'") + pl.col(name))
        .otherwise(pl.col(name)).alias(name)
        for name, dtype in frame.schema.items() if dtype == pl.String
    )


def flatten_for_csv(frame: pl.DataFrame) -> pl.DataFrame:
    """Lists of scalars joined with ``"; "``; list-of-struct and struct columns left
    out (they have their own table); formulas neutralised."""
    columns = []
    for name, dtype in frame.schema.items():
        if isinstance(dtype, pl.List | pl.Array):
            inner = dtype.inner
            if isinstance(inner, pl.Struct | pl.List | pl.Array):
                continue
            columns.append(pl.col(name).cast(pl.List(pl.String))
                           .list.join(LIST_SEPARATOR).alias(name))
        elif isinstance(dtype, pl.Struct):
            continue
        else:
            columns.append(pl.col(name))
    return neutralise_formulas(frame.select(columns))


def entry_mentions(frame: pl.DataFrame) -> pl.DataFrame:
    """The chronology's mention structs as a table, one row per mention, with its event."""
    if frame.height == 0 or "mentions" not in frame.columns:
        return pl.DataFrame({"event_id": []}, schema={"event_id": pl.String})
    return (frame.select("event_id", "mentions").explode("mentions")
            .filter(pl.col("mentions").is_not_null()).unnest("mentions"))


def escape_markdown(text: str) -> str:
    """Text shown as written in Markdown: HTML escaped, Markdown characters backslashed,
    white space on one line.

    >>> escape_markdown("<img src=x onerror=alert(1)> *bold* [a](b)")
    '&lt;img src=x onerror=alert(1)&gt; \\\\*bold\\\\* \\\\[a\\\\](b)'
    """
    text = html.escape(" ".join(str(text).split()), quote=False)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def plural(n: int, noun: str) -> str:
    """The count with its noun, singular for one.

    >>> plural(1, "mention"), plural(3, "mention")
    ('1 mention', '3 mentions')
    """
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def _date_label(row: dict[str, Any]) -> str:
    value, earliest, latest = iso(row["value"]), iso(row["earliest"]), iso(row["latest"])
    if earliest == latest:
        label = earliest if value[:10] == earliest else f"{earliest} ({value})"
    else:
        label = f"{earliest} – {latest} ({value})"
    roles = {m["role"] for m in row["mentions"] or []}
    if roles == {"reported"}:
        label += ", reported"
    return label


#: Events ranked this high (``rank``, 1 = most important) are marked as key events.
KEY_RANKS = 10


def _is_key(rank: object) -> bool:
    return isinstance(rank, int) and 1 <= rank <= KEY_RANKS


def markdown(frame: pl.DataFrame, title: str = "Chronology") -> str:
    """One line per event: date, headline (or summary), sources (and a flag where sources
    disagree); the events the chronology ranks among the first :data:`KEY_RANKS` are marked
    "★ key event"."""
    lines = [f"# {escape_markdown(title)}", "",
             f"{plural(frame.height, 'event')}. Dates marked *reported* are when the fact was "
             "reported; it happened on or before.", ""]
    for row in frame.iter_rows(named=True):
        # the entry's own headline where the chronology has one, else its summary
        summary = escape_markdown(row.get("headline") or row["summary"])
        sources = ", ".join(escape_markdown(s) for s in row["sources"])
        key = " (★ key event)" if _is_key(row.get("rank")) else ""
        line = (f"- **{escape_markdown(_date_label(row))}**{key}: {summary} ({sources}; "
                f"{plural(row['n_mentions'], 'mention')})")
        if row["conflict"]:
            line += " ⚠ " + "; ".join(escape_markdown(c) for c in row["conflicts"])
        lines.append(line)
    return "\n".join(lines) + "\n"


def write_chronology(frame: pl.DataFrame, out_dir: str | Path,
                     mentions: pl.DataFrame | None = None) -> dict[str, Path]:
    """Write chronology.{parquet,csv,jsonl,md} and mentions.csv (and mentions.parquet
    when ``mentions``, the frame of every mention, is given); return the paths.

    ``mentions.csv`` holds ``mentions`` when given, else the chronology's own
    mention structs.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {
        "parquet": out / f"{CHRONOLOGY_BASENAME}.parquet",
        "csv": out / f"{CHRONOLOGY_BASENAME}.csv",
        "jsonl": out / f"{CHRONOLOGY_BASENAME}.jsonl",
        "md": out / f"{CHRONOLOGY_BASENAME}.md",
        "mentions_csv": out / f"{MENTIONS_BASENAME}.csv",
    }
    frame.write_parquet(paths["parquet"])
    flatten_for_csv(frame).write_csv(paths["csv"])
    with paths["jsonl"].open("w", encoding="utf-8") as handle:
        for row in frame.iter_rows(named=True):
            handle.write(json_line(row) + "\n")
    paths["md"].write_text(markdown(frame), encoding="utf-8")
    flatten_for_csv(mentions if mentions is not None else entry_mentions(frame)) \
        .write_csv(paths["mentions_csv"])
    if mentions is not None:
        paths["mentions"] = out / f"{MENTIONS_BASENAME}.parquet"
        mentions.write_parquet(paths["mentions"])
    return paths


class ChronologyWriter:
    """The files of :func:`write_chronology`, written a chunk of rows at a time (a
    chronology larger than memory): chunks in chronology order, then :meth:`close`.

    The bytes of CSV, JSON Lines and Markdown are those of :func:`write_chronology`;
    Parquet gets one row group per chunk.
    """

    def __init__(self, out_dir: str | Path, n_events: int, *, mentions: bool = True) -> None:
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        self.paths = {
            "parquet": out / f"{CHRONOLOGY_BASENAME}.parquet",
            "csv": out / f"{CHRONOLOGY_BASENAME}.csv",
            "jsonl": out / f"{CHRONOLOGY_BASENAME}.jsonl",
            "md": out / f"{CHRONOLOGY_BASENAME}.md",
            "mentions_csv": out / f"{MENTIONS_BASENAME}.csv",
        }
        if mentions:
            self.paths["mentions"] = out / f"{MENTIONS_BASENAME}.parquet"
        self._csv = self.paths["csv"].open("wb")
        self._jsonl = self.paths["jsonl"].open("w", encoding="utf-8")
        self._md = self.paths["md"].open("w", encoding="utf-8")
        self._mentions_csv = self.paths["mentions_csv"].open("wb")
        self._parquet = _ParquetRows(self.paths["parquet"], CHRONOLOGY_ROW_GROUP_ROWS)
        self._mentions_parquet = (_ParquetRows(self.paths["mentions"], ROW_GROUP_ROWS)
                                  if mentions else None)
        self._header = {"csv": True, "mentions_csv": True}
        self._md.write(markdown(pl.DataFrame(schema={"summary": pl.String}))
                       .replace(plural(0, "event"), plural(n_events, "event")))

    def write(self, frame: pl.DataFrame) -> None:
        """Chronology rows, in order."""
        if not frame.height and not self._header["csv"]:
            return
        self._parquet.add(frame)
        flatten_for_csv(frame).write_csv(self._csv, include_header=self._header["csv"])
        self._header["csv"] = False
        for row in frame.iter_rows(named=True):
            self._jsonl.write(json_line(row) + "\n")
        lines = markdown(frame).split("\n")[4:]  # the title and the count come first
        self._md.write("\n".join(lines))

    def write_mentions(self, frame: pl.DataFrame) -> None:
        """Mention rows (mentions.parquet and mentions.csv), in order."""
        if not frame.height and not self._header["mentions_csv"]:
            return
        if self._mentions_parquet is not None:
            self._mentions_parquet.add(frame)
        flatten_for_csv(frame).write_csv(self._mentions_csv,
                                         include_header=self._header["mentions_csv"])
        self._header["mentions_csv"] = False

    def close(self) -> dict[str, Path]:
        for handle in (self._csv, self._jsonl, self._md, self._mentions_csv):
            handle.close()
        self._parquet.close()
        if self._mentions_parquet is not None:
            self._mentions_parquet.close()
        return dict(self.paths)


class _ParquetRows:
    """A Parquet file written in row groups of ``rows`` rows, however the rows
    come in: the file is the same whatever the chunks were."""

    def __init__(self, path: Path, rows: int) -> None:
        self.path = path
        self.rows = rows
        self.writer: Any = None
        self.pending: list[pl.DataFrame] = []
        self.n_pending = 0

    def add(self, frame: pl.DataFrame) -> None:
        self.pending.append(frame)
        self.n_pending += frame.height
        if self.writer is None:
            self._write(frame.head(0))
        while self.n_pending >= self.rows:
            rows = pl.concat(self.pending)
            self._write(rows.head(self.rows))
            rest = rows.slice(self.rows)
            self.pending, self.n_pending = [rest], rest.height

    def _write(self, frame: pl.DataFrame) -> None:
        # imported here, not at the top: reading a chronology (`timeline render`, `export`)
        # must not load pyarrow (~0.3 s)
        import pyarrow.parquet as pq

        table = frame.to_arrow()
        if self.writer is None:
            self.writer = pq.ParquetWriter(self.path, table.schema, compression="zstd")
        if frame.height:
            self.writer.write_table(table.cast(self.writer.schema), row_group_size=self.rows)

    def close(self) -> None:
        if self.n_pending:
            self._write(pl.concat(self.pending))
        if self.writer is not None:
            self.writer.close()


#: Rows per row group of the chronology and mentions Parquet files a build writes.
ROW_GROUP_ROWS = 16_384
#: The same for the chronology, whose rows carry every mention of their event: a
#: smaller group bounds what is held before it is written.
CHRONOLOGY_ROW_GROUP_ROWS = 1_024


def read_chronology(directory_or_file: str | Path) -> pl.DataFrame:
    """The chronology frame from a build directory or a chronology file: the one
    reader of chronologies (``timeline export``, ``timeline render``, the charts).

    A directory is read from ``chronology.parquet``, else ``chronology.jsonl``.
    JSON Lines written by other tools may hold a subset of the columns, or values
    of mixed types (read as text then); later stages fill what they need.
    Raises FileNotFoundError (nothing to read) or ValueError (not a chronology file).
    """
    path = Path(directory_or_file)
    if path.is_dir():
        for name in (f"{CHRONOLOGY_BASENAME}.parquet", f"{CHRONOLOGY_BASENAME}.jsonl"):
            if (path / name).is_file():
                return read_chronology(path / name)
        raise FileNotFoundError(f"no {CHRONOLOGY_BASENAME}.parquet or "
                                f"{CHRONOLOGY_BASENAME}.jsonl in {path}")
    if not path.exists():
        raise FileNotFoundError(f"no such chronology file or build directory: {path}")
    if path.suffix == ".parquet":
        return pl.read_parquet(path)
    if path.suffix in (".jsonl", ".ndjson", ".json"):
        with path.open(encoding="utf-8") as handle:
            return chronology_from_records([json.loads(line) for line in handle if line.strip()])
    raise ValueError(f"cannot read a chronology from {path} (expected .parquet or .jsonl)")


def chronology_from_records(records: list[dict[str, Any]]) -> pl.DataFrame:
    """A frame of chronology records (JSON Lines objects), whatever columns they hold."""
    if not records:
        return pl.DataFrame()
    try:
        return pl.DataFrame(records, infer_schema_length=None)
    except (TypeError, ValueError, pl.exceptions.PolarsError):
        # Mixed value types across records (a date here, a string there): as text.
        text = [{k: (v if isinstance(v, list | dict | bool | int | float) or v is None
                     else str(v)) for k, v in r.items()} for r in records]
        return pl.DataFrame(text, infer_schema_length=None)
