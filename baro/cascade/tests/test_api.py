"""The cascade API (/api/v1/cascade/): each command through HTTP, errors as JSON codes."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from baro.cascade.models import Acknowledgement, DirectiveReceipt
from baro.org import services as org_services
from baro.org.models import Person
from baro.testing.cascade import CascadeWorld, cascade_snapshot
from baro.testing.ledger import last_seq, one_new_event

pytestmark = pytest.mark.django_db

API = "/api/v1/cascade"


def bearer(person: Person) -> Client:
    _, raw = org_services.api_token_issue(actor=person, person=person, name="test")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def post(client: Client, url: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(url, data=json.dumps(body or {}), content_type="application/json")


def sent(cw: CascadeWorld, client: Client | None = None) -> list[dict[str, Any]]:
    response = post(
        client or bearer(cw.city_head),
        f"{API}/directives/{cw.directive.pk}/send",
        {"unit_ids": [cw.dept_a.pk, cw.dept_b.pk]},
    )
    assert response.status_code == 201, response.json()
    return list(response.json())


def test_send_creates_receipts_in_one_event(cw: CascadeWorld) -> None:
    client = bearer(cw.city_head)
    before = last_seq()
    body = sent(cw, client)
    assert [r["unit"]["code"] for r in body] == ["SO-A", "SO-B"]
    assert body[0]["plan_due"] == "2025-10-08" and body[0]["deploy_due"] == "2025-10-15"
    assert one_new_event(before).action == "cascade.directive.sent"


def test_send_errors_are_json_codes_and_change_nothing(cw: CascadeWorld) -> None:
    url = f"{API}/directives/{cw.directive.pk}/send"
    deputy, outsider, issuer = bearer(cw.city_deputy), bearer(cw.outsider), bearer(cw.city_head)
    before = cascade_snapshot()
    response = post(deputy, url, {"unit_ids": [cw.dept_a.pk]})
    assert (response.status_code, response.json()["code"]) == (403, "auth.denied")
    response = post(outsider, url, {"unit_ids": [cw.dept_a.pk]})
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    response = post(issuer, url, {"unit_ids": [cw.dept_a.pk, 999999]})
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    response = post(issuer, url, {"unit_ids": [cw.dept_a.pk], "sent_on": "x"})
    assert (response.status_code, response.json()["code"]) == (422, "validation_error")
    assert cascade_snapshot() == before
    sent(cw)
    response = post(bearer(cw.city_head), url, {"unit_ids": [cw.dept_a.pk]})
    assert (response.status_code, response.json()["code"]) == (409, "cascade.already_sent")
    assert response.json()["field"] == "units"


def test_plan_forward_deploy_acknowledge_and_overview(cw: CascadeWorld, clock: Any) -> None:
    receipt_id = sent(cw)[0]["id"]
    head = bearer(cw.head)
    url = f"{API}/receipts/{receipt_id}"
    response = post(head, f"{url}/deployment", {"deployed_on": "2025-10-01", "form": "meeting"})
    assert (response.status_code, response.json()["code"]) == (400, "cascade.plan_missing")
    response = post(
        head, f"{url}/plan", {"number_symbol": "15-KH/ĐU", "issued_on": "2025-09-01", "title": "KH"}
    )
    assert (response.status_code, response.json()["code"]) == (400, "cascade.plan_before_sent")
    assert response.json()["field"] == "issued_on"
    response = post(
        head, f"{url}/plan", {"number_symbol": "15-KH/ĐU", "issued_on": "2025-10-01", "title": "KH"}
    )
    assert response.status_code == 200 and response.json()["plan_issued_on"] == "2025-10-01"
    response = post(head, f"{url}/forward", {"unit_ids": [cw.div_a1.pk]})
    assert response.status_code == 201 and response.json()[0]["parent_id"] == receipt_id
    response = post(head, f"{url}/deployment", {"deployed_on": "2025-10-01", "form": "conference"})
    assert response.status_code == 200 and response.json()["member_count"] == 3

    member = bearer(cw.delegate)
    others = [bearer(cw.officer), bearer(cw.head_b), bearer(cw.city_head)]
    pending = member.get(f"{API}/pending").json()
    assert (pending["count"], pending["offset"]) == (1, 0)
    assert [r["id"] for r in pending["items"]] == [receipt_id]
    before = last_seq()
    first = post(member, f"{url}/acknowledge")
    second = post(member, f"{url}/acknowledge")
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()
    assert one_new_event(before).action == "cascade.acknowledgement.recorded"
    assert member.get(f"{API}/pending").json()["items"] == []
    response = post(others[0], f"{url}/acknowledge")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    response = post(others[1], f"{url}/acknowledge")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    response = post(others[2], f"{url}/acknowledge")
    assert (response.status_code, response.json()["code"]) == (403, "cascade.not_member")
    assert Acknowledgement.objects.count() == 1

    overview = bearer(cw.secretary).get(f"{API}/directives/{cw.directive.pk}/overview")
    assert overview.status_code == 200
    body = overview.json()
    assert [(r["unit"]["code"], r["level"]) for r in body["rows"]] == [
        ("SO-A", 0),
        ("PHONG-A1", 1),
        ("SO-B", 0),
    ]
    row_a = body["rows"][0]
    assert (row_a["member_total"], row_a["acknowledged_total"]) == (3, 1)
    assert {p["full_name"] for p in row_a["not_acknowledged"]} == {"Trưởng Sở A", "Phó Ủy"}
    assert row_a["plan"]["state"] == "on_time"
    filtered = bearer(cw.secretary).get(
        f"{API}/directives/{cw.directive.pk}/overview", {"loc": "chua-ke-hoach"}
    )
    assert [r["unit"]["code"] for r in filtered.json()["rows"]] == ["PHONG-A1", "SO-B"]
    # Sở A's head follows Sở A and its forward only; an officer follows nothing.
    own = bearer(cw.head).get(f"{API}/directives/{cw.directive.pk}/overview")
    assert [r["unit"]["code"] for r in own.json()["rows"]] == ["SO-A", "PHONG-A1"]
    assert bearer(cw.officer).get(f"{API}/directives/{cw.directive.pk}/overview").status_code == 404


COMMANDS = ("directive_send", "receipt_forward", "plan_issue", "deployment_record")


def test_an_outsider_gets_404_before_any_command_runs(
    cw: CascadeWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    receipt_id = sent(cw)[0]["id"]  # Sở A's
    url = f"{API}/receipts/{receipt_id}"
    clients = [bearer(p) for p in (cw.officer, cw.head_b, cw.outsider)]  # none sees Sở A's

    def must_not_run(**kwargs: Any) -> Any:
        raise AssertionError("a command ran for someone who may not see its object")

    for name in (*COMMANDS, "receipt_acknowledge"):
        monkeypatch.setattr(f"baro.cascade.services.{name}", must_not_run)
    before = cascade_snapshot()
    plan = {"number_symbol": "15-KH/ĐU", "issued_on": "2025-10-01", "title": "KH"}
    for client in clients:
        for path, body in (
            ("forward", {"unit_ids": [cw.div_a1.pk]}),
            ("plan", plan),
            ("deployment", {"deployed_on": "2025-10-01", "form": "meeting"}),
            ("acknowledge", None),
        ):
            response = post(client, f"{url}/{path}", body)
            assert (response.status_code, response.json()["code"]) == (404, "not_found"), path
        assert client.get(url).status_code == 404
    response = post(
        clients[2], f"{API}/directives/{cw.directive.pk}/send", {"unit_ids": [cw.div_a1.pk]}
    )
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    response = post(clients[0], f"{API}/receipts/999999/plan", plan)
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert cascade_snapshot() == before


def test_pending_pages_like_every_list(cw: CascadeWorld) -> None:
    first, second = sent(cw)
    member = bearer(cw.head)  # a member of Sở A
    body = member.get(f"{API}/pending", {"limit": 1}).json()
    assert (body["count"], body["limit"], body["offset"]) == (1, 1, 0)
    assert [r["id"] for r in body["items"]] == [first["id"]]
    assert member.get(f"{API}/pending", {"offset": 1}).json()["items"] == []
    old = member.get(f"{API}/pending", {"page": 2, "page_size": 1}).json()
    assert (old["count"], old["offset"], old["items"]) == (1, 1, [])
    assert bearer(cw.head_b).get(f"{API}/pending").json()["items"][0]["id"] == second["id"]


def test_the_endpoints_are_in_the_openapi_document(cw: CascadeWorld) -> None:
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/cascade/directives/{directive_id}/send",
        "/api/v1/cascade/directives/{directive_id}/overview",
        "/api/v1/cascade/receipts/{receipt_id}/forward",
        "/api/v1/cascade/receipts/{receipt_id}/plan",
        "/api/v1/cascade/receipts/{receipt_id}/deployment",
        "/api/v1/cascade/receipts/{receipt_id}/acknowledge",
        "/api/v1/cascade/pending",
    ):
        assert path in paths, path
    assert DirectiveReceipt.objects.count() == 0
