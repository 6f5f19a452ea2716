"""Merging mentions into the chronology: gold scores, laws, dates, conflicts."""

import json
import random
from datetime import datetime
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from support import day, hand_timex, interval_of

from timeline import tag
from timeline.chronology.clusters import cluster_mentions
from timeline.chronology.entries import build_entries, merge_mentions
from timeline.evaluation.clusters import gold_span, load_gold_statements, score_chronology
from timeline.events import extract_mentions
from timeline.frames import CHRONOLOGY_SCHEMA
from timeline.types import Document, EventMention, Quantity, Timex

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "events"
ARTICLES = [json.loads(line) for line in (FIXTURES / "articles.jsonl").open(encoding="utf-8")]
GOLD = load_gold_statements(FIXTURES / "gold.jsonl")
TEXTS = {a["id"]: a["text"] for a in ARTICLES}


def _documents() -> list[Document]:
    return [Document(a["id"], a["text"], datetime.fromisoformat(a["published"]), a["lang"],
                     a["source"]) for a in ARTICLES]


def _hand_timexes() -> dict[str, list[Timex]]:
    """The gold's temporal expressions, built by hand; durations counted from an event
    ("tiga hari setelah serangan itu") are left to the engine, which gives their day."""
    timexes: dict[str, list[Timex]] = {a["id"]: [] for a in ARTICLES}
    for statement in GOLD:
        start, end = gold_span(TEXTS[statement.doc_id], statement)
        article = next(a for a in ARTICLES if a["id"] == statement.doc_id)
        counted = [t for t in tag(article["text"], published=article["published"],
                                  lang=article["lang"])
                   if t.point is not None and t.start < end and start < t.end]
        if counted:
            timexes[statement.doc_id].extend(counted)
            continue
        timexes[statement.doc_id].append(hand_timex(start, statement.timex, statement.value))
    return timexes


@pytest.fixture(scope="module")
def gold_mentions() -> list[EventMention]:
    timexes = _hand_timexes()
    return [m for d in _documents() for m in extract_mentions(d, timexes[d.id])]


def test_gold_fixture_is_big_enough():
    assert len(ARTICLES) >= 20
    assert {a["lang"] for a in ARTICLES} == {"id", "en"}
    assert len({s.event for s in GOLD}) >= 10


def test_merge_scores_at_least_0_95_on_the_gold(gold_mentions):
    frame, event_of = build_entries(cluster_mentions(gold_mentions))
    scores = score_chronology(GOLD, TEXTS, gold_mentions, event_of)
    assert scores["found"] == scores["statements"]
    for name in ("pairwise", "bcubed"):
        score = scores[name]
        assert score.f1 >= 0.95 and min(score.precision, score.recall) >= 0.9, f"{name}: {score}"


def _entry_of(frame: pl.DataFrame, needle: str) -> dict:
    rows = [r for r in frame.iter_rows(named=True)
            if any(needle in m["text"] for m in r["mentions"])]
    assert len(rows) == 1, needle
    return rows[0]


@pytest.mark.parametrize("first, second", [
    # one Thursday in Idlib: the ceasefire at dawn, the attack, the suspension at night
    ("took effect across Idlib province", "rebel fighters attacked army positions"),
    ("took effect across Idlib province", "Russia suspended the ceasefire on Thursday"),
    ("rebel fighters attacked army positions", "Russia suspended the ceasefire on Thursday"),
    ("mulai berlaku di seluruh Provinsi Idlib", "mengumumkan penangguhan gencatan senjata"),
    ("kelompok pemberontak menyerang posisi", "mengumumkan penangguhan gencatan senjata"),
    # a strike and the protest against it, the same Friday
    ("Russian air strikes killed 11 civilians", "Turkey on Friday condemned"),
    ("Serangan udara Rusia menewaskan 11 warga sipil", "Turki mengecam serangan udara Rusia"),
    # an air raid hours before a ceasefire, and the ceasefire
    ("An air raid killed seven civilians", "The ceasefire began on Saturday morning"),
    ("menewaskan tujuh warga sipil pada Sabtu pagi", "Gencatan senjata sepihak"),
    # shelling and the exodus it caused, the same Monday
    ("Government shelling killed eight civilians", "Thousands of civilians fled"),
    ("Gempuran artileri pasukan pemerintah", "ribuan warga mengungsi"),
])
def test_close_calls_on_one_day_stay_apart(gold_mentions, first, second):
    frame = merge_mentions(gold_mentions)
    one, other = _entry_of(frame, first), _entry_of(frame, second)
    assert one["earliest"] == other["earliest"], "the close call is on one day"
    assert one["event_id"] != other["event_id"], (first, second)


@pytest.mark.parametrize("needle, figures", [
    ("car bomb exploded in a crowded market in Afrin",
     {"40": "Levant Daily", "46": "Suara Global", "53": "Middle East Wire"}),
    ("Missiles struck the T4 air base", {"14": "Gulf Courier", "7": "Harian Nusantara"}),
    ("Eight Turkish soldiers were killed", {"8": "Gulf Courier", "7": "Warta Timur"}),
])
def test_one_event_with_conflicting_figures_merges_and_keeps_each_source(
        gold_mentions, needle, figures):
    row = _entry_of(merge_mentions(gold_mentions), needle)
    assert row["languages"] == ["en", "id"] and row["n_sources"] == len(figures)
    assert row["conflict"]
    (conflict,) = [c for c in row["conflicts"] if all(f"{v} (" in c for v in figures)]
    for value, source in figures.items():
        assert f"{value} ({source}" in conflict, conflict


