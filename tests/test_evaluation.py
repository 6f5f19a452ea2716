"""`timeline eval`: reading gold (TimeML, JSON Lines), aligning spans, TempEval-3 scores.

Expected numbers are computed by hand in comments from the fixtures in
fixtures/eval/, so a change in the scoring shows up as a changed number.
"""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path

import pytest

try:
    import timeline
except ImportError as exc:  # pragma: no cover - only while the tagger is being written
    # The tagger (timeline.temporal) is written in parallel; evaluation does not need it
    # to score a system file, so stand in for it rather than skip these tests. The stand-in
    # is removed from sys.modules again so that other test modules see the real state.
    if exc.name != "timeline.temporal":
        raise
    _stub = types.ModuleType("timeline.temporal")

    def _not_available(*args, **kwargs):
        raise NotImplementedError("timeline.temporal is not available yet")

    _stub.tag = _stub.resolve = _stub.tag_document = _not_available
    _real = sys.modules.pop("timeline.temporal", None)
    sys.modules["timeline.temporal"] = _stub
    try:
        import timeline
    finally:
        del sys.modules["timeline.temporal"]
        if _real is not None:
            sys.modules["timeline.temporal"] = _real

from timeline.cli import main  # noqa: E402
from timeline.evaluation import (  # noqa: E402
    Annotation,
    GoldDocument,
    align,
    evaluate,
    load_gold,
    read_timeml,
    score,
)
from timeline.types import Timex  # noqa: E402

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "eval"
GOLD_JSONL = FIXTURES / "gold.jsonl"
SYSTEM_JSONL = FIXTURES / "system.jsonl"
TINY_TML = FIXTURES / "tml" / "tiny.tml"


def _timex(start: int, end: int, text: str, type_: str, value: str) -> Timex:
    return Timex(start, end, text, type_, value, None, None, "published")


# --------------------------------------------------------------------------- TimeML


def test_read_timeml_strips_nested_tags_and_offsets_index_the_plain_text():
    doc = read_timeml(TINY_TML)
    # <EVENT>, <SIGNAL> (nested inside EVENT, around a TIMEX3) are stripped, text kept;
    # &amp; is unescaped; the empty, non-consuming TIMEX3 t3 has no span and is skipped.
    assert doc.text == "Rebels broke the siege on Sunday & held for about two days."
    assert doc.id == "tml1"
    assert doc.published == "2016-08-09"  # from the DCT CREATION_TIME, not its text
    assert [(t.start, t.end, t.text, t.type, t.value, t.mod, t.tid) for t in doc.timexes] == [
        (23, 32, "on Sunday", "DATE", "2016-08-07", None, "t1"),
        (44, 58, "about two days", "DURATION", "P2D", "APPROX", "t2"),
    ]
    for timex in doc.timexes:
        assert doc.text[timex.start:timex.end] == timex.text


def test_load_gold_reads_a_folder_recursively_and_fills_in_lang():
    errors = []
    docs = load_gold(FIXTURES / "tml", lang="id", errors=errors)
    assert errors == []
    # sorted by path: tml/nested/no_dct.tml before tml/tiny.tml
    assert [doc.id for doc in docs] == ["no_dct", "tml1"]
    no_dct = docs[0]
    assert no_dct.published is None  # no DCT: the tagger gets no anchor
    assert no_dct.lang == "id"
    assert no_dct.text == "\nSejak 2011, harga naik.\n"
    assert [(t.start, t.end, t.value, t.mod) for t in no_dct.timexes] == [
        (7, 11, "2011", "ON_OR_AFTER")
    ]


def test_load_gold_jsonl_keeps_empty_published_as_none():
    docs = load_gold(GOLD_JSONL, errors=[])
    assert [(d.id, d.published, d.lang, len(d.timexes)) for d in docs] == [
        ("a", "2016-08-09", "en", 3),
        ("b", None, "en", 2),
    ]


# --------------------------------------------------------------------------- scoring


