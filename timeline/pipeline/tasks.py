"""The per-batch work of a build, as plain functions of picklable tasks.

A build (:func:`timeline.pipeline.driver.build`) cuts its work into tasks that need
nothing but their arguments and the files of the run's work folder, so that the
same functions run in this process, in worker processes
(:func:`timeline.pipeline.pool.ordered_map`) or as Dask tasks
(:mod:`timeline.pipeline.cluster`):

1. :func:`timeline.corpus.stream.ingest_batch`: a batch of inputs read, cleaned,
   parsed, its texts spooled;
2. :func:`extract_batch`: a batch of documents tagged (their page furniture set
   aside) and its event mentions written to the partitioned mentions files
   (``mentions/batch-N.parquet``, one per batch, rows sorted by time so that a time
   block reads only its row groups; ``merged`` says which the merge reads: those
   that tell a happening);
3. :func:`edges_task` and :func:`entries_task`: one time block of the merge
   (:mod:`timeline.chronology.timeblocks`), read from the mentions files.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl

from timeline.chronology.features import mention_rows, unique_keys
from timeline.chronology.similarity import THRESHOLD
from timeline.chronology.timeblocks import (
    LONG_MARGIN_DAYS,
    BlockEdges,
    block_edges,
    block_entries,
    block_filter,
)
from timeline.corpus.copies import Copies
from timeline.corpus.furniture import RepeatedLines
from timeline.corpus.packed import unpack_document
from timeline.corpus.stream import read_spool, with_text
from timeline.events.vocabulary import load_vocabulary
from timeline.gazetteers import DEFAULT_GAZETTEERS
from timeline.pipeline.documents import StageNotes, document_mentions
from timeline.types import Tagger

#: Rows per row group of a mentions file: a time block reads only the groups it needs.
ROW_GROUP_ROWS = 4096


def mentions_path(directory: Path, number: int) -> Path:
    return directory / f"batch-{number:06d}.parquet"


@dataclass(frozen=True)
class ExtractTask:
    """Tag a batch of documents (their texts in the spool) and write their mentions.
    The documents are packed (:mod:`timeline.corpus.packed`), with their row in the
    spool file: they are unpacked by the process that tags them."""

    number: int
    spool: Path
    documents: list[tuple[bytes, int]]
    mentions: Path
    tagger: Tagger | None = None
    #: The corpus's repeated lines (page furniture).
    repeated: RepeatedLines | None = None
    #: Read the furniture too, and merge every statement whatever it tells.
    keep_all: bool = False
    #: The gazetteers the actors and places are read with (names or paths).
    gazetteers: tuple[str, ...] = DEFAULT_GAZETTEERS


@dataclass
class ExtractedBatch:
    number: int
    #: Mentions the merge reads (those that tell a happening, or all with keep_all).
    n_mentions: int
    #: Days the batch's mentions start on (compared interval) and how many start on each.
    days: np.ndarray
    counts: np.ndarray
    #: Per document id: warnings, and (stage, reason) of failures.
    warnings: dict[str, list[str]] = field(default_factory=dict)
    errors: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    error_lines: list[str] = field(default_factory=list)
    #: Per document id: what was set aside (furniture, statements by what they tell).
    set_aside: dict[str, dict[str, object]] = field(default_factory=dict)
    #: Rows of the batch's mentions file: every mention, set aside or not.
    n_rows: int = 0


def extract_batch(task: ExtractTask) -> ExtractedBatch:
    """Step 2: tag a batch of documents, write its mentions file."""
    texts = read_spool(task.spool, task.number)
    documents = [with_text(unpack_document(packed), texts[row])
                 for packed, row in task.documents]
    notes = StageNotes()
    errors: list[str] = []
    mentions = document_mentions(documents, task.tagger, errors, notes,
                                 repeated=task.repeated, keep_all=task.keep_all,
                                 gazetteers=task.gazetteers)
    rows = unique_keys(mention_rows(mentions).with_row_index("m"), mentions).drop("m", "key")
    # the documents' order in the input: mentions.parquet lists them so, whatever the batches
    ordinal = {document.id: k for k, document in enumerate(documents)}
    rows = rows.with_columns(doc_no=pl.col("doc_id").replace_strict(
        ordinal, default=None, return_dtype=pl.Int32))
    rows = rows.sort(["lo", "hi", "doc_id", "start", "timex_start"]).with_columns(
        batch=pl.lit(task.number, dtype=pl.Int32), row=pl.int_range(pl.len(), dtype=pl.Int32),
        merged=pl.lit(True) if task.keep_all else pl.col("tells") == "happening")
    task.mentions.mkdir(parents=True, exist_ok=True)
    rows.write_parquet(mentions_path(task.mentions, task.number), row_group_size=ROW_GROUP_ROWS,
                       statistics=True)
    merged = rows.filter(pl.col("merged"))
    days, counts = np.unique(merged["lo"].to_numpy(), return_counts=True)
    return ExtractedBatch(task.number, merged.height, days, counts, notes.warnings,
                          notes.errors, errors, notes.set_aside, rows.height)


def read_block(files: Sequence[Path], first: int, end: int) -> pl.DataFrame:
    """The mention rows a time block needs, from the mentions files (row groups
    outside it are skipped by their statistics)."""
    if not files:
        return pl.DataFrame()
    # a cheap bound first (row-group statistics), then the block's own filter
    coarse = (pl.col("hi") >= first) & (pl.col("lo") < end + LONG_MARGIN_DAYS)
    return (pl.scan_parquet([str(f) for f in files]).filter(coarse & pl.col("merged"))
            .filter(block_filter(first, end)).drop("merged").collect())


@dataclass(frozen=True)
class BlockTask:
    number: int
    first: int
    end: int
    files: list[Path]
    copies: Copies
    threshold: float = THRESHOLD
    gazetteers: tuple[str, ...] = DEFAULT_GAZETTEERS


def generic_keys(gazetteers: tuple[str, ...]) -> frozenset[str]:
    """The features the gazetteers call too common to tell events apart."""
    return load_vocabulary(tuple(gazetteers)).generic


def edges_task(task: BlockTask) -> BlockEdges:
    """Step 1 of the merge by time blocks, for one block."""
    rows = read_block(task.files, task.first, task.end)
    return block_edges(rows, task.first, task.end, copies=task.copies,
                       threshold=task.threshold, generic=generic_keys(task.gazetteers))


@dataclass(frozen=True)
class EntriesTask:
    number: int
    first: int
    end: int
    files: list[Path]
    copies: Copies
    #: The clusters file (:func:`~timeline.chronology.timeblocks.join_blocks`, with lo, hi).
    clusters: Path
    out: Path
    summary_lang: str | None = None
    gazetteers: tuple[str, ...] = DEFAULT_GAZETTEERS


@dataclass
class BlockResult:
    number: int
    n_entries: int
    candidates: pl.DataFrame
    #: (batch, row, cluster) of every mention of the block's entries.
    where: pl.DataFrame


def entries_path(directory: Path, number: int) -> Path:
    return directory / f"entries-{number:06d}.parquet"


def entries_task(task: EntriesTask) -> BlockResult:
    """Step 3 of the merge by time blocks: the block's entries, written to a file."""
    rows = read_block(task.files, task.first, task.end)
    clusters = (pl.scan_parquet(str(task.clusters))
                .filter((pl.col("hi") >= task.first)
                        & (pl.col("lo") < task.end + LONG_MARGIN_DAYS))
                .select("cls", "cluster", "day").collect())
    entries, candidates, where = block_entries(rows, task.first, task.end, clusters,
                                               copies=task.copies,
                                               summary_lang=task.summary_lang,
                                               generic=generic_keys(task.gazetteers))
    task.out.mkdir(parents=True, exist_ok=True)
    entries.with_columns(e_day=pl.col("earliest").dt.epoch("d").cast(pl.Int32)).write_parquet(
        entries_path(task.out, task.number), row_group_size=ROW_GROUP_ROWS, statistics=True)
    return BlockResult(task.number, entries.height, candidates, where)
