"""From a chronology to what the page and the images draw.

The chart stage reads the chronology schema written by ``timeline build`` (see
docs/conventions.md): one row per event with ``earliest``/``latest`` (inclusive dates,
as ISO strings or ``pl.Date``), ``granularity``, ``summary``, counts, ``sources``,
``languages``, ``conflict``/``conflicts`` and the evidence ``mentions`` (structs
that may carry ``url`` and ``title``); ``places`` and ``actors`` lists are used
when present. Every optional column may be missing.

Nothing is dropped: every event ends up in :attr:`Prepared.events`. Events whose
dates fall between the years 1000 and 9999 are drawn on the time axis; the others
(no date at all, or a year like 516 or 12000 that would squash a news timeline
into a sliver) are listed apart, searchable and openable like the rest.

Dates are handled as *day numbers* (days since 1970-01-01 in the proleptic
Gregorian calendar), which exist for every year, so no value can crash a render.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from timeline.charts.calendar import day_number, days_from_civil, iso_day
from timeline.charts.lanes import (
    LANE_KINDS,
    Density,
    LaneNames,
    Packer,
    lane_index,
    pack_gap,
)
from timeline.chronology.writers import chronology_from_records, read_chronology
from timeline.gazetteers import DEFAULT_GAZETTEERS, load_gazetteer

#: The longest summary kept, and the headline drawn on the time axis.
SUMMARY_CHARS = 600
HEADLINE_CHARS = 64
#: The longest evidence sentence quoted in the detail panel.
EVIDENCE_CHARS = 1_000
#: The longest name (outlet, place, language) and article title shown: a title of a
#: megabyte without a space would take the browser a minute to lay out.
NAME_CHARS = 160
TITLE_CHARS = 300

#: Years drawn on the time axis; other dated events are listed apart.
DRAWN_YEARS = (1000, 9999)

#: Precision classes, finest first: the colour of a mark and a filter of the page.
PRECISIONS = ("day", "week", "month", "quarter", "year", "longer")
_PRECISION_OF = {
    "time": "day", "day": "day", "weekend": "week", "week": "week", "month": "month",
    "quarter": "quarter", "season": "quarter", "half": "quarter", "year": "year",
    "decade": "longer", "century": "longer", "millennium": "longer",
}


ChronologyLike = pl.DataFrame | Iterable[Mapping[str, Any]] | str | Path


# --- reading --------------------------------------------------------------------------


def load_chronology(chronology: ChronologyLike) -> pl.DataFrame:
    """Accept the forms a chronology travels in and return one polars frame.

    A frame is used as is, a list of dicts (JSON Lines records) is turned into
    one, and a directory (the output of ``timeline build``) or a file is read
    from ``chronology.parquet`` or ``chronology.jsonl``.
    """
    if isinstance(chronology, pl.DataFrame):
        frame = chronology
    elif isinstance(chronology, str | Path):
        frame = read_chronology(chronology)
    else:
        frame = chronology_from_records([dict(record) for record in chronology])
    return normalise(frame)


def normalise(frame: pl.DataFrame) -> pl.DataFrame:
    """Fill the optional columns so later code can rely on the full schema."""
    n = frame.height
    # Built only when missing: a constant column costs real time at 50,000 rows.
    defaults: dict[str, Callable[[], pl.Series]] = {
        "event_id": lambda: pl.Series([f"event-{i}" for i in range(n)], dtype=pl.String),
        "value": lambda: pl.Series([None] * n, dtype=pl.String),
        "granularity": lambda: pl.Series([None] * n, dtype=pl.String),
        "summary": lambda: pl.Series([""] * n, dtype=pl.String),
        "sources": lambda: pl.Series([[]] * n, dtype=pl.List(pl.String)),
        "languages": lambda: pl.Series([[]] * n, dtype=pl.List(pl.String)),
        "places": lambda: pl.Series([[]] * n, dtype=pl.List(pl.String)),
        "actors": lambda: pl.Series([[]] * n, dtype=pl.List(pl.String)),
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
        # pl.Date, datetimes and strings alike become text; parsed by _day_number.
        pl.col("earliest").cast(pl.String),
        pl.col("latest").cast(pl.String),
        pl.col("value").cast(pl.String),
        pl.col("granularity").cast(pl.String),
        pl.col("n_mentions").cast(pl.Int64, strict=False).fill_null(0),
        pl.col("n_sources").cast(pl.Int64, strict=False).fill_null(0),
        pl.col("conflict").cast(pl.Boolean, strict=False).fill_null(False),
        pl.col("summary").cast(pl.String).fill_null(""),
    )


_DRAWN_DAYS = (days_from_civil(DRAWN_YEARS[0], 1, 1), days_from_civil(DRAWN_YEARS[1] + 1, 1, 1))


# --- what each event becomes ---------------------------------------------------------


def headline(summary: str, limit: int = HEADLINE_CHARS) -> str:
    """The summary cut at a word boundary, for a label on the time axis.

    >>> headline("Rebels took the south-east of the town early this month.", 30)
    'Rebels took the south-east of…'
    >>> headline("Short one.")
    'Short one.'
    """
    text = " ".join((summary or "").split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if text[len(cut)] != " " and space >= limit // 2:  # do not end inside a word
        cut = cut[:space]
    return cut.rstrip(" ,;:.-–—") + "…"


def _clip(text: str | None, limit: int) -> str:
    text = (text or "").strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _precision(granularity: str | None, length_days: int) -> str:
    """The precision class: the granularity's, or else one read off the interval's length."""
    known = _PRECISION_OF.get((granularity or "").lower())
    if known:
        return known
    for limit, name in ((1, "day"), (7, "week"), (31, "month"), (92, "quarter"), (366, "year")):
        if length_days <= limit:
            return name
    return "longer"


def _strings(values: Any) -> list[str]:
    if not values:
        return []
    texts = [v if isinstance(v, str) else str(v) for v in values if v is not None]
    return [v for v in texts if v and not v.isspace()]


#: The fields of a mention the page shows, in the order of :data:`Mention` tuples.
MENTION_FIELDS = ("text", "source", "published", "timex", "lang", "url", "title")
_SOURCE, _LANG = MENTION_FIELDS.index("source"), MENTION_FIELDS.index("lang")
Mention = tuple[str, str, str, str, str, str, str]


def _primary(mentions: list[Mention], field: int, listed: list[str]) -> str | None:
    """The value of a field the event's mentions carry most; ties go alphabetically."""
    counts: dict[str, int] = {}
    for mention in mentions:
        value = mention[field]
        if value:
            counts[value] = counts.get(value, 0) + 1
    if len(counts) == 1:
        return next(iter(counts))
    if counts:
        return min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]
    return min(listed) if listed else None


