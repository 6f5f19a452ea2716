"""`timeline tag [FILE]`: JSON Lines of documents in, TIMEX3 expressions out."""

from __future__ import annotations

import argparse
import os
import sys

from timeline.cli.common import add_date_order_argument, add_workers_argument, workers
from timeline.errors import EXIT_OK, EXIT_PARTIAL, UsageError
from timeline.pipeline.lines import tag_lines

#: What a line must hold, said in every error about the input.
EXPECTED = 'one JSON object per line: {"id", "text", "published", "lang"}'


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
        # bytes that are not UTF-8 are that line's problem (decoded with U+FFFD)
        stdin = getattr(sys.stdin, "buffer", sys.stdin)
        n_docs, n_errors, first = tag_lines(stdin, out, date_order=args.date_order,
                                            workers=count)
    else:
        if os.path.isdir(args.path):
            raise UsageError(f"{args.path}: is a folder, not a JSON Lines file; {fix}")
        try:
            handle = open(args.path, "rb")
        except FileNotFoundError:
            raise UsageError(f"{args.path}: no such file; {fix}") from None
        except OSError as exc:
            raise UsageError(f"{args.path}: cannot be read ({exc.strerror or exc}); "
                             f"{fix}") from None
        with handle:
            n_docs, n_errors, first = tag_lines(handle, out, date_order=args.date_order,
                                                workers=count)
    if n_docs == 0:
        raise UsageError(f"{source}: no documents; expected {EXPECTED}")
    if n_errors == n_docs:
        raise UsageError(f"{source}: no line could be tagged ({first}); expected {EXPECTED}")
    if n_errors:
        print(f"timeline tag: {n_docs} documents, {n_errors} with errors (first: {first})",
              file=sys.stderr)
        return EXIT_PARTIAL
    return EXIT_OK
