"""Corpus ingestion: every input shape, every bad input, the report's accounting."""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from timeline import load_corpus
from timeline.cli.common import add_corpus_arguments, corpus_options
from timeline.corpus import detect_language, parse_published
from timeline.frames import CORPUS_SCHEMA
from timeline.limits import MAX_DOCUMENT_CHARS
from timeline.temporal.publication import TAG_CHAR_LIMIT
from timeline.types import Document

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "fixtures" / "seeds"
CORPUS = ROOT / "fixtures" / "corpus"
BAD = CORPUS / "bad"
TODAY = date(2025, 6, 1)  # pinned, so "after today" and inference never drift
WIB = timezone(timedelta(hours=7))
SEED_IDS = sorted(p.stem for p in SEEDS.glob("*.txt"))
SEED_PUBLISHED = {"000": date(2016, 8, 9), "001": date(2015, 10, 21), "002": date(2013, 11, 12),
                  "003": date(2019, 4, 22), "004": date(2020, 2, 28)}


def no_timexes(text, published=None, lang=None):
    """A tagger that finds nothing: keeps tests of ingestion independent of tagging."""
    return []


def load(*paths, **kwargs):
    kwargs.setdefault("today", TODAY)
    kwargs.setdefault("tagger", no_timexes)
    return load_corpus([*paths], **kwargs)


def seed_text(doc_id: str) -> str:
    return (SEEDS / f"{doc_id}.txt").read_text(encoding="utf-8")


def assert_accounted(corpus, n_inputs: int | None = None) -> None:
    counts = corpus.report.counts()
    assert counts["inputs"] == counts["loaded"] + counts["duplicates"] + counts["failed"]
    assert counts["loaded"] == len(corpus.documents)
    if n_inputs is not None:
        assert counts["inputs"] == n_inputs, corpus.report.summary()


# --- the seed corpus in each shape ------------------------------------------

@pytest.mark.parametrize("shape", ["txt", "seeds.jsonl", "seeds.csv", "seeds.parquet"])
def test_each_shape_loads_the_five_seeds_with_their_ids_texts_and_days(shape):
    corpus = load(CORPUS / shape)
    assert_accounted(corpus, 5)
    assert [d.id for d in corpus.documents] == SEED_IDS
    for doc in corpus.documents:
        assert isinstance(doc, Document)
        assert doc.text == seed_text(doc.id), f"{shape}: text of {doc.id} changed"
        assert doc.published.date() == SEED_PUBLISHED[doc.id[:3]], (shape, doc.id, doc.published)
        assert not doc.published_inferred
        assert doc.lang == ("en" if doc.id.startswith("004") else "id")
        assert doc.source


def test_manifest_dates_keep_their_time_zone():
    published = {d.id[:3]: d.published for d in load(CORPUS / "txt").documents}
    assert published["001"] == datetime(2015, 10, 21, 9, 30, tzinfo=WIB)  # "... 09:30 WIB"
    assert published["002"] == datetime(2013, 11, 12, 14, 5, tzinfo=WIB)
    assert published["003"] == datetime(2019, 4, 22, 10, 0, tzinfo=WIB)  # RFC 2822
    assert published["004"] == datetime(2020, 2, 28, 10, 0, tzinfo=UTC)  # epoch
    assert published["000"] == datetime(2016, 8, 9)  # a day, no zone: naive


def test_parquet_timestamps_keep_their_zone():
    doc = load(CORPUS / "seeds.parquet").documents[0]
    assert doc.published.utcoffset() == timedelta(hours=7)


def test_language_is_detected_when_the_metadata_has_none():
    corpus = load(CORPUS / "seeds.jsonl")  # no lang column
    assert {d.id[:3]: d.lang for d in corpus.documents} == {
        "000": "id", "001": "id", "002": "id", "003": "id", "004": "en"}
    assert all(d.provenance.lang_detected for d in corpus.documents)


def test_html_page_gives_main_text_without_boilerplate_and_its_date():
    corpus = load(CORPUS / "html")
    assert_accounted(corpus, 1)
    doc = corpus.documents[0]
    assert "Kelompok Jihad yang berafiliasi dengan Al Qaeda" in doc.text
    assert "(haninmazaya/arrahmah.com)" in doc.text
    assert "Berita terkait" not in doc.text and "Hak cipta" not in doc.text  # boilerplate gone
    assert doc.published.date() == date(2013, 11, 12)
    assert doc.provenance.published_basis == "HTML markup (htmldate)"
    assert doc.source == "Arrahmah.com"
    assert doc.url.endswith("isis-serukan-mobilisasi-di-aleppo.html")
    assert doc.lang == "id"


