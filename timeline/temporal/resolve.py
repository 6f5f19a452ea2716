"""Resolving found expressions to TIMEX3 values against their anchors.

Each rule names the `kind` of value it builds (the kinds and their slots are
declared in timeline/lang/kinds.toml); each kind is one function here.
The anchors are the publication date (news conventions: a bare weekday is the
latest such day on or before publication unless a future cue says otherwise)
and the narrative date (the latest day-precise date earlier in the same
paragraph, for "keesokan harinya", "the next day").
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, cast

from timeline.lang import Language, Rule
from timeline.limits import warn
from timeline.temporal import calendar as cal
from timeline.temporal.extract import Found
from timeline.types import Anchor, Granularity, Mod, Timex, TimexType

#: Words searched for tense cues: this many characters around the span, within
#: its sentence.
_CUE_BEFORE = 60
_CUE_AFTER = 50
#: Where a sentence ends: a full stop after a number or a word ending in three
#: lower-case letters, before a capital (not "Jan. 3", "Mr. Smith", "Daniel P. Davison"),
#: or "!", "?", ";", a line break.
_SENTENCE_END = re.compile(
    r"[!?;\n]|(?:(?<=[a-z0-9]{3})|(?<=\d))\.(?=[\s\"'”’)]*(?:$|[\"“‘(]?[A-Z]))")


@dataclass
class Value:
    """What a kind builds before it becomes a Timex."""

    type: str
    value: str
    anchor: str
    confidence: float = 1.0
    weekday: int | None = None
    timezone: str | None = None
    quant: str | None = None
    freq: str | None = None
    note: str | None = None
    #: Explicit interval, for values whose interval is not their calendar extent.
    bounds: tuple[date | None, date | None] | None = None
    #: The narrative date the value was counted from.
    anchored_on: date | None = None
    #: For a duration counted from an event just told: the value it reaches.
    point: str | None = None
    #: A period compared with the one the story is at ("a year earlier", "the
    #: year-ago quarter"): the story does not move to it.
    comparison: bool = False
    #: A duration that is a part of a year the story is at ("in the nine months,
    #: net rose"): its comparisons ("a year earlier") go back a whole year.
    story_year: bool = False


@dataclass
class Context:
    """What one text's expressions are resolved against."""

    text: str
    language: Language
    published: date | None
    paragraph_starts: list[int]
    #: (date, offset) of the latest day-precise date seen.
    narrative: tuple[date, int] | None = None
    #: granularity -> (value, offset) of the latest calendar value of that
    #: granularity seen ("1989-Q3", "2012"), and of the one latest in time.
    periods: dict[str, tuple[str, int]] = field(default_factory=dict)
    period_peaks: dict[str, tuple[str, int]] = field(default_factory=dict)
    found: Found | None = field(default=None)

    @property
    def rule(self) -> Rule:
        """The rule of the expression being resolved."""
        assert self.found is not None, "no expression is being resolved"
        return self.found.rule
    #: The day of a date written right after the current time of day
    #: ("pukul 07.55 WIB, Jumat (5/12/2014)"): that time's own day.
    following_day: date | None = None

    def paragraph(self, offset: int) -> int:
        return bisect.bisect_right(self.paragraph_starts, offset)

    def _paragraph_start(self, offset: int) -> int:
        paragraph = self.paragraph(offset)
        return self.paragraph_starts[paragraph - 1] if paragraph else 0

    def narrative_date(self, same_paragraph: bool = False) -> date | None:
        """The latest day-precise date established before the current span.

        Narrative expressions ("keesokan harinya", "the next day") refer back to
        it wherever it was said in the text; a bare time of day
        (`same_paragraph`) only to one in its own paragraph. Quoted speech has
        its own time: inside a quotation only a date said within it counts.
        """
        if self.narrative is None or self.found is None:
            return None
        day, offset = self.narrative
        start = self.found.start
        if same_paragraph and self._paragraph_start(offset) != self._paragraph_start(start):
            return None
        quote = self.quote_start()
        if quote is not None and offset < quote:
            return None
        return day

    def period(self, granularities=None, latest_in_time: bool = False,
               ended_by: date | None = None) -> str | None:
        """The value of the latest calendar period named before the current span
        (of one of `granularities`, or of any): the time the story is at, which
        "the quarter", "the latest period" refer to. With `latest_in_time`, the
        latest in time rather than in the text: the period a report is about, which
        its comparisons ("a year earlier", "the year-ago period", "the 1988
        period") go back from. Quoted speech has its own time, as for
        `narrative_date`. With `ended_by`, only a period over by then counts
        ("the latest quarter" is one that has ended)."""
        if self.found is None:
            return None
        table = self.period_peaks if latest_in_time else self.periods
        kept = [table[g] for g in (granularities or table) if g in table]
        if ended_by is not None:
            kept = [p for p in kept if cal.bounds(p[0])[1] < ended_by]
        if not kept:
            return None
        value, offset = max(kept, key=(lambda p: (cal.bounds(p[0])[0], p[1])) if latest_in_time
                            else (lambda p: p[1]))
        quote = self.quote_start()
        if quote is not None and offset < quote:
            return None
        return value

    def quote_start(self) -> int | None:
        """Where the quotation holding the current span opens (None outside quotes).

        Quotations are read within the paragraph: curly quotes pair up, straight
        ones alternate."""
        if self.found is None:
            return None
        start = self._paragraph_start(self.found.start)
        before = self.text[start:self.found.start]
        if before.count("“") > before.count("”"):
            return start + before.rfind("“")
        if before.count('"') % 2 == 1:
            return start + before.rfind('"')
        return None

    def quoted(self) -> bool:
        """Is the current span inside quoted speech? Its "now" is the speaker's, not
        the publication's, so publication is no fallback anchor there."""
        return self.quote_start() is not None

    def future(self) -> bool:
        """Does the tense cue governing the current span point ahead?"""
        return bool(self.tense())

    def tense(self) -> bool | None:
        """True (a future cue governs the current span), False (a past cue) or None.

        Future cues ("akan", "will") and past cues ("mengatakan", "said", "sejak")
        both occur around reported dates. The nearest cue before the span, in its
        sentence, governs it; only without one does the nearest cue after it
        ("On Wednesday, the council will vote"). A trailing attribution
        (", kata Kremlin", ", officials said") thus does not override "akan".
        """
        if self.found is None:
            return None
        start, end = self.found.start, self.found.end
        text = self.text
        low = max(0, start - _CUE_BEFORE)
        for boundary in _SENTENCE_END.finditer(text, low, start):
            low = boundary.end()
        before = text[low:start]
        sentence_end = _SENTENCE_END.search(text, end, end + _CUE_AFTER)
        after = text[end:sentence_end.start() if sentence_end else end + _CUE_AFTER]
        cues = self.language.tense_cues
        found = cues.nearest(before.lower().split(), backwards=True)
        if found is None:
            found = cues.nearest(after.lower().split(), backwards=False)
        return found


