"""Language of an article, when the metadata does not give it.

py3langid (a maintained fork of langid.py) ships its trained model inside the
package, runs offline, is deterministic, covers ~100 languages and tells
Indonesian from Malay on long texts; a hand-written stop-word vote would cover
two languages and guess on the rest. On a headline or a sentence it often says
Malay for Indonesian, with the two nearly equally likely (the languages share
most words). So a language that another's rules cover (``[language] covers`` in
the language data: Malay by Indonesian) is reported as the covering language
unless the model finds it clearly likelier (:data:`COVERED_MARGIN`); the same
rules read both either way.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from timeline.lang.discover import rules_language

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

#: Characters read for detection: enough for a stable answer, bounded for 50 MB inputs.
DETECT_CHARS = 10_000

#: A covered language (Malay) is reported only when the model finds it this many
#: times likelier than the language whose rules cover it (Indonesian). Short
#: Indonesian headlines come out between 0.3 and 2; Malay sentences well above 3.
COVERED_MARGIN = 3.0

#: Returned when the text has no letters to judge by (ISO 639-2 "undetermined").
UNDETERMINED = "und"

_LETTER = re.compile(r"[^\W\d_]")
_LANG_CODE = re.compile(r"^(?P<primary>[A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*$")


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    # Lazy: py3langid and its model load in ~15 ms more (numpy first, ~0.3 s, when
    # nothing else loaded it); the command line needs them only for texts whose
    # language is not given.
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language: 'id', 'en', or another.

    >>> detect_language("Pada Senin (11/11/2013), enam kelompok mengeluarkan seruan")
    'id'
    >>> detect_language("Awal bulan ini, mereka merebut kota itu.")  # 'ms' to py3langid
    'id'

    The model also knows languages without a two-letter code (e.g. Egyptian
    Arabic 'arz'); the best-ranked two-letter code is returned instead ('ar'), so
    callers always get ISO 639-1. Text without letters gives 'und'.
    """
    sample = text[:DETECT_CHARS]
    if not _LETTER.search(sample):
        return UNDETERMINED
    ranked: list[tuple[str, float]] = _identifier().rank(sample)
    for label, score in ranked:
        if len(label) == 2:
            cover = rules_language(label)
            if cover is not None and cover != label:
                if score < COVERED_MARGIN * dict(ranked).get(cover, 0.0):
                    return cover
            return label
    return UNDETERMINED


def normalise_lang(value: object) -> str | None:
    """A metadata language value as a lower-case primary code ('en-US' -> 'en'), or None."""
    if not isinstance(value, str):
        return None
    match = _LANG_CODE.match(value.strip())
    return match["primary"].lower() if match else None
