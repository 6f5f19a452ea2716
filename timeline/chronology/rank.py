"""Key events: a ``rank`` for every entry of the chronology (1 = the most important).

An event is important when independent sources bear it out. Its evidence, counted
over its mentions (:func:`rank_evidence`):

- ``reports``: independent reports (a document and its near copies count once);
- ``outlets``: distinct outlets beyond the first;
- ``later``: independent reports published :data:`LOOK_BACK_DAYS` days or more
  after its date: later articles looking back to it (retrospectives, chronology
  boxes, "since the strikes began on 19 March"), each worth :data:`LATER_WEIGHT`;

weighed by the **precision** of its date: a day (or a time) counts whole, a week
:data:`WEEK_PRECISION`, a month :data:`MONTH_PRECISION`, longer
:data:`LONG_PRECISION`; an entry placed only by reports (it happened on or
before) :data:`REPORTED_PRECISION` of that. A happening more than
:data:`BACKGROUND_DAYS` days before the corpus's first report is background the
articles recall (a birth, an old war): its score counts :data:`BACKGROUND_WEIGHT`.

Ranks are given over the whole chronology (:func:`ranks`), one key day at a time.
A day's evidence is that of all its entries together, counted by document: the
independent reports that tell any happening of that day, and the later ones
looking back to it (a happening told in different words by different outlets may
still be several entries; one long page listing many happenings of a day is one
report). The best entry of each day comes first, days in the order of their
evidence, then the second best of each day, and so on; an entry longer than a day
stands alone, with its own score. So ranks 1 to N are the best events of the N
best-attested days, not N wordings of one day's happening. Ties go to the earlier
date, then the event id: ranks do not depend on the order the corpus came in.

The reports of a day are counted from a sketch kept per entry (its
:data:`SKETCH` smallest report hashes): exact for days told by fewer than
:data:`SKETCH` reports, a close estimate above, in a few bytes per entry whatever
the coverage.

>>> import polars as pl
>>> from datetime import date
>>> frame = pl.DataFrame({"cluster": [0, 0, 1], "group": ["a", "b", "c"],
...     "outlet": ["X", "Y", "Z"], "role": ["occurred"] * 3,
...     "published": [date(2011, 3, 20), date(2011, 4, 1), date(2011, 3, 20)],
...     "latest": [date(2011, 3, 19)] * 3, "own_lo": [0, 0, 0], "own_hi": [0, 0, 0]},
...     schema_overrides={"cluster": pl.UInt32})
>>> rank_evidence(frame).sort("cluster")["score"].to_list()
[5.0, 1.0]
"""

from __future__ import annotations

import polars as pl

#: A report published this many days after the date it tells looks back to it.
LOOK_BACK_DAYS = 2
#: Weight of a later report looking back, against one report.
LATER_WEIGHT = 2.0
#: Precision of a date by the span of its finest statement: a day or less counts
#: whole; up to a week WEEK_PRECISION; up to a month MONTH_PRECISION; longer
#: LONG_PRECISION.
WEEK_PRECISION = 0.5
MONTH_PRECISION = 0.25
LONG_PRECISION = 0.1
#: Precision of an entry that only reports date (the fact happened on or before).
REPORTED_PRECISION = 0.5
#: A happening this many days before the corpus's first report is background.
BACKGROUND_DAYS = 365
BACKGROUND_WEIGHT = 0.1
#: Report hashes kept per entry to count a day's reports by document.
SKETCH = 16
#: Seed of the report hashes (polars' hash: the same on every run of an install).
SEED = 20161111


