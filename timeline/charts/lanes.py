"""Lanes, sub-rows and the overview's bins, computed an event at a time.

Each is fed the drawn events in time order and keeps only what the next event needs
(counts of lane names, the end of each sub-row, the bins' running rates), so that the
page's data can be built in a stream (:mod:`timeline.charts.stream`) as well as for
a chronology held whole (:func:`timeline.charts.data.prepare`).
"""

from __future__ import annotations

import bisect
from collections import Counter
from typing import Any, Literal, get_args

from timeline.charts.calendar import civil_from_days, days_from_civil

#: Lanes per lane kind that get their own row; the rest share "other".
LANE_CATEGORIES = 8
OTHER = "other"
#: Sub-rows inside one lane, so that events on the same dates do not hide each other.
SUBLANES = 3

#: Lane kinds: the key of the event that names its lane (the one list: the type of the
#: ``lanes`` arguments, the choices of ``--lanes`` and the order of the page's menu).
Lanes = Literal["source", "language", "place", "actor"]
LANE_KINDS: tuple[Lanes, ...] = get_args(Lanes)


class LanesUnavailable(ValueError):
    """Lanes of a kind no event has data for (no event names a place, say)."""


class LaneNames:
    """Counts the lane keys of the drawn events, a kind at a time; :meth:`names` gives
    the lanes: the :data:`LANE_CATEGORIES` most frequent, then "other", then "" (the
    page names it: "no place named", ...) when some drawn event has no key."""

    def __init__(self) -> None:
        self.counts: dict[str, Counter[str]] = {kind: Counter() for kind in LANE_KINDS}
        self.missing: dict[str, bool] = {kind: False for kind in LANE_KINDS}

    def add(self, event: dict[str, Any]) -> None:
        for kind in LANE_KINDS:
            key = event["_key"][kind]
            if key:
                self.counts[kind][key] += 1
            else:
                self.missing[kind] = True

    def names(self) -> dict[str, list[str]]:
        lanes: dict[str, list[str]] = {}
        for kind in LANE_KINDS:
            counts = self.counts[kind]
            if not counts:
                if kind == "source":
                    lanes[kind] = [""]  # one lane kind always exists
                continue
            top = [name for name, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
            names = top[:LANE_CATEGORIES]
            if len(top) > LANE_CATEGORIES:
                names.append(OTHER)
            if self.missing[kind]:
                names.append("")
            lanes[kind] = names
        return lanes


def lane_index(names: list[str], key: str | None) -> int:
    """The lane of an event whose key is ``key`` among lanes ``names``."""
    if not key:
        return names.index("") if "" in names else 0
    if key in names:
        return names.index(key)
    return names.index(OTHER) if OTHER in names else 0


class Packer:
    """Greedy interval packing into :data:`SUBLANES` sub-rows per lane, events fed in
    start order (a stream: it keeps the end of each sub-row of each lane)."""

    def __init__(self, gap: float) -> None:
        self.gap = gap
        self.ends: dict[int, list[float]] = {}

    def place(self, lane: int, start: int, end: int) -> int:
        ends = self.ends.get(lane)
        if ends is None:
            ends = self.ends[lane] = [-float("inf")] * SUBLANES
        sub = -1
        for k in range(SUBLANES):
            if ends[k] + self.gap <= start:
                sub = k
                break
        if sub < 0:  # all taken: share the sub-row that frees up first
            sub = ends.index(min(ends))
        if end > ends[sub]:
            ends[sub] = end
        return sub


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


class Density:
    """Events per overview bin, each event spread over the days its interval covers.

    A year-precise event adds a twelfth to each month of its year, so a year does
    not pile up in one month. Linear in events plus bins: bins wholly inside an
    interval are filled through a running per-day rate. Events come one at a time.
    """

    def __init__(self, first: int, end: int) -> None:
        self.unit, self.edges = _bins(first, end)
        n_bins = len(self.edges) - 1
        self._counts = [0.0] * n_bins
        self._rate_change = [0.0] * (n_bins + 1)

    def add(self, start: int, end: int) -> None:
        edges, counts = self.edges, self._counts
        rate = 1.0 / (end - start)
        first = bisect.bisect_right(edges, start) - 1
        last = bisect.bisect_left(edges, end) - 1
        if first == last:
            counts[first] += 1.0
            return
        counts[first] += (edges[first + 1] - start) * rate
        counts[last] += (end - edges[last]) * rate
        if last > first + 1:
            self._rate_change[first + 1] += rate
            self._rate_change[last] -= rate

    def rows(self) -> list[dict[str, Any]]:
        """The bins that hold events: ``bin_start``, ``bin_end`` (day numbers), ``events``."""
        edges, counts = self.edges, list(self._counts)
        running = 0.0
        for i in range(len(counts)):
            running += self._rate_change[i]
            counts[i] += running * (edges[i + 1] - edges[i])
        return [{"bin_start": edges[i], "bin_end": edges[i + 1], "events": round(c, 3)}
                for i, c in enumerate(counts) if c > 1e-9]


def pack_gap(first: int, end: int) -> float:
    """Days kept free between two events of one sub-row (a 150th of the period)."""
    return (end - first) / 150
