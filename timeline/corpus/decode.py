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
import unicodedata
from dataclasses import dataclass

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


def check_text(text: str) -> None:
    """Raise :class:`NotText` for an empty or binary-looking text."""
    if not text.strip():
        raise NotText("empty: no text")
    sample = text[:100_000]
    controls = sum(1 for ch in sample
                   if unicodedata.category(ch) == "Cc" and ch not in "\n\t\f\v\r")
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
