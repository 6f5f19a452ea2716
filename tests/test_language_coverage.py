"""Language detection that fits news: short Indonesian texts, and languages nothing reads.

py3langid calls many Indonesian headlines Malay (the two share most words); the
Indonesian rules cover Malay (``covers`` in lang/id/temporal.toml), so such texts
are read with them and reported as Indonesian unless the model is clearly sure of
Malay. A language that neither our rules nor dateparser read is a warning in the
ingest report, not a silent empty result.
"""

from __future__ import annotations

import json

import pytest
from cli_support import timeline as run_timeline

import timeline
from timeline.lang import FALLBACK_NOTE, language_support, rules_language
from timeline.lang.detect import detect_language

# Headlines and one-line sentences written for these tests.
SHORT_INDONESIAN = [
    "Awal bulan ini, mereka merebut kota itu.",
    "Pasukan Turki tewas di Idlib",
    "Harga beras naik lagi menjelang Lebaran",
    "Presiden resmikan jalan tol baru pekan lalu",
]


def test_a_short_indonesian_sentence_without_lang_is_tagged_with_the_indonesian_rules():
    [timex] = timeline.tag("Awal bulan ini, mereka merebut kota itu.", published="2019-04-22")
    # "this month" said on 2019-04-22 is April 2019; "awal" (early) narrows it to its start
    assert (timex.text, timex.value, timex.mod, timex.lang) == \
        ("Awal bulan ini", "2019-04", "START", "id")


@pytest.mark.parametrize("text", SHORT_INDONESIAN)
def test_short_indonesian_texts_are_detected_as_indonesian(text):
    assert detect_language(text) == "id"


def test_malay_is_read_by_the_indonesian_rules():
    assert rules_language("ms") == "id"
    assert language_support("ms") == "rules"
    # Malay given explicitly stays Malay, and is read all the same
    [timex] = timeline.tag("Harga minyak naik awal bulan ini.", published="2019-04-22",
                           lang="ms")
    assert (timex.value, timex.mod) == ("2019-04", "START")


def test_a_headline_csv_without_a_language_column_builds_its_events(tmp_path):
    (tmp_path / "headlines.csv").write_text(
        "id,published,title\n"
        "h1,2019-04-22,Awal bulan ini pasukan pemerintah merebut kota Idlib\n"
        "h2,2019-04-23,Pasukan pemerintah merebut kota Idlib awal bulan ini\n",
        encoding="utf-8")
    result = run_timeline("build", "headlines.csv", "-o", "out", "--no-charts",
                          "--text-col", "title", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads((tmp_path / "out" / "ingest_report.json").read_text(encoding="utf-8"))
    assert [e["lang"] for e in report["entries"]] == ["id", "id"]
    assert report["counts"]["warnings"] == 0
    rows = (tmp_path / "out" / "chronology.jsonl").read_text(encoding="utf-8").splitlines()
    assert rows, "no event built from Indonesian headlines"
    assert json.loads(rows[0])["earliest"] == "2019-04-01"


def test_a_document_nothing_can_read_is_a_warning_in_the_ingest_report(tmp_path):
    lines = [
        # given: a well-formed code that neither the rules nor dateparser read
        {"id": "given", "text": "Qapla' 7 tlhIb 2016.", "lang": "tlh",
         "published": "2016-08-09"},
        # detected: Latin, which dateparser does not read
        {"id": "latin", "text": "Gallia est omnis divisa in partes tres, quarum unam "
                                "incolunt Belgae, aliam Aquitani.", "published": "2016-08-09"},
        {"id": "fine", "text": "Pasukan Turki tewas di Idlib pada hari Minggu.",
         "published": "2016-08-09"},
    ]
    path = tmp_path / "docs.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    corpus = timeline.load_corpus([path])
    warnings = {entry.id: entry.warnings for entry in corpus.report.entries}
    assert any("'tlh' (given)" in w and "dateparser does not read it" in w
               for w in warnings["given"])
    assert any("'la' (detected)" in w for w in warnings["latin"])
    assert warnings["fine"] == ()
    assert corpus.report.counts()["warnings"] == 2
    # the documents are still loaded, and tagging them finds nothing rather than failing
    by_id = {doc.id: doc for doc in corpus.documents}
    assert timeline.tag_document(by_id["given"]) == []


def test_tag_refuses_a_language_nothing_reads():
    with pytest.raises(ValueError, match="not a language code"):
        timeline.tag("pada hari Minggu", lang="klingon")
    with pytest.raises(ValueError, match="dateparser does not read it"):
        timeline.tag("pada hari Minggu", lang="tlh")


def test_the_ingest_report_says_which_documents_only_the_fallback_read(tmp_path):
    lines = [
        # German has no folder of its own: dateparser's fallback reads it
        {"id": "german", "text": "Gestern trafen sich die Minister in Berlin.", "lang": "de",
         "published": "2019-04-22"},
        {"id": "spanish", "text": "Ayer se reunieron los ministros en Madrid.", "lang": "es",
         "published": "2019-04-22"},
        {"id": "malay", "text": "Semalam menteri bertemu di Kuala Lumpur.", "lang": "ms",
         "published": "2019-04-22"},
    ]
    path = tmp_path / "docs.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    result = run_timeline("build", "docs.jsonl", "-o", "out", "--no-charts", "--quiet",
                          cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads((tmp_path / "out" / "ingest_report.json").read_text(encoding="utf-8"))
    entries = {e["id"]: e for e in report["entries"]}
    assert {key: e["read_by"] for key, e in entries.items()} == \
        {"german": "dateparser", "spanish": "rules", "malay": "rules"}
    assert [w for w in entries["german"]["warnings"] if "dateparser fallback only" in w]
    assert entries["spanish"]["warnings"] == entries["malay"]["warnings"] == []


def test_a_tag_line_read_only_by_the_fallback_says_so():
    lines = [json.dumps({"id": "de", "text": "Gestern trafen sich die Minister.",
                         "published": "2019-04-22", "lang": "de"}),
             json.dumps({"id": "fr", "text": "Hier, les ministres se sont réunis.",
                         "published": "2019-04-22", "lang": "fr"})]
    result = run_timeline("tag", "-", stdin="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    german, french = (json.loads(line) for line in result.stdout.splitlines())
    assert german["timexes"][0]["rule"] == "dateparser"
    assert german["warnings"] == [f"lang 'de': {FALLBACK_NOTE}"]
    assert french["timexes"][0]["rule"] != "dateparser" and "warnings" not in french
