"""Language data: one folder per language, read and checked by one loader.

The engine knows no words. Everything language-specific lives in
``timeline/lang/<code>/``:

- ``temporal.toml``: temporal vocabulary and extraction rules (layout in the
  header of ``id/temporal.toml``), compiled once into matchers;
- ``events.toml``: the event vocabulary (event words, quantity nouns, reporting
  verbs, sentence abbreviations), read by :mod:`timeline.events.vocabulary`;
- ``examples.toml``: example sentences with every expected expression, run by
  the test suite.

``common.toml`` holds what every language shares (TIMEX3 types, mods, vague
references, part-of-day codes, units). Domain gazetteers (the actors and places
of one conflict) are not language data: see ``timeline/gazetteers/``.

Files are validated when loaded: an unknown section or key, a rule of an unknown
kind, a named group the kind does not read, a slot the kind needs but the pattern
lacks, a reference to a lexicon that does not exist, a rule example without
the value it must give, or a code that ``common.toml`` does not know raises
:class:`LanguageDataError` naming the file, the rule and the problem.

Adding a language means adding a folder. Folders are looked for in this package
and in the directories of ``$TIMELINE_LANG_PATH`` (``os.pathsep``-separated).
"""

from __future__ import annotations

import functools
import json
import os
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from timeline.lang.keys import cost, expand, key_token, rule_clauses, trie_pattern

LANG_DIR = Path(__file__).parent
COMMON_FILE = LANG_DIR / "common.toml"
TEMPORAL_FILE = "temporal.toml"
EVENTS_FILE = "events.toml"
EXAMPLES_FILE = "examples.toml"


class LanguageDataError(ValueError):
    """A language file that does not follow the schema; the message names the
    file, the rule (when one is at fault) and the problem."""

_UPPER_LITERAL = re.compile(r"[A-Z]")
_SLOT_SUFFIX = re.compile(r"__\d+$")


@dataclass(frozen=True)
class RuleExample:
    """An example a rule carries, with the value it must give (checked by the tests).

    ``text`` is tagged (after ``before``, for narrative examples that need an
    earlier date) against ``published`` (default: the reference date of
    common.toml); the rule must find ``span`` (default: the whole text) with
    ``value``, ``type`` (default: the one the value is written in, see
    :attr:`expected_type`; a SET is said) and ``mod`` (default: none). A rule
    that only keeps look-alikes out (kind ``not_temporal``) gives ``value = ""``:
    nothing in its span is tagged.
    """

    text: str
    value: str
    type: str | None = None
    mod: str | None = None
    published: str | None = None
    before: str = ""
    span: str | None = None

    @property
    def expected_type(self) -> str:
        """``type`` when given, else the type the value is written in: a
        duration ``P…``, a time ``…T…``, else a date.

        >>> RuleExample("tiga bulan", "P3M").expected_type, RuleExample("malam", "2019-04-22TNI").expected_type
        ('DURATION', 'TIME')
        >>> RuleExample("dulu", "PAST_REF").expected_type
        'DATE'
        """
        if self.type:
            return self.type
        if self.value.endswith("_REF"):
            return "DATE"
        if self.value.startswith("P"):
            return "DURATION"
        return "TIME" if "T" in self.value else "DATE"


@dataclass(frozen=True)
class Rule:
    """One extraction rule: a compiled pattern and the kind of value it builds."""

    name: str
    kind: str
    regex: re.Pattern[str]
    examples: tuple[RuleExample, ...]
    params: dict[str, Any] = field(default_factory=dict)
    #: Matched against the lower-cased text (all rules but case-sensitive ones).
    on_lowered: bool = True
    #: Atoms every match contains (see keys.py), and the clause scanned around.
    clauses: tuple[frozenset[str], ...] = ()
    key: frozenset[str] | None = None


class PhraseTable(dict):
    """Phrases (lower case, single-spaced) to their meaning, knowing the words
    they end with, so that most lookups are rejected at once."""

    def __init__(self, entries) -> None:
        super().__init__(entries)
        self.last_words = frozenset(phrase.split()[-1] for phrase in self)


