"""Django's SQLite backend, plus `baro_fold()` (baro.core.text.Fold) on every new connection.

Registered where Django registers its own SQLite functions, in get_new_connection, so every
connection has it from the start: the accent-insensitive search needs no set-up per query.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.sqlite3 import base

from baro.core.text import sqlite_fold


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        connection = super().get_new_connection(conn_params)
        connection.create_function("baro_fold", 1, sqlite_fold, deterministic=True)
        return connection
