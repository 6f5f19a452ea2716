"""Language data: one TOML file per language, compiled once into matchers.

The engine knows no words; everything language-specific lives in
``timeline/lang/<code>.toml`` (see the header of ``id.toml`` for the layout).
Adding a language means adding a file.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from timeline.lang.keys import cost, expand, key_token, rule_clauses, trie_pattern

LANG_DIR = Path(__file__).parent

_UPPER_LITERAL = re.compile(r"[A-Z]")
_SLOT_SUFFIX = re.compile(r"__\d+$")


@dataclass(frozen=True)
class Rule:
    """One extraction rule: a compiled pattern and the kind of value it builds."""

    name: str
    kind: str
    regex: re.Pattern[str]
    examples: tuple[str, ...]
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
    #: Every word of every cue: a walk need only look up phrases ending in one.
    cue_words: frozenset[str] = frozenset()

    @classmethod
    def of(cls, future: list[str], past: list[str], clause_openers=()) -> TenseCues:
        def words(cues):
            return frozenset(_normalise(c) for c in cues if not c.startswith(("'", "’")))

        endings = tuple(c.lower() for c in future if c.startswith(("'", "’")))
        longest = max((len(c.split()) for c in [*future, *past]), default=1)
        future_words, past_words = words(future), words(past)
        return cls(future_words, past_words, endings, longest, words(clause_openers),
                   frozenset(w for cue in future_words | past_words for w in cue.split()))

    def nearest(self, words, backwards: bool) -> bool | None:
        """True (future), False (past) or None: the first cue met walking `words`
        (nearest first), within the clause; phrases are read in text order."""
        seen: list[str] = []
        for raw in words:
            word = raw.strip(_EDGE_PUNCTUATION)
            if word in self.clause_openers:
                return None
            seen.append(word)
            if word not in self.cue_words:
                if self.future_endings and raw.endswith(self.future_endings):
                    return True
                continue
            for n in range(min(self.longest, len(seen)), 0, -1):
                window = seen[-n:]
                phrase = " ".join(reversed(window) if backwards else window)
                if phrase in self.future:
                    return True
                if phrase in self.past:
                    return False
            if self.future_endings and raw.endswith(self.future_endings):
                return True
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
    #: How numbers mark decimals ("5,5" in Indonesian, "5.5" in English).
    decimal_mark: str = "."
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


def _alternation(words) -> str:
    """A regex alternation of words, longest first, spaces matching any white space."""
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    parts = [r"\s+".join(re.escape(piece) for piece in w.split(" ")) for w in ordered]
    return "(?:" + "|".join(parts) + ")"


def _compile(data: dict[str, Any]) -> Language:
    lexicons, surfaces = _build_lexicons(data.get("lexicon", {}))
    fragments = {name: _alternation(words) for name, words in surfaces.items() if words}
    fragments.update(data.get("patterns", {}))
    rules = []
    for raw in data.get("rule", []):
        # Rules run on lower-cased text without IGNORECASE, which is several times
        # faster; their literals must be lower case. Case-sensitive rules run on
        # the text as written.
        on_lowered = not raw.get("case_sensitive")
        if on_lowered and _UPPER_LITERAL.search(re.sub(r"\\.|\(\?P[<=]", "", raw["pattern"])):
            raise ValueError(f"rule {raw['name']!r}: upper-case letters in a pattern that "
                             "matches lower-cased text (mark it case_sensitive)")
        source = expand(raw["pattern"], fragments)
        try:
            regex = re.compile(source)
        except re.error as exc:
            raise ValueError(f"rule {raw['name']!r}: bad pattern: {exc}") from exc
        clauses = rule_clauses(raw["pattern"], data.get("patterns", {}), set(surfaces))
        examples = tuple([raw["example"], *raw.get("examples", [])]) if "example" in raw else ()
        params = {k: v for k, v in raw.items()
                  if k not in ("name", "kind", "pattern", "example", "examples", "case_sensitive")}
        # Words that, just before or after a match, make it something else
        # ("Pasar Minggu", "jam tangan"): compiled once here.
        if "not_after" in params:
            params["not_after"] = PhraseTable((_normalise(w), True) for w in params["not_after"])
        if "not_before" in params:
            params["not_before"] = re.compile(
                r"[\s-]*" + _alternation(params["not_before"]) + r"\b", re.IGNORECASE)
        key = min(clauses, key=cost) if clauses else None
        rules.append(Rule(raw["name"], raw["kind"], regex, examples, params, on_lowered,
                          clauses, key))
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
    return Language(
        code=data["language"]["code"],
        name=data["language"]["name"],
        lexicons=lexicons,
        rules=tuple(rules),
        token_index={token: frozenset(names) for token, names in token_index.items()},
        token_re=re.compile(r"\b" + trie_pattern(token_index) + r"\b"),
        preposition_mod=prepositions,
        modifier_mod=modifiers,
        tense_cues=TenseCues.of(context.get("future", []), context.get("past", []),
                                context.get("clause_openers", [])),
        not_before_re=(re.compile(r"\s*" + _alternation(context["not_before"]) + r"\b",
                                  re.IGNORECASE) if context.get("not_before") else None),
        stopwords=stopwords,
        decimal_mark=data["language"].get("decimal_mark", "."),
    )


def available_languages() -> list[str]:
    """Codes of the languages that have their own rules."""
    return sorted(p.stem for p in LANG_DIR.glob("*.toml") if "_" not in p.stem)


@functools.cache
def load_language(code: str) -> Language | None:
    """The compiled rules of a language, or None when it has no file (cached)."""
    path = LANG_DIR / f"{code}.toml"
    if not path.is_file():
        return None
    with path.open("rb") as handle:
        return _compile(tomllib.load(handle))
