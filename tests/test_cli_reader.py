"""The command line as a newcomer meets it: options spelt in full, one name for the
output, the default folder said, a gazetteer that reaches every worker, `tag` reading
what `build` reads; and the page's data built in a stream."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from cli_support import one_line_error, timeline

from timeline.charts.data import prepare
from timeline.charts.stream import CHUNK, stream_page_data
from timeline.chronology.export import to_timelinejs
from timeline.chronology.writers import markdown
from timeline.cli import main
from timeline.testing import synthetic_chronology

ROOT = Path(__file__).resolve().parent.parent
GAZETTEER = ROOT / "fixtures" / "gazetteer" / "riverland.toml"
CORPUS = ROOT / "fixtures" / "gazetteer" / "riverland.jsonl"
SEEDS = ROOT / "fixtures" / "seeds"


def test_an_option_prefix_is_refused_and_the_full_option_suggested(tmp_path: Path) -> None:
    # `--lang` used to be taken as `--lang-col`, reading a column named "id" as languages
    result = timeline("build", str(CORPUS), "-o", str(tmp_path), "--lang", "id")
    assert result.returncode == 2
    one_line_error(result, "--lang", "did you mean --lang-col")
    assert not (tmp_path / "chronology.csv").exists()


@pytest.mark.parametrize("option", ["-o", "--output", "--out"])
def test_build_takes_the_output_folder_by_every_name(tmp_path: Path, option: str,
                                                     capsys: Any) -> None:
    out = tmp_path / "out"
    assert main(["build", str(SEEDS), option, str(out), "--no-charts", "--workers", "1"]) == 0
    assert (out / "chronology.csv").is_file()
    assert "reports" not in capsys.readouterr().err


def test_build_says_when_it_writes_into_the_default_folder(tmp_path: Path) -> None:
    result = timeline("build", str(SEEDS), "--no-charts", "--workers", "1", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no -o DIR given: writing into ./reports/" in result.stderr
    assert (tmp_path / "reports" / "chronology.csv").is_file()


def test_render_and_export_take_the_same_output_option(tmp_path: Path) -> None:
    assert main(["build", str(SEEDS), "-o", str(tmp_path), "--no-charts", "--workers", "1"]) == 0
    assert main(["render", str(tmp_path), "--output", str(tmp_path / "p.html")]) == 0
    assert main(["export", str(tmp_path), "--output", str(tmp_path / "t.json")]) == 0
    assert (tmp_path / "p.html").is_file() and (tmp_path / "t.json").is_file()


def test_the_gazetteer_reaches_every_worker_and_names_the_places(tmp_path: Path) -> None:
    result = timeline("build", str(CORPUS), "-o", str(tmp_path), "--gazetteer", str(GAZETTEER),
                      "--workers", "2", "--batch-documents", "1", "--no-charts")
    assert result.returncode == 0, result.stderr
    frame = pl.read_parquet(tmp_path / "chronology.parquet")
    by_day = {str(day): (places, actors) for day, places, actors in
              frame.select("earliest", "places", "actors").iter_rows()}
    # by hand from the texts: the town (three spellings), the valley (three names), the guard
    assert {d for d, (p, _) in by_day.items() if p == ["zarqa-fort"]} == {
        "2016-01-20", "2016-02-12", "2016-03-07"}
    assert {d for d, (p, _) in by_day.items() if p == ["lower-valley"]} == {
        "2016-01-18", "2016-02-10", "2016-03-02"}
    assert {d for d, (_, a) in by_day.items() if a == ["river-guard"]} == {
        "2016-02-10", "2016-03-07"}
    mentions = pl.read_csv(tmp_path / "mentions.csv")
    assert mentions["places"].drop_nulls().str.contains("zarqa-fort").sum() == 3
    # Without it, the default gazetteer (the Syrian war) knows none of these names.
    plain = tmp_path / "plain"
    assert main(["build", str(CORPUS), "-o", str(plain), "--no-charts", "--workers", "1"]) == 0
    assert pl.read_parquet(plain / "chronology.parquet")["places"].list.len().sum() == 0


def test_a_missing_gazetteer_is_a_usage_error(tmp_path: Path) -> None:
    result = timeline("build", str(CORPUS), "-o", str(tmp_path), "--gazetteer", "nowhere.toml")
    assert result.returncode == 2
    one_line_error(result, "--gazetteer nowhere.toml", "no such file")


def test_render_says_when_the_lanes_asked_for_have_no_data(tmp_path: Path) -> None:
    assert main(["build", str(CORPUS), "-o", str(tmp_path), "--no-charts", "--workers", "1"]) == 0
    result = timeline("render", str(tmp_path), "--lanes", "place")
    assert result.returncode == 2
    one_line_error(result, "--lanes place", "no event names a place", "--gazetteer")
    assert not (tmp_path / "timeline.html").exists()
    result = timeline("render", str(tmp_path), "--lanes", "place", "--gazetteer", str(GAZETTEER))
    assert result.returncode == 2  # the chronology was built without it: still no places
    assert main(["build", str(CORPUS), "-o", str(tmp_path), "--no-charts", "--workers", "1",
                 "--gazetteer", str(GAZETTEER)]) == 0
    assert main(["render", str(tmp_path), "--lanes", "place", "--gazetteer", str(GAZETTEER)]) == 0


def test_tag_reads_the_date_field_that_build_reads(monkeypatch: Any, capsys: Any) -> None:
    line = {"doc_id": "a", "body": "Pasukan itu tiba pada hari Minggu.", "date": "2016-08-09",
            "language": "id"}
    monkeypatch.setattr(sys, "stdin", __import__("io").StringIO(json.dumps(line) + "\n"))
    assert main(["tag", "-"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["id"] == "a"
    # 2016-08-09 was a Tuesday: "hari Minggu" is the Sunday before
    assert [t["value"] for t in record["timexes"]] == ["2016-08-07"]


def test_tag_refuses_a_table_in_one_line(tmp_path: Path) -> None:
    table = tmp_path / "articles.csv"
    table.write_text("id,text,published\n1,Pada hari Minggu.,2016-08-09\n"
                     "2,Kemarin.,2016-08-09\n", encoding="utf-8")
    result = timeline("tag", str(table))
    assert result.returncode == 2 and result.stdout == ""
    one_line_error(result, "articles.csv", "not JSON Lines", "timeline build")
    # the same table without its suffix, on standard input
    result = timeline("tag", "-", stdin=table.read_text(encoding="utf-8"))
    assert result.returncode == 2 and result.stdout == ""
    one_line_error(result, "standard input", "a table", "id,text,published")


def test_tag_on_a_terminal_without_input_says_how_to_use_it(monkeypatch: Any,
                                                            capsys: Any) -> None:
    class Terminal:
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdin", Terminal())
    assert main(["tag"]) == 2
    err = capsys.readouterr().err
    assert "nothing to read" in err and "timeline tag docs.jsonl" in err


# --- the page's data, in a stream ---------------------------------------------------


def test_the_page_data_from_parquet_is_that_of_the_chronology_held_whole(tmp_path: Path
                                                                         ) -> None:
    frame = synthetic_chronology(2_600)
    frame.write_parquet(tmp_path / "chronology.parquet", row_group_size=300)
    streamed: dict[tuple[str, int], Any] = {}
    data = stream_page_data(tmp_path, lambda kind, k, block: streamed.__setitem__((kind, k),
                                                                                   block))
    whole = prepare(frame)
    assert (data.summary.n_events, data.summary.n_drawn) == (whole.n_events, whole.n_drawn)
    assert data.summary.lanes == whole.lanes and data.summary.density == whole.density
    assert data.n_chunks == -(-2_600 // CHUNK)
    drawn = [e for e in whole.events if e["drawn"]]
    ids = [i for k in range(data.n_chunks) for i in streamed[("drawn", k)]["id"]]
    assert ids == [e["id"] for e in drawn]  # time order, chunk after chunk
    lanes = [lane for k in range(data.n_chunks) for lane in streamed[("drawn", k)]["lane"]
             ["source"]]
    subs = [sub for k in range(data.n_chunks) for sub in streamed[("drawn", k)]["sub"]["source"]]
    assert lanes == [e["lane"]["source"] for e in drawn]
    assert subs == [e["sub"]["source"] for e in drawn]
    # the skeleton gives every drawn event's dates without a chunk
    starts, at = [], 0
    for step in data.skeleton["start"]:
        at += step
        starts.append(at)
    assert starts == [e["start"] for e in drawn]
    # the key events are the best ranked
    best = {e["id"] for e in sorted(drawn, key=lambda e: e["rank"])[:len(data.keys["id"])]}
    assert set(data.keys["id"]) == best


def test_a_chronology_out_of_time_order_is_sorted_for_the_page(tmp_path: Path) -> None:
    frame = synthetic_chronology(500).sample(fraction=1.0, shuffle=True, seed=3)
    frame.write_parquet(tmp_path / "chronology.parquet")
    blocks: dict[tuple[str, int], Any] = {}
    stream_page_data(tmp_path, lambda kind, k, block: blocks.__setitem__((kind, k), block))
    starts = blocks[("drawn", 0)]["start"]
    assert starts == sorted(starts) and len(starts) == 500


def _ranked() -> pl.DataFrame:
    frame = synthetic_chronology(12)
    return frame.with_columns(
        headline=pl.Series([f"Headline number {i}" for i in range(12)]),
        rank=pl.Series([12 - i for i in range(12)], dtype=pl.Int64))


def test_markdown_uses_the_headline_and_marks_the_key_events_when_ranked() -> None:
    frame = _ranked()
    text = markdown(frame)
    assert "Headline number 0" in text and frame["summary"][0] not in text
    assert text.count("★ key event") == 10  # ranks 1 to 10
    assert "(★ key event): Headline number 11 " in text  # rank 1
    # without them: the summaries, no marks
    plain = markdown(synthetic_chronology(12))
    assert "★" not in plain and synthetic_chronology(12)["summary"][0] in plain


def test_timelinejs_uses_the_headline_and_names_the_key_events_by_rank() -> None:
    data = to_timelinejs(_ranked())
    assert data["events"][0]["text"]["headline"] == "Headline number 0"
    title = data["title"]["text"]["text"]
    assert title.index("Headline number 11") < title.index("Headline number 10")
    plain = to_timelinejs(synthetic_chronology(12))
    assert "Key events" in plain["title"]["text"]["text"]
