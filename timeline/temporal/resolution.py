"""Resolving the expressions of a text in order, the story carried forward.

Each expression found is handed to the resolver of its rule's kind
(:data:`timeline.temporal.resolvers.RESOLVERS`) against a
:class:`~timeline.temporal.context.Context`; the anchors are the publication date
(news conventions: a bare weekday is the latest such day on or before
publication unless a future cue says otherwise) and the narrative date (the
latest day-precise date earlier in the text, for "keesokan harinya", "the next
day"). After each value, the story moves to it: the narrative date, the period
it is at. :func:`to_timex` gives the value its span, mod and interval.
"""

from __future__ import annotations

import functools
import re
from dataclasses import replace
from datetime import date
from typing import cast

from timeline.lang import Language
from timeline.limits import warn
from timeline.temporal import calendar as cal
from timeline.temporal.context import COARSE_PERIODS, REPORTING_PERIODS, Context, Value
from timeline.temporal.extract import Found
from timeline.temporal.resolvers import RESOLVERS
from timeline.types import Anchor, Granularity, Mod, Timex, TimexType


@functools.lru_cache(maxsize=8192)
def _extent(value: str, type_: str, mod: str | None
            ) -> tuple[Granularity | None, date | None, date | None]:
    """(granularity, earliest, latest) of a DATE or TIME value narrowed by `mod`."""
    granularity = "time" if type_ == "TIME" else cal.granularity_of(value)
    bounds = cal.interval(value.split("T", 1)[0])
    if bounds is None:
        return cast(Granularity | None, "vague" if value.endswith("_REF") else granularity), \
            None, None
    first, last = cal.narrow(bounds, mod)
    return cast(Granularity | None, granularity), first, last


def to_timex(found: Found, value: Value, text: str, lang: str) -> Timex:
    """Attach the span, mod and interval to a resolved value."""
    granularity: Granularity | None = None
    earliest: date | None = None
    latest: date | None = None
    if value.point is not None:
        granularity, earliest, latest = _extent(value.point, "DATE", None)
    elif value.type in ("DATE", "TIME"):
        if value.bounds is not None:
            granularity = cast(Granularity | None, "vague" if value.value.endswith("_REF")
                               else cal.granularity_of(value.value))
            earliest, latest = value.bounds
        else:
            granularity, earliest, latest = _extent(
                value.value, value.type, None if found.mod_outside else found.mod)
    mod = found.mod
    if found.mod_outside and value.type not in ("DATE", "TIME"):
        mod = None  # "after six hours": the preposition relates an event, not the length
    return Timex(
        start=found.start, end=found.end, text=text[found.start:found.end],
        type=cast(TimexType, value.type), value=value.value, earliest=earliest, latest=latest,
        anchor=cast(Anchor, value.anchor), mod=cast(Mod | None, mod), granularity=granularity,
        lang=lang, rule=found.rule.name, confidence=value.confidence, weekday=value.weekday,
        timezone=value.timezone, quant=value.quant, freq=value.freq, note=value.note,
        anchored_on=value.anchored_on, point=value.point,
    )


def resolve_all(found: list[Found], text: str, language: Language,
                published: date | None) -> list[Timex]:
    """Resolve expressions in text order, carrying the narrative date forward."""
    paragraph_starts = [m.end() for m in re.finditer(r"\n", text)]
    ctx = Context(text, language, published, paragraph_starts)
    timexes = []
    last = len(found) - 1
    period_end = -1  # where the latest period named (a quarter, a year) ends
    previous: tuple[Found, Timex] | None = None  # the expression just resolved
    for i, item in enumerate(found):
        day_less = i < last and item.rule.kind == "calendar" and \
            item.slots.keys().isdisjoint(_DAY_SLOTS)
        ctx.following_day, ctx.later_day = _days_after(ctx, found, i) if day_less else \
            (None, None)
        ctx.range_start, ctx.range_listed = _range_start(ctx, previous, item)
        if item.mod_outside and (ctx.range_start is not None or _opens_range(ctx, found, i)):
            item = replace(item, mod=None, mod_outside=False)  # "dal 5 al 9 giugno"
        ctx.found = item
        try:
            value = RESOLVERS[item.rule.kind](ctx, item.slots)
            if value is None or not value.value:
                continue
            timex = to_timex(item, value, text, language.code)
        except Exception as exc:  # one bad expression is dropped, not its document
            warn(f"expression {text[item.start:item.end][:80]!r} dropped (rule "
                 f"{item.rule.name}): {type(exc).__name__}: {exc}")
            continue
        timexes.append(timex)
        previous = (item, timex)
        if value.story_year:
            _story_at_year(ctx, item.start)
        if timex.anchor == "none" or timex.earliest is None or value.comparison:
            continue
        if timex.anchor == "absolute" and timex.granularity in ("day", "time", "month"):
            ctx.month_named = (timex.earliest.year, timex.earliest.month, item.start)
        if timex.anchor == "absolute" and timex.granularity == "year" and (
                published is None or published.year - 1 <= timex.earliest.year <= published.year):
            ctx.story_year = timex.earliest.year  # a recent year: not "in power since 1981"
        granularity = timex.granularity
        if granularity == "day" or granularity == "time":
            ctx.narrative = (timex.earliest, item.start)
            if ctx.lead_day is None:
                ctx.lead_day = ctx.narrative
            if period_end >= 0 and language.period_end_re is not None and \
                    language.period_end_re.fullmatch(text, period_end, item.start):
                continue  # "the quarter ended Sept. 30": the story stays at the quarter
        if granularity in COARSE_PERIODS:
            period_end = item.end
        if granularity in _PERIOD_GRANULARITIES:
            period = ((timex.point or timex.value).split("T", 1)[0], item.start)
            ctx.periods[granularity] = period
            peak = ctx.period_peaks.get(granularity)
            # the period a report is about has begun by publication, and a
            # quarter or half reported on has ended: a forecast ("losses through
            # the third quarter of 1990", "into the fourth quarter") is not it
            reported = published is None or (
                timex.latest is not None and timex.latest < published
                if granularity in REPORTING_PERIODS else timex.earliest <= published)
            if reported and (peak is None or timex.earliest >= cal.bounds(peak[0])[0]):
                ctx.period_peaks[granularity] = period
    return timexes


