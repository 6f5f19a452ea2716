"""A compiled prefilter: where each rule can match, found in one pass.

Trying forty Python regular expressions over a text costs far more than the
text is worth. Hyperscan compiles all of a language's rules into one automaton
that reports, in a single linear pass, each place a rule *may* match, with the
leftmost start. Hyperscan lacks look-arounds, back references and Unicode word
boundaries, so it gets an approximation of each rule that matches everything
the rule matches and perhaps more (assertions dropped, back references replaced
by what they refer to); every hit is then confirmed by the rule's own Python
pattern, anchored at the hit. The result is the rule set's own, found faster.

Where Hyperscan is not installed (it is an optional, x86-only dependency) or
cannot take a text, `candidates` returns None and the caller scans in Python.
"""

from __future__ import annotations

import codecs
import hashlib
import inspect
import re
from collections.abc import Iterable, Sequence
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

from timeline import cache

try:  # optional: x86-64 wheels on PyPI carry the library
    import hyperscan
except ImportError:  # pragma: no cover - depends on the platform
    hyperscan = None  # type: ignore[assignment]

_META = set(".^$*+?{}[]()|\\/-#&~ \"'")


def stand_in(char: str) -> str:
    """The ASCII character a non-ASCII one is scanned as: one of its class for
    \\s, \\d and \\w, so that classes and word boundaries behave as in Python."""
    if char.isspace():
        return " "
    if char.isdecimal():
        return "0"
    if char.isalnum() or char == "_":
        return "a"
    return "~"


_STAND_INS: dict[str, str] = {}


