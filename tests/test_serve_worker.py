"""`baro serve` brings its worker on the embedded SQLite default, and not on PostgreSQL (an
installation runs `baro worker` as its own service there)."""

from __future__ import annotations

from django.conf import settings
from django.db import connection

from baro.cli import wants_worker


def test_the_server_brings_its_worker_on_sqlite_only() -> None:
    on_sqlite = connection.vendor == "sqlite"
    # Baro's SQLite engine is its own backend (baro.core.sqlite), not Django's by name.
    assert (settings.DATABASES["default"]["ENGINE"] == settings.SQLITE_ENGINE) == on_sqlite
    assert wants_worker("auto") is on_sqlite
    assert wants_worker("yes") is True
    assert wants_worker("no") is False
