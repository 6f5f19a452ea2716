"""Ingestion in a stream: a corpus of any size, read once, in batches.

:func:`timeline.corpus.load_corpus` holds every text. A build reads its inputs
in batches instead (:func:`ingest_batch`, in worker processes or as Dask tasks):
each text is cleaned, parsed and written to a spool file of its batch, and only
small facts are kept, on disk (:mod:`timeline.corpus.ledger`): the text's hash
(exact duplicates), its id, its publication date or, when it has none, what the
text says about it (the clues of :mod:`timeline.temporal.publication`), its
MinHash signature (near copies, 1 KB) and the hashes of its lines (page furniture
repeated across documents, at most 2 KB). Once every input is read, the ledger
makes the same decisions as :func:`~timeline.corpus.load_corpus` (which copy of a
duplicated text is kept, ids that collide, dates narrowed by the other documents'
dates, copy groups, the lines repeated across independent documents) and the same
ingest report, every input accounted for; the later stages read each batch's
texts back from its spool file.
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
from timeline.corpus.copies import signature
from timeline.corpus.discovery import Discovery, discover
from timeline.corpus.formats import FailedInput, RawArticle, Record
from timeline.corpus.furniture import line_hashes, site_of
from timeline.corpus.load import (
    DateInference,
    Pending,
    TextCache,
    clean_record,
    document_of,
    parse_article,
    read_records,
)
from timeline.corpus.packed import pack_document
from timeline.limits import collected
from timeline.types import Document

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
    #: The document (packed, without its text) when its date is known: the settling
    #: changes it only for a duplicated text or a colliding id.
    document: bytes | None = None
    #: The hashes of its lines (page furniture repeated across documents).
    lines: np.ndarray | None = None


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
                        (task.number, len(texts)),
                        lines=line_hashes(text, site_of(pending.text_field("url"),
                                                        pending.text_field("source"))))
        if pending.published is None and task.inference is not None:
            if clue_finder is not None:
                with collected() as dropped:
                    parsed.clues = clue_finder(text, pending.lang, task.today)
                notes.extend(dropped)
            else:
                parsed.text = text
        pending.raw = replace(record, text="")  # the text lives in the spool
        if pending.published is not None:  # made here, in parallel, not by the driver
            parsed.document = pack_document(document_of(pending))
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