_EDGE_PUNCTUATION = ".,;:!?\"'“”‘’()[]«»"


@dataclass(frozen=True)
class TenseCues:
    """Words (and short phrases) that point to the future or the past.

    A cue written with a leading apostrophe ("'ll") is a word ending.
    """

    future: frozenset[str]
    past: frozenset[str]
    future_endings: tuple[str, ...]
    longest: int
    #: Words that open a clause ("that", "which", "bahwa"): a cue beyond one
    #: belongs to another verb.
    clause_openers: frozenset[str] = frozenset()
    #: Every word of every cue: a walk need only look up phrases around one.
    cue_words: frozenset[str] = frozenset()
    #: Phrases holding a cue word that are no cue ("next to").
    not_cues: frozenset[str] = frozenset()
    #: Words before a future cue that set the plan in the past ("had been
    #: scheduled to", "previously planned"): a past cue.
    past_markers: frozenset[str] = frozenset()
    #: First words of the phrases of more than one word: only there can one start.
    phrase_starts: frozenset[str] = frozenset()

    @classmethod
    def of(cls, future: list[str], past: list[str], clause_openers=(), not_cues=(),
           past_markers=()) -> TenseCues:
        def words(cues):
            return frozenset(_normalise(c) for c in cues if not c.startswith(("'", "’")))

        endings = tuple(c.lower() for c in future if c.startswith(("'", "’")))
        longest = max((len(c.split()) for c in [*future, *past, *not_cues]), default=1)
        future_words, past_words, neutral = words(future), words(past), words(not_cues)
        every = future_words | past_words | neutral
        return cls(future_words, past_words, endings, longest, words(clause_openers),
                   frozenset(w for cue in every for w in cue.split()),
                   neutral, words(past_markers),
                   frozenset(cue.split()[0] for cue in every if " " in cue))

    def nearest(self, words: list[str], backwards: bool) -> bool | None:
        """True (future), False (past) or None: the cue nearest the span, walking
        `words` (in text order; from the end when `backwards`) within the clause.

        A cue word is read as the longest listed phrase around it, so that "next
        to" (no cue) is not "next"; a future cue after a past marker ("had been
        scheduled to") is past."""
        clean = [raw.strip(_EDGE_PUNCTUATION) for raw in words]
        for i in (range(len(clean) - 1, -1, -1) if backwards else range(len(clean))):
            word = clean[i]
            if word in self.clause_openers:
                return None
            if word in self.cue_words:
                found = self._cue_at(clean, i)
                if found is not None:
                    return found
            if self.future_endings and words[i].endswith(self.future_endings):
                return True
        return None

    def _cue_at(self, words: list[str], i: int) -> bool | None:
        """The meaning of the longest cue phrase (or no-cue phrase) holding word `i`."""
        longest = self.longest
        for size in range(min(longest, len(words)), 0, -1):
            for start in range(max(0, i - size + 1), min(i, len(words) - size) + 1):
                if size > 1 and words[start] not in self.phrase_starts:
                    continue
                phrase = " ".join(words[start:start + size])
                if phrase in self.not_cues:
                    return None
                if phrase in self.future:
                    before = words[max(0, start - 2):start]
                    if any(" ".join(before[k:]) in self.past_markers for k in range(len(before))):
                        return False
                    return True
                if phrase in self.past:
                    return False
        return None


