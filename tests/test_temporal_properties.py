"""Laws every language must obey (STYLE.md), checked with hypothesis."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import assume, given
from hypothesis import strategies as st

from timeline import resolve, tag
from timeline.lang import available_languages
from timeline.temporal import calendar as cal

published_dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2035, 12, 31))
languages = st.sampled_from(available_languages())

ID_WEEKDAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
EN_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

# Expressions whose value moves with the anchor, day for day.
ANCHORED = {
    "id": ["kemarin", "hari ini", "besok", "lusa", "kemarin lusa", "dua hari lalu",
           "tiga hari yang lalu", "pada hari Minggu", "hari Rabu", "Kamis sore",
           "tadi malam", "pagi ini"],
    "en": ["yesterday", "today", "tomorrow", "two days ago", "on Sunday", "Wednesday",
           "Thursday night", "last night", "this morning", "the day before yesterday"],
}

# Words that a bare weekday's sentence may carry without a future cue.
FILLER = {
    "id": ["Pasukan oposisi menyerang kota itu pada", "Laporan itu terbit", "SOHR melaporkan"],
    "en": ["Rebels attacked the town on", "The report came out", "SOHR reported"],
}


@given(st.text(max_size=400), st.none() | published_dates, languages)
def test_tag_never_raises_and_offsets_point_into_text(text, published, lang):
    for timex in tag(text, published=published, lang=lang):
        assert 0 <= timex.start < timex.end <= len(text)
        assert text[timex.start:timex.end] == timex.text


@given(st.lists(st.sampled_from(
    ["Rabu", "(21/10)", "Minggu", "lalu", "2013", "/", "11", "hari", "pekan", " ", "\n",
     "sejak", "awal", "pukul", "02.00", "WIB", "Late", "on", "Thursday", "1.300", ",", "-",
     "tahun", "bulan", "depan", "keesokan harinya", "“", "”", "(", ")"]), max_size=60),
    published_dates, languages)
def test_tag_handles_dense_temporal_vocabulary(pieces, published, lang):
    """Adversarial mixes of temporal words never crash and keep offsets right."""
    text = " ".join(pieces)
    for timex in tag(text, published=published, lang=lang):
        assert text[timex.start:timex.end] == timex.text
        if timex.earliest and timex.latest:
            assert timex.earliest <= timex.latest


@given(published_dates, st.integers(min_value=-400, max_value=400),
       st.sampled_from([(lang, e) for lang, exprs in ANCHORED.items() for e in exprs]))
def test_shifting_the_anchor_shifts_day_values(published, days, case):
    lang, expression = case
    if "hari" in expression or any(w in expression for w in EN_WEEKDAYS + ID_WEEKDAYS):
        days = days - days % 7  # weekday expressions move by whole weeks
    first = resolve(expression, published=published, lang=lang)
    second = resolve(expression, published=published + timedelta(days=days), lang=lang)
    assert first is not None and second is not None, expression
    day1 = date.fromisoformat(first.value[:10])
    day2 = date.fromisoformat(second.value[:10])
    assert day2 - day1 == timedelta(days=days), (expression, published, days)


@given(published_dates, st.integers(min_value=1, max_value=31),
       st.integers(min_value=1, max_value=12), st.integers(min_value=0, max_value=6))
def test_weekday_with_day_month_is_that_weekday_or_flagged(published, day, month, weekday):
    """'Rabu (d/m)' gives a Wednesday, or says why it cannot."""
    assume(cal.safe_date(2000, month, day) is not None)
    text = f"{ID_WEEKDAYS[weekday]} ({day}/{month})"
    timex = resolve(text, published=published, lang="id")
    assert timex is not None and timex.text == text
    when = date.fromisoformat(timex.value)
    assert when.isoweekday() == weekday + 1 or timex.note
    assert abs((when - published).days) <= 366 * 29


@given(published_dates, st.integers(min_value=1, max_value=31),
       st.integers(min_value=1, max_value=12), st.integers(min_value=2000, max_value=2030),
       st.integers(min_value=0, max_value=6))
def test_weekday_contradicting_full_date_is_flagged(published, day, month, year, weekday):
    when = cal.safe_date(year, month, day)
    assume(when is not None)
    timex = resolve(f"{ID_WEEKDAYS[weekday]} ({day}/{month}/{year})", published=published,
                    lang="id")
    assert timex.value == when.isoformat()
    assert (when.isoweekday() == weekday + 1) == (timex.note is None)


@given(published_dates, st.integers(min_value=0, max_value=6), st.sampled_from(["id", "en"]),
       st.integers(min_value=0, max_value=2))
def test_bare_weekday_is_never_after_publication_without_future_cue(
        published, weekday, lang, filler):
    name = (ID_WEEKDAYS if lang == "id" else EN_WEEKDAYS)[weekday]
    if lang == "id" and name == "Minggu":
        name = "hari Minggu"
    text = f"{FILLER[lang][filler]} {name}."
    timex = resolve(text, published=published, lang=lang)
    when = date.fromisoformat(timex.value)
    assert when <= published
    assert (published - when).days < 7
    assert when.isoweekday() == weekday + 1


@given(published_dates, st.integers(min_value=0, max_value=6), st.sampled_from(
    [("id", "Pasukan akan menyerang pada hari {}."), ("id", "hari {} mendatang"),
     ("en", "The talks will resume on {}."), ("en", "next {}")]))
def test_bare_weekday_with_future_cue_is_not_before_publication(published, weekday, case):
    """A future cue looks ahead; "next"/"depan" skip the publication's own weekday."""
    lang, template = case
    name = (ID_WEEKDAYS if lang == "id" else EN_WEEKDAYS)[weekday]
    timex = resolve(template.format(name), published=published, lang=lang)
    when = date.fromisoformat(timex.value)
    earliest = published + timedelta(days=1) if template.startswith(("next", "hari {} m")) \
        else published
    assert earliest <= when < earliest + timedelta(days=7)
    assert when.isoweekday() == weekday + 1


