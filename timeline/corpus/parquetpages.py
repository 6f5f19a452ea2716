"""How large a Parquet file is once decompressed, read from its page headers alone.

A Parquet file's row groups hold one column chunk per column, each a run of
pages, and each page starts with a header (Thrift's compact protocol) that says
how many bytes the page holds compressed and once decompressed. A decompression
bomb is a file whose pages are small on disk and huge in memory (a 10 KB file
holding a page of 300 MB of one repeated letter): reading its headers, without
decompressing anything, finds it. :func:`page_sizes` walks them and gives, per
row group and column, the largest page and the total once decompressed, or says
why the file cannot be one (a header that does not parse, a page beyond its chunk).

Only the two sizes are read from each header; every other field is skipped by
its type, as the compact protocol allows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, BinaryIO

#: The longest page header read (statistics may make one long; a few KB in practice).
MAX_HEADER_BYTES = 1 << 20
#: Nesting of Thrift structures allowed in a header (the format uses 3).
MAX_DEPTH = 16

# compact protocol types
_STOP, _TRUE, _FALSE, _BYTE, _I16, _I32, _I64, _DOUBLE, _BINARY = range(9)
_LIST, _SET, _MAP, _STRUCT = 9, 10, 11, 12


class BadPages(ValueError):
    """The page headers do not read as those of a Parquet file."""


@dataclass(frozen=True, slots=True)
class ChunkPages:
    """The pages of one column chunk: their number, the largest once decompressed,
    and their total once decompressed."""

    column: str
    pages: int
    largest: int
    total: int


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.position = data, 0

    def byte(self) -> int:
        if self.position >= len(self.data):
            raise BadPages("page header cut short")
        value = self.data[self.position]
        self.position += 1
        return value

    def varint(self) -> int:
        shift = result = 0
        while True:
            b = self.byte()
            result |= (b & 0x7F) << shift
            if not b & 0x80:
                return result
            shift += 7
            if shift > 70:
                raise BadPages("page header: number too long")

    def zigzag(self) -> int:
        n = self.varint()
        return (n >> 1) ^ -(n & 1)

    def skip(self, kind: int, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise BadPages("page header nested too deeply")
        if kind in (_TRUE, _FALSE):
            return
        if kind == _BYTE:
            self.byte()
        elif kind in (_I16, _I32, _I64):
            self.varint()
        elif kind == _DOUBLE:
            self.take(8)
        elif kind == _BINARY:
            self.take(self.varint())
        elif kind in (_LIST, _SET):
            head = self.byte()
            size, element = head >> 4, head & 0x0F
            if size == 15:
                size = self.varint()
            for _ in range(size):
                if element in (_TRUE, _FALSE):  # booleans in a list: one byte each
                    self.byte()
                else:
                    self.skip(element, depth + 1)
        elif kind == _MAP:
            size = self.varint()
            if size:
                types = self.byte()
                for _ in range(size):
                    self.skip(types >> 4, depth + 1)
                    self.skip(types & 0x0F, depth + 1)
        elif kind == _STRUCT:
            self.struct(depth + 1)
        else:
            raise BadPages(f"page header: unknown field type {kind}")

    def take(self, n: int) -> None:
        if n < 0 or self.position + n > len(self.data):
            raise BadPages("page header cut short")
        self.position += n

    def struct(self, depth: int, wanted: tuple[int, ...] = ()) -> dict[int, int]:
        """Read a struct; the integer fields whose ids are ``wanted`` are returned."""
        found: dict[int, int] = {}
        field_id = 0
        while True:
            head = self.byte()
            kind = head & 0x0F
            if kind == _STOP:
                return found
            delta = head >> 4
            field_id = field_id + delta if delta else self.zigzag()
            if field_id in wanted and kind in (_I16, _I32, _I64):
                found[field_id] = self.zigzag()
            else:
                self.skip(kind, depth)


def _header(handle: BinaryIO, offset: int) -> tuple[int, int, int]:
    """(header length, uncompressed size, compressed size) of the page at ``offset``."""
    size = 256
    while True:
        handle.seek(offset)
        data = handle.read(size)
        try:
            reader = _Reader(data)
            fields = reader.struct(0, wanted=(2, 3))
        except BadPages:
            if len(data) < size or size >= MAX_HEADER_BYTES:
                raise
            size *= 8  # a longer header (statistics): read more of it
            continue
        if 2 not in fields or 3 not in fields:
            raise BadPages("page header without its sizes")
        return reader.position, fields[2], fields[3]


def page_sizes(handle: BinaryIO, metadata: Any) -> list[list[ChunkPages]]:
    """Per row group, per column chunk, its pages' sizes once decompressed, read from
    the page headers that ``metadata`` (pyarrow's ``FileMetaData``) locates.
    Raises :class:`BadPages` when a header does not parse or a page runs past its chunk."""
    groups: list[list[ChunkPages]] = []
    for g in range(metadata.num_row_groups):
        group = metadata.row_group(g)
        chunks = []
        for c in range(group.num_columns):
            column = group.column(c)
            start = column.data_page_offset
            if column.has_dictionary_page and column.dictionary_page_offset is not None \
                    and 0 < column.dictionary_page_offset < start:
                start = column.dictionary_page_offset
            end = start + column.total_compressed_size
            offset, pages, largest, total = start, 0, 0, 0
            while offset < end:
                length, uncompressed, compressed = _header(handle, offset)
                if uncompressed < 0 or compressed < 0:
                    raise BadPages(f"column {column.path_in_schema!r}: a page of negative size")
                offset += length + compressed
                if offset > end:
                    raise BadPages(f"column {column.path_in_schema!r}: a page runs past its "
                                   "column chunk")
                pages += 1
                largest, total = max(largest, uncompressed), total + uncompressed
            chunks.append(ChunkPages(column.path_in_schema, pages, largest, total))
        groups.append(chunks)
    return groups
