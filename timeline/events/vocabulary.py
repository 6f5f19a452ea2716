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


class _Matcher:
    """One regex for many variants; longest variant first, lower-case variants case-blind.

    Variants written with a capital ("AS", "IS", "Tomahawk") match only as written,
    so that English "as"/"is" are not the United States or ISIS.
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

    def finditer(self, text: str, start: int = 0, end: int | None = None) -> list[Match]:
        if self._regex is None:
            return []
        end = len(text) if end is None else end
        found = []
        for m in self._regex.finditer(text, start, end):
            word = m.group(0)
            key = self._exact.get(word) or self._folded.get(word.casefold())
            if key is not None:
                found.append(Match(m.start(), m.end(), word, key))
        return found


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
