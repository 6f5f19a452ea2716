"""Characters that no stage can write, replaced one for one wherever text enters.

Python strings may hold lone UTF-16 surrogates (JSON "\\ud800" escapes, file names
decoded with surrogateescape), which UTF-8 cannot encode, so every writer fails on
them; NULs and other control characters break CSV, Markdown and terminals;
bidirectional overrides make a page, a spreadsheet or a terminal show text in
another order than it is. Text is
made safe once, where it comes in (the corpus, `timeline tag`'s lines, JSON out),
and each replacement is one character for one, so offsets keep their meaning.
"""

from __future__ import annotations

import re
from typing import Any

#: Lone UTF-16 surrogates: Python strings may hold them (JSON "\\ud800" escapes,
#: file names decoded with surrogateescape), UTF-8 cannot, so every writer fails.
_SURROGATES = re.compile("[\ud800-\udfff]")
#: C0 and C1 control characters other than line feed and tab.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: Bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069):
#: invisible, they reorder what follows them, in a page, a spreadsheet cell or a
#: terminal ("txt.exe" shown as "exe.txt"). The marks (U+200E, U+200F, U+061C)
#: reorder nothing around them and are kept.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


def sanitise(text: str) -> tuple[str, str | None]:
    """Replace what no later stage can write, one character for one, with a note.

    Lone surrogates and bidirectional overrides, embeddings and isolates become
    U+FFFD (the replacement character); NULs and other control characters except
    line feed and tab become spaces. Each replacement is one character for one, so
    offsets into the text keep their meaning.

    >>> sanitise("a\\ud800b\\x00c")
    ('a\\ufffdb c', '1 lone surrogate replaced by U+FFFD; 1 control character replaced by a space')
    >>> sanitise("clean\\n\\ttext")
    ('clean\\n\\ttext', None)
    """
    text, surrogates = _SURROGATES.subn("\ufffd", text)
    text, controls = _CONTROLS.subn(" ", text)
    text, bidi = _BIDI.subn("\ufffd", text)
    notes = []
    if surrogates:
        notes.append(f"{surrogates} lone surrogate{'s' if surrogates > 1 else ''} "
                     "replaced by U+FFFD")
    if controls:
        notes.append(f"{controls} control character{'s' if controls > 1 else ''} "
                     f"replaced by {'spaces' if controls > 1 else 'a space'}")
    if bidi:
        notes.append(f"{bidi} bidirectional control character{'s' if bidi > 1 else ''} "
                     "(which would reorder the text around it) replaced by U+FFFD")
    return text, "; ".join(notes) or None


def sanitise_value(value: Any) -> Any:
    """A metadata value with every string in it sanitised (lists and dicts walked)."""
    if isinstance(value, str):
        return sanitise(value)[0]
    if isinstance(value, dict):
        return {sanitise_value(k): sanitise_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(sanitise_value(v) for v in value)
    return value
