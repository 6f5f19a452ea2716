"""One build's run: where its batches execute, its work folder, its progress bars.

:class:`Run` hands the tasks of :mod:`timeline.pipeline.tasks` to this process, to
local worker processes (:mod:`timeline.pipeline.pool`), or to a Dask cluster
(:mod:`timeline.pipeline.cluster`), always
reading their results back in task order, so that what is written does not
depend on where or in which order the tasks ran. The driver keeps only small
facts between stages (per document: hashes, ids, dates, signatures; per class of
statements: a few numbers); texts and mentions stay in the work folder's files.

Stages and their files (in the work folder, removed at the end):

- ``spool/texts-N.pickle``: the cleaned texts of input batch N;
- ``mentions/batch-N.parquet``: the event mentions of batch N (the partitioned
  mentions), in the documents' order;
- ``shards/shard-J.parquet``: the merged mentions of a run of batches, sorted by
  time in small row groups (what the time blocks read);
- ``classes/classes-K.parquet``: the classes of statements of time block K;
- ``clusters.parquet``: every class of statements with its cluster;
- ``entries/entries-K.parquet``: the chronology entries of time block K,
  ``entries/candidates-K.parquet`` their candidate ids and rank evidence (numbers,
  told apart over all blocks) and ``entries/days-K.parquet`` the report sketches of
  their days.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import gc
import itertools
import os
import resource
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

import polars as pl
from tqdm import tqdm

from timeline.chronology.entries import event_id_text, mention_table, resolve_event_ids
from timeline.chronology.rank import united_sketches
from timeline.chronology.timeblocks import (
    BLOCK_MENTIONS,
    CLASSES_SCHEMA,
    EDGES_SCHEMA,
    join_classes,
    plan_blocks,
)
from timeline.chronology.writers import ChronologyWriter
from timeline.corpus.columns import ColumnOptions
from timeline.corpus.ledger import Ledger
from timeline.corpus.published import DATE_ORDERS, DEFAULT_DATE_ORDER
from timeline.corpus.stream import BATCH_DOCUMENTS, batches, ingest_batch, records_of
from timeline.events.vocabulary import load_vocabulary
from timeline.frames import CHRONOLOGY_SCHEMA, MENTIONS_SCHEMA
from timeline.gazetteers import DEFAULT_GAZETTEERS
from timeline.pipeline import cluster
from timeline.pipeline.documents import TextTaggerOf
from timeline.pipeline.lines import warm_rules
from timeline.pipeline.pool import WorkerPool, ordered_map, process_pool
from timeline.pipeline.tasks import (
    BlockTask,
    EntriesTask,
    ExtractTask,
    ShardTask,
    candidates_path,
    classes_path,
    days_path,
    edges_task,
    entries_path,
    entries_task,
    extract_batch,
    mentions_path,
    shard_groups,
    shard_task,
)
from timeline.pipeline.workfolder import WorkFolder
from timeline.temporal.publication import PublicationInference
from timeline.types import Tagger

if TYPE_CHECKING:
    from distributed import Client

T = TypeVar("T")
R = TypeVar("R")

#: Lines of documents that failed in a later stage kept for the summary (the ingest
#: report has all of them).
MAX_ERROR_LINES = 100


class _Progress:
    """A tqdm bar on stderr when asked for (a terminal, not --quiet), else nothing."""

    def __init__(self, enabled: bool, description: str, total: int | None = None,
                 unit: str = "doc") -> None:
        self.bar: Any = None
        if enabled:
            self.bar = tqdm(total=total, desc=description, unit=unit, file=sys.stderr,
                            dynamic_ncols=True, leave=False)

    def update(self, n: int = 1) -> None:
        if self.bar is not None:
            self.bar.update(n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


class Run:
    """Context of one build (see the module docstring). ``workers`` local processes, or
    the Dask scheduler at ``dask``; ``progress`` draws the bars."""

    def __init__(self, *, workers: int = 1, dask: str | None = None, progress: bool = False,
                 work_dir: str | Path | None = None, batch_documents: int | None = None,
                 gazetteers: tuple[str, ...] = DEFAULT_GAZETTEERS) -> None:
        self.workers = max(1, workers)
        #: The gazetteers every task reads actors and places with (names or paths).
        self.gazetteers = tuple(gazetteers)
        self._warm = functools.partial(_warm, self.gazetteers)
        #: Inputs per batch of ingestion and tagging (None: BATCH_DOCUMENTS).
        self.batch_documents = batch_documents
        self.dask_address = dask
        self.progress = progress
        self._given_work = Path(work_dir) if work_dir is not None else None
        self.work = Path(".")
        self._folder = WorkFolder(self._given_work)
        self._ledger: Ledger | None = None
        self._client: Client | None = None
        #: The local worker processes, started at the first map of several tasks (and again
        #: after :meth:`release_workers`), each calling that map's initializer.
        self._pool: WorkerPool | None = None
        #: Seconds spent in each stage (``TIMELINE_TIMINGS=1`` prints them on stderr).
        self.timings: dict[str, float] = {}
        #: This process's peak resident memory (MB) at the end of each stage.
        self.peaks: dict[str, int] = {}
        self._clock = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.timings[stage] = self.timings.get(stage, 0.0) + now - self._clock
        self._clock = now
        self.peaks[stage] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024

    def __enter__(self) -> Run:
        self.work = self._folder.__enter__()
        if self.dask_address is not None:
            try:
                self._client = cluster.connect(self.dask_address)
            except BaseException:
                self._folder.close()
                raise
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        try:
            if self._pool is not None:
                if exc is not None:
                    self._pool.stop()  # failed or interrupted: the workers end now
                else:
                    self._pool.shutdown(wait=True, cancel_futures=True)
                self._pool = None
        finally:
            if self._ledger is not None:
                self._ledger.close()
            self._folder.close()
        if os.environ.get("TIMELINE_TIMINGS"):
            self.lap("rest")
            print("timings: " + ", ".join(f"{k} {v:.1f} s (peak {self.peaks[k]} MB)"
                                          for k, v in self.timings.items()), file=sys.stderr)
        if self._client is not None:
            self._client.close()

    # --- where tasks run ---------------------------------------------------------

    def map(self, function: Callable[[T], R], tasks: Iterable[T], *,
            initializer: Callable[[], None] | None = None) -> Iterator[R]:
        """``function`` over ``tasks``, results in task order. The local worker processes
        start at the first map of more than one task, each calling ``initializer``
        first: a map of one task (a corpus of one batch) runs in this process."""
        if self._client is not None:
            return cluster.ordered_submit(self._client, _call_and_trim,
                                  ((function, task) for task in tasks))
        if self.workers <= 1:
            return ordered_map(function, tasks, workers=1, initializer=initializer)
        if self._pool is None:
            tasks = iter(tasks)
            head = list(itertools.islice(tasks, 2))
            if len(head) < 2:  # one task: starting and warming processes costs more
                return ordered_map(function, head, workers=1, initializer=initializer)
            tasks = itertools.chain(head, tasks)
            self._pool = process_pool(self.workers, initializer)
        return ordered_map(_call_and_trim, ((function, task) for task in tasks),
                           workers=self.workers, pool=self._pool)

    def release_workers(self) -> None:
        """Stop the local worker processes (their memory goes back before the page is drawn)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    # --- stages ------------------------------------------------------------------

    def ingest(self, paths: list[str | Path], *, exclude: list[Path], tagger: Tagger | None = None,
               text_col: str | None = None, date_col: str | None = None,
               id_col: str | None = None, source_col: str | None = None,
               url_col: str | None = None, title_col: str | None = None,
               lang_col: str | None = None, today: date | None = None,
               date_order: str | None = None, follow_symlinks: bool = False) -> Ledger:
        """Read every input in batches; the corpus settled."""
        date_order = date_order or DEFAULT_DATE_ORDER
        if date_order not in DATE_ORDERS:
            raise ValueError(f"date_order {date_order!r}: one of {', '.join(DATE_ORDERS)}")
        today = today or date.today()
        options = ColumnOptions(text=text_col, published=date_col, id=id_col,
                                source=source_col, url=url_col, title=title_col, lang=lang_col)
        records, found = records_of([Path(p) for p in paths], options, today=today,
                                    follow_symlinks=follow_symlinks, exclude=exclude,
                                    spool=self.work)
        inference = PublicationInference(TextTaggerOf(tagger) if tagger else None)
        ledger = self._ledger = Ledger(self.work / "ledger")
        bar = _Progress(self.progress, "reading", unit="doc")
        for batch in self.map(ingest_batch, batches(records, spool=self.work / "spool",
                                                     today=today, date_order=date_order,
                                                     inference=inference,
                                                     batch_documents=self.batch_documents
                                                     or BATCH_DOCUMENTS),
                              initializer=self._warm):
            ledger.add(batch)
            bar.update(len(batch.items))
        bar.close()
        self.lap("read")
        ledger.settle(inference=inference, today=today, discovery_warnings=found.warnings,
                      ignored=found.ignored)
        trim_memory()
        self.lap("settle")
        return ledger

    def extract(self, settled: Ledger, tagger: Tagger | None, errors: list[str], *,
                keep_all: bool = False) -> int:
        """Tag every document and write its mentions (what the stages said of each
        document, and what they set aside, goes to the ledger); returns how many
        mentions the merge reads (those that tell a happening; every one with
        ``keep_all``)."""
        sizes: dict[int, int] = {}

        def tasks() -> Iterator[ExtractTask]:
            for number, documents in settled.batches():
                sizes[number] = len(documents)
                yield ExtractTask(number, self.work / "spool", documents,
                                  self.work / "mentions", tagger, settled.repeated, keep_all,
                                  self.gazetteers)

        bar = _Progress(self.progress, "tagging", total=settled.n_documents)
        self.days: dict[int, int] = {}
        self.mention_files: list[Path] = []
        self.merged_counts: list[int] = []
        n_mentions = n_failed = 0
        for result in self.map(extract_batch, tasks(), initializer=self._warm):
            n_mentions += result.n_mentions
            for day, count in zip(result.days.tolist(), result.counts.tolist(), strict=True):
                self.days[day] = self.days.get(day, 0) + count
            settled.add_notes(result.warnings, result.errors, result.set_aside)
            for line in result.error_lines:  # the report has every one
                n_failed += 1
                if n_failed <= MAX_ERROR_LINES:
                    errors.append(line)
            if result.n_rows:
                self.mention_files.append(mentions_path(self.work / "mentions", result.number))
                self.merged_counts.append(result.n_mentions)
            bar.update(sizes.pop(result.number, 0))
        if n_failed > MAX_ERROR_LINES:
            errors.append(f"... {n_failed - MAX_ERROR_LINES:,} more documents failed (see "
                          "ingest_report.json)")
        bar.close()
        self.lap("tag+events")
        return n_mentions

    def merge(self, settled: Ledger, folder: Path, *, summary_lang: str | None = None,
              block_mentions: int | None = None) -> tuple[dict[str, Path], int]:
        """Merge the mentions by time blocks and write the chronology files into
        ``folder``; returns the paths and the number of events."""
        blocks = plan_blocks(list(self.days), list(self.days.values()),
                               block_mentions=block_mentions or BLOCK_MENTIONS)
        groups = shard_groups(self.mention_files, self.merged_counts)
        copies = settled.copies
        bar = _Progress(self.progress, "merging", total=len(groups) + 2 * len(blocks),
                        unit="step")
        shards = []
        for shard in self.map(shard_task, (ShardTask(j, group, self.work / "shards")
                                           for j, group in enumerate(groups))):
            shards.append(shard)
            bar.update()
        self.lap("merge: shards")
        edges = []
        classes_dir = self.work / "classes"
        for found in self.map(edges_task, (BlockTask(k, first, end, shards, copies, classes_dir,
                                                     gazetteers=self.gazetteers)
                                           for k, (first, end) in enumerate(blocks))):
            edges.append(found)
            bar.update()
        self.lap("merge: pairs")
        class_files = [str(classes_path(classes_dir, k)) for k in range(len(blocks))]
        clusters = join_classes(
            pl.scan_parquet(class_files) if blocks else pl.LazyFrame(schema=CLASSES_SCHEMA),
            pl.concat(edges) if edges else pl.DataFrame(schema=EDGES_SCHEMA))
        del edges
        clusters_file = self.work / "clusters.parquet"
        clusters.sort("lo").write_parquet(clusters_file, row_group_size=65536)
        del clusters
        self.lap("merge: clusters")
        where, n_events = [], 0
        entries_dir = self.work / "entries"
        for result in self.map(entries_task, (
                EntriesTask(k, first, end, shards, copies, clusters_file, entries_dir,
                            summary_lang, self.gazetteers)
                for k, (first, end) in enumerate(blocks))):
            if result.where.height:
                where.append(result.where)
            n_events += result.n_entries
            bar.update()
        bar.close()
        # the event ids are resolved and the chronology written here: the workers' memory
        # goes back first (the mentions are written by fresh ones, which load no rules)
        self.release_workers()
        self.lap("merge: entries")
        ids = _resolved_ids([candidates_path(entries_dir, k) for k in range(len(blocks))],
                         [days_path(entries_dir, k) for k in range(len(blocks))])
        writer = ChronologyWriter(folder, n_events)
        entry_files = [entries_path(entries_dir, k) for k in range(len(blocks))]
        bar = _Progress(self.progress, "writing", total=n_events, unit="event")
        for chunk in _chronology_chunks(entry_files, blocks, ids):
            writer.write(chunk)
            bar.update(chunk.height)
            del chunk
            trim_memory()
        if not n_events:
            writer.write(pl.DataFrame(schema=CHRONOLOGY_SCHEMA))
        bar.close()
        self.lap("write: chronology")
        events_of = _events_of(where, ids)
        del where, ids
        original = dict(copies.original)
        for frame in self.map(_mentions_output, (
                MentionsTask(path, events_of.pop(_batch_number(path), None), original)
                for path in self.mention_files)):
            writer.write_mentions(frame)
        self.lap("write: mentions")
        if not self.mention_files:
            writer.write_mentions(pl.DataFrame(schema=MENTIONS_SCHEMA))
        paths = writer.close()
        self.release_workers()
        self.lap("write")
        return paths, n_events


