"""Event mentions: role (reported/occurred), counts, names, attribution, narrative dates."""

from datetime import datetime
from pathlib import Path

import pytest
from support import day, hand_timex, interval_of

from timeline import tag
from timeline.events import extract_mentions, load_vocabulary
from timeline.events.mentions import find_quantities
from timeline.limits import collected
from timeline.types import Document, Timex


def _timex(text: str, phrase: str, value: str) -> Timex:
    return hand_timex(text.index(phrase), phrase, value)


def _mentions(text: str, *timexes: tuple[str, str], lang: str = "id"):
    doc = Document("d", text, lang=lang, source="S")
    return extract_mentions(doc, [_timex(text, p, v) for p, v in timexes])


@pytest.mark.parametrize("text, phrase, value, role", [
    ("SOHR melaporkan pada hari Senin bahwa Hizbullah kehilangan 12 milisi.",
     "hari Senin", "2016-08-08", "reported"),
    ("Sumber-sumber intelijen mengatakan pada hari Rabu (21/10), bahwa ratusan milisi melarikan diri.",
     "hari Rabu (21/10)", "2015-10-21", "reported"),
    ("Liwa 'al-Quds mengklaim dalam pernyataan Jumat bahwa pasukannya menghancurkan pengepungan.",
     "Jumat", "2019-04-19", "reported"),
    ("The Syrian Observatory said on Monday that Hezbollah had lost 15 fighters.",
     "Monday", "2016-08-08", "reported"),
    ("SOHR melaporkan bahwa ISIS telah mempublikasikan komunike pada Selasa (12/11).",
     "Selasa (12/11)", "2013-11-12", "occurred"),
    ("Kelompok jihadis mengklaim telah membunuh 20 pejuang SAA pada hari Kamis.",
     "hari Kamis", "2019-04-18", "occurred"),
    ("At least 33 Turkish soldiers were killed in an air strike late on Thursday, the governor said.",
     "late on Thursday", "2020-02-27", "occurred"),
    ("Dia menambahkan mengacu pada akademi artileri di Ramousah yang dikuasai oposisi pada hari Sabtu.",
     "hari Sabtu", "2016-08-06", "occurred"),
    ("Pada hari Senin, seorang komandan menguraikan tujuan operasi itu.",
     "hari Senin", "2015-10-19", "reported"),
    # a relative "that" before the attribution opens no reported content: the
    # trailing report keeps its own date
    ("Rebels seized the bridge that links the two banks of the river, the mayor told "
     "reporters on Friday.", "Friday", "2023-05-05", "reported"),
])
def test_reporting_time_is_not_event_time(text, phrase, value, role):
    (mention,) = _mentions(text, (phrase, value), lang="en" if "the" in text else "id")
    assert mention.role == role, f"{text!r}: expected {role}, got {mention.role}"
    assert (mention.earliest, mention.latest) == interval_of(value)


@pytest.mark.parametrize("text, expected", [
    ("sebanyak 34 tentara Turki tewas", ["34 soldier"]),
    ("Hizbullah kehilangan setidaknya 12 milisi", ["12 fighter"]),
    ("membunuh 20 pejuang SAA", ["20 fighter"]),
    ("at least 34 Turkish soldiers were martyred", ["34 soldier"]),
    ("Lebih dari 2,2 juta orang melarikan diri", ["2200000 civilian"]),
    ("more than 1,300 civilians have been killed", ["1300 civilian"]),
    ("sekitar 1.300 warga sipil", ["1300 civilian"]),
    ("selusin tentara terbunuh", ["12 soldier"]),
    ("Resolusi 2401 dan Basis 80 serta Divisi ke 18", []),
])
def test_counts_with_their_noun(text, expected):
    found = [q.key() for q in find_quantities(text, 0, len(text), load_vocabulary())]
    assert found == expected, f"{text!r}"


def test_names_places_and_attribution_are_read_across_languages():
    id_text = "Menurut SOHR, 34 tentara Turki tewas dalam serangan udara di Idlib pada hari Kamis."
    en_text = "Late on Thursday, 34 Turkish soldiers were killed in an airstrike in Idlib, according to SOHR."
    (m_id,) = _mentions(id_text, ("hari Kamis", "2020-02-27"))
    (m_en,) = _mentions(en_text, ("Late on Thursday", "2020-02-27"), lang="en")
    for m in (m_id, m_en):
        assert "actor:turkey" in m.features and "place:idlib" in m.features
        assert {"event:killed", "event:airstrike", "qty:34 soldier"} <= set(m.features)
        assert m.attribution == "sohr"
        assert m.text[m.timex_start - m.start:m.timex_end - m.start] == m.timex


