"""Timex annotations, gold and system: TimeML and JSON Lines files read, the tagger run.

Gold documents come from TempEval-3 style TimeML (``.tml`` files, or a folder of
them) or from JSON Lines in the ``timeline tag`` format with gold ``timexes``;
system timexes from a ``timeline tag`` output file, or from running the tagger on
the gold texts. Whatever cannot be read is reported as an :class:`EvalError` and
skipped, so one bad document does not stop an evaluation.

>>> Annotation.from_timex({"start": 3, "end": 9, "text": "Sunday", "type": "DATE",
...                        "value": "2016-08-07"}).to_dict()
{'start': 3, 'end': 9, 'text': 'Sunday', 'type': 'DATE', 'value': '2016-08-07'}
"""

from __future__ import annotations

import json
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from timeline.corpus.formats import JSONL_SUFFIXES
from timeline.types import Timex

#: File suffixes read as TimeML; a file with neither these nor GOLD_JSONL_SUFFIXES is
#: sniffed (TimeML when it starts with "<").
TIMEML_SUFFIXES = (".tml", ".xml")
#: File suffixes read as gold JSON Lines without sniffing: the corpus reader's, and
#: ``.json``. They differ on purpose: the corpus reader refuses a ``.json`` file (not a
#: corpus format it reads), while a gold file named ``.json`` is read as JSON Lines.
GOLD_JSONL_SUFFIXES = (*JSONL_SUFFIXES, ".json")


# --------------------------------------------------------------------------- types


@dataclass(frozen=True, slots=True)
class Annotation:
    """A timex reduced to what is scored; gold and system timexes alike.

    Kept separate from :class:`~timeline.types.Timex` because gold annotations
    have no ``earliest``/``latest``/``anchor`` and system files may omit them.
    """

    start: int
    end: int
    text: str
    type: str
    value: str
    mod: str | None = None
    #: TimeML ``tid`` of a gold timex, to find it again in the source file.
    tid: str | None = None
    #: Annotator's (or tagger's) explanation, shown next to errors.
    note: str | None = None

    @classmethod
    def from_timex(cls, timex: Timex | Annotation | Mapping[str, Any]) -> Annotation:
        """Accept what taggers and files give: a ``Timex``, an ``Annotation`` or a dict."""
        if isinstance(timex, Annotation):
            return timex
        if isinstance(timex, Mapping):
            return cls(
                start=int(timex["start"]),
                end=int(timex["end"]),
                text=str(timex.get("text") or ""),
                type=str(timex.get("type") or ""),
                value=str(timex.get("value") or ""),
                mod=timex.get("mod") or None,
                tid=timex.get("tid") or None,
                note=timex.get("note") or None,
            )
        return cls(timex.start, timex.end, timex.text, timex.type, timex.value,
                   getattr(timex, "mod", None) or None, None, getattr(timex, "note", None))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict; empty optional fields omitted."""
        out = asdict(self)
        for key in ("mod", "tid", "note"):
            if out[key] is None:
                del out[key]
        return out


@dataclass(slots=True)
class GoldDocument:
    """A text with its gold timexes and the context the tagger needs."""

    id: str
    text: str
    published: str | None = None
    lang: str | None = None
    timexes: list[Annotation] = field(default_factory=list)
    #: Where the document was read from (file, or file:line for JSON Lines).
    source: str | None = None


@dataclass(slots=True)
class SystemDocument:
    """System timexes for one document; ``error`` when the system failed on it."""

    id: str
    timexes: list[Annotation] = field(default_factory=list)
    error: str | None = None


@dataclass(frozen=True, slots=True)
class EvalError:
    """Something that could not be read or run; the evaluation went on without it."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


# --------------------------------------------------------------------------- reading gold


def _local(tag: Any) -> str:
    # Namespaced TimeML gives "{uri}TEXT"; comments/PIs have non-str tags.
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _flatten(element: ET.Element, parts: list[str], found: list[tuple[ET.Element, int, int]],
             offset: int) -> int:
    """Append the element's text to ``parts``, recording where each TIMEX3 starts and ends.

    Recursive so that tags nested at any depth (TIMEX3 inside EVENT, SIGNAL
    inside TIMEX3, ...) are stripped while their text is kept.
    """
    if element.text:
        parts.append(element.text)
        offset += len(element.text)
    for child in element:
        start = offset
        offset = _flatten(child, parts, found, offset)
        if _local(child.tag) == "TIMEX3":
            found.append((child, start, offset))
        if child.tail:
            parts.append(child.tail)
            offset += len(child.tail)
    return offset


def _find(root: ET.Element, name: str) -> ET.Element | None:
    return next((element for element in root.iter() if _local(element.tag) == name), None)


