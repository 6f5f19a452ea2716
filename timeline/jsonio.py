"""JSON in and out: orjson where it can, the standard library where orjson refuses.

orjson reads and writes JSON several times faster than the standard library. It
refuses a few things the standard library takes (NaN, lone surrogate escapes,
integers beyond 64 bits); those go to the standard library, so a value is
accepted or refused, and explained, the same way either way.

>>> loads('{"a": [1, 2]}')
{'a': [1, 2]}
>>> from datetime import date
>>> dumps({"day": date(2016, 8, 7), "text": "Minggu"})
b'{"day":"2016-08-07","text":"Minggu"}'
>>> dumps({"id": "a\\ud800"})  # a lone surrogate cannot be UTF-8: U+FFFD instead
b'{"id":"a\\xef\\xbf\\xbd"}'
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

import orjson

from timeline.characters import sanitise


def loads(text: str | bytes) -> Any:
    """A JSON value (``json.JSONDecodeError`` and the standard library's messages when
    neither reads it)."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def _default(value: Any) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def dumps(value: Any, *, indent: bool = False) -> bytes:
    """UTF-8 JSON, compact or indented by two spaces; dates as ISO strings. A lone
    surrogate in a string becomes U+FFFD."""
    try:
        return orjson.dumps(value, option=orjson.OPT_INDENT_2 if indent else 0)
    except TypeError:  # lone surrogates, integers beyond 64 bits
        separators = (",", ": ") if indent else (",", ":")
        text = json.dumps(value, ensure_ascii=False, indent=2 if indent else None,
                          separators=separators, default=_default)
        return sanitise(text)[0].encode("utf-8")
