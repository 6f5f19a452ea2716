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

Statements the article places relative to a dated one ("sehari kemudian", "two
days after the attack") take that date (``anchor="narrative"``) when the tagger
left them unresolved.

>>> from timeline.types import Document, Timex
>>> text = "SOHR melaporkan pada hari Senin bahwa Hizbullah kehilangan 12 milisi."
>>> doc = Document("d1", text, lang="id", source="X")
>>> senin = Timex(21, 31, "hari Senin", "DATE", "2016-08-08", "2016-08-08", "2016-08-08", "published")
>>> [(m.role, m.value, [q.key() for q in m.quantities]) for m in extract_mentions(doc, [senin])]
[('reported', '2016-08-08', ['12 fighter'])]
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from datetime import date

from timeline.events.dates import day_number, granularity_of, interval_of, shift_day
from timeline.events.sentences import Sentence, split_sentences
from timeline.events.vocabulary import Match, Vocabulary, load_vocabulary
from timeline.types import Document, EventMention, Quantity, Timex

#: Modifiers under which the expression does not date the event in its clause
#: ("sejak Februari lalu", "until Sunday", "after 2011").
OPEN_MODS = frozenset({"BEFORE", "AFTER", "ON_OR_AFTER", "ON_OR_BEFORE"})
#: Intervals longer than this (days) are too vague to place an event (decades, centuries).
MAX_SPAN_DAYS = 366
#: A reporting verb governs a date at most this many words away.
REPORT_REACH_WORDS = 12

_CLAUSE_PUNCT = re.compile(r"[,;:–—]\s|\s[–—-]\s")
_QUOTES = "\"“”‘’'"


def _published_str(document: Document) -> str | None:
    if document.published is None:
        return None
    return document.published.date().isoformat()


def _timex_interval(timex: Timex) -> tuple[str, str, str] | None:
    """(earliest, latest, granularity) of a timex that dates an event, or None."""
    if timex.type not in ("DATE", "TIME"):
        return None
    if timex.mod in OPEN_MODS:
        return None
    granularity = granularity_of(timex.value)
    if granularity is None:  # PAST_REF, PRESENT_REF, XXXX-10-21, ...
        return None
    granularity = timex.granularity or granularity
    if granularity is None:
        return None
    earliest, latest = timex.earliest, timex.latest
    if not earliest or not latest:
        interval = interval_of(timex.value, timex.mod)
        if interval is None:
            return None
        earliest, latest = interval
    if (date.fromisoformat(latest) - date.fromisoformat(earliest)).days + 1 > MAX_SPAN_DAYS:
        return None
    if granularity == "time" or granularity == "day":
        granularity = "time" if timex.type == "TIME" else "day"
    return earliest, latest, granularity


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
    """Capitalised names the vocabulary does not know, lower-cased ("ramousah")."""
    names = []
    for m in vocab.capitalised_name.finditer(text, start, end):
        if any(m.start() < k.end and k.start < m.end() for k in known):
            continue
        # a count word opening a sentence ("Tujuh tentara ...") is not a name
        words = [w for w in m.group(0).split()
                 if w not in vocab.capitalised_stop and w.casefold() not in vocab.numbers]
        if not words:
            continue
        name = re.sub(r"-(?:nya|ku|mu)$", "", " ".join(words))
        if len(name) < 3 or name.isdigit():
            continue
        names.append(name.casefold())
    return names


def _attribution(text: str, start: int, end: int, vocab: Vocabulary) -> str | None:
    """Who says it: the name after "menurut"/"according to"/"kata", or before "mengklaim"."""
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
    for verb in vocab.attribution_verbs.finditer(text, start, end):
        # the subject: the first actor of the clause before the verb ("ISIS mengklaim")
        clause_start = max([start, *(m.end() for m in _CLAUSE_PUNCT.finditer(text, start, verb.start))])
        actors = [m for m in vocab.find_names(text, clause_start, verb.start) if m.kind == "actor"]
        if actors:
            return actors[0].canonical
    return None


# --- reporting time or event time -----------------------------------------------


def _words(span: str) -> int:
    return len(span.split())


def timex_role(text: str, sentence: Sentence, timex_start: int, timex_end: int,
               vocab: Vocabulary) -> str:
    """``reported`` when the date belongs to a reporting verb or noun, else ``occurred``.

    The date belongs to the report when a reporting word is near it and nothing
    between them opens another clause: no complementiser ("bahwa", "that"), no
    clause opener ("yang", "which", "setelah"), no event word ("tewas", "killed"),
    and the report does not open its content at once ("mengklaim telah membunuh").
    A date before the reporting verb counts only when it is fronted, before any
    event word ("Pada hari Senin, SOHR melaporkan ..."), not when it closes the
    reported content ("34 soldiers were killed late on Thursday, officials said").
    """
    s0, s1 = sentence.start, sentence.end
    blockers = (vocab.complementizers.finditer(text, s0, s1)
                + vocab.clause_openers.finditer(text, s0, s1)
                + vocab.find_events(text, s0, s1))

    def clear(a: int, b: int) -> bool:
        if _words(text[a:b]) > REPORT_REACH_WORDS:
            return False
        if any(a <= m.start and m.end <= b for m in blockers):
            return False
        return not any(q in text[a:b] for q in "“”\";")

    complements = vocab.complementizers.finditer(text, s0, s1)
    for report in vocab.reporting.finditer(text, s0, s1):
        if any(c.end <= report.start for c in complements):
            continue  # a report inside what is reported is the fact ("... bahwa ISIS merilis komunike")
        if report.end <= timex_start:
            if report.key == "report:verb":
                after = vocab.content_openers.finditer(text, report.end, min(s1, report.end + 12))
                if after and text[report.end:after[0].start].strip() == "":
                    continue
            if clear(report.end, timex_start):
                return "reported"
        elif timex_end <= report.start and report.key == "report:verb":
            # a fronted date ("Pada hari Senin, X mengatakan ...") dates the report; after
            # the reported content ("34 were killed late on Thursday, officials said")
            # it dates the fact
            if vocab.find_events(text, s0, timex_start):
                continue
            if clear(timex_end, report.start) and not vocab.coordinators.finditer(
                    text, timex_end, report.start):
                return "reported"
    return "occurred"


# --- evidence spans ---------------------------------------------------------------


def _clause_bounds(text: str, sentence: Sentence, anchors: list[tuple[int, int]],
                   vocab: Vocabulary) -> list[tuple[int, int]]:
    """Evidence span of each anchor: the sentence, or a clause when several share it."""
    if len(anchors) == 1:
        return [(sentence.start, sentence.end)]
    cuts = []
    for (_, end_a), (start_b, _) in zip(anchors, anchors[1:], strict=False):
        candidates = [m.start() + 1 for m in _CLAUSE_PUNCT.finditer(text, end_a, start_b)]
        candidates += [m.start for m in vocab.complementizers.finditer(text, end_a, start_b)]
        candidates += [m.start for m in vocab.clause_openers.finditer(text, end_a, start_b)]
        cuts.append(max(candidates) if candidates else (end_a + start_b) // 2)
    bounds = []
    starts = [sentence.start, *cuts]
    ends = [*cuts, sentence.end]
    for s, e in zip(starts, ends, strict=True):
        while s < e and (text[s].isspace() or text[s] in ",;:"):
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        bounds.append((s, e))
    return bounds


# --- putting it together ------------------------------------------------------------


def _read_span(document: Document, start: int, end: int, timex_spans: list[tuple[int, int]],
               vocab: Vocabulary, sentence: Sentence) -> dict:
    text = document.text
    known = [m for m in vocab.find_names(text, start, end)
             if not any(m.start < e and s < m.end for s, e in timex_spans)]
    actors = sorted({m.canonical for m in known if m.kind == "actor"})
    places = sorted({m.canonical for m in known if m.kind == "place"})
    event_matches = vocab.find_events(text, start, end)
    events = sorted({m.canonical for m in event_matches})
    participants = sorted({m.canonical for m in vocab.participants.finditer(text, start, end)})
    names = sorted(set(_other_names(text, start, end, known, sentence.start, vocab)))
    quantities = sorted(set(find_quantities(text, start, end, vocab, timex_spans)),
                        key=lambda q: (q.noun, q.value, q.text))
    return {"actors": tuple(actors), "places": tuple(places), "event_words": tuple(events),
            "names": tuple(names), "quantities": tuple(quantities),
            "participants": tuple(participants),
            "kinds": vocab.statement_kinds(text, start, end, event_matches),
            "attribution": _attribution(text, start, end, vocab)}


def extract_mentions(document: Document, timexes: Sequence[Timex],
                     vocab: Vocabulary | None = None) -> list[EventMention]:
    """The event mentions of one document, in text order."""
    vocab = vocab or load_vocabulary()
    text = document.text
    sentences = split_sentences(text, document.lang, vocab)
    published = _published_str(document)
    starts = [s.start for s in sentences]

    def sentence_of(offset: int) -> int | None:
        i = bisect.bisect_right(starts, offset) - 1
        return i if i >= 0 and offset < sentences[i].end else None

    # Each sentence's timex spans, so that reading a sentence costs its own length.
    spans_in: dict[int, list[tuple[int, int]]] = {}
    for timex in timexes:
        index = sentence_of(timex.start)
        if index is not None:
            spans_in.setdefault(index, []).append((timex.start, timex.end))

    dated: dict[int, list[tuple[Timex, tuple[str, str, str]]]] = {}
    for timex in sorted(timexes, key=lambda t: (t.start, t.end)):
        interval = _timex_interval(timex)
        if interval is None:
            continue
        index = sentence_of(timex.start)
        if index is not None:
            dated.setdefault(index, []).append((timex, interval))

    mentions: list[EventMention] = []
    # The latest day-precise statement so far (any role, and occurred only): what
    # narrative dates and event anaphora count from.
    last_day: EventMention | None = None
    last_occurred: EventMention | None = None

    def remember(mention: EventMention) -> None:
        nonlocal last_day, last_occurred
        mentions.append(mention)
        if mention.earliest == mention.latest and mention.granularity in ("day", "time"):
            last_day = mention
            if mention.role == "occurred":
                last_occurred = mention

    for index, sentence in enumerate(sentences):
        anchored = dated.get(index, [])
        if anchored:
            bounds = _clause_bounds(text, sentence, [(t.start, t.end) for t, _ in anchored], vocab)
            for (timex, interval), (c0, c1) in zip(anchored, bounds, strict=True):
                value, (earliest, latest, granularity) = _rebased(timex, interval, last_day)
                role = timex_role(text, sentence, timex.start, timex.end, vocab)
                # the report's evidence is the whole sentence: it holds what was reported
                e0, e1 = (sentence.start, sentence.end) if role == "reported" else (c0, c1)
                remember(EventMention(
                    doc_id=document.id, start=e0, end=e1, text=text[e0:e1], timex=timex.text,
                    timex_start=timex.start, timex_end=timex.end, value=value,
                    earliest=earliest, latest=latest, granularity=granularity, role=role,
                    anchor=timex.anchor, lang=document.lang, source=document.source,
                    published=published,
                    **_read_span(document, e0, e1, spans_in[index], vocab, sentence),
                ))
            continue
        relative = _narrative_mention(document, sentence, last_occurred, vocab,
                                      spans_in.get(index, []), published)
        if relative is not None:
            remember(relative)
    return mentions


def _rebased(timex: Timex, interval: tuple[str, str, str], last_day: EventMention | None
             ) -> tuple[str, tuple[str, str, str]]:
    """A narrative date counted again from the latest dated statement before it.

    The tagger counts "sehari kemudian" from the last *date* of the text; this
    stage also knows dates that statements take from events ("tiga hari setelah
    serangan itu"), so the day after is counted from the latest of those.
    """
    earliest, latest, granularity = interval
    if timex.anchor != "narrative" or not timex.anchored_on or granularity not in ("day", "time"):
        return timex.value, interval
    if last_day is None or last_day.earliest == timex.anchored_on:
        return timex.value, interval
    delta = day_number(last_day.earliest) - day_number(timex.anchored_on)
    day = shift_day(earliest, delta)
    return day + timex.value[10:], (day, day, granularity)


def _inside_quote(text: str, start: int, offset: int) -> bool:
    """True when ``offset`` is inside quoted speech opened earlier in the sentence."""
    before = text[start:offset]
    if before.count("“") > before.count("”"):
        return True
    return before.count('"') % 2 == 1


def _narrative_mention(document: Document, sentence: Sentence, anchor: EventMention | None,
                       vocab: Vocabulary, timex_spans: list[tuple[int, int]],
                       published: str | None) -> EventMention | None:
    """A sentence the text places relative to the last dated statement before it."""
    text = document.text
    m = vocab.relative_regex.search(text, sentence.start, sentence.end)
    if m is None or _inside_quote(text, sentence.start, m.start()):
        return None
    if anchor is None:
        return None
    days = vocab.relative[m.group(0).casefold()]
    day = shift_day(anchor.earliest, days)
    role = timex_role(text, sentence, m.start(), m.end(), vocab)
    e0, e1 = sentence.start, sentence.end
    return EventMention(
        doc_id=document.id, start=e0, end=e1, text=text[e0:e1], timex=m.group(0),
        timex_start=m.start(), timex_end=m.end(), value=day, earliest=day, latest=day,
        granularity="day", role=role, anchor="narrative", lang=document.lang,
        source=document.source, published=published,
        **_read_span(document, e0, e1, [*timex_spans, (m.start(), m.end())], vocab, sentence),
    )
