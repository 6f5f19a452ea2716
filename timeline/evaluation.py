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

import argparse
import json
import sys
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, TextIO

from timeline.types import Timex

#: File suffixes read as TimeML / as JSON Lines; anything else is sniffed.
TIMEML_SUFFIXES = (".tml", ".xml")
JSONL_SUFFIXES = (".jsonl", ".json", ".ndjson")


# --------------------------------------------------------------------------- types


@dataclass(frozen=True, slots=True)
class Annotation:
    """A timex reduced to what is scored; gold and system timexes alike.

    Kept separate from :class:`~timeline.types.Timex` because gold annotations
    have no ``earliest``/``latest``/``anchor`` and system files may omit them.
    """

    start: int
    end: int
    text: str
    type: str
    value: str
    mod: str | None = None
    #: TimeML ``tid`` of a gold timex, to find it again in the source file.
    tid: str | None = None
    #: Annotator's (or tagger's) explanation, shown next to errors.
    note: str | None = None

    @classmethod
    def from_timex(cls, timex: Timex | Annotation | Mapping[str, Any]) -> Annotation:
        """Accept what taggers and files give: a ``Timex``, an ``Annotation`` or a dict."""
        if isinstance(timex, Annotation):
            return timex
        if isinstance(timex, Mapping):
            return cls(
                start=int(timex["start"]),
                end=int(timex["end"]),
                text=str(timex.get("text") or ""),
                type=str(timex.get("type") or ""),
                value=str(timex.get("value") or ""),
                mod=timex.get("mod") or None,
                tid=timex.get("tid") or None,
                note=timex.get("note") or None,
            )
        return cls(timex.start, timex.end, timex.text, timex.type, timex.value,
                   getattr(timex, "mod", None) or None, None, getattr(timex, "note", None))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict; empty optional fields omitted."""
        out = asdict(self)
        for key in ("mod", "tid", "note"):
            if out[key] is None:
                del out[key]
        return out


@dataclass(slots=True)
class GoldDocument:
    """A text with its gold timexes and the context the tagger needs."""

    id: str
    text: str
    published: str | None = None
    lang: str | None = None
    timexes: list[Annotation] = field(default_factory=list)
    #: Where the document was read from (file, or file:line for JSON Lines).
    source: str | None = None


@dataclass(slots=True)
class SystemDocument:
    """System timexes for one document; ``error`` when the system failed on it."""

    id: str
    timexes: list[Annotation] = field(default_factory=list)
    error: str | None = None


@dataclass(frozen=True, slots=True)
class EvalError:
    """Something that could not be read or run; the evaluation went on without it."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


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


# --------------------------------------------------------------------------- reading gold


def _local(tag: Any) -> str:
    # Namespaced TimeML gives "{uri}TEXT"; comments/PIs have non-str tags.
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _flatten(element: ET.Element, parts: list[str], found: list[tuple[ET.Element, int, int]],
             offset: int) -> int:
    """Append the element's text to ``parts``, recording where each TIMEX3 starts and ends.

    Recursive so that tags nested at any depth (TIMEX3 inside EVENT, SIGNAL
    inside TIMEX3, ...) are stripped while their text is kept.
    """
    if element.text:
        parts.append(element.text)
        offset += len(element.text)
    for child in element:
        start = offset
        offset = _flatten(child, parts, found, offset)
        if _local(child.tag) == "TIMEX3":
            found.append((child, start, offset))
        if child.tail:
            parts.append(child.tail)
            offset += len(child.tail)
    return offset


def _find(root: ET.Element, name: str) -> ET.Element | None:
    return next((element for element in root.iter() if _local(element.tag) == name), None)


