"""Types that cross pipeline stages, defined once.

A :class:`Document` comes in, :class:`Timex` values are found in it. Later stages
(events, chronology) define their own types on top of these.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

#: TIMEX3 types.
TIMEX_TYPES = ("DATE", "TIME", "DURATION", "SET")

#: What a value was resolved against (see CONVENTIONS.md).
ANCHORS = ("absolute", "published", "narrative", "none")


@dataclass(frozen=True, slots=True)
class Timex:
    """One temporal expression found in a text, with its TIMEX3 normalisation.

    ``start``/``end`` are ``str`` indices into the text (end exclusive), so
    ``text[start:end] == timex.text``. ``earliest``/``latest`` are the inclusive
    calendar interval (ISO dates) the value denotes, narrowed by ``mod``; they are
    ``None`` for durations, sets, and values that could not be anchored.

    >>> Timex(0, 11, "hari Minggu", "DATE", "2016-08-07", "2016-08-07", "2016-08-07", "published")
    ... # doctest: +ELLIPSIS
    Timex(start=0, end=11, text='hari Minggu', type='DATE', value='2016-08-07', ...)
    """

    start: int
    end: int
    text: str
    type: str
    value: str
    earliest: str | None
    latest: str | None
    anchor: str
    mod: str | None = None
    granularity: str | None = None
    lang: str | None = None
    rule: str | None = None
    confidence: float = 1.0
    #: ISO weekday (1 = Monday) the expression names, when it names one.
    weekday: int | None = None
    #: UTC offset of a clock time, e.g. "+07:00" for WIB.
    timezone: str | None = None
    #: SET quantifier/frequency ("EVERY", "1X").
    quant: str | None = None
    freq: str | None = None
    #: Why the value is uncertain or inconsistent (e.g. weekday/date mismatch).
    note: str | None = None
    #: For ``anchor="narrative"``: the ISO date the value was counted from, so that
    #: a later stage that knows more dated statements can count it again.
    anchored_on: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict in the `timeline tag` format; optional empty fields omitted."""
        out = asdict(self)
        for key in ("mod", "granularity", "lang", "rule", "weekday", "timezone",
                    "quant", "freq", "note", "anchored_on"):
            if out[key] is None:
                del out[key]
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Timex:
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in data.items() if k in known})


@dataclass(frozen=True, slots=True)
class Document:
    """One article with its publication context.

    ``published`` keeps the time zone when the metadata gives one; ``None`` means
    unknown (relative expressions then stay unresolved).
    """

    id: str
    text: str
    published: datetime | None = None
    lang: str | None = None
    source: str | None = None
    url: str | None = None
    title: str | None = None
    #: True when ``published`` was inferred from the text rather than given.
    published_inferred: bool = False
    #: Free-form provenance (path, row number, inference evidence, ...).
    meta: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


# --- events and chronology (timeline.events, timeline.chronology) ---------------

#: Whether a mention's date is when the fact happened or when it was reported.
ROLES = ("occurred", "reported")


@dataclass(frozen=True, slots=True)
class Quantity:
    """A count with its noun, read from the words: "34 tentara Turki" -> 34 soldier.

    ``noun`` is the canonical noun class from the language data ("soldier",
    "fighter", "civilian", ...), shared across languages so that counts compare.
    """

    value: int
    noun: str
    text: str

    def key(self) -> str:
        return f"{self.value} {self.noun}"


@dataclass(frozen=True, slots=True)
class EventMention:
    """A dated statement: the sentence or clause a DATE/TIME expression anchors.

    ``start``/``end`` are offsets of the evidence (sentence or clause) in the
    document text; ``timex_start``/``timex_end`` those of the temporal expression
    (equal to the evidence start when the date comes from a narrative phrase such
    as "sehari kemudian" resolved against an earlier date). ``role`` is
    ``occurred`` when the date is when the fact happened, ``reported`` when it is
    only when someone reported it ("SOHR melaporkan pada hari Senin bahwa ..."):
    the fact then happened on or before ``latest``. ``features`` are the
    canonical content keys that the merge compares (``place:aleppo``,
    ``actor:turkey``, ``event:killed``, ``qty:34 soldier``, ``name:ramousah``).
    """

    doc_id: str
    start: int
    end: int
    text: str
    timex: str
    timex_start: int
    timex_end: int
    value: str
    earliest: str
    latest: str
    granularity: str
    role: str
    anchor: str
    lang: str | None = None
    source: str | None = None
    published: str | None = None
    actors: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    event_words: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    attribution: str | None = None
    #: Who took part, by noun class, with or without a count ("soldier", "civilian").
    participants: tuple[str, ...] = ()
    #: Kinds of happening the statement tells ("violence", "accord"), from its event words.
    kinds: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """Identity of the mention: document and evidence offsets."""
        return f"{self.doc_id}:{self.start}:{self.end}:{self.timex_start}"

    @property
    def features(self) -> tuple[str, ...]:
        return (tuple(f"place:{p}" for p in self.places)
                + tuple(f"actor:{a}" for a in self.actors)
                + tuple(f"name:{n}" for n in self.names)
                + tuple(f"qty:{q.key()}" for q in self.quantities)
                + tuple(f"count:{q.noun}" for q in self.quantities)
                + tuple(f"party:{p}" for p in self.participants)
                + tuple(f"event:{e}" for e in self.event_words))
