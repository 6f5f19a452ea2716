"""The chart stage without a browser: what is drawn, what the page embeds, images, CLI.

Browser behaviour (marks on screen, brushing, hostile text) is in
``test_charts_browser.py``.
"""

from __future__ import annotations

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
from timeline.charts.cli import add_arguments, run
from timeline.charts.data import DETAIL_LIMIT, MENTIONS_PER_EVENT, load_chronology, prepare
from timeline.charts.page import script_json

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "charts"
SEED = FIXTURES / "seed_chronology.jsonl"
HOSTILE = FIXTURES / "hostile_chronology.jsonl"


def synthetic_chronology(n: int, seed: int = 7) -> pl.DataFrame:
    """``n`` events in the chronology schema, dense in recent years like a news corpus."""
    rnd = random.Random(seed)
    outlets = [f"Outlet {i:02d}" for i in range(25)]
    stretch = {"day": 0, "week": 6, "month": 29, "year": 364}
    rows = []
    for i in range(n):
        earliest = date(2012, 1, 1) + timedelta(days=int(rnd.triangular(0, 3000, 2500)))
        granularity = rnd.choices(list(stretch), [70, 10, 15, 5])[0]
        latest = earliest + timedelta(days=stretch[granularity])
        sources = rnd.sample(outlets, rnd.randint(1, 3))
        n_mentions = rnd.randint(1, 12)
        rows.append({
            "event_id": f"e{i:05d}", "earliest": earliest.isoformat(),
            "latest": latest.isoformat(), "value": earliest.isoformat(),
            "granularity": granularity, "summary": f"Event {i} " + "kata " * rnd.randint(2, 30),
            "n_mentions": n_mentions, "n_sources": len(sources), "sources": sources,
            "languages": ["id"] if rnd.random() < 0.6 else ["en"],
            "conflict": rnd.random() < 0.02, "conflicts": [],
            "mentions": [{
                "doc_id": f"d{i}-{k}", "start": 0, "end": 40, "text": "Kalimat bukti. " * 3,
                "timex": "hari Senin", "source": sources[k % len(sources)], "lang": "id",
                "role": "date", "published": latest.isoformat(),
            } for k in range(min(n_mentions, 8))],
        })
    return pl.DataFrame(rows)


def page_json(path: Path, block: str) -> Any:
    text = path.read_text(encoding="utf-8")
    return json.loads(text.split(f'id="{block}">')[1].split("</script>")[0])


def seed_events() -> list[dict[str, Any]]:
    return [json.loads(line) for line in SEED.read_text(encoding="utf-8").splitlines()]


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
    assert (event["shape"], event["mentions"], event["sources"], event["conflict"]) == (
        "bar", 0, "", "no")


# --- what is drawn ---------------------------------------------------------------------


def test_days_are_points_and_coarser_or_uncertain_dates_are_bars_over_their_interval() -> None:
    prepared = prepare(seed_events())
    by_value = {e["date"].split(" ")[0]: e for e in prepared.events}
    # "Awal bulan ini" (2019-04, START): a bar over 1-10 April, end exclusive.
    early_april = by_value["2019-04"]
    assert (early_april["shape"], early_april["start"], early_april["end"]) == (
        "bar", "2019-04-01T00:00:00Z", "2019-04-11T00:00:00Z")
    # "8 April": a point in the middle of its day.
    april_8 = by_value["2019-04-08"]
    assert (april_8["shape"], april_8["mid"]) == ("point", "2019-04-08T12:00:00Z")
    week = by_value["2019-W16"]
    assert (week["shape"], week["row"]) == ("bar", "week")


def test_every_seed_event_is_drawn_once_with_tooltip_fields() -> None:
    records = seed_events()
    prepared = prepare(records)
    assert sorted(e["id"] for e in prepared.events) == sorted(r["event_id"] for r in records)
    conflicted = [e for e in prepared.events if e["has_conflict"]]
    assert len(conflicted) == 1 and conflicted[0]["conflict"].startswith("yes: 2020-02-28")
    for event in prepared.events:
        assert {"date", "summary", "sources", "mentions", "conflict"} <= event.keys()
    assert "Every dated event is drawn (25)" in prepared.note


def test_undated_events_are_counted_not_drawn() -> None:
    prepared = prepare([
        {"event_id": "a", "earliest": "2019-04-01", "latest": "2019-04-01"},
        {"event_id": "b", "earliest": None, "latest": None, "value": "XXXX-10-21"},
    ])
    assert [e["id"] for e in prepared.events] == ["a"]
    assert "1 event without a date interval is not drawn" in prepared.note


