"""The Altair chart: an overview of events over time with a brush, above lanes of events.

The detail view has two parts on one time axis. On top, the *key events*: the
best-attested events of the period shown (most outlets, then most mentions, then
the finest date), drawn with a short headline, in as many label rows as keep the
headlines apart. Below, one *lane* per source (or language, place, actor): every
event as a mark whose extent is its date's precision, a point for a day and a bar
over the whole interval of a week, month or year; its colour names that precision
too; a black outline marks conflicting dates.

Vertical positions are in *row units* (``y`` grows downwards): the key band, then
the lanes. The page's script recomputes the lanes and the labels as the reader
zooms, filters or switches lanes, with the constants in :data:`LAYOUT`; the images
written by :func:`timeline.charts.write_image` use :func:`layout` below, which
follows the same rules for the whole period.

Names below (``brush``, ``zoom``, the datasets, the ``events_*`` units) are what the
page's script and the browser tests address, so they are constants.
"""

from __future__ import annotations

from typing import Any

import altair as alt

from timeline.charts.data import PRECISIONS, Prepared
from timeline.charts.lanes import LANE_KINDS, SUBLANES

BRUSH = "brush"
ZOOM = "zoom"
ROWS_TOTAL = "rows_total"
#: Vega-Lite unit names; their marks are named ``<unit>_marks`` in Vega.
POINTS_UNIT = "events_points"
BARS_UNIT = "events_bars"
LABEL_POINTS_UNIT = "labels_points"
LABEL_BARS_UNIT = "labels_bars"
LABEL_TEXT_UNIT = "labels_text"
LANE_BANDS_UNIT = "lane_bands"
LANE_NAMES_UNIT = "lane_names"
OVERVIEW_UNIT = "overview"
DETAIL_UNIT = "detail"
EVENTS_DATA, LABELS_DATA, LANES_DATA, DENSITY_DATA = "events", "labels", "lanes", "density"
#: The overview's x field, which the brush projects on.
BIN_FIELD = "bin_start"
DAY_MS = 86_400_000

#: One colour per precision; each has at least 3:1 contrast on white (WCAG 1.4.11).
PRECISION_COLORS = {
    "day": "#1f5fa8", "week": "#0f7b6c", "month": "#a1570b", "quarter": "#7c3aed",
    "year": "#be123c", "longer": "#4b5563",
}
assert tuple(PRECISION_COLORS) == PRECISIONS

#: Row units of the detail view, shared with the page's script.
LAYOUT: dict[str, Any] = {
    "unit_px": 18,          # pixels per row unit
    "key_rows": 4,          # label rows of the key band
    "key_top": 1.0,         # where the first label row starts (the band's name is above)
    "lane_height": 2.2,     # units per lane
    "lane_caption": 0.5,    # the lane's name sits this far below its top
    "sub_top": 0.95,        # centre of the first sub-row below the lane's top
    "sub_step": 0.5,        # distance between sub-rows
    "bar_half": 0.2,        # half the thickness of a bar
    "label_chars_px": 6.6,  # estimated width of one character of a headline (images)
    "label_font": "11px sans-serif",  # the headlines' font (the page measures with it)
    "label_max_px": 260,    # the longest headline drawn
    "label_min_px": 60,     # a headline with less room than this is not drawn
    "label_gap_px": 10,     # space between two headlines on one row
    "label_dot_px": 4,      # the event's dot reaches this far left of its anchor
    "label_dx_px": 12,      # from the left of the dot to the headline's first letter
    "sublanes": SUBLANES,
    "phone_unit_px": 13,    # on a phone: smaller rows ...
    "phone_key_rows": 2,    # ... and fewer label rows, so that the list stays in view
}
WIDTH = 960

#: Time axes: every label carries its year ("Apr 2019", "3 Apr 2019", "2019"), as
#: many ticks as the width holds labels (one per 90 pixels), and labels that would
#: still touch are dropped (greedily, keeping a gap), never drawn over each other.
TIME_AXIS: dict[str, Any] = {
    "labelExpr": "utcdate(datum.value) !== 1 ? utcFormat(datum.value, '%-d %b %Y') : "
                 "utcmonth(datum.value) !== 0 ? utcFormat(datum.value, '%b %Y') : "
                 "utcFormat(datum.value, '%Y')",
    "tickCount": alt.ExprRef("max(2, floor(width / 90))"),
    "labelOverlap": "greedy",
    "labelSeparation": 8,
    "labelFlush": True,
}


