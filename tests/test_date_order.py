"""One publication-date parser for tag, resolve, build and the API, with --date-order.

ISO 8601 is read as such; other numeric dates in the order asked for (day first
by default), and never in the other order when the asked one gives no date.

Calendar used below: 2016-08-09 is a Tuesday, so "hari Minggu" (Sunday) said that
day is 2016-08-07; 2016-09-08 is a Thursday, its Sunday before is 2016-09-04.
"""

from __future__ import annotations

import json

import pytest
from cli_support import one_line_error, timeline

import timeline as api

SUNDAY = "Pasukan Turki tewas di Idlib pada hari Minggu."


def _values(timexes) -> list[str]:
    return [t.value for t in timexes]


def test_the_api_reads_numeric_dates_in_the_order_asked_for():
    assert _values(api.tag(SUNDAY, published="09/08/2016", lang="id")) == ["2016-08-07"]
    assert _values(api.tag(SUNDAY, published="08/09/2016", lang="id", date_order="MDY")) \
        == ["2016-08-07"]
    assert _values(api.tag(SUNDAY, published="08/09/2016", lang="id")) == ["2016-09-04"]
    assert api.resolve("pada hari Minggu", published="08/09/2016", lang="id",
                       date_order="MDY").value == "2016-08-07"
    # ISO 8601 whatever the order
    assert _values(api.tag(SUNDAY, published="2016-08-09", lang="id", date_order="MDY")) \
        == ["2016-08-07"]


@pytest.mark.parametrize(("published", "order"), [("12/25/2016", "DMY"),
                                                  ("25/12/2016", "MDY")])
def test_no_fallback_to_the_other_order(published, order):
    # dateparser alone reads "12/25/2016" day-first as 25 December: a silent swap
    with pytest.raises(ValueError, match="month 25 does not exist"):
        api.tag(SUNDAY, published=published, lang="id", date_order=order)


def test_resolve_and_tag_take_date_order_on_the_command_line():
    result = timeline("resolve", "pada hari Minggu", "--published", "08/09/2016",
                      "--date-order", "MDY", "--lang", "id")
    assert (result.returncode, result.stdout.strip()) == (0, "2016-08-07")
    result = timeline("resolve", "pada hari Minggu", "--published", "09/08/2016", "--lang", "id")
    assert (result.returncode, result.stdout.strip()) == (0, "2016-08-07")
    result = timeline("resolve", "pada hari Minggu", "--published", "12/25/2016", "--lang", "id")
    assert result.returncode == 2
    one_line_error(result, "12/25/2016", "DMY")

    line = json.dumps({"id": "a", "text": SUNDAY, "published": "08/09/2016", "lang": "id"})
    result = timeline("tag", "-", "--date-order", "MDY", stdin=line + "\n")
    assert result.returncode == 0
    assert json.loads(result.stdout)["timexes"][0]["value"] == "2016-08-07"


def _csv(tmp_path):
    path = tmp_path / "articles.csv"
    path.write_text(f'id,published,lang,text\na,08/09/2016,id,"{SUNDAY}"\n', encoding="utf-8")
    return path


def test_build_and_load_corpus_take_date_order(tmp_path):
    path = _csv(tmp_path)
    assert api.load_corpus([path]).documents[0].published.date().isoformat() == "2016-09-08"
    corpus = api.load_corpus([path], date_order="MDY")
    assert corpus.documents[0].published.date().isoformat() == "2016-08-09"

    result = timeline("build", str(path), "-o", "out", "--no-charts", "--date-order", "MDY",
                      cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    row = json.loads((tmp_path / "out" / "chronology.jsonl").read_text().splitlines()[0])
    assert (row["earliest"], row["latest"]) == ("2016-08-07", "2016-08-07")
    result = timeline("build", str(path), "-o", "dmy", "--no-charts", cwd=tmp_path)
    row = json.loads((tmp_path / "dmy" / "chronology.jsonl").read_text().splitlines()[0])
    assert row["earliest"] == "2016-09-04"
