"""The cascade pages through Django's test client (the browser journey is in tests/e2e)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from baro.cascade import services
from baro.cascade.models import Acknowledgement, DirectiveReceipt
from baro.org.models import Person, Role
from baro.org.services import person_create
from baro.testing.cascade import CascadeWorld

pytestmark = pytest.mark.django_db

PASSWORD = "mat-khau-Baro-2026!"


@pytest.fixture
def clerk(cw: CascadeWorld) -> Person:
    """A secretariat member of Hà Nội who can sign in: the issuer's side on the pages."""
    return person_create(
        actor=cw.admin,
        unit=cw.root,
        full_name="Văn Thư Đăng Nhập",
        code="VT-LOGIN",
        username="vanthu",
        password=PASSWORD,
        role=Role.SECRETARIAT,
    )


def client_for(person: Person) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


def test_send_page_sends_the_ticked_units_and_a_whole_kind(cw: CascadeWorld, clerk: Person) -> None:
    client = client_for(clerk)
    url = reverse("cascade:send", args=[cw.directive.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Tất cả sở, ban, ngành (2)" in page.content.decode()
    response = client.post(url, {"units": []})
    assert response.status_code == 400
    assert "Chưa chọn đơn vị nhận." in response.content.decode()
    assert not DirectiveReceipt.objects.exists()
    response = client.post(url, {"quick": ["department"]})
    assert response.status_code == 302
    assert response["Location"] == reverse("cascade:overview", args=[cw.directive.pk])
    assert {r.unit for r in DirectiveReceipt.objects.all()} == {cw.dept_a, cw.dept_b}
    # Already received: no longer offered.
    assert "Tất cả sở, ban, ngành" not in client.get(url).content.decode()


def test_send_page_is_refused_to_whom_the_service_refuses(cw: CascadeWorld) -> None:
    response = client_for(cw.head).get(reverse("cascade:send", args=[cw.directive.pk]))
    assert response.status_code == 404  # the head of Sở A does not see Hà Nội's documents


def test_overview_page_shows_the_tree_and_filters(cw: CascadeWorld, clerk: Person) -> None:
    receipt_a, receipt_b = services.directive_send(
        actor=cw.city_head, directive=cw.directive, units=[cw.dept_a, cw.dept_b]
    )
    services.plan_issue(
        actor=cw.head,
        receipt=receipt_a,
        number_symbol="15-KH/ĐU",
        issued_on=receipt_a.sent_on,
        title="Kế hoạch",
    )
    client = client_for(clerk)
    url = reverse("cascade:overview", args=[cw.directive.pk])
    html = client.get(url).content.decode()
    assert f'id="receipt-{receipt_a.pk}"' in html and f'id="receipt-{receipt_b.pk}"' in html
    assert "Đúng hạn (01/10/2025)" in html
    html = client.get(url, {"loc": "chua-ke-hoach"}).content.decode()
    assert f'id="receipt-{receipt_a.pk}"' not in html and f'id="receipt-{receipt_b.pk}"' in html
    assert client_for(cw.officer).get(url).status_code == 404


def test_plan_form_shows_the_refusal_next_to_the_date(cw: CascadeWorld) -> None:
    [receipt] = services.directive_send(
        actor=cw.city_head, directive=cw.directive, units=[cw.dept_a]
    )
    client = client_for(cw.head)
    url = reverse("cascade:plan", args=[receipt.pk])
    data: dict[str, Any] = {
        "number_symbol": "15-KH/ĐU",
        "title": "Kế hoạch",
        "issued_on": "30/09/2025",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "trước ngày nhận văn bản 01/10/2025" in response.content.decode()
    data["issued_on"] = "01/10/2025"
    assert client.post(url, data).status_code == 302
    receipt.refresh_from_db()
    assert receipt.plan_number_symbol == "15-KH/ĐU"
    assert client_for(cw.delegate).get(url).status_code == 403


def test_one_click_acknowledgement_with_htmx(cw: CascadeWorld) -> None:
    [receipt] = services.directive_send(
        actor=cw.city_head, directive=cw.directive, units=[cw.dept_a]
    )
    client = client_for(cw.delegate)
    pending = client.get(reverse("cascade:pending")).content.decode()
    assert f'id="pending-{receipt.pk}"' in pending and "Đã quán triệt" in pending
    url = reverse("cascade:acknowledge", args=[receipt.pk])
    response = client.post(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "Đã quán triệt lúc 09:00 01/10/2025" in response.content.decode()
    assert Acknowledgement.objects.filter(person=cw.delegate).count() == 1
    assert (
        f'id="pending-{receipt.pk}"' not in client.get(reverse("cascade:pending")).content.decode()
    )
    assert client_for(cw.officer).post(url).status_code == 404
    assert client.get(url).status_code == 405
