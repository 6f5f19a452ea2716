"""Types that cross pipeline stages, defined once.

A :class:`Document` comes in, :class:`Timex` values are found in it. Later stages
(events, chronology) define their own types on top of these.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any, Literal, get_args

#: TIMEX3 types (``common.toml`` [timex] types; a test keeps the two equal).
TimexType = Literal["DATE", "TIME", "DURATION", "SET"]
#: What a value was resolved against (see docs/conventions.md).
Anchor = Literal["absolute", "published", "narrative", "none"]
#: TIMEX3 modifiers (``common.toml`` [timex] mods).
Mod = Literal["START", "MID", "END", "APPROX", "MORE_THAN", "LESS_THAN", "EQUAL_OR_MORE",
              "EQUAL_OR_LESS", "BEFORE", "AFTER", "ON_OR_AFTER", "ON_OR_BEFORE"]
#: The calendar granularity of a value ("vague" for PAST_REF and the like).
Granularity = Literal["time", "day", "weekend", "week", "month", "quarter", "half", "season",
                      "year", "decade", "century", "vague"]
#: Whether a mention's date is when the fact happened or when it was reported.
Role = Literal["occurred", "reported"]
#: What a statement tells (timeline.events.statements): a happening on its date (the
#: chronology), or what is set aside: a schedule or forecast, a hypothesis (could,
#: if, a question), an opinion, nothing but its date (a page stamp, a bare date), or
#: page furniture (read only when a build keeps everything).
Tells = Literal["happening", "schedule", "hypothesis", "opinion", "nothing", "furniture"]

TIMEX_TYPES: tuple[TimexType, ...] = get_args(TimexType)
ANCHORS: tuple[Anchor, ...] = get_args(Anchor)
MODS: tuple[Mod, ...] = get_args(Mod)
GRANULARITIES: tuple[Granularity, ...] = get_args(Granularity)
ROLES: tuple[Role, ...] = get_args(Role)
TELLS: tuple[Tells, ...] = get_args(Tells)


@dataclass(frozen=True, slots=True)
class Timex:
    """One temporal expression found in a text, with its TIMEX3 normalisation.

    ``start``/``end`` are ``str`` indices into the text (end exclusive), so
    ``text[start:end] == timex.text``. ``earliest``/``latest`` are the inclusive
    calendar interval (dates) the value denotes, narrowed by ``mod``; they are
    ``None`` for durations, sets, and values that could not be anchored. In the
    `timeline tag` format (:meth:`to_dict`) dates are ISO strings.

    >>> sunday = date(2016, 8, 7)
    >>> timex = Timex(0, 11, "hari Minggu", "DATE", "2016-08-07", sunday, sunday, "published")
    >>> timex.to_dict()["earliest"]
    '2016-08-07'
    >>> Timex.from_dict(timex.to_dict()) == timex
    True
    """

    start: int
    end: int
    text: str
    type: TimexType
    value: str
    earliest: date | None
    latest: date | None
    anchor: Anchor
    mod: Mod | None = None
    granularity: Granularity | None = None
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
    #: For ``anchor="narrative"``: the date the value was counted from.
    anchored_on: date | None = None
    #: For a duration counted from an event the text has just told ("tiga hari
    #: setelah serangan itu", "two days after the attack"): the TIMEX3 value of
    #: the day it reaches; ``earliest``/``latest`` are then that day's interval.
    point: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict in the `timeline tag` format; optional empty fields omitted."""
        out: dict[str, Any] = {}
        for name in _TIMEX_FIELDS:
            value = getattr(self, name)
            if value is None and name in _OPTIONAL_TIMEX_FIELDS:
                continue
            out[name] = value.isoformat() if name in _DATE_FIELDS and value is not None \
                else value
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Timex:
        """A timex from its `timeline tag` form (dates as ISO strings, or dates)."""
        values: dict[str, Any] = {
            k: (date.fromisoformat(v) if k in _DATE_FIELDS and isinstance(v, str) else v)
            for k, v in data.items() if k in _TIMEX_FIELD_SET}
        return cls(**values)


