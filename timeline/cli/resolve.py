"""`timeline resolve EXPRESSION`: one expression's value (or its whole TIMEX3)."""

from __future__ import annotations

import argparse
import json
import sys

from timeline.cli.common import add_date_order_argument, check_lang
from timeline.errors import EXIT_OK, EXIT_PARTIAL, UsageError
from timeline.limits import collected
from timeline.temporal import publication_date, resolve


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("expression")
    parser.add_argument("--published", help="publication date or datetime (ISO 8601, or a "
                        "numeric date in --date-order)")
    parser.add_argument("--lang", help="language code (id, en, ...); detected when absent")
    parser.add_argument("--json", action="store_true", help="print the whole TIMEX3 as JSON")
    add_date_order_argument(parser)


def run(args: argparse.Namespace) -> int:
    lang = check_lang(args.lang)
    try:
        published = publication_date(args.published, args.date_order)
    except ValueError as exc:
        raise UsageError(f"--published {args.published!r}: {exc}; give an ISO 8601 date "
                         "such as 2016-08-09 (other forms are read in --date-order)") from None
    with collected() as notes:
        timex = resolve(args.expression, published=published, lang=lang)
    for note in dict.fromkeys(notes):  # each language's reading may drop the same one
        print(f"timeline resolve: warning: {note}", file=sys.stderr)
    if timex is None:
        print(f"timeline resolve: no temporal expression in {args.expression!r}", file=sys.stderr)
        return EXIT_PARTIAL
    if args.json:
        print(json.dumps(timex.to_dict(), ensure_ascii=False))
    else:
        print(timex.value)
    return EXIT_OK
