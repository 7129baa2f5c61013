"""Signed Merkle checkpoints: the installation key vouches for a stretch of the chain."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.db import transaction

from baro.core.timeutil import now
from baro.ledger.canonical import DEFAULT_CHAIN, GENESIS_HASH, checkpoint_body
from baro.ledger.keys import MissingKeyError, key_id, load_signing_key
from baro.ledger.merkle import root_from_leaves
from baro.ledger.models import ChainHead, LedgerCheckpoint, LedgerEvent

logger = logging.getLogger(__name__)

HASH_CHUNK = 5000
DEFAULT_SECONDS = 300


def checkpoint_seconds() -> int:
    """How long an event may wait for its signature (BARO_LEDGER_CHECKPOINT_SECONDS)."""
    return int(getattr(settings, "BARO_LEDGER_CHECKPOINT_SECONDS", DEFAULT_SECONDS))


def unsigned_since(*, chain: str = DEFAULT_CHAIN) -> dt.datetime | None:
    """When the oldest event no signed checkpoint covers occurred; None when all are signed.

    Two indexed reads: the newest checkpoint (by number) and the event after it (by seq).
    """
    seq_to = (
        LedgerCheckpoint.objects.filter(chain=chain)
        .order_by("-number")
        .values_list("seq_to", flat=True)
        .first()
    )
    return (
        LedgerEvent.objects.filter(chain=chain, seq=(seq_to or 0) + 1)
        .values_list("occurred_at", flat=True)
        .first()
    )


def checkpoint_due(
    *, chain: str = DEFAULT_CHAIN, at: dt.datetime | None = None, seconds: int | None = None
) -> bool:
    """Whether some event has waited `seconds` (the setting by default) for a signature."""
    since = unsigned_since(chain=chain)
    wait = checkpoint_seconds() if seconds is None else seconds
    return since is not None and (at or now()) - since >= dt.timedelta(seconds=wait)


def checkpoint_if_due(*, chain: str = DEFAULT_CHAIN) -> LedgerCheckpoint | None:
    """Sign a checkpoint when the oldest unsigned event has waited BARO_LEDGER_CHECKPOINT_SECONDS;
    None when none has (or nothing is unsigned). The worker's pass calls this.

    The head's lock is taken before looking, so two workers cannot both find it due and sign
    the same events twice (the second finds nothing unsigned).
    """
    with transaction.atomic():
        head = ChainHead.objects.select_for_update().filter(chain=chain).first()
        if head is None or not checkpoint_due(chain=chain):
            return None
        return checkpoint_locked(chain=chain, head_seq=head.seq)


def checkpoint_create(*, chain: str = DEFAULT_CHAIN) -> LedgerCheckpoint | None:
    """Sign a checkpoint over every event since the last one; None when there is none new.

    Runs in its own transaction (a savepoint when the caller already has one) and holds the
    chain head's lock, so no event can slip in between the Merkle root and the head it names.
    """
    with transaction.atomic():
        head = ChainHead.objects.select_for_update().filter(chain=chain).first()
        if head is None:
            return None
        return checkpoint_locked(chain=chain, head_seq=head.seq)


# In-line signing (record_event): when this process may next find a checkpoint due, per
# (database, chain), as (looked at, not due before). Learned from the database under the head's
# lock; other processes can only sign (which makes the next one due later, never sooner), so
# skipping the look until then never misses a due checkpoint. `looked at` guards against a clock
# set back (tests travel in time): then the entry is ignored.
_NOT_DUE_BEFORE: dict[tuple[str, str], tuple[dt.datetime, dt.datetime]] = {}


def checkpoint_locked_if_due(*, chain: str, head_seq: int, at: dt.datetime) -> None:
    """After an append (head lock held): sign when the oldest unsigned event has waited
    BARO_LEDGER_CHECKPOINT_SECONDS, so events keep being signed with no worker running.

    Costs a dictionary look-up per event; two indexed reads at most once per interval per
    process, and the signing itself when due (bench/task_transitions.py).
    """
    alias = transaction.get_connection().alias
    entry = _NOT_DUE_BEFORE.get((alias, chain))
    if entry is not None and entry[0] <= at < entry[1]:
        return
    wait = dt.timedelta(seconds=checkpoint_seconds())
    since = unsigned_since(chain=chain)
    if since is not None and at - since < wait:
        _NOT_DUE_BEFORE[(alias, chain)] = (at, since + wait)
        return
    # Due (or nothing unsigned, which the count-based checkpoint of this very event can leave).
    _NOT_DUE_BEFORE.pop((alias, chain), None)
    if since is not None:
        try:
            checkpoint_locked(chain=chain, head_seq=head_seq)
        except MissingKeyError:
            # Warn once an interval, not at every event.
            _NOT_DUE_BEFORE[(alias, chain)] = (at, at + wait)
            raise

    def remember() -> None:  # only once the checkpoint is in: a rollback takes it away
        _NOT_DUE_BEFORE[(alias, chain)] = (at, at + wait)

    transaction.on_commit(remember)


def checkpoint_locked(*, chain: str, head_seq: int) -> LedgerCheckpoint | None:
    """The body of checkpoint_create, for a caller that already holds the chain head's lock."""
    # Load the key before touching rows: a missing key must fail before anything is written.
    key = load_signing_key()
    previous = LedgerCheckpoint.objects.filter(chain=chain).order_by("-number").first()
    seq_from = previous.seq_to + 1 if previous else 1
    if head_seq < seq_from:
        return None
    leaves = bytearray()
    head_hash = ""
    expected = seq_from
    rows = (
        LedgerEvent.objects.filter(chain=chain, seq__gte=seq_from, seq__lte=head_seq)
        .order_by("seq")
        .values_list("seq", "hash")
        .iterator(chunk_size=HASH_CHUNK)
    )
    for seq, event_hash in rows:
        if seq != expected:
            # Never sign over a chain with a hole: that would vouch for the tampering.
            raise RuntimeError(f"ledger chain {chain} has no event {expected}; refusing to sign")
        leaves += bytes.fromhex(event_hash)  # a leaf is the raw event hash
        head_hash = event_hash
        expected += 1
    if expected != head_seq + 1:
        raise RuntimeError(f"ledger chain {chain} ends at {expected - 1}, head says {head_seq}")
    fields: dict[str, Any] = {
        "chain": chain,
        "number": previous.number + 1 if previous else 1,
        "seq_from": seq_from,
        "seq_to": head_seq,
        "merkle_root": root_from_leaves(leaves),
        "head_hash": head_hash,
        "prev_checkpoint_digest": previous.digest if previous else GENESIS_HASH,
        "key_id": key_id(key.public_key()),
        "signed_at": now(),
    }
    body = checkpoint_body(**fields)
    checkpoint = LedgerCheckpoint(
        **fields, body=body, signature=key.sign(body.encode()).hex(), leaves=bytes(leaves)
    )
    checkpoint.save(force_insert=True)
    logger.info("ledger checkpoint %s/%s signed", chain, checkpoint.number)
    return checkpoint