def test_mixed_shapes_keep_one_copy_of_each_article():
    corpus = load(CORPUS / "txt", CORPUS / "seeds.jsonl", CORPUS / "seeds.csv",
                  CORPUS / "seeds.parquet", CORPUS / "html")
    # 5 + 5 + 5 + 5 + 1 inputs; the table rows are exact copies of the txt files;
    # the HTML page starts with its headline, so it is not an exact copy.
    assert_accounted(corpus, 21)
    assert corpus.report.counts()["duplicates"] == 15
    ids = [d.id for d in corpus.documents]
    assert ids == sorted(ids) and set(SEED_IDS) <= set(ids)
    kept = {d.id: d for d in corpus.documents}["002_8b66920482849b85"]
    # The copy kept is the metadata-richest; the others are remembered.
    assert kept.provenance.input == (CORPUS / "txt" / "002_8b66920482849b85.txt").as_posix()
    assert len(kept.provenance.duplicates) == 3
    assert {e.duplicate_of for e in corpus.report.by_status("duplicate")} == set(SEED_IDS)


def test_same_corpus_gives_the_same_output_whatever_the_order(tmp_path):
    paths = [CORPUS / "txt", CORPUS / "seeds.csv", BAD]
    first = load(*paths)
    again = load(*paths)
    reversed_order = load(*reversed(paths))
    assert first.report.to_dict() == again.report.to_dict()
    assert [(d.id, d.text, d.published) for d in first.documents] == \
           [(d.id, d.text, d.published) for d in again.documents] == \
           [(d.id, d.text, d.published) for d in reversed_order.documents]
    written = first.report.write(tmp_path / "a.json"), again.report.write(tmp_path / "b.json")
    assert written[0].read_bytes() == written[1].read_bytes()


def test_ids_without_metadata_are_content_hashes_stable_across_renames(tmp_path):
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    shutil.copyfile(SEEDS / "002_8b66920482849b85.txt", tmp_path / "one" / "a.txt")
    shutil.copyfile(SEEDS / "002_8b66920482849b85.txt", tmp_path / "two" / "renamed.txt")
    first, second = load(tmp_path / "one"), load(tmp_path / "two")
    assert first.documents[0].id == second.documents[0].id
    assert len(first.documents[0].id) == 16


# --- bad inputs ---------------------------------------------------------------

#: input (relative to fixtures/corpus/bad) -> (status, reason or warning it must show)
BAD_CASES = {
    "empty.txt": ("failed", "empty: 0 bytes"),
    "blank.txt": ("failed", "empty: no text"),
    "binary.txt": ("failed", "binary: contains NUL bytes, not text"),
    "notext.csv": ("failed", "no text column: expected one of text, content, body"),
    "broken.jsonl:line 2": ("failed", "invalid JSON: Unterminated string"),
    "broken.jsonl:line 5": ("failed", "not a JSON object but list"),
    "broken.jsonl:line 6": ("failed", "empty: no text"),
    "manifest.csv:row 10": ("failed", "manifest names 'missing.txt', which is not there"),
    "broken.jsonl:line 1": ("loaded", None),
    "broken.jsonl:line 4": ("loaded", None),
    "cp1252.txt": ("loaded", "not UTF-8: decoded as Windows-1252"),
    "latin1.txt": ("loaded", "not UTF-8: decoded as Windows-1252"),
    "bom.txt": ("loaded", None),
    "crlf.txt": ("loaded", None),
    "impossible_date.txt": ("loaded", "published: impossible date '31/02/2016': day 31 is out "
                                      "of range for February 2016; inferring it from the text"),
    "year_20016.txt": ("loaded", "published: impossible date '1 Januari 20016': year 20016 is "
                                 "out of range"),
    "future_date.txt": ("loaded", "published: impossible date '2099-01-01': 2099-01-01 is "
                                  "after today (2025-06-01)"),
    "unparseable_date.txt": ("loaded", "published: unparseable date 'kapan-kapan'"),
    "dup_id_a.txt": ("loaded", "duplicate id 'dup' (given to 2 different articles"),
    "dup_id_b.txt": ("loaded", "duplicate id 'dup' (given to 2 different articles"),
    "syndicated_copy.txt": ("loaded", None),
}


