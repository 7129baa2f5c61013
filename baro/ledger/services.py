"""Appending to the ledger. Every domain command calls record_event exactly once."""

from __future__ import annotations

import functools
import logging
from typing import Any, Protocol

from django.conf import settings
from django.db import transaction
from django.db.models import Field

from baro.core.sql import loaded, statements
from baro.core.timeutil import now
from baro.ledger.canonical import DEFAULT_CHAIN, GENESIS_HASH, event_body, event_hash
from baro.ledger.checkpoints import checkpoint_locked, checkpoint_locked_if_due
from baro.ledger.keys import MissingKeyError
from baro.ledger.models import ChainHead, LedgerEvent

logger = logging.getLogger(__name__)

# The three statements of an append, in plain SQL on the tables of baro.ledger.models (a test
# checks they match the models' tables and columns). FOR UPDATE: the head row lock serialises
# appends on PostgreSQL; SQLite has no row locks, its IMMEDIATE transactions serialise writers.
_READ_HEAD = 'SELECT "seq", "hash" FROM "ledger_chainhead" WHERE "chain" = %s'
_READ_HEAD_FOR_UPDATE = 'SELECT "seq", "hash" FROM "ledger_chainhead" WHERE "chain" = %s FOR UPDATE'
_EVENT_FIELDS = (
    "chain",
    "seq",
    "occurred_at",
    "actor",
    "on_behalf_of",
    "action",
    "object_type",
    "object_id",
    "body",
    "prev_hash",
    "hash",
)
_INSERT_EVENT = (
    'INSERT INTO "ledger_ledgerevent" ("chain", "seq", "occurred_at", "actor", "on_behalf_of", '
    '"action", "object_type", "object_id", "body", "prev_hash", "hash") '
    'VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING "id"'
)
_UPDATE_HEAD = 'UPDATE "ledger_chainhead" SET "seq" = %s, "hash" = %s WHERE "chain" = %s'


@functools.cache
def _occurred_at_field() -> Field[Any, Any]:
    field = LedgerEvent._meta.get_field("occurred_at")
    assert isinstance(field, Field)
    return field


def record_event(
    *,
    actor: str,
    action: str,
    object_type: str,
    object_id: str | int,
    payload: dict[str, Any] | None = None,
    on_behalf_of: str = "",
    chain: str = DEFAULT_CHAIN,
) -> LedgerEvent:
    """Append one event to `chain`, inside the caller's transaction.

    The caller's command must already be in `transaction.atomic`: the event commits or rolls
    back with the change it records, so a failed command leaves no event behind.
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("record_event must run inside the command's transaction")
    # Three plain statements rather than a locking queryset, event.save() and an update
    # queryset: building those took the ORM ~0.5 ms per command, several times what the
    # database itself spends on them (bench/task_transitions.py).
    locking = connection.features.has_select_for_update
    with statements(connection) as run:
        row = run.execute(_READ_HEAD_FOR_UPDATE if locking else _READ_HEAD, [chain]).fetchone()
        if row is None:
            head, _ = ChainHead.objects.get_or_create(
                chain=chain, defaults={"seq": 0, "hash": GENESIS_HASH}
            )
            row = (head.seq, head.hash)
        prev_seq, prev_hash = row
        seq = prev_seq + 1
        occurred_at = now()
        object_id = str(object_id)
        body = event_body(
            chain=chain,
            occurred_at=occurred_at,
            actor=actor,
            on_behalf_of=on_behalf_of,
            action=action,
            object_type=object_type,
            object_id=object_id,
            payload=payload or {},
        )
        digest = event_hash(seq, prev_hash, body)
        # The moment as its field would send it (in UTC text on SQLite); every other column
        # is text or an integer, stored as given.
        stamp = _occurred_at_field().get_db_prep_save(occurred_at, connection)
        inserted = run.execute(
            _INSERT_EVENT,
            [
                chain,
                seq,
                stamp,
                actor,
                on_behalf_of,
                action,
                object_type,
                object_id,
                body,
                prev_hash,
                digest,
            ],
        )
        event_id = inserted.fetchone()[0]
        run.execute(_UPDATE_HEAD, [seq, digest, chain])
    # The saved row as a loaded instance, what event.save() would have left.
    event = loaded(
        LedgerEvent,
        connection.alias,
        id=event_id,
        chain=chain,
        seq=seq,
        occurred_at=occurred_at,
        actor=actor,
        on_behalf_of=on_behalf_of,
        action=action,
        object_type=object_type,
        object_id=object_id,
        body=body,
        prev_hash=prev_hash,
        hash=digest,
    )
    interval = getattr(settings, "BARO_LEDGER_CHECKPOINT_INTERVAL", 1000)
    # Same transaction, lock already held: the checkpoint commits with the event it ends.
    # Every `interval` events, and when the oldest unsigned event has waited
    # BARO_LEDGER_CHECKPOINT_SECONDS: the worker signs then too, but events recorded with no
    # worker running (a command line, a server started without one) must not stay unsigned,
    # open to an edit and re-hash that nothing could detect.
    try:
        if seq % interval == 0:
            checkpoint_locked(chain=chain, head_seq=seq)
        else:
            checkpoint_locked_if_due(chain=chain, head_seq=seq, at=occurred_at)
    except MissingKeyError:
        # A missing key must not block the command; the next checkpoint (the worker's or
        # `baro ledger checkpoint`) covers every event since the last one anyway.
        logger.warning("ledger checkpoint at %s/%s skipped: no signing key", chain, seq)
    return event


class Actor(Protocol):
    """Who acts, as the ledger names them ("person:12", "system:worker")."""

    @property
    def ledger_ref(self) -> str: ...


class Grant(Protocol):
    """The authority's answer for a command: on whose behalf the actor acts ("" for their own
    power)."""

    @property
    def on_behalf_of_ref(self) -> str: ...


def record_action(
    *,
    actor: Actor,
    decision: Grant | None,
    action: str,
    object_type: str,
    object_id: int | str,
    payload: dict[str, Any],
) -> LedgerEvent:
    """Append a command's one ledger event (inside the command's transaction) with its actor
    and, when the power came by delegation, the person on whose behalf it acted."""
    return record_event(
        actor=actor.ledger_ref,
        action=action,
        object_type=object_type,
        object_id=object_id,
        payload=payload,
        on_behalf_of=decision.on_behalf_of_ref if decision else "",
    )
