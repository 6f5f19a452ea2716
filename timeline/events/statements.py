"""What a statement tells: a happening on its date, or something to set aside.

A dated sentence is not always a happening on its date. The events stage reads
every statement and says what it tells (:data:`~timeline.types.Tells`):

- ``nothing``: nothing but its date (a page stamp "Miércoles 16/02/2011", a
  signature "La Habana, 19 de marzo de 2011", a bare "Pada 2012,"): fewer than
  :data:`MIN_WORDS` words beside its dates, or only capitalised words (names, a
  heading) and no event word;
- ``schedule``: what is planned or expected: dated after its article was
  published (nothing published has happened later than that: a plan, a forecast,
  or a typo such as 2106), or told with a future cue ("akan", "will", "está
  previsto") on a day not before publication;
- ``hypothesis``: a modal or conditional cue ("could", "jika"), or a question;
- ``opinion``: an opinion cue ("I think", "menurut saya");
- ``happening``: the rest. A ``reported`` statement is a statement made on its
  date, whatever it says, so only its date can set it aside.

The cues are language data (``timeline/lang/<code>/statements.toml``), read in
the statement's language (short words differ in meaning across languages:
French "va" is a future, Spanish "va" is not). Only happenings enter the chronology; the others stay
in the mentions files, counted per document in the ingest report.

Two more rules shape statements:

- a date right after a ``reference`` cue ("since July 2009", "sejak", "for
  delivery in February") is a reference point, not the statement's date
  (:meth:`StatementCues.dates_nothing`);
- a happening told without a date of its own ("Rebels storm the compound", a
  headline, a lead) is still a statement: :func:`tells_undated_happening` says
  which sentences are, and the mention takes the day the story is at.

>>> cues = load_statement_cues("en")
>>> text = "The council will vote on Friday."
>>> cues.classify(text, 0, len(text), [(25, 31)], role="occurred", earliest=date(2020, 3, 6),
...               published=date(2020, 3, 4), has_event_word=False)
'schedule'
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache

from timeline.events.sentences import Sentence
from timeline.lang import available_languages, load_language, rules_language
from timeline.types import Role, Tells, Timex

#: A statement needs at least this many words beside its dates to tell anything.
MIN_WORDS = 3
#: A sentence without a date of its own needs at least this many words to be a statement.
MIN_UNDATED_WORDS = 4
#: How far back (characters) a reference cue is looked for before a date.
REFERENCE_REACH = 40

_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_LOWER_WORD = re.compile(r"(?<![\w'’-])[^\W\d_A-ZÀ-ÖØ-Þ][\w'’-]{3,}")


def _phrases(words: Iterable[str]) -> re.Pattern[str] | None:
    """One case-blind regex for whole words or phrases, longest first."""
    listed = sorted({w.strip() for w in words if w.strip()}, key=lambda w: (-len(w), w))
    if not listed:
        return None
    return re.compile(r"(?<![\w'’-])(?:" + "|".join(re.escape(w) for w in listed)
                      + r")(?![\w'’-])", re.IGNORECASE)


@dataclass(frozen=True)
class StatementCues:
    """Every language's statement cues, compiled (build with :func:`load_statement_cues`)."""

    future: re.Pattern[str] | None
    modal: re.Pattern[str] | None
    opinion: re.Pattern[str] | None
    reference: re.Pattern[str] | None
    headline_openers: re.Pattern[str] | None
    #: Words that introduce a date ("on", "pada", "el"), lower case.
    date_words: frozenset[str] = frozenset()
    #: Articles that may stand between a reference cue and its date ("desde el",
    #: "since the"), lower case.
    articles: frozenset[str] = frozenset()

    def _found(self, pattern: re.Pattern[str] | None, text: str, start: int, end: int) -> bool:
        return pattern is not None and pattern.search(text, start, end) is not None

    def dates_nothing(self, text: str, timex_start: int) -> bool:
        """True when a reference cue ("since", "sejak", "hasta el") comes right before
        the date at ``timex_start``: the date is a reference point."""
        if self.reference is None:
            return False
        before = text[max(0, timex_start - REFERENCE_REACH):timex_start].rstrip()
        words = before.rsplit(None, 1)
        if len(words) == 2 and words[1].casefold() in self.articles:
            before = words[0].rstrip()
        return any(found.end() == len(before) for found in self.reference.finditer(before))

    def classify(self, text: str, start: int, end: int, dates: Sequence[tuple[int, int]], *,
                 role: Role, earliest: date | None, published: date | None,
                 has_event_word: bool, latest: date | None = None) -> Tells:
        """What the statement ``text[start:end]`` tells (see the module docstring).

        ``dates`` are the spans of its temporal expressions, ``earliest``/``latest`` its
        date, ``published`` its article's day (None when unknown)."""
        if tells_nothing(text, start, end, dates, has_event_word):
            return "nothing"
        if published is not None and earliest is not None and earliest > published:
            return "schedule"
        if role == "reported":
            return "happening"
        if self._found(self.future, text, start, end) and (
                published is None or latest is None or latest >= published):
            return "schedule"
        if self._found(self.modal, text, start, end) or _is_question(text, start, end):
            return "hypothesis"
        if self._found(self.opinion, text, start, end):
            return "opinion"
        return "happening"

    def asserted(self, text: str, start: int, end: int) -> bool:
        """No future, modal, conditional or opinion cue, and not a question."""
        return not (self._found(self.future, text, start, end)
                    or self._found(self.modal, text, start, end)
                    or self._found(self.opinion, text, start, end)
                    or _is_question(text, start, end))


