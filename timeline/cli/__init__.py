"""Command line: `timeline tag|resolve|eval|build|export|render`.

Each subcommand beyond tag/resolve lives in its stage's module, which provides
``add_arguments(parser)`` and ``run(args) -> int``. Only the module of the
subcommand being run is imported (building a chronology needs polars and the
charts, tagging needs neither), and an import that fails is an error, not a
subcommand that silently disappears.

One error policy for every subcommand: a user mistake (a missing or unreadable
input, a bad date, an unknown language, nothing to do) raises
:class:`UsageError`, which :func:`main` prints as one line on stderr naming the
input and the fix; the exit status says how the run ended (:data:`EXIT_STATUS`).
Tracebacks are shown only with ``--debug``.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import textwrap
import traceback
from collections.abc import Sequence
from typing import IO, NoReturn

#: Exit statuses, the same for every subcommand.
EXIT_OK = 0
EXIT_PARTIAL = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130

EXIT_STATUS = f"""\
exit status:
  {EXIT_OK}  success
  {EXIT_PARTIAL}  partial failure: some inputs failed; the outputs and their report are written
  {EXIT_USAGE}  usage error (bad option, missing or unreadable input, bad date, unknown
     language, nothing to do): one line on stderr says what and how to fix it
  {EXIT_INTERNAL}  internal error (a bug): rerun with --debug for the traceback
errors are one line on stderr; --debug shows tracebacks. A closed output pipe
(`timeline tag big.jsonl | head -1`) ends the run quietly with status 0."""

#: subcommand -> (module that implements it, one line of help).
STAGE_COMMANDS = {
    "eval": ("timeline.evaluation",
             "score temporal expressions against gold TimeML or JSON Lines (TempEval-3 style)"),
    "build": ("timeline.pipeline",
              "build the deduplicated chronology of a corpus (Parquet, CSV, JSON Lines, "
              "Markdown, HTML)"),
    "export": ("timeline.chronology.export",
               "export a built chronology for other tools (TimelineJS3 JSON)"),
    "render": ("timeline.charts.cli",
               "draw a chronology (DIR/chronology.parquet) as DIR/timeline.html, .png or .svg"),
}

#: How each subcommand uses statuses 1 and 2 beyond the common meaning.
COMMAND_STATUS = {
    "tag": "1: some lines could not be tagged (each has its line, with an 'error' field); "
           "2: no line could be tagged, or there were none.",
    "resolve": "1: the expression holds no temporal expression.",
    "eval": "1: some gold or system documents could not be read or tagged (scored without "
            "them; listed on stderr); 2: no gold document, or no system line, could be read.",
    "build": "1: some inputs failed or a document could not be processed (see "
             "DIR/ingest_report.json); 2: no document could be loaded (nothing is written).",
    "export": "2: DIR holds no chronology (run `timeline build` first).",
    "render": "2: DIR holds no chronology (run `timeline build` first).",
}


class UsageError(Exception):
    """A user mistake: the message names the input and says how to fix it (status 2)."""


class _Parser(argparse.ArgumentParser):
    """argparse, with its errors on one line like every other error."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (see {self.prog} --help)\n")


def check_lang(value: str | None, option: str = "--lang") -> str | None:
    """A language code given by the user, or UsageError when nothing can read it."""
    if value is None:
        return None
    from timeline.lang import language_problem

    problem = language_problem(value)
    if problem:
        raise UsageError(f"{option} {value!r}: {problem}")
    return value


def open_input(path: str, what: str, fix: str) -> IO[str]:
    """A text file the user named, or UsageError saying what is wrong with it."""
    if os.path.isdir(path):
        raise UsageError(f"{path}: is a folder, not {what}; {fix}")
    try:
        return open(path, encoding="utf-8", errors="replace")
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file; {fix}") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot be read ({exc.strerror or exc}); {fix}") from None


def _cmd_tag(args: argparse.Namespace) -> int:
    from timeline.parallel import available_cores
    from timeline.temporal.lines import tag_lines

    fix = "give a JSON Lines file, or - for standard input"
    source = "standard input" if args.path == "-" else args.path
    workers = args.workers if args.workers is not None else available_cores()
    if workers < 1:
        raise UsageError(f"--workers {workers}: give 1 or more")
    out = getattr(sys.stdout, "buffer", sys.stdout)
    if args.path == "-":
        # bytes that are not UTF-8 are that line's problem (decoded with U+FFFD)
        stdin = getattr(sys.stdin, "buffer", sys.stdin)
        n_docs, n_errors, first = tag_lines(stdin, out, date_order=args.date_order,
                                            workers=workers)
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
                                                workers=workers)
    expected = 'one JSON object per line: {"id", "text", "published", "lang"}'
    if n_docs == 0:
        raise UsageError(f"{source}: no documents; expected {expected}")
    if n_errors == n_docs:
        raise UsageError(f"{source}: no line could be tagged ({first}); expected {expected}")
    if n_errors:
        print(f"timeline tag: {n_docs} documents, {n_errors} with errors (first: {first})",
              file=sys.stderr)
        return EXIT_PARTIAL
    return EXIT_OK