def _mentions(frame: pl.DataFrame) -> list[list[Mention]]:
    """Every event's mentions as tuples of :data:`MENTION_FIELDS` (text, ``""`` if absent).

    Done column-wise in polars: building a dict per mention costs seconds at
    100,000 mentions. Fields a chronology does not have (``url``, ``title``) are empty.
    """
    per_event: list[list[Mention]] = [[] for _ in range(frame.height)]
    dtype = frame.schema["mentions"]
    if not (isinstance(dtype, pl.List) and isinstance(dtype.inner, pl.Struct)):
        return per_event  # no mention has fields (empty lists, or not records at all)
    flat = (frame.select(pl.int_range(pl.len()).alias("_event"), "mentions")
            .explode("mentions").drop_nulls("mentions").unnest("mentions"))
    text = pl.col("text").cast(pl.String).fill_null("").str.strip_chars()
    exprs = []
    for name in MENTION_FIELDS:
        if name not in flat.columns:
            exprs.append(pl.lit("").alias(name))
        elif name == "text":
            exprs.append(pl.when(text.str.len_chars() > EVIDENCE_CHARS)
                         .then(text.str.slice(0, EVIDENCE_CHARS - 1) + "…")
                         .otherwise(text).alias(name))
        elif name == "published":
            exprs.append(pl.col(name).cast(pl.String).fill_null("").str.slice(0, 10))
        elif name in ("title", "source", "lang"):
            limit = TITLE_CHARS if name == "title" else NAME_CHARS
            value = pl.col(name).cast(pl.String).fill_null("").str.strip_chars()
            exprs.append(pl.when(value.str.len_chars() > limit)
                         .then(value.str.slice(0, limit - 1) + "…").otherwise(value).alias(name))
        else:
            exprs.append(pl.col(name).cast(pl.String).fill_null(""))
    table = flat.select(pl.col("_event"), *exprs)
    for event, *values in table.iter_rows():
        per_event[event].append(tuple(values))
    return per_event


