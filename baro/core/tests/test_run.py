"""Commands and where their transaction begins: run_command begins one durable transaction and
runs the command's body in it (no savepoint), a command called inside another transaction is a
savepoint of it (a refusal undoes only the command), and an entry point inside someone else's
transaction is refused."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from baro.core.errors import DomainError
from baro.core.run import command, run_command
from baro.ledger.models import ChainHead

pytestmark = pytest.mark.django_db(transaction=True)


@command
def head_create(*, chain: str, refuse: bool = False) -> ChainHead:
    head = ChainHead.objects.create(chain=chain, seq=0, hash="0" * 64)
    if refuse:
        raise DomainError("test.refused", "Từ chối sau khi đã ghi.")
    return head


def test_run_command_commits_one_transaction_without_a_savepoint() -> None:
    with CaptureQueriesContext(connection) as queries:
        run_command(head_create, chain="a")
    statements = [query["sql"].upper() for query in queries]
    assert not any("SAVEPOINT" in sql for sql in statements), statements
    assert not connection.in_atomic_block
    assert ChainHead.objects.filter(chain="a").exists()  # committed


def test_a_refusal_through_run_command_leaves_nothing() -> None:
    with pytest.raises(DomainError):
        run_command(head_create, chain="b", refuse=True)
    assert not ChainHead.objects.filter(chain="b").exists()


def test_a_command_inside_another_transaction_is_undone_alone() -> None:
    with transaction.atomic():
        ChainHead.objects.create(chain="kept", seq=0, hash="0" * 64)
        with CaptureQueriesContext(connection) as queries, pytest.raises(DomainError):
            head_create(chain="undone", refuse=True)
        assert any("SAVEPOINT" in query["sql"].upper() for query in queries)
        # The caller's transaction goes on: the command rolled back to its savepoint.
        assert ChainHead.objects.filter(chain="kept").exists()
    assert ChainHead.objects.filter(chain="kept").exists()
    assert not ChainHead.objects.filter(chain="undone").exists()


def test_an_entry_point_inside_someone_elses_transaction_is_refused() -> None:
    with transaction.atomic(), pytest.raises(RuntimeError, match="durable"):
        run_command(head_create, chain="c")
    assert not ChainHead.objects.filter(chain="c").exists()
