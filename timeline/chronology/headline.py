"""Headlines: a short line per event saying what happened, in the statement's own words.

An entry's ``summary`` is the whole sentence of its best statement; its
``headline`` is the clause of the happening cut down to about
:data:`MIN_WORDS`–:data:`MAX_WORDS` words, in the language of that statement,
taking only words of the statement (nothing is paraphrased or translated):

1. the clause of the statement's date (its evidence, not the whole sentence);
2. without the dateline ("TRIPOLI (AFP) –"), the date itself and the word that
   introduces it ("on Friday", "pada Jumat (28/2/2020)"), nor the attribution:
   "according to X," or ", X said" around the statement, and a report's "X said
   that": what was said is the happening ("Officials said on Monday that 34
   soldiers were killed" -> "34 soldiers were killed");
3. without a connective that opens it ("However,", "Sementara itu,": the
   language data's ``[headline] openers``);
4. without asides in brackets, and cut at the end of a phrase when longer than
   :data:`MAX_WORDS` words (before a short word in lower case, "de", "ke",
   "with", that leaves at least :data:`MIN_WORDS`).

>>> text = "ISTANBUL (AA) - Late on Thursday, at least 34 Turkish soldiers were killed in an airstrike in Idlib, officials said."
>>> headline(text, text.index("Late"), text.index(","), "en")
'At least 34 Turkish soldiers were killed in an airstrike in Idlib'
"""

from __future__ import annotations

import re

from timeline.events.sentences import dateline_end
from timeline.events.statements import load_statement_cues
from timeline.events.vocabulary import load_vocabulary

#: A headline has about this many words: at least MIN_WORDS when its clause has them,
#: at most MAX_WORDS.
MIN_WORDS = 6
MAX_WORDS = 14
#: A headline of fewer words than this, cut from a longer statement, says too little.
SHORTEST = 3
#: A short word in lower case (at most this many letters) opens a phrase: a headline
#: is cut before one, never after.
FUNCTION_WORD_CHARS = 4
#: A headline never ends on a word in lower case this short ("de", "the", "dan").
TRAILING_WORD_CHARS = 3

_SPACES = re.compile(r"\s+")
_BEFORE_MARK = re.compile(r"\s+([,;:.])")
_BRACKETS = re.compile(r"\s*[(\[][^()\[\]]*(?:[)\]]|$)")
_EDGES = " ,;:–—-\"'“”‘’«»()[]"


def _drop(text: str, start: int, end: int) -> str:
    return text[:start] + " " + text[end:]


def _without_date(text: str, start: int, end: int, date_words: frozenset[str]) -> str:
    """The text without the date ``[start, end)`` and the word that introduces it ("on",
    "pada", "el": the language's ``date_words``). A date that qualifies a noun ("the
    September 2018 deal", "Thursday's attack") stays: the phrase needs it."""
    after = text[end:end + 3]
    if after[:2] in ("'s", "’s"):
        return text
    before = text[:start].rstrip()
    m = re.search(r"(?:^|[\s\"'“«(\[])([^\W\d_]+)$", before)
    if m is not None and m.group(1).casefold() in date_words:
        return _drop(text, m.start(1), end)
    if re.match(r"\s+[^\W\d_A-ZÀ-ÖØ-Þ]", text[end:]) and m is not None:
        return text  # a date between words, not introduced as one: it qualifies a noun
    return _drop(text, start, end)


def _without_attribution(text: str, lang: str | None) -> str:
    """The statement without who says it: "according to X," before it, ", X said" after
    it, and "X said (that)" before what was said."""
    vocab = load_vocabulary()
    # "X said (on Monday) that ...": what was said
    complements = vocab.complementizers.finditer(text)
    reports = vocab.reporting.finditer(text)
    for report in reports:
        after = next((c for c in complements if c.start >= report.end
                      and len(text[report.end:c.start].split()) <= 4), None)
        if after is not None and len(text[after.end:].split()) >= MIN_WORDS:
            return text[after.end:]
    # ", X said." / ", dijo X." after the statement
    for cue in vocab.attribution.finditer(text):
        comma = text.rfind(",", 0, cue.start)
        if comma > 0 and len(text[:comma].split()) >= MIN_WORDS \
                and len(text[comma:].split()) <= 8:
            return text[:comma]
    # "According to X, ..." before it
    first = vocab.attribution.finditer(text, 0, min(len(text), 40))
    if first and first[0].start <= 2:
        comma = text.find(",", first[0].end)
        if 0 < comma and len(text[comma:].split()) >= MIN_WORDS:
            return text[comma + 1:]
    return text


