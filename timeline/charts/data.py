"""From a chronology to the small tables the charts draw.

The chart stage reads the chronology schema written by ``timeline build`` (see
docs/conventions.md): one row per event with ``earliest``/``latest`` (inclusive ISO
dates), ``granularity``, ``summary``, counts, ``sources``, ``languages``,
``conflict``/``conflicts`` and the evidence ``mentions``.

Everything the browser must not do is done here, once, in polars: the density
strip is counted over *all* events, and when a chronology is too large for the
browser the detail view gets a bounded, documented selection of events
(:data:`DETAIL_LIMIT`), chosen so that every period keeps its best-attested events.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import polars as pl

#: Most events drawn one by one. Vega-Lite (and altair's own 5,000-row guard) gets
#: slow beyond this; larger chronologies are counted in full in the overview and
#: the detail shows the most-mentioned events of each period, as the page says.
DETAIL_LIMIT = 5_000

#: Evidence sentences kept per event in the page's table, and their length: the
#: table is for reading a few sentences, not for shipping the corpus.
MENTIONS_PER_EVENT = 5
EVIDENCE_CHARS = 600
SUMMARY_CHARS = 280

#: Categories that get their own colour; the rest share "other".
COLOR_CATEGORIES = 9
OTHER = "other"

#: Rows of the detail view, finest first; unknown granularities go last.
GRANULARITY_ORDER = (
    "time", "day", "weekend", "week", "month", "quarter", "season", "year", "decade",
    "century",
)

#: Lanes inside one granularity row, so that events on the same dates do not hide
#: each other; beyond this many, events share the lane that frees up first.
LANES = 6
#: Share of a row's height its lanes use, and the most one lane takes.
ROW_FILL = 0.84
LANE_MAX = 0.3

ChronologyLike = pl.DataFrame | Iterable[Mapping[str, Any]] | str | Path


def load_chronology(chronology: ChronologyLike) -> pl.DataFrame:
    """Accept the forms a chronology travels in and return one polars frame.

    A frame is used as is, a list of dicts (JSON Lines records) is turned into
    one, and a directory (the output of ``timeline build``) or a file is read
    from ``chronology.parquet`` or ``chronology.jsonl``.
    """
    if isinstance(chronology, pl.DataFrame):
        frame = chronology
    elif isinstance(chronology, str | Path):
        frame = _read_path(Path(chronology))
    else:
        records = [dict(record) for record in chronology]
        frame = pl.DataFrame(records, infer_schema_length=None) if records else pl.DataFrame()
    return _normalise(frame)


def _read_path(path: Path) -> pl.DataFrame:
    if path.is_dir():
        for name in ("chronology.parquet", "chronology.jsonl"):
            if (path / name).is_file():
                return _read_path(path / name)
        raise FileNotFoundError(f"no chronology.parquet or chronology.jsonl in {path}")
    if path.suffix == ".parquet":
        return pl.read_parquet(path)
    if path.suffix in (".jsonl", ".ndjson", ".json"):
        import json

        with path.open(encoding="utf-8") as handle:
            records = [json.loads(line) for line in handle if line.strip()]
        return pl.DataFrame(records, infer_schema_length=None) if records else pl.DataFrame()
    raise ValueError(f"cannot read a chronology from {path} (expected .parquet or .jsonl)")


def _normalise(frame: pl.DataFrame) -> pl.DataFrame:
    """Fill the optional columns so later code can rely on the full schema."""
    n = frame.height
    # Built only when missing: a constant column costs real time at 50,000 rows.
    defaults = {
        "event_id": lambda: pl.Series([f"event-{i}" for i in range(n)], dtype=pl.String),
        "value": lambda: pl.Series([None] * n, dtype=pl.String),
        "granularity": lambda: pl.Series([None] * n, dtype=pl.String),
        "summary": lambda: pl.Series([""] * n, dtype=pl.String),
        "sources": lambda: pl.Series([[]] * n, dtype=pl.List(pl.String)),
        "languages": lambda: pl.Series([[]] * n, dtype=pl.List(pl.String)),
        "conflict": lambda: pl.Series([False] * n, dtype=pl.Boolean),
        "conflicts": lambda: pl.Series([[]] * n, dtype=pl.List(pl.String)),
        "earliest": lambda: pl.Series([None] * n, dtype=pl.String),
        "latest": lambda: pl.Series([None] * n, dtype=pl.String),
    }
    for name, make in defaults.items():
        if name not in frame.columns:
            frame = frame.with_columns(make().alias(name))
    if "mentions" not in frame.columns:
        frame = frame.with_columns(pl.Series("mentions", [[]] * n, dtype=pl.List(pl.Null)))
    if "n_mentions" not in frame.columns:
        frame = frame.with_columns(pl.col("mentions").list.len().alias("n_mentions"))
    if "n_sources" not in frame.columns:
        frame = frame.with_columns(pl.col("sources").list.len().alias("n_sources"))
    return frame.with_columns(
        pl.col("earliest").cast(pl.String).str.slice(0, 10),
        pl.col("latest").cast(pl.String).str.slice(0, 10),
        pl.col("n_mentions").fill_null(0).cast(pl.Int64),
        pl.col("n_sources").fill_null(0).cast(pl.Int64),
        pl.col("conflict").fill_null(False).cast(pl.Boolean),
        pl.col("summary").fill_null("").cast(pl.String),
    )


@dataclass(frozen=True)
class Prepared:
    """What the charts and the page draw, computed once from a chronology.

    ``events`` has one record per drawn event (marks, tooltips, the table);
    ``density`` counts *all* dated events per ``bin`` (week or month).
    """

    events: list[dict[str, Any]]
    density: list[dict[str, Any]]
    bin: str
    n_events: int
    n_dated: int
    n_shown: int
    first: str | None
    last: str | None
    rows: list[str]
    sources: list[str]
    languages: list[str]
    notes: list[str] = field(default_factory=list)

    @property
    def last_end(self) -> str | None:
        """The day after ``last``: intervals are inclusive, axes need an exclusive end."""
        return (date.fromisoformat(self.last) + timedelta(days=1)).isoformat() if self.last else None

    @property
    def note(self) -> str:
        """One sentence for the page: what is drawn out of what there is."""
        return " ".join(self.notes)


def _parse_day(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _utc(day: date) -> str:
    # Explicit UTC so that the browser's time zone never moves an event a day.
    return datetime(day.year, day.month, day.day).strftime("%Y-%m-%dT%H:%M:%SZ")


def _clip(text: str | None, limit: int) -> str:
    text = (text or "").strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _top(counter: Counter[str], k: int) -> list[str]:
    return [name for name, _ in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:k]]


def _primary(mentions: list[dict[str, Any]] | None, key: str, listed: list[str] | None) -> str:
    """The source (or language) that reported the event most; ties go alphabetically."""
    counts = Counter(m.get(key) for m in (mentions or []) if m and m.get(key))
    if counts:
        return _top(counts, 1)[0]
    listed = [x for x in (listed or []) if x]
    return sorted(listed)[0] if listed else "unknown"


def _bin_start(day: date, unit: str) -> date:
    if unit == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def _bin_end(start: date, unit: str) -> date:
    """Exclusive end of the bin starting at ``start``."""
    if unit == "week":
        return start + timedelta(days=7)
    return (start.replace(day=28) + timedelta(days=4)).replace(day=1)


def _density_unit(first: date, last: date) -> str:
    # Weekly bins read well up to about two years; beyond that months do.
    return "week" if (last - first).days <= 730 else "month"


def _lanes(starts: list[float], ends: list[float], gap: float) -> list[int]:
    """Greedy interval packing: the first lane free at ``start`` (``gap`` apart)."""
    order = sorted(range(len(starts)), key=lambda i: (starts[i], ends[i]))
    lane_end: list[float] = []
    lanes = [0] * len(starts)
    for i in order:
        lane = next((k for k, end in enumerate(lane_end) if end + gap <= starts[i]), None)
        if lane is None and len(lane_end) < LANES:
            lane_end.append(-math.inf)
            lane = len(lane_end) - 1
        elif lane is None:  # all full: share the lane that frees up first
            lane = min(range(LANES), key=lane_end.__getitem__)
        lanes[i] = lane
        lane_end[lane] = max(lane_end[lane], ends[i])
    return lanes


def _date_label(value: str | None, earliest: date, latest: date) -> str:
    interval = earliest.isoformat() if earliest == latest else (
        f"{earliest.isoformat()} – {latest.isoformat()}")
    if value and value not in (earliest.isoformat(),):
        return f"{value} ({interval})"
    return interval


def _evidence(mentions: list[dict[str, Any]] | None) -> list[dict[str, str]]:
    out = []
    for mention in (mentions or [])[:MENTIONS_PER_EVENT]:
        if not mention:
            continue
        out.append({
            "text": _clip(mention.get("text"), EVIDENCE_CHARS),
            "source": str(mention.get("source") or ""),
            "published": str(mention.get("published") or "")[:10],
            "timex": str(mention.get("timex") or ""),
            "doc": str(mention.get("doc_id") or ""),
        })
    return out


def prepare(chronology: ChronologyLike, *, limit: int = DETAIL_LIMIT) -> Prepared:
    """Turn a chronology into drawable records; see :class:`Prepared`.

    Events without a usable ``earliest``/``latest`` cannot be placed and are
    counted, not drawn. When more than ``limit`` events are dated, the detail view
    gets, in turn, the most-mentioned event of every overview bin, then the second,
    and so on, so sparse periods stay visible next to busy ones.

    >>> p = prepare([{"event_id": "a", "earliest": "2019-04-01", "latest": "2019-04-10",
    ...               "value": "2019-04", "granularity": "month", "summary": "x",
    ...               "n_mentions": 2, "sources": ["S"], "languages": ["id"]}])
    >>> p.events[0]["shape"], p.events[0]["date"]
    ('bar', '2019-04 (2019-04-01 – 2019-04-10)')
    """
    frame = load_chronology(chronology)
    n_events = frame.height
    # Mentions are the bulk of a chronology: they are read for drawn events only.
    rows_in = frame.select(
        "event_id", "earliest", "latest", "value", "granularity", "summary", "n_mentions",
        "n_sources", "sources", "languages", "conflict", "conflicts",
    ).with_row_index("_index").to_dicts()

    dated: list[dict[str, Any]] = []
    for row in rows_in:
        earliest, latest = _parse_day(row["earliest"]), _parse_day(row["latest"])
        if earliest is None and latest is None:
            continue
        earliest = earliest or latest
        latest = latest or earliest
        if latest < earliest:
            earliest, latest = latest, earliest
        row["_earliest"], row["_latest"] = earliest, latest
        dated.append(row)

    notes: list[str] = []
    if not dated:
        notes.append(f"{n_events:,} events, none with a date interval: nothing to draw.")
        return Prepared([], [], "month", n_events, 0, 0, None, None, [], [], [], notes)

    first = min(r["_earliest"] for r in dated)
    last = max(r["_latest"] for r in dated)
    unit = _density_unit(first, last)

    # Density over all dated events, at the middle of each interval.
    per_bin: Counter[date] = Counter()
    for row in dated:
        middle = row["_earliest"] + (row["_latest"] - row["_earliest"]) / 2
        row["_bin"] = _bin_start(middle, unit)
        per_bin[row["_bin"]] += 1
    density = [
        {"bin_start": _utc(start), "bin_end": _utc(_bin_end(start, unit)), "events": count}
        for start, count in sorted(per_bin.items())
    ]

    shown = dated
    if len(dated) > limit:
        by_bin: dict[date, list[dict[str, Any]]] = {}
        for row in dated:
            by_bin.setdefault(row["_bin"], []).append(row)
        ranked = []
        for group in by_bin.values():
            group.sort(key=lambda r: (-r["n_mentions"], r["_earliest"], str(r["event_id"])))
            ranked.extend((rank, -r["n_mentions"], r["_earliest"], str(r["event_id"]), r)
                          for rank, r in enumerate(group))
        ranked.sort(key=lambda t: t[:4])
        shown = [t[-1] for t in ranked[:limit]]
    mentions = frame["mentions"].gather([r["_index"] for r in shown]).to_list()
    for row, event_mentions in zip(shown, mentions, strict=True):
        row["mentions"] = event_mentions

    source_counts = Counter(_primary(r["mentions"], "source", r["sources"]) for r in shown)
    language_counts = Counter(_primary(r["mentions"], "lang", r["languages"]) for r in shown)
    top_sources = _top(source_counts, COLOR_CATEGORIES)
    top_languages = _top(language_counts, COLOR_CATEGORIES)

    rows_present = {str(r["granularity"] or "day") for r in shown}
    rows = [g for g in GRANULARITY_ORDER if g in rows_present] + sorted(
        rows_present - set(GRANULARITY_ORDER))

    span_days = max((last - first).days + 1, 1)
    events: list[dict[str, Any]] = []
    for row in shown:
        earliest, latest = row["_earliest"], row["_latest"]
        end = latest + timedelta(days=1)
        source = _primary(row["mentions"], "source", row["sources"])
        language = _primary(row["mentions"], "lang", row["languages"])
        sources = [s for s in (row["sources"] or []) if s]
        conflicts = [c for c in (row["conflicts"] or []) if c]
        events.append({
            "id": str(row["event_id"]),
            "start": _utc(earliest),
            "end": _utc(end),
            "mid": _utc(earliest),  # moved to the middle of the interval below
            "shape": "point" if earliest == latest else "bar",
            "row": str(row["granularity"] or "day"),
            "date": _date_label(row["value"], earliest, latest),
            "summary": _clip(row["summary"], SUMMARY_CHARS),
            "sources": ", ".join(sources),
            "mentions": int(row["n_mentions"]),
            "n_sources": int(row["n_sources"] or len(sources)),
            "conflict": ("yes: " + "; ".join(conflicts)) if row["conflict"] or conflicts
            else "no",
            "has_conflict": bool(row["conflict"] or conflicts),
            "source_key": source if source in top_sources else OTHER,
            "language_key": language if language in top_languages else OTHER,
            "_s": earliest.toordinal(),
            "_e": end.toordinal(),
            "evidence": _evidence(row["mentions"]),
        })
    for row_index, name in enumerate(rows):
        members = [e for e in events if e["row"] == name]
        lanes = _lanes([e["_s"] for e in members], [e["_e"] for e in members],
                       gap=span_days / 150)
        # Vertical position in row units (row 0 on top): each row shares its height
        # among the lanes it uses, centred, so a quiet row keeps thick bars.
        n_lanes = max(lanes) + 1
        slot = min(ROW_FILL / n_lanes, LANE_MAX)
        for event, lane in zip(members, lanes, strict=True):
            centre = row_index + 0.5 + (lane - (n_lanes - 1) / 2) * slot
            event["lane"] = lane
            event["y"] = round(centre, 4)
            event["y0"] = round(centre - 0.42 * slot, 4)
            event["y1"] = round(centre + 0.42 * slot, 4)
    for event in events:
        # Points sit in the middle of their day, bars cover whole days; every
        # event has a middle so that zooming and the table work on one field.
        middle = datetime.fromordinal(event["_s"]) + (
            datetime.fromordinal(event["_e"]) - datetime.fromordinal(event["_s"])) / 2
        event["mid"] = middle.strftime("%Y-%m-%dT%H:%M:%SZ")
        del event["_s"], event["_e"]
    events.sort(key=lambda e: (e["start"], e["end"], e["id"]))

    n_dated, n_shown = len(dated), len(events)
    unit_word = "week" if unit == "week" else "month"
    notes.append(
        f"{n_events:,} events from {first.isoformat()} to {last.isoformat()}; "
        f"the overview counts events per {unit_word}."
    )
    if n_shown < n_dated:
        notes.append(
            f"The detail view shows {n_shown:,} of the {n_dated:,} dated events "
            f"(the most-mentioned of each {unit_word} first); the overview counts all."
        )
    else:
        notes.append(f"Every dated event is drawn ({n_shown:,}).")
    if n_dated < n_events:
        undated = n_events - n_dated
        notes.append(f"{undated:,} {'event' if undated == 1 else 'events'} without a date "
                     f"interval {'is' if undated == 1 else 'are'} not drawn.")
    if any(len(e["evidence"]) for e in events) and any(
            r["n_mentions"] > MENTIONS_PER_EVENT for r in shown):
        notes.append(f"The table quotes up to {MENTIONS_PER_EVENT} evidence sentences per event.")

    other_sources = len(source_counts) > len(top_sources)
    other_languages = len(language_counts) > len(top_languages)
    return Prepared(
        events=events,
        density=density,
        bin=unit,
        n_events=n_events,
        n_dated=n_dated,
        n_shown=n_shown,
        first=first.isoformat(),
        last=last.isoformat(),
        rows=rows,
        sources=top_sources + ([OTHER] if other_sources else []),
        languages=top_languages + ([OTHER] if other_languages else []),
        notes=notes,
    )
