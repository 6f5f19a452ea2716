"""Helpers shared by the tests: hand-built values need their calendar intervals."""

from __future__ import annotations

from timeline.temporal import calendar
from timeline.types import Timex


def interval_of(value: str) -> tuple[str, str] | None:
    """The inclusive interval of a TIMEX3 date value, as ISO dates (None for none)."""
    bounds = calendar.interval(value.split("T", 1)[0])
    return None if bounds is None else (bounds[0].isoformat(), bounds[1].isoformat())


def hand_timex(start: int, text: str, value: str, anchor: str = "published",
               type_: str | None = None) -> Timex:
    """A DATE/TIME timex as the tagger would give it: interval and granularity included."""
    earliest, latest = interval_of(value) or (None, None)
    type_ = type_ or ("TIME" if "T" in value else "DATE")
    granularity = "time" if type_ == "TIME" else calendar.granularity_of(value)
    return Timex(start, start + len(text), text, type_, value, earliest, latest, anchor,
                 granularity=granularity)
