"""What one text's expressions are resolved against: the story so far.

A :class:`Context` holds the text, its language and publication date, and what
the story has reached as its expressions are resolved in text order: the
narrative date (the latest day-precise date, for "keesokan harinya", "the next
day") and the periods named (for "the quarter", "a year earlier"). It reads the
tense around the expression being resolved and the quotation it sits in. A
resolver builds a :class:`Value`, which the driver turns into a Timex.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from timeline.lang import Language, Rule
from timeline.temporal import calendar as cal
from timeline.temporal.extract import Found

#: Periods a story can be at rather than at a day.
COARSE_PERIODS = frozenset(("month", "quarter", "half", "season", "year"))
#: Periods a report compares with the same period a year ago ("sales rose 5%
#: in the third quarter from a year ago").
REPORTING_PERIODS = frozenset(("quarter", "half"))
#: A day named this early in a text is the day its lead tells of.
_LEAD_CHARS = 600
#: Words searched for tense cues: this many characters around the span, within
#: its sentence.
_CUE_BEFORE = 60
_CUE_AFTER = 50
#: Where a sentence ends: a full stop after a number, a word ending in three
#: lower-case letters (accented ones too) or an acronym ("WIB."), before a
#: capital (not "Jan. 3", "Mr. Smith", "Daniel P. Davison"), or "!", "?", ";", a
#: line break.
_SENTENCE_END = re.compile(
    r"[!?;\n]|(?:(?<=[a-zß-öø-ÿ0-9]{3})|(?<=[A-Z]{3})|(?<=\d))\.(?=[\s\"'”’»)]*(?:$|[\"“‘«(¿¡]?[A-ZÀ-ÖØ-Þ]))")


@dataclass
class Value:
    """What a kind builds before it becomes a Timex."""

    type: str
    value: str
    anchor: str
    confidence: float = 1.0
    weekday: int | None = None
    timezone: str | None = None
    quant: str | None = None
    freq: str | None = None
    note: str | None = None
    #: Explicit interval, for values whose interval is not their calendar extent.
    bounds: tuple[date | None, date | None] | None = None
    #: The narrative date the value was counted from.
    anchored_on: date | None = None
    #: For a duration counted from an event just told: the value it reaches.
    point: str | None = None
    #: A period compared with the one the story is at ("a year earlier", "the
    #: year-ago quarter"): the story does not move to it.
    comparison: bool = False
    #: A duration that is a part of a year the story is at ("in the nine months,
    #: net rose"): its comparisons ("a year earlier") go back a whole year.
    story_year: bool = False


@dataclass
class Context:
    """What one text's expressions are resolved against."""

    text: str
    language: Language
    published: date | None
    paragraph_starts: list[int]
    #: (date, offset) of the latest day-precise date seen.
    narrative: tuple[date, int] | None = None
    #: granularity -> (value, offset) of the latest calendar value of that
    #: granularity seen ("1989-Q3", "2012"), and of the one latest in time.
    periods: dict[str, tuple[str, int]] = field(default_factory=dict)
    period_peaks: dict[str, tuple[str, int]] = field(default_factory=dict)
    found: Found | None = field(default=None)

    @property
    def rule(self) -> Rule:
        """The rule of the expression being resolved."""
        assert self.found is not None, "no expression is being resolved"
        return self.found.rule
    #: The day of a date written right after the current time of day
    #: ("pukul 07.55 WIB, Jumat (5/12/2014)"): that time's own day.
    following_day: date | None = None
    #: The day of the first date later in the current time of day's sentence
    #: ("Ledakan terjadi pukul 09.40 WIB di pasar, Kamis kemarin").
    later_day: date | None = None
    #: Where the range the current expression closes starts ("from Monday to
    #: Wednesday", "5-9 Juni", "del 5 al 9 de junio"): its end lies on or after
    #: it; and whether the two days are only listed ("el miércoles y jueves").
    range_start: date | None = None
    range_listed: bool = False
    #: (date, offset) of the first day-precise date of the text: the day its lead
    #: tells of.
    lead_day: tuple[date, int] | None = None
    #: (year, month, offset) of the latest month or day named with its own year.
    month_named: tuple[int, int, int] | None = None
    #: The latest recent year named as such ("l'année 2011", "in 2011"): the
    #: year a text is about.
    story_year: int | None = None

    def paragraph(self, offset: int) -> int:
        return bisect.bisect_right(self.paragraph_starts, offset)

    def _paragraph_start(self, offset: int) -> int:
        paragraph = self.paragraph(offset)
        return self.paragraph_starts[paragraph - 1] if paragraph else 0

    def narrative_date(self, same_paragraph: bool = False) -> date | None:
        """The latest day-precise date established before the current span.

        Narrative expressions ("keesokan harinya", "the next day") refer back to
        it wherever it was said in the text; a bare time of day
        (`same_paragraph`) only to one in its own paragraph. Quoted speech has
        its own time: inside a quotation only a date said within it counts.
        """
        if self.narrative is None or self.found is None:
            return None
        day, offset = self.narrative
        start = self.found.start
        if same_paragraph and self._paragraph_start(offset) != self._paragraph_start(start):
            return None
        quote = self.quote_start()
        if quote is not None and offset < quote:
            return None
        return day

    def story_day(self) -> tuple[date | None, str]:
        """The day a time of day with no date of its own is told for, and how it
        was found ("narrative", "quoted" or "published"; None, "none" when there
        is none).

        In order: a date written right after it; the narrative date, when set in
        its own sentence; a date later in its sentence; the narrative date, when
        set in its paragraph; the day the lead tells of; the publication date.
        Quoted speech has its own time: inside a quotation, a date said within it,
        else, for a clock time, the day the story is at outside it ("quoted": a
        witness tells of the day's events), else none (a bare part of the day
        there is often generic). A day after publication (a date announced ahead)
        is the story's day only under a future cue."""
        if self.following_day is not None:
            return self.following_day, "narrative"
        day = self.narrative_date()  # inside a quotation, only a date said within it
        if day is not None and self.published is not None and day > self.published and \
                not self.future():
            day = None  # "the vote on 16 June, while crowds gathered in the evening"
        start = self.found.start if self.found is not None else 0
        if self.quoted():  # quoted speech has its own time
            if day is not None:
                return day, "narrative"
            if self.narrative is not None and self.found is not None and \
                    "hour" in self.found.slots:
                return self.narrative[0], "quoted"
            return None, "none"
        if day is not None and self.narrative is not None and \
                self.narrative[1] >= self.sentence_start(start):
            return day, "narrative"
        if self.later_day is not None:
            return self.later_day, "narrative"
        if day is not None and self.narrative is not None and \
                self._paragraph_start(self.narrative[1]) == self._paragraph_start(start):
            return day, "narrative"
        if self.lead_day is not None and self.lead_day[1] < _LEAD_CHARS:
            return self.lead_day[0], "narrative"
        if self.published is not None:
            return self.published, "published"
        return None, "none"
        if self.lead_day is not None and self.lead_day[1] < _LEAD_CHARS:
            return self.lead_day[0], "narrative"
        if self.published is not None:
            return self.published, "published"
        return None, "none"

    def range_end(self, when: date, later: date | None) -> date:
        """The second end of a range read as `when`, which falls before its start:
        `later`, the first such day after the start; for two days only listed,
        only when that keeps them a few days apart ("statements made Friday and
        Thursday" keeps the Thursday before)."""
        if later is None or self.range_start is None:
            return when
        if self.range_listed and (later - self.range_start).days > 3:
            return when
        return later

    def month_in_sentence(self) -> tuple[int, int] | None:
        """(year, month) of a month named with its own year earlier in the current
        span's sentence ("en octubre de 2011"): the time the sentence tells of."""
        named = self.month_named
        if named is None or self.found is None or \
                named[2] < self.sentence_start(self.found.start):
            return None
        return named[0], named[1]

    def sentence_start(self, offset: int) -> int:
        """Where the sentence holding `offset` starts (searched within its paragraph)."""
        low = self._paragraph_start(offset)
        for boundary in _SENTENCE_END.finditer(self.text, max(low, offset - 400), offset):
            low = boundary.end()
        return low

    def same_sentence(self, start: int, end: int) -> bool:
        """No sentence ends between `start` and `end`."""
        return _SENTENCE_END.search(self.text, start, end) is None

    def period(self, granularities: Iterable[str] | None = None, latest_in_time: bool = False,
               ended_by: date | None = None) -> str | None:
        """The value of the latest calendar period named before the current span
        (of one of `granularities`, or of any): the time the story is at, which
        "the quarter", "the latest period" refer to. With `latest_in_time`, the
        latest in time rather than in the text: the period a report is about, which
        its comparisons ("a year earlier", "the year-ago period", "the 1988
        period") go back from. Quoted speech has its own time, as for
        `narrative_date`. With `ended_by`, only a period over by then counts
        ("the latest quarter" is one that has ended)."""
        if self.found is None:
            return None
        table = self.period_peaks if latest_in_time else self.periods
        kept = [table[g] for g in (granularities or table) if g in table]
        if ended_by is not None:
            kept = [p for p in kept if cal.bounds(p[0])[1] < ended_by]
        if not kept:
            return None
        value, offset = max(kept, key=(lambda p: (cal.bounds(p[0])[0], p[1])) if latest_in_time
                            else (lambda p: p[1]))
        quote = self.quote_start()
        if quote is not None and offset < quote:
            return None
        return value

    def quote_start(self) -> int | None:
        """Where the quotation holding the current span opens (None outside quotes).

        Quotations are read within the paragraph: curly quotes pair up, straight
        ones alternate."""
        if self.found is None:
            return None
        start = self._paragraph_start(self.found.start)
        before = self.text[start:self.found.start]
        if before.count("“") > before.count("”"):
            return start + before.rfind("“")
        if before.count('"') % 2 == 1:
            return start + before.rfind('"')
        return None

    def quoted(self) -> bool:
        """Is the current span inside quoted speech? Its "now" is the speaker's, not
        the publication's, so publication is no fallback anchor there."""
        return self.quote_start() is not None

    def future(self) -> bool:
        """Does the tense cue governing the current span point ahead?"""
        return bool(self.tense())

    def tense(self) -> bool | None:
        """True (a future cue governs the current span), False (a past cue) or
        None: see :meth:`tense_cue`."""
        return self.tense_cue()[0]

    def tense_cue(self) -> tuple[bool | None, bool]:
        """True (a future cue governs the current span), False (a past cue) or None.

        Future cues ("akan", "will") and past cues ("mengatakan", "said", "sejak")
        both occur around reported dates. The nearest cue before the span, in its
        sentence, governs it; only without one does the nearest cue after it
        ("On Wednesday, the council will vote"). A trailing attribution
        (", kata Kremlin", ", officials said") thus does not override "akan".
        The second item says whether the cue is the ending of a verb ("acabó"):
        the tense of the event itself, which allows no exception.
        """
        if self.found is None:
            return None, False
        start, end = self.found.start, self.found.end
        text = self.text
        low = max(0, start - _CUE_BEFORE)
        for boundary in _SENTENCE_END.finditer(text, low, start):
            low = boundary.end()
        before = text[low:start]
        sentence_end = _SENTENCE_END.search(text, end, end + _CUE_AFTER)
        after = text[end:sentence_end.start() if sentence_end else end + _CUE_AFTER]
        cues = self.language.tense_cues
        found = cues.nearest_cue(before.split(), backwards=True)
        if found[0] is None:
            found = cues.nearest_cue(after.split(), backwards=False)
        return found