def _date_label(value: str | None, earliest: str, latest: str) -> str:
    interval = earliest if earliest == latest else f"{earliest} – {latest}"
    if value and value != earliest:
        return f"{value} ({interval})"
    return interval


# --- the prepared chronology ----------------------------------------------------------


@dataclass(frozen=True)
class Prepared:
    """Every event of a chronology, ready to draw, list, search and open.

    ``events`` holds one record per event, the drawn ones first in time order
    (``start``/``end`` day numbers, end exclusive), then those listed apart.
    ``lanes[kind]`` names the lanes of each lane kind; each event's
    ``lane[kind]`` indexes it and ``sub[kind]`` is its sub-row inside the lane.
    ``density`` spreads every drawn event over the bins its interval covers.
    The page, built in a stream (:mod:`timeline.charts.stream`), gets one with the
    same summary and no ``events``.
    """

    events: list[dict[str, Any]]
    density: list[dict[str, Any]]
    bin: str
    n_events: int
    n_drawn: int
    first_day: int | None
    end_day: int | None
    lanes: dict[str, list[str]]
    precisions: list[str]
    notes: list[str] = field(default_factory=list)

    @property
    def first(self) -> str | None:
        """First day drawn (ISO)."""
        return iso_day(self.first_day) if self.first_day is not None else None

    @property
    def last(self) -> str | None:
        """Last day drawn (ISO, inclusive)."""
        return iso_day(self.end_day - 1) if self.end_day is not None else None

    @property
    def n_apart(self) -> int:
        return self.n_events - self.n_drawn

    @property
    def lane_kinds(self) -> list[str]:
        """Lane kinds worth offering: those whose events are not all in one 'unknown' lane."""
        return [kind for kind in LANE_KINDS if kind in self.lanes]

    @property
    def note(self) -> str:
        return " ".join(self.notes)


def rank_key(event: dict[str, Any]) -> tuple[Any, ...]:
    """The order of importance: the chronology's ``rank`` (1 = most important) where it
    has one; then evidence: distinct outlets, then mentions, then a finer date."""
    rank = event.get("given_rank")
    return (rank is None, rank or 0, -event["n_sources"], -event["n_mentions"],
            PRECISIONS.index(event["precision"]),
            event["start"] if event["start"] is not None else 0, event["id"])


