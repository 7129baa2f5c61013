"""A cursor for the plain statements of the hottest commands (ledger appends, ladder steps,
notifications).

Django's cursor costs ~10 µs of bookkeeping per statement and ~7 µs to open, measured on this
project's 2-vCPU box against ~6 µs for SQLite to run a keyed read: a ladder step runs seven
statements, the worker tens of thousands of steps a pass (bench/worker_pass.py). On SQLite,
when nobody is capturing queries, `statements()` therefore hands out the driver's own cursor
on Django's connection — the same connection and transaction, errors still translated to
Django's by `wrap_database_errors`, parameters still written `%s` (turned into SQLite's `?`
once per statement text). Elsewhere (PostgreSQL, DEBUG, tests that count queries with
CaptureQueriesContext) it is Django's cursor, so every statement stays visible there.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

_FORMAT = re.compile(r"(?<!%)%s")
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


@functools.lru_cache(maxsize=256)
def _qmark(sql: str) -> str:
    # What Django's SQLite cursor does to every statement, once per text.
    return _FORMAT.sub("?", sql).replace("%%", "%")


class Statements:
    """execute(sql, params) -> the cursor, to fetch from; one per command step."""

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection
        connection.ensure_connection()
        self.fast = connection.vendor == "sqlite" and not connection.queries_logged
        self.cursor: Any = connection.connection.cursor() if self.fast else connection.cursor()

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        if self.fast:
            self.connection.validate_no_broken_transaction()
            with self.connection.wrap_database_errors:
                return self.cursor.execute(_qmark(sql), params)
        self.cursor.execute(sql, params)
        return self.cursor

    def close(self) -> None:
        self.cursor.close()


@contextmanager
def statements(connection: BaseDatabaseWrapper | None = None) -> Iterator[Statements]:
    runner = Statements(connection or transaction.get_connection())
    try:
        yield runner
    finally:
        runner.close()
