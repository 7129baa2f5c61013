"""A PostgreSQL database for one benchmark run: made fresh and dropped at the end, or kept."""

from __future__ import annotations

import os
from collections.abc import Callable
from urllib.parse import urlsplit, urlunsplit


def postgres_database(
    url: str, *, prefix: str = "baro_bench", keep: str | None = None
) -> tuple[str, Callable[[], None]]:
    """The URL of a scratch database on `url`'s server and the function that drops it; with
    `keep`, that database (created if missing) and a drop that does nothing."""
    import psycopg

    parts = urlsplit(url)
    name = keep or f"{prefix}_{os.getpid()}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    if keep:
        return urlunsplit(parts._replace(path=f"/{name}")), lambda: None

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urlunsplit(parts._replace(path=f"/{name}")), drop
