"""`timeline export DIR --format timelinejs`: the chronology as TimelineJS3 JSON.

TimelineJS3 (https://timeline.knightlab.com) reads ``{"title": ..., "events": [...]}``
with each event's ``start_date``/``end_date`` as ``{"year", "month", "day"}``
(only the parts the granularity supports), ``text`` (``headline``, ``text``),
``group`` (a source or a language, ``--group``) and ``unique_id``.
"""

from __future__ import annotations

import argparse
import html
import json
import sys
from pathlib import Path

import polars as pl

from timeline.chronology.writers import read_chronology

FORMATS = ("timelinejs",)


def _date_parts(iso: str, granularity: str) -> dict[str, str]:
    year, month, day = iso.split("-")
    if granularity in ("year", "decade", "century"):
        return {"year": year}
    if granularity in ("month", "quarter", "season"):
        return {"year": year, "month": str(int(month))}
    return {"year": year, "month": str(int(month)), "day": str(int(day))}


def to_timelinejs(frame: pl.DataFrame, *, group: str = "source",
                  title: str = "Chronology") -> dict:
    """TimelineJS3 JSON of a chronology frame; ``group`` is ``source`` or ``language``."""
    events = []
    for row in frame.iter_rows(named=True):
        granularity = row["granularity"] or "day"
        summary_mention = next((m for m in row["mentions"]
                                if " ".join(m["text"].split()) == row["summary"]),
                               row["mentions"][0] if row["mentions"] else None)
        if group == "language":
            label = (summary_mention or {}).get("lang") or ",".join(row["languages"])
        else:
            label = (summary_mention or {}).get("source") or ", ".join(row["sources"])
        sources = ", ".join(html.escape(s) for s in row["sources"])
        body = f"<p>{html.escape(row['summary'])}</p><p>Sources: {sources}"
        body += f" ({row['n_mentions']} mentions)</p>"
        if row["conflict"]:
            body += "<p>Sources disagree: " + html.escape("; ".join(row["conflicts"])) + "</p>"
        event = {
            "start_date": _date_parts(row["earliest"], granularity),
            "text": {"headline": html.escape(row["summary"][:90]), "text": body},
            "group": label,
            "unique_id": row["event_id"],
        }
        if row["latest"] != row["earliest"] and granularity not in ("year", "month"):
            event["end_date"] = _date_parts(row["latest"], granularity)
        events.append(event)
    return {"title": {"text": {"headline": html.escape(title),
                               "text": f"{frame.height} events"}},
            "events": events}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("directory", help="a `timeline build` output directory (or chronology file)")
    parser.add_argument("--format", choices=FORMATS, default="timelinejs")
    parser.add_argument("--group", choices=("source", "language"), default="source",
                        help="TimelineJS group of each event (default: source)")
    parser.add_argument("-o", "--output",
                        help="output file (default: DIR/chronology.timelinejs.json; - for stdout)")


def run(args: argparse.Namespace) -> int:
    from timeline.cli import UsageError

    try:
        frame = read_chronology(args.directory)
    except FileNotFoundError:
        raise UsageError(f"{args.directory}: no chronology here (chronology.parquet or "
                         "chronology.jsonl); run `timeline build CORPUS -o DIR` first, then "
                         "export DIR") from None
    data = to_timelinejs(frame, group=args.group)
    text = json.dumps(data, ensure_ascii=False, indent=1)
    if args.output == "-":
        sys.stdout.write(text + "\n")
        return 0
    base = Path(args.directory)
    output = Path(args.output) if args.output else (
        (base if base.is_dir() else base.parent) / "chronology.timelinejs.json")
    output.write_text(text + "\n", encoding="utf-8")
    print(f"timeline export: {frame.height} events -> {output}")
    return 0
