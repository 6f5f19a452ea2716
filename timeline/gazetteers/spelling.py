"""Names across spellings and languages: a folded form for looking names up, and a
sound key that transliterations of one name share.

News write the names of one place or person in many ways: Raqqa, Raqa, Rakka,
ar-Raqqah; Benghazi, Bengasi, Bengazi; Gaddafi, Kadhafi, Gheddafi, Gadafi, Qaddafi;
Mubarak, Moubarak; Morsi, Mursi, Morsy. Two functions tell when they are one:

- :func:`fold` (for looking a name up in a gazetteer): without accents, case,
  punctuation, leading articles ("El Cairo", "Le Caire", "al-Raqqah") and with one
  space between words. "Trípoli" and "Tripoli" fold alike; "Tripoli" and "Tarabulus"
  do not (a gazetteer lists both).
- :func:`sound_key` (for names no gazetteer knows): the fold, written by how a
  transliteration sounds: consonants that transliterations of Arabic, Persian,
  Turkish or Russian names swap are one letter (k for c/q/g/j/kh/gh, s for
  z/sh/ch/x, t for th, d for dh, f for ph, b for p and v), doubled letters are one,
  every run of vowels (with y and w where they are vowels) is one ``a``, and a final
  vowel or h is dropped ("Alepo", "Alep" and "Aleppo" alike). Names of fewer than three
  letters of key are too short to tell apart and give no key.

>>> fold("El Cairo"), fold("Le Caire"), fold("ar-Raqqah"), fold("Trípoli")
('cairo', 'caire', 'raqqah', 'tripoli')
>>> {sound_key(n) for n in ("Gaddafi", "Kadhafi", "Gheddafi", "Gadafi", "Qaddafi")}
{'kadaf'}
>>> {sound_key(n) for n in ("Raqqa", "Raqa", "Rakka", "ar-Raqqah")}
{'rak'}
>>> {sound_key(n) for n in ("Benghazi", "Bengasi", "Bengazi")}
{'bankas'}
>>> sound_key("Mubarak") == sound_key("Moubarak"), sound_key("Morsi") == sound_key("Morsy")
(True, True)
>>> sound_key("Mutassim") == sound_key("Muammar")
False
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: Leading words of a name that are articles in the languages news are written in
#: (and the Arabic article as transliterated, "al-", "el-", "ar-", "ad-" ...).
ARTICLES = frozenset({
    "al", "el", "ar", "as", "ad", "az", "ez", "an", "at", "ash", "ed", "es", "er", "en", "ul",
    "the", "la", "le", "les", "los", "las", "il", "lo", "gli", "l",
})
#: Letters that do not decompose into a base letter and accents.
_LETTERS = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d",
                          "ð": "d", "þ": "th", "ı": "i", "ħ": "h"})
#: Marks that transliterations write for Arabic letters that are not vowels (hamza, ayn).
_GLOTTAL = re.compile(r"[ʿʾʼʻ'’`´]")
_NON_LETTERS = re.compile(r"[^a-z]+")


def _base_letters(text: str) -> str:
    """``text`` case-folded, without accents, its special letters spelled in ASCII."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_LETTERS))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=1 << 16)
def fold(name: str) -> str:
    """A name as a gazetteer looks it up: no accents, case, punctuation or leading
    articles; words joined by one space ("" when nothing is left)."""
    words = _NON_LETTERS.split(_GLOTTAL.sub("", _base_letters(name)))
    words = [w for w in words if w]
    while len(words) > 1 and words[0] in ARTICLES:
        words = words[1:]
    return " ".join(words)


#: Letter groups that transliterations write for one sound, longest first.
_GROUPS = (("sch", "s"), ("tch", "s"), ("dj", "k"), ("kh", "k"), ("gh", "k"), ("ch", "s"),
           ("sh", "s"), ("zh", "s"), ("th", "t"), ("dh", "d"), ("ph", "f"), ("ck", "k"),
           ("qu", "k"), ("ou", "u"))
_GROUP = re.compile("|".join(g for g, _ in _GROUPS))
_SOUND = dict(_GROUPS)
_VOWELS = frozenset("aeiou")
#: Single letters by sound: c before e/i/y is s, elsewhere k (handled in code).
_LETTER = str.maketrans({"q": "k", "g": "k", "j": "k", "z": "s", "x": "s", "v": "b", "p": "b"})
#: Keys shorter than this are too short to tell names apart.
MIN_KEY = 3


def _word_key(word: str) -> str:
    word = re.sub(r"(.)\1+", r"\1", _GROUP.sub(lambda m: _SOUND[m.group(0)], word))
    letters = []
    for i, ch in enumerate(word):
        before = word[i - 1] if i else ""
        after = word[i + 1] if i + 1 < len(word) else ""
        if ch == "c":
            ch = "s" if after in ("e", "i", "y") else "k"
        elif ch == "y":
            ch = ch if not before and after in _VOWELS else "a"  # a consonant only first
        elif ch == "w":
            # a consonant before a vowel, first or after a vowel ("Wadi", "Adawiya"),
            # else a vowel ("Zawr")
            ch = ch if after in _VOWELS and (not before or before in _VOWELS) else "a"
        elif ch in _VOWELS:
            ch = "a"
        elif ch == "h" and (not after or (before and before not in _VOWELS)):
            continue  # a final h, or one after a consonant (digraph leftovers)
        letters.append(ch)
    key = "".join(letters).translate(_LETTER)
    key = re.sub(r"(.)\1+", r"\1", key)
    return key[:-1] if len(key) > 1 and key.endswith("a") else key


@lru_cache(maxsize=1 << 16)
def sound_key(name: str) -> str:
    """The key transliterations of one name share ("" when the name is too short).

    Each word of :func:`fold` is keyed alone; articles inside the name ("Bab
    al-Aziziya") are left out.
    """
    words = [w for w in fold(name).split() if w not in ARTICLES]
    key = " ".join(k for k in map(_word_key, words) if k)
    return key if len(key.replace(" ", "")) >= MIN_KEY else ""


#: Lower-case name particles that may open a capitalised word of a name ("al-Nusra").
CAPITAL_PREFIXES = frozenset({"al-", "el-", "ad-", "as-", "ar-", "az-", "ez-", "an-", "at-"})
#: Lower-case words a capitalised name may hold ("Bab al Aziziya", "Khan el Khalili").
CONNECTORS = frozenset({"al", "el", "ad", "as", "ar", "az", "ez", "an", "at", "de", "del", "di",
                        "of", "bin", "ibn", "ben", "abu", "da", "do", "du", "des", "la", "le",
                        "ul", "ud", "y", "e", "i"})


def capitalised(name: str) -> bool:
    """Whether a name is written as a run of capitalised words: each word capitalised and
    otherwise in lower case, or a name particle or connector. Such names are looked up
    in a text's runs of capitalised words; names of other shapes (in lower case,
    acronyms, in capitals) are matched as written.

    >>> [capitalised(n) for n in ("Deir ez-Zor", "Bab al Aziziya", "al-Nusra", "ISIS", "rezim")]
    [True, True, False, False, False]
    """
    words = name.split()
    if not words or not words[0][:1].isupper():
        return False
    for word in words:
        core = word.split("-", 1)[1] if word[:3] in CAPITAL_PREFIXES and "-" in word else word
        letters = [c for c in core if c.isalpha()]
        if not letters:
            return False
        if letters[0].isupper() and any(c.isupper() for c in letters[1:]):
            return False  # an acronym or a name written in capitals
        if not letters[0].isupper() and word.casefold() not in CONNECTORS:
            return False
    return True
