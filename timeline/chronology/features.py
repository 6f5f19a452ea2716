"""Mentions as rows and columns, and the features the merge compares.

A mention's **time** is its interval: granularity is taken into account by the
intervals themselves ("pekan lalu", a week, overlaps every day of that week;
"awal bulan ini" the first ten days of the month). A ``reported`` mention only
says the fact happened on or before the report, so it is compared over the
:data:`REPORT_DAYS` days up to its date; a statement of one day is compared with
the next day's too (:data:`DAY_TOLERANCE`).

Its **content** is a set of canonical features (places, actors, other names,
counts with their noun, who took part, event words, kinds of happening), which
the language data makes the same across Indonesian and English ("Turki"/"Turkish"
-> ``actor:turkey``, "tewas"/"killed" -> ``event:killed``, "troops"/"pasukan" ->
``party:soldier``). Each feature has a weight by its kind (:data:`WEIGHTS`): counts
and places weigh most; a count also gives its noun (``count:soldier``), so that
sources that disagree on a figure still share it; generic actors present in
nearly every statement ("Syria", "the regime", a country) weigh little. What two
statements must share to be compared at all is :func:`qualifies`: an entity (place,
actor, name, count; not a generic one) and either another entity or a happening
(event word, kind); places, actors, names and counts (:data:`BUCKET_KINDS`) key the
buckets candidate pairs come from (:mod:`timeline.chronology.candidates`).

>>> feature_weight("place:idlib"), feature_weight("event:killed")
(2.0, 1.0)
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain
from operator import attrgetter

import numpy as np
import polars as pl

from timeline.corpus.copies import Copies
from timeline.events.vocabulary import load_vocabulary
from timeline.frames import MENTION_ROWS_SCHEMA
from timeline.gazetteers.spelling import sound_key
from timeline.types import EventMention

#: A reported fact happened on or before its report: compare it over this many days.
REPORT_DAYS = 7
#: Statements of one day are also compared with those of the next day: sources and
#: their dates differ by a day (time zones, "yesterday" in a report dated by its
#: publication); such pairs must share more (:data:`~timeline.chronology.similarity.NEXT_DAY_FACTOR`).
DAY_TOLERANCE = 1
#: Feature weights by kind; generic features (the vocabulary's [generic] keys) weigh
#: GENERIC_WEIGHT.
WEIGHTS = {"place": 2.0, "actor": 1.5, "name": 1.5, "qty": 3.0, "count": 1.5, "party": 0.5,
           "event": 1.0, "kind": 1.0}
GENERIC_WEIGHT = 0.3
#: Evidence: who and where (ENTITY_KINDS, not generic), what happened (event words)
#: and its kind (see :func:`qualifies`).
ENTITY_KINDS = frozenset({"place", "actor", "name", "qty"})
#: A feature's evidence, summed over the features two statements share: ENTITY per
#: entity, PLACE more per place, HAPPENING per event word, BROAD per broad kind of
#: happening, KIND per other kind (fields of one integer, so that one sum counts
#: them all).
ENTITY, HAPPENING, BROAD, KIND, PLACE = 1, 1 << 12, 1 << 24, 1 << 36, 1 << 48
#: Kinds too common on a day of a war to tell events apart by themselves: the
#: statements of one day that share only such a kind must share more to be one event.
BROAD_KINDS = frozenset({"violence"})
#: Feature kinds that key the buckets candidate pairs come from (event words alone
#: do not).
BUCKET_KINDS = frozenset({"place", "actor", "name", "qty"})
_STRING_FIELDS = ("doc_id", "text", "timex", "value", "granularity", "role", "lang", "source",
                  "attribution", "url", "title", "tells", "sentence")
_DATE_FIELDS = ("earliest", "latest", "published")
_INT_FIELDS = ("start", "end", "timex_start", "timex_end")
#: Lists of canonical names a mention carries on to its entry (the chronology's columns).
_NAMED = ("places", "actors")
_LIST_FIELDS = {"places": "place", "actors": "actor", "names": "name",
                "participants": "party", "event_words": "event", "kinds": "kind"}


#: Squared weights are summed as integers in units of 1/W2_UNITS: the sum of a pair's
#: shared weights is then exact, whatever order and grouping it is added up in (a
#: merge by time blocks adds the same features in other groups than a merge at once).
W2_UNITS = 400


def weight_units(weight: float) -> int:
    """A squared weight in units of 1/W2_UNITS; the weights must allow it."""
    units = weight * weight * W2_UNITS
    if abs(units - round(units)) > 1e-9:
        raise ValueError(f"feature weight {weight}: its square must be a multiple of "
                         f"1/{W2_UNITS}")
    return round(units)


def feature_weight(feature: str) -> float:
    """The weight of a feature (``kind:name``) in the similarity."""
    if feature in load_vocabulary().generic:
        return GENERIC_WEIGHT
    return WEIGHTS.get(feature.split(":", 1)[0], 1.0)


# --- mentions as columns ------------------------------------------------------------


def name_hash(names: Sequence[str]) -> np.ndarray:
    """Stable 64-bit hashes of strings (the same on every run, machine and version)."""
    return np.array([int.from_bytes(hashlib.blake2b(n.encode("utf-8", "surrogatepass"),
                                                    digest_size=8).digest(), "little")
                     for n in names], dtype=np.uint64)


@dataclass(frozen=True)
class Columns:
    """Mentions as columns: ``frame`` (one row per distinct key; ``m`` = input position),
    ``quantities`` (m, value, noun, qtext), ``features`` (m, fid, distinct) and
    ``table`` (fid in sorted name order: f, w, u, evidence, bucketed, kind, h)."""

    frame: pl.DataFrame
    quantities: pl.DataFrame
    features: pl.DataFrame
    table: pl.DataFrame


def _list_column(name: str, seqs: Sequence[Sequence[str]]) -> pl.Series:
    """A list-of-strings column from Python sequences, built from flat values (fast)."""
    # imported here, not at the top: importing the chronology package (its writers, for
    # `timeline render` and `export`) must not load pyarrow (~0.3 s)
    import pyarrow as pa

    lengths = np.fromiter(map(len, seqs), dtype=np.int64, count=len(seqs))
    offsets = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    values = pa.array(list(chain.from_iterable(seqs)), type=pa.large_string())
    array = pa.LargeListArray.from_arrays(pa.array(offsets), values)
    return pl.Series(name, pl.from_arrow(array)).cast(pl.List(pl.String))


def mention_rows(mentions: Sequence[EventMention]) -> pl.DataFrame:
    """Mentions as rows (:data:`MENTION_ROWS_SCHEMA`), in the order given."""
    import pyarrow as pa  # lazy, as in _list_column

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


def compared_days(own_lo: pl.Expr, own_hi: pl.Expr, role: pl.Expr) -> tuple[pl.Expr, pl.Expr,
                                                                            pl.Expr]:
    """(lo, hi, level): the days a statement is compared over, and the level of its
    buckets' periods. A reported fact happened in the :data:`REPORT_DAYS` days up to
    its report; a statement of one day may be told by a source a day off
    (:data:`DAY_TOLERANCE`: time zones, a report dated by its publication), so it is
    compared with the next day too. The level is that of the statement's own span."""
    lo = pl.when(role == "reported").then(own_lo - (REPORT_DAYS - 1)).otherwise(own_lo)
    hi = pl.when(own_lo == own_hi).then(own_hi + DAY_TOLERANCE).otherwise(own_hi)
    return lo, hi, span_level(own_hi.cast(pl.Int64) - lo + 1)


