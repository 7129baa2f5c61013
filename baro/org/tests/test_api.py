from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from baro.ledger.models import LedgerEvent
from baro.org import services
from baro.org.models import Person, Position, Role, Unit
from baro.testing.org import World

pytestmark = pytest.mark.django_db

API = "/api/v1/org"


def bearer(world_person: Person) -> Client:
    _, raw = services.api_token_issue(actor=world_person, person=world_person, name="test")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def session(person: Person) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


def post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_anonymous_gets_401_json(world: World) -> None:
    response = Client().get(f"{API}/units")
    assert response.status_code == 401
    assert response.json()["code"] == "auth.required"


def test_unit_list_is_scoped_and_paginated(world: World) -> None:
    client = bearer(world.admin)
    response = client.get(f"{API}/units", {"limit": 2, "offset": 0})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 4  # Hà Nội, Sở A, Phòng A1, Sở B; never Hải Phòng
    assert [u["code"] for u in body["items"]] == ["HN", "SO-A"]
    assert client.get(f"{API}/units", {"search": "Phòng"}).json()["count"] == 1
    assert client.get(f"{API}/units", {"kind": "division"}).json()["items"][0]["code"] == (
        "PHONG-A1"
    )


def test_outsider_gets_404_for_units_of_another_tree(world: World) -> None:
    client = session(world.outsider)
    for url in (
        f"{API}/units/{world.dept_a.pk}",
        f"{API}/units/{world.dept_a.pk}/subtree",
        f"{API}/units/{world.dept_a.pk}/ancestors",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json()["code"] == "not_found"
    response = client.patch(
        f"{API}/units/{world.dept_a.pk}", data='{"name": "X"}', content_type="application/json"
    )
    assert response.status_code == 404
    assert client.get(f"{API}/units").json()["count"] == 1  # only Hải Phòng


def test_read_only_member_gets_403_on_writes(world: World) -> None:
    client = session(world.head)  # registry.view over Sở A, not registry.manage
    assert client.get(f"{API}/units/{world.dept_a.pk}").status_code == 200
    response = client.patch(
        f"{API}/units/{world.dept_a.pk}", data='{"name": "X"}', content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "auth.denied"
    assert not LedgerEvent.objects.exists()


def test_subtree_and_ancestors(world: World) -> None:
    client = bearer(world.admin)
    subtree = client.get(f"{API}/units/{world.dept_a.pk}/subtree").json()
    assert [u["code"] for u in subtree["items"]] == ["SO-A", "PHONG-A1"]
    ancestors = client.get(f"{API}/units/{world.div_a1.pk}/ancestors").json()
    assert [u["code"] for u in ancestors] == ["HN", "SO-A"]


def test_create_update_move_close_a_unit(world: World) -> None:
    client = bearer(world.admin)
    response = post(
        client,
        f"{API}/units",
        {"code": "P-MOI", "name": "Phòng mới", "kind": "division", "parent_id": world.dept_a.pk},
    )
    assert response.status_code == 201, response.content
    unit_id = response.json()["id"]
    response = client.patch(
        f"{API}/units/{unit_id}", data='{"short_name": "PM"}', content_type="application/json"
    )
    assert response.json()["short_name"] == "PM"
    response = post(client, f"{API}/units/{unit_id}/move", {"new_parent_id": world.dept_b.pk})
    assert response.json()["parent_id"] == world.dept_b.pk
    response = post(client, f"{API}/units/{world.dept_b.pk}/move", {"new_parent_id": unit_id})
    assert response.status_code == 400
    assert response.json()["code"] == "org.unit_cycle"
    response = post(client, f"{API}/units/{unit_id}/close", {"on": "2035-01-01"})
    assert response.json()["valid_to"] == "2035-01-01"
    assert LedgerEvent.objects.count() == 4 + 1  # + the token issued by bearer()


def test_second_head_is_409_with_code(world: World) -> None:
    client = session(world.admin)
    response = post(
        client,
        f"{API}/positions",
        {"person_id": world.officer.pk, "unit_id": world.dept_a.pk, "role": "head"},
    )
    assert response.status_code == 409
    assert response.json()["code"] == "org.head_exists"
    response = post(client, f"{API}/units/{world.dept_a.pk}/head", {"person_id": world.officer.pk})
    assert response.status_code == 201
    assert Position.objects.get(unit=world.dept_a, role=Role.HEAD, valid_to=None).person == (
        world.officer
    )


def test_persons_create_list_and_end_position(world: World) -> None:
    client = session(world.admin)
    response = post(
        client,
        f"{API}/persons",
        {"unit_id": world.div_a1.pk, "full_name": "Đỗ Văn Em", "code": "CB-EM", "role": "officer"},
    )
    assert response.status_code == 201, response.content
    listed = client.get(f"{API}/persons", {"search": "Em"}).json()
    assert [p["code"] for p in listed["items"]] == ["CB-EM"]
    position = Position.objects.get(person__code="CB-EM")
    response = post(
        client, f"{API}/positions/{position.pk}/end", {"on": "2035-01-01", "reason": "Nghỉ"}
    )
    assert response.status_code == 200
    assert session(world.outsider).get(f"{API}/persons", {"search": "Em"}).json()["count"] == 0


def test_delegations_grant_list_revoke(world: World) -> None:
    client = session(world.head)
    response = post(
        client,
        f"{API}/delegations",
        {
            "delegate_id": world.officer.pk,
            "unit_id": world.dept_a.pk,
            "powers": ["task.assign"],
            "valid_from": "2030-01-01T08:00:00+07:00",
            "valid_to": "2030-01-10T08:00:00+07:00",
            "reason": "Đi học",
        },
    )
    assert response.status_code == 201, response.content
    delegation_id = response.json()["id"]
    assert [d["id"] for d in client.get(f"{API}/delegations").json()] == [delegation_id]
    response = post(client, f"{API}/delegations/{delegation_id}/revoke", {"reason": "Hủy"})
    assert response.json()["revoked_at"] is not None


def test_bad_json_is_422_with_a_code(world: World) -> None:
    client = bearer(world.admin)
    response = client.post(f"{API}/units", data="{not json", content_type="application/json")
    assert response.status_code in (400, 422)
    assert response.json()["code"]
    response = post(client, f"{API}/units", {"name": "Thiếu mã"})
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"


def test_import_by_upload(world: World) -> None:
    client = bearer(world.admin)
    data = "loai_dong,ma_don_vi,ten_don_vi,loai_don_vi\nunit,UP-1,Phòng nhập,division\n"
    upload = SimpleUploadedFile("a.csv", data.encode(), content_type="text/csv")
    response = client.post(f"{API}/import", {"file": upload, "parent_id": world.dept_b.pk})
    assert response.status_code == 200, response.content
    assert response.json()["unit_codes"] == ["UP-1"]
    assert Unit.objects.get(code="UP-1").parent == world.dept_b
    bad = SimpleUploadedFile("b.csv", data.encode())  # UP-1 exists now
    response = client.post(f"{API}/import", {"file": bad, "parent_id": world.dept_b.pk})
    assert response.status_code == 400
    assert response.json()["code"] == "import.invalid"
    assert response.json()["details"]["rows"]


def test_tokens_issue_once_and_authenticate(world: World) -> None:
    response = post(session(world.officer), f"{API}/tokens", {"name": "Máy chủ"})
    assert response.status_code == 201
    raw = response.json()["token"]
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    assert client.get(f"{API}/delegations").status_code == 200
    # Someone the officer may not see is not found, as on the pages; someone the head sees but
    # does not manage is a refusal.
    response = post(
        session(world.officer), f"{API}/tokens", {"name": "x", "person_id": world.admin.pk}
    )
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    response = post(
        session(world.head), f"{API}/tokens", {"name": "x", "person_id": world.officer.pk}
    )
    assert response.status_code == 403
    assert response.json()["code"] == "auth.denied"


def test_a_nul_character_or_a_body_that_is_not_json_is_refused_in_vietnamese(
    world: World,
) -> None:
    # PostgreSQL's text cannot hold U+0000: refused up front, before any command runs.
    client = bearer(world.admin)
    before = Unit.objects.count()
    for response in (
        client.get(f"{API}/units", {"search": "Sở\x00"}),
        client.post(
            f"{API}/units",
            data=json.dumps({"code": "SO-C", "name": "Sở\x00C", "parent_id": world.root.pk}),
            content_type="application/json",
        ),
    ):
        assert response.status_code == 400
        assert response.json() == {
            "code": "request.nul_character",
            "message": "Dữ liệu gửi lên chứa ký tự NUL (\\u0000), không được chấp nhận.",
        }
    broken = client.post(f"{API}/units", data="{", content_type="application/json")
    assert broken.status_code == 400
    assert broken.json() == {
        "code": "http.400",
        "message": "Nội dung gửi lên không phải JSON hợp lệ (UTF-8).",
    }
    assert Unit.objects.count() == before


def test_a_unit_shows_its_head_and_positions(world: World) -> None:
    client = bearer(world.admin)
    body = client.get(f"{API}/units/{world.dept_a.pk}/positions").json()
    assert body["unit_id"] == world.dept_a.pk
    assert body["head"]["person"]["full_name"] == "Trưởng Sở A"
    assert body["head"]["role"] == Role.HEAD
    assert body["positions"][0]["id"] == body["head"]["id"]  # head first
    names = {p["person"]["full_name"] for p in body["positions"]}
    assert {"Trưởng Sở A", "Được Ủy", "Phó Ủy"} <= names
    assert client.get(f"{API}/units/{world.dept_b.pk}/positions").json()["head"] is None
    later = client.get(f"{API}/units/{world.dept_a.pk}/positions", {"on": "2100-01-01"})
    assert later.status_code == 422 and later.json()["code"] == "validation_error"
    outsider = bearer(world.outsider).get(f"{API}/units/{world.dept_a.pk}/positions")
    assert outsider.status_code == 404 and outsider.json()["code"] == "not_found"
