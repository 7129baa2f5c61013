"""A checkpoint at the latest BARO_LEDGER_CHECKPOINT_SECONDS after an event, not only every N
events: an unsigned tail is open to an edit and re-hash that nothing could detect."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine
from django.db import transaction

from baro.ledger.checkpoints import checkpoint_due, checkpoint_if_due
from baro.ledger.keys import MissingKeyError
from baro.ledger.models import LedgerCheckpoint
from baro.ledger.queries import chain_status
from baro.ledger.services import record_event
from baro.ledger.verify import verify_database

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock(settings) -> Iterator[time_machine.Traveller]:
    settings.BARO_LEDGER_CHECKPOINT_INTERVAL = 1000  # the count never triggers here
    settings.BARO_LEDGER_CHECKPOINT_SECONDS = 300
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def record(n: int = 1) -> None:
    """n events, in one command's transaction."""
    with transaction.atomic():
        for _ in range(n):
            record_event(
                actor="person:1",
                action="work.task.progress_reported",
                object_type="work.task",
                object_id=7,
                payload={"percent": 10},
            )


def ranges() -> list[tuple[int, int]]:
    return list(LedgerCheckpoint.objects.order_by("number").values_list("seq_from", "seq_to"))


def test_a_command_signs_once_the_oldest_unsigned_event_has_waited(
    clock: time_machine.Traveller,
) -> None:
    record(3)
    clock.shift(dt.timedelta(seconds=299))
    record()  # the first event has waited 299 s: not yet
    assert ranges() == []
    assert chain_status().unsigned_events == 4
    clock.shift(dt.timedelta(seconds=1))
    record()  # 300 s: this command signs everything so far, itself included
    assert ranges() == [(1, 5)]
    assert chain_status().unsigned_events == 0
    record()
    clock.shift(dt.timedelta(seconds=120))
    record()  # event 6 has waited 120 s only
    assert ranges() == [(1, 5)]
    clock.shift(dt.timedelta(seconds=180))
    record()
    assert ranges() == [(1, 5), (6, 8)]
    assert verify_database().ok


def test_the_interval_is_a_setting(clock: time_machine.Traveller, settings) -> None:
    settings.BARO_LEDGER_CHECKPOINT_SECONDS = 60
    record()
    clock.shift(dt.timedelta(seconds=60))
    record()
    assert ranges() == [(1, 2)]


def test_the_worker_signs_a_quiet_tail_once_due(clock: time_machine.Traveller) -> None:
    """No command comes after the last events: the worker's pass signs them."""
    record(2)
    assert checkpoint_if_due() is None  # not yet due
    assert not checkpoint_due()
    clock.shift(dt.timedelta(seconds=300))
    assert checkpoint_due()
    checkpoint = checkpoint_if_due()
    assert checkpoint is not None
    assert (checkpoint.seq_from, checkpoint.seq_to) == (1, 2)
    assert checkpoint_if_due() is None  # nothing unsigned any more
    assert not checkpoint_due()


def test_nothing_to_sign_is_never_due(clock: time_machine.Traveller) -> None:
    assert not checkpoint_due()
    assert checkpoint_if_due() is None


def test_a_rolled_back_command_takes_its_checkpoint_with_it(
    clock: time_machine.Traveller,
) -> None:
    record()
    clock.shift(dt.timedelta(seconds=400))
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        record()
        assert ranges() == [(1, 2)]
        1 / 0  # noqa: B018 - the command fails after its event (and the checkpoint)
    assert ranges() == []
    record()  # the next command finds it due again
    assert ranges() == [(1, 2)]


def test_a_missing_key_does_not_block_a_command(
    clock: time_machine.Traveller, settings, tmp_path, caplog: pytest.LogCaptureFixture
) -> None:
    record()
    clock.shift(dt.timedelta(seconds=400))
    settings.KEYS_DIR = tmp_path / "no-key-here"
    with pytest.raises(MissingKeyError):
        checkpoint_if_due()
    record()  # the command goes through, unsigned
    assert ranges() == []
    assert "skipped: no signing key" in caplog.text
    assert chain_status().unsigned_events == 2


def test_the_worker_pass_signs_when_due(clock: time_machine.Traveller, world: object) -> None:
    from baro.worker import run_pass

    start = LedgerCheckpoint.objects.count()
    record()
    run_pass(detectors=False, deliveries=False)
    assert LedgerCheckpoint.objects.count() == start  # not due yet
    clock.shift(dt.timedelta(seconds=300))
    run_pass(detectors=False, deliveries=False)
    assert chain_status().unsigned_events == 0
