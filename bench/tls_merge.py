#!/usr/bin/env python3
"""Merge quality on the tls/ dev sets: which mentions tell the same happening, against a hand-made gold.

The gold (bench/gold/tls_happenings.jsonl, annotated by hand for this project) has one line per mention of a happening:
{set, doc, start, end, happening, day, where, distractor}; [start, end) are character offsets in the article's
`text` (end exclusive). Each gold mention is aligned to the system mention of the same doc_id whose [start, end)
overlaps it most; among overlapping mentions one whose [earliest, latest] contains the gold day is preferred
(then the larger overlap, then the smaller start). A gold mention with no overlapping system mention is
unaligned: a singleton cluster on the system side, never on the right day.

Two clusterings of the gold mentions are scored against the gold happenings:
  system    clusters = the aligned mention's event_id
  baseline  clusters = the aligned mention's (earliest, latest) interval ("same date = same event")
with pairwise precision / recall / F1 (over pairs of gold mentions) and B-cubed precision / recall / F1 (averaged
over gold mentions). Each set is built on its own, so clusters never span sets: a gold cluster is (set, happening)
and pairs are only counted within a set (a happening told in three sets is three gold clusters). Also reported:
"mentions on the right day": the aligned mention's interval is one day equal to the gold
day (a gold day given as a month, YYYY-MM, is never matched by a one-day interval).

usage:
  python3 bench/tls_merge.py --builds DIR               # DIR/<set>/mentions.parquet already built
  python3 bench/tls_merge.py --project /work/main       # builds each needed set with <project>/.venv/bin/timeline
  python3 bench/tls_merge.py --self-test                # checks the metric functions on hand-computed examples
options: --gold FILE, --sets es_libya,fr_egypt, --no-distractors, --json FILE, --keep DIR (keep the builds),
  --aligned-only (leave out the gold mentions no system mention overlaps: scores what the merge did with the
  mentions it was given, the system and the baseline alike)
Needs polars to read Parquet (run it with the project's .venv/bin/python, or any Python with polars).
"""

import argparse
import collections
import datetime
import gzip
import json
import math
import pathlib
import shutil
import subprocess
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent  # bench/
DEFAULT_GOLD = HERE / "gold" / "tls_happenings.jsonl"


# ---------------------------------------------------------------- metrics (pure functions, no I/O)


def _pairs_within(groups):
    """Number of unordered pairs inside each group, summed."""
    return sum(n * (n - 1) // 2 for n in groups)


def pairwise(gold, pred):
    """Pairwise precision, recall, F1 of the clustering `pred` against `gold`.

    gold, pred: sequences of cluster labels, one per item (same order). A pair of items is predicted together
    when their pred labels are equal, truly together when their gold labels are equal. When there is no
    predicted pair, precision is 1.0 (nothing wrongly joined); when there is no gold pair, recall is 1.0.
    """
    if len(gold) != len(pred):
        raise ValueError("gold and pred differ in length")
    both = collections.Counter(zip(gold, pred, strict=True))
    tp = _pairs_within(both.values())
    pred_pairs = _pairs_within(collections.Counter(pred).values())
    gold_pairs = _pairs_within(collections.Counter(gold).values())
    p = tp / pred_pairs if pred_pairs else 1.0
    r = tp / gold_pairs if gold_pairs else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "true_pairs": tp, "pred_pairs": pred_pairs, "gold_pairs": gold_pairs}


def bcubed(gold, pred):
    """B-cubed precision, recall, F1 (Bagga & Baldwin), averaged over items.

    For item i: precision_i = |pred cluster of i ∩ gold cluster of i| / |pred cluster of i|,
    recall_i = the same intersection / |gold cluster of i|.
    """
    if len(gold) != len(pred):
        raise ValueError("gold and pred differ in length")
    n = len(gold)
    if not n:
        return {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    both = collections.Counter(zip(gold, pred, strict=True))
    g = collections.Counter(gold)
    s = collections.Counter(pred)
    p = sum(both[(a, b)] / s[b] for a, b in zip(gold, pred, strict=True)) / n
    r = sum(both[(a, b)] / g[a] for a, b in zip(gold, pred, strict=True)) / n
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f}


