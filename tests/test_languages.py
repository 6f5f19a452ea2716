"""The language layer: every language folder on disk is loaded, checked and tested.

- each rule's examples give the values they say (Duckling's corpus beside the rules);
- a broken rule file fails when it is loaded, with a message naming the file, the
  rule and the problem (dateparser's validation);
- adding a language is adding a folder: the small Portuguese folder in
  ``fixtures/languages`` (on TIMELINE_LANG_PATH for the whole suite, see
  conftest.py) is found, validated, tagged with and tested like the others.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from timeline import tag
from timeline.lang import (
    LANG_DIR,
    LanguageDataError,
    available_languages,
    compile_language,
    load_common,
    load_language,
)

FIXTURE_LANGUAGES = Path(__file__).resolve().parent.parent / "fixtures" / "languages"


def _rule_examples():
    for code in available_languages():
        for rule in load_language(code).rules:
            for i, example in enumerate(rule.examples):
                yield pytest.param(code, rule, example, id=f"{code}-{rule.name}-{i}")


@pytest.mark.parametrize(("code", "rule", "example"), list(_rule_examples()))
def test_rule_examples_give_their_values(code, rule, example):
    target = example.text.lower() if rule.on_lowered else example.text
    assert rule.regex.search(target), f"{code}:{rule.name} does not match {example.text!r}"
    published = example.published or load_common().example_published
    text = example.before + example.text
    span = example.span or example.text
    found = [t for t in tag(text, published=published, lang=code)
             if t.start >= len(example.before)]
    got = [(t.text, t.rule, t.type, t.value, t.mod) for t in found]
    if example.value == "":  # a look-alike (a rate): nothing in it is tagged
        start = len(example.before) + example.text.index(span)
        inside = [(t.text, t.rule, t.value) for t in found
                  if t.start < start + len(span) and t.end > start]
        assert not inside, f"\n  rule: {code}:{rule.name}\n  input: {text!r}\n  tagged: {inside}"
        return
    match = [t for t in found if t.text == span and t.rule == rule.name]
    assert match, (f"\n  rule:      {code}:{rule.name}\n  input:     {text!r}\n"
                   f"  published: {published}\n  expected:  {span!r} by this rule\n"
                   f"  got:       {got}")
    timex = match[0]
    expected = (example.value, example.expected_type, example.mod)
    assert (timex.value, timex.type, timex.mod) == expected, (
        f"\n  rule:      {code}:{rule.name}\n  input:     {text!r}\n  published: {published}\n"
        f"  expected:  {expected}\n  got:       {(timex.value, timex.type, timex.mod)}")


def test_every_language_folder_has_rules_with_examples():
    assert {"id", "en", "es", "fr", "it"} <= set(available_languages())
    for code in available_languages():
        language = load_language(code)
        assert language.rules, code
        for rule in language.rules:
            assert rule.examples, f"{code}:{rule.name} has no example"


# --- a third language, added as a folder ------------------------------------------------


def test_a_language_added_as_a_folder_is_found_and_used():
    assert "pt" in available_languages()  # fixtures/languages is on TIMELINE_LANG_PATH
    language = load_language("pt")
    assert language.folder == FIXTURE_LANGUAGES / "pt"
    timexes = tag("O acordo foi assinado em 11 de novembro de 2013. Ontem houve combates.",
                  published="2019-04-22", lang="pt")
    assert [(t.text, t.value, t.rule) for t in timexes] == [
        ("11 de novembro de 2013", "2013-11-11", "date_words"),
        ("Ontem", "2019-04-21", "deictic"),
    ]


# --- broken files fail loudly ------------------------------------------------------------


@pytest.fixture
def indonesian_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "id"
    shutil.copytree(LANG_DIR / "id", folder)
    return folder


def _break(folder: Path, old: str, new: str, count: int = 1) -> None:
    path = folder / "temporal.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


@pytest.mark.parametrize(("old", "new", "message"), [
    ('name = "date_words"\n', 'name = "date_words"\nkind_ = 1\n',
     r"rule 'date_words': unknown key 'kind_'"),
    ('kind = "calendar"', 'kind = "calendr"',
     r"rule 'date_words': unknown kind 'calendr' \(known: .*calendar"),
    ("(?P<month>{month_any}),?\\s+(?P<year>{year4})", "(?P<montth>{month_any}),?\\s+(?P<year>{year4})",
     r"rule 'date_words': group 'montth' is not a slot of kind 'calendar'"),
    ("(?P<month>{month_any}),?\\s+(?P<year>{year4})", "(?P<month>{montth_any}),?\\s+(?P<year>{year4})",
     r"rule 'date_words': pattern: unknown lexicon or pattern \{montth_any\}"),
    ("pattern = '\\b(?P<deictic>{deictic})\\b(?:\\s+(?P<part>{part})\\b)?'",
     "pattern = '\\bhari\\s+ini\\b(?:\\s+(?P<part>{part})\\b)?'",
     r"rule 'deictic': kind 'deictic' needs a group named deictic; the pattern has none"),
    ('"sore" = "AF"', '"sore" = "AFTERNOON"', r"\[lexicon.part\] sore = 'AFTERNOON': unknown code"),
    ('START = ["awal"', 'BEGIN = ["awal"', r"\[context\] modifiers: unknown mod 'BEGIN'"),
    ('code = "id"', 'code = "ms"', r"\[language\] code 'ms' is not the folder's name 'id'"),
    ('covers = ["ms"]', 'covers = "ms"', r"\[language\] covers 'ms': a list of language codes"),
    ("\n[detect]\n", "\n[detection]\n", r"unknown section \[detection\]"),
    ('name = "date_words_no_year"', 'name = "date_words"', r"rule 'date_words': two rules have"),
    ('{ text = "8 April", value = "2019-04-08" }', '"8 April"',
     r"rule 'date_words_no_year': example '8 April': give its expected value"),
    ('examples = [\n  { text = "Senin, 11 November 2013", value = "2013-11-11" },',
     'example = "Senin, 11 November 2013"\nexamples = [',
     r"rule 'date_words': example 'Senin, 11 November 2013': give its expected value"),
    ('{ text = "8 April", value = "2019-04-08" }', '{ text = "8 April" }',
     r"rule 'date_words_no_year': example \{'text': '8 April'\}: a table with text and value"),
    ('{ text = "8 April", value = "2019-04-08" }', '{ text = "8 April", value = "" }',
     r"rule 'date_words_no_year': example '8 April': value \"\" \(nothing tagged\) is for"),
    ('{ text = "dua kali sehari", value = "" }', '{ text = "dua kali sehari", value = "P1D" }',
     r"rule 'rate': example 'dua kali sehari': value \"\" \(nothing tagged\) is for"),
    ('{ text = "8 April", value = "2019-04-08" }', '{ text = "8 April", value = "2019-04-08", mod = "EARLY" }',
     r"rule 'date_words_no_year': example '8 April': mod 'EARLY' is not a mod"),
    ('{ text = "8 April", value = "2019-04-08" }', '{ text = "8 April", value = "2019-04-08", span = "9 April" }',
     r"rule 'date_words_no_year': example '8 April': span '9 April' is not in its text"),
])
def test_a_broken_rule_file_fails_on_load_naming_file_rule_and_problem(
        indonesian_copy, old, new, message):
    _break(indonesian_copy, old, new)
    with pytest.raises(LanguageDataError) as failure:
        compile_language(indonesian_copy)
    text = str(failure.value)
    assert str(indonesian_copy / "temporal.toml") in text
    assert re.search(message, text), text


def test_a_slot_whose_lexicon_is_missing_fails(indonesian_copy):
    path = indonesian_copy / "temporal.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index("[lexicon.hijri_month]")
    end = text.index("\n[", start + 1)
    path.write_text(text[:start] + text[end + 1:], encoding="utf-8")
    with pytest.raises(LanguageDataError, match=r"rule 'hijri_date': (pattern: unknown lexicon"
                       r" or pattern \{hijri_month\}|slot 'hijri_month' reads lexicon)"):
        compile_language(indonesian_copy)


def test_a_broken_events_file_fails_on_load(indonesian_copy):
    path = indonesian_copy / "events.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("[reporting]\n", "[reporting]\nverbz = []\n"),
                    encoding="utf-8")
    with pytest.raises(LanguageDataError, match=r"(?s)events.toml.*\[reporting\] unknown key 'verbz'"):
        compile_language(indonesian_copy)


def test_the_intact_files_load():
    for code in available_languages():
        folder = load_language(code).folder
        assert compile_language(folder).code == code


def test_the_common_file_and_the_types_agree():
    """common.toml and timeline.types name the same TIMEX3 types and mods."""
    from timeline.types import MODS, TIMEX_TYPES

    common = load_common()
    assert common.types == set(TIMEX_TYPES)
    assert common.mods == set(MODS)
