"""Merging event mentions into one deduplicated chronology.

Two mentions are the same event when their time is compatible, their content is
the same and their kinds of happening agree:

- **time**: their intervals overlap. Granularity is taken into account by the
  intervals themselves: "pekan lalu" (a week) overlaps every day of that week,
  "awal bulan ini" the first ten days of the month. A ``reported`` mention only
  says the fact happened on or before the report, so it is compared over the
  ``REPORT_WINDOW_DAYS`` days up to its date.
- **content**: a weighted cosine over canonical features (places, actors, other
  names, counts with their noun, who took part, event words), which the language
  data makes the same across Indonesian and English ("Turki"/"Turkish" ->
  ``actor:turkey``, "tewas"/"killed" -> ``event:killed``, "troops"/"pasukan" ->
  ``party:soldier``). Counts and places weigh most; a count also gives its noun
  (``count:soldier``), so that sources that disagree on a figure still share
  it; actors present in nearly every statement ("Syria", "the regime") weigh
  little. Sharing only a date is never enough: pairs are generated from shared
  place/actor/name/count features only, and must share two features of
  evidence (not a noun and its count).
- **kind**: the events stage gives each statement the kinds of happening its
  own event words name (violence, accord, suspension, reaction, ...; see
  ``[kinds]`` and ``[context]`` in the language data). An event is of one kind,
  so a cluster keeps the kinds all its statements allow, and two clusters join
  only when some kind remains: an airstrike and the ceasefire declared that
  night stay two events however many places and actors they share.

Clustering takes the candidate edges from the most to the least similar and
joins two clusters only when the intersection of their intervals stays
non-empty (chains cannot carry an event across days) and a kind remains. A
connected set of classes that shares a date and a kind is one cluster whatever
the order, so only the other sets are joined edge by edge.

**Copies and identical statements.** Mentions that say the same thing at the
same time collapse into one *class* before anything is compared: the same role,
interval and features (with two features of evidence or more), or, for thinner
statements, the same words from the same outlet or copy group (an outlet's
updated article, a syndicated copy). Clustering works on classes, so 10,000
syndicated copies of a statement cost one comparison. A copy group
(:mod:`timeline.corpus.copies`) counts as one document for the rules about
statements of one article, and an entry's ``n_sources`` counts outlets (a copy
without a source is its original's outlet; exact duplicates dropped at ingestion
add their outlets), ``n_reports`` counts copy groups.

**Cost bound.** Candidate pairs come from blocks keyed by (time bucket, feature).
A block of at most ``MAX_BLOCK`` (64) classes yields all its pairs; a larger one
(a heavily covered event, a busy place on a busy day) is sorted ``SORT_PASSES``
(2) times by a content key (the class's smallest feature hashes under a random
permutation, MinHash-style, leaving out the block's own feature and features
no other class has), so that classes sharing features are neighbours, and each
class is paired with its ``WINDOW`` (2) next neighbours in each order. A class in
``p`` postings (feature x bucket) therefore yields at most
``p * max(MAX_BLOCK - 1, 2 * WINDOW * SORT_PASSES)`` = ``63 p`` candidates,
whatever the coverage of its event, and the whole merge is O(n log n) in the
number of mentions ``n``. An event with 10,000 differently worded mentions is
one entry: clustering only needs its edges to connect. Scores are exact: the
shared blocking features come from the small blocks' rows, event words and
other non-blocking features are compared as bit sets, and the features of large
blocks are looked up pair by pair for the pairs that could still reach the
threshold.

**Determinism.** Mentions are identified by content (document id and offsets),
deduplicated on that key, and classes are ordered by their content; every tie is
broken by that order. ``event_id`` hashes the entry's canonical statement: the
smallest (date, role, text) among the statements of original documents (not
copies), so the id does not depend on input order, and adding copies of the
articles leaves it unchanged.

>>> merge_mentions([]).height
0
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import chain
from operator import attrgetter

import numpy as np
import polars as pl

from timeline.corpus.copies import Copies
from timeline.disjoint import DisjointSets
from timeline.events.vocabulary import load_vocabulary
from timeline.frames import (
    CHRONOLOGY_SCHEMA,
    MENTION_ROWS_SCHEMA,
    MENTION_STRUCT,
    MENTIONS_SCHEMA,
)
from timeline.types import EventMention

#: A reported fact happened on or before its report: compare it over this many days.
REPORT_WINDOW_DAYS = 7
#: Candidate edges at or above this similarity merge (tuned on fixtures/events).
THRESHOLD = 0.3
#: Blocks (time bucket x feature) up to this size yield all their pairs; larger
#: ones are sorted by content and yield each class's ``WINDOW`` nearest neighbours.
MAX_BLOCK = 64
WINDOW = 2
SORT_PASSES = 2
#: Feature weights by kind; generic features (the vocabulary's [generic] keys) weigh
#: GENERIC_WEIGHT.
WEIGHTS = {"place": 2.0, "actor": 1.5, "name": 1.5, "qty": 3.0, "count": 1.5, "party": 0.5,
           "event": 1.0, "kind": 0.0}
GENERIC_WEIGHT = 0.3
#: Pairs must share at least this many features of evidence (EVIDENCE_KINDS).
MIN_SHARED = 2
EVIDENCE_KINDS = frozenset({"place", "actor", "name", "qty", "event"})
#: Similarity of two mentions from the same document is multiplied by this.
SAME_DOCUMENT_FACTOR = 0.8
#: Feature kinds that generate candidate pairs (event words alone do not).
BLOCKING_KINDS = frozenset({"place", "actor", "name", "qty"})
#: Candidate pairs scored per batch (bounds the memory of the scoring joins).
SCORE_BATCH = 2_000_000
#: Features that blocking does not compare (event words, generic keys, nouns, features of
#: large blocks) are compared as bit sets of at most this many 64-bit words per class; any
#: beyond are looked up pair by pair.
MAX_BIT_WORDS = 16

_STRING_FIELDS = ("doc_id", "text", "timex", "value", "granularity", "role", "lang", "source",
                  "attribution", "url", "title")
_DATE_FIELDS = ("earliest", "latest", "published")
_INT_FIELDS = ("start", "end", "timex_start", "timex_end")
_LIST_FIELDS = {"places": "place", "actors": "actor", "names": "name",
                "participants": "party", "event_words": "event", "kinds": "kind"}
_BUCKET_DAYS = (1, 7, 30, 365)
_U32 = pl.UInt32


#: Squared weights are summed as integers in units of 1/_W2_UNITS: the sum of a pair's
#: shared weights is then exact, whatever order and grouping it is added up in (a
#: merge by time blocks adds the same features in other groups than a merge at once).
_W2_UNITS = 400


def _units(weight: float) -> int:
    """A squared weight in units of 1/_W2_UNITS; the weights must allow it."""
    units = weight * weight * _W2_UNITS
    if abs(units - round(units)) > 1e-9:
        raise ValueError(f"feature weight {weight}: its square must be a multiple of "
                         f"1/{_W2_UNITS}")
    return round(units)


def feature_weight(feature: str) -> float:
    if feature in load_vocabulary().generic:
        return GENERIC_WEIGHT
    return WEIGHTS.get(feature.split(":", 1)[0], 1.0)


@dataclass(frozen=True)
class Clustering:
    """Mentions (one per key), their classes and clusters.

    ``frame`` has one row per mention (columns of :class:`EventMention` plus
    ``m`` (its position in ``objects``), ``cid`` (class), ``cluster`` (the smallest
    class of its cluster), ``outlet``, ``group`` (copy group), ``copy_of``);
    ``quantities`` one row per count of a mention.
    """

    frame: pl.DataFrame
    quantities: pl.DataFrame
    objects: Sequence[EventMention]
    n_candidates: int
    n_edges: int
    n_classes: int = 0
    #: Scored candidate pairs of classes (a, b, score), for inspection: every pair that
    #: shares two features of evidence, except those that could not reach the threshold.
    scored: pl.DataFrame | None = None
    copies: Copies = field(default_factory=Copies)

    @property
    def mentions(self) -> list[EventMention]:
        return [self.objects[i] for i in self.frame["obj"].to_list()]

    @property
    def labels(self) -> list[int]:
        return self.frame["cluster"].to_list()


# --- mentions as columns ------------------------------------------------------------


def _name_hash(names: Sequence[str]) -> np.ndarray:
    """Stable 64-bit hashes of strings (the same on every run, machine and version)."""
    return np.array([int.from_bytes(hashlib.blake2b(n.encode("utf-8", "surrogatepass"),
                                                    digest_size=8).digest(), "little")
                     for n in names], dtype=np.uint64)


@dataclass(frozen=True)
class _Columns:
    """Mentions as columns: ``frame`` (one row per distinct key; ``m`` = input position),
    ``quantities`` (m, value, noun, qtext), ``features`` (m, fid, distinct) and
    ``table`` (fid in sorted name order: f, w, evidence, blocking, kind, h)."""

    frame: pl.DataFrame
    quantities: pl.DataFrame
    features: pl.DataFrame
    table: pl.DataFrame


def _list_column(name: str, seqs: Sequence[Sequence[str]]) -> pl.Series:
    """A list-of-strings column from Python sequences, built from flat values (fast)."""
    import pyarrow as pa

    lengths = np.fromiter(map(len, seqs), dtype=np.int64, count=len(seqs))
    offsets = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    values = pa.array(list(chain.from_iterable(seqs)), type=pa.large_string())
    array = pa.LargeListArray.from_arrays(pa.array(offsets), values)
    return pl.Series(name, pl.from_arrow(array)).cast(pl.List(pl.String))


def mention_rows(mentions: Sequence[EventMention]) -> pl.DataFrame:
    """Mentions as rows (:data:`MENTION_ROWS_SCHEMA`), in the order given."""
    import pyarrow as pa

    columns: list[pl.Series] = []
    for name, dtype in MENTION_ROWS_SCHEMA.items():
        if name in ("own_lo", "own_hi", "lo", "hi", "level"):
            continue
        if name == "quantities":
            counted = list(map(attrgetter("quantities"), mentions))
            lengths = np.fromiter(map(len, counted), dtype=np.int64, count=len(counted))
            flat = list(chain.from_iterable(counted))
            struct = pa.StructArray.from_arrays(
                [pa.array([q.value for q in flat], type=pa.int64()),
                 pa.array([q.noun for q in flat], type=pa.large_string()),
                 pa.array([q.text for q in flat], type=pa.large_string())],
                names=["value", "noun", "text"])
            offsets = pa.array(np.concatenate(([0], np.cumsum(lengths))).astype(np.int64))
            columns.append(pl.Series(name, pl.from_arrow(
                pa.LargeListArray.from_arrays(offsets, struct))).cast(dtype))
        elif isinstance(dtype, pl.List):
            columns.append(_list_column(name, list(map(attrgetter(name), mentions))))
        else:
            columns.append(pl.Series(name, list(map(attrgetter(name), mentions)), dtype=dtype))
    return with_days(pl.DataFrame(columns))


def with_days(rows: pl.DataFrame) -> pl.DataFrame:
    """Mention rows with the days the merge compares (own_lo, own_hi, lo, hi, level)."""
    own_lo = pl.col("earliest").dt.epoch("d").cast(pl.Int32)
    own_hi = pl.col("latest").dt.epoch("d").cast(pl.Int32)
    lo = pl.when(pl.col("role") == "reported").then(own_lo - (REPORT_WINDOW_DAYS - 1)) \
        .otherwise(own_lo)
    return rows.with_columns(own_lo=own_lo, own_hi=own_hi, lo=lo, hi=own_hi).with_columns(
        level=_level(pl.col("hi").cast(pl.Int64) - pl.col("lo") + 1))


def _unique_keys(rows: pl.DataFrame, mentions: Sequence[EventMention] | None = None
                 ) -> pl.DataFrame:
    """One row per mention key (document and offsets): the smallest by its whole content."""
    rows = rows.with_columns(key=_KEY)
    clashing = rows.filter(pl.col("key").is_duplicated()).select("m", "key")
    if not clashing.height:
        return rows
    best: dict[str, tuple[str, int]] = {}
    dropped: set[int] = set()
    for m, key in clashing.iter_rows():
        content = (repr(mentions[m]) if mentions is not None else
                   repr(rows.row(m, named=True)), m)
        if key not in best or content < best[key]:
            if key in best:
                dropped.add(best[key][1])
            best[key] = content
        else:
            dropped.add(m)
    return rows.filter(~pl.col("m").is_in(pl.Series(sorted(dropped), dtype=_U32).implode()))


_KEY = pl.concat_str([pl.col("doc_id"), pl.col("start").cast(pl.String),
                      pl.col("end").cast(pl.String), pl.col("timex_start").cast(pl.String)],
                     separator=":")


def _frame_columns(rows: pl.DataFrame) -> _Columns:
    """Columns of mention rows with distinct keys; ``m`` identifies a row (kept if given)."""
    if "m" not in rows.columns:
        rows = rows.with_row_index("m")
    rows = rows.with_columns(pl.col("m").cast(_U32))
    if "key" not in rows.columns:
        rows = rows.with_columns(key=_KEY)
    parts = [rows.select("m", name).explode(name).drop_nulls(name)
             .select("m", f=pl.lit(f"{prefix}:") + pl.col(name))
             for name, prefix in _LIST_FIELDS.items()]
    counted = (rows.select("m", "quantities").explode("quantities")
               .drop_nulls("quantities").unnest("quantities"))
    parts.append(counted.select("m", f=pl.lit("qty:") + pl.col("value").cast(pl.String)
                                + pl.lit(" ") + pl.col("noun")))
    parts.append(counted.select("m", f=pl.lit("count:") + pl.col("noun")))
    every = pl.concat(parts).unique()
    names = every["f"].unique().sort().to_list()
    table = _feature_table(names)
    features = (every.join(table.select("f", "fid"), on="f").select("m", "fid")
                .sort("m", "fid"))
    n_features = sum(rows[name].list.len().cast(pl.Int64).fill_null(0)
                     for name, prefix in _LIST_FIELDS.items() if prefix != "kind")
    n_features = n_features + 2 * rows["quantities"].list.len().cast(pl.Int64).fill_null(0)
    frame = rows.select("m", *_STRING_FIELDS, *_INT_FIELDS, *_DATE_FIELDS, "key", obj=pl.col("m"),
                        n_features=n_features)
    quantities = (counted.select("m", "value", "noun", qtext="text").unique()
                  .sort(["m", "noun", "value", "qtext"]))
    return _Columns(frame, quantities, features, table)


def _feature_table(names: list[str]) -> pl.DataFrame:
    """One row per distinct feature (``fid`` = position in ``names``): weight, roles, kind."""
    vocab = load_vocabulary()
    generic = vocab.generic
    bits = {kind: 1 << i for i, kind in enumerate(sorted(set(vocab.kinds.values())))}
    prefixes = [name.split(":", 1)[0] for name in names]
    weights = [GENERIC_WEIGHT if name in generic else WEIGHTS.get(prefix, 1.0)
               for name, prefix in zip(names, prefixes, strict=True)]
    return pl.DataFrame({
        "f": pl.Series(names, dtype=pl.String),
        "fid": pl.Series(np.arange(len(names), dtype=np.uint32)),
        "w": pl.Series(weights, dtype=pl.Float64),
        "u": pl.Series([_units(w) for w in weights], dtype=pl.Int64),
        "evidence": pl.Series([prefix in EVIDENCE_KINDS for prefix in prefixes],
                              dtype=pl.Boolean),
        "blocking": pl.Series([prefix in BLOCKING_KINDS and name not in generic
                               for name, prefix in zip(names, prefixes, strict=True)],
                              dtype=pl.Boolean),
        # a statement's kinds of happening are features of weight 0: the clustering's
        # constraint, and part of what makes two statements the same
        "kind": pl.Series([bits.get(name[len("kind:"):], 0) if prefix == "kind" else 0
                           for name, prefix in zip(names, prefixes, strict=True)],
                          dtype=pl.Int64),
        "h": pl.Series(_name_hash(names)),
    })


def _with_provenance(frame: pl.DataFrame, copies: Copies) -> pl.DataFrame:
    """Each mention's copy group (its document's original), outlet, and original if a copy."""
    if not (copies.original or copies.outlet_of):
        return frame.with_columns(group=pl.col("doc_id"),
                                  outlet=pl.coalesce("source", "doc_id"),
                                  copy_of=pl.lit(None, dtype=pl.String))
    original = dict(copies.original)
    return frame.with_columns(
        group=pl.col("doc_id").replace(original),
        copy_of=pl.col("doc_id").replace_strict(original, default=None, return_dtype=pl.String),
        outlet=pl.coalesce("source", pl.col("doc_id").replace_strict(
            dict(copies.outlet_of), default=None, return_dtype=pl.String),
            pl.col("doc_id").replace(original)))


# --- classes: statements that say the same thing at the same time ---------------------


def _classes(frame: pl.DataFrame, features: pl.DataFrame, table: pl.DataFrame,
             n_objects: int) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The class id of each row of ``frame``, classes numbered in an order of their content,
    and each class's content (arrays in class order).

    A class's content is its role, interval and feature set (an XOR of the
    features' stable hashes), and for thin statements the words and outlet. Classes
    are numbered in the order of (feature set, interval, role, thin, words): two
    classes compare the same way in any set of mentions that holds them both.
    """
    signature = (features.join(table.select("fid", "evidence", "h"), on="fid")
                 .group_by("m").agg(sig=pl.col("h").bitwise_xor(),
                                    n_evidence=pl.col("evidence").sum()))
    sig = np.zeros(n_objects, dtype=np.uint64)
    n_evidence = np.zeros(n_objects, dtype=np.int64)
    sig[signature["m"].to_numpy()] = signature["sig"].to_numpy()
    n_evidence[signature["m"].to_numpy()] = signature["n_evidence"].to_numpy()
    m = frame["m"].to_numpy()
    thin_rows = np.flatnonzero(n_evidence[m] < MIN_SHARED)
    words = np.zeros(len(m), dtype=np.uint64)
    if len(thin_rows):
        # thin statements: the same words at the same time from one outlet or one copy group
        thin = frame.select(pl.col("role", "earliest", "latest", "text", "outlet", "group")
                            .gather(thin_rows))
        sets = DisjointSets(len(thin_rows))
        find = sets.find

        first_of: dict[tuple, int] = {}
        for i, (row_sig, *same, outlet, group) in enumerate(zip(
                sig[m[thin_rows]].tolist(), *(thin[c].to_list() for c in thin.columns),
                strict=True)):
            for key in ((row_sig, *same, "outlet", outlet), (row_sig, *same, "group", group)):
                sets.union(first_of.setdefault(key, i), i)
        first_outlet = (thin.select("text", "outlet")
                        .with_columns(root=pl.Series([find(i) for i in range(len(thin_rows))]))
                        .select(pl.col("text"), pl.col("outlet").min().over("root").fill_null("")))
        words[thin_rows] = _name_hash([f"{t}\x1e{o}" for t, o in first_outlet.iter_rows()])
    is_thin = np.zeros(len(m), dtype=np.int64)
    is_thin[thin_rows] = 1
    keys = [words, is_thin, (frame["role"] == "reported").to_numpy().astype(np.int64),
            frame["own_hi"].to_numpy(), frame["own_lo"].to_numpy(), sig[m]]
    order = np.lexsort(keys)  # the last key sorts first
    new = np.ones(len(m), dtype=bool)
    if len(m):
        new[1:] = np.any([k[order][1:] != k[order][:-1] for k in keys], axis=0)
    cid = np.empty(len(m), dtype=np.uint32)
    cid[order] = np.cumsum(new) - 1
    first = order[new]  # one row of each class, in class order
    content = {"sig": sig[m][first], "own_lo": keys[4][first].astype(np.int64),
               "own_hi": keys[3][first].astype(np.int64), "reported": keys[2][first],
               "thin": is_thin[first], "words": words[first]}
    return cid, content


