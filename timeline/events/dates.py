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

from datetime import date, timedelta

from timeline.temporal import calendar as cal


def granularity_of(value: str) -> str | None:
    """The granularity a TIMEX3 value is written at, or None for vague/unknown values."""
    return cal.granularity_of(value)


def interval_of(value: str, mod: str | None = None) -> tuple[str, str] | None:
    """Inclusive (earliest, latest) ISO dates of a DATE/TIME value, or None."""
    day_value, _, time_of_day = value.partition("T")
    try:
        bounds = cal.interval(day_value)
    except ValueError:  # an impossible date such as 2019-02-30
        return None
    if bounds is None:
        return None
    first, last = cal.narrow(bounds, None if time_of_day else mod)
    return first.isoformat(), last.isoformat()


def shift_day(iso_day: str, days: int) -> str:
    """``iso_day`` moved by ``days`` days."""
    return (date.fromisoformat(iso_day) + timedelta(days=days)).isoformat()


def day_number(iso_day: str) -> int:
    """Proleptic ordinal of an ISO date, for fast interval arithmetic."""
    return date.fromisoformat(iso_day).toordinal()
