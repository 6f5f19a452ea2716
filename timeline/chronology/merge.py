"""Merging event mentions into one deduplicated chronology.

Two mentions are the same event when their time is compatible and their content
is the same:

- **time**: their intervals overlap. Granularity is taken into account by the
  intervals themselves: "pekan lalu" (a week) overlaps every day of that week,
  "awal bulan ini" the first ten days of the month. A ``reported`` mention only
  says the fact happened on or before the report, so it is compared over the
  ``REPORT_WINDOW_DAYS`` days up to its date.
- **content**: a weighted cosine over canonical features (places, actors, other
  names, counts with their noun, event words), which the language data makes
  the same across Indonesian and English ("Turki"/"Turkish" -> ``actor:turkey``,
  "tewas"/"killed" -> ``event:killed``). Counts and places weigh most; actors
  present in nearly every statement ("Syria", "the regime") weigh little.
  Sharing only a date is never enough: pairs are generated from shared
  place/actor/name/count features only.

Scaling: candidate pairs come from blocks keyed by (time bucket, feature), built
and joined with polars, so the cost grows with the number of mentions times the
(capped) block size, not with its square. Clustering takes the candidate edges
from the most to the least similar (ties broken by mention keys) and joins two
clusters only when the intersection of their intervals stays non-empty, so that
chains cannot carry an event across days.

Determinism: mentions are identified by content (document id and offsets), sorted
by that key before anything else, and every tie is broken by it; so the result
does not depend on input order, and merging a set of mentions with itself (or
with a copy) gives the same chronology (duplicates collapse on their key).

>>> merge_mentions([]).height
0
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import polars as pl

from timeline.events.vocabulary import load_vocabulary
from timeline.types import EventMention

#: A reported fact happened on or before its report: compare it over this many days.
REPORT_WINDOW_DAYS = 7
#: Candidate edges at or above this similarity merge (tuned on fixtures/events).
THRESHOLD = 0.3
#: Blocks (time bucket x feature) larger than this are too common to generate pairs.
MAX_BLOCK = 64
#: Feature weights by kind; generic features (the vocabulary's [generic] keys) weigh
#: GENERIC_WEIGHT.
WEIGHTS = {"place": 2.0, "actor": 1.5, "name": 1.5, "qty": 3.0, "event": 1.0}
GENERIC_WEIGHT = 0.3
#: Pairs must share at least this many features.
MIN_SHARED = 2
#: Similarity of two mentions from the same document is multiplied by this.
SAME_DOCUMENT_FACTOR = 0.8
#: Feature kinds that generate candidate pairs (event words alone do not).
BLOCKING_KINDS = frozenset({"place", "actor", "name", "qty"})

#: Schema of the chronology frame (docs/conventions.md).
MENTION_STRUCT = pl.Struct({
    "doc_id": pl.String, "start": pl.Int64, "end": pl.Int64, "text": pl.String,
    "timex": pl.String, "source": pl.String, "lang": pl.String, "role": pl.String,
    "published": pl.String, "url": pl.String, "title": pl.String,
})
CHRONOLOGY_SCHEMA = {
    "event_id": pl.String, "earliest": pl.String, "latest": pl.String, "value": pl.String,
    "granularity": pl.String, "summary": pl.String, "n_mentions": pl.Int64,
    "n_sources": pl.Int64, "sources": pl.List(pl.String), "languages": pl.List(pl.String),
    "conflict": pl.Boolean, "conflicts": pl.List(pl.String), "mentions": pl.List(MENTION_STRUCT),
}
#: Schema of mentions.parquet: every event mention, with the entry it was merged into.
MENTIONS_SCHEMA = {
    "mention_id": pl.String, "event_id": pl.String, "doc_id": pl.String, "start": pl.Int64,
    "end": pl.Int64, "text": pl.String, "timex": pl.String, "timex_start": pl.Int64,
    "timex_end": pl.Int64, "value": pl.String, "earliest": pl.String, "latest": pl.String,
    "granularity": pl.String, "role": pl.String, "anchor": pl.String, "source": pl.String,
    "lang": pl.String, "published": pl.String, "actors": pl.List(pl.String),
    "places": pl.List(pl.String), "quantities": pl.List(pl.String),
    "event_words": pl.List(pl.String), "names": pl.List(pl.String), "attribution": pl.String,
    "url": pl.String, "title": pl.String,
}

def feature_weight(feature: str) -> float:
    if feature in load_vocabulary().generic:
        return GENERIC_WEIGHT
    return WEIGHTS.get(feature.split(":", 1)[0], 1.0)


@dataclass(frozen=True, slots=True)
class Clustering:
    """Mentions (deduplicated, sorted by key) and the cluster label of each."""

    mentions: list[EventMention]
    labels: list[int]
    n_candidates: int
    n_edges: int
    #: Scored candidate pairs (a, b, score), indices into ``mentions``, for inspection.
    scored: pl.DataFrame | None = None


def _comparison_interval(mention: EventMention) -> tuple[int, int]:
    lo = date.fromisoformat(mention.earliest).toordinal()
    hi = date.fromisoformat(mention.latest).toordinal()
    if mention.role == "reported":
        lo -= REPORT_WINDOW_DAYS - 1
    return lo, hi


def _level(span: int) -> int:
    """Blocking level: 0 day, 1 up to a week (and report windows), 2 up to a month, 3 longer."""
    if span <= 1:
        return 0
    if span <= 8:
        return 1
    if span <= 31:
        return 2
    return 3


_BUCKET_DAYS = (1, 7, 30, 365)


def _candidate_pairs(lo: list[int], hi: list[int], feature_ids: list[list[int]],
                     blocking: set[int]) -> pl.DataFrame:
    """Pairs (a < b) that share a blocking feature in a time bucket, with overlapping intervals."""
    n = len(lo)
    if n < 2:
        return pl.DataFrame({"a": [], "b": []}, schema={"a": pl.UInt32, "b": pl.UInt32})
    spans = [last - first + 1 for first, last in zip(lo, hi, strict=True)]
    mentions = pl.DataFrame({
        "m": pl.Series(range(n), dtype=pl.UInt32),
        "lo": pl.Series(lo, dtype=pl.Int32),
        "hi": pl.Series(hi, dtype=pl.Int32),
        "level": pl.Series([_level(s) for s in spans], dtype=pl.Int8),
    })
    flat_m: list[int] = []
    flat_f: list[int] = []
    for m, features in enumerate(feature_ids):
        for f in features:
            if f in blocking:
                flat_m.append(m)
                flat_f.append(f)
    features = pl.DataFrame({"m": pl.Series(flat_m, dtype=pl.UInt32),
                             "f": pl.Series(flat_f, dtype=pl.UInt32)})
    pairs = []
    for level, days in enumerate(_BUCKET_DAYS):
        # postings of this level's buckets: mentions at this level or finer (coarse joins fine)
        members = mentions.filter(pl.col("level") <= level) if level < 3 else \
            mentions.filter(pl.col("level") == 3)
        postings = (
            members.with_columns(bucket=pl.int_ranges(pl.col("lo") // days, pl.col("hi") // days + 1))
            .explode("bucket")
            .select("m", "level", "bucket")
            .join(features, on="m")
        )
        sizes = postings.group_by("bucket", "f").len()
        postings = postings.join(sizes.filter(pl.col("len") <= MAX_BLOCK), on=["bucket", "f"],
                                 how="semi")
        left = postings.filter(pl.col("level") == level)
        joined = left.join(postings.select("m", "bucket", "f"), on=["bucket", "f"], suffix="_r")
        pairs.append(joined.select(a=pl.min_horizontal("m", "m_r"), b=pl.max_horizontal("m", "m_r"))
                     .filter(pl.col("a") != pl.col("b")))
    candidates = pl.concat(pairs).unique()
    bounds = mentions.select("m", "lo", "hi")
    return (
        candidates.join(bounds, left_on="a", right_on="m")
        .join(bounds, left_on="b", right_on="m", suffix="_b")
        .filter((pl.col("lo") <= pl.col("hi_b")) & (pl.col("lo_b") <= pl.col("hi")))
        .select("a", "b")
    )


def _score_pairs(pairs: pl.DataFrame, feature_ids: list[list[int]], weights: list[float],
                 norms: list[float], documents: list[int]) -> pl.DataFrame:
    """Weighted cosine of each candidate pair: shared weight / sqrt(|a| |b|).

    Pairs that share a single feature score 0 (one place or one actor in common is
    a coincidence, not an event), and pairs from one document are discounted by
    ``SAME_DOCUMENT_FACTOR``: an article that dates two statements separately
    usually tells two things.
    """
    flat_m: list[int] = []
    flat_f: list[int] = []
    for m, features in enumerate(feature_ids):
        flat_m.extend([m] * len(features))
        flat_f.extend(features)
    features = pl.DataFrame({"m": pl.Series(flat_m, dtype=pl.UInt32),
                             "f": pl.Series(flat_f, dtype=pl.UInt32)})
    weight_of = pl.DataFrame({"f": pl.Series(range(len(weights)), dtype=pl.UInt32),
                              "w": pl.Series(weights, dtype=pl.Float64)})
    norm_of = pl.DataFrame({"m": pl.Series(range(len(norms)), dtype=pl.UInt32),
                            "norm": pl.Series(norms, dtype=pl.Float64),
                            "doc": pl.Series(documents, dtype=pl.UInt32)})
    shared = (
        pairs.join(features, left_on="a", right_on="m")
        .join(features, left_on=["b", "f"], right_on=["m", "f"], how="semi")
        .join(weight_of, on="f")
        .group_by("a", "b").agg(shared=pl.col("w").pow(2).sum(), n_shared=pl.len())
        .filter(pl.col("n_shared") >= MIN_SHARED)
    )
    factor = pl.when(pl.col("doc") == pl.col("doc_b")).then(SAME_DOCUMENT_FACTOR).otherwise(1.0)
    return (
        shared.join(norm_of, left_on="a", right_on="m")
        .join(norm_of, left_on="b", right_on="m", suffix="_b")
        .select("a", "b", score=pl.col("shared") / (pl.col("norm") * pl.col("norm_b")) * factor)
    )


def _apart_in_one_document(pairs: pl.DataFrame, mentions: Sequence[EventMention],
                           documents: list[int]) -> pl.DataFrame:
    """Drop pairs from one article whose own dates do not overlap.

    The report window widens a reported date to compare it with other articles'
    dates of the same fact; within one article, the writer has dated the two
    statements apart ("pernyataan Jumat" and "awal pekan lalu"), so they are two.
    """
    own = pl.DataFrame({
        "m": pl.Series(range(len(mentions)), dtype=pl.UInt32),
        "doc": pl.Series(documents, dtype=pl.UInt32),
        "lo": pl.Series([date.fromisoformat(m.earliest).toordinal() for m in mentions],
                        dtype=pl.Int32),
        "hi": pl.Series([date.fromisoformat(m.latest).toordinal() for m in mentions],
                        dtype=pl.Int32),
    })
    joined = pairs.join(own, left_on="a", right_on="m").join(own, left_on="b", right_on="m",
                                                             suffix="_b")
    apart = (pl.col("doc") == pl.col("doc_b")) & (
        (pl.col("lo") > pl.col("hi_b")) | (pl.col("lo_b") > pl.col("hi")))
    return joined.filter(~apart).select("a", "b")


def cluster_mentions(mentions: Iterable[EventMention], *, threshold: float = THRESHOLD
                     ) -> Clustering:
    """Group mentions of the same event. Order independent and idempotent."""
    unique: dict[str, EventMention] = {}
    for mention in sorted(mentions, key=lambda m: (m.key, repr(m))):
        unique.setdefault(mention.key, mention)  # one mention per key, whatever the order
    ordered = list(unique.values())
    n = len(ordered)
    lo: list[int] = []
    hi: list[int] = []
    feature_index: dict[str, int] = {}
    feature_ids: list[list[int]] = []
    for mention in ordered:
        first, last = _comparison_interval(mention)
        lo.append(first)
        hi.append(last)
        feature_ids.append([feature_index.setdefault(f, len(feature_index))
                            for f in dict.fromkeys(mention.features)])
    names = sorted(feature_index, key=feature_index.__getitem__)
    weights = [feature_weight(f) for f in names]
    blocking = {i for i, f in enumerate(names)
                if f.split(":", 1)[0] in BLOCKING_KINDS and f not in load_vocabulary().generic}
    norms = [math.sqrt(sum(weights[f] ** 2 for f in fs)) or 1.0 for fs in feature_ids]

    pairs = _candidate_pairs(lo, hi, feature_ids, blocking)
    doc_index: dict[str, int] = {}
    documents = [doc_index.setdefault(m.doc_id, len(doc_index)) for m in ordered]
    if pairs.height:
        pairs = _apart_in_one_document(pairs, ordered, documents)
    scored = _score_pairs(pairs, feature_ids, weights, norms, documents) if pairs.height else pairs
    edges = (scored.filter(pl.col("score") >= threshold)
             .sort(["score", "a", "b"], descending=[True, False, False])) if pairs.height else scored

    parent = list(range(n))
    cluster_lo = lo[:]
    cluster_hi = hi[:]

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    n_edges = 0
    if edges.height:
        for a, b in zip(edges["a"].to_list(), edges["b"].to_list(), strict=True):
            ra, rb = find(a), find(b)
            if ra == rb:
                continue
            new_lo = max(cluster_lo[ra], cluster_lo[rb])
            new_hi = min(cluster_hi[ra], cluster_hi[rb])
            if new_lo > new_hi:
                continue  # the two events cannot share a date
            root, child = (ra, rb) if ra < rb else (rb, ra)
            parent[child] = root
            cluster_lo[root], cluster_hi[root] = new_lo, new_hi
            n_edges += 1
    labels = [find(i) for i in range(n)]
    return Clustering(ordered, labels, pairs.height, n_edges, scored)


# --- entries -----------------------------------------------------------------------


def event_id(mentions: Sequence[EventMention]) -> str:
    """Stable id of an entry: a hash of its mentions' keys, in key order."""
    digest = hashlib.sha1("|".join(sorted(m.key for m in mentions)).encode("utf-8"))
    return digest.hexdigest()[:16]


