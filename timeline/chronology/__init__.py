"""Chronology stage: event mentions merged into one deduplicated chronology.

Two mentions are the same event when their time is compatible (their intervals
overlap), their content is the same (a weighted cosine over canonical features,
the same across languages) and their kinds of happening agree. The modules, in
the order the merge runs:

- :mod:`~timeline.chronology.features`: mentions as rows and columns, their features
  and weights;
- :mod:`~timeline.chronology.candidates`: candidate pairs from buckets (period x
  place/actor/name/count), bounded per class;
- :mod:`~timeline.chronology.similarity`: the pairs' scores;
- :mod:`~timeline.chronology.clusters`: classes of identical statements, and their
  clusters;
- :mod:`~timeline.chronology.entries`: one chronology entry per cluster, and the
  rows of mentions.parquet;
- :mod:`~timeline.chronology.timeblocks`: the same merge by time blocks, in bounded
  memory;
- :mod:`~timeline.chronology.writers`: Parquet, CSV, JSON Lines, Markdown;
- :mod:`~timeline.chronology.export`: TimelineJS3 JSON (``timeline export``).

>>> merge_mentions([]).height
0
"""

from timeline.chronology.clusters import Clustering, cluster_mentions
from timeline.chronology.entries import build_entries, mention_table, merge_mentions

__all__ = ["Clustering", "build_entries", "cluster_mentions", "mention_table", "merge_mentions"]