# ------------------------------------------------------------------ slot readers

_DIGITS = re.compile(r"\d+")


def _int(text: str | None) -> int | None:
    if text is None:
        return None
    digits = _DIGITS.match(text)
    return int(digits.group(0)) if digits else None


def _year(text: str | None) -> int | None:
    y = _int(text)
    if y is None or text is None:
        return None
    if len(text.strip()) == 2:  # two-digit years: 00-49 -> 2000s
        y += 2000 if y < 50 else 1900
    return y


def _year_from_words(language: Language, text: str) -> int | None:
    """A year spelled out: "nineteen ninety-six" (19 * 100 + 90 + 6), "the year two
    thousand" (2000), "nineteen oh five" (1905)."""
    words = text.lower().replace("-", " ").split()
    if "thousand" in words:  # "two thousand (and) five"
        rest = words[words.index("thousand") + 1:]
        base = 2000
    else:
        base = language.lookup("year_word", words[0])
        if base is None:
            return None
        base *= 100
        rest = words[1:]
    total = 0
    for word in rest:
        if word == "and":
            continue
        value = language.lookup("year_word", word)
        if value is None:
            return None
        total += value
    return base + total


def _year_slot(slots: dict[str, str], language: Language | None = None) -> int | None:
    """The year of a date; a two-digit year closing a range ("1998-99") takes the
    century of the range's first year; a year may be spelled out."""
    if language is not None and slots.get("year_words"):
        return _year_from_words(language, slots["year_words"])
    year = _year(slots.get("year"))
    first = _int(slots.get("range_from"))
    if year is not None and first is not None and len(slots["year"].strip()) == 2:
        year = first // 100 * 100 + year % 100
        if year <= first:
            year += 100
    return year


_NUMBER = re.compile(r"(\d+(?:[.,]\d+)*)(?:\s+(\d)/(\d))?")


def _number(text: str, decimal_mark: str) -> float | None:
    """A written number in the language's own marks ("5,5" in Indonesian, "1,000"
    and "2 1/2" in English)."""
    match = _NUMBER.fullmatch(text.strip())
    if match is None:
        return None
    digits = match.group(1)
    thousands = "." if decimal_mark == "," else ","
    digits = digits.replace(thousands, "").replace(decimal_mark, ".")
    try:
        number = float(digits)
    except ValueError:
        return None
    if match.group(2) and int(match.group(3)):
        number += int(match.group(2)) / int(match.group(3))
    return number


def _count(ctx: Context, slots: dict[str, str]) -> int | float | str:
    text = slots.get("count")
    if text is None and "unit_many" in slots:  # "the coming years": some
        return "X"
    if text is None:  # "sehari" is one; a rule may say "weeks ago" is some
        count = ctx.rule.params.get("count", 1)
    elif text[0].isdigit():
        count = _number(text, ctx.language.decimal_mark)
        if count is None:
            return 1
    else:
        value = ctx.language.lookup("number", text)
        count = 1 if value is None else value
    if slots.get("and_half") is not None and count != "X":  # "an hour and a half"
        count += 0.5
    if isinstance(count, float) and count.is_integer():
        count = int(count)
    return count


def _lookup(ctx: Context, slots: dict[str, str], slot: str) -> Any:
    text = slots.get(slot)
    return None if text is None else ctx.language.lookup(slot, text)


def _month(ctx: Context, slots: dict[str, str]) -> int | None:
    text = slots.get("month")
    if text is None:
        return None
    return _int(text) if text[0].isdigit() else ctx.language.lookup("month", text)


def _part(ctx: Context, slots: dict[str, str]) -> str | None:
    return _lookup(ctx, slots, "part")


def _with_time(ctx: Context, slots: dict[str, str], base: str, part: str | None,
               result: Value) -> Value:
    """Add a clock time or part of day to a day value (making it a TIME)."""
    hour = _int(slots.get("hour"))  # "0300 GMT" fills hour and minute too
    if hour is not None:
        minute = _int(slots.get("minute")) or 0
        ampm = _lookup(ctx, slots, "ampm")
        if ampm is not None:
            hour = hour % 12 + ampm
        elif part is not None and hour < 12 and part in ctx.language.pm_parts \
                and not (part == "NI" and hour < 5):
            hour += 12
        zone = _lookup(ctx, slots, "zone")
        result.type = "TIME"
        result.value = f"{base}T{hour % 24:02d}:{minute:02d}"
        result.timezone = zone if zone and zone != "local" else None
    elif part is not None:
        result.type = "TIME"
        result.value = f"{base}T{part}"
    return result


