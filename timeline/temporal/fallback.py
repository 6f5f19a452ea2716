"""Languages without rules of our own: dateparser's search, marked as such.

dateparser knows some 200 languages from CLDR. It finds absolute and simple
relative dates, but pads every value to a day and has no offsets, so its results
carry `rule="dateparser"` and a lower confidence. The granularity it reports
(day, month, year) is kept so that "März 2019" stays `2019-03`.
"""

from __future__ import annotations

from datetime import date, datetime

from timeline.temporal import calendar as cal
from timeline.types import Timex

_PERIOD_UNIT = {"day": "D", "week": "W", "month": "M", "year": "Y", "time": "D"}


def _too_short(phrase: str) -> bool:
    """dateparser takes short words for dates in other languages ("Die" is German
    "Di", Tuesday); a lone word of three letters or fewer without a digit is noise."""
    stripped = phrase.strip()
    return " " not in stripped and len(stripped) <= 3 and not any(c.isdigit() for c in stripped)


def tag_with_dateparser(text: str, published: date | None, lang: str) -> list[Timex]:
    import dateparser
    from dateparser.search import search_dates

    settings = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
    if published is not None:
        settings["RELATIVE_BASE"] = datetime(published.year, published.month, published.day)
    try:
        found = search_dates(text, languages=[lang], settings=settings) or []
    except (ValueError, KeyError):  # an unknown language code
        return []
    parser = dateparser.date.DateDataParser(languages=[lang], settings=settings)
    timexes = []
    position = 0
    for phrase, when in found:
        if _too_short(phrase):
            continue
        start = text.find(phrase, position)
        if start < 0:
            continue
        position = start + len(phrase)
        data = parser.get_date_data(phrase)
        unit = _PERIOD_UNIT.get(getattr(data, "period", None) or "day", "D")
        value = cal.value_of(when.date(), unit)
        first, last = cal.interval(value)
        timexes.append(Timex(
            start=start, end=start + len(phrase), text=phrase, type="DATE", value=value,
            earliest=first.isoformat(), latest=last.isoformat(),
            anchor="published" if published is not None else "absolute",
            granularity=cal.granularity_of(value), lang=lang, rule="dateparser",
            confidence=0.6,
        ))
    return timexes
