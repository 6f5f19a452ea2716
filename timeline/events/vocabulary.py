"""The event vocabulary, compiled once from the language data and the gazetteers.

Every language's ``events.toml`` (read and checked by :mod:`timeline.lang`) maps
canonical meanings (shared keys such as ``killed``, ``soldier``) to the ways that
language writes them, and its numeral lexicon gives the number words; the
gazetteers (:mod:`timeline.gazetteers`) give the actors and places of the
corpus's subject. All are merged into one :class:`Vocabulary` so that a text is
read with every language's words at once: names travel between languages
("Hezbollah" in an Indonesian article), and a wrongly detected language costs
nothing.

>>> vocab = load_vocabulary()
>>> [m.key for m in vocab.find_names("34 tentara Turki tewas di Idlib")]
['actor:turkey', 'place:idlib']
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from timeline.gazetteers import DEFAULT_GAZETTEERS, load_gazetteer
from timeline.lang import (
    LanguageDataError,
    available_languages,
    load_common,
    load_language,
)

_WORD_BEFORE = r"(?<![\w])"
#: Where a phrase opened by a context word ends: the next clause punctuation.
_CONTEXT_END = re.compile(r"[,;:–—]|\s-\s")
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


class _Matcher:
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
        self._regex = (re.compile(_WORD_BEFORE + "(?:" + "|".join(parts) + ")" + _WORD_AFTER)
                       if parts else None)
        self._bit = _RUNS.register(list(variants)) if parts else 0

    def finditer(self, text: str, start: int = 0, end: int | None = None) -> list[Match]:
        if self._regex is None:
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


@dataclass(frozen=True)
class Vocabulary:
    """All languages' event words, compiled. Build with :func:`load_vocabulary`."""

    languages: tuple[str, ...]
    names: _Matcher          # actors and places, one matcher so the longest wins
    events: _Matcher
    nouns: dict[str, str]    # quantity noun (case-folded) -> noun class
    participants: _Matcher   # nouns of who takes part, with or without a count -> party:class
    context_openers: _Matcher  # "after", "setelah": open a phrase about another happening
    noun_regex: re.Pattern[str]
    numbers: dict[str, int]  # number word -> value
    scales: dict[str, int]   # "juta" -> 1_000_000
    reporting: _Matcher      # report:verb / report:noun
    complementizers: _Matcher
    clause_openers: _Matcher
    content_openers: _Matcher
    coordinators: _Matcher
    attribution: _Matcher
    attribution_verbs: _Matcher
    abbreviations: frozenset[str]
    capitalised_stop: frozenset[str]
    generic: frozenset[str]  # canonical keys too common to tell events apart
    sayer_starts: frozenset[str]  # words that may open who says it ("the", "komandan")
    capitalised_name: re.Pattern[str]  # a run of capitalised words, with name particles
    #: Kind of happening of each event key ("airstrike" -> "violence"); see [kinds].
    kinds: dict[str, str]
    #: Kinds whose words take a happening of the listed kinds as their object.
    governs: dict[str, frozenset[str]]

    def find_names(self, text: str, start: int = 0, end: int | None = None) -> list[Match]:
        return self.names.finditer(text, start, end)

    def find_events(self, text: str, start: int = 0, end: int | None = None) -> list[Match]:
        return self.events.finditer(text, start, end)

    def statement_kinds(self, text: str, start: int, end: int,
                        events: list[Match] | None = None) -> tuple[str, ...]:
        """Kinds of happening a statement tells, from its event words ([kinds]).

        Event words in a phrase about another happening ("hours before the
        ceasefire", "setelah serangan itu", up to the next comma) do not count,
        unless no other word has a kind; a kind that another word of the
        statement takes as its object ("suspended the ceasefire") does not count.

        >>> vocab = load_vocabulary()
        >>> text = "An air raid killed seven people on Saturday, hours before the ceasefire began."
        >>> vocab.statement_kinds(text, 0, len(text))
        ('violence',)
        >>> text = "Rusia menangguhkan gencatan senjata pada Kamis."
        >>> vocab.statement_kinds(text, 0, len(text))
        ('suspension',)
        """
        events = self.find_events(text, start, end) if events is None else events
        scopes = []
        for opener in self.context_openers.finditer(text, start, end):
            stop = _CONTEXT_END.search(text, opener.end, end)
            scopes.append((opener.start, stop.start() if stop else end))
        every = {self.kinds[m.canonical] for m in events if m.canonical in self.kinds}
        main = {self.kinds[m.canonical] for m in events if m.canonical in self.kinds
                and not any(a <= m.start < b for a, b in scopes)} or every
        governed = set().union(*(self.governs.get(kind, ()) for kind in main))
        return tuple(sorted((main - governed) or main))


