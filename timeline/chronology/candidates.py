"""Candidate pairs: the pairs of classes of statements worth scoring, bounded per class.

Candidate pairs come from **buckets**: the classes (:mod:`timeline.chronology.clusters`)
that share a place, actor, name or count (:data:`~timeline.chronology.features.BUCKET_KINDS`)
in one **period** of time (a day, a week, 30 or 365 days: :data:`PERIOD_DAYS`, by the
length of the classes' compared intervals), with overlapping intervals; and from
the buckets of one day and one kind of happening (:func:`_same_day_pairs`: statements
of that one day). Sharing only a date is never enough, and event words alone do not
make a pair.

**Cost bound.** A bucket of at most :data:`MAX_BUCKET` (64) classes yields all its
pairs; a larger one (a heavily covered event, a busy place on a busy day) is sorted
:data:`SORT_PASSES` (2) times by a content key (the class's smallest feature hashes
under a random permutation, MinHash-style, leaving out the bucket's own feature and
features no other class has), so that classes sharing features are neighbours, and
each class is paired with its :data:`NEIGHBOURS` (2) next neighbours in each order. A
class in ``p`` buckets therefore yields at most
``p * max(MAX_BUCKET - 1, 2 * NEIGHBOURS * SORT_PASSES)`` = ``63 p`` candidates,
whatever the coverage of its event, and the whole merge is O(n log n) in the number
of mentions ``n``. An event with 10,000 differently worded mentions is one entry:
clustering only needs its edges to connect.

The shared bucket features a pair's small buckets found come with it, so that the
similarity (:mod:`timeline.chronology.similarity`) counts every shared feature
exactly once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

#: Buckets up to this size yield all their pairs; larger ones are sorted by content
#: and yield each class's ``NEIGHBOURS`` nearest neighbours in each of ``SORT_PASSES``
#: orders.
MAX_BUCKET = 64
NEIGHBOURS = 2
SORT_PASSES = 2
#: Candidate pairs made and scored per batch (bounds the memory of the scoring joins).
SCORE_BATCH = 2_000_000
#: The periods of buckets (days), by level (:func:`~timeline.chronology.features.span_level`).
PERIOD_DAYS = (1, 7, 30, 365)


#: Length of a class's content key in a large bucket: its smallest permuted feature hashes.
_KEY_LENGTH = 3


def _sort_keys(large: pl.DataFrame, class_features: pl.DataFrame,
               table: pl.DataFrame) -> pl.DataFrame:
    """Per class of a large bucket and its period, per pass p: (m{i}_p, f{i}_p), the
    ``_KEY_LENGTH + 1`` smallest permuted hashes of the class's features, and which
    features they are (MinHash with a random permutation).

    Features that no other class of the period's large buckets has (a stray name) are
    left out: they cannot be shared there, and would order the classes at random. The
    key depends only on the period's own classes, so a period gives the same pairs
    whatever else is merged with it. A bucket's own feature is dropped from the key by
    :func:`_bucket_key`.
    """
    rows = (large.select("period", "cid").unique()
            .join(class_features.select("cid", "fid"), on="cid")
            .filter(pl.len().over("period", "fid") > 1)
            .with_columns(group=pl.struct("period", "cid").rank("dense").cast(pl.Int64) - 1))
    group = rows["group"].to_numpy()
    fid = rows["fid"].to_numpy()
    order0 = np.argsort(group, kind="stable")
    groups, first = np.unique(group[order0], return_index=True)
    keys: dict[str, pl.Series] = {
        "period": pl.Series(rows["period"].to_numpy()[order0[first]]),
        "cid": pl.Series(rows["cid"].to_numpy()[order0[first]], dtype=pl.UInt32)}
    base = table["h"].to_numpy()
    rng = np.random.default_rng(2013)
    top = np.iinfo(np.uint64).max
    for p in range(SORT_PASSES):
        a = np.uint64(rng.integers(1, 2**62) * 2 + 1)
        b = np.uint64(rng.integers(0, 2**62))
        h = base[fid] * a + b
        order = np.lexsort((h, group))
        by_group, by_h, by_fid = group[order], h[order], fid[order]
        starts = np.flatnonzero(np.diff(by_group, prepend=-1))
        rank = np.arange(len(order)) - np.repeat(starts, np.diff(starts, append=len(order)))
        slot = np.searchsorted(groups, by_group)
        for i in range(_KEY_LENGTH + 1):
            at = rank == i
            smallest = np.full(len(groups), top, dtype=np.uint64)
            which = np.full(len(groups), -1, dtype=np.int64)
            smallest[slot[at]] = by_h[at]
            which[slot[at]] = by_fid[at]
            keys[f"m{i}_{p}"] = pl.Series(smallest)
            keys[f"f{i}_{p}"] = pl.Series(which)
    return pl.DataFrame(keys).with_columns(pl.col("period").cast(large.schema["period"]))


def _bucket_key(p: int) -> list[pl.Expr]:
    """The ``_KEY_LENGTH`` smallest hashes of pass p, without the bucket's own feature."""
    top = np.iinfo(np.uint64).max
    keys = []
    for i in range(_KEY_LENGTH):
        # the bucket's feature is among the first i: the key moves up by one
        before = pl.lit(False)
        for j in range(i + 1):
            before = before | (pl.col(f"f{j}_{p}") == pl.col("fid"))
        keys.append(pl.when(before).then(pl.col(f"m{i + 1}_{p}")).otherwise(pl.col(f"m{i}_{p}"))
                    .fill_null(top).alias(f"key{i}"))
    return keys


