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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from timeline.corpus.columns import ColumnOptions
from timeline.corpus.copies import Copies, find_copies
from timeline.corpus.inference import (
    NO_GUESS,
    TAG_CHAR_LIMIT,
    Clues,
    PublicationGuess,
    Tagger,
    decide,
    find_clues,
)
from timeline.corpus.published import Published, parse_published_value
from timeline.corpus.readers import FailedInput, RawArticle, Record, discover, read_file
from timeline.corpus.report import IngestReport, ReportEntry
from timeline.lang.detect import DETECT_CHARS, detect_language, normalise_lang
from timeline.types import Document

if TYPE_CHECKING:
    import polars as pl

_SPACE = re.compile(r"\s+")

#: Columns of :meth:`Corpus.frame`, in order, with their polars types (as names).
FRAME_SCHEMA = {
    "id": "String",                   # document id (manifest, id column, or content hash)
    "input": "String",                # file, or file:line N / file:row N, it came from
    "source": "String",
    "url": "String",
    "title": "String",
    "lang": "String",                 # ISO 639-1 ('und' when no letters)
    "lang_detected": "Boolean",       # True when detected rather than given
    "published": "String",            # ISO 8601 at the precision known, offset kept
    "published_date": "Date",         # the calendar day as the source states it
    # the instant; null without a time and zone
    "published_utc": "Datetime(time_unit='us', time_zone='UTC')",
    "published_inferred": "Boolean",  # True when inferred from the text
    "published_confidence": "Float64",  # 1.0 from metadata; lower when inferred
    "published_basis": "String",      # metadata, HTML markup, dateline, ...
    "n_chars": "Int64",
    "text": "String",
}


