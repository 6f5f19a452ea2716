"""`timeline render DIR`: draw a built chronology as a page or an image."""

from __future__ import annotations

import argparse
from pathlib import Path

from timeline.charts import write_html, write_image
from timeline.charts.data import LANE_KINDS, load_chronology
from timeline.cli.build import add_page_lang_argument
from timeline.errors import EXIT_OK, UsageError
from timeline.pipeline.outputs import replacing


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("directory", metavar="DIR", type=Path,
                        help="output directory of `timeline build` (holds chronology.parquet)")
    parser.add_argument("--format", choices=("html", "png", "svg"), default="html",
                        help="html (default): interactive offline page; png/svg: static image")
    parser.add_argument("--lanes", choices=LANE_KINDS, default="source",
                        help="lanes of events, by source (default), language, place or actor "
                             "(the page can switch)")
    add_page_lang_argument(parser)
    parser.add_argument("-o", "--output", type=Path,
                        help="output file (default: DIR/timeline.<format>)")


def run(args: argparse.Namespace) -> int:
    directory: Path = args.directory
    try:
        chronology = load_chronology(directory)
    except (FileNotFoundError, ValueError) as exc:
        raise UsageError(f"{exc}; run `timeline build CORPUS -o DIR` first, then render "
                         "DIR") from None
    output: Path = args.output or directory / f"timeline.{args.format}"
    if output.is_dir() and not output.is_symlink():
        output = output / f"timeline.{args.format}"
    # drawn into a new file, then renamed into place: a link at `output` is replaced
    with replacing(output) as temporary:
        if args.format == "html":
            write_html(chronology, temporary, lanes=args.lanes, page_lang=args.page_lang)
        else:
            write_image(chronology, temporary, format=args.format, lanes=args.lanes)
    print(output)
    return EXIT_OK
