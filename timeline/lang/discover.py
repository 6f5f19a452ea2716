"""Finding languages: their folders, which rules read which language, loading them.

Folders are looked for in this package and in the directories of
``$TIMELINE_LANG_PATH`` (``os.pathsep``-separated); a folder holding a
temporal.toml is a language. A language's rules may also read others
(``[language] covers``: the Indonesian rules read Malay).
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path
from typing import Any

from timeline.lang.compile import compile_language
from timeline.lang.files import EXAMPLES_FILE, LANG_DIR, TEMPORAL_FILE, read_toml
from timeline.lang.model import Language
from timeline.lang.validate import check_example_corpus


def language_dirs() -> list[Path]:
    """Where language folders are looked for: the package, then $TIMELINE_LANG_PATH."""
    extra = [Path(p) for p in os.environ.get("TIMELINE_LANG_PATH", "").split(os.pathsep) if p]
    return [LANG_DIR, *extra]


def _folder(code: str) -> Path | None:
    if not re.fullmatch(r"[a-z]{2,3}", code or ""):
        return None
    for directory in language_dirs():
        if (directory / code / TEMPORAL_FILE).is_file():
            return directory / code
    return None


def available_languages() -> list[str]:
    """Codes of the languages that have their own rules (a folder with temporal.toml)."""
    return sorted({p.parent.name for d in language_dirs() for p in d.glob(f"*/{TEMPORAL_FILE}")
                   if re.fullmatch(r"[a-z]{2,3}", p.parent.name)})


@functools.cache
def _covered(dirs: tuple[Path, ...]) -> dict[str, str]:
    """Language code -> the language whose rules also read it (``[language] covers``)."""
    covered: dict[str, str] = {}
    for directory in dirs:
        for path in sorted(directory.glob(f"*/{TEMPORAL_FILE}")):
            for code in read_toml(path).get("language", {}).get("covers", []):
                covered.setdefault(code, path.parent.name)
    return covered


def rules_language(code: str) -> str | None:
    """The language whose rules read ``code``: its own, or the one whose
    ``[language] covers`` lists it (Malay is read by the Indonesian rules); None
    when no rules read it.

    >>> rules_language("ms"), rules_language("id"), rules_language("de")
    ('id', 'id', None)
    """
    return _rules_language(code, tuple(language_dirs()))


@functools.cache
def _rules_language(code: str, dirs: tuple[Path, ...]) -> str | None:
    # Cached: tag() asks once per text; the folders are looked up on disk.
    if _folder(code) is not None:
        return code
    return _covered(dirs).get(code)


@functools.cache
def load_language(code: str) -> Language | None:
    """The compiled rules of a language, or None when it has no folder (cached)."""
    folder = _folder(code)
    return None if folder is None else compile_language(folder)


def load_examples(code: str) -> list[dict[str, Any]]:
    """The language's example corpus (``examples.toml``): sentences with a publication
    date and every expression expected in them, annotated by hand. Empty when the
    language has no such file."""
    folder = _folder(code)
    path = None if folder is None else folder / EXAMPLES_FILE
    if path is None or not path.is_file():
        return []
    examples: list[dict[str, Any]] = read_toml(path).get("example", [])
    return check_example_corpus(examples, path)
