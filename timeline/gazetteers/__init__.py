"""Domain gazetteers: the actors and places of one subject, in every language.

A gazetteer is domain data, not language data: which armed groups, towns and
leaders a corpus names depends on what it is about, not on the language it is
written in. Each file maps canonical names to their spellings in every language
("Turki", "Turkish", "Ankara" -> ``actor:turkey``), so that statements in
Indonesian and English about the same actors share features.

The package ships two, both used by default:

- ``syria.toml``: the actors and places of the seed corpus's subject, written by
  hand in every language the project reads (its header gives the layout);
- ``world.toml``: the world's countries and towns of 15,000 inhabitants or more
  with the ways news write their names, derived from GeoNames and the Unicode
  CLDR by ``scripts/world_gazetteer.py`` (countries are ``[generic]``: weak
  evidence of which event a statement tells).

A user swaps or extends them with files of their own (``timeline build
--gazetteer FILE``). Names are matched across spellings (:mod:`~timeline.gazetteers.spelling`):
each name's folded form and sound key are computed when a gazetteer is loaded, and
cached on disk (:mod:`timeline.cache`) by the file's content, so that the 100,000
names of ``world.toml`` cost milliseconds after the first load.

>>> gazetteer = load_gazetteer("syria")
>>> gazetteer.actors["turkey"][:2]
('Turkey', 'Turkish')
>>> gazetteer.folds["Deir ez-Zor"], gazetteer.sounds["Deir ez-Zor"]
('deir ez zor', 'dar sar')
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from timeline import cache
from timeline.gazetteers.spelling import capitalised, fold, sound_key

GAZETTEER_DIR = Path(__file__).parent
DEFAULT_GAZETTEERS = ("syria", "world")
_SECTIONS = {"gazetteer", "actors", "places", "generic"}
#: What the cached form of a gazetteer depends on besides the file: the spelling rules
#: and this module, which reads the file and lays the cached form out.
_SOURCES = b"".join((Path(__file__).parent / name).read_bytes()
                    for name in ("spelling.py", "__init__.py"))


class GazetteerError(ValueError):
    """A gazetteer that cannot be read or does not follow the layout."""


@dataclass(frozen=True)
class Gazetteer:
    """Actors and places by canonical name, and the keys too common to tell events apart."""

    name: str
    actors: dict[str, tuple[str, ...]]
    places: dict[str, tuple[str, ...]]
    generic: frozenset[str]
    #: Each name's folded form (:func:`~timeline.gazetteers.spelling.fold`), by name.
    folds: Mapping[str, str] = field(default_factory=dict)
    #: Each name's sound key (:func:`~timeline.gazetteers.spelling.sound_key`), by name.
    sounds: Mapping[str, str] = field(default_factory=dict)
    #: The names written as runs of capitalised words
    #: (:func:`~timeline.gazetteers.spelling.capitalised`).
    capitalised: frozenset[str] = frozenset()
    #: Derived from a list of the world's names (``[gazetteer] derived = true``), not
    #: written for a subject: a name of it that is also someone's name ("Morsi",
    #: "Patterson" are towns too) is taken only where it stands as a place.
    derived: bool = False


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
        raw = path.read_bytes()
    except OSError as exc:
        raise GazetteerError(f"{path}: cannot be read: {exc}") from None
    key = cache.content_key(raw, _SOURCES)
    payload = cache.cached("gazetteer", key, lambda: _to_json(_read(path, raw)))
    try:
        return _from_json(payload)
    except (orjson.JSONDecodeError, KeyError, TypeError, AttributeError):
        return _read(path, raw)  # a damaged entry: read from the file


def _to_json(gazetteer: Gazetteer) -> bytes:
    return orjson.dumps({"name": gazetteer.name, "actors": gazetteer.actors,
                         "places": gazetteer.places, "generic": sorted(gazetteer.generic),
                         "folds": gazetteer.folds, "sounds": gazetteer.sounds,
                         "capitalised": sorted(gazetteer.capitalised),
                         "derived": gazetteer.derived})


def _from_json(payload: bytes) -> Gazetteer:
    data = orjson.loads(payload)
    return Gazetteer(
        name=str(data["name"]),
        actors={k: tuple(v) for k, v in data["actors"].items()},
        places={k: tuple(v) for k, v in data["places"].items()},
        generic=frozenset(data["generic"]), folds=dict(data["folds"]),
        sounds=dict(data["sounds"]), capitalised=frozenset(data["capitalised"]),
        derived=bool(data["derived"]))


def _read(path: Path, raw: bytes) -> Gazetteer:
    """Parse and check a gazetteer file; fold and key its names."""
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise GazetteerError(f"{path}: cannot be read: {exc}") from None
    unknown = sorted(set(data) - _SECTIONS)
    if unknown:
        raise GazetteerError(f"{path}: unknown section(s) {', '.join(unknown)} (known: "
                             f"{', '.join(sorted(_SECTIONS))})")
    generic = data.get("generic", {}).get("keys", [])
    if not (isinstance(generic, list) and all(isinstance(k, str) for k in generic)):
        raise GazetteerError(f"{path}: [generic] keys must be a list of strings")
    actors = _names(data.get("actors", {}), f"{path}: [actors]")
    places = _names(data.get("places", {}), f"{path}: [places]")
    every = {v for table in (actors, places) for variants in table.values() for v in variants}
    folds, sounds = {}, {}
    for name in sorted(every):  # name by name: sound_key finds the fold in fold's cache
        folds[name] = fold(name)
        sounds[name] = sound_key(name)
    derived = data.get("gazetteer", {}).get("derived", False)
    if not isinstance(derived, bool):
        raise GazetteerError(f"{path}: [gazetteer] derived must be true or false")
    return Gazetteer(
        name=str(data.get("gazetteer", {}).get("name", path.stem)),
        actors=actors, places=places, generic=frozenset(generic), derived=derived,
        folds=folds, sounds=sounds,
        capitalised=frozenset(v for v in every if capitalised(v)),
    )
