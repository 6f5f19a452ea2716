"""Provenance kept: each document's url, title and source reach every output.

From every input shape (manifest beside .txt files, JSON Lines, CSV, Parquet, an
HTML page's own metadata) into the event mentions, mentions.parquet/.csv, the
chronology's mention structs (the page links from them) and the TimelineJS export.
"""

from __future__ import annotations

import json

import polars as pl
import pytest

import timeline
from timeline.chronology.export import to_timelinejs
from timeline.pipeline.documents import document_mentions

TEXT = "Pasukan Turki tewas di Idlib pada hari Kamis, kata para aktivis."
# 2020-02-28 was a Friday: "hari Kamis" (Thursday) is 2020-02-27.
PUBLISHED = "2020-02-28"
URL = "https://news.example.org/2020/02/28/idlib"
TITLE = "Serangan di Idlib"
SOURCE = "Contoh News"

HTML = f"""<!DOCTYPE html>
<html lang="id"><head><meta charset="utf-8">
<title>{TITLE} | {SOURCE}</title>
<meta property="og:title" content="{TITLE}">
<meta property="og:site_name" content="{SOURCE}">
<meta property="og:url" content="{URL}">
<link rel="canonical" href="{URL}">
<meta property="article:published_time" content="{PUBLISHED}T10:00:00+07:00">
</head><body><article><h1>{TITLE}</h1>
<p>{TEXT} Mereka mengatakan serangan itu terjadi di dekat perbatasan.</p>
<p>Para aktivis mengatakan jumlah korban masih bisa bertambah.</p>
</article></body></html>
"""


def _write_input(kind: str, folder) -> object:
    row = {"id": "a1", "text": TEXT, "published": PUBLISHED, "lang": "id", "url": URL,
           "title": TITLE, "source": SOURCE}
    if kind == "manifest":
        (folder / "a1.txt").write_text(TEXT, encoding="utf-8")
        (folder / "manifest.csv").write_text(
            "file,published,lang,link,headline,outlet\n"
            f"a1.txt,{PUBLISHED},id,{URL},{TITLE},{SOURCE}\n", encoding="utf-8")
        return folder
    if kind == "jsonl":
        path = folder / "a.jsonl"
        path.write_text(json.dumps(row) + "\n", encoding="utf-8")
        return path
    if kind == "csv":
        path = folder / "a.csv"
        pl.DataFrame([row]).write_csv(path)
        return path
    if kind == "parquet":
        path = folder / "a.parquet"
        pl.DataFrame([row]).write_parquet(path)
        return path
    path = folder / "a.html"
    path.write_text(HTML, encoding="utf-8")
    return path


@pytest.mark.parametrize("kind", ["manifest", "jsonl", "csv", "parquet", "html"])
def test_url_title_and_source_reach_every_output(kind, tmp_path):
    corpus_dir = tmp_path / "in"
    corpus_dir.mkdir()
    path = _write_input(kind, corpus_dir)
    corpus = timeline.load_corpus([path])
    [document] = corpus.documents
    assert (document.url, document.title, document.source) == (URL, TITLE, SOURCE)

    mentions = document_mentions(corpus.documents)
    assert mentions, "no event mention read"
    assert {(m.url, m.title, m.source) for m in mentions} == {(URL, TITLE, SOURCE)}

    result = timeline.build([path], tmp_path / "out", charts=False)
    parquet = pl.read_parquet(result.paths["mentions"])
    assert parquet.select("url", "title", "source").unique().rows() == [(URL, TITLE, SOURCE)]
    csv = pl.read_csv(result.paths["mentions_csv"])
    assert csv.select("url", "title").unique().rows() == [(URL, TITLE)]
    rows = [json.loads(line) for line in result.paths["jsonl"].read_text().splitlines()]
    structs = [m for row in rows for m in row["mentions"]]
    assert {(m["url"], m["title"], m["source"]) for m in structs} == {(URL, TITLE, SOURCE)}

    slide = to_timelinejs(result.chronology)["events"][0]
    assert slide["media"]["url"] == URL and slide["media"]["link"] == URL
    assert slide["media"]["credit"] == SOURCE
    assert f'<a href="{URL}">{TITLE}</a>' in slide["text"]["text"]
