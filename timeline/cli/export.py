"""`timeline export DIR --format timelinejs`: a built chronology for other tools."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from timeline.chronology.export import FORMATS, to_timelinejs
from timeline.chronology.writers import plural, read_chronology
from timeline.errors import EXIT_OK, UsageError
from timeline.pipeline.outputs import write_atomically


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("directory", help="a `timeline build` output directory (or chronology file)")
    parser.add_argument("--format", choices=FORMATS, default="timelinejs")
    parser.add_argument("--group", choices=("source", "language"), default="source",
                        help="TimelineJS group of each event (default: source)")
    parser.add_argument("-o", "--output",
                        help="output file (default: DIR/chronology.timelinejs.json; - for stdout)")


def run(args: argparse.Namespace) -> int:
    try:
        frame = read_chronology(args.directory)
    except FileNotFoundError:
        raise UsageError(f"{args.directory}: no chronology here (chronology.parquet or "
                         "chronology.jsonl); run `timeline build CORPUS -o DIR` first, then "
                         "export DIR") from None
    data = to_timelinejs(frame, group=args.group)
    text = json.dumps(data, ensure_ascii=False, indent=1)
    if args.output == "-":
        sys.stdout.write(text + "\n")
        return EXIT_OK
    base = Path(args.directory)
    output = Path(args.output) if args.output else (
        (base if base.is_dir() else base.parent) / "chronology.timelinejs.json")
    write_atomically(output, (text + "\n").encode("utf-8"))  # a link there is replaced
    print(f"timeline export: {plural(frame.height, 'event')} -> {output}")
    return EXIT_OK