def _kind_masks(class_features: pl.DataFrame, table: pl.DataFrame) -> pl.DataFrame:
    """(cid, kinds): a bit mask of the kinds of happening the class's statement tells.

    Classes without kinds (no event word with a kind) are absent: they allow every kind.
    """
    return (class_features.join(table.select("fid", "kind"), on="fid")
            .filter(pl.col("kind") != 0)
            .group_by("cid").agg(kinds=pl.col("kind").bitwise_or()))


# --- candidate pairs ------------------------------------------------------------------


def _level(span: pl.Expr) -> pl.Expr:
    """Blocking level: 0 day, 1 up to a week (and report windows), 2 up to a month, 3 longer."""
    return (pl.when(span <= 1).then(0).when(span <= 8).then(1).when(span <= 31).then(2)
            .otherwise(3).cast(pl.Int8))


#: Length of a class's content key in a large block: its smallest permuted feature hashes.
_KEY_LENGTH = 3


def _sort_keys(large: pl.DataFrame, class_features: pl.DataFrame,
               table: pl.DataFrame) -> pl.DataFrame:
    """Per class of a large block and its time bucket, per pass p: (m{i}_p, f{i}_p), the
    ``_KEY_LENGTH + 1`` smallest permuted hashes of the class's features, and which
    features they are (MinHash with a random permutation).

    Features that no other class of the bucket's large blocks has (a stray name) are
    left out: they cannot be shared there, and would order the classes at random. The
    key depends only on the bucket's own classes, so a bucket gives the same pairs
    whatever else is merged with it. A block's own feature is dropped from the key by
    :func:`_block_key`.
    """
    rows = (large.select("bucket", "cid").unique()
            .join(class_features.select("cid", "fid"), on="cid")
            .filter(pl.len().over("bucket", "fid") > 1)
            .with_columns(group=pl.struct("bucket", "cid").rank("dense").cast(pl.Int64) - 1))
    group = rows["group"].to_numpy()
    fid = rows["fid"].to_numpy()
    order0 = np.argsort(group, kind="stable")
    groups, first = np.unique(group[order0], return_index=True)
    keys: dict[str, pl.Series] = {
        "bucket": pl.Series(rows["bucket"].to_numpy()[order0[first]]),
        "cid": pl.Series(rows["cid"].to_numpy()[order0[first]], dtype=_U32)}
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
    return pl.DataFrame(keys).with_columns(pl.col("bucket").cast(large.schema["bucket"]))