VALUE_SAMPLES = st.sampled_from([
    "bulan lalu", "pekan lalu", "tahun ini", "awal bulan ini", "akhir 2012", "Februari lalu",
    "musim kemarau", "kuartal pertama 2019", "tahun 1980-an", "abad ke-20", "akhir pekan",
    "pertengahan Desember", "hari Minggu", "Juli tahun lalu", "kemarin"])


@given(published_dates, VALUE_SAMPLES)
def test_intervals_are_ordered_and_finer_values_nest(published, expression):
    timex = resolve(expression, published=published, lang="id")
    assert timex.earliest <= timex.latest
    first, last = cal.interval(timex.value.split("T")[0])
    assert first <= timex.earliest and timex.latest <= last
    # The value's interval lies inside those of its coarser parents.
    for parent in (timex.value[:7], timex.value[:4]):
        bounds = cal.interval(parent)
        if bounds and cal.granularity_of(parent) in ("month", "year"):
            if cal.granularity_of(timex.value) in ("day", "month"):
                assert bounds[0] <= first and last <= bounds[1]


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
       st.sampled_from(["D", "W", "WE", "M", "Q", "Y", "DE", "CE"]))
def test_value_of_a_day_contains_that_day(day, unit):
    first, last = cal.interval(cal.value_of(day, unit))
    if unit == "WE":
        assert first.isoweekday() == 6 and last - first == timedelta(days=1)
    else:
        assert first <= day <= last


def test_no_anchor_keeps_unknown_parts():
    cases = {
        ("Rabu (21/10)", "id"): "XXXX-10-21", ("hari Minggu", "id"): "XXXX-WXX-7",
        ("bulan lalu", "id"): "XXXX-XX", ("tahun lalu", "id"): "XXXX",
        ("kemarin", "id"): "XXXX-XX-XX", ("last week", "en"): "XXXX-WXX",
    }
    for (expression, lang), expected in cases.items():
        timex = resolve(expression, lang=lang)
        assert (timex.value, timex.anchor, timex.earliest) == (expected, "none", None), expression