def _cmd_resolve(args: argparse.Namespace) -> int:
    from timeline.limits import collected
    from timeline.temporal import publication_date, resolve

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


def add_date_order_argument(parser: argparse.ArgumentParser) -> None:
    """``--date-order``: how publication dates that are not ISO 8601 are read."""
    from timeline.corpus.published import DATE_ORDERS, DEFAULT_DATE_ORDER

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


def _epilog(command: str | None) -> str:
    specific = COMMAND_STATUS.get(command or "")
    if not specific:
        return EXIT_STATUS
    return EXIT_STATUS + "\n\n" + textwrap.fill(f"for this command: {specific}", width=80)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; ``command``'s own arguments are added (its module imported) only
    when it is the one being run."""
    from timeline import __version__

    parser = _Parser(
        prog="timeline",
        description="Reconstruct chronologies from news (Indonesian, English, and more).",
        epilog=EXIT_STATUS, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"timeline {__version__}")
    debug = _Parser(add_help=False)
    debug.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                       help="show the traceback of an error")
    parser.add_argument("--debug", action="store_true", help="show the traceback of an error")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, help_text: str, description: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=help_text, description=description, parents=[debug],
                              epilog=_epilog(name),
                              formatter_class=argparse.RawDescriptionHelpFormatter)

    p = add("tag", "find and resolve temporal expressions (JSON Lines in and out)",
            "Read documents as JSON Lines ({id, text, published, lang}) and write one line "
            "of TIMEX3 expressions per document (format in docs/conventions.md).")
    p.add_argument("path", nargs="?", default="-", help="JSON Lines file, or - for stdin (default)")
    add_date_order_argument(p)
    add_workers_argument(p)
    p.set_defaults(func=_cmd_tag)

    p = add("resolve", "resolve one expression and print its value",
            "Resolve one temporal expression, e.g. "
            "timeline resolve 'pada hari Minggu' --published 2016-08-09 --lang id")
    p.add_argument("expression")
    p.add_argument("--published", help="publication date or datetime (ISO 8601, or a numeric "
                   "date in --date-order)")
    p.add_argument("--lang", help="language code (id, en, ...); detected when absent")
    p.add_argument("--json", action="store_true", help="print the whole TIMEX3 as JSON")
    add_date_order_argument(p)
    p.set_defaults(func=_cmd_resolve)

    for name, (module_name, help_text) in STAGE_COMMANDS.items():
        p = add(name, help_text, help_text)
        if name == command:
            module = importlib.import_module(module_name)
            module.add_arguments(p)
            p.set_defaults(func=module.run)
    return parser


def _say(command: str | None, message: str) -> None:
    """One line on stderr, whatever the message holds."""
    prefix = f"timeline {command}" if command else "timeline"
    print(f"{prefix}: {' '.join(message.split())}", file=sys.stderr)


def _quiet_stdout() -> None:
    """After the reader of our output has gone: send what is left to /dev/null, so
    that flushing at exit does not raise again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real file descriptor (tests): nothing to silence
        pass


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    command = next((a for a in argv if not a.startswith("-")), None)
    debug = "--debug" in argv
    try:
        args = build_parser(command).parse_args(argv)
        command = args.command
        status = int(args.func(args) or 0)
        sys.stdout.flush()  # a closed pipe is met here, not at exit
        return status
    except BrokenPipeError:
        _quiet_stdout()
        return EXIT_OK
    except KeyboardInterrupt:
        _say(command, "interrupted")
        return EXIT_INTERRUPTED
    except UsageError as exc:
        if debug:
            traceback.print_exc()
        _say(command, str(exc))
        return EXIT_USAGE
    except OSError as exc:  # the machine said no (a folder not writable, a full disk ...)
        if debug:
            traceback.print_exc()
        where = f"{exc.filename}: " if exc.filename else ""
        _say(command, f"{where}{exc.strerror or exc}")
        return EXIT_USAGE
    except Exception as exc:
        if debug:
            traceback.print_exc()
            return EXIT_INTERNAL
        _say(command, f"internal error: {type(exc).__name__}: {exc} "
                      "(rerun with --debug for the traceback)")
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
