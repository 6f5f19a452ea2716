"""Temporal expressions: find them and resolve them to TIMEX3 values.

>>> from timeline.temporal import tag
>>> [(t.text, t.value) for t in tag("Pada Senin (11/11/2013), enam kelompok ...", lang="id")]
[('Senin (11/11/2013)', '2013-11-11')]
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime

from timeline.corpus.published import DEFAULT_DATE_ORDER, parse_published_value
from timeline.lang import (
    available_languages,
    language_problem,
    language_support,
    load_language,
    rules_language,
)
from timeline.lang.detect import UNDETERMINED, detect_language, normalise_lang
from timeline.limits import MAX_EXPRESSIONS, warn
from timeline.temporal.extract import find
from timeline.temporal.fallback import tag_with_dateparser
from timeline.temporal.resolution import resolve_all
from timeline.types import Document, Timex

__all__ = ["publication_date", "resolve", "tag", "tag_document", "tag_reading"]

#: Longest text tagged in one piece; longer texts are tagged in chunks cut at
#: paragraph breaks, so memory and time stay proportional to the input.
_CHUNK = 200_000


def publication_date(published: str | date | datetime | None,
                     date_order: str = DEFAULT_DATE_ORDER) -> date | None:
    """The calendar day of publication, in the publication's own time zone.

    Accepts a date, a datetime, or a string read by the corpus's one parser of
    publication dates (ISO 8601 first; other forms with numeric dates in
    ``date_order``, day-first by default). Raises ValueError on text that is not
    a date.

    >>> publication_date("2013-11-11T23:05:00+07:00")
    datetime.date(2013, 11, 11)
    >>> publication_date("09/08/2016")
    datetime.date(2016, 8, 9)
    """
    if published is None or published == "":
        return None
    if isinstance(published, datetime):
        return published.date()
    if isinstance(published, date):
        return published
    if isinstance(published, str):
        parsed = parse_published_value(published, date_order=date_order, reject_future=False)
        return None if parsed is None else parsed.moment.date()
    raise ValueError(f"published: expected a date or ISO 8601 string, got {published!r}")


#: A sentence's end: its mark, closing quotes or brackets, then space (the next
#: sentence must start with a capital: "Jan. 5" is no end); or an ideographic mark.
_SENTENCE_END = re.compile("[.!?][\"'\u201d\u2019\u00bb)\\]]*\\s+(?=\\S)|[\u3002\uff01\uff1f]")
#: A space between two words, where a cut splits no number ("5 March 20|20").
_WORD_GAP = re.compile(r"(?<=[^\d\s])\s+(?=[^\d\s])")


def _cut(text: str, start: int, end: int) -> tuple[int, str]:
    """Where to end the piece text[start:end]: the last line break in its second half,
    else the last sentence end, else the last space between two words, else ``end``;
    and which of those it is."""
    low = start + _CHUNK // 2
    cut = text.rfind("\n", low, end)
    if cut > 0:
        return cut + 1, "line"
    found = None
    for match in _SENTENCE_END.finditer(text, low, end):
        if match.end() >= end:
            break
        if match.group(0)[0] in "\u3002\uff01\uff1f" or text[match.end()].isupper():
            found = match.end()
    if found is not None:
        return found, "sentence"
    for match in _WORD_GAP.finditer(text, low, end):
        found = match.end()
    if found is not None:
        return found, "word"
    return end, "none"


def _chunks(text: str, cuts: dict[str, int] | None = None) -> Iterator[tuple[int, str]]:
    """(offset, piece) pairs covering text, cut at line breaks, else at the end of a
    sentence or between two words (counted in ``cuts`` by kind), never inside a word
    when the text has a space to cut at."""
    if len(text) <= _CHUNK:
        yield 0, text
        return
    start = 0
    while start < len(text):
        end = min(len(text), start + _CHUNK)
        if end < len(text):
            end, kind = _cut(text, start, end)
            if cuts is not None and kind != "line":
                cuts[kind] = cuts.get(kind, 0) + 1
        yield start, text[start:end]
        start = end


def _cut_warning(cuts: dict[str, int]) -> str:
    how = {"sentence": "at the end of a sentence", "word": "between two words",
           "none": "inside a run of 100,000 characters without a space"}
    said = "; ".join(f"{n} {how[kind]}" for kind, n in sorted(cuts.items()))
    return (f"text with lines of more than {_CHUNK:,} characters tagged in pieces cut where "
            f"there is no line break ({said}); an expression across a cut may be missed")


def tag(text: str, published: str | date | datetime | None = None,
        lang: str | None = None, *, date_order: str = DEFAULT_DATE_ORDER) -> list[Timex]:
    """Find and resolve every temporal expression in `text`.

    `published` anchors relative expressions; without it they keep X-ed values. A
    string is read by the one parser of publication dates: ISO 8601, or numeric
    dates in `date_order` ("DMY", day first, by default; "MDY", "YMD").
    `lang` picks the language rules (detected when None; a language that another's
    rules cover, such as Malay, is read with those); a language without rules of
    its own is handed to dateparser. Raises ValueError for a `lang` nothing reads.
    """
    return tag_reading(text, published, lang, date_order=date_order)[0]


def tag_reading(text: str, published: str | date | datetime | None = None,
                lang: str | None = None, *, date_order: str = DEFAULT_DATE_ORDER
                ) -> tuple[list[Timex], str, str]:
    """As :func:`tag`, with the language the text was read in and what read it:
    ``"rules"`` (a language folder's) or ``"dateparser"`` (the fallback, for a
    language without rules: only month and weekday names, day words and full
    numeric dates).

    >>> tag_reading("Gestern trafen sich die Minister.", "2019-04-22", "de")[1:]
    ('de', 'dateparser')
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    anchor = publication_date(published, date_order)
    if lang is not None and normalise_lang(lang) != UNDETERMINED:
        problem = language_problem(lang)
        if problem:
            raise ValueError(f"lang {lang!r}: {problem}")
    code = normalise_lang(lang) or detect_language(text)
    if code == UNDETERMINED:  # no letters: the English rules read digits as well as any
        code = "en"
    rules = rules_language(code)
    language = None if rules is None else load_language(rules)
    if language is None:
        return tag_with_dateparser(text, anchor, code), code, "dateparser"
    timexes: list[Timex] = []
    cuts: dict[str, int] = {}
    for offset, piece in _chunks(text, cuts):
        if len(timexes) >= MAX_EXPRESSIONS:
            warn(f"{len(timexes):,} temporal expressions before offset {offset:,}; the "
                 f"remaining {len(text) - offset:,} characters were not tagged (limit "
                 "expressions)")
            break
        for timex in resolve_all(find(piece, language), piece, language, anchor):
            if offset:
                timex = replace(timex, start=timex.start + offset, end=timex.end + offset)
            timexes.append(timex)
    if cuts:
        warn(_cut_warning(cuts))
    return timexes, code, "rules"


