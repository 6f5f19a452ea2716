"""Similarity of candidate pairs: a weighted cosine over their shared features.

score = the sum of the squared weights of the shared features / (|a| |b|), where |x|
is the norm of x's feature weights (:data:`~timeline.chronology.features.WEIGHTS`);
squared weights are summed as exact integers
(:data:`~timeline.chronology.features.W2_UNITS`), so that a pair has the same score
whatever else is merged with it. A pair must share enough evidence
(:func:`~timeline.chronology.features.qualifies`: an entity, and another entity or a
happening); pairs from one document are discounted. Edges at or above
:data:`THRESHOLD` are what clustering joins (:mod:`timeline.chronology.clusters`).

Scores are exact at any coverage: the shared bucket features come from the small
buckets' rows (:mod:`timeline.chronology.candidates`), event words and other
features that key no bucket are compared as bit sets, and the features of large
buckets are looked up pair by pair for the pairs that could still reach the
threshold.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from timeline.chronology.candidates import SCORE_BATCH, Candidates, is_in
from timeline.chronology.features import (
    W2_UNITS,
    one_day_kin,
    places,
    qualifies,
    weight_units,
)

#: Candidate edges at or above this similarity merge (tuned on fixtures/events).
THRESHOLD = 0.3
#: Similarity of two mentions from the same document is multiplied by this.
SAME_DOCUMENT_FACTOR = 0.8
#: Similarity of two statements of days next to each other (compared thanks to
#: :data:`~timeline.chronology.features.DAY_TOLERANCE`) is multiplied by this: a day
#: apart, only statements much alike are one event.
NEXT_DAY_FACTOR = 0.4
#: Similarity of a reported statement and another whose own days are apart (the fact
#: compared over the report's :data:`~timeline.chronology.features.REPORT_DAYS`) is
#: multiplied by this: a report is weaker evidence of the day than a dated statement.
REPORT_APART_FACTOR = 0.6
#: Two statements of one day that share what happened
#: (:func:`~timeline.chronology.features.one_day_kin`) and no place tells apart score
#: at least this: on one day, one kind of happening told twice is one event unless the
#: places or the kinds say otherwise (the clustering checks them for whole events).
ONE_DAY_SCORE = THRESHOLD
#: Features that buckets do not compare (event words, generic keys, nouns, features of
#: large buckets) are compared as bit sets of at most this many 64-bit words per class;
#: any beyond are looked up pair by pair.
MAX_BIT_WORDS = 16


def _feature_bits(class_features: pl.DataFrame, table: pl.DataFrame, n_classes: int,
                  loose: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray,
                                              np.ndarray]:
    """The features buckets did not compare, as bit sets for exact comparison in bulk.

    They are the features that key no bucket (event words, generic keys, nouns) and,
    for a class, its bucket features of large buckets that another class also has.
    ``mine[c]`` holds those of class c, ``theirs[c]`` every feature of c among them;
    the pair (a, b) shares ``mine[a] & theirs[b]``. Bits are grouped by weight and
    role, each group in words of its own, so that a word's shared bits count alike.
    Returns (mine, theirs, squared weight of a word's bit in units, 1 where a word's bits are
    evidence, the packed ``cid * n_features + fid`` of features beyond
    ``MAX_BIT_WORDS`` words, which are looked up pair by pair instead).
    """
    n_features = table.height
    nf = np.uint64(n_features)
    cid = class_features["cid"].to_numpy().astype(np.int64)
    fid = class_features["fid"].to_numpy().astype(np.int64)
    is_loose = is_in(cid.astype(np.uint64) * nf + fid.astype(np.uint64), loose)
    bucketed = table["bucketed"].to_numpy()
    # a loose feature counts only if another class has it too
    df = np.bincount(fid, minlength=n_features)
    in_universe = ~bucketed.copy()
    in_universe[np.unique(fid[is_loose])] = True
    in_universe &= df > 1
    universe = table.filter(pl.Series(in_universe)).sort(["w", "evidence", "fid"])
    words_w2: list[int] = []
    words_ev: list[int] = []
    position = np.full(n_features, -1, dtype=np.int64)
    for (w, ev), group in universe.group_by(["w", "evidence"], maintain_order=True):
        fids = group["fid"].to_numpy()
        for start in range(0, len(fids), 64):
            if len(words_w2) == MAX_BIT_WORDS:
                break
            position[fids[start:start + 64]] = len(words_w2) * 64 + np.arange(
                len(fids[start:start + 64]))
            words_w2.append(weight_units(float(w)))
            words_ev.append(int(ev))
    width = max(len(words_w2), 1)
    mine = np.zeros((n_classes, width), dtype=np.uint64)
    theirs = np.zeros((n_classes, width), dtype=np.uint64)
    pos = position[fid]
    one = np.uint64(1)
    for bits, rows in ((theirs, pos >= 0), (mine, (pos >= 0) & (~bucketed[fid] | is_loose))):
        np.bitwise_or.at(bits, (cid[rows], pos[rows] // 64),
                         np.left_shift(one, (pos[rows] % 64).astype(np.uint64)))
    beyond = in_universe[fid] & (pos < 0) & (~bucketed[fid] | is_loose)
    overflow = np.sort(cid[beyond].astype(np.uint64) * nf + fid[beyond].astype(np.uint64))
    return (mine, theirs, np.array(words_w2 or [0], dtype=np.int64),
            np.array(words_ev or [0], dtype=np.int64), overflow)


def score_pairs(candidates: Candidates, class_features: pl.DataFrame,
                classes: pl.DataFrame, table: pl.DataFrame, threshold: float) -> pl.DataFrame:
    """Weighted cosine of the candidate pairs that may reach ``threshold``.

    score = shared weight / sqrt(|a| |b|). Pairs that share fewer than
    too little evidence score 0 (:func:`~timeline.chronology.features.qualifies`: one
    place or one actor in common is a coincidence, not an event), and pairs from one document (one copy group)
    are discounted by ``SAME_DOCUMENT_FACTOR``: an article that dates two
    statements separately usually tells two things. Pairs from one document whose
    own dates do not overlap are dropped: a report's days widen a reported date
    to compare it with other articles' dates of the same fact, but within one
    article the writer dated the two statements apart.

    Each shared feature is counted once: bucket features that were in small
    buckets only (for ``a``) come from the buckets' rows; event words, generic keys,
    nouns and ``a``'s features of large buckets are compared as bit sets; features
    beyond the bit sets are looked up among ``b``'s, only for pairs that could
    still reach the threshold.
    """
    n_features = table.height
    n_classes = classes.height
    nf = np.uint64(n_features)
    w2 = table["u"].to_numpy()
    evidence = table["evidence"].to_numpy().astype(np.int64)  # see features.qualifies
    a = (candidates.pairs // np.uint64(2**32)).astype(np.int64)
    b = (candidates.pairs % np.uint64(2**32)).astype(np.int64)
    n_pairs = len(a)
    # 1. what the small buckets found
    shared, n_shared = candidates.shared, candidates.n_shared

    # 2. the features buckets did not compare, as bit sets
    mine, theirs, word_w2, word_ev, overflow = _feature_bits(class_features, table, n_classes,
                                                             candidates.loose)
    for start in range(0, n_pairs, SCORE_BATCH):
        both = mine[a[start:start + SCORE_BATCH]] & theirs[b[start:start + SCORE_BATCH]]
        counts = np.bitwise_count(both).astype(np.int64)
        shared[start:start + SCORE_BATCH] += counts @ word_w2
        n_shared[start:start + SCORE_BATCH] += counts @ word_ev

    # 3. features beyond the bit sets, looked up pair by pair for the pairs that could still
    # reach the threshold with all of them
    norm = classes["norm"].to_numpy()
    own_lo = classes["own_lo"].to_numpy()
    own_hi = classes["own_hi"].to_numpy()
    one_day = (own_lo[a] == own_hi[a]) & (own_lo[a] == own_lo[b]) & (own_hi[a] == own_hi[b])
    precise = (own_lo[a] == own_hi[a]) & (own_lo[b] == own_hi[b])
    open_cid = (overflow // nf).astype(np.int64)
    open_fid = (overflow % nf).astype(np.int64)
    n_open = np.bincount(open_cid, minlength=n_classes)
    open_w2 = np.bincount(open_cid, weights=w2[open_fid], minlength=n_classes).astype(np.int64)
    open_ev = np.bincount(open_cid, weights=evidence[open_fid], minlength=n_classes)
    offsets = np.concatenate(([0], np.cumsum(n_open)))
    most = n_shared + open_ev[a].astype(np.int64)
    hopeful = np.flatnonzero(
        (n_open[a] > 0) & qualifies(most, one_day, precise)
        & (((shared + open_w2[a]) / W2_UNITS >= threshold * norm[a] * norm[b] - 1e-9)
           | (one_day & one_day_kin(most))))
    if len(hopeful):
        present = np.sort(class_features["cid"].to_numpy().astype(np.uint64) * nf
                          + class_features["fid"].to_numpy().astype(np.uint64))
    for start in range(0, len(hopeful), SCORE_BATCH):
        index = hopeful[start:start + SCORE_BATCH]
        count = n_open[a[index]]
        pair = np.repeat(index, count)
        # the open features of a: offsets[a] + 0, 1, ... count - 1
        slot = np.repeat(offsets[a[index]], count) + np.arange(len(pair)) \
            - np.repeat(np.cumsum(count) - count, count)
        fid = open_fid[slot]
        hit = is_in(b[pair].astype(np.uint64) * nf + fid.astype(np.uint64), present)
        shared += np.bincount(pair[hit], weights=w2[fid[hit]],
                              minlength=n_pairs).astype(np.int64)
        n_shared += np.bincount(pair[hit], weights=evidence[fid[hit]],
                                minlength=n_pairs).astype(np.int64)

    doc = classes["doc"].to_numpy()
    n_places = classes["n_places"].to_numpy()
    same = doc[a] == doc[b]
    apart = same & ((own_lo[a] > own_hi[b]) | (own_lo[b] > own_hi[a]))
    # both name places that tell events apart, and none in common: two events
    elsewhere = (n_places[a] > 0) & (n_places[b] > 0) & (places(n_shared) == 0)
    # compared only thanks to the day's tolerance: their days (a report's widened) are apart
    first = classes["lo"].to_numpy()
    next_day = (first[a] > own_hi[b]) | (first[b] > own_hi[a])
    # a report's window meets the other's day, but their own days are apart
    told_apart = (own_lo[a] > own_hi[b]) | (own_lo[b] > own_hi[a])
    score = np.round(shared / W2_UNITS / (norm[a] * norm[b])
                     * np.where(same, SAME_DOCUMENT_FACTOR, 1.0)
                     * np.where(next_day, NEXT_DAY_FACTOR,
                                np.where(told_apart, REPORT_APART_FACTOR, 1.0)), 9)
    kin = one_day & one_day_kin(n_shared) & ~same & ~elsewhere
    score = np.where(kin, np.maximum(score, ONE_DAY_SCORE), score)
    # pairs left unlooked-up cannot reach the threshold: their score is not known, leave them
    settled = n_open[a] == 0
    settled[hopeful] = True
    # one article that dates two statements to one month or year apart tells two things
    coarse_twice = same & ~precise
    keep = qualifies(n_shared, one_day, precise) & ~apart & ~coarse_twice & ~elsewhere & settled
    return pl.DataFrame({"a": pl.Series(a[keep], dtype=pl.UInt32), "b": pl.Series(b[keep], dtype=pl.UInt32),
                         "score": pl.Series(score[keep], dtype=pl.Float64)})


