"""Calendar intervals of TIMEX3 values, for mentions whose timex lacks them.

The tagger fills ``earliest``/``latest``; this module recomputes them from a value
(hand-built timexes in tests and fixtures, narrative dates the events stage
resolves itself) with the rules of docs/annotation.md.

>>> interval_of("2016-W31-WE")
('2016-08-06', '2016-08-07')
>>> interval_of("2019-04", "START")
('2019-04-01', '2019-04-10')
>>> granularity_of("2020-02-27TNI")
'time'
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(T.*)?$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})(-WE)?$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_SEASON = re.compile(r"^(\d{4})-(SP|SU|FA|WI)$")
_DECADE = re.compile(r"^(\d{3})$")

#: Granularities from finest to coarsest.
GRANULARITIES = ("time", "day", "weekend", "week", "month", "quarter", "season", "year",
                 "decade", "century")


def granularity_of(value: str) -> str | None:
    """The granularity a TIMEX3 value is written at, or None for vague/unknown values."""
    m = _DAY.match(value)
    if m:
        return "time" if m.group(4) else "day"
    if _MONTH.match(value):
        return "month"
    if _YEAR.match(value):
        return "year"
    m = _WEEK.match(value)
    if m:
        return "weekend" if m.group(3) else "week"
    if _QUARTER.match(value):
        return "quarter"
    if _SEASON.match(value):
        return "season"
    if _DECADE.match(value):
        return "decade"
    return None


def _narrow(first: date, last: date, mod: str | None) -> tuple[date, date]:
    """START/MID/END keep the first, middle or last third of the interval."""
    if mod not in ("START", "MID", "END"):
        return first, last
    days = (last - first).days + 1
    if days < 3:
        return first, last
    third = days // 3
    if mod == "START":
        return first, first + timedelta(days=third - 1)
    if mod == "MID":
        return first + timedelta(days=third), first + timedelta(days=2 * third - 1)
    return first + timedelta(days=2 * third), last


def interval_of(value: str, mod: str | None = None) -> tuple[str, str] | None:
    """Inclusive (earliest, latest) ISO dates of a DATE/TIME value, or None."""
    first: date
    last: date
    try:
        if m := _DAY.match(value):
            first = last = date(int(m[1]), int(m[2]), int(m[3]))
            if m.group(4):  # a time of day: its day; START/END do not narrow a day
                mod = None
        elif m := _MONTH.match(value):
            year, month = int(m[1]), int(m[2])
            first = date(year, month, 1)
            last = date(year, month, calendar.monthrange(year, month)[1])
            if mod in ("START", "MID", "END"):  # annotation.md: days 1-10, 11-20, 21-end
                first, last = {"START": (first, date(year, month, 10)),
                               "MID": (date(year, month, 11), date(year, month, 20)),
                               "END": (date(year, month, 21), last)}[mod]
                mod = None
        elif m := _YEAR.match(value):
            first, last = date(int(m[1]), 1, 1), date(int(m[1]), 12, 31)
        elif m := _WEEK.match(value):
            first = date.fromisocalendar(int(m[1]), int(m[2]), 1)
            last = first + timedelta(days=6)
            if m.group(3):
                first = first + timedelta(days=5)
        elif m := _QUARTER.match(value):
            year, quarter = int(m[1]), int(m[2])
            first = date(year, 3 * quarter - 2, 1)
            end_month = 3 * quarter
            last = date(year, end_month, calendar.monthrange(year, end_month)[1])
        elif m := _SEASON.match(value):
            year = int(m[1])
            start_month, end_month, end_year = {"SP": (3, 5, year), "SU": (6, 8, year),
                                                "FA": (9, 11, year), "WI": (12, 2, year + 1)}[m[2]]
            first = date(year, start_month, 1)
            last = date(end_year, end_month, calendar.monthrange(end_year, end_month)[1])
        elif m := _DECADE.match(value):
            first, last = date(int(m[1]) * 10, 1, 1), date(int(m[1]) * 10 + 9, 12, 31)
        else:
            return None
    except ValueError:
        return None
    first, last = _narrow(first, last, mod)
    return first.isoformat(), last.isoformat()


def shift_day(iso_day: str, days: int) -> str:
    """``iso_day`` moved by ``days`` days."""
    return (date.fromisoformat(iso_day) + timedelta(days=days)).isoformat()


def day_number(iso_day: str) -> int:
    """Proleptic ordinal of an ISO date, for fast interval arithmetic."""
    return date.fromisoformat(iso_day).toordinal()
