"""Headless Chromium screenshots of the page, for reports (``make demo``).

Chromium is a system package (Debian's ``chromium``; ``make browser`` installs
it), never a download. Playwright drives it when installed, because it can wait
until the chart says it is drawn; otherwise Chromium's own ``--screenshot`` flag
is used with a virtual-time budget.
"""

from __future__ import annotations

import concurrent.futures
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

#: Flags that keep a headless Chromium quiet, sandbox-free (root in CI) and offline.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
    "--disable-extensions",
]

_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


class ChromiumNotFound(RuntimeError):
    """No Chromium executable: say how to get one instead of failing obscurely."""


def find_chromium() -> str:
    """The Chromium executable: ``$TIMELINE_CHROMIUM``, else the first on ``PATH``."""
    configured = os.environ.get("TIMELINE_CHROMIUM")
    if configured:
        if Path(configured).is_file() and os.access(configured, os.X_OK):
            return configured
        raise ChromiumNotFound(f"TIMELINE_CHROMIUM={configured!r} is not an executable file")
    for name in _CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    raise ChromiumNotFound(
        "headless Chromium is needed to screenshot the page but none was found "
        f"(looked for {', '.join(_CANDIDATES)} on PATH and $TIMELINE_CHROMIUM). "
        "Install it with `make browser` (Debian: apt-get install chromium)."
    )


def screenshot(html_path: str | Path, png_path: str | Path, *, width: int = 1280,
               height: int = 900, timeout: float = 60.0) -> Path:
    """Open ``html_path`` in headless Chromium and save a PNG of the page.

    Raises :class:`ChromiumNotFound` when there is no Chromium, and
    ``RuntimeError`` when the page reports that its chart failed.
    """
    html_path, png_path = Path(html_path).resolve(), Path(png_path)
    if not html_path.is_file():
        raise FileNotFoundError(html_path)
    executable = find_chromium()
    png_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # Lazy: playwright is optional (the dev extra) and takes ~0.4 s to import;
        # only a screenshot needs it, not a build that draws the page.
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return _screenshot_cli(executable, html_path, png_path, width, height, timeout)
    # Playwright's sync API refuses to run where an event loop runs (a notebook,
    # or a caller that already drives a browser): give it a thread of its own.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as worker:
        return worker.submit(_screenshot_playwright, executable, html_path, png_path, width,
                             height, timeout).result()


def _screenshot_playwright(executable: str, html_path: Path, png_path: Path, width: int,
                           height: int, timeout: float) -> Path:
    from playwright.sync_api import sync_playwright  # lazy: see screenshot()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(html_path.as_uri())
            page.wait_for_function("document.body.dataset.ready", timeout=timeout * 1000)
            if page.evaluate("document.body.dataset.ready") != "1":
                raise RuntimeError(f"the chart in {html_path} failed to draw: "
                                   + page.inner_text("#timeline-status"))
            page.screenshot(path=str(png_path), full_page=False)
        finally:
            browser.close()
    return png_path


def _screenshot_cli(executable: str, html_path: Path, png_path: Path, width: int,
                    height: int, timeout: float) -> Path:
    with tempfile.TemporaryDirectory(prefix="timeline-chromium-") as profile:
        command = [
            executable, "--headless", *CHROMIUM_ARGS, f"--user-data-dir={profile}",
            "--hide-scrollbars", f"--window-size={width},{height}",
            "--virtual-time-budget=20000", f"--screenshot={png_path.resolve()}",
            html_path.as_uri(),
        ]
        subprocess.run(command, check=True, capture_output=True, timeout=timeout)
    if not png_path.is_file():
        raise RuntimeError(f"chromium wrote no screenshot for {html_path}")
    return png_path
