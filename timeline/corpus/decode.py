"""Bytes to article text: encodings, byte-order marks, line ends, binary junk.

News dumps arrive as UTF-8 (sometimes with a BOM), as Windows-1252 from old CMS
exports, or as something that is not text at all. The rule here is *decode with a
warning, never drop*: a Windows-1252 article loses nothing by being read as such,
while refusing it would silently shrink the corpus. Only input that is not text
(NUL bytes, mostly control characters) or has no text is refused, with a reason.

The fallback chain is three lines of standard-library code, so no detector
package is used: statistical charset detection is unreliable on short articles and
would trade a predictable rule for a guess.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from typing import BinaryIO

#: Encodings tried after UTF-8, in order. Windows-1252 is a superset of Latin-1
#: for printable text; Latin-1 decodes any byte, so the chain always ends.
FALLBACK_ENCODINGS = ("cp1252", "latin-1")

#: Above this share of control characters a "text" is taken to be binary.
MAX_CONTROL_SHARE = 0.05

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE, whose BOM is its prefix
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class NotText(ValueError):
    """The input cannot be read as an article; the message says why."""


@dataclass(frozen=True, slots=True)
class DecodedText:
    """Text ready to be an article, with what was done to get it."""

    text: str
    encoding: str
    warnings: tuple[str, ...] = ()


def normalise_text(text: str) -> str:
    """Unify line ends (CRLF, CR to LF) and compose Unicode (NFC).

    Offsets of later stages point into this text, so it is normalised once, here.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


#: Control characters (Unicode category Cc: C0 and C1) other than the white space ones.
_BINARY_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def check_text(text: str) -> None:
    """Raise :class:`NotText` for an empty or binary-looking text."""
    if not text.strip():
        raise NotText("empty: no text")
    sample = text[:100_000]
    controls = len(_BINARY_CONTROLS.findall(sample))
    if controls > MAX_CONTROL_SHARE * len(sample):
        raise NotText(f"binary: {controls} control characters in the first {len(sample)}, "
                      "not text")


def decode_bytes(data: bytes) -> DecodedText:
    """Decode a file's bytes to normalised article text.

    >>> decode_bytes(b"\\xef\\xbb\\xbfa\\r\\nb").text
    'a\\nb'
    >>> decode_bytes("café".encode("cp1252")).warnings
    ('not UTF-8: decoded as Windows-1252 (a superset of Latin-1)',)
    """
    if not data.strip():
        raise NotText("empty: no text" if data else "empty: 0 bytes")
    warnings: list[str] = []
    text: str | None = None
    encoding = "utf-8"
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                text, encoding = data.decode(name), name
            except UnicodeDecodeError as exc:
                raise NotText(f"binary: starts with a {name} byte-order mark but does not "
                              f"decode as {name} ({exc.reason})") from None
            if name != "utf-8-sig":
                warnings.append(f"decoded as {name} (byte-order mark)")
            break
    if text is None:
        if b"\x00" in data[:100_000]:
            raise NotText("binary: contains NUL bytes, not text")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            for name in FALLBACK_ENCODINGS:
                try:
                    text, encoding = data.decode(name), name
                except UnicodeDecodeError:
                    continue
                label = {"cp1252": "Windows-1252 (a superset of Latin-1)", "latin-1": "Latin-1"}[name]
                warnings.append(f"not UTF-8: decoded as {label}")
                break
            else:  # unreachable: Latin-1 decodes every byte
                raise NotText(f"undecodable: {exc}") from None
    assert text is not None
    check_text(text)
    return DecodedText(normalise_text(text), encoding, tuple(warnings))


#: Bytes read at a time when a table file is checked and read as a stream.
STREAM_CHUNK = 1 << 20
#: Bytes undefined in Windows-1252: a file holding one is Latin-1.
_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")
_FALLBACK_LABELS = {"cp1252": "Windows-1252 (a superset of Latin-1)", "latin-1": "Latin-1"}


def sniff_encoding(handle: BinaryIO) -> DecodedText:
    """The encoding of a whole table file (JSON Lines, CSV), read in chunks (memory
    stays bounded); the same rules as :func:`decode_bytes`, but a NUL byte alone
    does not make the file binary. Returns a :class:`DecodedText` whose
    ``text`` is a sample of the start (for the binary check); ``handle`` is left
    at its start. Raises :class:`NotText` for an empty or binary file.
    """
    head = handle.read(4)
    handle.seek(0)
    bom_name = next((name for bom, name in _BOMS if head.startswith(bom)), None)
    decoder = codecs.getincrementaldecoder(bom_name or "utf-8")()
    valid = True
    undefined_cp1252 = False
    content = False
    sample = b""
    size = 0
    while chunk := handle.read(STREAM_CHUNK):
        if size < 100_000:
            sample += chunk[:100_000 - size]
        size += len(chunk)
        content = content or bool(chunk.strip())
        if valid:
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                valid = False
        if bom_name is None and not undefined_cp1252:
            undefined_cp1252 = any(b in _CP1252_UNDEFINED for b in chunk)
    if valid:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            valid = False
    handle.seek(0)
    if not content:
        raise NotText("empty: no text" if size else "empty: 0 bytes")
    warnings: list[str] = []
    if bom_name is not None:
        if not valid:
            raise NotText(f"binary: starts with a {bom_name} byte-order mark but does not "
                          f"decode as {bom_name}")
        encoding = bom_name
        if bom_name != "utf-8-sig":
            warnings.append(f"decoded as {bom_name} (byte-order mark)")
    else:
        # No refusal for a NUL alone (unlike a single file): in a table it spoils one
        # line, which fails by itself; a binary file fails the control-share check.
        encoding = "utf-8" if valid else "latin-1" if undefined_cp1252 else "cp1252"
        if encoding != "utf-8":
            warnings.append(f"not UTF-8: decoded as {_FALLBACK_LABELS[encoding]}")
    text = sample.decode(encoding, errors="ignore")
    check_text(text)
    return DecodedText(text, encoding, tuple(warnings))
