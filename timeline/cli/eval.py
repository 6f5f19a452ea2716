"""`timeline eval GOLD`: score temporal expressions against gold (TempEval-3 style)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TextIO

from timeline.cli.common import check_lang
from timeline.errors import EXIT_OK, EXIT_PARTIAL, UsageError
from timeline.evaluation.annotations import EvalError, load_gold, read_system, run_tagger
from timeline.evaluation.timeml import format_errors, format_table, score
from timeline.pipeline.outputs import write_atomically


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``timeline eval``."""
    parser.add_argument("gold", metavar="GOLD",
                        help="TimeML .tml file, folder of .tml files (recursive), or JSON Lines "
                        "with gold 'timexes'")
    parser.add_argument("--system", metavar="OUTPUT",
                        help="`timeline tag` output (JSON Lines) to score; by default the "
                        "tagger is run on the gold texts")
    parser.add_argument("--lang", help="language of documents that do not give one "
                        "(default: detected by the tagger)")
    parser.add_argument("--per-doc", action="store_true", help="add one row per document")
    parser.add_argument("--errors", action="store_true",
                        help="list missed, spurious and wrongly normalised timexes")
    parser.add_argument("--json", metavar="PATH",
                        help="write the full report, with every error, as JSON")


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Print the table (and errors), write JSON; problems to stderr at the end.

    Status: 2 when the gold or system input is missing or holds nothing readable,
    1 when some documents could not be read or tagged.
    """
    out = out or sys.stdout
    gold_fix = "give TimeML .tml files, a folder of them, or JSON Lines with gold 'timexes'"
    if not Path(args.gold).exists():
        raise UsageError(f"{args.gold}: no such file or folder; {gold_fix}")
    if args.system is not None and not Path(args.system).is_file():
        what = "is a folder" if Path(args.system).is_dir() else "no such file"
        raise UsageError(f"--system {args.system}: {what}; give the JSON Lines that "
                         "`timeline tag` wrote")
    lang = check_lang(args.lang)
    errors: list[EvalError] = []
    gold_docs = load_gold(args.gold, lang=lang, errors=errors)
    if not gold_docs:
        reason = f" ({errors[0]})" if errors else ""
        raise UsageError(f"{args.gold}: no gold document could be read{reason}; {gold_fix}")
    if args.system is not None:
        before = len(errors)
        system_docs = read_system(args.system, errors=errors)
        if not system_docs:
            reason = f" ({errors[before]})" if len(errors) > before else " (empty)"
            raise UsageError(f"--system {args.system}: no line could be read{reason}; give "
                             "the JSON Lines that `timeline tag` wrote")
    else:
        system_docs = run_tagger(gold_docs)
    report = score(gold_docs, system_docs)
    report.errors[:0] = errors
    print(format_table(report, per_doc=args.per_doc), file=out)
    if args.errors:
        print("", file=out)
        print(format_errors(report), file=out)
    if args.json:
        write_atomically(Path(args.json), (json.dumps(report.to_dict(), ensure_ascii=False,
                                                     indent=2) + "\n").encode("utf-8"))
    if report.errors:
        print(f"timeline eval: {len(report.errors)} problem(s):", file=sys.stderr)
        for error in report.errors:
            print(f"  {error}", file=sys.stderr)
        return EXIT_PARTIAL
    return EXIT_OK
