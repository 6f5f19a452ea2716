"""Tagging benchmarks: `make bench` (python bench/tagging.py).

Tagging: a corpus of seed-like articles (the seed articles' paragraphs
recombined, with publication dates spread over 2011-2024) is tagged by
`timeline.tag` and by `dateparser.search.search_dates` (language given, the
same publication date as RELATIVE_BASE). Each runs in its own process, so that
its peak memory (the kernel's maximum resident set size) is its own.

Languages without rules: `python bench/tagging.py --fallback 300` tags ~5 KB
articles in German, Romanian and Catalan (sentences written for the bench) with
the dateparser fallback, and dateparser's own search on the same articles.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"


def generate_corpus(n_docs: int, seed: int = 0) -> list[dict]:
    """Seed-like articles: each seed's paragraphs, reordered and mixed with
    paragraphs of another seed of the same language, published on a random day."""
    with (SEEDS / "manifest.csv").open(encoding="utf-8") as handle:
        manifest = list(csv.DictReader(handle))
    seeds = []
    for row in manifest:
        text = (SEEDS / row["file"]).read_text(encoding="utf-8")
        seeds.append((row["lang"], [p for p in text.split("\n") if p.strip()]))
    rng = random.Random(seed)
    first_day, span = date(2011, 1, 1), (date(2024, 12, 31) - date(2011, 1, 1)).days
    docs = []
    for i in range(n_docs):
        lang, paragraphs = seeds[i % len(seeds)]
        others = [p for other_lang, ps in seeds if other_lang == lang for p in ps]
        body = paragraphs[:1] + rng.sample(paragraphs[1:], k=max(0, len(paragraphs) - 1))
        body += rng.sample(others, k=min(3, len(others)))
        published = first_day + timedelta(days=rng.randrange(span))
        docs.append({"id": f"bench-{i:05d}", "text": "\n".join(body),
                     "published": published.isoformat(), "lang": lang})
    return docs


def _work_timeline(docs: list[dict]) -> int:
    from timeline import tag
    from timeline.lang import load_language
    from timeline.temporal import prefilter

    for code in {d["lang"] for d in docs}:  # compile up front: steady state is timed
        language = load_language(code)
        if language is not None:
            prefilter.for_language(language)
    return sum(len(tag(d["text"], published=d["published"], lang=d["lang"])) for d in docs)


def _work_dateparser(docs: list[dict]) -> int:
    from datetime import datetime

    from dateparser.search import search_dates

    found = 0
    for d in docs:
        base = datetime.fromisoformat(d["published"])
        result = search_dates(d["text"], languages=[d["lang"]],
                              settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"})
        found += len(result or [])
    return found


WORKERS = {"timeline": _work_timeline, "dateparser": _work_dateparser}

#: Sentences in languages without rules of their own (written for the bench),
#: recombined into ~5 KB articles to time the dateparser fallback.
FALLBACK_SENTENCES = {
    "de": ["Die Verhandlungen begannen am 27. Februar 2016 in Genf.",
           "Gestern trafen sich die Minister erneut, ohne Ergebnis.",
           "Am Dienstag sollen die Gespräche weitergehen, sagte ein Sprecher.",
           "Im März 2019 hatte die Regierung neue Zahlen vorgelegt.",
           "Die Preise stiegen zwischen 1974 und 1979 um fast vierzig Prozent.",
           "Der Bericht vom 03.04.2018 nennt mehr als 1200 betroffene Familien.",
           "Viele Händler öffneten ihre Läden erst wieder im August.",
           "Die Stadtverwaltung kündigte weitere Hilfen für den Winter an."],
    "ro": ["Negocierile au fost reluate pe 7 martie 2019 la Bruxelles.",
           "Ieri, sindicatele au anunțat o nouă grevă.",
           "Raportul din 12/09/2017 are peste 300 de pagini.",
           "Marți, ministrul s-a întâlnit cu reprezentanții fermierilor.",
           "În august, producția a scăzut cu douăsprezece procente.",
           "Între 1974 și 1979, orașul și-a dublat populația.",
           "Lucrările ar trebui să se încheie mâine, potrivit primăriei.",
           "Comisia își va publica concluziile în primăvară."],
    "ca": ["L'acord es va signar el 7 d'agost de 2019 a Bogotà.",
           "Ahir, el govern va anunciar noves mesures econòmiques.",
           "Les exportacions van créixer al març més del previst.",
           "L'informe del 15/11/2018 recull dades de 1200 empreses.",
           "Dilluns començarà la campanya de vacunació a la capital.",
           "Entre 1974 i 1979 el país va viure una forta inflació.",
           "Els veïns es van reunir a la plaça per protestar.",
           "L'empresa espera recuperar les vendes abans de desembre."],
}


def generate_fallback_corpus(n_docs: int, size: int = 5000, seed: int = 0) -> list[dict]:
    """Articles of about `size` characters in languages without rules."""
    rng = random.Random(seed)
    docs = []
    languages = sorted(FALLBACK_SENTENCES)
    first_day, span = date(2011, 1, 1), (date(2024, 12, 31) - date(2011, 1, 1)).days
    for i in range(n_docs):
        lang = languages[i % len(languages)]
        sentences = FALLBACK_SENTENCES[lang]
        paragraphs, length = [], 0
        while length < size:
            paragraph = " ".join(rng.sample(sentences, k=3))
            paragraphs.append(paragraph)
            length += len(paragraph) + 1
        published = first_day + timedelta(days=rng.randrange(span))
        docs.append({"id": f"fallback-{i:05d}", "text": "\n".join(paragraphs),
                     "published": published.isoformat(), "lang": lang})
    return docs


def _run_engines(docs: list[dict]) -> dict[str, dict]:
    """Each engine over the documents in its own process (its peak memory its own);
    prints and returns their numbers."""
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        corpus.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
        for name in WORKERS:
            out = subprocess.run([sys.executable, __file__, "--worker", name,
                                  str(corpus)], capture_output=True, text=True, check=True)
            results[name] = json.loads(out.stdout.strip().splitlines()[-1])
    for name, r in results.items():
        print(f"  {name:<11} {r['docs_per_second']:10.1f} docs/s  {r['seconds']:8.2f} s  "
              f"peak {r['peak_mb']:6.1f} MB  ({r['found']} expressions)")
    return results


def run_fallback(n_docs: int) -> dict[str, dict]:
    """Tagging speed in languages without rules (the dateparser fallback), and
    dateparser's own search on the same articles, each in its own process."""
    docs = generate_fallback_corpus(n_docs)
    chars = sum(len(d["text"]) for d in docs)
    print(f"fallback: tagging {n_docs} articles in {', '.join(sorted(FALLBACK_SENTENCES))} "
          f"({chars / n_docs:.0f} characters on average)")
    return _run_engines(docs)


