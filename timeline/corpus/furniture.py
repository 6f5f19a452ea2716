"""Page furniture: the lines of a scraped page that are not the article.

A page read from the web holds more than its article: navigation, teasers of
other articles, share buttons, tag lists, bylines, update stamps, photo credits,
newsletter boxes and the readers' comments. Dated lines among them become false
events (a teaser's "in September" takes each host article's year; a comment
about a battle of 1520 opens the chronology). This module finds them, line by
line, so that the events stage reads only the article; nothing is dropped from
the document: :func:`mask` blanks the furniture (offsets stay those of the
text), the ingest report lists what was set aside and why, and a build with
``keep_all`` reads everything.

Two kinds of evidence:

- **Cues** of the language data (``timeline/lang/<code>/furniture.toml``, every
  language's cues read at once, like the event vocabulary): a line that opens
  the comments (and everything after it), a line that opens a list of links
  (and the short lines after it), share buttons, tag lists, photo credits,
  newsletter boxes, "read also" links, update stamps, copyright lines, bylines.
- **Repetition**: a short line found in :data:`REPEATED_GROUPS` independent
  documents or more of the same site (the domain of its url, else its source) is
  the site's furniture (a teaser, a menu). Independent: a near copy and its
  original (:mod:`timeline.corpus.copies`) count once; a paragraph (a long line)
  repeated in documents published within :data:`FAR_DAYS` days is a story several
  outlets carry, not furniture, and so are the short lines next to it (its
  headline, its lead); repeated over months, it is a standing teaser.

Repetition is counted over the whole corpus from small facts: each document's
line hashes (:func:`line_hashes`, at most :data:`MAX_LINE_HASHES` of 8 bytes),
counted once copies are known (:func:`repeated_lines`); a streaming build counts
them on disk, in its ledger (:mod:`timeline.corpus.ledger`), and hands the
repeated hashes to the batches.

>>> article = "Rebels entered the town on Monday after a siege of six weeks, " * 3
>>> page = "Compartir en Facebook\\n" + article + "\\nComments\\nGreat!"
>>> [(f.reason, page[f.start:f.end]) for f in find_furniture(page)]
[('share', 'Compartir en Facebook'), ('comments', 'Comments\\nGreat!')]
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from urllib.parse import urlsplit

import numpy as np

from timeline.corpus.copies import Copies
from timeline.lang import available_languages, load_language
from timeline.types import Document

#: A line found in at least this many independent documents of one site is furniture.
REPEATED_GROUPS = 3
#: Line hashes kept per document: the first and the last half of its lines.
MAX_LINE_HASHES = 256
#: Lines longer than this (words) are never counted as repeated furniture.
HASHED_LINE_WORDS = 100
#: A line of at least this many words is a paragraph of the article ("long").
LONG_LINE_WORDS = 25
#: A short repeated line this many lines or fewer from a long repeated line belongs
#: to a syndicated article.
SYNDICATED_REACH = 3
#: A long line repeated in documents published more than this many days apart is the
#: site's furniture, not a story told again.
FAR_DAYS = 30
#: Longest line (words) a cue of each kind sets aside.
SHORT_LINE_WORDS = 12
BYLINE_WORDS = 8
#: A heading of this many words or fewer that begins with a "related" entry opens a list.
RELATED_HEADING_WORDS = 5
READ_ALSO_WORDS = 30
#: A line of up to this many words that ends with a "read also" entry is a teaser;
#: its last TAIL_CHARS characters are looked at.
TEASER_WORDS = 80
TAIL_CHARS = 40

#: The reasons a line is set aside, in the order they are tried.
REASONS = ("comments", "related", "repeated", "share", "tags", "credits", "newsletter",
           "read_also", "stamps", "rights", "bylines")

#: Inner marks dropped (as spaces) and digits written "#", in one pass.
_TRANSLATE = {**{ord(c): " " for c in "»«|•*·▪►"}, **{ord(d): "#" for d in "0123456789"}}
_HASH_RUN = re.compile(r"##+")
_EDGE_MARKS = " .:;,-–—…!?¿¡\"'“”‘’()[]{}/"


def normalise_line(line: str) -> str:
    """A line as cues are compared with it: lower case, runs of digits as ``#``, inner
    marks (» « | • *) dropped, spaces collapsed, edge marks trimmed.

    >>> normalise_line("  Se han publicado 41 comentarios »")
    'se han publicado # comentarios'
    """
    if not line.isascii():
        line = unicodedata.normalize("NFKC", line)
    line = line.casefold().translate(_TRANSLATE)
    if "##" in line:
        line = _HASH_RUN.sub("#", line)
    return " ".join(line.split()).strip(_EDGE_MARKS)


def site_of(url: str | None, source: str | None) -> str:
    """The site a document belongs to: its url's host (without ``www.``), else its
    source, else "" (the whole corpus).

    >>> site_of("https://www.elmundo.es/a/b.html", "ext"), site_of(None, "ext")
    ('elmundo.es', 'ext')
    """
    if url:
        try:
            host = urlsplit(url).hostname or ""
        except ValueError:
            host = ""
        if host:
            return host.removeprefix("www.")
    return source or ""


# --- repetition ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Line:
    start: int
    end: int
    key: str
    words: int


def _lines(text: str) -> list[_Line]:
    """Every non-empty line with its offsets (whitespace trimmed), key and word count."""
    found = []
    offset = 0
    for raw in text.split("\n"):
        start, end = offset, offset + len(raw)
        offset = end + 1
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            line = text[start:end]
            words = len(line.split())
            # cues read short lines only, repetition lines of up to HASHED_LINE_WORDS
            if words <= SHORT_LINE_WORDS:
                key = normalise_line(line)
            elif words <= HASHED_LINE_WORDS:
                key = " ".join(line.casefold().split())
            else:
                key = ""
            found.append(_Line(start, end, key, words))
    return found


def _hash(site: str, key: str) -> int:
    return int.from_bytes(hashlib.blake2b(f"{site}\x1f{key}".encode("utf-8", "surrogatepass"),
                                          digest_size=8).digest(), "little")


def _hashed(lines: Sequence[_Line]) -> list[_Line]:
    """The lines whose repetition is counted: with a word, at most HASHED_LINE_WORDS words;
    at most MAX_LINE_HASHES of them (the first and the last half)."""
    kept = [line for line in lines if line.key and line.words <= HASHED_LINE_WORDS]
    if len(kept) > MAX_LINE_HASHES:
        half = MAX_LINE_HASHES // 2
        kept = kept[:half] + kept[-half:]
    return kept


def line_hashes(text: str, site: str = "") -> np.ndarray:
    """The distinct hashes (uint64, sorted) of a document's lines that repetition is
    counted on: the small fact a build keeps per document (at most 2 KB)."""
    hashes = {_hash(site, line.key) for line in _hashed(_lines(text))}
    return np.array(sorted(hashes), dtype=np.uint64)


@dataclass(frozen=True)
class RepeatedLines:
    """The line hashes repeated across independent documents (sorted), and those of
    them whose documents were published more than :data:`FAR_DAYS` apart (``far``):
    a paragraph told again within days is a story several outlets carry; told again
    over months, it is the site's furniture (a sidebar, a standing teaser)."""

    hashes: np.ndarray = field(default_factory=lambda: np.array([], dtype=np.uint64))
    far: np.ndarray = field(default_factory=lambda: np.array([], dtype=np.uint64))

    def __len__(self) -> int:
        return len(self.hashes)


