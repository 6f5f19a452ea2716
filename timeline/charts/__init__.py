"""Charts: the chronology drawn as a timeline of key events, lanes and an overview.

- :func:`chart` returns the Altair chart (for notebooks);
- :func:`write_html` writes the offline page: the chart, search,
  a list of every event of the period shown, a detail panel with every mention,
  CSV download, in English or Indonesian (``timeline render DIR``);
- :func:`write_image` writes the chart of the whole period as PNG or SVG;
- :func:`screenshot` photographs the page in headless Chromium.

A chronology is a polars frame, a list of dicts or a directory holding
``chronology.parquet`` (see docs/conventions.md for its schema).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from timeline.charts.data import ChronologyLike, Names, load_chronology, prepare
from timeline.charts.lanes import Lanes, LanesUnavailable
from timeline.charts.screenshot import ChromiumNotFound, find_chromium, screenshot
from timeline.charts.strings import PAGE_LANGUAGES

if TYPE_CHECKING:
    import altair as alt

# The chart modules (Altair, vl-convert) are imported by the functions that draw: they
# take ~0.8 s, which a build without charts, and the command line's parser (it reads
# PAGE_LANGUAGES), need not pay.

__all__ = [
    "PAGE_LANGUAGES",
    "ChromiumNotFound",
    "LanesUnavailable",
    "chart",
    "find_chromium",
    "load_chronology",
    "screenshot",
    "write_html",
    "write_image",
]


def chart(chronology: ChronologyLike, *, lanes: Lanes = "source",
          gazetteers: Sequence[str | Path] | None = None) -> alt.VConcatChart:
    """The overview + detail chart of a chronology, as an Altair chart.

    In a notebook the detail view zooms and pans; the overview brush drives the
    detail view in the page written by :func:`write_html` (Vega-Lite cannot bind
    one scale to both a brush and a zoom).

    >>> import timeline
    >>> timeline.chart([{"event_id": "e1", "earliest": "2016-08-07",
    ...                  "latest": "2016-08-07", "summary": "…"}])  # doctest: +SKIP
    """
    from timeline.charts.spec import build_chart  # lazy: see the imports above

    return build_chart(prepare(chronology, names=Names.of(gazetteers)), lanes=lanes)


def write_html(chronology: ChronologyLike, path: str | Path, *, lanes: Lanes = "source",
               page_lang: str = "en", gazetteers: Sequence[str | Path] | None = None) -> Path:
    """Write the offline page; a directory ``path`` gets ``timeline.html``.

    ``page_lang`` is the language of the page's interface (see ``PAGE_LANGUAGES``);
    ``lanes`` the lanes it opens with (the reader can switch; :class:`LanesUnavailable`
    when no event has data for them); ``gazetteers`` (default: the default ones) show
    places and actors by name and let the search find every spelling. The data is
    read in a stream from a build's ``chronology.parquet``; a large chronology's
    chunks go to ``timeline-data/`` next to the page (see :mod:`timeline.charts.page`).
    """
    from timeline.charts.page import write_page  # lazy: see the imports above

    return write_page(chronology, path, lanes=lanes, page_lang=page_lang,
                      names=Names.of(gazetteers))


def write_image(chronology: ChronologyLike, path: str | Path,
                format: Literal["png", "svg"] = "png", *, lanes: Lanes = "source",
                scale: float = 2.0, gazetteers: Sequence[str | Path] | None = None) -> Path:
    """Write the chart of the whole period as a static PNG or SVG (vl-convert, offline).

    A directory ``path`` gets ``timeline.png`` / ``timeline.svg``.
    """
    import vl_convert  # lazy: see the imports above

    from timeline.charts.spec import build_spec

    if format not in ("png", "svg"):
        raise ValueError(f"format must be 'png' or 'svg', got {format!r}")
    path = Path(path)
    if path.is_dir():
        path = path / f"timeline.{format}"
    path.parent.mkdir(parents=True, exist_ok=True)
    prepared = prepare(chronology, names=Names.of(gazetteers))
    if lanes not in prepared.lanes and lanes != "source":
        raise LanesUnavailable(f"no event names a{'n' if lanes[0] in 'aeiou' else ''} {lanes}, "
                               f"so there are no lanes by {lanes}")
    spec = build_spec(prepared, lanes=lanes)
    if format == "png":
        path.write_bytes(vl_convert.vegalite_to_png(spec, scale=scale))
    else:
        path.write_text(vl_convert.vegalite_to_svg(spec), encoding="utf-8")
    return path