# ------------------------------------------------------------------ kinds

def _nearest_year_with_weekday(published: date, month: int, day: int,
                               weekday: int) -> date | None:
    """The date nearest publication with this day and month on this weekday (the
    earlier of two as near)."""
    span = cal.WEEKDAY_CYCLE_YEARS
    candidates = cal.dates_on_weekday(month, day, weekday, published.year - span,
                                      published.year + span)
    return min(candidates, key=lambda d: (abs((d - published).days), d), default=None)


#: Without a tense cue, a date named without its year is the latest one on or
#: before publication (news reports what happened), unless the next one is this
#: close ahead: dates of the coming weeks (a meeting, a delivery month) are named
#: without a cue as often as past ones.
_AHEAD_WITHOUT_CUE_MONTHS = 3
#: Even in a past-tense sentence, a date named without its year is the next one
#: when that is this few days ahead: reports tell of coming deadlines in the past
#: tense ("the offer was extended to Nov. 16", "said it would pay on Dec. 7"),
#: while a date almost a year back would be given its year.
_AHEAD_DESPITE_PAST_DAYS = 42


def _day_month_in_direction(published: date, month: int, day: int,
                            future: bool | None, cued: bool = False) -> date | None:
    """A day and month named without a year: the latest on or before publication
    (past tense, unless the next is days ahead, `_AHEAD_DESPITE_PAST_DAYS`), the
    next on or after it (future tense); without a tense, the latest unless the
    next is near (`_AHEAD_WITHOUT_CUE_MONTHS`). A relative word ("lalu",
    "mendatang") is `future` without `cued`: it allows no exception."""
    if future is None or (future is False and cued):
        ahead = _day_month_in_direction(published, month, day, True)
        near = cal.shift(published, "M", _AHEAD_WITHOUT_CUE_MONTHS) if future is None else \
            published + timedelta(days=_AHEAD_DESPITE_PAST_DAYS)
        if ahead is not None and ahead <= near:
            return ahead
        return _day_month_in_direction(published, month, day, False)
    years = range(published.year, published.year + 9) if future else \
        range(published.year, published.year - 9, -1)
    for year in years:
        candidate = cal.safe_date(year, month, day)
        if candidate is None:
            continue
        if (candidate >= published) if future else (candidate <= published):
            return candidate
    return None


def _month_in_direction(published: date, month: int, rel: int | None,
                        future: bool | None) -> int:
    """The year of a month named without one: by its relative word, else by the
    tense, else the latest unless the next is near (`_AHEAD_WITHOUT_CUE_MONTHS`)."""
    current = (published.year, published.month)
    if rel == 0:
        return published.year
    if rel is None and future is None:
        ahead = (month - published.month) % 12
        if ahead <= _AHEAD_WITHOUT_CUE_MONTHS:
            return published.year + (1 if published.month + ahead > 12 else 0)
        future = False
    elif rel is None and future is False and month == published.month % 12 + 1:
        # the coming month, even in a past-tense sentence ("was put off to June")
        return published.year + (1 if month == 1 else 0)
    if rel == -1 or (rel is None and not future):
        strict = rel == -1
        year = published.year
        while (year, month) > current or (strict and (year, month) == current):
            year -= 1
        return year
    year = published.year  # rel == +1 or a future cue
    strict = rel == 1
    while (year, month) < current or (strict and (year, month) == current):
        year += 1
    return year


def _weekday_date(published: date, weekday: int, rel: int | None,
                  future: bool | None) -> date:
    """A weekday named alone: by its relative word, else the next on or after
    publication with a future cue, else the latest on or before it (news reports
    what happened; unlike a month, a weekday a few days ahead is named with a
    cue: "akan", "will", "as early as")."""
    if rel == 0:
        return published + timedelta(days=weekday - published.isoweekday())
    if rel == -1:
        return cal.weekday_on_or_before(published - timedelta(days=1), weekday)
    if rel == 1:  # "Senin depan", "next Monday": a later week's
        return cal.weekday_after(published, weekday)
    if future:  # the publication's own weekday is that day, whatever the tense
        return cal.weekday_after(published - timedelta(days=1), weekday)
    return cal.weekday_on_or_before(published, weekday)