@dataclass(frozen=True)
class Language:
    """A language's compiled temporal knowledge."""

    code: str
    name: str
    lexicons: dict[str, dict[str, Any]]
    rules: tuple[Rule, ...]
    #: key word -> lexicons with an entry holding it, for finding rule keys,
    #: and one matcher for all key words.
    token_index: dict[str, frozenset[str]]
    token_re: re.Pattern[str]
    #: "ON_OR_AFTER" etc. from a preposition just before a span (kept out of it).
    preposition_mod: dict[str, str]
    #: "START" etc. from a modifier just before a span (kept in it).
    modifier_mod: dict[str, str]
    #: Future cues ("akan", "will") and past cues ("mengatakan", "said").
    tense_cues: TenseCues
    not_before_re: re.Pattern[str] | None
    stopwords: frozenset[str]
    #: Numeric date order ("dmy", "mdy", "ymd") of the language's own writing.
    numeric_order: str = "dmy"
    #: How numbers mark decimals ("5,5" in Indonesian, "5.5" in English).
    decimal_mark: str = "."
    #: Part-of-day codes after which a clock hour under 12 is after noon.
    pm_parts: frozenset[str] = frozenset()
    #: Words between a period and the day it ends ("the quarter ended Sept.
    #: 30"), matched whole: that day only describes the period.
    period_end_re: re.Pattern[str] | None = None
    #: The event vocabulary (events.toml, validated), empty when the language has none.
    events: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    #: The folder the language was read from.
    folder: Path | None = field(default=None, compare=False)
    #: (slot, text) -> meaning, filled as texts are read.
    lookup_cache: dict[tuple[str, str], Any] = field(default_factory=dict, compare=False,
                                                     repr=False)

    def lookup(self, slot: str, text: str) -> Any:
        """Meaning of `text` filling `slot`, from lexicon slot, slot_abbr or slot_ambiguous.

        Slots named `*_rel` (year_rel, week_rel) read the `rel` lexicon.
        """
        cache_key = (slot, text)
        if cache_key in self.lookup_cache:
            return self.lookup_cache[cache_key]
        name = _SLOT_SUFFIX.sub("", slot)
        if name.endswith("_rel"):
            name = "rel"
        key = _normalise(text)
        meaning = None
        for lexicon in (name, name + "_abbr", name + "_ambiguous"):
            table = self.lexicons.get(lexicon)
            if table is not None and key in table:
                meaning = table[key]
                break
        if len(self.lookup_cache) < 100_000:
            self.lookup_cache[cache_key] = meaning
        return meaning


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower().rstrip("."))


def _coerce_key(key: str) -> Any:
    """Meaning keys are numbers where they look like numbers ("1", "-1", "0.5")."""
    if re.fullmatch(r"-?\d+", key):
        return int(key)
    if re.fullmatch(r"-?\d+\.\d+", key):
        return float(key)
    return key


def _build_lexicons(raw: dict[str, dict[str, Any]]) -> tuple[dict[str, dict[str, Any]],
                                                              dict[str, list[str]]]:
    """Each lexicon as normalised surface -> meaning, whichever way the file wrote it,
    and the surfaces as written (lower case, dots kept) for the matchers."""
    lexicons: dict[str, dict[str, Any]] = {}
    surfaces: dict[str, list[str]] = {}
    for name, entries in raw.items():
        table: dict[str, Any] = {}
        written: list[str] = []
        for key, value in entries.items():
            pairs = [(s, _coerce_key(key)) for s in value] if isinstance(value, list) \
                else [(key, value)]  # meaning = [surfaces], or surface = meaning
            for surface, meaning in pairs:
                table[_normalise(surface)] = meaning
                written.append(re.sub(r"\s+", " ", surface.strip().lower()))
        lexicons[name] = table
        surfaces[name] = written
    return lexicons, surfaces


def alternation(words) -> str:
    """A regex alternation of words, longest first, spaces matching any white space.

    >>> alternation(["bulan", "bulan lalu"])
    '(?:bulan\\\\s+lalu|bulan)'
    """
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    parts = [r"\s+".join(re.escape(piece) for piece in w.split(" ")) for w in ordered]
    return "(?:" + "|".join(parts) + ")"


# --- the shared file ------------------------------------------------------------------


