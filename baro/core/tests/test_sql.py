"""The hot commands' plain statements: Django's cursor on the command's connection, so they run
in its transaction, with its placeholders and error types, and every statement is visible to
query logging and execute_wrapper."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from baro.core.sql import loaded, statements
from baro.ledger.models import ChainHead

pytestmark = pytest.mark.django_db

_READ = 'SELECT "seq", \'100%%\' FROM "ledger_chainhead" WHERE "chain" = %s'
_INSERT = 'INSERT INTO "ledger_chainhead" ("chain", "seq", "hash") VALUES (%s, %s, %s)'


def test_statements_run_in_the_commands_transaction_with_django_placeholders() -> None:
    with transaction.atomic():
        with statements() as run:
            run.execute(_INSERT, ["bench", 7, "a" * 64])
            assert run.execute(_READ, ["bench"]).fetchone() == (7, "100%")
        assert ChainHead.objects.get(chain="bench").seq == 7  # the ORM sees the row
        transaction.set_rollback(True)
    assert not ChainHead.objects.filter(chain="bench").exists()  # and it rolled back with it


def test_every_statement_is_seen_by_query_logging_and_execute_wrappers() -> None:
    seen: list[str] = []

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        seen.append(sql)
        return execute(sql, params, many, context)

    with (
        CaptureQueriesContext(connection) as queries,
        connection.execute_wrapper(wrapper),
        statements() as run,
    ):
        run.execute(_READ, ["main"])
        run.execute(_READ, ["other"])
    assert len(queries) == 2 and "ledger_chainhead" in queries[0]["sql"]
    assert seen == [_READ, _READ]


def test_database_errors_are_djangos() -> None:
    ChainHead.objects.create(chain="twice", seq=1, hash="b" * 64)
    with pytest.raises(IntegrityError), transaction.atomic(), statements() as run:
        run.execute(_INSERT, ["twice", 2, "c" * 64])
    assert ChainHead.objects.get(chain="twice").seq == 1


def test_loaded_is_the_row_a_query_loads() -> None:
    with statements() as run:
        run.execute(_INSERT, ["loaded", 3, "d" * 64])
    row = loaded(ChainHead, connection.alias, chain="loaded", seq=3, hash="d" * 64)
    queried = ChainHead.objects.get(pk="loaded")
    assert row == queried
    assert {f.attname: getattr(row, f.attname) for f in ChainHead._meta.concrete_fields} == {
        f.attname: getattr(queried, f.attname) for f in ChainHead._meta.concrete_fields
    }
    row.full_clean()  # its key is its own, as for a loaded row (not a second row)


def test_the_sqlite_cursor_converts_placeholders_as_djangos_does() -> None:
    # The conversion itself, whichever engine the suite runs on.
    from django.db.backends.sqlite3.base import SQLiteCursorWrapper

    from baro.core.sqlite.base import CursorWrapper

    for query, names in [
        ('SELECT %s, \'100%%\' FROM "t" WHERE "a" = %s', None),
        ("SELECT %(a)s, %(b)s", ["a", "b"]),
        ("SELECT '%%s'", None),
    ]:
        ours = CursorWrapper.convert_query(None, query, param_names=names)  # type: ignore[arg-type]
        django = SQLiteCursorWrapper.convert_query(None, query, param_names=names)  # type: ignore[arg-type]
        assert ours == django, query