def key_height() -> float:
    return float(LAYOUT["key_top"] + LAYOUT["key_rows"] + 0.25)


def lane_rows(kind: str, prepared: Prepared, key_name: str = "key events"
              ) -> list[dict[str, Any]]:
    """The key band and the lanes of one lane kind as band rows (name, y0, y1, caption y)."""
    rows = [{"lane": -1, "name": key_name, "y0": 0, "y1": key_height(),
             "yc": LAYOUT["lane_caption"], "stripe": False}]
    top = key_height()
    for i, name in enumerate(prepared.lanes.get(kind, [""])):
        y0 = top + i * LAYOUT["lane_height"]
        rows.append({"lane": i, "name": name, "y0": y0, "y1": y0 + LAYOUT["lane_height"],
                     "yc": y0 + LAYOUT["lane_caption"], "stripe": i % 2 == 0})
    return rows


def total_rows(n_lanes: int) -> float:
    return key_height() + max(n_lanes, 1) * float(LAYOUT["lane_height"])


def event_row(event: dict[str, Any], kind: str) -> dict[str, Any]:
    """What one event mark needs (times in epoch milliseconds, UTC)."""
    y0 = key_height() + event["lane"].get(kind, 0) * LAYOUT["lane_height"]
    y = y0 + LAYOUT["sub_top"] + event["sub"].get(kind, 0) * LAYOUT["sub_step"]
    start, end = event["start"] * DAY_MS, event["end"] * DAY_MS
    return {
        "id": event["id"], "start": start, "end": end, "mid": (start + end) / 2,
        "y": y, "y0": y - LAYOUT["bar_half"], "y1": y + LAYOUT["bar_half"],
        "shape": event["shape"], "precision": event["precision"],
        "conflict": event["conflict"], "headline": event["headline"], "date": event["date"],
        "sources": ", ".join(event["sources"]), "mentions": event["n_mentions"],
    }


def place_labels(events: list[dict[str, Any]], lo: float, hi: float, width: float
                 ) -> list[dict[str, Any]]:
    """Headlines of the best-ranked events in [lo, hi), greedily on non-overlapping rows.

    ``events`` are event rows (:func:`event_row`) with a ``rank``; the page's
    script does the same each time the period shown changes.
    """
    rows: list[list[tuple[float, float]]] = [[] for _ in range(int(LAYOUT["key_rows"]))]
    placed = []
    per_ms = width / max(hi - lo, 1)
    for event in sorted(events, key=lambda e: e["rank"]):
        if event["end"] <= lo or event["start"] >= hi:
            continue
        anchor = max(event["start"] if event["shape"] == "bar" else event["mid"], lo)
        x0 = (anchor - lo) * per_ms - 4
        # Near the right edge a headline is cut short rather than dropped.
        text_px = min(len(event["headline"]) * LAYOUT["label_chars_px"], LAYOUT["label_max_px"],
                      width - x0 - 12)
        if text_px < 60:
            continue
        x1 = x0 + 12 + text_px
        for r, taken in enumerate(rows):
            if all(x1 + LAYOUT["label_gap_px"] <= a or x0 >= b + LAYOUT["label_gap_px"]
                   for a, b in taken):
                taken.append((x0, x1))
                y = LAYOUT["key_top"] + r + 0.5
                # A headline's bar is a thin line under its text.
                placed.append({**event, "anchor": anchor, "row": r, "y": y, "limit": text_px,
                               "y0": y + 0.3, "y1": y + 0.42})
                break
        if len(placed) >= 6 * LAYOUT["key_rows"] or all(
                sum(b - a for a, b in taken) > 0.9 * width for taken in rows):
            break
    return placed


def layout(prepared: Prepared, kind: str = "source", width: int = WIDTH
           ) -> dict[str, list[dict[str, Any]]]:
    """The datasets of the whole period for one lane kind (what a static image shows)."""
    events = []
    for event in prepared.events:
        if event["drawn"]:
            events.append({**event_row(event, kind), "rank": event["rank"]})
    lo = (prepared.first_day or 0) * DAY_MS
    hi = (prepared.end_day or 1) * DAY_MS
    return {
        EVENTS_DATA: events,
        LABELS_DATA: place_labels(events, lo, hi, width),
        LANES_DATA: lane_rows(kind, prepared),
        DENSITY_DATA: density_rows(prepared),
    }