def read_timeml(path: str | Path, lang: str | None = None) -> GoldDocument:
    """Read one TempEval-3 style TimeML file.

    Offsets are ``str`` indices into the XML-unescaped content of ``<TEXT>``
    with every inline tag removed, which is what the tagger sees. The creation
    time (``<DCT><TIMEX3 functionInDocument="CREATION_TIME" value=...>``)
    becomes ``published``; ``DOCID`` the id (file stem when absent). Empty
    (non-consuming) TIMEX3 tags are skipped: they have no span to find.

    Raises ``ValueError`` naming the file and the reason when it cannot be read.
    """
    path = Path(path)
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise ValueError(f"{path}: not well-formed XML ({exc})") from exc
    except OSError as exc:
        raise ValueError(f"{path}: cannot open ({exc.strerror or exc})") from exc

    text_element = _find(root, "TEXT")
    if text_element is None:
        raise ValueError(f"{path}: no <TEXT> element")
    docid = _find(root, "DOCID")
    doc_id = (docid.text or "").strip() if docid is not None else ""

    published = None
    dct = _find(root, "DCT")
    creation = [element for element in root.iter() if _local(element.tag) == "TIMEX3"
                and element.get("functionInDocument") == "CREATION_TIME"]
    if not creation and dct is not None:
        creation = [element for element in dct.iter() if _local(element.tag) == "TIMEX3"]
    if creation:
        published = (creation[0].get("value") or "").strip() or None

    parts: list[str] = []
    found: list[tuple[ET.Element, int, int]] = []
    _flatten(text_element, parts, found, 0)
    text = "".join(parts)
    timexes = []
    for element, start, end in found:
        if start == end:
            continue
        timexes.append(Annotation(
            start=start, end=end, text=text[start:end],
            type=(element.get("type") or "").strip(),
            value=(element.get("value") or "").strip(),
            mod=(element.get("mod") or "").strip() or None,
            tid=element.get("tid"),
        ))
    timexes.sort(key=lambda timex: (timex.start, timex.end))
    doc_lang = root.get("{http://www.w3.org/XML/1998/namespace}lang") or root.get("lang") or lang
    return GoldDocument(id=doc_id or path.stem, text=text, published=published, lang=doc_lang,
                        timexes=timexes, source=str(path))


def _gold_timex(raw: Any, text: str, where: str, errors: list[EvalError]) -> Annotation | None:
    """Validate one gold timex from JSON; report and drop it when its span is unusable."""
    try:
        timex = Annotation.from_timex(raw)
    except (KeyError, TypeError, ValueError) as exc:
        errors.append(EvalError(where, f"gold timex {raw!r} skipped: {exc!r}"))
        return None
    if not 0 <= timex.start < timex.end <= len(text):
        errors.append(EvalError(where, f"gold timex [{timex.start}:{timex.end}] "
                                f"{timex.text!r} skipped: span outside the text "
                                f"(length {len(text)})"))
        return None
    if timex.text and text[timex.start:timex.end] != timex.text:
        # Offsets are authoritative (they are what is scored); the mismatch is reported.
        errors.append(EvalError(where, f"gold timex [{timex.start}:{timex.end}] says "
                                f"{timex.text!r} but the text there is "
                                f"{text[timex.start:timex.end]!r}; offsets kept"))
    return timex


def _read_gold_jsonl(path: Path, lang: str | None, errors: list[EvalError]) -> list[GoldDocument]:
    docs: list[GoldDocument] = []
    try:
        handle = path.open(encoding="utf-8", errors="replace")
    except OSError as exc:
        errors.append(EvalError(str(path), f"cannot open ({exc.strerror or exc})"))
        return docs
    with handle:
        for line_no, line in enumerate(handle, 1):
            if not line.strip():
                continue
            where = f"{path}:{line_no}"
            try:
                record = json.loads(line)
                if not isinstance(record, dict):
                    raise ValueError("line is not a JSON object")
                text = record.get("text")
                if not isinstance(text, str):
                    raise ValueError("missing or non-string 'text'")
                if record.get("id") in (None, ""):
                    raise ValueError("missing 'id'")
                raw_timexes = record.get("timexes")
                if raw_timexes is None:
                    raise ValueError("missing gold 'timexes' (use [] for a document without any)")
                if not isinstance(raw_timexes, list):
                    raise ValueError("'timexes' is not a list")
            except ValueError as exc:  # json.JSONDecodeError is a ValueError
                errors.append(EvalError(where, f"gold document skipped: {exc}"))
                continue
            timexes = [timex for raw in raw_timexes
                       if (timex := _gold_timex(raw, text, where, errors)) is not None]
            timexes.sort(key=lambda timex: (timex.start, timex.end))
            docs.append(GoldDocument(
                id=str(record["id"]), text=text,
                published=str(record.get("published") or "") or None,
                lang=record.get("lang") or lang, timexes=timexes, source=where,
            ))
    return docs


