"""The timeline page in headless Chromium: it draws, links, stays offline and runs no data.

Chromium is Debian's ``chromium`` (``make browser`` installs it), driven by
Playwright through ``executable_path``; no browser is ever downloaded. One browser
serves the whole module; pages are written once per module. Waits are generous
and nothing asserts on wall-clock time, so a loaded CI machine only makes it slower.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from timeline.charts import write_html
from timeline.charts.data import DETAIL_LIMIT, load_chronology
from timeline.charts.screenshot import CHROMIUM_ARGS, ChromiumNotFound, find_chromium, screenshot

sync_api = pytest.importorskip("playwright.sync_api", reason="pip install -e '.[dev]'")

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "charts"
SEED = FIXTURES / "seed_chronology.jsonl"
HOSTILE = FIXTURES / "hostile_chronology.jsonl"
WAIT_MS = 60_000

# Items drawn per named mark, read from Vega's scenegraph (renderer independent).
MARK_COUNTS = """() => {
  const counts = {};
  (function walk(node) {
    if (node.marktype && node.name) counts[node.name] = (counts[node.name] || 0) + node.items.length;
    for (const item of node.items || []) for (const child of item.items || []) walk(child);
  })(window.timelineView.scenegraph().root);
  return counts;
}"""

# Page coordinates of the centre of the first item of a mark matching a test.
ITEM_CENTRE = """([markPrefix, field, value]) => {
  const view = window.timelineView;
  const canvas = document.querySelector('#timeline-chart canvas').getBoundingClientRect();
  // The root group sits at origin() plus the view padding, in canvas pixels.
  const origin = [view.origin()[0] + view.padding().left, view.origin()[1] + view.padding().top];
  let found = null;
  (function walk(node) {
    if (found) return;
    if (node.marktype && node.name && node.name.startsWith(markPrefix)) {
      for (const item of node.items) {
        if (field === null || (item.datum && String(item.datum[field]) === value)) { found = item; return; }
      }
    }
    for (const item of node.items || []) for (const child of item.items || []) walk(child);
  })(view.scenegraph().root);
  if (!found) return null;
  let x = (found.bounds.x1 + found.bounds.x2) / 2, y = (found.bounds.y1 + found.bounds.y2) / 2;
  for (let group = found.mark.group; group; group = group.mark && group.mark.group) {
    x += group.x || 0; y += group.y || 0;
  }
  return [canvas.left + origin[0] + x + window.scrollX, canvas.top + origin[1] + y + window.scrollY];
}"""

# A view's plotting area (overview_group, concat_1_group) in page coordinates.
GROUP_BOX = """(name) => {
  const view = window.timelineView;
  const canvas = document.querySelector('#timeline-chart canvas').getBoundingClientRect();
  // The root group sits at origin() plus the view padding, in canvas pixels.
  const origin = [view.origin()[0] + view.padding().left, view.origin()[1] + view.padding().top];
  let group = null;
  (function walk(node) {
    if (group) return;
    if (node.name === name) { group = node.items[0]; return; }
    for (const item of node.items || []) for (const child of item.items || []) walk(child);
  })(view.scenegraph().root);
  return {left: canvas.left + origin[0] + group.x, top: canvas.top + origin[1] + group.y,
          width: group.width, height: group.height};
}"""


def detail_domain(page: Any) -> list[float]:
    return page.evaluate("""() => {
      const name = JSON.parse(document.getElementById('timeline-data').textContent).detail_scale;
      return window.timelineView.scale(name).domain().map(Number);
    }""")


def event_marks(counts: dict[str, int]) -> int:
    return sum(n for name, n in counts.items() if name.startswith(("events_points", "events_bars")))


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        executable = find_chromium()
    except ChromiumNotFound as exc:  # CI installs it (make browser); say so plainly
        pytest.fail(str(exc))
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from test_charts import synthetic_chronology  # one generator for both test files

    out = tmp_path_factory.mktemp("pages")
    return {
        "seed": write_html(SEED, out / "seed.html"),
        "hostile": write_html(HOSTILE, out / "hostile.html"),
        "large": write_html(synthetic_chronology(50_000), out / "large.html"),
    }


class Opened:
    """A page opened offline, with everything it logged and requested."""

    def __init__(self, browser: Any, path: Path) -> None:
        self.context = browser.new_context(offline=True, viewport={"width": 1300, "height": 950})
        self.requests: list[str] = []
        self.problems: list[str] = []
        self.dialogs: list[str] = []
        self.page = self.context.new_page()
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", lambda message: message.type in ("error", "warning")
                     and self.problems.append(f"{message.type}: {message.text}"))
        self.page.on("pageerror", lambda error: self.problems.append(f"pageerror: {error}"))
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message),
                                               dialog.dismiss()))
        self.url = path.resolve().as_uri()
        self.page.goto(self.url)
        self.page.wait_for_function("document.body.dataset.ready", timeout=WAIT_MS)
        state = self.page.evaluate("document.body.dataset.ready")
        assert state == "1", self.page.inner_text("#timeline-status")

    def foreign_requests(self) -> list[str]:
        return [url for url in self.requests if url != self.url]


@pytest.fixture(scope="module")
def seed_page(browser: Any, pages: dict[str, Path]) -> Iterator[Opened]:
    opened = Opened(browser, pages["seed"])
    yield opened
    opened.context.close()


def test_seed_page_renders_without_console_errors_or_requests(seed_page: Opened) -> None:
    assert seed_page.problems == []
    assert seed_page.foreign_requests() == [], "the page must not load anything"


def test_seed_page_draws_one_mark_per_event_points_for_days_bars_for_intervals(
        seed_page: Opened) -> None:
    events = load_chronology(SEED).to_dicts()
    days = sum(1 for e in events if e["earliest"] == e["latest"])
    counts = seed_page.page.evaluate(MARK_COUNTS)
    points = sum(n for name, n in counts.items() if name.startswith("events_points"))
    bars = sum(n for name, n in counts.items() if name.startswith("events_bars"))
    assert (points, bars) == (days, len(events) - days), counts
    assert seed_page.page.evaluate("document.body.dataset.tableRows") == str(len(events))


def test_brushing_the_overview_sets_the_detail_range_and_the_table(seed_page: Opened) -> None:
    page = seed_page.page
    before = detail_domain(page)
    caption_before = page.inner_text("#table-caption")
    box = page.evaluate(GROUP_BOX, "overview_group")
    # Brush the last tenth of the period (2020): two events fall inside.
    x0, x1 = box["left"] + 0.82 * box["width"], box["left"] + 0.98 * box["width"]
    y = box["top"] + box["height"] / 2
    page.mouse.move(x0, y)
    page.mouse.down()
    page.mouse.move((x0 + x1) / 2, y, steps=4)
    page.mouse.move(x1, y, steps=4)
    page.mouse.up()
    page.wait_for_function(
        "([caption]) => document.getElementById('table-caption').textContent !== caption",
        arg=[caption_before], timeout=WAIT_MS)
    after = detail_domain(page)
    brushed = page.evaluate("""([a, b]) => {
      const v = window.timelineView;
      return [a, b].map((px) => +v.scale('overview_x').invert(px));
    }""", [x0 - box["left"], x1 - box["left"]])
    day = 86_400_000
    assert after != before
    # The detail shows exactly the brushed dates (to within a pixel's worth).
    assert abs(after[0] - brushed[0]) < 5 * day and abs(after[1] - brushed[1]) < 5 * day, (
        after, brushed)
    # The table lists exactly the events whose interval meets the brushed range.
    shown = [e for e in load_chronology(SEED).to_dicts()
             if _ms(e["earliest"]) < after[1] and _ms(e["latest"]) + day > after[0]]
    assert page.evaluate("document.body.dataset.tableRows") == str(len(shown))
    assert 0 < len(shown) < 25
    ids = page.eval_on_selector_all("#events-body tr", "rows => rows.map(r => r.dataset.eventId)")
    assert sorted(ids) == sorted(e["event_id"] for e in shown)

    # Zoom and pan still work from there: the wheel narrows the detail range.
    detail = page.evaluate(GROUP_BOX, "concat_1_group")
    centre = (detail["left"] + detail["width"] / 2, detail["top"] + detail["height"] / 2)
    page.mouse.move(*centre)
    page.mouse.wheel(0, -400)
    page.wait_for_function(
        "([lo, hi, name]) => { const d = window.timelineView.scale(name).domain();"
        " return +d[1] - +d[0] < hi - lo; }",
        arg=[after[0], after[1], page.evaluate(
            "JSON.parse(document.getElementById('timeline-data').textContent).detail_scale")],
        timeout=WAIT_MS)
    # Double-click resets the detail to the whole period.
    page.mouse.dblclick(*centre)
    page.wait_for_function(
        "([lo, name]) => +window.timelineView.scale(name).domain()[0] <= lo",
        arg=[before[0], page.evaluate(
            "JSON.parse(document.getElementById('timeline-data').textContent).detail_scale")],
        timeout=WAIT_MS)
    assert seed_page.problems == []


def test_legend_filters_sources_and_colour_switches_to_language(seed_page: Opened) -> None:
    page = seed_page.page
    events = load_chronology(SEED).to_dicts()
    label = page.evaluate(ITEM_CENTRE, ["color_key_legend_labels", None, None])
    first_source = page.evaluate("""() => window.timelineView.scale('color').domain()[0]""")
    page.mouse.click(*label)
    expected = sum(1 for e in events if _primary_source(e) == first_source)
    page.wait_for_function(
        f"() => document.body.dataset.tableRows === '{expected}'", timeout=WAIT_MS)
    assert event_marks(page.evaluate(MARK_COUNTS)) == expected

    page.check("input[value=language]")
    page.wait_for_function(
        "() => window.timelineView.signal('color_by') === 'language'", timeout=WAIT_MS)
    page.wait_for_function(
        f"() => document.body.dataset.tableRows === '{len(events)}'", timeout=WAIT_MS)
    legend = page.evaluate("() => window.timelineView.scale('color').domain()")
    assert sorted(legend) == ["en", "id"]
    assert event_marks(page.evaluate(MARK_COUNTS)) == len(events)
    assert seed_page.problems == []


def test_hostile_text_is_shown_as_text_and_runs_nothing(browser: Any,
                                                        pages: dict[str, Path]) -> None:
    source = pages["hostile"].read_text(encoding="utf-8")
    # Exactly the page's own four script elements; no data closes or opens one.
    assert len(re.findall(r"<script\b", source, re.I)) == 4
    assert len(re.findall(r"</script", source, re.I)) == 4
    spec_block = source.split('id="timeline-spec">')[1].split("</script>")[0]
    assert "\\u003cimg src=x onerror=" in spec_block and "<" not in spec_block

    opened = Opened(browser, pages["hostile"])
    page = opened.page
    try:
        hostile = load_chronology(HOSTILE).to_dicts()
        # The table shows every payload verbatim, as text.
        cells = page.eval_on_selector_all("#events-body td.summary", "tds => tds.map(t => t.textContent)")
        assert sorted(cells) == sorted(e["summary"] for e in hostile)
        evidence = page.inner_text("#events-body")
        assert "<img src=x onerror=" in evidence and "</script><script>" in evidence
        # Tooltips too: hover every event and read our tooltip element.
        for event in hostile:
            point = page.evaluate(ITEM_CENTRE, ["events_", "id", event["event_id"]])
            assert point is not None, event["event_id"]
            page.mouse.move(*point)
            page.wait_for_function(
                "([text]) => { const t = document.querySelector('.timeline-tooltip');"
                " return t && !t.hidden && t.textContent.includes(text); }",
                arg=[event["summary"]], timeout=WAIT_MS)
            tags = page.eval_on_selector_all(".timeline-tooltip *", "ns => ns.map(n => n.tagName)")
            assert set(tags) <= {"TABLE", "TBODY", "TR", "TH", "TD"}
        state = page.evaluate("""() => ({
          pwned: window.__pwned === undefined ? null : window.__pwned,
          scripts: document.scripts.length,
          images: document.querySelectorAll('img, iframe, object, embed').length,
          handlers: [...document.querySelectorAll('*')].filter(
            n => [...n.attributes].some(a => a.name.startsWith('on'))).length,
        })""")
        assert state == {"pwned": None, "scripts": 4, "images": 0, "handlers": 0}
        assert opened.dialogs == []
        assert opened.problems == []
        assert opened.foreign_requests() == []
    finally:
        opened.context.close()


def test_fifty_thousand_events_draw_a_bounded_detail_and_say_so(browser: Any,
                                                                 pages: dict[str, Path]) -> None:
    opened = Opened(browser, pages["large"])
    try:
        counts = opened.page.evaluate(MARK_COUNTS)
        assert event_marks(counts) == DETAIL_LIMIT
        note = opened.page.inner_text("#timeline-note")
        assert "50,000 events" in note and f"shows {DETAIL_LIMIT:,} of the 50,000" in note
        # The overview counts all of them.
        total = opened.page.evaluate(
            "() => window.timelineView.data('" + _density_data(pages["large"]) + "')"
            ".reduce((sum, row) => sum + row.events, 0)")
        assert total == 50_000
        assert opened.page.evaluate("document.body.dataset.tableRows") == "50"
        assert opened.problems == []
        assert opened.foreign_requests() == []
    finally:
        opened.context.close()


def test_screenshot_writes_a_png_of_the_page(pages: dict[str, Path], tmp_path: Path) -> None:
    png = screenshot(pages["seed"], tmp_path / "timeline.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 20_000  # a drawn chart, not a blank page


def test_screenshot_says_how_to_get_chromium_when_missing(pages: dict[str, Path], tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("TIMELINE_CHROMIUM", raising=False)
    with pytest.raises(ChromiumNotFound, match="make browser"):
        screenshot(pages["seed"], tmp_path / "x.png")


def _ms(day: str) -> float:
    from datetime import UTC, datetime

    return datetime.fromisoformat(day).replace(tzinfo=UTC).timestamp() * 1000


def _primary_source(event: dict[str, Any]) -> str:
    from timeline.charts.data import _primary

    return _primary(event["mentions"], "source", event["sources"])


def _density_data(path: Path) -> str:
    """The Vega dataset holding the overview counts (named by Vega-Lite)."""
    text = path.read_text(encoding="utf-8")
    spec = json.loads(text.split('id="timeline-spec">')[1].split("</script>")[0])
    for dataset in spec["data"]:
        if any(v.get("events") for v in dataset.get("values", [])[:1]):
            return dataset["name"]
    raise AssertionError("no density dataset in the page")
