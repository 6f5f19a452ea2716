"""Temporal tagging of real Spanish, French and Italian news, against a hand-made gold.

The gold (``bench/gold/tls_timex/<lang>.jsonl``, 40 articles per language of the
``../shared/dev/tls`` sets, annotated by hand for this project; see
``bench/gold/README.md``) holds offsets and values only. This joins it with the
articles' texts into the format ``timeline eval`` reads, then scores, side by side:

- ``engine``: ``timeline eval`` as a user runs it (the language's own rules, or the
  dateparser fallback for a language without a folder);
- ``fallback``: the dateparser fallback alone (:func:`timeline.temporal.fallback.tag_with_dateparser`),
  what the engine did before the language had rules.

usage: python bench/tls_timex.py [--langs es,fr,it] [--errors] [--dev ../shared/dev/tls]
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "bench" / "gold" / "tls_timex"
TIMELINE = Path(sys.executable).parent / "timeline"


def materialise(lang: str, dev: Path, out: Path) -> int:
    """Write the gold of ``lang`` with its texts to ``out``; returns the number of documents."""
    texts = {}
    for path in sorted(dev.glob(f"{lang}_*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                doc = json.loads(line)
                texts[doc["id"]] = doc
    n = 0
    with out.open("w", encoding="utf-8") as handle:
        for line in (GOLD / f"{lang}.jsonl").open(encoding="utf-8"):
            gold = json.loads(line)
            doc = texts[gold["id"]]
            text = doc["text"][: gold["region_end"]]
            timexes = [{**t, "text": text[t["start"]:t["end"]]} for t in gold["timexes"]]
            handle.write(json.dumps({"id": gold["id"], "text": text, "published": doc["published"],
                                     "lang": lang, "timexes": timexes}, ensure_ascii=False) + "\n")
            n += 1
    return n


def fallback_output(gold: Path, lang: str, out: Path) -> None:
    """The dateparser fallback's expressions for every gold text, as `timeline tag` writes them."""
    from timeline.temporal.fallback import tag_with_dateparser

    with out.open("w", encoding="utf-8") as handle:
        for line in gold.open(encoding="utf-8"):
            doc = json.loads(line)
            found = tag_with_dateparser(doc["text"], date.fromisoformat(doc["published"][:10]), lang)
            handle.write(json.dumps({"id": doc["id"], "timexes": [t.to_dict() for t in found]},
                                    ensure_ascii=False) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--langs", default="es,fr,it")
    parser.add_argument("--dev", default=str(ROOT.parent / "shared" / "dev" / "tls"))
    parser.add_argument("--errors", action="store_true", help="list the engine's errors")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="tls-timex-"))
    for lang in args.langs.split(","):
        gold = work / f"{lang}.jsonl"
        n = materialise(lang, Path(args.dev), gold)
        system = work / f"{lang}.fallback.jsonl"
        fallback_output(gold, lang, system)
        print(f"== {lang}: {n} articles")
        for name, extra in (("engine", ["--lang", lang] + (["--errors"] if args.errors else [])),
                            ("fallback", ["--system", str(system)])):
            result = subprocess.run([str(TIMELINE), "eval", str(gold), *extra],
                                    capture_output=True, text=True)
            lines = result.stdout.splitlines()
            print(f"-- {name}")
            print("\n".join(line for line in lines[:9] if line.strip()) if name == "fallback"
                  and not args.errors else result.stdout.rstrip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
