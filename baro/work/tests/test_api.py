"""The directives and tasks API (/api/v1/work/): every endpoint with a bearer token, its one
ledger event, who may not (403), bad input (400/422), wrong state (409), unknown ids (404)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from baro.core.paging import MAX_LIMIT
from baro.core.timeutil import today
from baro.ledger.models import LedgerEvent
from baro.testing.ledger import last_seq, one_new_event
from baro.testing.work import API, WorkWorld, assign, bearer, work_snapshot
from baro.work import services
from baro.work.models import Directive, Dispute, Extension, Task, TaskStatus

pytestmark = pytest.mark.django_db


def post(client: Client, url: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(url, data=json.dumps(body or {}), content_type="application/json")


def refused_over_http(
    client: Client, url: str, body: dict[str, Any], status: int, code: str
) -> Any:
    """POST must answer `status` with JSON `code` and change no row and no ledger event."""
    before = work_snapshot()
    response = post(client, url, body)
    assert response.status_code == status, response.content
    payload = response.json()
    assert payload["code"] == code, payload
    assert payload["message"]
    assert work_snapshot() == before
    return payload


def in_progress(ww: WorkWorld, **overrides: Any) -> Task:
    return services.task_accept(actor=ww.w.head, task=assign(ww, **overrides))


def submitted(ww: WorkWorld, **overrides: Any) -> Task:
    return services.task_submit(actor=ww.w.head, task=in_progress(ww, **overrides))


# --- authentication ---------------------------------------------------------------------------


def test_anonymous_and_bad_tokens_get_401_json(ww: WorkWorld) -> None:
    task = assign(ww)
    for client in (Client(), Client(headers={"Authorization": "Bearer nope"})):
        response = client.get(f"{API}/tasks/{task.pk}")
        assert response.status_code == 401
        assert response.json()["code"] == "auth.required"
        before = work_snapshot()
        assert post(client, f"{API}/tasks/{task.pk}/accept").status_code == 401
        assert work_snapshot() == before


# --- directives -------------------------------------------------------------------------------


def directive_body(ww: WorkWorld, **overrides: Any) -> dict[str, Any]:
    body = {
        "number_symbol": "24-CT/TU",
        "kind": "directive",
        "issuing_unit_id": ww.root.pk,
        "signed_on": str(today()),
        "title": "Về tăng cường kỷ luật, kỷ cương hành chính",
        "signer_id": ww.city_head.pk,
        "requires_cascade": True,
        "groups": ["Nhiệm vụ trọng tâm", "Nhiệm vụ thường xuyên"],
    }
    body.update(overrides)
    return body


def test_secretary_registers_a_directive_with_groups(ww: WorkWorld) -> None:
    client = bearer(ww.secretary)
    seq = last_seq()
    response = post(client, f"{API}/directives", directive_body(ww))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number_symbol"] == "24-CT/TU"
    assert body["issuing_unit"] == {"id": ww.root.pk, "code": "HN", "name": ww.root.name}
    assert body["registered_by_id"] == ww.secretary.pk
    event = one_new_event(seq)
    assert event.action == "work.directive.registered"
    assert event.object_id == str(body["id"]) or event.object_id == body["id"]

    directive = Directive.objects.get(pk=body["id"])
    groups = list(directive.groups.all())
    grouped = assign(ww, directive=directive, group=groups[0])
    loose = assign(ww, directive=directive, title="Không thuộc nhóm")
    detail = client.get(f"{API}/directives/{directive.pk}").json()
    assert [(g["name"], g["task_ids"]) for g in detail["groups"]] == [
        ("Nhiệm vụ trọng tâm", [grouped.pk]),
        ("Nhiệm vụ thường xuyên", []),
    ]
    assert detail["task_ids"] == sorted([grouped.pk, loose.pk])


def test_directive_list_is_scoped_searchable_and_paginated(ww: WorkWorld) -> None:
    for number, title in [("1-CT/TU", "Về cải cách"), ("2-CT/TU", "Về chuyển đổi số")]:
        services.directive_register(
            actor=ww.secretary,
            number_symbol=number,
            kind="directive",
            issuing_unit=ww.root,
            signed_on=today(),
            title=title,
        )
    officer = bearer(ww.w.officer)  # an officer of Phòng A1 reads the city's directives
    page = officer.get(f"{API}/directives", {"limit": 1}).json()
    assert (page["count"], page["limit"], page["offset"]) == (2, 1, 0)
    second = officer.get(f"{API}/directives", {"limit": 1, "offset": 1}).json()
    assert {page["items"][0]["id"], second["items"][0]["id"]} == set(
        Directive.objects.values_list("pk", flat=True)
    )
    old_style = officer.get(f"{API}/directives", {"page_size": 1, "page": 2}).json()
    assert old_style["items"] == second["items"] and old_style["offset"] == 1
    found = officer.get(f"{API}/directives", {"q": "chuyển đổi"}).json()
    assert [d["number_symbol"] for d in found["items"]] == ["2-CT/TU"]
    huge = officer.get(f"{API}/directives", {"limit": 10_000}).json()
    assert huge["limit"] == MAX_LIMIT
    outsider = bearer(ww.w.outsider)
    assert outsider.get(f"{API}/directives").json()["count"] == 0
    some = Directive.objects.first()
    assert some is not None
    response = outsider.get(f"{API}/directives/{some.pk}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_directive_refusals(ww: WorkWorld) -> None:
    url = f"{API}/directives"
    refused_over_http(bearer(ww.w.officer), url, directive_body(ww), 403, "auth.denied")
    client = bearer(ww.secretary)
    refused_over_http(client, url, directive_body(ww, kind="memo"), 400, "work.invalid_choice")
    refused_over_http(client, url, directive_body(ww, title="  "), 400, "work.field_required")
    refused_over_http(client, url, directive_body(ww, issuing_unit_id=999_999), 404, "not_found")
    body = directive_body(ww)
    del body["signed_on"]
    refused_over_http(client, url, body, 422, "validation_error")
    assert post(client, url, directive_body(ww)).status_code == 201
    refused_over_http(client, url, directive_body(ww), 409, "work.directive_duplicate")
    assert client.get(f"{API}/directives/999999").status_code == 404


# --- assignment -------------------------------------------------------------------------------


def assign_body(ww: WorkWorld, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": "Rà soát thủ tục hành chính",
        "lead_unit_id": ww.dept_a.pk,
        "assigning_unit_id": ww.root.pk,
        "deadline_rule": "working_days",
        "deadline_days": 10,
    }
    body.update(overrides)
    return body


def test_city_head_assigns_a_task_with_everything(ww: WorkWorld) -> None:
    directive = services.directive_register(
        actor=ww.secretary,
        number_symbol="24-CT/TU",
        kind="directive",
        issuing_unit=ww.root,
        signed_on=today(),
        title="Về kỷ cương",
        groups=["Trọng tâm"],
    )
    group = directive.groups.get()
    client = bearer(ww.city_head)
    due = today() + dt.timedelta(days=40)
    seq = last_seq()
    response = post(
        client,
        f"{API}/tasks",
        assign_body(
            ww,
            deadline_rule="date",
            deadline=str(due),
            deadline_days=None,
            coordinators=[{"unit_id": ww.dept_b.pk, "part": "Số liệu", "sub_deadline": None}],
            officer_id=ww.w.officer.pk,
            directive_id=directive.pk,
            group_id=group.pk,
            priority="urgent",
            is_new_difficult=True,
            is_innovation=True,
            expected_output="Báo cáo",
            quality_criteria="Đủ số liệu",
            description="Chi tiết",
        ),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "assigned"
    assert body["status_label"] == "Chờ tiếp nhận"
    assert body["timing"] == "in_progress_on_time"
    assert body["not_updated"] is False
    assert body["deadline"] == str(due)
    assert body["lead_unit"]["id"] == ww.dept_a.pk
    assert (body["officer_id"], body["directive_id"], body["group_id"]) == (
        ww.w.officer.pk,
        directive.pk,
        group.pk,
    )
    assert body["priority"] == "urgent"
    assert body["is_new_difficult"] and body["is_innovation"]
    assert set(body["next_commands"]) == {"accept", "refuse", "request_extension", "cancel"} | {
        "decide_extension"
    }
    event = one_new_event(seq)
    assert event.action == "work.task.assigned"
    task = Task.objects.get(pk=body["id"])
    assert task.coordinators.get().unit_id == ww.dept_b.pk
    assert task.assigner_id == ww.city_head.pk

    child = post(client, f"{API}/tasks", assign_body(ww, parent_id=task.pk)).json()
    assert child["parent_id"] == task.pk


def test_assignment_refusals_change_nothing(ww: WorkWorld) -> None:
    url = f"{API}/tasks"
    # Sở B's head holds task.assign over Sở B only, not over the city.
    refused_over_http(bearer(ww.head_b), url, assign_body(ww), 403, "auth.denied")
    client = bearer(ww.city_head)
    refused_over_http(
        client,
        url,
        assign_body(ww, deadline_rule="date", deadline_days=None),
        400,
        "work.field_required",
    )
    refused_over_http(
        client,
        url,
        assign_body(ww, deadline_rule="date", deadline=str(today() - dt.timedelta(days=1))),
        400,
        "work.deadline_before_assignment",
    )
    refused_over_http(
        client,
        url,
        assign_body(ww, coordinators=[{"unit_id": ww.dept_a.pk}]),
        400,
        "work.coordinator_is_lead",
    )
    refused_over_http(client, url, assign_body(ww, priority="whenever"), 400, "work.invalid_choice")
    refused_over_http(
        client, url, assign_body(ww, lead_unit_id=ww.w.other_root.pk), 403, "work.lead_outside"
    )
    refused_over_http(client, url, assign_body(ww, lead_unit_id=999_999), 404, "not_found")
    refused_over_http(client, url, assign_body(ww, officer_id=999_999), 404, "not_found")
    body = assign_body(ww)
    del body["lead_unit_id"]  # a task with no lead cannot even be asked for
    refused_over_http(client, url, body, 422, "validation_error")
    refused_over_http(client, url, assign_body(ww, deadline_days="ten"), 422, "validation_error")
    closed = services.task_cancel(actor=ww.city_head, task=assign(ww), reason="Không cần nữa")
    refused_over_http(client, url, assign_body(ww, parent_id=closed.pk), 409, "work.parent_closed")


# --- task detail: the three clears ------------------------------------------------------------


def test_task_detail_shows_process_authority_and_record(ww: WorkWorld) -> None:
    task = in_progress(ww, officer=ww.w.officer, coordinators=[(ww.dept_b, "Phần B", None)])
    services.task_report_progress(actor=ww.w.officer, task=task, percent=40, text="Đã rà soát")
    services.extension_request(
        actor=ww.w.head,
        task=task,
        new_deadline=task.deadline + dt.timedelta(days=5),
        reason="Chờ số liệu",
    )
    body = bearer(ww.w.head).get(f"{API}/tasks/{task.pk}").json()
    assert body["status"] == "in_progress"
    assert body["timing"] == "in_progress_on_time"
    assert body["percent"] == 40
    assert body["lead_unit"]["code"] == "SO-A"
    assert body["assigning_unit"]["code"] == "HN"
    assert body["assigner"]["id"] == ww.city_head.pk
    assert body["officer"]["id"] == ww.w.officer.pk
    assert body["accountable_head"]["id"] == ww.w.head.pk
    assert [c["unit"]["code"] for c in body["coordinators"]] == ["SO-B"]
    assert [r["percent"] for r in body["progress_reports"]] == [40]
    assert body["progress_reports"][0]["author"]["id"] == ww.w.officer.pk
    assert [e["status"] for e in body["extensions"]] == ["requested"]
    assert body["disputes"] == []
    # The lead's head may report and submit (not ask again: a request is pending), not decide
    # its own extension nor cancel; the assigner (the city's head, who also holds task.handle
    # over the whole city) may do both sides.
    assert body["my_commands"] == ["report_progress", "submit"]
    mine = bearer(ww.city_head).get(f"{API}/tasks/{task.pk}").json()["my_commands"]
    assert mine == ["report_progress", "submit", "decide_extension", "cancel"]
    admin = bearer(ww.w.admin).get(f"{API}/tasks/{task.pk}").json()["my_commands"]
    assert admin == []
    # The named officer sees the task though Phòng A1 is below the lead.
    assert bearer(ww.w.officer).get(f"{API}/tasks/{task.pk}").status_code == 200
    # A coordinator's head sees it; another tree does not.
    assert bearer(ww.head_b).get(f"{API}/tasks/{task.pk}").json()["my_commands"] == []
    response = bearer(ww.w.outsider).get(f"{API}/tasks/{task.pk}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert bearer(ww.w.head).get(f"{API}/tasks/999999").status_code == 404


# --- the workflow -----------------------------------------------------------------------------


def test_accept_progress_submit_approve_each_one_event(ww: WorkWorld) -> None:
    task = assign(ww)
    lead, assigner = bearer(ww.w.head), bearer(ww.city_head)
    steps: list[tuple[Client, str, dict[str, Any], str, str]] = [
        (lead, "accept", {}, "in_progress", "work.task.accepted"),
        (
            lead,
            "progress",
            {"percent": 60, "text": "Đã xong bước 1", "blocker": "Cần ý kiến"},
            "in_progress",
            "work.task.progress_reported",
        ),
        (lead, "submit", {"note": "Kèm báo cáo"}, "submitted", "work.task.submitted"),
        (
            assigner,
            "approve",
            {"quality_grade": "good", "effectiveness_grade": "high", "note": "Tốt"},
            "completed",
            "work.task.approved",
        ),
    ]
    for client, command, body, status, action in steps:
        seq = last_seq()
        response = post(client, f"{API}/tasks/{task.pk}/{command}", body)
        assert response.status_code == 200, (command, response.content)
        assert response.json()["status"] == status
        assert one_new_event(seq).action == action
    final = response.json()
    assert final["timing"] == "completed_on_time"
    assert final["quality_grade"] == "good"
    assert final["percent"] == 100
    assert final["next_commands"] == []
    task.refresh_from_db()
    assert task.status == TaskStatus.COMPLETED


def test_a_missing_or_broken_body_is_json_and_changes_nothing(ww: WorkWorld) -> None:
    task = in_progress(ww)
    client = bearer(ww.w.head)
    before = work_snapshot()
    for data, status, code in [("", 422, "validation_error"), ("{not json", 400, "http.400")]:
        response = client.post(
            f"{API}/tasks/{task.pk}/submit", data=data, content_type="application/json"
        )
        assert response.status_code == status, response.content
        assert response.json()["code"] == code
    assert work_snapshot() == before
    assert post(client, f"{API}/tasks/{task.pk}/submit", {}).json()["status"] == "submitted"


def test_wrong_state_is_409_with_the_service_code(ww: WorkWorld) -> None:
    task = assign(ww)
    lead, assigner = bearer(ww.w.head), bearer(ww.city_head)
    base = f"{API}/tasks/{task.pk}"
    refused_over_http(lead, f"{base}/submit", {}, 409, "work.wrong_state")
    refused_over_http(
        lead, f"{base}/progress", {"percent": 5, "text": "x"}, 409, "work.wrong_state"
    )
    grades = {"quality_grade": "good", "effectiveness_grade": "high"}
    refused_over_http(assigner, f"{base}/approve", grades, 409, "work.wrong_state")
    refused_over_http(assigner, f"{base}/return", {"reason": "Chưa đạt"}, 409, "work.wrong_state")
    assert post(lead, f"{base}/accept").status_code == 200
    payload = refused_over_http(lead, f"{base}/accept", {}, 409, "work.wrong_state")
    assert payload["details"] == {"status": "in_progress", "command": "accept"}


def test_authority_refusals_are_403_json(ww: WorkWorld) -> None:
    task = assign(ww, officer=ww.w.officer)
    base = f"{API}/tasks/{task.pk}"
    admin = bearer(ww.w.admin)  # sees the city's tasks, holds no task power
    refused_over_http(admin, f"{base}/accept", {}, 403, "auth.denied")
    # The named officer handles the task but does not take or refuse it for the unit.
    officer = bearer(ww.w.officer)
    refused_over_http(officer, f"{base}/accept", {}, 403, "auth.denied")
    services.task_accept(actor=ww.w.head, task=task)
    refused_over_http(admin, f"{base}/progress", {"percent": 5, "text": "x"}, 403, "auth.denied")
    refused_over_http(bearer(ww.w.head), f"{base}/cancel", {"reason": "x"}, 403, "auth.denied")
    services.task_submit(actor=ww.w.officer, task=task)
    grades = {"quality_grade": "good", "effectiveness_grade": "high"}
    refused_over_http(officer, f"{base}/approve", grades, 403, "auth.denied")
    refused_over_http(officer, f"{base}/return", {"reason": "x"}, 403, "auth.denied")
    # Outside the tree the task does not exist.
    refused_over_http(bearer(ww.w.outsider), f"{base}/approve", grades, 404, "not_found")


def test_bad_input_on_transitions(ww: WorkWorld) -> None:
    task = submitted(ww)
    assigner = bearer(ww.city_head)
    base = f"{API}/tasks/{task.pk}"
    refused_over_http(
        assigner,
        f"{base}/approve",
        {"quality_grade": "superb", "effectiveness_grade": "high"},
        400,
        "work.invalid_choice",
    )
    refused_over_http(
        assigner, f"{base}/approve", {"quality_grade": "good"}, 422, "validation_error"
    )
    refused_over_http(assigner, f"{base}/return", {}, 400, "work.field_required")
    refused_over_http(assigner, f"{base}/cancel", {"reason": " "}, 400, "work.field_required")
    other = in_progress(ww)
    lead = bearer(ww.w.head)
    refused_over_http(
        lead,
        f"{API}/tasks/{other.pk}/progress",
        {"percent": 150, "text": "x"},
        422,
        "validation_error",
    )
    refused_over_http(
        lead, f"{API}/tasks/{other.pk}/progress", {"percent": 10}, 400, "work.field_required"
    )
    refused_over_http(
        lead, f"{API}/tasks/{other.pk}/progress", {"text": "x"}, 422, "validation_error"
    )
    valid = {
        "accept": {},
        "refuse": {"reason": "x", "proposed_unit_id": ww.dept_b.pk},
        "progress": {"percent": 5, "text": "x"},
        "submit": {},
        "approve": {"quality_grade": "good", "effectiveness_grade": "high"},
        "return": {"reason": "x"},
        "cancel": {"reason": "x"},
        "extensions": {"reason": "x", "new_deadline": "2035-01-01"},
    }
    for command, body in valid.items():
        refused_over_http(lead, f"{API}/tasks/999999/{command}", body, 404, "not_found")


def test_return_and_cancel(ww: WorkWorld) -> None:
    task = submitted(ww)
    assigner = bearer(ww.city_head)
    seq = last_seq()
    response = post(assigner, f"{API}/tasks/{task.pk}/return", {"reason": "Thiếu số liệu"})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["return_count"]) == ("in_progress", 1)
    assert one_new_event(seq).action == "work.task.returned"
    seq = last_seq()
    response = post(assigner, f"{API}/tasks/{task.pk}/cancel", {"reason": "Không còn cần"})
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert response.json()["timing"] == "cancelled"
    assert one_new_event(seq).action == "work.task.cancelled"
    refused_over_http(
        assigner, f"{API}/tasks/{task.pk}/cancel", {"reason": "Lần nữa"}, 409, "work.wrong_state"
    )


# --- refusal and dispute ----------------------------------------------------------------------


def test_refusal_opens_a_dispute_that_the_common_superior_decides(ww: WorkWorld) -> None:
    task = assign(ww)
    lead = bearer(ww.w.head)
    base = f"{API}/tasks/{task.pk}"
    refused_over_http(
        lead, f"{base}/refuse", {"proposed_unit_id": ww.dept_b.pk}, 400, "work.field_required"
    )
    refused_over_http(
        lead, f"{base}/refuse", {"reason": "Không đúng chức năng"}, 400, "work.field_required"
    )
    refused_over_http(
        lead, f"{base}/refuse", {"reason": "x", "proposed_unit_id": 999_999}, 404, "not_found"
    )
    seq = last_seq()
    response = post(
        lead, f"{base}/refuse", {"reason": "Thuộc chức năng Sở B", "proposed_unit_id": ww.dept_b.pk}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["bounce_count"]) == ("disputed", 1)
    assert body["lead_unit"]["id"] == ww.dept_a.pk  # never ownerless
    dispute = body["dispute"]
    assert dispute["decider_unit"]["id"] == ww.root.pk
    assert dispute["proposed_unit"]["id"] == ww.dept_b.pk
    assert one_new_event(seq).action == "work.task.refused"

    url = f"{API}/disputes/{dispute['id']}"
    # The proposed unit's head sees the dispute but may not decide it.
    assert bearer(ww.head_b).get(url).json()["status"] == "open"
    decide = f"{url}/decide"
    body_b = {"unit_id": ww.dept_b.pk, "reason": "Đúng chức năng Sở B"}
    refused_over_http(bearer(ww.head_b), decide, body_b, 403, "work.not_decider")
    # A deputy of the city holds task powers but not the decision of the head.
    refused_over_http(bearer(ww.city_deputy), decide, body_b, 403, "work.not_decider")
    refused_over_http(bearer(ww.w.outsider), decide, body_b, 404, "not_found")
    city = bearer(ww.city_head)
    refused_over_http(city, decide, {"unit_id": ww.dept_b.pk}, 400, "work.field_required")
    refused_over_http(city, decide, {"reason": "x"}, 422, "validation_error")
    seq = last_seq()
    response = post(city, decide, body_b)
    assert response.status_code == 200, response.content
    decided = response.json()
    assert decided["status"] == "assigned"
    assert decided["lead_unit"]["id"] == ww.dept_b.pk
    assert decided["dispute"]["status"] == "decided"
    assert decided["dispute"]["decided_unit"]["id"] == ww.dept_b.pk
    assert one_new_event(seq).action == "work.dispute.decided"
    refused_over_http(city, decide, body_b, 409, "work.dispute_closed")
    assert city.get(f"{API}/disputes/999999").status_code == 404
    assert Dispute.objects.get().decided_by_id == ww.city_head.pk


def test_the_delegate_of_the_head_decides_a_dispute(ww: WorkWorld) -> None:
    task = services.task_refuse(
        actor=ww.w.head, task=assign(ww), reason="Không đúng", proposed_unit=ww.dept_b
    )
    dispute = Dispute.objects.get(task=task)
    response = post(
        bearer(ww.chief),
        f"{API}/disputes/{dispute.pk}/decide",
        {"unit_id": ww.dept_a.pk, "reason": "Sở A chủ trì"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["lead_unit"]["id"] == ww.dept_a.pk


# --- extensions -------------------------------------------------------------------------------


def test_extension_requested_then_approved(ww: WorkWorld) -> None:
    task = in_progress(ww)
    lead, assigner = bearer(ww.w.head), bearer(ww.city_head)
    url = f"{API}/tasks/{task.pk}/extensions"
    later = task.deadline + dt.timedelta(days=7)
    refused_over_http(
        lead,
        url,
        {"reason": "x", "new_deadline": str(task.deadline)},
        400,
        "work.extension_not_later",
    )
    refused_over_http(lead, url, {"new_deadline": str(later)}, 400, "work.field_required")
    refused_over_http(lead, url, {"reason": "x"}, 422, "validation_error")
    refused_over_http(
        bearer(ww.w.admin), url, {"reason": "x", "new_deadline": str(later)}, 403, "auth.denied"
    )
    seq = last_seq()
    response = post(lead, url, {"reason": "Chờ số liệu của Bộ", "new_deadline": str(later)})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["extension"]["status"] == "requested"
    assert body["deadline"] == str(task.deadline)
    assert one_new_event(seq).action == "work.extension.requested"
    refused_over_http(
        lead,
        url,
        {"reason": "Lần nữa", "new_deadline": str(later)},
        409,
        "work.extension_pending",
    )

    decide = f"{API}/extensions/{body['extension']['id']}/decide"
    refused_over_http(lead, decide, {"approve": True}, 403, "auth.denied")
    refused_over_http(assigner, decide, {"approve": False}, 400, "work.field_required")
    refused_over_http(assigner, decide, {}, 422, "validation_error")
    seq = last_seq()
    response = post(assigner, decide, {"approve": True, "note": "Đồng ý"})
    assert response.status_code == 200, response.content
    decided = response.json()
    assert decided["deadline"] == str(later)
    assert decided["extension_count"] == 1
    assert decided["extension"]["status"] == "approved"
    assert one_new_event(seq).action == "work.extension.approved"
    refused_over_http(assigner, decide, {"approve": True}, 409, "work.extension_closed")
    refused_over_http(
        assigner, f"{API}/extensions/999999/decide", {"approve": True}, 404, "not_found"
    )
    assert Extension.objects.get().decided_by_id == ww.city_head.pk


def test_extension_refused_with_a_reason(ww: WorkWorld) -> None:
    task = in_progress(ww)
    extension = services.extension_request(
        actor=ww.w.head, task=task, new_deadline=task.deadline + dt.timedelta(days=3), reason="x"
    )
    client = bearer(ww.city_head)
    seq = last_seq()
    response = post(
        client,
        f"{API}/extensions/{extension.pk}/decide",
        {"approve": False, "note": "Đủ thời gian"},
    )
    assert response.status_code == 200
    assert response.json()["extension"]["status"] == "refused"
    assert response.json()["deadline"] == str(task.deadline)
    assert one_new_event(seq).action == "work.extension.refused"


# --- cost and documentation -------------------------------------------------------------------


@pytest.mark.parametrize("command", ["accept", "progress", "submit", "approve"])
def test_a_transition_costs_the_service_plus_its_fixed_reads(ww: WorkWorld, command: str) -> None:
    """Over HTTP a command costs what the service costs, plus the token and the task row, the
    actor's positions for the visibility rule (read before the command, so an outsider gets
    404 whatever the command; nothing for the assigner or the officer, who see their tasks).
    The entry point's transaction replaces the command's own (run_command runs its body: no
    savepoint more). The serialiser adds nothing (the benchmark's budget)."""
    lead, assigner = bearer(ww.w.head), bearer(ww.city_head)
    ready = {
        "accept": lambda: assign(ww),
        "progress": lambda: in_progress(ww),
        "submit": lambda: in_progress(ww),
        "approve": lambda: submitted(ww),
    }[command]
    direct, over_http = ready(), ready()
    call: dict[str, Any] = {
        "accept": lambda t: services.task_accept(actor=ww.w.head, task=t),
        "progress": lambda t: services.task_report_progress(
            actor=ww.w.head, task=t, percent=10, text="x"
        ),
        "submit": lambda t: services.task_submit(actor=ww.w.head, task=t),
        "approve": lambda t: services.task_approve(
            actor=ww.city_head, task=t, quality_grade="good", effectiveness_grade="high"
        ),
    }
    body: dict[str, Any] = {
        "accept": {},
        "progress": {"percent": 10, "text": "x"},
        "submit": {},
        "approve": {"quality_grade": "good", "effectiveness_grade": "high"},
    }[command]
    client = assigner if command == "approve" else lead
    loaded = Task.objects.select_related("lead_unit").get(pk=direct.pk)
    with CaptureQueriesContext(connection) as service_only:
        call[command](loaded)
    with CaptureQueriesContext(connection) as http:
        response = post(client, f"{API}/tasks/{over_http.pk}/{command}", body)
    assert response.status_code == 200, response.content
    visibility = 0 if command == "approve" else 1  # approve: the assigner
    budget = 2 + visibility
    assert len(http.captured_queries) <= len(service_only.captured_queries) + budget


def test_every_path_is_in_the_openapi_document(ww: WorkWorld) -> None:
    schema = bearer(ww.city_head).get("/api/v1/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    expected = {
        ("get", "/api/v1/work/directives"),
        ("post", "/api/v1/work/directives"),
        ("get", "/api/v1/work/directives/{directive_id}"),
        ("post", "/api/v1/work/tasks"),
        ("get", "/api/v1/work/tasks/{task_id}"),
        ("post", "/api/v1/work/tasks/{task_id}/accept"),
        ("post", "/api/v1/work/tasks/{task_id}/refuse"),
        ("post", "/api/v1/work/tasks/{task_id}/progress"),
        ("post", "/api/v1/work/tasks/{task_id}/submit"),
        ("post", "/api/v1/work/tasks/{task_id}/approve"),
        ("post", "/api/v1/work/tasks/{task_id}/return"),
        ("post", "/api/v1/work/tasks/{task_id}/cancel"),
        ("post", "/api/v1/work/tasks/{task_id}/extensions"),
        ("post", "/api/v1/work/extensions/{extension_id}/decide"),
        ("get", "/api/v1/work/disputes/{dispute_id}"),
        ("post", "/api/v1/work/disputes/{dispute_id}/decide"),
    }
    missing = {(m, p) for m, p in expected if m not in paths.get(p, {})}
    assert not missing
    accept = paths["/api/v1/work/tasks/{task_id}/accept"]["post"]
    assert accept["security"], "bearer authentication is documented"
    assert LedgerEvent.objects.exists()
