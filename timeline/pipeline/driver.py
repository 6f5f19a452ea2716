"""`timeline build CORPUS -o DIR`: ingest → tag → mentions → merge → write (→ charts).

>>> import timeline
>>> frame = timeline.build_chronology(documents)  # doctest: +SKIP
>>> result = timeline.build(["fixtures/seeds"], "reports/")  # doctest: +SKIP

Outputs in DIR: ``chronology.parquet``, ``.csv``, ``.jsonl``, ``.md`` (formats in
docs/conventions.md), ``mentions.parquet`` and ``mentions.csv`` (every event
mention), the ingest report ``ingest_report.json`` (every input accounted for) and
the interactive page ``timeline.html``. They are written
together or not at all, one build at a time (:mod:`timeline.outputs`); DIR is
never read as input.

A document that fails in a later stage (tagging, events) is reported in the
ingest report under its entry (``errors``, with the stage and the reason) and
left out; the other documents go on. What a stage dropped from a document (an
expression out of the calendar's range, text past a limit) is a warning on it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from timeline import corpus as corpus_stage
from timeline.chronology.merge import build_entries, cluster_mentions
from timeline.chronology.writers import plural
from timeline.corpus import Corpus, IngestReport, add_corpus_arguments, corpus_options
from timeline.corpus.copies import find_copies
from timeline.events.mentions import extract_mentions
from timeline.events.vocabulary import load_vocabulary
from timeline.limits import collected
from timeline.outputs import OutputError, Outputs
from timeline.types import Document, EventMention, Timex

Tagger = Callable[[Document], Sequence[Timex]]


class NothingToBuild(ValueError):
    """No document could be loaded from the inputs: there is no chronology to write."""


@dataclass(repr=False)
class BuildResult:
    """What a build wrote, and its counts."""

    out_dir: Path
    n_documents: int
    n_mentions: int
    n_events: int
    paths: dict[str, Path] = field(default_factory=dict)
    _chronology: pl.DataFrame | None = field(default=None, repr=False)
    errors: list[str] = field(default_factory=list)

    #: The ingest report (every input accounted for).
    report: IngestReport | None = None
    #: What the output folder told (a previous build's leftovers cleaned up, ...).
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"timeline build: {plural(self.n_documents, 'document')}, "
                f"{plural(self.n_mentions, 'event mention')}, {plural(self.n_events, 'event')} "
                f"-> {self.out_dir}")

    @property
    def chronology(self) -> pl.DataFrame | None:
        """The chronology written (read back from its Parquet file on first use)."""
        if self._chronology is None and "parquet" in self.paths:
            self._chronology = pl.read_parquet(self.paths["parquet"])
        return self._chronology

    @property
    def failed(self) -> bool:
        """True when some input or document could not be processed."""
        counts = self.report.counts() if self.report is not None else {}
        return bool(counts.get("failed") or counts.get("errors") or self.errors)

    def __repr__(self) -> str:
        problems = f", {plural(len(self.errors), 'error')}" if self.errors else ""
        return (f"BuildResult({plural(self.n_documents, 'document')}, "
                f"{plural(self.n_mentions, 'mention')}, {plural(self.n_events, 'event')} -> "
                f"{self.out_dir}{problems})")


def _default_tagger(document: Document) -> Sequence[Timex]:
    from timeline.temporal import tag_document

    return tag_document(document)


@dataclass
class StageNotes:
    """What the stages after ingestion said about each document, by id."""

    warnings: dict[str, list[str]] = field(default_factory=dict)
    #: (stage, reason) for each stage that failed on the document.
    errors: dict[str, list[tuple[str, str]]] = field(default_factory=dict)


def _reason(exc: BaseException) -> str:
    from timeline.corpus.decode import sanitise

    text = f"{type(exc).__name__}: {exc}"
    return sanitise(text if len(text) <= 500 else text[:500] + " ...")[0]


def document_mentions(documents: Iterable[Document], tagger: Tagger | None = None,
                      errors: list[str] | None = None,
                      notes: StageNotes | None = None) -> list[EventMention]:
    """Tag each document and read its event mentions; a failing document is skipped.

    ``errors`` gets one line per failure; ``notes`` gets, per document id, the
    failures (stage and reason) and the warnings of what the stages dropped.
    """
    tagger = tagger or _default_tagger
    vocab = load_vocabulary()
    mentions: list[EventMention] = []
    for document in documents:
        stage = "tag"
        with collected() as warned:
            try:
                timexes = tagger(document)
                stage = "events"
                mentions.extend(extract_mentions(document, timexes, vocab))
            except Exception as exc:  # one bad document does not stop the chronology
                reason = _reason(exc)
                if errors is not None:
                    errors.append(f"{document.id} ({stage}): {reason}")
                if notes is not None:
                    notes.errors.setdefault(document.id, []).append((stage, reason))
        if warned and notes is not None:
            notes.warnings.setdefault(document.id, []).extend(warned)
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


def load_corpus(paths: str | Path | Sequence[str | Path], *, tagger: Tagger | None = None,
                **corpus_options: Any) -> Corpus:
    """Load a corpus (see :func:`timeline.corpus.load_corpus` for the options, among
    them ``date_order``), with publication dates the metadata lacks inferred from
    the texts by the temporal stage (``tagger`` replaces :func:`timeline.tag` there).
    The path ``-`` reads JSON Lines from standard input."""
    from timeline.temporal.publication import PublicationInference

    return corpus_stage.load_corpus(paths, infer_dates=PublicationInference(tagger),
                                    **corpus_options)


# --- build -----------------------------------------------------------------------


#: Every file a build may write into its folder; those a build does not produce
#: (the page, when built without charts or events) are removed as stale.
BUILD_OUTPUTS = ("chronology.parquet", "chronology.csv", "chronology.jsonl", "chronology.md",
                 "mentions.parquet", "mentions.csv", "ingest_report.json", "timeline.html")


def _write_charts(frame: pl.DataFrame | Path, out_dir: Path, paths: dict[str, Path],
                  errors: list[str], page_lang: str = "en") -> None:
    from timeline import charts

    try:
        paths["html"] = Path(charts.write_html(frame, out_dir / "timeline.html",
                                               page_lang=page_lang))
    except Exception as exc:  # the chronology is written whatever happens to the page
        errors.append(f"charts: {type(exc).__name__}: {exc}")


def _nothing_loaded(paths: Sequence[str | Path], report: IngestReport) -> str:
    """Why no document came out of the inputs, in one line."""
    named = ", ".join(str(p) for p in paths)
    failed = report.by_status("failed")
    if failed:
        first = failed[0]
        more = f"; {len(failed) - 1:,} more failed" if len(failed) > 1 else ""
        return f"no document could be loaded from {named} ({first.input}: {first.reason}{more})"
    if report.ignored:
        return (f"no corpus file in {named} ({len(report.ignored):,} files ignored, e.g. "
                f"{report.ignored[0][0]}: {report.ignored[0][1]}); give .txt, .html, .jsonl, "
                ".csv or .parquet files, or folders of them")
    return (f"no document in {named}; give .txt, .html, .jsonl, .csv or .parquet files, "
            "or folders of them")


def build(paths: str | Path | Sequence[str | Path], out_dir: str | Path, *,
          summary_lang: str | None = None, charts: bool = True, tagger: Tagger | None = None,
          page_lang: str = "en", workers: int = 1, dask: str | None = None,
          progress: bool = False, work_dir: str | Path | None = None,
          block_mentions: int | None = None, batch_documents: int | None = None,
          **corpus_options: Any) -> BuildResult:
    """Run the whole pipeline on a corpus and write its chronology to ``out_dir``.

    The corpus is read, tagged and merged in batches (:mod:`timeline.batches`):
    memory is bounded by the batch and the time block, not by the corpus. With
    ``workers`` > 1 the batches run in that many processes, with ``dask`` (the
    address of a ``dask.distributed`` scheduler) as tasks on its workers; the
    outputs are the same, byte for byte. ``tagger`` must then be a top-level
    function. ``work_dir`` holds the run's intermediate files (the spooled texts, the
    mentions files; default: a temporary folder; with Dask, a folder every worker
    sees); ``progress`` shows a progress bar per stage on stderr. ``batch_documents``
    (inputs per batch) and ``block_mentions`` (mentions per time block of the merge)
    bound the memory; the outputs do not depend on them.

    Prints nothing else: the result says what was written (``result.summary()``,
    ``result.report.summary()``, ``result.errors``). Raises :class:`NothingToBuild`
    (and writes nothing) when no document could be loaded.
    Raises :class:`~timeline.outputs.OutputLocked` when another build is writing
    into ``out_dir``; on any failure the previous outputs are left as they were.
    """
    from timeline.run import Run

    if isinstance(paths, (str, Path)):
        paths = [paths]
    out = Path(out_dir)
    exclude = [*corpus_options.pop("exclude", ()), out]  # never read its own outputs
    with Run(workers=workers, dask=dask, progress=progress, work_dir=work_dir,
             batch_documents=batch_documents) as run:
        settled = run.ingest(list(paths), exclude=exclude, tagger=tagger, **corpus_options)
        if not settled.documents:
            raise NothingToBuild(_nothing_loaded(list(paths), settled.report))
        with Outputs(out, owned=BUILD_OUTPUTS) as outputs:
            errors: list[str] = []
            notes = StageNotes()
            n_mentions = run.extract(settled, tagger, errors, notes)
            report = settled.report.with_notes(notes.warnings, notes.errors)
            written, n_events = run.merge(settled, outputs.folder, summary_lang=summary_lang,
                                          block_mentions=block_mentions)
            written["ingest_report"] = report.write(outputs.path("ingest_report.json"))
            if charts and n_events:
                _write_charts(written["parquet"], outputs.folder, written, errors, page_lang)
            final = outputs.commit()
            output_notes = list(outputs.notes)
    written = {key: final[path.name] for key, path in written.items()}
    return BuildResult(out, len(settled.documents), n_mentions, n_events, written, None,
                       errors, report, output_notes)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from timeline.cli import add_date_order_argument

    parser.add_argument("corpus", nargs="+", help="folders, JSON Lines, CSV, Parquet or HTML "
                        "files; - reads JSON Lines from standard input")
    parser.add_argument("-o", "--out", default="reports", help="output directory (default: reports)")
    parser.add_argument("--summary-lang", default=None,
                        help="prefer summaries in this language (id, en, ...)")
    parser.add_argument("--no-charts", action="store_true", help="do not draw the charts")
    from timeline.charts.cli import add_page_lang_argument

    add_page_lang_argument(parser)
    add_date_order_argument(parser)
    add_corpus_arguments(parser)
    from timeline.cli import add_workers_argument

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
    parser.add_argument("--quiet", action="store_true",
                        help="no progress bars (they are shown only when stderr is a terminal)")


def run(args: argparse.Namespace) -> int:
    """``timeline build``: the summary on stdout, problems on stderr (status in cli.py)."""
    from timeline.cli import EXIT_OK, EXIT_PARTIAL, UsageError
    from timeline.parallel import available_cores

    options: dict[str, Any] = dict(corpus_options(args))
    workers = args.workers if args.workers is not None else available_cores()
    if workers < 1:
        raise UsageError(f"--workers {workers}: give 1 or more")
    for option, value in (("--block-mentions", args.block_mentions),
                          ("--batch-documents", args.batch_documents)):
        if value is not None and value < 1:
            raise UsageError(f"{option} {value}: give 1 or more")
    progress = not args.quiet and sys.stderr.isatty()
    try:
        result = build(args.corpus, args.out, summary_lang=args.summary_lang,
                       charts=not args.no_charts, date_order=args.date_order,
                       page_lang=args.page_lang, workers=workers, dask=args.dask,
                       progress=progress, work_dir=args.work_dir,
                       block_mentions=args.block_mentions,
                       batch_documents=args.batch_documents, **options)
    except NothingToBuild as exc:
        raise UsageError(str(exc)) from None
    except OutputError as exc:  # locked by another build, or an unsafe folder
        print(f"timeline build: {exc}", file=sys.stderr)
        return EXIT_PARTIAL
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


if __name__ == "__main__":
    from timeline.cli import main

    sys.exit(main(["build", *sys.argv[1:]]))
