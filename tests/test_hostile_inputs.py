"""Inputs bounded by their decompressed size, earlier outputs never read as articles,
and the smaller traps of a hostile or unlucky corpus.

Each test failed on the engine before: a 10 KB Parquet file took a build to
gigabytes, a build into c/run2 read c/run1's mentions.csv and page as articles, a
folder that could not be read was skipped without a word (exit 0), a CSV with two
``text`` columns was read from the last one silently, and right-to-left overrides
reached the page and the CSV unchanged.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from timeline import load_corpus
from timeline.corpus.columns import ColumnOptions
from timeline.corpus.formats import read_parquet
from timeline.corpus.opening import Source
from timeline.pipeline.driver import build

CLI = [sys.executable, "-m", "timeline.cli"]
GOOD = {"id": "good", "text": "Pada Senin (11/11/2013), konvoi bantuan tiba di Aleppo.",
        "published": "2013-11-12", "lang": "id", "source": "Sumber A"}


def _report(out: Path) -> dict:
    return json.loads((out / "ingest_report.json").read_text(encoding="utf-8"))


# --- Parquet: bounded by its size once decompressed ---------------------------------


def _bomb(path: Path, value_bytes: int, rows: int = 6) -> Path:
    """A Parquet file of ``rows`` rows whose text is one repeated letter of
    ``value_bytes``, stored once (a dictionary page) and compressed: a few KB on disk."""
    text = pa.DictionaryArray.from_arrays(pa.array([0] * rows, pa.int32()),
                                          pa.array(["a" * value_bytes]))
    table = pa.table({"id": [f"r{i}" for i in range(rows)], "text": text,
                      "published": ["2020-01-01"] * rows})
    pq.write_table(table, path, compression="zstd", row_group_size=rows)
    return path


def test_a_parquet_decompression_bomb_is_refused_in_one_line_and_little_memory(tmp_path):
    bomb = tmp_path / "bomb.parquet"
    # made in a process of its own: the build's peak memory is then its own, not this
    # process's at the fork
    subprocess.run([sys.executable, "-c", "import sys; sys.path.insert(0, sys.argv[1]); "
                    "from pathlib import Path; from test_hostile_inputs import _bomb; "
                    "_bomb(Path(sys.argv[2]), 300_000_000)", str(Path(__file__).parent),
                    str(bomb)], check=True, timeout=300)
    assert bomb.stat().st_size < 200_000

    def cap_memory() -> None:  # the engine before this guard took 9.6 GB: not here
        resource.setrlimit(resource.RLIMIT_AS, (3 * 2**30, 3 * 2**30))

    child = subprocess.Popen([*CLI, "build", str(bomb), "-o", str(tmp_path / "out"),
                              "--no-charts"], stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, preexec_fn=cap_memory)
    stderr = child.stderr.read().decode() if child.stderr else ""
    _, status, usage = os.wait4(child.pid, 0)
    assert os.waitstatus_to_exitcode(status) == 2, stderr
    assert stderr.count("\n") == 1 and str(bomb) in stderr
    assert "decompression bomb" in stderr
    assert usage.ru_maxrss < 1024 * 1024  # KB: under 1 GB


def test_a_parquet_row_past_the_input_limit_fails_alone(tmp_path, monkeypatch):
    monkeypatch.setattr("timeline.corpus.formats.MAX_INPUT_BYTES", 1000)
    rows = [{"id": "a", "text": "Pasukan tiba di Homs. " * 100, "published": "2013-11-12"},
            {"id": "b", "text": "Pasukan tiba di Hama.", "published": "2013-11-12"}]
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "t.parquet")
    corpus = load_corpus([tmp_path / "t.parquet"])
    entries = {e.input.rsplit(":", 1)[1]: e for e in corpus.report.entries}
    assert entries["row 1"].status == "failed"
    # 2,200 characters of text, 1 of id, 10 of date
    assert entries["row 1"].reason == "values of 2,211 bytes (limit input_bytes): not read"
    assert [d.id for d in corpus.documents] == ["b"]


def test_a_parquet_file_whose_values_expand_past_a_thousand_times_its_size_ends(tmp_path):
    bomb = _bomb(tmp_path / "wide.parquet", 20_000, rows=20_000)  # 400 MB of values
    records = list(read_parquet(Source(bomb), ColumnOptions()))
    last = records[-1]
    assert last.reason.startswith("unreadable Parquet from this row on: its values pass ")
    assert "(a decompression bomb): not read" in last.reason
    assert len(records) < 20_000


def test_an_ordinary_parquet_table_is_read_whole(tmp_path):
    rows = [{"id": f"r{i}", "text": f"Laporan nomor {i}: pasukan tiba di Aleppo.",
             "published": "2013-11-12", "tags": ["a", "b"]} for i in range(300)]
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "t.parquet", row_group_size=50)
    corpus = load_corpus([tmp_path / "t.parquet"])
    assert corpus.report.counts()["loaded"] == 300 and not corpus.report.by_status("failed")


# --- tables whose columns are ambiguous ---------------------------------------------


def test_a_csv_with_two_text_columns_fails_with_its_reason(tmp_path):
    (tmp_path / "t.csv").write_text("id,text,published,text\n1,Pasukan tiba di Homs.,"
                                    "2013-11-12,Isi yang lain.\n", encoding="utf-8")
    corpus = load_corpus([tmp_path / "t.csv"])
    (entry,) = corpus.report.entries
    assert entry.status == "failed"
    assert entry.reason == ("columns 2 and 4 are both named 'text', the column the text is "
                            "read from: rename one")


def test_a_parquet_table_with_two_text_columns_fails_with_its_reason(tmp_path):
    table = pa.Table.from_arrays([pa.array(["1"]), pa.array(["Pasukan tiba."]),
                                  pa.array(["Isi lain."])], names=["id", "Text", "text"])
    pq.write_table(table, tmp_path / "t.parquet")
    (entry,) = load_corpus([tmp_path / "t.parquet"]).report.entries
    assert entry.status == "failed" and entry.reason.startswith("columns 2 and 3 are both ")


# --- a folder that cannot be read -----------------------------------------------------


def test_a_folder_that_cannot_be_read_is_a_failure_not_silence(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    (corpus / "locked").mkdir(parents=True)
    (corpus / "locked" / "b.txt").write_text("Pasukan tiba di Homs.", encoding="utf-8")
    (corpus / "a.txt").write_text(GOOD["text"], encoding="utf-8")
    scandir = os.scandir

    def refusing(path=".", *args, **kwargs):  # what a folder without read permission does
        if not isinstance(path, int) and Path(os.fsdecode(path)) == corpus / "locked":
            raise PermissionError(13, "Permission denied", os.fsdecode(path))
        return scandir(path, *args, **kwargs)

    monkeypatch.setattr(os, "scandir", refusing)
    result = build([corpus], tmp_path / "out", charts=False)
    failed = [e for e in _report(tmp_path / "out")["entries"] if e["status"] == "failed"]
    assert failed == [{"input": (corpus / "locked").as_posix(), "status": "failed",
                       "reason": "folder cannot be read: Permission denied; its files are "
                                 "not in the corpus"}]
    assert result.failed  # the command line exits 1


# --- earlier outputs ---------------------------------------------------------------


def test_outputs_of_an_earlier_build_inside_the_corpus_are_not_articles(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "in.jsonl").write_text(json.dumps(GOOD) + "\n", encoding="utf-8")
    first = build([corpus], corpus / "run1")
    assert (corpus / "run1" / "timeline.html").exists()
    second = build([corpus], corpus / "run2")
    assert first.n_documents == second.n_documents == 1
    ignored = {Path(i["input"]).name: i["reason"] for i in _report(corpus / "run2")["ignored"]}
    for name in ("mentions.csv", "chronology.csv", "chronology.jsonl", "timeline.html",
                 "mentions.parquet", "chronology.parquet"):
        assert ignored[name] == ("written by an earlier `timeline build` (its output): not "
                                 "an article"), name


def test_an_article_that_merely_bears_an_output_name_is_read(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "mentions.csv").write_text("id,text,published\n1,Pasukan tiba di Homs pada "
                                         "Senin (11/11/2013).,2013-11-12\n", encoding="utf-8")
    assert load_corpus([corpus]).report.counts()["loaded"] == 1


# --- characters that reorder what is shown -------------------------------------------


def test_bidirectional_overrides_are_replaced_at_ingestion(tmp_path):
    doc = {**GOOD, "title": "Laporan \u202eexe.txt", "source": "Sumber\u2066 A\u2069",
           "text": "Pada Senin (11/11/2013), konvoi \u202ebantuan tiba di Aleppo."}
    (tmp_path / "in.jsonl").write_text(json.dumps(doc) + "\n", encoding="utf-8")
    build([tmp_path / "in.jsonl"], tmp_path / "out")
    for name in ("chronology.csv", "mentions.csv", "chronology.md", "timeline.html"):
        data = (tmp_path / "out" / name).read_text(encoding="utf-8")
        assert not any(c in data for c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068"
                       "\u2069"), name
    mentions = pl.read_parquet(tmp_path / "out" / "mentions.parquet")
    assert mentions["title"].to_list() == ["Laporan \ufffdexe.txt"]
    (entry,) = _report(tmp_path / "out")["entries"]
    assert ("text: 1 bidirectional control character (which would reorder the text around "
            "it) replaced by U+FFFD") in entry["warnings"]
    assert entry["status"] == "loaded"


@pytest.mark.parametrize("marks", ["\u200e", "\u200f", "\u061c"])
def test_directional_marks_are_kept(marks):
    from timeline.characters import sanitise

    assert sanitise(f"a{marks}b") == (f"a{marks}b", None)
