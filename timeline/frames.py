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
