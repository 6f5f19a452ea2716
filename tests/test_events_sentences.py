"""Sentence splitting for Indonesian and English news."""

import pytest

from timeline.events.sentences import dateline_end, split_sentences


def _texts(text: str) -> list[str]:
    return [text[s.start:s.end] for s in split_sentences(text)]


@pytest.mark.parametrize("text, expected", [
    ("Jend. Ali tiba di Aleppo. Dia bicara.", ["Jend. Ali tiba di Aleppo.", "Dia bicara."]),
    ("Gen. Mayhoub did not comment. The army said nothing.",
     ["Gen. Mayhoub did not comment.", "The army said nothing."]),
    ("Pasukan A.S. tiba. Mereka pergi.", ["Pasukan A.S. tiba.", "Mereka pergi."]),
    ("U.S. officials said so. Russia denied it.", ["U.S. officials said so.", "Russia denied it."]),
    ("Lebih dari 2,2 juta orang mengungsi. Sebanyak 4,25 juta lainnya bertahan.",
     ["Lebih dari 2,2 juta orang mengungsi.", "Sebanyak 4,25 juta lainnya bertahan."]),
    ("Sekitar 1.300 warga tewas. Pukul 14.30 WIB serangan berhenti.",
     ["Sekitar 1.300 warga tewas.", "Pukul 14.30 WIB serangan berhenti."]),
    ("“Kami berjuang sendirian.” Dia menambahkan.", ["“Kami berjuang sendirian.”", "Dia menambahkan."]),
    ("“Apa jenis perlindungan yang dapat mereka berikan?” tanyanya marah.",
     ["“Apa jenis perlindungan yang dapat mereka berikan?” tanyanya marah."]),
    ("Satu.\nDua tiga", ["Satu.", "Dua tiga"]),
])
def test_split_keeps_abbreviations_numbers_and_quotes(text, expected):
    assert _texts(text) == expected, f"input {text!r}"


@pytest.mark.parametrize("text, head", [
    ("DAMASKUS, Arrahmahnews.com – Sumber-sumber mengatakan.", "DAMASKUS, Arrahmahnews.com – "),
    ("ALEPPO (Arrahmah.com) – Kelompok Jihad bergabung.", "ALEPPO (Arrahmah.com) – "),
    ("AntiLiberalNews – Sebuah rekaman audio beredar.", "AntiLiberalNews – "),
    ("BAGHUZ, Syria (Middle East Wire) - The SDF announced it.", "BAGHUZ, Syria (Middle East Wire) - "),
    ("Syria: Turkish operations spook militias", ""),
])
def test_dateline_is_left_out_of_the_first_sentence(text, head):
    assert text[:dateline_end(text)] == head
    assert _texts(text)[0] == text[len(head):].split("\n")[0].strip()


def test_offsets_point_into_the_text():
    text = "ISTANBUL\nLate on Thursday, 34 soldiers were killed.  Turkey hit back.\n\nEnd"
    for s in split_sentences(text):
        assert text[s.start:s.end].strip() == text[s.start:s.end]
        assert "\n" not in text[s.start:s.end]
