"""The page's data, built in a stream from a chronology's row groups.

A chronology may hold millions of events. The page's build reads it a Parquet row
group (about a thousand events) at a time, twice, and keeps between row groups
only what does not grow with the corpus's text:

1. a first pass counts: the events drawn on the time axis and those listed apart,
   the period drawn, the lanes of each lane kind, the precisions present, and the
   :data:`KEY_EVENTS` most important events (a bounded heap);
2. a second pass gives each event its lane and sub-row (a greedy packing that
   needs only the end of each sub-row), fills the overview's bins, and hands the
   events to a sink in *chunks* of :data:`CHUNK` consecutive events: their index
   (dates, headline, summary, lanes, counts, names) and, apart, their mentions.

What grows with the corpus is the *skeleton*: five small integers per drawn event
(start, length, precision, outlets, mentions; and the chronology's ``rank`` when
it has one), from which the page counts, pages and sorts the events of any period
without reading a chunk. A chronology whose rows are not in time order (a file
written by another tool) is read whole and sorted instead.

The page's first view carries the overview, the skeleton, the key events and the
first chunk; :mod:`timeline.charts.page` puts the other chunks inside the page or
in files next to it.
"""

from __future__ import annotations

import heapq
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from timeline.charts.data import (
    PRECISIONS,
    ChronologyLike,
    Names,
    Prepared,
    event_records,
    in_time_order,
    load_chronology,
    normalise,
    rank_key,
)
from timeline.charts.lanes import LANE_KINDS, Density, LaneNames, Packer, lane_index, pack_gap
from timeline.chronology.writers import CHRONOLOGY_BASENAME

#: Events per chunk of the page's data.
CHUNK = 1_000
#: The most important events, carried by the page's first view: drawn (with their
#: headlines) when a period holds too many events to draw them all.
KEY_EVENTS = 1_000
#: Rows read at a time from a Parquet chronology.
BATCH_ROWS = 1_024

#: A sink gets each chunk: its kind ("drawn" or "apart" events' index, "drawn-mentions"
#: or "apart-mentions"), its number, and its data (JSON-ready).
Sink = Callable[[str, int, Any], None]


def _parquet(chronology: ChronologyLike) -> Path | None:
    """The Parquet file a chronology is read from in a stream, if it is one."""
    if not isinstance(chronology, str | Path):
        return None
    path = Path(chronology)
    if path.is_dir():
        path = path / f"{CHRONOLOGY_BASENAME}.parquet"
    return path if path.suffix == ".parquet" and path.is_file() else None


def _light_columns(schema: Any) -> list[str]:
    """Every column but the mentions, and of those only what names an event's lanes."""
    columns = [name for name in schema.names if name != "mentions"]
    if "mentions" in schema.names:
        inner = getattr(schema.field("mentions").type, "value_type", None)
        if inner is not None and hasattr(inner, "get_field_index"):  # a list of structs
            columns += [f"mentions.list.element.{name}" for name in ("source", "lang")
                        if inner.get_field_index(name) >= 0]
    return columns


def _records(path: Path, names: Names, *, light: bool) -> Iterator[dict[str, Any]]:
    """The event records of a Parquet chronology, a row group at a time, in file order;
    ``light`` leaves out the mentions (but not the fields that name lanes)."""
    # imported here, not at the top: only a page built from a file needs pyarrow
    import pyarrow.parquet as pq

    with pq.ParquetFile(path) as file:
        columns = _light_columns(file.schema_arrow) if light else None
        for batch in file.iter_batches(batch_size=BATCH_ROWS, columns=columns):
            frame = pl.from_arrow(batch)
            assert isinstance(frame, pl.DataFrame)
            yield from event_records(normalise(frame), names, light=light)


def _drawn_order(event: dict[str, Any]) -> tuple[int, int, str]:
    return event["start"], event["end"], event["id"]