def _span(m: EventMention) -> int:
    return date.fromisoformat(m.latest).toordinal() - date.fromisoformat(m.earliest).toordinal()


def _source(m: EventMention) -> str:
    return m.source or m.doc_id


def _entry_date(members: Sequence[EventMention]) -> tuple[str, str, str, str, list[str]]:
    """(earliest, latest, value, granularity, date conflicts) of an entry.

    The facts' own dates (``occurred``) place the entry: its interval is their
    intersection, its value the most specific value among them, voted by sources.
    When no mention dates the fact itself, the entry is placed on its first
    report (the fact happened on or before it). Where the dates disagree the
    interval is the range they span, and the disagreement is flagged.
    """
    occurred = [m for m in members if m.role == "occurred"]
    if not occurred:
        first = min(members, key=lambda m: (m.latest, m.earliest, m.value))
        return first.earliest, first.latest, first.value, first.granularity, []
    earliest = max(m.earliest for m in occurred)
    latest = min(m.latest for m in occurred)
    finest = min(_span(m) for m in occurred)
    votes: dict[tuple[str, str], set[str]] = defaultdict(set)
    for m in occurred:
        if _span(m) == finest:
            votes[(m.value, m.granularity)].add(_source(m))
    (value, granularity), _ = min(
        votes.items(), key=lambda kv: (-len(kv[1]), kv[0][1] == "time", kv[0][0]))
    conflicts: list[str] = []
    if earliest > latest:
        earliest = min(m.earliest for m in occurred)
        latest = max(m.latest for m in occurred)
        by_value: dict[str, set[str]] = defaultdict(set)
        for m in occurred:
            by_value[m.value].add(_source(m))
        conflicts.append("date: " + "; ".join(f"{v} ({', '.join(sorted(s))})"
                                               for v, s in sorted(by_value.items())))
    return earliest, latest, value, granularity, conflicts