def _stand_in_run(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: the stand-ins of a run of non-ASCII characters."""
    assert isinstance(error, UnicodeEncodeError)
    run = error.object[error.start:error.end]
    out = []
    for char in run:
        replacement = _STAND_INS.get(char)
        if replacement is None:
            replacement = _STAND_INS[char] = stand_in(char)
        out.append(replacement)
    return "".join(out), error.end


codecs.register_error("timeline-stand-in", _stand_in_run)


def ascii_bytes(text: str) -> bytes:
    """The text as ASCII bytes, each non-ASCII character as its stand-in, so that
    byte offsets are str offsets. The encoder hands over whole runs of them."""
    return text.encode("ascii", errors="timeline-stand-in")


def ascii_stand_in(text: str) -> str:
    """The text with every non-ASCII character replaced by its stand-in (same length)."""
    return ascii_bytes(text).decode("ascii")


def _char(code: int) -> str:
    c = chr(code) if code < 128 else stand_in(chr(code))
    return "\\" + c if c in _META else c


_CATEGORIES = {
    "CATEGORY_DIGIT": r"\d", "CATEGORY_NOT_DIGIT": r"\D", "CATEGORY_SPACE": r"\s",
    "CATEGORY_NOT_SPACE": r"\S", "CATEGORY_WORD": r"\w", "CATEGORY_NOT_WORD": r"\W",
}


def _class(items: Iterable[tuple[Any, Any]]) -> str:
    parts = []
    negate = False
    for op, av in items:
        name = str(op)
        if name == "NEGATE":
            negate = True
        elif name == "LITERAL":
            parts.append(_char(av))
        elif name == "RANGE":
            if av[1] >= 128:
                raise ValueError("non-ASCII range")
            parts.append(_char(av[0]) + "-" + _char(av[1]))
        elif name == "CATEGORY":
            parts.append(_CATEGORIES[str(av)])
        else:
            raise ValueError(f"class item {name}")
    return "[" + ("^" if negate else "") + "".join(parts) + "]"


def _emit(items: Iterable[tuple[Any, Any]], groups: dict[int, Any], caseless: bool = False) -> str:
    out = []
    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            out.append(_char(av))
        elif name == "NOT_LITERAL":
            out.append("[^" + _char(av) + "]")
        elif name == "ANY":
            out.append(".")
        elif name == "IN":
            out.append(_class(av))
        elif name == "CATEGORY":
            out.append(_CATEGORIES[str(av)])
        elif name == "BRANCH":
            out.append("(?:" + "|".join(_emit(alt, groups, caseless) for alt in av[1]) + ")")
        elif name == "SUBPATTERN":
            group, add_flags, del_flags, sub = av
            if group is not None:
                groups[group] = sub
            flags = ("i" if add_flags & re.IGNORECASE else "") + \
                ("-i" if del_flags & re.IGNORECASE and not caseless else "")
            out.append(f"(?{flags}:" + _emit(sub, groups, caseless) + ")")
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, sub = av
            high_text = "" if high == sre_parse.MAXREPEAT else str(high)
            out.append("(?:" + _emit(sub, groups, caseless) + ")" + "{" + f"{low},{high_text}" + "}")
        elif name == "GROUPREF":  # a back reference matches what its group matched
            out.append("(?:" + _emit(groups[av], groups, caseless) + ")")
        elif name == "ATOMIC_GROUP":
            out.append("(?:" + _emit(av, groups, caseless) + ")")
        elif name == "AT" and str(av) in ("AT_BOUNDARY", "AT_NON_BOUNDARY"):
            out.append(r"\b" if str(av) == "AT_BOUNDARY" else r"\B")
        elif name in ("AT", "ASSERT", "ASSERT_NOT"):
            continue  # look-arounds only narrow; the approximation may match more
        else:
            raise ValueError(f"cannot approximate {name}")
    return "".join(out)


#: Required elements of a rule kept in its approximation: a prefix of a pattern
#: matches wherever the pattern starts, and a short one keeps the automaton small.
_PREFIX_ELEMENTS = 3


def _required(op: Any, av: Any, previous: tuple[Any, Any] | None) -> bool:
    """Does this element count towards the prefix? A run of literal characters
    counts once ("hari"), white space and optional parts not at all."""
    name = str(op)
    if name in ("AT", "ASSERT", "ASSERT_NOT"):
        return False
    if name == "LITERAL":
        return previous is None or str(previous[0]) != "LITERAL"
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        low, _high, sub = av
        spaces = len(sub) == 1 and str(sub[0][0]) in ("IN", "CATEGORY") and \
            "SPACE" in str(sub[0][1])
        return low >= 1 and not spaces
    return True


def approximate(pattern: str, elements: int = _PREFIX_ELEMENTS, caseless: bool = False) -> str:
    """A Hyperscan pattern that matches wherever `pattern` can start a match.

    It is the pattern's first `elements` required parts (with the optional parts
    before and between them), assertions dropped and back references replaced.
    """
    items = sre_parse.parse(pattern).data
    kept = []
    required = 0
    previous = None
    lookahead = None
    for op, av in items:
        if str(op) == "ASSERT" and av[0] == 1:
            # A look-ahead ending the prefix is matched as text: what it asks for
            # follows the match's start, so the prefix still finds every start
            # ("4" of "4-5 jam" only where a range follows, not at every number).
            lookahead = av[1]
            break
        if _required(op, av, previous):
            required += 1
            if required > elements:
                break
        kept.append((op, av))
        previous = (op, av)
    approximation = _emit(kept, {}, caseless)
    if lookahead is not None:  # its first required part is enough to narrow the hits
        head: list[tuple[Any, Any]] = []
        previous = None
        for op, av in lookahead:
            if _required(op, av, previous) and any(
                    _required(o, a, None) for o, a in head):
                break
            head.append((op, av))
            previous = (op, av)
        approximation += "(?:" + _emit(head, {}, caseless) + ")"
    return "(?i)" + approximation if caseless else approximation


_FLAGS = 0
if hyperscan is not None:
    _FLAGS = hyperscan.HS_FLAG_SOM_LEFTMOST | hyperscan.HS_FLAG_ALLOWEMPTY


def _fitting(pattern: str, caseless: bool = False) -> bytes:
    """The longest prefix approximation Hyperscan accepts (start-of-match tracking
    limits how large a pattern may be)."""
    for elements in range(_PREFIX_ELEMENTS, 0, -1):
        candidate = approximate(pattern, elements, caseless).encode()
        try:
            hyperscan.Database().compile(expressions=[candidate], ids=[0], elements=1,
                                         flags=[_FLAGS])
        except hyperscan.error:
            continue
        return candidate
    raise ValueError(f"no approximation of {pattern[:60]!r} fits")


class Prefilter:
    """All of a language's rules in one database, scanned over the lower-cased text.

    Case-sensitive rules are approximated without their case ("Minggu" as
    "minggu"), which only adds hits; the confirming match reads the text as
    written at the same offsets.
    """

    def __init__(self, rules: Sequence[Any], database: Any = None) -> None:
        if database is None:
            ids = list(range(len(rules)))
            database = hyperscan.Database()
            database.compile(
                expressions=[_fitting(rule.regex.pattern, caseless=not rule.on_lowered)
                             for rule in rules],
                ids=ids, elements=len(ids), flags=[_FLAGS] * len(ids))
        self.database = database

    def hits(self, text: str) -> list[tuple[int, int, int]]:
        """(rule index, start, end) of every place a rule may match (str offsets)."""
        found: list[tuple[int, int, int]] = []
        append = found.append
        # Stand-ins are case-less, so lower-casing the bytes lower-cases the text.
        self.database.scan(ascii_bytes(text).lower(),
                           match_event_handler=lambda i, s, e, _f, _c: append((i, s, e)))
        return found


def _cache_key(rules: Sequence[Any]) -> str:
    """What a compiled database is derived from: Hyperscan's version, this module's
    approximation, and every rule's pattern and case."""
    return cache.content_key(
        str(getattr(hyperscan, "__version__", "")), str(_PREFIX_ELEMENTS), str(_FLAGS),
        hashlib.sha256(inspect.getsource(approximate).encode()).hexdigest(),
        *(f"{rule.on_lowered}:{rule.regex.pattern}" for rule in rules))


