"""Sentence splitting for news in Indonesian and English.

A sentence ends at ``.``, ``!``, ``?`` or ``…`` (with any closing quotes or
brackets after it) when the next word starts a sentence (a capital, a digit or
an opening quote), and at every line break (a paragraph). It does not end after
an abbreviation from the language data ("Jend.", "Gen.", "A.S."), an initial
("J."), or inside a number ("2,2 juta", "4,25", "1.300", "pukul 14.30"). A
dateline at the head of an article ("DAMASKUS, Arrahmahnews.com –",
"ALEPPO (Arrahmah.com) –", "AntiLiberalNews –") is left out of the first sentence.

>>> text = "DAMASKUS, Arrahmahnews.com – Jend. Ali tiba. Dia bicara."
>>> [text[s.start:s.end] for s in split_sentences(text)]
['Jend. Ali tiba.', 'Dia bicara.']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from timeline.events.vocabulary import Vocabulary, load_vocabulary


@dataclass(frozen=True, slots=True)
class Sentence:
    """Offsets of a sentence in its document, and the paragraph (line) it is in."""

    start: int
    end: int
    paragraph: int


_BOUNDARY = re.compile(r"(?:[.!?]+|…)[\"”’')\]»]*(?=\s+)")
_NEXT_STARTS = re.compile(r"\s+[\"“‘'(\[«]*[A-Z0-9\u00C0-\u024F]")
_WORD_BEFORE = re.compile(r"(\S+)$")
# "DAMASKUS, Arrahmahnews.com –", "ALEPPO (Arrahmah.com) –", "ISTANBUL (AA) -",
# "AntiLiberalNews –", "wartaperang -": a short head before a dash.
_DATELINE = re.compile(
    r"^\s*(?:[A-Z][A-Z'’.\- ]{1,40}(?:,\s*[^–—\n]{1,40}?|\s*\([^)\n]{1,40}\))?"
    r"|[\w.]{3,40})\s+[–—-]\s+"
)


def dateline_end(text: str) -> int:
    """Offset just after the dateline at the head of ``text`` (0 when there is none)."""
    m = _DATELINE.match(text)
    return m.end() if m else 0


def _is_abbreviation(token: str, vocab: Vocabulary) -> bool:
    if token in vocab.abbreviations:
        return True
    bare = token.lstrip("(\"“‘'")
    if bare in vocab.abbreviations:
        return True
    # an initial ("J.") or a dotted acronym ("A.S.", "U.S.") not listed
    return bool(re.fullmatch(r"(?:[A-Z]\.)+", bare))


def split_sentences(text: str, lang: str | None = None,
                    vocab: Vocabulary | None = None) -> list[Sentence]:
    """Sentences of ``text`` as offsets (whitespace trimmed), in text order."""
    vocab = vocab or load_vocabulary()
    sentences: list[Sentence] = []
    offset = 0
    head = dateline_end(text)
    for paragraph, line in enumerate(text.split("\n")):
        line_start = offset
        offset += len(line) + 1
        start = line_start
        if paragraph == 0 and head:
            start = line_start + head
        cuts: list[int] = []
        for m in _BOUNDARY.finditer(text, start, line_start + len(line)):
            end = m.end()
            if not _NEXT_STARTS.match(text, end):
                continue
            if m.group(0).startswith("."):
                before = _WORD_BEFORE.search(text, line_start, m.start() + 1)
                if before and _is_abbreviation(before.group(1), vocab):
                    continue
            cuts.append(end)
        for cut in [*cuts, line_start + len(line)]:
            s, e = start, cut
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if e > s:
                sentences.append(Sentence(s, e, paragraph))
            start = cut
    return sentences
