"""The oversight API (/api/v1/oversight/): each command through HTTP, errors as JSON codes with
their status (403 authority, 404 what the caller may not see, 409 the current state, 400 refused
input, 422 a body that does not parse), nothing written on a refusal.

Personas and the task: the `ov` fixture (baro/oversight/tests/conftest.py).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from baro.ledger.models import LedgerEvent
from baro.org import services as org_services
from baro.org.models import Person, system_person
from baro.oversight import services
from baro.oversight.ladder_pass import run_ladder
from baro.oversight.models import (
    Flag,
    FlagKind,
    FlagStatus,
    HandlingDecision,
    HandlingMeasure,
    Inspection,
    LadderConfig,
    LadderStep,
    Urging,
    UrgingLetter,
)
from baro.oversight.services import EvidenceItem
from baro.testing.oversight import AFTER, Ov, at, open_inspection, raise_flag
from baro.work import services as work

pytestmark = pytest.mark.django_db

API = "/api/v1/oversight"


def bearer(person: Person) -> Client:
    _, raw = org_services.api_token_issue(actor=person, person=person, name="test")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def post(client: Client, url: str, body: Any = None, method: str = "post") -> Any:
    send = getattr(client, method)
    return send(url, data=json.dumps(body or {}), content_type="application/json")


def code(response: Any) -> tuple[int, str]:
    return response.status_code, response.json().get("code", "")


def events() -> int:
    """Ledger events, without the API tokens each `bearer()` issues on the way."""
    return LedgerEvent.objects.exclude(action="org.api_token.issued").count()


# --------------------------------------------------------------------------------------------
# flags


def test_flag_list_detail_and_scope(ov: Ov) -> None:
    flag = raise_flag(ov)
    inspector = bearer(ov.inspector)
    body = inspector.get(f"{API}/flags").json()
    assert [f["id"] for f in body["items"]] == [flag.pk]
    assert body["status_counts"] == {"open": 1, "confirmed": 0, "dismissed": 0}
    assert body["items"][0]["kind_label"] == "Đùn đẩy: nhiệm vụ bị từ chối, chuyển qua lại"
    assert body["items"][0]["person"]["full_name"] == "Trưởng Sở A"
    assert inspector.get(f"{API}/flags", {"status": "confirmed"}).json()["count"] == 0
    assert inspector.get(f"{API}/flags", {"unit_id": ov.dept_b.pk}).json()["count"] == 0
    assert inspector.get(f"{API}/flags", {"q": "chuyển qua lại"}).json()["count"] == 1
    assert code(inspector.get(f"{API}/flags", {"status": "x"})) == (400, "oversight.invalid_filter")
    assert code(inspector.get(f"{API}/flags", {"date_from": "02/02"})) == (
        400,
        "oversight.invalid_filter",
    )
    assert code(inspector.get(f"{API}/flags", {"unit_id": 999999})) == (404, "not_found")
    assert code(inspector.get(f"{API}/flags", {"page": "x"})) == (422, "validation_error")
    assert bearer(ov.head_b).get(f"{API}/flags").json()["count"] == 0
    assert bearer(ov.head).get(f"{API}/flags").json()["count"] == 1  # his own unit

    detail = inspector.get(f"{API}/flags/{flag.pk}").json()
    assert detail["may_decide"] is True
    assert [e["task_id"] for e in detail["evidence"]] == [ov.task.pk, None]
    assert detail["evidence"][1]["event_action"] == "work.task.assigned"
    assert detail["figures"] == {"bounces": 3, "deadline": "2026-02-12"}
    assert bearer(ov.head).get(f"{API}/flags/{flag.pk}").json()["may_decide"] is False
    for stranger in (ov.head_b, ov.officer, ov.outsider):
        assert code(bearer(stranger).get(f"{API}/flags/{flag.pk}")) == (404, "not_found")


def test_flags_filter_by_task_raised_on_it_or_citing_it(ov: Ov) -> None:
    """The list answers the flags about one task: raised on it, or citing it as evidence."""
    other = work.task_assign(
        actor=ov.boss,
        title="Số hóa hồ sơ",
        lead_unit=ov.dept_b,
        assigning_unit=ov.root,
        deadline_rule="working_days",
        deadline_days=10,
    )
    on_task = raise_flag(ov, key="test:on-task")

    def flag_on_other(key: str, cites: list[int]) -> Flag:
        flag = services.flag_raise(
            actor=system_person(),
            kind=FlagKind.BOUNCED,
            dedupe_key=key,
            unit=ov.dept_b,
            person=ov.head_b,
            task=other,
            summary="Chuyển qua lại giữa các sở.",
            figures={},
            evidence=[EvidenceItem(task_id=pk, note="Chứng cứ") for pk in cites],
        )
        assert flag is not None
        return flag

    citing = flag_on_other("test:citing", [other.pk, ov.task.pk])
    unrelated = flag_on_other("test:unrelated", [other.pk])
    inspector = bearer(ov.inspector)

    def listed(task_id: int) -> set[int]:
        body = inspector.get(f"{API}/flags", {"task_id": task_id}).json()
        assert body["count"] == len(body["items"])
        return {f["id"] for f in body["items"]}

    assert listed(ov.task.pk) == {on_task.pk, citing.pk}
    assert listed(other.pk) == {citing.pk, unrelated.pk}
    assert code(inspector.get(f"{API}/flags", {"task_id": 999999})) == (404, "not_found")
    assert code(bearer(ov.outsider).get(f"{API}/flags", {"task_id": ov.task.pk})) == (
        404,
        "not_found",
    )


def test_the_lists_page_by_limit_and_offset(ov: Ov) -> None:
    """The API's one contract (baro.core.paging); the page/page_size these lists answered
    before are still read as the same window."""
    first, second = raise_flag(ov, key="test:1"), raise_flag(ov, key="test:2")
    inspector = bearer(ov.inspector)
    body = inspector.get(f"{API}/flags", {"limit": 1}).json()
    assert (body["count"], body["limit"], body["offset"]) == (2, 1, 0)
    assert [f["id"] for f in body["items"]] == [second.pk]
    assert "pages" not in body and body["status_counts"]["open"] == 2
    body = inspector.get(f"{API}/flags", {"limit": 1, "offset": 1}).json()
    assert [f["id"] for f in body["items"]] == [first.pk]
    body = inspector.get(f"{API}/flags", {"page": 2, "page_size": 1}).json()
    assert (body["limit"], body["offset"], [f["id"] for f in body["items"]]) == (
        1,
        1,
        [first.pk],
    )
    open_inspection(ov)
    body = inspector.get(f"{API}/inspections", {"offset": 5}).json()
    assert (body["count"], body["offset"], body["items"]) == (1, 1, [])


def test_flag_confirm_and_dismiss(ov: Ov) -> None:
    flag = raise_flag(ov)
    url = f"{API}/flags/{flag.pk}"
    before = events()
    assert code(post(bearer(ov.head), f"{url}/confirm", {"reason": "x"})) == (
        403,
        "oversight.own_unit",
    )
    assert code(post(bearer(ov.head_b), f"{url}/confirm", {"reason": "x"})) == (404, "not_found")
    response = post(bearer(ov.inspector), f"{url}/confirm", {"reason": " "})
    assert code(response) == (400, "oversight.field_required")
    assert response.json()["field"] == "reason"
    assert code(post(bearer(ov.inspector), f"{url}/confirm", {"reason": ["x"]})) == (
        422,
        "validation_error",
    )
    assert events() == before
    response = post(bearer(ov.inspector), f"{url}/dismiss", {"reason": "Không có căn cứ"})
    assert response.status_code == 200
    assert response.json()["status"] == FlagStatus.DISMISSED
    assert response.json()["decided_by"]["full_name"] == "Kiểm Tra Viên"
    assert events() == before + 1
    assert code(post(bearer(ov.boss), f"{url}/confirm", {"reason": "Lại"})) == (
        409,
        "oversight.flag_decided",
    )
    assert Flag.objects.get().status == FlagStatus.DISMISSED


# --------------------------------------------------------------------------------------------
# inspections


def test_inspection_from_plan_to_handling(ov: Ov) -> None:
    flag = raise_flag(ov)
    inspector = bearer(ov.inspector)
    body = {
        "target_unit_id": ov.dept_a.pk,
        "target_person_id": ov.head.pk,
        "title": "Kiểm tra Sở A",
        "period_from": "2026-01-01",
        "period_to": "2026-02-01",
    }
    before = events()
    assert code(post(bearer(ov.head_b), f"{API}/inspections", body)) == (
        403,
        "oversight.inspection_denied",
    )
    response = post(inspector, f"{API}/inspections", {**body, "period_to": "2025-12-01"})
    assert code(response) == (400, "oversight.period_reversed")
    assert response.json()["field"] == "period_to"
    assert code(post(inspector, f"{API}/inspections", {**body, "period_to": "1/2/2026"})) == (
        422,
        "validation_error",
    )
    assert code(post(inspector, f"{API}/inspections", {**body, "target_unit_id": 999999})) == (
        404,
        "not_found",
    )
    assert events() == before and not Inspection.objects.exists()
    response = post(inspector, f"{API}/inspections", body)
    assert response.status_code == 201
    inspection_id = response.json()["id"]
    assert response.json()["target_person"]["full_name"] == "Trưởng Sở A"
    url = f"{API}/inspections/{inspection_id}"

    response = post(inspector, f"{url}/evidence", {"flag_id": flag.pk})
    assert response.status_code == 201 and response.json()["evidence"][0]["flag_id"] == flag.pk
    assert code(post(inspector, f"{url}/evidence", {"flag_id": flag.pk})) == (
        409,
        "oversight.evidence_twice",
    )
    assert code(post(inspector, f"{url}/evidence", {})) == (400, "oversight.evidence_one")
    assert code(post(inspector, f"{url}/evidence", {"task_id": 999999})) == (404, "not_found")
    response = post(inspector, f"{url}/evidence", {"task_id": ov.task.pk, "note": "Quá hạn"})
    assert response.status_code == 201 and len(response.json()["evidence"]) == 2

    assert code(post(inspector, f"{url}/conclude", {"conclusion": "Vi phạm"})) == (
        400,
        "oversight.findings_missing",
    )
    response = post(inspector, f"{url}/findings", {"findings": "Chậm 3 nhiệm vụ"})
    assert response.status_code == 200 and response.json()["findings"] == "Chậm 3 nhiệm vụ"
    assert code(post(bearer(ov.head), f"{url}/findings", {"findings": "Sửa"})) == (
        403,
        "oversight.inspection_denied",
    )

    handling = {
        "measure": "warning",
        "document_number": "15-QĐ/UBKT",
        "document_date": "2026-02-02",
        "reason": "Để nhiệm vụ quá hạn kéo dài",
    }
    # A handling decision follows the conclusion: refused while the inspection is under way.
    assert code(post(inspector, f"{url}/handling", handling)) == (
        409,
        "oversight.inspection_not_concluded",
    )
    response = post(inspector, f"{url}/conclude", {"conclusion": "Người đứng đầu chịu trách nhiệm"})
    assert response.status_code == 200 and response.json()["status"] == "concluded"
    assert code(post(inspector, f"{url}/handling", {**handling, "measure": "fine"})) == (
        400,
        "oversight.invalid_measure",
    )
    assert code(
        post(inspector, f"{url}/handling", {**handling, "document_date": "2026-02-03"})
    ) == (
        400,
        "oversight.document_in_future",
    )
    assert code(post(inspector, f"{url}/handling", {**handling, "person_id": ov.head_b.pk})) == (
        400,
        "oversight.person_outside_unit",
    )
    response = post(inspector, f"{url}/handling", handling)
    assert response.status_code == 201
    assert response.json()["measure_label"] == "Cảnh cáo"
    assert response.json()["person"]["id"] == ov.head.pk  # the inspected person by default
    assert HandlingDecision.objects.count() == 1

    assert code(post(inspector, f"{url}/conclude", {"conclusion": "Lại"})) == (
        409,
        "oversight.inspection_concluded",
    )
    assert code(post(inspector, f"{url}/findings", {"findings": "Sửa"})) == (
        409,
        "oversight.inspection_concluded",
    )

    detail = bearer(ov.head).get(url).json()  # the inspected head reads it
    assert [h["document_number"] for h in detail["handlings"]] == ["15-QĐ/UBKT"]
    for stranger in (ov.head_b, ov.officer, ov.outsider):
        assert code(bearer(stranger).get(url)) == (404, "not_found")
    listing = inspector.get(f"{API}/inspections", {"status": "concluded", "year": 2026}).json()
    assert [i["id"] for i in listing["items"]] == [inspection_id]
    assert bearer(ov.head_b).get(f"{API}/inspections").json()["count"] == 0


def test_a_stranger_is_not_found_before_any_command_runs(
    ov: Ov, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A flag or an inspection the caller may not read is 404 whatever the command (never its
    403, which would tell that it exists): the API fetches through permissions first, so the
    command is not even called."""
    flag = raise_flag(ov)
    inspection = open_inspection(ov)
    called: list[str] = []
    commands = (
        "flag_decide",
        "inspection_add_evidence",
        "inspection_record_findings",
        "inspection_conclude",
        "handling_decide",
    )
    for name in commands:
        monkeypatch.setattr(services, name, lambda *, _name=name, **kw: called.append(_name))
    flag_url, url = f"{API}/flags/{flag.pk}", f"{API}/inspections/{inspection.pk}"
    writes = [
        (f"{flag_url}/confirm", {"reason": "Có căn cứ"}),
        (f"{flag_url}/dismiss", {"reason": "Không có căn cứ"}),
        (f"{url}/evidence", {"task_id": ov.task.pk}),
        (f"{url}/findings", {"findings": "Chậm 3 nhiệm vụ"}),
        (f"{url}/conclude", {"conclusion": "Kiểm điểm"}),
        (
            f"{url}/handling",
            {
                "measure": HandlingMeasure.REPRIMAND,
                "document_number": "1-QĐ",
                "document_date": "2026-02-02",
                "reason": "Chậm",
            },
        ),
    ]
    before = events()
    for stranger in (ov.head_b, ov.officer, ov.outsider):
        client = bearer(stranger)
        for target, body in writes:
            assert code(post(client, target, body)) == (404, "not_found"), (stranger, target)
    assert called == [] and events() == before


