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

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from timeline.events.matching import CONTEXT_END, Match, Matcher
from timeline.gazetteers import DEFAULT_GAZETTEERS, load_gazetteer
from timeline.gazetteers.spelling import CAPITAL_PREFIXES, CONNECTORS, fold, sound_key
from timeline.lang import (
    LanguageDataError,
    available_languages,
    load_common,
    load_language,
)

#: The words of a run of capitalised words, and its first.
_WORD = re.compile(r"\S+")
_FIRST_WORD = re.compile(r"[^\W\d_][\w'’-]*")
#: Longest gazetteer name looked up, in words; shortest sound key that finds one (letters
#: and spaces: "khan sakan").
MAX_NAME_WORDS = 6
SOUND_MIN = 5
#: What may stand between a sentence's end and its first word.
_OPENING = "\"'“‘«([¿¡-–— \t\r\xa0"


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
    names: Matcher          # actors and places, one matcher so the longest wins
    events: Matcher
    nouns: dict[str, str]    # quantity noun (case-folded) -> noun class
    participants: Matcher   # nouns of who takes part, with or without a count -> party:class
    context_openers: Matcher  # "after", "setelah": open a phrase about another happening
    noun_regex: re.Pattern[str]
    numbers: dict[str, int]  # number word -> value
    scales: dict[str, int]   # "juta" -> 1_000_000
    reporting: Matcher      # report:verb / report:noun
    complementizers: Matcher
    clause_openers: Matcher
    content_openers: Matcher
    coordinators: Matcher
    attribution: Matcher
    attribution_verbs: Matcher
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
    titles: Matcher

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
                        or (key not in self.generic and (  # a country beside a name is one
                            (i > 0 and (n == 0 or hits[n - 1][1] < i)
                             and self._unknown(text, words[i - 1]))
                            or (j < len(words) and (n + 1 == len(hits) or hits[n + 1][0] > j)
                                and self._unknown(text, words[j]))))):
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
                    in CAPITAL_PREFIXES:
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
                and fold(written) not in self.folded and written.casefold() not in CONNECTORS)

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
            left = max((m.end() for m in CONTEXT_END.finditer(text, start, at)), default=start)
            right = CONTEXT_END.search(text, at, end)
            own = [m for m in events if left <= m.start and m.end <= (right.start() if right
                                                                       else end)]
            if own and len(own) < len(events) and any(m.canonical in self.kinds for m in own):
                return self.statement_kinds(text, left, right.start() if right else end, own)
        scopes = []
        for opener in self.context_openers.finditer(text, start, end):
            stop = CONTEXT_END.search(text, opener.end, end)
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


def load_vocabulary(gazetteers: Sequence[str | Path] = DEFAULT_GAZETTEERS) -> Vocabulary:
    """Every language's event words and numerals, and the gazetteers' names (cached:
    compiled once per process for each list of gazetteers, however it is written).

    ``gazetteers`` are shipped gazetteer names or paths of gazetteer files; the
    first that gives a spelling wins it.
    """
    return compile_vocabulary(tuple(str(name) for name in gazetteers))


@cache
def compile_vocabulary(gazetteers: tuple[str, ...]) -> Vocabulary:
    """The vocabulary of these gazetteers (cached; ``compile_vocabulary.cache_clear()``
    to compile it again)."""
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
                    if variant not in gazetteer.capitalised:
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
        names=Matcher(names),
        events=Matcher(events),
        nouns=nouns,
        participants=Matcher(participants),
        context_openers=Matcher(context_openers),
        noun_regex=noun_regex,
        numbers=numbers,
        scales=scales,
        reporting=Matcher(reporting),
        complementizers=Matcher(complementizers),
        clause_openers=Matcher(openers),
        content_openers=Matcher(content),
        coordinators=Matcher(coordinators),
        attribution=Matcher(attribution),
        attribution_verbs=Matcher(attribution_verbs),
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
        titles=Matcher(titles),
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
