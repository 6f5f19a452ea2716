"""Tense cues: the words around a date that say whether it lies ahead or behind.

A language's ``[context]`` lists future cues ("akan", "will"), past cues
("mengatakan", "said"; its reporting verbs are past cues too), words that open
another clause, phrases that hold a cue word but are no cue ("next to"), and
words that set a plan in the past ("had been scheduled to").

Where a tense is a verb ending rather than a word (the Romance futures "votará",
"reprendront", "riprenderanno", the preterite "atacó"), a cue written with a
leading hyphen is a word ending: "-rán" marks the future. Such an ending is read
only on a lower-case word longer than it by two letters (a verb, not a name
such as "Irán"), and the longest listed ending of a word decides ("-rò" is a
future, "-ò" a past); a listed no-cue word ("irán") is never read by its ending.

>>> cues = TenseCues.of(["akan", "will", "'ll", "-rán"], ["said", "-ó"], not_cues=["next to"])
>>> cues.nearest("pemerintah akan".split(), backwards=True)
True
>>> cues.nearest("the house next to".split(), backwards=True) is None
True
>>> cues.nearest("los ministros votarán".split(), backwards=True), cues.nearest(["atacó"], True)
(True, False)
>>> cues.nearest("en Irán".split(), backwards=True) is None
True
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from timeline.lang.words import normalise

_EDGE_PUNCTUATION = ".,;:!?\"'“”‘’()[]«»"


@dataclass(frozen=True)
class TenseCues:
    """Words (and short phrases) that point to the future or the past.

    A cue written with a leading apostrophe ("'ll") or hyphen ("-rán") is a word
    ending (see the module's docstring).
    """

    future: frozenset[str]
    past: frozenset[str]
    future_endings: tuple[str, ...]
    longest: int
    #: Words that open a clause ("that", "which", "bahwa"): a cue beyond one
    #: belongs to another verb.
    clause_openers: frozenset[str] = frozenset()
    #: Every word of every cue: a walk need only look up phrases around one.
    cue_words: frozenset[str] = frozenset()
    #: Phrases holding a cue word that are no cue ("next to").
    not_cues: frozenset[str] = frozenset()
    #: Words before a future cue that set the plan in the past ("had been
    #: scheduled to", "previously planned"): a past cue.
    past_markers: frozenset[str] = frozenset()
    #: First words of the phrases of more than one word: only there can one start.
    phrase_starts: frozenset[str] = frozenset()
    #: Verb endings ("-rán" future, "-ó" past), longest first, with their meaning.
    verb_endings: tuple[tuple[str, bool], ...] = ()

    @classmethod
    def of(cls, future: Sequence[str], past: Sequence[str],
           clause_openers: Iterable[str] = (), not_cues: Sequence[str] = (),
           past_markers: Iterable[str] = ()) -> TenseCues:
        def words(cues: Iterable[str]) -> frozenset[str]:
            return frozenset(normalise(c) for c in cues if not c.startswith(("'", "’", "-")))

        endings = tuple(c.lower() for c in future if c.startswith(("'", "’")))
        verb_endings = tuple(sorted(
            [(c[1:].lower(), True) for c in future if c.startswith("-")]
            + [(c[1:].lower(), False) for c in past if c.startswith("-")],
            key=lambda pair: -len(pair[0])))
        longest = max((len(c.split()) for c in [*future, *past, *not_cues]), default=1)
        future_words, past_words, neutral = words(future), words(past), words(not_cues)
        every = future_words | past_words | neutral
        return cls(future_words, past_words, endings, longest, words(clause_openers),
                   frozenset(w for cue in every for w in cue.split()),
                   neutral, words(past_markers),
                   frozenset(cue.split()[0] for cue in every if " " in cue), verb_endings)

    def nearest(self, words: list[str], backwards: bool) -> bool | None:
        """True (future), False (past) or None: see :meth:`nearest_cue`."""
        return self.nearest_cue(words, backwards)[0]

    def nearest_cue(self, words: list[str], backwards: bool) -> tuple[bool | None, bool]:
        """True (future), False (past) or None: the cue nearest the span, walking
        `words` (as written, in text order; from the end when `backwards`) within
        the clause.

        A cue word is read as the longest listed phrase around it, so that "next
        to" (no cue) is not "next"; a future cue after a past marker ("had been
        scheduled to") is past. The second item says whether the cue was a verb
        ending: the tense of a verb itself ("acabó"), not of a word near it."""
        stripped = [raw.strip(_EDGE_PUNCTUATION) for raw in words]
        clean = [word.lower() for word in stripped]
        for i in (range(len(clean) - 1, -1, -1) if backwards else range(len(clean))):
            word = clean[i]
            if word in self.clause_openers:
                return None, False
            if word in self.cue_words:
                found = self._cue_at(clean, i)
                if found is not None:
                    return found, False
            if self.future_endings and word.endswith(self.future_endings):
                return True, False
            if self.verb_endings and stripped[i][:1].islower() and word not in self.not_cues:
                for ending, future in self.verb_endings:
                    if len(word) >= len(ending) + 2 and word.endswith(ending):
                        return future, True
        return None, False

    def _cue_at(self, words: list[str], i: int) -> bool | None:
        """The meaning of the longest cue phrase (or no-cue phrase) holding word `i`."""
        longest = self.longest
        for size in range(min(longest, len(words)), 0, -1):
            for start in range(max(0, i - size + 1), min(i, len(words) - size) + 1):
                if size > 1 and words[start] not in self.phrase_starts:
                    continue
                phrase = " ".join(words[start:start + size])
                if phrase in self.not_cues:
                    return None
                if phrase in self.future:
                    before = words[max(0, start - 2):start]
                    if any(" ".join(before[k:]) in self.past_markers for k in range(len(before))):
                        return False
                    return True
                if phrase in self.past:
                    return False
        return None