def resolve_calendar(ctx: Context, slots: dict[str, str]) -> Value | None:
    """Dates named by their calendar parts, whole or partial: the workhorse kind."""
    published = ctx.published
    year = _year_slot(slots, ctx.language)
    month = _month(ctx, slots)
    day = _int(slots.get("day"))
    weekday = _lookup(ctx, slots, "weekday")
    part = _part(ctx, slots)
    rel = _lookup(ctx, slots, "rel")
    year_rel = _lookup(ctx, slots, "year_rel")
    week_rel = _lookup(ctx, slots, "week_rel")
    if month is not None and not 1 <= month <= 12:
        return None
    note = None
    confidence = 1.0

    if day is not None and month is not None:
        if year is not None:
            when = cal.safe_date(year, month, day)
            if when is None:
                return None
            anchor = "absolute"
            if weekday is not None and when.isoweekday() != weekday:
                note = (f"weekday {weekday} does not match {when.isoformat()} "
                        f"(weekday {when.isoweekday()})")
                confidence = 0.5
        elif published is None:
            if cal.safe_date(2000, month, day) is None:  # 2000 is a leap year
                return None
            return _with_time(ctx, slots, f"XXXX-{month:02d}-{day:02d}", part,
                              Value("DATE", f"XXXX-{month:02d}-{day:02d}", "none",
                                    weekday=weekday))
        elif weekday is not None:
            when = _nearest_year_with_weekday(published, month, day, weekday)
            if when is None:
                return None
            anchor = "published"
            default = _day_month_in_direction(published, month, day, ctx.tense(), cued=True)
            if default != when:
                confidence = 0.8
                note = f"year chosen so that the date falls on weekday {weekday}"
        elif rel == 0:  # "17 Agustus ini"
            when = cal.safe_date(published.year, month, day)
            if when is None:
                return None
            anchor = "published"
        else:  # "25 November mendatang" looks ahead, as does a future cue
            future = True if rel == 1 else (False if rel == -1 else ctx.tense())
            when = _day_month_in_direction(published, month, day, future, cued=rel is None)
            if when is None:
                return None
            anchor = "published"
        if ctx.rule.params.get("week_of"):  # "the week of March 6"
            return Value("DATE", cal.value_of(when, "W"), anchor, confidence, note=note)
        base = when.isoformat()
        return _with_time(ctx, slots, base, part,
                          Value("DATE", base, anchor, confidence, weekday=weekday, note=note))

    if month is not None:
        if year is not None:
            return Value("DATE", f"{year:04d}-{month:02d}", "absolute")
        if published is None:
            return Value("DATE", f"XXXX-{month:02d}", "none")
        if year_rel is not None:
            return Value("DATE", f"{published.year + year_rel:04d}-{month:02d}", "published")
        y = _month_in_direction(published, month, rel, ctx.tense())
        return Value("DATE", f"{y:04d}-{month:02d}", "published")

    if year is not None:
        return Value("DATE", f"{year:04d}", "absolute")

    if weekday is not None:
        if published is None:
            base = f"XXXX-WXX-{weekday}"
            return _with_time(ctx, slots, base, part, Value("DATE", base, "none", weekday=weekday))
        if week_rel is not None:  # "Rabu pekan depan": that weekday of the named week
            monday = cal.shift(published, "W", week_rel) - timedelta(
                days=published.isoweekday() - 1)
            when = monday + timedelta(days=weekday - 1)
        else:
            when = _weekday_date(published, weekday, rel, ctx.tense())
        return _with_time(ctx, slots, when.isoformat(), part,
                          Value("DATE", when.isoformat(), "published", weekday=weekday))

    if part is not None or slots.get("hour") is not None:
        # A time of day alone: the day the story is at (the latest date before
        # it), else publication; quoted speech has its own time.
        day_anchor = ctx.following_day or ctx.narrative_date()
        anchor = "narrative"
        if day_anchor is None and not ctx.quoted():
            day_anchor, anchor = published, "published"
        if day_anchor is None:
            return _with_time(ctx, slots, "XXXX-XX-XX", part, Value("TIME", "", "none"))
        return _with_time(ctx, slots, day_anchor.isoformat(), part,
                          Value("TIME", "", anchor,
                                anchored_on=day_anchor if anchor == "narrative" else None))
    return None


def resolve_deictic(ctx: Context, slots: dict[str, str]) -> Value | None:
    """Day words relative to publication ("kemarin", "sore hari ini"); a rule may
    fix the day ("dini hari tadi": today)."""
    entry = _lookup(ctx, slots, "deictic") or ctx.rule.params.get("deictic")
    if entry is None:
        return None
    part = _part(ctx, slots) or entry.get("part")
    if ctx.published is None:
        return _with_time(ctx, slots, "XXXX-XX-XX", part, Value("DATE", "XXXX-XX-XX", "none"))
    when = ctx.published + timedelta(days=entry["offset"])
    return _with_time(ctx, slots, when.isoformat(), part,
                      Value("DATE", when.isoformat(), "published"))


def _unit(ctx: Context, slots: dict[str, str]) -> str | None:
    for slot in ("period", "weekend", "unit", "unit_one"):
        value = _lookup(ctx, slots, slot)
        if value is not None:
            return value
    many = slots.get("unit_many")
    return None if many is None else ctx.language.lookup("unit", many)


def _period_value(day: date, unit: str, n: int) -> str:
    """The `unit` period `n` units away from the one holding `day`."""
    if unit in ("H", "MIN", "S"):
        unit, n = "D", 0  # "dua jam lalu": the day itself
    return cal.value_of(cal.shift(day, unit, n), unit)


def _weekend(published: date, future: bool) -> str:
    """A weekend named without direction: the latest begun, or the next to come."""
    if future:
        saturday = cal.weekday_after(published, 6)
    elif published.isoweekday() == 7:
        saturday = published - timedelta(days=1)
    else:
        saturday = cal.weekday_on_or_before(published, 6)
    return cal.value_of(saturday, "WE")


def resolve_relative(ctx: Context, slots: dict[str, str]) -> Value | None:
    """Periods and offsets relative to publication: "bulan lalu", "dua hari lalu"."""
    unit = _unit(ctx, slots)
    if unit is None:
        return None
    count = _count(ctx, slots)
    direction = _lookup(ctx, slots, "ago")
    if direction is None:
        direction = _lookup(ctx, slots, "rel")
    if direction is None:
        direction = ctx.rule.params.get("rel")
    if count == "X":
        return _vague_ref(ctx, "PAST_REF" if (direction or -1) < 0 else "FUTURE_REF")
    if ctx.published is None:
        return Value("DATE", _unknown_value(unit), "none")
    if direction is None:  # "akhir pekan", "the weekend"
        if unit != "WE":
            return None
        return Value("DATE", _weekend(ctx.published, ctx.future()), "published")
    if unit == "Y" and direction < 0 and count == 1 and (
            slots.get("ago") is not None or ctx.rule.params.get("comparison")):
        period = ctx.period()
        if period is not None and cal.granularity_of(period) in _REPORTING_PERIODS:
            period = ctx.period((cal.granularity_of(period),), latest_in_time=True) or period
            shifted = cal.shift_years(period, int(direction * count))
            return None if shifted is None else Value("DATE", shifted, "narrative",
                                                      comparison=True)
    return Value("DATE", _period_value(ctx.published, unit, int(direction * count)), "published")


