"""Which occurrence a text means of a date named without its year.

News conventions: a day and month, a month, a weekday, a weekend or a holiday
named alone is the latest on or before publication (news reports what
happened), the next with a future cue; without a cue, the next when it is near.
Used by the resolvers and by the dateparser fallback alike.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from timeline.temporal import calendar as cal


def nearest_year_with_weekday(published: date, month: int, day: int,
                              weekday: int) -> date | None:
    """The date nearest publication with this day and month on this weekday (the
    earlier of two as near)."""
    span = cal.WEEKDAY_CYCLE_YEARS
    candidates = cal.dates_on_weekday(month, day, weekday, published.year - span,
                                      published.year + span)
    return min(candidates, key=lambda d: (abs((d - published).days), d), default=None)


#: Without a tense cue, a date named without its year is the latest one on or
#: before publication (news reports what happened), unless the next one is this
#: close ahead: dates of the coming weeks (a meeting, a delivery month) are named
#: without a cue as often as past ones.
_AHEAD_WITHOUT_CUE_MONTHS = 3
#: Even in a past-tense sentence, a date named without its year is the next one
#: when that is this few days ahead: reports tell of coming deadlines in the past
#: tense ("the offer was extended to Nov. 16", "said it would pay on Dec. 7"),
#: while a date almost a year back would be given its year.
_AHEAD_DESPITE_PAST_DAYS = 42


def day_month_in_direction(published: date, month: int, day: int,
                           future: bool | None, cued: bool = False) -> date | None:
    """A day and month named without a year: the latest on or before publication
    (past tense, unless the next is days ahead, `_AHEAD_DESPITE_PAST_DAYS`), the
    next on or after it (future tense); without a tense, the latest unless the
    next is near (`_AHEAD_WITHOUT_CUE_MONTHS`). A relative word ("lalu",
    "mendatang") is `future` without `cued`: it allows no exception."""
    if future is None or (future is False and cued):
        ahead = day_month_in_direction(published, month, day, True)
        near = cal.shift(published, "M", _AHEAD_WITHOUT_CUE_MONTHS) if future is None else \
            published + timedelta(days=_AHEAD_DESPITE_PAST_DAYS)
        if ahead is not None and ahead <= near:
            return ahead
        return day_month_in_direction(published, month, day, False)
    years = range(published.year, published.year + 9) if future else \
        range(published.year, published.year - 9, -1)
    for year in years:
        candidate = cal.safe_date(year, month, day)
        if candidate is None:
            continue
        if (candidate >= published) if future else (candidate <= published):
            return candidate
    return None


def month_in_direction(published: date, month: int, rel: int | None,
                       future: bool | None, definite: bool = False) -> int:
    """The year of a month named without one: by its relative word, else by the
    tense, else the latest unless the next is near (`_AHEAD_WITHOUT_CUE_MONTHS`).
    A past tense read off the verb itself (`definite`) allows no exception."""
    current = (published.year, published.month)
    if rel == 0:
        return published.year
    if rel is None and future is None:
        ahead = (month - published.month) % 12
        if ahead <= _AHEAD_WITHOUT_CUE_MONTHS:
            return published.year + (1 if published.month + ahead > 12 else 0)
        future = False
    elif rel is None and future is False and not definite and \
            month == published.month % 12 + 1:
        # the coming month, even in a past-tense sentence ("was put off to June")
        return published.year + (1 if month == 1 else 0)
    if rel == -1 or (rel is None and not future):
        strict = rel == -1
        year = published.year
        while (year, month) > current or (strict and (year, month) == current):
            year -= 1
        return year
    year = published.year  # rel == +1 or a future cue
    strict = rel == 1
    while (year, month) < current or (strict and (year, month) == current):
        year += 1
    return year


def weekday_date(published: date, weekday: int, rel: int | None,
                 future: bool | None, nearest: bool = False) -> date:
    """A weekday named alone: by its relative word, else the next on or after
    publication with a future cue, else the latest on or before it (news reports
    what happened; unlike a month, a weekday a few days ahead is named with a
    cue: "akan", "will", "as early as").

    "This" weekday (`rel` 0) is the one of the publication's week; where the
    language means the nearest one (`nearest`: "ce vendredi" said on a Monday is
    three days back, "ce mercredi" two days ahead), the tense picks the side when
    it can.

    >>> monday = date(2012, 12, 10)
    >>> weekday_date(monday, 5, 0, None, nearest=True), weekday_date(monday, 3, 0, None, True)
    (datetime.date(2012, 12, 7), datetime.date(2012, 12, 12))
    >>> weekday_date(monday, 5, 0, True, nearest=True)
    datetime.date(2012, 12, 14)
    """
    if rel == 0 and nearest:
        ahead = cal.weekday_after(published - timedelta(days=1), weekday)
        back = cal.weekday_on_or_before(published, weekday)
        if future is None:
            return min((ahead, back), key=lambda d: (abs((d - published).days), d))
        return ahead if future else back
    if rel == 0:
        return published + timedelta(days=weekday - published.isoweekday())
    if rel == -1:
        return cal.weekday_on_or_before(published - timedelta(days=1), weekday)
    if rel == 1:  # "Senin depan", "next Monday": a later week's
        return cal.weekday_after(published, weekday)
    if future:  # the publication's own weekday is that day, whatever the tense
        return cal.weekday_after(published - timedelta(days=1), weekday)
    return cal.weekday_on_or_before(published, weekday)


def weekend_in_direction(published: date, future: bool) -> str:
    """A weekend named without direction: the latest begun, or the next to come."""
    if future:
        saturday = cal.weekday_after(published, 6)
    elif published.isoweekday() == 7:
        saturday = published - timedelta(days=1)
    else:
        saturday = cal.weekday_on_or_before(published, 6)
    return cal.value_of(saturday, "WE")


def holiday_occurrence(published: date, code: str, rel: int | None, year_rel: int | None,
                       future: bool | None) -> tuple[date, date] | None:
    """Which occurrence of a yearly holiday a text means, as for a month: by its
    relative word, else by the tense, else the latest unless the next is near."""
    spans = [span for year in range(published.year - 2, published.year + 3)
             for span in cal.holiday_spans(code, year)]
    if year_rel is not None:
        spans = [s for s in spans if s[0].year == published.year + year_rel]
        return spans[0] if spans else None
    if rel == 0:
        spans = [s for s in spans if s[0].year == published.year]
        return spans[0] if spans else None
    past = [s for s in spans if s[0] < published or (rel != -1 and s[0] <= published <= s[1])]
    ahead = [s for s in spans if s[0] > published or (rel is None and s[0] == published)]
    latest, following = (past[-1] if past else None), (ahead[0] if ahead else None)
    if rel == 1 or (rel is None and future):
        return following
    if rel == -1 or future is False or following is None:
        return latest
    near = following[0] <= cal.shift(published, "M", _AHEAD_WITHOUT_CUE_MONTHS)
    return following if near or latest is None else latest


def in_story_year(when: date | None, story_year: int | None, published: date | None,
                  in_year: Callable[[int], date | None]) -> date | None:
    """A date named without its year, chosen by the news conventions (`when`), or,
    when that is the next one (near ahead) and the text has named a recent
    `story_year` holding the latest one ("les événements marquants de l'année 2011
    ... 14 jan" in late December), that latest one.

    >>> in_story_year(date(2012, 1, 14), 2011, date(2011, 12, 22), lambda y: date(y, 1, 14))
    datetime.date(2011, 1, 14)
    """
    if when is None or story_year is None or published is None or when.year == story_year \
            or not published.year - 1 <= story_year <= published.year:
        return when
    other = in_year(story_year)
    if other is None or other.year != when.year - 1 or not other <= published < when:
        return when  # only back from a date ahead to the named year's, past one
    return other


def day_in_month(start: date, day: int, after: bool) -> date | None:
    """The first date on or after `start` (the latest on or before it, when not
    `after`) that is the `day` of its month.

    >>> day_in_month(date(2011, 3, 19), 31, True), day_in_month(date(2019, 4, 22), 25, False)
    (datetime.date(2011, 3, 31), datetime.date(2019, 3, 25))
    """
    month_start = start.replace(day=1)
    for k in (range(0, 3) if after else range(0, -3, -1)):
        first = cal.shift(month_start, "M", k)
        when = cal.safe_date(first.year, first.month, day)
        if when is not None and (when >= start if after else when <= start):
            return when
    return None
