"""Whole-run throughput and memory: `make bench` (python bench/throughput.py).

Every number is of a whole command (`timeline tag`, `timeline build`) run as a
user runs it, start-up included, timed from outside with the peak resident
memory of its whole process tree (bench/measure.py), on seed-like articles
(bench/tagging.py: the seed articles' paragraphs recombined, publication dates
spread over 2011-2024):

1. `timeline tag` on --tag-docs articles, against dateparser's
   `search_dates` on the same articles (timed per document in its own
   process, warm, language and publication date given; on the first
   --dateparser-docs articles, as it runs at a few dozen documents a second);
2. `timeline build` on --build-docs articles with `--workers 1` and
   `--workers 2`;
3. `timeline build --dask` on a local two-process Dask cluster
   (`distributed.LocalCluster`) started here: its outputs must be byte for byte
   those of `--workers 2`, and its throughput is compared with it. The
   cluster's processes are not the command's children; their memory is
   sampled too and reported apart.

Memory is the peak of the whole process tree, as the sum of RSS (an upper bound:
shared library pages count once per process) and as the sum of PSS (shared
pages divided among the processes that share them).

With the page (the default), each build also reports the page: the size of
``timeline.html`` (its first view: what a reader's browser loads to open it) and of
``timeline-data/`` (the chunks read on demand, when the page is too large to hold
them). ``--keep DIR`` keeps the last build's outputs there, for ``bench/page.py
--page DIR/timeline.html`` to open in Chromium.

`--build-docs 100000 --workers 2 --skip-tag --skip-dask` measures the memory bound
and the throughput on a larger corpus, page included.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import Measured, run_measured, tree_rss  # noqa: E402
from tagging import generate_corpus  # noqa: E402

BIN = Path(sys.executable).parent
TIMELINE = str(BIN / "timeline")
TAGGING = str(Path(__file__).resolve().parent / "tagging.py")


def write_corpus(path: Path, n_docs: int) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for doc in generate_corpus(n_docs):
            handle.write(json.dumps(doc, ensure_ascii=False) + "\n")
    return path


def _check(measured: Measured, what: str) -> None:
    if measured.returncode not in (0, 1):
        sys.exit(f"{what} failed (status {measured.returncode}):\n{measured.stderr}")


def _line(what: str, n_docs: int, measured: Measured, extra: str = "") -> float:
    rate = n_docs / measured.seconds
    print(f"  {what:<34} {measured.seconds:8.1f} s {rate:9.1f} docs/s  "
          f"peak RSS {measured.peak_mb:7.1f} MB, PSS {measured.peak_pss_mb:7.1f} MB{extra}")
    return rate


def bench_tag(work: Path, n_docs: int, n_dateparser: int, repeat: int = 3) -> dict:
    corpus = write_corpus(work / "tag.jsonl", n_docs)
    sample = work / "dateparser.jsonl"
    with corpus.open(encoding="utf-8") as source, sample.open("w", encoding="utf-8") as out:
        for _, line in zip(range(n_dateparser), source, strict=False):
            out.write(line)
    print(f"timeline tag on {n_docs:,} seed-like articles "
          f"(dateparser on the first {n_dateparser:,})")
    runs = []
    for _ in range(repeat):  # this machine's speed moves from run to run: the median
        runs.append(run_measured([TIMELINE, "tag", str(corpus)],
                                 stdout=work / "tagged.jsonl"))
        _check(runs[-1], "timeline tag")
    measured = sorted(runs, key=lambda m: m.seconds)[len(runs) // 2]
    spread = (f"  (median of {repeat}: {min(m.seconds for m in runs):.1f}-"
              f"{max(m.seconds for m in runs):.1f} s)" if repeat > 1 else "")
    ours = _line("timeline tag (whole process)", n_docs, measured, spread)
    done = subprocess.run([sys.executable, TAGGING, "--worker", "dateparser", str(sample)],
                          capture_output=True, text=True, check=True)
    theirs = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"  {'dateparser.search_dates (warm)':<34} {theirs['seconds']:8.1f} s "
          f"{theirs['docs_per_second']:9.1f} docs/s  peak {theirs['peak_mb']:7.1f} MB")
    ratio = ours / theirs["docs_per_second"]
    print(f"  timeline tag / dateparser: {ratio:.0f}x documents per second")
    return {"docs": n_docs, "seconds": measured.seconds, "docs_per_second": ours,
            "peak_mb": measured.peak_mb, "dateparser_docs_per_second": theirs["docs_per_second"],
            "ratio": ratio}


def _outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())
            if p.is_file() and not p.name.startswith(".")}


class _Sampler:
    """Peak summed RSS of some processes (a Dask cluster's), sampled in a thread."""

    def __init__(self, pids: list[int]) -> None:
        self.processes = [psutil.Process(pid) for pid in pids]
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, sum(tree_rss(p) for p in self.processes))
            time.sleep(0.05)

    def __enter__(self) -> _Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def page_sizes(out: Path) -> dict:
    """The page's first view (timeline.html) and its data folder, in bytes."""
    page = out / "timeline.html"
    folder = out / "timeline-data"
    files = list(folder.iterdir()) if folder.is_dir() else []
    return {"first_view_bytes": page.stat().st_size if page.is_file() else 0,
            "data_bytes": sum(p.stat().st_size for p in files), "data_files": len(files)}


