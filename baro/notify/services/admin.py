"""The administrators' commands: register and disable webhook endpoints, re-queue a failed
delivery.

They follow Baro's one rule: authority first (registry.manage held anywhere, see
baro.notify.permissions), the change, and exactly one ledger event, in the transaction of the
entry point that runs them (run_command); DomainError with a stable `notify.*` code otherwise.
The ledger never holds a webhook's secret, a recipient's address nor an error text.
"""

from __future__ import annotations

import secrets
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from baro.core.errors import ConflictError, DomainError, NotFoundError
from baro.core.run import command
from baro.core.timeutil import now as _now
from baro.core.validation import clean_fields
from baro.ledger.services import record_action
from baro.notify.models import Channel, Delivery, DeliveryStatus, WebhookEndpoint
from baro.notify.permissions import require_can_manage
from baro.org.models import Person

__all__ = ["delivery_requeue", "webhook_disable", "webhook_register"]

OBJ_WEBHOOK = "notify.webhook"
OBJ_DELIVERY = "notify.delivery"
SECRET_MIN_CHARS = 16

_clean = partial(clean_fields, area="notify")


# --------------------------------------------------------------------------------------------
# the administrators' commands


def _url_problem(url: str) -> str:
    """What is wrong with a webhook URL, in Vietnamese; "" when it is usable."""
    try:
        parts = urlsplit(url)
        host, _ = parts.hostname, parts.port  # .port raises ValueError when not a number
    except ValueError:
        return gettext("không đúng định dạng")
    if parts.scheme not in ("http", "https") or not host:
        return gettext("phải bắt đầu bằng http:// hoặc https:// và có tên máy chủ")
    if parts.username or parts.password:
        # It would be kept in the ledger and shown to every administrator.
        return gettext("không được chứa tên đăng nhập, mật khẩu (dùng khóa ký thay thế)")
    if any(c.isspace() for c in url) or len(url) > 500:
        return gettext("không được có dấu cách và dài quá 500 ký tự")
    return ""


def _valid_url(url: str) -> str:
    url = (url or "").strip()
    if not url:
        raise DomainError(
            "notify.webhook_url_invalid", _("Chưa nhập địa chỉ nhận webhook."), field="url"
        )
    problem = _url_problem(url)
    if problem:
        raise DomainError(
            "notify.webhook_url_invalid",
            _(
                "Địa chỉ nhận “%(url)s” không hợp lệ: %(problem)s, ví dụ "
                "https://he-thong-khac.gov.vn/baro/webhook."
            )
            % {"url": url[:100], "problem": problem},
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


@command
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
            _("Khóa ký phải dài ít nhất %(min_chars)s ký tự; để trống để Baro tự tạo.")
            % {"min_chars": SECRET_MIN_CHARS},
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


@command
def webhook_disable(*, actor: Person, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """Stop sending to `endpoint`; its deliveries still waiting are given up (failed).

    Disabling is final: to resume, register the receiver again (with a new secret).
    """
    decision = require_can_manage(actor)
    try:
        endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    except WebhookEndpoint.DoesNotExist as exc:
        raise NotFoundError(_("Không tìm thấy điểm nhận webhook.")) from exc
    if not endpoint.is_active:
        raise ConflictError(
            "notify.webhook_already_disabled",
            _("Điểm nhận %(url)s đã tắt từ trước.") % {"url": endpoint.url},
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


@command
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
        raise NotFoundError(_("Không tìm thấy lượt gửi.")) from exc
    if delivery.status != DeliveryStatus.FAILED:
        raise ConflictError(
            "notify.delivery_not_failed",
            _(
                "Chỉ gửi lại được lượt gửi không thành công; lượt này đang ở trạng thái "
                "“%(status)s”."
            )
            % {"status": delivery.get_status_display()},
            field="status",
        )
    if delivery.channel == Channel.WEBHOOK and not (
        delivery.endpoint and delivery.endpoint.is_active
    ):
        raise DomainError(
            "notify.webhook_disabled",
            _("Điểm nhận webhook của lượt gửi này đã tắt; không gửi lại được."),
            field="endpoint",
        )
    if delivery.channel == Channel.EMAIL and not settings.BARO_EMAIL_ENABLED:
        raise DomainError(
            "notify.email_disabled",
            _("Chưa cấu hình máy chủ thư (BARO_EMAIL_HOST); chưa gửi lại thư được."),
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
