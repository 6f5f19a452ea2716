"""Compiling a language folder into a :class:`~timeline.lang.model.Language`.

The folder's temporal.toml is checked (:mod:`timeline.lang.validate`) and its
lexicons turned into lookup tables and regex fragments; each rule's ``{name}``
references are expanded, its pattern compiled once, and the words every match
must contain read off it (:mod:`timeline.lang.keys`) so the rule is tried only
near them. The folder's events.toml, furniture.toml and statements.toml, when it has
them, are checked and kept.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from timeline.lang.common import load_common
from timeline.lang.files import (
    EVENTS_FILE,
    FURNITURE_FILE,
    STATEMENTS_FILE,
    TEMPORAL_FILE,
    Problems,
    read_toml,
)
from timeline.lang.keys import cost, key_token, rule_clauses, trie_pattern
from timeline.lang.model import Language, Rule, RuleExample
from timeline.lang.tense import TenseCues
from timeline.lang.validate import (
    EXAMPLE_KEYS,
    FURNITURE_KEYS,
    STATEMENTS_KEYS,
    check_case,
    check_cue_lists,
    check_events,
    check_rule,
    check_rule_names,
    check_temporal,
)
from timeline.lang.words import PhraseTable, alternation, normalise


def _coerce_key(key: str) -> Any:
    """Meaning keys are numbers where they look like numbers ("1", "-1", "0.5")."""
    if re.fullmatch(r"-?\d+", key):
        return int(key)
    if re.fullmatch(r"-?\d+\.\d+", key):
        return float(key)
    return key


def _build_lexicons(raw: dict[str, dict[str, Any]]) -> tuple[dict[str, dict[str, Any]],
                                                              dict[str, list[str]]]:
    """Each lexicon as normalised surface -> meaning, whichever way the file wrote it,
    and the surfaces as written (lower case, dots kept) for the matchers."""
    lexicons: dict[str, dict[str, Any]] = {}
    surfaces: dict[str, list[str]] = {}
    for name, entries in raw.items():
        table: dict[str, Any] = {}
        written: list[str] = []
        for key, value in entries.items():
            pairs = [(s, _coerce_key(key)) for s in value] if isinstance(value, list) \
                else [(key, value)]  # meaning = [surfaces], or surface = meaning
            for surface, meaning in pairs:
                table[normalise(surface)] = meaning
                written.append(re.sub(r"\s+", " ", surface.strip().lower()))
        lexicons[name] = table
        surfaces[name] = written
    return lexicons, surfaces


def compile_language(folder: Path) -> Language:
    """Read, check and compile the language in ``folder``."""
    path = folder / TEMPORAL_FILE
    data = read_toml(path)
    common = load_common()
    problems = Problems(path)
    check_temporal(data, folder, common, problems)
    info = data.get("language", {})
    lexicons, surfaces = _build_lexicons(data.get("lexicon", {}))
    fragments = {name: alternation(words) for name, words in surfaces.items() if words}
    fragments.update(data.get("patterns", {}))
    check_rule_names(data.get("rule", []), problems)
    rules = []
    for index, raw in enumerate(data.get("rule", [])):
        regex = check_rule(raw, index, fragments, set(lexicons), problems)
        if regex is None or not check_case(raw, problems):
            continue
        # Case-sensitive rules run on the text as written, the others on it lower-cased.
        on_lowered = not raw.get("case_sensitive")
        clauses = rule_clauses(raw["pattern"], data.get("patterns", {}), set(surfaces))
        # (An example the checks above refused is reported with them, below.)
        listed = raw.get("examples", [])
        examples = tuple(RuleExample(**e) for e in ([raw["example"]] if "example" in raw else [])
                         + (listed if isinstance(listed, list) else [])
                         if isinstance(e, dict) and {"text", "value"} <= set(e) <= EXAMPLE_KEYS)
        params = {k: v for k, v in raw.items()
                  if k not in ("name", "kind", "pattern", "example", "examples", "case_sensitive")}
        # Words that, just before or after a match, make it something else
        # ("Pasar Minggu", "jam tangan"): compiled once here.
        if "not_after" in params:
            params["not_after"] = PhraseTable((normalise(w), True) for w in params["not_after"])
        if "not_before" in params:
            params["not_before"] = re.compile(
                r"[\s-]*" + alternation(params["not_before"]) + r"\b", re.IGNORECASE)
        key = min(clauses, key=cost) if clauses else None
        rules.append(Rule(raw["name"], raw["kind"], regex, examples, params, on_lowered,
                          clauses, key))
    events_path = folder / EVENTS_FILE
    events = check_events(read_toml(events_path), events_path) if events_path.is_file() else {}
    furniture_path, statements_path = folder / FURNITURE_FILE, folder / STATEMENTS_FILE
    furniture = (check_cue_lists(read_toml(furniture_path), furniture_path,
                                 {"furniture": FURNITURE_KEYS})
                 if furniture_path.is_file() else {})
    statements = (check_cue_lists(read_toml(statements_path), statements_path, STATEMENTS_KEYS)
                  if statements_path.is_file() else {})
    problems.raise_any()

    stopwords = frozenset(data.get("detect", {}).get("stopwords", []))
    token_index: dict[str, set[str]] = {}
    for name, words in surfaces.items():
        for surface in words:
            token = key_token(surface, stopwords)
            if token:
                token_index.setdefault(token, set()).add(name)
    context = data.get("context", {})
    prepositions = PhraseTable((normalise(w), mod) for mod, ws in
                               context.get("prepositions", {}).items() for w in ws)
    modifiers = PhraseTable((normalise(w), mod) for mod, ws in
                            context.get("modifiers", {}).items() for w in ws)
    # Reporting verbs (events.toml) are past cues too: "said", "mengatakan".
    past = [*context.get("past", []), *events.get("reporting", {}).get("verbs", [])]
    return Language(
        code=info["code"],
        name=info["name"],
        lexicons=lexicons,
        rules=tuple(rules),
        token_index={token: frozenset(names) for token, names in token_index.items()},
        token_re=re.compile(r"\b" + trie_pattern(token_index) + r"\b"),
        preposition_mod=prepositions,
        modifier_mod=modifiers,
        tense_cues=TenseCues.of(context.get("future", []), past,
                                context.get("clause_openers", []), context.get("not_cues", []),
                                context.get("past_markers", [])),
        not_before_re=(re.compile(r"\s*" + alternation(context["not_before"]) + r"\b",
                                  re.IGNORECASE) if context.get("not_before") else None),
        stopwords=stopwords,
        numeric_order=info.get("numeric_order", "dmy"),
        decimal_mark=info.get("decimal_mark", "."),
        pm_parts=frozenset(code for code, pm in common.parts.items() if pm),
        period_end_re=(re.compile(r"[\s,]*" + alternation(context["period_end"]) + r"\s+",
                                  re.IGNORECASE) if context.get("period_end") else None),
        range_re=(re.compile(r"\s*" + alternation(context["range"]) + r"\s*", re.IGNORECASE)
                  if context.get("range") else None),
        day_range_re=(re.compile(r"\s*" + alternation(context["day_range"]) + r"\s*",
                                 re.IGNORECASE) if context.get("day_range") else None),
        events=events,
        furniture=furniture.get("furniture", {}),
        statements=statements,
        folder=folder,
    )
