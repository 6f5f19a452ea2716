"""Merging by time blocks: the merge of a corpus of any size, in bounded memory.

The merge at once (:func:`timeline.chronology.clusters.cluster_mentions`) holds every
mention. Here the time axis is cut into blocks holding about the same number of
mentions (:func:`plan_blocks`), and the merge runs in three steps, each block alone
in the first and the last (in this process, in worker processes, or as Dask tasks):

1. **pairs** (:func:`block_edges`): every candidate pair comes from one period of
   buckets (a day, a week, 30 or 365 days); a block gives the scored pairs of the
   periods that start in it. It reads the mentions whose compared interval meets
   the block or the 30 days after it (365 for mentions longer than a month), so that
   each of its periods sees all its classes, and the pairs that cross the block's
   boundaries are found exactly once, with the score the merge at once gives them;
2. **clusters** (:func:`join_classes`): the pairs of all blocks joined in one order,
   as the merge at once joins them; it holds a few numbers per class of statements,
   not the mentions;
3. **entries** (:func:`block_entries`): every cluster has a day all its statements
   meet; the block of that day writes its entry. Event ids that two blocks' entries
   would share are told apart afterwards
   (:func:`~timeline.chronology.entries.resolve_event_ids`), as at once.

The chronology is the same, row for row, as the merge at once (the tests check it
on generated corpora cut into blocks of a few days).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import polars as pl

from timeline.chronology.candidates import PERIOD_DAYS
from timeline.chronology.clusters import (
    CONTENT,
    Clustering,
    classify,
    in_edge_order,
    join_clusters,
    scored_pairs,
)
from timeline.chronology.entries import chronology_rows, event_id_candidates
from timeline.chronology.features import frame_columns
from timeline.chronology.rank import day_sketches
from timeline.chronology.similarity import THRESHOLD
from timeline.corpus.copies import Copies

#: Mentions a time block holds, about (a day with more is a block of its own).
BLOCK_MENTIONS = 20_000

#: A time block: its first day and the day after its last (epoch days).
Block = tuple[int, int]
#: Before and after every day a calendar date can be (epoch days).
FIRST_DAY, END_DAY = -1_000_000_000, 1_000_000_000


def plan_blocks(days: Iterable[int], counts: Iterable[int] | None = None, *,
                block_mentions: int = BLOCK_MENTIONS) -> list[Block]:
    """Consecutive time blocks [first, end) (epoch days) covering every given day,
    each holding about ``block_mentions`` mentions (``counts`` per day; 1 each when
    absent). A day is never split. The first block starts at :data:`FIRST_DAY` and
    the last ends at :data:`END_DAY`, so that every period of buckets (a period may
    start before the first day given) belongs to a block.

    >>> plan_blocks([10, 11, 12, 40], [5, 5, 5, 5], block_mentions=10)
    [(-1000000000, 12), (12, 1000000000)]
    """
    day = np.asarray(list(days), dtype=np.int64)
    if len(day) == 0:
        return []
    count = np.ones(len(day), dtype=np.int64) if counts is None else \
        np.asarray(list(counts), dtype=np.int64)
    order = np.argsort(day, kind="stable")
    day, count = day[order], count[order]
    unique, first = np.unique(day, return_index=True)
    starts = unique[cut_runs(np.add.reduceat(count, first).tolist(), block_mentions)].tolist()
    return list(zip([FIRST_DAY, *starts[1:]], [*starts[1:], END_DAY], strict=True))


def cut_runs(counts: Sequence[int], limit: int) -> list[int]:
    """Where runs of consecutive items holding about ``limit`` together start (indices of
    ``counts``, each item's count): a run ends before the item that would take it past
    ``limit``, so an item holding more is a run of its own. The time blocks are runs of
    days, the shards of the merge runs of mentions files.

    >>> cut_runs([0, 30, 30, 90, 10, 0], 60), cut_runs([], 60)
    ([0, 3, 4], [])
    """
    starts, held = [], 0
    for index, count in enumerate(counts):
        if index == 0 or (held and held + count > limit):
            starts.append(index)
            held = 0
        held += count
    return starts


#: The level of the classes longer than a month (their period is a year).
LONG_LEVEL = len(PERIOD_DAYS) - 1
#: Days beyond a time block's last day whose mentions a block must see: the longest
#: period of the classes up to a month long, and of the longer ones.
SHORT_MARGIN_DAYS = PERIOD_DAYS[LONG_LEVEL - 1]
LONG_MARGIN_DAYS = PERIOD_DAYS[LONG_LEVEL]
#: The order of mention rows whose row-group statistics let :func:`block_filter` skip
#: groups: by time, the classes longer than a month last (then by place in the text).
TIME_ORDER = (pl.col("level") == LONG_LEVEL, "lo", "hi", "doc_id", "start", "timex_start")


def block_filter(first: int, end: int) -> pl.Expr:
    """The mention rows a time block [first, end) (epoch days) needs: every class that
    meets one of the periods that start in it (:func:`block_edges`)."""
    # written as comparisons only, so that a file's row-group statistics can skip groups
    long = (pl.col("level") == LONG_LEVEL) & (pl.col("lo") < end + LONG_MARGIN_DAYS)
    return (pl.col("hi") >= first) & ((pl.col("lo") < end + SHORT_MARGIN_DAYS) | long)


@dataclass(frozen=True)
class BlockEdges:
    """What a time block found: its classes (those whose compared interval starts in it:
    ``cls``, content, lo, hi, kinds, places) and the scored pairs of its periods (``a``, ``b``:
    class identities, ``a`` first in class order; ``score``)."""

    classes: pl.DataFrame
    edges: pl.DataFrame
    n_candidates: int


def block_edges(rows: pl.DataFrame, first: int, end: int, *, copies: Copies | None = None,
                threshold: float = THRESHOLD, generic: frozenset[str] | None = None
                ) -> BlockEdges:
    """The candidate pairs of one time block, [first, end) in epoch days, scored.

    ``rows`` are mention rows (:data:`~timeline.frames.MENTION_ROWS_SCHEMA`, distinct
    keys) that hold at least every mention :func:`block_filter` selects. Every
    candidate pair comes from one period (the first day two classes share, or the
    period of a large bucket); this block gives the pairs of the periods that start
    in it, which see every class they hold. The blocks' pairs together are the pairs
    of the merge at once, with the same scores; :func:`join_blocks` clusters them.
    """
    rows = rows.filter(block_filter(first, end))
    classed = classify(frame_columns(rows, generic), copies or Copies())
    scored, n_candidates = scored_pairs(classed, threshold, (first, end))
    classes = classed.classes
    cls = classes["cls"].to_numpy()
    edges = scored.filter(pl.col("score") >= threshold)
    mine = classes.filter((pl.col("lo") >= first) & (pl.col("lo") < end))
    return BlockEdges(
        mine.select("cls", *CONTENT, "lo", "hi", "kinds", "places"),
        pl.DataFrame({"a": pl.Series(cls[edges["a"].to_numpy()]),
                      "b": pl.Series(cls[edges["b"].to_numpy()]),
                      "score": edges["score"]}),
        n_candidates)


def join_blocks(blocks: Iterable[BlockEdges]) -> pl.DataFrame:
    """The cluster of every class, from the time blocks' classes and pairs
    (:func:`join_classes`)."""
    parts = list(blocks)
    classes = (pl.concat([b.classes for b in parts]) if parts else
               pl.DataFrame(schema=CLASSES_SCHEMA))
    edges = (pl.concat([b.edges for b in parts]) if parts else
             pl.DataFrame(schema=EDGES_SCHEMA))
    return join_classes(classes.lazy(), edges)


#: The classes of a time block (:class:`BlockEdges`), and its scored pairs.
CLASSES_SCHEMA = {"cls": pl.UInt64, **{n: pl.Int64 for n in CONTENT}, "lo": pl.Int32,
                  "hi": pl.Int32, "kinds": pl.Int64, "places": pl.Int64}
EDGES_SCHEMA = {"a": pl.UInt64, "b": pl.UInt64, "score": pl.Float64}


def join_classes(classes: pl.LazyFrame, edges: pl.DataFrame) -> pl.DataFrame:
    """The cluster of every class: (cls, cluster, day, lo, hi). ``classes`` are the
    time blocks' classes (read from their files, or in memory), ``edges`` their pairs.
    ``cluster`` numbers the cluster, ``day`` is a day every class of the cluster meets
    (the latest start among them), which says which time block writes the cluster's
    entry.

    Only the classes some pair links are ordered and joined, in content order, as the
    merge at once joins them (a cluster is numbered by its first class); every other
    class is a cluster of its own, numbered after them in the order of the blocks.
    So the memory held is a few numbers per class, and the sort is that of the
    linked classes."""
    linked_ids = pl.concat([edges["a"], edges["b"]]).unique()
    is_linked = pl.col("cls").is_in(linked_ids.implode())
    linked = (classes.filter(is_linked).sort(list(CONTENT))
              .select("cls", "lo", "hi", "kinds", "places").collect())
    ids = linked.select("cls").with_row_index("cid")
    edges = (edges.join(ids.rename({"cls": "a", "cid": "ca"}), on="a")
             .join(ids.rename({"cls": "b", "cid": "cb"}), on="b")
             .select(a="ca", b="cb", score="score").unique(["a", "b"]))
    del ids
    edges = in_edge_order(edges, -np.inf)
    lo = linked["lo"].to_numpy()
    roots, _ = join_clusters(edges["a"].to_numpy().astype(np.int64),
                             edges["b"].to_numpy().astype(np.int64),
                             lo, linked["hi"].to_numpy(),
                             linked["kinds"].to_numpy(), linked["places"].to_numpy())
    del edges
    day = np.full(len(roots), np.iinfo(np.int64).min, dtype=np.int64)
    np.maximum.at(day, roots, lo.astype(np.int64))
    joined = linked.select("cls", cluster=pl.Series(roots, dtype=pl.UInt32),
                           day=pl.Series(day[roots], dtype=pl.Int32), lo="lo", hi="hi")
    alone = (classes.filter(~is_linked).select("cls", "lo", "hi")
             .with_row_index("cluster", offset=linked.height)
             .select("cls", pl.col("cluster").cast(pl.UInt32), day="lo", lo="lo", hi="hi")
             .collect())
    return pl.concat([joined, alone])


class BlockEntries(NamedTuple):
    """What a time block's entries are (:func:`block_entries`)."""

    #: The chronology rows, with ``cluster``; event ids not yet told apart from other
    #: blocks' ids.
    entries: pl.DataFrame
    #: The candidate ids of each cluster, with its rank evidence
    #: (:func:`~timeline.chronology.entries.resolve_event_ids`).
    candidates: pl.DataFrame
    #: The report sketches of each day of its one-day entries
    #: (:func:`~timeline.chronology.rank.day_sketches`).
    days: pl.DataFrame
    #: Which cluster each mention row joined (``batch``, ``row``, ``cluster``), when the
    #: rows carry where they were read from.
    where: pl.DataFrame


def block_entries(rows: pl.DataFrame, first: int, end: int, clusters: pl.DataFrame, *,
                  copies: Copies | None = None, summary_lang: str | None = None,
                  generic: frozenset[str] | None = None) -> BlockEntries:
    """The entries of the clusters whose day (:func:`join_classes`) falls in [first, end)."""
    rows = rows.filter(block_filter(first, end)).with_row_index("m")
    copies = copies or Copies()
    classed = classify(frame_columns(rows, generic), copies)
    labels = classed.classes.select("cid", "cls").join(clusters, on="cls", how="left")
    frame = (classed.frame.join(labels.select("cid", "cluster", "day"), on="cid")
             .filter((pl.col("day") >= first) & (pl.col("day") < end)))
    quantities = classed.quantities.join(frame.select("m"), on="m", how="semi")
    clustering = Clustering(frame, quantities, (), 0, 0, 0, None, copies)
    candidates = event_id_candidates(frame)
    days = day_sketches(candidates)
    # the ids are told apart over all blocks (resolve_event_ids) and set as the entries
    # are written
    entries, _ = chronology_rows(clustering, summary_lang, candidates.select(
        "cluster", event_id=pl.lit(None, dtype=pl.String)))
    candidates = candidates.drop("report_sketch", "later_sketch")
    where = (rows.select(pl.col("m").cast(pl.UInt32), "batch", "row")
             .join(frame.select("m", "cluster"), on="m").select("batch", "row", "cluster")
             if "batch" in rows.columns else pl.DataFrame())
    return BlockEntries(entries, candidates, days, where)


