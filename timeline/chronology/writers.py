"""Writing the chronology: Parquet, CSV, JSON Lines, Markdown, and the mentions.

Formats (CONVENTIONS.md, "Chronology"): one row or object per event. CSV cannot
hold lists, so list and struct columns (``sources``, ``languages``,
``conflicts``, ``mentions``) are written as JSON strings there.
``chronology.md`` has one line per event: date, summary, sources.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl

CHRONOLOGY_BASENAME = "chronology"
MENTIONS_BASENAME = "mentions"


def _json_cell(value: object) -> str:
    if isinstance(value, pl.Series):
        value = value.to_list()
    return json.dumps(value, ensure_ascii=False)


def flatten_for_csv(frame: pl.DataFrame) -> pl.DataFrame:
    """List and struct columns as JSON strings."""
    nested = [name for name, dtype in frame.schema.items()
              if isinstance(dtype, (pl.List, pl.Struct, pl.Array))]
    return frame.with_columns(
        pl.Series(name, [_json_cell(v) for v in frame[name].to_list()], dtype=pl.String)
        for name in nested
    )


def _date_label(row: dict) -> str:
    value = row["value"]
    if row["earliest"] == row["latest"]:
        label = row["earliest"] if value[:10] == row["earliest"] else f"{row['earliest']} ({value})"
    else:
        label = f"{row['earliest']} – {row['latest']} ({value})"
    roles = {m["role"] for m in row["mentions"]}
    if roles == {"reported"}:
        label += ", reported"
    return label


def markdown(frame: pl.DataFrame, title: str = "Chronology") -> str:
    """One line per event: date, summary, sources (and a flag where sources disagree)."""
    lines = [f"# {title}", "",
             f"{frame.height} events. Dates marked *reported* are when the fact was reported; "
             "it happened on or before.", ""]
    for row in frame.iter_rows(named=True):
        summary = " ".join(row["summary"].split()).replace("|", "\\|")
        sources = ", ".join(row["sources"])
        line = f"- **{_date_label(row)}**: {summary} ({sources}; {row['n_mentions']} mentions)"
        if row["conflict"]:
            line += " ⚠ " + "; ".join(row["conflicts"])
        lines.append(line)
    return "\n".join(lines) + "\n"


def write_chronology(frame: pl.DataFrame, out_dir: str | Path,
                     mentions: pl.DataFrame | None = None) -> dict[str, Path]:
    """Write chronology.{parquet,csv,jsonl,md} (and mentions.parquet); return the paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {
        "parquet": out / f"{CHRONOLOGY_BASENAME}.parquet",
        "csv": out / f"{CHRONOLOGY_BASENAME}.csv",
        "jsonl": out / f"{CHRONOLOGY_BASENAME}.jsonl",
        "md": out / f"{CHRONOLOGY_BASENAME}.md",
    }
    frame.write_parquet(paths["parquet"])
    flatten_for_csv(frame).write_csv(paths["csv"])
    with paths["jsonl"].open("w", encoding="utf-8") as handle:
        for row in frame.iter_rows(named=True):
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    paths["md"].write_text(markdown(frame), encoding="utf-8")
    if mentions is not None:
        paths["mentions"] = out / f"{MENTIONS_BASENAME}.parquet"
        mentions.write_parquet(paths["mentions"])
    return paths


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
