"""Accent- and case-insensitive Vietnamese text, in Python and in SQL (searching "ha noi"
finds "Hà Nội")."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.db import models
from django.db.models.functions import Lower


def fold_text(text: str) -> str:
    """Lower case without Vietnamese accents: "Đường Hà Nội" → "duong ha noi"."""
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return bare.replace("đ", "d").replace("Đ", "D").lower()


def sqlite_fold(value: str | None) -> str | None:
    """fold_text as SQLite's `baro_fold()` (registered on every connection by baro.core.sqlite)."""
    return None if value is None else fold_text(value)


# Every accented letter of Vietnamese (both cases) and what fold_text makes of it; PostgreSQL's
# translate() applies this table character by character, then lower() does the ASCII rest.
_VIETNAMESE_BASES = "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY"
_TONES = ["", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]
_ACCENTED_VOWELS = {
    unicodedata.normalize("NFC", base + tone) for base in _VIETNAMESE_BASES for tone in _TONES
} - set("aeiouyAEIOUY")
_ACCENTED = "".join([*sorted(_ACCENTED_VOWELS), "đ", "Đ"])
_FOLDED = "".join(fold_text(ch) for ch in _ACCENTED)
assert len(_ACCENTED) == len(_FOLDED)


class Fold(models.Func):
    """fold_text() in SQL."""

    output_field = models.TextField()
    arity = 1

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, function="baro_fold", **extra)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template=f"lower(translate(%(expressions)s, '{_ACCENTED}', '{_FOLDED}'))",
            **extra,
        )

    def as_sql(self, compiler: Any, conn: Any, **extra: Any) -> Any:  # type: ignore[override]
        if conn.vendor not in ("sqlite", "postgresql"):
            return Lower(*self.get_source_expressions()).as_sql(compiler, conn)
        return super().as_sql(compiler, conn, **extra)