def rank_evidence(frame: pl.DataFrame) -> pl.DataFrame:
    """(cluster, score, first_report, report_sketch, later_sketch) of every cluster of
    mention rows (with ``cluster``, ``group``, ``outlet``, ``role``, ``published``,
    ``latest``, ``own_lo`` and ``own_hi``): the score before the background weight,
    the day of its first report, and the sketches of its reports and later ones."""
    if frame.height == 0:
        return pl.DataFrame(schema={"cluster": pl.UInt32, "score": pl.Float64,
                                    "first_report": pl.Date,
                                    "report_sketch": pl.List(pl.UInt64),
                                    "later_sketch": pl.List(pl.UInt64)})
    later = (pl.col("published") - pl.col("latest")).dt.total_days() >= LOOK_BACK_DAYS
    span = pl.col("own_hi") - pl.col("own_lo") + 1
    occurred = pl.col("role") == "occurred"
    hashed = pl.col("group").hash(seed=SEED)
    evidence = frame.group_by("cluster").agg(
        reports=pl.col("group").n_unique(),
        report_sketch=hashed.unique().sort().head(SKETCH),
        later_sketch=hashed.filter(later.fill_null(False)).unique().sort().head(SKETCH),
        outlets=pl.col("outlet").n_unique(),
        later=pl.col("group").filter(later.fill_null(False)).n_unique(),
        finest=span.filter(occurred).min(),
        reported_span=span.min(),
        first_report=pl.col("published").min())
    precision = (pl.when(pl.col("finest").is_null())
                 .then(REPORTED_PRECISION * _precision(pl.col("reported_span")))
                 .otherwise(_precision(pl.col("finest"))))
    found = pl.col("reports") + (pl.col("outlets") - 1) + LATER_WEIGHT * pl.col("later")
    return evidence.select("cluster", score=(precision * found).cast(pl.Float64),
                           first_report="first_report", report_sketch="report_sketch",
                           later_sketch="later_sketch")


def _precision(span: pl.Expr) -> pl.Expr:
    return (pl.when(span <= 1).then(1.0).when(span <= 7).then(WEEK_PRECISION)
            .when(span <= 31).then(MONTH_PRECISION).otherwise(LONG_PRECISION))


def _distinct(sketches: pl.Series) -> int | float:
    """The number of distinct values of the sets whose sketches (their SKETCH smallest
    hashes) are given: exact below SKETCH, else the k-minimum-values estimate."""
    values = sorted(set(sketches.explode().drop_nulls().to_list()))
    if len(values) < SKETCH:
        return len(values)
    kth = values[SKETCH - 1]
    return float((SKETCH - 1) / ((int(kth) + 1) / 2.0**64))


def ranks(entries: pl.DataFrame) -> pl.Series:
    """The rank (1 = most important) of each entry, in the order given. ``entries``
    holds every entry of the chronology with its evidence (:func:`rank_evidence`),
    its dates ``earliest`` and ``latest``, and ``event_id``."""
    if entries.height == 0:
        return pl.Series("rank", [], dtype=pl.Int64)
    first = entries["first_report"].min()
    background = ((pl.lit(first) - pl.col("latest")).dt.total_days() > BACKGROUND_DAYS
                  if first is not None else pl.lit(False))
    scored = entries.with_row_index("i").with_columns(
        weight=pl.when(background.fill_null(False)).then(BACKGROUND_WEIGHT).otherwise(1.0),
        day=pl.col("earliest") == pl.col("latest"))
    scored = scored.with_columns(
        score=pl.col("score").fill_null(0.0) * pl.col("weight"),
        # an entry of one day shares it with the day's other entries; a longer one stands alone
        key=pl.when(pl.col("day")).then(pl.col("earliest").cast(pl.String))
        .otherwise(pl.col("event_id")))
    days = (scored.filter(pl.col("day")).group_by("key")
            .agg(pl.col("report_sketch"), pl.col("later_sketch"), pl.col("weight").first()))
    day_score = pl.DataFrame({
        "key": days["key"],
        "key_score": [w * (_distinct(r) + LATER_WEIGHT * _distinct(lt)) for r, lt, w in zip(
            days["report_sketch"], days["later_sketch"], days["weight"], strict=True)]},
        schema={"key": pl.String, "key_score": pl.Float64})
    scored = (scored.join(day_score, on="key", how="left")
              .with_columns(key_score=pl.coalesce("key_score", "score"))
              .sort(["key", "score", "event_id"], descending=[False, True, False])
              .with_columns(within=pl.int_range(pl.len()).over("key")))
    order = scored.sort(["within", "key_score", "earliest", "event_id"],
                        descending=[False, True, False, False])
    position = pl.Series(range(1, entries.height + 1), dtype=pl.Int64)
    return order.select("i").with_columns(rank=position).sort("i")["rank"]