def _block_key(p: int) -> list[pl.Expr]:
    """The ``_KEY_LENGTH`` smallest hashes of pass p, without the block's own feature."""
    top = np.iinfo(np.uint64).max
    keys = []
    for i in range(_KEY_LENGTH):
        # the block's feature is among the first i: the key moves up by one
        before = pl.lit(False)
        for j in range(i + 1):
            before = before | (pl.col(f"f{j}_{p}") == pl.col("fid"))
        keys.append(pl.when(before).then(pl.col(f"m{i + 1}_{p}")).otherwise(pl.col(f"m{i}_{p}"))
                    .fill_null(top).alias(f"key{i}"))
    return keys


@dataclass(frozen=True)
class _Candidates:
    """Candidate pairs and what blocking found of their shared features.

    ``pairs``: pairs (a < b) packed as ``a * 2**32 + b``, unique; ``shared`` and
    ``n_shared``: the squared weight (in :data:`_W2_UNITS`) and the number of the
    shared blocking features the small blocks found (those complete for ``a``);
    ``loose``: packed ``cid * n_features + fid`` of a class's blocking features that
    are in some large block (the pairs of a large block are neighbours only, so those
    features are checked pair by pair when scoring), sorted.
    """

    pairs: np.ndarray
    shared: np.ndarray
    n_shared: np.ndarray
    loose: np.ndarray