def align(gold_span, day, candidates):
    """Index of the candidate aligned to a gold mention, or None.

    gold_span: (start, end); day: "YYYY-MM-DD" or "YYYY-MM"; candidates: list of (start, end, earliest, latest)
    with earliest/latest ISO date strings or None. Only candidates whose [start, end) overlaps the gold span
    count; among them one whose [earliest, latest] contains the gold day is preferred, then the larger
    overlap, then the smaller start.
    """
    gs, ge = gold_span
    best, best_key = None, None
    for i, (s, e, lo, hi) in enumerate(candidates):
        ov = min(ge, e) - max(gs, s)
        if ov <= 0:
            continue
        key = (_contains(lo, hi, day), ov, -s)
        if best_key is None or key > best_key:
            best, best_key = i, key
    return best


def _contains(lo, hi, day):
    """Does [lo, hi] (ISO dates) contain the gold day (a day, or a whole month when day is YYYY-MM)?"""
    if not lo or not hi:
        return False
    if len(day) == 7:
        first = day + "-01"
        y, m = int(day[:4]), int(day[5:7])
        nxt = datetime.date(y + (m == 12), m % 12 + 1, 1)
        last = (nxt - datetime.timedelta(days=1)).isoformat()
        return lo <= first and last <= hi
    return lo <= day <= hi


def on_right_day(lo, hi, day):
    """The aligned mention's interval is exactly the one gold day."""
    return bool(lo) and lo == hi == day


# ---------------------------------------------------------------- scoring


def read_gold(path, sets=None, distractors=True):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            r = json.loads(line)
            if sets and r["set"] not in sets:
                continue
            if not distractors and r["distractor"]:
                continue
            rows.append(r)
    return rows


def read_mentions(parquet):
    import polars as pl

    df = pl.read_parquet(parquet, columns=["doc_id", "start", "end", "event_id", "earliest", "latest"])
    by_doc = collections.defaultdict(list)
    for doc, s, e, ev, lo, hi in df.iter_rows():
        by_doc[doc].append((s, e, lo.isoformat() if lo else None, hi.isoformat() if hi else None, ev))
    return by_doc


def score(gold_rows, mentions_by_set, aligned_only=False):
    """Align every gold mention and score the system and the date-only baseline. Returns a dict.

    With ``aligned_only``, the gold mentions that no system mention overlaps are left out of the scores
    (they are still counted as ``unaligned``): what the merge does with the mentions it was given.
    """
    gold_labels, sys_labels, base_labels, right, unaligned = [], [], [], 0, 0
    per_happening = collections.defaultdict(lambda: [0, 0])  # happening -> [mentions, on right day]
    for k, r in enumerate(gold_rows):
        cands = mentions_by_set.get(r["set"], {}).get(r["doc"], [])
        i = align((r["start"], r["end"]), r["day"], [c[:4] for c in cands])
        if i is None and aligned_only:
            unaligned += 1
            continue
        gold_labels.append((r["set"], r["happening"]))
        per_happening[r["happening"]][0] += 1
        if i is None:
            unaligned += 1
            sys_labels.append(("unaligned", k))
            base_labels.append(("unaligned", k))
            continue
        _s, _e, lo, hi, ev = cands[i]
        sys_labels.append(("event", r["set"], ev))
        base_labels.append(("interval", r["set"], lo, hi))
        if on_right_day(lo, hi, r["day"]):
            right += 1
            per_happening[r["happening"]][1] += 1
    return {
        "gold_mentions": len(gold_rows),
        "scored_mentions": len(gold_labels),
        "happenings": len({h for _, h in gold_labels}),
        "unaligned": unaligned,
        "on_right_day": right,
        "system": {"pairwise": pairwise(gold_labels, sys_labels), "bcubed": bcubed(gold_labels, sys_labels)},
        "baseline_same_interval": {
            "pairwise": pairwise(gold_labels, base_labels),
            "bcubed": bcubed(gold_labels, base_labels),
        },
        "per_happening": {h: {"mentions": n, "on_right_day": d} for h, (n, d) in sorted(per_happening.items())},
    }


def build_sets(names, project, work, dev):
    exe = pathlib.Path(project).resolve() / ".venv" / "bin" / "timeline"
    if not exe.exists():
        sys.exit(f"{exe} not found: give --builds DIR or a --project with its .venv built")
    for name in names:
        out = work / name
        if (out / "mentions.parquet").exists():
            continue
        corpus = work / f"{name}.jsonl"
        with (
            gzip.open(dev / f"{name}.jsonl.gz", "rt", encoding="utf-8") as src,
            open(corpus, "w", encoding="utf-8") as dst,
        ):
            shutil.copyfileobj(src, dst)
        p = subprocess.run(
            [str(exe), "build", str(corpus), "-o", str(out), "--quiet", "--no-charts"],
            check=False,
            capture_output=True,
            text=True,
        )
        if p.returncode not in (0, 1) or not (out / "mentions.parquet").exists():
            sys.exit(f"{name}: build failed ({p.returncode}): {p.stderr[-1000:]}")
        corpus.unlink()


