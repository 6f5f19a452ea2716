"""Resolving found expressions to TIMEX3 values against their anchors.

Each rule names the `kind` of value it builds; each kind is one function here.
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
from typing import Any

from timeline.lang import Language
from timeline.limits import warn
from timeline.temporal import calendar as cal
from timeline.temporal.extract import Found
from timeline.types import Timex

#: Words searched for tense cues: this many characters around the span, within
#: its sentence.
_CUE_BEFORE = 60
_CUE_AFTER = 50
_SENTENCE_ENDS = ".!?;\n"


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


@dataclass
class Context:
    """What one text's expressions are resolved against."""

    text: str
    language: Language
    published: date | None
    paragraph_starts: list[int]
    #: (date, offset) of the latest day-precise date seen.
    narrative: tuple[date, int] | None = None
    found: Found | None = field(default=None)

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
        """Does the tense cue governing the current span point ahead?

        Future cues ("akan", "will") and past cues ("mengatakan", "said") both
        occur around reported dates. The nearest cue before the span, in its
        sentence, governs it; only without one does the nearest cue after it
        ("On Wednesday, the council will vote"). A trailing attribution
        (", kata Kremlin", ", officials said") thus does not override "akan".
        """
        if self.found is None:
            return False
        start, end = self.found.start, self.found.end
        before = self.text[max(0, start - _CUE_BEFORE):start]
        cut = max(before.rfind(c) for c in _SENTENCE_ENDS)
        if cut >= 0:
            before = before[cut + 1:]
        after = self.text[end:end + _CUE_AFTER]
        cut = min((i for i in (after.find(c) for c in _SENTENCE_ENDS) if i >= 0), default=-1)
        if cut >= 0:
            after = after[:cut]
        cues = self.language.tense_cues
        found = cues.nearest(reversed(before.lower().split()), backwards=True)
        if found is None:
            found = cues.nearest(after.lower().split(), backwards=False)
        return bool(found)


# ------------------------------------------------------------------ slot readers

_DIGITS = re.compile(r"\d+")


def _int(text: str | None) -> int | None:
    if text is None:
        return None
    digits = _DIGITS.match(text)
    return int(digits.group(0)) if digits else None


def _year(text: str | None) -> int | None:
    y = _int(text)
    if y is None:
        return None
    if len(text.strip()) == 2:  # two-digit years: 00-49 -> 2000s
        y += 2000 if y < 50 else 1900
    return y


def _count(ctx: Context, slots: dict[str, str]) -> int | float | str:
    text = slots.get("count")
    if text is None:  # "sehari" is one; a rule may say "weeks ago" is some
        return ctx.found.rule.params.get("count", 1)
    if text[0].isdigit():
        number = float(text.replace(",", "."))
        return int(number) if number.is_integer() else number
    value = ctx.language.lookup("number", text)
    return 1 if value is None else value


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


def _day_month_in_direction(published: date, month: int, day: int,
                            future: bool) -> date | None:
    """The latest (month, day) on or before publication, or the next one on or after."""
    years = range(published.year, published.year + 9) if future else \
        range(published.year, published.year - 9, -1)
    for year in years:
        candidate = cal.safe_date(year, month, day)
        if candidate is None:
            continue
        if (candidate >= published) if future else (candidate <= published):
            return candidate
    return None


def _month_in_direction(published: date, month: int, rel: int | None, future: bool) -> int:
    """The year of a month named without one."""
    current = (published.year, published.month)
    if rel == 0:
        return published.year
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


def _weekday_date(published: date, weekday: int, rel: int | None, future: bool) -> date:
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
    year = _year(slots.get("year"))
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
            default = _day_month_in_direction(published, month, day, ctx.future())
            if default != when:
                confidence = 0.8
                note = f"year chosen so that the date falls on weekday {weekday}"
        elif rel == 0:  # "17 Agustus ini"
            when = cal.safe_date(published.year, month, day)
            if when is None:
                return None
            anchor = "published"
        else:  # "25 November mendatang" looks ahead, as does a future cue
            future = rel == 1 or (rel is None and ctx.future())
            when = _day_month_in_direction(published, month, day, future)
            if when is None:
                return None
            anchor = "published"
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
        y = _month_in_direction(published, month, rel, ctx.future())
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
            when = _weekday_date(published, weekday, rel, ctx.future())
        return _with_time(ctx, slots, when.isoformat(), part,
                          Value("DATE", when.isoformat(), "published", weekday=weekday))

    if part is not None or slots.get("hour") is not None:
        # A time of day alone: the narrative day, else (for clock times) publication.
        day_anchor = ctx.narrative_date(same_paragraph=True)
        anchor = "narrative"
        if day_anchor is None and ctx.found.rule.params.get("fallback_anchor") == "published" \
                and not ctx.quoted():
            day_anchor, anchor = published, "published"
        if day_anchor is None:
            return _with_time(ctx, slots, "XXXX-XX-XX", part, Value("TIME", "", "none"))
        return _with_time(ctx, slots, day_anchor.isoformat(), part,
                          Value("TIME", "", anchor,
                                anchored_on=day_anchor if anchor == "narrative" else None))
    return None


