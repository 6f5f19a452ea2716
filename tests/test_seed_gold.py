"""The five seed articles, every temporal expression annotated by hand
(fixtures/gold/seeds.jsonl and the same in TimeML under seeds_tml/): the engine
finds every expression and resolves every value."""

from __future__ import annotations

from pathlib import Path

import pytest

from timeline.evaluation import evaluate, format_errors

GOLD = Path(__file__).parent.parent / "fixtures" / "gold"


@pytest.mark.parametrize("gold", ["seeds.jsonl", "seeds_tml"])
def test_seed_gold_is_found_and_resolved_exactly(gold):
    report = evaluate(GOLD / gold)
    counts = report.total
    assert not report.errors, report.errors
    assert counts.gold == 40
    assert (counts.system, counts.strict, counts.relaxed) == (40, 40, 40), format_errors(report)
    assert (counts.type_correct, counts.value_correct, counts.mod_correct) == (40, 40, 40), \
        format_errors(report)
