"""Command line: `timeline tag|resolve|eval|build|export|render`.

Each subcommand is a module of this package with ``add_arguments(parser)`` and
``run(args) -> int``. Only the module of the subcommand being run is imported
(building a chronology needs polars and the charts, tagging needs neither, and
`timeline --help` needs none of it), and an import that fails is an error, not a
subcommand that silently disappears.

One error policy for every subcommand (:mod:`timeline.errors`): a user mistake (a
missing or unreadable input, a bad date, an unknown language, nothing to do)
raises :class:`~timeline.errors.UsageError`, which :func:`main` prints as one line
on stderr naming the input and the fix; the exit status says how the run ended
(:data:`EXIT_STATUS`). Tracebacks are shown only with ``--debug``.
"""

from __future__ import annotations

import argparse
import difflib
import importlib
import os
import signal
import sys
import textwrap
import threading
import traceback
from collections.abc import Sequence
from typing import NoReturn

from timeline import __version__
from timeline.errors import (
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_PARTIAL,
    EXIT_TERMINATED,
    EXIT_USAGE,
    UsageError,
)

EXIT_STATUS = f"""\
exit status:
  {EXIT_OK}  success
  {EXIT_PARTIAL}  partial failure: some inputs failed; the outputs and their report are written
  {EXIT_USAGE}  usage error (bad option, missing or unreadable input, bad date, unknown
     language, nothing to do): one line on stderr says what and how to fix it
  {EXIT_INTERNAL}  internal error (a bug): rerun with --debug for the traceback
errors are one line on stderr; --debug shows tracebacks. A closed output pipe
(`timeline tag big.jsonl | head -1`) ends the run quietly with status 0."""

#: subcommand -> (one line of help, description); its module is timeline.cli.<subcommand>.
COMMANDS = {
    "tag": ("find and resolve temporal expressions (JSON Lines in and out)",
            "Read documents as JSON Lines ({id, text, published, lang}, or the other names "
            "`timeline build` reads: date, pubdate, body, content, language, doc_id, ...) and "
            "write one line of TIMEX3 expressions per document (format in "
            "docs/conventions.md). A table (CSV) is read by `timeline build`."),
    "resolve": ("resolve one expression and print its value",
                "Resolve one temporal expression, e.g. "
                "timeline resolve 'pada hari Minggu' --published 2016-08-09 --lang id"),
    "eval": ("score temporal expressions against gold TimeML or JSON Lines (TempEval-3 style)",
             None),
    "build": ("build the deduplicated chronology of a corpus (Parquet, CSV, JSON Lines, "
              "Markdown, HTML)", None),
    "export": ("export a built chronology for other tools (TimelineJS3 JSON)", None),
    "render": ("draw a chronology (DIR/chronology.parquet) as DIR/timeline.html, .png or .svg",
               None),
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


class _Parser(argparse.ArgumentParser):
    """argparse, with its errors on one line like every other error; an unknown option
    gets the options it may be a misspelling or a prefix of."""

    def error(self, message: str) -> NoReturn:
        hint = ""
        if message.startswith("unrecognized arguments:"):
            known = sorted({flag for parser in _parsers(self) for action in parser._actions
                            for flag in action.option_strings if flag.startswith("--")})
            for word in message.split(":", 1)[1].split():
                if not word.startswith("--"):
                    continue
                name = word.split("=", 1)[0]
                close = [flag for flag in known if flag.startswith(name)] or \
                    difflib.get_close_matches(name, known, n=3)
                if close:
                    hint = f"; {name} is not an option: did you mean {' or '.join(close)}?"
                    break
        self.exit(EXIT_USAGE, f"{self.prog}: {message}{hint} (see {self.prog} --help)\n")


def _parsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    """A parser and the parsers of its subcommands whose arguments were added."""
    found = [parser]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                found.extend(_parsers(child))
    return found


def _epilog(command: str | None) -> str:
    specific = COMMAND_STATUS.get(command or "")
    if not specific:
        return EXIT_STATUS
    return EXIT_STATUS + "\n\n" + textwrap.fill(f"for this command: {specific}", width=80)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; ``command``'s own arguments are added (its module imported) only
    when it is the one being run."""
    # allow_abbrev=False: an option is taken only as spelt in full, so that a prefix
    # ("--lang" for "--lang-col") is an error rather than another option.
    parser = _Parser(
        prog="timeline", allow_abbrev=False,
        description="Reconstruct chronologies from news (Indonesian, English, and more).",
        epilog=EXIT_STATUS, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"timeline {__version__}")
    debug = _Parser(add_help=False, allow_abbrev=False)
    debug.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                       help="show the traceback of an error")
    parser.add_argument("--debug", action="store_true", help="show the traceback of an error")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (help_text, description) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=description or help_text,
                           parents=[debug], epilog=_epilog(name), allow_abbrev=False,
                           formatter_class=argparse.RawDescriptionHelpFormatter)
        if name == command:
            module = importlib.import_module(f"timeline.cli.{name}")
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


class Terminated(BaseException):
    """SIGTERM arrived: the run stops as an interrupted one does (its workers end, its
    work folder and partial outputs are removed), then exits with EXIT_TERMINATED."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated


def _end_children() -> None:
    """A command stopped by a signal ends the worker processes it started, whatever
    moment the signal came at, before it exits."""
    # imported here: multiprocessing would slow `timeline --help` by ~50 ms
    from timeline.pipeline.pool import end_children

    end_children()


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    command = next((a for a in argv if not a.startswith("-")), None)
    debug = "--debug" in argv
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminate)
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
        _end_children()
        _say(command, "interrupted")
        return EXIT_INTERRUPTED
    except Terminated:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        _end_children()
        _say(command, "terminated")
        return EXIT_TERMINATED
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
