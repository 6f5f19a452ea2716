"""Per-document limits, and the warning that reports what a stage dropped.

Every stage is linear in its input; these limits bound what one hostile or
broken document can cost (memory above all), far above what news holds. Each
one truncates or skips *with a warning*: the ingest report says which document
lost what, so nothing is dropped silently. The values are written into
``ingest_report.json`` (``limits``) so that a reader knows what applied.

Inside the engine, a stage that drops part of a document (one expression whose
value is out of the calendar's range, the expressions past
:data:`MAX_EXPRESSIONS`, a sentence cut at :data:`MAX_SENTENCE_CHARS`) says so
with :func:`warn`; whoever runs the stage on a document collects the warnings
with :func:`collected` and files them under that document.

>>> with collected() as notes:
...     warn("an expression was dropped")
>>> notes
['an expression was dropped']
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager

#: Characters of one document's text; a longer text is cut (at a line break or
#: space near the limit) and the report says so. News articles hold 2-50 thousand;
#: at this size a document takes about a minute to build.
MAX_DOCUMENT_CHARS = 16_000_000
#: Bytes read from one file of text or HTML, or one line of JSON Lines: enough for
#: MAX_DOCUMENT_CHARS in any encoding with some markup; the rest is not read.
MAX_INPUT_BYTES = 4 * MAX_DOCUMENT_CHARS
#: Bytes of one HTML page handed to the main-text extractor after scripts, styles
#: and comments are stripped (its tree heuristics grow faster than the page).
MAX_HTML_BYTES = 4_000_000
#: Bytes of the pages a Parquet file's reader holds at once (one per column of a row
#: group) once decompressed: the headers say, before anything is decompressed; a
#: file past it (a decompression bomb: a 10 KB file of 300 MB pages) is not read.
#: Tables of news written with the usual page sizes hold a few MB per page.
MAX_PARQUET_PAGE_BYTES = 256 * 1024 * 1024
#: Temporal expressions in one document: once a document has given this many,
#: the rest of its text is not tagged (checked at each 200,000-character piece
#: the tagger reads; the report gives the offset). News holds a few dozen.
MAX_EXPRESSIONS = 200_000
#: Characters of one sentence: a longer run without a sentence end (a table, a
#: list of dates, junk) is cut into pieces at spaces, so that the evidence of a
#: mention and the work per date stay bounded.
MAX_SENTENCE_CHARS = 2_000

LIMITS = {
    "document_chars": MAX_DOCUMENT_CHARS,
    "input_bytes": MAX_INPUT_BYTES,
    "html_bytes": MAX_HTML_BYTES,
    "parquet_page_bytes": MAX_PARQUET_PAGE_BYTES,
    "expressions": MAX_EXPRESSIONS,
    "sentence_chars": MAX_SENTENCE_CHARS,
}


class InputWarning(UserWarning):
    """Part of one document's input was dropped or changed; the message says what."""


def warn(message: str) -> None:
    """Report that part of the current document was dropped or changed."""
    warnings.warn(message, InputWarning, stacklevel=2)


@contextmanager
def collected() -> Iterator[list[str]]:
    """Collect the :class:`InputWarning` messages raised inside the block (others pass on)."""
    notes: list[str] = []
    others: list[warnings.WarningMessage] = []
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", InputWarning)
            try:
                yield notes
            finally:
                for item in caught:
                    if issubclass(item.category, InputWarning):
                        notes.append(str(item.message))
                    else:
                        others.append(item)
    finally:
        for item in others:  # not ours: on to whoever listens outside
            warnings.warn_explicit(item.message, item.category, item.filename, item.lineno,
                                   source=item.source)