@pytest.fixture(scope="module")
def bad_corpus():
    return load(BAD)


def test_every_bad_input_is_accounted_for(bad_corpus):
    assert_accounted(bad_corpus, len(BAD_CASES))
    # 8 warnings about the inputs, and one on each of the 6 loaded documents without a
    # publication date (13 loaded, 7 dated), saying why and what was guessed
    assert bad_corpus.report.counts() == {
        "inputs": 21, "loaded": 13, "duplicates": 0, "failed": 8, "warnings": 14, "errors": 0,
        # set aside when a build reads the documents' statements: loading sets none aside
        "furniture_lines": 0, "statements_set_aside": 0}
    undated = [e for e in bad_corpus.report.entries if e.status == "loaded"
               and any("no publication date" in w for w in e.warnings)]
    assert len(undated) == 6
    assert [path for path, _ in bad_corpus.report.ignored] == [(BAD / "notes.md").as_posix()]


@pytest.mark.parametrize("name", sorted(BAD_CASES))
def test_each_bad_input_gets_its_status_and_message(bad_corpus, name):
    status, message = BAD_CASES[name]
    entries = {e.input: e for e in bad_corpus.report.entries}
    entry = entries[(BAD / name).as_posix()]
    assert entry.status == status, f"{name}: expected {status}, got {entry.to_dict()}"
    if message is None:
        assert not entry.warnings and entry.reason is None, entry.to_dict()
    elif status == "failed":
        assert entry.reason.startswith(message), f"{name}: expected {message!r}, got {entry.reason!r}"
    else:
        assert any(w.startswith(message) for w in entry.warnings), \
            f"{name}: expected a warning {message!r}, got {entry.warnings}"


def test_decoding_repairs_bom_crlf_and_windows_1252(bad_corpus):
    docs = {d.id: d for d in bad_corpus.documents}
    assert docs["bom"].text.startswith("Pasukan")  # BOM gone
    assert docs["crlf"].text == "Baris pertama berita.\nBaris kedua: pasukan mundur pada " \
                                "Selasa (12/11/2013).\n"
    assert docs["cp1252"].text == "JAKARTA – “Kami menolak,” kata André pada Senin (11/11/2013)."


def test_rejected_dates_leave_the_document_undated_not_dropped(bad_corpus):
    docs = {d.id: d for d in bad_corpus.documents}
    for doc_id in ("impossible", "year20016", "future", "unparseable"):
        assert docs[doc_id].published is None and not docs[doc_id].published_inferred


def test_duplicate_ids_are_both_kept_under_distinct_stable_ids(bad_corpus):
    texts = {d.id: d.text for d in bad_corpus.documents if d.id.startswith("dup~")}
    # id~ + the first 8 hex digits of the text's hash: the same on every run.
    assert sorted(texts.values()) == ["Konvoi bantuan PBB tiba di Madaya setelah berbulan-bulan.",
                                      "Warga Aleppo timur mulai mengungsi ke barat."]
    assert sorted(texts) == sorted(d.id for d in load(BAD).documents if d.id.startswith("dup~"))


def test_a_syndicated_copy_is_a_duplicate_of_the_original():
    corpus = load(CORPUS / "txt", BAD)
    entries = {e.input: e for e in corpus.report.entries}
    copy = entries[(BAD / "syndicated_copy.txt").as_posix()]
    assert copy.status == "duplicate" and copy.duplicate_of == "002_8b66920482849b85"
    kept = {d.id: d for d in corpus.documents}["002_8b66920482849b85"]
    assert kept.provenance.duplicates[0]["source"] == "Portal Lain"


def test_a_missing_path_fails_and_the_run_goes_on(tmp_path):
    corpus = load(tmp_path / "nope", CORPUS / "txt")
    assert_accounted(corpus, 6)
    assert corpus.report.entries[0].reason == "not found: no such file or folder"


