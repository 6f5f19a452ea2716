"""Languages without rules of our own: dates found with dateparser's language data.

dateparser knows some 200 languages from CLDR: their month and weekday names,
the day words relative to today ("gestern", "demain") and the order in which
numeric dates are written. Its free-text search, though, reads any number as a
date ("De 1974 a 1979" became the year 0042), takes missing parts from the
system clock and is slow on long articles. Here only its data is used, and only
what is clearly a date is accepted:

- a month name, with the day and year written next to it ("27. Februar 2016",
  "7 de agosto de 2019", "März 2019", "août");
- a weekday name written out ("Dienstag");
- a day word relative to publication ("gestern", "demain");
- a full numeric date (day, month and year), read in the language's own order
  ("07/08/2019" is 7 August in French); "7/8" alone is not taken.

Missing parts come from the publication date, never from the clock: without
one, the value keeps them as X (`XXXX-02-27`, `XXXX-XX-XX`) with anchor "none".
Thai years written in the Buddhist era (พ.ศ. 2559) are converted (2016).
Results carry `rule="dateparser"`; spans are exact text offsets.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import cast

from timeline.temporal import calendar as cal
from timeline.temporal.occurrence import day_month_in_direction, month_in_direction
from timeline.types import Anchor, Granularity, Timex

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
#: dateparser's relative-type keys for days around today, and their offsets.
_DAY_WORDS = {"0 day ago": 0, "1 day ago": -1, "2 day ago": -2, "in 1 day": 1, "in 2 day": 2}
#: Locale fields naming other things; a day word also found there is ambiguous
#: (Spanish "mañana" is tomorrow and the morning).
_OTHER_FIELDS = ("am", "pm", "early_morning", "noon", "midnight", "week", "day", "month", "year",
                 "hour", "minute", "second")
#: Calendars counting years from another era: Thai dates use the Buddhist era.
_ERA_OFFSET = {"th": 543}
#: Scripts written without spaces between words: no word boundaries to require.
_UNSPACED_SCRIPTS = ("THAI", "LAO", "KHMER", "MYANMAR", "CJK", "HIRAGANA", "KATAKANA")
_CONFIDENCE = 0.6


@dataclass(frozen=True)
class _Vocabulary:
    """A language's date words from dateparser, compiled once."""

    finder: re.Pattern[str]
    month_of: dict[str, int]
    weekday_of: dict[str, int]
    day_word_of: dict[str, int]
    order: str
    connectors: tuple[str, ...]


def _unspaced(word: str) -> bool:
    return any(any(script in unicodedata.name(c, "") for script in _UNSPACED_SCRIPTS)
               for c in word[:1])


def _alternation(words: Iterable[str]) -> str:
    parts = []
    for word in sorted(set(words), key=len, reverse=True):
        body = re.escape(word)
        parts.append(body if _unspaced(word) else r"(?<!\w)" + body + r"(?!\w)")
    return "|".join(parts) or r"(?!)"


@functools.cache
def _vocabulary(lang: str) -> _Vocabulary | None:
    # Lazy: dateparser takes ~0.15 s to import, and only a language without rules
    # of its own needs it.
    from dateparser.languages.loader import default_loader

    try:
        info = default_loader.get_locale(lang).info
    except (KeyError, ValueError):  # a code dateparser does not know
        return None
    month_of, weekday_of, day_word_of = {}, {}, {}
    for number, name in enumerate(_MONTHS, start=1):
        for word in info.get(name, []):
            month_of[word.lower()] = number
    for number, name in enumerate(_WEEKDAYS, start=1):
        names = [w.lower() for w in info.get(name, [])]
        longest = max((len(w) for w in names), default=0)
        for word in names:
            if len(word) >= 4 or len(word) == longest:  # "Di", "Mo": too short alone
                weekday_of[word] = number
    other = {w.lower() for field in _OTHER_FIELDS for w in info.get(field, [])}
    other |= set(month_of) | set(weekday_of)
    for key, offset in _DAY_WORDS.items():
        for word in info.get("relative-type", {}).get(key, []):
            if word.lower() not in other:
                day_word_of[word.lower()] = offset
    finder = re.compile(
        "(?P<numeric>(?<![\\d./-])\\d{1,4}([./-])\\d{1,2}\\2\\d{2,4}(?![\\d/-]|[.,]\\d))"
        f"|(?P<month>{_alternation(month_of)})"
        f"|(?P<weekday>{_alternation(weekday_of)})"
        f"|(?P<day_word>{_alternation(day_word_of)})",
        re.IGNORECASE)
    connectors = tuple(w.strip().lower() for w in info.get("skip", [])
                       if w.strip() and w.strip()[0].isalpha())
    return _Vocabulary(finder, month_of, weekday_of, day_word_of,
                       info.get("date_order") or "DMY", connectors)


def _year(text: str, lang: str, era_marked: bool) -> int | None:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < 50 else 1900
    offset = _ERA_OFFSET.get(lang)
    if offset and (era_marked or year > 2400):
        year -= offset
    return year if 1000 <= year <= 2200 else None


