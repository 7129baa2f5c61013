"""The ledger page: only for ledger.read holders; the integrity check shows its verdict."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from baro.org.models import Person
from baro.testing.org import World

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