def with_days(rows: pl.DataFrame) -> pl.DataFrame:
    """Mention rows with the days the merge compares (own_lo, own_hi, lo, hi, level)."""
    rows = rows.with_columns(own_lo=pl.col("earliest").dt.epoch("d").cast(pl.Int32),
                             own_hi=pl.col("latest").dt.epoch("d").cast(pl.Int32))
    lo, hi, level = compared_days(pl.col("own_lo"), pl.col("own_hi"), pl.col("role"))
    return rows.with_columns(lo=lo, hi=hi.cast(pl.Int32), level=level)


#: A mention's key (:attr:`EventMention.key`) from its row: document and offsets.
MENTION_KEY = pl.concat_str([pl.col("doc_id"), pl.col("start").cast(pl.String),
                             pl.col("end").cast(pl.String), pl.col("timex_start").cast(pl.String)],
                            separator=":")


def unique_keys(rows: pl.DataFrame, mentions: Sequence[EventMention] | None = None
                ) -> pl.DataFrame:
    """One row per mention key (document and offsets): the smallest by its whole content."""
    rows = rows.with_columns(key=MENTION_KEY)
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
    return rows.filter(~pl.col("m").is_in(pl.Series(sorted(dropped), dtype=pl.UInt32).implode()))


def frame_columns(rows: pl.DataFrame, generic: frozenset[str] | None = None) -> Columns:
    """Columns of mention rows with distinct keys; ``m`` identifies a row (kept if given).

    ``generic``: the features too common to tell events apart (the gazetteers'
    ``[generic]`` keys; default: those of the default gazetteers)."""
    if "m" not in rows.columns:
        rows = rows.with_row_index("m")
    rows = rows.with_columns(pl.col("m").cast(pl.UInt32))
    if "key" not in rows.columns:
        rows = rows.with_columns(key=MENTION_KEY)
    parts = [rows.select("m", name).explode(name).drop_nulls(name)
             .select("m", f=pl.lit(f"{prefix}:") + (pl.col(name) if name != "names" else
                                                     _name_keys(pl.col(name), rows[name])))
             for name, prefix in _LIST_FIELDS.items()]
    counted = (rows.select("m", "quantities").explode("quantities")
               .drop_nulls("quantities").unnest("quantities"))
    parts.append(counted.select("m", f=pl.lit("qty:") + pl.col("value").cast(pl.String)
                                + pl.lit(" ") + pl.col("noun")))
    parts.append(counted.select("m", f=pl.lit("count:") + pl.col("noun")))
    every = pl.concat(parts).unique()
    names = every["f"].unique().sort().to_list()
    table = _feature_table(names, generic)
    features = (every.join(table.select("f", "fid"), on="f").select("m", "fid")
                .sort("m", "fid"))
    n_features = sum(rows[name].list.len().cast(pl.Int64).fill_null(0)
                     for name, prefix in _LIST_FIELDS.items() if prefix != "kind")
    n_features = n_features + 2 * rows["quantities"].list.len().cast(pl.Int64).fill_null(0)
    frame = rows.select("m", *_STRING_FIELDS, *_INT_FIELDS, *_DATE_FIELDS, "key", *_NAMED,
                        obj=pl.col("m"), n_features=n_features)
    quantities = (counted.select("m", "value", "noun", qtext="text").unique()
                  .sort(["m", "noun", "value", "qtext"]))
    return Columns(frame, quantities, features, table)


