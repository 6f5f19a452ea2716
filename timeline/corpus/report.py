"""The ingest report: every input accounted for.

Each input (a file, or one row of a table) gets exactly one entry with a status:

- ``loaded``: it became a :class:`~timeline.types.Document` (``id`` says which);
- ``duplicate``: its normalised text equals that of the loaded ``duplicate_of``;
- ``failed``: it could not be read; ``reason`` says why.

so that ``inputs == loaded + duplicates + failed`` always holds. Warnings (an
encoding guessed, a date rejected, an id renamed, a document capped for tagging,
characters replaced, an expression dropped because its value is out of range)
ride along on the entry they concern. A loaded document that a later stage could
not process (tagging, events) keeps its entry and gets ``errors``, one per stage
that failed, with the reason; the other documents go on (``counts.errors``).
What a build set aside from a loaded document is its ``set_aside``: the lines of
page furniture by reason and their spans (``furniture``, ``furniture_spans``: start,
end, reason, offsets into the text), and the statements that tell no happening by
what they tell (``statements``; they are in mentions.csv with their ``tells``);
``counts`` sums them (``furniture_lines``, ``statements_set_aside``).
Files a folder holds that are not corpus files (``.tml``, images, hidden files,
symbolic links to folders, the build's own output folder) are listed under
``ignored``: they are not inputs, but nothing disappears without a line.

``DIR/ingest_report.json``::

    {"version": 1,
     "counts": {"inputs": 7, "loaded": 5, "duplicates": 1, "failed": 1, "warnings": 2,
                "errors": 1},
     "limits": {"tag_chars": 20000, "detect_chars": 10000, "document_chars": 16000000, ...},
     "entries": [
       {"input": "seeds/002.txt", "status": "loaded", "id": "002", "lang": "id",
        "lang_detected": false, "read_by": "rules", "published": "2013-11-12",
        "published_inferred": true,
        "published_confidence": 0.8, "published_evidence": ["..."], "warnings": []},
       {"input": "seeds/003.txt", "status": "loaded", "id": "003", ...,
        "warnings": ["'3000 tahun lalu' at 120 dropped: year -984 is out of range"],
        "errors": [{"stage": "events", "reason": "RecursionError: ..."}]},
       {"input": "more.jsonl:3", "status": "failed",
        "reason": "line 3: invalid JSON: Expecting ',' delimiter (column 17)"},
       {"input": "copy.csv:row 1", "status": "duplicate", "id": "9f2c...",
        "duplicate_of": "002"}],
     "warnings": [],
     "ignored": [{"input": "seeds/tml/000.tml", "reason": "not a corpus file (.tml)"}]}

The report holds no clock time and no absolute paths beyond those given, so the
same corpus gives the same bytes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from timeline import jsonio

STATUSES = ("loaded", "duplicate", "failed")


@dataclass(frozen=True, slots=True)
class ReportEntry:
    """What became of one input."""

    input: str
    status: str
    id: str | None = None
    reason: str | None = None
    duplicate_of: str | None = None
    warnings: tuple[str, ...] = ()
    #: Extra facts for loaded documents (lang, published, evidence ...).
    details: dict[str, Any] = field(default_factory=dict, compare=False)
    #: (stage, reason) for each later stage that failed on this document.
    errors: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown status {self.status!r}")

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"input": self.input, "status": self.status}
        if self.id is not None:
            out["id"] = self.id
        if self.reason is not None:
            out["reason"] = self.reason
        if self.duplicate_of is not None:
            out["duplicate_of"] = self.duplicate_of
        out.update(self.details)
        if self.warnings or self.status == "loaded":
            out["warnings"] = list(self.warnings)
        if self.errors:
            out["errors"] = [{"stage": stage, "reason": reason} for stage, reason in self.errors]
        return out


@dataclass(frozen=True, slots=True, repr=False)
class IngestReport:
    """All entries, in input order, plus corpus-level warnings and ignored files."""

    entries: tuple[ReportEntry, ...]
    warnings: tuple[str, ...] = ()
    ignored: tuple[tuple[str, str], ...] = ()
    limits: dict[str, int] = field(default_factory=dict, compare=False)

    def counts(self) -> dict[str, int]:
        by_status = Counter(entry.status for entry in self.entries)
        asides = [e.details["set_aside"] for e in self.entries if "set_aside" in e.details]
        return {
            "inputs": len(self.entries),
            "loaded": by_status["loaded"],
            "duplicates": by_status["duplicate"],
            "failed": by_status["failed"],
            "warnings": sum(len(e.warnings) for e in self.entries) + len(self.warnings),
            "errors": sum(len(e.errors) for e in self.entries),
            "furniture_lines": sum(sum(a.get("furniture", {}).values()) for a in asides),
            "statements_set_aside": sum(sum(a.get("statements", {}).values()) for a in asides),
        }

    def __repr__(self) -> str:
        first = self.summary(max_lines=0).splitlines()[0]
        return f"IngestReport({first.removeprefix('ingest: ')})"

    def with_notes(self, warnings: Mapping[str, Sequence[str]] | None = None,
                   errors: Mapping[str, Sequence[tuple[str, str]]] | None = None,
                   set_aside: Mapping[str, Mapping[str, Any]] | None = None
                   ) -> IngestReport:
        """The report with later stages' warnings, errors and what they set aside filed
        under the loaded documents they concern (keyed by document id)."""
        warnings, errors, set_aside = warnings or {}, errors or {}, set_aside or {}
        entries = []
        for entry in self.entries:
            if entry.status == "loaded" and entry.id is not None and (
                    entry.id in warnings or entry.id in errors or entry.id in set_aside):
                details = entry.details
                if entry.id in set_aside:
                    details = {**details, "set_aside": dict(set_aside[entry.id])}
                entry = replace(entry,
                                warnings=entry.warnings + tuple(warnings.get(entry.id, ())),
                                errors=entry.errors + tuple(errors.get(entry.id, ())),
                                details=details)
            entries.append(entry)
        return replace(self, entries=tuple(entries))

    def by_status(self, status: str) -> list[ReportEntry]:
        return [entry for entry in self.entries if entry.status == status]

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": 1,
            "counts": self.counts(),
            "limits": dict(self.limits),
            "entries": [entry.to_dict() for entry in self.entries],
            "warnings": list(self.warnings),
            "ignored": [{"input": path, "reason": reason} for path, reason in self.ignored],
        }

    def write(self, path: str | Path) -> Path:
        """Write the report as JSON; a folder (any path not ending in .json, made when
        missing) gets ``ingest_report.json`` inside. Returns the file written."""
        path = Path(path)
        if path.suffix.lower() != ".json":
            path = path / "ingest_report.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        # Strings are sanitised at ingestion; "replace" is the last guard that keeps
        # the report writable whatever a later stage put into it.
        path.write_bytes(jsonio.dumps(self.to_dict(), indent=True) + b"\n")
        return path

    def summary(self, *, max_lines: int = 20) -> str:
        """A few lines for the terminal: the counts, then failures and warnings.

        >>> IngestReport((ReportEntry("a.txt", "loaded", id="a"),)).summary()
        'ingest: 1 input: 1 loaded, 0 duplicates, 0 failed; 0 warnings'
        """
        digest = ReportDigest(keep=max_lines)
        for entry in self.entries:
            digest.add(entry)
        digest.corpus_warnings(self.warnings)
        return digest.summary(max_lines=max_lines)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> IngestReport:
        """The report :meth:`to_dict` gave (read back from ``ingest_report.json``)."""
        known = {"input", "status", "id", "reason", "duplicate_of", "warnings", "errors"}
        entries = tuple(ReportEntry(
            e["input"], e["status"], e.get("id"), e.get("reason"), e.get("duplicate_of"),
            tuple(e.get("warnings", ())), {k: v for k, v in e.items() if k not in known},
            tuple((x["stage"], x["reason"]) for x in e.get("errors", ())))
            for e in data.get("entries", ()))
        return cls(entries, tuple(data.get("warnings", ())),
                   tuple((i["input"], i["reason"]) for i in data.get("ignored", ())),
                   dict(data.get("limits", {})))

    @classmethod
    def read(cls, path: str | Path) -> IngestReport:
        """The report written at ``path`` (a file, or a folder holding ingest_report.json)."""
        path = Path(path)
        if path.is_dir():
            path = path / "ingest_report.json"
        return cls.from_dict(jsonio.loads(path.read_bytes()))


#: Lines of each kind a :class:`ReportDigest` keeps (the most a summary shows).
DIGEST_LINES = 20


class ReportDigest:
    """The counts of a report and the first lines of its summary, gathered an entry at
    a time: what a build says at the end, without holding every entry."""

    def __init__(self, keep: int = DIGEST_LINES) -> None:
        self.keep = keep
        self.by_status: Counter[str] = Counter()
        self.n_warnings = 0
        self.n_errors = 0
        #: Lines of page furniture and statements set aside (``set_aside`` of entries).
        self.n_furniture = 0
        self.n_statements = 0
        #: (kind, lines kept, how many there are) for failures, errors, warnings, and
        #: the corpus's own warnings: the summary's order.
        self.kinds: dict[str, tuple[list[str], list[int]]] = {
            kind: ([], [0]) for kind in ("failed", "error", "warning", "corpus")}

    def _line(self, kind: str, line: str) -> None:
        kept, count = self.kinds[kind]
        count[0] += 1
        if len(kept) < self.keep:
            kept.append(line)

    def add(self, entry: ReportEntry) -> None:
        self.by_status[entry.status] += 1
        self.n_warnings += len(entry.warnings)
        self.n_errors += len(entry.errors)
        aside = entry.details.get("set_aside")
        if aside:
            self.n_furniture += sum(aside.get("furniture", {}).values())
            self.n_statements += sum(aside.get("statements", {}).values())
        if entry.status == "failed":
            self._line("failed", f"  failed {entry.input}: {entry.reason}")
        for stage, reason in entry.errors:
            self._line("error", f"  error {entry.input} ({stage}): {reason}")
        for warning in entry.warnings:
            self._line("warning", f"  warning {entry.input}: {warning}")

    def corpus_warnings(self, warnings: Sequence[str]) -> None:
        self.n_warnings += len(warnings)
        for warning in warnings:
            self._line("corpus", f"  warning: {warning}")

    def counts(self) -> dict[str, int]:
        return {"inputs": sum(self.by_status.values()), "loaded": self.by_status["loaded"],
                "duplicates": self.by_status["duplicate"], "failed": self.by_status["failed"],
                "warnings": self.n_warnings, "errors": self.n_errors,
                "furniture_lines": self.n_furniture, "statements_set_aside": self.n_statements}

    def summary(self, *, max_lines: int = DIGEST_LINES) -> str:
        """The counts, then failures, errors and warnings (at most ``max_lines``, up to
        the lines kept)."""
        counts = self.counts()

        def count(key: str, noun: str) -> str:
            return f"{counts[key]:,} {noun}" + ("" if counts[key] == 1 else "s")

        lines = [f"ingest: {count('inputs', 'input')}: {counts['loaded']:,} loaded, "
                 f"{count('duplicates', 'duplicate')}, {counts['failed']:,} failed; "
                 f"{count('warnings', 'warning')}"
                 + (f", {count('errors', 'error')}" if counts["errors"] else "")
                 + (f"; set aside: {count('furniture_lines', 'line')} of page furniture, "
                    f"{count('statements_set_aside', 'statement')} that tell no happening"
                    if counts["furniture_lines"] or counts["statements_set_aside"] else "")]
        details: list[str] = []
        total = 0
        for kept, n in self.kinds.values():
            details.extend(kept[:max(0, max_lines - len(details))])
            total += n[0]
        if total > max_lines:
            details = details[:max_lines] + [f"  ... {total - max_lines} more in "
                                             "ingest_report.json"]
        return "\n".join(lines + details)

    def __repr__(self) -> str:
        first = self.summary(max_lines=0).splitlines()[0]
        return f"IngestReport({first.removeprefix('ingest: ')})"


def _indented(data: bytes, depth: int) -> bytes:
    """Indented JSON of a value, its inner lines moved ``depth`` levels (2 spaces) in."""
    pad = b"  " * depth
    return b"\n".join([data.split(b"\n", 1)[0], *(pad + line for line in
                                                 data.split(b"\n")[1:])])


class ReportWriter:
    """``ingest_report.json`` written an entry at a time, byte for byte what
    :meth:`IngestReport.write` writes: the entries go to ``spool`` as they come (and
    are counted in :attr:`digest`), then the file is put together at :meth:`close`."""

    def __init__(self, spool: Path) -> None:
        self.spool = spool
        self._handle = spool.open("wb")
        self._first = True
        self.digest = ReportDigest()

    def add(self, entry: ReportEntry) -> None:
        self.digest.add(entry)
        if not self._first:
            self._handle.write(b",\n")
        self._handle.write(b"    " + _indented(jsonio.dumps(entry.to_dict(), indent=True), 2))
        self._first = False

    def close(self, path: Path, *, warnings: Sequence[str], ignored: Sequence[tuple[str, str]],
              limits: Mapping[str, int]) -> Path:
        """Write the report to ``path`` (the corpus's warnings and ignored files with it)."""
        self._handle.close()
        self.digest.corpus_warnings(warnings)

        def field(name: str, value: Any) -> bytes:
            return b'  "' + name.encode() + b'": ' + _indented(jsonio.dumps(value, indent=True),
                                                               1)
        with path.open("wb") as out:
            out.write(b"{\n" + b",\n".join([
                field("version", 1), field("counts", self.digest.counts()),
                field("limits", dict(limits))]))
            if self._first:
                out.write(b',\n  "entries": []')
            else:
                out.write(b',\n  "entries": [\n')
                with self.spool.open("rb") as entries:
                    while chunk := entries.read(1 << 20):
                        out.write(chunk)
                out.write(b"\n  ]")
            out.write(b",\n" + b",\n".join([
                field("warnings", list(warnings)),
                field("ignored", [{"input": p, "reason": r} for p, r in ignored])]) + b"\n}\n")
        self.spool.unlink(missing_ok=True)
        return path
