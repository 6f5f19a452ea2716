"""Hostile and unlucky inputs: nothing escapes the corpus, nothing is lost, outputs are
written whole, one bad document or expression costs only itself.

Each test names the behaviour it pins; each failed on the engine before these
guards (a traceback, a hang, a file read from outside the corpus, a mixed set of
outputs, a dropped document).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import polars as pl
import pytest
from cli_support import timeline
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timeline import load_corpus
from timeline.characters import sanitise
from timeline.events import split_sentences
from timeline.events.mentions import extract_mentions
from timeline.limits import MAX_SENTENCE_CHARS, collected
from timeline.pipeline.driver import BUILD_OUTPUTS, build
from timeline.pipeline.outputs import STAGING_PREFIX, OutputLocked, Outputs
from timeline.types import Document

CLI = [sys.executable, "-m", "timeline.cli"]
OUTPUT_FILES = ("chronology.parquet", "chronology.csv", "chronology.jsonl", "chronology.md",
                "mentions.parquet", "mentions.csv", "ingest_report.json")

#: Two ordinary documents whose events must survive whatever else the corpus holds.
GOOD = [
    {"id": "good-id", "text": "Pada Senin (11/11/2013), konvoi bantuan tiba di Aleppo.",
     "published": "2013-11-12", "lang": "id", "source": "Sumber A"},
    {"id": "good-en", "text": "On Thursday, 34 soldiers were killed in Idlib.",
     "published": "2020-02-28", "lang": "en", "source": "Source B"},
]


def _write_jsonl(path: Path, rows: list[dict], raw_lines: tuple[str, ...] = ()) -> Path:
    lines = [json.dumps(row) for row in rows] + list(raw_lines)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _report(out: Path) -> dict:
    return json.loads((out / "ingest_report.json").read_text(encoding="utf-8"))


def _entry(report: dict, suffix: str) -> dict:
    found = [e for e in report["entries"] if e["input"].endswith(suffix)]
    assert len(found) == 1, (suffix, [e["input"] for e in report["entries"]])
    return found[0]


def _mention_docs(out: Path) -> set[str]:
    frame = pl.read_parquet(out / "chronology.parquet")
    return {m["doc_id"] for row in frame.iter_rows(named=True) for m in row["mentions"]}


def _assert_complete(report: dict) -> None:
    counts = report["counts"]
    assert counts["inputs"] == len(report["entries"]) == \
        counts["loaded"] + counts["duplicates"] + counts["failed"], counts
    assert counts["errors"] == sum(len(e.get("errors", [])) for e in report["entries"])


# --- 2. one bad character, one bad line -------------------------------------------


def test_lone_surrogates_and_nuls_in_text_source_and_id_do_not_stop_the_build(tmp_path):
    hostile = {"id": "bad\ud800id", "source": "Src\udfff\x00", "title": "T\x1b",
               "text": "Pada Selasa (12/11/2013) \ud800 pasukan \x00 mundur dari Homs.",
               "published": "2013-11-12", "lang": "id"}
    corpus = _write_jsonl(tmp_path / "in.jsonl", [*GOOD, hostile])
    build([corpus], tmp_path / "out", charts=False)
    report = _report(tmp_path / "out")
    _assert_complete(report)
    entry = _entry(report, "in.jsonl:line 3")
    assert entry["status"] == "loaded" and entry["id"] == "bad\ufffdid"
    assert "id: 1 lone surrogate replaced by U+FFFD" in entry["warnings"]
    assert "text: 1 lone surrogate replaced by U+FFFD; 1 control character replaced by a " \
           "space" in entry["warnings"]
    assert _mention_docs(tmp_path / "out") == {"good-id", "good-en", "bad\ufffdid"}
    for name in ("chronology.csv", "chronology.md", "chronology.jsonl"):
        data = (tmp_path / "out" / name).read_bytes()
        data.decode("utf-8")  # strict: valid UTF-8 throughout
        assert b"\x00" not in data and b"\x1b" not in data, name


def test_a_nul_far_into_a_text_file_is_replaced_not_written(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    filler = "Warga mengungsi ke utara. " * 6000  # past the 100 KB binary check
    (corpus / "a.txt").write_text(filler + "Pada Senin (11/11/2013) \x00 pasukan tiba di Hama.",
                                  encoding="utf-8")
    build([corpus], tmp_path / "out", charts=False)
    assert "text: 1 control character replaced by a space" in \
        _entry(_report(tmp_path / "out"), "a.txt")["warnings"]
    for name in ("chronology.csv", "chronology.md"):  # the summary; the headline in Markdown
        data = (tmp_path / "out" / name).read_bytes()
        assert b"asukan tiba di Hama" in data and b"\x00" not in data


@pytest.mark.parametrize("line, reason", [
    ('{"id": "deep", "text": ' + "[" * 200_000 + "]" * 200_000 + "}",
     "invalid JSON: nested too deeply"),
    ('{"id": "big", "text": "x", "n": ' + "9" * 5001 + "}", "invalid JSON: Exceeds the limit"),
])
def test_one_unreadable_json_line_fails_alone_and_the_good_lines_load(tmp_path, line, reason):
    corpus = _write_jsonl(tmp_path / "in.jsonl", GOOD[:1], (line,) + (json.dumps(GOOD[1]),))
    loaded = load_corpus([corpus])
    entries = {e.input.rsplit(":", 1)[1]: e for e in loaded.report.entries}
    assert entries["line 2"].status == "failed" and entries["line 2"].reason.startswith(reason)
    assert [d.id for d in loaded.documents] == ["good-en", "good-id"]


def test_timeline_tag_writes_every_line_when_an_id_holds_a_lone_surrogate():
    lines = [json.dumps({"id": "a\ud800", "text": "Pada hari Minggu.", "published": "2016-08-09",
                         "lang": "id"}),
             json.dumps({"id": "b", "text": "Late on Thursday.", "published": "2020-02-28",
                         "lang": "en"})]
    done = timeline("tag", "-", stdin="\n".join(lines) + "\n")
    assert done.returncode == 0, done.stderr
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a\ufffd", "b"]
    assert [t["value"] for o in out for t in o["timexes"]] == ["2016-08-07", "2020-02-27"]


# --- 3. the corpus stays inside its folder ---------------------------------------


@pytest.fixture
def secret(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text("RAHASIA: pada Senin (11/11/2013) kata sandi bocor.", encoding="utf-8")
    return path


def test_a_manifest_cannot_name_files_outside_the_corpus_folder(tmp_path, secret):
    corpus = tmp_path / "corpus" / "inner"
    corpus.mkdir(parents=True)
    (corpus / "a.txt").write_text(GOOD[0]["text"], encoding="utf-8")
    (corpus / "manifest.csv").write_text(
        "file,published\na.txt,2013-11-12\n../../secret.txt,2013-11-12\n"
        f"{secret.as_posix()},2013-11-12\n", encoding="utf-8")
    build([corpus], tmp_path / "out", charts=False)
    report = _report(tmp_path / "out")
    assert _entry(report, "manifest.csv:row 2")["reason"] == \
        "manifest names '../../secret.txt', outside the corpus folder: refused"
    assert _entry(report, "manifest.csv:row 3")["reason"].endswith(
        "outside the corpus folder: refused")
    assert report["counts"]["loaded"] == 1
    for name in ("chronology.md", "chronology.csv", "mentions.parquet"):
        assert b"RAHASIA" not in (tmp_path / "out" / name).read_bytes()


def test_symbolic_links_in_a_corpus_folder_are_not_followed_unless_asked(tmp_path, secret):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(GOOD[0]["text"], encoding="utf-8")
    (corpus / "link.txt").symlink_to(secret)
    (corpus / "folder").symlink_to(tmp_path, target_is_directory=True)
    refused = load_corpus([corpus])
    entries = {Path(e.input).name: e for e in refused.report.entries}
    assert entries["link.txt"].status == "failed"
    assert entries["link.txt"].reason.startswith("symbolic link: not followed")
    assert [Path(p).name for p, _ in refused.report.ignored] == ["folder"]
    assert not any("RAHASIA" in d.text for d in refused.documents)
    followed = load_corpus([corpus], follow_symlinks=True)
    assert any("RAHASIA" in d.text for d in followed.documents)


def test_the_same_refusals_on_the_command_line(tmp_path, secret):
    """A real `timeline build`: a FIFO (which would block for ever), a link to
    /dev/zero (which never ends), a link out of the corpus, a manifest reaching
    out, a line nested too deep: all refused with reasons, the rest built."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _write_jsonl(corpus / "docs.jsonl", GOOD, ('[' * 100_000,))
    os.mkfifo(corpus / "pipe.txt")
    (corpus / "zero.txt").symlink_to("/dev/zero")
    (corpus / "leak.txt").symlink_to(secret)
    (corpus / "manifest.csv").write_text("file\n../secret.txt\n", encoding="utf-8")
    done = timeline("build", str(corpus), "-o", str(tmp_path / "out"), "--no-charts",
                    "--follow-symlinks")
    assert done.returncode in (0, 1), done.stderr
    assert "Traceback" not in done.stderr
    report = _report(tmp_path / "out")
    _assert_complete(report)
    assert _entry(report, "pipe.txt")["reason"] == \
        "not a regular file (a FIFO (named pipe)): not read"
    assert _entry(report, "zero.txt")["reason"] == \
        "not a regular file (a character device): not read"
    assert _entry(report, "manifest.csv:row 1")["reason"].endswith("outside the corpus "
                                                                   "folder: refused")
    assert _entry(report, "docs.jsonl:line 3")["status"] == "failed"
    # --follow-symlinks reads the link to a regular file (the user asked for it)
    assert _entry(report, "leak.txt")["status"] == "loaded"
    assert {"good-id", "good-en"} <= _mention_docs(tmp_path / "out")


