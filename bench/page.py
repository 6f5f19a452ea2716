"""Page size and load time for a large chronology: ``python bench/page.py``.

Builds a synthetic chronology shaped like a news corpus
(:func:`timeline.testing.synthetic_chronology`: dense in recent years, mostly
day-precise, a few outlets per event, several mentions each), writes the page, and opens it in headless Chromium (offline) several times, reporting:

- the time to build the page in Python (``prepare`` + ``render_html``);
- the page's size on disk and of its parts (Vega bundle, index, mention blocks);
- the load time: from navigation to the page saying it is drawn and listed;
- the time to search, to brush half the period and to open an event's panel.

Wall-clock numbers on a shared machine are noisy; each is the median of the runs,
with the spread shown. Nothing here is asserted by the tests.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from timeline.charts.data import prepare
from timeline.charts.page import javascript_bundle, page_data, render_html
from timeline.charts.screenshot import CHROMIUM_ARGS, find_chromium
from timeline.testing import synthetic_chronology


def _spread(values: list[float]) -> str:
    return (f"{statistics.median(values):.2f} s (min {min(values):.2f}, max {max(values):.2f},"
            f" {len(values)} runs)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python bench/page.py",
                                     description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="also write the page here")
    args = parser.parse_args(argv)

    frame = synthetic_chronology(args.events)
    javascript_bundle()  # cached on disk after the first run; not part of a page's cost
    builds, page_text = [], ""
    for _ in range(args.runs):
        started = time.perf_counter()
        prepared = prepare(frame)
        page_text = render_html(prepared)
        builds.append(time.perf_counter() - started)
    index, chunks = page_data(prepared)
    out_dir = Path(tempfile.mkdtemp(prefix="timeline-bench-"))
    page = out_dir / "timeline.html"
    page.write_text(page_text, encoding="utf-8")
    if args.keep:
        args.keep.write_text(page_text, encoding="utf-8")
    size = page.stat().st_size
    bundle = len(javascript_bundle().encode("utf-8"))
    index_size = page_text.split('id="timeline-index">')[1].split("</script>")[0]
    print(f"events: {args.events:,} ({prepared.n_drawn:,} drawn, {len(chunks)} mention blocks)")
    print(f"build (prepare + render_html): {_spread(builds)}")
    print(f"page size: {size / 1e6:.1f} MB (Vega bundle {bundle / 1e6:.1f} MB, "
          f"index {len(index_size.encode()) / 1e6:.1f} MB, the rest mentions and spec)")

    loads, searches, brushes, opens = [], [], [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=find_chromium(),
                                             args=CHROMIUM_ARGS)
        try:
            for _ in range(args.runs):
                context = browser.new_context(offline=True,
                                              viewport={"width": 1280, "height": 900})
                tab = context.new_page()
                started = time.perf_counter()
                tab.goto(page.resolve().as_uri())
                tab.wait_for_function("document.body.dataset.ready", timeout=300_000)
                loads.append(time.perf_counter() - started)
                if tab.evaluate("document.body.dataset.ready") != "1":
                    print(tab.inner_text("#timeline-status"), file=sys.stderr)
                    return 1
                matching = tab.evaluate("document.body.dataset.matching")
                started = time.perf_counter()
                tab.fill("#search", "Aleppo")
                tab.wait_for_function(f"document.body.dataset.matching !== '{matching}'",
                                      timeout=300_000)
                searches.append(time.perf_counter() - started)
                tab.fill("#search", "")
                tab.wait_for_function(f"document.body.dataset.matching === '{matching}'",
                                      timeout=300_000)
                started = time.perf_counter()
                tab.evaluate("""() => { const v = window.timelineView;
                  const cfg = JSON.parse(document.getElementById('timeline-data').textContent);
                  const [lo, hi] = cfg.period;
                  v.signal(cfg.names.zoom_signal, [lo + (hi - lo) / 2, hi]).runAsync(); }""")
                tab.wait_for_function(f"document.body.dataset.matching !== '{matching}'",
                                      timeout=300_000)
                brushes.append(time.perf_counter() - started)
                started = time.perf_counter()
                tab.click("#events-body button.open")
                tab.wait_for_selector("#detail:not([hidden]) li.mention", timeout=300_000)
                opens.append(time.perf_counter() - started)
                context.close()
        finally:
            browser.close()
    print(f"load to drawn and listed: {_spread(loads)}")
    print(f"search 'Aleppo': {_spread(searches)}")
    print(f"set the period to its second half: {_spread(brushes)}")
    print(f"open an event's panel: {_spread(opens)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
