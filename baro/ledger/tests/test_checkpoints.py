from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import DatabaseError, connection, transaction

from baro.ledger.canonical import GENESIS_HASH, checkpoint_digest
from baro.ledger.checkpoints import checkpoint_create
from baro.ledger.keys import key_id, load_signing_key
from baro.ledger.merkle import inclusion_proof, merkle_root, verify_inclusion
from baro.ledger.models import LedgerCheckpoint, LedgerEvent
from baro.ledger.queries import chain_status
from baro.ledger.verify import public_key_id, verify_database

pytestmark = pytest.mark.django_db


def test_a_checkpoint_is_signed_at_every_interval(make_events: Callable) -> None:
    events = make_events(12, interval=5)
    first, second = LedgerCheckpoint.objects.order_by("number")
    assert (first.number, first.seq_from, first.seq_to) == (1, 1, 5)
    assert (second.number, second.seq_from, second.seq_to) == (2, 6, 10)
    assert first.merkle_root == merkle_root(event.hash for event in events[:5])
    assert second.head_hash == events[9].hash
    assert first.prev_checkpoint_digest == GENESIS_HASH
    assert second.prev_checkpoint_digest == checkpoint_digest(first.body) == first.digest
    public = load_signing_key().public_key()
    public.verify(bytes.fromhex(second.signature), second.body.encode())  # raises if forged
    assert second.key_id == key_id(public) == public_key_id(public)
    report = verify_database()
    assert report.ok, report.summary()
    assert (report.last_seq, report.checkpoints, report.last_checkpoint) == (12, 2, 2)


def test_checkpoint_create_covers_the_events_since_the_last_one(make_events: Callable) -> None:
    make_events(7, interval=5)
    checkpoint = checkpoint_create()
    assert checkpoint is not None
    assert (checkpoint.number, checkpoint.seq_from, checkpoint.seq_to) == (2, 6, 7)
    assert checkpoint_create() is None  # nothing new since
    status = chain_status()
    assert (status.head_seq, status.last_checkpoint, status.unsigned_events) == (7, checkpoint, 0)


def test_no_checkpoint_without_events() -> None:
    assert checkpoint_create() is None


def test_a_failed_command_leaves_no_checkpoint(make_events: Callable, settings) -> None:
    make_events(4, interval=5)
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        make_events(1, interval=5)
        1 / 0  # noqa: B018 - the command fails after its event (and checkpoint) was recorded
    assert LedgerCheckpoint.objects.count() == 0
    assert LedgerEvent.objects.count() == 4


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE ledger_ledgerevent SET body = 'x' WHERE seq = 1",
        "DELETE FROM ledger_ledgerevent WHERE seq = 1",
        "UPDATE ledger_ledgercheckpoint SET merkle_root = 'x' WHERE number = 1",
        "DELETE FROM ledger_ledgercheckpoint WHERE number = 1",
    ],
)
def test_the_database_refuses_to_change_the_ledger(make_events: Callable, sql: str) -> None:
    make_events(5, interval=5)
    before = (
        list(LedgerEvent.objects.values_list("body", flat=True)),
        list(LedgerCheckpoint.objects.values_list("merkle_root", flat=True)),
    )
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    after = (
        list(LedgerEvent.objects.values_list("body", flat=True)),
        list(LedgerCheckpoint.objects.values_list("merkle_root", flat=True)),
    )
    assert after == before
    assert len(before[1]) == 1


def test_models_refuse_updates_and_deletes(make_events: Callable) -> None:
    make_events(5, interval=5)
    event, checkpoint = LedgerEvent.objects.first(), LedgerCheckpoint.objects.first()
    for row in (event, checkpoint):
        with pytest.raises(RuntimeError, match="append-only"):
            row.save()
        with pytest.raises(RuntimeError, match="append-only"):
            row.delete()


def test_an_event_proves_it_is_under_a_signed_checkpoint(make_events: Callable) -> None:
    """What a citizen's receipt will carry: the event hash, its place, the siblings."""
    events = make_events(40, interval=20)
    checkpoint = LedgerCheckpoint.objects.get(number=2)
    covered = [bytes.fromhex(event.hash) for event in events[20:40]]
    count = checkpoint.seq_to - checkpoint.seq_from + 1
    for event in events[20:40]:
        index = event.seq - checkpoint.seq_from
        proof = inclusion_proof(covered, index)
        assert verify_inclusion(event.hash, index, count, proof, checkpoint.merkle_root)
        assert not verify_inclusion(events[0].hash, index, count, proof, checkpoint.merkle_root)