def _worker(name: str, corpus: Path) -> None:
    """Run one engine over the corpus and print its numbers as JSON."""
    docs = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines()]
    work = WORKERS[name]
    work(docs[:5])  # warm up: imports, compiled rules, caches
    start = time.perf_counter()
    found = work(docs)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"engine": name, "docs": len(docs), "found": found, "seconds": seconds,
                      "docs_per_second": len(docs) / seconds, "peak_mb": peak_mb}))


def run_tagging(n_docs: int) -> dict[str, dict]:
    docs = generate_corpus(n_docs)
    chars = sum(len(d["text"]) for d in docs)
    print(f"tagging {n_docs} seed-like articles ({chars / n_docs:.0f} characters on average)")
    results = _run_engines(docs)
    ratio = results["timeline"]["docs_per_second"] / results["dateparser"]["docs_per_second"]
    print(f"  timeline / dateparser throughput: {ratio:.1f}x")
    results["ratio"] = {"timeline_over_dateparser": ratio}
    return results


def run_adversarial() -> None:
    """Tagging time of inputs built to make regular expressions run away, at two
    sizes: linear growth doubles the time when the size doubles."""
    from timeline import tag

    pieces = {"digits": "1", "slashes": "1/", "dots": "11.", "weekday names": "Senin ",
              "weekday dates": "Rabu (21/10) ", "repeated lalu": "lalu ",
              "bulan lalu": "bulan lalu ", "open parentheses": "Rabu (", "the": "the "}
    from timeline.lang import load_language
    from timeline.temporal import prefilter

    prefilter.for_language(load_language("id"))  # compile first: only tagging is timed
    print("adversarial inputs (id rules; seconds for 100,000 and 200,000 characters):")
    for name, piece in pieces.items():
        times = []
        for size in (100_000, 200_000):
            text = piece * (size // len(piece))
            start = time.perf_counter()
            tag(text, published="2016-08-09", lang="id")
            times.append(time.perf_counter() - start)
        print(f"  {name:<17} {times[0]:6.3f} s  {times[1]:6.3f} s  x{times[1] / times[0]:.1f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python bench/tagging.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=2000, help="articles to tag (default 2000)")
    parser.add_argument("--fallback", type=int, metavar="DOCS", default=0,
                        help="only time the dateparser fallback on DOCS ~5 KB articles in "
                             "languages without rules")
    parser.add_argument("--worker", nargs=2, metavar=("ENGINE", "CORPUS"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        _worker(args.worker[0], Path(args.worker[1]))
        return 0
    if args.fallback:
        run_fallback(args.fallback)
        return 0
    run_tagging(args.docs)
    run_adversarial()
    return 0


if __name__ == "__main__":
    sys.exit(main())
