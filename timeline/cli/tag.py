"""`timeline tag [FILE]`: JSON Lines of documents in, TIMEX3 expressions out."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from timeline.cli.common import add_date_order_argument, add_workers_argument, workers
from timeline.errors import EXIT_OK, EXIT_PARTIAL, UsageError
from timeline.pipeline.lines import tag_lines

#: What a line must hold, said in every error about the input.
EXPECTED = 'one JSON object per line: {"id", "text", "published", "lang"}'
#: How to call it, said when it is called on a terminal with nothing to read.
USAGE = ("nothing to read: give a JSON Lines file (timeline tag docs.jsonl) or pipe one in "
         "(cat docs.jsonl | timeline tag -), " + EXPECTED + "; a folder, CSV or Parquet "
         "corpus is read by timeline build CORPUS -o DIR")
#: Suffixes of tables: `timeline build` reads them, `timeline tag` does not.
TABLE_SUFFIXES = (".csv", ".tsv", ".parquet", ".xlsx", ".xls")


def _not_json_lines(source: str, first: bytes | str) -> UsageError | None:
    """An error when the first line of the input is a table's header row (CSV, TSV), so
    that a table gets one error rather than one per row; other bad lines get their own
    output line with its error, as the format says."""
    line = (first.encode("utf-8", "replace") if isinstance(first, str) else first).strip()
    if not line or line.startswith((b"{", b"[", b'"')) or not any(
            sep in line for sep in (b",", b"\t", b";")):
        return None
    shown = line[:60].decode("utf-8", "replace")
    return UsageError(f"{source}: a table (its first line is {shown!r}), not JSON Lines; "
                      f"timeline tag reads {EXPECTED}; a CSV or Parquet corpus is read by "
                      "timeline build FILE -o DIR")


def _lines(handle: Any, source: str) -> Iterator[bytes | str]:
    """The input's lines, once its first non-blank line has been checked."""
    iterator = iter(handle)
    head: list[bytes | str] = []
    for raw in iterator:
        head.append(raw)
        if raw.strip():
            problem = _not_json_lines(source, raw)
            if problem is not None:
                raise problem
            break
    yield from head
    yield from iterator


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", nargs="?", default="-",
                        help="JSON Lines file, or - for stdin (default)")
    add_date_order_argument(parser)
    add_workers_argument(parser)


def run(args: argparse.Namespace) -> int:
    fix = "give a JSON Lines file, or - for standard input"
    source = "standard input" if args.path == "-" else args.path
    count = workers(args)
    out = getattr(sys.stdout, "buffer", sys.stdout)
    if args.path == "-":
        if sys.stdin.isatty():  # nothing piped in: say how, rather than wait in silence
            raise UsageError(USAGE)
        # bytes that are not UTF-8 are that line's problem (decoded with U+FFFD)
        stdin = getattr(sys.stdin, "buffer", sys.stdin)
        n_docs, n_errors, first = tag_lines(_lines(stdin, source), out,
                                            date_order=args.date_order, workers=count)
    else:
        if os.path.isdir(args.path):
            raise UsageError(f"{args.path}: is a folder, not a JSON Lines file; {fix} "
                             "(a folder of articles is read by timeline build FOLDER -o DIR)")
        if Path(args.path).suffix.lower() in TABLE_SUFFIXES:
            raise UsageError(f"{args.path}: a table, not JSON Lines; timeline tag reads "
                             f"{EXPECTED}; a CSV or Parquet corpus is read by timeline build "
                             f"{args.path} -o DIR")
        try:
            handle = open(args.path, "rb")
        except FileNotFoundError:
            raise UsageError(f"{args.path}: no such file; {fix}") from None
        except OSError as exc:
            raise UsageError(f"{args.path}: cannot be read ({exc.strerror or exc}); "
                             f"{fix}") from None
        with handle:
            n_docs, n_errors, first = tag_lines(_lines(handle, source), out,
                                                date_order=args.date_order, workers=count)
    if n_docs == 0:
        raise UsageError(f"{source}: no documents; expected {EXPECTED}")
    if n_errors == n_docs:
        raise UsageError(f"{source}: no line could be tagged ({first}); expected {EXPECTED}")
    if n_errors:
        print(f"timeline tag: {n_docs} documents, {n_errors} with errors (first: {first})",
              file=sys.stderr)
        return EXIT_PARTIAL
    return EXIT_OK