def report(res, title):
    sy, ba = res["system"], res["baseline_same_interval"]
    lines = [
        title,
        (
            f"gold mentions {res['gold_mentions']} of {res['happenings']} happenings; "
            f"unaligned {res['unaligned']}; on the right day {res['on_right_day']} / {res['gold_mentions']}"
            + (f"; scored {res['scored_mentions']} (aligned only)" if res["scored_mentions"] != res["gold_mentions"] else "")
        ),
        f"{'':30s} {'pairwise P':>10s} {'R':>6s} {'F1':>6s}   {'B3 P':>6s} {'R':>6s} {'F1':>6s}",
    ]
    for name, m in (("system (event_id)", sy), ("baseline (same interval)", ba)):
        pw, b3 = m["pairwise"], m["bcubed"]
        lines.append(
            f"{name:30s} {pw['precision']:10.3f} {pw['recall']:6.3f} {pw['f1']:6.3f}   "
            f"{b3['precision']:6.3f} {b3['recall']:6.3f} {b3['f1']:6.3f}"
        )
    return "\n".join(lines)


# ---------------------------------------------------------------- self-test (expected numbers worked out by hand)


def self_test():
    ok = True

    def check(name, got, want):
        nonlocal ok
        good = math.isclose(got, want, abs_tol=1e-9)
        ok &= good
        print(f"{'ok  ' if good else 'FAIL'} {name}: got {got:.6f}, want {want:.6f}")

    def check_true(name, cond):
        nonlocal ok
        ok &= bool(cond)
        print(f"{'ok  ' if cond else 'FAIL'} {name}")

    # Example 1. gold {a,b,c}{d,e}; pred {a,b}{c,d}{e}.
    # Gold pairs: ab ac bc de = 4. Pred pairs: ab cd = 2. True pairs: ab = 1.
    # Pairwise P = 1/2, R = 1/4, F1 = 2*(1/2)(1/4)/(3/4) = 1/3.
    gold = ["X", "X", "X", "Y", "Y"]
    pred = [1, 1, 2, 2, 3]
    pw = pairwise(gold, pred)
    check("ex1 pairwise P", pw["precision"], 0.5)
    check("ex1 pairwise R", pw["recall"], 0.25)
    check("ex1 pairwise F1", pw["f1"], 1 / 3)
    # B-cubed precision per item: a 2/2, b 2/2, c 1/2, d 1/2, e 1/1 -> (1+1+.5+.5+1)/5 = 0.8
    # recall per item: a 2/3, b 2/3, c 1/3, d 1/2, e 1/2 -> (2/3+2/3+1/3+1/2+1/2)/5 = (8/3)/5 = 8/15
    # F1 = 2*0.8*(8/15)/(0.8+8/15) = (2*0.8*8/15)/(20/15) = (12.8/15)/(20/15) = 0.64
    b3 = bcubed(gold, pred)
    check("ex1 B3 P", b3["precision"], 0.8)
    check("ex1 B3 R", b3["recall"], 8 / 15)
    check("ex1 B3 F1", b3["f1"], 0.64)

    # Example 2. all in one predicted cluster; gold {a,b}{c}{d}.
    # Pred pairs 6, gold pairs 1 (ab), true 1: P = 1/6, R = 1, F1 = 2*(1/6)/(7/6) = 2/7.
    # B3 P: a 2/4, b 2/4, c 1/4, d 1/4 -> 1.5/4 = 0.375; R: all 1 -> 1; F1 = 0.75/1.375 = 6/11.
    gold = ["X", "X", "Y", "Z"]
    pred = [0, 0, 0, 0]
    pw, b3 = pairwise(gold, pred), bcubed(gold, pred)
    check("ex2 pairwise P", pw["precision"], 1 / 6)
    check("ex2 pairwise R", pw["recall"], 1.0)
    check("ex2 pairwise F1", pw["f1"], 2 / 7)
    check("ex2 B3 P", b3["precision"], 0.375)
    check("ex2 B3 R", b3["recall"], 1.0)
    check("ex2 B3 F1", b3["f1"], 6 / 11)

    # Example 3. all singletons predicted; gold {a,b,c}.
    # No predicted pair: P = 1 by convention, R = 0/3 = 0, F1 = 0. B3 P = 1, R = 1/3 each -> 1/3, F1 = 0.5.
    gold = ["X", "X", "X"]
    pred = [1, 2, 3]
    pw, b3 = pairwise(gold, pred), bcubed(gold, pred)
    check("ex3 pairwise P", pw["precision"], 1.0)
    check("ex3 pairwise R", pw["recall"], 0.0)
    check("ex3 pairwise F1", pw["f1"], 0.0)
    check("ex3 B3 R", b3["recall"], 1 / 3)
    check("ex3 B3 F1", b3["f1"], 0.5)

    # Alignment. Gold span [10, 50) on 2011-03-19.
    # c0 [0, 30) overlap 20, interval 03-20 (wrong day); c1 [25, 40) overlap 15, interval 03-19 (contains day);
    # c2 [60, 90) no overlap. Preferred: c1 (contains the day) although c0 overlaps more.
    cands = [
        (0, 30, "2011-03-20", "2011-03-20"),
        (25, 40, "2011-03-19", "2011-03-19"),
        (60, 90, "2011-03-19", "2011-03-19"),
    ]
    i = align((10, 50), "2011-03-19", cands)
    check("align prefers the right day", float(i), 1.0)
    # Without c1, c0 wins on overlap even on the wrong day.
    check("align falls back to overlap", float(align((10, 50), "2011-03-19", [cands[0], cands[2]])), 0.0)
    # Touching spans do not overlap ([0, 10) and [10, 50)): unaligned.
    check_true("touching spans are not aligned", align((10, 50), "2011-03-19", [(0, 10, None, None)]) is None)
    # Month gold day: [2011-10-01, 2011-10-31] contains "2011-10"; a single day does not.
    check_true("a month interval contains a month day", _contains("2011-10-01", "2011-10-31", "2011-10"))
    check_true("a single day does not contain a month", not _contains("2011-10-20", "2011-10-20", "2011-10"))
    check_true("one-day interval on the gold day", on_right_day("2011-02-11", "2011-02-11", "2011-02-11"))
    check_true("a two-day interval is not the right day", not on_right_day("2011-02-10", "2011-02-11", "2011-02-11"))

    # End to end on a tiny gold: two happenings H (3 mentions) and D (1 mention, a distractor), one set.
    # System mentions: m1 covers g1 (event E1, 03-19), m2 covers g2 (E1, 03-19), m3 covers g4 (E1, 03-19),
    # nothing covers g3. System clusters: {g1,g2,g4} E1, {g3} unaligned.
    # Gold: {g1,g2,g3} H, {g4} D (one set, so the (set, happening) clusters are the happenings). Pairwise: pred pairs g1g2 g1g4 g2g4 = 3, true g1g2 = 1 -> P 1/3;
    # gold pairs g1g2 g1g3 g2g3 = 3 -> R 1/3. Baseline: same intervals for g1 g2 g4 -> same as the system here.
    # Right day: g1 g2 (H day 03-19) yes, g3 unaligned no, g4 (D day 03-20, mention 03-19) no -> 2.
    gold_rows = [
        {"set": "s", "doc": "d", "start": 0, "end": 10, "happening": "H", "day": "2011-03-19", "distractor": False},
        {"set": "s", "doc": "d", "start": 20, "end": 30, "happening": "H", "day": "2011-03-19", "distractor": False},
        {"set": "s", "doc": "d", "start": 40, "end": 50, "happening": "H", "day": "2011-03-19", "distractor": False},
        {"set": "s", "doc": "d", "start": 60, "end": 70, "happening": "D", "day": "2011-03-20", "distractor": True},
    ]
    ments = {
        "s": {
            "d": [
                (0, 12, "2011-03-19", "2011-03-19", "E1"),
                (18, 31, "2011-03-19", "2011-03-19", "E1"),
                (55, 75, "2011-03-19", "2011-03-19", "E1"),
            ]
        }
    }
    res = score(gold_rows, ments)
    check("e2e pairwise P", res["system"]["pairwise"]["precision"], 1 / 3)
    check("e2e pairwise R", res["system"]["pairwise"]["recall"], 1 / 3)
    check("e2e right day", float(res["on_right_day"]), 2.0)
    check("e2e unaligned", float(res["unaligned"]), 1.0)
    # Clusters never span sets: the same happening in sets s1 and s2, each aligned to an event "E" of its own
    # build. Gold clusters (s1,H) and (s2,H) hold one mention each: no gold pair, no predicted pair (the two "E"
    # are different events of different builds): P = R = 1 by convention, B3 P = R = 1.
    rows2 = [
        {"set": "s1", "doc": "d", "start": 0, "end": 10, "happening": "H", "day": "2011-03-19", "distractor": False},
        {"set": "s2", "doc": "d", "start": 0, "end": 10, "happening": "H", "day": "2011-03-19", "distractor": False},
    ]
    m2 = {
        "s1": {"d": [(0, 10, "2011-03-19", "2011-03-19", "E")]},
        "s2": {"d": [(0, 10, "2011-03-19", "2011-03-19", "E")]},
    }
    res2 = score(rows2, m2)
    check("per-set pairwise P", res2["system"]["pairwise"]["precision"], 1.0)
    check("per-set gold pairs", float(res2["system"]["pairwise"]["gold_pairs"]), 0.0)
    check("per-set baseline pred pairs", float(res2["baseline_same_interval"]["pairwise"]["pred_pairs"]), 0.0)
    check("per-set B3 R", res2["system"]["bcubed"]["recall"], 1.0)
    # Aligned only: the tiny gold above without g3 (unaligned). Scored: g1 g2 g4, all in E1.
    # System pairs g1g2 g1g4 g2g4 = 3, true g1g2 = 1 -> P 1/3; gold pairs g1g2 = 1 -> R 1.
    # B3 P: g1 2/3, g2 2/3, g4 1/3 -> 5/9; R: all 1.
    res3 = score(gold_rows, ments, aligned_only=True)
    check("aligned-only scored", float(res3["scored_mentions"]), 3.0)
    check("aligned-only unaligned still counted", float(res3["unaligned"]), 1.0)
    check("aligned-only pairwise P", res3["system"]["pairwise"]["precision"], 1 / 3)
    check("aligned-only pairwise R", res3["system"]["pairwise"]["recall"], 1.0)
    check("aligned-only B3 P", res3["system"]["bcubed"]["precision"], 5 / 9)
    print("self-test", "passed" if ok else "FAILED")
    return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gold", default=str(DEFAULT_GOLD))
    ap.add_argument("--builds", help="folder with <set>/mentions.parquet (skips building)")
    ap.add_argument("--project", default=".", help="project checkout with .venv (used when --builds is not given)")
    ap.add_argument("--dev", help="folder with the <set>.jsonl.gz corpora (default: <project>/../shared/dev/tls)")
    ap.add_argument("--keep", help="build into this folder and keep it")
    ap.add_argument("--sets", default="")
    ap.add_argument("--no-distractors", action="store_true", help="score only the main happenings")
    ap.add_argument(
        "--aligned-only",
        action="store_true",
        help="score only the gold mentions that some system mention overlaps (what the merge did with them)",
    )
    ap.add_argument("--json", help="write the results to this file")
    ap.add_argument("--self-test", action="store_true")
    a = ap.parse_args()
    if a.self_test:
        sys.exit(0 if self_test() else 1)
    sets = set(a.sets.split(",")) if a.sets else None
    gold_rows = read_gold(a.gold, sets, distractors=not a.no_distractors)
    if not gold_rows:
        sys.exit("no gold mention selected")
    names = sorted({r["set"] for r in gold_rows})
    tmp = None
    if a.builds:
        root = pathlib.Path(a.builds)
    else:
        root = pathlib.Path(a.keep) if a.keep else pathlib.Path(tempfile.mkdtemp(prefix="tls-merge-"))
        tmp = None if a.keep else root
        root.mkdir(parents=True, exist_ok=True)
        dev = pathlib.Path(a.dev) if a.dev else pathlib.Path(a.project).resolve().parent / "shared" / "dev" / "tls"
        build_sets(names, a.project, root, dev)
    mentions = {}
    for name in names:
        pq = root / name / "mentions.parquet"
        if not pq.exists():
            sys.exit(f"{pq} not found")
        mentions[name] = read_mentions(pq)
    res = score(gold_rows, mentions, aligned_only=a.aligned_only)
    res["sets"] = names
    res["distractors"] = not a.no_distractors
    res["aligned_only"] = a.aligned_only
    title = f"sets: {','.join(names)}" + ("  (main happenings only)" if a.no_distractors else "  (with distractors)")
    print(report(res, title))
    if a.json:
        pathlib.Path(a.json).write_text(json.dumps(res, indent=1, ensure_ascii=False), encoding="utf-8")
    if tmp:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
