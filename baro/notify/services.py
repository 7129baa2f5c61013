"""Notifications: what other areas call to tell people, the worker's delivery pass, and the
administrators' commands.

notify() is called by other commands inside their own transaction: it writes the in-app
notifications and the outbox rows (one delivery per outside channel) with the change they
announce, so nothing is sent for a command that rolled back, and nothing is lost once it
committed. It records no ledger event: the calling command records its one event.

deliver_due() is the worker's pass over the outbox. It claims due rows in one short
transaction (a conditional UPDATE that only takes rows still pending and due, after a SELECT …
FOR UPDATE SKIP LOCKED on PostgreSQL, so two workers never take the same row), then sends
outside any transaction, so an SMTP server that is down or a slow webhook receiver never holds
a lock or a command. A failed attempt is retried after 1, 5, 15, 60, 240 and 720 minutes; after
the seventh attempt the delivery is `failed`, its last error kept for the administrators, who
may re-queue it. A row whose worker died while sending becomes due again after
CLAIM_STALE_AFTER, so delivery is at least once: webhook receivers deduplicate by the
notification's "id" (also sent as the X-Baro-Delivery header, per delivery).

The administrators' commands follow Baro's one rule: authority first (registry.manage held
anywhere, see baro.notify.permissions), the change, and exactly one ledger event, in one
durable transaction, DomainError with a stable `notify.*` code otherwise:
webhook_register, webhook_disable, delivery_requeue.

notification_mark_read() is not a command in that sense: whether a person has read their
notification is their own UI state, not domain state, so it records no ledger event (and the
worker's bookkeeping of the outbox, attempts and errors, is not in the ledger either: it is
kept on the delivery rows themselves).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import json
import logging
import secrets
import socket
import urllib.error
import urllib.request
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connections, router, transaction
from django.db.models import F, Q
from django.utils import timezone

from baro.core.errors import ConflictError, DomainError, NotFoundError
from baro.core.sql import Statements, insert_sql, statements
from baro.core.timeutil import now as _now
from baro.core.validation import clean_fields
from baro.ledger.services import record_action
from baro.notify.models import Channel, Delivery, DeliveryStatus, Notification, WebhookEndpoint
from baro.notify.permissions import require_can_manage
from baro.org.models import Person

logger = logging.getLogger(__name__)

__all__ = [
    "BACKOFF_MINUTES",
    "CLAIM_STALE_AFTER",
    "MAX_ATTEMPTS",
    "DeliveryReport",
    "absolute_url",
    "deliver_due",
    "delivery_requeue",
    "notification_mark_read",
    "notify",
    "sign",
    "webhook_disable",
    "webhook_register",
]

OBJ_WEBHOOK = "notify.webhook"
OBJ_DELIVERY = "notify.delivery"

# Waits before the 2nd, 3rd… 7th attempt; the 7th failure is final (status `failed`).
BACKOFF_MINUTES: tuple[int, ...] = (1, 5, 15, 60, 240, 720)
MAX_ATTEMPTS = len(BACKOFF_MINUTES) + 1
# A row still `sending` this long after its claim belongs to a worker that died: far longer
# than one send may take (webhook and SMTP timeouts are 10 s), so a live worker keeps its row.
CLAIM_STALE_AFTER = dt.timedelta(minutes=15)
WEBHOOK_TIMEOUT_SECONDS = 10
ERROR_MAX_CHARS = 2000
TITLE_MAX_CHARS = 300
KIND_MAX_CHARS = 80
SECRET_MIN_CHARS = 16

_clean = partial(clean_fields, area="notify")


def absolute_url(url: str) -> str:
    """`url` as a link that works outside Baro: a path is joined to BARO_BASE_URL."""
    if not url:
        return ""
    if url.startswith("/") and not url.startswith("//"):
        return f"{settings.BARO_BASE_URL}{url}"
    return url


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
# deliver_due: the worker's pass


@dataclass
class DeliveryReport:
    """What one deliver_due pass did: sent, failed for good, and put back for a retry."""

    sent: int = 0
    failed: int = 0
    retried: int = 0

    @property
    def total(self) -> int:
        return self.sent + self.failed + self.retried

    def __str__(self) -> str:
        if not self.total:
            return "không có"
        return f"{self.sent} đã gửi, {self.retried} chờ gửi lại, {self.failed} lỗi hẳn"


class DeliveryError(Exception):
    """A delivery could not be sent this time; the message goes to Delivery.last_error."""


def _due(at: dt.datetime) -> Q:
    return Q(status=DeliveryStatus.PENDING, next_attempt_at__lte=at) | Q(
        status=DeliveryStatus.SENDING,
        claimed_at__lte=at - CLAIM_STALE_AFTER,
        attempts__lt=MAX_ATTEMPTS,
    )


def _claim(token: str, at: dt.datetime, limit: int) -> tuple[list[Delivery], int]:
    """Take up to `limit` due rows for this pass (marked with `token`); also give up on rows
    whose worker died during their last allowed attempt. Returns (claimed rows, given up)."""
    # durable: the claim must commit before anything is sent, so it may not sit inside a
    # caller's transaction (which would also keep the rows locked while sending).
    with transaction.atomic(durable=True):
        abandoned = Delivery.objects.filter(
            status=DeliveryStatus.SENDING,
            claimed_at__lte=at - CLAIM_STALE_AFTER,
            attempts__gte=MAX_ATTEMPTS,
        ).update(
            status=DeliveryStatus.FAILED,
            claim_token="",
            claimed_at=None,
            last_error="Tiến trình gửi bị dừng giữa chừng ở lần gửi cuối cùng.",
        )
        candidates = (
            Delivery.objects.filter(_due(at))
            .order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)
        )
        connection = transaction.get_connection()
        if connection.features.has_select_for_update_skip_locked:
            # Another worker's rows are skipped rather than waited for.
            candidates = candidates.select_for_update(skip_locked=True)
        ids = list(candidates[:limit])
        if ids:
            # Conditional: a row someone else took since the SELECT (SQLite has no row locks;
            # its IMMEDIATE transactions serialise this block) no longer matches, stays theirs.
            Delivery.objects.filter(_due(at), pk__in=ids).update(
                status=DeliveryStatus.SENDING,
                attempts=F("attempts") + 1,
                claimed_at=at,
                claim_token=token,
            )
    if not ids:
        return [], abandoned
    claimed = list(
        Delivery.objects.filter(pk__in=ids, claim_token=token)
        .select_related("notification", "notification__recipient", "endpoint")
        .order_by("pk")
    )
    return claimed, abandoned


def deliver_due(*, limit: int = 200, now: dt.datetime | None = None) -> DeliveryReport:
    """Send up to `limit` due deliveries; what the worker calls each pass.

    Must run outside any transaction (RuntimeError otherwise). Safe with several workers at
    once. `now` (default: the current time) decides what is due and when a retry is due.
    """
    at = now or timezone.now()
    token = secrets.token_hex(16)
    claimed, abandoned = _claim(token, at, max(1, limit))
    report = DeliveryReport(failed=abandoned)
    mailer = _Mailer()
    # One unreachable webhook receiver costs one timeout per pass, not one per delivery.
    unreachable: dict[int, str] = {}
    try:
        for delivery in claimed:
            try:
                if delivery.channel == Channel.EMAIL:
                    mailer.send(_email(delivery))
                else:
                    _post_webhook(delivery, unreachable)
            except _Refused as refused:
                if _mark(delivery, token, DeliveryStatus.FAILED, error=str(refused), at=at):
                    report.failed += 1
            except Exception as exc:  # any error of a channel is a failed attempt, retried
                error = _describe(exc)
                if delivery.attempts >= MAX_ATTEMPTS:
                    if _mark(delivery, token, DeliveryStatus.FAILED, error=error, at=at):
                        report.failed += 1
                else:
                    wait = dt.timedelta(minutes=BACKOFF_MINUTES[delivery.attempts - 1])
                    if _mark(
                        delivery,
                        token,
                        DeliveryStatus.PENDING,
                        error=error,
                        at=at,
                        next_attempt_at=at + wait,
                    ):
                        report.retried += 1
            else:
                if _mark(delivery, token, DeliveryStatus.SENT, at=now or timezone.now()):
                    report.sent += 1
    finally:
        mailer.close()
    if report.failed or report.retried:
        # One line per pass, not per delivery: an SMTP server that is down fails them all.
        logger.warning(
            "notify: %d sent, %d to retry, %d failed for good (see the deliveries page)",
            report.sent,
            report.retried,
            report.failed,
        )
    return report


def _mark(
    delivery: Delivery,
    token: str,
    status: str,
    *,
    at: dt.datetime,
    error: str = "",
    next_attempt_at: dt.datetime | None = None,
) -> bool:
    """Record the outcome of this pass's attempt, if the row is still this pass's (a worker
    that took too long may have lost it to another one: then the other one records)."""
    changes: dict[str, Any] = {"status": status, "claim_token": "", "claimed_at": None}
    if status == DeliveryStatus.SENT:
        changes |= {"sent_at": at, "last_error": ""}
    else:
        changes["last_error"] = error[:ERROR_MAX_CHARS]
    if next_attempt_at is not None:
        changes["next_attempt_at"] = next_attempt_at
    if status != DeliveryStatus.SENT:
        logger.info("notify: delivery %s %s: %s", delivery.pk, status, error)
    return bool(Delivery.objects.filter(pk=delivery.pk, claim_token=token).update(**changes))


class _Refused(Exception):  # not an error of the channel: no retry
    """The delivery must not be sent at all (its webhook endpoint was disabled)."""


def _describe(exc: BaseException) -> str:
    if isinstance(exc, DeliveryError):
        return str(exc)
    if isinstance(exc, urllib.error.HTTPError):
        return f"Điểm nhận trả lời HTTP {exc.code} {exc.reason}."
    if isinstance(exc, urllib.error.URLError):
        reason = exc.reason
        if isinstance(reason, TimeoutError | socket.timeout):
            return f"Điểm nhận không trả lời trong {WEBHOOK_TIMEOUT_SECONDS} giây."
        return f"Không kết nối được điểm nhận: {reason}."
    if isinstance(exc, TimeoutError | socket.timeout):
        return f"Quá thời gian chờ: {exc}."
    return f"{type(exc).__name__}: {exc}"


# --------------------------------------------------------------------------------------------
# e-mail


def _email(delivery: Delivery) -> EmailMessage:
    notification = delivery.notification
    link = absolute_url(notification.url)
    lines = [f"Kính gửi {notification.recipient.full_name},", "", notification.title]
    if notification.body:
        lines += ["", notification.body]
    if link:
        lines += ["", f"Xem chi tiết: {link}"]
    lines += [
        "",
        "--",
        "Thư tự động của Baro (Ba Rõ); vui lòng không trả lời thư này.",
        f"Xem mọi thông báo: {absolute_url('/thong-bao/')}",
    ]
    return EmailMessage(
        subject=notification.title,
        body="\n".join(lines),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[delivery.address],
        headers={"Auto-Submitted": "auto-generated"},
    )


class _Mailer:
    """One SMTP connection for a whole pass. Once the server could not be reached, the other
    e-mails of the pass fail at once with the same error instead of each waiting for the
    timeout; they are retried later like it."""

    def __init__(self) -> None:
        self.connection: BaseEmailBackend | None = None
        self.down = ""

    def send(self, message: EmailMessage) -> None:
        if not settings.BARO_EMAIL_ENABLED:
            raise DeliveryError("Chưa cấu hình máy chủ thư (BARO_EMAIL_HOST).")
        if self.down:
            raise DeliveryError(self.down)
        if self.connection is None:
            connection = get_connection(fail_silently=False)
            try:
                connection.open()
            except Exception as exc:
                self.down = f"Không kết nối được máy chủ thư: {_describe(exc)}"
                raise DeliveryError(self.down) from exc
            self.connection = connection
        try:
            sent = self.connection.send_messages([message])
        except Exception:
            self.close()  # the session may be broken: the next e-mail opens a new one
            raise
        if sent != 1:
            raise DeliveryError("Máy chủ thư không nhận thư.")

    def close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.close()
            except Exception:  # closing a dead session: nothing left to do
                logger.debug("notify: closing the SMTP connection failed", exc_info=True)
            self.connection = None


# --------------------------------------------------------------------------------------------
# webhooks


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The X-Baro-Signature header: HMAC-SHA256 of "<timestamp>.<body>" with the secret."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


def webhook_body(notification: Notification) -> bytes:
    """The JSON a webhook receives for `notification` (UTF-8, Vietnamese as is)."""
    recipient = notification.recipient
    payload = {
        "id": notification.pk,
        "kind": notification.kind,
        "title": notification.title,
        "body": notification.body,
        "url": absolute_url(notification.url),
        "object_type": notification.object_type,
        "object_id": notification.object_id,
        "created_at": notification.created_at.isoformat(),
        "recipient": {
            "id": recipient.pk,
            "full_name": recipient.full_name,
            "email": recipient.email,
        },
    }
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer other than 2xx: a failure, not a new address to POST to."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def _post_webhook(delivery: Delivery, unreachable: dict[int, str]) -> None:
    endpoint = delivery.endpoint
    assert endpoint is not None  # a database constraint: webhook rows have their endpoint
    if not endpoint.is_active:
        raise _Refused("Điểm nhận webhook đã bị tắt; không gửi.")
    if endpoint.pk in unreachable:
        raise DeliveryError(unreachable[endpoint.pk])
    body = webhook_body(delivery.notification)
    timestamp = str(int(timezone.now().timestamp()))
    request = urllib.request.Request(  # noqa: S310 (the URL's scheme is checked: http or https)
        endpoint.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "Baro-Webhook/1",
            "X-Baro-Timestamp": timestamp,
            "X-Baro-Signature": sign(endpoint.secret, timestamp, body),
            "X-Baro-Delivery": str(delivery.pk),
        },
    )
    try:
        with _opener.open(request, timeout=WEBHOOK_TIMEOUT_SECONDS) as response:
            status = response.status
    except urllib.error.HTTPError:
        raise  # the receiver answered: other deliveries to it are still tried
    except (urllib.error.URLError, OSError) as exc:
        unreachable[endpoint.pk] = _describe(exc)
        raise
    if not 200 <= status < 300:
        raise DeliveryError(f"Điểm nhận trả lời HTTP {status}.")


# --------------------------------------------------------------------------------------------
# the administrators' commands


def _url_problem(url: str) -> str:
    """What is wrong with a webhook URL, in Vietnamese; "" when it is usable."""
    try:
        parts = urlsplit(url)
        host, _ = parts.hostname, parts.port  # .port raises ValueError when not a number
    except ValueError:
        return "không đúng định dạng"
    if parts.scheme not in ("http", "https") or not host:
        return "phải bắt đầu bằng http:// hoặc https:// và có tên máy chủ"
    if parts.username or parts.password:
        # It would be kept in the ledger and shown to every administrator.
        return "không được chứa tên đăng nhập, mật khẩu (dùng khóa ký thay thế)"
    if any(c.isspace() for c in url) or len(url) > 500:
        return "không được có dấu cách và dài quá 500 ký tự"
    return ""


def _valid_url(url: str) -> str:
    url = (url or "").strip()
    if not url:
        raise DomainError(
            "notify.webhook_url_invalid", "Chưa nhập địa chỉ nhận webhook.", field="url"
        )
    problem = _url_problem(url)
    if problem:
        raise DomainError(
            "notify.webhook_url_invalid",
            f"Địa chỉ nhận “{url[:100]}” không hợp lệ: {problem}, ví dụ "
            "https://he-thong-khac.gov.vn/baro/webhook.",
            field="url",
        )
    return url


def _endpoint_state(endpoint: WebhookEndpoint) -> dict[str, Any]:
    # Never the secret: the ledger is read by inspectors and exported.
    return {
        "url": endpoint.url,
        "description": endpoint.description,
        "is_active": endpoint.is_active,
    }


@transaction.atomic
def webhook_register(
    *, actor: Person, url: str, description: str = "", secret: str = ""
) -> WebhookEndpoint:
    """Register a webhook endpoint that will receive every notification from now on.

    Without `secret`, one is generated (secrets.token_urlsafe(32)); either way it is on the
    returned endpoint only: the ledger event holds the URL and description, not the secret.
    """
    decision = require_can_manage(actor)
    url = _valid_url(url)
    description = " ".join((description or "").split())
    given = (secret or "").strip()
    if given and len(given) < SECRET_MIN_CHARS:
        raise DomainError(
            "notify.webhook_secret_short",
            f"Khóa ký phải dài ít nhất {SECRET_MIN_CHARS} ký tự; để trống để Baro tự tạo.",
            field="secret",
        )
    endpoint = WebhookEndpoint(
        url=url,
        secret=given or secrets.token_urlsafe(32),
        description=description,
        is_active=True,
        created_by=actor,
        created_at=_now(),
    )
    _clean(endpoint)
    endpoint.save(force_insert=True)
    record_action(
        actor=actor,
        decision=decision,
        action="notify.webhook.registered",
        object_type=OBJ_WEBHOOK,
        object_id=endpoint.pk,
        payload={"after": _endpoint_state(endpoint), "secret_generated": not given},
    )
    return endpoint


@transaction.atomic
def webhook_disable(*, actor: Person, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """Stop sending to `endpoint`; its deliveries still waiting are given up (failed).

    Disabling is final: to resume, register the receiver again (with a new secret).
    """
    decision = require_can_manage(actor)
    try:
        endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    except WebhookEndpoint.DoesNotExist as exc:
        raise NotFoundError("Không tìm thấy điểm nhận webhook.") from exc
    if not endpoint.is_active:
        raise ConflictError(
            "notify.webhook_already_disabled",
            f"Điểm nhận {endpoint.url} đã tắt từ trước.",
        )
    before = _endpoint_state(endpoint)
    endpoint.is_active = False
    endpoint.disabled_at = _now()
    endpoint.save(update_fields=["is_active", "disabled_at"])
    cancelled = Delivery.objects.filter(endpoint=endpoint, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.FAILED,
        last_error="Điểm nhận webhook đã bị tắt; không gửi.",
    )
    record_action(
        actor=actor,
        decision=decision,
        action="notify.webhook.disabled",
        object_type=OBJ_WEBHOOK,
        object_id=endpoint.pk,
        payload={
            "before": before,
            "after": _endpoint_state(endpoint),
            "cancelled_deliveries": cancelled,
        },
    )
    return endpoint


@transaction.atomic
def delivery_requeue(*, actor: Person, delivery: Delivery) -> Delivery:
    """Put a failed delivery back in the outbox, due now, with all its attempts again.

    Its last error stays visible until the next attempt.
    """
    decision = require_can_manage(actor)
    try:
        delivery = (
            Delivery.objects.select_for_update(of=("self",))
            .select_related("endpoint")
            .get(pk=delivery.pk)
        )
    except Delivery.DoesNotExist as exc:
        raise NotFoundError("Không tìm thấy lượt gửi.") from exc
    if delivery.status != DeliveryStatus.FAILED:
        raise ConflictError(
            "notify.delivery_not_failed",
            f"Chỉ gửi lại được lượt gửi không thành công; lượt này đang ở trạng thái "
            f"“{delivery.get_status_display()}”.",
            field="status",
        )
    if delivery.channel == Channel.WEBHOOK and not (
        delivery.endpoint and delivery.endpoint.is_active
    ):
        raise DomainError(
            "notify.webhook_disabled",
            "Điểm nhận webhook của lượt gửi này đã tắt; không gửi lại được.",
            field="endpoint",
        )
    if delivery.channel == Channel.EMAIL and not settings.BARO_EMAIL_ENABLED:
        raise DomainError(
            "notify.email_disabled",
            "Chưa cấu hình máy chủ thư (BARO_EMAIL_HOST); chưa gửi lại thư được.",
            field="channel",
        )
    before = {"status": delivery.status, "attempts": delivery.attempts}
    delivery.status = DeliveryStatus.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = _now()
    delivery.claim_token = ""
    delivery.claimed_at = None
    delivery.save(
        update_fields=["status", "attempts", "next_attempt_at", "claim_token", "claimed_at"]
    )
    record_action(
        actor=actor,
        decision=decision,
        action="notify.delivery.requeued",
        object_type=OBJ_DELIVERY,
        object_id=delivery.pk,
        # No address nor error text: personal data stays out of the append-only ledger.
        payload={
            "channel": delivery.channel,
            "notification_id": delivery.notification_id,
            "endpoint_id": delivery.endpoint_id,
            "before": before,
            "after": {"status": delivery.status, "attempts": delivery.attempts},
        },
    )
    return delivery


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
