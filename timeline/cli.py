"""Command line: `timeline tag|resolve|eval|build|export|render`.

Each subcommand beyond tag/resolve lives in its stage's module, which provides
``add_arguments(parser)`` and ``run(args) -> int``. Only the module of the
subcommand being run is imported (building a chronology needs polars and the
charts, tagging needs neither), and an import that fails is an error, not a
subcommand that silently disappears.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Iterable, Sequence

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


def _tag_lines(lines: Iterable[str], out) -> tuple[int, int]:
    """Tag JSON Lines documents; one output line per input line. Returns (docs, errors)."""
    from timeline.corpus.decode import sanitise
    from timeline.limits import collected
    from timeline.temporal import tag

    n_docs = n_errors = 0
    for line_no, line in enumerate(lines, 1):
        if not line.strip():
            continue
        n_docs += 1
        doc_id = None
        try:
            doc = json.loads(line)
            if not isinstance(doc, dict):
                raise ValueError("line is not a JSON object")
            doc_id = doc.get("id")
            text = doc.get("text")
            if not isinstance(text, str):
                raise ValueError("missing or non-string 'text'")
            # one for one, so offsets into the given text keep their meaning
            text = sanitise(text)[0]
            with collected() as notes:
                timexes = tag(text, published=doc.get("published") or None,
                              lang=doc.get("lang"))
            record = {"id": doc_id, "timexes": [t.to_dict() for t in timexes]}
            if notes:
                record["warnings"] = notes
        except Exception as exc:  # a bad line gets its error; the run goes on
            n_errors += 1
            record = {"id": doc_id if doc_id is not None else f"line:{line_no}",
                      "timexes": [], "error": f"line {line_no}: {exc}"}
        # a lone surrogate (in an id, say) cannot be written as UTF-8: U+FFFD instead
        out.write(sanitise(json.dumps(record, ensure_ascii=False))[0] + "\n")
    return n_docs, n_errors


def _cmd_tag(args: argparse.Namespace) -> int:
    if args.path == "-":
        if hasattr(sys.stdin, "reconfigure"):
            # undecodable bytes become U+FFFD rather than ending the stream
            sys.stdin.reconfigure(errors="replace")
        n_docs, n_errors = _tag_lines(sys.stdin, sys.stdout)
    else:
        with open(args.path, encoding="utf-8", errors="replace") as handle:
            n_docs, n_errors = _tag_lines(handle, sys.stdout)
    if n_errors:
        print(f"timeline tag: {n_docs} documents, {n_errors} with errors", file=sys.stderr)
    return 0


def _cmd_resolve(args: argparse.Namespace) -> int:
    from timeline.limits import collected
    from timeline.temporal import resolve

    with collected() as notes:
        timex = resolve(args.expression, published=args.published, lang=args.lang)
    for note in dict.fromkeys(notes):  # each language's reading may drop the same one
        print(f"timeline resolve: warning: {note}", file=sys.stderr)
    if timex is None:
        print(f"timeline resolve: no temporal expression in {args.expression!r}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(timex.to_dict(), ensure_ascii=False))
    else:
        print(timex.value)
    return 0


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; ``command``'s own arguments are added (its module imported) only
    when it is the one being run."""
    from timeline import __version__

    parser = argparse.ArgumentParser(
        prog="timeline",
        description="Reconstruct chronologies from news (Indonesian, English, and more).",
    )
    parser.add_argument("--version", action="version", version=f"timeline {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("tag", help="find and resolve temporal expressions (JSON Lines in and out)",
                       description="Read documents as JSON Lines ({id, text, published, lang}) and "
                       "write one line of TIMEX3 expressions per document.")
    p.add_argument("path", nargs="?", default="-", help="JSON Lines file, or - for stdin (default)")
    p.set_defaults(func=_cmd_tag)

    p = sub.add_parser("resolve", help="resolve one expression and print its value",
                       description="Resolve one temporal expression, e.g. "
                       "timeline resolve 'pada hari Minggu' --published 2016-08-09 --lang id")
    p.add_argument("expression")
    p.add_argument("--published", help="publication date or datetime (ISO 8601)")
    p.add_argument("--lang", help="language code (id, en, ...); detected when absent")
    p.add_argument("--json", action="store_true", help="print the whole TIMEX3 as JSON")
    p.set_defaults(func=_cmd_resolve)

    for name, (module_name, help_text) in STAGE_COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        if name == command:
            module = importlib.import_module(module_name)
            module.add_arguments(p)
            p.set_defaults(func=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    command = next((a for a in argv if not a.startswith("-")), None)
    args = build_parser(command).parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
