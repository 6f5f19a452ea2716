"""The compiled form of a language's temporal knowledge: its rules and lexicons.

:func:`timeline.lang.compile.compile_language` builds a :class:`Language` from a
folder; the temporal stage reads it (rules to find expressions, lexicons to give
their slots a meaning, context words for mods and tense).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from timeline.lang.tense import TenseCues
from timeline.lang.words import normalise

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
    #: Words joining the two ends of a range ("-", "to", "hingga", "al"),
    #: matched whole between two expressions: the second lies on or after the first.
    range_re: re.Pattern[str] | None = None
    #: Words joining two days of a range or a list ("el miércoles y jueves"),
    #: not two months (lists of months are in any order).
    day_range_re: re.Pattern[str] | None = None
    #: The event vocabulary (events.toml, validated), empty when the language has none.
    events: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    #: Page furniture cues (furniture.toml's [furniture], validated), empty when none.
    furniture: dict[str, list[str]] = field(default_factory=dict, compare=False, repr=False)
    #: Statement and headline cues (statements.toml, validated), empty when none.
    statements: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
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
        key = normalise(text)
        meaning = None
        for lexicon in (name, name + "_abbr", name + "_ambiguous"):
            table = self.lexicons.get(lexicon)
            if table is not None and key in table:
                meaning = table[key]
                break
        if len(self.lookup_cache) < 100_000:
            self.lookup_cache[cache_key] = meaning
        return meaning
