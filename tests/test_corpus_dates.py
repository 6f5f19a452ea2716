"""Publication dates inferred from the text, seed by seed, checked by hand.

Each expectation below was worked out by reading the article and a calendar, not
by running the engine; the comment gives the reasoning. Every seed is loaded with
its metadata date removed, alone and within the corpus of the other seeds (whose
manifest dates are then known).
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from timeline import load_corpus
from timeline.temporal.publication import decide, find_clues
from timeline.types import Timex

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "fixtures" / "seeds"
TODAY = date(2025, 6, 1)
SEED_FILES = {p.stem[:3]: p for p in sorted(SEEDS.glob("*.txt"))}
#: The manifest's dates (fixtures/seeds/manifest.csv), the corpus the others see.
MANIFEST_DATES = {"000": date(2016, 8, 9), "001": date(2015, 10, 21),
                  "002": date(2013, 11, 12), "003": date(2019, 4, 22),
                  "004": date(2020, 2, 28)}
LANGS = {"000": "id", "001": "id", "002": "id", "003": "id", "004": "en"}

# Hand reasoning, seed by seed (published = inferred date, candidates = the set):
#
# 000: only bare weekdays (hari Minggu, hari Sabtu, hari Senin) and a narrative
#      "keesokan harinya" with nothing to hang on: no year, no day; undecided,
#      no candidates. (The manifest's 2016-08-09 is an estimate from world
#      knowledge, which the text alone does not give.)
# 001: "hari Rabu (21/10)": 21 October is a Wednesday in 2015 (famously), and
#      stepping years (+1 a year, +2 across a 29 February): 2016 Fri, 2017 Sat,
#      2018 Sun, 2019 Mon, 2020 Wed; back: 2014 Tue, 2013 Mon, 2012 Sun, 2011 Fri,
#      2010 Thu, 2009 Wed; and so on back to 1998, 1992, 1987, 1981 within the 50
#      years looked at. The text names no year, so alone it stays a set of 7.
#      Within the corpus (other seeds 2013-11-12 .. 2020-02-28) only 2015-10-21
#      falls inside (2020-10-21 is after 2020-02-28): 2015-10-21, as the manifest.
# 002: "Senin (11/11/2013)" is a full date; "Selasa (12/11)": 11 Nov 2013 is a
#      Monday, so 12 Nov 2013 is a Tuesday, and 2013 is the year the text names:
#      the latest date stated is 2013-11-12, the manifest's date.
# 003: bare weekdays, "8 April" with neither weekday nor year, relative phrases
#      (bulan lalu, awal pekan lalu): nothing fixes a year; undecided, no
#      candidates (the manifest's 2019-04-22 is an estimate from the content).
# 004: "Thursday night", "Late on Thursday" are bare weekdays; "September 2018"
#      and "2011" are a month and a year before the events: undecided.
ALONE = {
    "000": (None, []),
    "001": (None, [date(y, 10, 21) for y in (1981, 1987, 1992, 1998, 2009, 2015, 2020)]),
    "002": (date(2013, 11, 12), [date(2013, 11, 12)]),
    "003": (None, []),
    "004": (None, []),
}
IN_CORPUS = {**ALONE, "001": (date(2015, 10, 21), [date(2015, 10, 21)])}


#: Calendar intervals of the hand-written absolute values (CONVENTIONS.md: every
#: resolved DATE carries its inclusive interval).
INTERVALS = {"2013-11-11": ("2013-11-11", "2013-11-11"), "2013-11-12": ("2013-11-12", "2013-11-12"),
             "2030-01-01": ("2030-01-01", "2030-01-01"), "2013": ("2013-01-01", "2013-12-31"),
             "2018-09": ("2018-09-01", "2018-09-30"), "2011": ("2011-01-01", "2011-12-31")}


def timex(text, value, start=0, anchor="none", weekday=None):
    earliest, latest = (date.fromisoformat(d) for d in INTERVALS[value]) if value in INTERVALS \
        else (None, None)
    return Timex(start, start + len(text), text, "DATE", value, earliest, latest, anchor,
                 weekday=weekday)


#: What a tagger gives for each seed without a publication date (TIMEX3 values
#: with unknown parts as X, CONVENTIONS.md), written by hand: the stand-in that
#: keeps these tests of the inference independent of the tagger's progress.
HAND_TIMEXES = {
    "000": [timex("hari Minggu", "XXXX-WXX-7", 472, weekday=7),
            timex("keesokan harinya", "XXXX-XX-XX", 1100),
            timex("hari Sabtu", "XXXX-WXX-6", 1459, weekday=6),
            timex("hari Senin", "XXXX-WXX-1", 2237, weekday=1)],
    "001": [timex("hari Rabu (21/10)", "XXXX-10-21", 70, weekday=3),
            timex("hari Senin", "XXXX-WXX-1", 891, weekday=1)],
    "002": [timex("Senin (11/11/2013)", "2013-11-11", 361, "absolute", weekday=1),
            timex("Februari lalu", "XXXX-02", 709),
            timex("Senin", "XXXX-WXX-1", 878, weekday=1),
            timex("Selasa (12/11)", "XXXX-11-12", 1297, weekday=2)],
    "003": [timex("hari Jumat", "XXXX-WXX-5", 529, weekday=5),
            timex("tahun 2013", "2013", 2593, "absolute"),
            timex("8 April", "XXXX-04-08", 4020)],
    "004": [timex("Late on Thursday", "XXXX-WXX-4", 1815, weekday=4),
            timex("September 2018", "2018-09", 2289, "absolute"),
            timex("2011", "2011", 2843, "absolute")],
}


def hand_tagger(seed):
    def tag(text, published=None, lang=None):
        assert published is None  # inference must not lean on a date it is looking for
        return HAND_TIMEXES[seed]
    return tag


def real_tagger_works() -> bool:
    try:
        from timeline import tag

        return bool(tag("Senin (11/11/2013)", lang="id"))
    except Exception:
        return False


TAGGERS = ["hand", pytest.param("real", marks=pytest.mark.skipif(
    not real_tagger_works(), reason="timeline.tag not available yet"))]


def guess_alone(seed, tagger_kind, corpus_dates=()):
    text = SEED_FILES[seed].read_text(encoding="utf-8")
    tagger = hand_tagger(seed) if tagger_kind == "hand" else None
    clues = find_clues(text, lang=LANGS[seed], tagger=tagger, today=TODAY)
    return decide(clues, corpus_dates=corpus_dates, today=TODAY)


@pytest.mark.parametrize("tagger_kind", TAGGERS)
@pytest.mark.parametrize("seed", sorted(ALONE))
def test_seed_alone_gives_the_hand_worked_date_or_candidates(seed, tagger_kind):
    guess = guess_alone(seed, tagger_kind)
    expected_published, expected_candidates = ALONE[seed]
    assert (guess.published, list(guess.candidates)) == (expected_published,
                                                         expected_candidates), \
        f"seed {seed} ({tagger_kind} tagger), no anchor: expected {ALONE[seed]}, got {guess}"
    if guess.published:
        assert guess.evidence and 0 < guess.confidence < 1


@pytest.mark.parametrize("tagger_kind", TAGGERS)
@pytest.mark.parametrize("seed", sorted(IN_CORPUS))
def test_seed_within_the_corpus_is_narrowed_by_the_other_documents(seed, tagger_kind):
    others = [day for other, day in MANIFEST_DATES.items() if other != seed]
    guess = guess_alone(seed, tagger_kind, corpus_dates=others)
    assert (guess.published, list(guess.candidates)) == IN_CORPUS[seed], \
        f"seed {seed} ({tagger_kind} tagger), corpus {others}: expected {IN_CORPUS[seed]}, " \
        f"got {guess}"
    if guess.published:
        assert guess.published == MANIFEST_DATES[seed]  # agrees with the manifest


@pytest.mark.parametrize("tagger_kind", TAGGERS)
def test_load_corpus_infers_a_removed_date_and_says_so(tmp_path, tagger_kind):
    # The seeds with 001's date removed from the manifest.
    for path in SEED_FILES.values():
        shutil.copyfile(path, tmp_path / path.name)
    manifest = (SEEDS / "manifest.csv").read_text(encoding="utf-8").splitlines()
    manifest = [line.replace(",2015-10-21,", ",,") for line in manifest]
    (tmp_path / "manifest.csv").write_text("\n".join(manifest) + "\n", encoding="utf-8")
    tagger = hand_tagger("001") if tagger_kind == "hand" else None
    corpus = load_corpus(tmp_path, today=TODAY, tagger=tagger)
    doc = {d.id[:3]: d for d in corpus.documents}["001"]
    assert doc.published_inferred
    assert doc.published.date() == date(2015, 10, 21)
    assert doc.provenance.published_confidence == 0.5
    assert doc.provenance.published_basis == "inferred: weekday_date"
    assert "2013-11-12 to 2020-02-28" in doc.provenance.published_evidence[0]
    entry = {e.id: e for e in corpus.report.entries}[doc.id]
    assert entry.details["published_inferred"] is True
    assert entry.details["published_evidence"] == list(doc.provenance.published_evidence)


@pytest.mark.skipif(not real_tagger_works(), reason="timeline.tag not available yet")
def test_all_dates_removed_the_corpus_leans_on_what_it_can_decide(tmp_path):
    # No manifest: 002 decides itself (2013-11-12, see above); 001's set then meets a
    # corpus of that one date and keeps its nearest year, 2015 (2009 is further away);
    # 000, 003 and 004 stay undated, their relative expressions unresolved.
    for path in SEED_FILES.values():
        shutil.copyfile(path, tmp_path / path.name)
    corpus = load_corpus(tmp_path, today=TODAY)
    by_start = {d.text[:12]: d for d in corpus.documents}
    published = {SEED_FILES[s].read_text(encoding="utf-8")[:12]: s for s in SEED_FILES}
    got = {published[k]: (d.published.date() if d.published else None)
           for k, d in by_start.items()}
    assert got == {"000": None, "001": date(2015, 10, 21), "002": date(2013, 11, 12),
                   "003": None, "004": None}
    for doc in corpus.documents:
        assert doc.published_inferred == (doc.published is not None)


def test_a_dateline_date_wins_over_later_dates_in_the_text():
    text = "JAKARTA, Senin (11/11/2013) - Pasukan mundur; pada Selasa (12/11/2013) kota jatuh."

    def tag(text, published=None, lang=None):
        return [timex("Senin (11/11/2013)", "2013-11-11", 9, "absolute", weekday=1),
                timex("Selasa (12/11/2013)", "2013-11-12", 51, "absolute", weekday=2)]

    guess = decide(find_clues(text, lang="id", tagger=tag, today=TODAY), today=TODAY)
    assert (guess.published, guess.basis, guess.confidence) == (date(2013, 11, 11),
                                                                "dateline", 0.9)


def test_without_a_dateline_the_latest_full_date_is_taken():
    text = "Pasukan mundur pada 11 November 2013; kota jatuh pada 12 November 2013."

    def tag(text, published=None, lang=None):
        return [timex("11 November 2013", "2013-11-11", 20, "absolute"),
                timex("12 November 2013", "2013-11-12", 54, "absolute")]

    guess = decide(find_clues(text, lang="id", tagger=tag, today=TODAY), today=TODAY)
    assert (guess.published, guess.basis) == (date(2013, 11, 12), "latest_full_date")


def test_dates_after_today_are_plans_not_publication_dates():
    def tag(text, published=None, lang=None):
        return [timex("1 Januari 2030", "2030-01-01", 0, "absolute")]

    guess = decide(find_clues("1 Januari 2030 pemilu", lang="id", tagger=tag, today=TODAY),
                   today=TODAY)
    assert guess.published is None and guess.candidates == ()


def test_a_short_first_line_that_is_a_date_is_a_dateline_but_a_headline_is_not():
    def tag_at(start):
        def tag(text, published=None, lang=None):
            return [timex("11 November 2013", "2013-11-11", start, "absolute"),
                    timex("12 November 2013", "2013-11-12", text.index("12 Nov"), "absolute")]
        return tag

    dateline = "Jakarta, 11 November 2013\nKota jatuh pada 12 November 2013."
    headline = "Pasukan rezim merebut Basis 80 pada 11 November 2013\nKota jatuh pada " \
               "12 November 2013."
    assert decide(find_clues(dateline, lang="id", tagger=tag_at(9), today=TODAY),
                  today=TODAY).basis == "dateline"
    guess = decide(find_clues(headline, lang="id", tagger=tag_at(36), today=TODAY), today=TODAY)
    assert (guess.published, guess.basis) == (date(2013, 11, 12), "latest_full_date")
