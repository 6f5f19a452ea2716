"""Merging by time blocks: the merge of a corpus of any size, in bounded memory.

The merge at once (:func:`timeline.chronology.merge.cluster_mentions`) holds every
mention. Here the time axis is cut into blocks holding about the same number of
mentions, and the merge runs in three steps, each block alone in the first and
the last (in this process, in worker processes, or as Dask tasks):

1. **pairs** (:func:`~timeline.chronology.merge.merge_window`): every candidate
   pair comes from one time bucket (a day, a week, 30 or 365 days); a block gives
   the scored pairs of the buckets that start in it. It reads the mentions whose
   compared interval meets the block or the 30 days after it (365 for mentions
   longer than a month), so that each of its buckets sees all its classes, and the
   pairs that cross the block's boundaries are found exactly once, with the score
   the merge at once gives them;
2. **clusters** (:func:`~timeline.chronology.merge.join_windows`): the pairs of all
   blocks joined in one order, as the merge at once joins them; it holds a few
   numbers per class of statements, not the mentions;
3. **entries** (:func:`~timeline.chronology.merge.window_entries`): every cluster
   has a day all its statements meet; the block of that day writes its entry.
   Event ids that two blocks' entries would share are told apart afterwards
   (:func:`~timeline.chronology.merge.resolve_event_ids`), as at once.

The chronology is the same, row for row, as the merge at once (the tests check it
on generated corpora cut into blocks of a few days).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import polars as pl

from timeline.chronology.merge import (
    CHRONOLOGY_SCHEMA,
    THRESHOLD,
    join_windows,
    merge_window,
    resolve_event_ids,
    window_entries,
)
from timeline.corpus.copies import Copies

#: Mentions a time block holds, about (a day with more is a block of its own).
BLOCK_MENTIONS = 20_000

Window = tuple[int, int]
#: Before and after every day a calendar date can be (epoch days).
FIRST_DAY, END_DAY = -1_000_000_000, 1_000_000_000


def plan_windows(days: Iterable[int], counts: Iterable[int] | None = None, *,
                 block_mentions: int = BLOCK_MENTIONS) -> list[Window]:
    """Consecutive time blocks [first, end) (epoch days) covering every given day,
    each holding about ``block_mentions`` mentions (``counts`` per day; 1 each when
    absent). A day is never split. The first block starts at :data:`FIRST_DAY` and
    the last ends at :data:`END_DAY`, so that every time bucket (a bucket may start
    before the first day given) belongs to a block.

    >>> plan_windows([10, 11, 12, 40], [5, 5, 5, 5], block_mentions=10)
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
    per_day = np.add.reduceat(count, first)
    windows: list[Window] = []
    start, held = FIRST_DAY, 0
    for d, n in zip(unique.tolist(), per_day.tolist(), strict=True):
        if held and held + n > block_mentions:
            windows.append((start, d))
            start, held = d, 0
        held += n
    windows.append((start, END_DAY))
    return windows


def finish(entries: Sequence[pl.DataFrame], candidates: Sequence[pl.DataFrame]) -> pl.DataFrame:
    """The chronology from the blocks' entries: event ids told apart over all blocks,
    rows in chronology order (``cluster`` kept, for the mentions)."""
    ids = resolve_event_ids(pl.concat(candidates) if candidates else
                            pl.DataFrame(schema={"cluster": pl.UInt32, "id0": pl.String,
                                                 "id1": pl.String, "id2": pl.String}))
    if not entries:
        return pl.DataFrame(schema={**CHRONOLOGY_SCHEMA, "cluster": pl.UInt32})
    frame = pl.concat(entries).drop("event_id").join(ids, on="cluster")
    return frame.select(*CHRONOLOGY_SCHEMA, "cluster").sort(["earliest", "latest", "event_id"])


def merge_in_blocks(rows: pl.DataFrame, windows: Sequence[Window] | None = None, *,
                    copies: Copies | None = None, summary_lang: str | None = None,
                    threshold: float = THRESHOLD, block_mentions: int = BLOCK_MENTIONS
                    ) -> pl.DataFrame:
    """The chronology of mention rows held in memory, merged block by block (for tests
    and small runs; a build reads each block's rows from the mentions files)."""
    if windows is None:
        windows = plan_windows(rows["lo"].to_list(), block_mentions=block_mentions)
    found = [merge_window(rows, first, end, copies=copies, threshold=threshold)
             for first, end in windows]
    clusters = join_windows(found)
    parts = [window_entries(rows, first, end, clusters, copies=copies,
                            summary_lang=summary_lang) for first, end in windows]
    return finish([p[0] for p in parts], [p[1] for p in parts])