def _looks_like_timeml(path: Path) -> bool:
    if path.suffix.lower() in TIMEML_SUFFIXES:
        return True
    if path.suffix.lower() in JSONL_SUFFIXES:
        return False
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            head = handle.read(512).lstrip("\ufeff \t\r\n")
    except OSError:
        return False
    return head.startswith("<")


def load_gold(path: str | Path, lang: str | None = None,
              errors: list[EvalError] | None = None) -> list[GoldDocument]:
    """Read gold documents from a ``.tml`` file, a folder of them, or JSON Lines.

    Folders are searched recursively for ``*.tml`` in sorted order, so runs are
    reproducible. ``lang`` fills in the language of documents that do not give
    one. A file or line that cannot be read is skipped and reported in
    ``errors`` (or as a warning when no list is given), so one bad document
    does not stop an evaluation; documents with an id already seen are skipped
    likewise, because scores are matched by id.
    """
    problems: list[EvalError] = [] if errors is None else errors
    before = len(problems)
    path = Path(path)
    docs: list[GoldDocument] = []
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file()
                       and p.suffix.lower() in TIMEML_SUFFIXES)
        if not files:
            problems.append(EvalError(str(path), "no .tml files in this folder"))
        for file in files:
            try:
                docs.append(read_timeml(file, lang=lang))
            except ValueError as exc:
                problems.append(EvalError(str(file), str(exc).removeprefix(f"{file}: ")))
    elif not path.exists():
        problems.append(EvalError(str(path), "no such file or folder"))
    elif _looks_like_timeml(path):
        try:
            docs.append(read_timeml(path, lang=lang))
        except ValueError as exc:
            problems.append(EvalError(str(path), str(exc).removeprefix(f"{path}: ")))
    else:
        docs.extend(_read_gold_jsonl(path, lang, problems))

    unique: list[GoldDocument] = []
    seen: dict[str, str | None] = {}
    for doc in docs:
        if doc.id in seen:
            problems.append(EvalError(doc.source or doc.id, f"duplicate document id {doc.id!r} "
                                      f"(first in {seen[doc.id]}); skipped"))
            continue
        seen[doc.id] = doc.source
        unique.append(doc)
    if errors is None:
        for problem in problems[before:]:
            warnings.warn(str(problem), stacklevel=2)
    return unique


# --------------------------------------------------------------------------- system output


def read_system(path: str | Path, errors: list[EvalError] | None = None) -> list[SystemDocument]:
    """Read ``timeline tag`` output (``{"id", "timexes", ["error"]}`` per line).

    Bad lines are reported in ``errors`` (warned about when no list is given)
    and skipped; the gold documents they belonged to then count as not tagged.
    """
    problems: list[EvalError] = [] if errors is None else errors
    before = len(problems)
    path = Path(path)
    docs: list[SystemDocument] = []
    try:
        handle = path.open(encoding="utf-8", errors="replace")
    except OSError as exc:
        problems.append(EvalError(str(path), f"cannot open system output ({exc.strerror or exc})"))
        handle = None
    if handle is not None:
        with handle:
            for line_no, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                where = f"{path}:{line_no}"
                try:
                    record = json.loads(line)
                    if not isinstance(record, dict) or record.get("id") in (None, ""):
                        raise ValueError("not a JSON object with an 'id'")
                    timexes = [Annotation.from_timex(raw) for raw in record.get("timexes") or []]
                except (ValueError, KeyError, TypeError) as exc:
                    problems.append(EvalError(where, f"system line skipped: {exc!r}"))
                    continue
                docs.append(SystemDocument(str(record["id"]), timexes,
                                           str(record["error"]) if record.get("error") else None))
    if errors is None:
        for problem in problems[before:]:
            warnings.warn(str(problem), stacklevel=2)
    return docs


