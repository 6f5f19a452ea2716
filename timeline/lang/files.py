"""Language files: where they are, how they are read, how their problems are told.

A file that does not follow its schema raises :class:`LanguageDataError`, whose
message names the file, the rule or section at fault and every problem found in
it at once (a language author fixes them in one pass).
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

#: The package's own language folders (and common.toml, kinds.toml) are here.
LANG_DIR = Path(__file__).parent
TEMPORAL_FILE = "temporal.toml"
EVENTS_FILE = "events.toml"
EXAMPLES_FILE = "examples.toml"
FURNITURE_FILE = "furniture.toml"
STATEMENTS_FILE = "statements.toml"


class LanguageDataError(ValueError):
    """A language file that does not follow the schema; the message names the
    file, the rule (when one is at fault) and the problem."""


class Problems:
    """Collects what is wrong with one file, to raise it all at once.

    >>> problems = Problems(Path("xx/temporal.toml"))
    >>> problems.add("no example: every rule carries at least one", "date_words")
    >>> problems.raise_any()
    Traceback (most recent call last):
    ...
    timeline.lang.files.LanguageDataError: xx/temporal.toml: 1 problem(s):
      rule 'date_words': no example: every rule carries at least one
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.items: list[str] = []

    def add(self, message: str, rule: str | None = None) -> None:
        self.items.append(f"rule {rule!r}: {message}" if rule else message)

    def raise_any(self) -> None:
        if self.items:
            listed = "\n  ".join(self.items)
            raise LanguageDataError(f"{self.path}: {len(self.items)} problem(s):\n  {listed}")


def read_toml(path: Path) -> dict[str, Any]:
    """The parsed file; invalid TOML is a :class:`LanguageDataError` naming it."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise LanguageDataError(f"{path}: not valid TOML: {exc}") from None
