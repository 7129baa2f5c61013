from __future__ import annotations

import pytest
from django.db import transaction

from baro.ledger.canonical import GENESIS_HASH, event_hash
from baro.ledger.models import LedgerEvent
from baro.ledger.services import record_event

pytestmark = pytest.mark.django_db


def test_events_chain_each_to_the_previous() -> None:
    with transaction.atomic():
        first = record_event(actor="person:1", action="test.done", object_type="t", object_id=1)
        second = record_event(
            actor="person:2", action="test.done", object_type="t", object_id=2, payload={"a": 1}
        )
    assert (first.seq, second.seq) == (1, 2)
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    assert second.hash == event_hash(2, first.hash, second.body)
    assert second.payload == {"a": 1}


def test_it_refuses_to_append_outside_a_transaction() -> None:
    # pytest-django wraps the test in a transaction; leave it to see the guard.
    with pytest.raises(RuntimeError, match="inside the command's transaction"):
        connection = transaction.get_connection()
        connection.in_atomic_block, saved = False, connection.in_atomic_block
        try:
            record_event(actor="person:1", action="x", object_type="t", object_id=1)
        finally:
            connection.in_atomic_block = saved
    assert LedgerEvent.objects.count() == 0
