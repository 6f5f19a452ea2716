"""What every language shares (``common.toml``): the TIMEX3 vocabulary, part-of-day
and unit codes, the kinds of happening, the reference date of the rules' examples.

The loader checks each language's files against it, so that a misspelt code fails
when the file is loaded.

>>> sorted(load_common().types)
['DATE', 'DURATION', 'SET', 'TIME']
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from timeline.lang.files import LANG_DIR, read_toml

COMMON_FILE = LANG_DIR / "common.toml"


@dataclass(frozen=True)
class Common:
    """What every language shares (``common.toml``)."""

    types: frozenset[str]
    mods: frozenset[str]
    references: frozenset[str]
    #: Part-of-day code -> True when a clock hour said with it is after noon.
    parts: dict[str, bool]
    #: Unit code -> granularity of a period of it ("" for units under a day).
    units: dict[str, str]
    #: Reference publication date of the rules' own examples.
    example_published: str
    #: Kind of happening -> the canonical event keys of that kind.
    event_kinds: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: Kind -> the kinds its words take as their object ("condemned the strike").
    event_kinds_governing: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: Quantity-noun classes compared also without a count ("troops", "pasukan").
    participants: tuple[str, ...] = ()
    #: Kind -> the other kinds of happening its words may also tell of.
    event_kinds_also: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: The file read.
    path: Path = COMMON_FILE


@functools.cache
def load_common() -> Common:
    """The shared file, read once (cached; ``load_common.cache_clear()`` to read it again)."""
    path = COMMON_FILE
    data = read_toml(path)
    timex = data["timex"]
    return Common(frozenset(timex["types"]), frozenset(timex["mods"]),
                  frozenset(timex["references"]),
                  {code: bool(entry["pm"]) for code, entry in data["parts"].items()},
                  dict(data["units"]), data["examples"]["published"],
                  {kind: tuple(keys) for kind, keys in data.get("event_kinds", {}).items()},
                  {kind: tuple(objects)
                   for kind, objects in data.get("event_kinds_governing", {}).items()},
                  tuple(data.get("participants", {}).get("classes", [])),
                  event_kinds_also={kind: tuple(others)
                                    for kind, others in data.get("event_kinds_also", {}).items()},
                  path=path)
