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

import bisect
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

import polars as pl

from timeline.chronology.writers import chronology_from_records, read_chronology

#: The longest summary kept, and the headline drawn on the time axis.
SUMMARY_CHARS = 600
HEADLINE_CHARS = 64
#: The longest evidence sentence quoted in the detail panel.
EVIDENCE_CHARS = 1_000

#: Lanes per lane kind that get their own row; the rest share "other".
LANE_CATEGORIES = 8
OTHER = "other"
#: Sub-rows inside one lane, so that events on the same dates do not hide each other.
SUBLANES = 3

#: Years drawn on the time axis; other dated events are listed apart.
DRAWN_YEARS = (1000, 9999)

#: Precision classes, finest first: the colour of a mark and a filter of the page.
PRECISIONS = ("day", "week", "month", "quarter", "year", "longer")
_PRECISION_OF = {
    "time": "day", "day": "day", "weekend": "week", "week": "week", "month": "month",
    "quarter": "quarter", "season": "quarter", "half": "quarter", "year": "year",
    "decade": "longer", "century": "longer", "millennium": "longer",
}

#: Lane kinds: the key of the event that names its lane (the one list: the type of the
#: ``lanes`` arguments, the choices of ``--lanes`` and the order of the page's menu).
Lanes = Literal["source", "language", "place", "actor"]
LANE_KINDS: tuple[Lanes, ...] = get_args(Lanes)

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
    return _normalise(frame)


def _normalise(frame: pl.DataFrame) -> pl.DataFrame:
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
        "headline": lambda: pl.Series([None] * n, dtype=pl.String),
        "rank": lambda: pl.Series([None] * n, dtype=pl.Int64),
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


# --- calendar arithmetic that works for every year ------------------------------------


def days_from_civil(year: int, month: int, day: int) -> int:
    """Days since 1970-01-01 of a proleptic Gregorian date, for any year.

    >>> days_from_civil(1970, 1, 1), days_from_civil(2000, 3, 1), days_from_civil(516, 1, 1)
    (0, 11017, -531063)
    """
    year -= month <= 2
    era = year // 400
    year_of_era = year - era * 400
    day_of_year = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146097 + day_of_era - 719468