def test_building_twice_into_a_folder_inside_the_corpus_reads_no_output(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(GOOD[0]["text"], encoding="utf-8")
    first = build([corpus], corpus / "reports", charts=False)
    second = build([corpus], corpus / "reports", charts=False)
    report = _report(corpus / "reports")
    assert [Path(e["input"]).name for e in report["entries"]] == ["a.txt"]
    assert {"input": (corpus / "reports").as_posix(),
            "reason": "the output folder of this build: not an input"} in report["ignored"]
    assert first.n_documents == second.n_documents == 1


def test_a_build_given_its_own_output_folder_as_input_reads_nothing_from_it(tmp_path):
    (tmp_path / "in.jsonl").write_text(json.dumps(GOOD[0]) + "\n", encoding="utf-8")
    build([tmp_path / "in.jsonl"], tmp_path / "out", charts=False)
    build([tmp_path / "in.jsonl", tmp_path / "out"], tmp_path / "out", charts=False)
    report = _report(tmp_path / "out")
    assert report["counts"]["inputs"] == 1
    assert report["ignored"] == [{"input": (tmp_path / "out").as_posix(),
                                  "reason": "inside the output folder of this build: not "
                                            "an input"}]


# --- 4. one out-of-range expression is dropped, not its document ------------------


@pytest.mark.parametrize("expression, lang", [
    ("3000 tahun lalu", "id"), ("99999999999 tahun lalu", "id"), ("2500 years ago", "en"),
])
def test_an_expression_beyond_the_calendar_is_dropped_with_a_warning(tmp_path, expression,
                                                                     lang):
    dated = {"id": "Pada Senin (11/11/2013), pasukan tiba di Homs.",
             "en": "On Monday (11/11/2013), troops arrived in Homs."}[lang]
    doc = {"id": "far", "text": f"Kota itu dibangun {expression}. {dated}",
           "published": "2013-11-12", "lang": lang}
    build([_write_jsonl(tmp_path / "in.jsonl", [doc])], tmp_path / "out", charts=False)
    entry = _entry(_report(tmp_path / "out"), "line 1")
    assert entry["status"] == "loaded" and not entry.get("errors")
    assert any(w.startswith(f"expression '{expression}' dropped") and "outside the years "
               "1-9999" in w for w in entry["warnings"]), entry["warnings"]
    frame = pl.read_parquet(tmp_path / "out" / "chronology.parquet")
    assert set(frame["value"].to_list()) == {"2013-11-11"}  # the document's other date


@pytest.mark.parametrize("expression", ["3000 tahun lalu", "99999999999 tahun lalu"])
def test_timeline_resolve_of_an_expression_beyond_the_calendar_says_so(expression):
    done = timeline("resolve", expression, "--published", "2016-08-09", "--lang", "id")
    assert "Traceback" not in done.stderr
    assert done.returncode == 1
    assert "outside the years 1-9999" in done.stderr
    assert f"no temporal expression in {expression!r}" in done.stderr


def test_a_publication_instant_before_year_one_in_utc_keeps_its_document(tmp_path):
    doc = {"id": "early", "text": "Pada Senin (11/11/2013), pasukan tiba di Homs.",
           "published": "0001-01-01T00:00:00+14:00", "lang": "id"}
    build([_write_jsonl(tmp_path / "in.jsonl", [doc, GOOD[1]])], tmp_path / "out",
          charts=False)
    entry = _entry(_report(tmp_path / "out"), "line 1")
    assert entry["status"] == "loaded" and entry["published"] == "0001-01-01T00:00:00+14:00"
    # its statement is read, and listed: dated two thousand years after its publication
    # day, it tells a schedule, kept out of the chronology
    mentions = pl.read_parquet(tmp_path / "out" / "mentions.parquet")
    early = mentions.filter(pl.col("doc_id") == "early")
    assert early["tells"].to_list() == ["schedule"] and early["event_id"].to_list() == [None]
    assert _mention_docs(tmp_path / "out") == {"good-en"}


def test_a_document_failing_in_a_later_stage_is_reported_and_the_others_go_on(tmp_path):
    def tagger(document):
        if document.id == "good-en":
            raise RecursionError("maximum recursion depth exceeded")
        from timeline.temporal import tag_document
        return tag_document(document)

    build([_write_jsonl(tmp_path / "in.jsonl", GOOD)], tmp_path / "out", charts=False,
          tagger=tagger)
    report = _report(tmp_path / "out")
    assert _entry(report, "line 2")["errors"] == [
        {"stage": "tag", "reason": "RecursionError: maximum recursion depth exceeded"}]
    assert report["counts"]["errors"] == 1 and report["counts"]["loaded"] == 2
    assert _mention_docs(tmp_path / "out") == {"good-id"}


# --- 6. outputs: all or nothing, one build at a time, no link followed ----------------


@pytest.fixture
def built(tmp_path):
    corpus = _write_jsonl(tmp_path / "in.jsonl", GOOD)
    build([corpus], tmp_path / "out")
    return corpus, tmp_path / "out"


def _snapshot(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in out.iterdir() if not p.name.startswith(".")}


def test_a_build_failing_while_writing_leaves_the_previous_outputs_as_they_were(built,
                                                                                monkeypatch):
    corpus, out = built
    before = _snapshot(out)
    # every output but the page's data folder, which only a page too large to hold its
    # data gets
    assert set(before) == set(BUILD_OUTPUTS) - {"timeline-data"}

    def broken_markdown(frame):
        raise OSError("disk full")

    # the Markdown is written after the Parquet, CSV and JSON Lines
    monkeypatch.setattr("timeline.chronology.writers.markdown", broken_markdown)
    _write_jsonl(corpus, GOOD[:1])
    with pytest.raises(OSError, match="disk full") as failure:
        build([corpus], out)
    assert any("are those of the previous run, left as they were" in note
               for note in failure.value.__notes__)
    assert _snapshot(out) == before
    assert not list(out.glob(STAGING_PREFIX + "*"))


def test_a_second_build_into_a_folder_in_use_is_refused(built):
    corpus, out = built
    before = _snapshot(out)
    with Outputs(out):
        with pytest.raises(OutputLocked, match="another build is writing into"):
            build([corpus], out)
        done = subprocess.run([*CLI, "build", str(corpus), "-o", str(out), "--no-charts"],
                              capture_output=True, text=True, timeout=300)
    assert done.returncode == 2 and "another build is writing into" in done.stderr
    assert _snapshot(out) == before


def test_a_page_the_new_build_does_not_produce_is_removed(built):
    corpus, out = built
    assert (out / "timeline.html").exists()
    build([corpus], out, charts=False)
    assert not (out / "timeline.html").exists()
    assert set(_snapshot(out)) == set(OUTPUT_FILES)


def test_a_planted_symbolic_link_in_the_output_folder_is_replaced_not_followed(built, tmp_path):
    corpus, out = built
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    for name in ("chronology.md", "timeline.html", ".timeline.lock"):
        (out / name).unlink(missing_ok=True)  # no lock file stays after a build
        (out / name).symlink_to(victim)
    build([corpus], out)
    assert victim.read_text(encoding="utf-8") == "keep me"
    for name in ("chronology.md", "timeline.html"):
        assert not (out / name).is_symlink() and (out / name).stat().st_size > 100


def test_a_killed_build_is_cleaned_up_by_the_next_and_said(built):
    corpus, out = built
    leftover = out / f"{STAGING_PREFIX}killed"
    leftover.mkdir()
    (leftover / "chronology.md").write_text("half", encoding="utf-8")
    result = build([corpus], out)
    assert not leftover.exists()
    assert any("did not finish; its partial files were discarded" in n for n in result.notes)
    assert (out / "chronology.md").read_text(encoding="utf-8") != "half"


def test_a_build_killed_while_moving_its_files_is_completed_by_the_next(tmp_path):
    out = tmp_path / "out"
    with Outputs(out, owned=("a.txt", "b.txt", "c.txt")) as outputs:
        for name in ("a.txt", "b.txt", "c.txt"):
            outputs.path(name).write_text("old", encoding="utf-8")
        outputs.commit()
    # what a run killed after moving a.txt leaves: its journal, b.txt still staged
    staging = out / f"{STAGING_PREFIX}moving"
    staging.mkdir()
    (out / "a.txt").write_text("new", encoding="utf-8")
    (staging / "b.txt").write_text("new", encoding="utf-8")
    (staging / ".moves.json").write_text(json.dumps({"kind": "timeline moves",
                                                     "moves": ["a.txt", "b.txt"],
                                                     "removals": ["c.txt"]}))
    with Outputs(out, owned=("a.txt", "b.txt", "c.txt")) as outputs:
        assert outputs.notes == [f"a previous run into {out} was interrupted while moving its "
                                 "files into place; its moves were completed"]
    assert {p.name: p.read_text() for p in out.iterdir() if not p.name.startswith(".")} == \
        {"a.txt": "new", "b.txt": "new"}


def test_an_output_folder_that_is_a_symbolic_link_is_refused(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real", target_is_directory=True)
    corpus = _write_jsonl(tmp_path / "in.jsonl", GOOD)
    done = timeline("build", str(corpus), "-o", str(tmp_path / "link"), "--no-charts")
    assert done.returncode == 2 and "is a symbolic link" in done.stderr
    assert list((tmp_path / "real").iterdir()) == []


# --- 9. flooding ------------------------------------------------------------------


def test_three_thousand_identical_dated_sentences_are_one_event(tmp_path):
    flood = {"id": "flood", "text": "Pasukan tiba di Idlib pada Rabu (21/10). " * 3000,
             "published": "2015-10-22", "lang": "id"}
    result = build([_write_jsonl(tmp_path / "in.jsonl", [flood, GOOD[1]])], tmp_path / "out",
                   charts=False)
    assert (result.n_mentions, result.n_events) == (2, 2)
    assert "2999 repeated statements (same words, same date) collapsed into the first " \
           "mention" in _entry(_report(tmp_path / "out"), "line 1")["warnings"]


# --- 1. work per date bounded by its sentence ------------------------------------------


def test_the_cues_of_a_sentence_are_found_once_whatever_its_number_of_dates(monkeypatch):
    from timeline.events.vocabulary import load_vocabulary
    from timeline.temporal import tag

    vocab = load_vocabulary()
    calls = []
    reporting = type(vocab.reporting)
    original = reporting.finditer

    def counting(self, *args, **kwargs):
        if self is vocab.reporting:
            calls.append(args[1:])
        return original(self, *args, **kwargs)

    monkeypatch.setattr(reporting, "finditer", counting)
    for n in (1, 50):
        text = "SOHR melaporkan " + "Rabu (21/10), " * n + "pasukan mundur."
        doc = Document("d", text, lang="id")
        calls.clear()
        extract_mentions(doc, tag(text, published="2015-10-22", lang="id"), vocab)
        assert len(calls) == 1, (n, len(calls))


def test_a_line_without_full_stops_is_cut_into_bounded_sentences():
    text = "kata " * 10_000 + "akhir."
    with collected() as notes:
        sentences = split_sentences(text, "id")
    assert max(s.end - s.start for s in sentences) <= MAX_SENTENCE_CHARS
    assert text[sentences[-1].start:sentences[-1].end].endswith("akhir.")
    # pieces cover the line, only spaces between them
    assert all(not text[a.end:b.start].strip() for a, b in
               zip(sentences, sentences[1:], strict=False))
    assert notes == ["1 sentence longer than 2,000 characters cut into pieces at spaces "
                     "(limit sentence_chars)"]


def test_a_long_run_of_periods_splits_like_a_short_one():
    short = split_sentences("Dia tiba... Lalu pergi.", "id")
    assert [(s.start, s.end) for s in short] == [(0, 11), (12, 23)]
    text = "Dia tiba" + "." * 200_000 + " Lalu pergi."
    sentences = split_sentences(text, "id")
    assert (sentences[-1].start, sentences[-1].end) == (200_009, 200_020)
    assert sentences[0].start == 0 and sentences[-2].end == 200_008
    assert max(s.end - s.start for s in sentences) <= MAX_SENTENCE_CHARS


# --- the property: whatever one document holds, the others reach the chronology --------

DATE_WORDS = ["3000 tahun lalu", "99999999999 tahun lalu", "2500 years ago", "1500 years ago",
              "Rabu (21/10)", "Senin (11/11/2013)", "kemarin", "keesokan harinya", "31/02/2016",
              "1 Januari 20016", "0001-01-01", "9999-12-31", "abad ke-99", "tahun 0000",
              "minggu ke-53 tahun 9999", "musim dingin 9999", "pukul 25.61", "1e308"]
HOSTILE_CHARS = ["\ud800", "\udfff", "\x00", "\x1b", "\r", "\u2028", "\ufeff", "\u0301", "«",
                 "“", ".", "\n", "[", "{"]
hostile_text = st.lists(
    st.one_of(st.sampled_from(DATE_WORDS), st.sampled_from(HOSTILE_CHARS),
              st.integers(min_value=-10**30, max_value=10**30).map(str),
              st.text(max_size=8)),
    max_size=40).map(" ".join)
hostile_published = st.sampled_from(["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00",
                                     "", "kapan", "1e20", "2013-11-12", "\ud800"])
hostile_line = st.sampled_from(["", "[" * 50_000, '{"text": ' + "9" * 5001 + "}", "\x00",
                                '{"text": "\\ud800", "id": "\\udfff"}', "null", '{"text": []}'])


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=hostile_text, published=hostile_published, extra=hostile_line,
       as_id=st.booleans())
def test_whatever_one_document_holds_the_others_reach_the_chronology(text, published, extra,
                                                                     as_id):
    hostile = {"id": text if as_id else "hostile", "text": text, "published": published,
               "source": text[:20]}
    with tempfile.TemporaryDirectory() as folder:
        corpus = _write_jsonl(Path(folder) / "in.jsonl", [GOOD[0], hostile, GOOD[1]], (extra,))
        build([corpus], Path(folder) / "out", charts=False)
        report = _report(Path(folder) / "out")
        _assert_complete(report)
        assert report["counts"]["inputs"] >= 3
        assert {"good-id", "good-en"} <= _mention_docs(Path(folder) / "out")
        for name in OUTPUT_FILES:
            assert (Path(folder) / "out" / name).exists(), name


def test_sanitise_keeps_every_offset():
    text = "a\ud800b\x00c\nd\te\x7f\x9f"
    clean, note = sanitise(text)
    assert len(clean) == len(text) and clean == "a\ufffdb c\nd\te  "
    assert note == "1 lone surrogate replaced by U+FFFD; 3 control characters replaced by spaces"


# --- 1. large inputs: bounded extraction, streamed tables -----------------------------


def test_a_large_page_is_stripped_and_cut_before_extraction_with_a_warning(tmp_path,
                                                                           monkeypatch):
    monkeypatch.setattr("timeline.corpus.formats.MAX_HTML_BYTES", 60_000)
    paragraphs = "".join(f"<p>Paragraf {i}: pasukan bergerak ke utara menuju kota "
                         f"berikutnya pada pagi hari.</p>\n" for i in range(1500))
    page = ("<html><head><title>Laporan</title><script>" + "var x = 'SKRIP';" * 10_000
            + "</script><style>" + "p{color:red}" * 5_000 + "</style></head><body>"
            "<article>" + paragraphs + "</article></body></html>")
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    corpus = load_corpus([tmp_path / "page.html"])
    (entry,) = corpus.report.entries
    assert entry.status == "loaded", entry
    (warning,) = [w for w in entry.warnings if "(limit html_bytes)" in w]
    assert warning.startswith("page of ") and "only the first " in warning
    text = corpus.documents[0].text
    assert "Paragraf 0:" in text and "SKRIP" not in text and "Paragraf 1499:" not in text


def test_a_parquet_file_is_read_in_batches_across_row_groups(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [{"id": f"r{i:03d}", "text": f"Laporan nomor {i} dari Aleppo.",
             "published": "2013-11-12"} for i in range(100)]
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "t.parquet", row_group_size=7)
    corpus = load_corpus([tmp_path / "t.parquet"])
    assert [e.input.rsplit(":", 1)[1] for e in corpus.report.entries] == \
        [f"row {i}" for i in range(1, 101)]
    assert [d.id for d in corpus.documents] == [r["id"] for r in rows]
    assert {d.text for d in corpus.documents} == {r["text"] for r in rows}


def test_an_atomic_write_replaces_a_planted_link_and_leaves_its_target(tmp_path):
    from timeline.pipeline.outputs import write_atomically

    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    (tmp_path / "out.json").symlink_to(victim)
    write_atomically(tmp_path / "out.json", b"{}")
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert not (tmp_path / "out.json").is_symlink()
    assert (tmp_path / "out.json").read_bytes() == b"{}"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json", "victim.txt"]


def test_what_date_inference_drops_is_reported_not_printed(tmp_path, recwarn):
    (tmp_path / "a.txt").write_text("Sejak 3000 tahun lalu kota ini berdiri. Pada Senin "
                                    "(11/11/2013) pasukan tiba.", encoding="utf-8")

    def tagger(text, published=None, lang=None):
        from timeline.limits import warn
        warn("expression 'x' dropped (rule r): OutOfRange: test")
        return []

    corpus = load_corpus([tmp_path], tagger=tagger)
    assert corpus.report.warnings == ("date inference: expression 'x' dropped (rule r): "
                                      "OutOfRange: test",)
    assert not [w for w in recwarn if "dropped" in str(w.message)]