def resolve_deictic(ctx: Context, slots: dict[str, str]) -> Value | None:
    entry = _lookup(ctx, slots, "deictic")
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
    return None


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
        direction = ctx.found.rule.params.get("rel")
    if count == "X":
        return _vague_ref(ctx, "PAST_REF" if (direction or -1) < 0 else "FUTURE_REF")
    if ctx.published is None:
        return Value("DATE", _unknown_value(unit), "none")
    if direction is None:  # "akhir pekan", "the weekend"
        if unit != "WE":
            return None
        return Value("DATE", _weekend(ctx.published, ctx.future()), "published")
    return Value("DATE", _period_value(ctx.published, unit, int(direction * count)), "published")


def _unknown_value(unit: str) -> str:
    return {"D": "XXXX-XX-XX", "W": "XXXX-WXX", "WE": "XXXX-WXX-WE", "M": "XXXX-XX",
            "Q": "XXXX-QX", "Y": "XXXX", "DE": "XXX", "CE": "XX"}.get(unit, "XXXX-XX-XX")


def resolve_narrative(ctx: Context, slots: dict[str, str]) -> Value | None:
    """Days relative to the narrative date: "keesokan harinya", "two days later"."""
    entry = _lookup(ctx, slots, "narrative")
    part = None
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
    anchor = ctx.narrative_date()
    if anchor is None:
        base = _unknown_value(unit)
        value = Value("DATE", base, "none", note="no earlier date in the text")
        return _with_time(ctx, slots, base, part, value)
    base = _period_value(anchor, unit, n)
    return _with_time(ctx, slots, base, part, Value("DATE", base, "narrative", anchored_on=anchor))


_DURATION_TIME_UNITS = {"H": "H", "MIN": "M", "S": "S"}


def resolve_duration(ctx: Context, slots: dict[str, str]) -> Value | None:
    """A length of time; counted from an event the text has just told ("tiga hari
    setelah serangan itu"), it also gives the day it reaches from the narrative date."""
    unit = _unit(ctx, slots)
    if unit is None:
        return None
    count = _count(ctx, slots)
    amount = "X" if count == "X" else (f"{count:g}" if isinstance(count, float) else str(count))
    if unit in _DURATION_TIME_UNITS:
        value = Value("DURATION", f"PT{amount}{_DURATION_TIME_UNITS[unit]}", "absolute")
    else:
        value = Value("DURATION", f"P{amount}{unit}", "absolute")
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
    ref = _lookup(ctx, slots, "ref") or _lookup(ctx, slots, "ref_at")
    return None if ref is None else _vague_ref(ctx, ref)


def resolve_set(ctx: Context, slots: dict[str, str]) -> Value | None:
    weekday = _lookup(ctx, slots, "weekday")
    if weekday is not None:
        part = _part(ctx, slots)
        return Value("SET", f"XXXX-WXX-{weekday}" + (f"T{part}" if part else ""), "absolute",
                     quant="EVERY", weekday=weekday)
    unit = _lookup(ctx, slots, "set_adverb") or _unit(ctx, slots)
    if unit is None:
        return None
    if unit == "WE":
        return Value("SET", "XXXX-WXX-WE", "absolute", quant="EVERY")
    if unit in _DURATION_TIME_UNITS:
        return Value("SET", f"PT1{_DURATION_TIME_UNITS[unit]}", "absolute", quant="EVERY")
    return Value("SET", f"P1{unit}", "absolute", quant="EVERY")


def _ordinal(ctx: Context, slots: dict[str, str], slot: str) -> int | None:
    text = slots.get(slot)
    if text is None:
        return None
    if text[0].isdigit():
        return _int(text)
    return ctx.language.lookup("ordinal", text)


def _year_of_part(ctx: Context, slots: dict[str, str], first_day: Callable[[int], date],
                  last_day: Callable[[int], date]) -> tuple[int | None, str]:
    """The year of a quarter or season named without one."""
    year = _year(slots.get("year"))
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
    if rel == 1 or (rel is None and ctx.future()):
        y = published.year - 1
        while first_day(y) <= published:
            y += 1
        return y, "published"
    y = published.year + 1  # the latest that has begun by publication
    while first_day(y) > published:
        y -= 1
    return y, "published"


