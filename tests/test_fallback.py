"""Languages without rules of their own: dates found with dateparser's language
data (timeline/temporal/fallback.py). Only what is clearly a date is taken, spans
are exact offsets, numeric dates follow the language's order, and nothing is
taken from the system clock."""

from __future__ import annotations

import pytest

from timeline import tag


def _found(text, published, lang):
    timexes = tag(text, published=published, lang=lang)
    for timex in timexes:
        assert text[timex.start:timex.end] == timex.text, (text, timex)
        assert timex.rule == "dateparser" and timex.lang == lang
    return [(t.text, t.value, t.anchor) for t in timexes]


def test_a_month_name_with_its_day_and_year():
    assert _found("Die Waffenruhe begann am 27. Februar 2016 in Syrien.", "2016-03-01", "de") \
        == [("27. Februar 2016", "2016-02-27", "absolute")]
    assert _found("L'acord es va signar el 7 d'agost de 2019 a Bogotà.", None, "ca") \
        == [("7 d'agost de 2019", "2019-08-07", "absolute")]


def test_numbers_alone_are_not_dates():
    # dateparser's own search makes "1974 a 1979" a time in the year 0052 and "1000" a
    # year (Galician: Spanish, French, Italian and, in the tests, Portuguese have rules)
    assert _found("De 1974 a 1979 viviu en Madrid, con máis de 1000 veciños.",
                  "2019-09-10", "gl") == []


def test_numeric_dates_follow_the_language_order():
    assert _found("Raportul din 07/08/2019 este public.", None, "ro") == \
        [("07/08/2019", "2019-08-07", "absolute")]
    assert _found("Umalis siya noong 3/7/2019.", None, "fil") == \
        [("3/7/2019", "2019-03-07", "absolute")]


def test_a_day_and_month_without_year_is_not_read_from_the_clock():
    # neither this year's 7 August nor 8 July: "7/8" is no full numeric date
    assert _found("A sosit pe 7/8 la Paris.", None, "ro") == []
    assert _found("A sosit pe 7 august la Paris.", None, "ro") == \
        [("7 august", "XXXX-08-07", "none")]
    assert _found("A sosit pe 7 august la Paris.", "2019-09-10", "ro") == \
        [("7 august", "2019-08-07", "published")]


@pytest.mark.parametrize(("published", "value", "anchor"),
                         [(None, "XXXX-XX-XX", "none"), ("2016-03-01", "2016-02-29", "published")])
def test_relative_day_words_need_a_publication_date(published, value, anchor):
    assert _found("Gestern kam es erneut zu Kämpfen.", published, "de") == \
        [("Gestern", value, anchor)]


def test_weekdays_written_out_but_not_their_short_forms():
    assert _found("Am Dienstag sprach er; die Sitzung war um zehn.", "2016-03-03", "de") == \
        [("Dienstag", "2016-03-01", "published")]
    assert _found("Die Sitzung dauerte lange.", "2016-03-03", "de") == []  # "Die", "Di"


def test_buddhist_era_years_are_converted():
    text = "เมื่อวันที่ 5 มีนาคม พ.ศ. 2559 มีการประชุม"
    assert _found(text, "2016-03-10", "th") == [("5 มีนาคม พ.ศ. 2559", "2016-03-05", "absolute")]


def test_an_unknown_language_code_is_an_error_not_an_empty_answer():
    with pytest.raises(ValueError, match="no rules for 'xx'.*dateparser does not read it"):
        tag("Something on 5 May 2019.", published="2019-05-06", lang="xx-unknown")
