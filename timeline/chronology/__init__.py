"""Chronology stage: event mentions merged into one deduplicated chronology.

- :mod:`timeline.chronology.merge`: blocking, similarity, clustering, entries;
- :mod:`timeline.chronology.writers`: Parquet, CSV, JSON Lines, Markdown;
- :mod:`timeline.chronology.export`: TimelineJS3 JSON (``timeline export``).
"""

from timeline.chronology.merge import (
    CHRONOLOGY_SCHEMA,
    MENTIONS_SCHEMA,
    cluster_mentions,
    mentions_frame,
    merge_mentions,
)

__all__ = ["CHRONOLOGY_SCHEMA", "MENTIONS_SCHEMA", "cluster_mentions", "merge_mentions",
           "mentions_frame"]
