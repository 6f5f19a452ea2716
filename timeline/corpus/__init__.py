"""Documents come in: corpus ingestion with publication context.

>>> from timeline.corpus import load_corpus
>>> corpus = load_corpus(["fixtures/seeds", "more.jsonl"])  # doctest: +SKIP
>>> corpus.documents[0].published, corpus.report.summary()  # doctest: +SKIP

Inputs, mixed freely: folders of ``.txt`` and ``.html`` files (recursively) with an
optional sidecar ``manifest.csv``/``manifest.jsonl``; JSON Lines, CSV and Parquet
tables with one article per row. See :mod:`timeline.corpus.report` for the report
format and :data:`timeline.frames.CORPUS_SCHEMA` for :meth:`Corpus.frame`.

Modules, in pipeline order: ``discovery`` (which files are inputs: folders,
manifests, symbolic links and exclusions), ``opening`` (regular files only),
``formats`` (each format to raw articles, with ``decode`` for bytes and
``columns`` for table columns), ``published`` (the one parser of publication
dates), ``load`` (dedup, ids, documents; ``stream`` does the same in batches),
``copies`` (near copies), ``report``. Dates missing from the metadata are
inferred from the text by the temporal stage (:mod:`timeline.temporal.publication`),
which :func:`timeline.load_corpus` hands to :func:`load_corpus`; this stage calls
no later one.
"""

from timeline.corpus.columns import COMMON_NAMES
from timeline.corpus.formats import JSONL_SUFFIXES
from timeline.corpus.load import Corpus, DateInference, load_corpus
from timeline.corpus.published import parse_published
from timeline.corpus.report import IngestReport, ReportEntry
from timeline.lang.detect import detect_language

__all__ = [
    "COMMON_NAMES",
    "Corpus",
    "DateInference",
    "IngestReport",
    "JSONL_SUFFIXES",
    "ReportEntry",
    "detect_language",
    "load_corpus",
    "parse_published",
]
