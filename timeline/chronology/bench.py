"""Merge benchmark on generated mentions: `python -m timeline.chronology.bench [N]`.

Generates ``n_mentions`` event mentions (about five per event, over ten years,
with places, actors, names, counts and event words drawn from fixed pools and
dropped at random, 10 % week-level and 5 % reported), merges them, and prints
mentions per second and seconds. For comparison it times the named alternative,
all-pairs scoring without blocking, on a small sample and extrapolates its
quadratic cost to ``n_mentions``.
"""

from __future__ import annotations

import math
import random
import sys
import time
from datetime import date

from timeline.chronology.merge import build_entries, cluster_mentions, feature_weight
from timeline.types import EventMention, Quantity

_START = date(2012, 1, 1).toordinal()
_DAYS = 3650


def generate_mentions(n_mentions: int, seed: int = 0) -> list[EventMention]:
    """Synthetic mentions of about ``n_mentions / 5`` events (deterministic for a seed)."""
    rng = random.Random(seed)
    places = [f"place-{i}" for i in range(400)]
    actors = [f"actor-{i}" for i in range(150)] + ["syria", "syrian-government"]
    names = [f"name-{i}" for i in range(20000)]
    nouns = ["soldier", "fighter", "civilian", "child"]
    events = [f"event-{i}" for i in range(30)]
    mentions: list[EventMention] = []
    event_no = 0
    while len(mentions) < n_mentions:
        event_no += 1
        day = _START + rng.randrange(_DAYS)
        content = {
            "places": rng.sample(places, rng.randint(1, 2)),
            "actors": rng.sample(actors, rng.randint(1, 3)),
            "names": rng.sample(names, rng.randint(0, 2)),
            "quantities": [Quantity(rng.randint(2, 200), rng.choice(nouns), "")]
            if rng.random() < 0.5 else [],
            "event_words": rng.sample(events, 2),
        }
        for k in range(min(rng.randint(1, 9), n_mentions - len(mentions))):
            def keep(values: list) -> tuple:
                return tuple(sorted((v for v in values if rng.random() < 0.8),
                                    key=str))
            kind = rng.random()
            if kind < 0.10:  # week level
                monday = day - (date.fromordinal(day).isoweekday() - 1)
                lo, hi, gran, value, role = monday, monday + 6, "week", "W", "occurred"
            elif kind < 0.15:  # reported a few days later
                lo = hi = day + rng.randint(0, 3)
                gran, value, role = "day", "R", "reported"
            else:
                lo = hi = day
                gran, value, role = "day", "D", "occurred"
            earliest = date.fromordinal(lo).isoformat()
            latest = date.fromordinal(hi).isoformat()
            doc = f"doc-{event_no}-{k}"
            mentions.append(EventMention(
                doc_id=doc, start=0, end=100, text=f"event {event_no} told by {doc}",
                timex="t", timex_start=0, timex_end=1,
                value=earliest if value != "W" else f"{date.fromordinal(lo).isocalendar()[0]}-W"
                f"{date.fromordinal(lo).isocalendar()[1]:02d}",
                earliest=earliest, latest=latest, granularity=gran, role=role,
                anchor="published", lang=rng.choice(("id", "en")),
                source=f"source-{rng.randrange(40)}", published=latest,
                actors=keep(content["actors"]), places=keep(content["places"]),
                names=keep(content["names"]), quantities=keep(content["quantities"]),
                event_words=keep(content["event_words"]),
            ))
    return mentions


def _all_pairs_seconds(mentions: list[EventMention]) -> float:
    """The alternative: score every pair (time check, then cosine) without blocking."""
    started = time.perf_counter()
    feats = [{f: feature_weight(f) for f in m.features} for m in mentions]
    norms = [math.sqrt(sum(w * w for w in f.values())) or 1.0 for f in feats]
    bounds = [(m.earliest, m.latest) for m in mentions]
    for i in range(len(mentions)):
        for j in range(i + 1, len(mentions)):
            if bounds[i][0] <= bounds[j][1] and bounds[j][0] <= bounds[i][1]:
                shared = feats[i].keys() & feats[j].keys()
                sum(feats[i][f] ** 2 for f in shared) / (norms[i] * norms[j])
    return time.perf_counter() - started


def main(n_mentions: int = 1_000_000) -> dict:
    """Generate, merge, print and return the timings."""
    t0 = time.perf_counter()
    mentions = generate_mentions(n_mentions)
    t1 = time.perf_counter()
    clustering = cluster_mentions(mentions)
    t2 = time.perf_counter()
    frame, _ = build_entries(clustering)
    t3 = time.perf_counter()
    merge_seconds = t3 - t1
    sample = mentions[:2000]
    sample_seconds = _all_pairs_seconds(sample)
    all_pairs_estimate = sample_seconds * (n_mentions / len(sample)) ** 2 if sample else 0.0
    result = {
        "n_mentions": n_mentions,
        "n_events": frame.height,
        "n_candidate_pairs": clustering.n_candidates,
        "n_merges": clustering.n_edges,
        "generate_seconds": round(t1 - t0, 2),
        "cluster_seconds": round(t2 - t1, 2),
        "entries_seconds": round(t3 - t2, 2),
        "merge_seconds": round(merge_seconds, 2),
        "mentions_per_second": round(n_mentions / merge_seconds) if merge_seconds else None,
        "all_pairs_estimate_seconds": round(all_pairs_estimate, 1),
    }
    print(f"merge: {n_mentions:,} mentions -> {frame.height:,} events in {merge_seconds:.1f} s "
          f"({result['mentions_per_second']:,} mentions/s; clustering "
          f"{result['cluster_seconds']} s, entries {result['entries_seconds']} s; "
          f"{clustering.n_candidates:,} candidate pairs)")
    print(f"alternative, all pairs without blocking: ~{all_pairs_estimate:,.0f} s "
          f"(extrapolated from {len(sample):,} mentions in {sample_seconds:.2f} s)")
    return result


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