@dataclass
class _Counts:
    """What the first pass finds."""

    n_events: int = 0
    n_drawn: int = 0
    first: int | None = None
    end: int | None = None
    lanes: LaneNames = field(default_factory=LaneNames)
    precisions: set[str] = field(default_factory=set)
    ranked: bool = False
    headlines: bool = False
    in_order: bool = True
    #: (rank key, id) of the best events so far; the worst is popped past KEY_EVENTS.
    heap: list[tuple[_Reversed, str]] = field(default_factory=list)
    _last: tuple[int, int, str] | None = None

    def add(self, event: dict[str, Any]) -> None:
        self.n_events += 1
        self.ranked = self.ranked or event["given_rank"] is not None
        self.headlines = self.headlines or event["given_headline"]
        if not event["drawn"]:
            return
        self.n_drawn += 1
        order = _drawn_order(event)
        if self._last is not None and order < self._last:
            self.in_order = False
        self._last = order
        self.first = event["start"] if self.first is None else min(self.first, event["start"])
        self.end = event["end"] if self.end is None else max(self.end, event["end"])
        self.lanes.add(event)
        self.precisions.add(event["precision"])
        item = (_Reversed(rank_key(event)), event["id"])
        if len(self.heap) < KEY_EVENTS:
            heapq.heappush(self.heap, item)
        elif self.heap[0][0] < item[0]:
            heapq.heapreplace(self.heap, item)


class _Reversed:
    """A rank key ordered backwards, so that a min-heap keeps the best events."""

    __slots__ = ("key",)

    def __init__(self, key: tuple[Any, ...]) -> None:
        self.key = key

    def __lt__(self, other: _Reversed) -> bool:
        return other.key < self.key

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Reversed) and other.key == self.key

    def __hash__(self) -> int:
        return hash(self.key)


class _Chunk:
    """The index of up to CHUNK events as columns, names shipped once in a table,
    and their mentions apart."""

    def __init__(self, lane_kinds: list[str], apart: bool) -> None:
        self.apart = apart
        self.names: dict[str, int] = {}
        self.columns: dict[str, list[Any]] = {name: [] for name in (
            "id", "start", "end", "value", "granularity", "precision", "conflict", "summary",
            "headline", "sources", "languages", "places", "actors", "spellings", "n_sources",
            "n_mentions", "rank", *(("earliest", "latest", "date", "apart") if apart else ()))}
        self.lane: dict[str, list[int]] = {kind: [] for kind in lane_kinds}
        self.sub: dict[str, list[int]] = {kind: [] for kind in lane_kinds}
        self.mentions: list[Any] = []

    def __len__(self) -> int:
        return len(self.columns["id"])

    def _names(self, values: list[str]) -> list[int]:
        return [self.names.setdefault(v, len(self.names)) for v in values]

    def add(self, event: dict[str, Any]) -> None:
        columns = self.columns
        summary, head = event["summary"], event["headline"]
        for name in ("id", "start", "end", "value", "granularity", "n_sources", "n_mentions"):
            columns[name].append(event[name])
        columns["precision"].append(PRECISIONS.index(event["precision"]))
        columns["conflict"].append(1 if event["conflict"] else 0)
        columns["summary"].append(summary)
        # A headline that is the summary's beginning ships as where it ends.
        if head == summary:
            columns["headline"].append(len(summary))
        elif head.endswith("…") and summary.startswith(head[:-1]):
            columns["headline"].append(len(head) - 1)
        else:
            columns["headline"].append(head)
        for name in ("sources", "languages", "places", "actors", "spellings"):
            columns[name].append(self._names(event[name]))
        columns["rank"].append(event["given_rank"])
        if self.apart:
            for name in ("earliest", "latest", "date", "apart"):
                columns[name].append(event[name])
        for kind in self.lane:
            self.lane[kind].append(event["lane"].get(kind, 0))
            self.sub[kind].append(event["sub"].get(kind, 0))
        # mentions as arrays in the order of data.MENTION_FIELDS
        self.mentions.append([event["mentions"], event["conflicts"]])

    def index(self) -> dict[str, Any]:
        return {**self.columns, "lane": self.lane, "sub": self.sub, "names": list(self.names)}


@dataclass
class PageData:
    """What the page's first view carries besides its first chunks (see the module
    docstring); ``summary`` is a :class:`~timeline.charts.data.Prepared` without events."""

    summary: Prepared
    skeleton: dict[str, list[int]]
    keys: dict[str, Any]
    n_chunks: int
    n_apart_chunks: int
    #: Whether the chronology ranks its events (``rank``) and has its own headlines.
    ranked: bool
    headlines: bool


