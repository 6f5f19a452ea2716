"""Arguments and checks that several subcommands share."""

from __future__ import annotations

import argparse

from timeline.corpus.published import DATE_ORDERS, DEFAULT_DATE_ORDER
from timeline.errors import UsageError
from timeline.lang import language_problem
from timeline.pipeline.pool import available_cores


def check_lang(value: str | None, option: str = "--lang") -> str | None:
    """A language code given by the user, or UsageError when nothing can read it."""
    if value is None:
        return None
    problem = language_problem(value)
    if problem:
        raise UsageError(f"{option} {value!r}: {problem}")
    return value


def add_date_order_argument(parser: argparse.ArgumentParser) -> None:
    """``--date-order``: how publication dates that are not ISO 8601 are read."""
    parser.add_argument(
        "--date-order", choices=DATE_ORDERS, default=DEFAULT_DATE_ORDER,
        help="order of day, month and year in numeric publication dates that are not ISO "
             f"8601, such as 09/08/2016 (default: {DEFAULT_DATE_ORDER}, day first; ISO 8601 "
             "is always read as such)")


def add_workers_argument(parser: argparse.ArgumentParser) -> None:
    """``--workers N``: processes for the per-document work."""
    parser.add_argument(
        "--workers", type=int, default=None, metavar="N",
        help="worker processes for the per-document work (default: this machine's cores; "
             "the output is the same whatever N is)")


def workers(args: argparse.Namespace) -> int:
    """The number of worker processes asked for (``--workers``), checked."""
    count: int = args.workers if args.workers is not None else available_cores()
    if count < 1:
        raise UsageError(f"--workers {count}: give 1 or more")
    return count
