"""The ledger: an append-only, hash-chained record of every action Baro takes."""

from __future__ import annotations

import json
from typing import Any

from django.db import models

from baro.ledger.canonical import DEFAULT_CHAIN


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
        return json.loads(self.body)["payload"]


class ChainHead(models.Model):
    """The last sequence number and hash of each chain; its row lock serialises appends."""

    chain = models.CharField(max_length=40, primary_key=True)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"{self.chain}@{self.seq}"
