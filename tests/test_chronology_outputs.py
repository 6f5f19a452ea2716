"""Chronology writers (Parquet, CSV, JSON Lines, Markdown) and the TimelineJS export."""

import argparse
import json

import polars as pl
from support import interval_of

from timeline.chronology import export
from timeline.chronology.merge import CHRONOLOGY_SCHEMA, mentions_frame, merge_mentions
from timeline.chronology.writers import read_chronology, write_chronology
from timeline.types import EventMention, Quantity


def _mention(doc: str, value: str, lang: str, qty: int, role: str = "occurred") -> EventMention:
    earliest, latest = interval_of(value)
    return EventMention(doc, 0, 40, f"{qty} soldiers killed in Idlib ({doc})", "Thursday", 0, 8,
                        value, earliest, latest, "day" if len(value) == 10 else "week", role,
                        "published", lang, f"Outlet {doc}", "2020-02-28", actors=("turkey",),
                        places=("idlib",), quantities=(Quantity(qty, "soldier", ""),),
                        event_words=("killed",))


MENTIONS = [_mention("a", "2020-02-27", "en", 33), _mention("b", "2020-02-27", "id", 34),
            _mention("c", "2020-W09", "en", 34), _mention("d", "2019-04-08", "id", 5, "reported")]


def test_writers_round_trip_every_format(tmp_path):
    frame = merge_mentions(MENTIONS)
    paths = write_chronology(frame, tmp_path, mentions_frame(MENTIONS))
    assert read_chronology(tmp_path).equals(frame)
    assert read_chronology(paths["jsonl"]).equals(frame)
    rows = [json.loads(line) for line in paths["jsonl"].read_text().splitlines()]
    assert list(rows[0]) == list(CHRONOLOGY_SCHEMA)
    csv = pl.read_csv(paths["csv"])
    assert csv.columns == list(CHRONOLOGY_SCHEMA)
    assert json.loads(csv["sources"][1]) == ["Outlet a", "Outlet b", "Outlet c"]
    assert json.loads(csv["mentions"][1])[0]["doc_id"] == "a"
    md = paths["md"].read_text()
    assert "**2020-02-27**" in md and "2019-04-08, reported" in md and "⚠ soldier: 33" in md
    assert pl.read_parquet(paths["mentions"]).height == len(MENTIONS)


def test_timelinejs_export(tmp_path, capsys):
    frame = merge_mentions(MENTIONS)
    write_chronology(frame, tmp_path)
    parser = argparse.ArgumentParser()
    export.add_arguments(parser)
    assert export.run(parser.parse_args([str(tmp_path), "--format", "timelinejs",
                                         "--group", "language"])) == 0
    data = json.loads((tmp_path / "chronology.timelinejs.json").read_text())
    assert len(data["events"]) == frame.height == 2
    event = data["events"][1]
    assert event["start_date"] == {"year": "2020", "month": "2", "day": "27"}
    assert event["group"] in ("en", "id") and event["unique_id"] == frame["event_id"][1]
    assert "Sources disagree" in event["text"]["text"]


def test_module_examples_run():
    import doctest

    import timeline.chronology.merge
    import timeline.chronology.scoring
    import timeline.events.mentions
    import timeline.events.sentences
    import timeline.events.vocabulary

    for module in (timeline.events.sentences, timeline.events.vocabulary,
                   timeline.events.mentions, timeline.chronology.scoring,
                   timeline.chronology.merge):
        result = doctest.testmod(module)
        assert result.failed == 0, module.__name__
