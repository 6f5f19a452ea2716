"""Near-duplicate documents: syndicated and updated copies, found at ingestion.

A syndicated copy is another outlet's republication of an article (its own
byline, a "read also" line, a trimmed ending); an updated copy is an outlet's
later version of its own article. Exact copies (the same text once Unicode forms
and whitespace are unified) are already dropped as duplicates by the loader;
near copies are kept as documents, and this module says which document is a copy
of which, so that the chronology can list them without counting them as new
outlets.

Method (Broder's shingling with MinHash, locality-sensitive hashing in bands):

- a text is cut into shingles of :data:`SHINGLE_WORDS` consecutive words
  (Unicode-folded, case-blind);
- a signature of :data:`N_HASHES` minima of universal hash functions over the
  shingles estimates the Jaccard similarity of two texts' shingle sets (the
  fraction of equal minima);
- the signature is cut into :data:`BANDS` bands of :data:`ROWS` values; only
  documents that agree on a whole band are compared (the chance of that is
  ``1 - (1 - J**ROWS)**BANDS``: 0.87 at J = 0.5, 0.9993 at J = 0.7, 0.03 at
  J = 0.2). In a band's bucket each document is compared with at most
  :data:`MAX_LEADERS` earlier ones (in originality order), so the cost stays
  linear in the corpus size even when thousands of copies share a bucket; a
  pair is a copy when its estimated Jaccard is at least :data:`COPY_JACCARD`.

A copy group is a connected set of such pairs; its original is the earliest
published document, then the shortest (copies add bylines, footers and
updates), then the smallest id, so that the choice does not depend on input
order; every other member is a copy of it.

>>> from timeline.types import Document
>>> text = "Pasukan pemerintah merebut kembali kota itu pada hari Senin setelah pertempuran sengit."
>>> docs = [Document("a", text, source="Kabar"), Document("b", "Kabar Lain - " + text, source="Lain"),
...         Document("c", "Hujan deras mengguyur Jakarta sepanjang hari Minggu kemarin sore.")]
>>> copies = find_copies(docs)
>>> copies.original_of("b"), copies.original_of("c"), copies.copies_of("a")
('a', 'c', ['b'])
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from timeline.types import Document

#: Words per shingle.
SHINGLE_WORDS = 5
#: Bands x rows = hash functions of the MinHash signature.
BANDS = 32
ROWS = 4
N_HASHES = BANDS * ROWS
#: Estimated Jaccard similarity of shingle sets at or above which two texts are copies.
COPY_JACCARD = 0.5
#: In one band's bucket, each document is compared with at most this many others.
MAX_LEADERS = 4

_WORD = re.compile(r"\w+")
# Fixed coefficients: the same signatures on every run and machine.
_rng = np.random.default_rng(20161111)
_A = _rng.integers(1, 2**63, size=N_HASHES, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
_B = _rng.integers(0, 2**63, size=N_HASHES, dtype=np.uint64)
_SHINGLE_MULT = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9,
                          0xD6E8FEB86659FD93, 0xFF51AFD7ED558CCD], dtype=np.uint64)[:SHINGLE_WORDS]


@dataclass(frozen=True)
class Copies:
    """Which documents are copies of which, and which outlets published each text.

    ``original`` maps each copy to the original of its group (originals and
    documents without copies are absent); ``similarity`` is the copy's estimated
    Jaccard similarity with its original; ``outlet_of`` names the outlet of every
    document of a copy group (its own source, else its original's, else the
    original's id); ``also_published_by`` lists, for a document, the outlets of
    its exact duplicates that the loader dropped.
    """

    original: Mapping[str, str] = field(default_factory=dict)
    similarity: Mapping[str, float] = field(default_factory=dict)
    outlet_of: Mapping[str, str] = field(default_factory=dict)
    also_published_by: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    _copies: dict[str, list[str]] = field(default_factory=dict, init=False, repr=False,
                                          compare=False)

    def __post_init__(self) -> None:
        for copy in sorted(self.original):
            self._copies.setdefault(self.original[copy], []).append(copy)

    def original_of(self, doc_id: str) -> str:
        """The original of the document's copy group (the document itself if it is no copy)."""
        return self.original.get(doc_id, doc_id)

    def copies_of(self, doc_id: str) -> list[str]:
        """The copies of an original, sorted."""
        return list(self._copies.get(doc_id, ()))

    def outlet(self, doc_id: str, source: str | None) -> str:
        """Who published the document: its source, or its copy group's, or its original's id."""
        return source or self.outlet_of.get(doc_id) or self.original_of(doc_id)

    def __len__(self) -> int:
        return len(self.original)


def _words(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def _shingles(words: list[str], word_hash: dict[str, int]) -> np.ndarray:
    """64-bit hashes of the text's shingles, in text order, repeats kept (a minimum does
    not change for them); one shingle for a short text."""
    for w in set(words).difference(word_hash):
        word_hash[w] = int.from_bytes(
            hashlib.blake2b(w.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little")
    hashes = np.fromiter(map(word_hash.__getitem__, words), dtype=np.uint64, count=len(words))
    k = min(SHINGLE_WORDS, len(hashes))
    n = len(hashes) - k + 1
    combined = np.zeros(n, dtype=np.uint64)
    for j in range(k):  # wrapping arithmetic mod 2**64: a polynomial hash of k words
        combined *= _SHINGLE_MULT[j]
        combined += hashes[j:j + n]
    return combined


#: Shingles hashed at once by :func:`signature` (bounds its scratch matrix to 4 MB).
_SHINGLE_CHUNK = 4096


def signature(text: str, word_hash: dict[str, int] | None = None) -> np.ndarray | None:
    """MinHash signature (``N_HASHES`` uint64) of a text, or None when it has no words."""
    words = _words(text)
    if not words:
        return None
    shingles = _shingles(words, {} if word_hash is None else word_hash)
    # one universal hash per row: a * x + b mod 2**64, minimum over the shingles
    minima = np.full(N_HASHES, np.iinfo(np.uint64).max, dtype=np.uint64)
    scratch = np.empty((min(len(shingles), _SHINGLE_CHUNK), N_HASHES), dtype=np.uint64)
    for first in range(0, len(shingles), _SHINGLE_CHUNK):
        chunk = shingles[first:first + _SHINGLE_CHUNK]
        values = scratch[:len(chunk)]
        np.multiply(chunk[:, None], _A[None, :], out=values)
        values += _B[None, :]
        np.minimum(minima, values.min(axis=0), out=minima)
    return minima


def estimated_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Fraction of equal MinHash values: an estimate of the shingle sets' Jaccard similarity."""
    return float(np.count_nonzero(a == b)) / len(a)


@dataclass(frozen=True, slots=True)
class CopyFacts:
    """What copy detection needs of a document besides its text's signature."""

    id: str
    #: Publication day (ordinal), or None when unknown.
    published: int | None
    n_chars: int
    source: str | None
    #: Outlets of the exact duplicates the loader dropped.
    duplicate_outlets: tuple[str, ...] = ()

    @classmethod
    def of(cls, document: Document) -> CopyFacts:
        duplicates = document.provenance.duplicates if document.provenance else ()
        return cls(document.id,
                   document.published.date().toordinal() if document.published else None,
                   len(document.text), document.source,
                   tuple(d["source"] for d in duplicates
                         if isinstance(d, Mapping) and d.get("source")))


def _originality(facts: CopyFacts) -> tuple[int, int, str]:
    """Order in which documents are taken as originals: earliest, shortest, smallest id."""
    published = facts.published if facts.published is not None else date.max.toordinal()
    return (published, facts.n_chars, facts.id)


def find_copies(documents: Iterable[Document]) -> Copies:
    """Copy groups of the documents (see the module docstring for the method)."""
    documents = list(documents)
    word_hash: dict[str, int] = {}
    return copies_from_signatures([CopyFacts.of(d) for d in documents],
                                  [signature(d.text, word_hash) for d in documents])


def copies_from_signatures(facts: list[CopyFacts],
                           signatures: list[np.ndarray | None]) -> Copies:
    """Copy groups from each document's facts and MinHash signature (None: no words).

    A corpus read in a stream keeps only these per document (the signature is
    1 KB), not its text (and :mod:`timeline.corpus.ledger` keeps them on disk).
    """
    order = sorted(range(len(facts)), key=lambda i: _originality(facts[i]))
    ordered = [facts[i] for i in order]
    signed = [signatures[i] for i in order]

    def similar(i: int, j: int) -> float:
        """Estimated Jaccard similarity of two documents that have signatures (texts
        too short for one are never grouped, so never compared)."""
        a, b = signed[i], signed[j]
        assert a is not None and b is not None
        return estimated_jaccard(a, b)

    roots = group_copies(_buckets(signed), similar)
    copies = copies_of_groups(roots, ordered.__getitem__, similar)
    also: dict[str, tuple[str, ...]] = {}
    for document in ordered:
        outlets = also_published(document)
        if outlets:
            also[document.id] = outlets
    return Copies(copies.original, copies.similarity, copies.outlet_of, also)


def group_copies(buckets: Iterable[Sequence[int]],
                 similar: Callable[[int, int], float]) -> dict[int, int]:
    """The root (the most original member) of every document in a copy group, by
    originality index; documents in no group are absent.

    In each bucket (indexes ascending: the more original first) a document is
    compared with at most :data:`MAX_LEADERS` earlier ones, and joins the first it is
    a copy of (estimated Jaccard at least :data:`COPY_JACCARD`)."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        while (up := parent.get(x, x)) != x:
            parent[x] = parent.get(up, up)
            x = parent[x]
        return x

    for members in buckets:
        leaders: list[int] = []
        for index in members:
            for leader in leaders:
                if find(leader) == find(index):
                    break
                if similar(index, leader) >= COPY_JACCARD:
                    a, b = find(leader), find(index)  # the more original root stays root
                    parent[max(a, b)] = min(a, b)
                    break
            else:
                if len(leaders) < MAX_LEADERS:
                    leaders.append(index)
    return {x: root for x in sorted(parent) if (root := find(x)) != x}


def copies_of_groups(roots: Mapping[int, int], facts: Callable[[int], CopyFacts],
                     similar: Callable[[int, int], float]) -> Copies:
    """The copies of :func:`group_copies` (indexes in originality order, ascending) by
    document id: each copy's original, similarity with it and outlet."""
    original: dict[str, str] = {}
    similarity: dict[str, float] = {}
    outlet_of: dict[str, str] = {}
    for index, root in roots.items():
        document, head = facts(index), facts(root)
        original[document.id] = head.id
        similarity[document.id] = round(similar(index, root), 3)
        outlet_of[document.id] = document.source or head.source or head.id
        outlet_of.setdefault(head.id, head.source or head.id)
    return Copies(original, similarity, outlet_of)


def also_published(document: CopyFacts) -> tuple[str, ...]:
    """The outlets of the document's exact duplicates other than its own, sorted."""
    return tuple(sorted(set(document.duplicate_outlets) - {document.source}))


def band_buckets(keys: np.ndarray, index: np.ndarray, band: int
                 ) -> list[tuple[int, int, list[int]]]:
    """(first member, band, members) of each bucket of two or more documents that agree
    on one band: ``keys`` holds the band's ROWS values of each signed document,
    ``index`` its originality index (ascending members)."""
    order = np.lexsort((index, *keys.T[::-1]))
    sorted_keys = keys[order]
    new = np.ones(len(order), dtype=bool)
    new[1:] = np.any(sorted_keys[1:] != sorted_keys[:-1], axis=1)
    starts = np.flatnonzero(new)
    sizes = np.diff(np.append(starts, len(order)))
    found = []
    for start, size in zip(starts[sizes > 1].tolist(), sizes[sizes > 1].tolist(),
                           strict=True):
        members = index[order[start:start + size]].tolist()
        found.append((members[0], band, members))
    return found


def _buckets(signatures: list[np.ndarray | None]) -> list[list[int]]:
    """The documents (indexes, ascending) that agree on a whole band, for each band's
    buckets of two or more, in the order a scan by document then band meets them."""
    signed = [i for i, sig in enumerate(signatures) if sig is not None]
    if len(signed) < 2:
        return []
    matrix = np.stack([signatures[i] for i in signed])  # type: ignore[misc]
    index = np.asarray(signed, dtype=np.int64)
    found: list[tuple[int, int, list[int]]] = []
    for band in range(BANDS):
        found.extend(band_buckets(matrix[:, band * ROWS:(band + 1) * ROWS], index, band))
    found.sort(key=lambda item: (item[0], item[1]))
    return [members for _, _, members in found]
