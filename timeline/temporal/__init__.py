"""Temporal expressions: find them and resolve them to TIMEX3 values.

>>> from timeline.temporal import tag
>>> [(t.text, t.value) for t in tag("Pada Senin (11/11/2013), enam kelompok ...", lang="id")]
[('Senin (11/11/2013)', '2013-11-11')]
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from timeline.lang import available_languages, load_language
from timeline.lang.detect import UNDETERMINED, detect_language, normalise_lang
from timeline.temporal.extract import find
from timeline.temporal.resolve import resolve_all
from timeline.types import Document, Timex

__all__ = ["publication_date", "resolve", "tag", "tag_document"]

#: Longest text tagged in one piece; longer texts are tagged in chunks cut at
#: paragraph breaks, so memory and time stay proportional to the input.
_CHUNK = 200_000


def publication_date(published: str | date | datetime | None) -> date | None:
    """The calendar day of publication, in the publication's own time zone.

    Accepts a date, a datetime, or an ISO 8601 string ("2016-08-09",
    "2013-11-11T14:05:00+07:00"). Raises ValueError on text that is not a date.
    """
    if published is None or published == "":
        return None
    if isinstance(published, datetime):
        return published.date()
    if isinstance(published, date):
        return published
    if isinstance(published, str):
        text = published.strip()
        try:
            return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
        except ValueError:
            import pendulum

            try:
                parsed = pendulum.parse(text, strict=False)
            except Exception as exc:  # pendulum raises its own ParserError
                raise ValueError(f"published: not an ISO 8601 date: {published!r}") from exc
            return date(parsed.year, parsed.month, parsed.day)
    raise ValueError(f"published: expected a date or ISO 8601 string, got {published!r}")


def _chunks(text: str):
    """(offset, piece) pairs covering text, cut at line breaks."""
    if len(text) <= _CHUNK:
        yield 0, text
        return
    start = 0
    while start < len(text):
        end = min(len(text), start + _CHUNK)
        if end < len(text):
            cut = text.rfind("\n", start + _CHUNK // 2, end)
            end = cut + 1 if cut > 0 else end
        yield start, text[start:end]
        start = end


def tag(text: str, published: str | date | datetime | None = None,
        lang: str | None = None) -> list[Timex]:
    """Find and resolve every temporal expression in `text`.

    `published` anchors relative expressions; without it they keep X-ed values.
    `lang` picks the language rules (detected when None); a language without
    rules of its own is handed to dateparser.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    anchor = publication_date(published)
    code = normalise_lang(lang) or detect_language(text)
    if code == UNDETERMINED:  # no letters: the English rules read digits as well as any
        code = "en"
    language = load_language(code)
    if language is None:
        from timeline.temporal.fallback import tag_with_dateparser

        return tag_with_dateparser(text, anchor, code)
    timexes: list[Timex] = []
    for offset, piece in _chunks(text):
        for timex in resolve_all(find(piece, language), piece, language, anchor):
            if offset:
                timex = replace(timex, start=timex.start + offset, end=timex.end + offset)
            timexes.append(timex)
    return timexes


def tag_document(document: Document) -> list[Timex]:
    """Tag a document against its own publication context."""
    return tag(document.text, published=document.published, lang=document.lang)


def resolve(expression: str, published: str | date | datetime | None = None,
            lang: str | None = None) -> Timex | None:
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

    if lang is None:
        readings = [longest(tag(expression, published=published, lang=code))
                    for code in available_languages()]
        best = longest([t for t in readings if t is not None])
        if best is not None:
            return best
    return longest(tag(expression, published=published, lang=lang))
