"""Entries: one chronology row per cluster, and the rows of mentions.parquet.

An entry's dates are those its facts' own dates agree on (the value voted by
outlets), with a flag and each date's outlets where they disagree; its summary is a
dated fact in the requested language; counts that sources give differently are
kept with their sources. ``n_sources`` counts outlets (a copy without a source is
its original's outlet; exact duplicates dropped at ingestion add their outlets),
``n_reports`` counts copy groups.

**Event ids.** ``event_id`` hashes the entry's canonical statement: the smallest
(date, role, text) among the statements of original documents (not copies), so the
id does not depend on input order, and adding copies of the articles leaves it
unchanged.

>>> merge_mentions([]).height
0
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date

import numpy as np
import polars as pl

from timeline.chronology.clusters import Clustering, cluster_mentions
from timeline.chronology.features import MENTION_KEY
from timeline.chronology.headline import headline
from timeline.chronology.rank import day_sketches, rank_evidence, ranks
from timeline.chronology.similarity import THRESHOLD
from timeline.corpus.copies import Copies
from timeline.frames import CHRONOLOGY_SCHEMA, MENTION_STRUCT, MENTIONS_SCHEMA
from timeline.types import EventMention


def _entry_hash(earliest: date, latest: date, role: str, text: str, extra: str = "") -> int:
    """The first 64 bits of the SHA-1 of a statement's dates, role, text and ``extra``:
    an event id as a number (:func:`event_id_text` writes its 16 hex digits)."""
    digest = hashlib.sha1("\x1f".join((earliest.isoformat(), latest.isoformat(), role, text,
                                        extra)).encode("utf-8"))
    return int.from_bytes(digest.digest()[:8], "big")


def event_id_text(hashes: pl.Series) -> pl.Series:
    """Event ids as written (16 hex digits, ``event_id``) from their numbers (``event_hash``).

    >>> event_id_text(pl.Series([255, None], dtype=pl.UInt64)).to_list()
    ['00000000000000ff', None]
    """
    return pl.Series("event_id", [None if h is None else f"{h:016x}" for h in hashes.to_list()],
                     dtype=pl.String)


def event_id_candidates(frame: pl.DataFrame) -> pl.DataFrame:
    """(cluster, id0, id1, id2, ...): the ids a cluster may get (as numbers,
    :func:`_entry_hash`), from its canonical statement, with its rank evidence and dates.

    The canonical statement is the smallest (earliest, latest, role, text) among
    the mentions of original documents (of all mentions when every one is a copy):
    copies of an article repeat its statements, so they do not change it. ``id0``
    hashes it; ``id1`` adds the outlet, ``id2`` the cluster's mention keys, for
    entries whose canonical statements read the same (:func:`resolve_event_ids`).
    """
    # an entry is placed by a dated statement: clusters of statements without a date of
    # their own (headlines, leads) get no id, so no entry
    frame = frame.filter(pl.col("timex").ne("").any().over("cluster"))
    canonical = (frame.lazy()
                 .select("cluster", "earliest", "latest", "role", "text", "outlet",
                         is_copy=pl.col("copy_of").is_not_null(),
                         undated=pl.col("timex") == "")
                 .sort(["cluster", "is_copy", "undated", "earliest", "latest", "role", "text",
                        "outlet"])
                 .group_by("cluster", maintain_order=True)
                 .agg(pl.col("earliest", "latest", "role", "text", "outlet").first())
                 .collect())
    keys = frame.group_by("cluster").agg(keys=pl.col("key").sort().str.join("|"))
    canonical = (canonical.join(keys, on="cluster", how="left")
                 .join(rank_evidence(frame), on="cluster", how="left"))
    rows = list(zip(canonical["earliest"].to_list(), canonical["latest"].to_list(),
                    canonical["role"].to_list(), canonical["text"].to_list(),
                    canonical["outlet"].to_list(), canonical["keys"].to_list(), strict=True))
    return pl.DataFrame({
        "cluster": canonical["cluster"],
        "id0": pl.Series([_entry_hash(e, lt, role, text) for e, lt, role, text, _, _ in rows],
                         dtype=pl.UInt64),
        "id1": pl.Series([_entry_hash(e, lt, role, text, outlet or "")
                          for e, lt, role, text, outlet, _ in rows], dtype=pl.UInt64),
        "id2": pl.Series([_entry_hash(e, lt, role, text, keys)
                          for e, lt, role, text, _, keys in rows], dtype=pl.UInt64),
        "score": canonical["score"], "first_report": canonical["first_report"],
        "report_sketch": canonical["report_sketch"], "later_sketch": canonical["later_sketch"]}
    ).join(_entry_dates(frame).select("cluster", "earliest", "latest"), on="cluster", how="left")


def resolve_event_ids(candidates: pl.DataFrame, days: pl.DataFrame) -> pl.DataFrame:
    """(cluster, event_hash, rank): ``id0``, unless another entry has the same; then ``id1``
    (with the outlet), unless that still clashes; then ``id2`` (with the mention keys);
    and each entry's rank (:mod:`timeline.chronology.rank`; ``days``: the report
    sketches of each day, :func:`~timeline.chronology.rank.day_sketches`). Needs every
    entry's candidates (the clashes and the ranks are counted over all of them); holds
    numbers only, a few dozen bytes per entry (the ids' text is written by
    :func:`event_id_text`)."""
    id0 = candidates["id0"].to_numpy()
    first = np.where(_clashing(id0), candidates["id1"].to_numpy(), id0)
    event = np.where(_clashing(first), candidates["id2"].to_numpy(), first)
    ids = candidates.with_columns(event_hash=pl.Series(event, dtype=pl.UInt64))
    return ids.select("cluster", "event_hash", rank=ranks(ids, days))


def _clashing(values: np.ndarray) -> np.ndarray:
    """Which of ``values`` occur more than once (by sorting: a few bytes per value).

    >>> _clashing(np.array([5, 3, 5, 1], dtype=np.uint64)).tolist()
    [True, False, True, False]
    """
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    same = ordered[1:] == ordered[:-1]
    repeated = np.zeros(len(values), dtype=bool)
    repeated[1:] |= same
    repeated[:-1] |= same
    clashing = np.empty(len(values), dtype=bool)
    clashing[order] = repeated
    return clashing


def _event_ids(frame: pl.DataFrame) -> pl.DataFrame:
    """(cluster, event_id, rank): a hash of the cluster's canonical statement (see above)."""
    candidates = event_id_candidates(frame)
    ids = resolve_event_ids(candidates, day_sketches(candidates))
    return ids.select("cluster", event_id_text(ids["event_hash"]), "rank")


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
        "cluster": pl.Series(conflicted, dtype=pl.UInt32),
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
        return pl.DataFrame(schema={"cluster": pl.UInt32, "quantity_conflicts": pl.List(pl.String)})
    by_value = (rows.group_by("cluster", "noun", "value")
                .agg(labels=pl.col("label").sort().str.join(", "))
                .sort(["cluster", "noun", "value"])
                .with_columns(part=pl.col("value").cast(pl.String) + " (" + pl.col("labels") + ")"))
    by_noun = (by_value.group_by("cluster", "noun", maintain_order=True)
               .agg(pl.col("part").str.join("; "))
               .with_columns(text=pl.col("noun") + ": " + pl.col("part")))
    return by_noun.group_by("cluster", maintain_order=True).agg(
        quantity_conflicts=pl.col("text"))


