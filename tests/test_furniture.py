"""Page furniture: what a scraped page holds beside its article is set aside, counted
and findable, never dropped (fixtures/pages, written by hand, with expected.toml)."""

from __future__ import annotations

import json
import tomllib
from datetime import date
from pathlib import Path

import polars as pl
import pytest

import timeline
from timeline.corpus.furniture import (
    REASONS,
    find_furniture,
    line_hashes,
    mask,
    normalise_line,
    repeated_lines,
)

PAGES = Path(__file__).resolve().parent.parent / "fixtures" / "pages"
EXPECTED = tomllib.loads((PAGES / "expected.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def pages_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("pages")
    result = timeline.build([PAGES], out, charts=False)
    report = json.loads((out / "ingest_report.json").read_text(encoding="utf-8"))
    chronology = [json.loads(line) for line in (out / "chronology.jsonl").open(encoding="utf-8")]
    mentions = pl.read_parquet(out / "mentions.parquet")
    texts = {p.stem: p.read_text(encoding="utf-8") for p in PAGES.glob("*.txt")}
    return result, report, chronology, mentions, texts


def _spans(report, doc):
    entry = next(e for e in report["entries"] if e.get("id") == doc)
    return entry.get("set_aside", {}).get("furniture_spans", [])


@pytest.mark.parametrize("case", EXPECTED["furniture"], ids=lambda c: f"{c['doc']}:{c['line'][:30]}")
def test_each_furniture_line_is_set_aside_with_its_reason(pages_build, case):
    _, report, _, _, texts = pages_build
    text = texts[case["doc"]]
    start = text.index(case["line"])
    end = start + len(case["line"])
    covering = [s for s in _spans(report, case["doc"]) if s[0] <= start and end <= s[1]]
    assert covering, f"{case['doc']}: {case['line']!r} not set aside; spans {_spans(report, case['doc'])}"
    assert covering[0][2] == case["reason"], (case["line"], covering[0][2], case["reason"])


@pytest.mark.parametrize("case", EXPECTED["happening"], ids=lambda c: f"{c['doc']}:{c['day']}")
def test_the_article_s_happenings_are_entries_on_their_day(pages_build, case):
    _, _, chronology, _, _ = pages_build
    found = [e for e in chronology if case["words"] in e["summary"]
             and any(m["doc_id"] == case["doc"] for m in e["mentions"])]
    assert found, f"no entry holds {case['words']!r}"
    assert any(e["earliest"] == e["latest"] == case["day"] for e in found), \
        [(e["earliest"], e["latest"]) for e in found]


@pytest.mark.parametrize("case", EXPECTED["aside"], ids=lambda c: f"{c['doc']}:{c['tells']}")
def test_statements_that_tell_no_happening_are_listed_apart(pages_build, case):
    _, report, chronology, mentions, _ = pages_build
    rows = mentions.filter((pl.col("doc_id") == case["doc"])
                           & pl.col("text").str.contains(case["words"], literal=True))
    assert rows.height, f"{case['words']!r} is no mention"
    assert set(rows["tells"]) == {case["tells"]}
    assert rows["event_id"].null_count() == rows.height  # in no entry
    entry = next(e for e in report["entries"] if e.get("id") == case["doc"])
    assert entry["set_aside"]["statements"][case["tells"]] >= 1


@pytest.mark.parametrize("case", EXPECTED["absent"], ids=lambda c: c["words"])
def test_furniture_and_non_events_make_no_entry(pages_build, case):
    _, _, chronology, _, _ = pages_build
    assert not [e["summary"] for e in chronology if case["words"] in e["summary"]]


def test_the_chronology_spans_only_years_the_articles_tell_of(pages_build):
    _, _, chronology, _, _ = pages_build
    years = {e["earliest"][:4] for e in chronology} | {e["latest"][:4] for e in chronology}
    assert years <= {"2014", "2015", "2016", "2023", "2024"}, years


def test_the_report_counts_what_was_set_aside(pages_build):
    result, report, _, _, texts = pages_build
    counts = report["counts"]
    lines = sum(sum(e.get("set_aside", {}).get("furniture", {}).values())
                for e in report["entries"])
    statements = sum(sum(e.get("set_aside", {}).get("statements", {}).values())
                     for e in report["entries"])
    assert counts["furniture_lines"] == lines > 0
    assert counts["statements_set_aside"] == statements > 0
    assert "set aside" in result.report.summary()
    for entry in report["entries"]:  # every span is whole lines of its page, with a reason
        text = texts[entry["id"]]
        for start, end, reason in entry.get("set_aside", {}).get("furniture_spans", []):
            assert reason in REASONS
            assert start == 0 or text[start - 1] == "\n"
            assert end == len(text) or text[end] == "\n"


def test_keep_all_reads_the_furniture_and_merges_every_statement(tmp_path):
    result = timeline.build([PAGES], tmp_path, charts=False, keep_all=True)
    chronology = [json.loads(line) for line in (tmp_path / "chronology.jsonl").open()]
    told = {m["tells"] for e in chronology for m in e["mentions"]}
    assert {"furniture", "schedule", "nothing", "happening"} <= told
    assert any("1920" in e["summary"] for e in chronology)
    assert result.n_events > 16


# --- the parts, on text written here -----------------------------------------------


def test_lines_are_compared_whatever_their_case_digits_and_marks():
    assert normalise_line("  Se han publicado 41 comentarios »") == "se han publicado # comentarios"
    assert normalise_line("KOMENTAR (12)") == normalise_line("Komentar (3)")


def test_comments_open_only_once_the_article_has_begun():
    head = "12 comments\nRebels took the town on Monday.\n"
    article = "Rebels took the town on Monday after a siege of six weeks, " * 3
    assert not find_furniture(head)  # a count of comments under a headline is no section
    text = article + "\nComments\nGreat article.\nI disagree."
    (section,) = find_furniture(text)
    assert (section.reason, text[section.start:section.end]) == (
        "comments", "Comments\nGreat article.\nI disagree.")


def test_mask_blanks_furniture_and_keeps_every_offset():
    text = "Share this article\nTroops entered the city on Friday.\nTags: city"
    furniture = find_furniture(text)
    masked = mask(text, furniture)
    assert len(masked) == len(text) and masked.count("\n") == text.count("\n")
    assert masked.strip() == "Troops entered the city on Friday."


def _page(body: str) -> str:
    return f"Site menu\n{body}\n"


def test_a_teaser_on_pages_of_one_site_is_furniture_but_not_on_two():
    teaser = "Markets fall as the port closes"
    pages = [_page(f"{teaser}\nStory {n} about something else entirely today.")
             for n in range(3)]
    day = date(2023, 5, 1).toordinal()
    three = repeated_lines((line_hashes(p, "site"), day + 60 * n) for n, p in enumerate(pages))
    two = repeated_lines((line_hashes(p, "site"), day) for p in pages[:2])
    other_site = repeated_lines((line_hashes(p, f"site{n}"), day) for n, p in enumerate(pages))
    reasons = [f.reason for f in find_furniture(pages[0], site="site", repeated=three)]
    assert "repeated" in reasons
    assert not find_furniture(pages[0], site="site", repeated=two)
    assert not find_furniture(pages[0], site="site", repeated=other_site)


def test_a_story_told_again_within_days_is_no_furniture_but_over_months_it_is():
    paragraph = ("Wire story: fighters took control of the port and its terminal after a week "
                 "of street fighting that emptied the old town, the governor said on Monday.")
    headline = "Fighters seize the port"
    own = ["Schools stay closed.\nA storm is on its way.",
           "Bread prices rise.\nThe mayor resigns.", "Ferries are cancelled.\nSnow falls."]
    pages = [_page(f"{own[n]}\n{headline}\n{paragraph}") for n in range(3)]
    start = date(2023, 5, 1).toordinal()
    days_apart = repeated_lines((line_hashes(p, "s"), start + n) for n, p in enumerate(pages))
    months_apart = repeated_lines((line_hashes(p, "s"), start + 90 * n)
                                  for n, p in enumerate(pages))
    text = pages[0]
    kept = find_furniture(text, site="s", repeated=days_apart)
    # the menu is the site's; the story and its headline are not
    assert [text[f.start:f.end] for f in kept] == ["Site menu"]
    set_aside = find_furniture(text, site="s", repeated=months_apart)
    assert [text[f.start:f.end] for f in set_aside] == ["Site menu", f"{headline}\n{paragraph}"]


def test_near_copies_of_one_article_are_one_document_for_repetition(tmp_path):
    """Three syndicated copies of one article (other bylines) and no other page: its
    lines are in three documents but one copy group, so nothing is furniture."""
    article = ("Rebel fighters took control of the port of Tarsel on Wednesday after a week "
               "of heavy fighting in the old town and along the docks, the governor said.\n"
               "Dozens of families fled the old town on Tuesday night as the shelling grew "
               "heavier, aid workers said, and the road to the capital was closed.\n")
    rows = [{"id": f"c{n}", "text": f"Byline {n}\n{article}", "published": "2023-05-04",
             "source": "Same Site", "lang": "en"} for n in range(3)]
    corpus = tmp_path / "copies.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    timeline.build([corpus], tmp_path / "out", charts=False)
    report = json.loads((tmp_path / "out" / "ingest_report.json").read_text())
    assert report["counts"]["furniture_lines"] == 0
    assert sum(1 for e in report["entries"] if e.get("copy_of")) == 2


def test_the_command_line_keeps_everything_with_keep_all(tmp_path):
    from cli_support import timeline as run_timeline

    counts = {}
    for flag in ((), ("--keep-all",)):
        out = tmp_path / ("all" if flag else "default")
        done = run_timeline("build", str(PAGES), "-o", str(out), "--no-charts", "--quiet", *flag)
        assert done.returncode == 0, done.stderr
        chronology = [json.loads(line) for line in (out / "chronology.jsonl").open()]
        counts[bool(flag)] = len(chronology)
        said = " ".join(e["summary"] for e in chronology)
        assert ("1920" in said) is bool(flag)  # a reader's comment: kept only on request
    assert counts[True] > counts[False]
