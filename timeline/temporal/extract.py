"""Finding temporal expressions: run a language's rules, keep the best spans.

Every rule runs over the whole text; overlapping candidates are settled by
length (the longest wins, as in HeidelTime), then by rule order. A span is then
widened to take in a modifier ("awal", "late on") and the preposition before
it ("sejak", "since") is read for its `mod`, but left out of the span.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from timeline.lang import Language, Rule
from timeline.lang.keys import DIGIT
from timeline.temporal import prefilter as prefilters

#: Left context searched for modifiers and prepositions (characters).
_CONTEXT = 40
#: A rule is scanned from this far before an occurrence of its key to this far
#: after it: every match holds its key, and no match is longer than this.
_BEFORE_KEY = 48
_AFTER_KEY = 64
_DIGITS = re.compile(r"\d+")
#: Groups that are context, not meaning.
_NOT_SLOTS = {"pre", "sep"}
_SLOT_SUFFIX = re.compile(r"__\d+$")
#: (start, end, rule index, match) of a span a rule matched, before spans are settled.
_Candidate = tuple[int, int, int, re.Match[str]]


@dataclass(frozen=True, slots=True)
class Found:
    """A span with the rule that matched it and the text of each slot."""

    start: int
    end: int
    rule: Rule
    slots: dict[str, str]
    mod: str | None = None
    #: The mod comes from a preposition outside the span (does not narrow the interval).
    mod_outside: bool = False


def _slots(match: re.Match[str]) -> dict[str, str]:
    slots: dict[str, str] = {}
    for name, text in match.groupdict().items():
        if text is None or name in _NOT_SLOTS:
            continue
        slots.setdefault(_SLOT_SUFFIX.sub("", name), text)
    return slots


def lower_preserving_offsets(text: str) -> str:
    """Lower-case text without changing its length (so offsets stay valid)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def _key_positions(lowered: str, language: Language) -> dict[str, list[int]]:
    """Where each lexicon's words (and digits) start in the text."""
    positions: dict[str, list[int]] = {}
    index = language.token_index
    for match in language.token_re.finditer(lowered):
        start = match.start()
        for name in index[match.group()]:
            positions.setdefault(name, []).append(start)
    digits = [m.start() for m in _DIGITS.finditer(lowered)]
    if digits:
        positions[DIGIT] = digits
    return positions


def _near(positions: list[int], low: int, high: int) -> bool:
    i = bisect.bisect_left(positions, low)
    return i < len(positions) and positions[i] < high


def _windows(starts: list[int], length: int,
             others: Sequence[list[list[int]]] = ()) -> list[tuple[int, int]]:
    """Windows around key occurrences, merged; a window is kept only if every
    other clause of the rule has an occurrence inside it too."""
    windows: list[tuple[int, int]] = []
    for start in sorted(starts):
        low, high = max(0, start - _BEFORE_KEY), min(length, start + _AFTER_KEY)
        if others and not all(any(_near(p, low, high) for p in clause) for clause in others):
            continue
        if windows and low <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(windows[-1][1], high))
        else:
            windows.append((low, high))
    return windows


def _matches(rule: Rule, target: str, positions: dict[str, list[int]]
             ) -> Iterator[re.Match[str]]:
    """Matches of one rule, trying it only where its key occurs."""
    if rule.key is None:
        yield from rule.regex.finditer(target)
        return
    others: list[list[list[int]]] = []
    for clause in rule.clauses:
        found = [positions[atom] for atom in clause if atom in positions]
        if not found:
            return  # something every match needs is absent
        if clause is not rule.key:
            others.append(found)
    starts = [p for atom in rule.key for p in positions.get(atom, ())]
    for low, high in _windows(starts, len(target), others):
        for match in rule.regex.finditer(target, low, high):
            if match.end() == high < len(target):
                # Cut by the window's end: match again with the text that follows.
                match = rule.regex.match(target, match.start()) or match
            yield match


def _scan_by_keys(text: str, lowered: str, language: Language
                  ) -> Iterator[tuple[int, re.Match[str]]]:
    """(rule index, match) pairs, each rule tried only around its keys (pure Python)."""
    positions = _key_positions(lowered, language)
    for order, rule in enumerate(language.rules):
        for match in _matches(rule, lowered if rule.on_lowered else text, positions):
            yield order, match


def _scan_by_prefilter(text: str, lowered: str, language: Language,
                       hits: Iterable[tuple[int, int, int]]
                       ) -> Iterator[tuple[int, re.Match[str]]]:
    """(rule index, match) pairs confirmed from the compiled prefilter's hits."""
    seen: set[tuple[int, int]] = set()
    rules = language.rules
    for order, start, end in hits:
        if (order, start) in seen:
            continue
        seen.add((order, start))
        rule = rules[order]
        target = lowered if rule.on_lowered else text
        match = rule.regex.match(target, start)
        if match is not None and match.end() > start:
            yield order, match
            continue
        # The approximation started earlier than the rule can (a dropped
        # look-behind, say): look for the rule's own starts in the hit's reach.
        for match in rule.regex.finditer(target, start, min(len(target), end + _AFTER_KEY)):
            if match.start() > end:
                break
            yield order, match