def _unknown_value(unit: str) -> str:
    return {"D": "XXXX-XX-XX", "W": "XXXX-WXX", "WE": "XXXX-WXX-WE", "M": "XXXX-XX",
            "Q": "XXXX-QX", "Y": "XXXX", "DE": "XXX", "CE": "XX"}.get(unit, "XXXX-XX-XX")


def resolve_narrative(ctx: Context, slots: dict[str, str]) -> Value | None:
    """Days relative to the narrative date: "keesokan harinya", "two days later"."""
    weekday = _lookup(ctx, slots, "weekday")
    if weekday is not None:  # "the following Monday", "the previous Friday"
        return _narrative_weekday(ctx, slots, weekday)
    entry = _lookup(ctx, slots, "narrative")
    part = None
    unit: str | None
    if entry is not None:
        unit, n, part = "D", entry["offset"], entry.get("part")
    else:
        unit = _unit(ctx, slots)
        if unit is None:
            return None
        count = _count(ctx, slots)
        sign = _lookup(ctx, slots, "later") or _lookup(ctx, slots, "earlier") or 1
        if count == "X":
            if sign < 0:
                return _vague_ref(ctx, "PAST_REF", ctx.narrative_date())
            return Value("DATE", "XXXX-XX-XX", "none", note="vague offset")
        n = int(sign * count)
        period = ctx.period() if unit in ("Y", "M") else None
        granularity = cal.granularity_of(period) if period is not None else None
        if period is not None and granularity in _COARSE_PERIODS and (
                unit == "Y" or granularity == "month"):
            # The story is at a period, not a day: "setahun sebelumnya" after
            # "2012", "a year earlier" after a quarter, "that year", "the
            # following month" after "March".
            if n < 0:  # a comparison: back from the period reported on
                period = ctx.period((granularity,), latest_in_time=True) or period
            if unit == "Y" and n and granularity in _YEAR_SIZED:
                shifted = cal.shift_years(period, n)
                return None if shifted is None else Value("DATE", shifted, "narrative",
                                                          comparison=n < 0)
            first = cal.bounds(period)[0]
            return Value("DATE", _period_value(first, unit, n), "narrative", comparison=n < 0)
    anchor = ctx.narrative_date()
    if anchor is None:
        base = _unknown_value(unit)
        value = Value("DATE", base, "none", note="no earlier date in the text")
        return _with_time(ctx, slots, base, part, value)
    base = _period_value(anchor, unit, n)
    # Looking back ("sehari sebelumnya", "the day before") recalls an earlier day
    # in passing; the story stays where it was.
    return _with_time(ctx, slots, base, part, Value("DATE", base, "narrative", anchored_on=anchor,
                                                    comparison=n < 0))


def _narrative_weekday(ctx: Context, slots: dict[str, str], weekday: int) -> Value:
    """That weekday after (or before) the day the story is at, else publication."""
    anchor, how = ctx.narrative_date(), "narrative"
    if anchor is None and not ctx.quoted():
        anchor, how = ctx.published, "published"
    if anchor is None:
        base = f"XXXX-WXX-{weekday}"
        return _with_time(ctx, slots, base, _part(ctx, slots),
                          Value("DATE", base, "none", weekday=weekday))
    earlier = _lookup(ctx, slots, "earlier") is not None
    when = cal.weekday_on_or_before(anchor - timedelta(days=1), weekday) if earlier else \
        cal.weekday_after(anchor, weekday)
    return _with_time(ctx, slots, when.isoformat(), _part(ctx, slots),
                      Value("DATE", when.isoformat(), how, weekday=weekday, comparison=earlier,
                            anchored_on=anchor if how == "narrative" else None))


#: Periods a story can be at rather than at a day.
_COARSE_PERIODS = frozenset(("month", "quarter", "half", "season", "year"))
#: Periods that "N years earlier" shifts whole, keeping their size ("a year
#: earlier" than the third quarter is that quarter a year before).
_YEAR_SIZED = frozenset(("quarter", "half", "year"))
#: Periods a report compares with the same period a year ago ("sales rose 5%
#: in the third quarter from a year ago").
_REPORTING_PERIODS = frozenset(("quarter", "half"))

_DURATION_TIME_UNITS = {"H": "H", "MIN": "M", "S": "S"}


#: Units written as a multiple of another in a duration ("satu dekade" is P10Y).
_DURATION_MULTIPLES = {"Q": ("M", 3), "DE": ("Y", 10), "CE": ("Y", 100)}
#: The next smaller unit, for the fraction of a count ("5,5 tahun" is P5Y6M).
_SMALLER_UNIT = {"Y": ("M", 12), "M": ("D", 30), "W": ("D", 7), "D": ("H", 24),
                 "H": ("MIN", 60), "MIN": ("S", 60)}


def duration_value(count: int | float | str, unit: str) -> str:
    """The TIMEX3 value of a duration of `count` `unit`s, fractions carried into
    the next smaller unit. Quarters, decades and centuries are written in months and
    years ("three quarters" is P9M, "a decade" P10Y, "decades" PXY), as TimeML
    gold standards write them.

    >>> duration_value(5.5, "Y"), duration_value(0.5, "H"), duration_value("X", "DE")
    ('P5Y6M', 'PT30M', 'PXY')
    >>> duration_value(2, "DE"), duration_value(3, "Q")
    ('P20Y', 'P9M')
    """
    multiple = _DURATION_MULTIPLES.get(unit)
    if multiple is not None:
        unit = multiple[0]
        if count != "X":
            count = count * multiple[1]
    parts: list[tuple[int | str, str]]
    if count == "X" or isinstance(count, str):
        parts = [("X", unit)]
    else:
        whole = int(count)
        parts = [(whole, unit)] if whole else []
        fraction = count - whole
        if fraction and unit in _SMALLER_UNIT:
            smaller, per = _SMALLER_UNIT[unit]
            parts.append((round(fraction * per), smaller))
        elif fraction:
            parts = [(f"{count:g}", unit)]
    days = "".join(f"{n}{u}" for n, u in parts if u not in _DURATION_TIME_UNITS)
    time = "".join(f"{n}{_DURATION_TIME_UNITS[u]}" for n, u in parts if u in _DURATION_TIME_UNITS)
    return "P" + days + (f"T{time}" if time else "")


