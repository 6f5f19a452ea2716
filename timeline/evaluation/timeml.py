"""Evaluate temporal tagging against gold annotations, TempEval-3 style.

``timeline eval GOLD [--system OUTPUT]`` reads gold documents (TimeML ``.tml``
files, a folder of them, or JSON Lines in the ``timeline tag`` format with gold
``timexes``), gets system timexes (a ``timeline tag`` output file, or by running
the tagger on the gold texts) and scores them:

- extraction: *strict* (identical ``start``/``end``) and *relaxed* (overlapping
  spans, one-to-one, largest overlap first) precision, recall and F1;
- attributes over relaxed matches: accuracy of ``type``, ``value`` and ``mod``,
  and TempEval-3 attribute F1 (P = matches with the right attribute / system
  timexes, R = the same / gold timexes), which rewards finding *and* normalising.

Counts are micro-averaged over the corpus and also kept per document, and every
error (missed, spurious, wrong value/type/mod, boundary-only match) is listed so
a user can read them one by one.

>>> gold = [GoldDocument("d1", "on Sunday", timexes=[Annotation(3, 9, "Sunday", "DATE", "2016-08-07")])]
>>> report = score(gold, {"d1": [Annotation(0, 9, "on Sunday", "DATE", "2016-08-07")]})
>>> (report.total.strict, report.total.relaxed, report.total.value_correct)
(0, 1, 1)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from timeline.evaluation.annotations import (
    Annotation,
    EvalError,
    GoldDocument,
    SystemDocument,
    load_gold,
    read_system,
    run_tagger,
)

# --------------------------------------------------------------------------- counts


def _ratio(numerator: int, denominator: int) -> float | None:
    # None, not 0, when nothing could be counted: "no timexes" is not "all wrong".
    return numerator / denominator if denominator else None


def _f1(precision: float | None, recall: float | None) -> float | None:
    if precision is None and recall is None:
        return None
    p, r = precision or 0.0, recall or 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(slots=True)
class Counts:
    """Additive counts; every score is derived from them, so micro-averaging is a sum."""

    gold: int = 0
    system: int = 0
    strict: int = 0
    relaxed: int = 0
    type_correct: int = 0
    value_correct: int = 0
    mod_correct: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(**{f.name: getattr(self, f.name) + getattr(other, f.name)
                         for f in fields(self)})

    def prf(self, matched: int) -> tuple[float | None, float | None, float | None]:
        """Precision, recall, F1 of ``matched`` against system and gold totals."""
        precision, recall = _ratio(matched, self.system), _ratio(matched, self.gold)
        return precision, recall, _f1(precision, recall)

    def accuracy(self, correct: int) -> float | None:
        """Share of relaxed matches whose attribute is right."""
        return _ratio(correct, self.relaxed)

    def scores(self) -> dict[str, float | None]:
        """All scores by name (``strict_f1``, ``value_accuracy``, ...)."""
        out: dict[str, float | None] = {}
        for name, matched in (("strict", self.strict), ("relaxed", self.relaxed),
                              ("type", self.type_correct), ("value", self.value_correct),
                              ("mod", self.mod_correct)):
            out[f"{name}_precision"], out[f"{name}_recall"], out[f"{name}_f1"] = self.prf(matched)
        for name, correct in (("type", self.type_correct), ("value", self.value_correct),
                              ("mod", self.mod_correct)):
            out[f"{name}_accuracy"] = self.accuracy(correct)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"counts": asdict(self), "scores": self.scores()}


@dataclass(frozen=True, slots=True)
class Match:
    """A gold timex paired with the system timex that overlaps it."""

    gold: Annotation
    system: Annotation

    @property
    def strict(self) -> bool:
        return (self.gold.start, self.gold.end) == (self.system.start, self.system.end)

    def to_dict(self, doc_id: str) -> dict[str, Any]:
        return {"doc_id": doc_id, "gold": self.gold.to_dict(), "system": self.system.to_dict()}


@dataclass(slots=True)
class DocumentResult:
    """Counts and every error for one document."""

    doc_id: str
    counts: Counts
    matches: list[Match] = field(default_factory=list)
    missed: list[Annotation] = field(default_factory=list)
    spurious: list[Annotation] = field(default_factory=list)
    #: Why the system produced nothing here (no output line, or its error).
    system_error: str | None = None

    @property
    def partial(self) -> list[Match]:
        """Relaxed-only matches: found, but with other boundaries."""
        return [m for m in self.matches if not m.strict]

    @property
    def value_errors(self) -> list[Match]:
        return [m for m in self.matches if m.gold.value != m.system.value]

    @property
    def type_errors(self) -> list[Match]:
        return [m for m in self.matches if m.gold.type != m.system.type]

    @property
    def mod_errors(self) -> list[Match]:
        return [m for m in self.matches if m.gold.mod != m.system.mod]


@dataclass(slots=True)
class EvalReport:
    """Micro-averaged totals, per-document results and problems met on the way."""

    total: Counts
    documents: list[DocumentResult]
    errors: list[EvalError] = field(default_factory=list)

    def _each(self, attribute: str) -> list[tuple[str, Any]]:
        return [(doc.doc_id, item) for doc in self.documents for item in getattr(doc, attribute)]

    @property
    def missed(self) -> list[tuple[str, Annotation]]:
        """(doc id, gold timex) for every gold timex the system did not overlap."""
        return self._each("missed")

    @property
    def spurious(self) -> list[tuple[str, Annotation]]:
        """(doc id, system timex) for every system timex overlapping no gold one."""
        return self._each("spurious")

    @property
    def value_errors(self) -> list[tuple[str, Match]]:
        return self._each("value_errors")

    @property
    def type_errors(self) -> list[tuple[str, Match]]:
        return self._each("type_errors")

    @property
    def mod_errors(self) -> list[tuple[str, Match]]:
        return self._each("mod_errors")

    @property
    def partial(self) -> list[tuple[str, Match]]:
        return self._each("partial")

    def to_dict(self) -> dict[str, Any]:
        """The full report, JSON-ready: totals, per document, and every error."""
        def timexes(items: list[tuple[str, Annotation]]) -> list[dict[str, Any]]:
            return [{"doc_id": doc_id, **timex.to_dict()} for doc_id, timex in items]

        def matches(items: list[tuple[str, Match]]) -> list[dict[str, Any]]:
            return [match.to_dict(doc_id) for doc_id, match in items]

        return {
            "documents_scored": len(self.documents),
            "total": self.total.to_dict(),
            "documents": [
                {"doc_id": doc.doc_id, **doc.counts.to_dict(),
                 **({"system_error": doc.system_error} if doc.system_error else {})}
                for doc in self.documents
            ],
            "missed": timexes(self.missed),
            "spurious": timexes(self.spurious),
            "value_errors": matches(self.value_errors),
            "type_errors": matches(self.type_errors),
            "mod_errors": matches(self.mod_errors),
            "partial_matches": matches(self.partial),
            "errors": [asdict(error) for error in self.errors],
        }


# --------------------------------------------------------------------------- scoring


def _overlap(a: Annotation, b: Annotation) -> int:
    return min(a.end, b.end) - max(a.start, b.start)


def align(gold: Sequence[Annotation], system: Sequence[Annotation]) -> list[Match]:
    """Pair gold and system timexes one-to-one by overlap.

    Identical spans are paired first, so a strict match is never broken up by a
    longer overlapping span; the rest are paired greedily by largest overlap,
    then by closest boundaries, then by position, so the result is deterministic.
    """
    free_gold, free_system = set(range(len(gold))), set(range(len(system)))
    pairs: list[tuple[int, int]] = []
    by_span: dict[tuple[int, int], list[int]] = {}
    for j, timex in enumerate(system):
        by_span.setdefault((timex.start, timex.end), []).append(j)
    for i, timex in enumerate(gold):
        candidates = by_span.get((timex.start, timex.end))
        if candidates:
            j = candidates.pop(0)
            pairs.append((i, j))
            free_gold.discard(i)
            free_system.discard(j)

    candidates_by_overlap = sorted(
        (-_overlap(gold[i], system[j]),
         abs(gold[i].start - system[j].start) + abs(gold[i].end - system[j].end), i, j)
        for i in free_gold for j in free_system if _overlap(gold[i], system[j]) > 0
    )
    for _, _, i, j in candidates_by_overlap:
        if i in free_gold and j in free_system:
            pairs.append((i, j))
            free_gold.discard(i)
            free_system.discard(j)
    return [Match(gold[i], system[j]) for i, j in sorted(pairs)]


def score_document(doc_id: str, gold: Sequence[Annotation], system: Sequence[Annotation],
                   system_error: str | None = None) -> DocumentResult:
    """Count matches and collect errors for one document."""
    matches = align(gold, system)
    matched_gold = {id(m.gold) for m in matches}
    matched_system = {id(m.system) for m in matches}
    counts = Counts(
        gold=len(gold), system=len(system),
        strict=sum(m.strict for m in matches), relaxed=len(matches),
        type_correct=sum(m.gold.type == m.system.type for m in matches),
        value_correct=sum(m.gold.value == m.system.value for m in matches),
        mod_correct=sum(m.gold.mod == m.system.mod for m in matches),
    )
    return DocumentResult(
        doc_id=doc_id, counts=counts, matches=matches,
        missed=[t for t in gold if id(t) not in matched_gold],
        spurious=[t for t in system if id(t) not in matched_system],
        system_error=system_error,
    )


def score(gold_docs: Iterable[GoldDocument],
          system_docs: Iterable[SystemDocument] | Mapping[str, Sequence[Any]]) -> EvalReport:
    """Score system timexes against gold, per document and micro-averaged.

    ``system_docs`` is a list of :class:`SystemDocument` or a mapping from doc
    id to timexes (``Timex``, ``Annotation`` or dicts). A gold document with no
    system output counts as tagged with nothing (all missed), so a partial run
    cannot look better than it is; system documents without gold are ignored
    and reported in ``errors``.
    """
    if isinstance(system_docs, Mapping):
        system_docs = [SystemDocument(str(doc_id), [Annotation.from_timex(t) for t in timexes])
                       for doc_id, timexes in system_docs.items()]
    errors: list[EvalError] = []
    by_id: dict[str, SystemDocument] = {}
    for doc in system_docs:
        if doc.id in by_id:
            errors.append(EvalError(f"system:{doc.id}", "duplicate system document; first kept"))
            continue
        by_id[doc.id] = doc

    results, total, gold_ids = [], Counts(), set()
    for gold in gold_docs:
        gold_ids.add(gold.id)
        system = by_id.get(gold.id)
        if system is None:
            system = SystemDocument(gold.id, [], "no system output for this document")
        if system.error:
            errors.append(EvalError(f"system:{gold.id}", system.error))
        result = score_document(gold.id, gold.timexes,
                                [Annotation.from_timex(t) for t in system.timexes], system.error)
        results.append(result)
        total = total + result.counts
    for doc_id in by_id.keys() - gold_ids:
        errors.append(EvalError(f"system:{doc_id}", "no gold document with this id; ignored"))
    return EvalReport(total=total, documents=results, errors=errors)


# --------------------------------------------------------------------------- output


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.2f}"


def _span(timex: Annotation) -> str:
    return f"[{timex.start}:{timex.end}]"


def _describe(timex: Annotation) -> str:
    mod = f" mod={timex.mod}" if timex.mod else ""
    return f"{_span(timex)} {timex.text!r} {timex.type} {timex.value}{mod}"


def format_table(report: EvalReport, per_doc: bool = False) -> str:
    """Corpus totals as a table (scores in %), optionally one row per document."""
    total = report.total
    scores = total.scores()
    lines = [
        f"documents: {len(report.documents)}   gold timexes: {total.gold}   "
        f"system timexes: {total.system}   strict matches: {total.strict}   "
        f"relaxed matches: {total.relaxed}",
        "",
        f"{'':<10}{'P':>8}{'R':>8}{'F1':>8}{'acc':>8}",
    ]
    for name in ("strict", "relaxed", "type", "value", "mod"):
        # extraction has no accuracy: it is what the attribute accuracies are conditioned on
        accuracy = _pct(scores[f"{name}_accuracy"]) if f"{name}_accuracy" in scores else ""
        lines.append(f"{name:<10}{_pct(scores[f'{name}_precision']):>8}"
                     f"{_pct(scores[f'{name}_recall']):>8}{_pct(scores[f'{name}_f1']):>8}"
                     f"{accuracy:>8}")
    lines.append("(type/value/mod: P, R, F1 as in TempEval-3; acc over relaxed matches)")
    if per_doc:
        width = max([8] + [len(doc.doc_id) for doc in report.documents])
        lines += ["", f"{'document':<{width}}{'gold':>6}{'sys':>6}{'strictF1':>10}"
                      f"{'relaxF1':>9}{'typeF1':>8}{'valueF1':>9}{'valueAcc':>10}"]
        for doc in report.documents:
            s = doc.counts.scores()
            flag = f"  ({doc.system_error})" if doc.system_error else ""
            lines.append(f"{doc.doc_id:<{width}}{doc.counts.gold:>6}{doc.counts.system:>6}"
                         f"{_pct(s['strict_f1']):>10}{_pct(s['relaxed_f1']):>9}"
                         f"{_pct(s['type_f1']):>8}{_pct(s['value_f1']):>9}"
                         f"{_pct(s['value_accuracy']):>10}{flag}")
    return "\n".join(lines)


def format_errors(report: EvalReport) -> str:
    """Every missed, spurious, wrongly typed/valued and boundary-only timex, one per line."""
    lines = [f"missed ({len(report.missed)}):"]
    lines += [f"  {doc_id} {_describe(t)}" for doc_id, t in report.missed]
    lines.append(f"spurious ({len(report.spurious)}):")
    lines += [f"  {doc_id} {_describe(t)}" for doc_id, t in report.spurious]
    for title, items in (("value errors", report.value_errors), ("type errors", report.type_errors),
                         ("mod errors", report.mod_errors),
                         ("boundary differences", report.partial)):
        lines.append(f"{title} ({len(items)}):")
        lines += [f"  {doc_id} gold {_describe(m.gold)}  | system {_describe(m.system)}"
                  for doc_id, m in items]
    return "\n".join(lines)


def evaluate(gold_path: str | Path, system_path: str | Path | None = None,
             lang: str | None = None) -> EvalReport:
    """Load gold, get system output (file or tagger), score; problems go in ``report.errors``."""
    errors: list[EvalError] = []
    gold_docs = load_gold(gold_path, lang=lang, errors=errors)
    if system_path is not None:
        system_docs = read_system(system_path, errors=errors)
    else:
        system_docs = run_tagger(gold_docs)
    report = score(gold_docs, system_docs)
    report.errors[:0] = errors
    return report

