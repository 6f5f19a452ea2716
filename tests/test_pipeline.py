"""`timeline build` end to end, with the real tagger: seed corpus and gold corpus."""

import json
from pathlib import Path

import polars as pl
import pytest

import timeline
from timeline.chronology.clusters import cluster_mentions
from timeline.chronology.entries import build_entries
from timeline.cli import main
from timeline.evaluation.clusters import load_gold_statements, match_mentions, score_chronology
from timeline.pipeline.documents import document_mentions
from timeline.pipeline.driver import build

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "fixtures" / "seeds"
EVENTS = ROOT / "fixtures" / "events"


@pytest.fixture(scope="module")
def seed_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("seeds")
    return build([SEEDS], out, charts=False)


def _entry(frame: pl.DataFrame, needle: str) -> dict:
    rows = [r for r in frame.iter_rows(named=True)
            if any(needle in m["text"] for m in r["mentions"])]
    assert rows, f"no entry mentions {needle!r}"
    return rows[0]


def test_build_writes_every_output(seed_build):
    for name in ("chronology.parquet", "chronology.csv", "chronology.jsonl", "chronology.md",
                 "mentions.parquet"):
        assert (seed_build.out_dir / name).exists(), name
    assert seed_build.n_documents == 5 and seed_build.n_events > 5


@pytest.mark.parametrize("needle, day, role", [
    ("akademi artileri di Ramousah", "2016-08-06", "occurred"),
    ("34 Turkish soldiers", "2020-02-27", "occurred"),
    ("seruan untuk senjata", "2013-11-11", "occurred"),
    ("Hizbullat kehilangan setidaknya 12 milisi", "2016-08-08", "reported"),
    ("membunuh 20 pejuang SAA", "2019-04-18", "occurred"),
])
def test_seed_chronology_places_events_on_their_day(seed_build, needle, day, role):
    row = _entry(seed_build.chronology, needle)
    assert (str(row["earliest"]), str(row["latest"])) == (day, day), f"{needle}: {row['value']}"
    assert role in {m["role"] for m in row["mentions"] if needle in m["text"]}


def test_seed_chronology_holds_no_vague_dates(seed_build):
    values = seed_build.chronology["value"].to_list()
    assert not [v for v in values if "REF" in v or "X" in v]


def test_gold_corpus_with_the_real_tagger_scores_at_least_0_9():
    gold = load_gold_statements(EVENTS / "gold.jsonl")
    corpus = timeline.load_corpus([EVENTS / "articles.jsonl"])
    texts = {d.id: d.text for d in corpus.documents}
    assert set(texts) >= {s.doc_id for s in gold}, "the corpus loader must keep the ids"
    mentions = document_mentions(corpus.documents)
    _, event_of = build_entries(cluster_mentions(mentions))
    scores = score_chronology(gold, texts, mentions, event_of)
    for name in ("pairwise", "bcubed"):
        assert min(scores[name].precision, scores[name].recall) >= 0.9, f"{name}: {scores}"
    matched = match_mentions(gold, texts, mentions)
    wrong = [(s.doc_id, s.timex, s.value, m and m.value) for s in gold
             if (m := matched[s.item]) is None or m.value[:10] != s.value[:10]]
    assert len(wrong) <= 2, wrong


def test_cli_build_and_export(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", str(EVENTS / "articles.jsonl"), "-o", str(out), "--no-charts"]) == 0
    assert "events" in capsys.readouterr().out
    assert main(["export", str(out), "--format", "timelinejs"]) == 0
    data = json.loads((out / "chronology.timelinejs.json").read_text())
    assert len(data["events"]) == pl.read_parquet(out / "chronology.parquet").height


def test_build_chronology_for_notebooks():
    corpus = timeline.load_corpus([SEEDS])
    frame = timeline.build_chronology([d for d in corpus.documents if d.source == "Anadolu Agency"],
                                      summary_lang="en")
    assert "34 Turkish soldiers" in " ".join(frame["summary"].to_list())


def _tagger_of_one_date(document):
    """A tagger of our own: every text states 6 May 2014 in its first word."""
    from datetime import date

    from timeline.types import Timex

    day = date(2014, 5, 6)
    end = document.text.find(" ")
    return [Timex(0, end, document.text[:end], "DATE", "2014-05-06", day, day, "absolute",
                  granularity="day")]


def test_a_build_given_its_own_tagger_infers_missing_dates_with_it(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Laporan dari Aleppo tentang serangan.", encoding="utf-8")
    result = build([corpus], tmp_path / "out", charts=False, tagger=_tagger_of_one_date)
    entry = json.loads((result.out_dir / "ingest_report.json").read_text())["entries"][0]
    assert entry["published"] == "2014-05-06", entry
    assert entry["published_basis"] == "inferred: latest_full_date"
    assert not any("tagger failed" in w for w in entry["warnings"]), entry["warnings"]
