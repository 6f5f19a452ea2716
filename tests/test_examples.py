"""The per-language example corpora (timeline/lang/<code>/examples.toml), run as tests.

Each example is a sentence, its publication date and every temporal expression
in it, annotated by hand (docs/annotation.md). A failure shows the input, the
anchor, what was expected and what the engine gave.
"""

from __future__ import annotations

import pytest

from timeline import tag
from timeline.lang import available_languages, load_examples

#: Languages held to the full example standard (every category, 150 examples);
#: any other language found on disk runs whatever examples it has.
FULL = ("id", "en", "es", "fr", "it")


def _load(lang: str):
    return load_examples(lang)


def _cases():
    for lang in available_languages():
        for i, example in enumerate(_load(lang)):
            label = f"{lang}-{i:03d}-{example['category']}"
            yield pytest.param(lang, example, id=label)


def _key(item) -> tuple:
    get = item.get if isinstance(item, dict) else lambda k: getattr(item, k)
    return (get("text"), get("type"), get("value"), get("mod") or None)


@pytest.mark.parametrize(("lang", "example"), list(_cases()))
def test_example(lang, example):
    published = example.get("published") or None
    got = [_key(t) for t in tag(example["text"], published=published, lang=lang)]
    expected = [_key(t) for t in example["expect"]]
    assert got == expected, (
        f"\n  input:     {example['text']!r}\n  published: {published}\n"
        f"  expected:  {expected}\n  got:       {got}"
    )


def test_corpus_size_and_spread():
    """The issue asks for at least 150 examples per language over every category."""
    for lang in FULL:
        examples = _load(lang)
        assert len(examples) >= 150, lang
        categories = {e["category"] for e in examples}
        assert {"full_date", "weekday", "deictic", "offset", "relative_period", "month_year",
                "modifier", "duration", "time_of_day", "narrative", "vague", "set",
                "season_quarter", "decade_century", "trap"} <= categories, lang
