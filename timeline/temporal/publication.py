"""Publication date inferred from the text, when the metadata gives none.

Reading an article the way an editor would: a date in the dateline is the
publication date; otherwise the article was published on or after the latest
full date it states; a weekday with a day and month ("Rabu (21/10)") fixes the
year to those on which that day falls on that weekday, narrowed by the years the
text names or by the dates of the corpus's other documents. Bare weekdays and
relative words ("kemarin", "bulan lalu") decide nothing: without an anchor they
stay unresolved, and so does the publication date.

The temporal expressions come from the tagger (``timeline.tag``, called with no
publication date), so this module knows no language: it reads TIMEX3 values. The
corpus stage asks for it through :class:`PublicationInference`, which
:func:`timeline.load_corpus` hands to :func:`timeline.corpus.load_corpus`.

>>> from timeline.types import Timex
>>> def tagger(text, published=None, lang=None):
...     return [Timex(5, 19, "Selasa (12/11)", "DATE", "XXXX-11-12", None, None, "none",
...                   weekday=2), Timex(30, 34, "2013", "DATE", "2013", date(2013, 1, 1),
...                   date(2013, 12, 31), "absolute")]
>>> clues = find_clues("Pada Selasa (12/11) ... tahun 2013", lang="id", tagger=tagger)
>>> decide(clues, today=date(2024, 1, 1)).published
datetime.date(2013, 11, 12)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from timeline.lang import language_support
from timeline.lang.detect import UNDETERMINED
from timeline.temporal import calendar as cal
from timeline.temporal import tag as default_tagger
from timeline.types import NO_GUESS, PublicationGuess, Timex

#: What date inference calls to tag a text: ``tagger(text, published=None, lang=code)``
#: (:func:`timeline.tag` by default).
TextTagger = Callable[..., Sequence[Timex]]

#: Characters handed to the tagger per document: bounds tagging time for huge
#: inputs (the report says when a document was capped). News articles are far
#: shorter; datelines and the dates that matter come early.
TAG_CHAR_LIMIT = 20_000

#: How far back a weekday-date's year is looked for, before any narrowing.
YEARS_BACK = 50

#: A dateline is the part of the first line before the dash that ends it
#: ("JAKARTA, 11/11/2013 - ..."), or a short first line of its own.
_DATELINE_DASH = re.compile(r"\s[-–—]\s")
DATELINE_MAX_CHARS = 150
SHORT_LINE_CHARS = 80

#: Confidence of each kind of evidence, from how often it is the publication day.
CONFIDENCE = {
    "dateline": 0.9,      # datelines state the publication (or filing) day
    "text_year": 0.8,     # weekday + day/month in a year the text names
    "full_date": 0.6,     # reports usually come the day of or after the latest date
    "corpus": 0.5,        # weekday + day/month in the span of the other documents
}

#: A day and month without a year: what a weekday with a date gives unanchored.
_WEEKDAY_DATE_VALUE = re.compile(r"^XXXX-(?P<month>\d{2})-(?P<day>\d{2})(?:T|$)")


@dataclass(frozen=True, slots=True)
class DateClue:
    """One expression of the text that bears on the publication date."""

    text: str
    start: int
    #: "full_date" (a day-precise date) or "weekday_date" (weekday + day/month).
    kind: str
    #: The dates it can denote: one for a full date, the matching years otherwise.
    candidates: tuple[date, ...]
    in_dateline: bool = False

    def describe(self) -> str:
        if self.kind == "full_date":
            return f"{self.text!r} at {self.start}: {self.candidates[0].isoformat()}"
        return (f"{self.text!r} at {self.start}: weekday and day/month, "
                f"{len(self.candidates)} possible years")


@dataclass(frozen=True, slots=True)
class Clues:
    """What the text says about its own date, before any decision."""

    clues: tuple[DateClue, ...]
    #: Years the text names explicitly (absolute values).
    years: frozenset[int]
    #: Set when the text was capped before tagging, or the tagger failed.
    notes: tuple[str, ...] = ()


def _in_dateline(text: str, timex: Timex) -> bool:
    """Whether the expression is (in) the dateline.

    Either the first line's part before its dash, or a short first line of its own
    that is mostly the date ("Jakarta, 11 November 2013"), not a headline that
    happens to name one.
    """
    first_line, _, rest = text.partition("\n")
    dash = _DATELINE_DASH.search(first_line[:DATELINE_MAX_CHARS])
    if dash:
        return timex.end <= dash.start()
    own_line = bool(rest.strip()) and len(first_line.strip()) <= SHORT_LINE_CHARS
    return (own_line and timex.end <= len(first_line)
            and 2 * (timex.end - timex.start) >= len(first_line.strip()))


def _weekday_years(month: int, day: int, weekday: int, today: date) -> tuple[date, ...]:
    return tuple(d for d in cal.dates_on_weekday(month, day, weekday, today.year - YEARS_BACK,
                                                 today.year) if d <= today)


def find_clues(text: str, *, lang: str | None, tagger: TextTagger | None = None,
               today: date | None = None, tag_chars: int = TAG_CHAR_LIMIT) -> Clues:
    """Tag the text without a publication date and keep what bears on it.

    A tagger failure is a note, not an exception: the document is still loaded.
    """
    if tagger is None:
        if lang not in (None, UNDETERMINED) and language_support(lang) is None:
            return Clues((), frozenset(), ())  # nothing reads it; the ingest report says so
        tagger = default_tagger
    today = today or date.today()
    notes = []
    if len(text) > tag_chars:
        notes.append(f"text has {len(text)} characters; only the first {tag_chars} were "
                     "tagged for date inference")
        text = text[:tag_chars]
    try:
        timexes = list(tagger(text, published=None, lang=lang))
    except Exception as exc:  # someone else's tagger: report, do not stop the run
        return Clues((), frozenset(), (*notes, f"tagger failed: {type(exc).__name__}: {exc}"))
    clues: list[DateClue] = []
    years: set[int] = set()
    for timex in timexes:
        if timex.anchor == "absolute" and timex.earliest and timex.latest \
                and timex.earliest.year == timex.latest.year:
            years.add(timex.earliest.year)
        in_dateline = _in_dateline(text, timex)
        if timex.anchor in ("absolute", "narrative") and timex.earliest \
                and timex.earliest == timex.latest:
            when = timex.earliest
            if when <= today:  # a later date is a plan, not a report
                clues.append(DateClue(timex.text, timex.start, "full_date", (when,),
                                      in_dateline))
            continue
        weekday_date = _WEEKDAY_DATE_VALUE.match(timex.value)
        if weekday_date and timex.weekday:
            candidates = _weekday_years(int(weekday_date["month"]), int(weekday_date["day"]),
                                        timex.weekday, today)
            if candidates:
                clues.append(DateClue(timex.text, timex.start, "weekday_date", candidates,
                                      in_dateline))
    return Clues(tuple(clues), frozenset(years), tuple(notes))


def _narrow(clue: DateClue, years: frozenset[int],
            corpus_dates: Sequence[date]) -> tuple[tuple[date, ...], str | None, str]:
    """Narrow a weekday-date's candidates: by the text's years, else by the corpus."""
    in_text_years = tuple(c for c in clue.candidates if c.year in years)
    if in_text_years:
        named = ", ".join(str(y) for y in sorted({c.year for c in in_text_years}))
        return in_text_years, f"a year named in the text ({named})", "text_year"
    if corpus_dates:
        low, high = min(corpus_dates), max(corpus_dates)
        inside = tuple(c for c in clue.candidates if low <= c <= high)
        if not inside:  # outside the span: keep the nearest year(s) to it
            def distance(c: date) -> int:
                return (low - c).days if c < low else (c - high).days
            best = min(distance(c) for c in clue.candidates)
            inside = tuple(c for c in clue.candidates if distance(c) == best)
        return (inside, f"the other documents' dates ({low.isoformat()} to "
                        f"{high.isoformat()})", "corpus")
    return clue.candidates, None, "none"


def decide(clues: Clues, *, corpus_dates: Sequence[date] = (),
           today: date | None = None) -> PublicationGuess:
    """The publication date the clues support, or its candidates, or nothing.

    ``corpus_dates`` are the publication dates of the corpus's *other* documents;
    they only narrow a weekday-date's years when the text names none.
    """
    decided: list[tuple[date, str, str]] = []  # (date, kind of evidence, evidence)
    open_sets: list[tuple[tuple[date, ...], str]] = []
    for clue in clues.clues:
        if clue.kind == "full_date":
            kind = "dateline" if clue.in_dateline else "full_date"
            decided.append((clue.candidates[0], kind, clue.describe()))
            continue
        candidates, narrowed_by, kind = _narrow(clue, clues.years, corpus_dates)
        weekday = candidates[0].strftime("%A")
        day_month = candidates[0].strftime("%d %B").lstrip("0")
        if len(candidates) == 1:
            reason = f"{day_month} is a {weekday} in {candidates[0].year}"
            if narrowed_by:
                reason += f", narrowed by {narrowed_by}"
            kind = "dateline" if clue.in_dateline else kind
            decided.append((candidates[0], kind, f"{clue.text!r} at {clue.start}: {reason}"))
        else:
            listed = ", ".join(str(c.year) for c in candidates)
            reason = f"{day_month} is a {weekday} in {listed}"
            if narrowed_by:
                reason += f" (narrowed by {narrowed_by})"
            open_sets.append((candidates, f"{clue.text!r} at {clue.start}: {reason}"))

    datelines = [d for d in decided if d[1] == "dateline"]
    if datelines:
        when, _kind, evidence = max(datelines)
        return PublicationGuess(when, (when,), CONFIDENCE["dateline"], "dateline",
                                (f"dateline: {evidence}",))
    latest = max(decided) if decided else None
    later = sorted({c for candidates, _ in open_sets for c in candidates
                    if latest is None or c > latest[0]})
    if later:
        reasons = [e for _, e in open_sets]
        if latest:
            reasons.append(f"on or after the latest full date, {latest[2]}")
        return PublicationGuess(None, tuple(later), 0.0, "undecided", tuple(reasons))
    if latest is None:
        return NO_GUESS
    when, kind, evidence = latest
    basis = "weekday_date" if kind in ("text_year", "corpus") else "latest_full_date"
    return PublicationGuess(when, (when,), CONFIDENCE[kind], basis,
                            (f"latest date stated in the text: {evidence}",))


@dataclass(frozen=True)
class PublicationInference:
    """Publication dates of a corpus's undated texts: each text alone, then the
    weekday-dates it leaves open narrowed by the other documents' dates.

    Called by the corpus loader with ``(id, text, lang)`` of each undated text,
    the dates of the documents that have one, and today; returns a guess per id.
    ``limits`` are reported in the ingest report.
    """

    tagger: TextTagger | None = None
    tag_chars: int = TAG_CHAR_LIMIT

    @property
    def limits(self) -> dict[str, int]:
        return {"tag_chars": self.tag_chars}

    def __call__(self, undated: Sequence[tuple[str, str, str | None]],
                 known: dict[str, date], today: date) -> dict[str, PublicationGuess]:
        clues = {doc_id: self.clues(text, lang, today) for doc_id, text, lang in undated}
        return self.decide_all(clues, known, today)

    def clues(self, text: str, lang: str | None, today: date) -> Clues:
        """What one text says about its date (needs the text; a corpus read in a stream
        keeps only this)."""
        return find_clues(text, lang=lang, tagger=self.tagger, today=today,
                          tag_chars=self.tag_chars)

    def decide_all(self, clues: dict[str, Clues], known: dict[str, date],
                   today: date) -> dict[str, PublicationGuess]:
        """Each undated text's guess from its clues: alone, then the weekday-dates it
        leaves open narrowed by the other documents' dates (``known`` and the guesses)."""
        guesses = {doc_id: decide(found, today=today) for doc_id, found in clues.items()}
        dates = dict(known)
        dates.update({i: g.published for i, g in guesses.items() if g.published})
        # only the earliest and latest of the other documents' dates narrow (_narrow):
        # the two smallest and largest suffice to leave any one document out
        by_day = sorted(dates.items(), key=lambda item: item[1])
        ends = by_day[:2] + by_day[-2:] if len(by_day) > 4 else by_day
        for doc_id, guess in guesses.items():
            if guess.published is None and len(guess.candidates) > 1:
                others = [day for other, day in ends if other != doc_id]
                guesses[doc_id] = decide(clues[doc_id], corpus_dates=others, today=today)
        return {doc_id: replace(guess, notes=clues[doc_id].notes)
                for doc_id, guess in guesses.items()}