def read_timeml(path: str | Path, lang: str | None = None) -> GoldDocument:
    """Read one TempEval-3 style TimeML file.

    Offsets are ``str`` indices into the XML-unescaped content of ``<TEXT>``
    with every inline tag removed, which is what the tagger sees. The creation
    time (``<DCT><TIMEX3 functionInDocument="CREATION_TIME" value=...>``)
    becomes ``published``; ``DOCID`` the id (file stem when absent). Empty
    (non-consuming) TIMEX3 tags are skipped: they have no span to find.

    Raises ``ValueError`` naming the file and the reason when it cannot be read.
    """
    path = Path(path)
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise ValueError(f"{path}: not well-formed XML ({exc})") from exc
    except OSError as exc:
        raise ValueError(f"{path}: cannot open ({exc.strerror or exc})") from exc

    text_element = _find(root, "TEXT")
    if text_element is None:
        raise ValueError(f"{path}: no <TEXT> element")
    docid = _find(root, "DOCID")
    doc_id = (docid.text or "").strip() if docid is not None else ""

    published = None
    dct = _find(root, "DCT")
    creation = [element for element in root.iter() if _local(element.tag) == "TIMEX3"
                and element.get("functionInDocument") == "CREATION_TIME"]
    if not creation and dct is not None:
        creation = [element for element in dct.iter() if _local(element.tag) == "TIMEX3"]
    if creation:
        published = (creation[0].get("value") or "").strip() or None

    parts: list[str] = []
    found: list[tuple[ET.Element, int, int]] = []
    _flatten(text_element, parts, found, 0)
    text = "".join(parts)
    timexes = []
    for element, start, end in found:
        if start == end:
            continue
        timexes.append(Annotation(
            start=start, end=end, text=text[start:end],
            type=(element.get("type") or "").strip(),
            value=(element.get("value") or "").strip(),
            mod=(element.get("mod") or "").strip() or None,
            tid=element.get("tid"),
        ))
    timexes.sort(key=lambda timex: (timex.start, timex.end))
    doc_lang = root.get("{http://www.w3.org/XML/1998/namespace}lang") or root.get("lang") or lang
    return GoldDocument(id=doc_id or path.stem, text=text, published=published, lang=doc_lang,
                        timexes=timexes, source=str(path))


def _gold_timex(raw: Any, text: str, where: str, errors: list[EvalError]) -> Annotation | None:
    """Validate one gold timex from JSON; report and drop it when its span is unusable."""
    try:
        timex = Annotation.from_timex(raw)
    except (KeyError, TypeError, ValueError) as exc:
        errors.append(EvalError(where, f"gold timex {raw!r} skipped: {exc!r}"))
        return None
    if not 0 <= timex.start < timex.end <= len(text):
        errors.append(EvalError(where, f"gold timex [{timex.start}:{timex.end}] "
                                f"{timex.text!r} skipped: span outside the text "
                                f"(length {len(text)})"))
        return None
    if timex.text and text[timex.start:timex.end] != timex.text:
        # Offsets are authoritative (they are what is scored); the mismatch is reported.
        errors.append(EvalError(where, f"gold timex [{timex.start}:{timex.end}] says "
                                f"{timex.text!r} but the text there is "
                                f"{text[timex.start:timex.end]!r}; offsets kept"))
    return timex


def _lines(path: Path, errors: list[EvalError], what: str = "") -> Iterator[tuple[str, str]]:
    """(``path:line``, line) for each non-blank line of a JSON Lines file; a file that
    cannot be opened is one error (``cannot open {what}(reason)``)."""
    try:
        handle = path.open(encoding="utf-8", errors="replace")
    except OSError as exc:
        errors.append(EvalError(str(path), f"cannot open {what}({exc.strerror or exc})"))
        return
    with handle:
        for line_no, line in enumerate(handle, 1):
            if line.strip():
                yield f"{path}:{line_no}", line


def _read_gold_jsonl(path: Path, lang: str | None, errors: list[EvalError]) -> list[GoldDocument]:
    docs: list[GoldDocument] = []
    for where, line in _lines(path, errors):
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise ValueError("line is not a JSON object")
            text = record.get("text")
            if not isinstance(text, str):
                raise ValueError("missing or non-string 'text'")
            if record.get("id") in (None, ""):
                raise ValueError("missing 'id'")
            raw_timexes = record.get("timexes")
            if raw_timexes is None:
                raise ValueError("missing gold 'timexes' (use [] for a document without any)")
            if not isinstance(raw_timexes, list):
                raise ValueError("'timexes' is not a list")
        except ValueError as exc:  # json.JSONDecodeError is a ValueError
            errors.append(EvalError(where, f"gold document skipped: {exc}"))
            continue
        timexes = [timex for raw in raw_timexes
                   if (timex := _gold_timex(raw, text, where, errors)) is not None]
        timexes.sort(key=lambda timex: (timex.start, timex.end))
        docs.append(GoldDocument(
            id=str(record["id"]), text=text,
            published=str(record.get("published") or "") or None,
            lang=record.get("lang") or lang, timexes=timexes, source=where,
        ))
    return docs


