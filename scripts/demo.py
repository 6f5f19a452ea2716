"""`make demo`: the seed corpus from text to chronology, written into reports/.

- ``reports/timexes.jsonl``: every temporal expression of every seed article
  (the `timeline tag` output format);
- ``reports/chronology.{parquet,csv,jsonl,md}``, ``mentions.parquet``,
  ``ingest_report.json``, ``timeline.html``: what `timeline build` writes;
- ``reports/timeline.png``, ``reports/timeline-phone.png``: screenshots of the page in
  headless Chromium, at a desktop's width and at a phone's (390 px).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from timeline.pipeline.driver import build, load_corpus
from timeline.temporal import tag_document

ROOT = Path(__file__).resolve().parent.parent  # the repository


def write_timexes(corpus_dir: Path, path: Path) -> int:
    """Tag every document of the corpus; one JSON line per document."""
    corpus = load_corpus([corpus_dir])
    n = 0
    with path.open("w", encoding="utf-8") as out:
        for document in corpus.documents:
            timexes = [t.to_dict() for t in tag_document(document)]
            n += len(timexes)
            out.write(json.dumps({"id": document.id, "timexes": timexes}, ensure_ascii=False)
                      + "\n")
    return n


def _in_project(path: Path) -> Path:
    """``path`` relative to the project when it lies inside it."""
    try:
        return path.relative_to(ROOT)
    except ValueError:
        return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python scripts/demo.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=ROOT / "fixtures" / "seeds")
    parser.add_argument("-o", "--output", "--out", dest="output", type=Path,
                        default=ROOT / "reports")
    args = parser.parse_args(argv)
    # Inputs are named relative to the project in the reports (ingest_report.json),
    # so that a run on any machine writes the same bytes.
    corpus, out = (_in_project(path.resolve()) for path in (args.corpus, args.output))
    os.chdir(ROOT)
    out.mkdir(parents=True, exist_ok=True)

    n_timexes = write_timexes(corpus, out / "timexes.jsonl")
    print(f"timeline demo: {n_timexes} temporal expressions -> {out / 'timexes.jsonl'}")
    result = build([corpus], out)
    print(result.summary())
    if result.report is not None:
        print(result.report.summary())
    page = result.paths.get("html")
    if page is None:
        print("timeline demo: no page was drawn", file=sys.stderr)
        return 1
    from timeline.charts import ChromiumNotFound, screenshot

    try:
        screenshot(page, out / "timeline.png")
        screenshot(page, out / "timeline-phone.png", width=390, height=844)
    except ChromiumNotFound as exc:
        print(f"timeline demo: no screenshot: {exc}", file=sys.stderr)
        return 1
    print(f"timeline demo: page {page}, screenshots {out / 'timeline.png'}, "
          f"{out / 'timeline-phone.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
