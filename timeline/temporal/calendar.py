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
from dateutil.easter import easter
from hijridate import Hijri

#: Season codes and the months they cover (WI runs into the next year).
SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 14)}

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
    """The inclusive calendar interval a value denotes, or None if it denotes none
    (a vague value, or one outside the years 1-9999 such as ``0000``).

    >>> interval("2019-W16")
    (datetime.date(2019, 4, 15), datetime.date(2019, 4, 21))
    >>> interval("0000") is None
    True
    """
    try:
        return _interval(value)
    except (ValueError, OverflowError):  # year 0, week 53 of a 52-week year, 9999-WI
        return None


def _interval(value: str) -> tuple[date, date] | None:
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


def bounds(value: str) -> tuple[date, date]:
    """The interval of a value known to denote one (ValueError otherwise).

    >>> bounds("2019-Q1")
    (datetime.date(2019, 1, 1), datetime.date(2019, 3, 31))
    """
    found = interval(value)
    if found is None:
        raise ValueError(f"{value!r} denotes no calendar interval")
    return found


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
    if not 1 <= year <= 9999:
        return None
    if rest.startswith("-02-29") and safe_date(year, 2, 29) is None:
        rest = "-02-28" + rest[6:]
    return f"{year:04d}{rest}"


class OutOfRange(ValueError):
    """A date beyond the years 1-9999 that Python's calendar (and TIMEX3) can write."""


#: Days or months in each unit, for checking a shift before it is made.
_UNIT_DAYS = {"D": 1, "W": 7, "WE": 7}
_UNIT_MONTHS = {"M": 1, "Q": 3, "Y": 12, "DE": 120, "CE": 1200}


def _check_shift(day: date, unit: str, n: int) -> None:
    if unit in _UNIT_DAYS:
        ordinal = day.toordinal() + n * _UNIT_DAYS[unit]
        if not 1 <= ordinal <= date.max.toordinal():
            raise OutOfRange(f"{n:+,} {unit} from {day.isoformat()} is outside the years "
                             "1-9999")
    elif unit in _UNIT_MONTHS:
        year = (day.year * 12 + day.month - 1 + n * _UNIT_MONTHS[unit]) // 12
        if not 1 <= year <= 9999:
            raise OutOfRange(f"{n:+,} {unit} from {day.isoformat()} is the year {year:,}, "
                             "outside the years 1-9999")
    else:
        raise ValueError(f"unknown unit {unit!r}")


def shift(day: date, unit: str, n: int) -> date:
    """Move a day by `n` whole units (calendar-aware for months and years).

    Raises :class:`OutOfRange` (a ValueError) when the result would fall outside
    the years 1-9999 ("3000 tahun lalu" said in 2016).

    >>> shift(date(2016, 8, 9), "Y", -3000)
    Traceback (most recent call last):
    ...
    timeline.temporal.calendar.OutOfRange: -3,000 Y from 2016-08-09 is the year -984, outside the years 1-9999
    """
    if n == 0:
        return day
    _check_shift(day, unit, n)
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


#: The Gregorian weekdays of a day and month repeat every 28 years (1901-2099).
WEEKDAY_CYCLE_YEARS = 28


def dates_on_weekday(month: int, day: int, weekday: int, first_year: int,
                     last_year: int) -> list[date]:
    """The dates with this day and month that fall on ISO ``weekday``, in the
    years ``first_year`` to ``last_year`` (ascending): the one search for the year
    of a weekday with a date ("Rabu (21/10)").

    >>> [d.year for d in dates_on_weekday(10, 21, 3, 2010, 2021)]
    [2015, 2020]
    """
    return list(_dates_on_weekday(month, day, weekday, max(first_year, 1),
                                  min(last_year, 9999)))


@functools.lru_cache(maxsize=4096)
def _dates_on_weekday(month: int, day: int, weekday: int, first_year: int,
                      last_year: int) -> tuple[date, ...]:
    # cached: an article repeats its "Rabu (21/10)"s, each asking the same question
    found = []
    for year in range(first_year, last_year + 1):
        candidate = safe_date(year, month, day)
        if candidate is not None and candidate.isoweekday() == weekday:
            found.append(candidate)
    return tuple(found)


def safe_date(year: int, month: int, day: int) -> date | None:
    """The date, or None when there is none (31 February, the year 0 or 10000)."""
    try:
        return date(year, month, day)
    except (ValueError, OverflowError):
        return None