def test_score_fixture_by_hand():
    # gold (5):  a: Sunday[24:30] 2016-08-07, Monday[49:55] 2016-08-08, last week[78:87] 2016-W31
    #            b: early 2015[15:25] 2015 mod START, two years[37:46] P2Y
    # system (5): a: Sunday[24:30] ok            -> strict, right type/value/mod
    #                on Monday[46:55] 2016-08-08 -> relaxed only, right value
    #                12[61:63]                   -> spurious
    #                last week[78:87] 2016-W32   -> strict, wrong value
    #             b: early 2015[15:25] 2015, no mod -> strict, right value, wrong mod
    #                (two years)                 -> missed
    report = evaluate(GOLD_JSONL, SYSTEM_JSONL)
    total = report.total
    assert (total.gold, total.system, total.strict, total.relaxed) == (5, 5, 3, 4)
    assert (total.type_correct, total.value_correct, total.mod_correct) == (4, 3, 3)
    s = total.scores()
    # strict: P = 3/5, R = 3/5, F1 = 0.6
    assert (s["strict_precision"], s["strict_recall"]) == (pytest.approx(0.6), pytest.approx(0.6))
    assert s["strict_f1"] == pytest.approx(0.6)
    # relaxed: P = R = F1 = 4/5
    assert s["relaxed_f1"] == pytest.approx(0.8)
    # type: 4 right of 4 relaxed matches -> accuracy 1.0; attribute F1: P = 4/5, R = 4/5
    assert s["type_accuracy"] == pytest.approx(1.0)
    assert s["type_f1"] == pytest.approx(0.8)
    # value: 3 right of 4 -> accuracy 0.75; attribute P = 3/5, R = 3/5, F1 = 0.6
    assert s["value_accuracy"] == pytest.approx(0.75)
    assert (s["value_precision"], s["value_recall"], s["value_f1"]) == (
        pytest.approx(0.6), pytest.approx(0.6), pytest.approx(0.6))
    # mod: early 2015 lost its START -> 3 of 4, F1 = 3/5
    assert s["mod_accuracy"] == pytest.approx(0.75)
    assert s["mod_f1"] == pytest.approx(0.6)
    assert report.errors == []


def test_per_document_scores_by_hand():
    report = evaluate(GOLD_JSONL, SYSTEM_JSONL)
    a, b = (doc.counts.scores() for doc in report.documents)
    # a: gold 3, system 4, strict 2, relaxed 3, value right 2
    #    strict  P = 2/4, R = 2/3, F1 = 2*(1/2)(2/3) / (1/2 + 2/3) = (2/3)/(7/6) = 4/7
    #    relaxed P = 3/4, R = 3/3, F1 = 2*(3/4) / (7/4) = 6/7
    #    value   P = 2/4, R = 2/3, F1 = 4/7; accuracy 2/3
    assert (a["strict_precision"], a["strict_recall"], a["strict_f1"]) == (
        pytest.approx(1 / 2), pytest.approx(2 / 3), pytest.approx(4 / 7))
    assert (a["relaxed_precision"], a["relaxed_recall"], a["relaxed_f1"]) == (
        pytest.approx(3 / 4), pytest.approx(1.0), pytest.approx(6 / 7))
    assert a["value_f1"] == pytest.approx(4 / 7)
    assert a["value_accuracy"] == pytest.approx(2 / 3)
    # b: gold 2, system 1, strict 1: P = 1/1, R = 1/2, F1 = 2/3; mod wrong: P = R = F1 = 0
    assert (b["strict_precision"], b["strict_recall"], b["strict_f1"]) == (
        pytest.approx(1.0), pytest.approx(0.5), pytest.approx(2 / 3))
    assert (b["mod_precision"], b["mod_recall"], b["mod_f1"]) == (0.0, 0.0, 0.0)


def test_every_error_is_listed_with_doc_span_and_values():
    report = evaluate(GOLD_JSONL, SYSTEM_JSONL)
    assert [(d, t.start, t.end, t.text) for d, t in report.missed] == [("b", 37, 46, "two years")]
    assert [(d, t.start, t.end, t.text) for d, t in report.spurious] == [("a", 61, 63, "12")]
    assert [(d, m.gold.text, m.gold.value, m.system.value) for d, m in report.value_errors] == [
        ("a", "last week", "2016-W31", "2016-W32")
    ]
    assert [(d, m.gold.mod, m.system.mod) for d, m in report.mod_errors] == [("b", "START", None)]
    assert [(d, m.gold.text, m.system.text) for d, m in report.partial] == [
        ("a", "Monday", "on Monday")
    ]
    assert report.type_errors == []


def test_align_is_one_to_one_and_prefers_the_largest_overlap():
    gold = [Annotation(0, 10, "x" * 10, "DATE", "2016")]
    # both overlap the gold span; [2:10] overlaps by 8, [0:3] by 3
    system = [Annotation(0, 3, "xxx", "DATE", "2016"), Annotation(2, 10, "x" * 8, "DATE", "2016")]
    matches = align(gold, system)
    assert [(m.system.start, m.system.end) for m in matches] == [(2, 10)]
    result = score([GoldDocument("d", "x" * 10, timexes=gold)], {"d": system})
    # the other system span is spurious, not a second match: P = 1/2, R = 1/1, F1 = 2/3
    assert result.total.scores()["relaxed_f1"] == pytest.approx(2 / 3)
    assert [(t.start, t.end) for _, t in result.spurious] == [(0, 3)]


