"""Whole statements, on articles generated here in Indonesian and English: every
mention starts and ends on a word boundary of its document, and no summary of the
chronology is a bare date ("Rabu.", "On 3 May 2023,"). The scraped-page cases
(furniture, comments, chronology boxes, several dates in one sentence) are in
tests/test_furniture.py, on fixtures/pages."""

from __future__ import annotations

import re
from datetime import datetime

from hypothesis import given
from hypothesis import strategies as st

from timeline import tag
from timeline.chronology.entries import merge_mentions
from timeline.events import extract_mentions
from timeline.limits import collected
from timeline.types import Document

# Pieces of sentences, written here: words with abbreviations, decimals, initials,
# brackets and quotes, and dates of every shape (alone, in brackets, two of one moment).
PIECES = {
    "en": {
        "subjects": ["The army", "Rebels of the south", "Dr. Lena Ost", "The U.N. envoy",
                     "Protesters", "The central bank", "Mr. Harlan's party"],
        "verbs": ["took the port of Vellmar", "cut its rate by 0.5 points", "signed a truce",
                  "said \"the talks are over\"", "shelled the eastern districts",
                  "filled the main square (the third time)", "left the capital"],
        "dates": ["on Monday", "on 3 May 2023", "yesterday", "on Tuesday (2/5/2023)",
                  "early on Friday, local time (Saturday morning in Vellmar)",
                  "in April", "on 12 March 2022"],
        "bare": ["Monday.", "On 3 May 2023,", "- 2 April.", "In 2022."],
        "published": datetime(2023, 5, 4),
    },
    "id": {
        "subjects": ["Tentara", "Para pengunjuk rasa", "Dr. Sari Lestari", "Bank sentral",
                     "Harga minyak Brent", "Menteri ESDM", "Warga Kec. Lestari"],
        "verbs": ["menguasai pelabuhan", "turun 1,5 persen menjadi 57,88 dollar AS",
                  "menandatangani gencatan senjata", "mengatakan \"pembicaraan selesai\"",
                  "menutup jalan utama (untuk ketiga kalinya)", "meninggalkan ibu kota"],
        "dates": ["pada Senin", "pada 3 Mei 2023", "kemarin", "pada Selasa (2/5/2023)",
                  "pada Selasa (2/5/2023) waktu setempat (Rabu pagi WIB)", "pada April",
                  "pada 12 Maret 2022"],
        "bare": ["Rabu.", "Pada 2022,", "- 2 April.", "Senin (1/5/2023)."],
        "published": datetime(2023, 5, 4),
    },
}

_WORD = re.compile(r"\w", re.UNICODE)


@st.composite
def articles(draw):
    lang = draw(st.sampled_from(sorted(PIECES)))
    pieces = PIECES[lang]
    lines = []
    for _ in range(draw(st.integers(1, 6))):
        if draw(st.integers(0, 4)) == 0:
            lines.append(draw(st.sampled_from(pieces["bare"])))
            continue
        subject = draw(st.sampled_from(pieces["subjects"]))
        verb = draw(st.sampled_from(pieces["verbs"]))
        dates = draw(st.lists(st.sampled_from(pieces["dates"]), min_size=1, max_size=2))
        if len(dates) == 2:  # two dates, two happenings in one sentence
            other = draw(st.sampled_from(pieces["verbs"]))
            sentence = f"{subject} {verb} {dates[0]}, and {other} {dates[1]}."
        elif draw(st.booleans()):
            sentence = f"{dates[0][0].upper()}{dates[0][1:]}, {subject[0].lower()}{subject[1:]} {verb}."
        else:
            sentence = f"{subject} {verb} {dates[0]}."
        lines.append(sentence)
    separator = draw(st.sampled_from([" ", "\n", "\n\n"]))
    return lang, separator.join(lines)


def _mentions(lang, text):
    published = PIECES[lang]["published"]
    document = Document("doc", text, published=published, lang=lang)
    with collected():  # repeated statements are said in a note
        return extract_mentions(document, tag(text, published=published.date().isoformat(),
                                              lang=lang))


def _boundary(text: str, offset: int) -> bool:
    """No word goes on across ``offset``."""
    if offset <= 0 or offset >= len(text):
        return True
    return not (_WORD.match(text[offset - 1]) and _WORD.match(text[offset]))


@given(articles())
def test_every_mention_starts_and_ends_on_a_word_boundary(article):
    lang, text = article
    for mention in _mentions(lang, text):
        assert _boundary(text, mention.start), (text[:mention.start][-20:], mention.text)
        assert _boundary(text, mention.end), (mention.text, text[mention.end:][:20])
        assert text[mention.start:mention.end] == mention.text
        assert mention.text.strip() == mention.text


def _bare(summary: str, lang: str) -> bool:
    """True when the summary says nothing but its dates: without its temporal
    expressions, at most one word of letters is left ("On", "Pada")."""
    rest = summary
    for timex in sorted(tag(summary, published="2023-05-04", lang=lang),
                        key=lambda t: -t.start):
        rest = rest[:timex.start] + " " + rest[timex.end:]
    return len(re.findall(r"[^\W\d_]{2,}", rest)) <= 1


def test_bare_reads_what_it_means():
    assert _bare("Rabu.", "id") and _bare("On 3 May 2023,", "en") and _bare("- 2 April.", "en")
    assert not _bare("Tentara menguasai pelabuhan pada Senin.", "id")


@given(articles())
def test_no_summary_is_a_bare_date(article):
    lang, text = article
    mentions = _mentions(lang, text)
    # the chronology merges the statements that tell a happening, as a build does
    frame = merge_mentions([m for m in mentions if m.tells == "happening"])
    for summary in frame["summary"].to_list():
        assert not _bare(summary, lang), (summary, text)
    for mention in mentions:
        if mention.tells == "happening":
            assert not _bare(mention.text, lang), (mention.text, text)
