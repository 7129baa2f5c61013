"""Notifications: what other areas call to tell people, the worker's delivery pass, and the
administrators' commands. One module per side, all importable from here:

- inbox: notify(), which other commands call inside their own transaction: it writes the
  in-app notifications and the outbox rows (one delivery per outside channel) with the change
  they announce, so nothing is sent for a command that rolled back, and nothing is lost once it
  committed. It records no ledger event: the calling command records its one event. And
  notification_mark_read(), a person's own UI state (no ledger event either).
- delivery: deliver_due(), the worker's pass over the outbox: it claims due rows in a short
  transaction of its own, then sends e-mail (SMTP) and webhooks outside any transaction, and
  retries with a back-off. Its bookkeeping (attempts, errors) is kept on the delivery rows,
  not in the ledger.
- admin: the administrators' commands, which follow Baro's one rule (authority first, the
  change, exactly one ledger event): webhook_register, webhook_disable, delivery_requeue.
"""

from __future__ import annotations

from baro.notify.services.admin import delivery_requeue, webhook_disable, webhook_register
from baro.notify.services.delivery import (
    BACKOFF_MINUTES,
    CLAIM_STALE_AFTER,
    MAX_ATTEMPTS,
    DeliveryReport,
    absolute_url,
    deliver_due,
    sign,
    webhook_body,
)
from baro.notify.services.inbox import TITLE_MAX_CHARS, notification_mark_read, notify

__all__ = [
    "BACKOFF_MINUTES",
    "CLAIM_STALE_AFTER",
    "MAX_ATTEMPTS",
    "TITLE_MAX_CHARS",
    "DeliveryReport",
    "absolute_url",
    "deliver_due",
    "delivery_requeue",
    "notification_mark_read",
    "notify",
    "sign",
    "webhook_body",
    "webhook_disable",
    "webhook_register",
]
