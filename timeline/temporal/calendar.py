"""Calendar logic: TIMEX3 values, their intervals, and shifting them.

Values are strings at their own granularity (``2019-04``, ``2019-W16``,
``2019-W16-WE``, ``2019-Q1``, ``2019-SU``, ``198``, ``19``,
``2019-04-22TNI``). This module turns them into inclusive date intervals and
moves them by whole units, so the resolver never pads a value to a day.
"""

from __future__ import annotations

import functools
import re
from datetime import date, timedelta

import pendulum

#: Season codes and the months they cover (WI runs into the next year).
SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 14)}

#: Units the resolver moves by, with the granularity they give.
GRANULARITY_OF_UNIT = {
    "D": "day", "W": "week", "WE": "weekend", "M": "month", "Q": "quarter",
    "Y": "year", "DE": "decade", "CE": "century",
}

_VALUE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("time", re.compile(r"^(\d{4})-(\d\d)-(\d\d)T(.+)$")),
    ("day", re.compile(r"^(\d{4})-(\d\d)-(\d\d)$")),
    ("weekend", re.compile(r"^(\d{4})-W(\d\d)-WE$")),
    ("week", re.compile(r"^(\d{4})-W(\d\d)$")),
    ("month", re.compile(r"^(\d{4})-(\d\d)$")),
    ("quarter", re.compile(r"^(\d{4})-Q([1-4])$")),
    ("half", re.compile(r"^(\d{4})-H([12])$")),
    ("season", re.compile(r"^(\d{4})-(SP|SU|FA|WI)$")),
    ("year", re.compile(r"^(\d{4})$")),
    ("decade", re.compile(r"^(\d{3})$")),
    ("century", re.compile(r"^(\d{2})$")),
]


@functools.lru_cache(maxsize=8192)
def granularity_of(value: str) -> str | None:
    """The granularity of a TIMEX3 date value, or None for vague/unknown values.

    >>> granularity_of("2019-W16")
    'week'
    """
    for name, pattern in _VALUE_PATTERNS:
        if pattern.match(value):
            return name
    return None


def _month_end(year: int, month: int) -> date:
    if month == 12:
        return date(year, 12, 31)
    return date(year, month + 1, 1) - timedelta(days=1)


@functools.lru_cache(maxsize=8192)
def interval(value: str) -> tuple[date, date] | None:
    """The inclusive calendar interval a value denotes, or None if it denotes none.

    >>> interval("2019-W16")
    (datetime.date(2019, 4, 15), datetime.date(2019, 4, 21))
    """
    for name, pattern in _VALUE_PATTERNS:
        m = pattern.match(value)
        if not m:
            continue
        g = m.groups()
        if name in ("time", "day"):
            d = date(int(g[0]), int(g[1]), int(g[2]))
            return d, d
        if name == "week":
            monday = date.fromisocalendar(int(g[0]), int(g[1]), 1)
            return monday, monday + timedelta(days=6)
        if name == "weekend":
            saturday = date.fromisocalendar(int(g[0]), int(g[1]), 6)
            return saturday, saturday + timedelta(days=1)
        if name == "month":
            y, mo = int(g[0]), int(g[1])
            return date(y, mo, 1), _month_end(y, mo)
        if name == "quarter":
            y, q = int(g[0]), int(g[1])
            return date(y, 3 * q - 2, 1), _month_end(y, 3 * q)
        if name == "half":
            y, h = int(g[0]), int(g[1])
            return date(y, 6 * h - 5, 1), _month_end(y, 6 * h)
        if name == "season":
            y = int(g[0])
            first, last = SEASON_MONTHS[g[1]]
            end_year, end_month = (y + 1, last - 12) if last > 12 else (y, last)
            return date(y, first, 1), _month_end(end_year, end_month)
        if name == "year":
            y = int(g[0])
            return date(y, 1, 1), date(y, 12, 31)
        if name == "decade":
            y = int(g[0]) * 10
            return date(y, 1, 1), date(y + 9, 12, 31)
        if name == "century":
            y = int(g[0]) * 100
            return date(max(y, 1), 1, 1), date(y + 99, 12, 31)
    return None


