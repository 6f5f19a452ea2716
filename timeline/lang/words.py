"""Words as the language files write them: normalised for lookup, and matched.

A surface is compared lower case, single-spaced, without a final dot ("Des." is
"des"); a list of surfaces becomes one regex alternation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any


def normalise(text: str) -> str:
    """The form a word or phrase is looked up in.

    >>> normalise("  Des. "), normalise("bulan\\n lalu")
    ('des', 'bulan lalu')
    """
    return re.sub(r"\s+", " ", text.strip().lower().rstrip("."))


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of words, longest first, spaces matching any white space.

    >>> alternation(["bulan", "bulan lalu"])
    '(?:bulan\\\\s+lalu|bulan)'
    """
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    parts = [r"\s+".join(re.escape(piece) for piece in w.split(" ")) for w in ordered]
    return "(?:" + "|".join(parts) + ")"


class PhraseTable(dict[str, Any]):
    """Phrases (lower case, single-spaced) to their meaning, knowing the words
    they end with, so that most lookups are rejected at once."""

    def __init__(self, entries: Iterable[tuple[str, Any]]) -> None:
        super().__init__(entries)
        self.last_words = frozenset(phrase.split()[-1] for phrase in self)
