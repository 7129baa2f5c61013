"""The task page links a unit only where its page opens for the reader: a coordinating unit's
people read the lead unit's public card (they work with it), so its name links there."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from baro.org.models import Person, Role
from baro.org.permissions import can_view, can_view_card
from baro.org.services import person_create
from baro.testing.org import World
from baro.work import services
from baro.work.models import DeadlineRule, Task
from baro.work.permissions import units_worked_with

pytestmark = pytest.mark.django_db


def client_for(person: Person) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    assert person.user is not None
    client.force_login(person.user)
    return client


def task_led_by_b_with_a_coordinating(world: World) -> Task:
    boss = person_create(
        actor=world.admin,
        unit=world.root,
        full_name="Chủ Tịch Thành Phố",
        code="CT-HN",
        role=Role.HEAD,
        username="ct-hn",
        password="mat-khau-thu-nghiem-2026",
    )
    return services.task_assign(
        actor=boss,
        title="Tổng hợp số liệu giải ngân",
        lead_unit=world.dept_b,
        assigning_unit=world.root,
        deadline_rule=DeadlineRule.WORKING_DAYS,
        deadline_days=10,
        coordinators=[(world.dept_a, "Số liệu Sở A", None)],
    )


def test_a_coordinating_head_works_with_the_lead_unit_and_reads_its_card(world: World) -> None:
    task = task_led_by_b_with_a_coordinating(world)
    assert not can_view(world.head, world.dept_b)  # Sở B is outside their registry view
    assert world.dept_b.pk in units_worked_with(world.head)
    assert can_view_card(world.head, world.dept_b)
    client = client_for(world.head)
    page = client.get(reverse("work:task_detail", args=[task.pk])).content.decode()
    lead = page.split('id="lead-unit">', 1)[1].split("</dd>", 1)[0]
    href = reverse("org:unit_detail", args=[world.dept_b.pk])
    assert f'href="{href}"' in lead
    card = client.get(href)
    assert card.status_code == 200
    assert 'id="unit-card-note"' in card.content.decode()


def test_who_works_with_no_task_of_the_unit_does_not_read_its_card(world: World) -> None:
    task_led_by_b_with_a_coordinating(world)
    assert not can_view_card(world.officer, world.dept_b)
    assert world.dept_b.pk not in units_worked_with(world.outsider)