def hijri_to_gregorian(year: int, month: int, day: int) -> date | None:
    """Convert a Hijri date (Umm al-Qura calendar) to the Gregorian date.

    Uses `hijridate`, which carries the Umm al-Qura tables used by Indonesian
    and Saudi calendars; an arithmetical Hijri calendar is off by a day or two.
    """
    try:
        return Hijri(year, month, day).to_gregorian()
    except (ValueError, OverflowError):
        return None


# ------------------------------------------------------------------ holidays
#
# A holiday is named in the language files by a code (the same in every language):
#   "12-25"          a fixed day of the Gregorian calendar
#   "easter", "easter-2", "easter+39"   Easter Sunday (Gregorian), or days from it
#   "11-4-4", "05-1-L"   the 4th Thursday of November, the last Monday of May
#   "hijri-10-01"    a day of the Hijri (Umm al-Qura) calendar: Idul Fitri
#   "hijri-09"       a whole Hijri month: Ramadan
#   "chinese-01-01"  a day of the Chinese lunisolar calendar: Imlek


def _nth_weekday(year: int, month: int, weekday: int, nth: str) -> date:
    if nth == "L":
        last = _month_end(year, month)
        return weekday_on_or_before(last, weekday)
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.isoweekday()) % 7 + 7 * (int(nth) - 1))


def _plain(day: date) -> date:
    return date(day.year, day.month, day.day)


def _hijri_in_year(year: int, month: int, day: int | None) -> list[tuple[date, date]]:
    """The spans of a Hijri day (or whole month) that begin in Gregorian `year`."""
    spans = []
    approximate = round((year - 622) * 33 / 32)  # Hijri years run about 11 days short
    for hijri_year in range(approximate - 1, approximate + 3):
        try:
            first = _plain(Hijri(hijri_year, month, day or 1).to_gregorian())
            if day is None:
                next_month = (hijri_year + month // 12, month % 12 + 1)
                last = _plain(Hijri(*next_month, 1).to_gregorian()) - timedelta(days=1)
            else:
                last = first
        except (ValueError, OverflowError):  # outside the Umm al-Qura tables
            continue
        if first.year == year:
            spans.append((first, last))
    return spans


def _chinese_in_year(year: int, month: int, day: int) -> list[tuple[date, date]]:
    # lunar_python carries the Chinese calendar's astronomical tables (new moons,
    # solar terms); the lunar year starting in Gregorian `year` holds its new year.
    # Lazy: lunar_python takes ~25 ms to import, a twentieth of the command line's
    # start, and only a Chinese holiday (Imlek) needs it.
    from lunar_python import Lunar

    try:
        solar = Lunar.fromYmd(year, month, day).getSolar()
    except Exception:  # noqa: BLE001 - outside the library's range
        return []
    when = date(solar.getYear(), solar.getMonth(), solar.getDay())
    return [(when, when)] if when.year == year else []


@functools.lru_cache(maxsize=4096)
def holiday_spans(code: str, year: int) -> tuple[tuple[date, date], ...]:
    """The (first, last) days of each occurrence of a holiday in Gregorian `year`.

    >>> holiday_spans("easter-2", 2024)
    ((datetime.date(2024, 3, 29), datetime.date(2024, 3, 29)),)
    >>> holiday_spans("hijri-10-01", 2020)
    ((datetime.date(2020, 5, 24), datetime.date(2020, 5, 24)),)
    """
    parts = code.split("-")
    if parts[0].startswith("easter"):
        offset = int(code[len("easter"):] or 0)
        when = easter(year) + timedelta(days=offset)
        return ((when, when),) if when.year == year else ()
    if parts[0] == "hijri":
        return tuple(_hijri_in_year(year, int(parts[1]), int(parts[2]) if len(parts) > 2 else None))
    if parts[0] == "chinese":
        return tuple(_chinese_in_year(year, int(parts[1]), int(parts[2])))
    if len(parts) == 3:
        when = _nth_weekday(year, int(parts[0]), int(parts[1]), parts[2])
        return ((when, when),)
    when = safe_date(year, int(parts[0]), int(parts[1]))
    return ((when, when),) if when else ()


def holiday_fixed(code: str) -> tuple[int, int] | None:
    """(month, day) of a holiday on a fixed Gregorian day, else None."""
    parts = code.split("-")
    if len(parts) == 2 and all(p.isdigit() for p in parts):
        return int(parts[0]), int(parts[1])
    return None