def resolve_duration(ctx: Context, slots: dict[str, str]) -> Value | None:
    """A length of time; counted from an event the text has just told ("tiga hari
    setelah serangan itu"), it also gives the day it reaches from the narrative date."""
    vague = _lookup(ctx, slots, "vague_duration")  # "sesaat", "bertahun-tahun", "a while"
    if vague is not None:
        return Value("DURATION", vague, "absolute")
    unit = _unit(ctx, slots)
    if unit is None:
        return None
    count = _count(ctx, slots)
    value = Value("DURATION", duration_value(count, unit), "absolute",
                  story_year=bool(ctx.rule.params.get("story_year")))
    relation = _lookup(ctx, slots, "relation")
    if relation is not None and slots.get("anaphor") is not None and isinstance(count, int):
        anchor = ctx.narrative_date()
        if anchor is not None:
            value.point = _period_value(anchor, unit, relation * count)
            value.anchor, value.anchored_on = "narrative", anchor
    return value


def _vague_ref(ctx: Context, ref: str, around: date | None = None) -> Value:
    point = around or ctx.published
    bounds = None
    if point is not None:
        bounds = {"PRESENT_REF": (point, point), "PAST_REF": (None, point),
                  "FUTURE_REF": (point, None)}[ref]
    return Value("DATE", ref, "published" if point else "none", bounds=bounds)


def resolve_ref(ctx: Context, slots: dict[str, str]) -> Value | None:
    ref = _lookup(ctx, slots, "ref") or _lookup(ctx, slots, "ref_at") or \
        _lookup(ctx, slots, "ref_initial") or _lookup(ctx, slots, "ref_adjective")
    return None if ref is None else _vague_ref(ctx, ref)


def resolve_set(ctx: Context, slots: dict[str, str]) -> Value | None:
    weekday = _lookup(ctx, slots, "weekday")
    if weekday is not None:
        part = _part(ctx, slots)
        return Value("SET", f"XXXX-WXX-{weekday}" + (f"T{part}" if part else ""), "absolute",
                     quant="EVERY", weekday=weekday)
    month = _month(ctx, slots)  # "each July"
    if month is not None and 1 <= month <= 12:
        return Value("SET", f"XXXX-{month:02d}", "absolute", quant="EVERY")
    unit = _lookup(ctx, slots, "set_adverb") or _lookup(ctx, slots, "set_unit") or \
        _unit(ctx, slots)
    if unit is None:
        return None
    if unit == "WE":
        return Value("SET", "XXXX-WXX-WE", "absolute", quant="EVERY")
    # "setiap 5 menit", "every two weeks": the period between recurrences
    return Value("SET", duration_value(_count(ctx, slots), unit), "absolute", quant="EVERY")


def _ordinal(ctx: Context, slots: dict[str, str], slot: str) -> int | None:
    text = slots.get(slot)
    if not text:
        return None
    if text[0].isdigit():
        return _int(text)
    return ctx.language.lookup("ordinal", text)


def _year_of_part(ctx: Context, slots: dict[str, str], first_day: Callable[[int], date],
                  last_day: Callable[[int], date]) -> tuple[int | None, str]:
    """The year of a quarter or season named without one."""
    year = _year_slot(slots, ctx.language)
    if year is not None:
        return year, "absolute"
    published = ctx.published
    if published is None:
        return None, "none"
    year_rel = _lookup(ctx, slots, "year_rel")
    if year_rel is not None:
        return published.year + year_rel, "published"
    rel = _lookup(ctx, slots, "rel")
    if rel == 0:
        for y in (published.year - 1, published.year):
            if first_day(y) <= published <= last_day(y):
                return y, "published"
        return published.year, "published"
    if rel == -1:
        y = published.year
        while last_day(y) >= published:
            y -= 1
        return y, "published"
    if rel == 1:
        y = published.year - 1
        while first_day(y) <= published:
            y += 1
        return y, "published"
    if rel is None and ctx.future():
        # the nearest: one under way, the next, or one just ended ("expects to
        # report third-quarter results" in November)
        def distance(y: int) -> int:
            first, last = first_day(y), last_day(y)
            return 0 if first <= published <= last else \
                min(abs((first - published).days), abs((published - last).days))
        return min(range(published.year - 1, published.year + 2),
                   key=lambda y: (distance(y), -y)), "published"
    y = published.year + 1  # the latest that has begun by publication
    while first_day(y) > published:
        y -= 1
    return y, "published"


