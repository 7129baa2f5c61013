"""The worker's pass over the outbox: deliver_due(), and the two channels it sends on (e-mail
over SMTP, webhooks over HTTP).

deliver_due() claims due rows in one short transaction (a conditional UPDATE that only takes
rows still pending and due, after a SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL, so two
workers never take the same row), then sends outside any transaction, so an SMTP server that
is down or a slow webhook receiver never holds a lock or a command. A failed attempt is
retried after 1, 5, 15, 60, 240 and 720 minutes; after the seventh attempt the delivery is
`failed`, its last error kept for the administrators, who may re-queue it. A row whose worker
died while sending becomes due again after CLAIM_STALE_AFTER, so delivery is at least once:
webhook receivers deduplicate by the notification's "id" (also sent as the X-Baro-Delivery
header, per delivery).

The worker's bookkeeping of the outbox, attempts and errors, is not in the ledger: it is kept
on the delivery rows themselves.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import secrets
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from baro.notify.models import Channel, Delivery, DeliveryStatus, Notification

logger = logging.getLogger(__name__)

__all__ = [
    "BACKOFF_MINUTES",
    "CLAIM_STALE_AFTER",
    "MAX_ATTEMPTS",
    "DeliveryError",
    "DeliveryReport",
    "absolute_url",
    "deliver_due",
    "sign",
    "webhook_body",
]

# Waits before the 2nd, 3rd… 7th attempt; the 7th failure is final (status `failed`).
BACKOFF_MINUTES: tuple[int, ...] = (1, 5, 15, 60, 240, 720)
MAX_ATTEMPTS = len(BACKOFF_MINUTES) + 1
# A row still `sending` this long after its claim belongs to a worker that died: far longer
# than one send may take (webhook and SMTP timeouts are 10 s), so a live worker keeps its row.
CLAIM_STALE_AFTER = dt.timedelta(minutes=15)
WEBHOOK_TIMEOUT_SECONDS = 10
ERROR_MAX_CHARS = 2000


def absolute_url(url: str) -> str:
    """`url` as a link that works outside Baro: a path is joined to BARO_BASE_URL."""
    if not url:
        return ""
    if url.startswith("/") and not url.startswith("//"):
        return f"{settings.BARO_BASE_URL}{url}"
    return url


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
