"""The facts of every input of a corpus read in a stream, kept on disk.

A build reads its inputs in batches (:mod:`timeline.corpus.stream`) and keeps, per
document, a few facts: its metadata parsed, its text's hash, its id, its date or
the clues to it, its MinHash signature (1 KB), the hashes of its lines (page
furniture, at most 2 KB). Held in memory, they made the driver grow with the
corpus (3.9 GB for a million short articles); the ledger keeps them in a SQLite
database and signature files in the run's work folder, so the driver's memory is
that of a batch, whatever the corpus.

Once every input is in, :meth:`Ledger.settle` makes the decisions of
:func:`timeline.corpus.load_corpus` (which copy of a duplicated text is kept, ids
that collide, dates inferred and narrowed by the other documents' dates, near
copies, the lines repeated across independent documents of a site) by queries
and passes over the rows, and the later stages read from it the documents of
each batch (:meth:`Ledger.batches`) and write into it what they said about each
document and what they set aside (:meth:`Ledger.add_notes`);
:meth:`Ledger.write_report` writes the ingest report an entry at a time.

What stays in memory grows with the near copies (their groups, for the merge)
and the repeated lines (8 bytes each, handed to every batch), not with the
documents.
"""

from __future__ import annotations

import json
import os
import pickle
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from timeline.characters import sanitise
from timeline.corpus.copies import (
    BANDS,
    N_HASHES,
    ROWS,
    Copies,
    CopyFacts,
    also_published,
    band_buckets,
    copies_of_groups,
    estimated_jaccard,
    group_copies,
)
from timeline.corpus.formats import FailedInput
from timeline.corpus.furniture import FAR_DAYS, REPEATED_GROUPS, RepeatedLines
from timeline.corpus.load import (
    DateInference,
    Pending,
    copy_details,
    document_of,
    loaded_details,
    undated_warning,
)
from timeline.corpus.packed import pack_document, unpack_document
from timeline.corpus.report import ReportDigest, ReportEntry, ReportWriter
from timeline.corpus.stream import IngestedBatch, Parsed
from timeline.lang.detect import DETECT_CHARS
from timeline.limits import LIMITS, collected
from timeline.types import NO_GUESS, Document, PublicationGuess

#: Undated documents whose dates are decided at a time.
INFERENCE_CHUNK = 10_000
#: Rows written to the database at a time.
WRITE_ROWS = 10_000
#: Collisions of one id listed in full in the warning (the rest are counted).
LISTED_INPUTS = 10**9

_PARSED, _FAILED, _UNPARSED = 0, 1, 2
_LOADED, _DUPLICATE = 0, 1
#: Kinds of the notes of later stages.
_WARNING, _ERROR, _SET_ASIDE = 0, 1, 2

_SCHEMA = """
CREATE TABLE items (
    ordinal INTEGER PRIMARY KEY,  -- input order
    kind INTEGER NOT NULL,        -- parsed, failed input, could not be parsed
    input TEXT NOT NULL,
    reason TEXT,
    key TEXT, id TEXT,            -- text hash, id before ids are settled
    r_undated INTEGER, r_imprecise INTEGER, r_noid INTEGER, r_richness INTEGER,
    day INTEGER,                  -- publication day (ordinal) from the metadata
    source TEXT, url TEXT,
    n_chars INTEGER, batch INTEGER, row INTEGER,
    warnings TEXT,                -- its warnings when read (JSON)
    pending BLOB,                 -- the parsed record, when undated (its date is inferred)
    clues BLOB, text TEXT,        -- for date inference (undated documents)
    sig INTEGER,                  -- row in the signature files; NULL: no words
    status INTEGER,               -- loaded or duplicate (parsed only)
    dup_of INTEGER,               -- the ordinal of the kept copy
    doc BLOB,                     -- the Document packed, without its text
    fid TEXT, cday INTEGER,       -- final id, publication day (copy detection)
    dups TEXT                     -- outlets of its exact duplicates (JSON)
);
CREATE TABLE notes (ordinal INTEGER, seq INTEGER, kind INTEGER, stage TEXT, text TEXT);
-- the hashes of each document's lines (furniture.line_hashes; uint64 stored as int64)
CREATE TABLE lines (ordinal INTEGER, hash INTEGER);
"""


