"""Slot readers: the meaning of the text a rule's named groups captured.

A slot's text is read as digits ("2013", "07.55") or looked up in the lexicon the
kind gives it (timeline/lang/kinds.toml) through the language
(:meth:`timeline.lang.Language.lookup`); two-digit years, spelled-out years,
decimal marks and counts ("sehari", "an hour and a half") are read here, once
for every resolver.
"""

from __future__ import annotations

import re
from typing import Any, cast

from timeline.lang import Language
from timeline.temporal.context import Context, Value

_DIGITS = re.compile(r"\d+")


def read_int(text: str | None) -> int | None:
    if text is None:
        return None
    digits = _DIGITS.match(text)
    return int(digits.group(0)) if digits else None


def read_year(text: str | None) -> int | None:
    y = read_int(text)
    if y is None or text is None:
        return None
    if len(text.strip()) == 2:  # two-digit years: 00-49 -> 2000s
        y += 2000 if y < 50 else 1900
    return y


def _spelled_year(language: Language, text: str) -> int | None:
    """A year spelled out: "nineteen ninety-six" (19 * 100 + 90 + 6), "the year two
    thousand" (2000), "nineteen oh five" (1905)."""
    words = text.lower().replace("-", " ").split()
    if "thousand" in words:  # "two thousand (and) five"
        rest = words[words.index("thousand") + 1:]
        base = 2000
    else:
        base = language.lookup("year_word", words[0])
        if base is None:
            return None
        base *= 100
        rest = words[1:]
    total = 0
    for word in rest:
        if word == "and":
            continue
        value = language.lookup("year_word", word)
        if value is None:
            return None
        total += value
    return base + total


class YearNotRead(ValueError):
    """A date whose year its rule did not read: the year is in the text, so another
    (publication's, the narrative's) must not take its place."""


#: A number in the place of a date's year, right after the date: four digits or more,
#: not the start of a figure ("14 October 1,500 people", "2.5").
_YEAR_AFTER = re.compile(r"(?:,?\s+|[/.\-])(?P<year>\d{4,})(?!\d|[.,]\d)")


def check_year_read(ctx: Context) -> None:
    """Raise :class:`YearNotRead` when the date being resolved, which names no year,
    is followed by one its rule did not read ("14 October 1066", "1 January 2115",
    "5 Maret 20016"): a year the engine cannot represent is reported (the expression
    is dropped with a warning), never moved to another year."""
    found = ctx.found
    if found is None:
        return
    match = _YEAR_AFTER.match(ctx.text, found.end)
    if match is None:
        return
    year = int(match["year"])
    if year < 1000:
        return  # "0800" is a time of day, not a year
    where = "is outside the years 1-9999" if year > 9999 else \
        "is one the rules of this language do not read"
    raise YearNotRead(f"it is followed by the year {match['year']}, which {where}; dropped "
                      "rather than dated in another year")


def read_date_year(slots: dict[str, str], language: Language | None = None) -> int | None:
    """The year of a date; a two-digit year closing a range ("1998-99") takes the
    century of the range's first year; a year may be spelled out."""
    if language is not None and slots.get("year_words"):
        return _spelled_year(language, slots["year_words"])
    year = read_year(slots.get("year"))
    first = read_int(slots.get("range_from"))
    if year is not None and first is not None and len(slots["year"].strip()) == 2:
        year = first // 100 * 100 + year % 100
        if year <= first:
            year += 100
    return year


_NUMBER = re.compile(r"(\d+(?:[.,]\d+)*)(?:\s+(\d)/(\d))?")


def _number(text: str, decimal_mark: str) -> float | None:
    """A written number in the language's own marks ("5,5" in Indonesian, "1,000"
    and "2 1/2" in English)."""
    match = _NUMBER.fullmatch(text.strip())
    if match is None:
        return None
    digits = match.group(1)
    thousands = "." if decimal_mark == "," else ","
    digits = digits.replace(thousands, "").replace(decimal_mark, ".")
    try:
        number = float(digits)
    except ValueError:
        return None
    if match.group(2) and int(match.group(3)):
        number += int(match.group(2)) / int(match.group(3))
    return number


def read_count(ctx: Context, slots: dict[str, str]) -> int | float | str:
    text = slots.get("count")
    if text is None and "unit_many" in slots:  # "the coming years": some
        return "X"
    if text is None:  # "sehari" is one; a rule may say "weeks ago" is some
        count = ctx.rule.params.get("count", 1)
    elif text[0].isdigit():
        count = _number(text, ctx.language.decimal_mark)
        if count is None:
            return 1
    else:
        value = ctx.language.lookup("number", text)
        count = 1 if value is None else value
    if slots.get("and_half") is not None and count != "X":  # "an hour and a half"
        count += 0.5
    if isinstance(count, float) and count.is_integer():
        count = int(count)
    return cast(int | float | str, count)  # a lexicon's or rule's count: a number or "X"


def read_slot(ctx: Context, slots: dict[str, str], slot: str) -> Any:
    text = slots.get(slot)
    return None if text is None else ctx.language.lookup(slot, text)


def read_month(ctx: Context, slots: dict[str, str]) -> int | None:
    text = slots.get("month")
    if text is None:
        return None
    return read_int(text) if text[0].isdigit() else ctx.language.lookup("month", text)


def read_part(ctx: Context, slots: dict[str, str]) -> str | None:
    return cast(str | None, read_slot(ctx, slots, "part"))


def with_time(ctx: Context, slots: dict[str, str], base: str, part: str | None,
              result: Value) -> Value:
    """Add a clock time or part of day to a day value (making it a TIME)."""
    hour = read_int(slots.get("hour"))  # "0300 GMT" fills hour and minute too
    if hour is not None:
        minute = read_int(slots.get("minute")) or 0
        ampm = read_slot(ctx, slots, "ampm")
        if ampm is not None:
            hour = hour % 12 + ampm
        elif part is not None and hour < 12 and part in ctx.language.pm_parts \
                and not (part == "NI" and hour < 5):
            hour += 12
        zone = read_slot(ctx, slots, "zone")
        result.type = "TIME"
        result.value = f"{base}T{hour % 24:02d}:{minute:02d}"
        result.timezone = zone if zone and zone != "local" else None
    elif part is not None:
        result.type = "TIME"
        result.value = f"{base}T{part}"
    return result


def read_unit(ctx: Context, slots: dict[str, str]) -> str | None:
    for slot in ("period", "weekend", "unit", "unit_one"):
        value = read_slot(ctx, slots, slot)
        if value is not None:
            return cast(str, value)
    many = slots.get("unit_many")
    return None if many is None else cast(str | None, ctx.language.lookup("unit", many))


def read_ordinal(ctx: Context, slots: dict[str, str], slot: str) -> int | None:
    text = slots.get(slot)
    if not text:
        return None
    if text[0].isdigit():
        return read_int(text)
    return cast(int | None, ctx.language.lookup("ordinal", text))
