"""Sentence splitting for news in Indonesian and English.

A sentence ends at ``.``, ``!``, ``?`` or ``…`` (with any closing quotes or
brackets after it) when the next word starts a sentence (a capital, a digit or
an opening quote), and at every line break (a paragraph). It does not end after
an abbreviation from the language data ("Jend.", "Gen.", "A.S."), an initial
("J."), or inside a number ("2,2 juta", "4,25", "1.300", "pukul 14.30"). A
dateline at the head of an article ("DAMASKUS, Arrahmahnews.com –",
"ALEPPO (Arrahmah.com) –", "AntiLiberalNews –") is left out of the first sentence,
and so is the mark that opens a line of a list ("- ", "• ").

>>> text = "DAMASKUS, Arrahmahnews.com – Jend. Ali tiba. Dia bicara."
>>> [text[s.start:s.end] for s in split_sentences(text)]
['Jend. Ali tiba.', 'Dia bicara.']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from timeline.events.vocabulary import Vocabulary, load_vocabulary
from timeline.limits import MAX_SENTENCE_CHARS, warn


@dataclass(frozen=True, slots=True)
class Sentence:
    """Offsets of a sentence in its document, and the paragraph (line) it is in."""

    start: int
    end: int
    paragraph: int


# A sentence end: only at the start of a run of marks (the lookbehind), taken whole
# (possessive), so that a long run of dots costs its length once, not its square.
_BOUNDARY = re.compile(r"(?<![.!?])(?:[.!?]++|…)[\"”’')\]»]*+(?=\s)")
_NEXT_STARTS = re.compile(r"\s++[\"“‘'(\[«]*+[A-Z0-9\u00C0-\u024F]")
#: Marks that open the lines of a list.
_LIST_MARKS = frozenset("-–—•*·▪►")
#: Longest abbreviation looked at before a period ("Jend.", "A.S.", "Brig.Jen.").
_ABBREVIATION_CHARS = 40
# "DAMASKUS, Arrahmahnews.com –", "ALEPPO (Arrahmah.com) –", "ISTANBUL (AA) -",
# "AntiLiberalNews –", "wartaperang -": a short head before a dash.
_CITY_DATELINE = (r"[A-Z][A-Z'’.\- ]{1,40}(?:,\s*[^–—\n]{1,40}?|\s*\([^)\n]{1,40}\))?"
                  r"\s+[–—-]\s+")
_DATELINE = re.compile(r"^\s*(?:" + _CITY_DATELINE + r"|[\w.]{3,40}\s+[–—-]\s+)")
#: A city in capitals before a dash opens a dispatch at the head of any line (a live
#: blog's entries, articles pasted one after another).
_LINE_DATELINE = re.compile(_CITY_DATELINE)


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


def _word_before(text: str, line_start: int, end: int) -> str | None:
    """The run of non-space characters ending at ``end`` (None when longer than any
    abbreviation): a bounded look back, whatever the length of the line."""
    start = max(line_start, end - _ABBREVIATION_CHARS - 1)
    i = end
    while i > start and not text[i - 1].isspace():
        i -= 1
    if i == start and start > line_start and not text[start - 1].isspace():
        return None  # the word goes on further back: longer than any abbreviation
    return text[i:end]


def _pieces(text: str, start: int, end: int, limit: int) -> list[tuple[int, int]]:
    """``text[start:end]`` cut into pieces of at most ``limit`` characters, at spaces."""
    pieces = []
    while end - start > limit:
        cut = text.rfind(" ", start + limit // 2, start + limit)
        cut = cut if cut > start else start + limit
        pieces.append((start, cut))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    pieces.append((start, end))
    return pieces


def split_sentences(text: str, lang: str | None = None,
                    vocab: Vocabulary | None = None) -> list[Sentence]:
    """Sentences of ``text`` as offsets (whitespace trimmed), in text order.

    A "sentence" longer than :data:`~timeline.limits.MAX_SENTENCE_CHARS` (a table,
    a list, a run without full stops) is cut into pieces at spaces, with a
    warning: the work per date and the evidence of a mention stay bounded.
    """
    vocab = vocab or load_vocabulary()
    sentences: list[Sentence] = []
    n_cut = 0
    offset = 0
    head = dateline_end(text)
    for paragraph, line in enumerate(text.split("\n")):
        line_start = offset
        offset += len(line) + 1
        start = line_start
        if paragraph == 0 and head:
            start = line_start + head
        elif paragraph and (dispatch := _LINE_DATELINE.match(text, line_start,
                                                             line_start + len(line))):
            start = dispatch.end()
        cuts: list[int] = []
        for m in _BOUNDARY.finditer(text, start, line_start + len(line)):
            end = m.end()
            if not _NEXT_STARTS.match(text, end):
                continue
            if m.group(0).startswith("."):
                before = _word_before(text, line_start, m.start() + 1)
                if before and _is_abbreviation(before, vocab):
                    continue
            cuts.append(end)
        for cut in [*cuts, line_start + len(line)]:
            s, e = start, cut
            while s < e and text[s].isspace():
                s += 1
            # a list mark ("- 2 de mayo. ...", "• ...") is not part of the sentence
            while s + 1 < e and text[s] in _LIST_MARKS and text[s + 1].isspace():
                s += 2
                while s < e and text[s].isspace():
                    s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if e - s > MAX_SENTENCE_CHARS:
                n_cut += 1
                sentences.extend(Sentence(a, b, paragraph)
                                 for a, b in _pieces(text, s, e, MAX_SENTENCE_CHARS))
            elif e > s:
                sentences.append(Sentence(s, e, paragraph))
            start = cut
    if n_cut:
        warn(f"{n_cut} sentence{'s' if n_cut > 1 else ''} longer than "
             f"{MAX_SENTENCE_CHARS:,} characters cut into pieces at spaces (limit "
             "sentence_chars)")
    return sentences
