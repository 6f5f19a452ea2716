"""The chart stage without a browser: what is drawn and listed, what the page embeds, CLI.

Browser behaviour (marks on screen, brushing, search, the detail panel, phones,
hostile text) is in ``test_charts_browser.py``.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import altair as alt
import polars as pl
import pytest

import timeline
from timeline.charts import chart, write_html, write_image
from timeline.charts.data import (
    MENTION_FIELDS,
    day_number,
    days_from_civil,
    headline,
    iso_day,
    load_chronology,
    prepare,
)
from timeline.charts.lanes import LANE_CATEGORIES
from timeline.charts.page import render_html, script_json
from timeline.charts.spec import PRECISION_COLORS, layout
from timeline.charts.stream import CHUNK, stream_page_data
from timeline.charts.strings import STRINGS
from timeline.cli.render import add_arguments, run
from timeline.testing import synthetic_chronology

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "charts"
SEED = FIXTURES / "seed_chronology.jsonl"
HOSTILE = FIXTURES / "hostile_chronology.jsonl"


def page_event_ids(path: Path) -> list[str]:
    """The ids of every event in a page's chunks (drawn and listed apart)."""
    text = path.read_text(encoding="utf-8")
    return [i for block in re.findall(
        r'<script type="application/json" id="timeline-(?:drawn|apart)-\d+">(.*?)</script>',
        text, re.S) for i in json.loads(block)["id"]]


def page_json(path: Path, block: str) -> Any:
    text = path.read_text(encoding="utf-8")
    return json.loads(text.split(f'id="{block}">')[1].split("</script>")[0])


def seed_events() -> list[dict[str, Any]]:
    return [json.loads(line) for line in SEED.read_text(encoding="utf-8").splitlines()]


def day(text: str) -> int:
    return (date.fromisoformat(text) - date(1970, 1, 1)).days


# --- input forms -----------------------------------------------------------------------


def test_a_chronology_is_accepted_as_frame_records_or_directory(tmp_path: Path) -> None:
    records = seed_events()
    frame = load_chronology(records)
    frame.write_parquet(tmp_path / "chronology.parquet")
    ids = sorted(r["event_id"] for r in records)
    for form in (records, frame, tmp_path, SEED):
        assert sorted(load_chronology(form)["event_id"].to_list()) == ids, type(form)


def test_a_directory_without_a_chronology_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="chronology.parquet"):
        load_chronology(tmp_path)


def test_missing_optional_columns_get_defaults() -> None:
    prepared = prepare([{"earliest": "2019-04-01", "latest": "2019-04-10"}])
    event = prepared.events[0]
    assert (event["shape"], event["n_mentions"], event["sources"], event["conflict"],
            event["places"], event["mentions"]) == ("bar", 0, [], False, [], [])
    assert prepared.lane_kinds == ["source"]


def test_date_columns_urls_titles_places_and_actors_are_read_when_present() -> None:
    mention = {"doc_id": "d1", "start": 0, "end": 5, "text": "Kalimat.", "timex": "Senin",
               "source": "Outlet", "lang": "id", "role": "date",
               "published": date(2019, 4, 2), "url": "https://news.example/a",
               "title": "Judul"}
    frame = pl.DataFrame({
        "event_id": ["a", "b"],
        "earliest": [date(2019, 4, 1), date(516, 1, 1)],
        "latest": [date(2019, 4, 1), date(516, 12, 31)],
        "summary": ["Serangan di Aleppo", "Lama sekali"],
        "mentions": [[mention], []],
        "places": [["Aleppo"], []],
        "actors": [["Pemberontak"], ["Kaisar"]],
    })
    prepared = prepare(frame)
    first = next(e for e in prepared.events if e["id"] == "a")
    assert (first["earliest"], first["latest"], first["shape"]) == (
        "2019-04-01", "2019-04-01", "point")
    assert first["mentions"] == [("Kalimat.", "Outlet", "2019-04-02", "Senin", "id",
                                  "https://news.example/a", "Judul")]
    assert (first["places"], first["actors"]) == (["Aleppo"], ["Pemberontak"])
    far = next(e for e in prepared.events if e["id"] == "b")
    assert (far["earliest"], far["latest"], far["drawn"], far["apart"]) == (
        "0516-01-01", "0516-12-31", False, "far")
    assert prepared.lane_kinds == ["source", "language", "place", "actor"]


def test_mentions_without_url_or_title_have_empty_ones() -> None:
    event = prepare(SEED).events[0]
    assert event["mentions"] and all(len(m) == len(MENTION_FIELDS) for m in event["mentions"])
    assert {m[5] for m in event["mentions"]} == {""} and {m[6] for m in event["mentions"]} == {""}