def test_relative_statement_takes_the_date_the_text_gives_it():
    """With the real tagger: "sehari kemudian" follows the strike of the 7th (three
    days after the attack of the 4th), not the last date the text names."""
    text = ("Serangan kimia di Khan Shaykhun pada Selasa (4/4) menewaskan 80 orang.\n"
            "Tiga hari setelah serangan itu, AS menembakkan 59 rudal Tomahawk.\n"
            "Sehari kemudian Rusia mengecam serangan itu.")
    doc = Document("d", text, published=datetime(2017, 4, 10), lang="id", source="S")
    first, second, third = extract_mentions(doc, tag(text, published="2017-04-10", lang="id"))
    assert first.value == "2017-04-04"
    assert (second.value, second.anchor) == ("2017-04-07", "narrative")
    assert "qty:59 missile" in second.features
    assert (third.value, third.earliest, third.latest) == ("2017-04-08", day("2017-04-08"),
                                                          day("2017-04-08"))


def test_relative_phrase_in_quoted_speech_or_without_a_dated_statement_stays_undated():
    text = "Dia berkata mereka akan “kehilangan lagi wilayah tersebut keesokan harinya.”"
    assert _mentions(text) == []


def test_vague_open_and_undated_expressions_make_no_mention():
    text = "Sejak Februari lalu, kini, pada hari Minggu, dan dalam dekade itu."
    doc = Document("d", text, lang="id")
    timexes = [
        Timex(6, 19, "Februari lalu", "DATE", "2013-02", "2013-02-01", None, "published",
              mod="ON_OR_AFTER"),
        Timex(21, 25, "kini", "DATE", "PRESENT_REF", "2013-11-12", "2013-11-12", "published",
              granularity="vague"),
        Timex(32, 43, "hari Minggu", "DATE", "XXXX-WXX-7", None, None, "none"),
    ]
    assert extract_mentions(doc, timexes) == []


def test_clauses_split_a_sentence_with_two_dates():
    text = ("The United States fired 59 Tomahawk missiles at Shayrat early on Friday, "
            "in retaliation for Tuesday's chemical attack on Khan Sheikhoun.")
    friday, tuesday = _mentions(text, ("early on Friday", "2017-04-07"), ("Tuesday", "2017-04-04"),
                                lang="en")
    assert "Shayrat" in friday.text and "Khan Sheikhoun" not in friday.text
    assert tuesday.text.startswith("in retaliation") and "event:chemical" in tuesday.features


def test_a_long_document_is_read_whole_and_its_repeats_are_one_mention_each():
    """A seed article repeated 100 times, then one new dated sentence: the repeats
    collapse into the seed's own mentions (said with a warning), and the sentence
    at the very end is still read (the text is read whole, per sentence)."""
    seed = (Path(__file__).parent.parent / "fixtures" / "seeds" /
            "002_8b66920482849b85.txt").read_text(encoding="utf-8")
    one = extract_mentions(Document("one", seed, published=datetime(2013, 11, 12), lang="id"),
                           tag(seed, published="2013-11-12", lang="id"))
    last = "Pada Selasa (12/11/2013), konvoi bantuan tiba di Aleppo."
    text = (seed.rstrip("\n") + "\n") * 100 + last
    with collected() as notes:
        many = extract_mentions(Document("many", text, published=datetime(2013, 11, 12),
                                         lang="id"),
                                tag(text, published="2013-11-12", lang="id"))
    assert one and len(many) == len(one) + 1
    assert [(m.start, m.value) for m in many[:len(one)]] == [(m.start, m.value) for m in one]
    assert (many[-1].text, many[-1].value) == (last, "2013-11-12")
    # undated statements are read only at the head of a document: the repeats of the
    # dated ones are collapsed
    dated = [m for m in one if m.timex]
    assert 0 < len(dated) < len(one)
    assert notes == [f"{99 * len(dated)} repeated statements (same words, same date) collapsed "
                     "into the first mention"]


def test_a_sentence_flooded_with_one_date_is_one_mention():
    text = "Pasukan tiba di Idlib pada Rabu (21/10). " * 3000
    doc = Document("flood", text, published=datetime(2015, 10, 22), lang="id")
    with collected() as notes:
        mentions = extract_mentions(doc, tag(text, published="2015-10-22", lang="id"))
    assert [(m.text, m.value) for m in mentions] == [
        ("Pasukan tiba di Idlib pada Rabu (21/10).", "2015-10-21")]
    assert notes == ["2999 repeated statements (same words, same date) collapsed into the "
                     "first mention"]


def test_who_reports_is_the_actor_before_the_reporting_verb():
    text = "The Syrian Observatory for Human Rights said on Tuesday that 12 fighters died in Idlib."
    (mention,) = _mentions(text, ("Tuesday", "2016-08-09"), lang="en")
    assert (mention.role, mention.attribution) == ("reported", "sohr")
