"""The merge at volume: heavy coverage, copies, exact scores, the same ids whatever comes."""

import json
import math
import random
from collections import defaultdict
from datetime import datetime
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from support import interval_of

import timeline
from timeline.chronology import candidates, clusters, features, similarity
from timeline.chronology.clusters import cluster_mentions
from timeline.chronology.entries import build_entries, merge_mentions
from timeline.corpus.copies import Copies
from timeline.events.vocabulary import load_vocabulary
from timeline.pipeline.driver import build
from timeline.testing import copies_corpus, generate_mentions
from timeline.types import Document, EventMention, Quantity

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "fixtures" / "seeds"


# --- coverage: N copies of the seed corpus from N outlets ---------------------------


@pytest.fixture(scope="module")
def seed_chronology(tmp_path_factory) -> pl.DataFrame:
    out = tmp_path_factory.mktemp("seed")
    corpus = out / "seeds.jsonl"
    copies_corpus(1, corpus, seeds=SEEDS)
    return build([corpus], out / "built", charts=False).chronology


@pytest.mark.parametrize("n_copies", [1, 10, 100])
def test_n_copies_of_the_seed_corpus_give_its_own_chronology(
        tmp_path, seed_chronology, n_copies):
    corpus = tmp_path / "copies.jsonl"
    assert copies_corpus(n_copies, corpus, seeds=SEEDS) == 5 * n_copies
    result = build([corpus], tmp_path / "out", charts=False)
    frame = result.chronology
    assert result.n_documents == 5 * n_copies  # copies are kept ...
    assert frame.height == seed_chronology.height  # ... and merged
    assert sorted(frame["event_id"].to_list()) == sorted(seed_chronology["event_id"].to_list())
    assert frame["n_mentions"].sum() == n_copies * seed_chronology["n_mentions"].sum()
    # every entry is told by every outlet, but by one report
    assert set(frame["n_sources"].to_list()) == {n_copies}
    assert set(frame["n_reports"].to_list()) == {1}
    copy_of = {m["doc_id"]: m["copy_of"] for row in frame["mentions"].to_list() for m in row}
    assert all((doc.endswith("-outlet-0")) == (original is None)
               for doc, original in copy_of.items())
    assert all(original.endswith("-outlet-0") for original in copy_of.values() if original)
    if n_copies > 1:
        report = json.loads((tmp_path / "out" / "ingest_report.json").read_text())
        said = {e["id"]: e.get("copy_of") for e in report["entries"]}
        assert said["004-outlet-7"] == "004-outlet-0"
        assert said["004-outlet-0"] is None
        assert len({e["id"]: 1 for e in report["entries"] if "copy_of" in e}) == 5 * (n_copies - 1)


def test_identical_documents_from_many_outlets_merge_without_ingestion(seed_chronology):
    with (SEEDS / "manifest.csv").open(encoding="utf-8") as handle:
        import csv

        rows = list(csv.DictReader(handle))
    documents = [Document(f"{row['file'][:3]}-{k}", (SEEDS / row["file"]).read_text(),
                          datetime.fromisoformat(row["published"]), row["lang"], f"outlet-{k}")
                 for k in range(30) for row in rows]
    random.Random(3).shuffle(documents)
    frame = timeline.build_chronology(documents)
    assert frame.height == seed_chronology.height
    assert set(frame["n_sources"].to_list()) == {30}


# --- heavy coverage: large blocks ------------------------------------------------------


def _statement(doc: str, when: str, *, places=(), actors=(), names=(), events=(), qty=None,
               role="occurred", source="", kinds=(), text=None, start=0) -> EventMention:
    earliest, latest = interval_of(when)
    return EventMention(doc, start, start + 60, text or f"{doc} says", "t", start, start + 1,
                        when, earliest, latest, "week" if "W" in when else "day", role,
                        "published", "en", doc if source == "" else source, latest,
                        actors=tuple(actors),
                        places=tuple(places), names=tuple(names), event_words=tuple(events),
                        quantities=(Quantity(qty, "civilian", ""),) if qty else (),
                        kinds=tuple(kinds))


def _heavy_event(prefix: str, day: str, n: int, rng: random.Random, *, places, actors, events,
                 kinds) -> list[EventMention]:
    """``n`` mentions of one event, each worded its own way (a stray name in each)."""
    mentions = []
    for k in range(n):
        mentions.append(_statement(
            f"{prefix}-{k}", day if rng.random() < 0.9 else "2019-W37",
            places=[p for p in places if rng.random() < 0.8] or places[:1],
            actors=[a for a in actors if rng.random() < 0.8] or actors[:1],
            names=[f"stray-{rng.randrange(10**6)}"], events=events, kinds=kinds,
            qty=rng.choice([None, 40, 40, 46]), source=f"outlet-{k % 300}"))
    return mentions


