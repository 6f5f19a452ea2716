"""No silent guesses: without a publication date, every engine leaves relative values
X-ed with anchor "none", reads numeric dates in the language's own order, and never
takes a year from the clock.

The rules do (the first test), and so does the dateparser fallback, which tags
languages without rules of their own (timeline/temporal/fallback.py): it used to
resolve such expressions against the system clock and call them "absolute".
"""

from __future__ import annotations

import json

from cli_support import timeline as run_timeline

import timeline


def _containing(timexes, needle: str):
    found = [t for t in timexes if needle in t.text]
    assert found, f"{needle!r} not tagged in {[t.text for t in timexes]}"
    return found[0]


def test_the_rules_leave_relative_values_x_ed_without_a_publication_date():
    timex = _containing(timeline.tag("Pasukan itu tiba kemarin.", lang="id"), "kemarin")
    assert (timex.value, timex.anchor, timex.earliest) == ("XXXX-XX-XX", "none", None)


def test_the_fallback_does_not_resolve_yesterday_against_the_clock():
    timex = _containing(timeline.tag("Er kam gestern in Berlin an.", lang="de"), "gestern")
    assert (timex.value, timex.anchor, timex.earliest) == ("XXXX-XX-XX", "none", None)


def test_the_fallback_on_the_command_line_says_anchor_none():
    line = json.dumps({"id": "de", "text": "Er kam gestern in Berlin an.", "lang": "de"})
    result = run_timeline("tag", "-", stdin=line + "\n")
    assert result.returncode == 0, result.stderr
    [timex] = [t for t in json.loads(result.stdout)["timexes"] if "gestern" in t["text"]]
    assert (timex["value"], timex["anchor"]) == ("XXXX-XX-XX", "none")


def test_the_fallback_reads_numeric_dates_day_first_in_romanian_and_takes_no_year():
    # Romanian (which has no rules of its own) writes day/month: "pe 07/08/2019" is
    # 7 August. "pe 7/8" names no year, and a bare numeric day/month is not clearly a
    # date: it is not taken at all, rather than given this year's (or a month-first)
    # reading.
    timex = _containing(timeline.tag("A sosit pe 07/08/2019 la Paris.", lang="ro"),
                        "07/08/2019")
    assert (timex.value, timex.anchor, timex.rule) == ("2019-08-07", "absolute", "dateparser")
    for published in (None, "2016-08-20"):
        assert not [t for t in timeline.tag("A sosit pe 7/8 la Paris.", lang="ro",
                                            published=published) if "7/8" in t.text]


def test_the_fallback_takes_no_year_from_the_clock_for_a_day_and_month():
    timex = _containing(timeline.tag("Sie kamen am 3. März in Berlin an.", lang="de"), "März")
    assert (timex.value, timex.anchor) == ("XXXX-03-03", "none")


def test_a_buddhist_era_year_is_not_read_as_a_gregorian_year():
    # B.E. 2559 is 2016 (the Buddhist era is 543 years ahead)
    timexes = timeline.tag("เหตุการณ์เกิดขึ้นในปี พ.ศ. 2559", lang="th")
    assert not [t for t in timexes if t.value.startswith("2559")]