def _quantity_conflicts(members: Sequence[EventMention]) -> list[str]:
    """Counts of the same noun that sources give differently, each with its source."""
    by_noun: dict[str, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    docs: dict[str, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    for m in members:
        for q in m.quantities:
            label = _source(m) + (f" citing {m.attribution}" if m.attribution else "")
            by_noun[q.noun][q.value].add(label)
            docs[q.noun][q.value].add(m.doc_id)
    conflicts = []
    for noun in sorted(by_noun):
        values = by_noun[noun]
        if len(values) < 2:
            continue
        if len(set().union(*docs[noun].values())) < 2:
            continue  # one article's own counts of different things
        conflicts.append(f"{noun}: " + "; ".join(
            f"{value} ({', '.join(sorted(values[value]))})" for value in sorted(values)))
    return conflicts


def _summary_mention(members: Sequence[EventMention], earliest: str, latest: str,
                     summary_lang: str | None) -> EventMention:
    def rank(m: EventMention) -> tuple:
        length = len(m.text)
        return (
            summary_lang is not None and m.lang != summary_lang,
            m.role != "occurred",
            not (m.earliest <= latest and earliest <= m.latest),
            -len(m.features),
            not 40 <= length <= 320,
            length,
            m.key,
        )

    return min(members, key=rank)


def _mention_struct(m: EventMention) -> dict:
    return {"doc_id": m.doc_id, "start": m.start, "end": m.end, "text": m.text,
            "timex": m.timex, "source": m.source, "lang": m.lang, "role": m.role,
            "published": m.published, "url": m.url, "title": m.title}


def build_entries(clustering: Clustering, *, summary_lang: str | None = None
                  ) -> tuple[pl.DataFrame, dict[str, str]]:
    """The chronology frame, and each mention key's event id."""
    groups: dict[int, list[EventMention]] = defaultdict(list)
    for mention, label in zip(clustering.mentions, clustering.labels, strict=True):
        groups[label].append(mention)
    rows: dict[str, list] = {name: [] for name in CHRONOLOGY_SCHEMA}
    event_of: dict[str, str] = {}
    for members in groups.values():
        eid = event_id(members)
        for m in members:
            event_of[m.key] = eid
        earliest, latest, value, granularity, date_conflicts = _entry_date(members)
        conflicts = date_conflicts + _quantity_conflicts(members)
        summary = _summary_mention(members, earliest, latest, summary_lang)
        sources = sorted({_source(m) for m in members})
        ordered = sorted(members, key=lambda m: (m.published or "", m.doc_id, m.start, m.key))
        rows["event_id"].append(eid)
        rows["earliest"].append(earliest)
        rows["latest"].append(latest)
        rows["value"].append(value)
        rows["granularity"].append(granularity)
        rows["summary"].append(" ".join(summary.text.split()))
        rows["n_mentions"].append(len(members))
        rows["n_sources"].append(len(sources))
        rows["sources"].append(sources)
        rows["languages"].append(sorted({m.lang for m in members if m.lang}))
        rows["conflict"].append(bool(conflicts))
        rows["conflicts"].append(conflicts)
        rows["mentions"].append([_mention_struct(m) for m in ordered])
    frame = pl.DataFrame(rows, schema=CHRONOLOGY_SCHEMA)
    return frame.sort(["earliest", "latest", "event_id"]), event_of


def merge_mentions(mentions: Iterable[EventMention], *, summary_lang: str | None = None,
                   threshold: float = THRESHOLD) -> pl.DataFrame:
    """The chronology of ``mentions`` (schema :data:`CHRONOLOGY_SCHEMA`)."""
    frame, _ = build_entries(cluster_mentions(mentions, threshold=threshold),
                             summary_lang=summary_lang)
    return frame


def mentions_frame(mentions: Iterable[EventMention], event_of: dict[str, str] | None = None
                   ) -> pl.DataFrame:
    """Every event mention as a frame (schema :data:`MENTIONS_SCHEMA`)."""
    event_of = event_of or {}
    rows: dict[str, list] = {name: [] for name in MENTIONS_SCHEMA}
    unique: dict[str, EventMention] = {}
    for mention in sorted(mentions, key=lambda m: (m.key, repr(m))):
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
        }
        for name, value in record.items():
            rows[name].append(value)
    return pl.DataFrame(rows, schema=MENTIONS_SCHEMA)