def test_an_event_with_thousands_of_mentions_is_one_entry_beside_its_close_call():
    rng = random.Random(1)
    attack = _heavy_event("attack", "2019-09-12", 3000, rng, places=["idlib", "saraqeb"],
                          actors=["russia", "turkey"], events=["attack", "killed"],
                          kinds=["violence"])
    truce = _heavy_event("truce", "2019-09-12", 2000, rng, places=["idlib", "saraqeb"],
                         actors=["russia", "turkey"], events=["ceasefire"], kinds=["accord"])
    clustering = cluster_mentions(attack + truce)
    assert clustering.n_classes == 5000  # every mention worded its own way
    frame, event_of = build_entries(clustering)
    assert len({event_of[m.key] for m in attack}) == 1
    assert len({event_of[m.key] for m in truce}) == 1
    assert frame.height == 2
    # the bound: a class in p postings of large buckets gets at most 2 * NEIGHBOURS * SORT_PASSES
    # candidates from each, far below the 12.5 million pairs of the 5,000
    assert clustering.n_candidates < 5000 * 6 * 2 * candidates.NEIGHBOURS * candidates.SORT_PASSES


def test_the_cost_bound_holds_in_one_huge_bucket():
    rng = random.Random(2)
    mentions = [_statement(f"d{k}", "2019-09-12", places=["idlib"],
                           names=[f"n{rng.randrange(50)}"], events=["attack"])
                for k in range(4000)]
    clustering = cluster_mentions(mentions)
    # two postings per class (idlib, its name); idlib's bucket holds 4,000 classes
    assert clustering.n_candidates <= 4000 * 2 * max(candidates.MAX_BUCKET - 1,
                                                     2 * candidates.NEIGHBOURS
                                                     * candidates.SORT_PASSES)


# --- exact scores and complete candidates ---------------------------------------------


def _brute_force(clustering) -> dict[tuple[int, int], float]:
    """The score of every candidate pair of classes, computed by hand from the rule: a pair
    is a candidate when it shares a bucket feature (place, actor, name, count; not generic)
    over overlapping compared days, or a kind of happening on one same own day; it is scored
    when it shares enough evidence (two entities, or an entity and what happened; or, on one
    same day, a kind), unless both name places and none in common, or one document dates
    the two apart."""
    frame = clustering.frame
    representative, groups = {}, defaultdict(set)
    for m, cid, group in frame.select("m", "cid", "group").iter_rows():
        representative.setdefault(cid, clustering.objects[m])
        groups[cid].add(group)
    generic = load_vocabulary().generic
    weight = features.feature_weight
    entity = lambda f: f.split(":")[0] in {"place", "actor", "name", "qty"} and f not in generic  # noqa: E731
    place = lambda f: f.startswith("place:") and f not in generic  # noqa: E731
    bucketed = lambda f: f.split(":")[0] in features.BUCKET_KINDS and f not in generic  # noqa: E731

    def feature_set(m: EventMention) -> set[str]:
        named = {f"name:{features.name_key(n)}" for n in m.names}
        return ({f for f in m.features if not f.startswith("name:")} | named
                | {f"kind:{k}" for k in m.kinds})

    def bounds(m: EventMention) -> tuple[int, int, int, int]:
        """own first and last day, compared first and last day"""
        lo, hi = m.earliest.toordinal(), m.latest.toordinal()
        first = lo - (features.REPORT_DAYS - 1) if m.role == "reported" else lo
        return lo, hi, first, hi + features.DAY_TOLERANCE if lo == hi else hi

    def level(m: EventMention) -> int:
        lo, hi, compared, _ = bounds(m)
        span = hi - compared + 1
        return 0 if span <= 1 else 1 if span <= 8 else 2 if span <= 31 else 3

    scores = {}
    cids = sorted(representative)
    # each class's own facts, worked out once (the pairs below read them)
    feature_sets = {c: feature_set(representative[c]) for c in cids}
    bound = {c: bounds(representative[c]) for c in cids}
    yearly = {c: level(representative[c]) == 3 for c in cids}
    for i, a in enumerate(cids):
        for b in cids[i + 1:]:
            fa, fb = feature_sets[a], feature_sets[b]
            shared = fa & fb
            (lo_a, hi_a, ca, ea), (lo_b, hi_b, cb, eb) = bound[a], bound[b]
            one_day = lo_a == hi_a == lo_b == hi_b
            kinds = [f for f in shared if f.startswith("kind:")]
            by_bucket = any(bucketed(f) for f in shared) and ca <= eb and cb <= ea \
                and yearly[a] == yearly[b]
            if not (by_bucket or (one_day and kinds)):
                continue
            n_entities = sum(map(entity, shared))
            happened = any(f.startswith("event:") for f in shared) or bool(kinds)
            precise = lo_a == hi_a and lo_b == hi_b  # both dated to the day
            if not (n_entities >= 2 or (precise and n_entities >= 1 and happened)
                    or (one_day and kinds)):
                continue
            if any(map(place, fa)) and any(map(place, fb)) and not any(map(place, shared)):
                continue  # named elsewhere
            same = len(groups[a]) == 1 and groups[a] == groups[b]
            apart = lo_a > hi_b or lo_b > hi_a
            if same and (apart or not precise):
                continue  # one article dating two statements apart, or to a month or year
            norm = (math.sqrt(sum(weight(f) ** 2 for f in fa)) or 1.0) * \
                (math.sqrt(sum(weight(f) ** 2 for f in fb)) or 1.0)
            next_day = ca > hi_b or cb > hi_a  # apart but for the day's tolerance
            factor = (similarity.SAME_DOCUMENT_FACTOR if same else 1.0) \
                * (similarity.NEXT_DAY_FACTOR if next_day else
                   similarity.REPORT_APART_FACTOR if apart else 1.0)
            score = round(sum(weight(f) ** 2 for f in shared) / norm * factor, 9)
            if one_day and kinds and not same:
                score = max(score, similarity.ONE_DAY_SCORE)
            scores[(a, b)] = score
    return scores


