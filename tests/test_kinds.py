"""The kinds of value (timeline/lang/kinds.toml) and the resolvers bound to them by name."""

import inspect
import re
from collections import Counter
from pathlib import Path

import pytest

from timeline.lang import LanguageDataError
from timeline.lang.kinds import KINDS_FILE, load_kinds, read_kinds
from timeline.temporal import resolvers
from timeline.temporal.resolvers import RESOLVERS


def _resolver_functions() -> set[str]:
    """Every resolver written: a function resolve_<kind> of the resolvers module."""
    return {name for name, function in inspect.getmembers(resolvers, inspect.isfunction)
            if name.startswith("resolve_") and function.__module__ == resolvers.__name__}


def test_every_kind_has_exactly_one_resolver_and_every_resolver_a_kind():
    kinds = set(load_kinds().by_name)
    bound = {name: function.__name__ for name, function in RESOLVERS.items()}
    assert set(bound) == kinds, (f"kinds without a resolver: {sorted(kinds - set(bound))}; "
                                 f"resolvers of no kind: {sorted(set(bound) - kinds)}")
    twice = [name for name, count in Counter(bound.values()).items() if count > 1]
    assert not twice, f"resolvers bound to two kinds: {twice}"
    unbound = _resolver_functions() - set(bound.values())
    assert not unbound, f"resolvers bound to no kind: {sorted(unbound)}"


def test_each_resolver_is_named_after_its_kind():
    misnamed = {kind: function.__name__ for kind, function in RESOLVERS.items()
                if function.__name__ != f"resolve_{kind}"}
    assert not misnamed, misnamed


def _broken_kinds(tmp_path: Path, old: str, new: str) -> Path:
    text = KINDS_FILE.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / "kinds.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(("old", "new", "message"), [
    ('[kind.deictic]\nwith = ["time"]', '[kind.deictic]\nwith = ["tiem"]',
     r"\[kind.deictic\] with: unknown group 'tiem' \(known: time, unit, year\)"),
    ('needs = [["deictic"]]', 'needs = [["deictik"]]',
     r"\[kind.deictic\] needs 'deictik', which is not one of its slots"),
    ("[kind.deictic.slots]\ndeictic = \"deictic\"",
     "[kind.deictic.slots]\ndeictic = \"deictic\"\npart = \"part\"",
     r"\[kind.deictic\] slot 'part' is also in a group it takes in"),
    ('[kind.deictic]\nwith = ["time"]', '[kind.deictic]\nwith = ["time"]\nneeded = []',
     r"\[kind.deictic\] unknown key 'needed' \(known: needs, slots, with\)"),
    ('[kind.century.slots]\ncentury = "ordinal"', '[kind.century.slots]\ncentury = "Ordinal"',
     r"\[kind.century.slots\] century = 'Ordinal': a lexicon name"),
    ('context = ["pre", "sep", "inner_mod"]', 'context = ["pre", "sep", "inner_mod", "day"]',
     r"\[slots\] context: 'day' is a slot of a kind"),
    ('numeric = ["year",', 'numeric = ["yaer",',
     r"\[slots\] numeric: 'yaer' is not a slot of any kind"),
    ("[group.time]\n", "[groups.time]\n", r"unknown section \[groups\]"),
    ("[group.time]\n", "[group.time\n", r"not valid TOML"),
])
def test_a_broken_kinds_file_fails_on_load_naming_file_kind_and_problem(
        tmp_path, old, new, message):
    path = _broken_kinds(tmp_path, old, new)
    with pytest.raises(LanguageDataError) as failure:
        read_kinds(path)
    text = str(failure.value)
    assert str(path) in text
    assert re.search(message, text), text


def test_the_intact_kinds_file_reads_as_loaded():
    assert read_kinds(KINDS_FILE) == load_kinds()
    assert {"calendar", "duration", "not_temporal"} <= set(load_kinds().by_name)
    assert load_kinds().by_name["hijri"].needs == (
        frozenset({"day"}), frozenset({"hijri_month"}), frozenset({"hijri_year"}))
