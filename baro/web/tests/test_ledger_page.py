"""The ledger page: only for ledger.read holders; the integrity check shows its verdict."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from baro.ledger.checkpoints import checkpoint_create
from baro.org.models import Person
from baro.org.services import person_create
from baro.testing.org import World
from baro.testing.work import WorkWorld, assign
from baro.web.ledger_names import KINDS

pytestmark = pytest.mark.django_db


def client_for(person: Person) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    client.force_login(person.user)
    return client


def test_the_admin_reads_the_ledger_and_runs_the_check(world: World) -> None:
    client = client_for(world.admin)
    assert client.get(reverse("ledger:index")).status_code == 200
    response = client.post(reverse("ledger:verify"), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert "verdict--ok" in body
    assert "<html" not in body


def test_the_ledger_is_refused_to_a_head(world: World) -> None:
    client = client_for(world.head)
    assert client.get(reverse("ledger:index")).status_code == 403
    assert client.post(reverse("ledger:verify")).status_code == 403


def test_a_get_of_the_check_goes_back_to_the_ledger_page(world: World) -> None:
    """A bookmarked or reloaded check answered 405 with an empty body."""
    response = client_for(world.admin).get(reverse("ledger:verify"))
    assert (response.status_code, response["Location"]) == (302, reverse("ledger:index"))
    assert client_for(world.head).get(reverse("ledger:verify")).status_code == 403


def test_the_page_shows_how_many_events_are_not_yet_signed(world: World, settings) -> None:
    settings.BARO_LEDGER_CHECKPOINT_SECONDS = 300
    checkpoint_create()
    for code in ("T-1", "T-2", "T-3"):
        person_create(actor=world.admin, unit=world.dept_a, full_name=code, code=code)
    body = client_for(world.admin).get(reverse("ledger:index")).content.decode()
    unsigned = _text(body, "unsigned-events")
    assert unsigned.startswith("3 sự kiện sau điểm chốt cuối")
    assert "không quá 5 phút" in unsigned
    checkpoint_create()
    body = client_for(world.admin).get(reverse("ledger:index")).content.decode()
    assert _text(body, "unsigned-events") == "0 sự kiện sau điểm chốt cuối"


def test_the_check_counts_the_unsigned_events(world: World) -> None:
    checkpoint_create()
    person_create(actor=world.admin, unit=world.dept_a, full_name="Lê Văn Mới", code="LVM")
    response = client_for(world.admin).post(reverse("ledger:verify"), HTTP_HX_REQUEST="true")
    assert _text(response.content.decode(), "verdict-unsigned").startswith("1 sự kiện sau số ")


def test_events_show_names_and_labels_with_the_codes_beside(ww: WorkWorld) -> None:
    task = assign(ww, title="Rà soát quy hoạch phân khu")
    body = client_for(ww.w.admin).get(reverse("ledger:index")).content.decode()
    row = _row(body, f"work.task:{task.pk}")
    assert f"Nhiệm vụ #{task.pk} — Rà soát quy hoạch phân khu" in row
    assert "Chủ Tịch" in row  # who acted, by name
    assert "Giao nhiệm vụ" in row
    person_row = _row(body, f"org.person:{ww.secretary.pk}")
    assert f"Cán bộ #{ww.secretary.pk} — Văn Thư" in person_row


def test_the_filters_offer_vietnamese_labels(ww: WorkWorld) -> None:
    task = assign(ww)
    client = client_for(ww.w.admin)
    body = client.get(reverse("ledger:index")).content.decode()
    assert '<option value="work.task.assigned">Giao nhiệm vụ</option>' in body
    assert '<option value="oversight.flag">Dấu hiệu né tránh, đùn đẩy</option>' in body
    assert '<option value="work.task">Nhiệm vụ</option>' in body
    chosen = client.get(reverse("ledger:index"), {"object_type": "work.task", "actor": "Chủ Tịch"})
    body = chosen.content.decode()
    assert '<option value="work.task" selected>Nhiệm vụ</option>' in body
    assert f"work.task:{task.pk}" in body
    assert f"org.person:{ww.secretary.pk}" not in body
    assert "1 sự kiện" in body
    nobody = client.get(reverse("ledger:index"), {"actor": "Không Ai Tên Này"})
    assert "Không có sự kiện nào khớp điều kiện lọc." in nobody.content.decode()


def _text(body: str, element_id: str) -> str:
    """The text of the <dd> with that id, spaces collapsed."""
    start = body.index(">", body.index(f'id="{element_id}"')) + 1
    return " ".join(re.sub(r"<[^>]+>", " ", body[start : body.index("</dd>", start)]).split())


def _row(body: str, code: str) -> str:
    """The table row whose secondary detail is `code`."""
    end = body.index(f"{code}</small>")
    return body[body.rindex("<tr>", 0, end) : body.index("</tr>", end)]


def test_every_object_kind_resolves_its_names(ww: WorkWorld) -> None:
    """Each kind's model, related rows and name function hold together (a wrong field name
    would fail only on a page that shows such an object)."""
    assign(ww)
    for kind in KINDS.values():
        if kind.model is None:
            continue
        rows = kind.model._default_manager.select_related(*kind.related)
        assert all(isinstance(kind.name(row), str) for row in rows[:3])
