"""Signed Merkle checkpoints: the installation key vouches for a stretch of the chain."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

from baro.core.timeutil import now
from baro.ledger.canonical import DEFAULT_CHAIN, GENESIS_HASH, checkpoint_body
from baro.ledger.keys import key_id, load_signing_key
from baro.ledger.merkle import root_from_leaves
from baro.ledger.models import ChainHead, LedgerCheckpoint, LedgerEvent

logger = logging.getLogger(__name__)

HASH_CHUNK = 5000


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
    checkpoint = LedgerCheckpoint(**fields, body=body, signature=key.sign(body.encode()).hex())
    checkpoint.save(force_insert=True)
    logger.info("ledger checkpoint %s/%s signed", chain, checkpoint.number)
    return checkpoint
