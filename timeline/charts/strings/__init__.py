"""The page's interface strings: one data file per page language (``<lang>.toml``).

Every file has the same keys (a test checks it); ``{name}`` placeholders are filled
by the page's script and by :func:`fill`. A key may have a ``_one`` variant, used
when the count it shows is 1 ("1 event", not "1 events"). Adding a page language
is adding a file here.

>>> fill(strings("en")["caption_rows"], count="1,234", lo="2019", hi="2020", filtered="",
...      **{"from": 1, "to": 50})
'1,234 events from 2019 to 2020; rows 1–50.'
>>> phrase(strings("en"), "summary_all_drawn", events="1")
'1 event, all on the time axis.'
"""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path

_DIR = Path(__file__).parent
#: Values of these placeholders decide between a key and its ``_one`` variant.
COUNT_PLACEHOLDERS = ("count", "events")


@functools.cache
def _tables() -> dict[str, dict[str, str]]:
    tables = {}
    for path in sorted(_DIR.glob("*.toml")):
        with path.open("rb") as handle:
            tables[path.stem] = {str(k): str(v) for k, v in tomllib.load(handle).items()}
    return tables


STRINGS: dict[str, dict[str, str]] = _tables()
PAGE_LANGUAGES = tuple(STRINGS)


def strings(lang: str) -> dict[str, str]:
    """The table of one page language; an unknown language is an error, not English."""
    if lang not in STRINGS:
        raise ValueError(f"page language must be one of {list(STRINGS)}, got {lang!r}")
    return STRINGS[lang]


def fill(template: str, **values: object) -> str:
    """Fill ``{name}`` placeholders (as the page's script does)."""
    for name, value in values.items():
        template = template.replace("{" + name + "}", str(value))
    return template


def phrase(table: dict[str, str], key: str, **values: object) -> str:
    """The filled string of ``key``, its ``_one`` variant when the count shown is 1."""
    if any(str(values.get(name)) == "1" for name in COUNT_PLACEHOLDERS) and key + "_one" in table:
        key += "_one"
    return fill(table[key], **values)