def _call_and_trim(job: tuple[Callable[[T], R], T]) -> R:
    """Run one task in a worker, then hand the memory it freed back to the system: a
    long-lived worker would otherwise keep the high-water mark of its largest task."""
    function, task = job
    result = function(task)
    trim_memory()
    return result


def trim_memory() -> None:
    """Collect garbage and return the C heap's free pages to the system (glibc's
    ``malloc_trim``; elsewhere only the collection)."""
    gc.collect()
    global _MALLOC_TRIM
    if _MALLOC_TRIM is None:
        name = ctypes.util.find_library("c")
        library = ctypes.CDLL(name) if name else None
        _MALLOC_TRIM = getattr(library, "malloc_trim", False) if library else False
    if _MALLOC_TRIM:
        _MALLOC_TRIM(0)


_MALLOC_TRIM: Any = None


def _warm(gazetteers: tuple[str, ...] = DEFAULT_GAZETTEERS) -> None:
    """Load the rules and the event vocabulary once per worker, before its first task."""
    warm_rules()
    load_vocabulary(tuple(gazetteers))


def _resolved_ids(candidates: list[Path], days: list[Path]) -> pl.DataFrame:
    """(cluster, event_hash, rank) of every entry, from the time blocks' candidate ids
    and their days' report sketches."""
    existing = [str(f) for f in candidates if f.exists()]
    if not existing:
        return pl.DataFrame(schema={"cluster": pl.UInt32, "event_hash": pl.UInt64,
                                    "rank": pl.Int64})
    return resolve_event_ids(pl.read_parquet(existing), united_sketches(
        pl.read_parquet([str(f) for f in days if f.exists()])))


