"""Webhooks through a real HTTP receiver: signed JSON, retried on a non-2xx answer, given up
for a disabled endpoint; a row whose worker died is taken again."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json

import pytest
from django.test import override_settings
from django.utils import timezone

from baro.notify import services
from baro.notify.models import Delivery, DeliveryStatus, Notification, WebhookEndpoint
from baro.notify.services import delivery as outbox
from baro.testing.notify import HookServer, NotifyWorld, tell

pytestmark = pytest.mark.django_db


def register(nw: NotifyWorld, hook: HookServer, **kwargs: str) -> WebhookEndpoint:
    return services.webhook_register(
        actor=nw.admin, url=hook.url, description="Cổng thông tin điện tử", **kwargs
    )


def test_the_receiver_gets_signed_json_it_can_verify(nw: NotifyWorld, hook: HookServer) -> None:
    endpoint = register(nw, hook)
    with override_settings(BARO_BASE_URL="https://baro.hanoi.gov.vn"):
        tell([nw.officer])
        report = services.deliver_due()
    assert (report.sent, report.failed, report.retried) == (1, 0, 0)
    (request,) = hook.received
    assert request.path == "/baro-hook"
    headers = {k.lower(): v for k, v in request.headers.items()}
    assert headers["content-type"] == "application/json; charset=utf-8"
    timestamp = headers["x-baro-timestamp"]
    assert abs(int(timestamp) - timezone.now().timestamp()) < 60
    # What a receiver does: recompute the HMAC over "<timestamp>.<body>" with its secret.
    expected = hmac.new(
        endpoint.secret.encode(), timestamp.encode() + b"." + request.body, hashlib.sha256
    ).hexdigest()
    assert hmac.compare_digest(headers["x-baro-signature"], f"sha256={expected}")
    wrong = hmac.new(b"not the secret", timestamp.encode() + b"." + request.body, hashlib.sha256)
    assert headers["x-baro-signature"] != f"sha256={wrong.hexdigest()}"
    # UTF-8 as is, not \u escapes.
    assert "Rà soát thủ tục hành chính".encode() in request.body
    payload = json.loads(request.body.decode("utf-8"))
    notification = Notification.objects.get()
    assert payload == {
        "id": notification.pk,
        "kind": "task.assigned",
        "title": "Nhiệm vụ mới: Rà soát thủ tục hành chính",
        "body": "Đồng chí được giao chủ trì rà soát thủ tục hành chính, hạn 15/10/2025.",
        "url": "https://baro.hanoi.gov.vn/nhiem-vu/12/",
        "object_type": "work.task",
        "object_id": "12",
        "created_at": notification.created_at.isoformat(),
        "recipient": {
            "id": nw.officer.pk,
            "full_name": "Chuyên Viên",
            "email": "chuyen.vien@hanoi.gov.vn",
        },
    }
    delivery = Delivery.objects.get()
    assert headers["x-baro-delivery"] == str(delivery.pk)
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 1)


def test_a_given_secret_is_the_one_used_to_sign(nw: NotifyWorld, hook: HookServer) -> None:
    register(nw, hook, secret="khoa-ky-rieng-cua-he-thong-nhan")
    tell([nw.head])
    services.deliver_due()
    (request,) = hook.received
    timestamp = request.headers["X-Baro-Timestamp"]
    assert request.headers["X-Baro-Signature"] == services.sign(
        "khoa-ky-rieng-cua-he-thong-nhan", timestamp, request.body
    )


def test_a_500_answer_is_retried_until_the_receiver_accepts(
    nw: NotifyWorld, hook: HookServer
) -> None:
    register(nw, hook)
    tell([nw.officer, nw.head])
    hook.status = 500
    at = timezone.now()
    report = services.deliver_due(now=at)
    assert (report.sent, report.failed, report.retried) == (0, 0, 2)
    assert len(hook.received) == 2  # the receiver answered: both were tried
    for delivery in Delivery.objects.all():
        assert delivery.status == DeliveryStatus.PENDING
        assert delivery.attempts == 1
        assert delivery.next_attempt_at == at + dt.timedelta(minutes=1)
        assert delivery.last_error == "Điểm nhận trả lời HTTP 500 Internal Server Error."
    hook.status = 200
    report = services.deliver_due(now=at + dt.timedelta(minutes=1))
    assert (report.sent, report.failed, report.retried) == (2, 0, 0)
    assert len(hook.received) == 4
    assert set(Delivery.objects.values_list("status", "attempts")) == {(DeliveryStatus.SENT, 2)}


def test_a_redirect_is_a_failure_not_followed(nw: NotifyWorld, hook: HookServer) -> None:
    register(nw, hook)
    tell([nw.officer])
    hook.status = 302
    assert services.deliver_due().retried == 1
    assert "HTTP 302" in Delivery.objects.get().last_error


def test_an_unreachable_receiver_costs_one_try_per_pass(nw: NotifyWorld) -> None:
    services.webhook_register(actor=nw.admin, url="http://127.0.0.1:9/khong-co-ai")
    tell([nw.officer, nw.head, nw.admin])
    report = services.deliver_due()
    assert report.retried == 3
    errors = set(Delivery.objects.values_list("last_error", flat=True))
    assert len(errors) == 1 and next(iter(errors)).startswith("Không kết nối được điểm nhận")


def test_disabling_an_endpoint_gives_up_its_waiting_deliveries(
    nw: NotifyWorld, hook: HookServer
) -> None:
    endpoint = register(nw, hook)
    tell([nw.officer])
    services.webhook_disable(actor=nw.admin, endpoint=endpoint)
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.last_error == "Điểm nhận webhook đã bị tắt; không gửi."
    assert services.deliver_due().total == 0
    assert hook.received == []
    # New notifications no longer go to it.
    tell([nw.head])
    assert Delivery.objects.count() == 1


def test_a_row_claimed_by_a_worker_that_died_is_taken_again(
    nw: NotifyWorld, hook: HookServer
) -> None:
    register(nw, hook)
    tell([nw.officer])
    at = timezone.now()
    # A worker claimed it, then died before sending.
    Delivery.objects.update(
        status=DeliveryStatus.SENDING, attempts=1, claimed_at=at, claim_token="dead-worker"
    )
    assert services.deliver_due(now=at + dt.timedelta(minutes=1)).total == 0  # maybe alive
    report = services.deliver_due(now=at + services.CLAIM_STALE_AFTER)
    assert report.sent == 1
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.claim_token) == (
        DeliveryStatus.SENT,
        2,
        "",
    )
    assert len(hook.received) == 1


def test_a_dead_worker_on_the_last_attempt_means_failed(nw: NotifyWorld, hook: HookServer) -> None:
    register(nw, hook)
    tell([nw.officer])
    at = timezone.now()
    Delivery.objects.update(
        status=DeliveryStatus.SENDING,
        attempts=services.MAX_ATTEMPTS,
        claimed_at=at,
        claim_token="dead-worker",
    )
    report = services.deliver_due(now=at + services.CLAIM_STALE_AFTER)
    assert report.failed == 1
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert "dừng giữa chừng" in delivery.last_error
    assert hook.received == []


def test_a_late_worker_does_not_overwrite_the_row_another_one_took(
    nw: NotifyWorld, hook: HookServer
) -> None:
    register(nw, hook)
    tell([nw.officer])
    delivery = Delivery.objects.get()
    Delivery.objects.update(status=DeliveryStatus.SENDING, claim_token="the-new-owner")
    assert not outbox._mark(delivery, "an-old-token", DeliveryStatus.SENT, at=timezone.now())
    assert Delivery.objects.get().status == DeliveryStatus.SENDING