def test_a_text_column_option_that_names_nothing_fails_that_file():
    corpus = load(CORPUS / "seeds.csv", text_col="article_text")
    assert_accounted(corpus, 1)
    assert corpus.report.entries[0].reason.startswith(
        "column 'article_text' (--text-col) not found; columns are: Doc_ID, Headline")


def test_column_options_name_the_columns(tmp_path):
    path = tmp_path / "odd.csv"
    path.write_text("naskah,kapan,media\nSerangan di Idlib pada Senin (11/11/2013).,"
                    "2013-11-12,Contoh\n", encoding="utf-8")
    parser = argparse.ArgumentParser()
    add_corpus_arguments(parser)
    args = parser.parse_args(["--text-col", "naskah", "--date-col", "kapan",
                              "--source-col", "media"])
    corpus = load(path, **corpus_options(args))
    doc = corpus.documents[0]
    assert (doc.text[:8], doc.published, doc.source) == ("Serangan", datetime(2013, 11, 12),
                                                         "Contoh")


def test_a_50_mb_file_loads_cut_at_the_document_limit_and_its_tagging_is_capped(tmp_path):
    big = tmp_path / "big.txt"
    block = seed_text("002_8b66920482849b85").encode("utf-8")
    big.write_bytes(block * (50 * 1024 * 1024 // len(block) + 1))
    calls = []

    def tagger(text, published=None, lang=None):
        calls.append(len(text))
        return []

    corpus = load(big, tagger=tagger)
    assert_accounted(corpus, 1)
    entry = corpus.report.entries[0]
    # cut at a line end at most 100,000 characters before the limit, and said so
    assert entry.status == "loaded"
    assert MAX_DOCUMENT_CHARS - 100_000 < entry.details["n_chars"] <= MAX_DOCUMENT_CHARS
    assert corpus.documents[0].text.endswith("\n")
    assert any(w.startswith("text of ") and "(limit document_chars)" in w
               for w in entry.warnings), entry.warnings
    assert calls == [TAG_CHAR_LIMIT]
    assert any(w.endswith(f"only the first {TAG_CHAR_LIMIT} were tagged for date inference")
               for w in entry.warnings), entry.warnings
    limits = corpus.report.to_dict()["limits"]
    assert (limits["tag_chars"], limits["document_chars"]) == (TAG_CHAR_LIMIT,
                                                               MAX_DOCUMENT_CHARS)


def test_a_failing_tagger_is_a_warning_not_a_crash(tmp_path):
    (tmp_path / "a.txt").write_text("Serangan pada Senin (11/11/2013).", encoding="utf-8")

    def broken(text, published=None, lang=None):
        raise RuntimeError("boom")

    corpus = load(tmp_path, tagger=broken)
    first, why = corpus.report.entries[0].warnings
    assert first == "tagger failed: RuntimeError: boom"
    assert why.startswith("no publication date for this file") and "gives none" in why


@given(st.binary(max_size=2048) | st.text(max_size=500).map(str.encode),
       st.sampled_from([".txt", ".html", ".jsonl", ".csv", ".parquet"]))
def test_any_bytes_as_a_file_never_crash_and_always_get_a_report_line(data, suffix):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        corpus = load_corpus([path], today=TODAY)
        assert_accounted(corpus)
        entries = corpus.report.entries
        assert entries and all(e.input.startswith(path.as_posix()) for e in entries)
        if suffix in (".txt", ".html", ".parquet"):  # one article (or none) per file
            assert len(entries) == 1
        assert all(e.status != "failed" or e.reason for e in entries)
        json.dumps(corpus.report.to_dict())  # the report is always writable


# --- report and frame -----------------------------------------------------------

def test_report_is_written_as_json_and_summarised(tmp_path, bad_corpus):
    path = bad_corpus.report.write(tmp_path / "out")  # a folder, made when missing
    assert path == tmp_path / "out" / "ingest_report.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["counts"]["inputs"] == len(data["entries"]) == 21
    assert {e["status"] for e in data["entries"]} == {"loaded", "failed"}
    summary = bad_corpus.report.summary()
    assert summary.splitlines()[0] == \
        "ingest: 21 inputs: 13 loaded, 0 duplicates, 8 failed; 14 warnings"
    assert f"  failed {(BAD / 'empty.txt').as_posix()}: empty: 0 bytes" in summary.splitlines()


def test_frame_has_the_documented_schema():
    frame = load(CORPUS / "txt").frame()
    assert isinstance(frame, pl.DataFrame)
    assert frame.schema == CORPUS_SCHEMA
    row = frame.filter(pl.col("id") == "002_8b66920482849b85").row(0, named=True)
    assert row["published"] == "2013-11-12T14:05:00+07:00"
    assert row["published_date"] == date(2013, 11, 12)
    assert row["published_utc"] == datetime(2013, 11, 12, 7, 5, tzinfo=UTC)
    assert frame.filter(pl.col("id").str.starts_with("000"))["published_utc"][0] is None


# --- metadata values --------------------------------------------------------------

@pytest.mark.parametrize(("value", "expected"), [
    ("2013-11-12", datetime(2013, 11, 12)),
    ("2013-11-12T14:05:00+07:00", datetime(2013, 11, 12, 14, 5, tzinfo=WIB)),
    ("2020-02-28T09:00:00Z", datetime(2020, 2, 28, 9, tzinfo=UTC)),
    ("Senin, 11 November 2013 14:05 WIB", datetime(2013, 11, 11, 14, 5, tzinfo=WIB)),
    ("Senin, 11 November 2013 14:05 WITA",
     datetime(2013, 11, 11, 14, 5, tzinfo=timezone(timedelta(hours=8)))),
    ("11 November 2013 14:05 WIT",
     datetime(2013, 11, 11, 14, 5, tzinfo=timezone(timedelta(hours=9)))),
    ("Tue, 12 Nov 2013 10:00:00 +0700", datetime(2013, 11, 12, 10, tzinfo=WIB)),
    ("Tue, 12 Nov 2013 03:00:00 GMT", datetime(2013, 11, 12, 3, tzinfo=UTC)),
    ("1384225500", datetime(2013, 11, 12, 3, 5, tzinfo=UTC)),
    ("12/11/2013", datetime(2013, 11, 12)),  # day first
    ("Rabu, 21 Oktober 2015", datetime(2015, 10, 21)),
    (date(2016, 8, 9), datetime(2016, 8, 9)),
    ("", None),
    (None, None),
])
def test_parse_published_reads_metadata_forms(value, expected):
    got = parse_published(value, today=TODAY)
    assert got == expected and (got is None or got.utcoffset() == expected.utcoffset()), \
        f"{value!r}: expected {expected!r}, got {got!r}"


@pytest.mark.parametrize(("value", "message"), [
    ("31/02/2016", "impossible date '31/02/2016': day 31 is out of range for February 2016"),
    ("31 Februari 2016", "impossible date '31 Februari 2016': day 31 is out of range"),
    ("2016-02-31", "impossible date '2016-02-31': day is out of range for month"),
    ("1 Januari 20016", "impossible date '1 Januari 20016': year 20016 is out of range"),
    ("20016-01-01", "impossible date '20016-01-01': year 20016 is out of range"),
    ("2025-06-02", "impossible date '2025-06-02': 2025-06-02 is after today (2025-06-01)"),
    ("kapan-kapan", "unparseable date 'kapan-kapan'"),
    # a number is not read as epoch seconds: 20200328 would be 1970-08-22
    (1384225500, "unparseable date 1384225500: a number, not a date"),
    (20200328, "unparseable date 20200328: a number, not a date"),
    ("November 2013", "unparseable date 'November 2013' (a day, month and year are needed)"),
])
def test_parse_published_says_why_a_date_is_refused(value, message):
    with pytest.raises(ValueError) as error:
        parse_published(value, today=TODAY)
    assert str(error.value).startswith(message), f"{value!r}: got {error.value}"


@pytest.mark.parametrize(("text", "lang"), [
    ("Pasukan pemerintah merebut kembali kota itu pada hari Senin, kata para aktivis.", "id"),
    ("Government forces retook the town on Monday, activists said.", "en"),
    ("Die Regierungstruppen haben die Stadt am Montag zurückerobert.", "de"),
    ("Les forces gouvernementales ont repris la ville lundi.", "fr"),
    ("Kerajaan Malaysia mengumumkan hari ini bahawa kerajaan akan menaikkan gaji.", "ms"),
    ("12345 !!!", "und"),
])
def test_detect_language(text, lang):
    assert detect_language(text) == lang