def _chronology_chunks(files: list[Path], blocks: list[tuple[int, int]],
                       ids: pl.DataFrame) -> Iterator[pl.DataFrame]:
    """The entries in chronology order, a time block's worth of days at a time.

    An entry's earliest day is at most a year and a report's days before its block
    (every mention of it meets the block), so each chunk reads the row groups of the
    entries files whose days fall in it."""
    existing = [str(f) for f in files if f.exists()]
    if not existing:
        return
    scan = pl.scan_parquet(existing)
    # the first and last chunks reach to the ends of the calendar
    bounds = [(-(2**31), w[1]) if k == 0 else w for k, w in enumerate(blocks)]
    bounds[-1] = (bounds[-1][0], 2**31 - 1)
    for first, end in bounds:
        chunk = (scan.filter((pl.col("e_day") >= first) & (pl.col("e_day") < end))
                 .collect())
        if not chunk.height:
            continue
        chunk = chunk.drop("event_id", "rank").join(ids, on="cluster")
        yield (chunk.with_columns(event_id_text(chunk["event_hash"]))
               .select(*CHRONOLOGY_SCHEMA).sort(["earliest", "latest", "event_id"]))


def _events_of(where: list[pl.DataFrame], ids: pl.DataFrame) -> dict[int, pl.DataFrame]:
    """Per mentions file (batch), the event of each of its rows merged: (row, event_hash)."""
    if not where:
        return {}
    every = pl.concat(where).join(ids.select("cluster", "event_hash"), on="cluster")
    return {int(batch): part.select("row", "event_hash")
            for (batch,), part in every.partition_by("batch", as_dict=True).items()}


@dataclass(frozen=True)
class MentionsTask:
    """One mentions file to turn into rows of mentions.parquet."""

    path: Path
    #: The event of each of its rows merged (row, event_hash); None when none was.
    events: pl.DataFrame | None
    #: Copy -> original document id.
    original: dict[str, str]


def _batch_number(path: Path) -> int:
    return int(path.stem.rsplit("-", 1)[1])


def _mentions_output(task: MentionsTask) -> pl.DataFrame:
    """One mentions file as the rows of mentions.parquet (MENTIONS_SCHEMA), with their
    event ids, documents in input order."""
    rows = pl.read_parquet(task.path)
    if task.events is None:
        rows = rows.with_columns(event_id=pl.lit(None, dtype=pl.String))
    else:
        rows = rows.join(task.events, on="row", how="left")
        rows = rows.with_columns(event_id_text(rows["event_hash"])).drop("event_hash")
    return mention_table(rows, original=task.original)