# --- dates of any year -----------------------------------------------------------------


def test_day_numbers_agree_with_the_python_calendar_for_every_year_it_has() -> None:
    rnd = random.Random(3)
    for _ in range(2_000):
        d = date(1, 1, 1) + timedelta(days=rnd.randrange(date(9999, 12, 31).toordinal()))
        expected = d.toordinal() - date(1970, 1, 1).toordinal()
        assert days_from_civil(d.year, d.month, d.day) == expected, d
        assert iso_day(expected) == d.isoformat()
    # Beyond year 9999 the Gregorian cycle repeats every 400 years (146,097 days).
    assert days_from_civil(10_183, 9, 21) == day("1783-09-21") + 21 * 146_097
    assert iso_day(day("1783-09-21") + 21 * 146_097) == "+10183-09-21"


@pytest.mark.parametrize(("text", "end", "expected"), [
    ("516-01-01", False, "0516-01-01"),
    ("0516", True, "0516-12-31"),
    ("2019-02", True, "2019-02-28"),
    ("2020-02", True, "2020-02-29"),
    ("-0044-03-15", False, "-0044-03-15"),
    ("+12000-05-01", False, "+12000-05-01"),
    ("2019-04-01 05:00:00.000000", False, "2019-04-01"),
])
def test_date_texts_of_any_year_and_precision_are_read(text: str, end: bool,
                                                       expected: str) -> None:
    assert iso_day(day_number(text, end=end)) == expected


@pytest.mark.parametrize("text", ["soon", "2019-13-01", "2019-02-30", "", None, "XXXX-10-21"])
def test_unreadable_dates_are_none(text: str | None) -> None:
    assert day_number(text) is None


def test_far_and_missing_dates_are_listed_apart_never_fatal(tmp_path: Path) -> None:
    records = [
        {"event_id": "ancient", "earliest": "516-01-01", "latest": "516-01-01"},
        {"event_id": "future", "earliest": "+12000-01-01", "latest": "+12000-12-31"},
        {"event_id": "bce", "earliest": "-0044-03-15", "latest": "-0044-03-15"},
        {"event_id": "nodate", "earliest": None, "latest": None, "value": "XXXX-10-21"},
        {"event_id": "bad", "earliest": "someday", "latest": "2019-13-40"},
        {"event_id": "y1000", "earliest": "1000-01-01", "latest": "1000-01-01"},
        {"event_id": "news", "earliest": "2019-04-01", "latest": "2019-04-01"},
    ]
    prepared = prepare(records)
    drawn = [e["id"] for e in prepared.events if e["drawn"]]
    apart = {e["id"]: e["apart"] for e in prepared.events if not e["drawn"]}
    assert drawn == ["y1000", "news"]
    assert apart == {"ancient": "far", "future": "far", "bce": "far", "nodate": "undated",
                     "bad": "undated"}
    assert (prepared.first, prepared.last) == ("1000-01-01", "2019-04-01")
    page = write_html(records, tmp_path / "far.html")
    assert sorted(page_event_ids(page)) == sorted(r["event_id"] for r in records)
    frame = load_chronology(records)
    frame.write_parquet(tmp_path / "chronology.parquet")
    assert _render([str(tmp_path)]) == 0
    assert _render([str(tmp_path), "--format", "png"]) == 0


def test_only_far_dates_still_write_a_page(tmp_path: Path) -> None:
    path = write_html([{"event_id": "a", "earliest": "516-01-01", "latest": "516-01-01"}],
                      tmp_path / "p.html")
    assert page_json(path, "timeline-data")["period"] is None
    assert page_json(path, "timeline-apart-0")["apart"] == ["far"]


# --- what is drawn ---------------------------------------------------------------------


def test_days_are_points_and_coarser_or_uncertain_dates_are_bars_over_their_interval() -> None:
    prepared = prepare(seed_events())
    by_value = {e["value"]: e for e in prepared.events}
    # "Awal bulan ini" (2019-04, START): a bar over 1-10 April, end exclusive.
    early_april = by_value["2019-04"]
    assert (early_april["shape"], early_april["start"], early_april["end"]) == (
        "bar", day("2019-04-01"), day("2019-04-11"))
    assert early_april["precision"] == "month"
    april_8 = by_value["2019-04-08"]
    assert (april_8["shape"], april_8["end"] - april_8["start"]) == ("point", 1)
    assert by_value["2019-W16"]["precision"] == "week"