_TIMEX_FIELDS = tuple(f.name for f in fields(Timex))
_TIMEX_FIELD_SET = frozenset(_TIMEX_FIELDS)
#: Fields that hold dates (ISO strings in the `timeline tag` format).
_DATE_FIELDS = frozenset({"earliest", "latest", "anchored_on"})
#: Fields left out of the `timeline tag` output when empty.
_OPTIONAL_TIMEX_FIELDS = frozenset({"mod", "granularity", "lang", "rule", "weekday", "timezone",
                                    "quant", "freq", "note", "anchored_on", "point"})


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a document came from, and how its publication context was established.

    Kept beside the document so that every output can say where a statement was
    read and why its date is what it is.
    """

    #: The input it was read from: a file, or ``file:line N`` / ``file:row N``.
    input: str
    #: True when the language was detected rather than given.
    lang_detected: bool = False
    #: What went wrong or was guessed while reading it (for the ingest report).
    warnings: tuple[str, ...] = ()
    #: The publication date as the metadata wrote it, when it gave one.
    published_raw: str | None = None
    #: The publication date in ISO 8601 at the precision known, offset kept.
    published_iso: str | None = None
    published_precision: Literal["time", "day"] | None = None
    #: What gave the date: "metadata", "HTML markup (htmldate)", "inferred: dateline", ...
    published_basis: str | None = None
    #: 1.0 from metadata; lower when inferred from the text.
    published_confidence: float | None = None
    #: For an inferred date: the expressions that decided it, and the candidates.
    published_evidence: tuple[str, ...] = ()
    published_candidates: tuple[date, ...] = ()
    #: Inputs dropped as exact copies of this document (input, id, source, url).
    duplicates: tuple[dict[str, str], ...] = ()
    #: Other columns of the input row, kept as they were.
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def inferred(self) -> bool:
        return (self.published_basis or "").startswith("inferred")


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
    #: Where it came from (None for documents built by hand).
    provenance: Provenance | None = field(default=None, hash=False, compare=False)

    def __repr__(self) -> str:
        # The text is left out: a notebook showing a list of documents stays short.
        published = self.published.isoformat() if self.published else None
        return (f"Document(id={self.id!r}, lang={self.lang!r}, published={published!r}, "
                f"source={self.source!r}, {len(self.text):,} characters)")


@dataclass(frozen=True, slots=True)
class PublicationGuess:
    """A publication date inferred from a text, or the candidates when nothing decides.

    ``basis`` says what decided (``dateline``, ``latest_full_date``, ``weekday_date``,
    ``undecided``, ``none``), ``evidence`` quotes it; ``notes`` say what limited the
    reading (a text capped before tagging, a tagger that failed).
    """

    published: date | None
    candidates: tuple[date, ...]
    confidence: float
    basis: str
    evidence: tuple[str, ...]
    notes: tuple[str, ...] = ()


NO_GUESS = PublicationGuess(None, (), 0.0, "none", ())

#: What finds the temporal expressions of a document: :func:`timeline.tag_document`
#: by default; a build or a notebook may give another (a top-level function when the
#: build runs in worker processes).
Tagger = Callable[[Document], Sequence[Timex]]


# --- events and chronology (timeline.events, timeline.chronology) ---------------


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
    (both equal to the evidence start, and ``timex`` empty, for a statement without
    a date of its own, dated by the day its story is at). ``role`` is
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
    earliest: date
    latest: date
    granularity: Granularity
    role: Role
    anchor: Anchor
    lang: str | None = None
    source: str | None = None
    #: The day the article was published (in its own time zone), when known.
    published: date | None = None
    actors: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    event_words: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    attribution: str | None = None
    #: The article it was read from, as its metadata gave them.
    url: str | None = None
    title: str | None = None
    #: Who took part, by noun class, with or without a count ("soldier", "civilian").
    participants: tuple[str, ...] = ()
    #: Kinds of happening the statement tells ("violence", "accord"), from its event words.
    kinds: tuple[str, ...] = ()
    #: What the statement tells: only "happening" enters the chronology (see :data:`Tells`).
    tells: Tells = "happening"
    #: The whole sentence, when the evidence is one of its clauses (a sentence with
    #: several dates): what a reader is shown as the statement.
    sentence: str | None = None

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