def density_rows(prepared: Prepared) -> list[dict[str, Any]]:
    """The overview's bins with their bounds in epoch milliseconds."""
    return [{**d, "bin_start": d["bin_start"] * DAY_MS, "bin_end": d["bin_end"] * DAY_MS}
            for d in prepared.density]


def build_chart(prepared: Prepared, *, lanes: str = "source", labels: dict[str, str] | None = None
                ) -> alt.VConcatChart:
    """The overview + detail chart for prepared data (see :func:`timeline.charts.chart`)."""
    return alt.VConcatChart.from_dict(build_spec(prepared, lanes=lanes, labels=labels),
                                      validate=False)


def build_spec(prepared: Prepared, *, lanes: str = "source", labels: dict[str, str] | None = None,
               legend: bool = True, data: bool = True) -> dict[str, Any]:
    """The chart as a Vega-Lite dict, the form the page and the images need.

    ``labels`` gives the tooltip titles (the page's language); ``legend`` adds a
    colour legend (the page has its own, clickable, in HTML); with ``data=False``
    the datasets are left empty for the page's script to fill. Altair builds the
    structure around named datasets; the rows are added to the dict afterwards,
    because altair converts inline rows value by value, which takes seconds for
    thousands of events.
    """
    if lanes not in LANE_KINDS:
        raise ValueError(f"lanes must be one of {list(LANE_KINDS)}, got {lanes!r}")
    words = {"date": "date", "event": "event", "sources": "sources", "mentions": "mentions",
             "period": "period", "events": "events", "precision": "precision", **(labels or {})}
    n_lanes = len(prepared.lanes.get(lanes, [""]))
    rows_total = alt.param(name=ROWS_TOTAL, value=total_rows(n_lanes))
    brush = alt.selection_interval(name=BRUSH, encodings=["x"])
    zoom = alt.selection_interval(name=ZOOM, encodings=["x"], bind="scales")

    # UTC throughout: dates are calendar days, the viewer's time zone must not shift them.
    period: Any = ([prepared.first_day * DAY_MS, prepared.end_day * DAY_MS]
                   if prepared.first_day is not None and prepared.end_day is not None
                   else alt.Undefined)
    # A few pixels of room at both ends, so that a point on the first or last day shows whole.
    x_scale = alt.Scale(type="utc", domain=period, padding=12)
    x_axis = alt.Axis(title=None, grid=True, gridColor="#e5e7eb", labelColor="#333333",
                      tickColor="#999999", domainColor="#999999", **TIME_AXIS)
    y_scale = alt.Scale(domain=alt.ExprRef(f"[0, {ROWS_TOTAL}]"), reverse=True, nice=False,
                        zero=False)
    no_axis = None
    color = alt.Color("precision:N", title=words["precision"],
                      scale=alt.Scale(domain=list(PRECISIONS),
                                      range=list(PRECISION_COLORS.values())),
                      legend=alt.Legend(orient="bottom", symbolType="square",
                                         values=prepared.precisions) if legend else None)
    outline = alt.condition("datum.conflict", alt.value("#000000"), alt.value(None))
    outline_width = alt.condition("datum.conflict", alt.value(1.5), alt.value(0))
    tooltip = [alt.Tooltip("date:N", title=words["date"]),
               alt.Tooltip("headline:N", title=words["event"]),
               alt.Tooltip("sources:N", title=words["sources"]),
               alt.Tooltip("mentions:Q", title=words["mentions"])]

    def marks(data: str, unit: str, shape: str) -> alt.Chart:
        chart = alt.Chart(alt.NamedData(name=data)).transform_filter(
            f"datum.shape === '{shape}'")
        if shape == "point":
            chart = chart.mark_point(filled=True, opacity=0.9, size=46, clip=True).encode(
                x=alt.X("mid:T", scale=x_scale, axis=x_axis), y=alt.Y(
                    "y:Q", scale=y_scale, axis=no_axis))
        else:
            chart = chart.mark_bar(cornerRadius=2, opacity=0.8, clip=True).encode(
                x=alt.X("start:T", scale=x_scale, axis=x_axis), x2="end:T",
                y=alt.Y("y0:Q", scale=y_scale, axis=no_axis), y2="y1:Q")
        layer: alt.Chart = chart.encode(color=color, stroke=outline, strokeWidth=outline_width,
                                        tooltip=tooltip).properties(name=unit)
        return layer

    bands = (
        alt.Chart(alt.NamedData(name=LANES_DATA))
        .transform_filter("datum.stripe")
        .mark_rect(color="#f3f4f6")
        .encode(y=alt.Y("y0:Q", scale=y_scale, axis=no_axis), y2="y1:Q")
        .properties(name=LANE_BANDS_UNIT)
    )
    names = (
        alt.Chart(alt.NamedData(name=LANES_DATA))
        .mark_text(align="left", baseline="middle", dx=4, fontSize=11, fontWeight="bold",
                   color="#374151", limit=alt.ExprRef("max(80, width - 8)"))
        .encode(x=alt.value(0), y=alt.Y("yc:Q", scale=y_scale, axis=no_axis),
                text="name:N")
        .properties(name=LANE_NAMES_UNIT)
    )
    label_text = (
        alt.Chart(alt.NamedData(name=LABELS_DATA))
        .mark_text(align="left", baseline="middle", dx=8, fontSize=11, color="#111827",
                   limit=alt.ExprRef("datum.limit"), clip=True)
        .encode(x=alt.X("anchor:T", scale=x_scale, axis=x_axis),
                y=alt.Y("y:Q", scale=y_scale, axis=no_axis), text="headline:N",
                tooltip=tooltip)
        .properties(name=LABEL_TEXT_UNIT)
    )
    detail = alt.layer(
        bands, names,
        marks(EVENTS_DATA, BARS_UNIT, "bar").add_params(zoom),
        marks(EVENTS_DATA, POINTS_UNIT, "point"),
        marks(LABELS_DATA, LABEL_BARS_UNIT, "bar"),
        marks(LABELS_DATA, LABEL_POINTS_UNIT, "point"),
        label_text,
    ).properties(name=DETAIL_UNIT, width=WIDTH,
                 height=round(total_rows(n_lanes) * LAYOUT["unit_px"]))
    overview = (
        alt.Chart(alt.NamedData(name=DENSITY_DATA))
        .mark_bar(color="#4b5563")
        .encode(
            x=alt.X(f"{BIN_FIELD}:T", scale=alt.Scale(type="utc", domain=period, padding=12),
                    axis=alt.Axis(title=None, labelColor="#333333", **TIME_AXIS)),
            x2="bin_end:T",
            y2=alt.datum(0),
            y=alt.Y("events:Q", title=None, scale=alt.Scale(zero=True, nice=True),
                    axis=alt.Axis(tickCount=3, labelColor="#333333", grid=False)),
            tooltip=[alt.Tooltip(f"{BIN_FIELD}:T", title=words["period"], format="%Y-%m-%d"),
                     alt.Tooltip("events:Q", title=words["events"], format=".1f")],
        )
        .add_params(brush)
        .properties(width=WIDTH, height=56, name=OVERVIEW_UNIT)
    )
    combined = (
        alt.vconcat(overview, detail, spacing=10)
        .add_params(rows_total)
        .configure_view(stroke=None)
        .configure_axis(labelFontSize=11)
        .properties(padding={"left": 4, "right": 4, "top": 4, "bottom": 4})
    )
    spec: dict[str, Any] = combined.to_dict()
    _single_owner(spec, owner=BARS_UNIT, params=(ZOOM,))
    datasets = layout(prepared, lanes) if data else {}
    spec["datasets"] = {name: datasets.get(name, [])
                        for name in (EVENTS_DATA, LABELS_DATA, LANES_DATA, DENSITY_DATA)}
    return spec


def _single_owner(spec: dict[str, Any], *, owner: str, params: tuple[str, ...]) -> None:
    """Give layer-wide params to one layer only.

    Altair attaches a layer's params to every sublayer, which makes Vega-Lite
    define the same signals twice ("Duplicate signal name"). One owner suffices:
    the layers share their scales anyway.
    """
    for param in spec.get("params", []):
        if param["name"] in params:
            views = [v for v in param.get("views", []) if v.startswith(owner)]
            param["views"] = views[:1]
