"""JSON Schemas of the engine's interchange formats, shipped with the package.

- ``chronology``: one row of ``chronology.jsonl`` (``timeline build``);
- ``tag``: one output line of ``timeline tag``.

>>> sorted(load_schema("chronology")["required"])[:3]
['earliest', 'event_id', 'granularity']
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

SCHEMAS = ("chronology", "tag")


def load_schema(name: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) named ``name``, one of :data:`SCHEMAS`."""
    if name not in SCHEMAS:
        raise ValueError(f"unknown schema {name!r}: one of {', '.join(SCHEMAS)}")
    text = (resources.files(__package__) / f"{name}.schema.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data