def name_key(name: str) -> str:
    """The feature of a name no gazetteer knows: the sound key of its last word (its
    head: "Hosni Mubarak", "Mubarak" and "Moubarak" are one), or of the whole name when
    that word is too short for one; the name itself when it has no key or holds digits.

    >>> name_key("hosni mubarak"), name_key("moubarak"), name_key("muammar al-gaddafi")
    ('mabarak', 'mabarak', 'kadaf')
    """
    if any(c.isdigit() for c in name):
        return name
    words = name.split()
    return (sound_key(words[-1]) if words else "") or sound_key(name) or name


def _name_keys(column: pl.Expr, values: pl.Series) -> pl.Expr:
    """``column`` (names) as their keys (:func:`name_key`), each distinct name keyed once."""
    distinct = values.explode().drop_nulls().unique().to_list()
    return column.replace_strict({n: name_key(n) for n in distinct}, default=column,
                                 return_dtype=pl.String)


def _feature_table(names: list[str], generic: frozenset[str] | None = None) -> pl.DataFrame:
    """One row per distinct feature (``fid`` = position in ``names``): weight, roles, kind."""
    vocab = load_vocabulary()
    generic = vocab.generic if generic is None else generic
    bits = {kind: 1 << i for i, kind in enumerate(sorted(set(vocab.kinds.values())))}
    prefixes = [name.split(":", 1)[0] for name in names]
    weights = [GENERIC_WEIGHT if name in generic else WEIGHTS.get(prefix, 1.0)
               for name, prefix in zip(names, prefixes, strict=True)]
    return pl.DataFrame({
        "f": pl.Series(names, dtype=pl.String),
        "fid": pl.Series(np.arange(len(names), dtype=np.uint32)),
        "w": pl.Series(weights, dtype=pl.Float64),
        "u": pl.Series([weight_units(w) for w in weights], dtype=pl.Int64),
        "evidence": pl.Series([_evidence(name, prefix, generic)
                               for name, prefix in zip(names, prefixes, strict=True)],
                              dtype=pl.Int64),
        # the feature keys buckets of candidate pairs
        "bucketed": pl.Series([prefix in BUCKET_KINDS and name not in generic
                               for name, prefix in zip(names, prefixes, strict=True)],
                              dtype=pl.Boolean),
        # a statement's kinds of happening are features of weight 0: the clustering's
        # constraint, and part of what makes two statements the same
        "kind": pl.Series([_kind_bits(name[len("kind:"):], bits, vocab.also)
                           if prefix == "kind" else 0
                           for name, prefix in zip(names, prefixes, strict=True)],
                          dtype=pl.Int64),
        # the feature pairs the statements of one day without an entity in common
        "day_bucketed": pl.Series([prefix == "kind" for prefix in prefixes],
                                  dtype=pl.Boolean),
        # a place that tells events apart: statements naming only other places are not
        # of one event (a hash bit of it, for clusters)
        "place_bit": pl.Series([1 << (int(name_hash([name])[0]) % 63)
                                if prefix == "place" and name not in generic else 0
                                for name, prefix in zip(names, prefixes, strict=True)],
                               dtype=pl.Int64),
        "h": pl.Series(name_hash(names)),
    })


