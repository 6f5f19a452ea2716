"""The build: ingest → tag → mentions → merge → write (→ charts), for a corpus.

>>> import timeline
>>> frame = timeline.build_chronology(documents)  # doctest: +SKIP
>>> result = timeline.build(["fixtures/seeds"], "reports/")  # doctest: +SKIP

Outputs in DIR: ``chronology.parquet``, ``.csv``, ``.jsonl``, ``.md`` (formats in
docs/conventions.md), ``mentions.parquet`` and ``mentions.csv`` (every event
mention), the ingest report ``ingest_report.json`` (every input accounted for) and
the interactive page ``timeline.html``. They are written
together or not at all, one build at a time (:mod:`timeline.pipeline.outputs`); DIR is
never read as input.

A document that fails in a later stage (tagging, events) is reported in the
ingest report under its entry (``errors``, with the stage and the reason) and
left out; the other documents go on. What a stage dropped from a document (an
expression out of the calendar's range, text past a limit) is a warning on it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from timeline import corpus as corpus_stage
from timeline.chronology.clusters import cluster_mentions
from timeline.chronology.entries import build_entries
from timeline.chronology.writers import plural
from timeline.corpus import Corpus, IngestReport
from timeline.corpus.copies import find_copies
from timeline.corpus.earlier import BUILD_FILES
from timeline.corpus.furniture import find_repeated_lines
from timeline.corpus.ledger import Ledger
from timeline.corpus.report import ReportDigest
from timeline.events.vocabulary import load_vocabulary
from timeline.gazetteers import DEFAULT_GAZETTEERS, available_gazetteers, load_gazetteer
from timeline.pipeline.documents import document_mentions
from timeline.pipeline.outputs import Outputs
from timeline.pipeline.run import Run
from timeline.temporal.publication import PublicationInference, TextTagger
from timeline.types import Document, Tagger


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

    #: The ingest report's counts and first lines (:meth:`ingest_report` reads it whole).
    report: ReportDigest | None = None
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

    def ingest_report(self) -> IngestReport | None:
        """The whole ingest report written (every input's entry), read back."""
        path = self.paths.get("ingest_report")
        return None if path is None else IngestReport.read(path)

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


def gazetteer_names(gazetteers: Sequence[str | Path] | None) -> tuple[str, ...]:
    """The gazetteers to read actors and places with, checked: shipped names as they
    are, files as absolute paths (worker processes may not share the working folder).
    None or empty: the default. Raises :class:`~timeline.gazetteers.GazetteerError`
    (a ValueError) for a file that is missing or does not follow the layout."""
    if not gazetteers:
        return DEFAULT_GAZETTEERS
    shipped = set(available_gazetteers())
    names = []
    for given in gazetteers:
        name = str(given) if str(given) in shipped else str(Path(given).resolve())
        load_gazetteer(name)  # checked here, once, rather than in every worker
        names.append(name)
    return tuple(dict.fromkeys(names))


def build_chronology(documents: Iterable[Document], *, summary_lang: str | None = None,
                     tagger: Tagger | None = None, keep_all: bool = False,
                     gazetteers: Sequence[str | Path] | None = None) -> pl.DataFrame:
    """The chronology frame of ``documents`` (for notebooks; schema in CHRONOLOGY_SCHEMA).

    Near copies and page furniture among the documents are found here as at
    ingestion; only statements that tell a happening are merged (all of them with
    ``keep_all``). ``gazetteers`` (shipped names or files) replace the default one,
    as ``--gazetteer`` does.
    """
    documents = list(documents)
    names = gazetteer_names(gazetteers)
    copies = find_copies(documents)
    mentions = document_mentions(documents, tagger,
                                 repeated=find_repeated_lines(documents, copies),
                                 keep_all=keep_all, gazetteers=names)
    clustering = cluster_mentions([m for m in mentions if keep_all or m.tells == "happening"],
                                  copies=copies, generic=load_vocabulary(names).generic)
    frame, _ = build_entries(clustering, summary_lang=summary_lang)
    return frame


# --- ingest ----------------------------------------------------------------------


def load_corpus(paths: str | Path | Sequence[str | Path], *, tagger: TextTagger | None = None,
                **corpus_options: Any) -> Corpus:
    """Load a corpus (see :func:`timeline.corpus.load_corpus` for the options, among
    them ``date_order``), with publication dates the metadata lacks inferred from
    the texts by the temporal stage (``tagger`` replaces :func:`timeline.tag` there).
    The path ``-`` reads JSON Lines from standard input."""
    return corpus_stage.load_corpus(paths, infer_dates=PublicationInference(tagger),
                                    **corpus_options)


# --- build -----------------------------------------------------------------------


#: Every file a build may write into its folder; those a build does not produce
#: (the page, when built without charts or events) are removed as stale, and a later
#: build never reads them as articles (:mod:`timeline.corpus.earlier`).
BUILD_OUTPUTS = BUILD_FILES


def _write_charts(frame: pl.DataFrame | Path, out_dir: Path, paths: dict[str, Path],
                  errors: list[str], page_lang: str = "en",
                  gazetteers: tuple[str, ...] = DEFAULT_GAZETTEERS) -> None:
    # Imported here, not at the top: the charts (Altair) take 0.8 s and 40 MB to
    # import, which worker processes and builds without a page need not pay.
    from timeline import charts

    try:
        paths["html"] = Path(charts.write_html(frame, out_dir / "timeline.html",
                                               page_lang=page_lang, gazetteers=gazetteers))
    except Exception as exc:  # the chronology is written whatever happens to the page
        errors.append(f"charts: {type(exc).__name__}: {exc}")


def _nothing_loaded(paths: Sequence[str | Path], settled: Ledger) -> str:
    """Why no document came out of the inputs, in one line."""
    named = ", ".join(str(p) for p in paths)
    first, n_failed = settled.first_failure()
    if first is not None:
        more = f"; {n_failed - 1:,} more failed" if n_failed > 1 else ""
        return f"no document could be loaded from {named} ({first[0]}: {first[1]}{more})"
    if settled.ignored:
        return (f"no corpus file in {named} ({len(settled.ignored):,} files ignored, e.g. "
                f"{settled.ignored[0][0]}: {settled.ignored[0][1]}); give .txt, .html, "
                ".jsonl, .csv or .parquet files, or folders of them")
    return (f"no document in {named}; give .txt, .html, .jsonl, .csv or .parquet files, "
            "or folders of them")


def build(paths: str | Path | Sequence[str | Path], out_dir: str | Path, *,
          summary_lang: str | None = None, charts: bool = True, tagger: Tagger | None = None,
          page_lang: str = "en", workers: int = 1, dask: str | None = None,
          progress: bool = False, work_dir: str | Path | None = None,
          block_mentions: int | None = None, batch_documents: int | None = None,
          keep_all: bool = False, gazetteers: Sequence[str | Path] | None = None,
          **corpus_options: Any) -> BuildResult:
    """Run the whole pipeline on a corpus and write its chronology to ``out_dir``.

    The corpus is read, tagged and merged in batches (:mod:`timeline.pipeline.tasks`):
    memory is bounded by the batch and the time block, not by the corpus. With
    ``workers`` > 1 the batches run in that many processes, with ``dask`` (the
    address of a ``dask.distributed`` scheduler) as tasks on its workers; the
    outputs are the same, byte for byte. ``tagger`` must then be a top-level
    function. ``work_dir`` holds the run's intermediate files (the spooled texts, the
    mentions files; default: a temporary folder; with Dask, a folder every worker
    sees); ``progress`` shows a progress bar per stage on stderr. ``batch_documents``
    (inputs per batch) and ``block_mentions`` (mentions per time block of the merge)
    bound the memory; the outputs do not depend on them. ``gazetteers`` (shipped
    names or files, see :mod:`timeline.gazetteers`) replace the default gazetteer for
    the actors and places read, in every worker; name the default too to extend it.

    Page furniture (:mod:`timeline.corpus.furniture`) and statements that tell no
    happening (:mod:`timeline.events.statements`) are set aside: counted per
    document in the ingest report (``set_aside``), the statements listed in the
    mentions files with what they tell (``tells``) and no ``event_id``.
    ``keep_all`` reads the furniture and merges every statement.

    Prints nothing else: the result says what was written (``result.summary()``,
    ``result.report.summary()``, ``result.errors``). Raises :class:`NothingToBuild`
    (and writes nothing) when no document could be loaded.
    Raises :class:`~timeline.pipeline.outputs.OutputLocked` when another build is
    writing into ``out_dir``; on any failure the previous outputs are left as they were.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    out = Path(out_dir)
    exclude = [*corpus_options.pop("exclude", ()), out]  # never read its own outputs
    names = gazetteer_names(gazetteers)
    # the output folder is locked before the corpus is read: of two builds into
    # one folder, the one started first writes
    with Outputs(out, owned=BUILD_OUTPUTS) as outputs, \
            Run(workers=workers, dask=dask, progress=progress, work_dir=work_dir,
                batch_documents=batch_documents, gazetteers=names) as run:
        settled = run.ingest(list(paths), exclude=exclude, tagger=tagger, **corpus_options)
        if not settled.n_documents:
            raise NothingToBuild(_nothing_loaded(list(paths), settled))
        errors: list[str] = []
        n_mentions = run.extract(settled, tagger, errors, keep_all=keep_all)
        written, n_events = run.merge(settled, outputs.folder, summary_lang=summary_lang,
                                      block_mentions=block_mentions)
        report = settled.write_report(outputs.path("ingest_report.json"))
        written["ingest_report"] = outputs.path("ingest_report.json")
        if charts and n_events:
            _write_charts(written["parquet"], outputs.folder, written, errors, page_lang,
                          names)
        final = outputs.commit()
        output_notes = list(outputs.notes)
    written = {key: final[path.name] for key, path in written.items()}
    return BuildResult(out, settled.n_documents, n_mentions, n_events, written, None,
                       errors, report, output_notes)
