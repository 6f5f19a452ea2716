"""Language data: one folder per language, read and checked by one loader.

The engine knows no words. Everything language-specific lives in
``timeline/lang/<code>/``:

- ``temporal.toml``: temporal vocabulary and extraction rules (layout in the
  header of ``id/temporal.toml``), compiled once into matchers;
- ``events.toml``: the event vocabulary (event words, quantity nouns, reporting
  verbs, sentence abbreviations), read by :mod:`timeline.events.vocabulary`;
- ``examples.toml``: example sentences with every expected expression, run by
  the test suite.

``common.toml`` holds what every language shares (TIMEX3 types, mods, vague
references, part-of-day codes, units); ``kinds.toml`` the kinds of value a rule
builds and the slots (named groups) each kind reads. Domain gazetteers (the
actors and places of one conflict) are not language data: see
``timeline/gazetteers/``.

Files are validated when loaded (:mod:`timeline.lang.validate`): a file that
does not follow its schema raises :class:`LanguageDataError` naming the file,
the rule and the problem.

Adding a language means adding a folder. Folders are looked for in this package
and in the directories of ``$TIMELINE_LANG_PATH`` (``os.pathsep``-separated).

>>> language = load_language("id")
>>> language.name, rules_language("ms")
('Indonesian', 'id')

The modules, by job: :mod:`~timeline.lang.files` (reading files, reporting
problems), :mod:`~timeline.lang.words` (how words are compared and matched),
:mod:`~timeline.lang.tense` (tense cues), :mod:`~timeline.lang.model` (the
compiled types), :mod:`~timeline.lang.common` and :mod:`~timeline.lang.kinds`
(the shared files), :mod:`~timeline.lang.validate`,
:mod:`~timeline.lang.compile`, :mod:`~timeline.lang.keys` (what a rule needs to
match), :mod:`~timeline.lang.discover` (finding and loading languages),
:mod:`~timeline.lang.detect` (language identification) and
:mod:`~timeline.lang.support` (what reads a language). This module only
re-exports the names other packages use.
"""

from __future__ import annotations

from timeline.lang.common import load_common
from timeline.lang.compile import compile_language
from timeline.lang.discover import (
    available_languages,
    load_examples,
    load_language,
    rules_language,
)
from timeline.lang.files import LANG_DIR, LanguageDataError
from timeline.lang.model import Language, Rule
from timeline.lang.support import FALLBACK_NOTE, language_problem, language_support

__all__ = [
    "FALLBACK_NOTE",
    "LANG_DIR",
    "Language",
    "LanguageDataError",
    "Rule",
    "available_languages",
    "compile_language",
    "language_problem",
    "language_support",
    "load_common",
    "load_examples",
    "load_language",
    "rules_language",
]
