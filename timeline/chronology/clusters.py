"""Clusters: mentions of the same event grouped, through classes of identical statements.

**Classes.** Mentions that say the same thing at the same time collapse into one
*class* before anything is compared: the same role, interval and features (with
two features of evidence or more), or, for thinner statements, the same words
from the same outlet or copy group (an outlet's updated article, a syndicated
copy). Clustering works on classes, so 10,000 syndicated copies of a statement
cost one comparison. A copy group (:mod:`timeline.corpus.copies`) counts as one
document for the rules about statements of one article.

**Kinds.** The events stage gives each statement the kinds of happening its own
event words name (violence, accord, suspension, reaction, ...; see ``[kinds]``
and ``[context]`` in the language data). An event is of one kind, so a cluster
keeps the kinds all its statements allow, and two clusters join only when some
kind remains: an airstrike and the ceasefire declared that night stay two events
however many places and actors they share.

**Clustering** takes the candidate edges (:mod:`timeline.chronology.candidates`,
scored by :mod:`timeline.chronology.similarity`) from the most to the least
similar and joins two clusters only when the intersection of their intervals
stays non-empty (chains cannot carry an event across days) and a kind remains. A
connected set of classes that shares a date and a kind is one cluster whatever
the order, so only the other sets are joined edge by edge.

**Determinism.** Mentions are identified by content (document id and offsets),
deduplicated on that key, and classes are ordered by their content; every tie is
broken by that order, so the clusters do not depend on the input order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from timeline.chronology.candidates import candidate_pairs
from timeline.chronology.features import (
    W2_UNITS,
    Columns,
    compared_days,
    frame_columns,
    mention_rows,
    name_hash,
    qualifies,
    unique_keys,
    with_provenance,
)
from timeline.chronology.similarity import THRESHOLD, score_pairs
from timeline.corpus.copies import Copies
from timeline.disjoint import DisjointSets
from timeline.types import EventMention


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
    thin_rows = np.flatnonzero(~qualifies(n_evidence[m]))
    words = np.zeros(len(m), dtype=np.uint64)
    if len(thin_rows):
        # thin statements: the same words at the same time from one outlet or one copy group
        thin = frame.select(pl.col("role", "earliest", "latest", "text", "outlet", "group")
                            .gather(thin_rows))
        sets = DisjointSets(len(thin_rows))
        find = sets.find

        first_of: dict[tuple[object, ...], int] = {}
        for i, (row_sig, *same, outlet, group) in enumerate(zip(
                sig[m[thin_rows]].tolist(), *(thin[c].to_list() for c in thin.columns),
                strict=True)):
            for key in ((row_sig, *same, "outlet", outlet), (row_sig, *same, "group", group)):
                sets.union(first_of.setdefault(key, i), i)
        first_outlet = (thin.select("text", "outlet")
                        .with_columns(root=pl.Series([find(i) for i in range(len(thin_rows))]))
                        .select(pl.col("text"), pl.col("outlet").min().over("root").fill_null("")))
        words[thin_rows] = name_hash([f"{t}\x1e{o}" for t, o in first_outlet.iter_rows()])
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


# --- clusters ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Classed:
    """Mentions with their classes: ``frame`` (one row per mention, with ``cid``),
    ``classes`` (one row per class, in class order), ``class_features`` (cid, fid, u,
    evidence, bucketed), the feature ``table`` and the ``quantities``."""

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
    mixed: np.ndarray = x ^ (x >> np.uint64(31))
    return mixed


def _class_ids(content: dict[str, np.ndarray]) -> np.ndarray:
    """A 64-bit identity of each class from its content, the same in any merge."""
    days = (content["own_lo"].astype(np.uint64) << np.uint64(32)) \
        ^ (content["own_hi"].astype(np.uint64) & np.uint64(0xFFFFFFFF))
    flags = content["reported"].astype(np.uint64) * np.uint64(2) + content["thin"].astype(np.uint64)
    ids: np.ndarray = _mix(_mix(content["sig"]) ^ _mix(days) + flags) \
        ^ _mix(content["words"] + np.uint64(1))
    return ids


#: The content of a class, in the order classes are numbered (see :func:`_classes`).
CONTENT = ("sig", "own_lo", "own_hi", "reported", "thin", "words")


def classify(columns: Columns, copies: Copies) -> Classed:
    """The mentions of ``columns`` with their provenance (``copies``) and classes, and
    each class's days, level, features, norm, kinds and identity (``cls``)."""
    features, table, quantities = columns.features, columns.table, columns.quantities
    frame = with_provenance(columns.frame, copies).with_columns(
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
        "bucketed": pl.Series(table["bucketed"].to_numpy()[fid]),
        "place_bit": pl.Series(table["place_bit"].to_numpy()[fid]),
    })
    classes = (
        frame.lazy().group_by("cid").agg(
            pl.col("role").first(), pl.col("own_lo").first(), pl.col("own_hi").first(),
            n_groups=pl.col("group_id").n_unique(), group=pl.col("group_id").first())
        .with_columns(*(expr.alias(name) for name, expr in zip(
            ("lo", "hi", "level"),
            compared_days(pl.col("own_lo"), pl.col("own_hi"), pl.col("role")), strict=True)))
        .with_columns(pl.col("hi").cast(pl.Int32),
                      # one copy group = one document for the same-article rules
                      doc=pl.when(pl.col("n_groups") == 1).then(pl.col("group"))
                      .otherwise(-1 - pl.col("cid").cast(pl.Int64)))
        .join(class_features.lazy().group_by("cid").agg(
            norm=(pl.col("u").sum() / W2_UNITS).sqrt(),
            n_places=(pl.col("place_bit") != 0).sum().cast(pl.Int64),
            places=pl.col("place_bit").bitwise_or()), on="cid", how="left")
        .join(_kind_masks(class_features, table).lazy(), on="cid", how="left")
        .with_columns(pl.col("norm").fill_null(1.0), pl.col("kinds").fill_null(-1),
                      pl.col("n_places", "places").fill_null(0))
        .sort("cid")
        .collect()
        .with_columns(cls=pl.Series(_class_ids(content)),
                      **{name: pl.Series(content[name]) for name in CONTENT})
    )
    return Classed(frame, quantities, classes, class_features, table)


