"""`timeline build CORPUS... -o DIR`: the chronology of a corpus, with its page."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from timeline.charts.strings import PAGE_LANGUAGES
from timeline.chronology.writers import plural
from timeline.cli.common import (
    add_corpus_arguments,
    add_date_order_argument,
    add_gazetteer_argument,
    add_workers_argument,
    corpus_options,
    gazetteers,
    workers,
)
from timeline.errors import EXIT_OK, EXIT_PARTIAL, UsageError
from timeline.pipeline.driver import NothingToBuild, build
from timeline.pipeline.outputs import OutputError

#: Where a build writes when no -o is given.
DEFAULT_OUTPUT = "reports"


def add_page_lang_argument(parser: argparse.ArgumentParser) -> None:
    """``--page-lang``: the language of the page's interface (also on `timeline render`)."""
    parser.add_argument("--page-lang", choices=PAGE_LANGUAGES, default="en",
                        help="language of the page's interface (default: en)")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("corpus", nargs="+", help="folders, JSON Lines, CSV, Parquet or HTML "
                        "files; - reads JSON Lines from standard input")
    parser.add_argument("-o", "--output", "--out", dest="output", metavar="DIR", default=None,
                        help=f"output folder (default: {DEFAULT_OUTPUT}, said on stderr); "
                             "--out is the same option")
    parser.add_argument("--summary-lang", default=None,
                        help="prefer summaries in this language (id, en, ...)")
    parser.add_argument("--no-charts", action="store_true", help="do not draw the charts")
    add_page_lang_argument(parser)
    add_gazetteer_argument(parser, "Their places and actors fill the chronology's places "
                           "and actors columns, the page's lanes and its search.")
    add_date_order_argument(parser)
    add_corpus_arguments(parser)
    add_workers_argument(parser)
    parser.add_argument("--dask", metavar="ADDRESS", default=None,
                        help="run the batches as tasks on a dask.distributed cluster: the "
                             "address of its scheduler (tcp://host:8786); the workers must "
                             "see the corpus and --work-dir")
    parser.add_argument("--work-dir", metavar="DIR", default=None,
                        help="where the run keeps its intermediate files, removed at the end "
                             "(default: a temporary folder)")
    parser.add_argument("--block-mentions", type=int, default=None, metavar="N",
                        help="mentions per time block of the merge (default: 20,000): "
                             "bounds its memory; the chronology is the same whatever N is")
    parser.add_argument("--batch-documents", type=int, default=None, metavar="N",
                        help="inputs read and tagged per batch (default: 1,000): bounds the "
                             "memory of each worker; the outputs are the same whatever N is")
    parser.add_argument("--keep-all", action="store_true",
                        help="keep what a build sets aside: read page furniture (repeated "
                             "blocks, comments, bylines, stamps) and merge statements that "
                             "tell no happening (schedules, opinions, background) into the "
                             "chronology")
    parser.add_argument("--quiet", action="store_true",
                        help="no progress bars (they are shown only when stderr is a terminal)")


def run(args: argparse.Namespace) -> int:
    """The summary on stdout, problems on stderr."""
    options: dict[str, Any] = dict(corpus_options(args))
    count = workers(args)
    chosen = gazetteers(args)
    for option, value in (("--block-mentions", args.block_mentions),
                          ("--batch-documents", args.batch_documents)):
        if value is not None and value < 1:
            raise UsageError(f"{option} {value}: give 1 or more")
    progress = not args.quiet and sys.stderr.isatty()
    output = args.output
    if output is None:
        output = DEFAULT_OUTPUT
        print(f"timeline build: no -o DIR given: writing into ./{DEFAULT_OUTPUT}/ "
              "(give -o DIR to choose the folder)", file=sys.stderr)
    try:
        result = build(args.corpus, output, summary_lang=args.summary_lang,
                       charts=not args.no_charts, date_order=args.date_order,
                       page_lang=args.page_lang, workers=count, dask=args.dask,
                       progress=progress, work_dir=args.work_dir,
                       block_mentions=args.block_mentions,
                       batch_documents=args.batch_documents, gazetteers=chosen,
                       keep_all=args.keep_all, **options)
    except NothingToBuild as exc:
        raise UsageError(str(exc)) from None
    except OutputError as exc:  # locked by another build, or an unsafe folder: nothing written
        raise UsageError(str(exc)) from None
    for note in result.notes:
        print(f"  note: {note}", file=sys.stderr)
    print(result.summary())
    if result.report is not None:
        counts, *details = result.report.summary().splitlines()
        print(counts)
        for line in details:  # failures and warnings
            print(line, file=sys.stderr)
    if result.n_documents and not result.n_events:
        print(f"  note: no dated statement found in {plural(result.n_documents, 'document')}",
              file=sys.stderr)
    for error in result.errors:
        print(f"  warning: {error}", file=sys.stderr)
    return EXIT_PARTIAL if result.failed else EXIT_OK