def resolve_quarter(ctx: Context, slots: dict[str, str]) -> Value | None:
    quarter = _ordinal(ctx, slots, "quarter")
    if quarter is None or not 1 <= quarter <= 4:
        return None
    year, anchor = _year_of_part(ctx, slots, lambda y: date(y, 3 * quarter - 2, 1),
                                 lambda y: cal.interval(f"{y:04d}-Q{quarter}")[1])
    return Value("DATE", f"{'XXXX' if year is None else f'{year:04d}'}-Q{quarter}", anchor)


def resolve_season(ctx: Context, slots: dict[str, str]) -> Value | None:
    season = _lookup(ctx, slots, "season")
    if season is None:
        return None
    year, anchor = _year_of_part(ctx, slots, lambda y: cal.interval(f"{y:04d}-{season}")[0],
                                 lambda y: cal.interval(f"{y:04d}-{season}")[1])
    return Value("DATE", f"{'XXXX' if year is None else f'{year:04d}'}-{season}", anchor)


def resolve_fiscal(ctx: Context, slots: dict[str, str]) -> Value | None:
    year = _year(slots.get("year"))
    if year is not None:
        return Value("DATE", f"FY{year:04d}", "absolute", bounds=(None, None),
                     note="fiscal year boundaries vary")
    rel = _lookup(ctx, slots, "rel")
    if ctx.published is None or rel is None:
        return Value("DATE", "FYXXXX", "none")
    return Value("DATE", f"FY{ctx.published.year + rel:04d}", "published", bounds=(None, None),
                 note="fiscal year boundaries vary")


def resolve_decade(ctx: Context, slots: dict[str, str]) -> Value | None:
    decade = _int(slots.get("decade"))
    if decade is None:
        short = _int(slots.get("decade_short"))
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
    if None in (day, month, year):
        return None
    when = cal.hijri_to_gregorian(year, month, day)
    if when is None:
        return None
    return Value("DATE", when.isoformat(), "absolute", note=f"Hijri {year}-{month:02d}-{day:02d}")


Resolver = Callable[[Context, dict[str, str]], "Value | None"]


@dataclass(frozen=True)
class Kind:
    """A kind of value: the function that builds it and the slots it reads.

    ``slots`` maps each slot (a named group of a rule's pattern, or a fixed value
    the rule sets) to the lexicon its text is looked up in (``None``: read as
    digits or not looked up). ``needs`` lists groups of slots of which a rule of
    this kind must have at least one each. The language loader checks every rule
    against this, so a misspelt group fails when the file is loaded.
    """

    resolve: Resolver
    slots: dict[str, str | None]
    needs: tuple[frozenset[str], ...] = ()


#: Slots whose text may be digits instead of a word of their lexicon.
NUMERIC_SLOTS = frozenset({"year", "month", "day", "hour", "minute", "count", "quarter",
                           "century", "decade", "decade_short", "hijri_year"})

_TIME_SLOTS: dict[str, str | None] = {"part": "part", "hour": None, "minute": None,
                                      "ampm": "ampm", "zone": "zone"}
_UNIT_SLOTS: dict[str, str | None] = {"period": "period", "weekend": "weekend", "unit": "unit",
                                      "unit_one": "unit_one"}
_ANY_UNIT = frozenset(_UNIT_SLOTS)

