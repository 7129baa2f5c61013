"""Appending to the ledger. Every domain command calls record_event exactly once."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.db import transaction

from baro.core.timeutil import now
from baro.ledger.canonical import DEFAULT_CHAIN, GENESIS_HASH, event_body, event_hash
from baro.ledger.checkpoints import checkpoint_locked
from baro.ledger.keys import MissingKeyError
from baro.ledger.models import ChainHead, LedgerEvent

logger = logging.getLogger(__name__)


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
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_event must run inside the command's transaction")
    # The head row lock serialises appends on PostgreSQL; SQLite's IMMEDIATE mode already has.
    head = ChainHead.objects.select_for_update().filter(chain=chain).first()
    if head is None:
        head, _ = ChainHead.objects.get_or_create(
            chain=chain, defaults={"seq": 0, "hash": GENESIS_HASH}
        )
    seq = head.seq + 1
    occurred_at = now()
    body = event_body(
        chain=chain,
        occurred_at=occurred_at,
        actor=actor,
        on_behalf_of=on_behalf_of,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        payload=payload or {},
    )
    digest = event_hash(seq, head.hash, body)
    event = LedgerEvent(
        chain=chain,
        seq=seq,
        occurred_at=occurred_at,
        actor=actor,
        on_behalf_of=on_behalf_of,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        body=body,
        prev_hash=head.hash,
        hash=digest,
    )
    event.save(force_insert=True)
    ChainHead.objects.filter(chain=chain).update(seq=seq, hash=digest)
    interval = getattr(settings, "BARO_LEDGER_CHECKPOINT_INTERVAL", 1000)
    if seq % interval == 0:
        # Same transaction, lock already held: the checkpoint commits with the event it ends.
        try:
            checkpoint_locked(chain=chain, head_seq=seq)
        except MissingKeyError:
            # A missing key must not block the command; the next checkpoint (the worker's or
            # `baro ledger checkpoint`) covers every event since the last one anyway.
            logger.warning("ledger checkpoint at %s/%s skipped: no signing key", chain, seq)
    return event
