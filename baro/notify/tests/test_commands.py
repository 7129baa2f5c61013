"""The administrators' commands: who may, who may not, exactly one ledger event each, bad
input refused with nothing written. And marking read, which is not a command."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings

from baro.core.errors import AuthorityError, ConflictError
from baro.ledger.models import LedgerEvent
from baro.notify import services
from baro.notify.models import Delivery, DeliveryStatus, Notification, WebhookEndpoint
from baro.testing.ledger import last_seq, one_new_event
from baro.testing.notify import NotifyWorld, refused, tell

pytestmark = pytest.mark.django_db

URL = "https://vpdt.hanoi.gov.vn/baro/webhook"


def register(nw: NotifyWorld, who: str = "admin", **kwargs: Any) -> WebhookEndpoint:
    values: dict[str, Any] = {"url": URL, "description": "Văn phòng điện tử"}
    values.update(kwargs)
    return services.webhook_register(actor=getattr(nw, who), **values)


def failed_delivery(nw: NotifyWorld) -> Delivery:
    register(nw)
    tell([nw.officer])
    delivery = Delivery.objects.get()
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.FAILED, attempts=services.MAX_ATTEMPTS, last_error="HTTP 500"
    )
    delivery.refresh_from_db()
    return delivery


# --------------------------------------------------------------------------------------------
# webhook_register


@pytest.mark.parametrize("who", ["admin", "outsider", "delegate", "deputy"])
def test_holders_of_registry_manage_register_with_one_event(nw: NotifyWorld, who: str) -> None:
    before = last_seq()
    endpoint = register(nw, who)
    event = one_new_event(before)
    assert (event.action, event.object_type, event.object_id) == (
        "notify.webhook.registered",
        "notify.webhook",
        str(endpoint.pk),
    )
    assert event.actor == getattr(nw, who).ledger_ref
    assert event.payload == {
        "after": {"url": URL, "description": "Văn phòng điện tử", "is_active": True},
        "secret_generated": True,
    }
    if who in ("delegate", "deputy"):  # by delegation: on behalf of the admin
        assert event.on_behalf_of == nw.admin.ledger_ref
    assert endpoint.is_active and endpoint.created_by == getattr(nw, who)
    assert len(endpoint.secret) >= 40  # token_urlsafe(32)
    assert endpoint.secret not in str(event.body)


@pytest.mark.parametrize("who", ["head", "officer"])
def test_others_may_not_register(nw: NotifyWorld, who: str) -> None:
    error = refused("auth.denied", lambda: register(nw, who), error=AuthorityError)
    assert "quản trị thông báo" in error.message


@pytest.mark.parametrize(
    "url",
    [
        "ftp://vpdt.hanoi.gov.vn/hook",
        "abc",
        "javascript:alert(1)",
        "",
        "https://",
        "http://:8080/x",
        "https://user:matkhau@vpdt.hanoi.gov.vn/hook",
        "https://vpdt.hanoi.gov.vn:cong/hook",
        "https://vpdt.hanoi.gov.vn/có dấu cách",
    ],
)
def test_a_bad_url_is_refused_on_its_field(nw: NotifyWorld, url: str) -> None:
    error = refused("notify.webhook_url_invalid", lambda: register(nw, url=url))
    assert error.field == "url"
    assert "không hợp lệ" in error.message or "Chưa nhập" in error.message


def test_intranet_and_local_hosts_are_accepted(nw: NotifyWorld) -> None:
    assert register(nw, url="http://vpdt/baro").url == "http://vpdt/baro"
    assert register(nw, url="  http://10.0.0.5:8080/hook  ").url == "http://10.0.0.5:8080/hook"


def test_a_given_secret_is_kept_a_short_one_refused(nw: NotifyWorld) -> None:
    before = last_seq()
    endpoint = register(nw, secret="  mot-khoa-ky-du-dai-123  ")
    assert endpoint.secret == "mot-khoa-ky-du-dai-123"
    event = one_new_event(before)
    assert event.payload["secret_generated"] is False
    assert "mot-khoa-ky-du-dai-123" not in str(event.body)
    error = refused("notify.webhook_secret_short", lambda: register(nw, secret="ngan"))
    assert error.field == "secret"


# --------------------------------------------------------------------------------------------
# webhook_disable


@pytest.mark.parametrize("who", ["admin", "outsider", "delegate"])
def test_administrators_disable_with_one_event(nw: NotifyWorld, who: str) -> None:
    endpoint = register(nw)
    tell([nw.officer, nw.head])
    before = last_seq()
    services.webhook_disable(actor=getattr(nw, who), endpoint=endpoint)
    event = one_new_event(before)
    assert (event.action, event.object_id) == ("notify.webhook.disabled", str(endpoint.pk))
    assert event.payload["before"]["is_active"] is True
    assert event.payload["after"]["is_active"] is False
    assert event.payload["cancelled_deliveries"] == 2
    endpoint.refresh_from_db()
    assert not endpoint.is_active and endpoint.disabled_at is not None


@pytest.mark.parametrize("who", ["head", "officer"])
def test_others_may_not_disable(nw: NotifyWorld, who: str) -> None:
    endpoint = register(nw)
    refused(
        "auth.denied",
        lambda: services.webhook_disable(actor=getattr(nw, who), endpoint=endpoint),
        error=AuthorityError,
    )


def test_disabling_twice_is_a_conflict(nw: NotifyWorld) -> None:
    endpoint = register(nw)
    services.webhook_disable(actor=nw.admin, endpoint=endpoint)
    refused(
        "notify.webhook_already_disabled",
        lambda: services.webhook_disable(actor=nw.admin, endpoint=endpoint),
        error=ConflictError,
    )


# --------------------------------------------------------------------------------------------
# delivery_requeue


@pytest.mark.parametrize("who", ["admin", "outsider", "deputy"])
def test_administrators_requeue_a_failed_delivery_with_one_event(nw: NotifyWorld, who: str) -> None:
    delivery = failed_delivery(nw)
    before = last_seq()
    services.delivery_requeue(actor=getattr(nw, who), delivery=delivery)
    event = one_new_event(before)
    assert (event.action, event.object_type, event.object_id) == (
        "notify.delivery.requeued",
        "notify.delivery",
        str(delivery.pk),
    )
    assert event.payload["before"] == {"status": "failed", "attempts": services.MAX_ATTEMPTS}
    assert event.payload["after"] == {"status": "pending", "attempts": 0}
    assert "HTTP 500" not in str(event.body)  # errors and addresses stay out of the ledger
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 0)


@pytest.mark.parametrize("who", ["head", "officer"])
def test_others_may_not_requeue(nw: NotifyWorld, who: str) -> None:
    delivery = failed_delivery(nw)
    refused(
        "auth.denied",
        lambda: services.delivery_requeue(actor=getattr(nw, who), delivery=delivery),
        error=AuthorityError,
    )


def test_only_a_failed_delivery_is_requeued(nw: NotifyWorld) -> None:
    register(nw)
    tell([nw.officer])
    delivery = Delivery.objects.get()
    refused(
        "notify.delivery_not_failed",
        lambda: services.delivery_requeue(actor=nw.admin, delivery=delivery),
        error=ConflictError,
    )


def test_a_delivery_to_a_disabled_endpoint_is_not_requeued(nw: NotifyWorld) -> None:
    endpoint = register(nw)
    tell([nw.officer])
    services.webhook_disable(actor=nw.admin, endpoint=endpoint)
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    refused(
        "notify.webhook_disabled",
        lambda: services.delivery_requeue(actor=nw.admin, delivery=delivery),
    )


def test_an_email_is_not_requeued_while_email_is_off(nw: NotifyWorld) -> None:
    with override_settings(BARO_EMAIL_ENABLED=True):
        tell([nw.officer])
    delivery = Delivery.objects.get()
    Delivery.objects.update(status=DeliveryStatus.FAILED)
    delivery.refresh_from_db()
    refused(
        "notify.email_disabled",
        lambda: services.delivery_requeue(actor=nw.admin, delivery=delivery),
    )


# --------------------------------------------------------------------------------------------
# notification_mark_read: the person's own UI state


def test_marking_read_touches_only_ones_own_and_records_no_event(nw: NotifyWorld) -> None:
    tell([nw.officer, nw.head])
    tell([nw.officer], title="Thông báo thứ hai")
    mine = list(Notification.objects.filter(recipient=nw.officer).order_by("pk"))
    theirs = Notification.objects.get(recipient=nw.head)
    events = LedgerEvent.objects.count()
    marked = services.notification_mark_read(person=nw.officer, ids=[mine[0].pk, theirs.pk])
    assert marked == 1
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    assert services.notification_mark_read(person=nw.officer, ids=[mine[0].pk]) == 0  # again
    assert services.notification_mark_read(person=nw.officer, ids=[]) == 0
    assert services.notification_mark_read(person=nw.officer) == 1  # all: the second one
    assert not Notification.objects.filter(recipient=nw.officer, read_at__isnull=True).exists()
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    assert LedgerEvent.objects.count() == events