def _load_cached(rules: Sequence[Any], key: str) -> Prefilter | None:
    """The rules' prefilter from the cache only, or None."""
    payload = cache.get("hyperscan", key)
    return None if payload is None else _loaded(rules, payload)


def _loaded(rules: Sequence[Any], payload: bytes) -> Prefilter | None:
    """The prefilter of a serialised database, or None (stale or damaged)."""
    try:
        database = hyperscan.loadb(payload, hyperscan.HS_MODE_BLOCK)
        database.scratch = hyperscan.Scratch(database)
    except (hyperscan.error, TypeError, ValueError):
        return None
    return Prefilter(rules, database)


_COMPILED: dict[str, Prefilter | None] = {}
#: Characters a language's rules scan in this process before its automaton is
#: compiled, when no compiled copy is cached on this machine: compiling takes
#: seconds, which a short job (`timeline resolve`, a few articles) never repays,
#: while a corpus repays it at once. A cached copy (timeline.cache, keyed by the
#: rules' content) loads in a millisecond and is used from the first text.
COMPILE_AFTER_CHARS = 1_000_000
_SCANNED: dict[str, int] = {}
_CACHE_MISSES: set[str] = set()


def when_worth_it(language: Any, n_chars: int) -> Prefilter | None:
    """The language's prefilter if compiled or cached, or once enough text has been scanned."""
    if hyperscan is None:
        return None
    if language.code in _COMPILED:
        return _COMPILED[language.code]
    if language.code not in _CACHE_MISSES:
        key = _cache_key(language.rules)
        cached = _load_cached(language.rules, key)
        if cached is not None:
            _COMPILED[language.code] = cached
            return cached
        _CACHE_MISSES.add(language.code)
    scanned = _SCANNED[language.code] = _SCANNED.get(language.code, 0) + n_chars
    return for_language(language) if scanned >= COMPILE_AFTER_CHARS else None


def for_language(language: Any) -> Prefilter | None:
    """The language's compiled prefilter: from the cache, else built (and cached) on
    first use; None without Hyperscan."""
    if hyperscan is None:
        return None
    if language.code not in _COMPILED:
        key = _cache_key(language.rules)
        rules = language.rules
        try:
            payload = cache.cached("hyperscan", key,
                                   lambda: hyperscan.dumpb(Prefilter(rules).database))
            _COMPILED[language.code] = _loaded(rules, payload) or Prefilter(rules)
        except (hyperscan.error, ValueError):  # a rule it cannot take: scan in Python
            _COMPILED[language.code] = None
    return _COMPILED[language.code]
