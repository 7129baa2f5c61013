"""Row ids read from outside (a URL, a query string, a JSON body): only what can name a row."""

from __future__ import annotations

# What a 64-bit integer column (SQLite's INTEGER, PostgreSQL's bigint) can hold.
_INT_MIN, _INT_MAX = -(2**63), 2**63 - 1


def fits_integer_column(value: object) -> bool:
    """Whether `value` could be stored in an integer column: an id sent from outside that does
    not (2**63) cannot name a row, and the drivers refuse it with an OverflowError or a
    DataError instead of finding nothing."""
    return not isinstance(value, int) or _INT_MIN <= value <= _INT_MAX


def id_from_text(text: str) -> int | None:
    """The row id a text from a request names: plain decimal digits ("²" passes isdigit() but
    not int()), small enough for an integer column; otherwise None."""
    if not text.isdecimal():
        return None
    number = int(text)
    return number if fits_integer_column(number) else None
