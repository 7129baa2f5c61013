"""The notifications API (/api/v1/notifications/): one's own notifications, webhooks and the
outbox for administrators, errors as JSON codes."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from baro.notify import services
from baro.notify.models import Delivery, DeliveryStatus, Notification, WebhookEndpoint
from baro.org import services as org_services
from baro.org.models import Person
from baro.testing.ledger import last_seq, one_new_event
from baro.testing.notify import NotifyWorld, notify_snapshot, tell

pytestmark = pytest.mark.django_db

API = "/api/v1/notifications"


def bearer(person: Person) -> Client:
    _, raw = org_services.api_token_issue(actor=person, person=person, name="test")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def post(client: Client, url: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(url, data=json.dumps(body or {}), content_type="application/json")


def test_my_notifications_newest_first_paginated_and_unread_only(nw: NotifyWorld) -> None:
    for n in range(5):
        tell([nw.officer, nw.head], title=f"Thông báo số {n}")
    services.notification_mark_read(
        person=nw.officer,
        ids=Notification.objects.filter(recipient=nw.officer, title="Thông báo số 4").values_list(
            "pk", flat=True
        ),
    )
    client = bearer(nw.officer)
    body = client.get(f"{API}/", {"limit": 2}).json()
    assert (body["count"], body["unread"], body["limit"], body["offset"]) == (5, 4, 2, 0)
    assert [item["title"] for item in body["items"]] == ["Thông báo số 4", "Thông báo số 3"]
    first = body["items"][0]
    assert first["read_at"] is not None and body["items"][1]["read_at"] is None
    assert (first["kind"], first["url"], first["object_type"], first["object_id"]) == (
        "task.assigned",
        "/nhiem-vu/12/",
        "work.task",
        "12",
    )
    body = client.get(f"{API}/", {"limit": 2, "offset": 4}).json()
    assert [item["title"] for item in body["items"]] == ["Thông báo số 0"]
    body = client.get(f"{API}/", {"unread_only": "true"}).json()
    assert body["count"] == 4
    assert "Thông báo số 4" not in [item["title"] for item in body["items"]]


def test_mark_read_by_ids_or_all(nw: NotifyWorld) -> None:
    tell([nw.officer, nw.head])
    tell([nw.officer])
    mine = list(Notification.objects.filter(recipient=nw.officer).order_by("pk"))
    theirs = Notification.objects.get(recipient=nw.head)
    client = bearer(nw.officer)
    before = last_seq()
    response = post(client, f"{API}/read", {"ids": [mine[0].pk, theirs.pk]})
    assert response.status_code == 200
    assert response.json() == {"marked": 1, "unread": 1}
    assert post(client, f"{API}/read", {}).json() == {"marked": 0, "unread": 1}
    assert post(client, f"{API}/read", {"all": True}).json() == {"marked": 1, "unread": 0}
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert last_seq() == before  # UI state: no ledger event


def test_it_needs_authentication() -> None:
    response = Client().get(f"{API}/")
    assert (response.status_code, response.json()["code"]) == (401, "auth.required")


def test_webhooks_register_list_disable_for_administrators(nw: NotifyWorld) -> None:
    client = bearer(nw.admin)
    before = last_seq()
    response = post(
        client,
        f"{API}/webhooks",
        {"url": "https://vpdt.hanoi.gov.vn/baro", "description": "Văn phòng điện tử"},
    )
    assert response.status_code == 201, response.json()
    created = response.json()
    endpoint = WebhookEndpoint.objects.get()
    assert created["secret"] == endpoint.secret  # this once
    assert created["created_by"]["id"] == nw.admin.pk
    assert one_new_event(before).action == "notify.webhook.registered"
    listed = client.get(f"{API}/webhooks").json()
    assert (listed["count"], listed["offset"]) == (1, 0)
    assert [e["url"] for e in listed["items"]] == ["https://vpdt.hanoi.gov.vn/baro"]
    assert "secret" not in listed["items"][0]
    response = post(client, f"{API}/webhooks/{endpoint.pk}/disable")
    assert response.status_code == 200 and response.json()["is_active"] is False
    response = post(client, f"{API}/webhooks/{endpoint.pk}/disable")
    assert (response.status_code, response.json()["code"]) == (
        409,
        "notify.webhook_already_disabled",
    )
    response = post(client, f"{API}/webhooks/99999/disable")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_webhook_errors_are_json_codes_and_change_nothing(nw: NotifyWorld) -> None:
    officer, admin = bearer(nw.officer), bearer(nw.admin)  # issuing a token is an event
    before = notify_snapshot()
    response = post(officer, f"{API}/webhooks", {"url": "https://vpdt.hanoi.gov.vn/baro"})
    assert (response.status_code, response.json()["code"]) == (403, "auth.denied")
    response = officer.get(f"{API}/webhooks")
    assert (response.status_code, response.json()["code"]) == (403, "auth.denied")
    for url in ("ftp://vpdt.hanoi.gov.vn/h", "abc", "javascript:alert(1)", ""):
        response = post(admin, f"{API}/webhooks", {"url": url})
        assert response.status_code == 400
        assert (response.json()["code"], response.json()["field"]) == (
            "notify.webhook_url_invalid",
            "url",
        )
    response = post(admin, f"{API}/webhooks", {"url": 5})
    assert (response.status_code, response.json()["code"]) == (422, "validation_error")
    assert notify_snapshot() == before


def test_deliveries_and_requeue(nw: NotifyWorld) -> None:
    services.webhook_register(actor=nw.admin, url="https://vpdt.hanoi.gov.vn/h")
    tell([nw.officer, nw.head])
    failed, waiting = Delivery.objects.order_by("pk")
    Delivery.objects.filter(pk=failed.pk).update(status=DeliveryStatus.FAILED, attempts=7)
    admin = bearer(nw.admin)
    body = admin.get(f"{API}/deliveries").json()
    assert body["count"] == 2 and [d["id"] for d in body["items"]] == [waiting.pk, failed.pk]
    body = admin.get(f"{API}/deliveries", {"status": "failed", "channel": "webhook"}).json()
    assert [d["id"] for d in body["items"]] == [failed.pk]
    assert admin.get(f"{API}/deliveries", {"channel": "email"}).json()["count"] == 0
    response = post(admin, f"{API}/deliveries/{waiting.pk}/requeue")
    assert (response.status_code, response.json()["code"]) == (409, "notify.delivery_not_failed")
    before = last_seq()
    response = post(admin, f"{API}/deliveries/{failed.pk}/requeue")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["attempts"]) == ("pending", 0)
    assert one_new_event(before).action == "notify.delivery.requeued"
    officer = bearer(nw.officer)
    response = officer.get(f"{API}/deliveries")
    assert (response.status_code, response.json()["code"]) == (403, "auth.denied")
    response = post(officer, f"{API}/deliveries/{failed.pk}/requeue")
    assert (response.status_code, response.json()["code"]) == (403, "auth.denied")


def test_who_may_not_see_an_endpoint_or_a_delivery_is_answered_before_any_command_runs(
    nw: NotifyWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    endpoint = services.webhook_register(actor=nw.admin, url="https://vpdt.hanoi.gov.vn/h")
    tell([nw.officer])
    delivery = Delivery.objects.get()
    Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.FAILED, attempts=7)
    officer, admin = bearer(nw.officer), bearer(nw.admin)

    def must_not_run(**kwargs: Any) -> Any:
        raise AssertionError("a command ran for someone who may not see its object")

    monkeypatch.setattr("baro.notify.services.webhook_disable", must_not_run)
    monkeypatch.setattr("baro.notify.services.delivery_requeue", must_not_run)
    before = notify_snapshot()
    # Not an administrator: refused before anything is looked up, existing or not.
    for url in (
        f"{API}/webhooks/{endpoint.pk}/disable",
        f"{API}/webhooks/99999/disable",
        f"{API}/deliveries/{delivery.pk}/requeue",
        f"{API}/deliveries/99999/requeue",
    ):
        response = post(officer, url)
        assert (response.status_code, response.json()["code"]) == (403, "auth.denied"), url
    # An administrator asking for what does not exist.
    for url in (f"{API}/webhooks/99999/disable", f"{API}/deliveries/99999/requeue"):
        response = post(admin, url)
        assert (response.status_code, response.json()["code"]) == (404, "not_found"), url
    assert notify_snapshot() == before


def test_the_lists_page_like_every_list_of_the_api(nw: NotifyWorld) -> None:
    for n in range(3):
        services.webhook_register(actor=nw.admin, url=f"https://vpdt.hanoi.gov.vn/h{n}")
    admin = bearer(nw.admin)
    body = admin.get(f"{API}/webhooks", {"limit": 2, "offset": 1}).json()
    assert (body["count"], body["limit"], body["offset"]) == (3, 2, 1)
    urls = [e["url"] for e in body["items"]]  # active ones first, the newest first
    assert urls == ["https://vpdt.hanoi.gov.vn/h1", "https://vpdt.hanoi.gov.vn/h0"]
    old = admin.get(f"{API}/webhooks", {"page": 2, "page_size": 2}).json()
    assert (old["offset"], [e["url"] for e in old["items"]]) == (
        2,
        ["https://vpdt.hanoi.gov.vn/h0"],
    )
    tell([nw.officer, nw.head])
    body = admin.get(f"{API}/deliveries", {"limit": 1, "offset": 99}).json()
    assert (body["count"], body["limit"], body["offset"], body["items"]) == (6, 1, 6, [])
    assert bearer(nw.officer).get(f"{API}/", {"page_size": 1}).json()["limit"] == 1