def _around_month(text: str, start: int, end: int, vocabulary: _Vocabulary,
                  lang: str) -> tuple[int, int, int | None, int | None]:
    """The day and year written next to a month name, and the span they make.

    Before it: a day number ("27. Februar", "7 de agosto"); after it: a day
    ("Februar 27") if none came before, then a year ("März 2019", "agosto de
    2019", or a Buddhist-era year after its marker)."""
    connector = "|".join(re.escape(c) for c in vocabulary.connectors) or "(?!)"
    before = re.search(rf"(?<![\d.])(\d{{1,2}})(?:\.|º|°)?\s*(?:(?:{connector})\s+)?$",
                       text[max(0, start - 12):start], re.IGNORECASE)
    day = None
    if before is not None:
        day = int(before.group(1))
        start = start - len(before.group(0))
    after = re.match(rf"(?:\s*(?:{connector})?\s*(\d{{1,2}})(?![\d.,:]\d|\d))?"
                     rf"(?:,?\s*(?:(?:{connector})\s+)?((?:พ\.ศ\.?\s*)?)(\d{{4}})(?!\d))?",
                     text[end:end + 24], re.IGNORECASE)
    year = None
    if after is not None and after.group(0).strip():
        if after.group(1) and day is None:
            day = int(after.group(1))
            end += after.end(1)
        if after.group(3):
            year = _year(after.group(3), lang, bool(after.group(2)))
            if year is not None:
                end += after.end(3)
    return start, end, day, year


def _numeric(match: str, order: str, lang: str) -> tuple[int, int, int] | None:
    parts = re.split(r"[./-]", match)
    if len(parts[0]) == 4:
        order = "YMD"
    if len(parts) != 3 or len(order) != 3:
        return None
    fields = dict(zip(order, parts, strict=True))
    year = _year(fields["Y"], lang, False)
    if year is None or len(fields["Y"]) not in (2, 4):
        return None
    return year, int(fields["M"]), int(fields["D"])


def _timex(text: str, start: int, end: int, value: str, anchor: Anchor, lang: str,
           bounds: tuple[date, date] | None = None) -> Timex:
    granularity = cast(Granularity | None, cal.granularity_of(value))
    if bounds is None:
        bounds = cal.interval(value)
    first, last = bounds if bounds is not None else (None, None)
    return Timex(start=start, end=end, text=text[start:end], type="DATE", value=value,
                 earliest=first, latest=last, anchor=anchor,
                 granularity=granularity, lang=lang, rule="dateparser",
                 confidence=_CONFIDENCE)


def tag_with_dateparser(text: str, published: date | None, lang: str) -> list[Timex]:
    """The dates of a text in a language without rules of its own (see module doc)."""
    vocabulary = _vocabulary(lang)
    if vocabulary is None:
        return []
    timexes: list[Timex] = []
    taken = 0  # offsets before this are inside an earlier expression
    for match in vocabulary.finder.finditer(text):
        start, end = match.span()
        if start < taken:
            continue
        kind = match.lastgroup
        word = match.group().lower()
        if kind == "numeric":
            parts = _numeric(match.group(), vocabulary.order, lang)
            when = cal.safe_date(*parts) if parts else None
            if when is None:
                continue
            timexes.append(_timex(text, start, end, when.isoformat(), "absolute", lang))
        elif kind == "month":
            month = vocabulary.month_of[word]
            start, end, day, year = _around_month(text, start, end, vocabulary, lang)
            if day is None and year is None and len(word) <= 3:
                continue  # an abbreviation alone ("mar" is also the sea)
            timex = _month_timex(text, start, end, month, day, year, published, lang)
            if timex is None:
                continue
            timexes.append(timex)
        elif kind == "weekday":
            weekday = vocabulary.weekday_of[word]
            if published is None:
                timexes.append(_timex(text, start, end, f"XXXX-WXX-{weekday}", "none", lang))
            else:
                when = cal.weekday_on_or_before(published, weekday)
                timexes.append(_timex(text, start, end, when.isoformat(), "published", lang))
        else:  # a day word relative to publication
            if published is None:
                timexes.append(_timex(text, start, end, "XXXX-XX-XX", "none", lang))
            else:
                when = published + timedelta(days=vocabulary.day_word_of[word])
                timexes.append(_timex(text, start, end, when.isoformat(), "published", lang))
        taken = timexes[-1].end
    return timexes


def _month_timex(text: str, start: int, end: int, month: int, day: int | None,
                 year: int | None, published: date | None, lang: str) -> Timex | None:
    """A month name with the day and year written next to it; what the text leaves
    open is taken from publication (which occurrence: as the resolvers take it)."""
    if day is not None and year is not None:
        when = cal.safe_date(year, month, day)
        return None if when is None else _timex(text, start, end, when.isoformat(),
                                                "absolute", lang)
    if year is not None:
        return _timex(text, start, end, f"{year:04d}-{month:02d}", "absolute", lang)
    if day is not None:
        if cal.safe_date(2000, month, day) is None:  # 2000 is a leap year
            return None
        if published is None:
            return _timex(text, start, end, f"XXXX-{month:02d}-{day:02d}", "none", lang)
        when = day_month_in_direction(published, month, day, None)
        return None if when is None else _timex(text, start, end, when.isoformat(),
                                                "published", lang)
    if published is None:
        return _timex(text, start, end, f"XXXX-{month:02d}", "none", lang)
    year = month_in_direction(published, month, None, None)
    return _timex(text, start, end, f"{year:04d}-{month:02d}", "published", lang)
