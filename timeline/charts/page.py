"""One self-contained, offline, script-safe HTML page for a chronology.

The page inlines the Vega, Vega-Lite and vega-embed code (from vl-convert), the
compiled Vega spec and every event, so it opens from a file on a machine with no
network. Three rules keep it safe with hostile article text:

- data travels only inside ``<script type="application/json">`` blocks, with
  ``<``, ``>`` and ``&`` written as ``\\u003c``, ``\\u003e``, ``\\u0026`` so that no
  text can close the block (altair's ``save(inline=True)`` does not do this);
- the page's script puts text into the DOM with ``textContent`` only, and sets a
  link's ``href`` as a property, for http(s) addresses only;
- a Content-Security-Policy allows exactly the page's own scripts (by hash) and
  no network at all, so even a mistake in the above could neither run injected
  script nor send a request.

The page's own script and style are real files, ``charts/assets/page.js`` and
``page.css``, shipped as package data and checked by ESLint and stylelint (run by
``tests/test_page_assets.py``). The script reads the JSON blocks written here
(never executed): the Vega spec, the page's settings and strings, and the data
built in a stream by :mod:`timeline.charts.stream`.

**A page at any size.** The first view carries the overview, the *skeleton* (a few
integers per event: dates, precision, counts), the key events and the first
chunk of the list; every other chunk (the index of :data:`~timeline.charts.stream.CHUNK`
events, and apart their mentions) is read when needed: when an event is opened,
a period narrow enough to draw every event is shown, a list page reaches it, or
a search needs the text. Where the chunks go:

- up to :data:`INLINE_BYTES` of chunks, inside the page, in JSON blocks parsed on
  demand: the page stays one file, to send or archive as is;
- beyond, in files next to the page (``timeline-data/`` beside ``timeline.html``),
  each a script that hands its chunk to the page: a page opened from a file may
  not ``fetch`` files (browsers refuse it), but may load scripts it creates, which
  the Content-Security-Policy allows through ``'strict-dynamic'`` (only the page's
  own hashed script creates any). The first view stays small whatever the corpus,
  and a reader loads only what they open; the folder must travel with the page.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import html
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from importlib import resources
from importlib.metadata import version
from pathlib import Path
from typing import Any

import vl_convert

from timeline import cache
from timeline.charts.data import PRECISIONS, ChronologyLike, Names
from timeline.charts.lanes import LanesUnavailable
from timeline.charts.spec import (
    BIN_FIELD,
    BRUSH,
    DAY_MS,
    DENSITY_DATA,
    DETAIL_UNIT,
    EVENTS_DATA,
    LABELS_DATA,
    LANES_DATA,
    LAYOUT,
    PRECISION_COLORS,
    ROWS_TOTAL,
    ZOOM,
    build_spec,
    density_rows,
    key_height,
)
from timeline.charts.stream import CHUNK, PageData, stream_page_data
from timeline.charts.strings import phrase, strings


def _asset(name: str) -> str:
    """A file of ``charts/assets/`` as the content of its element: on the line after
    the opening tag (the CSP hash of the script covers that line break)."""
    return "\n" + (resources.files("timeline.charts") / "assets" / name).read_text(
        encoding="utf-8")


#: The page's own script and style, as they go inside <script> and <style>.
PAGE_SCRIPT = _asset("page.js")
PAGE_STYLE = _asset("page.css")

#: Characters that could end a script block or an HTML comment, or break JS strings.
_JSON_ESCAPES = {
    "<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029",
}
#: What the JavaScript bundle needs inside a <script> element; part of its cache key.
_BUNDLE_ESCAPES = (("</script", "<\\/script"), ("</SCRIPT", "<\\/SCRIPT"), ("<!--", "<\\!--"))


def script_json(value: Any) -> str:
    """JSON that is safe inside ``<script type="application/json">``.

    >>> script_json({"t": "</script><img onerror=x>"})
    '{"t":"\\\\u003c/script\\\\u003e\\\\u003cimg onerror=x\\\\u003e"}'
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for raw, escaped in _JSON_ESCAPES.items():
        text = text.replace(raw, escaped)
    return text


