"""The resolvers: one function per kind of value, bound to the kind by name.

Each rule names the `kind` of value it builds; the kinds, and the slots each
reads, are declared in timeline/lang/kinds.toml. ``resolve_<kind>(ctx, slots)``
builds the value from the rule's slots against the context (publication date,
tense, narrative date, periods the story is at), or None when the slots make no
date. :data:`RESOLVERS` binds each kind to its resolver.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from timeline.temporal import calendar as cal
from timeline.temporal.context import COARSE_PERIODS, REPORTING_PERIODS, Context, Value
from timeline.temporal.durations import duration_value
from timeline.temporal.occurrence import (
    day_in_month,
    day_month_in_direction,
    holiday_occurrence,
    in_story_year,
    month_in_direction,
    nearest_year_with_weekday,
    weekday_date,
    weekend_in_direction,
)
from timeline.temporal.slots import (
    check_year_read,
    read_count,
    read_date_year,
    read_int,
    read_month,
    read_ordinal,
    read_part,
    read_slot,
    read_unit,
    read_year,
    with_time,
)


def resolve_calendar(ctx: Context, slots: dict[str, str]) -> Value | None:
    """Dates named by their calendar parts, whole or partial: the workhorse kind."""
    published = ctx.published
    year = read_date_year(slots, ctx.language)
    month = read_month(ctx, slots)
    day = read_int(slots.get("day"))
    weekday = read_slot(ctx, slots, "weekday")
    part = read_part(ctx, slots)
    rel = read_slot(ctx, slots, "rel")
    year_rel = read_slot(ctx, slots, "year_rel")
    week_rel = read_slot(ctx, slots, "week_rel")
    if month is not None and not 1 <= month <= 12:
        return None
    if month is not None and year is None:
        check_year_read(ctx)  # a year in the text the rule did not read: not another's
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
            return with_time(ctx, slots, f"XXXX-{month:02d}-{day:02d}", part,
                             Value("DATE", f"XXXX-{month:02d}-{day:02d}", "none",
                                   weekday=weekday))
        elif weekday is not None:
            when = nearest_year_with_weekday(published, month, day, weekday)
            if when is None:
                return None
            anchor = "published"
            default = day_month_in_direction(published, month, day, ctx.tense(), cued=True)
            if default != when:
                confidence = 0.8
                note = f"year chosen so that the date falls on weekday {weekday}"
        elif rel == 0:  # "17 Agustus ini"
            when = cal.safe_date(published.year, month, day)
            if when is None:
                return None
            anchor = "published"
        else:  # "25 November mendatang" looks ahead, as does a future cue
            tense, by_verb = ctx.tense_cue()
            future = True if rel == 1 else (False if rel == -1 else tense)
            # a relative word, or the tense of the verb itself ("acabó el 14 de
            # enero"), allows no exception
            when = day_month_in_direction(published, month, day, future,
                                          cued=rel is None and not by_verb)
            if rel is None and tense is None:  # in a text about a named year, that year's
                when = in_story_year(when, ctx.story_year, published,
                                     lambda y: cal.safe_date(y, month, day))
            if rel is None and when is not None and ctx.range_start is not None and \
                    when < ctx.range_start:  # "28 December-3 January": on or after its start
                when = ctx.range_end(when, day_month_in_direction(ctx.range_start, month, day,
                                                                  True))
            if when is None:
                return None
            anchor = "published"
        if ctx.rule.params.get("week_of"):  # "the week of March 6"
            return Value("DATE", cal.value_of(when, "W"), anchor, confidence, note=note)
        base = when.isoformat()
        return with_time(ctx, slots, base, part,
                         Value("DATE", base, anchor, confidence, weekday=weekday, note=note))

    if day is not None and month is None and year is None and weekday is None:
        return _day_of_month(ctx, slots, day, rel, part)

    if month is not None:
        if year is not None:
            return Value("DATE", f"{year:04d}-{month:02d}", "absolute")
        if published is None:
            return Value("DATE", f"XXXX-{month:02d}", "none")
        if ctx.rule.params.get("that_year"):  # "marzo di quell'anno"
            period = ctx.period()
            if period is not None and period[:4].isdigit():
                return Value("DATE", f"{period[:4]}-{month:02d}", "narrative")
            return Value("DATE", f"{published.year:04d}-{month:02d}", "published")
        if year_rel is not None:
            return Value("DATE", f"{published.year + year_rel:04d}-{month:02d}", "published")
        named = ctx.month_in_sentence() if rel is None else None
        if named is not None:  # "en octubre de 2011 ... en diciembre": that year's
            y = min((named[0] - 1, named[0], named[0] + 1),
                    key=lambda y: abs((y - named[0]) * 12 + month - named[1]))
            return Value("DATE", f"{y:04d}-{month:02d}", "narrative")
        tense, by_verb = ctx.tense_cue()
        y = month_in_direction(published, month, rel, tense, definite=by_verb)
        if rel is None and tense is None:  # in a text about a named year, that year's
            story = in_story_year(date(y, month, 1), ctx.story_year, published,
                                  lambda y: date(y, month, 1))
            y = y if story is None else story.year
        start = ctx.range_start
        if rel is None and start is not None and (y, month) < (start.year, start.month):
            y = start.year + (month < start.month)  # "de octubre a enero": on or after
        return Value("DATE", f"{y:04d}-{month:02d}", "published")

    if year is not None:
        return Value("DATE", f"{year:04d}", "absolute")

    if weekday is not None:
        if published is None:
            base = f"XXXX-WXX-{weekday}"
            return with_time(ctx, slots, base, part, Value("DATE", base, "none", weekday=weekday))
        if week_rel is not None:  # "Rabu pekan depan": that weekday of the named week
            monday = cal.shift(published, "W", week_rel) - timedelta(
                days=published.isoweekday() - 1)
            when = monday + timedelta(days=weekday - 1)
        else:
            when = weekday_date(published, weekday, rel, ctx.tense(),
                                nearest=bool(ctx.rule.params.get("nearest")))
            if rel is None and ctx.range_start is not None and when < ctx.range_start:
                # "from Monday to Wednesday": on or after its start
                when = ctx.range_end(when, cal.weekday_after(ctx.range_start, weekday))
        return with_time(ctx, slots, when.isoformat(), part,
                         Value("DATE", when.isoformat(), "published", weekday=weekday))

    if part is not None or slots.get("hour") is not None:
        # A time of day alone: the day the story is at (Context.story_day).
        day_anchor, how = ctx.story_day()
        if day_anchor is None:
            return with_time(ctx, slots, "XXXX-XX-XX", part, Value("TIME", "", "none"))
        # a clock time in a quotation borrows the day told outside it: the
        # quotation's own story does not move to that day (a comparison's flag)
        return with_time(ctx, slots, day_anchor.isoformat(), part, Value(
            "TIME", "", "published" if how == "published" else "narrative",
            anchored_on=None if how == "published" else day_anchor,
            comparison=how == "quoted"))
    return None


def _day_of_month(ctx: Context, slots: dict[str, str], day: int, rel: int | None,
                  part: str | None) -> Value | None:
    """A day of the month alone ("Le 31, l'Otan ...", "el pasado día 15"): in the
    story, the first such day on or after the day it is at; else the latest on or
    before publication (the next with a future cue or "próximo")."""
    if not 1 <= day <= 31:
        return None
    story = ctx.narrative_date() if rel is None else None
    if story is not None:
        start, after, how = story, True, "narrative"
    elif ctx.published is not None:
        future = rel == 1 or (rel is None and ctx.future())
        start, after, how = ctx.published, future, "published"
    else:
        base = f"XXXX-XX-{day:02d}"
        return with_time(ctx, slots, base, part, Value("DATE", base, "none"))
    when = day_in_month(start, day, after)
    if when is None:
        return None
    return with_time(ctx, slots, when.isoformat(), part,
                     Value("DATE", when.isoformat(), how, anchored_on=story))


def resolve_deictic(ctx: Context, slots: dict[str, str]) -> Value | None:
    """Day words relative to publication ("kemarin", "sore hari ini"); a rule may
    fix the day ("dini hari tadi": today)."""
    entry = read_slot(ctx, slots, "deictic") or ctx.rule.params.get("deictic")
    if entry is None:
        return None
    part = read_part(ctx, slots) or entry.get("part")
    if ctx.published is None:
        return with_time(ctx, slots, "XXXX-XX-XX", part, Value("DATE", "XXXX-XX-XX", "none"))
    when = ctx.published + timedelta(days=entry["offset"])
    return with_time(ctx, slots, when.isoformat(), part,
                     Value("DATE", when.isoformat(), "published"))


def _period_value(day: date, unit: str, n: int) -> str:
    """The `unit` period `n` units away from the one holding `day`."""
    if unit in ("H", "MIN", "S"):
        unit, n = "D", 0  # "dua jam lalu": the day itself
    return cal.value_of(cal.shift(day, unit, n), unit)


def resolve_relative(ctx: Context, slots: dict[str, str]) -> Value | None:
    """Periods and offsets relative to publication: "bulan lalu", "dua hari lalu"."""
    unit = read_unit(ctx, slots)
    if unit is None:
        return None
    count = read_count(ctx, slots)
    direction = read_slot(ctx, slots, "ago")
    if direction is None:
        direction = read_slot(ctx, slots, "rel")
    if direction is None:
        direction = ctx.rule.params.get("rel")
    if ctx.rule.params.get("if_future") and not ctx.future():
        # "built in three weeks": the length; "will resume in three weeks": a date
        return Value("DURATION", duration_value(count, unit), "absolute")
    if count == "X":
        return _vague_ref(ctx, "PAST_REF" if (direction or -1) < 0 else "FUTURE_REF")
    if ctx.published is None:
        return Value("DATE", _unknown_value(unit), "none")
    if direction is None:  # "akhir pekan", "the weekend"
        if unit != "WE":
            return None
        return Value("DATE", weekend_in_direction(ctx.published, ctx.future()), "published")
    if unit == "Y" and direction < 0 and count == 1 and (
            slots.get("ago") is not None or ctx.rule.params.get("comparison")):
        period = ctx.period()
        granularity = None if period is None else cal.granularity_of(period)
        if period is not None and granularity is not None and granularity in REPORTING_PERIODS:
            period = ctx.period((granularity,), latest_in_time=True) or period
            shifted = cal.shift_years(period, int(direction * count))
            return None if shifted is None else Value("DATE", shifted, "narrative",
                                                      comparison=True)
    return Value("DATE", _period_value(ctx.published, unit, int(direction * count)), "published")


def _unknown_value(unit: str) -> str:
    return {"D": "XXXX-XX-XX", "W": "XXXX-WXX", "WE": "XXXX-WXX-WE", "M": "XXXX-XX",
            "Q": "XXXX-QX", "Y": "XXXX", "DE": "XXX", "CE": "XX"}.get(unit, "XXXX-XX-XX")


def resolve_narrative(ctx: Context, slots: dict[str, str]) -> Value | None:
    """Days relative to the narrative date: "keesokan harinya", "two days later"."""
    weekday = read_slot(ctx, slots, "weekday")
    if weekday is not None:  # "the following Monday", "the previous Friday"
        return _narrative_weekday(ctx, slots, weekday)
    entry = read_slot(ctx, slots, "narrative")
    part = None
    unit: str | None
    if entry is not None:
        unit, n, part = "D", entry["offset"], entry.get("part")
    else:
        unit = read_unit(ctx, slots)
        if unit is None:
            return None
        count = read_count(ctx, slots)
        sign = read_slot(ctx, slots, "later") or read_slot(ctx, slots, "earlier") or 1
        if count == "X":
            if unit in ("H", "MIN") and ctx.narrative_date() is not None:
                count = 0  # "a few hours later": still the day the story is at
            elif sign < 0:
                return _vague_ref(ctx, "PAST_REF", ctx.narrative_date())
            else:
                return Value("DATE", _unknown_value(unit), "none", note="vague offset")
        n = int(sign * count)
        period = ctx.period() if unit in ("Y", "M") else None
        granularity = cal.granularity_of(period) if period is not None else None
        if period is not None and granularity in COARSE_PERIODS and (
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
        return with_time(ctx, slots, base, part, value)
    base = _period_value(anchor, unit, n)
    # Looking back ("sehari sebelumnya", "the day before") recalls an earlier day
    # in passing; the story stays where it was.
    return with_time(ctx, slots, base, part, Value("DATE", base, "narrative", anchored_on=anchor,
                                                   comparison=n < 0))


def _narrative_weekday(ctx: Context, slots: dict[str, str], weekday: int) -> Value:
    """That weekday after (or before) the day the story is at, else publication."""
    anchor, how = ctx.narrative_date(), "narrative"
    if anchor is None and not ctx.quoted():
        anchor, how = ctx.published, "published"
    if anchor is None:
        base = f"XXXX-WXX-{weekday}"
        return with_time(ctx, slots, base, read_part(ctx, slots),
                         Value("DATE", base, "none", weekday=weekday))
    earlier = read_slot(ctx, slots, "earlier") is not None
    when = cal.weekday_on_or_before(anchor - timedelta(days=1), weekday) if earlier else \
        cal.weekday_after(anchor, weekday)
    return with_time(ctx, slots, when.isoformat(), read_part(ctx, slots),
                     Value("DATE", when.isoformat(), how, weekday=weekday, comparison=earlier,
                           anchored_on=anchor if how == "narrative" else None))


#: Periods that "N years earlier" shifts whole, keeping their size ("a year
#: earlier" than the third quarter is that quarter a year before).
_YEAR_SIZED = frozenset(("quarter", "half", "year"))

def resolve_duration(ctx: Context, slots: dict[str, str]) -> Value | None:
    """A length of time; counted from an event the text has just told ("tiga hari
    setelah serangan itu"), it also gives the day it reaches from the narrative date."""
    vague = read_slot(ctx, slots, "vague_duration")  # "sesaat", "bertahun-tahun", "a while"
    if vague is not None:
        return Value("DURATION", vague, "absolute")
    unit = read_unit(ctx, slots)
    if unit is None:
        return None
    count = read_count(ctx, slots)
    value = Value("DURATION", duration_value(count, unit), "absolute",
                  story_year=bool(ctx.rule.params.get("story_year")))
    relation = read_slot(ctx, slots, "relation")
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
    if ctx.rule.params.get("by_tense"):  # "then", of the past or of the future
        return _vague_ref(ctx, "FUTURE_REF" if ctx.future() else "PAST_REF")
    ref = read_slot(ctx, slots, "ref") or read_slot(ctx, slots, "ref_at") or \
        read_slot(ctx, slots, "ref_initial") or read_slot(ctx, slots, "ref_adjective")
    return None if ref is None else _vague_ref(ctx, ref)


def resolve_set(ctx: Context, slots: dict[str, str]) -> Value | None:
    weekday = read_slot(ctx, slots, "weekday")
    if weekday is not None:
        part = read_part(ctx, slots)
        return Value("SET", f"XXXX-WXX-{weekday}" + (f"T{part}" if part else ""), "absolute",
                     quant="EVERY", weekday=weekday)
    month = read_month(ctx, slots)  # "each July"
    if month is not None and 1 <= month <= 12:
        return Value("SET", f"XXXX-{month:02d}", "absolute", quant="EVERY")
    part = read_part(ctx, slots)  # "every night", "cada tarde"
    if part is not None and not slots.keys() & {"unit", "set_unit", "set_adverb"}:
        return Value("SET", f"XXXX-XX-XXT{part}", "absolute", quant="EVERY")
    unit = read_slot(ctx, slots, "set_adverb") or read_slot(ctx, slots, "set_unit") or \
        read_unit(ctx, slots)
    if unit is None:
        return None
    if unit == "WE":
        return Value("SET", "XXXX-WXX-WE", "absolute", quant="EVERY")
    # "setiap 5 menit", "every two weeks": the period between recurrences
    return Value("SET", duration_value(read_count(ctx, slots), unit), "absolute", quant="EVERY")


def _year_of_part(ctx: Context, slots: dict[str, str], first_day: Callable[[int], date],
                  last_day: Callable[[int], date]) -> tuple[int | None, str]:
    """The year of a quarter or season named without one."""
    year = read_date_year(slots, ctx.language)
    if year is not None:
        return year, "absolute"
    published = ctx.published
    if published is None:
        return None, "none"
    year_rel = read_slot(ctx, slots, "year_rel")
    if year_rel is not None:
        return published.year + year_rel, "published"
    rel = read_slot(ctx, slots, "rel")
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
    quarter = read_ordinal(ctx, slots, "quarter")
    if quarter is not None:
        code, count = f"Q{quarter}", 4
    else:  # halves have their own words ("the last half")
        text = slots.get("half")
        quarter = read_int(text) if text and text[0].isdigit() else read_slot(ctx, slots, "half")
        code, count = f"H{quarter}", 2
    if quarter is None or not 1 <= quarter <= count:
        return None
    year, anchor = _year_of_part(ctx, slots, lambda y: cal.bounds(f"{y:04d}-{code}")[0],
                                 lambda y: cal.bounds(f"{y:04d}-{code}")[1])
    shift = read_slot(ctx, slots, "year_shift")  # "the year-ago third quarter"
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
    unit = read_slot(ctx, slots, "period_noun") or ctx.rule.params.get("unit")
    if unit is None:
        return None
    year = read_year(slots.get("year"))
    shift = read_slot(ctx, slots, "year_shift")
    latest = slots.get("latest") is not None and ctx.published is not None
    if read_slot(ctx, slots, "rel") == 0 and ctx.published is not None and unit in ("Q", "Y"):
        # "the current quarter"
        return Value("DATE", cal.value_of(ctx.published, unit), "published")
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
    season = read_slot(ctx, slots, "season")
    if season is None:
        return None
    year, anchor = _year_of_part(ctx, slots, lambda y: cal.bounds(f"{y:04d}-{season}")[0],
                                 lambda y: cal.bounds(f"{y:04d}-{season}")[1])
    return Value("DATE", f"{'XXXX' if year is None else f'{year:04d}'}-{season}", anchor)


def resolve_fiscal(ctx: Context, slots: dict[str, str]) -> Value | None:
    """A fiscal year, written as its year (TimeML: "fiscal 1989" is 1989); its
    boundaries vary by country and company, so it carries no interval."""
    year = read_year(slots.get("year"))
    note = "fiscal year: boundaries vary"
    if year is not None:
        return Value("DATE", f"{year:04d}", "absolute", bounds=(None, None), note=note)
    rel = read_slot(ctx, slots, "rel")
    if ctx.published is None or rel is None:
        return Value("DATE", "XXXX", "none", note=note)
    return Value("DATE", f"{ctx.published.year + rel:04d}", "published", bounds=(None, None),
                 note=note)


def resolve_decade(ctx: Context, slots: dict[str, str]) -> Value | None:
    decade = read_int(slots.get("decade"))
    if decade is None:
        short = read_int(slots.get("decade_short"))
        if short is None:  # "the nineties"
            short = read_slot(ctx, slots, "decade_word")
        if short is None:
            return None
        century = 20 if ctx.published and 2000 + short <= ctx.published.year else 19
        decade = century * 100 + short
    return Value("DATE", f"{decade // 10:03d}", "absolute")


def resolve_century(ctx: Context, slots: dict[str, str]) -> Value | None:
    century = read_ordinal(ctx, slots, "century")
    if century is None or not 1 <= century <= 22:
        return None
    return Value("DATE", f"{century - 1:02d}", "absolute")


def resolve_hijri(ctx: Context, slots: dict[str, str]) -> Value | None:
    day = read_int(slots.get("day"))
    month = read_slot(ctx, slots, "hijri_month")
    year = read_int(slots.get("hijri_year"))
    if day is None or month is None or year is None:
        return None
    when = cal.hijri_to_gregorian(year, month, day)
    if when is None:
        return None
    return Value("DATE", when.isoformat(), "absolute", note=f"Hijri {year}-{month:02d}-{day:02d}")


def resolve_holiday(ctx: Context, slots: dict[str, str]) -> Value | None:
    """A holiday by name ("Natal", "Idul Fitri 2020", "last Thanksgiving"): its
    day, computed from its calendar (Gregorian, Easter, Hijri, Chinese), or, for
    a holiday lasting a month (Ramadan), its span."""
    code = read_slot(ctx, slots, "holiday")
    if code is None:
        return None
    code, _, part = code.partition("T")
    year = read_date_year(slots)
    published = ctx.published
    if year is not None:
        spans = cal.holiday_spans(code, year)
        span, anchor = (spans[0] if spans else None), "absolute"
    elif published is None:
        fixed = cal.holiday_fixed(code)
        base = f"XXXX-{fixed[0]:02d}-{fixed[1]:02d}" if fixed else "XXXX-XX-XX"
        return with_time(ctx, slots, base, part or None, Value("DATE", base, "none"))
    else:
        span = holiday_occurrence(published, code, read_slot(ctx, slots, "rel"),
                                  read_slot(ctx, slots, "year_rel"), ctx.tense())
        anchor = "published"
    if span is None:
        return None
    first, last = span
    if first != last:  # a month-long holiday: its year, narrowed to its days
        return Value("DATE", f"{first.year:04d}", anchor, bounds=(first, last),
                     note=f"{code} from {first.isoformat()} to {last.isoformat()}")
    return with_time(ctx, slots, first.isoformat(), part or None,
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
