"""`timeline render DIR`: draw a built chronology as a page or an image."""

from __future__ import annotations

import argparse
from pathlib import Path

from timeline.charts import LanesUnavailable, write_html, write_image
from timeline.charts.data import load_chronology
from timeline.charts.lanes import LANE_KINDS
from timeline.cli.build import add_page_lang_argument
from timeline.cli.common import add_gazetteer_argument, gazetteers
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
    add_gazetteer_argument(parser, "Give those the chronology was built with: they name its "
                           "places and actors on the page, and the search finds every "
                           "spelling.")
    parser.add_argument("-o", "--output", type=Path,
                        help="output file (default: DIR/timeline.<format>); a large page "
                             "keeps its data in a folder next to it (timeline-data/)")


def run(args: argparse.Namespace) -> int:
    directory: Path = args.directory
    chosen = gazetteers(args)
    try:
        # the page reads a build's Parquet file in a stream; the images hold it whole
        chronology = (_parquet(directory) if args.format == "html" else None) or \
            load_chronology(directory)
    except (FileNotFoundError, ValueError) as exc:
        raise UsageError(f"{exc}; run `timeline build CORPUS -o DIR` first, then render "
                         "DIR") from None
    output: Path = args.output or directory / f"timeline.{args.format}"
    try:
        if args.format == "html":
            # the page is written beside and renamed into place: a link at `output`
            # is replaced, not followed
            written = write_html(chronology, output, lanes=args.lanes, page_lang=args.page_lang,
                                 gazetteers=chosen)
        else:
            if output.is_dir() and not output.is_symlink():
                output = output / f"timeline.{args.format}"
            # drawn into a new file, then renamed into place: a link at `output` is replaced
            with replacing(output) as temporary:
                write_image(chronology, temporary, format=args.format, lanes=args.lanes,
                            gazetteers=chosen)
            written = output
    except LanesUnavailable as exc:
        raise UsageError(f"--lanes {args.lanes}: {exc} in {directory}; choose another kind "
                         "of lanes (source, language), or build the chronology with a "
                         "gazetteer of the corpus's places and actors (--gazetteer FILE)"
                         ) from None
    print(written)
    return EXIT_OK


def _parquet(directory: Path) -> Path | None:
    """A build's chronology.parquet, read in a stream by the page."""
    path = directory / "chronology.parquet" if directory.is_dir() else directory
    return path if path.suffix == ".parquet" and path.is_file() else None

