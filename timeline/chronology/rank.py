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

The reports of a day are counted from a sketch kept per entry and per day (its
:data:`SKETCH` smallest report hashes, :func:`day_sketches`): exact for days told by
fewer than :data:`SKETCH` reports, a close estimate above, in a few bytes per day
whatever the coverage; the sketches of a day told in parts unite exactly
(:func:`united_sketches`), so a chronology merged by time blocks ranks as one
merged at once.

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


def day_sketches(entries: pl.DataFrame) -> pl.DataFrame:
    """(earliest, report_sketch, later_sketch): per day, the sketches of the reports of
    the entries of that one day (the SKETCH smallest hashes of their union). The
    sketches of a day's entries told in parts (time blocks) are united by
    :func:`united_sketches` into those of all of them."""
    one_day = entries.filter(pl.col("earliest") == pl.col("latest"))
    return united_sketches(one_day.select("earliest", "report_sketch", "later_sketch"))


def united_sketches(days: pl.DataFrame) -> pl.DataFrame:
    """Sketches per day (:func:`day_sketches`), rows of one day united: the SKETCH
    smallest hashes of the union are among the SKETCH smallest of its parts."""
    def union(column: str) -> pl.Expr:
        return pl.col(column).explode().drop_nulls().unique().sort().head(SKETCH)

    return days.group_by("earliest").agg(report_sketch=union("report_sketch"),
                                         later_sketch=union("later_sketch"))


def _distinct(sketch: pl.Series) -> list[int | float]:
    """Per sketch (the SKETCH smallest hashes of a set), the number of distinct values of
    the set: exact below SKETCH, else the k-minimum-values estimate."""
    return [len(values) if len(values) < SKETCH
            else float((SKETCH - 1) / ((int(values[SKETCH - 1]) + 1) / 2.0**64))
            for values in sketch.to_list()]


def ranks(entries: pl.DataFrame, days: pl.DataFrame) -> pl.Series:
    """The rank (1 = most important) of each entry, in the order given. ``entries``
    holds every entry of the chronology with its evidence (:func:`rank_evidence`:
    ``score``, ``first_report``), its dates ``earliest`` and ``latest``, and its id as
    a number, ``event_hash`` (its order is that of the ids' text); ``days`` the
    sketches of the reports of each day's one-day entries (:func:`day_sketches`)."""
    if entries.height == 0:
        return pl.Series("rank", [], dtype=pl.Int64)
    first = entries["first_report"].min()

    def weight(day: pl.Expr) -> pl.Expr:
        background = ((pl.lit(first) - day).dt.total_days() > BACKGROUND_DAYS
                      if first is not None else pl.lit(False))
        return pl.when(background.fill_null(False)).then(BACKGROUND_WEIGHT).otherwise(1.0)

    day_score = days.select("earliest", day_score=pl.Series([
        w * (reports + LATER_WEIGHT * later) for w, reports, later in zip(
            days.select(weight(pl.col("earliest")))[:, 0].to_list(),
            _distinct(days["report_sketch"]), _distinct(days["later_sketch"]), strict=True)],
        dtype=pl.Float64))
    scored = entries.select(
        "earliest", "event_hash",
        score=pl.col("score").fill_null(0.0) * weight(pl.col("latest")),
        # an entry of one day shares it with the day's other entries; a longer one stands alone
        day=(pl.col("earliest") == pl.col("latest")).fill_null(False)).with_row_index("i")
    scored = (scored.join(day_score, on="earliest", how="left")
              .with_columns(key_score=pl.when(pl.col("day")).then(pl.col("day_score"))
                            .otherwise(pl.col("score")))
              .sort(["score", "event_hash"], descending=[True, False])
              .with_columns(within=pl.when(pl.col("day"))
                            .then(pl.int_range(pl.len()).over("day", "earliest"))
                            .otherwise(0)))
    order = scored.sort(["within", "key_score", "earliest", "event_hash"],
                        descending=[False, True, False, False])
    position = pl.Series(range(1, entries.height + 1), dtype=pl.Int64)
    return order.select("i").with_columns(rank=position).sort("i")["rank"]