def test_large_chronologies_draw_a_bounded_sample_and_count_everything() -> None:
    prepared = prepare(synthetic_chronology(12_000), limit=1_000)
    assert prepared.n_shown == 1_000 and prepared.n_events == 12_000
    assert sum(row["events"] for row in prepared.density) == 12_000
    assert "shows 1,000 of the 12,000 dated events" in prepared.note
    # Every overview bin keeps its best-attested event before any bin gets a second.
    shown_bins = {e["start"][:7] for e in prepared.events}
    assert len(shown_bins) >= len(prepared.density) - 12  # bars may start a month early
    assert all(len(e["evidence"]) <= MENTIONS_PER_EVENT for e in prepared.events)


def test_the_density_strip_uses_weeks_for_short_periods_and_months_for_long_ones() -> None:
    short = prepare([{"earliest": "2019-04-0" + str(d), "latest": "2019-04-0" + str(d)}
                     for d in range(1, 9)])
    assert short.bin == "week" and sum(r["events"] for r in short.density) == 8
    assert prepare(seed_events()).bin == "month"


def test_overlapping_events_get_separate_lanes() -> None:
    same_day = [{"event_id": str(i), "earliest": "2016-08-07", "latest": "2016-08-07"}
                for i in range(3)]
    lanes = sorted(e["lane"] for e in prepare(same_day).events)
    assert lanes == [0, 1, 2]


# --- the chart -------------------------------------------------------------------------


def test_chart_returns_an_altair_chart_with_one_row_per_event() -> None:
    result = timeline.chart(seed_events())
    assert isinstance(result, alt.VConcatChart)
    spec = result.to_dict()
    assert len(spec["datasets"]["events"]) == 25
    names = {p["name"] for p in spec["params"]}
    assert {"brush", "zoom", "pick", "color_by"} <= names
    # Each selection belongs to one view, or Vega-Lite defines its signals twice.
    assert all(len(p.get("views", [None])) == 1 for p in spec["params"] if "select" in p)


def test_chart_colour_can_start_by_language() -> None:
    spec = chart(seed_events(), color_by="language").to_dict()
    assert next(p for p in spec["params"] if p["name"] == "color_by")["value"] == "language"
    with pytest.raises(ValueError, match="color_by"):
        chart(seed_events(), color_by="weather")  # type: ignore[arg-type]


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
    rows = page_json(path, "timeline-data")["events"]
    assert len(rows) == 25 and all("evidence" in r for r in rows)


def test_embedded_json_cannot_close_its_script_block(tmp_path: Path) -> None:
    path = write_html(HOSTILE, tmp_path / "hostile.html")
    text = path.read_text(encoding="utf-8")
    for block in ("timeline-spec", "timeline-data"):
        body = text.split(f'id="{block}">')[1].split("</script>")[0]
        assert "<" not in body and ">" not in body, block
    summaries = {r["summary"] for r in page_json(path, "timeline-data")["events"]}
    assert "Summary </script><script>window.__pwned = (window.__pwned || 0) + 1</script>" in (
        summaries)


def test_script_json_escapes_markup_and_line_separators() -> None:
    text = script_json({"t": "</script>&\u2028"})
    assert text == '{"t":"\\u003c/script\\u003e\\u0026\\u2028"}'
    assert json.loads(text) == {"t": "</script>&\u2028"}


def test_an_empty_chronology_still_writes_a_page(tmp_path: Path) -> None:
    path = write_html([], tmp_path / "empty.html")
    assert "nothing to draw" in path.read_text(encoding="utf-8")


# --- command line ----------------------------------------------------------------------


def _render(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return run(parser.parse_args(argv))


def test_render_writes_the_page_and_images_into_the_directory(tmp_path: Path,
                                                              capsys: Any) -> None:
    load_chronology(SEED).write_parquet(tmp_path / "chronology.parquet")
    assert _render([str(tmp_path)]) == 0
    assert (tmp_path / "timeline.html").is_file()
    assert _render([str(tmp_path), "--format", "svg", "--color-by", "language"]) == 0
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
    assert main(["render", str(tmp_path), "--color-by", "language"]) == 0
    signals = page_json(tmp_path / "timeline.html", "timeline-spec")["signals"]
    assert {"name": "color_by", "value": "language"} in signals


def test_detail_limit_matches_altairs_hint() -> None:
    assert DETAIL_LIMIT == 5_000
