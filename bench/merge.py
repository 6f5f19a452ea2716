"""Merge benchmarks (``make bench``; ``python bench/merge.py --help``).

**Volume.** ``--mentions`` generated event mentions (default 1,000,000): ordinary
events of one to nine mentions spread over ten years (places, actors, names,
counts and event words drawn from fixed pools and dropped at random; 10 % week
level, 5 % reported), and ``--heavy`` heavily covered events of
``--heavy-size`` mentions each (default 20 x 10,000) on one day, every mention
worded its own way (features dropped at random, a stray name or actor added,
the toll given with a different figure by some outlets). Each run merges in a
subprocess of its own, which reports the merge's seconds and the process's peak
resident memory (the kernel's ``ru_maxrss``, generated input included); runs
are repeated ``--repeat`` times because the machine is shared. A heavy event
must come out as one entry.

**Coverage.** ``--copies`` copies of the seed corpus (``fixtures/seeds``, five
articles), each copy from its own outlet with its own byline and footer, go
through the whole pipeline (ingestion with copy detection, tagging, mentions,
merge): the chronology must hold the seed corpus's own number of events.

**Gold.** The merge of ``fixtures/events`` (hand-written Indonesian and English
articles with close calls) against its gold: pairwise and B-cubed F1.

For comparison it times the named alternative, all-pairs scoring without
buckets, on a sample and extrapolates its quadratic cost.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from timeline.chronology.clusters import cluster_mentions
from timeline.chronology.entries import build_entries
from timeline.chronology.features import feature_weight
from timeline.evaluation.clusters import Score, load_gold_statements, score_chronology
from timeline.testing import copies_corpus, generate_mentions
from timeline.types import EventMention

SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"
EVENTS = SEEDS.parent / "events"
#: Peak memory and time the volume run must stay under.
MAX_SECONDS = 60.0
MAX_PEAK_MB = 4096.0


def _all_pairs_seconds(mentions: list[EventMention]) -> float:
    """The alternative: score every pair (time check, then cosine) without buckets."""
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


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def merge_worker(n_mentions: int, heavy: int, heavy_size: int) -> dict[str, Any]:
    """Generate and merge in this process; the numbers of one run."""
    t0 = time.perf_counter()
    mentions = generate_mentions(n_mentions, heavy=heavy, heavy_size=heavy_size)
    t1 = time.perf_counter()
    cpu0 = _cpu_seconds()
    clustering = cluster_mentions(mentions)
    t2 = time.perf_counter()
    frame, event_of = build_entries(clustering)
    t3 = time.perf_counter()
    cpu = _cpu_seconds() - cpu0
    entries_of: dict[str, set[str]] = defaultdict(set)
    for m in mentions:
        if m.doc_id.startswith("heavy-"):
            entries_of[m.doc_id.split("-")[1]].add(event_of[m.key])
    return {
        "n_mentions": len(mentions), "n_events": frame.height,
        "n_classes": clustering.n_classes, "n_candidate_pairs": clustering.n_candidates,
        "n_merges": clustering.n_edges,
        "generate_seconds": t1 - t0, "cluster_seconds": t2 - t1, "entries_seconds": t3 - t2,
        "merge_seconds": t3 - t1, "merge_cpu_seconds": cpu, "peak_mb": _peak_mb(),
        "heavy_entries": sorted(len(ids) for ids in entries_of.values()),
        "heavy_largest": max((r["n_mentions"] for r in frame.iter_rows(named=True)
                              if r["n_mentions"] >= heavy_size // 2), default=0),
    }


def run_volume(n_mentions: int, heavy: int, heavy_size: int, repeat: int) -> dict[str, Any]:
    """The volume runs, each in its own process (its own peak memory)."""
    runs = []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--worker",
             str(n_mentions), str(heavy), str(heavy_size)],
            capture_output=True, text=True, check=True)
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    first = runs[0]
    seconds = [r["merge_seconds"] for r in runs]
    cpu = [r["merge_cpu_seconds"] for r in runs]
    peaks = [r["peak_mb"] for r in runs]
    load = os.getloadavg()[0]
    print(f"merge: {first['n_mentions']:,} mentions ({heavy} events of {heavy_size:,}) -> "
          f"{first['n_events']:,} events; {first['n_classes']:,} classes, "
          f"{first['n_candidate_pairs']:,} candidate pairs")
    print(f"  merge seconds over {repeat} runs: min {min(seconds):.1f}, median "
          f"{statistics.median(seconds):.1f}, max {max(seconds):.1f} "
          f"(clustering {first['cluster_seconds']:.1f} s, entries {first['entries_seconds']:.1f} s"
          f" in the first); {first['n_mentions'] / min(seconds):,.0f} mentions/s")
    print(f"  CPU seconds (both threads): median {statistics.median(cpu):.1f}; machine load "
          f"{load:.1f} on {os.cpu_count()} cores at the end (other work slows the wall clock)")
    print(f"  peak resident memory (input included): max {max(peaks):,.0f} MB")
    heavy_entries = first["heavy_entries"]
    print(f"  heavy events: entries per event {min(heavy_entries, default=0)}.."
          f"{max(heavy_entries, default=0)}, largest entry {first['heavy_largest']:,} mentions")
    ok = (statistics.median(seconds) < MAX_SECONDS and max(peaks) < MAX_PEAK_MB
          and set(heavy_entries) <= {1})
    print(f"  target < {MAX_SECONDS:.0f} s (median) and < {MAX_PEAK_MB / 1024:.0f} GB, "
          f"one entry per heavy event: {'met' if ok else 'NOT MET'}")
    return {"runs": runs, "ok": ok}


def run_coverage(n_copies: int) -> dict[str, Any]:
    """The seed corpus alone and ``n_copies`` copies of it through ``timeline build``."""
    # imported here, not at the top: the volume workers measure their peak memory
    # with the merge's modules only
    from timeline.pipeline.driver import build

    with tempfile.TemporaryDirectory() as tmp:
        results: dict[Any, Any] = {}
        for n in (1, n_copies):
            corpus = Path(tmp) / f"copies-{n}.jsonl"
            copies_corpus(n, corpus, seeds=SEEDS)
            start = time.perf_counter()
            result = build([corpus], Path(tmp) / f"out-{n}", charts=False)
            seconds = time.perf_counter() - start
            frame = result.chronology
            assert frame is not None
            results[n] = {"documents": result.n_documents, "mentions": result.n_mentions,
                          "events": result.n_events, "seconds": seconds,
                          "max_sources": max(frame["n_sources"].to_list(), default=0),
                          "ids": sorted(frame["event_id"].to_list())}
    own, many = results[1], results[n_copies]
    same_ids = own["ids"] == many["ids"]
    print(f"coverage: seed corpus {own['events']} events; {n_copies:,} copies from "
          f"{n_copies:,} outlets ({many['documents']:,} documents, {many['mentions']:,} "
          f"mentions) -> {many['events']} events, up to {many['max_sources']:,} sources each, "
          f"same event ids: {same_ids}; whole pipeline {many['seconds']:.1f} s")
    return {"ok": own["events"] == many["events"] and same_ids, **results}


def run_gold() -> dict[str, Any]:
    """The merge scored against ``fixtures/events`` (hand-written, close calls included),
    with the real tagger: pairwise and B-cubed precision, recall and F1."""
    from timeline.pipeline.documents import document_mentions  # lazy: see run_coverage
    from timeline.pipeline.driver import load_corpus

    gold = load_gold_statements(EVENTS / "gold.jsonl")
    corpus = load_corpus([EVENTS / "articles.jsonl"])
    mentions = document_mentions(corpus.documents)
    _, event_of = build_entries(cluster_mentions(mentions, copies=corpus.copies))
    scores = score_chronology(gold, {d.id: d.text for d in corpus.documents}, mentions,
                              event_of)
    parts = []
    for name in ("pairwise", "bcubed"):
        score = scores[name]
        assert isinstance(score, Score)
        parts.append(f"{name} P {score.precision:.3f} R {score.recall:.3f} F1 {score.f1:.3f}")
    print(f"fixtures/events ({scores['statements']} dated statements, {scores['found']} found, "
          f"{len({g.event for g in gold})} events): " + "; ".join(parts))
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python bench/merge.py",
                                     description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mentions", type=int, default=1_000_000)
    parser.add_argument("--heavy", type=int, default=20, help="heavily covered events")
    parser.add_argument("--heavy-size", type=int, default=10_000, help="mentions of each")
    parser.add_argument("--repeat", type=int, default=3, help="volume runs (noisy machine)")
    parser.add_argument("--copies", type=int, default=1000, help="copies of the seed corpus")
    parser.add_argument("--skip-coverage", action="store_true")
    parser.add_argument("--worker", nargs=3, type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(merge_worker(*args.worker)))
        return 0
    volume = run_volume(args.mentions, args.heavy, args.heavy_size, args.repeat)
    sample = generate_mentions(2000, seed=1)
    sample_seconds = _all_pairs_seconds(sample)
    estimate = sample_seconds * (args.mentions / len(sample)) ** 2
    print(f"alternative, all pairs without buckets: ~{estimate:,.0f} s for "
          f"{args.mentions:,} (extrapolated from {len(sample):,} mentions in "
          f"{sample_seconds:.2f} s)")
    coverage = {"ok": True} if args.skip_coverage else run_coverage(args.copies)
    gold = run_gold()
    return 0 if volume["ok"] and coverage["ok"] and gold["bcubed"].f1 >= 0.95 \
        and gold["pairwise"].f1 >= 0.95 else 1


if __name__ == "__main__":
    sys.exit(main())