class Ledger:
    """The facts of a corpus read in a stream, in the folder ``folder`` (see the module
    docstring). Add each ingested batch, in order, then :meth:`settle`."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.db = sqlite3.connect(folder / "ledger.sqlite", isolation_level=None)
        for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-16000",
                       "temp_store=FILE"):
            self.db.execute(f"PRAGMA {pragma}")
        self.db.executescript(_SCHEMA)
        self._signatures = (folder / "signatures.u64").open("wb")
        self._bands = [(folder / f"band-{b:02d}.u64").open("wb") for b in range(BANDS)]
        self.n_signatures = 0
        self.n_items = 0
        self.n_batches = 0
        #: What tagging for date inference dropped (told once each).
        self.notes: dict[str, None] = {}
        #: Set by :meth:`settle`.
        self.n_documents = 0
        self.copies = Copies()
        self.repeated = RepeatedLines()
        self.warnings: tuple[str, ...] = ()
        self.ignored: tuple[tuple[str, str], ...] = ()
        self.limits: dict[str, int] = {}
        self._seq = 0

    # --- in: the batches ---------------------------------------------------------

    def add(self, batch: IngestedBatch) -> None:
        """File one ingested batch (batches come in input order)."""
        rows = []
        lines: list[tuple[int, int]] = []
        signatures: list[np.ndarray] = []
        for item in batch.items:
            ordinal = self.n_items
            self.n_items += 1
            if isinstance(item, FailedInput):
                rows.append(_row(ordinal, _FAILED, item.input, reason=item.reason))
            elif isinstance(item, tuple):
                rows.append(_row(ordinal, _UNPARSED, item[0], reason=item[1]))
            else:
                sig = None
                if item.signature is not None:
                    sig = self.n_signatures + len(signatures)
                    signatures.append(item.signature)
                rows.append(_parsed_row(ordinal, item, sig))
                if item.lines is not None:
                    lines.extend((ordinal, h) for h in item.lines.view(np.int64).tolist())
        self._insert(rows, lines)
        if signatures:
            matrix = np.stack(signatures).astype(np.uint64, copy=False)
            self._signatures.write(matrix.tobytes())
            for band, handle in enumerate(self._bands):
                handle.write(np.ascontiguousarray(matrix[:, band * ROWS:(band + 1) * ROWS])
                             .tobytes())
            self.n_signatures += len(signatures)
        self.notes.update(dict.fromkeys(batch.notes))
        self.n_batches = max(self.n_batches, batch.number + 1)

    def _insert(self, rows: list[tuple[Any, ...]], lines: list[tuple[int, int]]) -> None:
        self.db.execute("BEGIN")
        self.db.executemany("INSERT INTO items (ordinal, kind, input, reason, key, id, "
                            "r_undated, r_imprecise, r_noid, r_richness, day, source, url, "
                            "n_chars, batch, row, warnings, pending, clues, text, sig, doc) "
                            f"VALUES ({', '.join('?' * 22)})", rows)
        self.db.executemany("INSERT INTO lines VALUES (?, ?)", lines)
        self.db.execute("COMMIT")

    # --- the decisions -----------------------------------------------------------

    def settle(self, *, inference: DateInference | None, today: date,
               discovery_warnings: Iterable[str] = (),
               ignored: Iterable[tuple[str, str]] = ()) -> None:
        """Duplicates, ids, dates, documents, copies and what the report says of the
        corpus, as :func:`load_corpus` decides them."""
        for handle in (self._signatures, *self._bands):
            handle.close()
        db = self.db
        db.execute("BEGIN")
        db.execute("UPDATE items SET status = 0 WHERE kind = 0")
        self._deduplicate()
        db.execute("CREATE INDEX items_kept ON items (status, id)")
        self._settle_ids()
        notes = list(self.notes) if inference is None else self._infer(inference, today)
        self._documents()
        db.execute("COMMIT")
        self.copies = self._copies()
        db.execute("CREATE INDEX items_batch ON items (status, batch, row)")
        db.execute("CREATE INDEX items_fid ON items (fid)")
        self.repeated = self._repeated()
        self.n_documents = db.execute("SELECT COUNT(*) FROM items WHERE status = 0 "
                                      "AND kind = 0").fetchone()[0]
        self.warnings = tuple(sanitise(w)[0] for w in (*discovery_warnings, *notes))
        self.ignored = tuple((sanitise(p)[0], r) for p, r in ignored)
        self.limits = {**getattr(inference, "limits", {}), "detect_chars": DETECT_CHARS,
                       **LIMITS}

    def _pending(self, ordinal: int) -> Pending | None:
        """The parsed record of an undated document (None for a dated one: its
        Document is made already, and is changed in place)."""
        blob = self.db.execute("SELECT pending FROM items WHERE ordinal = ?",
                               (ordinal,)).fetchone()[0]
        return None if blob is None else pickle.loads(blob)

    def _store(self, ordinal: int, pending: Pending, **columns: Any) -> None:
        sets = ", ".join(f"{name} = ?" for name in ("pending", *columns))
        self.db.execute(f"UPDATE items SET {sets} WHERE ordinal = ?",
                        (_dumps(pending), *columns.values(), ordinal))

    def _document(self, ordinal: int) -> Document:
        blob = self.db.execute("SELECT doc FROM items WHERE ordinal = ?",
                               (ordinal,)).fetchone()[0]
        return unpack_document(blob)

    def _change(self, ordinal: int, change: Any, **columns: Any) -> None:
        """Apply ``change`` (of a Pending, in place) to an undated document's record, or
        the same change to a dated one's Document (through a Pending-like view)."""
        pending = self._pending(ordinal)
        if pending is not None:
            change(pending)
            self._store(ordinal, pending, **columns)
            return
        document = self._document(ordinal)
        view = _DocumentChange(document)
        change(view)
        sets = ", ".join(f"{name} = ?" for name in ("doc", *columns))
        self.db.execute(f"UPDATE items SET {sets} WHERE ordinal = ?",
                        (pack_document(view.document()), *columns.values(), ordinal))

    def _sorted(self, query: str, parameters: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
        """The rows of ``query``, read a chunk at a time from a snapshot of them (so the
        table may change while they are read, and memory holds a chunk)."""
        self.db.execute("DROP TABLE IF EXISTS temp.snapshot")
        self.db.execute(f"CREATE TEMP TABLE snapshot AS {query}", parameters)
        last = 0
        while True:
            chunk = self.db.execute("SELECT rowid, * FROM temp.snapshot WHERE rowid > ? "
                                    "ORDER BY rowid LIMIT ?", (last, WRITE_ROWS)).fetchall()
            if not chunk:
                break
            last = chunk[-1][0]
            for row in chunk:
                yield row[1:]
        self.db.execute("DROP TABLE temp.snapshot")

    def _deduplicate(self) -> None:
        """One document per normalised text: the richest copy is kept (Pending.rank)."""
        rows = self._sorted(
            "SELECT ordinal, key, id, input, source, url FROM items WHERE kind = 0 ORDER BY "
            "key, r_undated, r_imprecise, r_noid, r_richness DESC, id, input")
        group: list[tuple[Any, ...]] = []
        for row in _chained(rows, (None,) * 6):
            if group and row[1] != group[0][1]:
                if len(group) > 1:
                    self._duplicates(group)
                group = []
            group.append(row)

    def _duplicates(self, group: list[tuple[Any, ...]]) -> None:
        keeper = group[0][0]
        found = [{"input": name, "id": doc_id,
                  **{k: v for k, v in (("source", source), ("url", url)) if v}}
                 for _ordinal, _key, doc_id, name, source, url in group[1:]]

        def add(record: Any) -> None:
            record.duplicates.extend(found)

        outlets = [source for _o, _k, _i, _n, source, _u in group[1:] if source]
        self._change(keeper, add, dups=json.dumps(outlets))
        self.db.executemany("UPDATE items SET status = 1, dup_of = ? WHERE ordinal = ?",
                            [(keeper, ordinal) for ordinal, *_ in group[1:]])

    def _settle_ids(self) -> None:
        """Colliding ids of kept documents get a content-hash suffix (as settle_ids)."""
        colliding = self._sorted("SELECT id, COUNT(*) FROM items WHERE status = 0 GROUP BY id "
                                 "HAVING COUNT(*) > 1 ORDER BY id")
        for doc_id, count in list(colliding):
            names = [row[0] for row in self.db.execute(
                "SELECT input FROM items WHERE status = 0 AND id = ? ORDER BY input LIMIT ?",
                (doc_id, LISTED_INPUTS))]
            listed = ", ".join(names) + (f" and {count - LISTED_INPUTS:,} more"
                                         if count > LISTED_INPUTS else "")
            for ordinal, key in list(self._sorted(
                    "SELECT ordinal, key FROM items WHERE status = 0 AND id = ? ORDER BY "
                    "ordinal", (doc_id,))):
                new_id = f"{doc_id}~{key[:8]}"
                warning = (f"duplicate id {doc_id!r} (given to {count} different articles: "
                           f"{listed}); this one is {new_id!r}")

                def rename(record: Any, new_id: str = new_id, warning: str = warning) -> None:
                    record.id = new_id
                    record.warnings.append(warning)

                self._change(ordinal, rename, id=new_id)

    def _infer(self, inference: DateInference, today: date) -> list[str]:
        """Publication dates of the undated kept texts, a chunk at a time (as
        load_corpus decides them at once); returns the corpus-level notes."""
        undated = self.db.execute("SELECT COUNT(*) FROM items WHERE status = 0 AND "
                                  "r_undated = 1").fetchone()[0]
        if not undated:
            return []
        decide_all = getattr(inference, "decide_all", None)
        with collected() as dropped:
            if decide_all is None:
                self._infer_at_once(inference, today)
            else:
                self._infer_in_chunks(decide_all, today)
        return [f"date inference: {note}" for note in dict.fromkeys([*self.notes, *dropped])]

    def _undated(self) -> Iterator[list[tuple[int, str, Any, str | None]]]:
        """The undated kept documents, in chunks: (ordinal, id, clues, text)."""
        for chunk in self._items("id, clues, text", "status = 0 AND r_undated = 1",
                                 INFERENCE_CHUNK):
            yield [(o, i, pickle.loads(c) if c is not None else None, t) for o, i, c, t in chunk]

    def _items(self, columns: str, where: str, size: int) -> Iterator[list[tuple[Any, ...]]]:
        """(ordinal, *columns) of the items ``where`` holds, in input order, ``size`` at a
        time (paged by ordinal: memory holds a chunk, and the caller may update the
        rows read between chunks)."""
        last = -1
        while True:
            chunk = self.db.execute(
                f"SELECT ordinal, {columns} FROM items WHERE {where} AND ordinal > ? "
                "ORDER BY ordinal LIMIT ?", (last, size)).fetchall()
            if not chunk:
                return
            last = chunk[-1][0]
            yield chunk

    def _known_ends(self) -> list[tuple[str, date]]:
        """The two earliest and two latest publication days the metadata gives."""
        ends: list[tuple[str, int]] = []
        for order in ("ASC", "DESC"):
            ends.extend(self.db.execute(
                f"SELECT id, day FROM items WHERE status = 0 AND day IS NOT NULL ORDER BY "
                f"day {order}, ordinal LIMIT 2"))
        unique = dict.fromkeys((doc_id, date.fromordinal(day)) for doc_id, day in ends)
        return list(unique)

    def _infer_in_chunks(self, decide_all: Any, today: date) -> None:
        # each text alone first: the extremes of every date, known and guessed
        dated = self._known_ends()
        for chunk in self._undated():
            for _ordinal, doc_id, clues, _text in chunk:
                alone = decide_all({doc_id: clues}, {}, today)[doc_id]
                if alone.published is not None:
                    dated.append((doc_id, alone.published))
            dated = _extremes(dated)
        ends = dict(dated)
        # then each with the others' dates (only their extremes narrow a year)
        for chunk in self._undated():
            guesses = decide_all({doc_id: clues for _o, doc_id, clues, _t in chunk}, ends,
                                 today)
            self._set_guesses(chunk, guesses)

    def _infer_at_once(self, inference: DateInference, today: date) -> None:
        """An inference without clues (someone else's): every undated text at once."""
        known = {doc_id: date.fromordinal(day) for doc_id, day in self.db.execute(
            "SELECT id, day FROM items WHERE status = 0 AND day IS NOT NULL")}
        chunks = list(self._undated())
        every = [item for chunk in chunks for item in chunk]
        texts = []
        for ordinal, doc_id, _clues, text in every:
            pending = self._pending(ordinal)
            texts.append((doc_id, text or "", pending.lang if pending else None))
        self._set_guesses(every, inference(texts, known, today))

    def _set_guesses(self, chunk: list[tuple[int, str, Any, str | None]],
                     guesses: dict[str, PublicationGuess]) -> None:
        for ordinal, doc_id, _clues, _text in chunk:
            pending = self._pending(ordinal)
            assert pending is not None  # an undated document keeps its record
            pending.guess = guesses.get(doc_id, NO_GUESS)
            pending.warnings.extend(pending.guess.notes)
            pending.warnings.append(undated_warning(pending))
            self._store(ordinal, pending)

    def _documents(self) -> None:
        """The Document of every undated kept text (its date now inferred), and the
        final id and day of every kept document."""
        self.db.execute("UPDATE items SET fid = id, cday = day WHERE status = 0 AND "
                        "pending IS NULL")
        for chunk in self._items("pending", "status = 0 AND pending IS NOT NULL", WRITE_ROWS):
            updates = []
            for ordinal, blob in chunk:
                document = document_of(pickle.loads(blob))
                day = document.published.date().toordinal() if document.published else None
                updates.append((pack_document(document), document.id, day, ordinal))
            self.db.executemany("UPDATE items SET doc = ?, fid = ?, cday = ? WHERE "
                                "ordinal = ?", updates)

    def _copies(self) -> Copies:
        """Near copies among the kept documents, from the signature files (as
        :func:`~timeline.corpus.copies.copies_from_signatures` finds them)."""
        ordinals, sigs = _columns(self._sorted(
            "SELECT ordinal, COALESCE(sig, -1) FROM items WHERE status = 0 ORDER BY "
            "COALESCE(cday, ?), n_chars, fid", (date.max.toordinal(),)))
        signed = np.flatnonzero(sigs >= 0)
        found: list[tuple[int, int, list[int]]] = []
        if len(signed) >= 2:
            for band in range(BANDS):
                keys = np.fromfile(self.folder / f"band-{band:02d}.u64", dtype=np.uint64)
                keys = keys.reshape(-1, ROWS)[sigs[signed]]
                found.extend(band_buckets(keys, signed.astype(np.int64), band))
                del keys
        found.sort(key=lambda item: (item[0], item[1]))
        signatures = SignatureFile(self.folder / "signatures.u64")

        def similar(i: int, j: int) -> float:
            return estimated_jaccard(signatures[int(sigs[i])], signatures[int(sigs[j])])

        roots = group_copies((members for _f, _b, members in found), similar)
        del found

        def facts(index: int) -> CopyFacts:
            doc_id, source = self.db.execute("SELECT fid, source FROM items WHERE ordinal = ?",
                                             (int(ordinals[index]),)).fetchone()
            return CopyFacts(doc_id, None, 0, source)

        copies = copies_of_groups(roots, facts, similar)
        signatures.close()
        also = {}
        for doc_id, source, dups in self.db.execute(
                "SELECT fid, source, dups FROM items WHERE status = 0 AND dups IS NOT NULL "
                "ORDER BY ordinal"):
            outlets = also_published(CopyFacts(doc_id, None, 0, source,
                                               tuple(json.loads(dups))))
            if outlets:
                also[doc_id] = outlets
        return Copies(copies.original, copies.similarity, copies.outlet_of, also)

    def _repeated(self) -> RepeatedLines:
        """The lines of REPEATED_GROUPS independent kept documents or more (a near copy
        counts as its original), as :func:`~timeline.corpus.furniture.repeated_lines`
        finds them, counted on disk; ``far``: published more than FAR_DAYS apart."""
        self.db.execute("CREATE TEMP TABLE copy_ids (fid TEXT PRIMARY KEY)")
        self.db.executemany("INSERT OR IGNORE INTO temp.copy_ids VALUES (?)",
                            ((doc_id,) for doc_id in self.copies.original))
        found = np.array(self.db.execute(
            "SELECT lines.hash, COALESCE(MAX(items.cday) - MIN(items.cday) > ?, 0) FROM lines "
            "JOIN items ON items.ordinal = lines.ordinal WHERE items.status = 0 AND items.fid "
            "NOT IN (SELECT fid FROM temp.copy_ids) GROUP BY lines.hash HAVING COUNT(*) >= ?",
            (FAR_DAYS, REPEATED_GROUPS)).fetchall(), dtype=np.int64).reshape(-1, 2)
        self.db.execute("DROP TABLE temp.copy_ids")
        hashes = np.ascontiguousarray(found[:, 0]).view(np.uint64)
        return RepeatedLines(np.sort(hashes), np.sort(hashes[found[:, 1] == 1]))

    # --- out: the documents, the notes of later stages, the report -----------------

    def batches(self) -> Iterator[tuple[int, list[tuple[bytes, int]]]]:
        """The documents of each batch, packed (:mod:`timeline.corpus.packed`, without
        their texts), with their row in its spool file; batch by batch, rows in order."""
        for number in range(self.n_batches):
            rows = self.db.execute("SELECT doc, row FROM items WHERE status = 0 AND batch = ? "
                                   "ORDER BY row", (number,)).fetchall()
            if rows:
                yield number, [(doc, row) for doc, row in rows]

    def add_notes(self, warnings: dict[str, list[str]],
                  errors: dict[str, list[tuple[str, str]]],
                  set_aside: dict[str, dict[str, Any]] | None = None) -> None:
        """File what a later stage said about documents (by id), and what it set aside
        from them (page furniture, statements that tell no happening)."""
        rows = []
        asides = {doc_id: [json.dumps(aside)] for doc_id, aside in (set_aside or {}).items()}
        for kind, notes in ((_WARNING, warnings), (_ERROR, errors), (_SET_ASIDE, asides)):
            for doc_id, said in notes.items():
                found = self.db.execute("SELECT ordinal FROM items WHERE fid = ? AND "
                                        "status = 0", (doc_id,)).fetchone()
                if found is None:
                    continue
                for note in said:
                    stage, text = note if isinstance(note, tuple) else ("", note)
                    rows.append((found[0], self._seq, kind, stage, text))
                    self._seq += 1
        if rows:
            self.db.executemany("INSERT INTO notes VALUES (?, ?, ?, ?, ?)", rows)

    def entries(self) -> Iterator[ReportEntry]:
        """Every input's report entry, in input order (with the later stages' notes)."""
        self.db.execute("CREATE INDEX IF NOT EXISTS notes_ordinal ON notes (ordinal, seq)")
        for chunk in self._items("kind, input, reason, status, dup_of, doc, id, warnings, "
                                 "n_chars", "1", WRITE_ROWS):
            last = chunk[-1][0]
            noted: dict[int, list[tuple[int, str, str]]] = {}
            for ordinal, kind, stage, text in self.db.execute(
                    "SELECT ordinal, kind, stage, text FROM notes WHERE ordinal > ? AND "
                    "ordinal <= ? ORDER BY ordinal, seq", (chunk[0][0] - 1, last)):
                noted.setdefault(ordinal, []).append((kind, stage, text))
            for ordinal, kind, name, reason, status, dup_of, doc, doc_id, warned, n_chars \
                    in chunk:
                yield self._entry(kind, name, reason, status, dup_of, doc, doc_id, warned,
                                  n_chars, noted.get(ordinal, ()))

    def _entry(self, kind: int, name: str, reason: str | None, status: int,
               dup_of: int | None, doc: bytes | None, doc_id: str, warned: str, n_chars: int,
               noted: Iterable[tuple[int, str, str]]) -> ReportEntry:
        if kind != _PARSED:
            return ReportEntry(name, "failed", reason=reason)
        if status == _DUPLICATE:
            keeper = self.db.execute("SELECT fid FROM items WHERE ordinal = ?",
                                     (dup_of,)).fetchone()[0]
            return ReportEntry(name, "duplicate", id=doc_id, duplicate_of=keeper,
                               warnings=tuple(json.loads(warned)))
        assert doc is not None  # every loaded row has its document
        document = unpack_document(doc)
        provenance = document.provenance
        assert provenance is not None  # every loaded document has one
        later = list(noted)
        details = loaded_details(document, provenance, n_chars) | copy_details(document,
                                                                               self.copies)
        for k, _stage, text in later:
            if k == _SET_ASIDE:
                details["set_aside"] = json.loads(text)
        return ReportEntry(name, "loaded", id=document.id,
                           warnings=provenance.warnings + tuple(
                               text for k, _stage, text in later if k == _WARNING),
                           details=details,
                           errors=tuple((stage, text) for k, stage, text in later
                                        if k == _ERROR))

    def first_failure(self) -> tuple[tuple[str, str] | None, int]:
        """The first failed input (name, reason) and how many failed."""
        first = self.db.execute("SELECT input, reason FROM items WHERE kind != 0 ORDER BY "
                                "ordinal LIMIT 1").fetchone()
        count = self.db.execute("SELECT COUNT(*) FROM items WHERE kind != 0").fetchone()[0]
        return ((first[0], first[1]) if first else None), count

    def write_report(self, path: Path) -> ReportDigest:
        """Write the ingest report to ``path``; returns its counts and first lines."""
        writer = ReportWriter(self.folder / "entries.json.part")
        for entry in self.entries():
            writer.add(entry)
        writer.close(path, warnings=self.warnings, ignored=self.ignored, limits=self.limits)
        return writer.digest

    def close(self) -> None:
        self.db.close()


class SignatureFile:
    """The MinHash signatures written by :meth:`Ledger.add`, read one at a time."""

    _CACHED = 4096

    def __init__(self, path: Path) -> None:
        self.fd = os.open(path, os.O_RDONLY)
        self.cache: dict[int, np.ndarray] = {}

    def __getitem__(self, row: int) -> np.ndarray:
        found = self.cache.get(row)
        if found is None:
            size = N_HASHES * 8
            found = np.frombuffer(os.pread(self.fd, size, row * size), dtype=np.uint64)
            if len(self.cache) >= self._CACHED:
                self.cache.clear()
            self.cache[row] = found
        return found

    def close(self) -> None:
        os.close(self.fd)


def _dumps(value: Any) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def _row(ordinal: int, kind: int, name: str, *, reason: str) -> tuple[Any, ...]:
    return (ordinal, kind, name, reason, *([None] * 18))


def _parsed_row(ordinal: int, item: Parsed, sig: int | None) -> tuple[Any, ...]:
    pending = item.pending
    published = pending.published
    richness = sum(1 for name in ("source", "url", "title") if pending.text_field(name))
    batch, row = item.where
    undated = item.document is None
    return (ordinal, _PARSED, pending.raw.input, None, pending.key, pending.id,
            int(published is None), int(not (published is not None and published.has_time)),
            int(not pending.id_given), richness,
            published.moment.date().toordinal() if published is not None else None,
            pending.text_field("source"), pending.text_field("url"), item.n_chars, batch, row,
            json.dumps(pending.warnings), _dumps(pending) if undated else None,
            None if item.clues is None else _dumps(item.clues), item.text, sig,
            item.document)


def _columns(rows: Iterable[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    """Two columns of integers as arrays (grown a chunk at a time, not as Python lists)."""
    firsts: list[np.ndarray] = []
    seconds: list[np.ndarray] = []
    chunk: list[tuple[int, int]] = []
    for row in _chained(rows, (None, None)):
        if row[0] is None or len(chunk) >= WRITE_ROWS:
            if chunk:
                array = np.asarray(chunk, dtype=np.int64).reshape(-1, 2)
                firsts.append(array[:, 0])
                seconds.append(array[:, 1])
            chunk = []
        if row[0] is not None:
            chunk.append(row)
    empty = np.zeros(0, dtype=np.int64)
    return (np.concatenate(firsts) if firsts else empty,
            np.concatenate(seconds) if seconds else empty)


def _chained(rows: Iterable[tuple[Any, ...]], last: tuple[Any, ...]) -> Iterator[tuple[Any, ...]]:
    """The rows, then ``last`` (a row that closes the final group)."""
    yield from rows
    yield last


def _extremes(dated: list[tuple[str, date]]) -> list[tuple[str, date]]:
    """The two earliest and two latest (id, day) pairs (stable for equal days)."""
    by_day = sorted(dated, key=lambda item: item[1])
    return by_day[:2] + by_day[-2:] if len(by_day) > 4 else by_day


class _DocumentChange:
    """What settling changes of a record (``id``, ``warnings``, ``duplicates``), made
    on a dated document's Document instead (its record is not kept)."""

    def __init__(self, document: Document) -> None:
        provenance = document.provenance
        assert provenance is not None  # every loaded document has one
        self._document, self._provenance = document, provenance
        self.id = document.id
        self.warnings = list(provenance.warnings)
        self.duplicates = list(provenance.duplicates)

    def document(self) -> Document:
        return replace(self._document, id=self.id, provenance=replace(
            self._provenance, warnings=tuple(self.warnings),
            duplicates=tuple(self.duplicates)))