_bundle: str | None = None


def javascript_bundle() -> str:
    """Vega, Vega-Lite and vega-embed as one classic script (window.vegaEmbed etc.).

    vl-convert takes about three seconds to bundle it, so the escaped bundle is
    kept in memory and in the on-disk cache (:mod:`timeline.cache`), keyed by the
    vl-convert version and the escaping applied.
    """
    global _bundle
    if _bundle is not None:
        return _bundle
    key = cache.content_key("vega-bundle", version("vl-convert-python"), repr(_BUNDLE_ESCAPES))
    _bundle = cache.cached("vega-bundle", key, _escaped_bundle).decode("utf-8")
    return _bundle


def _escaped_bundle() -> bytes:
    bundle = vl_convert.javascript_bundle()  # type: ignore[call-arg]  # snippet is optional
    # Inside a <script> element these sequences would end or confuse the element;
    # in the JavaScript source they can only occur in strings and regexps, where
    # the escaped forms mean the same.
    for raw, escaped in _BUNDLE_ESCAPES:
        bundle = bundle.replace(raw, escaped)
    return bundle.encode("utf-8")


def _csp_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _walk(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for mark in node.get("marks", []):
        yield from _walk(mark)


def link_brush_to_detail(vega: dict[str, Any]) -> tuple[dict[str, Any], str, str]:
    """Make the overview brush set the detail view's range, keeping zoom and pan.

    Vega-Lite cannot do both: a scale bound to a zoom selection ignores a
    ``domain: {param: brush}``. The zoom selection's extent signal, though, can
    listen to the brush too: brushing sets the detail's range, and scrolling or
    dragging in the detail still zooms and pans from there. Returns the patched
    spec, the name of the detail's x scale and of the zoom's extent signal (the
    page's range buttons set it too).
    """
    vega = copy.deepcopy(vega)
    detail_scale = None
    for node in _walk(vega):
        for scale in node.get("scales", []):
            if scale.get("domainRaw", {}).get("signal", "").startswith(f"{ZOOM}["):
                detail_scale = scale["name"]
    zoom_signal = None
    for node in _walk(vega):
        for signal in node.get("signals", []):
            if signal["name"].startswith(f"{ZOOM}_") and signal.get("push") == "outer":
                zoom_signal = signal
    if detail_scale is None or zoom_signal is None:
        raise RuntimeError("Vega-Lite output changed: no zoom-bound detail scale to link")
    # The brush's one projected field (the overview's bin start), as numbers.
    extent = f"{BRUSH}[{json.dumps(BIN_FIELD)}]"
    zoom_signal.setdefault("on", []).append({
        "events": {"signal": BRUSH},
        "update": f"isArray({extent}) ? [+{extent}[0], +{extent}[1]] : null",
    })
    return vega, detail_scale, zoom_signal["name"]


#: Chunks up to this many bytes in all go inside the page; beyond, in files next to it.
INLINE_BYTES = 6_000_000
#: Events a period may hold for every one of them to be drawn; beyond, the key events.
MARKS_LIMIT = 10_000
#: What wraps a chunk in its file next to the page (a script that hands it over).
_FILE_START, _FILE_END = "timelineChunk(", ");\n"


def data_folder(page: Path) -> Path:
    """The folder of a page's chunk files: ``timeline-data/`` beside ``timeline.html``."""
    return page.with_name(page.stem + "-data")


class _Chunks:
    """The sink of the page's chunks: each written as a file of a staging folder
    (bounded memory), then put inside the page or moved next to it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.files: list[tuple[str, int, Path]] = []
        self.size = 0

    def __call__(self, kind: str, number: int, data: Any) -> None:
        path = self.folder / f"{kind}-{number:06d}.js"
        text = f"{_FILE_START}{json.dumps(kind)},{number},{script_json(data)}{_FILE_END}"
        path.write_text(text, encoding="utf-8")
        self.files.append((kind, number, path))
        self.size += len(text)

    @staticmethod
    def block(kind: str, number: int, path: Path) -> str:
        text = path.read_text(encoding="utf-8")
        prefix = f"{_FILE_START}{json.dumps(kind)},{number},"
        data = text[len(prefix):-len(_FILE_END)]
        return f'<script type="application/json" id="timeline-{kind}-{number}">{data}</script>'


def page_html(data: PageData, chunks: list[str], *, lanes: str = "source",
              page_lang: str = "en", files: str | None = None, title: str | None = None,
              marks_limit: int = MARKS_LIMIT) -> str:
    """The page as a string: its first view and the chunk blocks ``chunks`` (see the
    module docstring for what makes it safe); ``files`` names the folder of the
    other chunks, relative to the page, when they are not inside it."""
    prepared = data.summary
    words = strings(page_lang)
    title = title or words["title"]
    if lanes not in prepared.lanes:
        lanes = prepared.lane_kinds[0]
    tips = {k[4:]: v for k, v in words.items() if k.startswith("tip_")}
    spec = build_spec(prepared, lanes=lanes, labels=tips, legend=False, data=False)
    # The overview does not change with filters: its counts travel in the spec.
    spec["datasets"][DENSITY_DATA] = density_rows(prepared)
    vega = vl_convert.vegalite_to_vega(spec)
    vega, detail_scale, zoom_signal = link_brush_to_detail(vega)
    config = {
        "lang": page_lang,
        "strings": words,
        "layout": {**LAYOUT, "key_height": key_height()},
        "lanes": {kind: prepared.lanes[kind] for kind in prepared.lane_kinds},
        "lane": lanes,
        "precisions": list(PRECISIONS),
        "colors": PRECISION_COLORS,
        "period": ([prepared.first_day * DAY_MS, prepared.end_day * DAY_MS]
                   if prepared.first_day is not None and prepared.end_day is not None
                   else None),
        "n_events": prepared.n_events,
        "n_drawn": prepared.n_drawn,
        "chunk": CHUNK,
        "n_chunks": data.n_chunks,
        "n_apart_chunks": data.n_apart_chunks,
        "ranked": data.ranked,
        "headlines": data.headlines,
        "files": files,
        "marks_limit": marks_limit,
        "names": {"detail_scale": detail_scale, "zoom_signal": zoom_signal, "zoom": ZOOM,
                  "rows_total": ROWS_TOTAL, "height": f"{DETAIL_UNIT}_height",
                  "events": EVENTS_DATA, "labels": LABELS_DATA, "lanes": LANES_DATA},
    }
    bundle = javascript_bundle()
    csp = "; ".join([
        "default-src 'none'",
        # Vega compiles its expressions with Function(), hence 'unsafe-eval';
        # only these two script elements may run, and the scripts they create (the
        # page's script loads its chunk files so: 'strict-dynamic').
        f"script-src {_csp_hash(bundle)} {_csp_hash(PAGE_SCRIPT)} 'strict-dynamic' "
        "'unsafe-eval'",
        "style-src 'unsafe-inline'",
        "img-src data: blob:",
        "connect-src 'none'",
        "form-action 'none'",
        "base-uri 'none'",
    ])

    def e(key: str, **values: object) -> str:
        return html.escape(phrase(words, key, **values))

    def number(n: int) -> str:
        text = f"{n:,}"
        return text.replace(",", ".") if page_lang == "id" else text

    heading = html.escape(title)
    if prepared.first and prepared.last:
        heading = e("heading_range", title=title, first=prepared.first, last=prepared.last)
    counts = (e("summary_all_drawn", events=number(prepared.n_events))
              if prepared.n_apart == 0 else
              e("summary_counts", events=number(prepared.n_events),
                drawn=number(prepared.n_drawn), apart=number(prepared.n_apart)))
    lane_options = "".join(
        f'<option value="{kind}"{" selected" if kind == lanes else ""}>{e("lane_" + kind)}'
        "</option>" for kind in prepared.lane_kinds)
    legend = "".join(
        f'<button type="button" class="precision" data-precision="{p}" aria-pressed="true">'
        f'<span class="swatch" style="background:{PRECISION_COLORS[p]}"></span>'
        f'{e("precision_" + p)}</button>'
        for p in prepared.precisions)
    chart_label = e("chart_label", events=number(prepared.n_drawn),
                    first=prepared.first or "", last=prepared.last or "")
    columns = "".join(f"<th scope=\"col\">{e('col_' + c)}</th>" for c in (
        "date", "event", "sources", "mentions", "precision", "conflict"))
    blocks = "\n".join(chunks)
    return f"""<!DOCTYPE html>
<html lang="{html.escape(page_lang)}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{html.escape(csp, quote=False)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>{PAGE_STYLE}</style>
</head>
<body>
<header>
<h1>{heading}</h1>
<p class="note" id="timeline-note">{counts}</p>
<details class="note"><summary>{e("how_to_summary")}</summary>{e("how_to")}</details>
</header>
<div class="controls">
<span class="control"><label for="search">{e("search_label")}</label>
<input id="search" type="search" autocomplete="off" placeholder="{e("search_placeholder")}"></span>
<span class="control"><label for="lanes">{e("lanes_label")}</label>
<select id="lanes">{lane_options}</select></span>
</div>
<div class="legend" role="group" aria-label="{e("legend_label")}">
<span class="legend-title">{e("legend_label")}:</span> {legend}
<span class="key"><span class="dot"></span>{e("legend_point")}</span>
<span class="key"><span class="bar"></span>{e("legend_bar")}</span>
<span class="key"><span class="outline"></span>{e("legend_conflict")}</span>
</div>
<p id="timeline-status" role="status"></p>
<p id="timeline-busy" class="note" aria-live="polite"></p>
<p class="caption">{e("overview_caption")}. {e("detail_caption")}.</p>
<div id="timeline-chart" role="figure" aria-label="{chart_label}"></div>
<p id="dense-note" class="note" aria-live="polite"></p>
<div class="range" role="group" aria-label="{e("range_label")}">
<button type="button" data-range="earlier">{e("range_earlier")}</button>
<button type="button" data-range="in">{e("range_zoom_in")}</button>
<button type="button" data-range="out">{e("range_zoom_out")}</button>
<button type="button" data-range="all">{e("range_all")}</button>
<button type="button" data-range="later">{e("range_later")}</button>
</div>
<main>
<section id="in-range" aria-labelledby="list-heading">
<h2 id="list-heading">{e("list_heading")}</h2>
<div class="list-controls">
<span class="control"><label for="sort">{e("sort_label")}</label>
<select id="sort"><option value="date" selected>{e("sort_date")}</option>
<option value="evidence">{e("sort_evidence")}</option></select></span>
<button type="button" id="download">{e("download")}</button>
</div>
<p class="pager"><button id="page-prev" type="button">{e("previous")}</button><button id="page-next" type="button">{e("next")}</button>
<span id="table-caption" aria-live="polite"></span></p>
<table class="events" aria-labelledby="list-heading">
<thead><tr>{columns}</tr></thead>
<tbody id="events-body"></tbody>
</table>
</section>
<section id="apart" aria-labelledby="apart-heading"{"" if prepared.n_apart else " hidden"}>
<h2 id="apart-heading">{e("apart_heading")}</h2>
<p class="pager"><button id="apart-prev" type="button">{e("previous")}</button><button id="apart-next" type="button">{e("next")}</button>
<span id="apart-caption" aria-live="polite"></span></p>
<table class="events" aria-labelledby="apart-heading">
<thead><tr>{columns}</tr></thead>
<tbody id="apart-body"></tbody>
</table>
</section>
</main>
<aside id="detail" role="dialog" aria-modal="false" aria-labelledby="detail-title" hidden>
<button type="button" id="detail-close">{e("detail_close")}</button>
<div id="detail-body"></div>
</aside>
<script type="application/json" id="timeline-spec">{script_json(vega)}</script>
<script type="application/json" id="timeline-data">{script_json(config)}</script>
<script type="application/json" id="timeline-skeleton">{script_json(data.skeleton)}</script>
<script type="application/json" id="timeline-keys">{script_json(data.keys)}</script>
{blocks}
<script>{bundle}</script>
<script>{PAGE_SCRIPT}</script>
</body>
</html>
"""


def write_page(chronology: ChronologyLike, path: str | Path, *, lanes: str = "source",
               page_lang: str = "en", names: Names | None = None,
               inline_bytes: int = INLINE_BYTES, marks_limit: int = MARKS_LIMIT) -> Path:
    """Write the page; ``path`` may be a directory (then ``timeline.html`` in it).

    The data is built in a stream (:func:`~timeline.charts.stream.stream_page_data`);
    chunks beyond ``inline_bytes`` go to :func:`data_folder` next to the page (a
    folder of an earlier page there is replaced, or removed when the page holds
    everything). Raises :class:`LanesUnavailable` when ``lanes`` names a kind of lane
    no event has data for. A period holding more than ``marks_limit`` events draws the
    key events only.
    """
    strings(page_lang)  # an unknown page language fails before any work
    path = Path(path)
    if path.is_dir():
        path = path / "timeline.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".timeline-page-", dir=path.parent))
    try:
        sink = _Chunks(staging)
        data = stream_page_data(chronology, sink, names=names)
        if lanes not in data.summary.lanes and lanes != "source":
            raise LanesUnavailable(f"no event names a{'n' if lanes[0] in 'aeiou' else ''} "
                                   f"{lanes}, so there are no lanes by {lanes}")
        inline = sink.size <= inline_bytes
        first_view = {("drawn", 0), ("apart", 0)}
        blocks = [_Chunks.block(kind, number, file) for kind, number, file in sink.files
                  if inline or (kind, number) in first_view]
        folder = data_folder(path)
        text = page_html(data, blocks, lanes=lanes, page_lang=page_lang,
                         files=None if inline else folder.name, marks_limit=marks_limit)
        del blocks
        if inline:
            _remove_data_folder(folder)
        else:
            for kind, number, file in sink.files:
                if (kind, number) in first_view:
                    file.unlink()
            _remove_data_folder(folder)
            umask = os.umask(0)
            os.umask(umask)
            staging.chmod(0o777 & ~umask)  # made private by mkdtemp; readable as the page is
            os.replace(staging, folder)
        page = staging.with_suffix(".html")
        page.write_text(text, encoding="utf-8")
        os.replace(page, path)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return path


def _remove_data_folder(folder: Path) -> None:
    """Remove a data folder of an earlier page, and nothing else of that name."""
    if folder.is_symlink() or folder.is_file():
        folder.unlink()
    elif folder.is_dir():
        if all(_CHUNK_FILE.fullmatch(p.name) for p in folder.iterdir()):
            shutil.rmtree(folder)
        else:
            raise FileExistsError(f"{folder} is in the way of the page's data folder and "
                                  "holds files the page did not write; move it")


_CHUNK_FILE = re.compile(r"(drawn|apart)(-mentions)?-\d{6}\.js")


def render_html(chronology: ChronologyLike, *, lanes: str = "source", page_lang: str = "en",
                names: Names | None = None) -> str:
    """The whole page as one string, every chunk inside it (for tests and notebooks)."""
    with tempfile.TemporaryDirectory() as folder:
        path = write_page(chronology, Path(folder) / "timeline.html", lanes=lanes,
                          page_lang=page_lang, names=names, inline_bytes=2**62)
        return path.read_text(encoding="utf-8")