def _candidates(text: str, language: Language, use_prefilter: bool | None = None
                ) -> list[_Candidate]:
    found: list[_Candidate] = []
    lowered = lower_preserving_offsets(text)
    if use_prefilter is None:
        prefilter = prefilters.when_worth_it(language, len(text))
    else:
        prefilter = prefilters.for_language(language) if use_prefilter else None
    if prefilter is not None:
        pairs = _scan_by_prefilter(text, lowered, language, prefilter.hits(text))
    else:
        pairs = _scan_by_keys(text, lowered, language)
    for order, match in pairs:
        rule = language.rules[order]
        start = match.end("pre") if "pre" in rule.regex.groupindex and \
            match.group("pre") is not None else match.start()
        end = match.end()
        while end > start and text[end - 1] in " \t\r\n,":
            end -= 1
        if end <= start:
            continue
        if language.not_before_re is not None and text[end - 1].isdigit() and \
                language.not_before_re.match(text, end):
            continue  # "2013 orang": a count, not a year
        blocked_after = rule.params.get("not_after")
        if blocked_after is not None and word_before(text, max(0, start - _CONTEXT), start,
                                                     blocked_after) is not None:
            continue  # "Pasar Minggu", "The Sunday Times": a name
        blocked_before = rule.params.get("not_before")
        if blocked_before is not None and blocked_before.match(text, end):
            continue  # "dua jam tangan": not hours
        found.append((start, end, order, match))
    return found


def _select(candidates: list[_Candidate]) -> list[_Candidate]:
    """Longest first, then earliest, then rule order; no two kept spans overlap."""
    candidates.sort(key=lambda c: (c[0] - c[1], c[0], c[2]))
    starts: list[int] = []
    ends: list[int] = []
    kept: list[_Candidate] = []
    for cand in candidates:
        start, end = cand[0], cand[1]
        i = bisect.bisect_left(starts, start)
        if i > 0 and ends[i - 1] > start:
            continue
        if i < len(starts) and starts[i] < end:
            continue
        starts.insert(i, start)
        ends.insert(i, end)
        kept.append(cand)
    kept.sort(key=lambda c: c[0])
    return kept


def find(text: str, language: Language, use_prefilter: bool | None = None) -> list[Found]:
    """All temporal expressions of `text` in `language`, in text order, not yet resolved.

    The compiled prefilter is used once it is worth compiling (see
    `prefilter.when_worth_it`); `use_prefilter` True or False forces either path
    (they give the same result; tests compare them)."""
    kept = _select(_candidates(text, language, use_prefilter))
    result: list[Found] = []
    previous_end = 0
    for start, end, order, match in kept:
        rule = language.rules[order]
        mod = None
        mod_outside = False
        if rule.kind != "set":
            before = word_before(text, max(previous_end, start - _CONTEXT), start,
                                 language.modifier_mod)
            if before is not None:
                mod = language.modifier_mod[before[0]] or None
                start = before[1]
        slots = _slots(match)
        if mod is None:  # a rule may carry its own ("year-end"), or a modifier inside
            mod = rule.params.get("mod")
            if mod is None and "inner_mod" in slots:
                mod = language.modifier_mod.get(slots["inner_mod"].lower()) or None
        if mod is None:
            before = word_before(text, max(previous_end, start - _CONTEXT), start,
                                 language.preposition_mod)
            if before is not None:
                mod = language.preposition_mod[before[0]]
                mod_outside = True
        result.append(Found(start, end, rule, slots, mod, mod_outside))
        previous_end = end
    return result


def _ends_an_entry(table: Mapping[str, Any], word: str) -> bool:
    """Does some entry of `table` end with `word`?"""
    last_words = getattr(table, "last_words", None)
    if last_words is None:
        return any(entry.split()[-1] == word for entry in table)
    return word in last_words


def word_before(text: str, low: int, start: int,
                table: Mapping[str, Any]) -> tuple[str, int] | None:
    """The entry of `table` (up to three words) that ends just before `start`,
    separated from it by white space or a hyphen, and the offset where it begins.

    >>> word_before("sejak awal 2012", 0, 11, {"awal": "START"})
    ('awal', 6)
    """
    if start <= low or not (text[start - 1].isspace() or text[start - 1] == "-"):
        return None
    left = text[low:start].rstrip()
    if left.endswith("-"):  # "mid-2012"
        left = left[:-1].rstrip()
    if not left:
        return None
    if not _ends_an_entry(table, left.rsplit(None, 1)[-1].lower()):
        return None  # the usual case ("pada", "on"): nothing in the table ends so
    words = left.rsplit(None, 3)
    for n in range(min(3, len(words)), 0, -1):
        phrase = " ".join(words[-n:]).lower()
        if phrase not in table:
            continue
        head = left.rsplit(None, n)[0] if len(words) > n else ""
        rest = left[len(head):]
        begin = low + len(head) + len(rest) - len(rest.lstrip())
        if begin > 0 and (text[begin - 1].isalnum() or text[begin - 1] == "_"):
            continue  # the window cut a longer word
        return phrase, begin
    return None
