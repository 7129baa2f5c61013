"""Telling people: the in-app notifications and the outbox rows that send them on, written by
notify() inside the calling command's transaction; and a person marking theirs read.

notify() is called by other commands inside their own transaction: it writes the in-app
notifications and the outbox rows (one delivery per outside channel) with the change they
announce, so nothing is sent for a command that rolled back, and nothing is lost once it
committed. It records no ledger event: the calling command records its one event. The worker
sends the outbox rows afterwards (baro.notify.services.delivery).

notification_mark_read() is not a command in Baro's sense: whether a person has read their
notification is their own UI state, not domain state, so it records no ledger event.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.db import connections, router

from baro.core.sql import Statements, insert_sql, statements
from baro.core.timeutil import now as _now
from baro.notify.models import Channel, Delivery, DeliveryStatus, Notification, WebhookEndpoint
from baro.org.models import Person

__all__ = ["KIND_MAX_CHARS", "TITLE_MAX_CHARS", "notification_mark_read", "notify"]

TITLE_MAX_CHARS = 300
KIND_MAX_CHARS = 80


# --------------------------------------------------------------------------------------------
# notify: called by other commands, inside their transaction


def notify(
    *,
    recipients: Iterable[Person],
    kind: str,
    title: str,
    body: str,
    url: str = "",
    object_type: str = "",
    object_id: str | int = "",
) -> int:
    """Tell `recipients`: one in-app notification each, and the outbox rows to send it on.

    Must run inside the caller's command transaction (RuntimeError otherwise). Recipients are
    counted once each; Baro's system actor and people no longer active are skipped. Besides
    the notification, each recipient gets an e-mail delivery when e-mail is configured
    (BARO_EMAIL_ENABLED) and they have an address, and one webhook delivery per active
    endpoint. Two plain statements for up to 200 recipients, two more per 200 after (the
    worker calls this tens of thousands of times in one pass). Returns the number of
    notifications created.
    """
    connection = connections[router.db_for_write(Notification)]
    if not connection.in_atomic_block:
        raise RuntimeError("notify() must run inside the command's transaction")
    kind = (kind or "").strip()
    if not kind or len(kind) > KIND_MAX_CHARS:
        raise ValueError(f"notify(): kind must be 1 to {KIND_MAX_CHARS} characters: {kind!r}")
    # The title is the e-mail subject: one line. A long one is shortened rather than refused,
    # so that telling people never makes the command that caused it fail.
    title = " ".join((title or "").split())
    if not title:
        raise ValueError("notify(): title is empty")
    if len(title) > TITLE_MAX_CHARS:
        title = title[: TITLE_MAX_CHARS - 1].rstrip() + "…"
    people: dict[int, Person] = {}
    for person in recipients:
        if person.pk is None or person.is_system or not person.is_active:
            continue
        people.setdefault(person.pk, person)
    if not people:
        return 0
    at = _now()
    stamp = Notification._meta.get_field("created_at").get_db_prep_value(at, connection)
    object_id = str(object_id) if object_id is not None else ""
    # Plain statements rather than Notification objects and bulk_create: the ORM cost more
    # than the database did here, once per ladder step (bench/worker_pass.py).
    ids: list[int] = []
    recipients_ids = list(people)
    with statements(connection) as run:
        for start in range(0, len(recipients_ids), _INSERT_CHUNK):
            part = recipients_ids[start : start + _INSERT_CHUNK]
            values: list[Any] = []
            for pk in part:
                values += [pk, kind, title, body or "", url or "", object_type or "", object_id]
                values += [stamp, None]
            sql = insert_sql(Notification, connection.alias, _NOTIFICATION_FIELDS, len(part))
            cursor = run.execute(sql, values)
            ids += [row[0] for row in cursor.fetchall()]
        _insert_deliveries(run, ids, at)
    return len(ids)


# The fields of the notification INSERT, in its VALUES order (a test checks they are the
# model's).
_NOTIFICATION_FIELDS = (
    "recipient",
    "kind",
    "title",
    "body",
    "url",
    "object_type",
    "object_id",
    "created_at",
    "read_at",
)


# At most this many rows per INSERT (well under every backend's limit of bound parameters).
_INSERT_CHUNK = 200


def _insert_deliveries(run: Statements, notification_ids: Sequence[int], at: dt.datetime) -> None:
    """The outbox rows of new notifications, as one INSERT … SELECT per chunk of ids.

    One statement reads each recipient's current e-mail address and the active webhook
    endpoints and writes the rows, where the ORM needed a query for the endpoints, Python
    objects for every row and an INSERT: this runs once per notify() call.
    """
    connection = run.connection
    stamp = Delivery._meta.get_field("created_at").get_db_prep_value(at, connection)
    email = bool(settings.BARO_EMAIL_ENABLED)
    # Constant values go in as parameters, so each backend adapts them its own way.
    for start in range(0, len(notification_ids), _INSERT_CHUNK):
        ids = list(notification_ids[start : start + _INSERT_CHUNK])
        params: list[Any] = []
        if email:
            params += [Channel.EMAIL, DeliveryStatus.PENDING, stamp, stamp, *ids]
        params += [Channel.WEBHOOK, DeliveryStatus.PENDING, stamp, stamp, *ids, True]
        run.execute(_deliveries_sql(connection.alias, email, len(ids)), params)


@functools.lru_cache(maxsize=64)
def _deliveries_sql(alias: str, email: bool, count: int) -> str:
    """The statement of _insert_deliveries, written once per database, e-mail setting and
    number of ids from the models' metadata."""
    quote = connections[alias].ops.quote_name
    d, n, p, e = (Delivery._meta, Notification._meta, Person._meta, WebhookEndpoint._meta)

    def col(meta: Any, field: str) -> str:
        return quote(meta.get_field(field).column)

    columns = ", ".join(
        col(d, name)
        for name in (
            "notification",
            "channel",
            "address",
            "endpoint",
            "status",
            "attempts",
            "next_attempt_at",
            "claim_token",
            "last_error",
            "created_at",
        )
    )
    marks = ", ".join(["%s"] * count)
    selects: list[str] = []
    if email:
        selects.append(
            f"SELECT n.{col(n, 'id')}, %s, p.{col(p, 'email')}, NULL, %s, 0, %s, '', '', %s "  # noqa: S608 (model identifiers)
            f"FROM {quote(n.db_table)} n "
            f"JOIN {quote(p.db_table)} p ON p.{col(p, 'id')} = n.{col(n, 'recipient')} "
            f"WHERE n.{col(n, 'id')} IN ({marks}) AND p.{col(p, 'email')} <> ''"
        )
    selects.append(
        f"SELECT n.{col(n, 'id')}, %s, '', e.{col(e, 'id')}, %s, 0, %s, '', '', %s "  # noqa: S608 (model identifiers)
        f"FROM {quote(n.db_table)} n CROSS JOIN {quote(e.db_table)} e "
        f"WHERE n.{col(n, 'id')} IN ({marks}) AND e.{col(e, 'is_active')} = %s"
    )
    return f"INSERT INTO {quote(d.db_table)} ({columns}) " + " UNION ALL ".join(selects)


# --------------------------------------------------------------------------------------------
# the person's own UI state


def notification_mark_read(*, person: Person, ids: Iterable[int] | None = None) -> int:
    """Mark `person`'s notifications read: those of `ids` (others' ids are ignored), or all
    when None. No ledger event: see the module docstring. Returns how many changed."""
    unread = Notification.objects.filter(recipient=person, read_at__isnull=True)
    if ids is not None:
        wanted = [int(pk) for pk in ids]
        if not wanted:
            return 0
        unread = unread.filter(pk__in=wanted)
    return unread.update(read_at=_now())
