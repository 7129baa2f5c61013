"""Ledger checks for every package's tests: a command leaves exactly one new event.

Each app's tests assert the audit trail of their commands the same way, so the two helpers
live here rather than in one app's tests.
"""

from __future__ import annotations

from baro.ledger.models import LedgerEvent


def one_new_event(before_seq: int) -> LedgerEvent:
    new = list(LedgerEvent.objects.filter(seq__gt=before_seq).order_by("seq"))
    assert len(new) == 1, [event.action for event in new]
    return new[0]


def last_seq() -> int:
    last = LedgerEvent.objects.order_by("-seq").first()
    return last.seq if last else 0