def civil_from_days(days: int) -> tuple[int, int, int]:
    """The (year, month, day) of a day number; the inverse of :func:`days_from_civil`.

    >>> civil_from_days(0), civil_from_days(-531063), civil_from_days(3_000_000)
    ((1970, 1, 1), (516, 1, 1), (10183, 9, 21))
    """
    days += 719468
    era = days // 146097
    day_of_era = days - era * 146097
    year_of_era = (day_of_era - day_of_era // 1460 + day_of_era // 36524
                   - day_of_era // 146096) // 365
    day_of_year = day_of_era - (365 * year_of_era + year_of_era // 4 - year_of_era // 100)
    mp = (5 * day_of_year + 2) // 153
    day = day_of_year - (153 * mp + 2) // 5 + 1
    month = mp + (3 if mp < 10 else -9)
    return year_of_era + era * 400 + (month <= 2), month, day


def iso_day(days: int) -> str:
    """ISO 8601 text of a day number; years beyond 0..9999 carry a sign (ISO's expanded form).

    >>> iso_day(0), iso_day(-531063), iso_day(3_000_000)
    ('1970-01-01', '0516-01-01', '+10183-09-21')
    """
    year, month, day = civil_from_days(days)
    if 0 <= year <= 9999:
        return f"{year:04d}-{month:02d}-{day:02d}"
    return f"{'-' if year < 0 else '+'}{abs(year):04d}-{month:02d}-{day:02d}"


def _month_days(year: int, month: int) -> int:
    if month == 12:
        return 31
    return days_from_civil(year, month + 1, 1) - days_from_civil(year, month, 1)


_DATE_TEXT = re.compile(r"\s*([+-]?\d{1,9})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?![\d])")


def day_number(text: str | None, *, end: bool = False) -> int | None:
    """The day number of a date text such as ``2019-04-01``, ``0516-01-01`` or ``-0044-03-15``.

    A year or a year-month stands for its first day, or its last with ``end``.
    Anything unreadable gives None (the event is then listed as undated).

    >>> day_number("2019-04-01"), day_number("516-01-01") == day_number("0516-01-01")
    (17987, True)
    >>> iso_day(day_number("2019-02", end=True)), day_number("soon") is None
    ('2019-02-28', True)
    """
    if not text:
        return None
    match = _DATE_TEXT.match(text)
    if match is None:
        return None
    year = int(match[1])
    if match[2] is None:
        month, day = (12, 31) if end else (1, 1)
    else:
        month = int(match[2])
        if not 1 <= month <= 12:
            return None
        last = _month_days(year, month)
        day = int(match[3]) if match[3] is not None else (last if end else 1)
        if not 1 <= day <= last:
            return None
    return days_from_civil(year, month, day)


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
    return [str(v) for v in (values or []) if v is not None and str(v).strip()]


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


def _rank_key(event: dict[str, Any]) -> tuple[Any, ...]:
    # The chronology's own rank when it has one; else evidence: distinct outlets, then
    # mentions, then a finer date.
    given = event["_rank"]
    return (given is None, given or 0, -event["n_sources"], -event["n_mentions"],
            PRECISIONS.index(event["precision"]),
            event["start"] if event["start"] is not None else 0, event["id"])


def _lane_names(events: list[dict[str, Any]], kind: str) -> list[str] | None:
    counts = Counter(e["_key"][kind] for e in events if e["drawn"] and e["_key"][kind])
    if not counts:
        return None
    top = [name for name, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    names = top[:LANE_CATEGORIES]
    if len(top) > LANE_CATEGORIES:
        names.append(OTHER)
    if any(e["drawn"] and not e["_key"][kind] for e in events):
        names.append("")  # the page names it ("no place", "unknown source", ...)
    return names


def _pack(events: list[dict[str, Any]], kind: str, gap: float) -> None:
    """Greedy interval packing into :data:`SUBLANES` sub-rows per lane."""
    lane_end: dict[int, list[float]] = {}
    for event in events:  # already in start order
        ends = lane_end.get(event["lane"][kind])
        if ends is None:
            ends = lane_end[event["lane"][kind]] = [-float("inf")] * SUBLANES
        start, sub = event["start"], -1
        for k in range(SUBLANES):
            if ends[k] + gap <= start:
                sub = k
                break
        if sub < 0:  # all taken: share the sub-row that frees up first
            sub = ends.index(min(ends))
        event["sub"][kind] = sub
        if event["end"] > ends[sub]:
            ends[sub] = event["end"]


def _bins(first: int, end: int) -> tuple[str, list[int]]:
    """Overview bins (day numbers of bin starts, plus the end) for a drawn period."""
    span = end - first
    if span <= 731:
        unit = "week"
        start = first - (first + 3) % 7  # day 0 (1970-01-01) was a Thursday
        edges = list(range(start, end + 7, 7))
    else:
        year, month, _ = civil_from_days(first)
        unit = "month" if span <= 40 * 366 else "year"
        if unit == "year":
            month = 1
        edges = []
        while True:
            edge = days_from_civil(year, month, 1)
            edges.append(edge)
            if edge >= end:
                break
            if unit == "month":
                year, month = (year + 1, 1) if month == 12 else (year, month + 1)
            else:
                year += 1
    return unit, edges


def _density(drawn: list[dict[str, Any]], edges: list[int]) -> list[float]:
    """Events per bin, each event spread over the days its interval covers.

    A year-precise event adds a twelfth to each month of its year, so a year does
    not pile up in one month. Linear in events plus bins: bins wholly inside an
    interval are filled through a running per-day rate.
    """
    n_bins = len(edges) - 1
    counts = [0.0] * n_bins
    rate_change = [0.0] * (n_bins + 1)
    for event in drawn:
        start, end = event["start"], event["end"]
        rate = 1.0 / (end - start)
        first = bisect.bisect_right(edges, start) - 1
        last = bisect.bisect_left(edges, end) - 1
        if first == last:
            counts[first] += 1.0
            continue
        counts[first] += (edges[first + 1] - start) * rate
        counts[last] += (end - edges[last]) * rate
        if last > first + 1:
            rate_change[first + 1] += rate
            rate_change[last] -= rate
    running = 0.0
    for i in range(n_bins):
        running += rate_change[i]
        counts[i] += running * (edges[i + 1] - edges[i])
    return counts


def prepare(chronology: ChronologyLike) -> Prepared:
    """Turn a chronology into drawable, listable records; see :class:`Prepared`.

    >>> p = prepare([{"event_id": "a", "earliest": "2019-04-01", "latest": "2019-04-10",
    ...               "value": "2019-04", "granularity": "month", "summary": "x",
    ...               "n_mentions": 2, "sources": ["S"], "languages": ["id"]}])
    >>> p.events[0]["shape"], p.events[0]["date"], p.events[0]["precision"]
    ('bar', '2019-04 (2019-04-01 – 2019-04-10)', 'month')
    """
    frame = load_chronology(chronology)
    columns = ["event_id", "earliest", "latest", "value", "granularity", "summary",
               "n_mentions", "n_sources", "sources", "languages", "places", "actors",
               "conflict", "conflicts", "headline", "rank"]
    mentions = _mentions(frame)
    events = [_event(row, row_mentions) for row, row_mentions in
              zip(frame.select(columns).iter_rows(named=True), mentions, strict=True)]
    drawn = [e for e in events if e["drawn"]]
    drawn.sort(key=lambda e: (e["start"], e["end"], e["id"]))
    apart = [e for e in events if not e["drawn"]]
    apart.sort(key=lambda e: (e["start"] is None, e["start"] or 0, e["id"]))
    events = drawn + apart
    for rank, event in enumerate(sorted(events, key=_rank_key)):
        event["rank"] = rank

    lanes: dict[str, list[str]] = {}
    for kind in LANE_KINDS:
        names = _lane_names(events, kind)
        if names is None:
            if kind != "source":
                continue
            names = [""]  # one lane kind always exists
        lanes[kind] = names
        index = {name: i for i, name in enumerate(names)}
        for event in events:
            key = event["_key"][kind]
            event["lane"][kind] = index.get(key, index.get(OTHER, 0)) if key else index.get(
                "", 0)
    notes: list[str] = []
    density: list[dict[str, Any]] = []
    unit = "month"
    first = end = None
    if drawn:
        first, end = min(e["start"] for e in drawn), max(e["end"] for e in drawn)
        for lane_kind in lanes:
            _pack(drawn, lane_kind, gap=(end - first) / 150)
        unit, edges = _bins(first, end)
        counts = _density(drawn, edges)
        density = [{"bin_start": edges[i], "bin_end": edges[i + 1], "events": round(c, 3)}
                   for i, c in enumerate(counts) if c > 1e-9]
    for event in events:
        del event["_key"], event["_rank"]
    precisions = [p for p in PRECISIONS if any(e["precision"] == p for e in drawn)]
    return Prepared(events, density, unit, len(events), len(drawn), first, end, lanes,
                    precisions, notes)


def _event(row: dict[str, Any], mentions: list[Mention]) -> dict[str, Any]:
    # A missing bound is the other one's day (or its year or month, when that is all it says).
    start = day_number(row["earliest"]) if row["earliest"] else day_number(row["latest"])
    last = (day_number(row["latest"], end=True) if row["latest"]
            else day_number(row["earliest"], end=True))
    if start is None or last is None:
        start = last = start if start is not None else last
    if start is not None and last is not None and last < start:
        start, last = last, start
    end = last + 1 if last is not None else None
    sources = _strings(row["sources"])
    languages = _strings(row["languages"])
    places, actors = _strings(row["places"]), _strings(row["actors"])
    conflicts = _strings(row["conflicts"])
    summary = " ".join((row["summary"] or (mentions[0][0] if mentions else "")).split())
    summary = _clip(summary, SUMMARY_CHARS)
    length = (end - start) if start is not None and end is not None else 0
    earliest = iso_day(start) if start is not None else ""
    latest = iso_day(last) if last is not None else ""
    value = str(row["value"] or "")
    drawn = (start is not None and end is not None and _DRAWN_DAYS[0] <= start
             and end <= _DRAWN_DAYS[1])
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
        "headline": " ".join(str(row.get("headline") or "").split()) or headline(summary),
        "_rank": row.get("rank"),
        "sources": sources,
        "n_sources": int(row["n_sources"] or len(sources) or
                         len({m[_SOURCE] for m in mentions if m[_SOURCE]})),
        "n_mentions": int(row["n_mentions"] or len(mentions)),
        "languages": languages,
        "places": places,
        "actors": actors,
        "conflict": bool(row["conflict"] or conflicts),
        "conflicts": conflicts,
        "mentions": mentions,
        "lane": {},
        "sub": {},
        "_key": {
            "source": _primary(mentions, _SOURCE, sources),
            "language": _primary(mentions, _LANG, languages),
            "place": places[0] if places else None,
            "actor": actors[0] if actors else None,
        },
    }
