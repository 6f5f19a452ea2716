"""Corpus ingestion: inputs in, deduplicated documents with publication context out.

The stages, one way: discover the inputs (folders, manifests, tables, pages) ->
read raw articles -> parse the metadata (dates, languages) -> drop exact
duplicates -> settle ids -> infer missing publication dates from the text ->
:class:`~timeline.types.Document` objects and an :class:`IngestReport` that
accounts for every input; near copies (:mod:`timeline.corpus.copies`) are kept
and said to be copies of their original.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from timeline.characters import sanitise, sanitise_value
from timeline.corpus.columns import ColumnOptions
from timeline.corpus.copies import Copies, find_copies
from timeline.corpus.discovery import discover
from timeline.corpus.formats import FailedInput, ManifestRow, RawArticle, Record, read_file
from timeline.corpus.opening import Source
from timeline.corpus.published import (
    DATE_ORDERS,
    DEFAULT_DATE_ORDER,
    Published,
    parse_published_value,
)
from timeline.corpus.report import IngestReport, ReportEntry
from timeline.lang import FALLBACK_NOTE, language_support
from timeline.lang.detect import DETECT_CHARS, UNDETERMINED, detect_language, normalise_lang
from timeline.limits import LIMITS, MAX_DOCUMENT_CHARS, collected
from timeline.types import NO_GUESS, Document, Provenance, PublicationGuess

#: How missing publication dates are inferred: given ``(id, text, lang)`` of each
#: undated text, the known dates by id, and today, a guess per id (the temporal
#: stage provides one: :class:`timeline.temporal.publication.PublicationInference`).
DateInference = Callable[[Sequence[tuple[str, str, str | None]], dict[str, date], date],
                         dict[str, PublicationGuess]]

if TYPE_CHECKING:
    import polars as pl


def normalised_text_key(text: str) -> str:
    """Hash of the text with Unicode compatibility forms and whitespace unified.

    Syndicated copies differ in line breaks, non-breaking spaces and full-width
    forms, not in words; those count as the same article.
    """
    # str.split() splits on the characters \s matches, and drops them at both ends
    folded = " ".join(unicodedata.normalize("NFKC", text).split())
    return hashlib.sha256(folded.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(slots=True)
class Pending:
    """An article read and parsed, waiting for dedup, ids and date inference."""

    raw: RawArticle
    key: str
    id: str
    id_given: bool
    published: Published | None
    lang: str
    lang_detected: bool
    warnings: list[str]
    guess: PublicationGuess = NO_GUESS
    duplicates: list[dict[str, Any]] = field(default_factory=list)

    def text_field(self, name: str) -> str | None:
        value = self.raw.fields.get(name)
        return str(value).strip() if value is not None and str(value).strip() else None

    def rank(self) -> tuple[bool, bool, bool, int, str, str]:
        """Which copy of a duplicated text is kept: metadata-rich first (a date, a time
        with it, an id, source/url/title), then by id and input, so not by input order."""
        richness = sum(1 for name in ("source", "url", "title") if self.text_field(name))
        precise = self.published is not None and self.published.has_time
        return (self.published is None, not precise, not self.id_given, -richness, self.id,
                self.raw.input)


@dataclass(repr=False)
class Corpus:
    """Loaded documents (sorted by id) and the report of what became of each input.

    >>> Corpus([Document("a", "teks", lang="id"), Document("b", "text", lang="en")],
    ...        IngestReport(()))
    Corpus(2 documents, 2 languages (en, id), 0 dated; 0 inputs, 0 failed)
    """

    documents: list[Document]
    report: IngestReport
    #: Which loaded documents are near copies of which (syndicated or updated).
    copies: Copies = field(default_factory=Copies)

    def __repr__(self) -> str:
        # Short, for notebooks: the texts are in .documents and .frame().
        languages = sorted({d.lang for d in self.documents if d.lang})
        shown = ", ".join(languages[:8]) + (", ..." if len(languages) > 8 else "")
        dated = sum(1 for d in self.documents if d.published is not None)
        counts = self.report.counts()
        noun = "document" if len(self.documents) == 1 else "documents"
        return (f"Corpus({len(self.documents):,} {noun}, {len(languages)} languages"
                f"{f' ({shown})' if shown else ''}, {dated:,} dated; {counts['inputs']:,} "
                f"inputs, {counts['failed']:,} failed)")

    def __len__(self) -> int:
        return len(self.documents)

    def __iter__(self) -> Iterator[Document]:
        return iter(self.documents)

    def frame(self) -> pl.DataFrame:
        """One row per document; columns and types as in
        :data:`timeline.frames.CORPUS_SCHEMA`."""
        # Lazy: polars takes ~0.6 s to import, and `timeline --help` imports this
        # module (through timeline.corpus); only this method needs it.
        import polars as pl

        from timeline.frames import CORPUS_SCHEMA

        rows = []
        for doc in self.documents:
            published = doc.published
            provenance = doc.provenance or Provenance(input="")
            rows.append({
                "id": doc.id,
                "input": provenance.input or None,
                "source": doc.source,
                "url": doc.url,
                "title": doc.title,
                "lang": doc.lang,
                "lang_detected": provenance.lang_detected,
                "published": provenance.published_iso,
                "published_date": published.date() if published else None,
                "published_utc": _utc(published),
                "published_inferred": doc.published_inferred,
                "published_confidence": provenance.published_confidence,
                "published_basis": provenance.published_basis,
                "n_chars": len(doc.text),
                "text": doc.text,
            })
        return pl.DataFrame(rows, schema=CORPUS_SCHEMA, orient="row")


def _utc(published: datetime | None) -> datetime | None:
    """The instant in UTC; None without a zone, or when it falls outside years 1-9999."""
    if published is None or published.tzinfo is None:
        return None
    try:
        return published.astimezone(UTC)
    except OverflowError:
        return None


def _as_paths(paths: str | Path | Iterable[str | Path]) -> list[Path]:
    if isinstance(paths, str | Path):
        return [Path(paths)]
    return [Path(p) for p in paths]


def read_records(files: Iterable[Source], manifests: Mapping[Path, ManifestRow],
                 options: ColumnOptions, today: date) -> Iterator[Record]:
    """All records, each file guarded: an unexpected error becomes that file's failure
    (the records it gave before the error are kept)."""
    for source in files:
        try:
            yield from read_file(source, manifests, options, today)
        except Exception as exc:  # nothing crashes: the file gets its line
            yield FailedInput(source.path.as_posix(),
                              f"could not be read: {type(exc).__name__}: {exc}")


def _cap(text: str, limit: int = MAX_DOCUMENT_CHARS) -> tuple[str, str | None]:
    """The text cut to ``limit`` characters at a line break or space, with a note."""
    if len(text) <= limit:
        return text, None
    # a paragraph end near the limit, else a space, else the limit itself
    cut = text.rfind("\n", limit - 100_000, limit)
    if cut < 0:
        cut = text.rfind(" ", limit - 1_000, limit)
    cut = cut + 1 if cut > 0 else limit
    return text[:cut], (f"text of {len(text):,} characters cut after {cut:,} (limit "
                        f"document_chars); the rest is not read")


#: Texts at least this long are cleaned and keyed once however often they recur.
_SHARED_TEXT_CHARS = 4096


class TextCache:
    """Large texts seen in this run, each cleaned and keyed once: a table repeating
    one large text (200 rows of the same 5 MB) costs its memory and its work once."""

    def __init__(self) -> None:
        self.cleaned: dict[str, tuple[str, tuple[str, ...]]] = {}
        self.keys: dict[str, str] = {}

    def clean(self, text: str) -> tuple[str, tuple[str, ...]]:
        if len(text) < _SHARED_TEXT_CHARS:
            return _clean_text(text)
        if text not in self.cleaned:
            self.cleaned[text] = _clean_text(text)
        return self.cleaned[text]

    def key(self, text: str) -> str:
        if len(text) < _SHARED_TEXT_CHARS:
            return normalised_text_key(text)
        if text not in self.keys:
            self.keys[text] = normalised_text_key(text)
        return self.keys[text]


def _clean_text(text: str) -> tuple[str, tuple[str, ...]]:
    text, note = sanitise(text)
    text, cut = _cap(text)
    return text, tuple(n for n in (f"text: {note}" if note else None, cut) if n)


def clean_record(record: Record, cache: TextCache | None = None) -> Record:
    """A record with every string sanitised once (:func:`~timeline.characters.sanitise`:
    no lone surrogate, NUL or control character reaches a later stage or a writer)
    and its text within :data:`~timeline.limits.MAX_DOCUMENT_CHARS`."""
    if isinstance(record, FailedInput):
        return FailedInput(sanitise(record.input)[0], sanitise(record.reason)[0])
    text, text_notes = (cache or TextCache()).clean(record.text)
    notes = list(text_notes)
    fields = {name: sanitise_value(value) for name, value in record.fields.items()}
    for name in ("id", "source", "url", "title"):
        raw = record.fields.get(name)
        if isinstance(raw, str) and fields[name] != raw:
            notes.append(f"{name}: {sanitise(raw)[1]}")
    return RawArticle(sanitise(record.input)[0], text, fields,
                      sanitise_value(dict(record.extra)),
                      tuple(sanitise(w)[0] for w in record.warnings) + tuple(notes),
                      record.published_basis)


def _cleaned(records: Iterable[Record], cache: TextCache) -> Iterator[Record]:
    """Every record cleaned (each large text once, shared by its copies)."""
    for record in records:
        try:
            yield clean_record(record, cache)
        except Exception as exc:  # a value too deeply nested to walk: this record only
            yield FailedInput(sanitise(record.input)[0],
                              f"could not be read: {type(exc).__name__}")


def parse_article(raw: RawArticle, today: date, cache: TextCache | None = None,
                  date_order: str = DEFAULT_DATE_ORDER) -> Pending:
    warnings = list(raw.warnings)
    key = (cache or TextCache()).key(raw.text)
    given_id = raw.fields.get("id")
    id_given = given_id is not None and str(given_id).strip() != ""
    doc_id = str(given_id).strip() if id_given else key[:16]

    published = None
    if "published" in raw.fields:
        try:
            published = parse_published_value(raw.fields["published"], today=today,
                                              date_order=date_order)
        except ValueError as exc:
            warnings.append(f"published: {exc}; inferring it from the text instead")

    lang = normalise_lang(raw.fields.get("lang"))
    if "lang" in raw.fields and lang is None:
        warnings.append(f"lang {raw.fields['lang']!r} is not a language code; detected instead")
    lang_detected = lang is None
    if lang is None:
        lang = detect_language(raw.text)  # reads a prefix (DETECT_CHARS) by design
    support = language_support(lang) if lang != UNDETERMINED else "rules"
    how = "detected" if lang_detected else "given"
    if support is None:
        warnings.append(f"lang {lang!r} ({how}): no rules for it and dateparser does not read "
                        "it; no dates will be found in this document (give its language "
                        "with a lang column if it is wrong)")
    elif support == "dateparser":
        warnings.append(f"lang {lang!r} ({how}): {FALLBACK_NOTE}")
    return Pending(raw, key, doc_id, id_given, published, lang, lang_detected, warnings)


def deduplicate(pending: list[Pending]) -> tuple[list[Pending], dict[str, Pending]]:
    """Keep one article per normalised text. Returns (kept, raw input -> kept copy)."""
    groups: dict[str, list[Pending]] = defaultdict(list)
    for item in pending:
        groups[item.key].append(item)
    kept, duplicate_of = [], {}
    for group in groups.values():
        group.sort(key=Pending.rank)
        keeper = group[0]
        kept.append(keeper)
        for copy in group[1:]:
            duplicate_of[copy.raw.input] = keeper
            keeper.duplicates.append({
                "input": copy.raw.input, "id": copy.id,
                **{name: copy.text_field(name) for name in ("source", "url")
                   if copy.text_field(name)}})
    return kept, duplicate_of


def settle_ids(kept: list[Pending]) -> None:
    """Give every article a unique id; colliding ones get a content-hash suffix.

    All articles sharing an id are renamed alike, so the result does not depend on
    input order.
    """
    by_id: dict[str, list[Pending]] = defaultdict(list)
    for item in kept:
        by_id[item.id].append(item)
    for doc_id, group in by_id.items():
        if len(group) == 1:
            continue
        inputs = ", ".join(sorted(item.raw.input for item in group))
        for item in group:
            item.id = f"{doc_id}~{item.key[:8]}"
            item.warnings.append(f"duplicate id {doc_id!r} (given to {len(group)} different "
                                 f"articles: {inputs}); this one is {item.id!r}")


_TABLE_ROW = re.compile(r":(?:row|line) \d+$")


def undated_warning(item: Pending) -> str:
    """The warning of a document whose metadata gave no publication date: why, and what
    was guessed from its text (with what), so that no date is guessed silently."""
    raw = item.raw
    if _TABLE_ROW.search(raw.input):
        others = sorted(raw.extra)
        listed = f"; its other columns: {', '.join(others[:10])}" if others else ""
        why = ("no publication date in its row (no column named published, date, pubdate, "
               f"published_at ..., or an empty one{listed}; name the column with --date-col)")
    else:
        why = ("no publication date for this file (no manifest.csv or manifest.jsonl beside "
               "it names it with a published column, and its own metadata has none)")
    guess = item.guess
    if guess.published is not None:
        return f"{why}: date guessed from the text: {guess.published.isoformat()} ({guess.basis})"
    return f"{why}, and the text gives none: its relative dates stay unresolved"


def _infer_dates(kept: list[Pending], infer: DateInference, today: date) -> list[str]:
    """Infer missing publication dates with the inference the caller gave. Returns
    what the tagging behind it dropped (it reads all undated texts at once)."""
    undated = [item for item in kept if item.published is None]
    if not undated:
        return []
    known = {item.id: item.published.moment.date() for item in kept if item.published}
    with collected() as dropped:
        guesses = infer([(item.id, item.raw.text, item.lang) for item in undated], known,
                        today)
    for item in undated:
        item.guess = guesses.get(item.id, NO_GUESS)
        item.warnings.extend(item.guess.notes)
        item.warnings.append(undated_warning(item))
    return [f"date inference: {note}" for note in dict.fromkeys(dropped)]


def document_of(item: Pending) -> Document:
    raw_published = item.raw.fields.get("published")
    common: dict[str, Any] = {
        "input": item.raw.input, "lang_detected": item.lang_detected,
        "warnings": tuple(item.warnings),
        "published_raw": None if raw_published is None else str(raw_published),
        "duplicates": tuple(item.duplicates), "extra": dict(item.raw.extra),
    }
    published: datetime | None
    if item.published is not None:
        published = item.published.moment
        provenance = Provenance(
            **common, published_iso=item.published.iso(),
            published_precision="time" if item.published.has_time else "day",
            published_basis=item.raw.published_basis, published_confidence=1.0)
    else:
        guess = item.guess
        published = (datetime(guess.published.year, guess.published.month, guess.published.day)
                     if guess.published else None)
        provenance = Provenance(
            **common, published_iso=guess.published.isoformat() if guess.published else None,
            published_precision="day" if guess.published else None,
            published_basis=f"inferred: {guess.basis}", published_confidence=guess.confidence,
            published_evidence=guess.evidence, published_candidates=guess.candidates)
    return Document(
        id=item.id, text=item.raw.text, published=published, lang=item.lang,
        source=item.text_field("source"), url=item.text_field("url"),
        title=item.text_field("title"),
        published_inferred=item.published is None and published is not None,
        provenance=provenance)


def loaded_details(doc: Document, provenance: Provenance,
                   n_chars: int | None = None) -> dict[str, Any]:
    lang = doc.lang or UNDETERMINED
    details: dict[str, Any] = {
        "lang": doc.lang, "lang_detected": provenance.lang_detected,
        # what reads its dates: a language folder's rules, or only the fallback
        "read_by": "rules" if lang == UNDETERMINED else language_support(lang),
        "published": provenance.published_iso,
        "published_inferred": doc.published_inferred,
        "published_basis": provenance.published_basis,
        "published_confidence": provenance.published_confidence,
        "n_chars": len(doc.text) if n_chars is None else n_chars,
    }
    if provenance.inferred:
        details["published_evidence"] = list(provenance.published_evidence)
        details["published_candidates"] = [c.isoformat()
                                           for c in provenance.published_candidates]
    return details


def copy_details(doc: Document, copies: Copies) -> dict[str, Any]:
    if doc.id in copies.original:
        return {"copy_of": copies.original[doc.id], "copy_similarity": copies.similarity[doc.id]}
    copies_of = copies.copies_of(doc.id)
    return {"copies": copies_of} if copies_of else {}


def load_corpus(paths: str | Path | Iterable[str | Path], *, text_col: str | None = None,
                date_col: str | None = None, id_col: str | None = None,
                source_col: str | None = None, url_col: str | None = None,
                title_col: str | None = None, lang_col: str | None = None,
                today: date | None = None, infer_dates: DateInference | None = None,
                date_order: str = DEFAULT_DATE_ORDER, follow_symlinks: bool = False,
                exclude: Iterable[str | Path] = ()) -> Corpus:
    """Load articles from folders of .txt/.html (with sidecar manifests), JSON Lines,
    CSV and Parquet files, mixed freely.

    Never raises for bad data: every input ends up loaded, a duplicate, or failed
    with a reason in ``corpus.report``. ``today`` bounds plausible dates (default:
    the system date). Publication dates that are not ISO 8601 are read with numeric
    dates in ``date_order`` ("DMY", day first, by default; "MDY"; "YMD"). The path
    ``-`` reads JSON Lines from standard input. ``infer_dates`` infers the dates the metadata lacks from the
    texts; without it they stay unknown (:func:`timeline.load_corpus` passes the
    temporal stage's inference).

    Only regular files are read; symbolic links inside folders only with
    ``follow_symlinks``; files a manifest names only inside its corpus folder;
    nothing under ``exclude`` (a build passes its output folder). Every string
    is sanitised once here, and texts are cut at
    :data:`~timeline.limits.MAX_DOCUMENT_CHARS` (with a warning).

    >>> corpus = load_corpus("fixtures/seeds")  # doctest: +SKIP
    >>> corpus.report.counts()["loaded"]  # doctest: +SKIP
    5
    """
    if date_order not in DATE_ORDERS:
        raise ValueError(f"date_order {date_order!r}: one of {', '.join(DATE_ORDERS)}")
    today = today or date.today()
    options = ColumnOptions(text=text_col, published=date_col, id=id_col, source=source_col,
                            url=url_col, title=title_col, lang=lang_col)
    found = discover(_as_paths(paths), options, follow_symlinks=follow_symlinks,
                     exclude=[Path(p) for p in exclude])
    cache = TextCache()
    records: list[Record] = list(_cleaned(found.failures, cache))
    records.extend(_cleaned(read_records(found.files, found.manifests, options, today), cache))

    pending: dict[str, Pending] = {}
    failures: dict[str, str] = {}
    for record in records:
        if isinstance(record, FailedInput):
            continue
        try:
            pending[record.input] = parse_article(record, today, cache, date_order)
        except Exception as exc:  # a metadata value nobody foresaw: fail this one only
            failures[record.input] = f"could not be parsed: {type(exc).__name__}: {exc}"
    kept, duplicate_of = deduplicate(list(pending.values()))
    settle_ids(kept)
    inference_notes = _infer_dates(kept, infer_dates, today) if infer_dates is not None else []
    documents = {item.raw.input: document_of(item) for item in kept}
    copies = find_copies(documents.values())

    entries = []
    for record in records:
        if isinstance(record, FailedInput):
            entries.append(ReportEntry(record.input, "failed", reason=record.reason))
        elif record.input in failures:
            entries.append(ReportEntry(record.input, "failed", reason=failures[record.input]))
        elif record.input in duplicate_of:
            keeper = duplicate_of[record.input]
            entries.append(ReportEntry(record.input, "duplicate", id=pending[record.input].id,
                                       duplicate_of=keeper.id,
                                       warnings=tuple(pending[record.input].warnings)))
        else:
            doc = documents[record.input]
            provenance = doc.provenance
            assert provenance is not None  # every loaded document has one
            entries.append(ReportEntry(record.input, "loaded", id=doc.id,
                                       warnings=provenance.warnings,
                                       details=loaded_details(doc, provenance)
                                       | copy_details(doc, copies)))
    report = IngestReport(tuple(entries),
                          tuple(sanitise(w)[0] for w in (*found.warnings, *inference_notes)),
                          tuple((sanitise(p)[0], r) for p, r in found.ignored),
                          limits={**getattr(infer_dates, "limits", {}),
                                  "detect_chars": DETECT_CHARS, **LIMITS})
    return Corpus(sorted(documents.values(), key=lambda d: d.id), report, copies)