def narrow(bounds: tuple[date, date], mod: str | None) -> tuple[date, date]:
    """Narrow an interval by START/MID/END to its first, middle or last third.

    A month splits at days 10 and 20 (1-10, 11-20, 21-end: the ten-day
    "dasarian" of Indonesian usage); other intervals split into whole-day
    thirds, the last taking the remainder.

    >>> narrow((date(2019, 3, 1), date(2019, 3, 31)), "END")
    (datetime.date(2019, 3, 21), datetime.date(2019, 3, 31))
    """
    first, last = bounds
    days = (last - first).days + 1
    if mod not in ("START", "MID", "END") or days < 3:
        return bounds
    whole_month = first.day == 1 and first.month == last.month and first.year == last.year \
        and (last + timedelta(days=1)).day == 1
    third = 10 if whole_month else days // 3
    if mod == "START":
        return first, first + timedelta(days=third - 1)
    if mod == "MID":
        return first + timedelta(days=third), first + timedelta(days=2 * third - 1)
    return first + timedelta(days=2 * third), last


def value_of(day: date, unit: str) -> str:
    """The value of the `unit`-sized period that contains `day`.

    >>> value_of(date(2019, 4, 22), "W")
    '2019-W17'
    """
    if unit == "D":
        return day.isoformat()
    if unit in ("W", "WE"):
        iso = day.isocalendar()
        week = f"{iso.year:04d}-W{iso.week:02d}"
        return week + "-WE" if unit == "WE" else week
    if unit == "M":
        return f"{day.year:04d}-{day.month:02d}"
    if unit == "Q":
        return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
    if unit == "Y":
        return f"{day.year:04d}"
    if unit == "DE":
        return f"{day.year // 10:03d}"
    if unit == "CE":
        return f"{day.year // 100:02d}"
    raise ValueError(f"unknown unit {unit!r}")


def value_of_half(day: date) -> str:
    """The half-year holding `day` ("2019-H1")."""
    return f"{day.year:04d}-H{1 if day.month <= 6 else 2}"


def shift_years(value: str, n: int) -> str | None:
    """The same value `n` years away, at its own granularity ("1989-Q3" -> "1988-Q3").

    >>> shift_years("2016-02-29", -1)
    '2015-02-28'
    """
    if len(value) < 4 or not value[:4].isdigit():
        return None
    rest = value[4:]
    year = int(value[:4]) + n
    if rest.startswith("-02-29") and safe_date(year, 2, 29) is None:
        rest = "-02-28" + rest[6:]
    return f"{year:04d}{rest}"


def shift(day: date, unit: str, n: int) -> date:
    """Move a day by `n` whole units (calendar-aware for months and years)."""
    if n == 0:
        return day
    p = pendulum.Date(day.year, day.month, day.day)
    if unit == "D":
        p = p.add(days=n)
    elif unit in ("W", "WE"):
        p = p.add(weeks=n)
    elif unit == "M":
        p = p.add(months=n)
    elif unit == "Q":
        p = p.add(months=3 * n)
    elif unit == "Y":
        p = p.add(years=n)
    elif unit == "DE":
        p = p.add(years=10 * n)
    elif unit == "CE":
        p = p.add(years=100 * n)
    else:
        raise ValueError(f"unknown unit {unit!r}")
    return date(p.year, p.month, p.day)


def weekday_on_or_before(day: date, weekday: int) -> date:
    """The latest date on or before `day` that is ISO `weekday` (1 = Monday)."""
    return day - timedelta(days=(day.isoweekday() - weekday) % 7)


def weekday_after(day: date, weekday: int) -> date:
    """The earliest date strictly after `day` that is ISO `weekday`."""
    return day + timedelta(days=(weekday - day.isoweekday() - 1) % 7 + 1)


def safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def hijri_to_gregorian(year: int, month: int, day: int) -> date | None:
    """Convert a Hijri date (Umm al-Qura calendar) to the Gregorian date.

    Uses `hijridate`, which carries the Umm al-Qura tables used by Indonesian
    and Saudi calendars; an arithmetical Hijri calendar is off by a day or two.
    """
    from hijridate import Hijri

    try:
        return Hijri(year, month, day).to_gregorian()
    except (ValueError, OverflowError):
        return None
