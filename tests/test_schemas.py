"""The JSON Schemas shipped in timeline/schemas hold for real outputs, and can fail.

`chronology.jsonl` rows come from a build of the seed corpus; `timeline tag` rows
from the installed script, error lines included. The schemas' closed sets are
those of timeline.types, so the two cannot drift apart.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from cli_support import timeline as run_timeline

import timeline
from timeline.schemas import SCHEMAS, load_schema
from timeline.types import ANCHORS, GRANULARITIES, MODS, ROLES, TIMEX_TYPES

ROOT = Path(__file__).resolve().parent.parent


def _validator(name: str) -> jsonschema.Draft202012Validator:
    schema = load_schema(name)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def _problems(name: str, rows: list[dict]) -> list[str]:
    validator = _validator(name)
    return [f"row {i}: {error.json_path}: {error.message}"
            for i, row in enumerate(rows) for error in validator.iter_errors(row)]


@pytest.fixture(scope="module")
def chronology_rows(tmp_path_factory) -> list[dict]:
    out = tmp_path_factory.mktemp("build")
    result = timeline.build([ROOT / "fixtures" / "corpus" / "txt"], out, charts=False)
    rows = [json.loads(line) for line in result.paths["jsonl"].read_text().splitlines()]
    assert len(rows) > 5
    return rows


def test_every_chronology_row_of_a_real_build_follows_the_schema(chronology_rows):
    assert _problems("chronology", chronology_rows) == []
    # the manifest's urls travel into the mention structs the schema describes
    assert any(m["url"] for row in chronology_rows for m in row["mentions"])


def test_every_tag_row_follows_the_schema():
    lines = (ROOT / "fixtures" / "corpus" / "seeds.jsonl").read_text(encoding="utf-8")
    lines += '{"id": "bad", "text": "kemarin", "published": "31/02/2016"}\n'
    lines += '{"id": 7, "text": "Late on Thursday, at 10:30 WIB.", "published": "2020-02-28"}\n'
    result = run_timeline("tag", "-", stdin=lines)
    assert result.returncode == 1  # the impossible date: a partial failure
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert sum(len(row["timexes"]) for row in rows) > 30 and rows[-2]["error"]
    assert _problems("tag", rows) == []


def test_the_schemas_reject_what_breaks_the_contract(chronology_rows):
    row = dict(chronology_rows[0])
    del row["event_id"]
    assert _problems("chronology", [row])
    row = dict(chronology_rows[0], earliest="27/02/2020")
    assert _problems("chronology", [row])
    timex = {"start": 0, "end": 7, "text": "kemarin", "type": "DATE", "value": "2016-08-08",
             "earliest": "2016-08-08", "latest": "2016-08-08", "anchor": "published"}
    assert _problems("tag", [{"id": "a", "timexes": [timex]}]) == []
    assert _problems("tag", [{"id": "a", "timexes": [dict(timex, anchor="guessed")]}])
    assert _problems("tag", [{"id": "a", "timexes": [timex], "error": "line 1: x"}])
    # fields may be added: the contract changes only that way
    assert _problems("tag", [{"id": "a", "timexes": [dict(timex, extra=1)], "more": 2}]) == []


def test_the_schemas_closed_sets_are_the_engines():
    chronology = load_schema("chronology")["$defs"]
    timex = load_schema("tag")["$defs"]["timex"]["properties"]
    assert tuple(timex["type"]["enum"]) == TIMEX_TYPES
    assert tuple(timex["anchor"]["enum"]) == ANCHORS
    assert tuple(timex["mod"]["enum"]) == MODS
    assert tuple(timex["granularity"]["enum"]) == GRANULARITIES
    assert tuple(chronology["granularity"]["enum"]) == GRANULARITIES
    assert tuple(chronology["mention"]["properties"]["role"]["enum"]) == ROLES


def test_the_schemas_are_package_data():
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"schemas/*.json"' in pyproject
    for name in SCHEMAS:
        assert (ROOT / "timeline" / "schemas" / f"{name}.schema.json").is_file()
