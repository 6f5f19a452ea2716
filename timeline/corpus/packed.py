"""Documents packed as bytes, for the ledger and the tasks of a build.

A build hands every document (without its text) from the process that read it to
the ledger on disk, and from there to the process that tags it. Pickled as they
are, frozen dataclasses with slots cost a call to ``dataclasses.fields`` per
object both ways; packed as the plain tuples of their fields they pickle two to
three times faster, which a million documents notice. The fields are read from
the classes themselves, so a field added to :class:`~timeline.types.Document` or
:class:`~timeline.types.Provenance` is packed with the rest.

>>> from timeline.types import Provenance
>>> document = Document("a", "", lang="id", provenance=Provenance("in.jsonl:line 1"))
>>> unpack_document(pack_document(document)) == document
True
"""

from __future__ import annotations

import dataclasses
import pickle

from timeline.types import Document, Provenance

_DOCUMENT = tuple(field.name for field in dataclasses.fields(Document))
_PROVENANCE = tuple(field.name for field in dataclasses.fields(Provenance))
_AT = _DOCUMENT.index("provenance")


def pack_document(document: Document) -> bytes:
    """The document as bytes (:func:`unpack_document` gives it back)."""
    provenance = document.provenance
    return pickle.dumps((tuple(getattr(document, name) for name in _DOCUMENT if name !=
                               "provenance"),
                         None if provenance is None else
                         tuple(getattr(provenance, name) for name in _PROVENANCE)),
                        protocol=pickle.HIGHEST_PROTOCOL)


def unpack_document(data: bytes) -> Document:
    """The document :func:`pack_document` packed."""
    fields, provenance = pickle.loads(data)
    values = list(fields)
    values.insert(_AT, None if provenance is None else Provenance(*provenance))
    return Document(*values)
