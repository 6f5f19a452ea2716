"""Event mentions: dated statements read from a document and its temporal expressions.

Each DATE/TIME expression with a calendar interval anchors the sentence it is in,
or, when a sentence holds several, the clause around it. The mention keeps the
interval, the evidence offsets, and what the words say: actors and places (the
language data's names and gazetteer, plus other capitalised names), counts with
their nouns, event words, and who says it.

Reporting time is not event time. In "SOHR melaporkan pada hari Senin bahwa
Hizbullah kehilangan 12 milisi" Monday is when SOHR reported: the mention gets
``role="reported"`` and its interval is the report day, which the merge reads as
"happened on or before". A date after the complementiser ("bahwa", "that"), or
after a clause opener or an event word, belongs to the fact: ``occurred``.

Every value and interval comes from the tagger: narrative dates ("sehari
kemudian") and durations counted from an event just told ("two days after the
attack", which the tagger gives the day it reaches as ``point``) included.

>>> from datetime import date
>>> from timeline.types import Document, Timex
>>> text = "SOHR melaporkan pada hari Senin bahwa Hizbullah kehilangan 12 milisi."
>>> doc = Document("d1", text, lang="id", source="X")
>>> monday = date(2016, 8, 8)
>>> senin = Timex(21, 31, "hari Senin", "DATE", "2016-08-08", monday, monday, "published",
...               granularity="day")
>>> [(m.role, m.value, [q.key() for q in m.quantities]) for m in extract_mentions(doc, [senin])]
[('reported', '2016-08-08', ['12 fighter'])]
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from functools import cached_property
from typing import Any

from timeline.events.matching import Match
from timeline.events.sentences import Sentence, split_sentences
from timeline.events.statements import (
    StatementCues,
    join_list_dates,
    load_statement_cues,
    tells_undated_happening,
)
from timeline.events.vocabulary import Vocabulary, load_vocabulary
from timeline.limits import warn
from timeline.types import (
    Document,
    EventMention,
    Granularity,
    Quantity,
    Role,
    Tells,
    Timex,
)

#: Modifiers under which the expression does not date the event in its clause
#: ("sejak Februari lalu", "until Sunday", "after 2011").
OPEN_MODS = frozenset({"BEFORE", "AFTER", "ON_OR_AFTER", "ON_OR_BEFORE"})
#: Intervals longer than this (days) are too vague to place an event (decades, centuries).
MAX_SPAN_DAYS = 366
#: Sentences without a date of their own are read at the head of the article (its
#: first sentences: headline, subtitle, lead), where a story says what happened
#: before it says when.
HEAD_SENTENCES = 3
#: A reporting verb governs a date at most this many words away.
REPORT_REACH_WORDS = 12

_CLAUSE_PUNCT = re.compile(r"[,;:–—]\s|\s[–—-]\s")


def _published_day(document: Document) -> date | None:
    if document.published is None:
        return None
    return document.published.date()


def _timex_interval(timex: Timex) -> tuple[str, date, date, Granularity] | None:
    """(value, earliest, latest, granularity) of a timex that dates an event, or None.

    Dates and times date their clause; so does a duration counted from an event
    just told, by the day it reaches (its ``point``). Open intervals ("sejak
    Februari"), vague references and values without an anchor date nothing.
    """
    if timex.type not in ("DATE", "TIME") and timex.point is None:
        return None
    if timex.mod in OPEN_MODS:
        return None
    earliest, latest, granularity = timex.earliest, timex.latest, timex.granularity
    if not earliest or not latest or granularity in (None, "vague"):
        return None
    if (latest - earliest).days + 1 > MAX_SPAN_DAYS:
        return None
    if granularity in ("time", "day"):
        granularity = "time" if timex.type == "TIME" else "day"
    return timex.point or timex.value, earliest, latest, granularity


# --- reading the words ----------------------------------------------------------


def _parse_number(text: str, scale: str | None, vocab: Vocabulary) -> int | None:
    word = text.casefold()
    if word in vocab.numbers:
        value: float = vocab.numbers[word]
    elif re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", text) and not scale:
        value = int(re.sub(r"[.,]", "", text))
    else:
        try:
            value = float(text.replace(",", "."))
        except ValueError:
            return None
        if not scale and value != int(value):
            return None  # "4,25" alone is not a count
    if scale:
        value *= vocab.scales.get(scale.casefold(), 1)
    return int(round(value))


def find_quantities(text: str, start: int, end: int, vocab: Vocabulary,
                    skip: Sequence[tuple[int, int]] = ()) -> list[Quantity]:
    """Counts with their noun class in ``text[start:end]``, outside the ``skip`` spans."""
    found: list[Quantity] = []
    for m in vocab.noun_regex.finditer(text, start, end):
        if any(m.start() < e and s < m.end("number") for s, e in skip):
            continue
        between = m.group("between").split()
        if any(w.casefold() in vocab.numbers or w[:1].isdigit() for w in between):
            continue
        value = _parse_number(m.group("number"), m.group("scale"), vocab)
        noun = vocab.nouns.get(m.group("noun").casefold())
        if value is None or noun is None or value <= 0:
            continue
        found.append(Quantity(value, noun, m.group(0)))
    return found


def _other_names(text: str, start: int, end: int, known: list[Match],
                 sentence_start: int, vocab: Vocabulary) -> list[str]:
    """Capitalised names the vocabulary does not know, lower-cased ("ramousah").

    The parts of a run of capitalised words outside the gazetteer's names are names of
    their own ("Abdel Fattah al-Sisi" in "Abdel Fattah al-Sisi, Egipto"); a word that
    only opens its sentence (written in lower case elsewhere in the text: "Comment",
    "Grazie") is none (:meth:`~timeline.events.vocabulary.Vocabulary.name_runs`).
    """
    names = []
    for s, e in vocab.name_runs(text, start, end):
        pieces, at = [], s
        for k in sorted(known, key=lambda k: k.start):
            if k.end <= s or k.start >= e:
                continue
            pieces.append(text[at:max(at, k.start)])
            at = max(at, k.end)
        pieces.append(text[at:e])
        for piece in pieces:
            # a count word opening a sentence ("Tujuh tentara ...") is not a name
            words = [w for w in piece.split()
                     if w not in vocab.capitalised_stop and w.casefold() not in vocab.numbers]
            while words and not words[0][:1].isupper():
                words.pop(0)  # a connector left after a known name ("... de")
            while words and not words[-1][:1].isupper():
                words.pop()
            if not words:
                continue
            name = re.sub(r"-(?:nya|ku|mu)$", "", " ".join(words)).strip(".,;:'’-")
            if len(name) < 3 or name.isdigit():
                continue
            names.append(name.casefold())
    return names


def _attribution(text: str, start: int, end: int, vocab: Vocabulary,
                 known: list[Match] | None = None) -> str | None:
    """Who says it: the name after "menurut"/"according to"/"kata", or before "mengklaim".

    ``known`` are the vocabulary's names in ``text[start:end]`` when already found."""
    for cue in vocab.attribution.finditer(text, start, end):
        tail = text[cue.end:min(end, cue.end + 80)]
        names = vocab.find_names(tail)
        if names and names[0].start <= 3:
            return names[0].canonical
        words = re.match(r"\s*((?:[\w'’-]+\s*){1,4})", tail)
        # "kata komandan", "said the governor", "according to Turkish officials"; not
        # "said on Monday that ..." (the sayer is then before the verb)
        if words and (words.group(1)[:1].isupper()
                      or words.group(1).split()[0].casefold() in vocab.sayer_starts):
            phrase = re.split(r"[,.;:\"“”]", words.group(1))[0].strip()
            if phrase:
                return phrase.casefold()
    verbs = vocab.attribution_verbs.finditer(text, start, end)
    if not verbs:
        return None
    # found once for the span, so that many verbs do not each rescan it
    punct_ends = [m.end() for m in _CLAUSE_PUNCT.finditer(text, start, end)]
    if known is None:
        known = vocab.find_names(text, start, end)
    actors = [m for m in known if m.kind == "actor"]
    actor_starts = [m.start for m in actors]
    for verb in verbs:
        # the subject: the first actor of the clause before the verb ("ISIS mengklaim")
        before = bisect.bisect_right(punct_ends, verb.start) - 1
        clause_start = max(start, punct_ends[before]) if before >= 0 else start
        i = bisect.bisect_left(actor_starts, clause_start)
        if i < len(actors) and actors[i].end <= verb.start:
            return actors[i].canonical
    return None


# --- reporting time or event time -----------------------------------------------


class SentenceCues:
    """The cue words of one sentence, each kind found once and only when asked for:
    reading the role of each of its dates then looks only near that date
    (bisect), so a sentence with many dates costs its length, not its length
    times its dates; a sentence without a reporting word costs one search."""

    def __init__(self, text: str, sentence: Sentence, vocab: Vocabulary) -> None:
        self.text, self.start, self.end, self.vocab = text, sentence.start, sentence.end, vocab

    @cached_property
    def reports(self) -> list[Match]:
        return self._find(self.vocab.reporting)

    @cached_property
    def report_ends(self) -> list[int]:
        return [m.end for m in self.reports]

    @cached_property
    def report_starts(self) -> list[int]:
        return [m.start for m in self.reports]

    def _find(self, matcher: Any) -> list[Match]:
        found: list[Match] = matcher.finditer(self.text, self.start, self.end)
        return found

    @cached_property
    def complements(self) -> list[Match]:
        return self._find(self.vocab.complementizers)

    @cached_property
    def openers(self) -> list[Match]:
        return self._find(self.vocab.clause_openers)

    @cached_property
    def events(self) -> list[Match]:
        return self._find(self.vocab.events)

    @cached_property
    def names(self) -> list[Match]:
        return self.vocab.find_names(self.text, self.start, self.end)

    @cached_property
    def content_openers(self) -> list[Match]:
        return self._find(self.vocab.content_openers)

    @cached_property
    def content_starts(self) -> list[int]:
        return [m.start for m in self.content_openers]

    @cached_property
    def _coordinators(self) -> tuple[list[int], list[int]]:
        found = self._find(self.vocab.coordinators)
        return [m.start for m in found], [m.end for m in found]

    @cached_property
    def _blockers(self) -> tuple[list[int], list[int]]:
        found = sorted(self.complements + self.openers + self.events,
                       key=lambda m: (m.start, m.end))
        return [m.start for m in found], [m.end for m in found]

    @cached_property
    def quotes(self) -> list[int]:
        return [m.start() for m in _QUOTES_AND_SEMICOLON.finditer(self.text, self.start,
                                                                   self.end)]

    @cached_property
    def word_starts(self) -> list[int]:
        return [m.start() for m in _WORD_START.finditer(self.text, self.start, self.end)]

    @cached_property
    def first_complement_end(self) -> int:
        """Where the content of the sentence's first report opens: the end of the first
        complementiser after a report ("X said that ..."). A complementiser no report
        precedes is a relative ("the fighting that emptied the town"): it embeds no
        later report ("..., the governor told reporters in the afternoon")."""
        first_report = min((m.end for m in self.reports), default=self.end + 1)
        return min((m.end for m in self.complements if m.start >= first_report),
                   default=self.end + 1)

    @cached_property
    def first_event_end(self) -> int:
        return min((m.end for m in self.events), default=self.end + 1)

    def words(self, a: int, b: int) -> int:
        """``len(text[a:b].split())``, by bisection."""
        if a >= b:
            return 0
        inside = (bisect.bisect_left(self.word_starts, b)
                  - bisect.bisect_right(self.word_starts, a))
        return inside + (not self.text[a].isspace())

    def clear(self, a: int, b: int) -> bool:
        """Nothing between a and b opens another clause, and they are near."""
        if self.words(a, b) > REPORT_REACH_WORDS:
            return False
        starts, ends = self._blockers
        i = bisect.bisect_left(starts, a)
        while i < len(starts) and starts[i] < b:
            if ends[i] <= b:
                return False
            i += 1
        q = bisect.bisect_left(self.quotes, a)
        return not (q < len(self.quotes) and self.quotes[q] < b)

    def opens_content(self, report_end: int) -> bool:
        """A content opener right after the report ("mengklaim telah membunuh")."""
        i = bisect.bisect_left(self.content_starts, report_end)
        if i == len(self.content_starts):
            return False
        opener = self.content_openers[i]
        return (opener.end <= min(self.end, report_end + 12)
                and self.text[report_end:opener.start].strip() == "")

    def coordinated(self, a: int, b: int) -> bool:
        starts, ends = self._coordinators
        i = bisect.bisect_left(starts, a)
        return i < len(starts) and ends[i] <= b


#: What a report cannot reach across: quotation marks and semicolons.
_QUOTES_AND_SEMICOLON = re.compile("[“”\";]")
#: A word starts where a non-space follows a space.
_WORD_START = re.compile(r"(?<=\s)\S")


def timex_role(text: str, sentence: Sentence, timex_start: int, timex_end: int,
               vocab: Vocabulary, cues: SentenceCues | None = None) -> Role:
    """``reported`` when the date belongs to a reporting verb or noun, else ``occurred``.

    The date belongs to the report when a reporting word is near it and nothing
    between them opens another clause: no complementiser ("bahwa", "that"), no
    clause opener ("yang", "which", "setelah"), no event word ("tewas", "killed"),
    and the report does not open its content at once ("mengklaim telah membunuh").
    A date before the reporting verb counts only when it is fronted, before any
    event word ("Pada hari Senin, SOHR melaporkan ..."), not when it closes the
    reported content ("34 soldiers were killed late on Thursday, officials said").

    Only reports within :data:`REPORT_REACH_WORDS` words of the date are looked
    at, nearest first; ``cues`` (the sentence's, found once) saves finding them
    again for each date of the sentence.
    """
    cues = cues or SentenceCues(text, sentence, vocab)
    reports = cues.reports
    if not reports:
        return "occurred"
    # reports ending before the date, nearest first, while near enough
    i = bisect.bisect_right(cues.report_ends, timex_start) - 1
    while i >= 0:
        report = reports[i]
        i -= 1
        if cues.words(report.end, timex_start) > REPORT_REACH_WORDS:
            break
        if cues.first_complement_end <= report.start:
            continue  # a report inside what is reported is the fact ("... bahwa ISIS merilis komunike")
        if report.key == "report:verb" and cues.opens_content(report.end):
            continue
        if cues.clear(report.end, timex_start):
            return "reported"
    # a fronted date ("Pada hari Senin, X mengatakan ...") dates the report; after
    # the reported content ("34 were killed late on Thursday, officials said") it
    # dates the fact
    if cues.first_event_end <= timex_start:
        return "occurred"
    j = bisect.bisect_left(cues.report_starts, timex_end)
    while j < len(reports):
        report = reports[j]
        j += 1
        if cues.words(timex_end, report.start) > REPORT_REACH_WORDS:
            break
        if cues.first_complement_end <= report.start or report.key != "report:verb":
            continue
        if cues.clear(timex_end, report.start) and not cues.coordinated(timex_end,
                                                                         report.start):
            return "reported"
    return "occurred"


# --- evidence spans ---------------------------------------------------------------


def _clause_bounds(text: str, sentence: Sentence, anchors: list[tuple[int, int]],
                   vocab: Vocabulary, cues: SentenceCues | None = None
                   ) -> list[tuple[int, int] | None]:
    """Evidence span of each anchor: the sentence, or a clause when several share it.

    Two dates are told apart only at a clause boundary between them (clause
    punctuation, a complementiser or a clause opener), never inside a word or at a
    guessed middle: dates with no boundary between them ("Selasa (18/11/2014) waktu
    setempat (Rabu pagi WIB)", "Juni-Juli 2014") share one statement, which takes
    the first of them as the date of its happening; the others get None.
    """
    if len(anchors) == 1:
        return [(sentence.start, sentence.end)]
    cues = cues or SentenceCues(text, sentence, vocab)
    # clause-opening words between two anchors: each gap is searched once
    words = sorted((m.start, m.end) for m in cues.complements + cues.openers)
    word_starts = [w[0] for w in words]
    cuts: list[int | None] = []
    for (_, end_a), (start_b, _) in zip(anchors, anchors[1:], strict=False):
        candidates = [m.start() + 1 for m in _CLAUSE_PUNCT.finditer(text, end_a, start_b)]
        i = bisect.bisect_left(word_starts, end_a)
        while i < len(words) and words[i][0] < start_b:
            if words[i][1] <= start_b:
                candidates.append(words[i][0])
            i += 1
        cuts.append(max(candidates) if candidates else None)
    bounds: list[tuple[int, int] | None] = []
    start = sentence.start
    for k in range(len(anchors)):
        if k > 0 and cuts[k - 1] is None:
            bounds.append(None)  # shares the statement of the date before it
            continue
        if k > 0:
            start = cuts[k - 1]  # type: ignore[assignment]  # not None here
        following = next((c for c in cuts[k:] if c is not None), None)
        end = following if following is not None else sentence.end
        s, e = start, end
        while s < e and (text[s].isspace() or text[s] in ",;:–—-"):
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        bounds.append((s, e))
    return bounds


# --- putting it together ------------------------------------------------------------


def _overlapping(spans: list[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    """The spans (sorted, non-nested) that overlap ``[start, end)``."""
    i = bisect.bisect_left(spans, (start,)) - 1
    i = max(i, 0)
    found = []
    while i < len(spans) and spans[i][0] < end:
        if spans[i][1] > start:
            found.append(spans[i])
        i += 1
    return found


def _read_span(document: Document, start: int, end: int, timex_spans: list[tuple[int, int]],
               vocab: Vocabulary, sentence: Sentence, cues: SentenceCues | None = None,
               at: int | None = None) -> dict[str, Any]:
    """What the words of ``text[start:end]`` say: actors, places, names, counts, who took
    part, event words, the kinds of happening dated at ``at`` (the date's offset, when
    the span has one: see :meth:`~timeline.events.vocabulary.Vocabulary.statement_kinds`)
    and who says it."""
    text = document.text
    timex_spans = _overlapping(timex_spans, start, end)
    # the evidence is most often the whole sentence, whose words the cues found
    whole = cues is not None and (start, end) == (cues.start, cues.end)
    found = cues.names if whole and cues is not None else vocab.find_names(text, start, end)
    known = [m for m in found if not any(m.start < e and s < m.end for s, e in timex_spans)]
    actors = sorted({m.canonical for m in known if m.kind == "actor"})
    places = sorted({m.canonical for m in known if m.kind == "place"})
    event_matches = cues.events if whole and cues is not None else \
        vocab.find_events(text, start, end)
    events = sorted({m.canonical for m in event_matches})
    participants = sorted({m.canonical for m in vocab.participants.finditer(text, start, end)})
    names = sorted(set(_other_names(text, start, end, known, sentence.start, vocab)))
    quantities = sorted(set(find_quantities(text, start, end, vocab, timex_spans)),
                        key=lambda q: (q.noun, q.value, q.text))
    return {"actors": tuple(actors), "places": tuple(places), "event_words": tuple(events),
            "names": tuple(names), "quantities": tuple(quantities),
            "participants": tuple(participants),
            "kinds": vocab.statement_kinds(text, start, end, event_matches, at),
            "attribution": _attribution(text, start, end, vocab, found)}


def extract_mentions(document: Document, timexes: Sequence[Timex],
                     vocab: Vocabulary | None = None, *,
                     furniture: Sequence[tuple[int, int]] = ()) -> list[EventMention]:
    """The event mentions of one document, in text order, each saying what it tells
    (:mod:`timeline.events.statements`: only ``happening`` enters the chronology).

    Dated sentences give one mention per statement (:func:`_clause_bounds`); a
    sentence that is nothing but a date at the head of a line ("2 de mayo.") dates
    the sentence after it ("Las tropas entran en ..."), as in a chronology box; a
    sentence without a date of its own that tells a happening at the head of the
    article (a headline, a lead: see :data:`HEAD_SENTENCES`) is a ``reported``
    mention on the day the story is at: the last day its paragraph has told of,
    else the publication day. Mentions whose evidence lies in
    ``furniture`` (spans of the document; given when a build keeps everything) tell
    ``furniture``.

    A statement repeated word for word with the same date (a flood of identical
    sentences, a lead repeated as a caption) is one mention: its first; a warning
    says how many repeats were collapsed. Each sentence's cue words are found
    once, and the words of an evidence span read once, so the time is linear in
    the text whatever the number of dates in a sentence.
    """
    vocab = vocab or load_vocabulary()
    text = document.text
    statement_cues = load_statement_cues(document.lang)
    published = _published_day(document)
    timexes = sorted(timexes, key=lambda t: (t.start, t.end))
    sentences = join_list_dates(text, split_sentences(text, document.lang, vocab), timexes)
    starts = [s.start for s in sentences]

    def sentence_of(offset: int) -> int | None:
        i = bisect.bisect_right(starts, offset) - 1
        return i if i >= 0 and offset < sentences[i].end else None

    # Each sentence's timex spans, so that reading a sentence costs its own length.
    spans_in: dict[int, list[tuple[int, int]]] = {}
    dated: dict[int, list[tuple[Timex, tuple[str, date, date, Granularity]]]] = {}
    for timex in timexes:
        index = sentence_of(timex.start)
        if index is None:
            continue
        spans_in.setdefault(index, []).append((timex.start, timex.end))
        interval = _timex_interval(timex)
        if interval is None or statement_cues.dates_nothing(text, timex.start):
            continue
        dated.setdefault(index, []).append((timex, interval))
    aside = sorted(furniture)

    mentions: list[EventMention] = []
    seen: set[tuple[object, ...]] = set()
    told: dict[tuple[object, ...], Tells] = {}  # dated statement -> what it tells
    repeats = 0
    story_day: date | None = None  # the last day the current paragraph has told of
    paragraph = -1
    for index, sentence in enumerate(sentences):
        if sentence.paragraph != paragraph:
            paragraph, story_day = sentence.paragraph, None
        anchored = dated.get(index, [])
        cues = SentenceCues(text, sentence, vocab)
        if not anchored and index < HEAD_SENTENCES:
            mention = _undated_mention(document, sentence, cues, statement_cues,
                                       spans_in.get(index, []), story_day or published,
                                       story_day is not None, vocab)
            if mention is not None:
                undated = (mention.text, "", mention.value, mention.role)
                if undated in seen:
                    repeats += 1
                else:
                    seen.add(undated)
                    mentions.append(_in_furniture(mention, aside))
            continue
        if not anchored:
            continue
        bounds = _clause_bounds(text, sentence, [(t.start, t.end) for t, _ in anchored], vocab,
                                cues)
        words: dict[tuple[int, int], dict[str, Any]] = {}  # evidence span -> what its words say
        for (timex, (value, earliest, latest, granularity)), clause in zip(
                anchored, bounds, strict=True):
            if clause is None:
                continue  # the date shares the statement of the date before it
            c0, c1 = clause
            role = timex_role(text, sentence, timex.start, timex.end, vocab, cues)
            # the report's evidence is the whole sentence: it holds what was reported
            e0, e1 = (sentence.start, sentence.end) if role == "reported" else (c0, c1)
            statement = (text[e0:e1], timex.text, value, earliest, latest, role, timex.anchor)
            repeated = statement in told
            if not repeated:
                if (e0, e1) not in words:
                    words[(e0, e1)] = _read_span(document, e0, e1, spans_in[index], vocab,
                                                 sentence, cues, timex.start)
                told[statement] = statement_cues.classify(
                    text, e0, e1, _overlapping(spans_in[index], e0, e1), role=role,
                    earliest=earliest, latest=latest, published=published,
                    has_event_word=bool(words[(e0, e1)]["event_words"]))
            tells = told[statement]
            if tells == "happening" and granularity in ("day", "time") and role == "occurred":
                story_day = earliest
            if repeated:
                repeats += 1
                continue
            said = words[(e0, e1)]
            if said["kinds"] and len(anchored) > 1:  # another date of the span: its kinds
                said = {**said, "kinds": vocab.statement_kinds(
                    text, e0, e1, cues.events if (e0, e1) == (cues.start, cues.end)
                    else vocab.find_events(text, e0, e1), timex.start)}
            mentions.append(_in_furniture(EventMention(
                doc_id=document.id, start=e0, end=e1, text=text[e0:e1], timex=timex.text,
                timex_start=timex.start, timex_end=timex.end, value=value,
                earliest=earliest, latest=latest, granularity=granularity, role=role,
                anchor=timex.anchor, lang=document.lang, source=document.source,
                published=published, url=document.url, title=document.title,
                tells=tells, sentence=None if (e0, e1) == (sentence.start, sentence.end)
                else text[sentence.start:sentence.end], **said,
            ), aside))
    if repeats:
        warn(f"{repeats} repeated statement{'s' if repeats > 1 else ''} (same words, same "
             "date) collapsed into the first mention")
    return mentions


def _undated_mention(document: Document, sentence: Sentence, cues: SentenceCues,
                     statement_cues: StatementCues, timex_spans: list[tuple[int, int]],
                     day: date | None, narrative: bool, vocab: Vocabulary
                     ) -> EventMention | None:
    """The mention of a sentence without a date of its own that tells a happening
    (:func:`~timeline.events.statements.tells_undated_happening`), on ``day`` (the
    story's day, else the publication day) as ``reported``: it happened on or
    before that day. None when it tells none, or when there is no day."""
    text = document.text
    if day is None or not tells_undated_happening(text, sentence.start, sentence.end,
                                                  statement_cues, _tells_a_kind(cues, vocab)):
        return None
    if not (cues.names or _names_someone(text, sentence, vocab)):
        return None  # nothing to find its other mentions by: it could join no entry
    words = _read_span(document, sentence.start, sentence.end, timex_spans, vocab, sentence,
                       cues)
    return EventMention(
        doc_id=document.id, start=sentence.start, end=sentence.end,
        text=text[sentence.start:sentence.end], timex="", timex_start=sentence.start,
        timex_end=sentence.start, value=day.isoformat(), earliest=day, latest=day,
        granularity="day", role="reported", anchor="narrative" if narrative else "published",
        lang=document.lang, source=document.source, published=_published_day(document),
        url=document.url, title=document.title, **words)


def _tells_a_kind(cues: SentenceCues, vocab: Vocabulary) -> bool:
    """An event word of a kind of happening (violence, accord, ...) in the sentence."""
    return any(m.canonical in vocab.kinds for m in cues.events)


def _names_someone(text: str, sentence: Sentence, vocab: Vocabulary) -> bool:
    """A capitalised name after the sentence's first word, or a count: what an undated
    statement needs to be found beside the dated statements of its happening."""
    for m in vocab.capitalised_name.finditer(text, sentence.start, sentence.end):
        if m.start() > sentence.start and any(
                w not in vocab.capitalised_stop for w in m.group(0).split()):
            return True
    return vocab.noun_regex.search(text, sentence.start, sentence.end) is not None


def _in_furniture(mention: EventMention, furniture: list[tuple[int, int]]) -> EventMention:
    """The mention, telling ``furniture`` when its evidence lies in a furniture span."""
    if furniture and _overlapping(furniture, mention.start, mention.end):
        return replace(mention, tells="furniture")
    return mention