# --------------------------------------------------------------------------------------------
# urgings


def test_task_urgings_and_urging_by_hand(ov: Ov, clock: Any) -> None:
    clock.move_to(at(AFTER))
    run_ladder(AFTER)
    url = f"{API}/tasks/{ov.task.pk}"
    steps = [u["step"] for u in bearer(ov.officer).get(f"{url}/urgings").json()]
    assert steps == [
        LadderStep.URGE,
        LadderStep.ESCALATE_HEAD,
        LadderStep.ESCALATE_ASSIGNER_HEAD,
    ]
    assert code(bearer(ov.head_b).get(f"{url}/urgings")) == (404, "not_found")
    before = events()
    assert code(post(bearer(ov.officer), f"{url}/urge", {"note": "x"})) == (403, "auth.denied")
    assert code(post(bearer(ov.head_b), f"{url}/urge", {"note": "x"})) == (404, "not_found")
    response = post(bearer(ov.boss), f"{url}/urge", {"note": ""})
    assert code(response) == (400, "oversight.field_required")
    assert response.json()["field"] == "note"
    assert events() == before
    response = post(bearer(ov.boss), f"{url}/urge", {"note": "Hoàn thành trong tuần"})
    assert response.status_code == 201
    assert response.json()["step"] == "manual" and response.json()["urged_by_id"] == ov.boss.pk
    assert events() == before + 1
    work.task_cancel(actor=ov.boss, task=ov.task, reason="Không còn cần thiết")
    assert code(post(bearer(ov.boss), f"{url}/urge", {"note": "Muộn"})) == (
        409,
        "oversight.task_closed",
    )
    assert Urging.objects.filter(step=LadderStep.MANUAL).count() == 1