def bench_build(work: Path, n_docs: int, workers: list[int], dask: bool,
                charts: bool, keep: Path | None = None) -> dict:
    corpus = write_corpus(work / "build.jsonl", n_docs)
    extra = [] if charts else ["--no-charts"]
    print(f"timeline build on {n_docs:,} seed-like articles"
          f"{'' if charts else ' (--no-charts)'}")
    results: dict = {"docs": n_docs}
    for n in workers:
        out = work / f"out-{n}"
        measured = run_measured([TIMELINE, "build", str(corpus), "-o", str(out),
                                 "--workers", str(n), "--quiet", *extra])
        _check(measured, "timeline build")
        rate = _line(f"timeline build --workers {n}", n_docs, measured)
        results[f"workers_{n}"] = {"seconds": measured.seconds, "docs_per_second": rate,
                                   "peak_mb": measured.peak_mb,
                                   "peak_pss_mb": measured.peak_pss_mb}
        if charts:
            sizes = page_sizes(out)
            print(f"    page: first view (timeline.html) {sizes['first_view_bytes'] / 1e6:.1f} MB,"
                  f" data next to it {sizes['data_bytes'] / 1e6:.1f} MB in "
                  f"{sizes['data_files']:,} files")
            results[f"workers_{n}"]["page"] = sizes
    if dask:
        from distributed import LocalCluster

        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster:
            pids = [p.pid for p in psutil.Process().children(recursive=True)]
            out = work / "out-dask"
            with _Sampler(pids) as sampler:
                measured = run_measured([TIMELINE, "build", str(corpus), "-o", str(out),
                                         "--dask", cluster.scheduler_address, "--quiet",
                                         "--work-dir", str(work / "dask-work"), *extra])
            _check(measured, "timeline build --dask")
            rate = _line("timeline build --dask (2 workers)", n_docs, measured,
                         f"  (+ cluster {sampler.peak / 2**20:.0f} MB)")
        results["dask"] = {"seconds": measured.seconds, "docs_per_second": rate,
                           "peak_mb": measured.peak_mb,
                           "cluster_peak_mb": sampler.peak / 2**20}
        if 2 in workers:
            same = _outputs(work / "out-dask") == _outputs(work / "out-2")
            ratio = rate / results["workers_2"]["docs_per_second"]
            print(f"  --dask outputs identical to --workers 2: {same}; "
                  f"throughput {ratio:.2f}x of --workers 2")
            results["dask"].update(identical=same, ratio_to_workers_2=ratio)
    if keep is not None:
        shutil.rmtree(keep, ignore_errors=True)
        shutil.copytree(work / f"out-{workers[-1]}", keep)
        print(f"  outputs of --workers {workers[-1]} kept in {keep}")
    if len(workers) > 1:
        reference = _outputs(work / f"out-{workers[0]}")
        same = all(_outputs(work / f"out-{n}") == reference for n in workers[1:])
        print(f"  outputs identical across --workers {', '.join(map(str, workers))}: {same}")
        results["identical_across_workers"] = same
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python bench/throughput.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tag-docs", type=int, default=20_000)
    parser.add_argument("--dateparser-docs", type=int, default=1_000)
    parser.add_argument("--tag-repeat", type=int, default=3,
                        help="timeline tag runs (the median is compared; default 3)")
    parser.add_argument("--build-docs", type=int, default=20_000)
    parser.add_argument("--workers", default="1,2",
                        help="--workers values to time the build with (default 1,2)")
    parser.add_argument("--no-charts", action="store_true", help="build without the page")
    parser.add_argument("--skip-tag", action="store_true")
    parser.add_argument("--skip-build", action="store_true")
    parser.add_argument("--skip-dask", action="store_true")
    parser.add_argument("--json", metavar="FILE", help="also write the numbers as JSON")
    parser.add_argument("--keep", metavar="DIR", type=Path,
                        help="keep the last build's outputs (with its page) in DIR")
    args = parser.parse_args(argv)
    print(f"machine: {os.cpu_count()} cores, "
          f"{psutil.virtual_memory().total / 2**30:.0f} GiB")
    numbers: dict = {}
    with tempfile.TemporaryDirectory(prefix="timeline-bench-") as tmp:
        work = Path(tmp)
        if not args.skip_tag:
            numbers["tag"] = bench_tag(work, args.tag_docs, args.dateparser_docs,
                                       args.tag_repeat)
        if not args.skip_build:
            workers = [int(n) for n in args.workers.split(",") if n.strip()]
            numbers["build"] = bench_build(work, args.build_docs, workers,
                                           dask=not args.skip_dask,
                                           charts=not args.no_charts, keep=args.keep)
    if args.json:
        Path(args.json).write_text(json.dumps(numbers, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
