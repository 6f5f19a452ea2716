"""Matching many phrases in a text at once: one regex per set of variants, tried only
where a variant's first word may start (the vocabulary's matchers, :mod:`timeline.events.vocabulary`)."""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

_WORD_BEFORE = r"(?<![\w])"
#: Where a phrase opened by a context word ends: the next clause punctuation.
CONTEXT_END = re.compile(r"[,;:–—]|\s-\s")
_WORD_AFTER = r"(?![\w])"


@dataclass(frozen=True, slots=True)
class Match:
    """A vocabulary hit in a text: ``key`` is ``kind:canonical``."""

    start: int
    end: int
    text: str
    key: str

    @property
    def kind(self) -> str:
        return self.key.split(":", 1)[0]

    @property
    def canonical(self) -> str:
        return self.key.split(":", 1)[1]


#: A run of word characters: where a vocabulary match may start (every variant
#: starts with one), found once per text.
_WORD_RUN = re.compile(r"\w+")


class _WordRuns:
    """The word runs of the last text read, with, for each, the matchers whose
    variants may start with it (a bit each): a matcher then tries its regex only at
    those runs instead of at every position of every span it is asked about.

    A match needs a word start (``(?<!\\w)`` then a variant, whose first
    characters are word characters), and a variant's first run of word characters
    must equal the text's run there, case-blind: so the runs whose case-folded
    text begins no variant of a matcher cannot hold its matches. Runs with
    characters beyond ASCII are tried by every matcher (Unicode case rules are
    wider than ``casefold``).
    """

    def __init__(self) -> None:
        self.first: dict[str, int] = {}  # case-folded first run -> matcher bits
        self.always = 0  # matchers that must try every run
        self.n_bits = 0
        self._text: str | None = None
        self._by_bit: dict[int, list[int]] = {}
        self._bits_of: dict[int, tuple[int, ...]] = {}

    def register(self, variants: Sequence[str]) -> int:
        bit = 1 << self.n_bits
        self.n_bits += 1
        for variant in variants:
            run = _WORD_RUN.match(variant)
            if run is None or not _ascii_folds_only(run.group(0)):
                self.always |= bit  # cannot be keyed by its first run
                continue
            key = run.group(0).casefold()
            self.first[key] = self.first.get(key, 0) | bit
        self._text, self._bits_of = None, {}  # scans made before lack this matcher
        return bit

    def starts(self, text: str, bit: int) -> list[int]:
        """Starts of the runs of ``text`` where the matcher of ``bit`` may match."""
        if len(text) < _SHORT_TEXT:  # a snippet: not worth keeping (nor evicting the text)
            return self._scan(text).get(bit, [])
        if text is not self._text:
            self._text, self._by_bit = text, self._scan(text)
        return self._by_bit.get(bit, [])

    def _scan(self, text: str) -> dict[int, list[int]]:
        first, every = self.first, (1 << self.n_bits) - 1
        by_bit: dict[int, list[int]] = {}
        bits_of = self._bits_of
        for m in _WORD_RUN.finditer(text):
            word = m.group(0)
            mask = (first.get(word.casefold(), 0) if word.isascii() else every) | self.always
            if mask:
                start = m.start()
                bits = bits_of.get(mask)
                if bits is None:
                    bits = bits_of[mask] = tuple(1 << i for i in range(self.n_bits)
                                                 if mask >> i & 1)
                for bit in bits:
                    by_bit.setdefault(bit, []).append(start)
        return by_bit


#: Texts shorter than this are scanned for word runs each time they are asked about.
_SHORT_TEXT = 512


def _ascii_folds_only(run: str) -> bool:
    """Whether case-blind matching of ``run`` can meet ASCII text only where its
    case-folded form does (false for the Kelvin sign, the long s ...)."""
    for ch in run:
        if ch.isascii():
            continue
        pattern = re.compile(f"(?i:{re.escape(ch)})")
        if any(pattern.fullmatch(chr(c)) for c in range(128)):
            return False
    return True


_RUNS = _WordRuns()


class Matcher:
    """One regex for many variants; longest variant first, lower-case variants case-blind.

    Variants written with a capital ("AS", "IS", "Tomahawk") match only as written,
    so that English "as"/"is" are not the United States or ISIS. The regex is tried
    only where a variant's first word may start (:class:`_WordRuns`), which finds
    exactly what a scan of every position finds.
    """

    def __init__(self, variants: dict[str, str]) -> None:
        self._exact: dict[str, str] = {}
        self._folded: dict[str, str] = {}
        parts = []
        for variant in sorted(variants, key=lambda v: (-len(v), v)):
            key = variants[variant]
            escaped = re.escape(variant)
            if variant == variant.lower():
                self._folded.setdefault(variant.casefold(), key)
                parts.append(f"(?i:{escaped})")
            else:
                self._exact.setdefault(variant, key)
                parts.append(escaped)
        self._pattern = (_WORD_BEFORE + "(?:" + "|".join(parts) + ")" + _WORD_AFTER
                         if parts else None)
        self._bit = _RUNS.register(list(variants)) if parts else 0

    @functools.cached_property
    def _regex(self) -> re.Pattern[str]:
        """The regex, compiled when first used (a process that loads the vocabulary for
        a few of its words does not compile the others' regexes)."""
        return re.compile(self._pattern or r"(?!)")

    def finditer(self, text: str, start: int = 0, end: int | None = None) -> list[Match]:
        if self._pattern is None:
            return []
        end = len(text) if end is None else end
        starts = _RUNS.starts(text, self._bit)
        i = bisect.bisect_left(starts, start)
        candidates = starts[i:bisect.bisect_left(starts, end, i)]
        if 0 < end < len(text) and _WORD_CHAR.match(text, end - 1) \
                and _WORD_CHAR.match(text, end):
            # a span that ends inside a word: its last run, cut, may begin a variant
            # that the whole run does not
            cut = text.rfind(" ", start, end) + 1
            run = _LAST_RUN.search(text, max(start, cut), end)
            if run is not None and (not candidates or candidates[-1] < run.start()):
                candidates = [*candidates, run.start()]
        found = []
        regex, position = self._regex, start
        for at in candidates:
            if at < position:
                continue  # inside the previous match
            m = regex.match(text, at, end)
            if m is None:
                continue
            word = m.group(0)
            key = self._exact.get(word) or self._folded.get(word.casefold())
            if key is not None:
                found.append(Match(m.start(), m.end(), word, key))
            position = m.end()
        return found


_WORD_CHAR = re.compile(r"\w")
#: The last run of word characters of a span.
_LAST_RUN = re.compile(r"\w+\Z")
