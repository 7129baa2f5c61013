"""record_event appends with plain SQL: the rows must be exactly what the ORM would write."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction

from baro.ledger import services
from baro.ledger.models import ChainHead, LedgerEvent
from baro.ledger.services import record_event

pytestmark = pytest.mark.django_db


def test_the_statements_name_the_models_tables_and_columns() -> None:
    event_columns = [LedgerEvent._meta.get_field(name).column for name in services._EVENT_FIELDS]
    head = ChainHead._meta
    assert set(services._EVENT_FIELDS) == {
        f.name for f in LedgerEvent._meta.concrete_fields if not f.primary_key
    }
    assert f'INSERT INTO "{LedgerEvent._meta.db_table}" ' in services._INSERT_EVENT
    assert ", ".join(f'"{c}"' for c in event_columns) in services._INSERT_EVENT
    assert f'RETURNING "{LedgerEvent._meta.pk.column}"' in services._INSERT_EVENT
    for sql in (services._READ_HEAD, services._READ_HEAD_FOR_UPDATE, services._UPDATE_HEAD):
        assert f'"{head.db_table}"' in sql
        for name in ("chain", "seq", "hash"):
            assert f'"{head.get_field(name).column}"' in sql


def test_the_returned_event_is_the_stored_row() -> None:
    with transaction.atomic():
        event = record_event(
            actor="person:7",
            action="test.done",
            object_type="t",
            object_id=42,
            payload={"ngày": dt.date(2026, 4, 30), "tên": "Sở Nội vụ"},
            on_behalf_of="person:3",
        )
    stored = LedgerEvent.objects.get(pk=event.pk)
    fields = [f.attname for f in LedgerEvent._meta.concrete_fields]
    assert {f: getattr(stored, f) for f in fields} == {f: getattr(event, f) for f in fields}
    assert stored.occurred_at.tzinfo is not None
    assert stored.object_id == "42"
    assert stored.payload == {"ngày": "2026-04-30", "tên": "Sở Nội vụ"}
    assert not event._state.adding and event._state.db == connection.alias
    head = ChainHead.objects.get(chain=event.chain)
    assert (head.seq, head.hash) == (event.seq, event.hash)


def test_a_refused_command_leaves_neither_event_nor_head_behind() -> None:
    with transaction.atomic():
        record_event(actor="person:1", action="test.first", object_type="t", object_id=1)
    with pytest.raises(ValueError), transaction.atomic():
        record_event(actor="person:1", action="test.second", object_type="t", object_id=2)
        raise ValueError("the command fails after recording")
    assert list(LedgerEvent.objects.values_list("action", flat=True)) == ["test.first"]
    assert ChainHead.objects.get().seq == 1