def test_every_event_is_kept_whatever_the_size() -> None:
    frame = synthetic_chronology(4_500)
    chunks: dict[tuple[str, int], Any] = {}
    data = stream_page_data(frame, lambda kind, k, block: chunks.__setitem__((kind, k), block))
    assert data.summary.n_events == data.summary.n_drawn == 4_500
    assert data.n_chunks == 5
    ids = [i for (kind, _), block in sorted(chunks.items()) if kind == "drawn"
           for i in block["id"]]
    assert sorted(ids) == sorted(frame["event_id"].to_list())
    assert len(data.skeleton["start"]) == 4_500
    # Every mention travels to the page: none is cut off per event.
    shipped = sum(len(entry[0]) for (kind, _), block in chunks.items()
                  if kind == "drawn-mentions" for entry in block)
    assert shipped == frame["mentions"].list.len().sum()


def test_events_are_ranked_by_outlets_then_mentions_then_finer_dates() -> None:
    def event(eid: str, n_sources: int, n_mentions: int, latest: str) -> dict[str, Any]:
        return {"event_id": eid, "earliest": "2019-01-01", "latest": latest,
                "n_sources": n_sources, "n_mentions": n_mentions}

    prepared = prepare([
        event("two-outlets-three-mentions", 2, 3, "2019-01-01"),
        event("two-outlets-five-mentions-year", 2, 5, "2019-12-31"),
        event("one-outlet-nine-mentions", 1, 9, "2019-01-01"),
        event("two-outlets-five-mentions-day", 2, 5, "2019-01-01"),
    ])
    order = [e["id"] for e in sorted(prepared.events, key=lambda e: e["rank"])]
    assert order == ["two-outlets-five-mentions-day", "two-outlets-five-mentions-year",
                     "two-outlets-three-mentions", "one-outlet-nine-mentions"]


def test_headlines_are_summaries_cut_at_a_word_boundary() -> None:
    assert headline("Pasukan pemerintah merebut kembali kota itu pada Senin pagi.", 30) == (
        "Pasukan pemerintah merebut…")
    assert headline("Rebels took the south-east of the town", 30) == (
        "Rebels took the south-east of…")
    assert headline("  Short\nsummary.  ") == "Short summary."
    # One long word is cut inside the word rather than lost.
    assert headline("x" * 100, 20) == "x" * 19 + "…"


def test_the_overview_spreads_a_year_precise_event_over_its_year() -> None:
    records = [{"event_id": f"y{i}", "earliest": "2011-01-01", "latest": "2011-12-31",
                "granularity": "year"} for i in range(1_000)]
    records.append({"event_id": "d", "earliest": "2012-06-15", "latest": "2012-06-15"})
    prepared = prepare(records)
    assert prepared.bin == "week"
    counts = {iso_day(d["bin_start"]): d["events"] for d in prepared.density}
    assert sum(counts.values()) == pytest.approx(1_001, abs=0.05)  # bins are rounded
    # No week holds more than its share of the year: 7 days of 365, for 1,000 events.
    assert max(counts.values()) <= 1_000 * 7 / 365 + 1e-6
    long_period = prepare(records + [{"earliest": "2016-01-01", "latest": "2016-01-01"}])
    assert long_period.bin == "month"
    months = {iso_day(d["bin_start"]): d["events"] for d in long_period.density}
    assert months["2011-07-01"] == pytest.approx(1_000 * 31 / 365, abs=1e-3)
    assert months["2011-02-01"] == pytest.approx(1_000 * 28 / 365, abs=1e-3)
    assert months["2012-06-01"] == pytest.approx(1)


def test_lanes_are_the_main_outlets_and_the_rest_is_other() -> None:
    records = [{"event_id": f"e{i}", "earliest": "2019-04-01", "latest": "2019-04-01",
                "sources": [f"Outlet {i % 12:02d}"]} for i in range(120)]
    prepared = prepare(records)
    names = prepared.lanes["source"]
    assert len(names) == LANE_CATEGORIES + 1 and names[-1] == "other"
    by_id = {e["id"]: e for e in prepared.events}
    assert names[by_id["e0"]["lane"]["source"]] == "Outlet 00"
    assert names[by_id["e11"]["lane"]["source"]] == "other"  # Outlets 08..11 share it


def test_overlapping_events_get_separate_sub_rows() -> None:
    same_day = [{"event_id": str(i), "earliest": "2016-08-07", "latest": "2016-08-07"}
                for i in range(3)]
    assert sorted(e["sub"]["source"] for e in prepare(same_day).events) == [0, 1, 2]