def normalised_text_key(text: str) -> str:
    """Hash of the text with Unicode compatibility forms and whitespace unified.

    Syndicated copies differ in line breaks, non-breaking spaces and full-width
    forms, not in words; those count as the same article.
    """
    folded = _SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip()
    return hashlib.sha256(folded.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(slots=True)
class _Pending:
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
    clues: Clues | None = None
    duplicates: list[dict[str, Any]] = field(default_factory=list)

    def text_field(self, name: str) -> str | None:
        value = self.raw.fields.get(name)
        return str(value).strip() if value is not None and str(value).strip() else None

    def rank(self) -> tuple:
        """Which copy of a duplicated text is kept: metadata-rich first (a date, a time
        with it, an id, source/url/title), then by id and input, so not by input order."""
        richness = sum(1 for name in ("source", "url", "title") if self.text_field(name))
        precise = self.published is not None and self.published.has_time
        return (self.published is None, not precise, not self.id_given, -richness, self.id,
                self.raw.input)


@dataclass
class Corpus:
    """Loaded documents (sorted by id) and the report of what became of each input."""

    documents: list[Document]
    report: IngestReport
    #: Which loaded documents are near copies of which (syndicated or updated).
    copies: Copies = field(default_factory=Copies)

    def __len__(self) -> int:
        return len(self.documents)

    def __iter__(self) -> Iterator[Document]:
        return iter(self.documents)

    def frame(self) -> pl.DataFrame:
        """One row per document; columns and types as in :data:`FRAME_SCHEMA`."""
        import polars as pl

        rows = []
        for doc in self.documents:
            published = doc.published
            rows.append({
                "id": doc.id,
                "input": doc.meta.get("input"),
                "source": doc.source,
                "url": doc.url,
                "title": doc.title,
                "lang": doc.lang,
                "lang_detected": bool(doc.meta.get("lang_detected")),
                "published": doc.meta.get("published_iso"),
                "published_date": published.date() if published else None,
                "published_utc": (published.astimezone(UTC)
                                  if published and published.tzinfo else None),
                "published_inferred": doc.published_inferred,
                "published_confidence": doc.meta.get("published_confidence"),
                "published_basis": doc.meta.get("published_basis"),
                "n_chars": len(doc.text),
                "text": doc.text,
            })
        schema = {
            "id": pl.String, "input": pl.String, "source": pl.String, "url": pl.String,
            "title": pl.String, "lang": pl.String, "lang_detected": pl.Boolean,
            "published": pl.String, "published_date": pl.Date,
            "published_utc": pl.Datetime("us", "UTC"), "published_inferred": pl.Boolean,
            "published_confidence": pl.Float64, "published_basis": pl.String,
            "n_chars": pl.Int64, "text": pl.String,
        }
        return pl.DataFrame(rows, schema=schema, orient="row")


def _as_paths(paths: str | Path | Iterable[str | Path]) -> list[Path]:
    if isinstance(paths, str | Path):
        return [Path(paths)]
    return [Path(p) for p in paths]


def _records(files: Iterable[Path], manifests, options: ColumnOptions,
             today: date) -> Iterator[Record]:
    """All records, each file guarded: an unexpected error becomes that file's failure."""
    for path in files:
        try:
            yield from read_file(path, manifests, options, today)
        except Exception as exc:  # nothing crashes: the file gets its line
            yield FailedInput(path.as_posix(), f"could not be read: {type(exc).__name__}: {exc}")


def _parse(raw: RawArticle, today: date) -> _Pending:
    warnings = list(raw.warnings)
    key = normalised_text_key(raw.text)
    given_id = raw.fields.get("id")
    id_given = given_id is not None and str(given_id).strip() != ""
    doc_id = str(given_id).strip() if id_given else key[:16]

    published = None
    if "published" in raw.fields:
        try:
            published = parse_published_value(raw.fields["published"], today=today)
        except ValueError as exc:
            warnings.append(f"published: {exc}; inferring it from the text instead")

    lang = normalise_lang(raw.fields.get("lang"))
    if "lang" in raw.fields and lang is None:
        warnings.append(f"lang {raw.fields['lang']!r} is not a language code; detected instead")
    lang_detected = lang is None
    if lang is None:
        lang = detect_language(raw.text)  # reads a prefix (DETECT_CHARS) by design
    return _Pending(raw, key, doc_id, id_given, published, lang, lang_detected, warnings)


def _deduplicate(pending: list[_Pending]) -> tuple[list[_Pending], dict[str, _Pending]]:
    """Keep one article per normalised text. Returns (kept, raw input -> kept copy)."""
    groups: dict[str, list[_Pending]] = defaultdict(list)
    for item in pending:
        groups[item.key].append(item)
    kept, duplicate_of = [], {}
    for group in groups.values():
        group.sort(key=_Pending.rank)
        keeper = group[0]
        kept.append(keeper)
        for copy in group[1:]:
            duplicate_of[copy.raw.input] = keeper
            keeper.duplicates.append({
                "input": copy.raw.input, "id": copy.id,
                **{name: copy.text_field(name) for name in ("source", "url")
                   if copy.text_field(name)}})
    return kept, duplicate_of


def _settle_ids(kept: list[_Pending]) -> None:
    """Give every article a unique id; colliding ones get a content-hash suffix.

    All articles sharing an id are renamed alike, so the result does not depend on
    input order.
    """
    by_id: dict[str, list[_Pending]] = defaultdict(list)
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


def _infer_dates(kept: list[_Pending], tagger: Tagger | None, today: date) -> None:
    """Infer missing publication dates: each text alone, then narrowed by the corpus."""
    undated = [item for item in kept if item.published is None]
    for item in undated:
        item.clues = find_clues(item.raw.text, lang=item.lang, tagger=tagger, today=today)
        item.warnings.extend(item.clues.notes)
        item.guess = decide(item.clues, today=today)
    known = {item.id: item.published.moment.date() for item in kept if item.published}
    known.update({item.id: item.guess.published for item in undated if item.guess.published})
    for item in undated:
        if item.guess.published is None and len(item.guess.candidates) > 1 and item.clues:
            others = [day for doc_id, day in known.items() if doc_id != item.id]
            item.guess = decide(item.clues, corpus_dates=others, today=today)


def _document(item: _Pending) -> Document:
    meta: dict[str, Any] = {
        "input": item.raw.input,
        "lang_detected": item.lang_detected,
        "warnings": list(item.warnings),
    }
    if "published" in item.raw.fields:
        meta["published_raw"] = str(item.raw.fields["published"])
    published: datetime | None
    if item.published is not None:
        published = item.published.moment
        meta.update(published_iso=item.published.iso(),
                    published_precision="time" if item.published.has_time else "day",
                    published_basis=item.raw.published_basis, published_confidence=1.0)
    else:
        guess = item.guess
        published = (datetime(guess.published.year, guess.published.month, guess.published.day)
                     if guess.published else None)
        meta.update(published_iso=guess.published.isoformat() if guess.published else None,
                    published_precision="day" if guess.published else None,
                    published_basis=f"inferred: {guess.basis}",
                    published_confidence=guess.confidence,
                    published_evidence=list(guess.evidence),
                    published_candidates=[c.isoformat() for c in guess.candidates])
    if item.duplicates:
        meta["duplicates"] = item.duplicates
    if item.raw.extra:
        meta["extra"] = dict(item.raw.extra)
    return Document(
        id=item.id, text=item.raw.text, published=published, lang=item.lang,
        source=item.text_field("source"), url=item.text_field("url"),
        title=item.text_field("title"),
        published_inferred=item.published is None and published is not None, meta=meta)


def _loaded_details(doc: Document) -> dict[str, Any]:
    meta = doc.meta
    details: dict[str, Any] = {
        "lang": doc.lang, "lang_detected": meta["lang_detected"],
        "published": meta.get("published_iso"),
        "published_inferred": doc.published_inferred,
        "published_basis": meta.get("published_basis"),
        "published_confidence": meta.get("published_confidence"),
        "n_chars": len(doc.text),
    }
    if "published_evidence" in meta:
        details["published_evidence"] = meta["published_evidence"]
        details["published_candidates"] = meta["published_candidates"]
    return details


def _copy_details(doc: Document, copies: Copies) -> dict[str, Any]:
    if doc.id in copies.original:
        return {"copy_of": copies.original[doc.id], "copy_similarity": copies.similarity[doc.id]}
    copies_of = copies.copies_of(doc.id)
    return {"copies": copies_of} if copies_of else {}


def load_corpus(paths: str | Path | Iterable[str | Path], *, text_col: str | None = None,
                date_col: str | None = None, id_col: str | None = None,
                source_col: str | None = None, url_col: str | None = None,
                title_col: str | None = None, lang_col: str | None = None,
                today: date | None = None, tagger: Tagger | None = None) -> Corpus:
    """Load articles from folders of .txt/.html (with sidecar manifests), JSON Lines,
    CSV and Parquet files, mixed freely.

    Never raises for bad data: every input ends up loaded, a duplicate, or failed
    with a reason in ``corpus.report``. ``today`` bounds plausible dates (default:
    the system date); ``tagger`` replaces ``timeline.tag`` for date inference.

    >>> corpus = load_corpus("fixtures/seeds")  # doctest: +SKIP
    >>> corpus.report.counts()["loaded"]  # doctest: +SKIP
    5
    """
    today = today or date.today()
    options = ColumnOptions(text=text_col, published=date_col, id=id_col, source=source_col,
                            url=url_col, title=title_col, lang=lang_col)
    found = discover(_as_paths(paths), options)
    records: list[Record] = list(found.failures)
    records.extend(_records(found.files, found.manifests, options, today))

    pending: dict[str, _Pending] = {}
    failures: dict[str, str] = {}
    for record in records:
        if isinstance(record, FailedInput):
            continue
        try:
            pending[record.input] = _parse(record, today)
        except Exception as exc:  # a metadata value nobody foresaw: fail this one only
            failures[record.input] = f"could not be parsed: {type(exc).__name__}: {exc}"
    kept, duplicate_of = _deduplicate(list(pending.values()))
    _settle_ids(kept)
    _infer_dates(kept, tagger, today)
    documents = {item.raw.input: _document(item) for item in kept}
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
            entries.append(ReportEntry(record.input, "loaded", id=doc.id,
                                       warnings=tuple(doc.meta["warnings"]),
                                       details=_loaded_details(doc) | _copy_details(doc, copies)))
    report = IngestReport(tuple(entries), found.warnings, found.ignored,
                          limits={"tag_chars": TAG_CHAR_LIMIT, "detect_chars": DETECT_CHARS})
    return Corpus(sorted(documents.values(), key=lambda d: d.id), report, copies)
