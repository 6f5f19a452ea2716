"""Scoring the merge against gold events: pairwise and B-cubed precision/recall/F1.

Gold (``fixtures/events/gold.jsonl``) gives, for every dated statement, its
document, sentence, temporal expression and gold event id. A statement is
matched to the engine's mention in the same document whose temporal expression
overlaps the gold one inside that sentence; a statement the engine did not find
counts as a cluster of its own, so that it costs recall.

>>> gold = {"s1": "E1", "s2": "E1", "s3": "E2"}
>>> pairwise(gold, {"s1": "x", "s2": "x", "s3": "y"})
Score(precision=1.0, recall=1.0, f1=1.0)
>>> round(bcubed(gold, {"s1": "x", "s2": "y", "s3": "y"}).f1, 3)
0.667
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from timeline.types import EventMention


@dataclass(frozen=True, slots=True)
class Score:
    precision: float
    recall: float
    f1: float


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def pairwise(gold: Mapping[str, str], response: Mapping[str, str]) -> Score:
    """Precision/recall of the item pairs put in the same cluster."""
    items = sorted(gold)
    same_gold = {(a, b) for a, b in combinations(items, 2) if gold[a] == gold[b]}
    same_resp = {(a, b) for a, b in combinations(items, 2) if response[a] == response[b]}
    both = len(same_gold & same_resp)
    p = both / len(same_resp) if same_resp else 1.0
    r = both / len(same_gold) if same_gold else 1.0
    return Score(p, r, _f1(p, r))


def bcubed(gold: Mapping[str, str], response: Mapping[str, str]) -> Score:
    """B-cubed precision/recall, averaged over items."""
    by_gold: dict[str, set[str]] = defaultdict(set)
    by_resp: dict[str, set[str]] = defaultdict(set)
    for item in gold:
        by_gold[gold[item]].add(item)
        by_resp[response[item]].add(item)
    p = r = 0.0
    for item in gold:
        g, s = by_gold[gold[item]], by_resp[response[item]]
        overlap = len(g & s)
        p += overlap / len(s)
        r += overlap / len(g)
    n = len(gold) or 1
    p, r = p / n, r / n
    return Score(p, r, _f1(p, r))


@dataclass(frozen=True, slots=True)
class GoldStatement:
    """One dated statement of the gold: where it is and which event it tells."""

    doc_id: str
    sentence: str
    timex: str
    value: str
    role: str
    event: str

    @property
    def item(self) -> str:
        return f"{self.doc_id}|{self.timex}|{self.sentence[:40]}"


def load_gold_statements(path: str | Path) -> list[GoldStatement]:
    """The gold statements of a JSON Lines file (one :class:`GoldStatement` per line)."""
    with open(path, encoding="utf-8") as handle:
        return [GoldStatement(**{k: v for k, v in json.loads(line).items()
                                 if k in GoldStatement.__slots__})
                for line in handle if line.strip()]


def gold_span(text: str, statement: GoldStatement) -> tuple[int, int]:
    """Offsets of the statement's temporal expression in its document."""
    sentence_start = text.index(statement.sentence)
    start = text.index(statement.timex, sentence_start)
    return start, start + len(statement.timex)


def match_mentions(gold: Iterable[GoldStatement], texts: Mapping[str, str],
                   mentions: Iterable[EventMention]) -> dict[str, EventMention | None]:
    """The engine mention of each gold statement (None when it was not found)."""
    by_doc: dict[str, list[EventMention]] = defaultdict(list)
    for m in mentions:
        by_doc[m.doc_id].append(m)
    matched: dict[str, EventMention | None] = {}
    for statement in gold:
        start, end = gold_span(texts[statement.doc_id], statement)
        found = [m for m in by_doc[statement.doc_id]
                 if m.timex_start < end and start < m.timex_end]
        matched[statement.item] = min(found, key=lambda m: m.key) if found else None
    return matched


def score_chronology(gold: list[GoldStatement], texts: Mapping[str, str],
                     mentions: Iterable[EventMention], event_of: Mapping[str, str]
                     ) -> dict[str, Score | int]:
    """Pairwise and B-cubed scores of the merge, and how many statements were found."""
    matched = match_mentions(gold, texts, mentions)
    gold_events = {s.item: s.event for s in gold}
    response = {item: (event_of[m.key] if m is not None else f"missing:{item}")
                for item, m in matched.items()}
    return {"pairwise": pairwise(gold_events, response), "bcubed": bcubed(gold_events, response),
            "found": sum(m is not None for m in matched.values()), "statements": len(gold)}
