"""A unit's public card: open to its members, to people in the units below it and to who works
with it, even without the registry's view over it; links lead only to pages that open."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from baro.org.models import Person
from baro.org.permissions import can_view_card, register_works_with, unregister_works_with
from baro.testing.org import World

pytestmark = pytest.mark.django_db


def client_for(person: Person) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    assert person.user is not None
    client.force_login(person.user)
    return client


def unit_links(body: str) -> set[str]:
    return set(re.findall(r'href="(/to-chuc/don-vi/\d+/)"', body))


def test_an_officer_reads_the_card_of_their_own_unit_and_its_ancestors(world: World) -> None:
    client = client_for(world.officer)
    for unit in (world.div_a1, world.dept_a, world.root):
        response = client.get(reverse("org:unit_detail", args=[unit.pk]))
        assert response.status_code == 200, unit.name
        body = response.content.decode()
        assert unit.name in body
        assert 'id="unit-card-note"' in body
        # The card leaves out the people, the units below and the ledger history.
        assert "Cán bộ đang giữ chức vụ" not in body
        assert "Lịch sử thay đổi" not in body


def test_the_card_stays_closed_to_units_the_officer_has_nothing_to_do_with(world: World) -> None:
    client = client_for(world.officer)
    for unit in (world.dept_b, world.other_root):
        assert client.get(reverse("org:unit_detail", args=[unit.pk])).status_code == 404
    assert not can_view_card(world.outsider, world.dept_a)


def test_a_head_sees_all_of_their_unit_and_the_card_of_the_unit_above(world: World) -> None:
    client = client_for(world.head)
    body = client.get(reverse("org:unit_detail", args=[world.dept_a.pk])).content.decode()
    assert "Lịch sử thay đổi" in body and 'id="unit-card-note"' not in body
    root_page = client.get(reverse("org:unit_detail", args=[world.root.pk]))
    assert root_page.status_code == 200
    assert 'id="unit-card-note"' in root_page.content.decode()


def test_every_unit_link_on_a_unit_page_opens(world: World) -> None:
    for person in (world.officer, world.head, world.admin):
        client = client_for(person)
        for unit in (world.div_a1, world.dept_a, world.root):
            page = client.get(reverse("org:unit_detail", args=[unit.pk]))
            if page.status_code != 200:
                continue
            for href in unit_links(page.content.decode()):
                assert client.get(href).status_code == 200, (person.full_name, unit.name, href)


def test_an_ancestor_out_of_reach_is_named_without_a_link(world: World) -> None:
    # The outsider (Hải Phòng) works with Sở A, say through a task: Sở A's card opens to them,
    # the city of Hà Nội above it does not, so the card names the city without a link.
    def works_with_dept_a(person: Person) -> list[int]:
        return [world.dept_a.pk] if person.pk == world.outsider.pk else []

    register_works_with(works_with_dept_a)
    try:
        client = client_for(world.outsider)
        page = client.get(reverse("org:unit_detail", args=[world.dept_a.pk]))
        assert page.status_code == 200
        body = page.content.decode()
        assert world.root.name in body
        assert reverse("org:unit_detail", args=[world.root.pk]) not in body
        assert client.get(reverse("org:unit_detail", args=[world.root.pk])).status_code == 404
    finally:
        unregister_works_with(works_with_dept_a)
