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
(never executed): the Vega spec, the page's settings and strings, the index of
every event, and the blocks of mentions, parsed when first needed. It fills the
chart's datasets (the lanes, the events that pass the filters, the headlines of
the key events for the period shown), the list of events in that period, the
detail panel and the CSV download.

Every event is in the page: a light *index* (dates, headline, lanes, counts) read
at load, and the heavy part (every mention's sentence, the conflicts) in blocks
of :data:`CHUNK` consecutive events in time order, parsed only when an event of
the block is opened or downloaded.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import html
import json
from collections.abc import Iterator
from importlib import resources
from importlib.metadata import version
from pathlib import Path
from typing import Any

import vl_convert

from timeline import cache
from timeline.charts.data import PRECISIONS, Prepared
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
from timeline.charts.strings import phrase, strings

#: Events per data block; a block is parsed when one of its events is needed.
CHUNK = 500


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
    stored = cache.get("vega-bundle", key)
    if stored is not None:
        _bundle = stored.decode("utf-8")
        return _bundle
    bundle = vl_convert.javascript_bundle()  # type: ignore[call-arg]  # snippet is optional
    # Inside a <script> element these sequences would end or confuse the element;
    # in the JavaScript source they can only occur in strings and regexps, where
    # the escaped forms mean the same.
    for raw, escaped in _BUNDLE_ESCAPES:
        bundle = bundle.replace(raw, escaped)
    cache.put("vega-bundle", key, bundle.encode("utf-8"))
    _bundle = bundle
    return bundle


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


class _Table:
    """Distinct strings, each shipped once; events refer to them by number."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def __call__(self, values: list[str]) -> list[int]:
        return [self.index.setdefault(v, len(self.index)) for v in values]

    @property
    def values(self) -> list[str]:
        return list(self.index)


def page_data(prepared: Prepared) -> tuple[dict[str, Any], list[list[Any]]]:
    """The index of every event (columns) and the blocks of their mentions."""
    sources, languages, places, actors = _Table(), _Table(), _Table(), _Table()
    columns: dict[str, list[Any]] = {name: [] for name in (
        "id", "start", "end", "earliest", "latest", "value", "date", "precision", "conflict",
        "summary", "headline", "sources", "languages", "places", "actors", "n_sources",
        "n_mentions", "rank", "apart", "granularity")}
    lanes: dict[str, list[int]] = {kind: [] for kind in prepared.lanes}
    subs: dict[str, list[int]] = {kind: [] for kind in prepared.lanes}
    chunks: list[list[Any]] = []
    for i, event in enumerate(prepared.events):
        summary, head = event["summary"], event["headline"]
        columns["id"].append(event["id"])
        columns["start"].append(event["start"])
        columns["end"].append(event["end"])
        for name in ("earliest", "latest", "value", "date", "granularity"):
            columns[name].append(event[name])
        columns["precision"].append(PRECISIONS.index(event["precision"]))
        columns["conflict"].append(1 if event["conflict"] else 0)
        columns["summary"].append(summary)
        # The headline is the summary's beginning: ship where it ends, not the text again.
        stem = head[:-1] if head != summary else head
        columns["headline"].append(len(stem) if summary.startswith(stem) else head)
        columns["sources"].append(sources(event["sources"]))
        columns["languages"].append(languages(event["languages"]))
        columns["places"].append(places(event["places"]))
        columns["actors"].append(actors(event["actors"]))
        columns["n_sources"].append(event["n_sources"])
        columns["n_mentions"].append(event["n_mentions"])
        columns["rank"].append(event["rank"])
        columns["apart"].append(event["apart"])
        for kind in prepared.lanes:
            lanes[kind].append(event["lane"].get(kind, 0))
            subs[kind].append(event["sub"].get(kind, 0))
        if i % CHUNK == 0:
            chunks.append([])
        # Mentions as arrays in the order of data.MENTION_FIELDS.
        chunks[-1].append([event["mentions"], event["conflicts"]])
    index = {**columns, "lane": lanes, "sub": subs,
             "tables": {"sources": sources.values, "languages": languages.values,
                        "places": places.values, "actors": actors.values}}
    return index, chunks


def render_html(prepared: Prepared, *, lanes: str = "source", page_lang: str = "en",
                title: str | None = None) -> str:
    """The page as a string (see the module docstring for what makes it safe)."""
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
    index, chunks = page_data(prepared)
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
        "n_chunks": len(chunks),
        "names": {"detail_scale": detail_scale, "zoom_signal": zoom_signal, "zoom": ZOOM,
                  "rows_total": ROWS_TOTAL, "height": f"{DETAIL_UNIT}_height",
                  "events": EVENTS_DATA, "labels": LABELS_DATA, "lanes": LANES_DATA},
    }
    bundle = javascript_bundle()
    csp = "; ".join([
        "default-src 'none'",
        # Vega compiles its expressions with Function(), hence 'unsafe-eval';
        # only these two script elements may run.
        f"script-src {_csp_hash(bundle)} {_csp_hash(PAGE_SCRIPT)} 'unsafe-eval'",
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
    blocks = "\n".join(
        f'<script type="application/json" id="timeline-chunk-{k}">{script_json(chunk)}</script>'
        for k, chunk in enumerate(chunks))
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
<p class="caption">{e("overview_caption")}. {e("detail_caption")}.</p>
<div id="timeline-chart" role="figure" aria-label="{chart_label}"></div>
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
<script type="application/json" id="timeline-index">{script_json(index)}</script>
{blocks}
<script>{bundle}</script>
<script>{PAGE_SCRIPT}</script>
</body>
</html>
"""


def write_page(prepared: Prepared, path: str | Path, *, lanes: str = "source",
               page_lang: str = "en") -> Path:
    """Write the page; ``path`` may be a directory (then ``timeline.html`` in it)."""
    path = Path(path)
    if path.is_dir():
        path = path / "timeline.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(prepared, lanes=lanes, page_lang=page_lang), encoding="utf-8")
    return path