def test_identical_span_wins_over_a_longer_overlap():
    gold = [Annotation(5, 15, "g1", "DATE", "v"), Annotation(0, 20, "g2", "DATE", "v")]
    system = [Annotation(5, 15, "s1", "DATE", "v")]
    # g2 overlaps s1 by 10 too; the strict pair must be kept so strict recall is 1/2
    report = score([GoldDocument("d", "x" * 20, timexes=gold)], {"d": system})
    assert (report.total.strict, report.total.relaxed) == (1, 1)
    assert [t.text for _, t in report.missed] == ["g2"]


def test_gold_document_without_system_output_counts_as_all_missed():
    gold = [GoldDocument("d1", "on Sunday", timexes=[Annotation(3, 9, "Sunday", "DATE", "v")]),
            GoldDocument("d2", "today", timexes=[Annotation(0, 5, "today", "DATE", "v")])]
    report = score(gold, {"d1": [_timex(3, 9, "Sunday", "DATE", "v")], "zz": []})
    # gold 2, system 1, relaxed 1: P = 1/1, R = 1/2, F1 = 2/3
    assert report.total.scores()["relaxed_f1"] == pytest.approx(2 / 3)
    assert [t.text for _, t in report.missed] == ["today"]
    assert [(e.source, e.reason) for e in report.errors] == [
        ("system:d2", "no system output for this document"),
        ("system:zz", "no gold document with this id; ignored"),
    ]


def test_scores_are_undefined_not_zero_when_there_is_nothing_to_count():
    report = score([GoldDocument("empty", "nothing here")], {"empty": []})
    scores = report.total.scores()
    assert scores["strict_f1"] is None
    assert scores["value_accuracy"] is None


# --------------------------------------------------------------------------- bad input


def test_malformed_tml_is_reported_and_the_run_goes_on(capsys, monkeypatch):
    monkeypatch.setattr(timeline, "tag", lambda text, published=None, lang=None: [
        _timex(7, 11, "2011", "DATE", "2011")])
    assert main(["eval", str(FIXTURES / "mixed")]) == 1  # scored, without broken.tml
    out, err = capsys.readouterr()
    assert "documents: 1 " in out  # good.tml was scored
    assert "broken.tml" in err and "not well-formed XML" in err and "mismatched tag" in err

    errors = []
    docs = load_gold(FIXTURES / "mixed", errors=errors)
    assert [doc.id for doc in docs] == ["good"]
    assert len(errors) == 1 and errors[0].source.endswith("broken.tml")


def test_load_gold_warns_when_no_error_list_is_given():
    with pytest.warns(UserWarning, match="broken.tml"):
        docs = load_gold(FIXTURES / "mixed")
    assert [doc.id for doc in docs] == ["good"]


def test_bad_jsonl_gold_lines_are_reported_and_skipped(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join([
        '{"id": "ok", "text": "on Sunday", "timexes": '
        '[{"start": 3, "end": 9, "text": "Sunday", "type": "DATE", "value": "v"}]}',
        "{not json",
        '{"id": "no-timexes", "text": "x"}',
        '{"id": "off", "text": "abc", "timexes": [{"start": 1, "end": 9, "type": "DATE", '
        '"value": "v"}, {"start": 0, "end": 2, "text": "zz", "type": "DATE", "value": "v"}]}',
        '{"id": "ok", "text": "again", "timexes": []}',
    ]) + "\n", encoding="utf-8")
    errors = []
    docs = load_gold(gold, errors=errors)
    assert [(doc.id, len(doc.timexes)) for doc in docs] == [("ok", 1), ("off", 1)]
    reasons = [f"{e.source} {e.reason}" for e in errors]
    assert any(":2 " in r and "gold document skipped" in r for r in reasons)
    assert any(":3 " in r and "missing gold 'timexes'" in r for r in reasons)
    assert any(":4 " in r and "span outside the text" in r for r in reasons)
    assert any(":4 " in r and "offsets kept" in r for r in reasons)
    assert any(":5 " in r and "duplicate document id 'ok'" in r for r in reasons)


