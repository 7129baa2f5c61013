"""The notification pages through Django's test client: the bell, the list, marking read, and
the administrators' pages (the browser journey is in tests/e2e)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from baro.notify import queries, services
from baro.notify.models import Delivery, DeliveryStatus, Notification, WebhookEndpoint
from baro.org.models import Person
from baro.testing.ledger import last_seq, one_new_event
from baro.testing.notify import NotifyWorld, tell

pytestmark = pytest.mark.django_db


def client_for(person: Person, **kwargs: Any) -> Client:
    client = Client(**kwargs)
    client.force_login(person.user)
    return client


def bell(html: str) -> str:
    found = re.search(r'<a id="notify-bell"[^>]*>.*?</a>', html, re.S)
    assert found, "no bell on the page"
    return found.group(0)


# --------------------------------------------------------------------------------------------
# the bell


def test_the_bell_shows_the_unread_count_on_every_page(nw: NotifyWorld) -> None:
    client = client_for(nw.officer)
    html = client.get(reverse("home")).content.decode()
    assert 'data-unread="0"' in bell(html)
    assert "Thông báo: không có thông báo chưa đọc" in bell(html)
    tell([nw.officer])
    tell([nw.officer, nw.head])
    services.notification_mark_read(person=nw.head)
    html = client.get(reverse("home")).content.decode()
    assert 'data-unread="2"' in bell(html)
    assert 'aria-label="Thông báo: 2 chưa đọc"' in bell(html)
    assert f'href="{reverse("notify:list")}"' in bell(html)
    html = client_for(nw.head).get(reverse("home")).content.decode()
    assert 'data-unread="0"' in bell(html)


def test_the_bell_counts_with_one_capped_query_and_shows_99_plus(
    nw: NotifyWorld, django_assert_num_queries: Any
) -> None:
    for _ in range(queries.BELL_CAP):
        tell([nw.officer])
    with django_assert_num_queries(1):
        assert queries.unread_count(nw.officer, cap=queries.BELL_CAP) == queries.BELL_CAP
    assert queries.unread_count(nw.officer) == queries.BELL_CAP
    html = client_for(nw.officer).get(reverse("home")).content.decode()
    assert ">99+</span>" in bell(html)


def test_no_bell_for_who_is_signed_out() -> None:
    assert 'id="notify-bell"' not in Client().get(reverse("login")).content.decode()


# --------------------------------------------------------------------------------------------
# the list


def test_the_list_is_newest_first_with_unread_highlighted_and_paginated(nw: NotifyWorld) -> None:
    for n in range(25):
        tell([nw.officer], title=f"Thông báo số {n}", url=f"/nhiem-vu/{n}/")
    services.notification_mark_read(
        person=nw.officer,
        ids=Notification.objects.filter(title="Thông báo số 24").values_list("pk", flat=True),
    )
    client = client_for(nw.officer)
    html = client.get(reverse("notify:list")).content.decode()
    titles = re.findall(r'notify-item__title">([^<]+)<', html)
    assert titles == [f"Thông báo số {n}" for n in range(24, 4, -1)]  # 20 per page
    assert "Anh/chị có 24 thông báo chưa đọc." in html
    newest = Notification.objects.get(title="Thông báo số 24")
    unread = Notification.objects.get(title="Thông báo số 23")
    assert f'id="notification-{newest.pk}" class="notify-item"' in html
    assert f'id="notification-{unread.pk}" class="notify-item notify-item--unread"' in html
    assert '<a href="/nhiem-vu/23/">Xem chi tiết →</a>' in html
    assert "Đánh dấu tất cả đã đọc" in html
    assert html.count(">Đánh dấu đã đọc</button>") == 19
    page_two = client.get(reverse("notify:list"), {"page": 2}).content.decode()
    assert re.findall(r'notify-item__title">([^<]+)<', page_two) == [
        f"Thông báo số {n}" for n in range(4, -1, -1)
    ]
    only_unread = client.get(reverse("notify:list"), {"loc": "chua-doc"}).content.decode()
    assert "Thông báo số 24" not in only_unread and "Thông báo số 23" in only_unread


def test_a_person_sees_only_their_own(nw: NotifyWorld) -> None:
    tell([nw.head], title="Việc riêng của Trưởng Sở A")
    html = client_for(nw.officer).get(reverse("notify:list")).content.decode()
    assert "Việc riêng của Trưởng Sở A" not in html
    assert "Chưa có thông báo nào." in html


def test_mark_one_read_then_all(nw: NotifyWorld) -> None:
    tell([nw.officer], title="Một")
    tell([nw.officer], title="Hai")
    tell([nw.officer], title="Ba")
    one = Notification.objects.get(title="Một")
    client = client_for(nw.officer)
    back = reverse("notify:list") + "?page=1"
    response = client.post(reverse("notify:mark_read"), {"id": one.pk, "next": back})
    assert (response.status_code, response["Location"]) == (302, back)
    one.refresh_from_db()
    assert one.read_at is not None
    assert queries.unread_count(nw.officer) == 2
    response = client.post(reverse("notify:mark_read"), {"all": "1"})
    assert response.status_code == 302
    assert queries.unread_count(nw.officer) == 0
    html = client.get(reverse("notify:list")).content.decode()
    assert "Đã đánh dấu 2 thông báo là đã đọc." in html
    assert "Anh/chị đã đọc hết thông báo." in html
    assert "Đánh dấu tất cả đã đọc" not in html


def test_mark_read_with_htmx_redraws_the_item_and_the_bell(nw: NotifyWorld) -> None:
    tell([nw.officer], title="Một")
    tell([nw.officer], title="Hai")
    one = Notification.objects.get(title="Một")
    response = client_for(nw.officer).post(
        reverse("notify:mark_read"), {"id": one.pk}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith(f'<li id="notification-{one.pk}" class="notify-item">')
    assert "Đánh dấu đã đọc" not in html
    assert 'hx-swap-oob="true"' in bell(html) and 'data-unread="1"' in bell(html)
    assert (
        '<p class="muted" id="unread-summary" hx-swap-oob="true">'
        "Anh/chị có 1 thông báo chưa đọc.</p>"
    ) in html


def test_marking_someone_elses_notification_changes_nothing(nw: NotifyWorld) -> None:
    tell([nw.head])
    theirs = Notification.objects.get()
    client = client_for(nw.officer)
    response = client.post(
        reverse("notify:mark_read"), {"id": theirs.pk}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 404
    assert client.post(reverse("notify:mark_read"), {"id": "x"}).status_code == 400
    # A digit int() refuses, an id past 64 bits: no such notification, not a server error.
    for raw in ("²", str(2**63)):
        assert client.post(reverse("notify:mark_read"), {"id": raw}).status_code == 400
    assert client.get(reverse("notify:mark_read")).status_code == 405
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_read_needs_the_csrf_token(nw: NotifyWorld) -> None:
    tell([nw.officer])
    client = client_for(nw.officer, enforce_csrf_checks=True)
    assert client.post(reverse("notify:mark_read"), {"all": "1"}).status_code == 403
    assert queries.unread_count(nw.officer) == 1
    page = client.get(reverse("notify:list")).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token
    response = client.post(
        reverse("notify:mark_read"), {"all": "1", "csrfmiddlewaretoken": token.group(1)}
    )
    assert response.status_code == 302
    assert queries.unread_count(nw.officer) == 0


# --------------------------------------------------------------------------------------------
# administration


@pytest.mark.parametrize(
    "name",
    ["notify:webhooks", "notify:deliveries", "notify:webhook_disable", "notify:delivery_requeue"],
)
def test_admin_pages_are_refused_to_others(nw: NotifyWorld, name: str) -> None:
    endpoint = services.webhook_register(actor=nw.admin, url="https://vpdt.hanoi.gov.vn/h")
    args = [endpoint.pk] if name.endswith("disable") else [1] if name.endswith("requeue") else []
    client = client_for(nw.officer)
    response = client.post(reverse(name, args=args), {"confirmed": "1"})
    assert response.status_code == 403
    assert WebhookEndpoint.objects.get().is_active
    assert "Quản trị thông báo" not in client.get(reverse("notify:list")).content.decode()


def test_register_shows_the_secret_once_and_errors_next_to_the_field(nw: NotifyWorld) -> None:
    client = client_for(nw.admin)
    url = reverse("notify:webhooks")
    page = client.get(url).content.decode()
    assert "Chưa có điểm nhận webhook nào." in page
    assert "Quản trị thông báo" in client.get(reverse("notify:list")).content.decode()
    before = last_seq()
    response = client.post(url, {"url": "ftp://vpdt.hanoi.gov.vn/h", "description": ""})
    assert response.status_code == 400
    field = re.search(
        r'<div class="field field--error" id="field-url">.*?</div>', response.content.decode(), re.S
    )
    assert field and "phải bắt đầu bằng http:// hoặc https://" in field.group(0)
    assert not WebhookEndpoint.objects.exists() and last_seq() == before
    response = client.post(
        url, {"url": "https://vpdt.hanoi.gov.vn/baro", "description": "Văn phòng điện tử"}
    )
    assert (response.status_code, response["Location"]) == (302, url)
    endpoint = WebhookEndpoint.objects.get()
    assert one_new_event(before).action == "notify.webhook.registered"
    shown = client.get(url)
    html = shown.content.decode()
    assert f'value="{endpoint.secret}"' in html
    assert "Hãy sao chép khóa ký này ngay bây giờ." in html
    assert shown["Cache-Control"] == "no-store"
    again = client.get(url).content.decode()
    assert endpoint.secret not in again
    assert "https://vpdt.hanoi.gov.vn/baro" in again and "đang dùng" in again


def test_disable_asks_for_confirmation_first(nw: NotifyWorld) -> None:
    endpoint = services.webhook_register(actor=nw.admin, url="https://vpdt.hanoi.gov.vn/h")
    tell([nw.officer])
    client = client_for(nw.admin)
    url = reverse("notify:webhook_disable", args=[endpoint.pk])
    page = client.get(url).content.decode()
    assert "Xác nhận tắt điểm nhận webhook" in page
    assert "Lượt gửi đang chờ" in page
    assert client.post(url, {}).status_code == 200  # not confirmed: the question again
    endpoint.refresh_from_db()
    assert endpoint.is_active
    response = client.post(url, {"confirmed": "1"})
    assert (response.status_code, response["Location"]) == (302, reverse("notify:webhooks"))
    endpoint.refresh_from_db()
    assert not endpoint.is_active
    html = client.get(reverse("notify:webhooks")).content.decode()
    assert "Đã tắt điểm nhận https://vpdt.hanoi.gov.vn/h." in html and "đã tắt" in html
    assert client.get(url).status_code == 302  # already off: back to the list


def test_deliveries_filter_and_requeue_a_failed_one(nw: NotifyWorld) -> None:
    endpoint = services.webhook_register(actor=nw.admin, url="https://vpdt.hanoi.gov.vn/h")
    tell([nw.officer, nw.head])
    failed, waiting = Delivery.objects.order_by("pk")
    Delivery.objects.filter(pk=failed.pk).update(
        status=DeliveryStatus.FAILED, attempts=7, last_error="Điểm nhận trả lời HTTP 500."
    )
    client = client_for(nw.admin)
    url = reverse("notify:deliveries")
    html = client.get(url).content.decode()
    assert f'id="delivery-{failed.pk}"' in html and f'id="delivery-{waiting.pk}"' in html
    assert "Điểm nhận trả lời HTTP 500." in html
    assert "Chưa cấu hình máy chủ thư" in html
    html = client.get(url, {"status": "failed"}).content.decode()
    assert f'id="delivery-{failed.pk}"' in html and f'id="delivery-{waiting.pk}"' not in html
    html = client.get(url, {"channel": "email"}).content.decode()
    assert "Không có lượt gửi nào." in html
    assert client.get(url, {"status": "nonsense"}).status_code == 200
    requeue = reverse("notify:delivery_requeue", args=[failed.pk])
    back = f"{url}?status=failed"
    response = client.post(requeue, {"next": back})
    assert (response.status_code, response["Location"]) == (302, back)
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (DeliveryStatus.PENDING, 0)
    response = client.post(requeue, {"next": back}, follow=True)
    assert "Chỉ gửi lại được lượt gửi không thành công" in response.content.decode()
    assert client.post(reverse("notify:delivery_requeue", args=[99999])).status_code == 404
    assert endpoint.is_active