def _without_complementizer(text: str) -> str:
    """The clause without the complementiser that opens it ("bahwa", "that", "que")."""
    found = load_vocabulary().complementizers.finditer(text, 0, min(len(text), 20))
    if found and found[0].start == 0 and len(text[found[0].end:].split()) >= MIN_WORDS:
        return text[found[0].end:].lstrip(_EDGES)
    return text


def _balanced(line: str) -> str:
    """The line without a quotation mark left open or closed alone by the cuts."""
    for left, right in (('"', '"'), ("“", "”"), ("«", "»")):
        if left == right:
            if line.count(left) % 2:
                line = line.replace(left, "", 1)
        elif line.count(left) != line.count(right):
            line = line.replace(left, "").replace(right, "")
    return line.strip()


def _cut(words: list[str]) -> list[str]:
    """At most MAX_WORDS words, cut at the end of a phrase: before the last function
    word that leaves at least MIN_WORDS, else after MAX_WORDS words; never ending on
    a function word."""
    if len(words) > MAX_WORDS:
        ends = [i for i in range(MIN_WORDS, MAX_WORDS + 1) if _function_word(words[i])]
        words = words[:ends[-1]] if ends else words[:MAX_WORDS]
    while len(words) > MIN_WORDS and _function_word(words[-1], TRAILING_WORD_CHARS):
        words = words[:-1]
    return words


def _function_word(word: str, chars: int = FUNCTION_WORD_CHARS) -> bool:
    """A short word in lower case ("de", "ke", "yang", "with"): it opens a phrase."""
    bare = word.strip(_EDGES + ".")
    return bool(bare) and bare.isalpha() and bare.islower() and len(bare) <= chars


def headline(text: str, timex_start: int, timex_end: int, lang: str | None) -> str:
    """The headline of a statement: ``text`` is its evidence (the clause of its date),
    ``[timex_start, timex_end)`` its date within it (equal when it has none). When the
    cuts leave fewer than :data:`SHORTEST` words of a longer statement ("AS (EIA)"),
    the headline is the statement's own beginning, without its dateline, cut the same way.

    >>> headline('"En 1984, le pouvoir reconnaît les Frères comme organisation religieuse.', 4, 8, "fr")
    'Le pouvoir reconnaît les Frères comme organisation religieuse'
    """
    line = _headline(text, timex_start, timex_end, lang)
    if len(line.split()) < SHORTEST and len(text.split()) > SHORTEST:
        head = dateline_end(text)
        words = _cut(_SPACES.sub(" ", text[head:]).strip(_EDGES).split())
        line = _balanced(" ".join(words).strip(_EDGES).rstrip(".…"))
        line = line[:1].upper() + line[1:] if line else line
    return line


def _headline(text: str, timex_start: int, timex_end: int, lang: str | None) -> str:
    head = dateline_end(text)
    cues = load_statement_cues(lang)
    if timex_end > timex_start and timex_start >= head:
        text = _without_date(text, timex_start, timex_end, cues.date_words)
    text = text[head:] if head else text
    text = _SPACES.sub(" ", text).strip(_EDGES)
    text = _without_attribution(text, lang).strip(_EDGES)
    bare = _BRACKETS.sub(" ", text)  # asides in brackets are detail
    if len(bare.split()) >= MIN_WORDS:
        text = _BEFORE_MARK.sub(r"\1", _SPACES.sub(" ", bare)).strip(_EDGES)
    text = _without_complementizer(text)
    openers = cues.headline_openers
    while openers is not None and (m := openers.match(text)) is not None \
            and len(text[m.end():].split()) >= MIN_WORDS:
        text = text[m.end():].strip(_EDGES)
    words = _cut(text.split())
    line = _balanced(" ".join(words).strip(_EDGES).rstrip(".…"))
    return line[:1].upper() + line[1:] if line else line