@pytest.mark.parametrize("max_bucket, bit_words", [(10_000, 16), (10_000, 1), (4, 16), (4, 1)])
def test_scores_are_exact_and_small_buckets_miss_no_pair(monkeypatch, max_bucket, bit_words):
    monkeypatch.setattr(candidates, "MAX_BUCKET", max_bucket)
    monkeypatch.setattr(similarity, "MAX_BIT_WORDS", bit_words)
    mentions = generate_mentions(700, seed=4, heavy=2, heavy_size=100)
    clustering = cluster_mentions(mentions)
    truth = _brute_force(clustering)
    got = {(a, b): s for a, b, s in clustering.scored.iter_rows()}
    assert got, "something was scored"
    wrong = {pair: (s, truth.get(pair)) for pair, s in got.items() if truth.get(pair) != s}
    assert not wrong, list(wrong.items())[:5]
    if max_bucket > 1000:  # no large bucket: every pair that reaches the threshold is found
        wanted = {pair for pair, s in truth.items() if s >= similarity.THRESHOLD}
        assert wanted == {pair for pair, s in got.items() if s >= similarity.THRESHOLD}


def _greedy(a, b, lo, hi, kinds):
    """The plain greedy joins, edge by edge: what _join_clusters must equal."""
    parent = list(range(len(lo)))
    low, high, kind = list(lo), list(hi), list(kinds)

    def find(x):
        while parent[x] != x:
            x = parent[x]
        return x

    for x, y in zip(a, b, strict=True):
        rx, ry = find(x), find(y)
        if rx == ry or max(low[rx], low[ry]) > min(high[rx], high[ry]) or not kind[rx] & kind[ry]:
            continue
        root, child = min(rx, ry), max(rx, ry)
        parent[child] = root
        low[root], high[root] = max(low[rx], low[ry]), min(high[rx], high[ry])
        kind[root] = kind[rx] & kind[ry]
    return [find(x) for x in range(len(lo))]


def test_joining_whole_components_first_changes_no_cluster():
    rng = random.Random(5)
    for _ in range(300):
        n = rng.randint(1, 40)
        lo = np.array([rng.randint(0, 8) for _ in range(n)])
        hi = lo + np.array([rng.choice([0, 0, 0, 2, 6]) for _ in range(n)])
        kinds = np.array([rng.choice([-1, -1, 1, 2, 3]) for _ in range(n)])
        edges = sorted({tuple(sorted(rng.sample(range(n), 2))) for _ in range(rng.randint(0, 80))}
                       if n > 1 else set())
        rng.shuffle(edges)
        a = np.array([e[0] for e in edges], dtype=np.int64)
        b = np.array([e[1] for e in edges], dtype=np.int64)
        roots, _ = clusters.join_clusters(a, b, lo, hi, kinds)
        assert roots.tolist() == _greedy(a.tolist(), b.tolist(), lo, hi, kinds)