def resolve_quarter(ctx: Context, slots: dict[str, str]) -> Value | None:
    """Quarters ("kuartal III 2020", "third-quarter") and halves ("paruh pertama
    tahun depan", "the second half of 1989")."""
    quarter = _ordinal(ctx, slots, "quarter")
    if quarter is not None:
        code, count = f"Q{quarter}", 4
    else:  # halves have their own words ("the last half")
        text = slots.get("half")
        quarter = _int(text) if text and text[0].isdigit() else _lookup(ctx, slots, "half")
        code, count = f"H{quarter}", 2
    if quarter is None or not 1 <= quarter <= count:
        return None
    year, anchor = _year_of_part(ctx, slots, lambda y: cal.bounds(f"{y:04d}-{code}")[0],
                                 lambda y: cal.bounds(f"{y:04d}-{code}")[1])
    shift = _lookup(ctx, slots, "year_shift")  # "the year-ago third quarter"
    if year is not None and shift:
        year += shift
    return Value("DATE", f"{'XXXX' if year is None else f'{year:04d}'}-{code}", anchor,
                 comparison=bool(shift))


#: What a period noun may refer back to: "the quarter" to a quarter, "the period"
#: to the latest period longer than a week the story is at.
_PERIOD_GRANULARITY = {"Q": ("quarter",), "H": ("half",), "M": ("month",), "Y": ("year",),
                       "P": ("month", "quarter", "half", "season", "year")}


def resolve_period_ref(ctx: Context, slots: dict[str, str]) -> Value | None:
    """A period named by reference to the one the story is at: "the quarter",
    "the latest period", "the year-ago quarter" (that quarter a year before),
    "the 1988 period" (that period in 1988), "periode yang sama tahun lalu".

    Without an earlier period in the text, a quarter (and "the latest period")
    is the latest one ended by publication and any other period the
    publication year."""
    unit = _lookup(ctx, slots, "period_noun") or ctx.rule.params.get("unit")
    if unit is None:
        return None
    year = _year(slots.get("year"))
    shift = _lookup(ctx, slots, "year_shift")
    latest = slots.get("latest") is not None and ctx.published is not None
    if _lookup(ctx, slots, "rel") == 0 and ctx.published is not None and unit in ("Q", "Y"):
        return Value("DATE", cal.value_of(ctx.published, unit), "published")  # "the current quarter"
    # "the 1988 period", "the year-ago quarter": a comparison with the period reported
    # on, of the size of the one named last; "the latest quarter": one that has ended
    granularities = _PERIOD_GRANULARITY.get(unit, _PERIOD_GRANULARITY["P"])
    if shift or year:
        named = ctx.period(granularities)
        named_granularity = None if named is None else cal.granularity_of(named)
        if named_granularity is not None:
            granularities = (named_granularity,)
    value = ctx.period(granularities, latest_in_time=bool(shift or year),
                       ended_by=ctx.published if latest else None)
    anchor = "narrative"
    if value is None:
        if ctx.published is None:
            return Value("DATE", {"Q": "XXXX-QX", "H": "XXXX-HX"}.get(unit, "XXXX"), "none")
        if unit == "Q" or latest:  # "the latest period": the quarter last reported
            value = cal.value_of(cal.shift(ctx.published, "Q", -1), "Q")
        elif unit == "H":
            value = cal.value_of_half(cal.shift(ctx.published, "M", -6))
        else:
            value = f"{ctx.published.year:04d}"
        anchor = "published"
    if year is not None and value is not None:
        value = cal.shift_years(value, year - int(value[:4]))
    if shift and value is not None:
        value = cal.shift_years(value, shift)
    return None if value is None else Value("DATE", value, anchor, comparison=bool(shift))


def resolve_season(ctx: Context, slots: dict[str, str]) -> Value | None:
    season = _lookup(ctx, slots, "season")
    if season is None:
        return None
    year, anchor = _year_of_part(ctx, slots, lambda y: cal.bounds(f"{y:04d}-{season}")[0],
                                 lambda y: cal.bounds(f"{y:04d}-{season}")[1])
    return Value("DATE", f"{'XXXX' if year is None else f'{year:04d}'}-{season}", anchor)


def resolve_fiscal(ctx: Context, slots: dict[str, str]) -> Value | None:
    """A fiscal year, written as its year (TimeML: "fiscal 1989" is 1989); its
    boundaries vary by country and company, so it carries no interval."""
    year = _year(slots.get("year"))
    note = "fiscal year: boundaries vary"
    if year is not None:
        return Value("DATE", f"{year:04d}", "absolute", bounds=(None, None), note=note)
    rel = _lookup(ctx, slots, "rel")
    if ctx.published is None or rel is None:
        return Value("DATE", "XXXX", "none", note=note)
    return Value("DATE", f"{ctx.published.year + rel:04d}", "published", bounds=(None, None),
                 note=note)


def resolve_decade(ctx: Context, slots: dict[str, str]) -> Value | None:
    decade = _int(slots.get("decade"))
    if decade is None:
        short = _int(slots.get("decade_short"))
        if short is None:  # "the nineties"
            short = _lookup(ctx, slots, "decade_word")
        if short is None:
            return None
        century = 20 if ctx.published and 2000 + short <= ctx.published.year else 19
        decade = century * 100 + short
    return Value("DATE", f"{decade // 10:03d}", "absolute")


def resolve_century(ctx: Context, slots: dict[str, str]) -> Value | None:
    century = _ordinal(ctx, slots, "century")
    if century is None or not 1 <= century <= 22:
        return None
    return Value("DATE", f"{century - 1:02d}", "absolute")


def resolve_hijri(ctx: Context, slots: dict[str, str]) -> Value | None:
    day = _int(slots.get("day"))
    month = _lookup(ctx, slots, "hijri_month")
    year = _int(slots.get("hijri_year"))
    if day is None or month is None or year is None:
        return None
    when = cal.hijri_to_gregorian(year, month, day)
    if when is None:
        return None
    return Value("DATE", when.isoformat(), "absolute", note=f"Hijri {year}-{month:02d}-{day:02d}")


