"""Domain gazetteers: the actors and places of one subject, in every language.

A gazetteer is domain data, not language data: which armed groups, towns and
leaders a corpus names depends on what it is about, not on the language it is
written in. Each file maps canonical names to their spellings in every language
("Turki", "Turkish", "Ankara" -> ``actor:turkey``), so that statements in
Indonesian and English about the same actors share features.

The package ships ``syria.toml`` (the seed corpus's subject), used by default.
A user swaps or extends it with files of their own (``timeline build
--gazetteer FILE``); see the header of ``syria.toml`` for the layout.

>>> gazetteer = load_gazetteer("syria")
>>> gazetteer.actors["turkey"][:2]
('Turkey', 'Turkish')
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path

GAZETTEER_DIR = Path(__file__).parent
DEFAULT_GAZETTEERS = ("syria",)
_SECTIONS = {"gazetteer", "actors", "places", "generic"}


class GazetteerError(ValueError):
    """A gazetteer that cannot be read or does not follow the layout."""


@dataclass(frozen=True)
class Gazetteer:
    """Actors and places by canonical name, and the keys too common to tell events apart."""

    name: str
    actors: dict[str, tuple[str, ...]]
    places: dict[str, tuple[str, ...]]
    generic: frozenset[str]


def available_gazetteers() -> list[str]:
    """Names of the gazetteers shipped with the package."""
    return sorted(p.stem for p in GAZETTEER_DIR.glob("*.toml"))


def _path(name_or_path: str | Path) -> Path:
    text = str(name_or_path)
    if text in available_gazetteers():
        return GAZETTEER_DIR / f"{text}.toml"
    path = Path(text)
    if not path.is_file():
        raise GazetteerError(f"gazetteer {text!r}: no such file, and not one of the shipped "
                             f"gazetteers ({', '.join(available_gazetteers())})")
    return path


def _names(section: object, where: str) -> dict[str, tuple[str, ...]]:
    if not isinstance(section, dict):
        raise GazetteerError(f"{where} must be a table of canonical = [variants]")
    out = {}
    for canonical, variants in section.items():
        if not (isinstance(variants, list) and all(isinstance(v, str) and v for v in variants)):
            raise GazetteerError(f"{where} {canonical}: variants must be non-empty strings")
        out[str(canonical)] = tuple(variants)
    return out


@functools.cache
def load_gazetteer(name_or_path: str | Path) -> Gazetteer:
    """A shipped gazetteer by name, or a gazetteer file by path (checked, cached)."""
    path = _path(name_or_path)
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise GazetteerError(f"{path}: cannot be read: {exc}") from None
    unknown = sorted(set(data) - _SECTIONS)
    if unknown:
        raise GazetteerError(f"{path}: unknown section(s) {', '.join(unknown)} (known: "
                             f"{', '.join(sorted(_SECTIONS))})")
    generic = data.get("generic", {}).get("keys", [])
    if not (isinstance(generic, list) and all(isinstance(k, str) for k in generic)):
        raise GazetteerError(f"{path}: [generic] keys must be a list of strings")
    return Gazetteer(
        name=str(data.get("gazetteer", {}).get("name", path.stem)),
        actors=_names(data.get("actors", {}), f"{path}: [actors]"),
        places=_names(data.get("places", {}), f"{path}: [places]"),
        generic=frozenset(generic),
    )
