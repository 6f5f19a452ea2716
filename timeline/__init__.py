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

from timeline.temporal import resolve, tag, tag_document
from timeline.types import Document, Timex

__all__ = ["Document", "Timex", "resolve", "tag", "tag_document"]
__version__ = "0.1.0"


def __getattr__(name: str):
    # Later stages are imported on first use, so that tagging stays light.
    if name in ("build", "build_chronology", "load_corpus"):
        from timeline import pipeline

        return getattr(pipeline, name)
    if name == "chart":
        from timeline.charts import chart

        return chart
    raise AttributeError(f"module 'timeline' has no attribute {name!r}")