@dataclass(frozen=True)
class Candidates:
    """Candidate pairs and what their buckets found of their shared features.

    ``pairs``: pairs (a < b) packed as ``a * 2**32 + b``, unique; ``shared`` and
    ``n_shared``: the squared weight (in :data:`~timeline.chronology.features.W2_UNITS`)
    and the number of the shared bucket features the small buckets found (those
    complete for ``a``); ``loose``: packed ``cid * n_features + fid`` of a class's
    bucket features that are in some large bucket (the pairs of a large bucket are
    neighbours only, so those features are checked pair by pair when scoring), sorted.
    """

    pairs: np.ndarray
    shared: np.ndarray
    n_shared: np.ndarray
    loose: np.ndarray


def _pack(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return a.astype(np.uint64) * np.uint64(2**32) + b.astype(np.uint64)


def is_in(keys: np.ndarray, sorted_values: np.ndarray) -> np.ndarray:
    """Whether each key is among ``sorted_values`` (sorted, as by ``np.sort``)."""
    if len(sorted_values) == 0:
        return np.zeros(len(keys), dtype=bool)
    at = np.minimum(np.searchsorted(sorted_values, keys), len(sorted_values) - 1)
    found: np.ndarray = sorted_values[at] == keys
    return found


def _owned_period(days: int, owned: tuple[int, int] | None) -> pl.Expr:
    """Whether a period is this merge's to pair: its first day is in ``owned``."""
    if owned is None:
        return pl.lit(True)
    first = pl.col("period").cast(pl.Int64) * days
    return (first >= owned[0]) & (first < owned[1])


def candidate_pairs(classes: pl.DataFrame, postings: pl.DataFrame,
                    class_features: pl.DataFrame, table: pl.DataFrame,
                    owned: tuple[int, int] | None = None,
                    day_postings: pl.DataFrame | None = None) -> Candidates:
    """Class pairs that share a bucket feature in a period, intervals overlapping.

    ``classes``: cid, lo, hi, level, own_lo, own_hi; ``postings``: cid, fid (bucket
    features only). With ``owned`` (first and end day, epoch days), only the periods
    whose first day falls in that range give pairs
    (:func:`~timeline.chronology.timeblocks.block_edges`); the buckets of the other
    periods still tell which features are in large buckets and which were shared in
    small ones, so that the pairs given are scored exactly.

    ``day_postings`` (cid, fid): features that pair the statements dated to one same
    day (their own date, reported or not) without a place or actor in common: the
    kinds of happening that are rare on a day (:func:`_same_day_pairs`). They only
    propose pairs; the similarity counts them as the other features that key no
    bucket.
    """
    n_features = table.height
    nf = np.uint64(n_features)
    row_pairs, row_fids, row_owned, neighbours, loose = [], [], [], [], []
    for level, days in enumerate(PERIOD_DAYS):
        # postings of this level's periods: classes at this level or finer (coarse joins fine)
        members = classes.filter(pl.col("level") <= level) if level < 3 else \
            classes.filter(pl.col("level") == 3)
        if members.filter(pl.col("level") == level).height == 0:
            continue
        posted = (
            members.lazy()
            .with_columns(period=pl.int_ranges(pl.col("lo") // days, pl.col("hi") // days + 1))
            .explode("period")
            .join(postings.lazy(), on="cid")
            .select("cid", "level", "lo", "hi", "fid", "period",
                    bucket=pl.col("period").cast(pl.Int64) * n_features + pl.col("fid"),
                    owned=_owned_period(days, owned))
            .with_columns(size=pl.len().over("bucket"))
            .collect()
        )
        pairs, fids, mine = _bucket_pairs(posted.filter(pl.col("size") <= MAX_BUCKET), level, days)
        row_pairs.append(pairs)
        row_fids.append(fids)
        row_owned.append(mine)
        large = posted.filter(pl.col("size") > MAX_BUCKET)
        if large.height:
            loose.append(large["cid"].to_numpy().astype(np.uint64) * nf
                         + large["fid"].to_numpy().astype(np.uint64))
            large = large.filter(pl.col("owned"))
        if large.height:
            keys = _sort_keys(large, class_features, table)
            neighbours.append(_neighbour_pairs(large.join(keys, on=["period", "cid"]), level))
    loose_keys = np.unique(np.concatenate([np.zeros(0, dtype=np.uint64), *loose]))
    row_pair = np.concatenate([np.zeros(0, dtype=np.uint64), *row_pairs])
    row_fid = np.concatenate([np.zeros(0, dtype=np.int64), *row_fids])
    row_mine = np.concatenate([np.zeros(0, dtype=bool), *row_owned])
    # features in a large bucket for a are looked up when scoring, not counted here
    complete = ~is_in((row_pair // np.uint64(2**32)) * nf + row_fid.astype(np.uint64),
                      loose_keys)
    if day_postings is not None and day_postings.height:
        neighbours.append(_same_day_pairs(classes, day_postings, class_features, table, owned))
    given = np.unique(np.concatenate([row_pair[row_mine], *neighbours]))
    keep = complete & is_in(row_pair, given)
    row_pair, row_fid = row_pair[keep], row_fid[keep]
    found = (pl.DataFrame({"pair": pl.Series(row_pair),
                           "u": pl.Series(table["u"].to_numpy()[row_fid]),
                           "ev": pl.Series(table["evidence"].to_numpy()[row_fid]
                                           .astype(np.int64))})
             .group_by("pair").agg(shared=pl.col("u").sum(), n_shared=pl.col("ev").sum()))
    every = pl.DataFrame({"pair": pl.Series(given)}).join(found, on="pair", how="left") \
        .with_columns(pl.col("shared", "n_shared").fill_null(0))
    return Candidates(every["pair"].to_numpy(), every["shared"].to_numpy().astype(np.int64),
                      every["n_shared"].to_numpy().astype(np.int64), loose_keys)


def _same_day_pairs(classes: pl.DataFrame, day_postings: pl.DataFrame,
                    class_features: pl.DataFrame, table: pl.DataFrame,
                    owned: tuple[int, int] | None) -> np.ndarray:
    """Pairs of statements of one own day that share a feature of ``day_postings``:
    every pair of a bucket (day x feature) of up to MAX_BUCKET, the sorted neighbours
    of a larger one (the same bound as the other buckets)."""
    posted = (
        classes.lazy().filter(pl.col("own_lo") == pl.col("own_hi"))
        .join(day_postings.lazy(), on="cid")
        .select("cid", "fid", lo=pl.col("own_lo"), hi=pl.col("own_hi"),
                level=pl.lit(0, dtype=pl.Int8), period=pl.col("own_lo"),
                bucket=pl.col("own_lo").cast(pl.Int64) * table.height + pl.col("fid"))
        .with_columns(owned=_owned_period(1, owned))
        .with_columns(size=pl.len().over("bucket"))
        .collect())
    pairs, _, mine = _bucket_pairs(posted.filter(pl.col("size") <= MAX_BUCKET), 0, 1)
    found = [pairs[mine]]
    large = posted.filter((pl.col("size") > MAX_BUCKET) & pl.col("owned"))
    if large.height:
        keys = _sort_keys(large, class_features, table)
        found.append(_neighbour_pairs(large.join(keys, on=["period", "cid"]), 0))
    return np.unique(np.concatenate(found))


def _bucket_pairs(small: pl.DataFrame, level: int, days: int
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All pairs of each small bucket that hold a class of this level: (packed pair, fid,
    whether the bucket's period is owned).

    Each bucket is sorted with its classes of this level first, so that a pair is
    written once, from its first member: a class of this level pairs with every
    member after it in its bucket (a bucket of k yields at most k(k-1)/2 rows).
    Two classes that span the same two periods meet in both (a statement of one day
    is compared with the next day too: it spans two days' periods): the pair is kept
    in the first period they share only. Rows are made in runs of whole buckets of about
    ``SCORE_BATCH`` rows, to bound memory.
    """
    ordered = small.sort(["bucket", pl.col("level") != level, "cid"])
    bucket = ordered["bucket"].to_numpy()
    if len(bucket) == 0:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.uint32), np.zeros(0, dtype=bool)
    cid = ordered["cid"].to_numpy()
    lo = ordered["lo"].to_numpy()
    hi = ordered["hi"].to_numpy()
    fids = ordered["fid"].to_numpy()
    period = ordered["period"].to_numpy()
    owned = ordered["owned"].to_numpy()
    starts = np.flatnonzero(np.diff(bucket, prepend=bucket[0] - 1))
    sizes = np.diff(starts, append=len(bucket))
    row = np.arange(len(bucket))
    partners = np.where(ordered["level"].to_numpy() == level,
                        np.repeat(starts + sizes, sizes) - row - 1, 0)
    # runs of whole buckets: cut at bucket starts where the running total passes a batch
    total = np.cumsum(partners)
    cuts = np.unique(starts[np.searchsorted(starts, np.searchsorted(
        total, np.arange(SCORE_BATCH, total[-1], SCORE_BATCH)), side="right") - 1])
    found = []
    for first_row, end_row in zip([0, *cuts.tolist()], [*cuts.tolist(), len(bucket)],
                                  strict=True):
        count = partners[first_row:end_row]
        first = np.repeat(row[first_row:end_row], count)
        # partner rows: first + 1, first + 2, ... up to the end of its bucket
        second = first + np.arange(len(first)) - np.repeat(np.cumsum(count) - count, count) + 1
        # a pair of classes that meet in several periods is kept in the first they share
        keep = ((lo[first] <= hi[second]) & (lo[second] <= hi[first])
                & (period[first] == np.maximum(lo[first], lo[second]) // days))
        first, second = first[keep], second[keep]
        a, b = cid[first], cid[second]
        found.append((_pack(np.minimum(a, b), np.maximum(a, b)), fids[first], owned[first]))
    return (np.concatenate([pairs for pairs, _, _ in found]),
            np.concatenate([fids for _, fids, _ in found]),
            np.concatenate([mine for _, _, mine in found]))


def _neighbour_pairs(large: pl.DataFrame, level: int) -> np.ndarray:
    """Sorted neighbourhood in large buckets: each class with its ``NEIGHBOURS`` next in
    each order.

    Pairs need a class of this level on one side (finer pairs come from their own level).
    """
    pairs = []
    for p in range(SORT_PASSES):
        ordered = (large.lazy().with_columns(_bucket_key(p))
                   .sort(["bucket", *(f"key{i}" for i in range(_KEY_LENGTH)), "cid"])
                   .select("bucket", "cid", "level", "lo", "hi"))
        for offset in range(1, NEIGHBOURS + 1):
            shifted = ordered.with_columns(
                cid_r=pl.col("cid").shift(-offset), level_r=pl.col("level").shift(-offset),
                lo_r=pl.col("lo").shift(-offset), hi_r=pl.col("hi").shift(-offset),
                same=pl.col("bucket").shift(-offset) == pl.col("bucket"))
            pairs.append(
                shifted.filter(pl.col("same")
                               & ((pl.col("level") == level) | (pl.col("level_r") == level))
                               & (pl.col("lo") <= pl.col("hi_r")) & (pl.col("lo_r") <= pl.col("hi")))
                .select(a=pl.min_horizontal("cid", "cid_r"), b=pl.max_horizontal("cid", "cid_r")))
    found = pl.concat(pairs).filter(pl.col("a") != pl.col("b")).unique().collect()
    return _pack(found["a"].to_numpy(), found["b"].to_numpy())


