"""Chronology writers (Parquet, CSV, JSON Lines, Markdown) and the TimelineJS export."""

import argparse
import json

import polars as pl
from support import day, interval_of

from timeline.chronology.clusters import cluster_mentions
from timeline.chronology.entries import build_entries, mention_table, merge_mentions
from timeline.chronology.export import HEADLINE_CHARS, to_timelinejs
from timeline.chronology.features import mention_rows
from timeline.chronology.writers import read_chronology, write_chronology
from timeline.cli import export
from timeline.frames import CHRONOLOGY_SCHEMA
from timeline.types import EventMention, Quantity


def _mention(doc: str, value: str, lang: str, qty: int, role: str = "occurred") -> EventMention:
    earliest, latest = interval_of(value)
    return EventMention(doc, 0, 40, f"{qty} soldiers killed in Idlib ({doc})", "Thursday", 0, 8,
                        value, earliest, latest, "day" if len(value) == 10 else "week", role,
                        "published", lang, f"Outlet {doc}", day("2020-02-28"), actors=("turkey",),
                        places=("idlib",), quantities=(Quantity(qty, "soldier", ""),),
                        event_words=("killed",))


MENTIONS = [_mention("a", "2020-02-27", "en", 33), _mention("b", "2020-02-27", "id", 34),
            _mention("c", "2020-W09", "en", 34), _mention("d", "2019-04-08", "id", 5, "reported")]


def test_writers_round_trip_every_format(tmp_path):
    frame, event_of = build_entries(cluster_mentions(MENTIONS))
    paths = write_chronology(frame, tmp_path, mention_table(mention_rows(MENTIONS), event_of))
    assert read_chronology(tmp_path).equals(frame)
    assert read_chronology(paths["jsonl"]).equals(frame)
    rows = [json.loads(line) for line in paths["jsonl"].read_text().splitlines()]
    assert list(rows[0]) == list(CHRONOLOGY_SCHEMA)
    csv = pl.read_csv(paths["csv"])
    assert csv.columns == [c for c in CHRONOLOGY_SCHEMA if c != "mentions"]
    assert csv["sources"][1] == "Outlet a; Outlet b; Outlet c"
    mentions_csv = pl.read_csv(paths["mentions_csv"])
    assert mentions_csv.filter(pl.col("event_id") == frame["event_id"][1])["doc_id"].sort() \
        .to_list() == ["a", "b", "c"]
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

    import timeline.chronology.entries
    import timeline.evaluation.clusters
    import timeline.events.mentions
    import timeline.events.sentences
    import timeline.events.vocabulary

    for module in (timeline.events.sentences, timeline.events.vocabulary,
                   timeline.events.mentions, timeline.evaluation.clusters,
                   timeline.chronology.entries):
        result = doctest.testmod(module)
        assert result.failed == 0, module.__name__


# --- typed outputs, escaped for their consumers ----------------------------------------

HOSTILE = ("<script>alert(1)</script> <img src=x onerror=alert(2)> *bold* _it_ "
           "[link](javascript:alert(3)) `code` | pipe")


def _one(summary_text: str, source: str = "Outlet a", url: str | None = None,
         title: str | None = None, doc: str = "a") -> EventMention:
    earliest, latest = interval_of("2020-02-27")
    return EventMention(doc, 0, len(summary_text), summary_text, "Thursday", 0, 8,
                        "2020-02-27", earliest, latest, "day", "occurred", "published", "en",
                        source, day("2020-02-28"), places=("idlib",), url=url, title=title)


def _csv_cells(path) -> list[str]:
    import csv

    with path.open(encoding="utf-8", newline="") as handle:
        return [cell for row in csv.reader(handle) for cell in row]


def test_csv_holds_no_json_and_no_formulas(tmp_path):
    mentions = [_one("=HYPERLINK(\"http://x\",\"y\") soldiers killed", source="+Outlet"),
                _one("@SUM(A1) soldiers killed", source="-Outlet", doc="b")]
    frame = merge_mentions(mentions)
    paths = write_chronology(frame, tmp_path, mention_table(mention_rows(mentions)))
    for name in ("csv", "mentions_csv"):
        cells = _csv_cells(paths[name])
        assert not [c for c in cells if c[:1] in ("[", "{")], f"JSON in {name}"
        assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")], \
            f"formula cell in {name}: {[c for c in cells if c[:1] in '=+-@']}"
    cells = _csv_cells(paths["csv"])
    assert {"'+Outlet", "'-Outlet"} <= set(cells)
    assert any(c.startswith("'=HYPERLINK") for c in cells)
    assert any(c.startswith("'@SUM") for c in _csv_cells(paths["mentions_csv"]))


