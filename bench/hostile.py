"""Hostile inputs: does the build stay linear? `python bench/hostile.py` (in `make bench`).

Builds one-article corpora whose article is pathological, at 100 KB, 200 KB,
400 KB, 800 KB and 1.6 MB, and prints each build's time and its growth factor
per doubling (linear: about 2; quadratic: about 4):

- ``rabu``: "Rabu (21/10) " repeated, one line without a full stop: a date
  every 13 characters, all in one "sentence";
- ``dates``: dated sentences with 5,000 different dates ("Pada 14 Maret 2013,
  pasukan tiba di pos 812."), each sentence its own statement;
- ``plain``: plain prose without a date, repeated.

Then one 10 MB article of news-like prose (paragraphs of dated and undated
sentences with varying places, counts and dates) and, for the limits, 10 MB of
the ``rabu`` flood (it reaches the per-document expression limit; the report
says so). Each build is the whole `timeline build` (ingest, tagging, events,
merge, writing, the page), run in this process through
:func:`timeline.pipeline.driver.build`, after one small warm-up build (rule
compilation, imports).

The machine is shared: times vary by tens of percent between runs, so one
step's factor may read 1.2 and the next 3; the mean factor per doubling over the
whole range (printed last) is the steadier figure. ``--sizes`` and ``--big-mb``
change the sizes.

``--numbers`` measures instead the bounds a hostile or unlucky corpus must not
pass, each a whole ``timeline build`` in a process of its own, its peak memory
summed over its process tree (:mod:`measure`: RSS and PSS):

- ``--tiny N,M,...`` corpora of N one-sentence articles (default 100,000 and
  1,000,000): peak memory under 1 GB, the largest within 20% of the smallest;
- the Parquet bomb: 6 rows of one 300 MB string, stored once and compressed
  (about 10 KB): under 1 GB, and a one-line error naming the file;
- ``kill -9`` of the driver while its workers are at work: no process of the run
  alive 5 s later, and the next build in the same temporary folder leaves no
  work folder behind.

``--only tiny,bomb,kill`` runs some of them. Exits 1 when a bound is not met.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import Measured, run_measured  # noqa: E402

KB = 1024
MB = 1024 * KB
SIZES_KB = (100, 200, 400, 800, 1600)
PUBLISHED = "2015-10-22"

MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember")
WEEKDAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
PLACES = ("Aleppo", "Idlib", "Homs", "Hama", "Damaskus", "Daraa", "Latakia", "Raqqa")
NOUNS = ("tentara", "warga", "milisi", "pejuang", "orang")


def _fill(make: Callable[[int], str], size: int) -> str:
    """Pieces ``make(0), make(1), ...`` joined until ``size`` characters, cut there."""
    pieces, total, i = [], 0, 0
    while total < size:
        piece = make(i)
        pieces.append(piece)
        total += len(piece)
        i += 1
    return "".join(pieces)[:size]


def rabu(size: int) -> str:
    return _fill(lambda i: "Rabu (21/10) ", size)


def dates(size: int) -> str:
    def sentence(i: int) -> str:
        n = i % 5000  # 5,000 different days: 2000-01-01 onwards, one a day
        day, month, year = n % 28 + 1, n // 28 % 12, 2000 + n // 336
        return f"Pada {day} {MONTHS[month]} {year}, pasukan tiba di pos {i}. "
    return _fill(sentence, size)


def plain(size: int) -> str:
    return _fill(lambda i: "Pasukan itu bergerak ke utara dan tidak ada yang tahu mengapa. ",
                 size)


def news(size: int, seed: int = 14) -> str:
    """News-like prose a little denser in dates than the seed articles (one temporal
    expression per 280 characters; the seeds have one per 380): paragraphs of three to six sentences, one in
    eight of them dated, with varying places, counts and dates."""
    rng = random.Random(seed)

    def dated() -> str:
        place, noun, n = rng.choice(PLACES), rng.choice(NOUNS), rng.randrange(2, 400)
        day, month, year = rng.randrange(1, 29), rng.randrange(12), rng.randrange(2011, 2021)
        return rng.choice((
            f"Pada {day} {MONTHS[month]} {year}, {n} {noun} tewas di {place}.",
            f"Kantor berita melaporkan pada hari {rng.choice(WEEKDAYS)} bahwa {n} {noun} "
            f"terluka di {place}.",
            f"Pada {rng.choice(WEEKDAYS)} ({day}/{month + 1}), pasukan pemerintah memasuki "
            f"{place} dari arah selatan.",
        ))

    def undated() -> str:
        place, n = rng.choice(PLACES), rng.randrange(2, 400)
        return rng.choice((
            f"Warga {place} mengungsi setelah {n} rumah hancur, kata seorang saksi kepada "
            "wartawan yang berada di lokasi.",
            f"Bantuan untuk {n} keluarga belum tiba di {place}, sementara jalan utama masih "
            "ditutup oleh kelompok bersenjata.",
            f"Pertempuran di sekitar {place} berlanjut sepanjang malam dan listrik padam di "
            "sebagian besar kota.",
            f"Sekitar {n} orang berkumpul di alun-alun {place} untuk menuntut pembebasan "
            "tahanan.",
        ))

    def paragraph(_: int) -> str:
        return " ".join(dated() if rng.random() < 0.12 else undated()
                        for _ in range(rng.randrange(3, 7))) + "\n"
    return _fill(paragraph, size)


PATTERNS: dict[str, Callable[[int], str]] = {"rabu": rabu, "dates": dates, "plain": plain}


def build_best(text: str, folder: Path) -> tuple[float, dict]:
    """The fastest of up to three builds (builds under 5 s are repeated: short
    times are the noisiest on a shared machine)."""
    best, counts = build_once(text, folder)
    for _ in range(2):
        if best >= 5:
            break
        seconds, counts = build_once(text, folder)
        best = min(best, seconds)
    return best, counts


def build_once(text: str, folder: Path) -> tuple[float, dict]:
    """Seconds to build a one-article corpus, and what the build counted."""
    from timeline.pipeline.driver import build

    corpus = folder / "corpus.jsonl"
    corpus.write_text(json.dumps({"id": "article", "text": text, "published": PUBLISHED,
                                  "lang": "id"}) + "\n", encoding="utf-8")
    start = time.perf_counter()
    result = build([corpus], folder / "out")
    seconds = time.perf_counter() - start
    report = json.loads((folder / "out" / "ingest_report.json").read_text(encoding="utf-8"))
    entry = report["entries"][0]
    return seconds, {"mentions": result.n_mentions, "events": result.n_events,
                     "warnings": entry.get("warnings", []), "errors": entry.get("errors", [])}


def _limits_hit(counts: dict) -> str:
    hit = [w.split("(limit ")[1].split(")")[0] for w in counts["warnings"] if "(limit " in w]
    return ", ".join(sorted(set(hit))) or "-"


# --- the numbers: memory, bombs, kills -------------------------------------------

CLI = [sys.executable, "-m", "timeline.cli"]
#: Peak memory of a build's process tree not to pass (MB).
BOUND_MB = 1024
#: The largest tiny corpus's peak may exceed the smallest's by this much at most.
FLAT = 0.20
#: Seconds after a kill by which no process of the run may be alive.
KILL_GRACE = 5.0


#: Indonesian month names of the tiny articles' dates.
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember")


def _name(i: int) -> str:
    """A made-up name of its own for article ``i`` (letters: digits are masked when
    lines are compared, so a number would make every article's line the same)."""
    letters = ""
    while True:
        i, r = divmod(i, 26)
        letters += "abcdefghijklmnopqrstuvwxyz"[r]
        if i == 0:
            return "Ka" + letters


def write_tiny(path: Path, n: int) -> Path:
    """``n`` one-sentence articles, each telling a happening of its own: a resident with
    a name of its own, on a day of its own among 28 years of days (so that no line is a
    site's repeated furniture, no article a near copy, and every article a mention)."""
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            year, month, day = 1995 + i % 28, i // 28 % 12, i // 336 % 28 + 1
            out.write(json.dumps({"id": f"d{i}", "lang": "id",
                                  "published": f"{year}-{month + 1:02d}-{day:02d}",
                                  "text": f"Pada {day} {MONTHS[month]} {year}, warga "
                                          f"{_name(i)} tiba di pos."})
                      + "\n")
    return path


def _mb(measured: Measured) -> str:
    return (f"peak RSS {measured.peak_mb:7.1f} MB, PSS {measured.peak_pss_mb:7.1f} MB, "
            f"{measured.seconds:7.1f} s, exit {measured.returncode}")


def tiny(folder: Path, sizes: list[int], workers: int) -> bool:
    """Peak memory of builds of tiny-article corpora; True when the bounds hold."""
    peaks = []
    for n in sizes:
        corpus = write_tiny(folder / f"tiny-{n}.jsonl", n)
        measured = run_measured([*CLI, "build", str(corpus), "-o", str(folder / f"out-{n}"),
                                 "--workers", str(workers), "--no-charts", "--quiet"])
        corpus.unlink()
        peaks.append(measured.peak_pss_mb)
        print(f"tiny documents {n:>9,}: {_mb(measured)}", flush=True)
        for line in measured.stderr.splitlines():  # TIMELINE_TIMINGS=1: each stage's peak
            if line.startswith("timings:"):
                print(f"  {line}", flush=True)
        if measured.returncode != 0:
            print(measured.stderr)
            return False
    growth = peaks[-1] / peaks[0] - 1
    ok = max(peaks) < BOUND_MB and abs(growth) <= FLAT
    print(f"tiny documents: PSS peaks {', '.join(f'{p:.0f}' for p in peaks)} MB; largest "
          f"vs smallest {growth:+.1%} (bounds: < {BOUND_MB} MB, within {FLAT:.0%}): "
          f"{'met' if ok else 'NOT MET'}", flush=True)
    return ok


def bomb(folder: Path) -> bool:
    """The Parquet bomb: peak memory and the error line; True when the bounds hold."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = folder / "bomb.parquet"
    rows = 6
    text = pa.DictionaryArray.from_arrays(pa.array([0] * rows, pa.int32()),
                                          pa.array(["a" * 300_000_000]))
    pq.write_table(pa.table({"id": [f"r{i}" for i in range(rows)], "text": text,
                             "published": ["2020-01-01"] * rows}),
                   path, compression="zstd", row_group_size=rows)
    del text
    measured = run_measured([*CLI, "build", str(path), "-o", str(folder / "out-bomb"),
                             "--no-charts"])
    lines = measured.stderr.splitlines()
    ok = (measured.peak_mb < BOUND_MB and len(lines) == 1 and str(path) in lines[0]
          and measured.returncode == 2)
    print(f"parquet bomb ({path.stat().st_size:,} bytes on disk, 1.8 GB of text): "
          f"{_mb(measured)}", flush=True)
    print(f"  stderr ({len(lines)} line{'s' if len(lines) != 1 else ''}): "
          f"{measured.stderr.strip()}", flush=True)
    print(f"  bounds (< {BOUND_MB} MB RSS, one line naming the file, exit 2): "
          f"{'met' if ok else 'NOT MET'}", flush=True)
    return ok


def _work_folders(tmp: Path) -> list[Path]:
    return sorted(p for p in tmp.iterdir() if p.name.startswith("timeline-run-"))


def kill(folder: Path) -> bool:
    """``kill -9`` of a driver at work: its processes, then the next run's work folder."""
    tmp = folder / "tmp"
    tmp.mkdir()
    env = {**os.environ, "TMPDIR": str(tmp)}
    corpus = write_tiny(folder / "kill.jsonl", 20_000)
    driver = subprocess.Popen([*CLI, "build", str(corpus), "-o", str(folder / "out-kill"),
                               "--workers", "2", "--batch-documents", "200", "--no-charts",
                               "--quiet"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    watched = psutil.Process(driver.pid)
    children: list[psutil.Process] = []
    for _ in range(1200):
        children = watched.children(recursive=True)
        spooled = [p for work in _work_folders(tmp) for p in (work / "spool").glob("texts-*")]
        if len(children) >= 4 and len(spooled) >= 2 or driver.poll() is not None:
            break
        time.sleep(0.1)
    if driver.poll() is not None:
        print("kill: the build ended before it could be killed")
        return False
    driver.send_signal(signal.SIGKILL)
    driver.wait()
    time.sleep(KILL_GRACE)
    alive = [p for p in children if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    left = len(_work_folders(tmp))
    for process in alive:  # not left to run on
        process.kill()
    small = folder / "small.jsonl"
    small.write_text(corpus.read_text(encoding="utf-8").split("\n", 1)[0] + "\n",
                     encoding="utf-8")
    done = subprocess.run([*CLI, "build", str(small), "-o", str(folder / "out-kill"),
                           "--no-charts", "--quiet"], env=env, capture_output=True, text=True)
    after = len(_work_folders(tmp))
    ok = not alive and done.returncode == 0 and after == 0
    print(f"kill -9 of the driver ({len(children)} processes under it): "
          f"{len(alive)} alive {KILL_GRACE:g} s later; work folders after the kill {left}, "
          f"after the next run (exit {done.returncode}) {after}: "
          f"{'met' if ok else 'NOT MET'}", flush=True)
    return ok


def numbers(sizes: list[int], only: set[str], workers: int) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        results = []
        if "bomb" in only:
            results.append(bomb(folder))
        if "kill" in only:
            results.append(kill(folder))
        if "tiny" in only:
            results.append(tiny(folder, sizes, workers))
    return 0 if all(results) else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES_KB)),
                        help="article sizes in KB, each double the one before")
    parser.add_argument("--big-mb", type=float, default=10.0,
                        help="size of the large articles in MB (0: skip them)")
    parser.add_argument("--numbers", action="store_true",
                        help="measure the bounds instead: tiny documents, bomb, kill")
    parser.add_argument("--tiny", default="100000,1000000",
                        help="corpus sizes of --numbers, in documents")
    parser.add_argument("--only", default="tiny,bomb,kill", help="cases of --numbers")
    parser.add_argument("--workers", type=int, default=2, help="workers of --numbers")
    args = parser.parse_args(argv)
    if args.numbers:
        return numbers([int(n) for n in args.tiny.split(",")], set(args.only.split(",")),
                       args.workers)
    sizes = [int(s) * KB for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        build_once(dates(20 * KB), folder)  # warm-up: imports, rule compilation
        print("hostile inputs: one article per build, whole `timeline build` "
              "(noisy shared machine: read the growth factors)")
        print(f"{'pattern':<8} {'size':>8} {'mentions':>9} {'events':>7} {'seconds':>8} "
              f"{'x per doubling':>15}  limits reached")
        means = {}
        for name, make in PATTERNS.items():
            times: list[float] = []
            for size in sizes:
                seconds, counts = build_best(make(size), folder)
                growth = seconds / times[-1] if times else None
                times.append(seconds)
                print(f"{name:<8} {size // KB:>6}KB {counts['mentions']:>9} {counts['events']:>7} "
                      f"{seconds:>8.2f} {f'{growth:.2f}' if growth else '':>15}  "
                      f"{_limits_hit(counts)}", flush=True)
            # the mean factor over all doublings: steadier than any one step
            means[name] = (times[-1] / times[0]) ** (1 / max(1, len(times) - 1))
        print("mean growth factor per doubling, smallest to largest: "
              + ", ".join(f"{name} {mean:.2f}" for name, mean in means.items()))
        if args.big_mb:
            size = int(args.big_mb * MB)
            for name, make in (("news", news), ("rabu", rabu)):
                seconds, counts = build_once(make(size), folder)
                print(f"{args.big_mb:g} MB {name} article: {seconds:.1f} s, "
                      f"{counts['mentions']} mentions, {counts['events']} events; "
                      f"limits reached: {_limits_hit(counts)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