def in_time_order(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The drawn events in time order, then those listed apart."""
    drawn = sorted((e for e in events if e["drawn"]), key=lambda e: (e["start"], e["end"], e["id"]))
    apart = sorted((e for e in events if not e["drawn"]),
                   key=lambda e: (e["start"] is None, e["start"] or 0, e["id"]))
    return drawn + apart


def prepare(chronology: ChronologyLike, *, names: Names | None = None) -> Prepared:
    """Turn a chronology into drawable, listable records; see :class:`Prepared`.

    Held in memory (notebooks, images); the page is built in a stream instead.
    ``names`` shows places and actors by their gazetteer names (default: as given).

    >>> p = prepare([{"event_id": "a", "earliest": "2019-04-01", "latest": "2019-04-10",
    ...               "value": "2019-04", "granularity": "month", "summary": "x",
    ...               "n_mentions": 2, "sources": ["S"], "languages": ["id"]}])
    >>> p.events[0]["shape"], p.events[0]["date"], p.events[0]["precision"]
    ('bar', '2019-04 (2019-04-01 – 2019-04-10)', 'month')
    """
    frame = load_chronology(chronology)
    events = in_time_order(event_records(frame, names))
    for rank, event in enumerate(sorted(events, key=rank_key)):
        event["rank"] = rank
    counter = LaneNames()
    drawn = [e for e in events if e["drawn"]]
    for event in drawn:
        counter.add(event)
    lanes = counter.names()
    for event in events:
        for kind, lane_names in lanes.items():
            event["lane"][kind] = lane_index(lane_names, event["_key"][kind])
    density: list[dict[str, Any]] = []
    unit = "month"
    first = end = None
    if drawn:
        first, end = min(e["start"] for e in drawn), max(e["end"] for e in drawn)
        for kind in lanes:
            packer = Packer(pack_gap(first, end))
            for event in drawn:
                event["sub"][kind] = packer.place(event["lane"][kind], event["start"],
                                                  event["end"])
        bins = Density(first, end)
        for event in drawn:
            bins.add(event["start"], event["end"])
        unit, density = bins.unit, bins.rows()
    for event in events:
        del event["_key"]
    precisions = [p for p in PRECISIONS if any(e["precision"] == p for e in drawn)]
    return Prepared(events, density, unit, len(events), len(drawn), first, end, lanes,
                    precisions, [])


def event_records(frame: pl.DataFrame, names: Names | None = None, *, light: bool = False
                  ) -> list[dict[str, Any]]:
    """The record of each event of a normalised frame (see :func:`load_chronology`);
    ``light`` records have only what places, ranks and counts an event (no texts)."""
    columns = ["event_id", "earliest", "latest", "value", "granularity", "summary",
               "n_mentions", "n_sources", "sources", "languages", "places", "actors",
               "conflict", "conflicts"]
    columns += [name for name in ("headline", "rank") if name in frame.columns]
    mentions = _mentions(frame)
    make = _light_event if light else _event
    return [make(row, row_mentions, names or Names()) for row, row_mentions in
            zip(frame.select(columns).iter_rows(named=True), mentions, strict=True)]


def _light_event(row: dict[str, Any], mentions: list[Mention], names: Names) -> dict[str, Any]:
    start, end = _days(row)
    length = (end - start) if start is not None and end is not None else 0
    sources, languages = _strings(row["sources"]), _strings(row["languages"])
    places, actors = _strings(row["places"]), _strings(row["actors"])
    rank = row.get("rank")
    return {
        "id": str(row["event_id"]), "start": start, "end": end,
        "drawn": (start is not None and end is not None and _DRAWN_DAYS[0] <= start
                  and end <= _DRAWN_DAYS[1]),
        "precision": _precision(row["granularity"], length),
        "given_rank": int(rank) if isinstance(rank, int | float) and rank == rank else None,
        "given_headline": bool(str(row.get("headline") or "").strip()),
        "n_sources": int(row["n_sources"] or len(sources) or
                         len({m[_SOURCE] for m in mentions if m[_SOURCE]})),
        "n_mentions": int(row["n_mentions"] or len(mentions)),
        "_key": {
            "source": _primary(mentions, _SOURCE, [_clip(s, NAME_CHARS) for s in sources]),
            "language": _primary(mentions, _LANG, [_clip(s, NAME_CHARS) for s in languages]),
            "place": _clip(names.show("place", places[0]), NAME_CHARS) if places else None,
            "actor": _clip(names.show("actor", actors[0]), NAME_CHARS) if actors else None,
        },
    }


def _days(row: dict[str, Any]) -> tuple[int | None, int | None]:
    """The first day and the day after the last of an event (day numbers)."""
    # A missing bound is the other one's day (or its year or month, when that is all it says).
    start = day_number(row["earliest"]) if row["earliest"] else day_number(row["latest"])
    last = (day_number(row["latest"], end=True) if row["latest"]
            else day_number(row["earliest"], end=True))
    if start is None or last is None:
        start = last = start if start is not None else last
    if start is not None and last is not None and last < start:
        start, last = last, start
    return start, (last + 1 if last is not None else None)


@dataclass(frozen=True)
class Names:
    """How places and actors are shown and found: each canonical name (a gazetteer key
    such as ``deir-ezzor``) by its gazetteer's first spelling, and found by all of
    them. Names no gazetteer knows are shown as given."""

    #: (kind, canonical) -> every spelling, the one shown first.
    spellings: Mapping[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, gazetteers: Sequence[str | Path] | None = None) -> Names:
        """The names of gazetteers (shipped names or files; default: the default ones)."""
        spellings: dict[tuple[str, str], tuple[str, ...]] = {}
        for name in gazetteers or DEFAULT_GAZETTEERS:
            gazetteer = load_gazetteer(name)
            for kind, table in (("actor", gazetteer.actors), ("place", gazetteer.places)):
                for canonical, variants in table.items():
                    spellings.setdefault((kind, canonical), variants)
        return cls(spellings)

    def show(self, kind: str, name: str) -> str:
        known = self.spellings.get((kind, name))
        return known[0] if known else name

    def every(self, kind: str, name: str) -> tuple[str, ...]:
        """Every spelling of a name (the one shown first)."""
        return self.spellings.get((kind, name)) or (name,)


def _event(row: dict[str, Any], mentions: list[Mention], names: Names) -> dict[str, Any]:
    start, end = _days(row)
    last = end - 1 if end is not None else None
    sources = [_clip(s, NAME_CHARS) for s in _strings(row["sources"])]
    languages = [_clip(s, NAME_CHARS) for s in _strings(row["languages"])]
    places, actors = _strings(row["places"]), _strings(row["actors"])
    conflicts = [_clip(c, SUMMARY_CHARS) for c in _strings(row["conflicts"])]
    summary = " ".join((row["summary"] or (mentions[0][0] if mentions else "")).split())
    summary = _clip(summary, SUMMARY_CHARS)
    given = " ".join(str(row.get("headline") or "").split())
    length = (end - start) if start is not None and end is not None else 0
    earliest = iso_day(start) if start is not None else ""
    latest = iso_day(last) if last is not None else ""
    value = str(row["value"] or "")
    drawn = (start is not None and end is not None and _DRAWN_DAYS[0] <= start
             and end <= _DRAWN_DAYS[1])
    rank = row.get("rank")
    return {
        "id": str(row["event_id"]),
        "start": start,
        "end": end,
        "earliest": earliest,
        "latest": latest,
        "value": value,
        "date": _date_label(value, earliest, latest) if start is not None else (value or "?"),
        "drawn": drawn,
        "apart": "" if drawn else ("far" if start is not None else "undated"),
        "shape": "point" if length == 1 else "bar",
        "granularity": str(row["granularity"] or ""),
        "precision": _precision(row["granularity"], length),
        "summary": summary,
        # the chronology's own headline when it has one, else the summary's beginning
        "headline": _clip(given, SUMMARY_CHARS) if given else headline(summary),
        "given_rank": int(rank) if isinstance(rank, int | float) and rank == rank else None,
        "given_headline": bool(given),
        "sources": sources,
        "n_sources": int(row["n_sources"] or len(sources) or
                         len({m[_SOURCE] for m in mentions if m[_SOURCE]})),
        "n_mentions": int(row["n_mentions"] or len(mentions)),
        "languages": languages,
        "places": [_clip(names.show("place", p), NAME_CHARS) for p in places],
        "actors": [_clip(names.show("actor", a), NAME_CHARS) for a in actors],
        # every spelling of its places and actors, for the search
        "spellings": sorted({s for p in places for s in names.every("place", p)[1:]}
                            | {s for a in actors for s in names.every("actor", a)[1:]}),
        "conflict": bool(row["conflict"] or conflicts),
        "conflicts": conflicts,
        "mentions": mentions,
        "lane": {},
        "sub": {},
        "_key": {
            "source": _primary(mentions, _SOURCE, sources),
            "language": _primary(mentions, _LANG, languages),
            "place": _clip(names.show("place", places[0]), NAME_CHARS) if places else None,
            "actor": _clip(names.show("actor", actors[0]), NAME_CHARS) if actors else None,
        },
    }