def _kind_bits(kind: str, bits: dict[str, int], also: dict[str, frozenset[str]]) -> int:
    """The kinds of event a statement with words of ``kind`` may tell of, as bits: its
    own and those its words also tell of (``[event_kinds_also]``: deaths at a protest)."""
    mask = bits.get(kind, 0)
    for other in also.get(kind, ()):
        mask |= bits.get(other, 0)
    return mask


def _evidence(name: str, prefix: str, generic: frozenset[str]) -> int:
    """What a feature counts for when shared (:data:`ENTITY`, :data:`PLACE`,
    :data:`HAPPENING`, :data:`KIND`), 0 for nothing."""
    if prefix in ENTITY_KINDS:
        if name in generic:
            return 0
        return ENTITY + (PLACE if prefix == "place" else 0)
    if prefix == "kind":
        return BROAD if name[len("kind:"):] in BROAD_KINDS else KIND
    return HAPPENING if prefix == "event" else 0


def entities(shared: np.ndarray) -> np.ndarray:
    """The entities (places, actors, names, counts) counted in sums of evidence."""
    counted: np.ndarray = shared % HAPPENING
    return counted


def places(shared: np.ndarray) -> np.ndarray:
    """The places counted in sums of evidence."""
    counted: np.ndarray = shared // PLACE
    return counted


def kinds(shared: np.ndarray) -> np.ndarray:
    """The kinds of happening (broad or not) counted in sums of evidence."""
    counted: np.ndarray = (shared // KIND) % (PLACE // KIND) + (shared // BROAD) % (KIND // BROAD)
    return counted


def happenings(shared: np.ndarray) -> np.ndarray:
    """The event words counted in sums of evidence."""
    counted: np.ndarray = (shared // HAPPENING) % (BROAD // HAPPENING)
    return counted


def one_day_kin(shared: np.ndarray) -> np.ndarray:
    """Whether two statements of one day share what happened: a kind of happening."""
    return kinds(shared) >= 1


def qualifies(shared: np.ndarray, one_day: np.ndarray | bool = False,
              precise: np.ndarray | bool = True) -> np.ndarray:
    """Whether the evidence two statements share is enough to compare them: two
    entities, or, for two statements dated to the day (``precise``), an entity and
    what happened (an event word, a kind); or, for two statements of one same day,
    what happened (:func:`one_day_kin`; what else tells them apart, places and kinds,
    is :func:`~timeline.chronology.similarity.score_pairs`' and the clustering's to
    check). In a month or a year, one actor and a kind of happening are told of many
    happenings: statements so dated need two entities in common."""
    found = entities(shared)
    return (found >= 2) \
        | (precise & (found >= 1) & ((happenings(shared) >= 1) | (kinds(shared) >= 1))) \
        | (one_day & one_day_kin(shared))


def with_provenance(frame: pl.DataFrame, copies: Copies) -> pl.DataFrame:
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


def span_level(span: pl.Expr) -> pl.Expr:
    """The level of a compared interval of ``span`` days, which says the periods of its
    buckets: 0 a day, 1 up to a week (and a report's days), 2 up to a month, 3 longer."""
    return (pl.when(span <= 1).then(0).when(span <= 8).then(1).when(span <= 31).then(2)
            .otherwise(3).cast(pl.Int8))

