"""Page size and load time for a large chronology: ``python bench/page.py``.

Builds a synthetic chronology shaped like a news corpus
(:func:`timeline.testing.synthetic_chronology`: dense in recent years, mostly
day-precise, a few outlets per event, several mentions each), writes the page from
its Parquet file as a build does (in a stream), and opens it in headless Chromium
(offline) several times; ``--page FILE`` opens a page already written instead (the
page of a ``bench/throughput.py --keep DIR`` build: ``DIR/timeline.html``). It reports:

- the time to write the page in Python (synthetic chronology only);
- the first view: the bytes of ``timeline.html``, which is what a browser loads to
  open it, and of the data next to it (``timeline-data/``, read on demand);
- the load time: from navigation to the page saying it is drawn and listed
  (interactive), and the bytes it read to get there;
- the time to search, to set the period to its second half and to open an event's
  panel.

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
from urllib.parse import urlparse
from urllib.request import url2pathname

from playwright.sync_api import sync_playwright

from timeline.charts.page import data_folder, javascript_bundle, write_page
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
    parser.add_argument("--page", type=Path, help="open this page instead of a synthetic one")
    parser.add_argument("--search", default="Aleppo", help="the search timed (default Aleppo)")
    args = parser.parse_args(argv)

    javascript_bundle()  # cached on disk after the first run; not part of a page's cost
    if args.page:
        page = args.page
    else:
        work = Path(tempfile.mkdtemp(prefix="timeline-bench-"))
        synthetic_chronology(args.events).write_parquet(work / "chronology.parquet")
        builds = []
        for _ in range(args.runs):
            started = time.perf_counter()
            page = write_page(work / "chronology.parquet", work / "timeline.html")
            builds.append(time.perf_counter() - started)
        print(f"events: {args.events:,}")
        print(f"write the page (from chronology.parquet, in a stream): {_spread(builds)}")
    folder = data_folder(page)
    data = sum(p.stat().st_size for p in folder.iterdir()) if folder.is_dir() else 0
    print(f"first view (timeline.html): {page.stat().st_size / 1e6:.1f} MB (Vega bundle "
          f"{len(javascript_bundle().encode('utf-8')) / 1e6:.1f} MB); data next to it "
          f"({folder.name}/): {data / 1e6:.1f} MB")

    loads, searches, brushes, opens = [], [], [], []
    loaded: list[int] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=find_chromium(),
                                             args=CHROMIUM_ARGS)
        try:
            for _ in range(args.runs):
                context = browser.new_context(offline=True,
                                              viewport={"width": 1280, "height": 900})
                tab = context.new_page()
                read: list[str] = []
                tab.on("request", lambda request, read=read: read.append(request.url))
                started = time.perf_counter()
                tab.goto(page.resolve().as_uri())
                tab.wait_for_function("document.body.dataset.ready", timeout=300_000)
                loads.append(time.perf_counter() - started)
                loaded.append(sum(Path(url2pathname(urlparse(u).path)).stat().st_size
                                  for u in set(read) if u.startswith("file:")))
                if tab.evaluate("document.body.dataset.ready") != "1":
                    print(tab.inner_text("#timeline-status"), file=sys.stderr)
                    return 1
                query = " ".join(args.search.lower().split())
                started = time.perf_counter()
                tab.fill("#search", args.search)
                tab.wait_for_function("(q) => document.body.dataset.query === q", arg=query,
                                      timeout=300_000)
                searches.append(time.perf_counter() - started)
                tab.fill("#search", "")
                tab.wait_for_function("document.body.dataset.query === ''", timeout=300_000)
                settled = tab.evaluate("document.body.dataset.settled")
                started = time.perf_counter()
                tab.evaluate("""() => { const v = window.timelineView;
                  const cfg = JSON.parse(document.getElementById('timeline-data').textContent);
                  const [lo, hi] = cfg.period;
                  v.signal(cfg.names.zoom_signal, [lo + (hi - lo) / 2, hi]).runAsync(); }""")
                tab.wait_for_function("(s) => document.body.dataset.settled !== s", arg=settled,
                                      timeout=300_000)
                brushes.append(time.perf_counter() - started)
                started = time.perf_counter()
                tab.click("#events-body button.open")
                tab.wait_for_selector("#detail:not([hidden]) li.mention", timeout=300_000)
                opens.append(time.perf_counter() - started)
                context.close()
        finally:
            browser.close()
    print(f"load to drawn and listed (interactive): {_spread(loads)}; read "
          f"{max(loaded) / 1e6:.1f} MB to get there")
    print(f"search {args.search!r}: {_spread(searches)}")
    print(f"set the period to its second half: {_spread(brushes)}")
    print(f"open an event's panel: {_spread(opens)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