# --------------------------------------------------------------------------------------------
# letters


def _letter(ov: Ov, **overrides: Any) -> dict[str, Any]:
    body = {
        "issuing_unit_id": ov.dept_a.pk,
        "task_ids": [ov.task.pk],
        "number_symbol": "1/ĐĐ-SO-A",
        "place": "Hà Nội",
        "issued_on": "2026-03-03",
        "subject": "V/v đôn đốc thực hiện nhiệm vụ được giao",
        "opening": "Thực hiện Chỉ thị số 24-CT/TU",
        "closing": "Đề nghị khẩn trương hoàn thành.",
        "reply_by": "2026-03-10",
        "signer_position": "GIÁM ĐỐC",
    }
    body.update(overrides)
    return body


def test_letters_issue_read_and_download(ov: Ov, clock: Any, monkeypatch: Any) -> None:
    clock.move_to(at(AFTER))
    head = bearer(ov.head)
    before = events()
    assert code(post(bearer(ov.officer), f"{API}/letters", _letter(ov))) == (403, "auth.denied")
    assert code(post(head, f"{API}/letters", _letter(ov, task_ids=[]))) == (
        400,
        "oversight.letter_no_tasks",
    )
    assert code(post(head, f"{API}/letters", _letter(ov, task_ids=[999999]))) == (404, "not_found")
    assert code(post(head, f"{API}/letters", _letter(ov, reply_by="2026-03-01"))) == (
        400,
        "oversight.reply_before_issue",
    )
    assert code(post(head, f"{API}/letters", _letter(ov, reply_by="x"))) == (
        422,
        "validation_error",
    )
    assert events() == before
    response = post(head, f"{API}/letters", _letter(ov))
    assert response.status_code == 201
    letter_id = response.json()["id"]
    assert [u["task_id"] for u in response.json()["urgings"]] == [ov.task.pk]
    assert response.json()["signer"]["id"] == ov.head.pk  # the caller by default
    assert events() == before + 1
    assert code(post(head, f"{API}/letters", _letter(ov))) == (409, "oversight.letter_number_taken")
    assert UrgingLetter.objects.count() == 1

    url = f"{API}/letters/{letter_id}"
    assert bearer(ov.officer).get(url).json()["number_symbol"] == "1/ĐĐ-SO-A"
    assert code(bearer(ov.head_b).get(url)) == (404, "not_found")
    docx = head.get(f"{url}.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    assert "cong-van-don-doc-1-DD-SO-A.docx" in docx["Content-Disposition"]
    assert code(bearer(ov.head_b).get(f"{url}.docx")) == (404, "not_found")

    from baro.oversight import letters

    def unavailable(content: Any) -> bytes:
        raise letters.LetterUnavailable()

    monkeypatch.setattr(letters, "letter_pdf", unavailable)
    response = head.get(f"{url}.pdf")
    assert code(response) == (503, "letter.unavailable")
    assert "Pango" in response.json()["message"]


# --------------------------------------------------------------------------------------------
# the ladder


LADDER = {
    "remind_days_before": 2,
    "escalate_head_after": 2,
    "escalate_assigner_head_after": 5,
    "inspection_flag_after": 10,
}


def test_installation_and_directive_ladders(ov: Ov) -> None:
    body = bearer(ov.officer).get(f"{API}/ladder").json()
    assert body["configured"] is False and body["inspection_flag_after"] == 15
    before = events()
    assert code(post(bearer(ov.head), f"{API}/ladder", LADDER, "put")) == (
        403,
        "oversight.ladder_denied",
    )
    response = post(
        bearer(ov.admin), f"{API}/ladder", {**LADDER, "inspection_flag_after": 5}, "put"
    )
    assert code(response) == (400, "oversight.ladder_overlap")
    assert response.json()["field"] == "inspection_flag_after"
    assert code(
        post(bearer(ov.admin), f"{API}/ladder", {**LADDER, "remind_days_before": "x"}, "put")
    ) == (
        422,
        "validation_error",
    )
    assert events() == before
    response = post(bearer(ov.admin), f"{API}/ladder", LADDER, "put")
    assert response.status_code == 200 and response.json()["configured"] is True
    assert events() == before + 1

    url = f"{API}/directives/{ov.directive.pk}/ladder"
    body = bearer(ov.head).get(url).json()
    assert (body["configured"], body["inspection_flag_after"]) == (False, 10)  # the installation's
    assert code(post(bearer(ov.head), url, LADDER, "put")) == (403, "auth.denied")
    assert code(bearer(ov.outsider).get(url)) == (404, "not_found")
    response = post(bearer(ov.boss), url, {**LADDER, "inspection_flag_after": 12}, "put")
    assert response.status_code == 200
    assert (response.json()["scope"], response.json()["inspection_flag_after"]) == (
        f"directive:{ov.directive.pk}",
        12,
    )
    assert LadderConfig.objects.count() == 2


def test_the_endpoints_are_in_the_openapi_document(ov: Ov) -> None:
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/oversight/flags",
        "/api/v1/oversight/flags/{flag_id}",
        "/api/v1/oversight/flags/{flag_id}/confirm",
        "/api/v1/oversight/flags/{flag_id}/dismiss",
        "/api/v1/oversight/inspections",
        "/api/v1/oversight/inspections/{inspection_id}",
        "/api/v1/oversight/inspections/{inspection_id}/evidence",
        "/api/v1/oversight/inspections/{inspection_id}/findings",
        "/api/v1/oversight/inspections/{inspection_id}/conclude",
        "/api/v1/oversight/inspections/{inspection_id}/handling",
        "/api/v1/oversight/tasks/{task_id}/urgings",
        "/api/v1/oversight/tasks/{task_id}/urge",
        "/api/v1/oversight/letters",
        "/api/v1/oversight/letters/{letter_id}",
        "/api/v1/oversight/letters/{letter_id}.docx",
        "/api/v1/oversight/letters/{letter_id}.pdf",
        "/api/v1/oversight/ladder",
        "/api/v1/oversight/directives/{directive_id}/ladder",
    ):
        assert path in paths, path
    assert "put" in paths["/api/v1/oversight/ladder"]


def test_unauthenticated_calls_are_refused(ov: Ov) -> None:
    assert code(Client().get(f"{API}/flags")) == (401, "auth.required")