def _counted(records: Callable[[], Iterator[dict[str, Any]]]) -> _Counts:
    counts = _Counts()
    for event in records():
        counts.add(event)
    return counts


def stream_page_data(chronology: ChronologyLike, sink: Sink, *, names: Names | None = None
                     ) -> PageData:
    """Build the page's data from ``chronology`` in a stream, each chunk handed to
    ``sink`` (see the module docstring)."""
    names = names or Names()
    path = _parquet(chronology)
    counts: _Counts | None = None
    held: list[dict[str, Any]] | None = None
    if path is not None:
        counts = _counted(lambda: _records(path, names, light=True))
        if not counts.in_order:  # another tool's file: read whole, in time order
            held = in_time_order(event_records(load_chronology(path), names))
    else:
        held = in_time_order(event_records(load_chronology(chronology), names))
    if held is not None:
        rows = held
        counts = _counted(lambda: iter(rows))
    assert counts is not None

    def records() -> Iterator[dict[str, Any]]:
        if held is not None:
            return iter(held)
        assert path is not None
        return _records(path, names, light=False)

    lanes = counts.lanes.names()
    lane_kinds: list[str] = [kind for kind in LANE_KINDS if kind in lanes]
    keys = {item[1] for item in counts.heap}
    density = Density(counts.first, counts.end) if counts.first is not None and \
        counts.end is not None else None
    packers = ({kind: Packer(pack_gap(counts.first, counts.end)) for kind in lane_kinds}
               if counts.first is not None and counts.end is not None else {})
    skeleton = {name: array("q") for name in ("start", "length", "precision", "n_sources",
                                              "n_mentions", "rank")}
    key_chunk = _Chunk(lane_kinds, apart=False)
    key_positions: list[int] = []
    drawn_chunk, apart_chunk = _Chunk(lane_kinds, False), _Chunk(lane_kinds, True)
    n_chunks = n_apart = position = 0
    previous = 0

    def flush(chunk: _Chunk, kind: str, number: int) -> None:
        sink(kind, number, chunk.index())
        sink(kind + "-mentions", number, chunk.mentions)

    for event in records():
        for kind in lane_kinds:
            event["lane"][kind] = lane_index(lanes[kind], event["_key"][kind])
        if not event["drawn"]:
            apart_chunk.add(event)
            if len(apart_chunk) == CHUNK:
                flush(apart_chunk, "apart", n_apart)
                n_apart += 1
                apart_chunk = _Chunk(lane_kinds, True)
            continue
        for kind, packer in packers.items():
            event["sub"][kind] = packer.place(event["lane"][kind], event["start"], event["end"])
        if density is not None:
            density.add(event["start"], event["end"])
        skeleton["start"].append(event["start"] - previous)
        previous = event["start"]
        skeleton["length"].append(event["end"] - event["start"])
        skeleton["precision"].append(PRECISIONS.index(event["precision"]))
        skeleton["n_sources"].append(event["n_sources"])
        skeleton["n_mentions"].append(event["n_mentions"])
        if counts.ranked:
            rank = event["given_rank"]
            skeleton["rank"].append(rank if rank is not None else 2**53)
        if event["id"] in keys:
            key_chunk.add(event)
            key_positions.append(position)
        drawn_chunk.add(event)
        position += 1
        if len(drawn_chunk) == CHUNK:
            flush(drawn_chunk, "drawn", n_chunks)
            n_chunks += 1
            drawn_chunk = _Chunk(lane_kinds, False)
    if len(drawn_chunk) or not n_chunks:
        flush(drawn_chunk, "drawn", n_chunks)
        n_chunks += 1
    if len(apart_chunk) or not n_apart:
        flush(apart_chunk, "apart", n_apart)
        n_apart += 1
    summary = Prepared(
        [], density.rows() if density is not None else [],
        density.unit if density is not None else "month", counts.n_events, counts.n_drawn,
        counts.first, counts.end, {kind: lanes[kind] for kind in lane_kinds},
        [p for p in PRECISIONS if p in counts.precisions])
    key_index = key_chunk.index()
    key_index["position"] = key_positions
    return PageData(summary, {name: values.tolist() for name, values in skeleton.items()
                              if values or name != "rank"},
                    key_index, n_chunks, n_apart, counts.ranked, counts.headlines)
