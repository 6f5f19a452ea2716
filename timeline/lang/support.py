"""What reads texts in a language: our rules, dateparser's language data, or nothing.

A language without a folder of its own is read with dateparser's data (month and
weekday names, day words, numeric date order) when dateparser knows it.
"""

from __future__ import annotations

import functools

from timeline.lang.detect import normalise_lang
from timeline.lang.discover import available_languages, rules_language

#: What is said of a document that only the dateparser fallback reads (in the
#: ingest report and on its `timeline tag` line).
FALLBACK_NOTE = ("no rules of its own: read by the dateparser fallback only (month and "
                 "weekday names, day words, full numeric dates)")


@functools.cache
def dateparser_languages() -> frozenset[str]:
    """Primary codes of the languages dateparser reads (from its CLDR data)."""
    # Lazy: dateparser takes ~0.15 s to import, and only a language without rules
    # of its own asks for it.
    from dateparser.data.languages_info import language_order

    return frozenset(code.split("-")[0] for code in language_order)


def language_support(code: str) -> str | None:
    """What reads texts in ``code``: ``"rules"`` (ours), ``"dateparser"``, or None.

    >>> language_support("ms"), language_support("de"), language_support("tlh")
    ('rules', 'dateparser', None)
    """
    if rules_language(code) is not None:
        return "rules"
    if code in dateparser_languages():
        return "dateparser"
    return None


def language_problem(value: str) -> str | None:
    """Why a language given by the user cannot be read, or None when it can.

    >>> language_problem("klingon")
    "not a language code (ISO 639-1, such as 'id' or 'en')"
    """
    code = normalise_lang(value)
    if code is None:
        return "not a language code (ISO 639-1, such as 'id' or 'en')"
    if language_support(code) is None:
        return (f"no rules for {code!r} (rules: {', '.join(available_languages())}) and "
                "dateparser does not read it")
    return None