@dataclass(frozen=True)
class Common:
    """What every language shares (``common.toml``)."""

    types: frozenset[str]
    mods: frozenset[str]
    references: frozenset[str]
    #: Part-of-day code -> True when a clock hour said with it is after noon.
    parts: dict[str, bool]
    #: Unit code -> granularity of a period of it ("" for units under a day).
    units: dict[str, str]
    #: Reference publication date of the rules' own examples.
    example_published: str
    #: Kind of happening -> the canonical event keys of that kind.
    event_kinds: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: Kind -> the kinds its words take as their object ("condemned the strike").
    event_kinds_governing: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: Quantity-noun classes compared also without a count ("troops", "pasukan").
    participants: tuple[str, ...] = ()
    #: The file read.
    path: Path = COMMON_FILE


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise LanguageDataError(f"{path}: not valid TOML: {exc}") from None


@functools.cache
def load_common() -> Common:
    path = COMMON_FILE
    data = _read_toml(path)
    timex = data["timex"]
    return Common(frozenset(timex["types"]), frozenset(timex["mods"]),
                  frozenset(timex["references"]),
                  {code: bool(entry["pm"]) for code, entry in data["parts"].items()},
                  dict(data["units"]), data["examples"]["published"],
                  {kind: tuple(keys) for kind, keys in data.get("event_kinds", {}).items()},
                  {kind: tuple(objects)
                   for kind, objects in data.get("event_kinds_governing", {}).items()},
                  tuple(data.get("participants", {}).get("classes", [])), path)


# --- validation -------------------------------------------------------------------------

_TEMPORAL_SECTIONS = {"language", "lexicon", "patterns", "rule", "context", "detect"}
_LANGUAGE_KEYS = {"code", "name", "numeric_order", "decimal_mark", "covers"}
_RULE_OPTIONS = {"name", "kind", "pattern", "example", "examples", "case_sensitive",
                 "not_after", "not_before", "fallback_anchor", "mod"}
#: Groups that are context, not meaning (see extract.py): text kept out of the
#: span (pre), a separator repeated by a back reference (sep), a modifier inside
#: the span ("pukul ... sekitar").
CONTEXT_GROUPS = frozenset({"pre", "sep", "inner_mod"})
_CONTEXT_KEYS = {"prepositions", "modifiers", "future", "past", "not_before", "clause_openers",
                 "not_cues", "past_markers", "period_end"}
#: A part of the day may also be written as the clock time it stands for ("12:00").
_CLOCK_CODE = re.compile(r"(?:[01]\d|2[0-3]):[0-5]\d")
_EXAMPLE_KEYS = {"text", "value", "type", "mod", "published", "before", "span"}
#: Lexicons whose meanings are codes of common.toml.
_CODED_LEXICONS = {"part": "parts", "unit": "units", "unit_one": "units", "period": "units",
                   "weekend": "units"}
_EVENTS_SECTIONS = {
    "language": str, "events": dict, "quantity_nouns": dict, "reporting": dict,
    "sentences": dict, "capitalised": dict, "context": dict,
}
_EVENTS_KEYS = {
    "reporting": {"verbs", "nouns", "complementizers", "clause_openers", "content_openers",
                  "coordinators", "attribution", "sayer_starts", "attribution_verbs"},
    "sentences": {"abbreviations"},
    "capitalised": {"name_prefixes", "name_connectors", "words"},
    "context": {"openers"},
}


