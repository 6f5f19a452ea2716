"""The files an earlier build wrote, recognised so that they are never read as articles.

`timeline build c -o c/run1` then `timeline build c -o c/run2` must not read
``run1``'s ``mentions.csv`` and ``timeline.html`` as documents of the corpus (each
row of mentions.csv would be one more "article"). A file is taken for a build's
output when it bears a build output's name and its first bytes are those this
program writes there (the CSV header, the first JSON key, the Parquet columns, the
page's head), so an article that merely has such a name is still read.
"""

from __future__ import annotations

from pathlib import Path

from timeline.corpus.opening import NotReadable, open_regular

#: Every file a build writes into its output folder (the build removes those it does
#: not produce this time, as stale; a later build never reads them as articles).
BUILD_FILES = ("chronology.parquet", "chronology.csv", "chronology.jsonl", "chronology.md",
               "mentions.parquet", "mentions.csv", "ingest_report.json", "timeline.html",
               "timeline-data")

#: Bytes read from the start of a file to recognise it.
_HEAD_BYTES = 64 * 1024

#: What each text output starts with (or holds in its head: the page).
_TEXT_SIGNS = {
    "chronology.csv": (b"event_id,earliest,latest,value,granularity,summary,",),
    "mentions.csv": (b"mention_id,event_id,doc_id,start,end,text,",),
    "chronology.jsonl": (b'{"event_id":',),
    "timeline.html": (b"<!DOCTYPE html>", b'http-equiv="Content-Security-Policy"',
                      b'id="timeline-chart"'),
}
#: Columns each Parquet output holds.
_PARQUET_COLUMNS = {
    "chronology.parquet": {"event_id", "earliest", "latest", "n_mentions", "mentions"},
    "mentions.parquet": {"mention_id", "event_id", "doc_id", "timex", "timex_start"},
}

#: Why such a file is not read (the ingest report lists it as ignored).
REASON = "written by an earlier `timeline build` (its output): not an article"


def is_build_output(path: Path, *, follow: bool = False) -> bool:
    """Whether ``path`` is a file an earlier build wrote (see the module docstring)."""
    name = path.name
    if name not in _TEXT_SIGNS and name not in _PARQUET_COLUMNS:
        return False
    try:
        with open_regular(path, follow=follow) as handle:
            if name in _PARQUET_COLUMNS:
                return _parquet_columns(handle) >= _PARQUET_COLUMNS[name]
            head = handle.read(_HEAD_BYTES)
    except (NotReadable, OSError):
        return False
    signs = _TEXT_SIGNS[name]
    return head.startswith(signs[0]) and all(sign in head for sign in signs[1:])


def _parquet_columns(handle: object) -> set[str]:
    # Lazy: pyarrow.parquet takes ~0.4 s to import; only a Parquet input needs it.
    import pyarrow.parquet as pq

    try:
        return set(pq.ParquetFile(handle).schema_arrow.names)
    except Exception:  # pyarrow raises many kinds for a file that is not Parquet
        return set()
