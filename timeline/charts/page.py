"""One self-contained, offline, script-safe HTML page for a chronology.

The page inlines the Vega, Vega-Lite and vega-embed code (from vl-convert), the
compiled Vega spec and the table rows, so it opens from a file on a machine with
no network. Three rules keep it safe with hostile article text:

- data travels only inside ``<script type="application/json">`` blocks, with
  ``<``, ``>`` and ``&`` written as ``\\u003c``, ``\\u003e``, ``\\u0026`` so that no
  text can close the block (altair's ``save(inline=True)`` does not do this);
- the page's script puts text into the DOM with ``textContent`` only;
- a Content-Security-Policy allows exactly the page's own scripts (by hash) and
  no network at all, so even a mistake in the above could neither run injected
  script nor send a request.
"""

from __future__ import annotations

import base64
import copy
import functools
import hashlib
import html
import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import vl_convert

from timeline.charts._script import PAGE_SCRIPT, PAGE_STYLE
from timeline.charts.data import Prepared
from timeline.charts.spec import (
    BIN_FIELD,
    BRUSH,
    COLOR_BY,
    PICK,
    ZOOM,
    build_spec,
)

#: Characters that could end a script block or an HTML comment, or break JS strings.
_JSON_ESCAPES = {
    "<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029",
}


def script_json(value: Any) -> str:
    """JSON that is safe inside ``<script type="application/json">``.

    >>> script_json({"t": "</script><img onerror=x>"})
    '{"t":"\\\\u003c/script\\\\u003e\\\\u003cimg onerror=x\\\\u003e"}'
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for raw, escaped in _JSON_ESCAPES.items():
        text = text.replace(raw, escaped)
    return text


@functools.lru_cache(maxsize=1)
def javascript_bundle() -> str:
    """Vega, Vega-Lite and vega-embed as one classic script (window.vegaEmbed etc.).

    Cached: vl-convert takes about a second to bundle it.
    """
    bundle = vl_convert.javascript_bundle()
    # Inside a <script> element these sequences would end or confuse the element;
    # in the JavaScript source they can only occur in strings and regexps, where
    # the escaped forms mean the same.
    for raw, escaped in (("</script", "<\\/script"), ("</SCRIPT", "<\\/SCRIPT"),
                         ("<!--", "<\\!--")):
        bundle = bundle.replace(raw, escaped)
    return bundle


def _csp_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _walk(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for mark in node.get("marks", []):
        yield from _walk(mark)


def link_brush_to_detail(vega: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """Make the overview brush set the detail view's range, keeping zoom and pan.

    Vega-Lite cannot do both: a scale bound to a zoom selection ignores a
    ``domain: {param: brush}``. The zoom selection's extent signal, though, can
    listen to the brush too: brushing sets the detail's range, and scrolling or
    dragging in the detail still zooms and pans from there. Returns the patched
    spec and the name of the detail's x scale.
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
    return vega, detail_scale


def _table_rows(prepared: Prepared) -> list[dict[str, Any]]:
    def ms(stamp: str) -> int:
        return int(datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp() * 1000)

    keep = ("id", "date", "summary", "sources", "mentions", "conflict", "has_conflict",
            "source_key", "language_key", "evidence")
    return [{**{k: e[k] for k in keep}, "start_ms": ms(e["start"]), "end_ms": ms(e["end"])}
            for e in prepared.events]


def render_html(prepared: Prepared, *, color_by: str = "source", title: str = "Timeline"
                ) -> str:
    """The page as a string (see the module docstring for what makes it safe)."""
    vega = vl_convert.vegalite_to_vega(build_spec(prepared, color_by=color_by))
    vega, detail_scale = link_brush_to_detail(vega)
    page_data = {
        "events": _table_rows(prepared),
        "detail_scale": detail_scale,
        "zoom": ZOOM,
        "pick": PICK,
        "pick_legend": f"{PICK}_color_key_legend",
        "color_by": COLOR_BY,
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
    checked = {name: " checked" if name == color_by else "" for name in ("source", "language")}
    heading = html.escape(title)
    if prepared.first and prepared.last:
        heading += html.escape(f": {prepared.first} to {prepared.last}")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{html.escape(csp, quote=False)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>{PAGE_STYLE}</style>
</head>
<body>
<h1>{heading}</h1>
<p class="note" id="timeline-note">{html.escape(prepared.note)}</p>
<p class="note">Points are single days; bars span the whole interval of a coarser or
uncertain date. Bigger points and darker bars have more mentions; a black outline
marks conflicting dates. Click a legend entry to keep only that colour.</p>
<div class="controls">Colour by:
<label><input type="radio" name="color-by" value="source"{checked["source"]}> source</label>
<label><input type="radio" name="color-by" value="language"{checked["language"]}> language</label>
</div>
<p id="timeline-status" role="status"></p>
<div id="timeline-chart"></div>
<h2 style="font-size:16px;margin:14px 0 2px">Events in the range shown</h2>
<p class="pager"><button id="page-prev" type="button">previous</button><button id="page-next" type="button">next</button>
<span id="table-caption"></span></p>
<table class="events">
<thead><tr><th>date</th><th>event</th><th>sources</th><th>mentions</th><th>conflict</th><th>evidence</th></tr></thead>
<tbody id="events-body"></tbody>
</table>
<script type="application/json" id="timeline-spec">{script_json(vega)}</script>
<script type="application/json" id="timeline-data">{script_json(page_data)}</script>
<script>{bundle}</script>
<script>{PAGE_SCRIPT}</script>
</body>
</html>
"""


def write_page(prepared: Prepared, path: str | Path, *, color_by: str = "source") -> Path:
    """Write the page; ``path`` may be a directory (then ``timeline.html`` in it)."""
    path = Path(path)
    if path.is_dir():
        path = path / "timeline.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(prepared, color_by=color_by), encoding="utf-8")
    return path
