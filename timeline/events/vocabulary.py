"""The event vocabulary, compiled once from the language data and the gazetteers.

Every language's ``events.toml`` (read and checked by :mod:`timeline.lang`) maps
canonical meanings (shared keys such as ``killed``, ``soldier``) to the ways that
language writes them, and its numeral lexicon gives the number words; the
gazetteers (:mod:`timeline.gazetteers`) give the actors and places. All are merged
into one :class:`Vocabulary` so that a text is read with every language's words at
once: names travel between languages ("Hezbollah" in an Indonesian article), and a
wrongly detected language costs nothing.

Gazetteer names are found two ways. Names written in lower case ("rezim",
"rebels"), acronyms ("US", "IS": only as written) and names of other shapes are
one regex. Capitalised names ("Bengasi", "El Cairo", "Deir ez-Zor") are looked up:
each run of capitalised words is cut into its longest known names, by their folded
form (no accents, case or articles), else, for gazetteers written for a subject, by
their sound key (:mod:`timeline.gazetteers.spelling`: "Jan Sheijun" is Khan
Shaykhun); a sound key shorter than :data:`SOUND_MIN` letters, or shared by two
entries of one gazetteer, finds nothing. A word that opens a sentence and is written in lower case elsewhere in
the text ("Como", "Comment") is not a name.

>>> vocab = load_vocabulary()
>>> [m.key for m in vocab.find_names("34 tentara Turki tewas di Idlib")]
['actor:turkey', 'place:idlib']
>>> [m.key for m in vocab.find_names("Los rebeldes entraron en Bengasi y en Alepo.")]
['place:benghazi', 'place:aleppo']
>>> [m.key for m in vocab.find_names("Ataque químico en Jan Sheijun, en la provincia de Idleb.")]
['place:khan-shaykhun', 'place:idlib']

A town's name that is also someone's is that person's where the text says so:

>>> [m.key for m in vocab.find_names("Patterson, N.J.: the ambassador Anne Patterson spoke.")]
[]
>>> [m.key for m in vocab.find_names("A rally in Patterson.")]
['place:patterson']
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from timeline.gazetteers import DEFAULT_GAZETTEERS, load_gazetteer
from timeline.gazetteers.spelling import fold, sound_key
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
#: The words of a run of capitalised words, and its first.
_WORD = re.compile(r"\S+")
_FIRST_WORD = re.compile(r"[^\W\d_][\w'’-]*")
#: Longest gazetteer name looked up, in words; shortest sound key that finds one (letters
#: and spaces: "khan sakan").
MAX_NAME_WORDS = 6
SOUND_MIN = 5
#: Lower-case name particles that may open a looked-up name ("al-Nusra").
_CAPITAL_PREFIXES = frozenset({"al-", "el-", "ad-", "as-", "ar-", "az-", "ez-", "an-", "at-"})
#: What may stand between a sentence's end and its first word.
_OPENING = "\"'“‘«([¿¡-–— \t\r\xa0"


def _looked_up_shape(variant: str) -> bool:
    """Whether a gazetteer name is looked up in capitalised runs (a run of words, each
    capitalised and otherwise in lower case, or a name particle) rather than matched
    by the regex (names in lower case, acronyms, other shapes)."""
    words = variant.split()
    if not words or not words[0][:1].isupper():
        return False
    for word in words:
        core = word.split("-", 1)[1] if word[:3] in _CAPITAL_PREFIXES and "-" in word else word
        letters = [c for c in core if c.isalpha()]
        if not letters:
            return False
        if letters[0].isupper() and any(c.isupper() for c in letters[1:]):
            return False  # an acronym or a name written in capitals
        if not letters[0].isupper() and word.casefold() not in _CONNECTORS:
            return False
    return True


#: Lower-case words a looked-up name may hold ("Bab al Aziziya", "Khan el Khalili").
_CONNECTORS = frozenset({"al", "el", "ad", "as", "ar", "az", "ez", "an", "at", "de", "del", "di",
                         "of", "bin", "ibn", "ben", "abu", "da", "do", "du", "des", "la", "le",
                         "ul", "ud", "y", "e", "i"})


def _opens_sentence(text: str, at: int) -> bool:
    """Whether the word at ``at`` opens a sentence (nothing but spaces, quotes or a dash
    since a sentence end, a line break or the text's start)."""
    i = at - 1
    while i >= 0 and text[i] in _OPENING:
        i -= 1
    return i < 0 or text[i] in ".!?…:;\n"


_LOWER_CACHE: list[tuple[str, frozenset[str]]] = []
_PERSONS_CACHE: list[tuple[str, frozenset[str]]] = []


def lower_words(text: str) -> frozenset[str]:
    """The words (case-folded) that ``text`` writes in lower case somewhere, found once
    per text (the last text asked about is kept)."""
    if _LOWER_CACHE and _LOWER_CACHE[0][0] is text:
        return _LOWER_CACHE[0][1]
    words = frozenset(m.group(0).casefold() for m in _LOWER_WORD.finditer(text)
                      if m.group(0)[0].islower())
    _LOWER_CACHE[:] = [(text, words)]
    return words


_LOWER_WORD = re.compile(r"(?<![\w'’-])[^\W\d_][\w'’-]*")
#: Capital letters a name may start with (Latin, with accents: "Égypte", "Ürümqi").
_CAPITALS = "".join(chr(c) for c in (*range(0x41, 0x250), *range(0x1E00, 0x1F00))
                    if chr(c).isupper())


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
    #: Kinds whose words may also tell of happenings of the listed kinds.
    also: dict[str, frozenset[str]]
    #: Gazetteer names looked up in capitalised runs: folded form -> ``kind:canonical``.
    folded: dict[str, str]
    #: The same by sound key (unambiguous keys of :data:`SOUND_MIN` letters or more).
    sounds: dict[str, str]
    #: Folded names only derived gazetteers give: not taken where they name a person.
    derived: frozenset[str]
    #: Words that announce a person's name ("President", "le président").
    titles: _Matcher

    def find_names(self, text: str, start: int = 0, end: int | None = None) -> list[Match]:
        """Gazetteer names in ``text[start:end]``, in text order (see the module)."""
        found = self.names.finditer(text, start, end)
        looked = [m for m in self._looked_up(text, start, end)
                  if not any(m.start < f.end and f.start < m.end for f in found)]
        return sorted(found + looked, key=lambda m: (m.start, m.end)) if looked else found

    def name_runs(self, text: str, start: int = 0, end: int | None = None
                  ) -> list[tuple[int, int]]:
        """Runs of capitalised words in ``text[start:end]``, without a first word that
        only opens its sentence (written in lower case elsewhere in the text)."""
        end = len(text) if end is None else end
        runs = []
        lower: frozenset[str] | None = None
        for m in self.capitalised_name.finditer(text, start, end):
            s, e = m.start(), m.end()
            if _opens_sentence(text, s):
                first = _FIRST_WORD.match(text, s, e)
                if first is not None:
                    lower = lower_words(text) if lower is None else lower
                    if first.group(0).casefold() in lower:
                        s = first.end()
                        while s < e and text[s].isspace():
                            s += 1
            if s < e:
                runs.append((s, e))
        return runs

    def _looked_up(self, text: str, start: int, end: int | None) -> list[Match]:
        """Gazetteer names of capitalised runs, longest first from each word.

        A name that only a derived gazetteer gives is not taken where it names a person
        (:meth:`_persons`: after a title or a first name, here or elsewhere in the
        text), nor next to a capitalised word no gazetteer knows ("Washington Post").
        """
        found = []
        for s, e in self.name_runs(text, start, end):
            words = [(w.start(), w.end()) for w in _WORD.finditer(text, s, e)]
            hits = self._run_hits(text, words)
            for n, (i, j, key) in enumerate(hits):
                phrase = text[words[i][0]:words[j - 1][1]]
                folded = fold(phrase)
                if folded in self.derived and (
                        folded in self._persons(text)
                        or (i > 0 and (n == 0 or hits[n - 1][1] < i)
                            and self._unknown(text, words[i - 1]))
                        or (j < len(words) and (n + 1 == len(hits) or hits[n + 1][0] > j)
                            and self._unknown(text, words[j]))):
                    continue
                found.append(Match(words[i][0], words[j - 1][1], phrase, key))
        return found

    def _run_hits(self, text: str, words: list[tuple[int, int]]
                  ) -> list[tuple[int, int, str]]:
        """(first word, end word, key) of the gazetteer names of a run, longest first."""
        hits = []
        i = 0
        while i < len(words):
            if text[words[i][0]].isupper() or text[words[i][0]:words[i][0] + 3] \
                    in _CAPITAL_PREFIXES:
                for j in range(min(len(words), i + MAX_NAME_WORDS), i, -1):
                    phrase = text[words[i][0]:words[j - 1][1]]
                    key = self.folded.get(fold(phrase))
                    if key is None:
                        sound = sound_key(phrase)
                        key = self.sounds.get(sound) if len(sound) >= SOUND_MIN else None
                    if key is not None:
                        hits.append((i, j, key))
                        i = j - 1
                        break
            i += 1
        return hits

    def _unknown(self, text: str, word: tuple[int, int]) -> bool:
        """A capitalised word that is no gazetteer name, connector or common capital."""
        written = text[word[0]:word[1]].strip(".,;:")
        return (written[:1].isupper() and written not in self.capitalised_stop
                and fold(written) not in self.folded and written.casefold() not in _CONNECTORS)

    def _persons(self, text: str) -> frozenset[str]:
        """Names of derived gazetteers that ``text`` uses as someone's name somewhere:
        after a title ("le président Morsi") or a first name ("Mohamed Morsi"); found
        once per text."""
        if _PERSONS_CACHE and _PERSONS_CACHE[0][0] is text:
            return _PERSONS_CACHE[0][1]
        persons: set[str] = set()
        title_ends = {m.end for m in self.titles.finditer(text)}
        for s, e in self.name_runs(text):
            words = [(w.start(), w.end()) for w in _WORD.finditer(text, s, e)]
            for n, word in enumerate(words):
                folded = fold(text[word[0]:word[1]])
                if folded not in self.derived:
                    continue
                before = text[:word[0]].rstrip()
                if len(before) in title_ends or (n > 0 and self._unknown(text, words[n - 1])):
                    persons.add(folded)
        found = frozenset(persons)
        _PERSONS_CACHE[:] = [(text, found)]
        return found

    def find_events(self, text: str, start: int = 0, end: int | None = None) -> list[Match]:
        return self.events.finditer(text, start, end)

    def statement_kinds(self, text: str, start: int, end: int,
                        events: list[Match] | None = None,
                        at: int | None = None) -> tuple[str, ...]:
        """Kinds of happening a statement tells, from its event words ([kinds]).

        Event words in a phrase about another happening ("hours before the
        ceasefire", "setelah serangan itu", up to the next comma) do not count,
        unless no other word has a kind; a kind that another word of the
        statement takes as its object ("suspended the ceasefire") does not count.
        When the statement's date (at ``at``) is itself in such a phrase ("since
        Morsi's removal on Wednesday, clashes ..."), the dated happening is that
        phrase's: its words give the kinds; so do the words of the date's own clause
        when it has some ("the EU condemned the attacks, including the bombing of 3
        June, ...": the bombing).

        >>> vocab = load_vocabulary()
        >>> text = "An air raid killed seven people on Saturday, hours before the ceasefire began."
        >>> vocab.statement_kinds(text, 0, len(text))
        ('violence',)
        >>> text = "Rusia menangguhkan gencatan senjata pada Kamis."
        >>> vocab.statement_kinds(text, 0, len(text))
        ('suspension',)
        >>> text = "Depuis la destitution de Morsi mercredi, des heurts ont fait dix morts."
        >>> vocab.statement_kinds(text, 0, len(text), at=text.index("mercredi"))
        ('power',)
        >>> vocab.statement_kinds(text, 0, len(text))
        ('violence',)
        >>> text = "La UE condenó los ataques, incluido el atentado del 3 de junio, y pidió calma."
        >>> vocab.statement_kinds(text, 0, len(text), at=text.index("3 de junio"))
        ('violence',)
        """
        events = self.find_events(text, start, end) if events is None else events
        if at is not None:
            # the words of the date's own phrase (between clause marks) date with it:
            # "condemned the attacks, including the bombing of 3 June, ..."
            left = max((m.end() for m in _CONTEXT_END.finditer(text, start, at)), default=start)
            right = _CONTEXT_END.search(text, at, end)
            own = [m for m in events if left <= m.start and m.end <= (right.start() if right
                                                                       else end)]
            if own and len(own) < len(events) and any(m.canonical in self.kinds for m in own):
                return self.statement_kinds(text, left, right.start() if right else end, own)
        scopes = []
        for opener in self.context_openers.finditer(text, start, end):
            stop = _CONTEXT_END.search(text, opener.end, end)
            scopes.append((opener.start, stop.start() if stop else end))
        every = {self.kinds[m.canonical] for m in events if m.canonical in self.kinds}
        dated = [(a, b) for a, b in scopes if at is not None and a <= at < b]
        main = {self.kinds[m.canonical] for m in events if m.canonical in self.kinds
                and any(a <= m.start < b for a, b in dated)} if dated else set()
        main = main or {self.kinds[m.canonical] for m in events if m.canonical in self.kinds
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
    folded: dict[str, str] = {}
    sounds: dict[str, str] = {}
    sound_from: dict[str, int] = {}  # sound key -> the gazetteer that gave it
    kind_of: dict[str, str] = {}
    derived: set[str] = set()
    titles: dict[str, str] = {}
    for number, name in enumerate(gazetteers):
        gazetteer = load_gazetteer(name)
        for kind, table in (("actor", gazetteer.actors), ("place", gazetteer.places)):
            for canonical, variants in table.items():
                # an entry that a gazetteer read before names already keeps its key
                key = folded.get(gazetteer.folds.get(variants[0], "")) \
                    or f"{kind_of.setdefault(canonical, kind)}:{canonical}"
                for variant in variants:
                    if not _looked_up_shape(variant):
                        names.setdefault(variant, key)
                        continue
                    if gazetteer.folds[variant] not in folded and gazetteer.derived:
                        derived.add(gazetteer.folds[variant])
                    folded.setdefault(gazetteer.folds[variant], key)
                    sound = gazetteer.sounds[variant]
                    if len(sound) < SOUND_MIN or gazetteer.derived:
                        continue  # the world's names by sound would find towns in anything
                    if sound_from.setdefault(sound, number) == number \
                            and sounds.setdefault(sound, key) != key:
                        sounds[sound] = ""  # two entries of one gazetteer: no key
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
        for word in data.get("capitalised", {}).get("titles", []):
            titles.setdefault(word, "title")
        sayer_starts.update(w.casefold() for w in rep.get("sayer_starts", []))
        for word in data.get("context", {}).get("openers", []):
            context_openers.setdefault(word, f"cue:{word.casefold()}")
    governs = {kind: set(objects) for kind, objects in common.event_kinds_governing.items()}
    kinds = _event_kinds(common.path, common.event_kinds, governs, set(events.values()),
                         common.event_kinds_also)
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
        also={k: frozenset(v) for k, v in common.event_kinds_also.items()},
        folded=folded,
        sounds={sound: key for sound, key in sounds.items() if key},
        derived=frozenset(derived),
        titles=_Matcher(titles),
    )


def _event_kinds(path: Path, kind_lists: dict[str, tuple[str, ...]],
                 governs: dict[str, set[str]], event_keys: set[str],
                 also: dict[str, tuple[str, ...]] | None = None) -> dict[str, str]:
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
    for section, table in (("event_kinds_governing", governs),
                           ("event_kinds_also", also or {})):
        for governor, objects in table.items():
            for kind in (governor, *objects):
                if kind not in declared:
                    raise LanguageDataError(f"{path}: [{section}]: {kind!r} "
                                            "is not a kind of [event_kinds]")
    return kinds


def _capitalised_name_regex(prefixes: set[str], connectors: set[str]) -> re.Pattern[str]:
    """A run of capitalised words, letting name particles join it ("Abu al-Fadl Abbas")."""
    def alternation(words: set[str]) -> str:
        return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))

    capital = f"[{_CAPITALS}]"
    word = r"(?:(?:" + alternation(prefixes) + r")?" + capital + r"[\w'’-]*)" if prefixes else \
        r"(?:" + capital + r"[\w'’-]*)"
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
