"""`timeline tag` and `timeline resolve` on the command line (CONVENTIONS.md)."""

from __future__ import annotations

import io
import json
import subprocess
import sys

from timeline.cli import main


def _run(argv, stdin_text, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin_text))
    code = main(argv)
    out = capsys.readouterr()
    return code, [json.loads(line) for line in out.out.splitlines()], out.err


def test_tag_writes_one_line_per_document_in_order(monkeypatch, capsys):
    docs = [
        {"id": "000", "text": "Audio itu beredar pada hari Minggu.", "published": "2016-08-09",
         "lang": "id"},
        {"id": "004", "text": "Late on Thursday, 34 soldiers were killed.",
         "published": "2020-02-28T09:30:00+03:00", "lang": "en"},
        {"id": "nopub", "text": "Pada hari Minggu."},
    ]
    code, lines, _ = _run(["tag", "-"], "".join(json.dumps(d) + "\n" for d in docs),
                          monkeypatch, capsys)
    assert code == 0
    assert [line["id"] for line in lines] == ["000", "004", "nopub"]
    first = lines[0]["timexes"][0]
    assert (first["start"], first["end"], first["text"]) == (23, 34, "hari Minggu")
    assert docs[0]["text"][first["start"]:first["end"]] == first["text"]
    assert (first["type"], first["value"], first["earliest"], first["latest"], first["anchor"]) \
        == ("DATE", "2016-08-07", "2016-08-07", "2016-08-07", "published")
    late = lines[1]["timexes"][0]
    assert (late["text"], late["value"], late["mod"]) == ("Late on Thursday", "2020-02-27", "END")
    # No publication date: the language is detected, the weekday stays unresolved.
    assert lines[2]["timexes"][0]["value"] == "XXXX-WXX-7"
    assert lines[2]["timexes"][0]["anchor"] == "none"


def test_tag_bad_lines_get_an_error_and_the_run_goes_on(monkeypatch, capsys):
    stdin = "\n".join([
        '{"id": "a", "text": "kemarin", "published": "2016-08-09", "lang": "id"}',
        '{"id": "b", "text": ',                                  # broken JSON
        '["not", "an", "object"]',
        '{"id": "c", "published": "2016-08-09"}',                 # no text
        '{"id": "d", "text": "kemarin", "published": "31/02/2016"}',  # impossible date
        '{"id": "e", "text": "besok", "published": "2016-08-09", "lang": "id"}',
    ]) + "\n"
    code, lines, err = _run(["tag", "-"], stdin, monkeypatch, capsys)
    assert code == 1  # partial failure: every line written, the bad ones with their error
    assert [line["id"] for line in lines] == ["a", "line:2", "line:3", "c", "d", "e"]
    assert lines[0]["timexes"][0]["value"] == "2016-08-08"
    assert lines[5]["timexes"][0]["value"] == "2016-08-10"
    for line in lines[1:5]:
        assert line["timexes"] == [] and line["error"]
    assert "impossible date '31/02/2016'" in lines[4]["error"]
    assert "missing or non-string 'text'" in lines[3]["error"]
    assert "4 with errors" in err


def test_tag_reads_a_file(tmp_path, capsys):
    path = tmp_path / "docs.jsonl"
    path.write_text('{"id": "x", "text": "Pada Senin (11/11/2013).", "lang": "id"}\n',
                    encoding="utf-8")
    assert main(["tag", str(path)]) == 0
    line = json.loads(capsys.readouterr().out)
    assert line["timexes"][0]["value"] == "2013-11-11"
    assert line["timexes"][0]["anchor"] == "absolute"


def test_resolve_prints_one_value(capsys):
    assert main(["resolve", "pada hari Minggu", "--published", "2016-08-09", "--lang", "id"]) == 0
    assert capsys.readouterr().out.strip() == "2016-08-07"
    assert main(["resolve", "awal bulan ini", "--published", "2019-04-22", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["value"], data["mod"], data["earliest"], data["latest"]) == \
        ("2019-04", "START", "2019-04-01", "2019-04-10")


def test_resolve_without_expression_fails_clearly(capsys):
    assert main(["resolve", "tidak ada tanggal di sini", "--lang", "id"]) == 1
    assert "no temporal expression" in capsys.readouterr().err


def test_console_script_is_installed():
    result = subprocess.run([sys.executable, "-m", "timeline.cli", "resolve", "kemarin",
                             "--published", "2020-03-01", "--lang", "id"],
                            capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "2020-02-29"


def test_other_languages_go_to_dateparser():
    from timeline import tag

    timexes = tag("Die Waffenruhe begann am 27. Februar 2016 in Syrien.",
                  published="2016-03-01", lang="de")
    assert timexes, "dateparser found nothing"
    timex = timexes[0]
    assert timex.rule == "dateparser" and timex.lang == "de"
    assert timex.value == "2016-02-27"
    assert "Die" not in [t.text for t in timexes]
    text = "Die Waffenruhe begann am 27. Februar 2016 in Syrien."
    assert text[timex.start:timex.end] == timex.text


def test_tag_gives_the_same_lines_whatever_the_number_of_workers(tmp_path, monkeypatch, capsys):
    import timeline.pipeline.lines as lines_module

    monkeypatch.setattr(lines_module, "BATCH_LINES", 2)  # several batches from a few lines
    docs = [{"id": f"d{i}", "text": f"Pada hari Minggu, {i} orang tiba. Kemarin hujan.",
             "published": f"2016-08-{9 + i:02d}", "lang": "id"} for i in range(7)]
    path = tmp_path / "docs.jsonl"
    path.write_text("".join(json.dumps(d) + "\n" for d in docs) + "not json\n",
                    encoding="utf-8")
    outputs = []
    for workers in ("1", "2"):
        assert main(["tag", str(path), "--workers", workers]) == 1  # the bad line
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1]
    rows = [json.loads(line) for line in outputs[0].splitlines()]
    assert [r["id"] for r in rows] == [f"d{i}" for i in range(7)] + ["line:8"]
    assert rows[3]["timexes"][0]["value"] == "2016-08-07"  # Sunday before 2016-08-12