# --- copies, outlets, identical statements ---------------------------------------------------


def test_ids_do_not_change_with_order_or_with_copies_added():
    rng = random.Random(6)
    originals = generate_mentions(3000, seed=6, heavy=1, heavy_size=300)
    frame = merge_mentions(originals)
    shuffled = originals[:]
    rng.shuffle(shuffled)
    assert merge_mentions(shuffled)["event_id"].to_list() == frame["event_id"].to_list()
    # each document copied by another outlet, most statements unchanged
    copies, copied = {}, []
    for m in originals[::3]:
        copy_doc = f"copy-of-{m.doc_id}"
        copies[copy_doc] = m.doc_id
        copied.append(EventMention(**{**{f: getattr(m, f) for f in m.__dataclass_fields__},
                                      "doc_id": copy_doc, "source": "syndicator"}))
    both = copied + originals
    rng.shuffle(both)
    with_copies = merge_mentions(both, copies=Copies(original=copies))
    assert with_copies["event_id"].to_list() == frame["event_id"].to_list()
    assert with_copies["n_mentions"].sum() == len(both)
    assert with_copies["n_reports"].to_list() == frame["n_reports"].to_list()


def test_n_sources_counts_outlets_not_copies():
    day = "2020-02-27"
    base = dict(places=["idlib"], actors=["turkey"], events=["killed"], qty=33)
    mentions = [
        _statement("a", day, source="Anadolu", **base),
        _statement("a-updated", day, source=None, start=5, **base),  # the outlet's later version
        _statement("b", day, source="Kabar", **base),
        _statement("b-copy", day, source="Portal Lain", **base),  # syndicated
    ]
    copies = Copies(original={"a-updated": "a", "b-copy": "b"},
                    outlet_of={"a-updated": "Anadolu", "a": "Anadolu", "b-copy": "Portal Lain",
                               "b": "Kabar"},
                    also_published_by={"b": ("Harian Lain",)})
    (row,) = merge_mentions(mentions, copies=copies).iter_rows(named=True)
    assert row["sources"] == ["Anadolu", "Harian Lain", "Kabar", "Portal Lain"]
    assert row["n_sources"] == 4 and row["n_reports"] == 2 and row["n_mentions"] == 4
    assert {m["doc_id"]: m["copy_of"] for m in row["mentions"]} == {
        "a": None, "a-updated": "a", "b": None, "b-copy": "b"}


def test_exact_duplicates_of_a_thin_statement_merge_within_one_outlet_only():
    day = "2019-09-12"
    thin = dict(places=["idlib"], text="Pada Kamis, situasi di Idlib tegang.")
    mentions = [_statement("a1", day, source="Kabar", **thin),
                _statement("a2", day, source="Kabar", **thin),   # the outlet repeats itself
                _statement("b1", day, source="Warta", **thin)]   # another outlet, same words
    frame = merge_mentions(mentions)
    sizes = sorted(frame["n_mentions"].to_list())
    assert sizes == [1, 2]  # one place in common is not evidence enough across outlets
    # a copy group counts as one outlet for this
    copies = Copies(original={"b1": "a1"})
    assert merge_mentions(mentions, copies=copies).height == 1


def test_kinds_keep_same_day_statements_apart_and_chains_cannot_join_them():
    day = "2019-08-31"
    shared = dict(places=["idlib", "khan-shaykhun"], actors=["russia"])
    raid = _statement("raid", day, events=["airstrike", "killed", "ceasefire"], qty=7,
                      kinds=["violence"], **shared)
    truce = _statement("truce", day, events=["ceasefire"], kinds=["accord"], **shared)
    # mentions both (no kind of its own stands out): it may join either, not both
    both = _statement("both", day, events=["ceasefire", "bombardment"],
                      kinds=["accord", "violence"], **shared)
    frame = merge_mentions([raid, truce, both])
    assert frame.height == 2
    without = merge_mentions([_statement(m.doc_id, day, events=m.event_words, qty=7, **shared)
                              for m in (raid, truce)])
    assert without.height == 1, "the same two statements without kinds would merge"
