"""The hot commands' cursor: the driver's own on SQLite when nobody counts queries, Django's
otherwise; either way the same connection, transaction, placeholders and error types."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from baro.core.statements import statements
from baro.ledger.models import ChainHead

pytestmark = pytest.mark.django_db

_READ = 'SELECT "seq", \'100%%\' FROM "ledger_chainhead" WHERE "chain" = %s'
_INSERT = 'INSERT INTO "ledger_chainhead" ("chain", "seq", "hash") VALUES (%s, %s, %s)'


def test_statements_run_in_the_commands_transaction_with_django_placeholders() -> None:
    with transaction.atomic():
        with statements() as run:
            run.execute(_INSERT, ["bench", 7, "a" * 64])
            assert run.execute(_READ, ["bench"]).fetchone() == (7, "100%")
            assert run.fast == (connection.vendor == "sqlite")
        assert ChainHead.objects.get(chain="bench").seq == 7  # the ORM sees the row
        transaction.set_rollback(True)
    assert not ChainHead.objects.filter(chain="bench").exists()  # and it rolled back with it


def test_captured_queries_go_through_djangos_cursor() -> None:
    with CaptureQueriesContext(connection) as queries, statements() as run:
        assert not run.fast
        run.execute(_READ, ["main"])
    assert len(queries) == 1 and "ledger_chainhead" in queries[0]["sql"]


def test_database_errors_are_djangos() -> None:
    ChainHead.objects.create(chain="twice", seq=1, hash="b" * 64)
    with pytest.raises(IntegrityError), transaction.atomic(), statements() as run:
        run.execute(_INSERT, ["twice", 2, "c" * 64])
    assert ChainHead.objects.get(chain="twice").seq == 1
