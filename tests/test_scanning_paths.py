"""The compiled prefilter (Hyperscan) and the pure-Python keyed scan find the
same expressions: the first is only a faster way to the second's result."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from timeline.lang import available_languages, load_examples, load_language
from timeline.temporal import prefilter
from timeline.temporal.extract import find
from timeline.temporal.prefilter import approximate, ascii_stand_in

FIXTURES = Path(__file__).parent.parent / "fixtures"
needs_hyperscan = pytest.mark.skipif(prefilter.hyperscan is None,
                                     reason="Hyperscan is not installed on this platform")


def _spans(text, lang, use_prefilter):
    return [(f.start, f.end, f.rule.name) for f in
            find(text, load_language(lang), use_prefilter=use_prefilter)]


def _texts():
    for lang in available_languages():
        for example in load_examples(lang):
            yield lang, example["text"]
    for line in (FIXTURES / "gold" / "seeds.jsonl").read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        yield doc["lang"], doc["text"]


@needs_hyperscan
def test_both_paths_agree_on_every_fixture_text():
    for lang, text in _texts():
        assert _spans(text, lang, True) == _spans(text, lang, False), text


@needs_hyperscan
@given(st.lists(st.sampled_from(
    ["Rabu", "(21/10)", "hari", "Minggu", "minggu", "lalu", "2013", "11/11/2013", "pukul",
     "02.00", "WIB", "awal", "bulan", "ini", "Late", "on", "Thursday", "the", "next", "day",
     "sehari", "kemudian", "1.300", "tahun", "1980-an", "“", "’", "\u00a0", "é", "İ", "\n",
     "Jum’at", "sejak", "Februari", "September", "2018", "two", "days", "ago", "x"]),
    max_size=40), st.sampled_from(["id", "en"]))
def test_both_paths_agree_on_dense_mixtures(pieces, lang):
    text = " ".join(pieces)
    assert _spans(text, lang, True) == _spans(text, lang, False)


def test_stand_in_keeps_length_and_character_classes():
    text = "Jum’at\u00a0(21/10) İstanbul ١٢"
    stand_in = ascii_stand_in(text)
    assert len(stand_in) == len(text) and stand_in.isascii()
    assert stand_in == "Jum~at (21/10) astanbul 00"


def test_approximation_drops_lookarounds_and_inlines_back_references():
    assert approximate(r"(?<!\d)(?P<d>\d)(?P<s>[/.])(?P=s)x(?!y)", elements=5) == \
        r"(?:[\d])(?:[\/\.])(?:[\/\.])x"


#: Inputs that make backtracking regular expressions run away: long runs of
#: digits, slashes and dots, weekday names, and relative words, repeated.
ADVERSARIAL = {
    "digits": "1" * 20_000, "spaced digits": "12 " * 7_000, "slashes": "1/" * 10_000,
    "dots": "11." * 7_000, "weekday names": "Senin " * 3_000,
    "weekday dates": "Rabu (21/10) " * 1_500, "lalu": "lalu " * 4_000,
    "bulan lalu": "bulan lalu " * 2_000, "dua hari": "dua hari " * 2_000,
    "hari": "hari " * 4_000, "the": "the " * 5_000, "late on": "late on " * 2_500,
    "open parentheses": "Rabu (" * 3_000, "mixed": (
        "pada hari Minggu (7/8) pukul 02.00 WIB awal bulan ini sejak 2011 ") * 300,
}


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
@pytest.mark.parametrize("lang", ["id", "en"])
def test_adversarial_inputs_are_tagged_whole(name, lang):
    """They finish (timings at two sizes are in `make bench`: time grows linearly),
    both scanning paths agree, and every span points into the text."""
    text = ADVERSARIAL[name]
    found = find(text, load_language(lang), use_prefilter=False)
    for item in found:
        assert 0 <= item.start < item.end <= len(text)
    assert len(found) <= len(text) // 2
    if prefilter.hyperscan is not None:
        assert _spans(text, lang, True) == [(f.start, f.end, f.rule.name) for f in found]


@needs_hyperscan
def test_the_automaton_is_compiled_only_once_enough_text_was_scanned(monkeypatch, tmp_path):
    """Without a cached copy on the machine, compiling waits until it pays."""
    language = load_language("en")
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(tmp_path))  # an empty cache
    monkeypatch.setattr(prefilter, "_COMPILED", {})
    monkeypatch.setattr(prefilter, "_SCANNED", {})
    monkeypatch.setattr(prefilter, "_CACHE_MISSES", set())
    monkeypatch.setattr(prefilter, "COMPILE_AFTER_CHARS", 100)
    assert prefilter.when_worth_it(language, 60) is None
    assert "en" not in prefilter._COMPILED
    compiled = prefilter.when_worth_it(language, 60)
    assert compiled is not None and prefilter._COMPILED["en"] is compiled
    assert prefilter.when_worth_it(language, 1) is compiled
