"""Ingestion in a stream: a corpus of any size, read once, in batches.

:func:`timeline.corpus.load_corpus` holds every text. A build reads its inputs
in batches instead (:func:`ingest_batch`, in worker processes or as Dask tasks):
each text is cleaned, parsed and written to a spool file of its batch, and only
small facts stay in memory: the text's hash (exact duplicates), its id, its
publication date or, when it has none, what the text says about it (the clues of
:mod:`timeline.temporal.publication`), and its MinHash signature (near copies,
1 KB). Once every input is read, :func:`settle` makes the same decisions as
:func:`~timeline.corpus.load_corpus` (which copy of a duplicated text is kept,
ids that collide, dates narrowed by the other documents' dates, copy groups)
and the same ingest report, every input accounted for; the later stages read
each batch's texts back from its spool file.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np

from timeline.characters import sanitise
from timeline.corpus.columns import ColumnOptions
from timeline.corpus.copies import Copies, CopyFacts, copies_from_signatures, signature
from timeline.corpus.discovery import Discovery, discover
from timeline.corpus.formats import FailedInput, RawArticle, Record
from timeline.corpus.load import (
    DateInference,
    Pending,
    TextCache,
    clean_record,
    copy_details,
    deduplicate,
    document_of,
    loaded_details,
    parse_article,
    read_records,
    settle_ids,
)
from timeline.corpus.report import IngestReport, ReportEntry
from timeline.lang.detect import DETECT_CHARS
from timeline.limits import LIMITS, collected
from timeline.types import NO_GUESS, Document

#: Inputs per batch, and characters of text: whichever comes first.
BATCH_DOCUMENTS = 1000
BATCH_CHARS = 8_000_000


@dataclass(frozen=True)
class IngestTask:
    """One batch of records to clean and parse; its texts go to ``spool``."""

    number: int
    records: list[Record]
    spool: Path
    today: date
    date_order: str
    #: Find the clues to the date of undated texts (with this inference).
    inference: DateInference | None = None


@dataclass
class Parsed:
    """A record read and parsed: what stays in memory (no text)."""

    pending: Pending
    signature: np.ndarray | None
    n_chars: int
    #: Where the text is: (batch, row in the batch's spool file).
    where: tuple[int, int]
    #: What the text says about its date (undated texts), or the text itself when the
    #: inference cannot work from clues.
    clues: Any = None
    text: str | None = None


@dataclass
class IngestedBatch:
    number: int
    #: Per record, in order: a Parsed, a FailedInput, or (input, reason) for a record
    #: that could not be parsed.
    items: list[Parsed | FailedInput | tuple[str, str]]
    #: What tagging for date inference dropped.
    notes: list[str] = field(default_factory=list)


def spool_path(spool: Path, number: int) -> Path:
    return spool / f"texts-{number:06d}.pickle"


def read_spool(spool: Path, number: int) -> list[str]:
    """The texts of one batch, as :func:`ingest_batch` wrote them (a file of this run)."""
    with spool_path(spool, number).open("rb") as handle:
        texts: list[str] = pickle.load(handle)
    return texts


def ingest_batch(task: IngestTask) -> IngestedBatch:
    """Clean and parse one batch of records; write its texts to the spool."""
    cache = TextCache()  # repeated large texts are cleaned once per batch
    word_hash: dict[str, int] = {}
    items: list[Parsed | FailedInput | tuple[str, str]] = []
    texts: list[str] = []
    notes: list[str] = []
    clue_finder = getattr(task.inference, "clues", None)
    for record in task.records:
        try:
            record = clean_record(record, cache)
        except Exception as exc:  # a value too deeply nested to walk: this record only
            record = FailedInput(sanitise(record.input)[0],
                                 f"could not be read: {type(exc).__name__}")
        if isinstance(record, FailedInput):
            items.append(record)
            continue
        try:
            pending = parse_article(record, task.today, cache, task.date_order)
        except Exception as exc:  # a metadata value nobody foresaw: fail this one only
            items.append((record.input, f"could not be parsed: {type(exc).__name__}: {exc}"))
            continue
        text = record.text
        parsed = Parsed(pending, signature(text, word_hash), len(text),
                        (task.number, len(texts)))
        if pending.published is None and task.inference is not None:
            if clue_finder is not None:
                with collected() as dropped:
                    parsed.clues = clue_finder(text, pending.lang, task.today)
                notes.extend(dropped)
            else:
                parsed.text = text
        pending.raw = replace(record, text="")  # the text lives in the spool
        texts.append(text)
        items.append(parsed)
    task.spool.mkdir(parents=True, exist_ok=True)
    with spool_path(task.spool, task.number).open("wb") as handle:
        pickle.dump(texts, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return IngestedBatch(task.number, items, notes)


def batches(records: Iterable[Record], *, spool: Path, today: date, date_order: str,
            inference: DateInference | None,
            batch_documents: int = BATCH_DOCUMENTS) -> Iterator[IngestTask]:
    """The records in batches of about ``batch_documents`` inputs or BATCH_CHARS characters."""
    batch: list[Record] = []
    chars = 0
    number = 0
    for record in records:
        batch.append(record)
        chars += len(record.text) if isinstance(record, RawArticle) else 0
        if len(batch) >= batch_documents or chars >= BATCH_CHARS:
            yield IngestTask(number, batch, spool, today, date_order, inference)
            number += 1
            batch, chars = [], 0
    if batch:
        yield IngestTask(number, batch, spool, today, date_order, inference)


@dataclass
class Settled:
    """A corpus read in a stream: its documents without their texts (the texts are in
    the spool: ``where[doc.id]``), its copies and its ingest report."""

    documents: list[Document]
    report: IngestReport
    copies: Copies
    where: dict[str, tuple[int, int]]
    n_batches: int

    def by_batch(self) -> dict[int, list[tuple[Document, int]]]:
        """The documents of each batch with their row in its spool file, in input order."""
        found: dict[int, list[tuple[Document, int]]] = {}
        for document in self.documents:
            batch, row = self.where[document.id]
            found.setdefault(batch, []).append((document, row))
        for rows in found.values():
            rows.sort(key=lambda pair: pair[1])
        return found


class Collector:
    """Gathers the ingested batches, in order, then :meth:`settle` decides."""

    def __init__(self) -> None:
        self.order: list[Parsed | FailedInput | tuple[str, str]] = []
        self.notes: list[str] = []
        self.n_batches = 0

    def add(self, batch: IngestedBatch) -> None:
        self.order.extend(batch.items)
        self.notes.extend(batch.notes)
        self.n_batches = max(self.n_batches, batch.number + 1)

    def settle(self, *, inference: DateInference | None, today: date,
               discovery_warnings: Iterable[str] = (),
               ignored: Iterable[tuple[str, str]] = ()) -> Settled:
        """Duplicates, ids, dates, copies and the report, as :func:`load_corpus` decides them."""
        parsed: dict[str, Parsed] = {}
        failures: dict[str, str] = {}
        for item in self.order:
            if isinstance(item, Parsed):
                parsed[item.pending.raw.input] = item
            elif isinstance(item, tuple):
                failures[item[0]] = item[1]
        pending = {name: item.pending for name, item in parsed.items()}
        kept, duplicate_of = deduplicate(list(pending.values()))
        settle_ids(kept)
        notes = list(self.notes)
        if inference is not None:
            notes = self._infer(kept, parsed, inference, today)
        documents = {item.raw.input: document_of(item) for item in kept}
        by_input = {item.raw.input: item for item in kept}
        facts, signatures = [], []
        for name, document in documents.items():
            facts.append(_copy_facts(document, parsed[name].n_chars))
            signatures.append(parsed[name].signature)
        copies = copies_from_signatures(facts, signatures)
        entries = []
        for item in self.order:
            if isinstance(item, FailedInput):
                entries.append(ReportEntry(item.input, "failed", reason=item.reason))
                continue
            name = item[0] if isinstance(item, tuple) else item.pending.raw.input
            if name in failures:
                entries.append(ReportEntry(name, "failed", reason=failures[name]))
            elif name in duplicate_of:
                entries.append(ReportEntry(name, "duplicate", id=pending[name].id,
                                           duplicate_of=duplicate_of[name].id,
                                           warnings=tuple(pending[name].warnings)))
            else:
                doc = documents[name]
                provenance = doc.provenance
                assert provenance is not None  # every loaded document has one
                entries.append(ReportEntry(name, "loaded", id=doc.id,
                                           warnings=provenance.warnings,
                                           details=loaded_details(doc, provenance,
                                                                   parsed[name].n_chars)
                                           | copy_details(doc, copies)))
        report = IngestReport(tuple(entries),
                              tuple(sanitise(w)[0] for w in (*discovery_warnings, *notes)),
                              tuple((sanitise(p)[0], r) for p, r in ignored),
                              limits={**getattr(inference, "limits", {}),
                                      "detect_chars": DETECT_CHARS, **LIMITS})
        where = {by_input[name].id: parsed[name].where for name in documents}
        return Settled(sorted(documents.values(), key=lambda d: d.id), report, copies,
                       where, self.n_batches)

    def _infer(self, kept: list[Pending], parsed: dict[str, Parsed],
               inference: DateInference, today: date) -> list[str]:
        """Publication dates of the undated kept texts; returns the corpus-level notes."""
        undated = [item for item in kept if item.published is None]
        if not undated:
            return []
        known = {item.id: item.published.moment.date() for item in kept if item.published}
        decide_all = getattr(inference, "decide_all", None)
        with collected() as dropped:
            if decide_all is not None:
                guesses = decide_all({item.id: parsed[item.raw.input].clues
                                      for item in undated}, known, today)
            else:
                guesses = inference([(item.id, parsed[item.raw.input].text or "", item.lang)
                                     for item in undated], known, today)
        for item in undated:
            item.guess = guesses.get(item.id, NO_GUESS)
            item.warnings.extend(item.guess.notes)
        return [f"date inference: {note}" for note in dict.fromkeys([*self.notes, *dropped])]


def _copy_facts(document: Document, n_chars: int) -> CopyFacts:
    return replace(CopyFacts.of(document), n_chars=n_chars)


def records_of(paths: list[Path], options: ColumnOptions, *, today: date,
               follow_symlinks: bool, exclude: list[Path],
               spool: Path | None = None) -> tuple[Iterator[Record], Discovery]:
    """Every record of the inputs, read as a stream (discovery failures first, as
    :func:`load_corpus` lists them), and the discovery (warnings, ignored files);
    standard input is copied into ``spool`` (the run's work folder)."""
    found = discover(paths, options, follow_symlinks=follow_symlinks, exclude=exclude,
                     spool=spool)
    records = read_records(found.files, found.manifests, options, today)
    return chain(found.failures, records), found


def with_text(document: Document, text: str) -> Document:
    """The document with its text put back (read from the spool)."""
    return replace(document, text=text)