def run_tagger(gold_docs: Iterable[GoldDocument]) -> list[SystemDocument]:
    """Tag each gold text with the engine, with the gold publication date as anchor.

    A document the tagger fails on gets an empty result with its error, so its
    gold timexes count as missed and the run goes on.
    """
    from timeline import tag  # imported here: scoring a file must not need the engine

    out = []
    for doc in gold_docs:
        try:
            found = tag(doc.text, published=doc.published or None, lang=doc.lang)
            out.append(SystemDocument(doc.id, [Annotation.from_timex(t) for t in found]))
        except Exception as exc:  # one failing document must not stop the evaluation
            out.append(SystemDocument(doc.id, [], f"tagger failed: {type(exc).__name__}: {exc}"))
    return out


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


# --------------------------------------------------------------------------- command line


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``timeline eval``."""
    parser.add_argument("gold", metavar="GOLD",
                        help="TimeML .tml file, folder of .tml files (recursive), or JSON Lines "
                        "with gold 'timexes'")
    parser.add_argument("--system", metavar="OUTPUT",
                        help="`timeline tag` output (JSON Lines) to score; by default the "
                        "tagger is run on the gold texts")
    parser.add_argument("--lang", help="language of documents that do not give one "
                        "(default: detected by the tagger)")
    parser.add_argument("--per-doc", action="store_true", help="add one row per document")
    parser.add_argument("--errors", action="store_true",
                        help="list missed, spurious and wrongly normalised timexes")
    parser.add_argument("--json", metavar="PATH",
                        help="write the full report, with every error, as JSON")


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


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """``timeline eval``: print the table (and errors), write JSON; problems to stderr at the end.

    Status (see :mod:`timeline.cli`): 2 when the gold or system input is missing or
    holds nothing readable, 1 when some documents could not be read or tagged.
    """
    from timeline.cli import EXIT_OK, EXIT_PARTIAL, UsageError, check_lang

    out = out or sys.stdout
    gold_fix = "give TimeML .tml files, a folder of them, or JSON Lines with gold 'timexes'"
    if not Path(args.gold).exists():
        raise UsageError(f"{args.gold}: no such file or folder; {gold_fix}")
    if args.system is not None and not Path(args.system).is_file():
        what = "is a folder" if Path(args.system).is_dir() else "no such file"
        raise UsageError(f"--system {args.system}: {what}; give the JSON Lines that "
                         "`timeline tag` wrote")
    lang = check_lang(args.lang)
    errors: list[EvalError] = []
    gold_docs = load_gold(args.gold, lang=lang, errors=errors)
    if not gold_docs:
        reason = f" ({errors[0]})" if errors else ""
        raise UsageError(f"{args.gold}: no gold document could be read{reason}; {gold_fix}")
    if args.system is not None:
        before = len(errors)
        system_docs = read_system(args.system, errors=errors)
        if not system_docs:
            reason = f" ({errors[before]})" if len(errors) > before else " (empty)"
            raise UsageError(f"--system {args.system}: no line could be read{reason}; give "
                             "the JSON Lines that `timeline tag` wrote")
    else:
        system_docs = run_tagger(gold_docs)
    report = score(gold_docs, system_docs)
    report.errors[:0] = errors
    print(format_table(report, per_doc=args.per_doc), file=out)
    if args.errors:
        print("", file=out)
        print(format_errors(report), file=out)
    if args.json:
        Path(args.json).write_text(json.dumps(report.to_dict(), ensure_ascii=False, indent=2)
                                   + "\n", encoding="utf-8")
    if report.errors:
        print(f"timeline eval: {len(report.errors)} problem(s):", file=sys.stderr)
        for error in report.errors:
            print(f"  {error}", file=sys.stderr)
        return EXIT_PARTIAL
    return EXIT_OK