def _named(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    """(cluster, column): the canonical names (places or actors) the entry's mentions
    name, the most named first (by mentions), ties in name order."""
    if column not in frame.columns:
        return pl.DataFrame(schema={"cluster": pl.UInt32, column: pl.List(pl.String)})
    return (frame.select("cluster", column).explode(column).drop_nulls(column)
            .group_by("cluster", column).agg(n=pl.len())
            .sort(["cluster", "n", column], descending=[False, True, False])
            .group_by("cluster", maintain_order=True).agg(pl.col(column)))


def build_entries(clustering: Clustering, *, summary_lang: str | None = None
                  ) -> tuple[pl.DataFrame, dict[str, str]]:
    """The chronology frame, and each mention key's event id."""
    if clustering.frame.height == 0:
        return pl.DataFrame(schema=CHRONOLOGY_SCHEMA), {}
    ids = _event_ids(clustering.frame)
    entries, keyed = chronology_rows(clustering, summary_lang, ids)
    chronology = (entries.select([pl.col(name).cast(dtype) for name, dtype in
                                  CHRONOLOGY_SCHEMA.items()])
                  .sort(["earliest", "latest", "event_id"]))
    event_of = dict(zip(keyed["key"].to_list(), keyed["event_id"].to_list(), strict=True))
    return chronology, event_of


def chronology_rows(clustering: Clustering, summary_lang: str | None, ids: pl.DataFrame
                    ) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The chronology rows (CHRONOLOGY_SCHEMA's columns and ``cluster``, sorted), and
    (key, event_id) of every mention."""
    frame = clustering.frame
    if frame.height == 0:
        return (pl.DataFrame(schema={**CHRONOLOGY_SCHEMA, "cluster": pl.UInt32}),
                pl.DataFrame(schema={"key": pl.String, "event_id": pl.String}))
    dates = _entry_dates(frame)
    conflicts = _quantity_conflicts(frame, clustering.quantities)
    # a statement is shown whole: its sentence when its evidence is a clause of it
    named = frame.select("cluster", "lang", "role", "earliest", "latest", "n_features", "key",
                         text=pl.coalesce("sentence", "text"), evidence="text",
                         date_start=pl.col("timex_start") - pl.col("start"),
                         date_end=pl.col("timex_end") - pl.col("start"),
                         undated=pl.col("timex") == "")
    # the summary: requested language, a dated fact, inside the entry's dates, rich, readable
    length = pl.col("text").str.len_chars()
    ranked = (
        named.join(dates.select("cluster", e_lo="earliest", e_hi="latest"), on="cluster")
        .with_columns(
            r_lang=(pl.col("lang") != summary_lang).fill_null(True) if summary_lang else pl.lit(False),
            r_role=pl.col("role") != "occurred",
            r_out=~((pl.col("earliest") <= pl.col("e_hi")) & (pl.col("e_lo") <= pl.col("latest"))),
            r_part=~pl.col("text").str.contains(r"^\W*[\p{Lu}\d]"),
            r_rich=-pl.col("n_features").cast(pl.Int64),
            r_size=~((length >= 40) & (length <= 320)),
            r_len=length)
        .sort(["cluster", "r_lang", "undated", "r_role", "r_out", "r_part", "r_rich", "r_size",
               "r_len", "key"])
        .group_by("cluster", maintain_order=True)
        .agg(summary=pl.col("text").first().str.replace_all(r"\s+", " ").str.strip_chars(),
             evidence=pl.col("evidence").first(), date_start=pl.col("date_start").first(),
             date_end=pl.col("date_end").first(), summary_lang=pl.col("lang").first()))
    ranked = ranked.select("cluster", "summary", headline=pl.Series(
        [headline(*row) for row in ranked.select("evidence", "date_start", "date_end",
                                                  "summary_lang").iter_rows()],
        dtype=pl.String))
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
    if "rank" not in ids.columns:  # ranked over the whole chronology afterwards
        ids = ids.with_columns(rank=pl.lit(None, dtype=pl.Int64))
    entries = (
        grouped.join(ids, on="cluster").join(dates, on="cluster").join(ranked, on="cluster")
        .join(sources, on="cluster").join(conflicts, on="cluster", how="left")
        .join(_named(frame, "places"), on="cluster", how="left")
        .join(_named(frame, "actors"), on="cluster", how="left")
        .with_columns(conflicts=pl.concat_list(
            "date_conflicts", pl.col("quantity_conflicts").fill_null([])))
        .with_columns(conflict=pl.col("conflicts").list.len() > 0,
                      n_sources=pl.col("sources").list.len(),
                      places=pl.col("places").fill_null([]),
                      actors=pl.col("actors").fill_null([]))
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


def mention_table(rows: pl.DataFrame, event_of: Mapping[str, str] | None = None,
                  original: Mapping[str, str] | None = None) -> pl.DataFrame:
    """The rows of mentions.parquet (:data:`MENTIONS_SCHEMA`): every mention of ``rows``.

    ``rows`` are mention rows with distinct keys
    (:func:`~timeline.chronology.features.mention_rows`,
    :func:`~timeline.chronology.features.unique_keys`). Each mention gets the id of
    the entry it joined: the ``event_id`` column of ``rows`` when they have one, else
    ``event_of`` (mention key -> event id); null for none. ``copy_of`` is the
    original of its document when that is a copy (``original``: copy -> original).
    Documents come in the order of ``doc_no`` (their input order) when ``rows`` have
    it, else in the order they first appear; each document's mentions in text order.
    """
    rows = rows.with_columns(key=MENTION_KEY)
    if "event_id" not in rows.columns:
        rows = rows.with_columns(event_id=pl.col("key").replace_strict(
            dict(event_of or {}), default=None, return_dtype=pl.String))
    if "doc_no" not in rows.columns:
        rows = rows.with_columns(doc_no=pl.int_range(pl.len())).with_columns(
            doc_no=pl.col("doc_no").min().over("doc_id"))
    # documents in input order, each one's mentions in text order (a build's batches are
    # consecutive runs of the input, so the concatenation of its files is in that order)
    rows = rows.sort(["doc_no", "start", "end", "timex_start", "text", "value"])
    out = rows.with_columns(
        mention_id=pl.Series([hashlib.sha1(k.encode("utf-8")).hexdigest()[:16]
                              for k in rows["key"].to_list()], dtype=pl.String),
        quantities=pl.col("quantities").list.eval(
            pl.element().struct.field("value").cast(pl.String) + " "
            + pl.element().struct.field("noun")),
        copy_of=pl.col("doc_id").replace_strict(dict(original), default=None,
                                                return_dtype=pl.String)
        if original else pl.lit(None, dtype=pl.String))
    return out.select([pl.col(name).cast(dtype) for name, dtype in MENTIONS_SCHEMA.items()])