def _int_meanings(table: dict[str, object]) -> dict[str, int]:
    """The entries of a numeral lexicon that are whole numbers (not "X", some)."""
    return {word: value for word, value in table.items() if isinstance(value, int)}


@cache
def load_vocabulary(gazetteers: Sequence[str | Path] = DEFAULT_GAZETTEERS) -> Vocabulary:
    """Every language's event words and numerals, and the gazetteers' names (cached).

    ``gazetteers`` are shipped gazetteer names or paths of gazetteer files; the
    first that gives a spelling wins it.
    """
    common = load_common()
    names: dict[str, str] = {}
    events: dict[str, str] = {}
    nouns: dict[str, str] = {}
    numbers: dict[str, int] = {}
    scales: dict[str, int] = {}
    reporting: dict[str, str] = {}
    complementizers: dict[str, str] = {}
    openers: dict[str, str] = {}
    content: dict[str, str] = {}
    coordinators: dict[str, str] = {}
    attribution: dict[str, str] = {}
    attribution_verbs: dict[str, str] = {}
    abbreviations: set[str] = set()
    stop: set[str] = set()
    generic: set[str] = set()
    sayer_starts: set[str] = set()
    name_prefixes: set[str] = set()
    name_connectors: set[str] = set()
    participant_classes: set[str] = set(common.participants)
    context_openers: dict[str, str] = {}
    noun_variants: dict[str, str] = {}
    for name in gazetteers:
        gazetteer = load_gazetteer(name)
        for kind, table in (("actor", gazetteer.actors), ("place", gazetteer.places)):
            for canonical, variants in table.items():
                for variant in variants:
                    names.setdefault(variant, f"{kind}:{canonical}")
        generic.update(gazetteer.generic)
    languages = []
    for code in available_languages():
        language = load_language(code)
        if language is None:
            continue
        languages.append(code)
        for word, value in _int_meanings(language.lexicons.get("number", {})).items():
            numbers.setdefault(word, value)
        for word, value in _int_meanings(language.lexicons.get("number_scale", {})).items():
            scales.setdefault(word, value)
        data = language.events
        for canonical, variants in data.get("events", {}).items():
            for variant in variants:
                events.setdefault(variant, f"event:{canonical}")
        for canonical, variants in data.get("quantity_nouns", {}).items():
            for variant in variants:
                nouns.setdefault(variant.casefold(), canonical)
                noun_variants.setdefault(variant, canonical)
        rep = data.get("reporting", {})
        for word in rep.get("verbs", []):
            reporting.setdefault(word, "report:verb")
        for word in rep.get("nouns", []):
            reporting.setdefault(word, "report:noun")
        for target, section in ((complementizers, "complementizers"),
                                (openers, "clause_openers"), (content, "content_openers"),
                                (coordinators, "coordinators"),
                                (attribution, "attribution"),
                                (attribution_verbs, "attribution_verbs")):
            for word in rep.get(section, []):
                target.setdefault(word, f"cue:{word.casefold()}")
        abbreviations.update(data.get("sentences", {}).get("abbreviations", []))
        stop.update(data.get("capitalised", {}).get("words", []))
        name_prefixes.update(data.get("capitalised", {}).get("name_prefixes", []))
        name_connectors.update(data.get("capitalised", {}).get("name_connectors", []))
        sayer_starts.update(w.casefold() for w in rep.get("sayer_starts", []))
        for word in data.get("context", {}).get("openers", []):
            context_openers.setdefault(word, f"cue:{word.casefold()}")
    governs = {kind: set(objects) for kind, objects in common.event_kinds_governing.items()}
    kinds = _event_kinds(common.path, common.event_kinds, governs, set(events.values()))
    participants = {variant: f"party:{canonical}" for variant, canonical in noun_variants.items()
                    if canonical in participant_classes}
    noun_words = sorted(nouns, key=lambda w: (-len(w), w))
    number_words = sorted(numbers, key=lambda w: (-len(w), w))
    noun_regex = _quantity_regex(number_words, sorted(scales), noun_words)
    return Vocabulary(
        languages=tuple(languages),
        names=_Matcher(names),
        events=_Matcher(events),
        nouns=nouns,
        participants=_Matcher(participants),
        context_openers=_Matcher(context_openers),
        noun_regex=noun_regex,
        numbers=numbers,
        scales=scales,
        reporting=_Matcher(reporting),
        complementizers=_Matcher(complementizers),
        clause_openers=_Matcher(openers),
        content_openers=_Matcher(content),
        coordinators=_Matcher(coordinators),
        attribution=_Matcher(attribution),
        attribution_verbs=_Matcher(attribution_verbs),
        abbreviations=frozenset(abbreviations),
        capitalised_stop=frozenset(stop),
        generic=frozenset(generic),
        sayer_starts=frozenset(sayer_starts),
        capitalised_name=_capitalised_name_regex(name_prefixes, name_connectors),
        kinds=kinds,
        governs={k: frozenset(v) for k, v in governs.items()},
    )