def test_key_event_headlines_do_not_overlap_and_the_best_attested_comes_first() -> None:
    prepared = prepare(seed_events())
    labels = layout(prepared)["labels"]
    best = min(prepared.events, key=lambda e: e["rank"])
    assert best["n_sources"] == 2 and labels[0]["id"] == best["id"]
    width, per_ms = 960, 960 / ((prepared.end_day - prepared.first_day) * 86_400_000)
    for row in {label["row"] for label in labels}:
        boxes = sorted(((label["anchor"] - prepared.first_day * 86_400_000) * per_ms,
                        label["limit"]) for label in labels if label["row"] == row)
        for (x0, limit), (x1, _) in zip(boxes, boxes[1:], strict=False):
            assert x0 + limit < x1, (row, boxes)
    assert all(label["limit"] <= width for label in labels)


def test_precision_colours_have_3_to_1_contrast_on_white() -> None:
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    for name, colour in PRECISION_COLORS.items():
        assert 1.05 / (luminance(colour) + 0.05) >= 3, (name, colour)


# --- the chart -------------------------------------------------------------------------


def test_chart_returns_an_altair_chart_with_one_mark_row_per_drawn_event() -> None:
    result = timeline.chart(seed_events())
    assert isinstance(result, alt.VConcatChart)
    spec = result.to_dict()
    assert len(spec["datasets"]["events"]) == 25
    assert {"brush", "zoom", "rows_total"} <= {p["name"] for p in spec["params"]}
    # Each selection belongs to one view, or Vega-Lite defines its signals twice.
    assert all(len(p.get("views", [None])) == 1 for p in spec["params"] if "select" in p)


def test_chart_lanes_can_start_by_language() -> None:
    spec = chart(seed_events(), lanes="language").to_dict()
    names = [row["name"] for row in spec["datasets"]["lanes"]]
    assert names[1:] == ["id", "en"]  # 20 Indonesian events, 5 English
    with pytest.raises(ValueError, match="lanes"):
        chart(seed_events(), lanes="weather")  # type: ignore[arg-type]


def test_static_images_are_written_offline(tmp_path: Path) -> None:
    png = write_image(SEED, tmp_path / "t.png")
    svg = write_image(SEED, tmp_path / "t.svg", format="svg")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    text = svg.read_text(encoding="utf-8")
    assert text.lstrip().startswith("<svg") and "wartaperang" in text
    assert "http" not in re.sub(r'xmlns(:\w+)?="[^"]*"', "", text)


# --- the page --------------------------------------------------------------------------


def test_the_page_is_one_self_contained_file(tmp_path: Path) -> None:
    path = write_html(SEED, tmp_path)
    assert path == tmp_path / "timeline.html"
    text = path.read_text(encoding="utf-8")
    markup = re.sub(r"(<script[^>]*>).*?(</script>)", r"\1\2", text, flags=re.S)
    assert not re.search(r"<(script|link|img|iframe)\b[^>]*\b(src|href)=", markup, re.I)
    assert "window.vegaEmbed=" in text and "Content-Security-Policy" in text
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', text)[1]
    assert "default-src 'none'" in csp and "connect-src 'none'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    index = page_json(path, "timeline-drawn-0")
    assert len(index["id"]) == 25
    chunk = page_json(path, "timeline-drawn-mentions-0")
    assert sum(len(mentions) for mentions, _ in chunk) == sum(
        len(e["mentions"]) for e in seed_events())


def test_embedded_json_cannot_close_its_script_block(tmp_path: Path) -> None:
    path = write_html(HOSTILE, tmp_path / "hostile.html")
    text = path.read_text(encoding="utf-8")
    blocks = re.findall(r'<script type="application/json" id="([^"]+)">(.*?)</script>', text,
                        re.S)
    assert {name for name, _ in blocks} >= {"timeline-spec", "timeline-data", "timeline-skeleton",
                                            "timeline-keys", "timeline-drawn-0",
                                            "timeline-drawn-mentions-0"}
    for name, body in blocks:
        assert "<" not in body and ">" not in body, name
    summaries = set(page_json(path, "timeline-drawn-0")["summary"])
    assert "Summary </script><script>window.__pwned = (window.__pwned || 0) + 1</script>" in (
        summaries)


def test_script_json_escapes_markup_and_line_separators() -> None:
    text = script_json({"t": "</script>&\u2028"})
    assert text == '{"t":"\\u003c/script\\u003e\\u0026\\u2028"}'
    assert json.loads(text) == {"t": "</script>&\u2028"}


def test_an_empty_chronology_still_writes_a_page(tmp_path: Path) -> None:
    path = write_html([], tmp_path / "empty.html")
    assert page_event_ids(path) == []
    assert "0 events" in path.read_text(encoding="utf-8")