def test_markdown_escapes_html_and_markdown_and_counts_in_the_singular(tmp_path):
    built = merge_mentions([_one(HOSTILE, source="<b>Outlet</b>")])
    # Markdown shows the headline: one as hostile as the text, and none (the summary)
    for frame in (built.with_columns(headline=pl.lit(HOSTILE)), built.drop("headline")):
        _markdown_is_escaped(write_chronology(frame, tmp_path)["md"].read_text(encoding="utf-8"))


def _markdown_is_escaped(md: str) -> None:
    assert "<script" not in md and "<img" not in md and "<b>" not in md
    assert "&lt;script&gt;" in md and "&lt;img src=x onerror=alert(2)&gt;" in md
    assert "\\*bold\\*" in md and "\\_it\\_" in md and "\\[link\\]" in md
    assert "\\`code\\`" in md and "\\| pipe" in md
    assert "1 mention)" in md and "1 mentions" not in md
    assert "1 event." in md


def test_timelinejs_escapes_every_text_field_and_cuts_headlines_at_words():
    long = ("Turkish soldiers were killed in an air strike on their convoy near the town of "
            "Balyun in southern Idlib, the ministry said on Friday morning.")
    frame = merge_mentions([
        _one(long, url="https://news.example.org/a?x=1&y='2'", title="Strike <near> Idlib"),
        _one(HOSTILE + " soldiers", source="<img src=x onerror=alert(1)>", doc="b",
             url="javascript:alert(1)"),
    ])
    by_summary = dict(zip(frame["summary"], frame["event_id"], strict=True))
    # the entry's own headline leads its slide; the body holds the whole statement
    events = {e["unique_id"]: e for e in to_timelinejs(frame, group="source")["events"]}
    own = events[by_summary[long]]["text"]
    assert own["headline"] == frame.filter(pl.col("summary") == long)["headline"].item()
    assert 6 <= len(own["headline"].split()) <= 14
    assert own["headline"].casefold() in long.casefold()  # the statement's own words
    assert "said" not in own["headline"] and f"<p>{long}</p>" in own["text"]
    # a chronology without headlines (another tool's): the summary cut at a word
    events = {e["unique_id"]: e
              for e in to_timelinejs(frame.drop("headline"), group="source")["events"]}
    slide = events[by_summary[long]]
    headline = slide["text"]["headline"]
    assert len(headline) <= HEADLINE_CHARS and headline.endswith("…")
    assert long.startswith(headline[:-1]) and long[len(headline) - 1] == " "  # a word boundary
    rest = long[len(headline):]
    assert "…" + rest in slide["text"]["text"] and headline[:-1] not in slide["text"]["text"]
    assert slide["media"]["url"] == "https://news.example.org/a?x=1&y=%272%27"
    assert slide["media"]["caption"] == "Strike &lt;near&gt; Idlib"
    assert 'href="https://news.example.org/a?x=1&amp;y=%272%27"' in slide["text"]["text"]

    hostile = events[by_summary[HOSTILE + " soldiers"]]
    everything = json.dumps(hostile)
    assert "<script" not in everything and "<img" not in everything
    assert hostile["group"] == "&lt;img src=x onerror=alert(1)&gt;"
    assert 'href="javascript' not in everything and "media" not in hostile
    assert "(1 mention)" in hostile["text"]["text"]


def test_writers_and_export_hold_for_date_typed_columns(tmp_path):
    """The chronology's dates are dates; a frame holding them as ISO strings (from a
    tool of another's) writes the same bytes."""
    dated = merge_mentions(MENTIONS)
    frame = dated.with_columns(pl.col("earliest").cast(pl.String), pl.col("latest").cast(pl.String))
    plain = write_chronology(frame, tmp_path / "str", mention_table(mention_rows(MENTIONS)))
    typed = write_chronology(dated, tmp_path / "date", mention_table(mention_rows(MENTIONS)))
    for name in ("csv", "jsonl", "md", "mentions_csv"):
        assert typed[name].read_bytes() == plain[name].read_bytes(), name
    assert to_timelinejs(dated) == to_timelinejs(frame)