def test_gold_entries_have_their_dates_languages_and_conflicts(gold_mentions):
    frame = merge_mentions(gold_mentions)
    assert frame.schema == pl.Schema(CHRONOLOGY_SCHEMA)

    def entry(needle: str) -> dict:
        rows = [r for r in frame.iter_rows(named=True)
                if any(needle in m["text"] for m in r["mentions"])]
        assert len(rows) == 1, needle
        return rows[0]

    soldiers = entry("33 Turkish soldiers")
    assert (soldiers["earliest"], soldiers["latest"]) == (day("2020-02-27"), day("2020-02-27"))
    assert soldiers["languages"] == ["en", "id"] and soldiers["n_sources"] == 4
    assert soldiers["conflict"] and any("33" in c and "34" in c for c in soldiers["conflicts"])
    # a week-level "last weekend" joins the Saturday it contains
    academy = entry("Last weekend's capture")
    assert academy["value"] == "2016-08-06"
    dated = [m for m in academy["mentions"] if m["timex"]]
    assert len(dated) == 3
    # a lead's statement without a date of its own ("With the fall of the military
    # complex, the siege ... was broken") joins it, placed by its story's day: reported
    assert all(m["role"] == "reported" for m in academy["mentions"] if not m["timex"])
    # reported on Monday: placed on the report, the numbers disagree and say so
    hezbollah = entry("Hezbollah had lost")
    assert {m["role"] for m in hezbollah["mentions"]} == {"reported"}
    assert any("12" in c and "15" in c for c in hezbollah["conflicts"])
    # same day, different events stay apart
    assert entry("30-day ceasefire")["event_id"] != entry("Eastern Ghouta")["event_id"]


def test_summary_prefers_the_requested_language(gold_mentions):
    for lang in ("id", "en"):
        frame = merge_mentions(gold_mentions, summary_lang=lang)
        for row in frame.iter_rows(named=True):
            if lang in row["languages"]:
                # the summary is the whole sentence of its statement (a clause's too)
                langs = {m["lang"] for m in row["mentions"]
                         if " ".join(m["text"].split()) in row["summary"]}
                assert lang in langs


def _mention(doc: str, when: str, *, places=("aleppo",), actors=("turkey",), qty=None,
             role="occurred", value=None, start=0) -> EventMention:
    earliest, latest = interval_of(value or when)
    return EventMention(doc, start, start + 50, f"{doc} text", "t", start, start + 1,
                        value or when, earliest, latest, "day", role, "published", "en", doc,
                        day(when),
                        actors=actors, places=places,
                        quantities=(Quantity(qty, "soldier", ""),) if qty else (),
                        event_words=("killed",))


def test_reported_fact_is_not_placed_on_its_report_day_when_a_source_dates_it():
    frame = merge_mentions([_mention("a", "2016-08-06"),
                            _mention("b", "2016-08-08", role="reported")])
    (row,) = frame.iter_rows(named=True)
    assert (row["earliest"], row["value"]) == (day("2016-08-06"), "2016-08-06")


def test_events_on_different_days_never_merge_even_through_a_week():
    mentions = [_mention("a", "2016-08-01"), _mention("b", "2016-08-03"),
                _mention("c", "2016-08-02", value="2016-W31")]
    assert merge_mentions(mentions).height == 2


# --- laws (hypothesis) ------------------------------------------------------------

_DAYS = [f"2020-02-{d:02d}" for d in range(24, 30)]
_mention_strategy = st.builds(
    _mention,
    doc=st.sampled_from([f"d{i}" for i in range(8)]),
    when=st.sampled_from(_DAYS),
    places=st.sets(st.sampled_from(["idlib", "aleppo", "balyun", "homs"]), max_size=2).map(
        lambda s: tuple(sorted(s))),
    actors=st.sets(st.sampled_from(["turkey", "russia", "hezbollah"]), max_size=2).map(
        lambda s: tuple(sorted(s))),
    qty=st.sampled_from([None, 33, 34]),
    role=st.sampled_from(["occurred", "occurred", "reported"]),
    start=st.integers(0, 3).map(lambda i: i * 100),
)


def _signature(frame: pl.DataFrame) -> list:
    return frame.select(pl.exclude("summary")).to_dicts()


@given(st.lists(_mention_strategy, max_size=25), st.randoms())
def test_merge_is_order_independent(mentions, rnd):
    shuffled = mentions[:]
    rnd.shuffle(shuffled)
    assert merge_mentions(mentions).to_dicts() == merge_mentions(shuffled).to_dicts()


@given(st.lists(_mention_strategy, max_size=25))
def test_merging_with_itself_changes_nothing(mentions):
    once = merge_mentions(mentions)
    assert merge_mentions(mentions + mentions).to_dicts() == once.to_dicts()
    # and the mentions of the chronology merge back into the same chronology
    kept = {(m["doc_id"], m["start"]) for row in once["mentions"].to_list() for m in row}
    again = [m for m in mentions if (m.doc_id, m.start) in kept]
    assert _signature(merge_mentions(again)) == _signature(once)


def test_shuffled_documents_give_the_same_ids(gold_mentions):
    timexes = _hand_timexes()
    documents = _documents()
    random.Random(7).shuffle(documents)
    shuffled = [m for d in documents for m in extract_mentions(d, timexes[d.id])]
    assert merge_mentions(shuffled)["event_id"].to_list() == \
        merge_mentions(gold_mentions)["event_id"].to_list()
