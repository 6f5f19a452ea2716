"""What a rule needs to match: the lexicons every match must contain.

Scanning a 4 KB article with forty regular expressions costs milliseconds,
mostly spent trying rules at positions where they cannot start. Every rule
names lexicons (`{month}`, `{weekday}`) or digits that any match must contain,
so a rule only has to be tried near an occurrence of one of them. This module
reads that off the pattern itself (with Python's own regex parser), so rules
stay plain data and their keys never drift from their patterns.

A key is a *clause*: a set of atoms ("month", "month_abbr", "#digit") at least
one of which occurs in every match. A rule's clauses must all be satisfied for
it to match at all; its cheapest clause is the one it is scanned around.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from re import _parser as sre_parse  # type: ignore[attr-defined]  # the stdlib's regex parser
from typing import Any

DIGIT = "#digit"
#: Private-use characters stand in for lexicon references while analysing.
_MARK = 0xE000
#: Atoms that occur in almost every text: keys of last resort.
_COMMON = {DIGIT: 100, "number": 60, "rel": 80, "unit": 50, "period": 40, "part": 30,
           "ref": 30, "ref_at": 30, "ago": 80, "later": 80, "earlier": 80, "zone": 20}


def _is_digit_class(items: Iterable[tuple[Any, Any]]) -> bool:
    for op, av in items:
        name = str(op)
        if name == "CATEGORY" and str(av) == "CATEGORY_DIGIT":
            continue
        if name == "LITERAL" and chr(av).isdigit():
            continue
        if name == "RANGE" and chr(av[0]).isdigit() and chr(av[1]).isdigit():
            continue
        return False
    return True


def _clauses(items: Iterable[tuple[Any, Any]], lexicons: list[str]) -> list[frozenset[str]]:
    out: list[frozenset[str]] = []
    for op, av in items:
        out.extend(_node(str(op), av, lexicons))
    return out


def _node(name: str, av: Any, lexicons: list[str]) -> list[frozenset[str]]:
    if name == "LITERAL":
        if av >= _MARK and av - _MARK < len(lexicons):
            return [frozenset([lexicons[av - _MARK]])]
        return [frozenset([DIGIT])] if chr(av).isdigit() else []
    if name == "IN":  # also what the parser makes of "{month}|{month_abbr}"
        atoms = set()
        for op, value in av:
            if str(op) == "LITERAL" and value >= _MARK and value - _MARK < len(lexicons):
                atoms.add(lexicons[value - _MARK])
            elif _is_digit_class([(op, value)]):
                atoms.add(DIGIT)
            else:
                return []
        return [frozenset(atoms)] if atoms else []
    if name == "SUBPATTERN":
        return _clauses(av[-1], lexicons)
    if name == "ASSERT" and av[0] == 1:  # a lookahead's words start at this position
        return _clauses(av[1], lexicons)
    if name == "ATOMIC_GROUP":
        return _clauses(av, lexicons)
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        low, _high, sub = av
        return _clauses(sub, lexicons) if low >= 1 else []
    if name == "BRANCH":
        per_alternative = [_clauses(alt, lexicons) for alt in av[1]]
        if any(not clauses for clauses in per_alternative):
            return []  # some alternative needs nothing we can see
        return [frozenset().union(*(min(c, key=cost) for c in per_alternative))]
    return []  # assertions, anchors, back references: they consume nothing we key on


def cost(clause: frozenset[str]) -> int:
    """How often a clause's atoms occur, roughly: scanning keys on the rarest."""
    return max(_COMMON.get(atom, 1) for atom in clause)


_REFERENCE = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


def expand(pattern: str, fragments: dict[str, str], depth: int = 0) -> str:
    """Replace each {name} in a pattern by its fragment, recursively."""
    if depth > 10:
        raise ValueError(f"pattern references nest too deeply: {pattern[:60]}")

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in fragments:
            raise KeyError(f"unknown lexicon or pattern {{{name}}}")
        return expand(fragments[name], fragments, depth + 1)

    return _REFERENCE.sub(replace, pattern)


def rule_clauses(pattern: str, patterns: dict[str, str], lexicon_names: Iterable[str]
                 ) -> tuple[frozenset[str], ...]:
    """The clauses every match of `pattern` satisfies (empty when none can be seen).

    Each lexicon stands in the pattern as one private-use character, so that the
    parsed pattern shows where each lexicon must (or may) occur."""
    names = sorted(lexicon_names)
    markers = {name: "\\" + f"u{_MARK + i:04x}" for i, name in enumerate(names)}
    skeleton = expand(pattern, {**patterns, **markers})
    try:
        parsed = sre_parse.parse(skeleton)
    except re.error:
        return ()
    return tuple(dict.fromkeys(_clauses(parsed.data, names)))


def key_token(surface: str, stopwords: frozenset[str]) -> str | None:
    """The word of a lexicon entry to look for: its rarest (not a stop word, then
    the longest). Any word of an entry occurs in every match of it, and the rare
    one keeps the scanning windows few ("the day before yesterday": "yesterday")."""
    words: list[str] = re.findall(r"\w+", surface.lower())
    if not words:
        return None
    return max(words, key=lambda w: (w not in stopwords, len(w)))


def trie_pattern(words: Iterable[str]) -> str:
    """One regex alternation of many words, shaped as a trie ("jan(?:uari|)"), so
    the regex engine tries a handful of branches per position instead of all."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        ends = "" in node
        branches = [re.escape(char) + build(child)
                    for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 and not ends else "(?:" + "|".join(branches) + ")"
        if ends:
            body = "(?:" + "|".join(branches) + ")?" if len(branches) > 1 else \
                "(?:" + branches[0] + ")?"
        return body

    return build(trie)
