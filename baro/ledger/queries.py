"""Reads of the ledger: lists for the API and pages, the chain's state."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from baro.ledger.canonical import DEFAULT_CHAIN, GENESIS_HASH
from baro.ledger.models import ChainHead, LedgerCheckpoint, LedgerEvent


def event_list(
    *,
    action: str | None = None,
    actor: str | None = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    seq_from: int | None = None,
    seq_to: int | None = None,
    chain: str = DEFAULT_CHAIN,
) -> QuerySet[LedgerEvent]:
    """Events of `chain` matching every filter given, newest first."""
    events = LedgerEvent.objects.filter(chain=chain)
    if action:
        events = events.filter(action=action)
    if actor:
        events = events.filter(actor=actor)
    if object_type:
        events = events.filter(object_type=object_type)
    if object_id not in (None, ""):
        events = events.filter(object_id=str(object_id))
    if seq_from is not None:
        events = events.filter(seq__gte=seq_from)
    if seq_to is not None:
        events = events.filter(seq__lte=seq_to)
    return events.order_by("-seq")


def events_for_objects(
    pairs: Iterable[tuple[str, str | int]], *, chain: str = DEFAULT_CHAIN
) -> QuerySet[LedgerEvent]:
    """Events about any of the (object_type, object_id) pairs, newest first (a task's history
    together with its urgings, say)."""
    condition = Q()
    for object_type, object_id in pairs:
        condition |= Q(object_type=object_type, object_id=str(object_id))
    if not condition:
        return LedgerEvent.objects.none()
    return LedgerEvent.objects.filter(condition, chain=chain).order_by("-seq")


def checkpoint_list(*, chain: str = DEFAULT_CHAIN) -> QuerySet[LedgerCheckpoint]:
    return LedgerCheckpoint.objects.filter(chain=chain).order_by("-number")


@dataclass(frozen=True)
class ChainStatus:
    chain: str
    head_seq: int
    head_hash: str
    last_checkpoint: LedgerCheckpoint | None

    @property
    def unsigned_events(self) -> int:
        """Events after the last checkpoint, not yet vouched for by the key."""
        return self.head_seq - (self.last_checkpoint.seq_to if self.last_checkpoint else 0)


def chain_status(*, chain: str = DEFAULT_CHAIN) -> ChainStatus:
    head = ChainHead.objects.filter(chain=chain).first()
    return ChainStatus(
        chain=chain,
        head_seq=head.seq if head else 0,
        head_hash=head.hash if head else GENESIS_HASH,
        last_checkpoint=checkpoint_list(chain=chain).first(),
    )
