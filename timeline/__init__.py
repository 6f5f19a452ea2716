"""timeline: reconstruct chronologies from news.

The pipeline, one stage per subpackage, data flowing one way:

- ``timeline.corpus``: documents come in, with their publication context;
- ``timeline.temporal``: temporal expressions are found and resolved (TIMEX3);
- ``timeline.events``: dated statements become event mentions;
- ``timeline.chronology``: mentions are merged into one deduplicated chronology;
- ``timeline.charts``: the chronology is drawn.

>>> import timeline
>>> timeline.resolve("pada hari Minggu", published="2016-08-09", lang="id").value
'2016-08-07'
"""

from typing import Any

from timeline.temporal import resolve, tag, tag_document
from timeline.types import Document, Timex

__all__ = ["Document", "Timex", "build", "build_chronology", "chart", "load_corpus", "resolve",
           "tag", "tag_document"]
__version__ = "0.1.0"

#: Imported on first use, so that tagging stays light (polars, altair).
_LAZY = {"build": "timeline.pipeline", "build_chronology": "timeline.pipeline",
         "load_corpus": "timeline.pipeline", "chart": "timeline.charts"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'timeline' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
