"""Checking language files against their schema, the shared codes and the kinds.

Every problem of a file is collected (:class:`~timeline.lang.files.Problems`) and
raised at once, naming the file, the rule and the problem: an unknown section or
key, a rule of an unknown kind, a named group the kind does not read, a slot the
kind needs but the pattern lacks, a reference to a lexicon that does not exist,
a rule example without the value it must give, or a code that ``common.toml``
does not know.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

from timeline.lang.common import Common, load_common
from timeline.lang.files import Problems
from timeline.lang.keys import expand
from timeline.lang.kinds import load_kinds

_TEMPORAL_SECTIONS = {"language", "lexicon", "patterns", "rule", "context", "detect"}
_LANGUAGE_KEYS = {"code", "name", "numeric_order", "decimal_mark", "covers"}
_RULE_OPTIONS = {"name", "kind", "pattern", "example", "examples", "case_sensitive",
                 "not_after", "not_before", "fallback_anchor", "mod"}
_CONTEXT_KEYS = {"prepositions", "modifiers", "future", "past", "not_before", "clause_openers",
                 "not_cues", "past_markers", "period_end", "range", "day_range"}
#: A part of the day may also be written as the clock time it stands for ("12:00").
_CLOCK_CODE = re.compile(r"(?:[01]\d|2[0-3]):[0-5]\d")
#: The keys a rule example may have (see timeline.lang.model.RuleExample).
EXAMPLE_KEYS = {"text", "value", "type", "mod", "published", "before", "span"}
#: Lexicons whose meanings are codes of common.toml.
_CODED_LEXICONS = {"part": "parts", "unit": "units", "unit_one": "units", "period": "units",
                   "weekend": "units"}
_EVENTS_SECTIONS = {
    "language": str, "events": dict, "quantity_nouns": dict, "reporting": dict,
    "sentences": dict, "capitalised": dict, "context": dict,
}
_EVENTS_KEYS = {
    "reporting": {"verbs", "nouns", "complementizers", "clause_openers", "content_openers",
                  "coordinators", "attribution", "sayer_starts", "attribution_verbs"},
    "sentences": {"abbreviations"},
    "capitalised": {"name_prefixes", "name_connectors", "words", "titles"},
    "context": {"openers"},
}


#: furniture.toml: one table of cue lists (see es/furniture.toml for what each means).
FURNITURE_KEYS = ("comments", "related", "share", "tags", "credits", "newsletter", "read_also",
                  "stamps", "rights", "bylines")
#: statements.toml: its tables and the cue lists of each.
STATEMENTS_KEYS = {"statements": ("future", "modal", "conditional", "opinion", "reference",
                                  "articles"),
                   "headline": ("openers", "date_words")}


#: An upper-case letter: a literal that lower-cased text never holds.
_UPPER_LITERAL = re.compile(r"[A-Z]")


def _string_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def check_temporal(data: dict[str, Any], folder: Path, common: Common,
                   problems: Problems) -> None:
    """The sections of a temporal.toml other than its rules: [language], the
    lexicons and the context words."""
    for section in sorted(set(data) - _TEMPORAL_SECTIONS):
        problems.add(f"unknown section [{section}] (known: {', '.join(sorted(_TEMPORAL_SECTIONS))})")
    info = data.get("language", {})
    for key in sorted(set(info) - _LANGUAGE_KEYS):
        problems.add(f"[language] unknown key {key!r} (known: {', '.join(sorted(_LANGUAGE_KEYS))})")
    if info.get("code") != folder.name:
        problems.add(f"[language] code {info.get('code')!r} is not the folder's name "
                     f"{folder.name!r}")
    if info.get("numeric_order", "dmy") not in ("dmy", "mdy", "ymd"):
        problems.add(f"[language] numeric_order {info.get('numeric_order')!r}: dmy, mdy or ymd")
    covers = info.get("covers", [])
    if not (isinstance(covers, list)
            and all(isinstance(c, str) and re.fullmatch(r"[a-z]{2,3}", c) for c in covers)):
        problems.add(f"[language] covers {covers!r}: a list of language codes")
    _check_lexicons(data.get("lexicon", {}), common, problems)
    _check_context(data.get("context", {}), common, problems)


def check_rule_names(rules: list[dict[str, Any]], problems: Problems) -> None:
    """Every rule has its own name."""
    names = [raw.get("name") for raw in rules]
    for duplicate in sorted({n for n in names if n and names.count(n) > 1}):
        problems.add("two rules have this name", duplicate)


def check_case(raw: dict[str, Any], problems: Problems) -> bool:
    """Rules run on lower-cased text without IGNORECASE, which is several times
    faster; their literals must be lower case. Case-sensitive rules run on the
    text as written. False (and a problem) for upper-case literals in a rule that
    is not case-sensitive."""
    if not raw.get("case_sensitive") and \
            _UPPER_LITERAL.search(re.sub(r"\\.|\(\?P[<=]", "", raw["pattern"])):
        problems.add("upper-case letters in a pattern that matches lower-cased text "
                     "(mark it case_sensitive)", raw["name"])
        return False
    return True


def _check_lexicons(raw: dict[str, Any], common: Common, problems: Problems) -> None:
    for name, entries in raw.items():
        if not isinstance(entries, dict):
            problems.add(f"[lexicon.{name}] is not a table")
            continue
        base = re.sub(r"_(?:abbr|ambiguous)$", "", name)
        codes = getattr(common, _CODED_LEXICONS[base]) if base in _CODED_LEXICONS else None
        for key, value in entries.items():
            meanings = [key] if isinstance(value, list) else [value]
            if isinstance(value, list) and not _string_list(value):
                problems.add(f"[lexicon.{name}] {key}: surfaces must be strings")
            if codes is not None and any(m not in codes and not (base == "part" and isinstance(
                    m, str) and _CLOCK_CODE.fullmatch(m)) for m in meanings):
                problems.add(f"[lexicon.{name}] {key} = {value!r}: unknown code "
                             f"(common.toml knows {', '.join(sorted(codes))})")
            if base in ("ref", "ref_at") and any(m not in common.references for m in meanings):
                problems.add(f"[lexicon.{name}] {key}: unknown reference "
                             f"(common.toml knows {', '.join(sorted(common.references))})")


def _check_context(context: dict[str, Any], common: Common, problems: Problems) -> None:
    for key in sorted(set(context) - _CONTEXT_KEYS):
        problems.add(f"[context] unknown key {key!r} (known: {', '.join(sorted(_CONTEXT_KEYS))})")
    for table, allow_empty in (("prepositions", False), ("modifiers", True)):
        for mod, words in context.get(table, {}).items():
            if not (mod in common.mods or (allow_empty and mod == "")):
                problems.add(f"[context] {table}: unknown mod {mod!r}")
            if not _string_list(words):
                problems.add(f"[context] {table}.{mod}: words must be a list of strings")
    for key in ("future", "past", "not_before", "clause_openers", "not_cues", "past_markers",
                "period_end", "range", "day_range"):
        if key in context and not _string_list(context[key]):
            problems.add(f"[context] {key}: must be a list of strings")


def _check_rule_examples(raw: dict[str, Any], common: Common, problems: Problems,
                    name: str) -> None:
    listed = raw.get("examples", [])
    if not isinstance(listed, list):
        problems.add("examples: must be a list of tables", name)
        listed = []
    examples = ([raw["example"]] if "example" in raw else []) + listed
    if not examples:
        problems.add("no example: every rule carries at least one", name)
    look_alike = raw.get("kind") == "not_temporal"
    for example in examples:
        if isinstance(example, str):
            problems.add(f"example {example!r}: give its expected value "
                         f"({{ text = {json.dumps(example, ensure_ascii=False)}, "
                         f"value = \"...\" }})", name)
            continue
        if not isinstance(example, dict) or not isinstance(example.get("text"), str) \
                or not isinstance(example.get("value"), str):
            problems.add(f"example {example!r}: a table with text and value", name)
            continue
        text = example["text"]
        for key in sorted(set(example) - EXAMPLE_KEYS):
            problems.add(f"example {text!r}: unknown key {key!r}", name)
        if look_alike != (example["value"] == ""):
            problems.add(f"example {text!r}: value \"\" (nothing tagged) is for the "
                         "examples of a not_temporal rule, and only for them", name)
        if example.get("type") is not None and example["type"] not in common.types:
            problems.add(f"example {text!r}: type {example['type']!r} is not a type of "
                         "common.toml", name)
        if example.get("mod") is not None and example["mod"] not in common.mods:
            problems.add(f"example {text!r}: mod {example['mod']!r} is not a mod of "
                         "common.toml", name)
        try:
            if example.get("published") is not None:
                date.fromisoformat(example["published"])
        except (TypeError, ValueError):
            problems.add(f"example {text!r}: published {example['published']!r} is not an "
                         "ISO date", name)
        if example.get("span") is not None and example["span"] not in text:
            problems.add(f"example {text!r}: span {example['span']!r} is not in its text",
                         name)


def check_rule(raw: dict[str, Any], index: int, fragments: dict[str, str],
                lexicon_names: set[str], problems: Problems) -> re.Pattern[str] | None:
    """Check one rule against the kind it names; its compiled pattern, or None."""
    kinds = load_kinds()
    name = raw.get("name")
    if not isinstance(name, str) or not name:
        problems.add(f"rule #{index + 1} has no name")
        name = f"#{index + 1}"
    for key in ("kind", "pattern"):
        if not isinstance(raw.get(key), str):
            problems.add(f"missing or non-string {key!r}", name)
            return None
    kind = kinds.by_name.get(raw["kind"])
    if kind is None:
        problems.add(f"unknown kind {raw['kind']!r} (known: {', '.join(sorted(kinds.by_name))})",
                     name)
        return None
    for key in sorted(set(raw) - _RULE_OPTIONS - set(kind.slots)):
        problems.add(f"unknown key {key!r} for kind {raw['kind']!r}", name)
    if "mod" in raw and raw["mod"] not in load_common().mods:
        problems.add(f"mod {raw['mod']!r} is not a mod of common.toml", name)
    _check_rule_examples(raw, load_common(), problems, name)
    try:
        source = expand(raw["pattern"], fragments)
    except (KeyError, ValueError) as exc:
        problems.add(f"pattern: {exc.args[0]}", name)
        return None
    try:
        regex = re.compile(source)
    except re.error as exc:
        problems.add(f"bad pattern: {exc}", name)
        return None
    groups = {re.sub(r"__\d+$", "", g) for g in regex.groupindex}
    for group in sorted(groups - set(kind.slots) - kinds.context_groups):
        problems.add(f"group {group!r} is not a slot of kind {raw['kind']!r} "
                     f"(its slots: {', '.join(sorted(kind.slots))})", name)
    filled = groups | (set(raw) & set(kind.slots))
    for need in kind.needs:
        if not filled & need:
            problems.add(f"kind {raw['kind']!r} needs a group named "
                         f"{' or '.join(sorted(need))}; the pattern has none", name)
    for slot in sorted(groups & set(kind.slots)):
        lexicon = kind.slots[slot]
        if lexicon is None or slot in kinds.numeric_slots:
            continue
        if not {lexicon, lexicon + "_abbr", lexicon + "_ambiguous"} & lexicon_names:
            problems.add(f"slot {slot!r} reads lexicon {lexicon!r}, which the file lacks", name)
    return regex


def check_events(data: dict[str, Any], path: Path) -> dict[str, Any]:
    """Validate an events.toml; returns it."""
    problems = Problems(path)
    for section, value in data.items():
        expected = _EVENTS_SECTIONS.get(section)
        if expected is None:
            problems.add(f"unknown section [{section}] (known: "
                         f"{', '.join(sorted(_EVENTS_SECTIONS))})")
            continue
        if not isinstance(value, expected):
            problems.add(f"[{section}] must be a {expected.__name__}")
            continue
        if section in ("events", "quantity_nouns"):
            for key, words in value.items():
                if not _string_list(words):
                    problems.add(f"[{section}] {key}: must be a list of strings")
        for key, words in value.items() if section in _EVENTS_KEYS else ():
            if key not in _EVENTS_KEYS[section]:
                problems.add(f"[{section}] unknown key {key!r} (known: "
                             f"{', '.join(sorted(_EVENTS_KEYS[section]))})")
            elif not _string_list(words):
                problems.add(f"[{section}] {key}: must be a list of strings")
    problems.raise_any()
    return data


def check_cue_lists(data: dict[str, Any], path: Path,
                    tables: dict[str, tuple[str, ...]]) -> dict[str, Any]:
    """Validate a file of cue lists (furniture.toml, statements.toml): ``language``,
    then ``tables`` (name -> the lists it may hold), each list non-empty strings;
    returns it."""
    problems = Problems(path)
    if data.get("language") != path.parent.name:
        problems.add(f"language {data.get('language')!r} is not the folder's name "
                     f"{path.parent.name!r}")
    for section, value in data.items():
        if section == "language":
            continue
        if section not in tables:
            problems.add(f"unknown section [{section}] (known: {', '.join(sorted(tables))})")
            continue
        if not isinstance(value, dict):
            problems.add(f"[{section}] must be a table")
            continue
        for key, words in value.items():
            if key not in tables[section]:
                problems.add(f"[{section}] unknown key {key!r} (known: "
                             f"{', '.join(tables[section])})")
            elif not _string_list(words) or not all(w.strip() for w in words):
                problems.add(f"[{section}] {key}: must be a list of non-empty strings")
    problems.raise_any()
    return data


def check_example_corpus(examples: list[dict[str, Any]], path: Path) -> list[dict[str, Any]]:
    """Validate the examples of an examples.toml (each has a text and what to expect);
    returns them."""
    problems = Problems(path)
    for i, example in enumerate(examples):
        missing = {"text", "expect"} - set(example)
        if missing:
            problems.add(f"example #{i + 1}: missing {', '.join(sorted(missing))}")
    problems.raise_any()
    return examples
