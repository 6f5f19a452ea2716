"""The per-document work of a build: tag a document, read its event mentions.

One bad document costs only itself: a stage that fails on it is recorded (the
stage and the reason) and the other documents go on; what a stage dropped from a
document (an expression out of the calendar's range, text past a limit) is a
warning on it. Worker processes run this (:mod:`timeline.pipeline.tasks`), and so
do notebooks through :func:`timeline.build_chronology`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from timeline.characters import sanitise
from timeline.corpus.furniture import (
    RepeatedLines,
    find_furniture,
    furniture_counts,
    mask,
    site_of,
)
from timeline.events.mentions import extract_mentions
from timeline.events.vocabulary import load_vocabulary
from timeline.gazetteers import DEFAULT_GAZETTEERS
from timeline.limits import collected
from timeline.temporal import tag_document
from timeline.types import Document, EventMention, Tagger, Timex

#: Longest reason kept for a failure (characters).
REASON_CHARS = 500


@dataclass
class StageNotes:
    """What the stages after ingestion said about each document, by id."""

    warnings: dict[str, list[str]] = field(default_factory=dict)
    #: (stage, reason) for each stage that failed on the document.
    errors: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    #: What was set aside from the document: its furniture (lines by reason, and the
    #: spans) and the statements that tell no happening (by what they tell).
    set_aside: dict[str, dict[str, Any]] = field(default_factory=dict)


def failure_reason(exc: BaseException) -> str:
    """An exception as one clean line of a report."""
    text = f"{type(exc).__name__}: {exc}"
    return sanitise(text if len(text) <= REASON_CHARS else text[:REASON_CHARS] + " ...")[0]


def default_tagger(document: Document) -> Sequence[Timex]:
    """The engine's own tagger (:func:`timeline.temporal.tag_document`)."""
    return tag_document(document)


@dataclass(frozen=True)
class TextTaggerOf:
    """A document tagger called the way date inference calls its tagger
    (:data:`timeline.temporal.publication.TextTagger`), so that a build given its own
    tagger infers dates with it too. Picklable when the tagger is."""

    tagger: Tagger

    def __call__(self, text: str, published: datetime | None = None,
                 lang: str | None = None) -> Sequence[Timex]:
        return self.tagger(Document(id="", text=text, published=published, lang=lang))


def document_mentions(documents: Iterable[Document], tagger: Tagger | None = None,
                      errors: list[str] | None = None,
                      notes: StageNotes | None = None, *,
                      repeated: RepeatedLines | None = None,
                      keep_all: bool = False,
                      gazetteers: tuple[str, ...] = DEFAULT_GAZETTEERS) -> list[EventMention]:
    """Tag each document and read its event mentions; a failing document is skipped.

    Each document's page furniture (:mod:`timeline.corpus.furniture`; ``repeated``:
    the corpus's repeated line hashes) is blanked before it is tagged, unless
    ``keep_all``, when it is read and its mentions tell ``furniture``. Every mention
    is returned, whatever it tells. ``errors`` gets one line per failure; ``notes``
    gets, per document id, the failures (stage and reason), the warnings of what the
    stages dropped, and what was set aside. ``gazetteers`` (shipped names or file
    paths) give the actors and places read.
    """
    tagger = tagger or default_tagger
    vocab = load_vocabulary(tuple(gazetteers))
    mentions: list[EventMention] = []
    for document in documents:
        stage = "furniture"
        with collected() as warned:
            try:
                furniture = find_furniture(document.text,
                                           site=site_of(document.url, document.source),
                                           repeated=repeated)
                spans = [(f.start, f.end) for f in furniture]
                read = document if keep_all else replace(document,
                                                         text=mask(document.text, furniture))
                stage = "tag"
                timexes = tagger(read)
                stage = "events"
                found = extract_mentions(read, timexes, vocab,
                                         furniture=spans if keep_all else ())
                mentions.extend(found)
                aside = _set_aside(document.text, furniture, found)
                if aside and notes is not None:
                    notes.set_aside[document.id] = aside
            except Exception as exc:  # one bad document does not stop the chronology
                reason = failure_reason(exc)
                if errors is not None:
                    errors.append(f"{document.id} ({stage}): {reason}")
                if notes is not None:
                    notes.errors.setdefault(document.id, []).append((stage, reason))
        if warned and notes is not None:
            notes.warnings.setdefault(document.id, []).extend(warned)
    return mentions


def _set_aside(text: str, furniture: Sequence[Any], mentions: Sequence[EventMention]
               ) -> dict[str, Any]:
    """What the ingest report says was set aside from a document (empty: nothing)."""
    aside: dict[str, Any] = {}
    if furniture:
        aside["furniture"] = furniture_counts(furniture, text)
        aside["furniture_spans"] = [[f.start, f.end, f.reason] for f in furniture]
    told = Counter(m.tells for m in mentions if m.tells != "happening")
    if told:
        aside["statements"] = dict(sorted(told.items()))
    return aside