def test_missing_gold_path_is_an_error_not_a_crash(tmp_path, capsys):
    assert main(["eval", str(tmp_path / "nope.tml"), "--system", str(SYSTEM_JSONL)]) == 2
    out, err = capsys.readouterr()
    assert "nope.tml: no such file or folder" in err
    assert out == ""  # no table of zeros


# --------------------------------------------------------------------------- command line


def test_cli_prints_totals_per_doc_and_errors_and_writes_json(capsys, tmp_path):
    report_path = tmp_path / "report.json"
    code = main(["eval", str(GOLD_JSONL), "--system", str(SYSTEM_JSONL), "--per-doc",
                 "--errors", "--json", str(report_path)])
    assert code == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    # P, R, F1 (and accuracy) in percent, from test_score_fixture_by_hand
    assert lines[3].split() == ["strict", "60.00", "60.00", "60.00"]
    assert lines[4].split() == ["relaxed", "80.00", "80.00", "80.00"]
    assert lines[6].split() == ["value", "60.00", "60.00", "60.00", "75.00"]
    # per-doc: a: strict F1 4/7 = 57.14, relaxed F1 6/7 = 85.71
    assert any(line.split()[:5] == ["a", "3", "4", "57.14", "85.71"] for line in lines)
    assert "missed (1):" in out and "'two years'" in out
    assert "spurious (1):" in out and "'12'" in out
    assert "value errors (1):" in out and "2016-W31" in out and "2016-W32" in out
    assert err == ""

    data = json.loads(report_path.read_text(encoding="utf-8"))
    assert data["total"]["counts"] == {"gold": 5, "system": 5, "strict": 3, "relaxed": 4,
                                       "type_correct": 4, "value_correct": 3, "mod_correct": 3}
    assert data["total"]["scores"]["strict_f1"] == pytest.approx(0.6)
    assert [d["doc_id"] for d in data["documents"]] == ["a", "b"]
    assert data["missed"] == [{"doc_id": "b", "start": 37, "end": 46, "text": "two years",
                               "type": "DURATION", "value": "P2Y"}]
    assert [(s["doc_id"], s["text"]) for s in data["spurious"]] == [("a", "12")]
    [value_error] = data["value_errors"]
    assert value_error["doc_id"] == "a"
    assert (value_error["gold"]["start"], value_error["gold"]["end"]) == (78, 87)
    assert (value_error["gold"]["value"], value_error["system"]["value"]) == ("2016-W31",
                                                                              "2016-W32")
    assert data["errors"] == []


def test_cli_runs_the_tagger_on_gold_texts_when_no_system_file(capsys, monkeypatch):
    calls = []

    def fake_tag(text, published=None, lang=None):
        calls.append((text[:6], published, lang))
        if text.startswith("Rebels"):
            # "Sunday" inside gold "on Sunday" [23:32]: a relaxed-only match, right value
            return [_timex(26, 32, "Sunday", "DATE", "2016-08-07")]
        return []

    monkeypatch.setattr(timeline, "tag", fake_tag)
    assert main(["eval", str(FIXTURES / "tml"), "--lang", "en"]) == 0
    # the DCT is the anchor; no DCT gives None; --lang is passed on
    assert calls == [("\nSejak", None, "en"), ("Rebels", "2016-08-09", "en")]
    out, _ = capsys.readouterr()
    # gold 3 (2011, on Sunday, about two days), system 1, strict 0, relaxed 1:
    #   strict P = 0/1, R = 0/3, F1 = 0; relaxed P = 1/1, R = 1/3, F1 = 2*(1/3)/(4/3) = 0.5
    lines = out.splitlines()
    assert lines[3].split() == ["strict", "0.00", "0.00", "0.00"]
    assert lines[4].split() == ["relaxed", "100.00", "33.33", "50.00"]


def test_a_document_the_tagger_fails_on_is_reported_and_the_run_goes_on(capsys, monkeypatch):
    def fake_tag(text, published=None, lang=None):
        if "Sejak" in text:
            raise RuntimeError("boom")
        return [_timex(23, 32, "on Sunday", "DATE", "2016-08-07")]

    monkeypatch.setattr(timeline, "tag", fake_tag)
    assert main(["eval", str(FIXTURES / "tml"), "--per-doc"]) == 1  # partial: one doc failed
    out, err = capsys.readouterr()
    assert "tagger failed: RuntimeError: boom" in err
    assert "tml1" in out and "no_dct" in out
    # tml1: 1 strict of 2 gold -> strict F1 = 2*(1)(1/2)/(3/2) = 2/3
    assert any(line.split()[:4] == ["tml1", "2", "1", "66.67"] for line in out.splitlines())
