"""Django's SQLite backend, with Baro's SQL function and a cheaper placeholder conversion.

- `baro_fold()` (baro.core.text.Fold) on every new connection, registered where Django registers
  its own SQLite functions (get_new_connection), so accent-insensitive search needs no set-up.
- Django writes `%s` placeholders and its SQLite cursor turns them into `?` with a regular
  expression at every execute. A command runs the same few statements again and again (a task
  transition ~8, a worker pass hundreds of thousands), so the conversion is kept per statement
  text: the same result, once per text instead of once per call.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from django.db.backends.sqlite3 import base

from baro.core.text import sqlite_fold

# What Django's SQLite cursor converts (its FORMAT_QMARK_REGEX): a %s not after another %.
_FORMAT = re.compile(r"(?<!%)%s")


@functools.lru_cache(maxsize=1024)
def _qmark(query: str) -> str:
    return _FORMAT.sub("?", query).replace("%%", "%")


class CursorWrapper(base.SQLiteCursorWrapper):
    def convert_query(self, query: str, *, param_names: list[str] | None = None) -> str:
        """Django's conversion ("format" to "qmark", "pyformat" to "named"), the first one
        kept per statement text."""
        if param_names is None:
            return _qmark(query)
        named: str = query % {name: f":{name}" for name in param_names}
        return named


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        connection = super().get_new_connection(conn_params)
        connection.create_function("baro_fold", 1, sqlite_fold, deterministic=True)
        return connection

    def create_cursor(self, name: str | None = None) -> Any:
        return self.connection.cursor(factory=CursorWrapper)
