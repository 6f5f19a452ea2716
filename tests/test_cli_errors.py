"""One error policy for the command line, checked on the installed `timeline` script.

Every user mistake gives one line on stderr that names the input and the fix, no
traceback (unless --debug), and the exit status documented in `--help`: 0 success,
1 partial failure with the outputs written, 2 usage error.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from cli_support import TIMELINE, one_line_error, timeline

ROOT = Path(__file__).resolve().parent.parent
SYSTEM_JSONL = ROOT / "fixtures" / "eval" / "system.jsonl"

GOOD_LINE = json.dumps({"id": "a", "text": "Pasukan Turki tewas di Idlib pada hari Minggu.",
                        "published": "2016-08-09", "lang": "id"})


# --- nothing to do, missing inputs: status 2 --------------------------------------


def test_build_of_a_missing_folder_fails_and_writes_nothing(tmp_path):
    out = tmp_path / "out"
    result = timeline("build", "no-such-folder", "-o", str(out), cwd=tmp_path)
    assert result.returncode == 2
    one_line_error(result, "no-such-folder", "not found")
    assert not out.exists()


def test_build_of_a_folder_without_corpus_files_says_what_was_ignored(tmp_path):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "a.tml").write_text("<TimeML/>", encoding="utf-8")
    result = timeline("build", "notes", "-o", "out", cwd=tmp_path)
    assert result.returncode == 2
    one_line_error(result, "notes", "a.tml", ".jsonl")


def test_eval_with_a_missing_system_file_fails(tmp_path):
    gold = ROOT / "fixtures" / "eval" / "gold.jsonl"
    result = timeline("eval", str(gold), "--system", "missing.jsonl", cwd=tmp_path)
    assert result.returncode == 2
    one_line_error(result, "missing.jsonl", "timeline tag")
    assert result.stdout == ""


def test_eval_with_a_missing_gold_file_fails(tmp_path):
    result = timeline("eval", "gold.jsonl", "--system", str(SYSTEM_JSONL), cwd=tmp_path)
    assert result.returncode == 2
    one_line_error(result, "gold.jsonl", "no such file")


def test_tag_of_a_missing_file_or_a_folder_is_one_line(tmp_path):
    result = timeline("tag", "nonexist.jsonl", cwd=tmp_path)
    assert result.returncode == 2
    one_line_error(result, "nonexist.jsonl", "no such file", "- for standard input")
    result = timeline("tag", str(tmp_path))
    assert result.returncode == 2
    one_line_error(result, "is a folder")


def test_tag_exits_non_zero_when_every_line_fails():
    result = timeline("tag", "-", stdin="not json\n[1, 2]\n")
    assert result.returncode == 2
    one_line_error(result, "no line could be tagged", "line 1")
    # each line still has its output line, with its error (CONVENTIONS.md)
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [bool(line["error"]) for line in lines] == [True, True]


def test_tag_with_no_documents_is_nothing_to_do():
    result = timeline("tag", "-", stdin="\n\n")
    assert result.returncode == 2
    one_line_error(result, "no documents")


def test_tag_with_some_bad_lines_is_a_partial_failure():
    result = timeline("tag", "-", stdin=GOOD_LINE + "\n{broken\n")
    assert result.returncode == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines[0]["timexes"] and lines[1]["error"]
    assert "1 with errors" in result.stderr and "Traceback" not in result.stderr


def test_export_and_render_of_a_missing_build_say_to_build_first(tmp_path):
    for command in ("export", "render"):
        result = timeline(command, str(tmp_path / "nonexist"))
        assert result.returncode == 2, command
        one_line_error(result, "nonexist", "timeline build")


# --- bad values: status 2 ----------------------------------------------------------


def test_an_impossible_publication_date_is_one_line_not_a_traceback():
    result = timeline("resolve", "kemarin", "--published", "2016-13-45", "--lang", "id")
    assert result.returncode == 2
    one_line_error(result, "--published", "2016-13-45", "ISO 8601")


def test_an_unknown_language_is_an_error_not_no_expression():
    result = timeline("resolve", "pada hari Minggu", "--published", "2016-08-09",
                      "--lang", "klingon")
    assert result.returncode == 2
    one_line_error(result, "--lang", "klingon", "not a language code")
    # a well-formed code that neither our rules nor dateparser read
    result = timeline("resolve", "pada hari Minggu", "--lang", "tlh")
    assert result.returncode == 2
    one_line_error(result, "tlh", "dateparser does not read it")


def test_an_unknown_language_in_a_tag_line_is_that_lines_error():
    line = json.dumps({"id": "k", "text": "pada hari Minggu", "lang": "klingon"})
    result = timeline("tag", "-", stdin=GOOD_LINE + "\n" + line + "\n")
    assert result.returncode == 1
    records = [json.loads(text) for text in result.stdout.splitlines()]
    assert "not a language code" in records[1]["error"]


def test_argparse_mistakes_are_one_line_too():
    result = timeline("resolve", "kemarin", "--date-order", "XYZ")
    assert result.returncode == 2
    one_line_error(result, "--date-order", "XYZ", "--help")


def test_debug_shows_the_traceback():
    result = timeline("--debug", "resolve", "kemarin", "--published", "2016-13-45")
    assert result.returncode == 2
    assert "Traceback" in result.stderr and "2016-13-45" in result.stderr


def test_help_documents_the_exit_status():
    for command in ("tag", "resolve", "eval", "build", "export", "render"):
        result = timeline(command, "--help")
        assert result.returncode == 0
        assert "exit status:" in result.stdout, command
        for status in ("0  success", "1  partial failure", "2  usage error"):
            assert status in result.stdout, (command, status)
    assert "exit status:" in timeline("--help").stdout


# --- what works: stdin, partial builds, pipes ----------------------------------------


def test_build_reads_json_lines_from_stdin(tmp_path):
    result = timeline("build", "-", "-o", "out", "--no-charts", stdin=GOOD_LINE + "\n",
                      cwd=tmp_path, process=True)  # the installed script, a real pipe
    assert result.returncode == 0, result.stderr
    assert "1 document, 1 event mention, 1 event" in result.stdout
    report = json.loads((tmp_path / "out" / "ingest_report.json").read_text(encoding="utf-8"))
    assert [e["input"] for e in report["entries"]] == ["-:line 1"]
    rows = (tmp_path / "out" / "chronology.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(rows[0])["earliest"] == "2016-08-07"


def test_build_with_a_failed_input_is_a_partial_failure_with_the_report_written(tmp_path):
    result = timeline("build", "-", "-o", "out", "--no-charts",
                      stdin=GOOD_LINE + "\n{broken\n", cwd=tmp_path)
    assert result.returncode == 1
    assert "failed -:line 2" in result.stderr and "Traceback" not in result.stderr
    report = json.loads((tmp_path / "out" / "ingest_report.json").read_text(encoding="utf-8"))
    assert report["counts"]["failed"] == 1 and report["counts"]["loaded"] == 1


def test_an_output_folder_that_cannot_be_made_is_one_line(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    result = timeline("build", "-", "-o", str(blocker / "out"), "--no-charts",
                      stdin=GOOD_LINE + "\n")
    assert result.returncode == 2
    one_line_error(result, str(blocker))


def test_a_closed_pipe_ends_quietly(tmp_path):
    big = tmp_path / "big.jsonl"
    line = json.dumps({"id": "x", "text": "Pada hari Minggu mereka tiba. " * 20,
                       "published": "2016-08-09", "lang": "id"})
    big.write_text((line + "\n") * 3000, encoding="utf-8")  # megabytes of output
    process = subprocess.Popen([*TIMELINE, "tag", str(big)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()  # `| head -1`
    process.stdout.close()
    stderr = process.stderr.read()
    assert process.wait(timeout=300) == 0
    assert json.loads(first)["id"] == "x"
    assert stderr == ""


@pytest.mark.parametrize("exc", [RuntimeError("boom\nsecond line")])
def test_an_internal_error_is_one_line_with_status_3(monkeypatch, capsys, exc):
    from timeline import cli, errors
    from timeline.cli import resolve as resolve_command

    def broken(args):
        raise exc

    monkeypatch.setattr(resolve_command, "run", broken)
    assert cli.main(["resolve", "kemarin"]) == errors.EXIT_INTERNAL
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert "internal error: RuntimeError: boom" in err and "--debug" in err
