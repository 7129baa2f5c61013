"""Reads of notifications: a person's own, and the administrators' view of the outbox.

A person sees only their own notifications (anything else is "not found"); webhooks and
deliveries are for those who may administer notifications (baro.notify.permissions, which
also fetches one endpoint or one delivery for them).
"""

from __future__ import annotations

from django.db.models import QuerySet

from baro.notify.models import Channel, Delivery, DeliveryStatus, Notification, WebhookEndpoint
from baro.notify.permissions import require_can_manage
from baro.org.models import Person

__all__ = [
    "BELL_CAP",
    "delivery_list",
    "notifications_for",
    "unread_count",
    "waiting_count",
    "webhook_list",
]

# The bell counts up to this many and shows "99+" beyond: the COUNT then stops early however
# many unread notifications a person has piled up.
BELL_CAP = 100


def unread_count(person: Person, *, cap: int | None = None) -> int:
    """How many notifications `person` has not read (at most `cap`, when given): one COUNT
    over the (recipient, read_at) index."""
    unread = Notification.objects.filter(recipient=person, read_at__isnull=True)
    if cap is not None:
        return unread.values("pk")[:cap].count()
    return unread.count()


def notifications_for(person: Person, unread_only: bool = False) -> QuerySet[Notification]:
    """`person`'s notifications, newest first (slice or paginate it)."""
    mine = Notification.objects.filter(recipient=person)
    if unread_only:
        mine = mine.filter(read_at__isnull=True)
    return mine.order_by("-id")


def webhook_list(*, actor: Person) -> QuerySet[WebhookEndpoint]:
    """Every webhook endpoint, active ones first (AuthorityError unless `actor` administers)."""
    require_can_manage(actor)
    return WebhookEndpoint.objects.select_related("created_by").order_by("-is_active", "-id")


def delivery_list(
    *, actor: Person, status: str | None = None, channel: str | None = None
) -> QuerySet[Delivery]:
    """The outbox, newest first, filtered by status and channel (unknown values: no filter)."""
    require_can_manage(actor)
    rows = Delivery.objects.select_related(
        "notification", "notification__recipient", "endpoint"
    ).order_by("-id")
    if status in DeliveryStatus.values:
        rows = rows.filter(status=status)
    if channel in Channel.values:
        rows = rows.filter(channel=channel)
    return rows


def waiting_count(endpoint: WebhookEndpoint) -> int:
    """How many deliveries to `endpoint` still wait to be sent (disabling it gives them up)."""
    return Delivery.objects.filter(endpoint=endpoint, status=DeliveryStatus.PENDING).count()
