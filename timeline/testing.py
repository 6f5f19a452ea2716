"""Data generators for tests and benchmarks (nothing here reads the repository).

- :func:`generate_mentions`: synthetic event mentions, ordinary events of one to nine
  mentions over ten years and heavily covered events of thousands of mentions each;
- :func:`copies_corpus`: a corpus of many copies of a folder of articles, each copy
  from its own outlet with its own byline and footer;
- :func:`synthetic_chronology`: a chronology frame of many events, dense in recent
  years like a news corpus (for the page and its benchmark).

A generator that needs data takes it, or its path, as a parameter.

>>> [m.doc_id for m in generate_mentions(3, seed=1, heavy=1, heavy_size=2)]
['heavy-0-0', 'heavy-0-1', 'doc-1-0']
"""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import polars as pl

from timeline.types import EventMention, Granularity, Quantity, Role

_START = date(2012, 1, 1).toordinal()
_DAYS = 3650


def _dated(rng: random.Random, day: int) -> tuple[date, date, str, Granularity, Role]:
    """(earliest, latest, value, granularity, role): a day, its week, or a report after it."""
    kind = rng.random()
    if kind < 0.10:  # week level
        monday = day - (date.fromordinal(day).isoweekday() - 1)
        year, week, _ = date.fromordinal(monday).isocalendar()
        return (date.fromordinal(monday), date.fromordinal(monday + 6),
                f"{year}-W{week:02d}", "week", "occurred")
    if kind < 0.15:  # reported a few days later
        reported = date.fromordinal(day + rng.randint(0, 3))
        return reported, reported, reported.isoformat(), "day", "reported"
    when = date.fromordinal(day)
    return when, when, when.isoformat(), "day", "occurred"


def _mention(rng: random.Random, doc: str, text: str, day: int, sources: int,
             content: dict[str, Any]) -> EventMention:
    earliest, latest, value, granularity, role = _dated(rng, day)
    return EventMention(
        doc_id=doc, start=0, end=100, text=text, timex="t", timex_start=0, timex_end=1,
        value=value, earliest=earliest, latest=latest, granularity=granularity, role=role,
        anchor="published", lang=rng.choice(("id", "en")),
        source=f"source-{rng.randrange(sources)}", published=latest, **content)


def generate_mentions(n_mentions: int, seed: int = 0, *, heavy: int = 0,
                      heavy_size: int = 10_000) -> list[EventMention]:
    """Synthetic mentions (deterministic for a seed): ``heavy`` events of ``heavy_size``
    mentions each (doc ids ``heavy-<event>-<k>``), the rest in events of one to nine."""
    rng = random.Random(seed)
    places = [f"place-{i}" for i in range(400)]
    actors = [f"actor-{i}" for i in range(150)] + ["syria", "syrian-government"]
    names = [f"name-{i}" for i in range(20000)]
    nouns = ["soldier", "fighter", "civilian", "child"]
    events = [f"event-{i}" for i in range(30)]
    mentions: list[EventMention] = []

    def keep(values: Sequence[Any]) -> tuple[Any, ...]:
        return tuple(sorted((v for v in values if rng.random() < 0.8), key=str))

    for event_no in range(heavy):
        day = _START + rng.randrange(_DAYS)
        places_e, actors_e = rng.sample(places, 2), rng.sample(actors[:150], 3)
        names_e, events_e = rng.sample(names, 2), rng.sample(events, 2)
        noun, toll = rng.choice(nouns), rng.randint(20, 200)
        for k in range(min(heavy_size, n_mentions - len(mentions))):
            while True:  # each mention names at least two things of the event
                content = {"places": keep(places_e), "actors": keep(actors_e),
                           "names": keep(names_e), "event_words": keep(events_e)}
                if sum(map(len, content.values())) >= 2:
                    break
            if rng.random() < 0.3:  # a stray name: every outlet words it its own way
                content["names"] = tuple(sorted({*content["names"], rng.choice(names)}))
            if rng.random() < 0.1:
                content["actors"] = tuple(sorted({*content["actors"], rng.choice(actors)}))
            figure = toll if rng.random() < 0.7 else toll + rng.randint(1, 5)
            content["quantities"] = (Quantity(figure, noun, ""),) if rng.random() < 0.6 else ()
            doc = f"heavy-{event_no}-{k}"
            mentions.append(_mention(rng, doc, f"heavy event {event_no} told by {doc}", day,
                                     1000, content))
    event_no = 0
    while len(mentions) < n_mentions:
        event_no += 1
        day = _START + rng.randrange(_DAYS)
        event: dict[str, list[Any]] = {
            "places": rng.sample(places, rng.randint(1, 2)),
            "actors": rng.sample(actors, rng.randint(1, 3)),
            "names": rng.sample(names, rng.randint(0, 2)),
            "quantities": [Quantity(rng.randint(2, 200), rng.choice(nouns), "")]
            if rng.random() < 0.5 else [],
            "event_words": rng.sample(events, 2),
        }
        for k in range(min(rng.randint(1, 9), n_mentions - len(mentions))):
            doc = f"doc-{event_no}-{k}"
            mentions.append(_mention(rng, doc, f"event {event_no} told by {doc}", day, 40,
                                     {name: keep(values) for name, values in event.items()}))
    return mentions


