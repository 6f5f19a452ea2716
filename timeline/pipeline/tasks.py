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
   (``mentions/batch-N.parquet``, one per batch, in the documents' order; ``merged``
   says which the merge reads: those that tell a happening);
3. :func:`shard_task`: the merged mentions of a run of batches sorted by time into
   a shard, so that a time block reads only what meets it;
4. :func:`edges_task` and :func:`entries_task`: one time block of the merge
   (:mod:`timeline.chronology.timeblocks`), read from the shards; the block's
   classes, and its entries with their candidate ids, written to files.
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
    TIME_ORDER,
    block_edges,
    block_entries,
    block_filter,
    cut_runs,
)
from timeline.corpus.copies import Copies
from timeline.corpus.furniture import RepeatedLines
from timeline.corpus.packed import unpack_document
from timeline.corpus.stream import read_spool, with_text
from timeline.events.vocabulary import load_vocabulary
from timeline.gazetteers import DEFAULT_GAZETTEERS
from timeline.pipeline.documents import StageNotes, document_mentions
from timeline.types import Tagger

#: Rows per row group of the mentions and entries files a build writes in its work folder.
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
    # in the documents' order (the shards sort the merged ones by time)
    rows = rows.with_columns(
        batch=pl.lit(task.number, dtype=pl.Int32), row=pl.int_range(pl.len(), dtype=pl.Int32),
        merged=pl.lit(True) if task.keep_all else pl.col("tells") == "happening")
    task.mentions.mkdir(parents=True, exist_ok=True)
    rows.write_parquet(mentions_path(task.mentions, task.number), row_group_size=ROW_GROUP_ROWS)
    merged = rows.filter(pl.col("merged"))
    days, counts = np.unique(merged["lo"].to_numpy(), return_counts=True)
    return ExtractedBatch(task.number, merged.height, days, counts, notes.warnings,
                          notes.errors, errors, notes.set_aside, rows.height)


#: Merged mentions per shard, about: the merge's time blocks read the shards.
SHARD_MENTIONS = 50_000
#: Rows per row group of a shard: a time block reads only the groups that meet it.
SHARD_GROUP_ROWS = 1024


def shard_path(directory: Path, number: int) -> Path:
    return directory / f"shard-{number:06d}.parquet"


def shard_groups(files: Sequence[Path], counts: Sequence[int],
                 limit: int | None = None) -> list[list[Path]]:
    """Consecutive runs of mentions files holding about ``limit`` (default
    :data:`SHARD_MENTIONS`) merged mentions each (``counts`` per file;
    :func:`~timeline.chronology.timeblocks.cut_runs`).

    >>> [[p.name for p in g] for g in shard_groups(
    ...     [Path(n) for n in "abcdef"], [0, 30, 30, 90, 10, 0], limit=60)]
    [['a', 'b', 'c'], ['d'], ['e', 'f']]
    """
    starts = cut_runs(counts, SHARD_MENTIONS if limit is None else limit)
    return [list(files[a:b]) for a, b in zip(starts, [*starts[1:], len(files)], strict=True)]


@dataclass(frozen=True)
class ShardTask:
    """Sort the merged mentions of a run of batches by time into one shard file."""

    number: int
    files: list[Path]
    out: Path


def shard_task(task: ShardTask) -> Path:
    """The merged mentions of a run of mentions files in one shard, sorted by time
    (statements longer than a month last) in small row groups, so that a time block
    reads only the groups that meet it, whatever order the corpus came in.
    Returns the shard's path."""
    rows = (pl.scan_parquet([str(f) for f in task.files]).filter(pl.col("merged"))
            .drop("merged")
            .sort(list(TIME_ORDER), maintain_order=True)
            .collect())
    task.out.mkdir(parents=True, exist_ok=True)
    path = shard_path(task.out, task.number)
    rows.write_parquet(path, row_group_size=SHARD_GROUP_ROWS, statistics=True)
    return path


def read_block(shards: Sequence[Path], first: int, end: int) -> pl.DataFrame:
    """The mention rows a time block needs, from the shards (row groups outside it are
    skipped by their statistics)."""
    if not shards:
        return pl.DataFrame()
    return pl.scan_parquet([str(f) for f in shards]).filter(block_filter(first, end)).collect()


@dataclass(frozen=True)
class BlockTask:
    number: int
    first: int
    end: int
    #: The shards of the merged mentions (:func:`shard_task`).
    shards: list[Path]
    copies: Copies
    #: The folder of the classes files.
    out: Path
    threshold: float = THRESHOLD
    gazetteers: tuple[str, ...] = DEFAULT_GAZETTEERS


def classes_path(directory: Path, number: int) -> Path:
    """The classes of a time block (:class:`~timeline.chronology.timeblocks.BlockEdges`),
    joined over all blocks by :func:`~timeline.chronology.timeblocks.join_classes`."""
    return directory / f"classes-{number:06d}.parquet"


def generic_keys(gazetteers: tuple[str, ...]) -> frozenset[str]:
    """The features the gazetteers call too common to tell events apart."""
    return load_vocabulary(tuple(gazetteers)).generic


def edges_task(task: BlockTask) -> pl.DataFrame:
    """Step 1 of the merge by time blocks, for one block: its scored pairs (``a``, ``b``,
    ``score``); its classes written to its classes file."""
    rows = read_block(task.shards, task.first, task.end)
    found = block_edges(rows, task.first, task.end, copies=task.copies,
                        threshold=task.threshold, generic=generic_keys(task.gazetteers))
    task.out.mkdir(parents=True, exist_ok=True)
    found.classes.write_parquet(classes_path(task.out, task.number))
    return found.edges


@dataclass(frozen=True)
class EntriesTask:
    number: int
    first: int
    end: int
    shards: list[Path]
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
    #: (batch, row, cluster) of every mention of the block's entries.
    where: pl.DataFrame


def entries_path(directory: Path, number: int) -> Path:
    return directory / f"entries-{number:06d}.parquet"


def candidates_path(directory: Path, number: int) -> Path:
    """The candidate ids of a block's entries (a few numbers each), told apart over all
    blocks by :func:`~timeline.chronology.entries.resolve_event_ids`."""
    return directory / f"candidates-{number:06d}.parquet"


def days_path(directory: Path, number: int) -> Path:
    """The report sketches of the days of a block's one-day entries, united over all
    blocks by :func:`~timeline.chronology.rank.united_sketches`."""
    return directory / f"days-{number:06d}.parquet"


def entries_task(task: EntriesTask) -> BlockResult:
    """Step 3 of the merge by time blocks: the block's entries, their candidate ids and
    their days' report sketches, written to files."""
    rows = read_block(task.shards, task.first, task.end)
    clusters = (pl.scan_parquet(str(task.clusters))
                .filter((pl.col("hi") >= task.first)
                        & (pl.col("lo") < task.end + LONG_MARGIN_DAYS))
                .select("cls", "cluster", "day").collect())
    found = block_entries(rows, task.first, task.end, clusters, copies=task.copies,
                          summary_lang=task.summary_lang, generic=generic_keys(task.gazetteers))
    task.out.mkdir(parents=True, exist_ok=True)
    found.entries.with_columns(e_day=pl.col("earliest").dt.epoch("d").cast(pl.Int32)) \
        .write_parquet(entries_path(task.out, task.number), row_group_size=ROW_GROUP_ROWS,
                       statistics=True)
    found.candidates.write_parquet(candidates_path(task.out, task.number))
    found.days.write_parquet(days_path(task.out, task.number))
    return BlockResult(task.number, found.entries.height, found.where)
