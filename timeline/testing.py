"""Data generators for the tests and the benchmarks: made from a seed, no file read.

Nothing here reads the repository (``fixtures/``); a generator that needs data
takes it, or its path, as a parameter.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import polars as pl


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