def copies_corpus(n_copies: int, path: Path, *, seeds: Path) -> int:
    """JSON Lines at ``path``: ``n_copies`` copies of the articles of the folder ``seeds``
    (its ``manifest.csv`` gives each file's ``published``, ``lang`` and ``source``), copy
    k from outlet-k with its own byline and footer (copy 0 is the seed as published).
    Returns the articles written."""
    with (seeds / "manifest.csv").open(encoding="utf-8") as handle:
        manifest = list(csv.DictReader(handle))
    texts = {row["file"]: (seeds / row["file"]).read_text(encoding="utf-8") for row in manifest}
    with path.open("w", encoding="utf-8") as out:
        for k in range(n_copies):
            for row in manifest:
                text = texts[row["file"]]
                if k:
                    text = f"outlet-{k} — {text}\n\nBaca juga berita lain di outlet-{k}."
                out.write(json.dumps({
                    "id": f"{row['file'][:3]}-outlet-{k}", "text": text,
                    "published": row["published"], "lang": row["lang"],
                    "source": row["source"] if k == 0 else f"outlet-{k}"}) + "\n")
    return n_copies * len(manifest)


def synthetic_chronology(n: int, seed: int = 7) -> pl.DataFrame:
    """``n`` events in the chronology schema, dense in recent years like a news corpus."""
    rnd = random.Random(seed)
    outlets = [f"Outlet {i:02d}" for i in range(25)]
    places = ["Aleppo", "Idlib", "Damaskus", "Raqqa", "Homs", "Deir ez-Zor", "Ankara", "Jakarta"]
    actors = ["Rebels", "Government", "Observatory", "Ministry", "Coalition", "Militia"]
    stretch = {"day": 0, "week": 6, "month": 29, "year": 364}
    rows = []
    for i in range(n):
        earliest = date(2012, 1, 1) + timedelta(days=int(rnd.triangular(0, 3000, 2500)))
        granularity = rnd.choices(list(stretch), [70, 10, 15, 5])[0]
        latest = earliest + timedelta(days=stretch[granularity])
        sources = rnd.sample(outlets, rnd.randint(1, 3))
        n_mentions = rnd.randint(1, 12)
        rows.append({
            "event_id": f"e{i:05d}", "earliest": earliest.isoformat(),
            "latest": latest.isoformat(), "value": earliest.isoformat(),
            "granularity": granularity,
            "summary": f"Event {i} " + "kata " * rnd.randint(2, 30),
            "n_mentions": n_mentions, "n_sources": len(sources), "sources": sources,
            "languages": ["id"] if rnd.random() < 0.6 else ["en"],
            "places": rnd.sample(places, rnd.randint(0, 2)),
            "actors": rnd.sample(actors, rnd.randint(0, 2)),
            "conflict": rnd.random() < 0.02, "conflicts": [],
            "mentions": [{
                "doc_id": f"d{i}-{k}", "start": 0, "end": 40,
                "text": "Kalimat bukti yang dikutip dari artikel berita. " * 3,
                "timex": "hari Senin", "source": sources[k % len(sources)], "lang": "id",
                "role": "date", "published": latest.isoformat(),
                "url": f"https://news.example/{i}/{k}", "title": f"Artikel {i}-{k}",
            } for k in range(min(n_mentions, 8))],
        })
    return pl.DataFrame(rows)
