"""Finding temporal expressions: run a language's rules, keep the best spans.

Every rule runs over the whole text; overlapping candidates are settled by
length (the longest wins, as in HeidelTime), then by rule order. A span is then
widened to take in a modifier ("awal", "late on") and the preposition before
it ("sejak", "since") is read for its `mod`, but left out of the span.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from timeline.lang import Language, Rule

#: Left context searched for modifiers and prepositions (characters).
_CONTEXT = 40
#: Groups that are context, not meaning.
_NOT_SLOTS = {"pre", "sep"}
_SLOT_SUFFIX = re.compile(r"__\d+$")


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


def _candidates(text: str, language: Language) -> list[tuple[int, int, int, re.Match[str]]]:
    found = []
    for order, rule in enumerate(language.rules):
        for match in rule.regex.finditer(text):
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
            if blocked_after is not None and blocked_after.search(
                    text, max(0, start - _CONTEXT), start):
                continue  # "Pasar Minggu", "The Sunday Times": a name
            blocked_before = rule.params.get("not_before")
            if blocked_before is not None and blocked_before.match(text, end):
                continue  # "dua jam tangan": not hours
            found.append((start, end, order, match))
    return found


def _select(candidates):
    """Longest first, then earliest, then rule order; no two kept spans overlap."""
    candidates.sort(key=lambda c: (c[0] - c[1], c[0], c[2]))
    starts: list[int] = []
    ends: list[int] = []
    kept = []
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


def find(text: str, language: Language) -> list[Found]:
    """All temporal expressions of `text` in `language`, in text order, not yet resolved."""
    kept = _select(_candidates(text, language))
    result: list[Found] = []
    previous_end = 0
    for start, end, order, match in kept:
        rule = language.rules[order]
        mod = None
        mod_outside = False
        if rule.kind not in ("set",) and language.modifier_re is not None:
            left = text[max(previous_end, start - _CONTEXT):start]
            m = language.modifier_re.search(left)
            if m:
                word = re.sub(r"[\s-]+$", "", m.group(0))
                mod = language.modifier_mod.get(_norm(word)) or None
                start -= len(m.group(0))
        if mod is None and language.preposition_re is not None:
            left = text[max(previous_end, start - _CONTEXT):start]
            m = language.preposition_re.search(left)
            if m:
                word = re.sub(r"[\s-]+$", "", m.group(0))
                mod = language.preposition_mod.get(_norm(word))
                mod_outside = mod is not None
        result.append(Found(start, end, rule, _slots(match), mod, mod_outside))
        previous_end = end
    return result


def _norm(word: str) -> str:
    return re.sub(r"\s+", " ", word.strip().lower())
