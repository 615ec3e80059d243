"""Spreadsheet cells: neutralising text that a spreadsheet would run as a formula."""

from __future__ import annotations

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def escape_formula(value: object) -> object:
    """Prefix text that starts like a formula with a quote so it stays text (CWE-1236).

    Numbers pass through unchanged: a negative number is not an injection.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
