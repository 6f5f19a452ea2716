"""Calendar arithmetic that works for every year: dates as *day numbers*.

A day number counts days since 1970-01-01 in the proleptic Gregorian calendar; it
exists for every year, so no date of a chronology can crash a render.
"""

from __future__ import annotations

import re


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