def test_the_page_speaks_indonesian_when_asked(tmp_path: Path) -> None:
    path = write_html(SEED, tmp_path / "id.html", page_lang="id")
    text = path.read_text(encoding="utf-8")
    assert '<html lang="id">' in text
    assert ">Cari</label>" in text and "Peristiwa dalam periode yang ditampilkan" in text
    assert page_json(path, "timeline-data")["strings"] == STRINGS["id"]
    with pytest.raises(ValueError, match="page language"):
        write_html(SEED, tmp_path / "xx.html", page_lang="xx")


def test_every_page_language_has_every_string_and_placeholder() -> None:
    """Same keys in every language (a `_one` variant is optional: not every language
    inflects a noun after 1), same placeholders as the key's English."""
    def plain(table: dict[str, str]) -> set[str]:
        return {k for k in table if not k.endswith("_one")}

    english = STRINGS["en"]
    for lang, table in STRINGS.items():
        assert plain(table) == plain(english), lang
        for key, text in table.items():
            base = key.removesuffix("_one")
            assert set(re.findall(r"\{\w+\}", text)) == set(re.findall(r"\{\w+\}",
                                                                         english[base])), key


def test_a_count_of_one_takes_the_singular() -> None:
    from timeline.charts.strings import phrase

    assert phrase(STRINGS["en"], "caption_rows", count="1", lo="a", hi="b", filtered="",
                  **{"from": 1, "to": 1}).startswith("1 event from")
    assert phrase(STRINGS["en"], "caption_rows", count="2", lo="a", hi="b", filtered="",
                  **{"from": 1, "to": 2}).startswith("2 events from")


def test_the_javascript_bundle_is_cached_on_disk(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import vl_convert

    from timeline.charts import page

    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(page, "_bundle", None)
    calls = []
    real = vl_convert.javascript_bundle
    monkeypatch.setattr(vl_convert, "javascript_bundle",
                        lambda *a, **k: calls.append(1) or real(*a, **k))
    first = page.javascript_bundle()
    assert calls == [1] and "</script" not in first
    assert any(p.name.startswith("vega-bundle-") for p in tmp_path.iterdir())
    monkeypatch.setattr(page, "_bundle", None)  # a new process
    assert page.javascript_bundle() == first and calls == [1]


def test_rendering_is_linear_enough_to_check_a_large_chronology() -> None:
    # Not a timing: the page for 3,000 events keeps every event and every mention.
    frame = synthetic_chronology(3_000)
    text = render_html(frame)
    assert len(re.findall(r'type="application/json" id="timeline-drawn-\d', text)) == 3000 // CHUNK
    assert text.count('type="application/json" id="timeline-drawn-mentions-') == 3000 // CHUNK


# --- command line ----------------------------------------------------------------------


def _render(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return run(parser.parse_args(argv))


def test_render_writes_the_page_and_images_into_the_directory(tmp_path: Path,
                                                              capsys: Any) -> None:
    load_chronology(SEED).write_parquet(tmp_path / "chronology.parquet")
    assert _render([str(tmp_path)]) == 0
    assert (tmp_path / "timeline.html").is_file()
    assert _render([str(tmp_path), "--format", "svg", "--lanes", "language"]) == 0
    assert (tmp_path / "timeline.svg").read_text(encoding="utf-8").lstrip().startswith("<svg")
    assert _render([str(tmp_path), "--format", "png"]) == 0
    assert (tmp_path / "timeline.png").read_bytes()[:4] == b"\x89PNG"
    assert str(tmp_path / "timeline.png") in capsys.readouterr().out


def test_render_of_a_directory_without_chronology_fails_cleanly(tmp_path: Path,
                                                                capsys: Any) -> None:
    from timeline.cli import main

    assert main(["render", str(tmp_path)]) == 2
    assert "chronology.parquet" in capsys.readouterr().err


def test_render_is_wired_into_the_timeline_command(tmp_path: Path) -> None:
    from timeline.cli import main

    load_chronology(SEED).write_parquet(tmp_path / "chronology.parquet")
    assert main(["render", str(tmp_path), "--lanes", "language", "--page-lang", "id"]) == 0
    data = page_json(tmp_path / "timeline.html", "timeline-data")
    assert (data["lane"], data["lang"]) == ("language", "id")


def test_build_passes_the_page_language_to_the_page(tmp_path: Path) -> None:
    from timeline.cli import main

    articles = Path(__file__).resolve().parent.parent / "fixtures" / "events" / "articles.jsonl"
    assert main(["build", str(articles), "-o", str(tmp_path), "--page-lang", "id"]) == 0
    assert '<html lang="id">' in (tmp_path / "timeline.html").read_text(encoding="utf-8")