def _pack(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return a.astype(np.uint64) * np.uint64(2**32) + b.astype(np.uint64)


def _is_in(keys: np.ndarray, sorted_values: np.ndarray) -> np.ndarray:
    if len(sorted_values) == 0:
        return np.zeros(len(keys), dtype=bool)
    at = np.minimum(np.searchsorted(sorted_values, keys), len(sorted_values) - 1)
    return sorted_values[at] == keys


def _owned_bucket(days: int, owned: tuple[int, int] | None) -> pl.Expr:
    """Whether a time bucket is this merge's to pair: its first day is in ``owned``."""
    if owned is None:
        return pl.lit(True)
    first = pl.col("bucket").cast(pl.Int64) * days
    return (first >= owned[0]) & (first < owned[1])


def _candidate_pairs(classes: pl.DataFrame, postings: pl.DataFrame,
                     class_features: pl.DataFrame, table: pl.DataFrame,
                     owned: tuple[int, int] | None = None) -> _Candidates:
    """Class pairs that share a blocking feature in a time bucket, intervals overlapping.

    ``classes``: cid, lo, hi, level; ``postings``: cid, fid (blocking features only).
    With ``owned`` (first and end day, epoch days), only the buckets whose first
    day falls in that range give pairs (:func:`merge_window`); the blocks of the
    other buckets still tell which features are in large blocks and which were
    shared in small ones, so that the pairs given are scored exactly.
    """
    n_features = table.height
    nf = np.uint64(n_features)
    row_pairs, row_fids, row_owned, neighbours, loose = [], [], [], [], []
    for level, days in enumerate(_BUCKET_DAYS):
        # postings of this level's buckets: classes at this level or finer (coarse joins fine)
        members = classes.filter(pl.col("level") <= level) if level < 3 else \
            classes.filter(pl.col("level") == 3)
        if members.filter(pl.col("level") == level).height == 0:
            continue
        posted = (
            members.lazy()
            .with_columns(bucket=pl.int_ranges(pl.col("lo") // days, pl.col("hi") // days + 1))
            .explode("bucket")
            .join(postings.lazy(), on="cid")
            .select("cid", "level", "lo", "hi", "fid", "bucket",
                    block=pl.col("bucket").cast(pl.Int64) * n_features + pl.col("fid"),
                    owned=_owned_bucket(days, owned))
            .with_columns(size=pl.len().over("block"))
            .collect()
        )
        pairs, fids, mine = _block_pairs(posted.filter(pl.col("size") <= MAX_BLOCK), level, days)
        row_pairs.append(pairs)
        row_fids.append(fids)
        row_owned.append(mine)
        large = posted.filter(pl.col("size") > MAX_BLOCK)
        if large.height:
            loose.append(large["cid"].to_numpy().astype(np.uint64) * nf
                         + large["fid"].to_numpy().astype(np.uint64))
            large = large.filter(pl.col("owned"))
        if large.height:
            keys = _sort_keys(large, class_features, table)
            neighbours.append(_neighbour_pairs(large.join(keys, on=["bucket", "cid"]), level))
    loose_keys = np.unique(np.concatenate([np.zeros(0, dtype=np.uint64), *loose]))
    row_pair = np.concatenate([np.zeros(0, dtype=np.uint64), *row_pairs])
    row_fid = np.concatenate([np.zeros(0, dtype=np.int64), *row_fids])
    row_mine = np.concatenate([np.zeros(0, dtype=bool), *row_owned])
    # features in a large block for a are looked up when scoring, not counted here
    complete = ~_is_in((row_pair // np.uint64(2**32)) * nf + row_fid.astype(np.uint64),
                       loose_keys)
    given = np.unique(np.concatenate([row_pair[row_mine], *neighbours]))
    keep = complete & _is_in(row_pair, given)
    row_pair, row_fid = row_pair[keep], row_fid[keep]
    found = (pl.DataFrame({"pair": pl.Series(row_pair),
                           "u": pl.Series(table["u"].to_numpy()[row_fid]),
                           "ev": pl.Series(table["evidence"].to_numpy()[row_fid]
                                           .astype(np.int64))})
             .group_by("pair").agg(shared=pl.col("u").sum(), n_shared=pl.col("ev").sum()))
    every = pl.DataFrame({"pair": pl.Series(given)}).join(found, on="pair", how="left") \
        .with_columns(pl.col("shared", "n_shared").fill_null(0))
    return _Candidates(every["pair"].to_numpy(), every["shared"].to_numpy().astype(np.int64),
                       every["n_shared"].to_numpy().astype(np.int64), loose_keys)


def _block_pairs(small: pl.DataFrame, level: int, days: int
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All pairs of each small block that hold a class of this level: (packed pair, fid,
    whether the block's bucket is owned).

    Each block is sorted with its classes of this level first, so that a pair is
    written once, from its first member: a class of this level pairs with every
    member after it in its block (a block of k yields at most k(k-1)/2 rows).
    Two classes that span the same two buckets meet in both: the pair is kept in the
    first bucket they share only. Rows are made in runs of whole blocks of about
    ``SCORE_BATCH`` rows, to bound memory.
    """
    ordered = small.sort(["block", pl.col("level") != level, "cid"])
    block = ordered["block"].to_numpy()
    if len(block) == 0:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.uint32), np.zeros(0, dtype=bool)
    cid = ordered["cid"].to_numpy()
    lo = ordered["lo"].to_numpy()
    hi = ordered["hi"].to_numpy()
    fids = ordered["fid"].to_numpy()
    bucket = ordered["bucket"].to_numpy()
    owned = ordered["owned"].to_numpy()
    starts = np.flatnonzero(np.diff(block, prepend=block[0] - 1))
    sizes = np.diff(starts, append=len(block))
    row = np.arange(len(block))
    partners = np.where(ordered["level"].to_numpy() == level,
                        np.repeat(starts + sizes, sizes) - row - 1, 0)
    # runs of whole blocks: cut at block starts where the running total passes a batch
    total = np.cumsum(partners)
    cuts = np.unique(starts[np.searchsorted(starts, np.searchsorted(
        total, np.arange(SCORE_BATCH, total[-1], SCORE_BATCH)), side="right") - 1])
    found = []
    for first_row, end_row in zip([0, *cuts.tolist()], [*cuts.tolist(), len(block)],
                                  strict=True):
        count = partners[first_row:end_row]
        first = np.repeat(row[first_row:end_row], count)
        # partner rows: first + 1, first + 2, ... up to the end of its block
        second = first + np.arange(len(first)) - np.repeat(np.cumsum(count) - count, count) + 1
        if level > 0:  # day-level classes in one day bucket overlap by construction
            keep = ((lo[first] <= hi[second]) & (lo[second] <= hi[first])
                    & (bucket[first] == np.maximum(lo[first], lo[second]) // days))
            first, second = first[keep], second[keep]
        a, b = cid[first], cid[second]
        found.append((_pack(np.minimum(a, b), np.maximum(a, b)), fids[first], owned[first]))
    return (np.concatenate([pairs for pairs, _, _ in found]),
            np.concatenate([fids for _, fids, _ in found]),
            np.concatenate([mine for _, _, mine in found]))


def _neighbour_pairs(large: pl.DataFrame, level: int) -> np.ndarray:
    """Sorted neighbourhood in large blocks: each class with its ``WINDOW`` next in each order.

    Pairs need a class of this level on one side (finer pairs come from their own level).
    """
    pairs = []
    for p in range(SORT_PASSES):
        ordered = (large.lazy().with_columns(_block_key(p))
                   .sort(["block", *(f"key{i}" for i in range(_KEY_LENGTH)), "cid"])
                   .select("block", "cid", "level", "lo", "hi"))
        for offset in range(1, WINDOW + 1):
            shifted = ordered.with_columns(
                cid_r=pl.col("cid").shift(-offset), level_r=pl.col("level").shift(-offset),
                lo_r=pl.col("lo").shift(-offset), hi_r=pl.col("hi").shift(-offset),
                same=pl.col("block").shift(-offset) == pl.col("block"))
            pairs.append(
                shifted.filter(pl.col("same")
                               & ((pl.col("level") == level) | (pl.col("level_r") == level))
                               & (pl.col("lo") <= pl.col("hi_r")) & (pl.col("lo_r") <= pl.col("hi")))
                .select(a=pl.min_horizontal("cid", "cid_r"), b=pl.max_horizontal("cid", "cid_r")))
    found = pl.concat(pairs).filter(pl.col("a") != pl.col("b")).unique().collect()
    return _pack(found["a"].to_numpy(), found["b"].to_numpy())


# --- scoring ---------------------------------------------------------------------------


def _feature_bits(class_features: pl.DataFrame, table: pl.DataFrame, n_classes: int,
                  loose: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray,
                                              np.ndarray]:
    """The features blocking did not compare, as bit sets for exact comparison in bulk.

    They are the non-blocking features (event words, generic keys, nouns) and, for
    a class, its blocking features of large blocks that another class also has.
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
    is_loose = _is_in(cid.astype(np.uint64) * nf + fid.astype(np.uint64), loose)
    blocking = table["blocking"].to_numpy()
    # a loose feature counts only if another class has it too
    df = np.bincount(fid, minlength=n_features)
    in_universe = ~blocking.copy()
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
            words_w2.append(_units(float(w)))
            words_ev.append(int(ev))
    width = max(len(words_w2), 1)
    mine = np.zeros((n_classes, width), dtype=np.uint64)
    theirs = np.zeros((n_classes, width), dtype=np.uint64)
    pos = position[fid]
    one = np.uint64(1)
    for bits, rows in ((theirs, pos >= 0), (mine, (pos >= 0) & (~blocking[fid] | is_loose))):
        np.bitwise_or.at(bits, (cid[rows], pos[rows] // 64),
                         np.left_shift(one, (pos[rows] % 64).astype(np.uint64)))
    beyond = in_universe[fid] & (pos < 0) & (~blocking[fid] | is_loose)
    overflow = np.sort(cid[beyond].astype(np.uint64) * nf + fid[beyond].astype(np.uint64))
    return (mine, theirs, np.array(words_w2 or [0], dtype=np.int64),
            np.array(words_ev or [0], dtype=np.int64), overflow)


def _score_pairs(candidates: _Candidates, class_features: pl.DataFrame,
                 classes: pl.DataFrame, table: pl.DataFrame, threshold: float) -> pl.DataFrame:
    """Weighted cosine of the candidate pairs that may reach ``threshold``.

    score = shared weight / sqrt(|a| |b|). Pairs that share fewer than
    ``MIN_SHARED`` features of evidence score 0 (one place or one actor in common
    is a coincidence, not an event), and pairs from one document (one copy group)
    are discounted by ``SAME_DOCUMENT_FACTOR``: an article that dates two
    statements separately usually tells two things. Pairs from one document whose
    own dates do not overlap are dropped: the report window widens a reported date
    to compare it with other articles' dates of the same fact, but within one
    article the writer dated the two statements apart.

    Each shared feature is counted once: blocking features that were in small
    blocks only (for ``a``) come from the blocks' rows; event words, generic keys,
    nouns and ``a``'s features of large blocks are compared as bit sets; features
    beyond the bit sets are looked up among ``b``'s, only for pairs that could
    still reach the threshold.
    """
    n_features = table.height
    n_classes = classes.height
    nf = np.uint64(n_features)
    w2 = table["u"].to_numpy()
    evidence = table["evidence"].to_numpy().astype(np.int64)
    a = (candidates.pairs // np.uint64(2**32)).astype(np.int64)
    b = (candidates.pairs % np.uint64(2**32)).astype(np.int64)
    n_pairs = len(a)
    # 1. what the small blocks found
    shared, n_shared = candidates.shared, candidates.n_shared

    # 2. the features blocking did not compare, as bit sets
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
    open_cid = (overflow // nf).astype(np.int64)
    open_fid = (overflow % nf).astype(np.int64)
    n_open = np.bincount(open_cid, minlength=n_classes)
    open_w2 = np.bincount(open_cid, weights=w2[open_fid], minlength=n_classes).astype(np.int64)
    open_ev = np.bincount(open_cid, weights=evidence[open_fid], minlength=n_classes)
    offsets = np.concatenate(([0], np.cumsum(n_open)))
    hopeful = np.flatnonzero(
        (n_open[a] > 0) & (n_shared + open_ev[a] >= MIN_SHARED)
        & ((shared + open_w2[a]) / _W2_UNITS >= threshold * norm[a] * norm[b] - 1e-9))
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
        hit = _is_in(b[pair].astype(np.uint64) * nf + fid.astype(np.uint64), present)
        shared += np.bincount(pair[hit], weights=w2[fid[hit]],
                              minlength=n_pairs).astype(np.int64)
        n_shared += np.bincount(pair[hit], weights=evidence[fid[hit]],
                                minlength=n_pairs).astype(np.int64)

    doc = classes["doc"].to_numpy()
    own_lo = classes["own_lo"].to_numpy()
    own_hi = classes["own_hi"].to_numpy()
    same = doc[a] == doc[b]
    apart = same & ((own_lo[a] > own_hi[b]) | (own_lo[b] > own_hi[a]))
    score = np.round(shared / _W2_UNITS / (norm[a] * norm[b])
                     * np.where(same, SAME_DOCUMENT_FACTOR, 1.0), 9)
    # pairs left unlooked-up cannot reach the threshold: their score is not known, leave them
    settled = n_open[a] == 0
    settled[hopeful] = True
    keep = (n_shared >= MIN_SHARED) & ~apart & settled
    return pl.DataFrame({"a": pl.Series(a[keep], dtype=_U32), "b": pl.Series(b[keep], dtype=_U32),
                         "score": pl.Series(score[keep], dtype=pl.Float64)})


# --- clustering ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Classed:
    """Mentions with their classes: ``frame`` (one row per mention, with ``cid``),
    ``classes`` (one row per class, in class order), ``class_features`` (cid, fid, u,
    evidence, blocking), the feature ``table`` and the ``quantities``."""

    frame: pl.DataFrame
    quantities: pl.DataFrame
    classes: pl.DataFrame
    class_features: pl.DataFrame
    table: pl.DataFrame


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: a fixed 64-bit mixing (the same on every run and machine)."""
    x = x.astype(np.uint64)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def _class_ids(content: dict[str, np.ndarray]) -> np.ndarray:
    """A 64-bit identity of each class from its content, the same in any merge."""
    days = (content["own_lo"].astype(np.uint64) << np.uint64(32)) \
        ^ (content["own_hi"].astype(np.uint64) & np.uint64(0xFFFFFFFF))
    flags = content["reported"].astype(np.uint64) * np.uint64(2) + content["thin"].astype(np.uint64)
    return _mix(_mix(content["sig"]) ^ _mix(days) + flags) ^ _mix(content["words"] + np.uint64(1))


#: The content of a class, in the order classes are numbered (see :func:`_classes`).
_CONTENT = ("sig", "own_lo", "own_hi", "reported", "thin", "words")


def _classify(columns: _Columns, copies: Copies) -> _Classed:
    features, table, quantities = columns.features, columns.table, columns.quantities
    frame = _with_provenance(columns.frame, copies).with_columns(
        own_lo=pl.col("earliest").dt.epoch("d").cast(pl.Int32),
        own_hi=pl.col("latest").dt.epoch("d").cast(pl.Int32),
        group_id=pl.col("group").rank("dense").cast(pl.Int64))
    n_objects = int(frame["m"].max()) + 1 if frame.height else 0  # type: ignore[arg-type]
    cid, content = _classes(frame, features, table, n_objects)
    frame = frame.with_columns(cid=pl.Series(cid))

    # a class's features: those of one of its mentions (they are the same)
    m = frame["m"].to_numpy()
    representative = np.full(n_objects, -1, dtype=np.int64)
    representative[m] = cid
    feature_m = features["m"].to_numpy()
    kept = representative[feature_m] >= 0
    by_class = np.argsort(cid, kind="stable")
    first_row = by_class[np.flatnonzero(np.diff(cid[by_class].astype(np.int64), prepend=-1))]
    is_first = np.zeros(n_objects, dtype=bool)
    is_first[m[first_row]] = True
    kept &= is_first[feature_m]
    fid = features["fid"].to_numpy()[kept]
    class_features = pl.DataFrame({
        "cid": pl.Series(representative[feature_m[kept]].astype(np.uint32)),
        "fid": pl.Series(fid),
        "u": pl.Series(table["u"].to_numpy()[fid]),
        "evidence": pl.Series(table["evidence"].to_numpy()[fid]),
        "blocking": pl.Series(table["blocking"].to_numpy()[fid]),
    })
    classes = (
        frame.lazy().group_by("cid").agg(
            pl.col("role").first(), pl.col("own_lo").first(), pl.col("own_hi").first(),
            n_groups=pl.col("group_id").n_unique(), group=pl.col("group_id").first())
        .with_columns(lo=pl.when(pl.col("role") == "reported")
                      .then(pl.col("own_lo") - (REPORT_WINDOW_DAYS - 1))
                      .otherwise(pl.col("own_lo")), hi=pl.col("own_hi"))
        .with_columns(level=_level(pl.col("hi") - pl.col("lo") + 1),
                      # one copy group = one document for the same-article rules
                      doc=pl.when(pl.col("n_groups") == 1).then(pl.col("group"))
                      .otherwise(-1 - pl.col("cid").cast(pl.Int64)))
        .join(class_features.lazy().group_by("cid").agg(
            norm=(pl.col("u").sum() / _W2_UNITS).sqrt()), on="cid", how="left")
        .join(_kind_masks(class_features, table).lazy(), on="cid", how="left")
        .with_columns(pl.col("norm").fill_null(1.0), pl.col("kinds").fill_null(-1))
        .sort("cid")
        .collect()
        .with_columns(cls=pl.Series(_class_ids(content)),
                      **{name: pl.Series(content[name]) for name in _CONTENT})
    )
    return _Classed(frame, quantities, classes, class_features, table)


def _scored(classed: _Classed, threshold: float, owned: tuple[int, int] | None
            ) -> tuple[pl.DataFrame, int]:
    """The scored candidate pairs of classes (a, b, score), and how many candidates."""
    class_features = classed.class_features
    postings = class_features.filter(pl.col("blocking")).select("cid", "fid")
    candidates = _candidate_pairs(classed.classes.select("cid", "lo", "hi", "level"), postings,
                                  class_features.select("cid", "fid"), classed.table, owned)
    scored = _score_pairs(candidates, class_features, classed.classes, classed.table, threshold)
    return scored, len(candidates.pairs)


def _in_edge_order(edges: pl.DataFrame, threshold: float) -> pl.DataFrame:
    return edges.filter(pl.col("score") >= threshold).sort(
        ["score", "a", "b"], descending=[True, False, False])


def cluster_mentions(mentions: Iterable[EventMention], *, threshold: float = THRESHOLD,
                     copies: Copies | None = None) -> Clustering:
    """Group mentions of the same event. Order independent and idempotent.

    ``copies`` says which documents are copies of which (default: none).
    """
    objects = mentions if isinstance(mentions, Sequence) else list(mentions)
    rows = _unique_keys(mention_rows(objects).with_row_index("m"), objects)
    classed = _classify(_frame_columns(rows), copies or Copies())
    scored, n_candidates = _scored(classed, threshold, None)
    edges = _in_edge_order(scored, threshold)
    classes = classed.classes
    roots, n_edges = _join_clusters(edges["a"].to_numpy(), edges["b"].to_numpy(),
                                    classes["lo"].to_numpy(), classes["hi"].to_numpy(),
                                    classes["kinds"].to_numpy())
    cid = classed.frame["cid"].to_numpy()
    frame = classed.frame.with_columns(cluster=pl.Series(roots[cid] if classes.height else cid))
    return Clustering(frame, classed.quantities, objects, n_candidates, n_edges,
                      classes.height, scored, copies or Copies())


# --- merging by time blocks ----------------------------------------------------------


#: Days beyond a time block's last day whose mentions a block must see: the longest
#: bucket of the classes up to a month long, and of the longer ones.
SHORT_MARGIN_DAYS = _BUCKET_DAYS[2]
LONG_MARGIN_DAYS = _BUCKET_DAYS[3]


def window_filter(first: int, end: int) -> pl.Expr:
    """The mention rows a time block [first, end) (epoch days) needs: every class that
    meets one of the buckets that start in it (:func:`merge_window`)."""
    margin = pl.when(pl.col("level") == 3).then(LONG_MARGIN_DAYS).otherwise(SHORT_MARGIN_DAYS)
    return (pl.col("hi") >= first) & (pl.col("lo") < end + margin)


@dataclass(frozen=True)
class WindowEdges:
    """What a time block found: its classes (those whose compared interval starts in it:
    ``cls``, content, lo, hi, kinds) and the scored pairs of its buckets (``a``, ``b``:
    class identities, ``a`` first in class order; ``score``)."""

    classes: pl.DataFrame
    edges: pl.DataFrame
    n_candidates: int


def merge_window(rows: pl.DataFrame, first: int, end: int, *, copies: Copies | None = None,
                 threshold: float = THRESHOLD) -> WindowEdges:
    """The candidate pairs of one time block, [first, end) in epoch days, scored.

    ``rows`` are mention rows (:data:`MENTION_ROWS_SCHEMA`, distinct keys) that hold
    at least every mention :func:`window_filter` selects. Every candidate pair comes
    from one time bucket (the first day two classes share, or the bucket of a large
    block); this block gives the pairs of the buckets that start in it, which see
    every class they hold. The blocks' pairs together are the pairs of the merge at
    once, with the same scores; :func:`join_windows` clusters them.
    """
    rows = rows.filter(window_filter(first, end))
    classed = _classify(_frame_columns(rows), copies or Copies())
    scored, n_candidates = _scored(classed, threshold, (first, end))
    classes = classed.classes
    cls = classes["cls"].to_numpy()
    edges = scored.filter(pl.col("score") >= threshold)
    mine = classes.filter((pl.col("lo") >= first) & (pl.col("lo") < end))
    return WindowEdges(
        mine.select("cls", *_CONTENT, "lo", "hi", "kinds"),
        pl.DataFrame({"a": pl.Series(cls[edges["a"].to_numpy()]),
                      "b": pl.Series(cls[edges["b"].to_numpy()]),
                      "score": edges["score"]}),
        n_candidates)


def join_windows(windows: Iterable[WindowEdges]) -> pl.DataFrame:
    """The cluster of every class, from the time blocks' classes and pairs: (cls,
    cluster, day). ``cluster`` numbers the cluster (its smallest class), ``day`` is a
    day every class of the cluster meets (the latest start among them), which says
    which time block writes the cluster's entry. Holds a few numbers per class."""
    parts = list(windows)
    classes = (pl.concat([w.classes for w in parts]) if parts else
               pl.DataFrame(schema={"cls": pl.UInt64, **{n: pl.Int64 for n in _CONTENT},
                                    "lo": pl.Int32, "hi": pl.Int32, "kinds": pl.Int64}))
    classes = classes.sort(list(_CONTENT)).with_row_index("cid")
    ids = classes.select("cls", "cid")
    edges = (pl.concat([w.edges for w in parts]) if parts else
             pl.DataFrame(schema={"a": pl.UInt64, "b": pl.UInt64, "score": pl.Float64}))
    edges = (edges.join(ids.rename({"cls": "a", "cid": "ca"}), on="a")
             .join(ids.rename({"cls": "b", "cid": "cb"}), on="b")
             .select(a="ca", b="cb", score="score").unique(["a", "b"]))
    edges = _in_edge_order(edges, -np.inf)
    roots, _ = _join_clusters(edges["a"].to_numpy().astype(np.int64),
                              edges["b"].to_numpy().astype(np.int64),
                              classes["lo"].to_numpy(), classes["hi"].to_numpy(),
                              classes["kinds"].to_numpy())
    day = np.full(len(roots), np.iinfo(np.int64).min, dtype=np.int64)
    np.maximum.at(day, roots, classes["lo"].to_numpy().astype(np.int64))
    return pl.DataFrame({"cls": classes["cls"], "cluster": pl.Series(roots, dtype=_U32),
                         "day": pl.Series(day[roots], dtype=pl.Int32)})


def window_entries(rows: pl.DataFrame, first: int, end: int, clusters: pl.DataFrame, *,
                   copies: Copies | None = None, summary_lang: str | None = None
                   ) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """The entries of the clusters whose day (:func:`join_windows`) falls in [first, end).

    Returns the chronology rows (with ``cluster``, event ids not yet told apart from
    other blocks' ids), the candidate ids of each cluster (:func:`resolve_event_ids`),
    and which cluster each mention row joined (``batch``, ``row``, ``cluster``, when
    ``rows`` carry where they were read from).
    """
    rows = rows.filter(window_filter(first, end)).with_row_index("m")
    copies = copies or Copies()
    classed = _classify(_frame_columns(rows), copies)
    labels = classed.classes.select("cid", "cls").join(clusters, on="cls", how="left")
    frame = (classed.frame.join(labels.select("cid", "cluster", "day"), on="cid")
             .filter((pl.col("day") >= first) & (pl.col("day") < end)))
    quantities = classed.quantities.join(frame.select("m"), on="m", how="semi")
    clustering = Clustering(frame, quantities, (), 0, 0, 0, None, copies)
    candidates = _event_id_candidates(frame)
    entries, _ = _entries(clustering, summary_lang, candidates.select(
        "cluster", event_id="id0"))
    where = (rows.select(pl.col("m").cast(_U32), "batch", "row")
             .join(frame.select("m", "cluster"), on="m").select("batch", "row", "cluster")
             if "batch" in rows.columns else pl.DataFrame())
    return entries, candidates, where


def _components(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Connected components of a graph: the smallest node of each node's component.

    Label propagation with pointer jumping (a few passes over the edges, in numpy).
    """
    label = np.arange(n, dtype=np.int64)
    while True:
        low = np.minimum(label[a], label[b])
        np.minimum.at(label, label[a], low)
        np.minimum.at(label, label[b], low)
        while True:
            jumped = label[label]
            if np.array_equal(jumped, label):
                break
            label = jumped
        if np.array_equal(label[a], label[b]):
            return label


def _join_clusters(a: np.ndarray, b: np.ndarray, lo: np.ndarray, hi: np.ndarray,
                   kinds: np.ndarray) -> tuple[np.ndarray, int]:
    """The cluster (smallest class) of each class, joining along edges in their order.

    Two clusters join only when their intervals still intersect and a kind of
    happening remains. Where a whole connected set of classes shares a date and a
    kind, every join is allowed whatever the order, so the set is one cluster at
    once; only the other sets are joined edge by edge, greedily in edge order.
    """
    n = len(lo)
    component = _components(n, a, b)
    low = np.full(n, np.iinfo(np.int64).min, dtype=np.int64)
    high = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
    common = np.full(n, -1, dtype=np.int64)
    np.maximum.at(low, component, lo)
    np.minimum.at(high, component, hi)
    np.bitwise_and.at(common, component, kinds)
    torn = (low > high) | (common == 0)  # per component root
    roots = component.copy()
    n_edges = int(np.count_nonzero(component != np.arange(n)))
    greedy = torn[component[a]]
    if not greedy.any():
        return roots, n_edges
    members = np.flatnonzero(torn[component])
    roots[members] = members
    n_edges -= int(np.count_nonzero(component[members] != members))
    sets = DisjointSets(roots.tolist())
    find = sets.find
    cluster_lo, cluster_hi, cluster_kinds = lo.tolist(), hi.tolist(), kinds.tolist()

    for x, y in zip(a[greedy].tolist(), b[greedy].tolist(), strict=True):
        rx, ry = find(x), find(y)
        if rx == ry:
            continue
        new_lo = max(cluster_lo[rx], cluster_lo[ry])
        new_hi = min(cluster_hi[rx], cluster_hi[ry])
        if new_lo > new_hi:
            continue  # the two events cannot share a date
        joint = cluster_kinds[rx] & cluster_kinds[ry]
        if joint == 0:
            continue  # no kind of happening both could be
        root = sets.union(rx, ry)
        cluster_lo[root], cluster_hi[root], cluster_kinds[root] = new_lo, new_hi, joint
        n_edges += 1
    roots[members] = [find(x) for x in members.tolist()]
    return roots, n_edges


# --- entries -----------------------------------------------------------------------


def _entry_id(earliest: date, latest: date, role: str, text: str, extra: str = "") -> str:
    digest = hashlib.sha1("\x1f".join((earliest.isoformat(), latest.isoformat(), role, text,
                                        extra)).encode("utf-8"))
    return digest.hexdigest()[:16]


def _event_id_candidates(frame: pl.DataFrame) -> pl.DataFrame:
    """(cluster, id0, id1, id2): the ids a cluster may get, from its canonical statement.

    The canonical statement is the smallest (earliest, latest, role, text) among
    the mentions of original documents (of all mentions when every one is a copy):
    copies of an article repeat its statements, so they do not change it. ``id0``
    hashes it; ``id1`` adds the outlet, ``id2`` the cluster's mention keys, for
    entries whose canonical statements read the same (:func:`resolve_event_ids`).
    """
    canonical = (frame.lazy()
                 .select("cluster", "earliest", "latest", "role", "text", "outlet",
                         is_copy=pl.col("copy_of").is_not_null())
                 .sort(["cluster", "is_copy", "earliest", "latest", "role", "text", "outlet"])
                 .group_by("cluster", maintain_order=True)
                 .agg(pl.col("earliest", "latest", "role", "text", "outlet").first())
                 .collect())
    keys = frame.group_by("cluster").agg(keys=pl.col("key").sort().str.join("|"))
    canonical = canonical.join(keys, on="cluster", how="left")
    rows = list(zip(canonical["earliest"].to_list(), canonical["latest"].to_list(),
                    canonical["role"].to_list(), canonical["text"].to_list(),
                    canonical["outlet"].to_list(), canonical["keys"].to_list(), strict=True))
    return pl.DataFrame({
        "cluster": canonical["cluster"],
        "id0": pl.Series([_entry_id(e, lt, role, text) for e, lt, role, text, _, _ in rows],
                         dtype=pl.String),
        "id1": pl.Series([_entry_id(e, lt, role, text, outlet or "")
                          for e, lt, role, text, outlet, _ in rows], dtype=pl.String),
        "id2": pl.Series([_entry_id(e, lt, role, text, keys)
                          for e, lt, role, text, _, keys in rows], dtype=pl.String)})


def resolve_event_ids(candidates: pl.DataFrame) -> pl.DataFrame:
    """(cluster, event_id): ``id0``, unless another entry has the same; then ``id1``
    (with the outlet), unless that still clashes; then ``id2`` (with the mention keys).
    Needs every entry's candidates (the clashes are counted over all of them)."""
    ids = candidates.with_columns(
        event_id=pl.when(pl.len().over("id0") == 1).then(pl.col("id0"))
        .otherwise(pl.col("id1")))
    ids = ids.with_columns(
        event_id=pl.when(pl.len().over("event_id") == 1).then(pl.col("event_id"))
        .otherwise(pl.col("id2")))
    return ids.select("cluster", "event_id")


def _event_ids(frame: pl.DataFrame) -> pl.DataFrame:
    """(cluster, event_id): a hash of the cluster's canonical statement (see above)."""
    return resolve_event_ids(_event_id_candidates(frame))


def _entry_dates(frame: pl.DataFrame) -> pl.DataFrame:
    """(cluster, earliest, latest, value, granularity, date_conflict) of each entry.

    The facts' own dates (``occurred``) place the entry: its interval is their
    intersection, its value the most specific value among them, voted by outlets.
    When no mention dates the fact itself, the entry is placed on its first
    report (the fact happened on or before it). Where the dates disagree the
    interval is the range they span, and the disagreement is flagged with each
    date's outlets.
    """
    dated = frame.select("cluster", "role", "earliest", "latest", "value", "granularity",
                         "outlet", span=pl.col("own_hi") - pl.col("own_lo"))
    occurred = dated.filter(pl.col("role") == "occurred")
    bounds = occurred.group_by("cluster").agg(
        earliest=pl.col("earliest").max(), latest=pl.col("latest").min(),
        first=pl.col("earliest").min(), last=pl.col("latest").max(),
        finest=pl.col("span").min())
    votes = (occurred.join(bounds.select("cluster", "finest"), on="cluster")
             .filter(pl.col("span") == pl.col("finest"))
             .group_by("cluster", "value", "granularity").agg(n=pl.col("outlet").n_unique())
             .with_columns(is_time=pl.col("granularity") == "time")
             .sort(["cluster", "n", "is_time", "value"], descending=[False, True, False, False])
             .group_by("cluster", maintain_order=True).first()
             .select("cluster", "value", "granularity"))
    placed = bounds.join(votes, on="cluster").with_columns(
        conflict=pl.col("earliest") > pl.col("latest"))
    placed = placed.with_columns(
        earliest=pl.when(pl.col("conflict")).then(pl.col("first")).otherwise(pl.col("earliest")),
        latest=pl.when(pl.col("conflict")).then(pl.col("last")).otherwise(pl.col("latest")))
    reported_only = (dated.join(bounds.select("cluster"), on="cluster", how="anti")
                     .sort(["cluster", "latest", "earliest", "value"])
                     .group_by("cluster", maintain_order=True).first()
                     .select("cluster", "earliest", "latest", "value", "granularity")
                     .with_columns(conflict=pl.lit(False)))
    columns = ["cluster", "earliest", "latest", "value", "granularity", "conflict"]
    dates = pl.concat([placed.select(columns), reported_only.select(columns)])
    conflicted = dates.filter(pl.col("conflict"))["cluster"].to_list()
    by_value: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    rows = occurred.filter(pl.col("cluster").is_in(conflicted))
    for cluster, value, outlet in rows.select("cluster", "value", "outlet").iter_rows():
        by_value[cluster][value].add(outlet)
    texts = pl.DataFrame({
        "cluster": pl.Series(conflicted, dtype=_U32),
        "date_conflicts": pl.Series([["date: " + "; ".join(
            f"{v} ({', '.join(sorted(s))})" for v, s in sorted(by_value[c].items()))]
            for c in conflicted], dtype=pl.List(pl.String))})
    return (dates.drop("conflict").join(texts, on="cluster", how="left")
            .with_columns(pl.col("date_conflicts").fill_null([])))


def _quantity_conflicts(frame: pl.DataFrame, quantities: pl.DataFrame) -> pl.DataFrame:
    """(cluster, conflicts): counts of one noun that sources give differently, with sources.

    A figure's label is its outlet, with who it cites ("citing sohr"). One article's
    own counts of different things ("33 killed ... 34 killed overall") are not a
    conflict: the disagreement must span two documents.
    """
    counted = quantities.join(frame.select("m", "cluster", "doc_id", "outlet", "attribution"),
                              on="m")
    disputed = (counted.group_by("cluster", "noun")
                .agg(n_values=pl.col("value").n_unique(), n_docs=pl.col("doc_id").n_unique())
                .filter((pl.col("n_values") > 1) & (pl.col("n_docs") > 1)))
    rows = (counted.join(disputed.select("cluster", "noun"), on=["cluster", "noun"])
            .with_columns(label=pl.col("outlet") + pl.when(pl.col("attribution").is_not_null())
                          .then(pl.lit(" citing ") + pl.col("attribution")).otherwise(pl.lit("")))
            .select("cluster", "noun", "value", "label").unique())
    if rows.height == 0:
        return pl.DataFrame(schema={"cluster": _U32, "quantity_conflicts": pl.List(pl.String)})
    by_value = (rows.group_by("cluster", "noun", "value")
                .agg(labels=pl.col("label").sort().str.join(", "))
                .sort(["cluster", "noun", "value"])
                .with_columns(part=pl.col("value").cast(pl.String) + " (" + pl.col("labels") + ")"))
    by_noun = (by_value.group_by("cluster", "noun", maintain_order=True)
               .agg(pl.col("part").str.join("; "))
               .with_columns(text=pl.col("noun") + ": " + pl.col("part")))
    return by_noun.group_by("cluster", maintain_order=True).agg(
        quantity_conflicts=pl.col("text"))


def build_entries(clustering: Clustering, *, summary_lang: str | None = None
                  ) -> tuple[pl.DataFrame, dict[str, str]]:
    """The chronology frame, and each mention key's event id."""
    if clustering.frame.height == 0:
        return pl.DataFrame(schema=CHRONOLOGY_SCHEMA), {}
    ids = _event_ids(clustering.frame)
    entries, keyed = _entries(clustering, summary_lang, ids)
    chronology = (entries.select([pl.col(name).cast(dtype) for name, dtype in
                                  CHRONOLOGY_SCHEMA.items()])
                  .sort(["earliest", "latest", "event_id"]))
    event_of = dict(zip(keyed["key"].to_list(), keyed["event_id"].to_list(), strict=True))
    return chronology, event_of


def _entries(clustering: Clustering, summary_lang: str | None, ids: pl.DataFrame
             ) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The chronology rows (CHRONOLOGY_SCHEMA's columns and ``cluster``, sorted), and
    (key, event_id) of every mention."""
    frame = clustering.frame
    if frame.height == 0:
        return (pl.DataFrame(schema={**CHRONOLOGY_SCHEMA, "cluster": _U32}),
                pl.DataFrame(schema={"key": pl.String, "event_id": pl.String}))
    dates = _entry_dates(frame)
    conflicts = _quantity_conflicts(frame, clustering.quantities)
    named = frame.select("cluster", "lang", "role", "earliest", "latest", "n_features", "text",
                         "key")
    # the summary: requested language, a dated fact, inside the entry's dates, rich, readable
    length = pl.col("text").str.len_chars()
    ranked = (
        named.join(dates.select("cluster", e_lo="earliest", e_hi="latest"), on="cluster")
        .with_columns(
            r_lang=(pl.col("lang") != summary_lang).fill_null(True) if summary_lang else pl.lit(False),
            r_role=pl.col("role") != "occurred",
            r_out=~((pl.col("earliest") <= pl.col("e_hi")) & (pl.col("e_lo") <= pl.col("latest"))),
            r_rich=-pl.col("n_features").cast(pl.Int64),
            r_size=~((length >= 40) & (length <= 320)),
            r_len=length)
        .sort(["cluster", "r_lang", "r_role", "r_out", "r_rich", "r_size", "r_len", "key"])
        .group_by("cluster", maintain_order=True)
        .agg(summary=pl.col("text").first().str.replace_all(r"\s+", " ").str.strip_chars()))
    extra = clustering.copies.also_published_by
    outlets = frame.select("cluster", "outlet")
    if extra:
        more = [(doc, outlet) for doc, names in extra.items() for outlet in names]
        outlets = pl.concat([outlets, frame.select("cluster", "doc_id").join(
            pl.DataFrame({"doc_id": [d for d, _ in more], "outlet": [o for _, o in more]},
                         schema={"doc_id": pl.String, "outlet": pl.String}), on="doc_id")
            .select("cluster", "outlet")])
    sources = outlets.group_by("cluster").agg(sources=pl.col("outlet").drop_nulls().unique().sort())
    struct = pl.struct([pl.col(name) for name in MENTION_STRUCT.to_schema()])
    grouped = (frame.sort(["cluster", "published", "doc_id", "start", "key"], nulls_last=False)
               .group_by("cluster", maintain_order=True)
               .agg(n_mentions=pl.len(), n_reports=pl.col("group").n_unique(),
                    languages=pl.col("lang").drop_nulls().unique().sort(),
                    mentions=struct))
    entries = (
        grouped.join(ids, on="cluster").join(dates, on="cluster").join(ranked, on="cluster")
        .join(sources, on="cluster").join(conflicts, on="cluster", how="left")
        .with_columns(conflicts=pl.concat_list(
            "date_conflicts", pl.col("quantity_conflicts").fill_null([])))
        .with_columns(conflict=pl.col("conflicts").list.len() > 0,
                      n_sources=pl.col("sources").list.len())
    )
    chronology = (entries.select(*[pl.col(name).cast(dtype) for name, dtype in
                                   CHRONOLOGY_SCHEMA.items()], pl.col("cluster"))
                  .sort(["earliest", "latest", "event_id"]))
    return chronology, frame.select("key", "cluster").join(ids, on="cluster").select(
        "key", "event_id")


def merge_mentions(mentions: Iterable[EventMention], *, summary_lang: str | None = None,
                   threshold: float = THRESHOLD, copies: Copies | None = None) -> pl.DataFrame:
    """The chronology of ``mentions`` (schema :data:`CHRONOLOGY_SCHEMA`)."""
    frame, _ = build_entries(cluster_mentions(mentions, threshold=threshold, copies=copies),
                             summary_lang=summary_lang)
    return frame


def mentions_frame(mentions: Iterable[EventMention], event_of: dict[str, str] | None = None,
                   copies: Copies | None = None) -> pl.DataFrame:
    """Every event mention as a frame (schema :data:`MENTIONS_SCHEMA`)."""
    event_of = event_of or {}
    copies = copies or Copies()
    rows: dict[str, list] = {name: [] for name in MENTIONS_SCHEMA}
    unique: dict[str, EventMention] = {}
    for mention in sorted(mentions, key=lambda m: (m.key, m.text, m.value)):
        unique.setdefault(mention.key, mention)
    for m in unique.values():
        record = {
            "mention_id": hashlib.sha1(m.key.encode("utf-8")).hexdigest()[:16],
            "event_id": event_of.get(m.key), "doc_id": m.doc_id, "start": m.start,
            "end": m.end, "text": m.text, "timex": m.timex, "timex_start": m.timex_start,
            "timex_end": m.timex_end, "value": m.value, "earliest": m.earliest,
            "latest": m.latest, "granularity": m.granularity, "role": m.role,
            "anchor": m.anchor, "source": m.source, "lang": m.lang, "published": m.published,
            "actors": list(m.actors), "places": list(m.places),
            "quantities": [q.key() for q in m.quantities], "event_words": list(m.event_words),
            "names": list(m.names), "attribution": m.attribution, "url": m.url,
            "title": m.title,
            "participants": list(m.participants), "copy_of": copies.original.get(m.doc_id),
            "kinds": list(m.kinds),
        }
        for name, value in record.items():
            rows[name].append(value)
    return pl.DataFrame(rows, schema=MENTIONS_SCHEMA)