def repeated_lines(documents: Iterable[tuple[np.ndarray | None, int | None]],
                   groups: int = REPEATED_GROUPS) -> RepeatedLines:
    """The lines found in at least ``groups`` of the given documents: give, for each
    independent document (an original or a document without copies, never a copy),
    its line hashes and its publication day (an ordinal, None when unknown)."""
    hashes, days = [], []
    for found, day in documents:
        if found is not None and len(found):
            hashes.append(found)
            days.append(np.full(len(found), -1 if day is None else day, dtype=np.int64))
    if not hashes:
        return RepeatedLines()
    values, inverse, counts = np.unique(np.concatenate(hashes), return_inverse=True,
                                        return_counts=True)
    all_days = np.concatenate(days)
    first = np.full(len(values), np.iinfo(np.int64).max, dtype=np.int64)
    last = np.full(len(values), -1, dtype=np.int64)
    known = all_days >= 0
    np.minimum.at(first, inverse[known], all_days[known])
    np.maximum.at(last, inverse[known], all_days[known])
    repeated = counts >= groups
    return RepeatedLines(values[repeated], values[repeated & (last - first > FAR_DAYS)])


# --- cues ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FurnitureCues:
    """Every language's furniture cues, normalised (:func:`normalise_line`)."""

    opens: dict[str, str]      # a whole line -> "comments" or "related"
    heads: dict[str, frozenset[str]]  # words a line may begin with -> reasons
    first_words: frozenset[str]  # the first word of every head
    longest: int               # words of the longest head
    anywhere: dict[str, re.Pattern[str]]  # stamps, rights: an entry anywhere in the line
    share: frozenset[str]
    #: A "read also" entry that ends a line: a teaser ("... leggi tutto »").
    read_more: re.Pattern[str]


def _entry_pattern(entries: Iterable[str]) -> re.Pattern[str]:
    words = sorted({e for e in entries if e}, key=lambda e: (-len(e), e))
    if not words:
        return re.compile(r"(?!x)x")
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)")


