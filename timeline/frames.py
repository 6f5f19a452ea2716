"""The schemas of the frames the pipeline writes and reads, each defined once.

Polars frames cross stages and land on disk (Parquet, CSV); readers and writers
take their column names and types from here, so a column cannot be spelt two ways.

>>> list(CORPUS_SCHEMA)[:3]
['id', 'input', 'source']
"""

from __future__ import annotations

import polars as pl

#: :meth:`timeline.corpus.Corpus.frame`: one row per document.
CORPUS_SCHEMA = pl.Schema({  # type: ignore[arg-type]  # polars' stubs
    "id": pl.String,                    # document id (manifest, id column, or content hash)
    "input": pl.String,                 # file, or file:line N / file:row N, it came from
    "source": pl.String,
    "url": pl.String,
    "title": pl.String,
    "lang": pl.String,                  # ISO 639-1 ('und' when no letters)
    "lang_detected": pl.Boolean,        # True when detected rather than given
    "published": pl.String,             # ISO 8601 at the precision known, offset kept
    "published_date": pl.Date,          # the calendar day as the source states it
    "published_utc": pl.Datetime("us", "UTC"),  # the instant; null without time and zone
    "published_inferred": pl.Boolean,   # True when inferred from the text
    "published_confidence": pl.Float64,  # 1.0 from metadata; lower when inferred
    "published_basis": pl.String,       # metadata, HTML markup, dateline, ...
    "n_chars": pl.Int64,
    "text": pl.String,
})

#: Schema of the chronology frame (docs/conventions.md).
MENTION_STRUCT = pl.Struct({
    "doc_id": pl.String, "start": pl.Int64, "end": pl.Int64, "text": pl.String,
    "timex": pl.String, "source": pl.String, "lang": pl.String, "role": pl.String,
    "published": pl.Date, "url": pl.String, "title": pl.String, "copy_of": pl.String,
    "tells": pl.String,
})
CHRONOLOGY_SCHEMA = pl.Schema({  # type: ignore[arg-type]
    "event_id": pl.String, "earliest": pl.Date, "latest": pl.Date, "value": pl.String,
    "granularity": pl.String, "summary": pl.String, "n_mentions": pl.Int64,
    "n_sources": pl.Int64, "sources": pl.List(pl.String), "languages": pl.List(pl.String),
    "conflict": pl.Boolean, "conflicts": pl.List(pl.String), "mentions": pl.List(MENTION_STRUCT),
    "n_reports": pl.Int64,
    # canonical names of the gazetteers its mentions name, the most named first
    "places": pl.List(pl.String), "actors": pl.List(pl.String),
    "headline": pl.String, "rank": pl.Int64,
})
#: Schema of mentions.parquet: every event mention, with the entry it was merged into.
MENTIONS_SCHEMA = pl.Schema({  # type: ignore[arg-type]
    "mention_id": pl.String, "event_id": pl.String, "doc_id": pl.String, "start": pl.Int64,
    "end": pl.Int64, "text": pl.String, "timex": pl.String, "timex_start": pl.Int64,
    "timex_end": pl.Int64, "value": pl.String, "earliest": pl.Date, "latest": pl.Date,
    "granularity": pl.String, "role": pl.String, "anchor": pl.String, "source": pl.String,
    "lang": pl.String, "published": pl.Date, "actors": pl.List(pl.String),
    "places": pl.List(pl.String), "quantities": pl.List(pl.String),
    "event_words": pl.List(pl.String), "names": pl.List(pl.String), "attribution": pl.String,
    "url": pl.String, "title": pl.String,
    "participants": pl.List(pl.String), "copy_of": pl.String, "kinds": pl.List(pl.String),
    "tells": pl.String,
})
#: A count in a mentions file of a build.
QUANTITY_STRUCT = pl.Struct({"value": pl.Int64, "noun": pl.String, "text": pl.String})
#: Mentions as rows, as a build writes them to its partitioned mentions files
#: (timeline.pipeline.tasks): the fields of EventMention (lists for its tuples), then
#: the days the merge compares (epoch days): the mention's own interval, the interval
#: it is compared over (the days a report may be about) and its bucket level.
MENTION_ROWS_SCHEMA = pl.Schema({  # type: ignore[arg-type]
    "doc_id": pl.String, "start": pl.Int64, "end": pl.Int64, "text": pl.String,
    "timex": pl.String, "timex_start": pl.Int64, "timex_end": pl.Int64, "value": pl.String,
    "earliest": pl.Date, "latest": pl.Date, "granularity": pl.String,
    "role": pl.String, "anchor": pl.String, "lang": pl.String, "source": pl.String,
    "published": pl.Date, "actors": pl.List(pl.String), "places": pl.List(pl.String),
    "quantities": pl.List(QUANTITY_STRUCT), "event_words": pl.List(pl.String),
    "names": pl.List(pl.String), "attribution": pl.String, "url": pl.String,
    "title": pl.String, "participants": pl.List(pl.String), "kinds": pl.List(pl.String),
    "tells": pl.String, "sentence": pl.String,
    "own_lo": pl.Int32, "own_hi": pl.Int32, "lo": pl.Int32, "hi": pl.Int32, "level": pl.Int8,
})