def _looks_like_timeml(path: Path) -> bool:
    if path.suffix.lower() in TIMEML_SUFFIXES:
        return True
    if path.suffix.lower() in GOLD_JSONL_SUFFIXES:
        return False
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            head = handle.read(512).lstrip("\ufeff \t\r\n")
    except OSError:
        return False
    return head.startswith("<")


def load_gold(path: str | Path, lang: str | None = None,
              errors: list[EvalError] | None = None) -> list[GoldDocument]:
    """Read gold documents from a ``.tml`` file, a folder of them, or JSON Lines.

    Folders are searched recursively for ``*.tml`` in sorted order, so runs are
    reproducible. ``lang`` fills in the language of documents that do not give
    one. A file or line that cannot be read is skipped and reported in
    ``errors`` (or as a warning when no list is given), so one bad document
    does not stop an evaluation; documents with an id already seen are skipped
    likewise, because scores are matched by id.
    """
    problems: list[EvalError] = [] if errors is None else errors
    before = len(problems)
    path = Path(path)
    docs: list[GoldDocument] = []
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file()
                       and p.suffix.lower() in TIMEML_SUFFIXES)
        if not files:
            problems.append(EvalError(str(path), "no .tml files in this folder"))
        for file in files:
            try:
                docs.append(read_timeml(file, lang=lang))
            except ValueError as exc:
                problems.append(EvalError(str(file), str(exc).removeprefix(f"{file}: ")))
    elif not path.exists():
        problems.append(EvalError(str(path), "no such file or folder"))
    elif _looks_like_timeml(path):
        try:
            docs.append(read_timeml(path, lang=lang))
        except ValueError as exc:
            problems.append(EvalError(str(path), str(exc).removeprefix(f"{path}: ")))
    else:
        docs.extend(_read_gold_jsonl(path, lang, problems))

    unique: list[GoldDocument] = []
    seen: dict[str, str | None] = {}
    for doc in docs:
        if doc.id in seen:
            problems.append(EvalError(doc.source or doc.id, f"duplicate document id {doc.id!r} "
                                      f"(first in {seen[doc.id]}); skipped"))
            continue
        seen[doc.id] = doc.source
        unique.append(doc)
    if errors is None:
        for problem in problems[before:]:
            warnings.warn(str(problem), stacklevel=2)
    return unique


# --------------------------------------------------------------------------- system output


def read_system(path: str | Path, errors: list[EvalError] | None = None) -> list[SystemDocument]:
    """Read ``timeline tag`` output (``{"id", "timexes", ["error"]}`` per line).

    Bad lines are reported in ``errors`` (warned about when no list is given)
    and skipped; the gold documents they belonged to then count as not tagged.
    """
    problems: list[EvalError] = [] if errors is None else errors
    before = len(problems)
    path = Path(path)
    docs: list[SystemDocument] = []
    for where, line in _lines(path, problems, "system output "):
        try:
            record = json.loads(line)
            if not isinstance(record, dict) or record.get("id") in (None, ""):
                raise ValueError("not a JSON object with an 'id'")
            timexes = [Annotation.from_timex(raw) for raw in record.get("timexes") or []]
        except (ValueError, KeyError, TypeError) as exc:
            problems.append(EvalError(where, f"system line skipped: {exc!r}"))
            continue
        docs.append(SystemDocument(str(record["id"]), timexes,
                                   str(record["error"]) if record.get("error") else None))
    if errors is None:
        for problem in problems[before:]:
            warnings.warn(str(problem), stacklevel=2)
    return docs


def run_tagger(gold_docs: Iterable[GoldDocument]) -> list[SystemDocument]:
    """Tag each gold text with the engine, with the gold publication date as anchor.

    A document the tagger fails on gets an empty result with its error, so its
    gold timexes count as missed and the run goes on.
    """
    from timeline import tag  # imported here: scoring a file must not need the engine

    out = []
    for doc in gold_docs:
        try:
            found = tag(doc.text, published=doc.published or None, lang=doc.lang)
            out.append(SystemDocument(doc.id, [Annotation.from_timex(t) for t in found]))
        except Exception as exc:  # one failing document must not stop the evaluation
            out.append(SystemDocument(doc.id, [], f"tagger failed: {type(exc).__name__}: {exc}"))
    return out