KINDS: dict[str, Kind] = {
    "calendar": Kind(resolve_calendar, {
        "year": None, "month": "month", "day": None, "weekday": "weekday", "rel": "rel",
        "year_rel": "rel", "week_rel": "rel", **_TIME_SLOTS},
        (frozenset({"year", "month", "day", "weekday", "part", "hour"}),)),
    "deictic": Kind(resolve_deictic, {"deictic": "deictic", **_TIME_SLOTS},
                    (frozenset({"deictic"}),)),
    "relative": Kind(resolve_relative, {**_UNIT_SLOTS, "count": "number", "ago": "ago",
                                        "rel": "rel"}, (_ANY_UNIT,)),
    "narrative": Kind(resolve_narrative, {
        "narrative": "narrative", **_UNIT_SLOTS, "count": "number", "later": "later",
        "earlier": "earlier", **_TIME_SLOTS}, (frozenset({"narrative", *_ANY_UNIT}),)),
    "duration": Kind(resolve_duration, {**_UNIT_SLOTS, "count": "number",
                                        "relation": "relation", "anaphor": "anaphor"},
                     (_ANY_UNIT,)),
    "ref": Kind(resolve_ref, {"ref": "ref", "ref_at": "ref_at"},
                (frozenset({"ref", "ref_at"}),)),
    "set": Kind(resolve_set, {
        "every": "every", "weekday": "weekday", "part": "part", "set_adverb": "set_adverb",
        **_UNIT_SLOTS}, (frozenset({"weekday", "set_adverb", *_ANY_UNIT}),)),
    "quarter": Kind(resolve_quarter, {"quarter": "ordinal", "year": None, "year_rel": "rel",
                                      "rel": "rel"}, (frozenset({"quarter"}),)),
    "season": Kind(resolve_season, {"season": "season", "year": None, "year_rel": "rel",
                                    "rel": "rel"}, (frozenset({"season"}),)),
    "fiscal": Kind(resolve_fiscal, {"fiscal": "fiscal", "year": None, "rel": "rel"},
                   (frozenset({"year", "rel"}),)),
    "decade": Kind(resolve_decade, {"decade": None, "decade_short": None},
                   (frozenset({"decade", "decade_short"}),)),
    "century": Kind(resolve_century, {"century": "ordinal"}, (frozenset({"century"}),)),
    "hijri": Kind(resolve_hijri, {"day": None, "hijri_month": "hijri_month",
                                  "hijri_year": None},
                  (frozenset({"day"}), frozenset({"hijri_month"}), frozenset({"hijri_year"}))),
}


@functools.lru_cache(maxsize=8192)
def _extent(value: str, type_: str, mod: str | None) -> tuple[str | None, str | None, str | None]:
    """(granularity, earliest, latest) of a DATE or TIME value narrowed by `mod`."""
    granularity = "time" if type_ == "TIME" else cal.granularity_of(value)
    bounds = cal.interval(value.split("T", 1)[0])
    if bounds is None:
        return ("vague" if value.endswith("_REF") else granularity), None, None
    first, last = cal.narrow(bounds, mod)
    return granularity, first.isoformat(), last.isoformat()


def to_timex(found: Found, value: Value, text: str, lang: str) -> Timex:
    """Attach the span, mod and interval to a resolved value."""
    granularity = None
    earliest = latest = None
    if value.point is not None:
        granularity, earliest, latest = _extent(value.point, "DATE", None)
    elif value.type in ("DATE", "TIME"):
        if value.bounds is not None:
            granularity = "vague" if value.value.endswith("_REF") else \
                cal.granularity_of(value.value)
            first, last = value.bounds
            earliest = first.isoformat() if first else None
            latest = last.isoformat() if last else None
        else:
            granularity, earliest, latest = _extent(
                value.value, value.type, None if found.mod_outside else found.mod)
    mod = found.mod
    if found.mod_outside and value.type not in ("DATE", "TIME"):
        mod = None  # "after six hours": the preposition relates an event, not the length
    return Timex(
        start=found.start, end=found.end, text=text[found.start:found.end], type=value.type,
        value=value.value, earliest=earliest, latest=latest, anchor=value.anchor,
        mod=mod, granularity=granularity, lang=lang, rule=found.rule.name,
        confidence=value.confidence, weekday=value.weekday, timezone=value.timezone,
        quant=value.quant, freq=value.freq, note=value.note,
        anchored_on=value.anchored_on.isoformat() if value.anchored_on else None,
        point=value.point,
    )


def resolve_all(found: list[Found], text: str, language: Language,
                published: date | None) -> list[Timex]:
    """Resolve expressions in text order, carrying the narrative date forward."""
    paragraph_starts = [m.end() for m in re.finditer(r"\n", text)]
    ctx = Context(text, language, published, paragraph_starts)
    timexes = []
    for item in found:
        ctx.found = item
        try:
            value = KINDS[item.rule.kind].resolve(ctx, item.slots)
            if value is None or not value.value:
                continue
            timex = to_timex(item, value, text, language.code)
        except Exception as exc:  # one bad expression is dropped, not its document
            warn(f"expression {text[item.start:item.end][:80]!r} dropped (rule "
                 f"{item.rule.name}): {type(exc).__name__}: {exc}")
            continue
        timexes.append(timex)
        if timex.granularity in ("day", "time") and timex.anchor != "none" and \
                timex.earliest is not None and timex.earliest == timex.latest:
            # the day the story is at, for the narrative expressions after it
            ctx.narrative = (date.fromisoformat(timex.earliest), item.start)
    return timexes
