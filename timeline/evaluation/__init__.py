"""Evaluation: the engine's output scored against gold.

- :mod:`~timeline.evaluation.annotations`: gold and system timexes read from TimeML
  and JSON Lines files (or the tagger run on the gold texts);
- :mod:`~timeline.evaluation.timeml`: timexes scored TempEval-3 style (strict and
  relaxed spans, attributes), with every error listed;
- :mod:`~timeline.evaluation.clusters`: the merge's clusters scored against gold
  events (pairwise and B-cubed).
"""

from timeline.evaluation.annotations import (
    GOLD_JSONL_SUFFIXES,
    TIMEML_SUFFIXES,
    Annotation,
    EvalError,
    GoldDocument,
    SystemDocument,
    load_gold,
    read_system,
    read_timeml,
    run_tagger,
)
from timeline.evaluation.clusters import (
    GoldStatement,
    Score,
    bcubed,
    gold_span,
    load_gold_statements,
    match_mentions,
    pairwise,
    score_chronology,
)
from timeline.evaluation.timeml import (
    Counts,
    DocumentResult,
    EvalReport,
    Match,
    align,
    evaluate,
    format_errors,
    format_table,
    score,
    score_document,
)

__all__ = [
    "GOLD_JSONL_SUFFIXES",
    "TIMEML_SUFFIXES",
    "Annotation",
    "Counts",
    "DocumentResult",
    "EvalError",
    "EvalReport",
    "GoldDocument",
    "GoldStatement",
    "Match",
    "Score",
    "SystemDocument",
    "align",
    "bcubed",
    "evaluate",
    "format_errors",
    "format_table",
    "gold_span",
    "load_gold",
    "load_gold_statements",
    "match_mentions",
    "pairwise",
    "read_system",
    "read_timeml",
    "run_tagger",
    "score",
    "score_chronology",
    "score_document",
]
