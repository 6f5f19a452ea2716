"""`timeline render DIR`: draw a built chronology as a page or an image."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("directory", metavar="DIR", type=Path,
                        help="output directory of `timeline build` (holds chronology.parquet)")
    parser.add_argument("--format", choices=("html", "png", "svg"), default="html",
                        help="html (default): interactive offline page; png/svg: static image")
    parser.add_argument("--color-by", choices=("source", "language"), default="source",
                        help="initial colour of the events (the page can switch)")
    parser.add_argument("-o", "--output", type=Path,
                        help="output file (default: DIR/timeline.<format>)")


def run(args: argparse.Namespace) -> int:
    from timeline.charts import write_html, write_image
    from timeline.charts.data import load_chronology
    from timeline.cli import UsageError

    directory: Path = args.directory
    try:
        chronology = load_chronology(directory)
    except (FileNotFoundError, ValueError) as exc:
        raise UsageError(f"{exc}; run `timeline build CORPUS -o DIR` first, then render "
                         "DIR") from None
    output = args.output or directory / f"timeline.{args.format}"
    if args.format == "html":
        written = write_html(chronology, output, color_by=args.color_by)
    else:
        written = write_image(chronology, output, format=args.format, color_by=args.color_by)
    print(written)
    return 0
