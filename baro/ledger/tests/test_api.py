from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from baro.org.models import Person, Position, Role, Unit, UnitKind

pytestmark = pytest.mark.django_db


def person(code: str, *, role: str | None = None) -> Person:
    user = get_user_model().objects.create_user(username=code, password="mat-khau-dai-1")
    someone = Person.objects.create(full_name=f"Cán bộ {code}", code=code, user=user)
    if role:
        unit = Unit.objects.create(
            code=f"U-{code}",
            name="Văn phòng UBND Thành phố",
            kind=UnitKind.PEOPLES_COMMITTEE,
            path="",
            valid_from=dt.date(2020, 1, 1),
        )
        Unit.objects.filter(pk=unit.pk).update(path=f"{unit.pk:010d}.")
        Position.objects.create(
            person=someone, unit=unit, role=role, valid_from=dt.date(2020, 1, 1)
        )
    return someone


@pytest.fixture
def admin_client(client: Client) -> Client:
    client.force_login(person("qt01", role=Role.ADMIN).user)
    return client


def test_events_newest_first_with_filters_and_pages(
    admin_client: Client, make_events: Callable
) -> None:
    make_events(12)
    response = admin_client.get("/api/v1/ledger/events", {"limit": 5, "offset": 2})
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["count"], data["limit"], data["offset"]) == (12, 5, 2)
    assert [item["seq"] for item in data["items"]] == [10, 9, 8, 7, 6]
    assert data["items"][0]["payload"]["percent"] == 30
    filtered = admin_client.get(
        "/api/v1/ledger/events", {"actor": "person:2", "seq_from": 3, "seq_to": 9}
    ).json()
    assert [item["seq"] for item in filtered["items"]] == [9, 5]
    one = admin_client.get(
        "/api/v1/ledger/events", {"object_type": "work.task", "object_id": "4"}
    ).json()
    assert [item["seq"] for item in one["items"]] == [4]


def test_verify_and_checkpoints(admin_client: Client, make_events: Callable) -> None:
    make_events(12, interval=5)
    report = admin_client.get("/api/v1/ledger/verify").json()
    assert (report["ok"], report["last_seq"], report["last_checkpoint"]) == (True, 12, 2)
    assert report["message"].startswith("Toàn vẹn đến sự kiện số 12")
    assert report["unsigned_events"] == 2  # events 11 and 12, after checkpoint 2
    checkpoints = admin_client.get("/api/v1/ledger/checkpoints").json()
    assert [item["number"] for item in checkpoints["items"]] == [2, 1]
    assert checkpoints["items"][1]["seq_to"] == 5


def test_verify_reports_tampering(
    admin_client: Client, make_events: Callable, tamper: Callable
) -> None:
    make_events(8)
    tamper("DELETE FROM ledger_ledgerevent WHERE seq = 2")
    report = admin_client.get("/api/v1/ledger/verify").json()
    assert (report["ok"], report["code"], report["problem"]["seq"]) == (False, "ledger.gap", 2)


@pytest.mark.parametrize("path", ["events", "verify", "checkpoints"])
def test_someone_without_ledger_read_is_refused(client: Client, path: str) -> None:
    client.force_login(person("ngoai01").user)
    response = client.get(f"/api/v1/ledger/{path}")
    assert response.status_code == 403
    assert response.json()["code"] == "auth.denied"


@pytest.mark.parametrize("path", ["events", "verify", "checkpoints"])
def test_anonymous_is_asked_to_log_in(client: Client, path: str) -> None:
    response = client.get(f"/api/v1/ledger/{path}")
    assert response.status_code == 401
