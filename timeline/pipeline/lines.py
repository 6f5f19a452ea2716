"""`timeline tag`: JSON Lines of documents in, one line of expressions per document out.

Lines are read and written as bytes and parsed with orjson, which reads and
writes JSON several times faster than the standard library (at 2,000 documents
a second, the standard library's parsing and writing cost as much as a tenth of
the tagging). What orjson refuses (a lone surrogate escape, ``NaN``, an integer
beyond 64 bits) is read again by the standard library, so a line is accepted,
or fails with the same message, as before.

Batches of lines are tagged in worker processes (:func:`timeline.pipeline.pool.ordered_map`)
and written in input order: the output is the same whatever the number of workers.
A short input is tagged in this process, without starting any.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import IO, Any

from timeline import jsonio
from timeline.characters import sanitise
from timeline.corpus.columns import COMMON_NAMES
from timeline.lang import FALLBACK_NOTE, load_language
from timeline.limits import collected
from timeline.pipeline.pool import ordered_map
from timeline.temporal import prefilter, tag_reading

#: Lines per batch handed to a worker, and bytes: whichever comes first.
BATCH_LINES = 256
BATCH_BYTES = 1 << 20


@dataclass(frozen=True, slots=True)
class TaggedBatch:
    """The output lines of a batch, and its counts."""

    output: bytes
    n_docs: int
    n_errors: int
    first_error: str


def dumps_line(record: dict[str, Any]) -> bytes:
    """One JSON line, UTF-8; a lone surrogate (in an id, say) becomes U+FFFD."""
    return jsonio.dumps(record) + b"\n"


def field(doc: dict[str, Any], name: str) -> Any:
    """A document's field by the names `timeline build` reads it under
    (:data:`~timeline.corpus.columns.COMMON_NAMES`: ``published``, ``date``, ``pubdate`` ...,
    case-insensitively), the first present and not empty; None when none is.

    >>> field({"Date": "2016-08-09", "text": "..."}, "published")
    '2016-08-09'
    """
    folded: dict[str, Any] = {}
    for key, value in doc.items():
        if value is not None and value != "":
            folded.setdefault(str(key).strip().casefold(), value)
    for candidate in COMMON_NAMES[name]:
        if candidate in folded:
            return folded[candidate]
    return None


def tag_batch(batch: tuple[str, list[tuple[int, bytes | str]]]) -> TaggedBatch:
    """Tag ``(line number, line)`` pairs; one output line per non-blank input line."""
    date_order, lines = batch
    out: list[bytes] = []
    n_docs = n_errors = 0
    first_error = ""
    for line_no, raw in lines:
        line = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
        if not line.strip():
            continue
        n_docs += 1
        doc_id = None
        try:
            doc = jsonio.loads(line)
            if not isinstance(doc, dict):
                raise ValueError("line is not a JSON object")
            doc_id = field(doc, "id")
            text = field(doc, "text")
            if not isinstance(text, str):
                raise ValueError("missing or non-string 'text' (or content, body, ...)")
            # one for one, so offsets into the given text keep their meaning
            text = sanitise(text)[0]
            with collected() as notes:
                timexes, code, read_by = tag_reading(
                    text, published=field(doc, "published"),
                    lang=field(doc, "lang"), date_order=date_order)
            if read_by == "dateparser":
                notes.insert(0, f"lang {code!r}: {FALLBACK_NOTE}")
            record: dict[str, Any] = {"id": doc_id, "timexes": [t.to_dict() for t in timexes]}
            if notes:
                record["warnings"] = notes
        except Exception as exc:  # a bad line gets its error; the run goes on
            n_errors += 1
            error = f"line {line_no}: {exc}"
            record = {"id": doc_id if doc_id is not None else f"line:{line_no}",
                      "timexes": [], "error": error}
            first_error = first_error or error
        out.append(dumps_line(record))
    return TaggedBatch(b"".join(out), n_docs, n_errors, first_error)


def _batches(lines: Iterable[bytes | str], date_order: str
             ) -> Iterator[tuple[str, list[tuple[int, bytes | str]]]]:
    numbered = enumerate(lines, 1)
    while True:
        batch: list[tuple[int, bytes | str]] = []
        size = 0
        for line_no, line in numbered:
            batch.append((line_no, line))
            size += len(line)
            if len(batch) >= BATCH_LINES or size >= BATCH_BYTES:
                break
        if not batch:
            return
        yield date_order, batch


def warm_rules(languages: tuple[str, ...] = ("id", "en")) -> None:
    """Load the rules (and their compiled automata) before the first batch."""
    for code in languages:
        language = load_language(code)
        if language is not None:
            prefilter.for_language(language)


def tag_lines(lines: Iterable[bytes | str], out: IO[bytes] | IO[str], *, date_order: str,
              workers: int = 1) -> tuple[int, int, str]:
    """Tag JSON Lines documents, one output line per input line, in order.

    Returns (documents, errors, first error)."""
    batches = _batches(lines, date_order)
    head = list(islice(batches, workers))
    if len(head) < workers:  # all of it fits in fewer batches than workers: no processes
        workers = 1
    binary = not hasattr(out, "encoding")
    n_docs = n_errors = 0
    first = ""
    for result in ordered_map(tag_batch, _chain(head, batches), workers=workers,
                              initializer=warm_rules if workers > 1 else None):
        out.write(result.output if binary else result.output.decode("utf-8"))  # type: ignore[arg-type]
        n_docs += result.n_docs
        n_errors += result.n_errors
        first = first or result.first_error
    return n_docs, n_errors, first


def _chain(head: list[Any], rest: Iterator[Any]) -> Iterator[Any]:
    yield from head
    yield from rest
