"""No silent wrong dates: a year the rules cannot read is reported, never replaced by
another; a publication date that is not a date is refused; a text is never cut
inside a word when it is tagged in pieces.

Each case failed on the engine before: "on 14 October 1066" in an article of 2020
was dated 2019-10-14; "1 January 2115" and "1 January 2150" merged into one event
on 2020-01-01; a publication date given as the number 20200328 was read as epoch
seconds (1970-08-22) without a word; "5 March 2020" astride the 200,000th
character of a line became 2020-03-20. The expected values are read from the
sentences and the calendar, by hand.
"""

from __future__ import annotations

import json

import polars as pl
import pytest

from timeline import load_corpus, tag
from timeline.limits import collected
from timeline.pipeline.driver import build


@pytest.mark.parametrize("text, lang, year", [
    ("The abbey was consecrated on 14 October 1066, the chronicle says.", "en", "1066"),
    ("The lease runs until 1 January 2115 under the new terms.", "en", "2115"),
    ("The charter was sealed on October 14, 1066 at the abbey.", "en", "1066"),
    ("Perjanjian itu berakhir pada 1 Januari 2115 menurut naskahnya.", "id", "2115"),
    ("Piagam itu ditandatangani 14 Oktober 1066 di biara.", "id", "1066"),
])
def test_a_year_the_rules_cannot_read_is_reported_not_replaced(text, lang, year):
    with collected() as notes:
        timexes = tag(text, published="2020-03-28", lang=lang)
    assert not [t for t in timexes if t.value.startswith(("2019", "2020"))], timexes
    assert any(f"followed by the year {year}" in note and "dropped rather than dated in "
               "another year" in note for note in notes), notes


def test_a_year_past_9999_is_reported_as_outside_the_calendar():
    with collected() as notes:
        timexes = tag("Kapal itu tiba pada 5 Maret 20016, kata laporan itu.",
                      published="2020-03-28", lang="id")
    assert not [t for t in timexes if t.value.startswith("20")], timexes
    assert any("the year 20016, which is outside the years 1-9999" in n for n in notes), notes


@pytest.mark.parametrize("text, lang, value", [
    ("Pada 17 Agustus 1945 kemerdekaan diproklamasikan.", "id", "1945-08-17"),
    ("On 14 October 300 soldiers crossed the river.", "en", "2019-10-14"),  # a count
    ("On 14 October, 1,500 people marched.", "en", "2019-10-14"),  # a figure
    ("Prices rose in March 2013 across the region.", "en", "2013-03"),
])
def test_dates_with_their_year_or_followed_by_a_count_are_as_before(text, lang, value):
    with collected() as notes:
        timexes = tag(text, published="2020-03-28", lang=lang)
    assert [t.value for t in timexes] == [value]
    assert not notes


def test_distant_years_do_not_merge_into_one_event_of_the_publication_year(tmp_path):
    docs = [{"id": f"d{k}", "lang": "en", "published": "2020-03-28", "source": f"S{k}",
             "text": f"The treaty signed in Geneva ends on 1 January {year}, officials said."}
            for k, year in enumerate((2115, 2150))]
    (tmp_path / "in.jsonl").write_text("".join(json.dumps(d) + "\n" for d in docs),
                                       encoding="utf-8")
    build([tmp_path / "in.jsonl"], tmp_path / "out", charts=False)
    chronology = pl.read_parquet(tmp_path / "out" / "chronology.parquet")
    assert "2020-01-01" not in chronology["value"].to_list()
    report = json.loads((tmp_path / "out" / "ingest_report.json").read_text(encoding="utf-8"))
    for entry, year in zip(report["entries"], (2115, 2150), strict=True):
        assert any(f"followed by the year {year}" in w for w in entry["warnings"]), entry


@pytest.mark.parametrize("value", [20200328, 1585353600, 20200328.0])
def test_a_publication_date_that_is_a_number_is_refused_with_a_warning(tmp_path, value):
    doc = {"id": "n", "text": "Pasukan tiba di Aleppo.", "lang": "id", "published": value}
    (tmp_path / "in.jsonl").write_text(json.dumps(doc) + "\n", encoding="utf-8")
    corpus = load_corpus([tmp_path / "in.jsonl"])
    (document,) = corpus.documents
    assert document.published is None or document.published.year != 1970
    (entry,) = corpus.report.entries
    assert any(w.startswith(f"published: unparseable date {value!r}: a number, not a date")
               for w in entry.warnings), entry.warnings


def test_a_date_string_of_epoch_seconds_is_still_read():
    from timeline.corpus.published import parse_published

    assert parse_published("1582884000").isoformat() == "2020-02-28T10:00:00+00:00"


def _line_with_date_at(position: int, date_text: str, lang_filler: str) -> str:
    """One line without a break: sentences of filler, then ``date_text`` starting so
    that the character at ``position`` falls inside its year."""
    start = position - len(date_text) + 2
    head = lang_filler * (start // len(lang_filler))
    return head.ljust(start) + date_text + ", the convoy arrived. " + lang_filler * 10


def test_a_long_line_is_cut_at_a_sentence_end_not_inside_a_date():
    text = _line_with_date_at(200_000, "On 5 March 2020", "Residents fled north. ")
    start = text.index("On 5 March 2020")
    assert start < 200_000 < start + len("On 5 March 2020")  # the old cut fell in "20|20"
    with collected() as notes:
        timexes = tag(text, published="2020-03-28", lang="en")
    assert [(t.text, t.value) for t in timexes if t.start >= start - 5] == \
        [("5 March 2020", "2020-03-05")]
    assert notes == ["text with lines of more than 200,000 characters tagged in pieces cut "
                     "where there is no line break (1 at the end of a sentence); an "
                     "expression across a cut may be missed"]


def test_a_long_line_without_sentence_ends_is_cut_between_words():
    filler = "kata lain lagi "
    text = _line_with_date_at(200_000, "pada 5 Maret 2020", filler)
    start = text.index("pada 5 Maret 2020")
    with collected() as notes:
        timexes = tag(text, published="2020-03-28", lang="id")
    assert [(t.text, t.value) for t in timexes if t.start >= start] == \
        [("5 Maret 2020", "2020-03-05")]
    assert notes and "between two words" in notes[0]