def tag_document(document: Document) -> list[Timex]:
    """Tag a document against its own publication context.

    A document in a language that nothing reads has no expressions (the ingest
    report warns about it).
    """
    lang = normalise_lang(document.lang)
    if lang is not None and lang != UNDETERMINED and language_support(lang) is None:
        return []
    return tag(document.text, published=document.published, lang=lang)


def resolve(expression: str, published: str | date | datetime | None = None,
            lang: str | None = None, *, date_order: str = DEFAULT_DATE_ORDER) -> Timex | None:
    """Resolve one expression: the longest temporal expression found in it.

    Without `lang`, a few words are too little for language identification
    ("kemarin" reads as Finnish), so the expression is read with each language
    that has rules, and the reading covering most of it wins; only when none
    reads it is the language detected (and dateparser used for others).

    >>> resolve("pada hari Minggu", published="2016-08-09").value
    '2016-08-07'
    """
    def longest(timexes: list[Timex]) -> Timex | None:
        return max(timexes, key=lambda t: (t.end - t.start, -t.start), default=None)

    anchor = publication_date(published, date_order)
    if lang is None:
        readings = [longest(tag(expression, published=anchor, lang=code))
                    for code in available_languages()]
        best = longest([t for t in readings if t is not None])
        if best is not None:
            return best
    return longest(tag(expression, published=anchor, lang=lang))