def _is_question(text: str, start: int, end: int) -> bool:
    return text[start:end].rstrip(" \"'”’»)").endswith("?")


def _outside(text: str, start: int, end: int, dates: Sequence[tuple[int, int]]) -> str:
    """The statement's text with its dates left out."""
    parts, last = [], start
    for a, b in sorted(dates):
        if b <= start or a >= end:
            continue
        parts.append(text[last:max(a, last)])
        last = max(last, b)
    parts.append(text[last:end])
    return " ".join(parts)


def tells_nothing(text: str, start: int, end: int, dates: Sequence[tuple[int, int]],
                  has_event_word: bool) -> bool:
    """Nothing but a date: fewer than MIN_WORDS words beside the dates, or only
    capitalised words and no event word ("La Habana, 19 de marzo de 2011").

    >>> tells_nothing("Pada 2012,", 0, 10, [(5, 9)], False)
    True
    """
    rest = _outside(text, start, end, dates)
    words = rest.split()
    if len(words) < MIN_WORDS and len(_WORD.findall(rest)) < MIN_WORDS:
        return True
    return not has_event_word and _LOWER_WORD.search(rest) is None


def tells_undated_happening(text: str, start: int, end: int, cues: StatementCues,
                            has_event_word: bool) -> bool:
    """Whether a sentence without a date of its own tells a happening: an event word,
    at least MIN_UNDATED_WORDS words, asserted (no future, modal or opinion cue, not
    a question), and not only capitalised words."""
    if not has_event_word:
        return False
    if len(_WORD.findall(text, start, end)) < MIN_UNDATED_WORDS:
        return False
    if _LOWER_WORD.search(text, start, end) is None:
        return False
    return cues.asserted(text, start, end)


@cache
def load_statement_cues(lang: str | None) -> StatementCues:
    """The statement cues of the language whose rules read ``lang`` (every language's
    at once when none does); cached."""
    return _cues(rules_language(lang) if lang else None)


@cache
def _cues(code: str | None) -> StatementCues:
    lists: dict[str, set[str]] = {"future": set(), "modal": set(), "conditional": set(),
                                  "opinion": set(), "reference": set(), "openers": set(),
                                  "date_words": set(), "articles": set()}
    for each in ([code] if code else available_languages()):
        language = load_language(each)
        if language is None:
            continue
        for section in ("statements", "headline"):
            for key, words in language.statements.get(section, {}).items():
                lists[key].update(words)
    return StatementCues(
        future=_phrases(lists["future"]),
        modal=_phrases(lists["modal"] | lists["conditional"]),
        opinion=_phrases(lists["opinion"]),
        reference=_phrases(lists["reference"]),
        headline_openers=_phrases(lists["openers"]),
        date_words=frozenset(w.casefold() for w in lists["date_words"]),
        articles=frozenset(w.casefold() for w in lists["articles"]))


def join_list_dates(text: str, sentences: Sequence[Sentence],
                    timexes: Sequence[Timex]) -> list[Sentence]:
    """The sentences, with a bare date at the head of a line joined to the sentence
    after it on that line when that one has no date of its own: "2 de mayo. Las
    tropas entran en ..." (a line of a chronology box) is one statement, dated.

    ``timexes`` are the document's temporal expressions, sorted by start.
    """
    dated = [(t.start, t.end) for t in timexes if t.type in ("DATE", "TIME")]
    starts = [s for s, _ in dated]

    def dates_in(start: int, end: int) -> list[tuple[int, int]]:
        i = bisect.bisect_left(starts, start)
        found = []
        while i < len(dated) and dated[i][0] < end:
            found.append(dated[i])
            i += 1
        return found

    joined: list[Sentence] = []
    i = 0
    while i < len(sentences):
        sentence = sentences[i]
        after = sentences[i + 1] if i + 1 < len(sentences) else None
        if (after is not None and after.paragraph == sentence.paragraph
                and _heads_its_line(text, sentence.start)
                and (inside := dates_in(sentence.start, sentence.end))
                and not _WORD.findall(_outside(text, sentence.start, sentence.end, inside))
                and not dates_in(after.start, after.end)):
            joined.append(Sentence(sentence.start, after.end, sentence.paragraph))
            i += 2
            continue
        joined.append(sentence)
        i += 1
    return joined


def _heads_its_line(text: str, offset: int) -> bool:
    """Nothing but spaces and list marks between the line's start and ``offset``."""
    line_start = text.rfind("\n", 0, offset) + 1
    return not text[line_start:offset].strip(" \t-–—•*·▪►")
