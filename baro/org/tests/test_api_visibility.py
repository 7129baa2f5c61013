"""An outsider is told "not found" about what they may not see, before any command runs.

Each write endpoint fetches what it acts on through baro.org.permissions' `*_get_for_actor`
first: the outsider (the administrator of another tree, strong there) gets a 404 `not_found`
for a unit, position, delegation or person of Hà Nội, never the command's 403 that would confirm
it exists, and the command is not even started.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from baro.org import api
from baro.org.models import Delegation, Position, Role
from baro.testing.factories import UnitFactory
from baro.testing.org import World, registry_snapshot

pytestmark = pytest.mark.django_db

API = "/api/v1/org"
LATER = "2035-01-01"


@pytest.fixture
def no_command(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Record every command the API would start (and start none)."""
    started: list[Any] = []

    def refuse(command: Any, /, *args: Any, **kwargs: Any) -> Any:
        started.append(command)
        raise AssertionError(f"{command.__name__} ran for a thing the actor may not see")

    monkeypatch.setattr(api, "run_command", refuse)
    return started


def outsider_client(world: World) -> Client:
    client = Client()
    client.force_login(world.outsider.user)
    return client


def hidden_writes(world: World) -> list[tuple[str, str, dict[str, Any]]]:
    """(method, url, body) of every write naming something of Hà Nội, each otherwise valid for
    the outsider: their own tree's units and themself wherever a second thing is named."""
    own = UnitFactory(code="HP-1", name="Sở C", parent=world.other_root)
    position = Position.objects.get(person=world.head, role=Role.HEAD)
    delegation = Delegation.objects.get(delegate=world.deputy)
    window = {"valid_from": "2035-01-01T08:00:00+07:00", "valid_to": "2035-01-08T08:00:00+07:00"}
    dept_a = world.dept_a.pk
    return [
        ("post", "/units", {"code": "X", "name": "X", "kind": "department", "parent_id": dept_a}),
        ("patch", f"/units/{dept_a}", {"name": "X"}),
        ("post", f"/units/{dept_a}/move", {"new_parent_id": own.pk}),
        ("post", f"/units/{own.pk}/move", {"new_parent_id": dept_a}),
        ("post", f"/units/{dept_a}/close", {"on": LATER}),
        ("post", f"/units/{own.pk}/close", {"on": LATER, "successor_id": dept_a}),
        ("post", f"/units/{dept_a}/head", {"person_id": world.outsider.pk}),
        ("post", "/persons", {"unit_id": dept_a, "full_name": "X", "code": "X"}),
        (
            "post",
            "/positions",
            {"unit_id": dept_a, "person_id": world.outsider.pk, "role": Role.OFFICER},
        ),
        ("post", f"/positions/{position.pk}/end", {"on": LATER, "reason": "X"}),
        (
            "post",
            "/delegations",
            {
                "delegate_id": world.outsider.pk,
                "unit_id": dept_a,
                "powers": ["task.assign"],
                "reason": "X",
                **window,
            },
        ),
        ("post", f"/delegations/{delegation.pk}/revoke", {"reason": "X"}),
        ("post", "/tokens", {"name": "X", "person_id": world.officer.pk}),
    ]


def test_an_outsider_gets_404_before_any_command_on_what_they_cannot_see(
    world: World, no_command: list[Any]
) -> None:
    client = outsider_client(world)
    writes = hidden_writes(world)
    before = registry_snapshot()
    for method, url, body in writes:
        response = getattr(client, method)(
            f"{API}{url}", data=json.dumps(body), content_type="application/json"
        )
        assert response.status_code == 404, (method, url, response.content)
        assert response.json()["code"] == "not_found", (method, url)
    assert no_command == []
    assert registry_snapshot() == before


def test_an_import_under_a_hidden_unit_is_not_found_before_the_file_is_read(
    world: World, no_command: list[Any]
) -> None:
    upload = SimpleUploadedFile("x.csv", b"loai_dong,ma_don_vi\n", content_type="text/csv")
    client = outsider_client(world)
    before = registry_snapshot()
    response = client.post(f"{API}/import", {"file": upload, "parent_id": world.dept_a.pk})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert no_command == []
    assert registry_snapshot() == before


def test_the_same_writes_on_what_they_see_reach_the_command(
    world: World, no_command: list[Any]
) -> None:
    """The fixture above really stops commands: the head of Sở A, who sees it, gets as far."""
    client = Client(raise_request_exception=False)
    client.force_login(world.head.user)
    client.patch(
        f"{API}/units/{world.dept_a.pk}", data='{"name": "X"}', content_type="application/json"
    )
    assert [command.__name__ for command in no_command] == ["unit_update"]
