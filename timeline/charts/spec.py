"""The Altair chart: a density overview with a brush above a detail timeline.

Day events are points in the middle of their day; coarser or uncertain ones
(a week, a month, "awal bulan ini") are bars over their whole inclusive interval,
so that uncertainty is drawn as length. Rows are granularities, finest on top,
and events that overlap get separate lanes within a row. Points grow and bars
darken with the number of mentions; colour is the source (or language) that
reported the event most, switchable through the ``color_by`` parameter; clicking
the legend keeps only that colour; conflicting events get a black outline.

Names below (``brush``, ``zoom``, ``pick``, ``color_by``, the ``events_*`` units)
are what the page's script and the browser tests address, so they are constants.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import altair as alt

from timeline.charts.data import COLOR_CATEGORIES, Prepared

BRUSH = "brush"
ZOOM = "zoom"
PICK = "pick"
COLOR_BY = "color_by"
#: Vega-Lite unit names; their marks are named ``<unit>_marks`` in Vega.
POINTS_UNIT = "events_points"
BARS_UNIT = "events_bars"
OVERVIEW_UNIT = "overview"
EVENTS_DATA = "events"
DENSITY_DATA = "density"
#: The overview's x field, which the brush projects on.
BIN_FIELD = "bin_start"

COLOR_FIELDS = {"source": "source_key", "language": "language_key"}
PALETTE = [
    "#4c78a8", "#f58518", "#54a24b", "#e45756", "#72b7b2", "#b279a2", "#eeca3b",
    "#9d755d", "#ff9da6",
]
OTHER_COLOR = "#bab0ac"
assert len(PALETTE) == COLOR_CATEGORIES
WIDTH = 960

TOOLTIP = [
    alt.Tooltip("date:N", title="date"),
    alt.Tooltip("summary:N", title="summary"),
    alt.Tooltip("sources:N", title="sources"),
    alt.Tooltip("mentions:Q", title="mentions"),
    alt.Tooltip("conflict:N", title="conflict"),
]


def _epoch_ms(day: str) -> int:
    return int(datetime.fromisoformat(day).replace(tzinfo=UTC).timestamp() * 1000)


def _mention_ticks(events: list[dict[str, Any]]) -> list[int]:
    """A few whole numbers for the size legend (its default ticks repeat after rounding)."""
    counts = sorted({e["mentions"] for e in events if e["shape"] == "point"}) or [1]
    if len(counts) <= 4:
        return counts
    return sorted({counts[0], counts[len(counts) // 2], counts[-1]})


def _choice(options: dict[str, list[str]]) -> str:
    """A Vega expression picking a list by the ``color_by`` parameter."""
    source, language = (json.dumps(options[k], ensure_ascii=True) for k in ("source", "language"))
    return f"{COLOR_BY} === 'language' ? {language} : {source}"


def build_chart(prepared: Prepared, *, color_by: str = "source") -> alt.VConcatChart:
    """The overview + detail chart for prepared data (see :func:`timeline.charts.chart`)."""
    return alt.VConcatChart.from_dict(build_spec(prepared, color_by=color_by), validate=False)


def build_spec(prepared: Prepared, *, color_by: str = "source") -> dict[str, Any]:
    """The chart as a Vega-Lite dict, the form the page and the images need.

    Altair builds the structure around named datasets; the rows are added to the
    dict afterwards, because altair converts inline rows value by value, which
    takes seconds for thousands of events.
    """
    if color_by not in COLOR_FIELDS:
        raise ValueError(f"color_by must be one of {sorted(COLOR_FIELDS)}, got {color_by!r}")
    events = [{k: v for k, v in e.items() if k != "evidence"} for e in prepared.events]
    rows = prepared.rows or ["day"]
    detail_height = max(160, 60 * len(rows))

    # Fixed domains: a legend filter may empty one layer, and sizes should not
    # change meaning when it does.
    counts = [e["mentions"] for e in events] or [1]
    mention_range = [min(counts), max(max(counts), min(counts) + 1)]

    # Thousands of points need smaller ones, or the busiest weeks become one blot.
    max_size = 420 if len(events) <= 300 else 160 if len(events) <= 1_500 else 70
    min_size = min(40, max_size // 4)
    mention_legend = alt.Legend(orient="right", format="d", values=_mention_ticks(events))

    color_by_param = alt.param(name=COLOR_BY, value=color_by)
    brush = alt.selection_interval(name=BRUSH, encodings=["x"])
    zoom = alt.selection_interval(name=ZOOM, encodings=["x"], bind="scales")
    # A legend-bound selection clears itself on a click outside any mark; a
    # double-click (which resets the zoom) should not clear it as well.
    pick = alt.selection_point(name=PICK, fields=["color_key"], bind="legend", clear=False)

    color = alt.Color(
        "color_key:N",
        title="colour",
        scale=alt.Scale(
            domain=alt.ExprRef(_choice({"source": prepared.sources,
                                        "language": prepared.languages})),
            # "other" exists only beyond nine categories, so it always lands on grey.
            range=[*PALETTE, OTHER_COLOR],
        ),
        legend=alt.Legend(orient="right", symbolType="square", labelLimit=160),
    )
    # Rows are laid out in Python (row units, finest granularity on top), so that
    # each row divides its height among only the lanes it needs.
    labels = json.dumps(rows, ensure_ascii=True)
    row_axis = alt.Axis(values=[i + 0.5 for i in range(len(rows))], grid=False, ticks=False,
                        domain=False, labelFontWeight="bold", labelPadding=6,
                        labelExpr=f"{labels}[floor(datum.value)]")
    row_scale = alt.Scale(domain=[0, len(rows)], reverse=True, nice=False, zero=False)
    y_point = alt.Y("y:Q", title=None, scale=row_scale, axis=row_axis)
    y_bar = alt.Y("y0:Q", title=None, scale=row_scale, axis=row_axis)
    x_axis = alt.Axis(title=None, labelOverlap=True, grid=True)
    # UTC throughout: dates are calendar days, the viewer's time zone must not shift them.
    # Both views span the same period: first day to the end of the last one.
    # (as epoch milliseconds: Vega-Lite misreads ISO strings in a scale domain)
    period: Any = ([_epoch_ms(prepared.first), _epoch_ms(prepared.last_end)]
                   if prepared.first and prepared.last_end else alt.Undefined)
    utc = alt.Scale(type="utc", padding=14, domain=period)
    outline = alt.condition("datum.has_conflict", alt.value("#000000"), alt.value(None))
    outline_width = alt.condition("datum.has_conflict", alt.value(2), alt.value(0))

    base = (
        alt.Chart(alt.NamedData(name=EVENTS_DATA))
        .transform_calculate(
            color_key=f"{COLOR_BY} === 'language' ? datum.language_key : datum.source_key"
        )
        .transform_filter(pick)
    )
    points = (
        base.transform_filter("datum.shape === 'point'")
        .mark_point(filled=True, opacity=0.85, clip=True)
        .encode(
            x=alt.X("mid:T", scale=utc, axis=x_axis),
            y=y_point,
            color=color,
            size=alt.Size("mentions:Q", title="mentions",
                          scale=alt.Scale(range=[min_size, max_size], domain=mention_range),
                          legend=mention_legend),
            stroke=outline,
            strokeWidth=outline_width,
            tooltip=TOOLTIP,
        )
        .properties(name=POINTS_UNIT)
    )
    bars = (
        base.transform_filter("datum.shape === 'bar'")
        .mark_bar(cornerRadius=2, clip=True)
        .encode(
            x=alt.X("start:T", scale=utc, axis=x_axis),
            x2="end:T",
            y=y_bar,
            y2="y1:Q",
            color=color,
            # Same field as the points' size: Vega-Lite merges the two into one
            # "mentions" legend (bigger and darker), so both must keep a legend.
            opacity=alt.Opacity("mentions:Q", title="mentions",
                                scale=alt.Scale(range=[0.5, 0.95], domain=mention_range),
                                legend=mention_legend),
            stroke=outline,
            strokeWidth=outline_width,
            tooltip=TOOLTIP,
        )
        .properties(name=BARS_UNIT)
    )
    detail = (
        # Bars under points; altair gives layer-level params to the first layer.
        alt.layer(bars, points)
        .add_params(zoom, pick)
        .properties(width=WIDTH, height=detail_height,
                    title=alt.TitleParams("Events (scroll to zoom, drag to pan, "
                                          "double-click to reset)", anchor="start",
                                          fontSize=12, fontWeight="normal"))
    )
    overview = (
        alt.Chart(alt.NamedData(name=DENSITY_DATA))
        .mark_bar(color="#6b7b8c")
        .encode(
            x=alt.X(f"{BIN_FIELD}:T", scale=alt.Scale(type="utc", padding=14, domain=period),
                    axis=alt.Axis(title=None)),
            x2="bin_end:T",
            y2=alt.datum(0),
            y=alt.Y("events:Q", title=f"events per {prepared.bin}",
                    scale=alt.Scale(zero=True, nice=True),
                    axis=alt.Axis(tickCount=3, titleFontWeight="normal")),
            tooltip=[alt.Tooltip("bin_start:T", title=prepared.bin, format="%Y-%m-%d"),
                     alt.Tooltip("events:Q", title="events")],
        )
        .add_params(brush)
        .properties(width=WIDTH, height=70, name=OVERVIEW_UNIT,
                    title=alt.TitleParams("Overview: drag to choose the period shown below",
                                          anchor="start", fontSize=12, fontWeight="normal"))
    )
    combined = (
        alt.vconcat(overview, detail, spacing=18)
        .add_params(color_by_param)
        .configure_view(stroke=None)
        .configure_axis(labelFontSize=11)
    )
    spec = combined.to_dict()
    _single_owner(spec, owner=BARS_UNIT, params=(ZOOM, PICK))
    spec["datasets"] = {EVENTS_DATA: events, DENSITY_DATA: prepared.density}
    return spec


def _single_owner(spec: dict[str, Any], *, owner: str, params: tuple[str, ...]) -> None:
    """Give layer-wide params to one layer only.

    Altair attaches a layer's params to every sublayer, which makes Vega-Lite
    define the same signals twice ("Duplicate signal name"). One owner suffices:
    the scales and the legend are shared by the layers anyway.
    """
    for param in spec.get("params", []):
        if param["name"] in params:
            views = [v for v in param.get("views", []) if v.startswith(owner)]
            param["views"] = views[:1]

