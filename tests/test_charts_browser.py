"""The timeline page in headless Chromium: every interaction changes what is shown as it should.

Chromium is Debian's ``chromium`` (``make browser`` installs it), driven by
Playwright through ``executable_path``; no browser is ever downloaded. One browser
serves the whole module; pages are written once per module. Every page is opened
offline and must log no error and request nothing. Waits are generous and nothing
asserts on wall-clock time, so a loaded CI machine only makes it slower.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from timeline.charts import write_html
from timeline.charts.data import load_chronology, prepare
from timeline.charts.page import write_page
from timeline.charts.screenshot import CHROMIUM_ARGS, ChromiumNotFound, find_chromium, screenshot
from timeline.charts.stream import KEY_EVENTS
from timeline.charts.strings import STRINGS
from timeline.testing import synthetic_chronology

sync_api = pytest.importorskip("playwright.sync_api", reason="pip install -e '.[dev]'")

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "charts"
SEED = FIXTURES / "seed_chronology.jsonl"
HOSTILE = FIXTURES / "hostile_chronology.jsonl"
WAIT_MS = 60_000
DAY_MS = 86_400_000
LARGE = 4_000
#: Events a period may hold for all to be drawn, in the large page (the page's own
#: limit is larger; a smaller page makes the same point sooner).
LARGE_MARKS = 2_000

# Items drawn per named mark, read from Vega's scenegraph (renderer independent).
MARK_COUNTS = """() => {
  const counts = {};
  (function walk(node) {
    if (node.marktype && node.name) counts[node.name] = (counts[node.name] || 0) + node.items.length;
    for (const item of node.items || []) for (const child of item.items || []) walk(child);
  })(window.timelineView.scenegraph().root);
  return counts;
}"""

# Ids of the items drawn by marks whose name starts with a prefix.
MARK_IDS = """(prefix) => {
  const ids = [];
  (function walk(node) {
    if (node.marktype && node.name && node.name.startsWith(prefix))
      for (const item of node.items) if (item.datum && item.datum.id) ids.push(item.datum.id);
    for (const item of node.items || []) for (const child of item.items || []) walk(child);
  })(window.timelineView.scenegraph().root);
  return ids;
}"""

# Page coordinates of the centre of the first item of a mark matching a test.
ITEM_CENTRE = """([markPrefix, field, value]) => {
  const view = window.timelineView;
  const canvas = document.querySelector('#timeline-chart canvas').getBoundingClientRect();
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
  return [canvas.left + origin[0] + x, canvas.top + origin[1] + y];
}"""

# A view's plotting area (overview_group, detail_group) in viewport coordinates.
GROUP_BOX = """(name) => {
  const view = window.timelineView;
  const canvas = document.querySelector('#timeline-chart canvas').getBoundingClientRect();
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

NAMES = "JSON.parse(document.getElementById('timeline-data').textContent).names"


def detail_domain(page: Any) -> list[float]:
    return page.evaluate(f"() => window.timelineView.scale({NAMES}.detail_scale)"
                         ".domain().map(Number)")


def brush(page: Any, box: dict[str, float], start: float, end: float, steps: int) -> None:
    """Drag the mouse across ``box`` (a group's bounding box) from ``start`` to ``end``
    (fractions of its width), at its middle height, in two moves of ``steps`` each."""
    x0, x1 = box["left"] + start * box["width"], box["left"] + end * box["width"]
    y = box["top"] + box["height"] / 2
    page.mouse.move(x0, y)
    page.mouse.down()
    page.mouse.move((x0 + x1) / 2, y, steps=steps)
    page.mouse.move(x1, y, steps=steps)
    page.mouse.up()


def set_domain(page: Any, lo: float, hi: float) -> None:
    page.evaluate(f"([lo, hi]) => {{ window.timelineView.signal({NAMES}.zoom_signal, [lo, hi])"
                  ".runAsync(); }", [lo, hi])


def event_marks(page: Any) -> list[str]:
    return page.evaluate(MARK_IDS, "events_")


def table_ids(page: Any, body: str = "#events-body") -> list[str]:
    return page.eval_on_selector_all(f"{body} tr", "rows => rows.map(r => r.dataset.eventId)")


def ms(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp() * 1000


def overlapping(events: list[dict[str, Any]], lo: float, hi: float) -> list[str]:
    """Ids of events whose interval (inclusive days) meets [lo, hi), computed from the file."""
    return [e["event_id"] for e in events
            if ms(str(e["earliest"])) < hi and ms(str(e["latest"])) + DAY_MS > lo]


def search(page: Any, text: str) -> None:
    page.fill("#search", text)
    page.wait_for_function("(q) => document.body.dataset.query === q",
                           arg=" ".join(text.lower().split()), timeout=WAIT_MS)


def wait_rows(page: Any, count: int) -> None:
    page.wait_for_function("(n) => document.body.dataset.matching === String(n)", arg=count,
                           timeout=WAIT_MS)


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


RICH = [
    {"event_id": "aleppo-siege", "earliest": "2016-07-17", "latest": "2016-07-17",
     "summary": "Pasukan pemerintah mengepung kota.", "places": ["Aleppo"],
     "actors": ["Tentara"], "sources": ["Kabar Utara", "Kabar Selatan"], "n_sources": 2,
     "n_mentions": 2, "mentions": [
         {"text": "Pasukan pemerintah mengepung kota pada Minggu.", "source": "Kabar Utara",
          "published": "2016-07-18", "timex": "Minggu", "lang": "id",
          "url": "https://warta-a.example/kepung", "title": "Kota dikepung"},
         {"text": "Government forces encircled the city on Sunday.", "source": "Kabar Selatan",
          "published": "2016-07-18", "timex": "Sunday", "lang": "en"}]},
    {"event_id": "idlib-truce", "earliest": "2016-09-01", "latest": "2016-09-30",
     "value": "2016-09", "granularity": "month", "summary": "Gencatan senjata diumumkan.",
     "places": ["Idlib"], "actors": ["Rusia"], "sources": ["Kabar Utara"]},
    {"event_id": "ankara-talks", "earliest": "2016-12-20", "latest": "2016-12-20",
     "summary": "Perundingan di ibu kota.", "places": ["Ankara"], "actors": ["Turki"],
     "sources": ["Harian Timur"]},
    {"event_id": "ancient-city", "earliest": "516-01-01", "latest": "516-12-31",
     "value": "0516", "granularity": "year", "summary": "Kota itu didirikan 1500 tahun lalu.",
     "places": ["Aleppo"], "sources": ["Harian Timur"]},
    {"event_id": "no-date", "earliest": None, "latest": None, "value": "XXXX-10-21",
     "summary": "Sebuah pertemuan tanpa tahun.", "sources": ["Kabar Selatan"]},
]


class _Pages(dict):  # type: ignore[type-arg]
    """The module's pages, each written the first time a test asks for it."""

    def __init__(self, out: Path) -> None:
        super().__init__()
        self.makers = {
            "seed": lambda: write_html(SEED, out / "seed.html"),
            "seed_id": lambda: write_html(SEED, out / "seed-id.html", page_lang="id"),
            "hostile": lambda: write_html(HOSTILE, out / "hostile.html"),
            "rich": lambda: write_html(RICH, out / "rich.html"),
            "large": lambda: write_page(synthetic_chronology(LARGE), out / "large.html",
                                        inline_bytes=1_000_000, marks_limit=LARGE_MARKS),
        }

    def __missing__(self, name: str) -> Path:
        self[name] = path = self.makers[name]()
        return path


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return _Pages(tmp_path_factory.mktemp("pages"))


class Opened:
    """A page opened offline, with everything it logged and requested."""

    def __init__(self, browser: Any, path: Path, *, width: int = 1300, height: int = 950,
                 **context: Any) -> None:
        self.context = browser.new_context(offline=True, accept_downloads=True,
                                           viewport={"width": width, "height": height},
                                           **context)
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
        # A download is a blob: URL the page made itself, and a large page reads the chunk
        # files of its own data folder; anything else is the network.
        folder = self.url.rsplit(".", 1)[0] + "-data/"
        return [url for url in self.requests if url != self.url and not url.startswith(
            ("blob:", folder))]

    def close(self) -> None:
        try:
            assert self.problems == []
            assert self.foreign_requests() == [], "the page must not load anything"
            assert self.dialogs == []
        finally:
            self.context.close()


@pytest.fixture()
def seed_page(browser: Any, pages: dict[str, Path]) -> Iterator[Opened]:
    opened = Opened(browser, pages["seed"])
    yield opened
    opened.close()


def seed_records() -> list[dict[str, Any]]:
    return load_chronology(SEED).to_dicts()


# --- drawing ---------------------------------------------------------------------------


def test_seed_page_draws_every_event_as_a_point_or_a_bar_and_labels_key_events(
        seed_page: Opened) -> None:
    page = seed_page.page
    events = seed_records()
    days = sum(1 for e in events if e["earliest"] == e["latest"])
    counts = page.evaluate(MARK_COUNTS)
    assert (counts["events_points_1_marks"], counts["events_bars_1_marks"]) == (
        days, len(events) - days), counts
    assert sorted(event_marks(page)) == sorted(e["event_id"] for e in events)
    assert page.evaluate("document.body.dataset.tableRows") == str(len(events))
    # The best-attested event (the only one with two outlets) carries the first headline.
    best = max(events, key=lambda e: (len(e["sources"]), e["n_mentions"]))
    assert len(best["sources"]) == 2
    labels = page.evaluate("() => window.timelineView.data('labels')"
                           ".map(d => [d.id, d.headline, d.row])")
    assert labels and labels[0][0] == best["event_id"]
    assert best["summary"].startswith(labels[0][1].rstrip("…"))
    lanes = page.evaluate("() => window.timelineView.data('lanes').map(d => d.name)")
    assert lanes[0] == STRINGS["en"]["key_events"]
    assert sorted(lanes[1:]) == sorted({s for e in events for s in e["sources"]} - {"Reuters",
                                                                                     "Republika"})


def test_brushing_the_overview_sets_the_detail_range_and_the_list(seed_page: Opened) -> None:
    page = seed_page.page
    before = detail_domain(page)
    box = page.evaluate(GROUP_BOX, "overview_group")
    brush(page, box, 0.82, 0.98, steps=4)  # the last tenth of the period (2020)
    page.wait_for_function("document.body.dataset.matching !== '25'", timeout=WAIT_MS)
    after = detail_domain(page)
    brushed = page.evaluate("""([a, b]) => [a, b].map(
        (px) => +window.timelineView.scale('overview_x').invert(px))""",
                            [0.82 * box["width"], 0.98 * box["width"]])
    assert after != before
    assert abs(after[0] - brushed[0]) < 5 * DAY_MS and abs(after[1] - brushed[1]) < 5 * DAY_MS
    shown = overlapping(seed_records(), *after)
    assert 0 < len(shown) < 25
    wait_rows(page, len(shown))
    assert sorted(table_ids(page)) == sorted(shown)

    # Zoom and pan still work from there: the wheel narrows the detail range.
    detail = page.evaluate(GROUP_BOX, "detail_group")
    centre = (detail["left"] + detail["width"] / 2, detail["top"] + detail["height"] - 10)
    page.mouse.move(*centre)
    page.mouse.wheel(0, -400)
    page.wait_for_function(
        f"([lo, hi]) => {{ const d = window.timelineView.scale({NAMES}.detail_scale).domain();"
        " return +d[1] - +d[0] < hi - lo; }", arg=after, timeout=WAIT_MS)
    # The range buttons reach the whole period again.
    page.click("button[data-range=all]")
    wait_rows(page, 25)
    assert detail_domain(page)[0] <= before[0] + 1


def test_search_filters_marks_and_list_by_text_source_place_or_actor(browser: Any,
                                                                      pages: dict[str, Path]
                                                                      ) -> None:
    opened = Opened(browser, pages["rich"])
    page = opened.page
    try:
        for query, expected in [
            ("aleppo", ["aleppo-siege"]),          # a place (and the far event, apart)
            ("rusia", ["idlib-truce"]),            # an actor
            ("utara", ["aleppo-siege", "idlib-truce"]),  # a source
            ("gencatan", ["idlib-truce"]),         # the text
            ("ibu kota ankara", ["ankara-talks"]),  # every word must match
        ]:
            search(page, query)
            wait_rows(page, len(expected))
            assert sorted(table_ids(page)) == expected, query
            assert sorted(event_marks(page)) == expected, query
        search(page, "aleppo")
        wait_rows(page, 1)
        # The event of the year 516 is found too, in the list of events off the axis.
        assert table_ids(page, "#apart-body") == ["ancient-city"]
        search(page, "")
        wait_rows(page, 3)
        assert sorted(table_ids(page, "#apart-body")) == ["ancient-city", "no-date"]
    finally:
        opened.close()


def test_a_click_on_a_mark_opens_the_event_with_every_mention_and_its_link(
        browser: Any, pages: dict[str, Path]) -> None:
    opened = Opened(browser, pages["rich"])
    page = opened.page
    try:
        point = page.evaluate(ITEM_CENTRE, ["events_points", "id", "aleppo-siege"])
        page.mouse.click(*point)
        page.wait_for_selector("#detail:not([hidden])", timeout=WAIT_MS)
        panel = page.inner_text("#detail")
        assert page.inner_text("#detail-title") == "Pasukan pemerintah mengepung kota."
        assert "2016-07-17" in panel and "day" in panel
        quotes = page.eval_on_selector_all("#detail li.mention q", "qs => qs.map(q => q.textContent)")
        assert quotes == ["Pasukan pemerintah mengepung kota pada Minggu.",
                          "Government forces encircled the city on Sunday."]
        assert "Kabar Utara" in panel and "2016-07-18" in panel and "Aleppo" in panel
        links = page.eval_on_selector_all(
            "#detail a", "as => as.map(a => [a.href, a.rel, a.textContent])")
        assert links == [["https://warta-a.example/kepung", "noopener noreferrer",
                          "Read the article: Kota dikepung"]]
        page.click("#detail-close")
        page.wait_for_selector("#detail", state="hidden", timeout=WAIT_MS)
    finally:
        opened.close()


def test_the_keyboard_reaches_the_controls_and_enter_opens_an_event(seed_page: Opened) -> None:
    page = seed_page.page
    page.focus("#search")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "lanes"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.precision") == "day"
    assert page.get_attribute("#timeline-chart", "aria-label")
    first = seed_records()[0]
    page.focus("#events-body button.open")
    page.keyboard.press("Enter")
    page.wait_for_selector("#detail:not([hidden])", timeout=WAIT_MS)
    assert page.evaluate("document.activeElement.id") == "detail-close"
    assert page.get_attribute("#detail", "data-event-id") == first["event_id"]
    page.keyboard.press("Escape")
    page.wait_for_selector("#detail", state="hidden", timeout=WAIT_MS)
    assert page.evaluate("document.activeElement.classList.contains('open')")


def test_the_precision_legend_hides_and_shows_a_precision(seed_page: Opened) -> None:
    page = seed_page.page
    events = prepare(SEED).events
    not_days = sorted(e["id"] for e in events if e["precision"] != "day")
    page.click("button.precision[data-precision=day]")
    wait_rows(page, len(not_days))
    assert sorted(table_ids(page)) == not_days
    assert sorted(event_marks(page)) == not_days
    assert page.get_attribute("button.precision[data-precision=day]", "aria-pressed") == "false"
    page.click("button.precision[data-precision=day]")
    wait_rows(page, 25)


def test_lanes_switch_to_language(seed_page: Opened) -> None:
    page = seed_page.page
    page.select_option("#lanes", "language")
    page.wait_for_function(
        "() => window.timelineView.data('lanes').length === 3", timeout=WAIT_MS)
    names = page.evaluate("() => window.timelineView.data('lanes').map(d => d.name)")
    assert names[1:] == ["id", "en"]
    assert len(event_marks(page)) == 25


def test_every_event_of_a_large_chronology_is_reachable_page_by_page(
        browser: Any, pages: dict[str, Path]) -> None:
    opened = Opened(browser, pages["large"])
    page = opened.page
    try:
        assert page.evaluate("document.body.dataset.matching") == str(LARGE)
        # Too many to draw at once: the key events are drawn, and the page says so.
        assert len(event_marks(page)) == KEY_EVENTS < LARGE_MARKS < LARGE
        assert "zoom in" in page.inner_text("#dense-note")
        page.click("#page-next")
        page.wait_for_function("document.getElementById('table-caption').textContent"
                               ".includes('51–100')", timeout=WAIT_MS)
        assert len(table_ids(page)) == 50
        # A short period in the busiest years: its events, and only those, page by page.
        lo, hi = ms("2018-03-01"), ms("2018-04-15")
        set_domain(page, lo, hi)
        frame = synthetic_chronology(LARGE)
        expected = overlapping(frame.select("event_id", "earliest", "latest").to_dicts(),
                               lo, hi)
        assert 100 < len(expected) < 600
        wait_rows(page, len(expected))
        # Few enough to draw: every one of them is drawn, read from its chunks.
        assert sorted(event_marks(page)) == sorted(expected)
        assert page.inner_text("#dense-note") == ""
        seen: list[str] = []
        while True:
            seen.extend(table_ids(page))
            if page.is_disabled("#page-next"):
                break
            caption = page.inner_text("#table-caption")
            page.click("#page-next")
            page.wait_for_function("(c) => document.getElementById('table-caption')"
                                   ".textContent !== c", arg=caption, timeout=WAIT_MS)
        assert sorted(seen) == sorted(expected)
        page.click("#page-prev")
        assert page.is_enabled("#page-next")
    finally:
        opened.close()


def test_a_phone_gets_the_chart_at_its_width_and_cards_without_horizontal_scroll(
        browser: Any, pages: dict[str, Path]) -> None:
    opened = Opened(browser, pages["seed"], width=390, height=844, is_mobile=True,
                    has_touch=True)
    page = opened.page
    try:
        layout = page.evaluate("""() => ({
          scroll: document.documentElement.scrollWidth,
          canvas: document.querySelector('#timeline-chart canvas').getBoundingClientRect().right,
          row: getComputedStyle(document.querySelector('#events-body tr')).display,
          head: document.querySelector('table.events thead').getBoundingClientRect().height,
        })""")
        assert layout["scroll"] <= 390, layout
        assert layout["canvas"] <= 390, layout
        assert layout["row"] == "block" and layout["head"] <= 1, layout
        page.tap("#events-body button.open")
        page.wait_for_selector("#detail:not([hidden])", timeout=WAIT_MS)
        width = page.evaluate("document.getElementById('detail').getBoundingClientRect().width")
        assert width == 390
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        opened.close()


def test_text_colours_pass_wcag_aa_contrast(seed_page: Opened) -> None:
    page = seed_page.page
    failures = page.evaluate("""() => {
      const rgb = (s) => s.match(/[\\d.]+/g).map(Number);
      const lum = ([r, g, b]) => [r, g, b].map((c) => { c /= 255;
        return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); })
        .reduce((s, c, i) => s + c * [0.2126, 0.7152, 0.0722][i], 0);
      function background(node) {
        for (; node && node.nodeType === 1; node = node.parentElement) {
          const c = rgb(getComputedStyle(node).backgroundColor);
          if (c.length < 4 || c[3] > 0) return c.slice(0, 3);
        }
        return [255, 255, 255];
      }
      const bad = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      while (walker.nextNode()) {
        const node = walker.currentNode.parentElement;
        if (!walker.currentNode.textContent.trim() || !node.getClientRects().length) continue;
        const style = getComputedStyle(node);
        if (node.closest('button:disabled')) continue;  // WCAG exempts inactive controls
        const a = lum(rgb(style.color)), b = lum(background(node));
        const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
        const large = parseFloat(style.fontSize) >= 24 ||
          (parseFloat(style.fontSize) >= 18.66 && +style.fontWeight >= 700);
        if (ratio < (large ? 3 : 4.5)) bad.push([node.tagName, style.color, ratio.toFixed(2)]);
      }
      return bad;
    }""")
    assert failures == []


def test_csv_download_of_the_period_shown_is_safe_in_spreadsheets(
        browser: Any, pages: dict[str, Path]) -> None:
    opened = Opened(browser, pages["hostile"])
    page = opened.page
    try:
        hostile = load_chronology(HOSTILE).to_dicts()
        with page.expect_download() as info:
            page.click("#download")
        text = Path(info.value.path()).read_text(encoding="utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(text)))
        assert sorted(r["event_id"] for r in rows) == sorted(e["event_id"] for e in hostile)
        for row in rows:
            for name, cell in row.items():
                assert not re.match(r"[=+\-@\t\r]", cell), (name, cell)
        by_summary = {r["summary"] for r in rows}
        formula = next(e["summary"] for e in hostile if e["summary"].startswith("="))
        assert "'" + formula in by_summary
        urls = {r["urls"] for r in rows} - {""}
        assert urls == {"https://example.org/article?q=%3Cscript%3Ewindow.__pwned=1%3C/script%3E",
                        "http://example.org/plain"}
        # A narrower period downloads only its events.
        set_domain(page, ms("2019-04-01"), ms("2019-04-02"))
        wait_rows(page, 1)
        with page.expect_download() as info:
            page.click("#download")
        rows = list(csv.DictReader(io.StringIO(
            Path(info.value.path()).read_text(encoding="utf-8-sig"))))
        assert [r["event_id"] for r in rows] == table_ids(page)
    finally:
        opened.close()


def test_hostile_text_is_shown_as_text_and_runs_nothing(browser: Any,
                                                        pages: dict[str, Path]) -> None:
    source = pages["hostile"].read_text(encoding="utf-8")
    # Exactly the page's own script elements; no data closes or opens one.
    own = len(re.findall(r'<script type="application/json" id="timeline-[\w-]+">', source)) + 2
    assert len(re.findall(r"<script\b", source, re.I)) == own
    assert len(re.findall(r"</script", source, re.I)) == own

    opened = Opened(browser, pages["hostile"])
    page = opened.page
    try:
        hostile = load_chronology(HOSTILE).to_dicts()
        cells = page.eval_on_selector_all("#events-body button.open",
                                          "bs => bs.map(b => b.textContent)")
        # Summaries are shown with their runs of white space (and line separators) as one space.
        assert sorted(cells) == sorted(" ".join(e["summary"].split()) for e in hostile)
        # Every event's panel: payloads as text, links only to http(s) addresses.
        for i in range(len(hostile)):
            page.locator("#events-body button.open").nth(i).click()
            page.wait_for_selector("#detail:not([hidden])", timeout=WAIT_MS)
            event_id = page.get_attribute("#detail", "data-event-id")
            record = next(e for e in hostile if e["event_id"] == event_id)
            assert page.inner_text("#detail-title") == " ".join(record["summary"].split())
            quote = page.eval_on_selector("#detail li.mention q", "q => q.textContent")
            assert quote == record["mentions"][0]["text"]
            hrefs = page.eval_on_selector_all("#detail a", "as => as.map(a => a.href)")
            url = record["mentions"][0]["url"]
            if url.startswith(("http://", "https://")):
                assert len(hrefs) == 1 and hrefs[0].startswith(url[:12])
            else:
                assert hrefs == [], url
            page.keyboard.press("Escape")
            page.wait_for_selector("#detail", state="hidden", timeout=WAIT_MS)
        # Tooltips too: hover an event and read our tooltip element.
        event = hostile[0]
        point = page.evaluate(ITEM_CENTRE, ["events_", "id", event["event_id"]])
        page.mouse.move(*point)
        page.wait_for_function(
            "([text]) => { const t = document.querySelector('.timeline-tooltip');"
            " return t && !t.hidden && t.textContent.includes(text); }",
            arg=[event["summary"][:40]], timeout=WAIT_MS)
        tags = page.eval_on_selector_all(".timeline-tooltip *", "ns => ns.map(n => n.tagName)")
        assert set(tags) <= {"TABLE", "TBODY", "TR", "TH", "TD"}
        state = page.evaluate("""() => ({
          pwned: window.__pwned === undefined ? null : window.__pwned,
          scripts: document.scripts.length,
          images: document.querySelectorAll('img, iframe, object, embed, svg').length,
          handlers: [...document.querySelectorAll('*')].filter(
            n => [...n.attributes].some(a => a.name.startsWith('on'))).length,
        })""")
        assert state == {"pwned": None, "scripts": own, "images": 0, "handlers": 0}
    finally:
        opened.close()


def test_a_page_without_drawable_dates_lists_its_events(browser: Any, tmp_path: Path) -> None:
    records = [{"event_id": "ancient", "earliest": "516-01-01", "latest": "516-01-01",
                "summary": "Kota itu didirikan."},
               {"event_id": "undated", "earliest": None, "latest": None}]
    opened = Opened(browser, write_html(records, tmp_path / "apart.html"))
    page = opened.page
    try:
        assert sorted(table_ids(page, "#apart-body")) == ["ancient", "undated"]
        assert page.is_hidden("#timeline-chart") and page.is_hidden(".legend")
        page.click("#apart-body button.open")
        page.wait_for_selector("#detail:not([hidden])", timeout=WAIT_MS)
        assert "0516-01-01" in page.inner_text("#detail")
    finally:
        opened.close()


def test_the_indonesian_page_speaks_indonesian(browser: Any, pages: dict[str, Path]) -> None:
    opened = Opened(browser, pages["seed_id"])
    page = opened.page
    try:
        assert page.evaluate("document.documentElement.lang") == "id"
        assert page.inner_text("label[for=search]") == "Cari"
        assert page.inner_text("#table-caption").startswith("25 peristiwa dari 2011-01-01")
        assert page.evaluate("() => window.timelineView.data('lanes')[0].name") == (
            STRINGS["id"]["key_events"])
    finally:
        opened.close()


def test_screenshot_writes_a_png_at_the_width_asked(pages: dict[str, Path],
                                                    tmp_path: Path) -> None:
    import struct

    png = screenshot(pages["seed"], tmp_path / "phone.png", width=390, height=844)
    header = png.read_bytes()
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", header[16:24]) == (390, 844)
    assert png.stat().st_size > 20_000  # a drawn chart, not a blank page


def test_screenshot_says_how_to_get_chromium_when_missing(pages: dict[str, Path], tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("TIMELINE_CHROMIUM", raising=False)
    with pytest.raises(ChromiumNotFound, match="make browser"):
        screenshot(pages["seed"], tmp_path / "x.png")


def test_dates_are_calendar_days_whatever_the_time_zone(browser: Any,
                                                        pages: dict[str, Path]) -> None:
    opened = Opened(browser, pages["seed"], timezone_id="Pacific/Kiritimati")
    try:
        first = opened.page.inner_text("#events-body tr td.c-date")
        assert first.startswith(str(date(2011, 1, 1).year))
        assert "2011-01-01" in opened.page.inner_text("#table-caption")
    finally:
        opened.close()