#: The cue lists whose entries begin a line.
_HEAD_REASONS = ("related", "tags", "credits", "newsletter", "read_also", "bylines")


@cache
def load_cues() -> FurnitureCues:
    """The furniture cues of every language that has them (cached)."""
    opens: dict[str, str] = {}
    heads: dict[str, set[str]] = {}
    anywhere: dict[str, set[str]] = {"stamps": set(), "rights": set()}
    share: set[str] = set()
    for code in available_languages():
        language = load_language(code)
        if language is None:
            continue
        cues = language.furniture
        for reason in ("comments", "related"):
            for entry in cues.get(reason, []):
                opens.setdefault(normalise_line(entry), reason)
        for reason in _HEAD_REASONS:
            for entry in cues.get(reason, []):
                heads.setdefault(normalise_line(entry), set()).add(reason)
        for reason, found in anywhere.items():
            found.update(normalise_line(e) or e.strip() for e in cues.get(reason, []))
        share.update(normalise_line(e) for e in cues.get("share", []))
    read_more = [h for h, reasons in heads.items() if "read_also" in reasons]
    return FurnitureCues(opens, {h: frozenset(r) for h, r in heads.items()},
                         frozenset(h.split(" ")[0] for h in heads),
                         max((len(h.split()) for h in heads), default=1),
                         {r: _entry_pattern(e) for r, e in anywhere.items()},
                         frozenset(share),
                         re.compile(_entry_pattern(read_more).pattern + r"[\W_]*$"))


def _heads(words: list[str], cues: FurnitureCues) -> dict[str, str]:
    """For each reason, the longest of its entries the line's ``words`` begin with
    (marks after a word do not count: "Tags:", "Baca juga:")."""
    found: dict[str, str] = {}
    words = [w.rstrip(":;,.»|") for w in words[:cues.longest]]
    if not words or words[0] not in cues.first_words:
        return found
    for n in range(min(cues.longest, len(words)), 0, -1):
        head = " ".join(words[:n])
        for reason in cues.heads.get(head, ()):
            found.setdefault(reason, head)
    return found


def _is_share(words: list[str], share: frozenset[str]) -> bool:
    """A line made of share entries only, beside words of three letters or fewer."""
    i, found = 0, False
    while i < len(words):
        for n in range(min(4, len(words) - i), 0, -1):
            if " ".join(words[i:i + n]) in share:
                i += n
                found = True
                break
        else:
            if len(words[i].strip(_EDGE_MARKS)) > 3:
                return False
            i += 1
    return found


_CAPITALISED = re.compile(r"[A-ZÀ-ÖØ-Þ]")


def _is_byline(line: str, head: str) -> bool:
    """The entry, then up to six capitalised words ("Por JUAN PÉREZ", "di Mario Rossi")."""
    rest = line.strip(_EDGE_MARKS).split()[len(head.split()):]
    names = [w for w in rest if w.strip(_EDGE_MARKS + "|")]
    return 0 < len(names) <= 6 and all(
        _CAPITALISED.match(w.strip(_EDGE_MARKS)) or len(w) <= 3 for w in names)


def _credit_after_pipe(line: str) -> bool:
    """A caption or byline signed after a pipe: "... en Bengasi. | Efe", "Europa Press | Madrid"."""
    head, bar, tail = line.rpartition("|")
    names = tail.split()
    return bool(bar and head.strip() and 0 < len(names) <= 3
                and all(_CAPITALISED.match(w) for w in names))


def _cue_reason(line: str, item: _Line, cues: FurnitureCues,
                heads: dict[str, str]) -> str | None:
    """Why a line is furniture by its own words (not comments or related lists)."""
    key, words = item.key, item.words
    if not key or words > READ_ALSO_WORDS:
        return None
    if words > SHORT_LINE_WORDS:  # a long line: only a "read also" link begins it
        return "read_also" if "read_also" in heads else None
    if words <= 6 and _is_share(key.split(" "), cues.share):
        return "share"
    for reason in ("tags", "credits"):
        head = heads.get(reason)
        if head is not None and (key == head or key[len(head):].lstrip().startswith(":")
                                 or (reason == "credits" and words <= 4)):
            return reason
    if words <= SHORT_LINE_WORDS and "newsletter" in heads:
        return "newsletter"
    if "read_also" in heads:
        return "read_also"
    if words > SHORT_LINE_WORDS:
        return None
    if "|" in line and _credit_after_pipe(line):
        return "credits"
    if "#" in key and cues.anywhere["stamps"].search(key):
        return "stamps"
    if cues.anywhere["rights"].search(key):
        return "rights"
    if words <= BYLINE_WORDS and "bylines" in heads and _is_byline(line, heads["bylines"]):
        return "bylines"
    return None