def _story_at_year(ctx: Context, offset: int) -> None:
    """A report now at a part of a year ("the first nine months"): the story is
    at that year, the one of the quarter or half reported on, else of publication."""
    reported = [ctx.period_peaks[g][0] for g in REPORTING_PERIODS if g in ctx.period_peaks]
    if reported:
        year = max(reported)[:4]
    elif ctx.published is not None:
        year = f"{ctx.published.year:04d}"
    else:
        return
    ctx.periods["year"] = (year, offset)
    peak = ctx.period_peaks.get("year")
    if peak is None or peak[0] <= year:
        ctx.period_peaks["year"] = (year, offset)


_DAY_SLOTS = frozenset(("day", "month", "weekday", "year", "deictic", "narrative"))
_ADJACENT = re.compile(r"[\s,]*")
#: Kinds whose values may be a day a time of day is told for.
_DAY_KINDS = frozenset(("calendar", "deictic", "narrative", "holiday"))


def _days_after(ctx: Context, found: list[Found], i: int) -> tuple[date | None, date | None]:
    """For a time of day that has no date of its own: the day of a date written
    right after it, and the day of the first date later in its sentence."""
    item = found[i]
    ctx.range_start, ctx.range_listed = None, False  # (not the one looked at here)
    for j in range(i + 1, min(len(found), i + 6)):
        following = found[j]
        if following.rule.kind not in _DAY_KINDS or \
                following.slots.keys().isdisjoint(_DAY_SLOTS):
            continue
        if not ctx.same_sentence(item.end, following.start):
            break
        ctx.found = following
        value = RESOLVERS[following.rule.kind](ctx, following.slots)
        if value is None or value.anchor == "none" or \
                cal.granularity_of(value.value.split("T", 1)[0]) != "day":
            continue
        day = date.fromisoformat(value.value.split("T", 1)[0])
        if j == i + 1 and _ADJACENT.fullmatch(ctx.text, item.end, following.start):
            return day, None
        return None, day
    return None, None


def _opens_range(ctx: Context, found: list[Found], i: int) -> bool:
    """Is expression `i` the first end of a range ("dal 5 al 9 giugno")? Its
    preposition then belongs to the range, not to the point."""
    return ctx.language.range_re is not None and i + 1 < len(found) and \
        ctx.language.range_re.fullmatch(ctx.text, found[i].end, found[i + 1].start) is not None


def _range_start(ctx: Context, previous: tuple[Found, Timex] | None,
                 item: Found) -> tuple[date | None, bool]:
    """The first day of the range `item` closes, when the expression before it is
    joined to it by a range word of the language ("-", "to", "hingga", "al"), or,
    between two days, by a word that lists them ("el miércoles y jueves"); and
    whether they are only listed."""
    if previous is None:
        return None, False
    found, timex = previous
    if timex.earliest is None or timex.granularity not in ("day", "time", "month"):
        return None, False
    # the two ends are of a size: a day and a day, a month and a month ("a revision
    # Friday to December's figure" is no range)
    day_end = not item.slots.keys().isdisjoint(("day", "weekday"))
    if day_end != (timex.granularity in ("day", "time")):
        return None, False
    if ctx.language.range_re is not None and \
            ctx.language.range_re.fullmatch(ctx.text, found.end, item.start):
        return timex.earliest, False
    if day_end and ctx.language.day_range_re is not None and \
            ctx.language.day_range_re.fullmatch(ctx.text, found.end, item.start):
        return timex.earliest, True
    return None, False


#: Granularities of the values a story can be at ("a year earlier" counts from).
_PERIOD_GRANULARITIES = frozenset(
    ("day", "time", "week", "weekend", "month", "quarter", "half", "season", "year"))