class _Problems:
    """Collects what is wrong with one file, to raise it all at once."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.items: list[str] = []

    def add(self, message: str, rule: str | None = None) -> None:
        self.items.append(f"rule {rule!r}: {message}" if rule else message)

    def raise_any(self) -> None:
        if self.items:
            listed = "\n  ".join(self.items)
            raise LanguageDataError(f"{self.path}: {len(self.items)} problem(s):\n  {listed}")


def _string_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _check_lexicons(raw: dict[str, Any], common: Common, problems: _Problems) -> None:
    for name, entries in raw.items():
        if not isinstance(entries, dict):
            problems.add(f"[lexicon.{name}] is not a table")
            continue
        base = re.sub(r"_(?:abbr|ambiguous)$", "", name)
        codes = getattr(common, _CODED_LEXICONS[base]) if base in _CODED_LEXICONS else None
        for key, value in entries.items():
            meanings = [key] if isinstance(value, list) else [value]
            if isinstance(value, list) and not _string_list(value):
                problems.add(f"[lexicon.{name}] {key}: surfaces must be strings")
            if codes is not None and any(m not in codes and not (base == "part" and isinstance(
                    m, str) and _CLOCK_CODE.fullmatch(m)) for m in meanings):
                problems.add(f"[lexicon.{name}] {key} = {value!r}: unknown code "
                             f"(common.toml knows {', '.join(sorted(codes))})")
            if base in ("ref", "ref_at") and any(m not in common.references for m in meanings):
                problems.add(f"[lexicon.{name}] {key}: unknown reference "
                             f"(common.toml knows {', '.join(sorted(common.references))})")


def _check_context(context: dict[str, Any], common: Common, problems: _Problems) -> None:
    for key in sorted(set(context) - _CONTEXT_KEYS):
        problems.add(f"[context] unknown key {key!r} (known: {', '.join(sorted(_CONTEXT_KEYS))})")
    for table, allow_empty in (("prepositions", False), ("modifiers", True)):
        for mod, words in context.get(table, {}).items():
            if not (mod in common.mods or (allow_empty and mod == "")):
                problems.add(f"[context] {table}: unknown mod {mod!r}")
            if not _string_list(words):
                problems.add(f"[context] {table}.{mod}: words must be a list of strings")
    for key in ("future", "past", "not_before", "clause_openers", "not_cues", "past_markers",
                "period_end"):
        if key in context and not _string_list(context[key]):
            problems.add(f"[context] {key}: must be a list of strings")


def _check_examples(raw: dict[str, Any], common: Common, problems: _Problems,
                    name: str) -> None:
    listed = raw.get("examples", [])
    if not isinstance(listed, list):
        problems.add("examples: must be a list of tables", name)
        listed = []
    examples = ([raw["example"]] if "example" in raw else []) + listed
    if not examples:
        problems.add("no example: every rule carries at least one", name)
    look_alike = raw.get("kind") == "not_temporal"
    for example in examples:
        if isinstance(example, str):
            problems.add(f"example {example!r}: give its expected value "
                         f"({{ text = {json.dumps(example, ensure_ascii=False)}, "
                         f"value = \"...\" }})", name)
            continue
        if not isinstance(example, dict) or not isinstance(example.get("text"), str) \
                or not isinstance(example.get("value"), str):
            problems.add(f"example {example!r}: a table with text and value", name)
            continue
        text = example["text"]
        for key in sorted(set(example) - _EXAMPLE_KEYS):
            problems.add(f"example {text!r}: unknown key {key!r}", name)
        if look_alike != (example["value"] == ""):
            problems.add(f"example {text!r}: value \"\" (nothing tagged) is for the "
                         "examples of a not_temporal rule, and only for them", name)
        if example.get("type") is not None and example["type"] not in common.types:
            problems.add(f"example {text!r}: type {example['type']!r} is not a type of "
                         "common.toml", name)
        if example.get("mod") is not None and example["mod"] not in common.mods:
            problems.add(f"example {text!r}: mod {example['mod']!r} is not a mod of "
                         "common.toml", name)
        try:
            if example.get("published") is not None:
                date.fromisoformat(example["published"])
        except (TypeError, ValueError):
            problems.add(f"example {text!r}: published {example['published']!r} is not an "
                         "ISO date", name)
        if example.get("span") is not None and example["span"] not in text:
            problems.add(f"example {text!r}: span {example['span']!r} is not in its text",
                         name)


def _check_rule(raw: dict[str, Any], index: int, fragments: dict[str, str],
                lexicon_names: set[str], problems: _Problems) -> re.Pattern[str] | None:
    """Check one rule against the kind it names; its compiled pattern, or None."""
    from timeline.temporal.resolve import KINDS, NUMERIC_SLOTS

    name = raw.get("name")
    if not isinstance(name, str) or not name:
        problems.add(f"rule #{index + 1} has no name")
        name = f"#{index + 1}"
    for key in ("kind", "pattern"):
        if not isinstance(raw.get(key), str):
            problems.add(f"missing or non-string {key!r}", name)
            return None
    kind = KINDS.get(raw["kind"])
    if kind is None:
        problems.add(f"unknown kind {raw['kind']!r} (known: {', '.join(sorted(KINDS))})", name)
        return None
    for key in sorted(set(raw) - _RULE_OPTIONS - set(kind.slots)):
        problems.add(f"unknown key {key!r} for kind {raw['kind']!r}", name)
    if "mod" in raw and raw["mod"] not in load_common().mods:
        problems.add(f"mod {raw['mod']!r} is not a mod of common.toml", name)
    _check_examples(raw, load_common(), problems, name)
    try:
        source = expand(raw["pattern"], fragments)
    except (KeyError, ValueError) as exc:
        problems.add(f"pattern: {exc.args[0]}", name)
        return None
    try:
        regex = re.compile(source)
    except re.error as exc:
        problems.add(f"bad pattern: {exc}", name)
        return None
    groups = {re.sub(r"__\d+$", "", g) for g in regex.groupindex}
    for group in sorted(groups - set(kind.slots) - CONTEXT_GROUPS):
        problems.add(f"group {group!r} is not a slot of kind {raw['kind']!r} "
                     f"(its slots: {', '.join(sorted(kind.slots))})", name)
    filled = groups | (set(raw) & set(kind.slots))
    for need in kind.needs:
        if not filled & need:
            problems.add(f"kind {raw['kind']!r} needs a group named "
                         f"{' or '.join(sorted(need))}; the pattern has none", name)
    for slot in sorted(groups & set(kind.slots)):
        lexicon = kind.slots[slot]
        if lexicon is None or slot in NUMERIC_SLOTS:
            continue
        if not {lexicon, lexicon + "_abbr", lexicon + "_ambiguous"} & lexicon_names:
            problems.add(f"slot {slot!r} reads lexicon {lexicon!r}, which the file lacks", name)
    return regex


def check_events(data: dict[str, Any], path: Path) -> dict[str, Any]:
    """Validate an events.toml; returns it."""
    problems = _Problems(path)
    for section, value in data.items():
        expected = _EVENTS_SECTIONS.get(section)
        if expected is None:
            problems.add(f"unknown section [{section}] (known: "
                         f"{', '.join(sorted(_EVENTS_SECTIONS))})")
            continue
        if not isinstance(value, expected):
            problems.add(f"[{section}] must be a {expected.__name__}")
            continue
        if section in ("events", "quantity_nouns"):
            for key, words in value.items():
                if not _string_list(words):
                    problems.add(f"[{section}] {key}: must be a list of strings")
        for key, words in value.items() if section in _EVENTS_KEYS else ():
            if key not in _EVENTS_KEYS[section]:
                problems.add(f"[{section}] unknown key {key!r} (known: "
                             f"{', '.join(sorted(_EVENTS_KEYS[section]))})")
            elif not _string_list(words):
                problems.add(f"[{section}] {key}: must be a list of strings")
    problems.raise_any()
    return data


# --- compiling -------------------------------------------------------------------------


def compile_language(folder: Path) -> Language:
    """Read, check and compile the language in ``folder``."""
    path = folder / TEMPORAL_FILE
    data = _read_toml(path)
    common = load_common()
    problems = _Problems(path)
    for section in sorted(set(data) - _TEMPORAL_SECTIONS):
        problems.add(f"unknown section [{section}] (known: {', '.join(sorted(_TEMPORAL_SECTIONS))})")
    info = data.get("language", {})
    for key in sorted(set(info) - _LANGUAGE_KEYS):
        problems.add(f"[language] unknown key {key!r} (known: {', '.join(sorted(_LANGUAGE_KEYS))})")
    if info.get("code") != folder.name:
        problems.add(f"[language] code {info.get('code')!r} is not the folder's name "
                     f"{folder.name!r}")
    if info.get("numeric_order", "dmy") not in ("dmy", "mdy", "ymd"):
        problems.add(f"[language] numeric_order {info.get('numeric_order')!r}: dmy, mdy or ymd")
    covers = info.get("covers", [])
    if not (isinstance(covers, list)
            and all(isinstance(c, str) and re.fullmatch(r"[a-z]{2,3}", c) for c in covers)):
        problems.add(f"[language] covers {covers!r}: a list of language codes")
    _check_lexicons(data.get("lexicon", {}), common, problems)
    _check_context(data.get("context", {}), common, problems)
    lexicons, surfaces = _build_lexicons(data.get("lexicon", {}))
    fragments = {name: alternation(words) for name, words in surfaces.items() if words}
    fragments.update(data.get("patterns", {}))
    names = [raw.get("name") for raw in data.get("rule", [])]
    for duplicate in sorted({n for n in names if n and names.count(n) > 1}):
        problems.add("two rules have this name", duplicate)
    rules = []
    for index, raw in enumerate(data.get("rule", [])):
        regex = _check_rule(raw, index, fragments, set(lexicons), problems)
        if regex is None:
            continue
        # Rules run on lower-cased text without IGNORECASE, which is several times
        # faster; their literals must be lower case. Case-sensitive rules run on
        # the text as written.
        on_lowered = not raw.get("case_sensitive")
        if on_lowered and _UPPER_LITERAL.search(re.sub(r"\\.|\(\?P[<=]", "", raw["pattern"])):
            problems.add("upper-case letters in a pattern that matches lower-cased text "
                         "(mark it case_sensitive)", raw["name"])
            continue
        clauses = rule_clauses(raw["pattern"], data.get("patterns", {}), set(surfaces))
        # (An example the checks above refused is reported with them, below.)
        listed = raw.get("examples", [])
        examples = tuple(RuleExample(**e) for e in ([raw["example"]] if "example" in raw else [])
                         + (listed if isinstance(listed, list) else [])
                         if isinstance(e, dict) and {"text", "value"} <= set(e) <= _EXAMPLE_KEYS)
        params = {k: v for k, v in raw.items()
                  if k not in ("name", "kind", "pattern", "example", "examples", "case_sensitive")}
        # Words that, just before or after a match, make it something else
        # ("Pasar Minggu", "jam tangan"): compiled once here.
        if "not_after" in params:
            params["not_after"] = PhraseTable((_normalise(w), True) for w in params["not_after"])
        if "not_before" in params:
            params["not_before"] = re.compile(
                r"[\s-]*" + alternation(params["not_before"]) + r"\b", re.IGNORECASE)
        key = min(clauses, key=cost) if clauses else None
        rules.append(Rule(raw["name"], raw["kind"], regex, examples, params, on_lowered,
                          clauses, key))
    events_path = folder / EVENTS_FILE
    events = check_events(_read_toml(events_path), events_path) if events_path.is_file() else {}
    problems.raise_any()

    stopwords = frozenset(data.get("detect", {}).get("stopwords", []))
    token_index: dict[str, set[str]] = {}
    for name, words in surfaces.items():
        for surface in words:
            token = key_token(surface, stopwords)
            if token:
                token_index.setdefault(token, set()).add(name)
    context = data.get("context", {})
    prepositions = PhraseTable((_normalise(w), mod) for mod, ws in
                               context.get("prepositions", {}).items() for w in ws)
    modifiers = PhraseTable((_normalise(w), mod) for mod, ws in
                            context.get("modifiers", {}).items() for w in ws)
    # Reporting verbs (events.toml) are past cues too: "said", "mengatakan".
    past = [*context.get("past", []), *events.get("reporting", {}).get("verbs", [])]
    return Language(
        code=info["code"],
        name=info["name"],
        lexicons=lexicons,
        rules=tuple(rules),
        token_index={token: frozenset(names) for token, names in token_index.items()},
        token_re=re.compile(r"\b" + trie_pattern(token_index) + r"\b"),
        preposition_mod=prepositions,
        modifier_mod=modifiers,
        tense_cues=TenseCues.of(context.get("future", []), past,
                                context.get("clause_openers", []), context.get("not_cues", []),
                                context.get("past_markers", [])),
        not_before_re=(re.compile(r"\s*" + alternation(context["not_before"]) + r"\b",
                                  re.IGNORECASE) if context.get("not_before") else None),
        stopwords=stopwords,
        numeric_order=info.get("numeric_order", "dmy"),
        decimal_mark=info.get("decimal_mark", "."),
        pm_parts=frozenset(code for code, pm in common.parts.items() if pm),
        period_end_re=(re.compile(r"[\s,]*" + alternation(context["period_end"]) + r"\s+",
                                  re.IGNORECASE) if context.get("period_end") else None),
        events=events,
        folder=folder,
    )


def language_dirs() -> list[Path]:
    """Where language folders are looked for: the package, then $TIMELINE_LANG_PATH."""
    extra = [Path(p) for p in os.environ.get("TIMELINE_LANG_PATH", "").split(os.pathsep) if p]
    return [LANG_DIR, *extra]


def _folder(code: str) -> Path | None:
    if not re.fullmatch(r"[a-z]{2,3}", code or ""):
        return None
    for directory in language_dirs():
        if (directory / code / TEMPORAL_FILE).is_file():
            return directory / code
    return None


def available_languages() -> list[str]:
    """Codes of the languages that have their own rules (a folder with temporal.toml)."""
    return sorted({p.parent.name for d in language_dirs() for p in d.glob(f"*/{TEMPORAL_FILE}")
                   if re.fullmatch(r"[a-z]{2,3}", p.parent.name)})


@functools.cache
def _covered(dirs: tuple[Path, ...]) -> dict[str, str]:
    """Language code -> the language whose rules also read it (``[language] covers``)."""
    covered: dict[str, str] = {}
    for directory in dirs:
        for path in sorted(directory.glob(f"*/{TEMPORAL_FILE}")):
            for code in _read_toml(path).get("language", {}).get("covers", []):
                covered.setdefault(code, path.parent.name)
    return covered


def rules_language(code: str) -> str | None:
    """The language whose rules read ``code``: its own, or the one whose
    ``[language] covers`` lists it (Malay is read by the Indonesian rules); None
    when no rules read it.

    >>> rules_language("ms"), rules_language("id"), rules_language("de")
    ('id', 'id', None)
    """
    return _rules_language(code, tuple(language_dirs()))


@functools.cache
def _rules_language(code: str, dirs: tuple[Path, ...]) -> str | None:
    # Cached: tag() asks once per text; the folders are looked up on disk.
    if _folder(code) is not None:
        return code
    return _covered(dirs).get(code)


@functools.cache
def dateparser_languages() -> frozenset[str]:
    """Primary codes of the languages dateparser reads (from its CLDR data)."""
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
    from timeline.lang.detect import normalise_lang

    code = normalise_lang(value)
    if code is None:
        return "not a language code (ISO 639-1, such as 'id' or 'en')"
    if language_support(code) is None:
        return (f"no rules for {code!r} (rules: {', '.join(available_languages())}) and "
                "dateparser does not read it")
    return None


@functools.cache
def load_language(code: str) -> Language | None:
    """The compiled rules of a language, or None when it has no folder (cached)."""
    folder = _folder(code)
    return None if folder is None else compile_language(folder)


def load_examples(code: str) -> list[dict[str, Any]]:
    """The language's example corpus (``examples.toml``): sentences with a publication
    date and every expression expected in them, annotated by hand. Empty when the
    language has no such file."""
    folder = _folder(code)
    path = None if folder is None else folder / EXAMPLES_FILE
    if path is None or not path.is_file():
        return []
    examples = _read_toml(path).get("example", [])
    problems = _Problems(path)
    for i, example in enumerate(examples):
        missing = {"text", "expect"} - set(example)
        if missing:
            problems.add(f"example #{i + 1}: missing {', '.join(sorted(missing))}")
    problems.raise_any()
    return examples