def scored_pairs(classed: Classed, threshold: float, owned: tuple[int, int] | None
                 ) -> tuple[pl.DataFrame, int]:
    """The scored candidate pairs of classes (a, b, score), and how many candidates."""
    class_features = classed.class_features
    postings = class_features.filter(pl.col("bucketed")).select("cid", "fid")
    day_postings = class_features.join(
        classed.table.filter(pl.col("day_bucketed")).select("fid"), on="fid").select("cid", "fid")
    candidates = candidate_pairs(
        classed.classes.select("cid", "lo", "hi", "level", "own_lo", "own_hi"), postings,
        class_features.select("cid", "fid"), classed.table, owned, day_postings)
    scored = score_pairs(candidates, class_features, classed.classes, classed.table, threshold)
    return scored, len(candidates.pairs)


def in_edge_order(edges: pl.DataFrame, threshold: float) -> pl.DataFrame:
    """The edges at or above ``threshold``, in the order clustering joins them: most
    similar first, ties by class order."""
    return edges.filter(pl.col("score") >= threshold).sort(
        ["score", "a", "b"], descending=[True, False, False])


def cluster_mentions(mentions: Iterable[EventMention], *, threshold: float = THRESHOLD,
                     copies: Copies | None = None, generic: frozenset[str] | None = None
                     ) -> Clustering:
    """Group mentions of the same event. Order independent and idempotent.

    ``copies`` says which documents are copies of which (default: none); ``generic``
    the features too common to tell events apart (default: the default gazetteers').
    """
    objects = mentions if isinstance(mentions, Sequence) else list(mentions)
    rows = unique_keys(mention_rows(objects).with_row_index("m"), objects)
    classed = classify(frame_columns(rows, generic), copies or Copies())
    scored, n_candidates = scored_pairs(classed, threshold, None)
    edges = in_edge_order(scored, threshold)
    classes = classed.classes
    roots, n_edges = join_clusters(edges["a"].to_numpy(), edges["b"].to_numpy(),
                                   classes["lo"].to_numpy(), classes["hi"].to_numpy(),
                                   classes["kinds"].to_numpy(), classes["places"].to_numpy())
    cid = classed.frame["cid"].to_numpy()
    frame = classed.frame.with_columns(cluster=pl.Series(roots[cid] if classes.height else cid))
    return Clustering(frame, classed.quantities, objects, n_candidates, n_edges,
                      classes.height, scored, copies or Copies())


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


def join_clusters(a: np.ndarray, b: np.ndarray, lo: np.ndarray, hi: np.ndarray,
                  kinds: np.ndarray, places: np.ndarray | None = None
                  ) -> tuple[np.ndarray, int]:
    """The cluster (smallest class) of each class, joining along edges in their order.

    Two clusters join only when their intervals still intersect, a kind of happening
    remains, and they name a place in common or one of them names none (``places``:
    bit masks of each class's places; a cluster's are those of all its statements).
    Where a whole connected set of classes shares a date, a kind and a place, every
    join is allowed whatever the order, so the set is one cluster at once; only the
    other sets are joined edge by edge, greedily in edge order.
    """
    n = len(lo)
    if places is None:
        places = np.zeros(n, dtype=np.int64)
    component = _components(n, a, b)
    low = np.full(n, np.iinfo(np.int64).min, dtype=np.int64)
    high = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
    common = np.full(n, -1, dtype=np.int64)
    common_places = np.full(n, -1, dtype=np.int64)
    np.maximum.at(low, component, lo)
    np.minimum.at(high, component, hi)
    np.bitwise_and.at(common, component, kinds)
    named = places != 0
    np.bitwise_and.at(common_places, component[named], places[named])
    torn = (low > high) | (common == 0) | (common_places == 0)  # per component root
    roots = component.copy()
    n_edges = int(np.count_nonzero(component != np.arange(n)))
    greedy = torn[component[a]]
    if not greedy.any():
        return roots, n_edges
    members = np.flatnonzero(torn[component])
    roots[members] = members
    n_edges -= int(np.count_nonzero(component[members] != members))
    # the greedy joins need only the torn components' classes: numbered 0..k-1 in
    # class order (so the smallest stays the root), the others untouched
    sets = DisjointSets(len(members))
    find = sets.find
    cluster_lo, cluster_hi = lo[members].tolist(), hi[members].tolist()
    cluster_kinds, cluster_places = kinds[members].tolist(), places[members].tolist()
    local_a = np.searchsorted(members, a[greedy]).tolist()
    local_b = np.searchsorted(members, b[greedy]).tolist()

    for x, y in zip(local_a, local_b, strict=True):
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
        px, py = cluster_places[rx], cluster_places[ry]
        if px and py and not px & py:
            continue  # they happened in other places
        root = sets.union(rx, ry)
        cluster_lo[root], cluster_hi[root], cluster_kinds[root] = new_lo, new_hi, joint
        cluster_places[root] = px | py
        n_edges += 1
    roots[members] = members[[find(x) for x in range(len(members))]]
    return roots, n_edges