def _occurrence(published: date, code: str, rel: int | None, year_rel: int | None,
                future: bool | None) -> tuple[date, date] | None:
    """Which occurrence of a yearly holiday a text means, as for a month: by its
    relative word, else by the tense, else the latest unless the next is near."""
    spans = [span for year in range(published.year - 2, published.year + 3)
             for span in cal.holiday_spans(code, year)]
    if year_rel is not None:
        spans = [s for s in spans if s[0].year == published.year + year_rel]
        return spans[0] if spans else None
    if rel == 0:
        spans = [s for s in spans if s[0].year == published.year]
        return spans[0] if spans else None
    past = [s for s in spans if s[0] < published or (rel != -1 and s[0] <= published <= s[1])]
    ahead = [s for s in spans if s[0] > published or (rel is None and s[0] == published)]
    latest, following = (past[-1] if past else None), (ahead[0] if ahead else None)
    if rel == 1 or (rel is None and future):
        return following
    if rel == -1 or future is False or following is None:
        return latest
    near = following[0] <= cal.shift(published, "M", _AHEAD_WITHOUT_CUE_MONTHS)
    return following if near or latest is None else latest


def resolve_holiday(ctx: Context, slots: dict[str, str]) -> Value | None:
    """A holiday by name ("Natal", "Idul Fitri 2020", "last Thanksgiving"): its
    day, computed from its calendar (Gregorian, Easter, Hijri, Chinese), or, for
    a holiday lasting a month (Ramadan), its span."""
    code = _lookup(ctx, slots, "holiday")
    if code is None:
        return None
    code, _, part = code.partition("T")
    year = _year_slot(slots)
    published = ctx.published
    if year is not None:
        spans = cal.holiday_spans(code, year)
        span, anchor = (spans[0] if spans else None), "absolute"
    elif published is None:
        fixed = cal.holiday_fixed(code)
        base = f"XXXX-{fixed[0]:02d}-{fixed[1]:02d}" if fixed else "XXXX-XX-XX"
        return _with_time(ctx, slots, base, part or None, Value("DATE", base, "none"))
    else:
        span = _occurrence(published, code, _lookup(ctx, slots, "rel"),
                           _lookup(ctx, slots, "year_rel"), ctx.tense())
        anchor = "published"
    if span is None:
        return None
    first, last = span
    if first != last:  # a month-long holiday: its year, narrowed to its days
        return Value("DATE", f"{first.year:04d}", anchor, bounds=(first, last),
                     note=f"{code} from {first.isoformat()} to {last.isoformat()}")
    return _with_time(ctx, slots, first.isoformat(), part or None,
                      Value("DATE", first.isoformat(), anchor))


def resolve_not_temporal(ctx: Context, slots: dict[str, str]) -> Value | None:
    """A span that looks temporal but is not: a rate ("$500 million a year",
    "barel per hari"). Matching it keeps the shorter look-alike inside it ("a
    year") from being tagged."""
    return None


Resolver = Callable[[Context, dict[str, str]], "Value | None"]

#: The resolver of each kind of value, bound by the kind's name. The kinds, with
#: the slots each reads, are declared in timeline/lang/kinds.toml; a test checks
#: that every kind has exactly one resolver here and every resolver a kind.
RESOLVERS: dict[str, Resolver] = {
    "calendar": resolve_calendar,
    "deictic": resolve_deictic,
    "relative": resolve_relative,
    "narrative": resolve_narrative,
    "duration": resolve_duration,
    "ref": resolve_ref,
    "set": resolve_set,
    "quarter": resolve_quarter,
    "period_ref": resolve_period_ref,
    "season": resolve_season,
    "fiscal": resolve_fiscal,
    "decade": resolve_decade,
    "century": resolve_century,
    "hijri": resolve_hijri,
    "holiday": resolve_holiday,
    "not_temporal": resolve_not_temporal,
}


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
    for i, item in enumerate(found):
        ctx.following_day = _following_day(ctx, found, i) if i < last and \
            item.rule.kind == "calendar" and item.slots.keys().isdisjoint(_DAY_SLOTS) else None
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
        if value.story_year:
            _story_at_year(ctx, item.start)
        if timex.anchor == "none" or timex.earliest is None or value.comparison:
            continue
        granularity = timex.granularity
        if granularity == "day" or granularity == "time":
            ctx.narrative = (timex.earliest, item.start)
            if period_end >= 0 and language.period_end_re is not None and \
                    language.period_end_re.fullmatch(text, period_end, item.start):
                continue  # "the quarter ended Sept. 30": the story stays at the quarter
        if granularity in _COARSE_PERIODS:
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
                if granularity in _REPORTING_PERIODS else timex.earliest <= published)
            if reported and (peak is None or timex.earliest >= cal.bounds(peak[0])[0]):
                ctx.period_peaks[granularity] = period
    return timexes


def _story_at_year(ctx: Context, offset: int) -> None:
    """A report now at a part of a year ("the first nine months"): the story is
    at that year, the one of the quarter or half reported on, else of publication."""
    reported = [ctx.period_peaks[g][0] for g in _REPORTING_PERIODS if g in ctx.period_peaks]
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


def _following_day(ctx: Context, found: list[Found], i: int) -> date | None:
    """The day of the date right after a time of day that has none of its own."""
    item = found[i]
    following = found[i + 1]
    if not _ADJACENT.fullmatch(ctx.text, item.end, following.start):
        return None
    ctx.found = following
    value = RESOLVERS[following.rule.kind](ctx, following.slots)
    if value is None or value.anchor == "none" or \
            cal.granularity_of(value.value.split("T", 1)[0]) != "day":
        return None
    return date.fromisoformat(value.value.split("T", 1)[0])


#: Granularities of the values a story can be at ("a year earlier" counts from).
_PERIOD_GRANULARITIES = frozenset(
    ("day", "time", "week", "weekend", "month", "quarter", "half", "season", "year"))