# --- a document's furniture -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Furniture:
    """A span of a document set aside as furniture (whole lines), and why."""

    start: int
    end: int
    reason: str


def find_furniture(text: str, *, site: str = "",
                   repeated: RepeatedLines | None = None) -> list[Furniture]:
    """The furniture of one document, in text order (adjacent lines of one reason joined).

    ``repeated`` are the corpus's repeated lines (:func:`repeated_lines`), for
    documents of ``site``; without them only the cues are read.
    """
    cues = load_cues()
    lines = _lines(text)
    reasons: list[str | None] = [None] * len(lines)
    if repeated is not None and len(repeated):
        hashed = {id(line) for line in _hashed(lines)}
        keys = [_hash(site, line.key) if id(line) in hashed else None for line in lines]
        hits = [k is not None and _in_sorted(repeated.hashes, k) for k in keys]
        far = [hit and _in_sorted(repeated.far, k) for hit, k in zip(hits, keys, strict=True)]
        # a long line told again within days: a syndicated story, with its headline
        told = [i for i, line in enumerate(lines) if hits[i] and not far[i]
                and line.words >= LONG_LINE_WORDS]
        for i, line in enumerate(lines):
            if hits[i] and (far[i] or line.words < LONG_LINE_WORDS) and not any(
                    abs(i - j) <= SYNDICATED_REACH for j in told):
                reasons[i] = "repeated"
    article_begun = False
    i = 0
    while i < len(lines):
        line = lines[i]
        opened = cues.opens.get(line.key) if line.words <= SHORT_LINE_WORDS else None
        if line.words <= SHORT_LINE_WORDS:
            heads = _heads(line.key.split(" "), cues) if line.key else {}
        elif line.words <= READ_ALSO_WORDS:  # only its first words can begin with a cue
            first = " ".join(text[line.start:line.end].split()[:cues.longest + 1])
            heads = _heads(normalise_line(first).split(" "), cues)
        else:
            heads = {}
        if opened is None and line.words <= RELATED_HEADING_WORDS and "related" in heads:
            opened = "related"
        if opened == "comments" and article_begun:
            for j in range(i, len(lines)):
                reasons[j] = "comments"
            break
        if opened == "related":
            reasons[i] = "related"
            j = i + 1
            while j < len(lines) and lines[j].words < LONG_LINE_WORDS \
                    and cues.opens.get(lines[j].key) != "comments":
                reasons[j] = reasons[j] or "related"
                j += 1
            i = j
            continue
        if reasons[i] is None:
            reasons[i] = _cue_reason(text[line.start:line.end], line, cues, heads)
        if reasons[i] is None and line.words <= TEASER_WORDS and cues.read_more.search(
                text[max(line.start, line.end - TAIL_CHARS):line.end].casefold()):
            reasons[i] = "read_also"  # a teaser: "... leggi tutto »", "... Read more"
        if line.words >= LONG_LINE_WORDS and reasons[i] is None:
            article_begun = True
        i += 1
    found: list[Furniture] = []
    for line, reason in zip(lines, reasons, strict=True):
        if reason is None:
            continue
        if found and found[-1].reason == reason and \
                not text[found[-1].end:line.start].strip():
            found[-1] = Furniture(found[-1].start, line.end, reason)
        else:
            found.append(Furniture(line.start, line.end, reason))
    return found


def _in_sorted(values: np.ndarray, value: int | None) -> bool:
    if value is None:
        return False
    i = int(np.searchsorted(values, np.uint64(value)))
    return i < len(values) and int(values[i]) == value


def mask(text: str, furniture: Sequence[Furniture]) -> str:
    """``text`` with the furniture blanked (spaces; line breaks kept), so that offsets
    into it are offsets into the document."""
    if not furniture:
        return text
    parts, last = [], 0
    for span in furniture:
        parts.append(text[last:span.start])
        parts.append(re.sub(r"[^\n]", " ", text[span.start:span.end]))
        last = span.end
    parts.append(text[last:])
    return "".join(parts)


def furniture_counts(furniture: Sequence[Furniture], text: str) -> dict[str, int]:
    """Lines set aside per reason (for the ingest report)."""
    counts: dict[str, int] = {}
    for span in furniture:
        lines = sum(1 for line in text[span.start:span.end].split("\n") if line.strip())
        counts[span.reason] = counts.get(span.reason, 0) + lines
    return counts


def find_repeated_lines(documents: Iterable[Document], copies: Copies) -> RepeatedLines:
    """The repeated lines of documents held at once (a copy counts as its original)."""
    return repeated_lines((line_hashes(d.text, site_of(d.url, d.source)),
                           d.published.date().toordinal() if d.published else None)
                          for d in documents if d.id not in copies.original)
