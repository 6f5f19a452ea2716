"""`timeline build CORPUS -o DIR`: ingest → tag → mentions → merge → write (→ charts).

>>> import timeline
>>> frame = timeline.build_chronology(documents)  # doctest: +SKIP
>>> result = timeline.build(["fixtures/seeds"], "reports/")  # doctest: +SKIP

Outputs in DIR: ``chronology.parquet``, ``.csv``, ``.jsonl``, ``.md`` (format in
CONVENTIONS.md), ``mentions.parquet`` (every event mention), the ingest report
``ingest_report.json`` (every input accounted for) and the interactive page
``timeline.html``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from timeline.chronology.merge import build_entries, cluster_mentions, mentions_frame
from timeline.chronology.writers import write_chronology
from timeline.corpus import IngestReport, add_corpus_arguments, corpus_options, load_corpus
from timeline.corpus.copies import find_copies
from timeline.events.mentions import extract_mentions
from timeline.events.vocabulary import load_vocabulary
from timeline.types import Document, EventMention, Timex

HELP = "build the deduplicated chronology of a corpus (Parquet, CSV, JSON Lines, Markdown)"

Tagger = Callable[[Document], Sequence[Timex]]


@dataclass
class BuildResult:
    """What a build wrote, and its counts."""

    out_dir: Path
    n_documents: int
    n_mentions: int
    n_events: int
    paths: dict[str, Path] = field(default_factory=dict)
    chronology: pl.DataFrame | None = None
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"timeline build: {self.n_documents} documents, {self.n_mentions} event "
                f"mentions, {self.n_events} events -> {self.out_dir}")


def _default_tagger(document: Document) -> Sequence[Timex]:
    from timeline.temporal import tag_document

    return tag_document(document)


def document_mentions(documents: Iterable[Document], tagger: Tagger | None = None,
                      errors: list[str] | None = None) -> list[EventMention]:
    """Tag each document and read its event mentions; a failing document is skipped."""
    tagger = tagger or _default_tagger
    vocab = load_vocabulary()
    mentions: list[EventMention] = []
    for document in documents:
        try:
            mentions.extend(extract_mentions(document, tagger(document), vocab))
        except Exception as exc:  # one bad document does not stop the chronology
            if errors is not None:
                errors.append(f"{document.id}: {type(exc).__name__}: {exc}")
    return mentions


def build_chronology(documents: Iterable[Document], *, summary_lang: str | None = None,
                     tagger: Tagger | None = None) -> pl.DataFrame:
    """The chronology frame of ``documents`` (for notebooks; schema in CHRONOLOGY_SCHEMA).

    Near copies among the documents are found here as at ingestion.
    """
    documents = list(documents)
    clustering = cluster_mentions(document_mentions(documents, tagger),
                                  copies=find_copies(documents))
    frame, _ = build_entries(clustering, summary_lang=summary_lang)
    return frame


# --- ingest ----------------------------------------------------------------------


def load_documents(paths: Sequence[str | Path], **corpus_options: Any
                   ) -> tuple[list[Document], IngestReport]:
    """Documents of the corpus, and the ingest report that accounts for every input."""
    corpus = load_corpus(list(paths), **corpus_options)
    return corpus.documents, corpus.report


# --- build -----------------------------------------------------------------------


def _write_charts(frame: pl.DataFrame, out_dir: Path, paths: dict[str, Path],
                  errors: list[str]) -> None:
    from timeline import charts

    try:
        paths["html"] = Path(charts.write_html(frame, out_dir / "timeline.html"))
    except Exception as exc:  # the chronology is written whatever happens to the page
        errors.append(f"charts: {type(exc).__name__}: {exc}")


def build(paths: str | Path | Sequence[str | Path], out_dir: str | Path, *,
          summary_lang: str | None = None, charts: bool = True, tagger: Tagger | None = None,
          quiet: bool = False, **corpus_options: Any) -> BuildResult:
    """Run the whole pipeline on a corpus and write its chronology to ``out_dir``."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    corpus = load_corpus(list(paths), **corpus_options)
    documents, report = corpus.documents, corpus.report
    errors: list[str] = []
    mentions = document_mentions(documents, tagger, errors)
    clustering = cluster_mentions(mentions, copies=corpus.copies)
    frame, event_of = build_entries(clustering, summary_lang=summary_lang)
    written = write_chronology(frame, out, mentions_frame(clustering.mentions, event_of,
                                                          corpus.copies))
    report_path = out / "ingest_report.json"
    report.write(report_path)
    written["ingest_report"] = report_path
    if charts and frame.height:
        _write_charts(frame, out, written, errors)
    result = BuildResult(out, len(documents), len(clustering.mentions), frame.height, written,
                         frame, errors)
    if not quiet:
        print(result.summary())
        print(report.summary())
        for error in errors:
            print(f"  warning: {error}", file=sys.stderr)
    return result


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("corpus", nargs="+", help="folders, JSON Lines, CSV or Parquet files")
    parser.add_argument("-o", "--out", default="reports", help="output directory (default: reports)")
    parser.add_argument("--summary-lang", default=None,
                        help="prefer summaries in this language (id, en, ...)")
    parser.add_argument("--no-charts", action="store_true", help="do not draw the charts")
    add_corpus_arguments(parser)


def run(args: argparse.Namespace) -> int:
    build(args.corpus, args.out, summary_lang=args.summary_lang, charts=not args.no_charts,
          **corpus_options(args))
    return 0


if __name__ == "__main__":
    from timeline.cli import main

    sys.exit(main(["build", *sys.argv[1:]]))