def _event_kinds(path: Path, kind_lists: dict[str, tuple[str, ...]],
                 governs: dict[str, set[str]], event_keys: set[str]) -> dict[str, str]:
    """Event key -> kind, checked: every key is a known event word, each has one kind."""
    kinds: dict[str, str] = {}
    known = {key.split(":", 1)[1] for key in event_keys}
    for kind, members in kind_lists.items():
        for event in members:
            if event not in known:
                raise LanguageDataError(f"{path}: [event_kinds] {kind}: {event!r} is "
                                        "not an [events] key of any language")
            if kinds.setdefault(event, kind) != kind:
                raise LanguageDataError(f"{path}: [event_kinds] {event!r} is both "
                                        f"{kinds[event]!r} and {kind!r}")
    declared = set(kinds.values())
    for governor, objects in governs.items():
        for kind in (governor, *objects):
            if kind not in declared:
                raise LanguageDataError(f"{path}: [event_kinds_governing]: {kind!r} "
                                        "is not a kind of [event_kinds]")
    return kinds


def _capitalised_name_regex(prefixes: set[str], connectors: set[str]) -> re.Pattern[str]:
    """A run of capitalised words, letting name particles join it ("Abu al-Fadl Abbas")."""
    def alternation(words: set[str]) -> str:
        return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))

    word = r"(?:(?:" + alternation(prefixes) + r")?[A-Z][\w'’-]*)" if prefixes else \
        r"(?:[A-Z][\w'’-]*)"
    joint = r"(?:(?:" + alternation(connectors) + r")\s+)?" if connectors else ""
    return re.compile(r"(?<![\w'’-])" + word + r"(?:\s+" + joint + word + r")*")


def _quantity_regex(number_words: list[str], scale_words: list[str],
                    noun_words: list[str]) -> re.Pattern[str]:
    """A count, an optional scale, up to two words, then a noun of a known class.

    "34 tentara Turki", "34 Turkish soldiers", "2,2 juta orang", "selusin tentara".
    """
    words = "|".join(re.escape(w) for w in number_words)
    scales = "|".join(re.escape(w) for w in scale_words) or r"(?!x)x"
    nouns = "|".join(re.escape(w) for w in noun_words)
    return re.compile(
        r"(?<![\w.,/-])(?P<number>\d{1,3}(?:[.,]\d{3})+(?![.,]?\d)|\d+(?:[.,]\d{1,2})?(?![\d])"
        rf"|(?i:{words}))"
        rf"(?:\s+(?P<scale>(?i:{scales})))?"
        r"(?P<between>(?:\s+[\w'’-]+){0,2}?)"
        rf"\s+(?P<noun>(?i:{nouns}))(?![\w])"
    )
