"""Helpers shared by the tests: hand-built values need their calendar intervals."""

from __future__ import annotations

from datetime import date

from timeline.temporal import calendar
from timeline.types import Timex


def interval_of(value: str) -> tuple[date, date] | None:
    """The inclusive interval of a TIMEX3 date value (None for none)."""
    return calendar.interval(value.split("T", 1)[0])


def day(iso: str) -> date:
    """An ISO date written in a test as a date."""
    return date.fromisoformat(iso)


def hand_timex(start: int, text: str, value: str, anchor: str = "published",
               type_: str | None = None) -> Timex:
    """A DATE/TIME timex as the tagger would give it: interval and granularity included."""
    earliest, latest = interval_of(value) or (None, None)
    type_ = type_ or ("TIME" if "T" in value else "DATE")
    granularity = "time" if type_ == "TIME" else calendar.granularity_of(value)
    return Timex(start, start + len(text), text, type_, value, earliest, latest, anchor,
                 granularity=granularity)
