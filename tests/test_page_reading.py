"""The page as a reader meets it, in headless Chromium (Debian's, driven by Playwright):
labels that never overprint, years on every axis label, the list in view on a phone,
places found by every spelling, lanes by place, a large page whose data lives next to
it, and a title of a megabyte. Nothing asserts on wall-clock time.

The places come from a gazetteer of the tests' own (fixtures/gazetteer/riverland.toml:
a made-up town written three ways) and a small corpus naming it in English, French
and Spanish (riverland.jsonl). Its events, read from the texts by hand: the town on
2016-01-20 (es, "Qal'at Zarqâ"), 2016-02-12 (fr, "Kalaat Zarka") and 2016-03-07 (en,
"Qalaat Zarqa"); the Lower Valley on 2016-01-18, 2016-02-10 and 2016-03-02; talks in
an unnamed capital on 2016-04-01.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from test_charts_browser import (
    GROUP_BOX,
    SEED,
    WAIT_MS,
    Opened,
    browser,  # noqa: F401  (the module's browser fixture, shared)
    brush,
    event_marks,
    ms,
    set_domain,
    table_ids,
    wait_rows,
)

import timeline
from timeline.charts import write_html
from timeline.charts.page import write_page
from timeline.testing import synthetic_chronology

ROOT = Path(__file__).resolve().parent.parent
GAZETTEER = ROOT / "fixtures" / "gazetteer" / "riverland.toml"
CORPUS = ROOT / "fixtures" / "gazetteer" / "riverland.jsonl"
TOWN_DAYS = ["2016-01-20", "2016-02-12", "2016-03-07"]
VALLEY_DAYS = ["2016-01-18", "2016-02-10", "2016-03-02"]

# Bounds of the drawn items of the marks whose name starts with a prefix, and whether
# each is shown (Vega hides an axis label it drops by giving it opacity 0).
ITEM_BOXES = """(prefix) => {
  const boxes = [];
  (function walk(node, dx, dy) {
    if (node.marktype && node.name && node.name.startsWith(prefix))
      for (const item of node.items) boxes.push({x1: item.bounds.x1 + dx, x2: item.bounds.x2 + dx,
        y1: item.bounds.y1 + dy, y2: item.bounds.y2 + dy, text: item.text || null,
        shown: item.opacity !== 0});
    for (const item of node.items || []) for (const child of item.items || [])
      walk(child, dx + (item.x || 0), dy + (item.y || 0));
  })(window.timelineView.scenegraph().root, 0, 0);
  return boxes;
}"""

# The labels of every time axis: text, bounds, shown.
AXIS_LABELS = """() => {
  const found = [];
  (function walk(node, dx, dy) {
    if (node.role === 'axis-label')
      for (const item of node.items) found.push({text: item.text, shown: item.opacity !== 0,
        x1: item.bounds.x1 + dx, x2: item.bounds.x2 + dx, y1: item.bounds.y1 + dy,
        y2: item.bounds.y2 + dy});
    for (const item of node.items || []) for (const child of item.items || [])
      walk(child, dx + (item.x || 0), dy + (item.y || 0));
  })(window.timelineView.scenegraph().root, 0, 0);
  return found;
}"""


COUNT = re.compile(r"\d{1,3}(,\d{3})*")  # a label of the overview's count axis


def dates_shown(axis: list[dict[str, Any]]) -> list[str]:
    """The shown labels of the time axes (not the overview's count axis)."""
    return [a["text"] for a in axis if a["shown"] and a["text"] and not COUNT.fullmatch(a["text"])]


def overlaps(boxes: list[dict[str, Any]]) -> list[tuple[Any, Any]]:
    shown = [b for b in boxes if b["shown"] and b["x2"] > b["x1"]]
    return [(a, b) for i, a in enumerate(shown) for b in shown[i + 1:]
            if a["x1"] < b["x2"] and b["x1"] < a["x2"] and a["y1"] < b["y2"] and b["y1"] < a["y2"]]


def search(page: Any, text: str) -> None:
    """Type a search and wait until the page shows its results (the page folds case and
    accents as here)."""
    folded = "".join(c for c in unicodedata.normalize("NFD", text)
                     if not unicodedata.combining(c)).lower()
    page.fill("#search", text)
    page.wait_for_function("(q) => document.body.dataset.query === q",
                           arg=" ".join(folded.split()), timeout=WAIT_MS)


def settle(page: Any, before: str | None) -> None:
    page.wait_for_function("(b) => document.body.dataset.settled !== b", arg=before,
                           timeout=WAIT_MS)


@pytest.fixture(scope="module")
def riverland(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("riverland")
    result = timeline.build([CORPUS], out, gazetteers=[GAZETTEER], workers=1)
    assert result.n_events == 7
    return out


@pytest.fixture(scope="module")
def dense(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # 3,000 events over a few years: headlines compete for room at every zoom.
    return write_html(synthetic_chronology(3_000), tmp_path_factory.mktemp("dense") / "d.html")


@pytest.fixture()
def opened(browser: Any, request: pytest.FixtureRequest) -> Iterator[list[Opened]]:  # noqa: F811
    pages: list[Opened] = []
    yield pages
    for page in pages:
        page.close()


def test_the_chronology_names_the_places_of_the_gazetteer_given(riverland: Path) -> None:
    frame = pl.read_parquet(riverland / "chronology.parquet")
    places = {str(day): p for day, p in frame.select("earliest", "places").iter_rows()}
    assert {day for day, p in places.items() if p == ["zarqa-fort"]} == set(TOWN_DAYS)
    assert {day for day, p in places.items() if p == ["lower-valley"]} == set(VALLEY_DAYS)
    assert places["2016-04-01"] == []
    csv = (riverland / "chronology.csv").read_text(encoding="utf-8")
    assert csv.splitlines()[0].endswith(",places,actors,headline,rank")
    assert csv.count(",zarqa-fort,") == 3


def test_search_finds_a_place_by_every_spelling_whatever_the_case_and_accents(
        browser: Any, riverland: Path, opened: list[Opened]) -> None:  # noqa: F811
    page_path = write_html(riverland, riverland / "river.html", gazetteers=[GAZETTEER])
    opened.append(Opened(browser, page_path))
    page = opened[0].page
    frame = pl.read_parquet(riverland / "chronology.parquet")
    town = sorted(frame.filter(pl.col("earliest").cast(pl.String).is_in(TOWN_DAYS))
                  ["event_id"].to_list())
    # Each text writes the town one way; every spelling finds all three.
    for query in ("Kalaat Zarka", "qalaat zarqa", "QAL'AT ZARQA", "qal'at zarqâ"):
        search(page, query)
        wait_rows(page, 3)
        assert sorted(table_ids(page)) == town, query
        assert sorted(event_marks(page)) == town, query
    search(page, "valle bajo")  # the region's Spanish name finds its English and French events
    wait_rows(page, 3)
    dates = page.eval_on_selector_all("#events-body td.c-date", "ts => ts.map(t => t.textContent)")
    assert dates == VALLEY_DAYS
    search(page, "guardia del rio")  # an actor, accent-free
    wait_rows(page, 2)
    dates = page.eval_on_selector_all("#events-body td.c-date", "ts => ts.map(t => t.textContent)")
    assert dates == ["2016-02-10", "2016-03-07"]


def test_lanes_by_place_show_the_gazetteer_names(browser: Any, riverland: Path,  # noqa: F811
                                                 opened: list[Opened]) -> None:
    page_path = write_html(riverland, riverland / "lanes.html", lanes="place",
                           gazetteers=[GAZETTEER])
    opened.append(Opened(browser, page_path))
    page = opened[0].page
    options = page.eval_on_selector_all("#lanes option", "os => os.map(o => o.value)")
    assert "place" in options and page.input_value("#lanes") == "place"
    lanes = page.evaluate("() => window.timelineView.data('lanes').map(d => d.name)")
    assert lanes[1:] == ["Lower Valley", "Qalaat Zarqa", "no place named"]
    rows = page.evaluate("() => window.timelineView.data('lanes')")
    band = {r["name"]: (r["y0"], r["y1"]) for r in rows}
    marks = page.evaluate("() => window.timelineView.data('events').map(d => [d.date, d.y])")
    for day, y in marks:
        lane = ("Qalaat Zarqa" if day in TOWN_DAYS else
                "Lower Valley" if day in VALLEY_DAYS else "no place named")
        assert band[lane][0] < y < band[lane][1], (day, lane)
    page.select_option("#lanes", "actor")
    page.wait_for_function("() => window.timelineView.data('lanes')[1].name === 'River Guard'",
                           timeout=WAIT_MS)


def test_no_headline_overprints_another_after_brushing(browser: Any, dense: Path,  # noqa: F811
                                                       opened: list[Opened]) -> None:
    opened.append(Opened(browser, dense))
    page = opened[0].page
    assert overlaps(page.evaluate(ITEM_BOXES, "labels_text")) == []
    box = page.evaluate(GROUP_BOX, "overview_group")
    for start, end in ((0.55, 0.75), (0.6, 0.62), (0.1, 0.9)):
        before = page.evaluate("document.body.dataset.settled")
        brush(page, box, start, end, steps=3)
        settle(page, before)
        labels = page.evaluate(ITEM_BOXES, "labels_text")
        assert len([b for b in labels if b["shown"]]) >= 3, (start, end)
        assert overlaps(labels) == [], (start, end)
        axis = page.evaluate(AXIS_LABELS)
        assert overlaps(axis) == [], (start, end)
        # Outside the brushed overview, the overview's own axis; every label has its year.
        assert all(re.search(r"\b\d{4}\b", text) for text in dates_shown(axis)), axis


def test_every_axis_label_carries_its_year_at_every_zoom(browser: Any, tmp_path: Path,  # noqa: F811
                                                         opened: list[Opened]) -> None:
    opened.append(Opened(browser, write_html(SEED, tmp_path / "seed.html")))
    page = opened[0].page
    for lo, hi in (("2019-03-25", "2019-04-20"), ("2019-01-01", "2019-12-31"),
                   ("2018-11-01", "2019-05-01"), ("2019-04-07", "2019-04-10")):
        before = page.evaluate("document.body.dataset.settled")
        set_domain(page, ms(lo), ms(hi))
        settle(page, before)
        axis = page.evaluate(AXIS_LABELS)
        shown = dates_shown(axis)
        assert len(shown) >= 6, (lo, hi, shown)  # the overview's and the detail's
        for text in shown:
            assert re.search(r"\b(19|20)\d\d\b", text), (lo, hi, text)
        assert overlaps(axis) == [], (lo, hi)


def test_on_a_phone_the_list_starts_in_the_first_screen_with_compact_cards(
        browser: Any, tmp_path: Path, opened: list[Opened]) -> None:  # noqa: F811
    opened.append(Opened(browser, write_html(SEED, tmp_path / "phone.html"), width=390,
                         height=844, is_mobile=True, has_touch=True))
    page = opened[0].page
    layout = page.evaluate("""() => {
      const rows = [...document.querySelectorAll('#events-body tr')].slice(0, 3)
        .map(r => r.getBoundingClientRect());
      return {first: rows[0].top, bottom: rows[0].bottom, heights: rows.map(r => r.height),
              screen: window.innerHeight, scroll: document.documentElement.scrollWidth};
    }""")
    assert layout["bottom"] <= layout["screen"], layout  # the first card, whole, in view
    assert max(layout["heights"]) < 0.25 * layout["screen"], layout  # compact
    assert layout["scroll"] <= 390, layout


def test_a_large_page_keeps_its_data_next_to_it_and_reads_it_when_needed(
        browser: Any, tmp_path: Path, opened: list[Opened]) -> None:  # noqa: F811
    frame = synthetic_chronology(2_500)
    frame.write_parquet(tmp_path / "chronology.parquet")
    path = write_page(tmp_path / "chronology.parquet", tmp_path / "timeline.html",
                      inline_bytes=0)
    folder = tmp_path / "timeline-data"
    files = sorted(p.name for p in folder.iterdir())
    # the first chunk (list and key events) is inside the page; the rest is next to it
    assert "drawn-000000.js" not in files and "drawn-000001.js" in files
    assert "drawn-mentions-000000.js" in files
    text = path.read_text(encoding="utf-8")
    assert 'id="timeline-drawn-0"' in text and 'id="timeline-drawn-1"' not in text
    opened.append(Opened(browser, path))
    page = opened[0].page
    # a period in a later chunk: its events are read from the files and drawn
    lo, hi = ms("2019-06-01"), ms("2019-06-20")
    before = page.evaluate("document.body.dataset.settled")
    set_domain(page, lo, hi)
    settle(page, before)
    expected = [e for e, a, b in frame.select("event_id", "earliest", "latest").iter_rows()
                if ms(str(a)) < hi and ms(str(b)) + 86_400_000 > lo]
    wait_rows(page, len(expected))
    assert sorted(event_marks(page)) == sorted(expected)
    # an event's mentions come from its file when it is opened
    page.click("#events-body button.open")
    page.wait_for_selector("#detail:not([hidden]) li.mention", timeout=WAIT_MS)
    requested = {u.rsplit("/", 1)[1] for u in opened[0].requests if "timeline-data/" in u}
    assert any(name.startswith("drawn-mentions-") for name in requested)
    # a search reads every chunk of the index, and finds in all of them
    page.click("button[data-range=all]")
    search(page, "a")
    requested = {u.rsplit("/", 1)[1] for u in opened[0].requests if "timeline-data/" in u}
    assert {f"drawn-{k:06d}.js" for k in (1, 2)} <= requested
    assert int(page.evaluate("document.body.dataset.matching")) > 0


def test_the_page_uses_the_chronology_headline_and_rank_when_it_has_them(
        browser: Any, tmp_path: Path, opened: list[Opened]) -> None:  # noqa: F811
    base = {"latest": None, "sources": ["A"], "n_sources": 1, "n_mentions": 1}
    records = [
        {**base, "event_id": "minor", "earliest": "2019-04-01", "rank": 3,
         "summary": "Many outlets told it, yet it ranks third.", "headline": "Third by rank",
         "sources": ["A", "B", "C"], "n_sources": 3, "n_mentions": 9},
        {**base, "event_id": "major", "earliest": "2019-04-15", "rank": 1,
         "summary": "One outlet told it, and it ranks first.", "headline": "First by rank"},
        {**base, "event_id": "middle", "earliest": "2019-04-29", "rank": 2,
         "summary": "Told once, ranked second.", "headline": "Second by rank"},
    ]
    for record in records:
        record["latest"] = record["earliest"]
    opened.append(Opened(browser, write_html(records, tmp_path / "ranked.html")))
    page = opened[0].page
    labels = page.evaluate("() => window.timelineView.data('labels').map(d => d.headline)")
    # best ranked first (the last day, at the plot's right edge, may have no room left)
    order = ["First by rank", "Second by rank", "Third by rank"]
    assert labels[0] == "First by rank" and len(labels) >= 2
    assert labels == [h for h in order if h in labels]
    assert page.eval_on_selector_all("#events-body button.open",
                                     "bs => bs.map(b => b.textContent)") == [
        "Third by rank", "First by rank", "Second by rank"]
    page.select_option("#sort", "evidence")
    page.wait_for_function("() => document.querySelector('#events-body tr').dataset.eventId "
                           "=== 'major'", timeout=WAIT_MS)
    page.click("#events-body button.open")
    page.wait_for_selector("#detail:not([hidden])", timeout=WAIT_MS)
    assert page.inner_text("#detail-title") == "First by rank"
    assert "One outlet told it" in page.inner_text("#detail .summary")


def test_a_title_of_a_megabyte_opens_at_once_cut_short(browser: Any, tmp_path: Path,  # noqa: F811
                                                       opened: list[Opened]) -> None:
    title = "x" * 1_000_000
    records = [{"event_id": "big", "earliest": "2019-04-01", "latest": "2019-04-01",
                "summary": "An article with an enormous title.", "sources": ["S" * 500_000],
                "mentions": [{"text": "An article with an enormous title.", "source": "Outlet",
                              "url": "https://example.org/a", "title": title}]}]
    path = write_html(records, tmp_path / "title.html")
    page_bytes = len(path.read_text(encoding="utf-8"))
    assert page_bytes < 1_200_000, page_bytes  # neither is shipped whole
    opened.append(Opened(browser, path))
    page = opened[0].page
    page.click("#events-body button.open")
    page.wait_for_selector("#detail:not([hidden]) a", timeout=WAIT_MS)
    link = page.inner_text("#detail a")
    assert link.startswith("Read the article: xxx") and len(link) < 400
    assert len(page.inner_text("#detail")) < 5_000
