"""The kinds of value a rule builds and the slots each reads (``kinds.toml``).

This is the grammar of the rule files: a rule names its kind, its pattern's named
groups are that kind's slots, and the loader checks every rule against it
(:func:`timeline.lang.validate.check_rule`). It is kept as data, beside the
language files, so that a language author finds the slot names where the rules
are written; the temporal stage binds one resolver to each kind by name.

>>> kinds = load_kinds()
>>> kinds.by_name["century"].slots, kinds.by_name["century"].needs
({'century': 'ordinal'}, (frozenset({'century'}),))
>>> "year" in kinds.numeric_slots, sorted(kinds.context_groups)
(True, ['inner_mod', 'pre', 'sep'])
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from timeline.lang.files import LANG_DIR, Problems, read_toml

KINDS_FILE = LANG_DIR / "kinds.toml"

_SECTIONS = {"slots", "group", "kind"}
_SLOTS_KEYS = {"numeric", "context"}
_KIND_KEYS = {"with", "slots", "needs"}
_NAME = re.compile(r"[a-z][a-z0-9_]*")


@dataclass(frozen=True)
class Kind:
    """A kind of value and the slots it reads.

    ``slots`` maps each slot (a named group of a rule's pattern, or a fixed value
    the rule sets) to the lexicon its text is looked up in (``None``: read as
    written, or only its presence counts). ``needs`` lists sets of slots of which
    a rule of this kind must fill at least one each.
    """

    name: str
    slots: dict[str, str | None]
    needs: tuple[frozenset[str], ...] = ()


@dataclass(frozen=True)
class Kinds:
    """Every kind, and the slots and groups that are read the same in all."""

    by_name: dict[str, Kind]
    #: Slots whose text may be digits instead of a word of their lexicon.
    numeric_slots: frozenset[str]
    #: Groups that are context, not meaning (see timeline.temporal.extract): text
    #: kept out of the span (pre), a separator repeated by a back reference (sep),
    #: a modifier inside the span ("pukul ... sekitar").
    context_groups: frozenset[str]
    #: The file read.
    path: Path = KINDS_FILE


def _names(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and _NAME.fullmatch(v)
                                           for v in value)


def _slot_table(table: Any, where: str, problems: Problems) -> dict[str, str | None]:
    """slot -> lexicon ("" in the file: None) of a [group.X] or [kind.X.slots]."""
    if not isinstance(table, dict):
        problems.add(f"{where} must be a table of slot = \"lexicon\"")
        return {}
    slots: dict[str, str | None] = {}
    for slot, lexicon in table.items():
        if not _NAME.fullmatch(slot):
            problems.add(f"{where} {slot!r}: not a slot name (lower case, digits, _)")
        elif not isinstance(lexicon, str) or (lexicon and not _NAME.fullmatch(lexicon)):
            problems.add(f"{where} {slot} = {lexicon!r}: a lexicon name, or \"\" for none")
        else:
            slots[slot] = lexicon or None
    return slots


def _kind(name: str, raw: Any, groups: dict[str, dict[str, str | None]],
          problems: Problems) -> Kind | None:
    where = f"[kind.{name}]"
    if not isinstance(raw, dict):
        problems.add(f"{where} must be a table")
        return None
    for key in sorted(set(raw) - _KIND_KEYS):
        problems.add(f"{where} unknown key {key!r} (known: {', '.join(sorted(_KIND_KEYS))})")
    slots: dict[str, str | None] = {}
    taken_in = raw.get("with", [])
    if not _names(taken_in):
        problems.add(f"{where} with: a list of group names")
        taken_in = []
    for group in taken_in:
        if group not in groups:
            problems.add(f"{where} with: unknown group {group!r} (known: "
                         f"{', '.join(sorted(groups))})")
            continue
        for slot in sorted(set(groups[group]) & set(slots)):
            problems.add(f"{where} slot {slot!r} is in two of its groups")
        slots.update(groups[group])
    own = _slot_table(raw.get("slots", {}), f"[kind.{name}.slots]", problems)
    for slot in sorted(set(own) & set(slots)):
        problems.add(f"{where} slot {slot!r} is also in a group it takes in")
    slots.update(own)
    if not slots:
        problems.add(f"{where} reads no slot")
    needs_raw = raw.get("needs", [])
    if not (isinstance(needs_raw, list) and all(_names(n) and n for n in needs_raw)):
        problems.add(f"{where} needs: a list of non-empty lists of slot names")
        needs_raw = []
    for need in needs_raw:
        for slot in sorted(set(need) - set(slots)):
            problems.add(f"{where} needs {slot!r}, which is not one of its slots")
    return Kind(name, slots, tuple(frozenset(need) for need in needs_raw))


def read_kinds(path: Path) -> Kinds:
    """Read and check a kinds file (raises LanguageDataError naming the file, the
    kind and every problem)."""
    data = read_toml(path)
    problems = Problems(path)
    for section in sorted(set(data) - _SECTIONS):
        problems.add(f"unknown section [{section}] (known: {', '.join(sorted(_SECTIONS))})")
    for section in sorted(_SECTIONS & set(data)):
        if not isinstance(data[section], dict):
            problems.add(f"[{section}] must be a table")
            data[section] = {}
    shared = data.get("slots", {})
    for key in sorted(set(shared) - _SLOTS_KEYS):
        problems.add(f"[slots] unknown key {key!r} (known: {', '.join(sorted(_SLOTS_KEYS))})")
    for key in sorted(_SLOTS_KEYS):
        if not _names(shared.get(key, [])):
            problems.add(f"[slots] {key}: a list of slot names")
    numeric = frozenset(shared.get("numeric", [])) if _names(shared.get("numeric", [])) \
        else frozenset()
    context = frozenset(shared.get("context", [])) if _names(shared.get("context", [])) \
        else frozenset()
    groups = {name: _slot_table(table, f"[group.{name}]", problems)
              for name, table in data.get("group", {}).items()}
    kinds = {}
    for name, raw in data.get("kind", {}).items():
        kind = _kind(name, raw, groups, problems)
        if kind is not None:
            kinds[name] = kind
    if not kinds:
        problems.add("no [kind.X]: a rule could build nothing")
    every_slot = {slot for kind in kinds.values() for slot in kind.slots}
    for slot in sorted(numeric - every_slot):
        problems.add(f"[slots] numeric: {slot!r} is not a slot of any kind")
    for group in sorted(context & every_slot):
        problems.add(f"[slots] context: {group!r} is a slot of a kind; context is not meaning")
    problems.raise_any()
    return Kinds(kinds, numeric, context, path)


@functools.cache
def load_kinds() -> Kinds:
    """The package's kinds (``kinds.toml``), read and checked once."""
    return read_kinds(KINDS_FILE)
