"""Lengths of time as TIMEX3 writes them: ``P2Y``, ``PT30M``, ``P1M15D``, ``PXW``."""

from __future__ import annotations

#: Units below a day, written after "T" ("PT30M"), with their letter there.
_TIME_UNITS = {"H": "H", "MIN": "M", "S": "S"}
#: Units written as a multiple of another in a duration ("satu dekade" is P10Y).
_MULTIPLES = {"Q": ("M", 3), "DE": ("Y", 10), "CE": ("Y", 100)}
#: The next smaller unit, for the fraction of a count ("5,5 tahun" is P5Y6M).
_SMALLER_UNIT = {"Y": ("M", 12), "M": ("D", 30), "W": ("D", 7), "D": ("H", 24),
                 "H": ("MIN", 60), "MIN": ("S", 60)}


def duration_value(count: int | float | str, unit: str) -> str:
    """The TIMEX3 value of a duration of `count` `unit`s, fractions carried into
    the next smaller unit. Quarters, decades and centuries are written in months and
    years ("three quarters" is P9M, "a decade" P10Y, "decades" PXY), as TimeML
    gold standards write them.

    >>> duration_value(5.5, "Y"), duration_value(0.5, "H"), duration_value("X", "DE")
    ('P5Y6M', 'PT30M', 'PXY')
    >>> duration_value(2, "DE"), duration_value(3, "Q")
    ('P20Y', 'P9M')
    """
    multiple = _MULTIPLES.get(unit)
    if multiple is not None:
        unit = multiple[0]
        if count != "X":
            count = count * multiple[1]
    parts: list[tuple[int | str, str]]
    if count == "X" or isinstance(count, str):
        parts = [("X", unit)]
    else:
        whole = int(count)
        parts = [(whole, unit)] if whole else []
        fraction = count - whole
        if fraction and unit in _SMALLER_UNIT:
            smaller, per = _SMALLER_UNIT[unit]
            parts.append((round(fraction * per), smaller))
        elif fraction:
            parts = [(f"{count:g}", unit)]
    days = "".join(f"{n}{u}" for n, u in parts if u not in _TIME_UNITS)
    time = "".join(f"{n}{_TIME_UNITS[u]}" for n, u in parts if u in _TIME_UNITS)
    return "P" + days + (f"T{time}" if time else "")
