"""timeline: reconstruct chronologies from news.

The pipeline, one stage per subpackage, data flowing one way:

- ``timeline.corpus``: documents come in, with their publication context;
- ``timeline.temporal``: temporal expressions are found and resolved (TIMEX3);
- ``timeline.events``: dated statements become event mentions;
- ``timeline.chronology``: mentions are merged into one deduplicated chronology;
- ``timeline.charts``: the chronology is drawn;
- ``timeline.evaluation``: what was found is scored against gold.

Below them, the kernel (``types``, ``frames``, ``limits``, ``errors`` ...) and the
language data (``timeline.lang``); above them, the build that composes them
(``timeline.pipeline``), and on top the command line (``timeline.cli``).

>>> import timeline
>>> timeline.resolve("pada hari Minggu", published="2016-08-09", lang="id").value
'2016-08-07'
"""

import importlib
from typing import Any

from timeline.types import Document, Timex

__all__ = ["Document", "Timex", "build", "build_chronology", "chart", "load_corpus", "resolve",
           "tag", "tag_document"]
__version__ = "0.1.0"

#: Imported on first use: `timeline --help` needs none of them, tagging needs no
#: polars or Altair (the rules take ~0.5 s to load, the build's modules ~0.3 s more,
#: the charts 0.8 s).
_LAZY = {"tag": "timeline.temporal", "tag_document": "timeline.temporal",
         "resolve": "timeline.temporal", "build": "timeline.pipeline.driver",
         "build_chronology": "timeline.pipeline.driver",
         "load_corpus": "timeline.pipeline.driver", "chart": "timeline.charts"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'timeline' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
