"""An ended delegation says what it no longer allows: the delegate's home page lists each
power Baro now refuses them, with the authority's reason, and a refused command says that the
delegation ended."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from baro.core.errors import AuthorityError
from baro.org import services
from baro.org.models import Person
from baro.testing.org import World

pytestmark = pytest.mark.django_db


def home_of(person: Person) -> str:
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    assert person.user is not None
    client.force_login(person.user)
    return client.get(reverse("home")).content.decode()


def test_the_delegates_home_shows_what_the_ended_delegation_no_longer_allows(
    world: World,
) -> None:
    # world.delegate's delegation over the whole city (registry.manage) ended yesterday.
    body = home_of(world.delegate)
    notice = body[body.index('id="expired-notice"') :].split("</p>", 1)[0]
    assert 'href="#expired-delegations"' in notice
    section = body[body.index('id="expired-delegations"') :].split("</section>", 1)[0]
    assert "Ủy quyền đã hết hạn" in section
    assert world.admin.full_name in section and world.root.name in section
    assert "Bị từ chối" in section
    assert "Quản lý đơn vị, cán bộ, chức vụ, ủy quyền" in section
    assert "đã hết hạn lúc" in section


def test_no_section_without_an_ended_delegation(world: World) -> None:
    body = home_of(world.head)
    assert 'id="expired-delegations"' not in body and 'id="expired-notice"' not in body


def test_a_refused_command_says_the_delegation_ended(world: World) -> None:
    with pytest.raises(AuthorityError) as refused:
        services.unit_update(actor=world.delegate, unit=world.root, name="X")
    message = str(refused.value)
    assert "không có quyền" in message and "đã hết hạn lúc" in message
