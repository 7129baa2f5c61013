"""The assign form's deadline: only the chosen rule's fields are shown, and the preview (htmx)
says what to enter until it can compute the deadline, never "choose a rule" once one is chosen.

Persona: the head of Hà Nội, with a login, who assigns to Sở A (`world`, baro/testing/org.py).
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from baro.core.timeutil import today
from baro.org.models import Person, Role
from baro.org.services import person_create
from baro.testing.org import World
from baro.work import services

pytestmark = pytest.mark.django_db

FIELDS = ("deadline", "deadline_days", "period_kind", "period_year", "period_number")


@pytest.fixture
def boss(world: World) -> Person:
    return person_create(
        actor=world.admin,
        unit=world.root,
        full_name="Chủ Tịch Thành Phố",
        code="CT-HN",
        role=Role.HEAD,
        username="ct-hn",
        password="mat-khau-thu-nghiem-2026",
    )


def client_for(person: Person) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    assert person.user is not None
    client.force_login(person.user)
    return client


def shown(html: str) -> set[str]:
    return {name for name in FIELDS if f'id="field-{name}"' in html}


def test_the_form_opens_with_the_fields_and_hint_of_its_initial_rule(boss: Person) -> None:
    html = client_for(boss).get(reverse("work:task_assign")).content.decode()
    assert shown(html) == {"deadline_days"}  # working days, the initial rule
    assert "Nhập số ngày làm việc để xem hạn xử lý." in html
    assert "Chọn cách tính hạn" not in html


@pytest.mark.parametrize(
    ("rule", "fields", "hint"),
    [
        ("date", {"deadline"}, "Nhập hạn xử lý (ngày cụ thể) để xem hạn."),
        ("calendar_days", {"deadline_days"}, "Nhập số ngày để xem hạn xử lý."),
        ("working_days", {"deadline_days"}, "Nhập số ngày làm việc để xem hạn xử lý."),
        ("period", {"period_kind", "period_year", "period_number"}, "Chọn loại kỳ và năm"),
    ],
)
def test_choosing_a_rule_brings_its_fields_and_the_preview(
    boss: Person, rule: str, fields: set[str], hint: str
) -> None:
    response = client_for(boss).get(
        reverse("work:deadline_preview"), {"part": "rule", "deadline_rule": rule}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert shown(html) == fields
    assert 'id="rule-params"' in html
    assert 'aria-live="polite" hx-swap-oob="true"' in html
    assert hint in html


def test_switching_between_day_rules_keeps_the_days_typed(boss: Person) -> None:
    response = client_for(boss).get(
        reverse("work:deadline_preview"),
        {"part": "rule", "deadline_rule": "calendar_days", "deadline_days": "7"},
    )
    html = response.content.decode()
    assert 'value="7"' in html
    due = services.compute_deadline(assigned_on=today(), rule="calendar_days", days=7)
    assert due.strftime("%d/%m/%Y") in html


def test_the_preview_reads_only_the_chosen_rules_fields(boss: Person) -> None:
    # A stale, bad value of another rule's field does not block the chosen rule's deadline.
    response = client_for(boss).get(
        reverse("work:deadline_preview"),
        {"deadline_rule": "date", "deadline": "31/12/2099", "deadline_days": "abc"},
    )
    assert "31/12/2099" in response.content.decode()
    response = client_for(boss).get(
        reverse("work:deadline_preview"), {"deadline_rule": "working_days", "deadline_days": ""}
    )
    assert "Nhập số ngày làm việc để xem hạn xử lý." in response.content.decode()


def test_a_refused_post_shows_the_chosen_rules_field_with_its_error(
    boss: Person, world: World
) -> None:
    response = client_for(boss).post(
        reverse("work:task_assign"),
        {
            "title": "Rà soát",
            "assigning_unit": world.root.pk,
            "lead_unit": world.dept_a.pk,
            "priority": "normal",
            "deadline_rule": "date",
            "coord-TOTAL_FORMS": "0",
            "coord-INITIAL_FORMS": "0",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert shown(html) == {"deadline"}
    assert "Chưa nhập hạn xử lý." in html
