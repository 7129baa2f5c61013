"""The ledger: an append-only, hash-chained record of every action Baro takes."""

from __future__ import annotations

import json
from typing import Any

from django.db import models

from baro.ledger.canonical import DEFAULT_CHAIN, checkpoint_digest


class LedgerEvent(models.Model):
    """One action, as it happened. Never updated, never deleted (triggers refuse both).

    chain         which hash chain the event belongs to; one chain today, room to partition
                  (for example one chain per top-level unit, joined by checkpoints)
    seq           1, 2, 3… without gaps within a chain
    occurred_at   when the command committed its change
    actor         who acted, as a reference ("person:42", "system:worker")
    on_behalf_of  whose power was used when acting under delegation, else ""
    action        a stable dotted verb ("org.unit.created")
    object_type   what kind of object the action changed ("org.unit")
    object_id     which one
    body          canonical JSON of the fields above plus the payload: the bytes that are hashed
    prev_hash     hash of the previous event of the chain (64 zeros for the first)
    hash          SHA-256 over seq, prev_hash and body (see baro.ledger.canonical)
    """

    chain = models.CharField(max_length=40, default=DEFAULT_CHAIN)
    seq = models.BigIntegerField()
    occurred_at = models.DateTimeField()
    actor = models.CharField(max_length=80)
    on_behalf_of = models.CharField(max_length=80, blank=True, default="")
    action = models.CharField(max_length=80)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64)
    body = models.TextField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["chain", "seq"], name="ledger_event_chain_seq_unique"),
        ]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="ledger_event_object_idx"),
            models.Index(fields=["actor"], name="ledger_event_actor_idx"),
            models.Index(fields=["action"], name="ledger_event_action_idx"),
        ]
        ordering = ["chain", "seq"]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise RuntimeError("ledger events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("ledger events are append-only")

    @property
    def payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = json.loads(self.body)["payload"]
        return payload


class ChainHead(models.Model):
    """The last sequence number and hash of each chain; its row lock serialises appends."""

    chain = models.CharField(max_length=40, primary_key=True)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"{self.chain}@{self.seq}"


class LedgerCheckpoint(models.Model):
    """A signed Merkle checkpoint: the installation key vouches for events seq_from..seq_to.

    number                  1, 2, 3… per chain, without gaps
    seq_from / seq_to       the events covered: every event since the previous checkpoint
    merkle_root             16-ary Merkle root over those events' hashes (baro.ledger.merkle)
    head_hash               hash of event seq_to; through the hash chain it commits to all
                            earlier events as well
    prev_checkpoint_digest  SHA-256 of the previous checkpoint's body (64 zeros for the first),
                            so checkpoints form their own chain and none can be dropped quietly
    key_id                  which installation key signed (baro.ledger.keys.key_id)
    signed_at               when it was signed
    body                    canonical JSON of the fields above: the bytes that are signed
    signature               hex Ed25519 signature over body
    leaves                  the Merkle tree's leaves as signed: the covered events' raw hashes,
                            32 bytes each in seq order (None for checkpoints signed before it
                            was kept). Not signed itself, and it needs not be: the signed root
                            commits to it. After the chain is edited and re-hashed, the verifier
                            compares it with the events and names the first that differs.
    Never updated, never deleted (triggers refuse both).
    """

    chain = models.CharField(max_length=40, default=DEFAULT_CHAIN)
    number = models.BigIntegerField()
    seq_from = models.BigIntegerField()
    seq_to = models.BigIntegerField()
    merkle_root = models.CharField(max_length=64)
    head_hash = models.CharField(max_length=64)
    prev_checkpoint_digest = models.CharField(max_length=64)
    key_id = models.CharField(max_length=64)
    signed_at = models.DateTimeField()
    body = models.TextField()
    signature = models.CharField(max_length=128)
    # Nullable: SQLite then adds the column in place instead of rebuilding the table, which
    # would drop its append-only triggers.
    leaves = models.BinaryField(null=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["chain", "number"], name="ledger_checkpoint_chain_number_unique"
            ),
            models.UniqueConstraint(
                fields=["chain", "seq_to"], name="ledger_checkpoint_chain_seq_to_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(seq_from__lte=models.F("seq_to")),
                name="ledger_checkpoint_range",
            ),
        ]
        ordering = ["chain", "number"]

    def __str__(self) -> str:
        return f"{self.chain} checkpoint {self.number} (#{self.seq_from}–#{self.seq_to})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise RuntimeError("ledger checkpoints are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("ledger checkpoints are append-only")

    @property
    def digest(self) -> str:
        return checkpoint_digest(self.body)

    @property
    def line(self) -> str:
        """The export line of this checkpoint (without the newline)."""
        return f"C\t{self.body}\t{self.signature}"
