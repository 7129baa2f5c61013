"""The oversight commands: who may, who may not, one ledger event each, nothing changed on
bad input."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from baro.core.errors import AuthorityError, ConflictError, DomainError
from baro.ledger.models import LedgerEvent
from baro.notify.models import Notification
from baro.org.models import Person, Role, system_person
from baro.org.services import person_create, position_appoint
from baro.oversight import queries, services
from baro.oversight.models import (
    Flag,
    FlagEvidence,
    FlagKind,
    FlagStatus,
    HandlingDecision,
    Inspection,
    InspectionEvidence,
    InspectionStatus,
    LadderStep,
    Urging,
    UrgingLetter,
)
from baro.testing.oversight import START, at, conclude
from baro.testing.work import WorkWorld, assign
from baro.work.models import DeadlineRule, Task

pytestmark = pytest.mark.django_db

MODELS = (
    Urging,
    UrgingLetter,
    Flag,
    FlagEvidence,
    Inspection,
    InspectionEvidence,
    HandlingDecision,
)


def snapshot() -> dict[str, Any]:
    rows = {m.__name__: list(m.objects.order_by("pk").values()) for m in MODELS}
    rows["events"] = LedgerEvent.objects.count()
    rows["notifications"] = Notification.objects.count()
    return rows


def refused(code: str, action: Callable[[], Any], error: type[Exception] = DomainError) -> None:
    before = snapshot()
    with pytest.raises(error) as info:
        action()
    assert getattr(info.value, "code", None) == code, getattr(info.value, "message", info.value)
    assert snapshot() == before


def one_event(action: str, run: Callable[[], Any]) -> Any:
    before = LedgerEvent.objects.count()
    result = run()
    events = list(LedgerEvent.objects.order_by("seq")[before:])
    assert [e.action for e in events] == [action]
    return result


def a_task(ww: WorkWorld, **kw: Any) -> Task:
    return assign(
        ww,
        officer=ww.w.officer,
        deadline_rule=DeadlineRule.DATE,
        deadline=kw.pop("deadline", dt.date(2026, 2, 12)),
        **kw,
    )


def a_flag(ww: WorkWorld, task: Task, key: str = "bounced:task:1") -> Flag:
    flag = services.flag_raise(
        actor=system_person(),
        kind=FlagKind.BOUNCED,
        dedupe_key=key,
        unit=ww.dept_a,
        person=ww.w.head,
        task=task,
        summary="Nhiệm vụ bị từ chối 2 lần.",
        evidence=[services.EvidenceItem(task_id=task.pk, note="Nhiệm vụ")],
    )
    assert flag is not None
    return flag


# --------------------------------------------------------------------------------------------
# urging by hand


def test_a_leader_urges_by_hand_with_one_event_and_the_officer_told(ww: WorkWorld) -> None:
    task = a_task(ww)
    urging = one_event(
        "oversight.task.urged",
        lambda: services.task_urge(actor=ww.city_head, task=task, note="Đề nghị báo cáo ngay."),
    )
    assert urging.step == LadderStep.MANUAL and urging.target_unit == ww.dept_a
    assert Notification.objects.filter(recipient=ww.w.officer, kind="oversight.manual").exists()
    assert Notification.objects.filter(recipient=ww.w.head, kind="oversight.manual").exists()
    # The lead unit's own head may urge its people too; a second manual urging is a new one.
    services.task_urge(actor=ww.w.head, task=task, note="Khẩn trương.")
    assert Urging.objects.filter(task=task, step=LadderStep.MANUAL).count() == 2


@pytest.mark.parametrize("who", ["officer", "head_b", "outsider", "admin"])
def test_urging_by_hand_is_refused_to_others(ww: WorkWorld, who: str) -> None:
    task = a_task(ww)
    actor = getattr(ww.w, who, None) or getattr(ww, who)
    refused(
        "auth.denied", lambda: services.task_urge(actor=actor, task=task, note="x"), AuthorityError
    )


def test_urging_needs_a_note_and_an_open_task(ww: WorkWorld) -> None:
    task = a_task(ww)
    refused(
        "oversight.field_required",
        lambda: services.task_urge(actor=ww.city_head, task=task, note="  "),
    )
    from baro.work import services as work

    work.task_cancel(actor=ww.city_head, task=task, reason="Không cần nữa")
    refused(
        "oversight.task_closed", lambda: services.task_urge(actor=ww.city_head, task=task, note="x")
    )


# --------------------------------------------------------------------------------------------
# urging letters


def draft(ww: WorkWorld, **kw: Any) -> services.LetterDraft:
    values: dict[str, Any] = {
        "issuing_unit": ww.root,
        "number_symbol": "15/ĐĐ-UBND",
        "place": "Hà Nội",
        "issued_on": START,
        "subject": "V/v đôn đốc thực hiện nhiệm vụ được giao",
        "opening": "Thực hiện Chỉ thị số 24-CT/TU ngày 07/8/2023 của Thành ủy Hà Nội…",
        "closing": "Đề nghị các đơn vị khẩn trương hoàn thành.",
        "reply_by": START + dt.timedelta(days=7),
        "signer": ww.city_head,
        "signer_mark": "TM. ỦY BAN NHÂN DÂN",
        "signer_position": "CHỦ TỊCH",
        "recipients": "Như trên;\nLưu: VT.",
    }
    values.update(kw)
    return services.LetterDraft(**values)


def test_a_letter_urges_each_task_once_as_one_event(ww: WorkWorld) -> None:
    tasks = [a_task(ww, title=f"Việc {n}") for n in range(3)]
    letter = one_event(
        "oversight.letter.issued",
        lambda: services.urging_letter_issue(actor=ww.city_head, draft=draft(ww), tasks=tasks),
    )
    urgings = Urging.objects.filter(letter=letter)
    assert sorted(u.task_id for u in urgings) == sorted(t.pk for t in tasks)
    assert all(u.step == LadderStep.MANUAL for u in urgings)
    event = LedgerEvent.objects.order_by("-seq").first()
    assert event is not None and event.payload["task_ids"] == sorted(t.pk for t in tasks)


def test_a_letter_writes_to_the_department_cites_a_document_per_row_and_lists_recipients(
    ww: WorkWorld,
) -> None:
    """Kính gửi names the department, not its division; every row's "Văn bản giao" names the
    assigning document (or, without one, the task and the day it was assigned); "Nơi nhận" is
    NĐ 30/2020's list, one a line, "- Như trên;" first and "- Lưu: VT, …" last."""
    by_division = a_task(ww, title="Việc của phòng", lead_unit=ww.w.div_a1)
    of_department = a_task(ww, title="Việc của sở")
    letter = services.urging_letter_issue(
        actor=ww.city_head,
        draft=draft(ww, number_symbol="16/UBND-KT", recipients="Chủ tịch UBND (để b/c); Sở B"),
        tasks=[by_division, of_department],
    )
    assert letter.recipients.splitlines() == [
        "- Như trên;",
        "- Chủ tịch UBND (để b/c);",
        "- Sở B;",
        "- Lưu: VT, KT.",
    ]
    content = queries.letter_content(letter)
    assert content.addressees == ("Sở A",)
    assert [t.lead_unit for t in content.tasks] == ["Phòng A1 (Sở A)", "Sở A"]
    assert content.tasks[0].source == (
        f"Giao trên Baro ngày 02/02/2026 (nhiệm vụ số {by_division.pk})"
    )
    assert all(t.source for t in content.tasks)
    assert content.recipients[0] == "- Như trên;" and content.recipients[-1] == "- Lưu: VT, KT."


def test_bad_letters_change_nothing(ww: WorkWorld) -> None:
    task = a_task(ww)
    issue = services.urging_letter_issue
    refused(
        "oversight.letter_no_tasks", lambda: issue(actor=ww.city_head, draft=draft(ww), tasks=[])
    )
    refused(
        "oversight.reply_before_issue",
        lambda: issue(
            actor=ww.city_head, draft=draft(ww, reply_by=START - dt.timedelta(days=1)), tasks=[task]
        ),
    )
    refused(
        "oversight.signer_not_leader",
        lambda: issue(actor=ww.city_head, draft=draft(ww, signer=ww.w.officer), tasks=[task]),
    )
    refused(
        "oversight.field_required",
        lambda: issue(actor=ww.city_head, draft=draft(ww, subject=""), tasks=[task]),
    )
    refused(
        "auth.denied",
        lambda: issue(actor=ww.w.head, draft=draft(ww), tasks=[task]),
        AuthorityError,
    )
    # Sở B's head may write letters for Sở B, not about Sở A's task.
    refused(
        "oversight.task_outside_unit",
        lambda: issue(
            actor=ww.head_b, draft=draft(ww, issuing_unit=ww.dept_b, signer=ww.head_b), tasks=[task]
        ),
    )
    issue(actor=ww.city_head, draft=draft(ww), tasks=[task])
    refused(
        "oversight.letter_number_taken",
        lambda: issue(actor=ww.city_head, draft=draft(ww), tasks=[task]),
        ConflictError,
    )


# --------------------------------------------------------------------------------------------
# flags


def test_only_the_system_raises_flags_once_per_key(ww: WorkWorld, inspector: Person) -> None:
    task = a_task(ww)
    refused(
        "oversight.system_only",
        lambda: services.flag_raise(
            actor=ww.city_head,
            kind=FlagKind.BOUNCED,
            dedupe_key="k",
            unit=ww.dept_a,
            summary="x",
            evidence=[services.EvidenceItem(task_id=task.pk)],
        ),
        AuthorityError,
    )
    flag = one_event("oversight.flag.raised", lambda: a_flag(ww, task))
    assert flag.evidence.get().task == task
    assert Notification.objects.filter(recipient=inspector, kind="oversight.flag").count() == 1
    before = LedgerEvent.objects.count()
    again = services.flag_raise(
        actor=system_person(),
        kind=FlagKind.BOUNCED,
        dedupe_key="bounced:task:1",
        unit=ww.dept_a,
        summary="x",
        evidence=[services.EvidenceItem(task_id=task.pk)],
    )
    assert again is None and LedgerEvent.objects.count() == before


def test_an_inspector_or_a_superior_head_confirms_or_dismisses(
    ww: WorkWorld, inspector: Person
) -> None:
    task = a_task(ww)
    flag = a_flag(ww, task)
    confirmed = one_event(
        "oversight.flag.confirmed",
        lambda: services.flag_decide(
            actor=inspector,
            flag=flag,
            confirm=True,
            reason="Đúng: hai lần từ chối không có căn cứ.",
        ),
    )
    assert confirmed.status == FlagStatus.CONFIRMED and confirmed.decided_by == inspector
    refused(
        "oversight.flag_decided",
        lambda: services.flag_decide(actor=ww.city_head, flag=flag, confirm=False, reason="x"),
        ConflictError,
    )
    other = a_flag(ww, task, key="bounced:task:other")
    dismissed = one_event(
        "oversight.flag.dismissed",
        lambda: services.flag_decide(
            actor=ww.city_head, flag=other, confirm=False, reason="Từ chối có căn cứ pháp lý."
        ),
    )
    assert dismissed.status == FlagStatus.DISMISSED


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("head", "oversight.own_unit"),  # the flagged head
        ("officer", "oversight.own_unit"),  # works in Sở A (Phòng A1)
        ("head_b", "oversight.flag_denied"),  # a peer, not a superior
        ("city_deputy", "oversight.flag_denied"),  # no dispute.decide, no inspection power
        ("outsider", "oversight.flag_denied"),
    ],
)
def test_flag_decisions_refused(ww: WorkWorld, who: str, code: str) -> None:
    flag = a_flag(ww, a_task(ww))
    actor = getattr(ww.w, who, None) or getattr(ww, who)
    refused(
        code,
        lambda: services.flag_decide(actor=actor, flag=flag, confirm=True, reason="x"),
        AuthorityError,
    )


def test_a_decision_needs_a_reason(ww: WorkWorld, inspector: Person) -> None:
    flag = a_flag(ww, a_task(ww))
    refused(
        "oversight.field_required",
        lambda: services.flag_decide(actor=inspector, flag=flag, confirm=False, reason=" "),
    )


# --------------------------------------------------------------------------------------------
# inspections and handling


def open_inspection(ww: WorkWorld, inspector: Person) -> Inspection:
    return services.inspection_open(
        actor=inspector,
        target_unit=ww.dept_a,
        target_person=ww.w.head,
        title="Kiểm tra việc thực hiện Chỉ thị 24-CT/TU tại Sở A",
        period_from=dt.date(2025, 7, 1),
        period_to=dt.date(2025, 12, 31),
    )


def test_an_inspection_from_plan_to_handling_one_event_each(
    ww: WorkWorld, inspector: Person, clock: Any
) -> None:
    task = a_task(ww)
    flag = a_flag(ww, task)
    inspection = one_event("oversight.inspection.opened", lambda: open_inspection(ww, inspector))
    assert inspection.inspecting_unit == ww.root and inspection.status == InspectionStatus.PLANNED
    one_event(
        "oversight.inspection.evidence_added",
        lambda: services.inspection_add_evidence(actor=inspector, inspection=inspection, flag=flag),
    )
    one_event(
        "oversight.inspection.evidence_added",
        lambda: services.inspection_add_evidence(actor=inspector, inspection=inspection, task=task),
    )
    refused(
        "oversight.evidence_twice",
        lambda: services.inspection_add_evidence(actor=inspector, inspection=inspection, task=task),
        ConflictError,
    )
    refused(
        "oversight.findings_missing",
        lambda: services.inspection_conclude(
            actor=inspector, inspection=inspection, conclusion="x"
        ),
    )
    one_event(
        "oversight.inspection.findings_recorded",
        lambda: services.inspection_record_findings(
            actor=inspector, inspection=inspection, findings="Hai nhiệm vụ bị đùn đẩy."
        ),
    )
    one_event(
        "oversight.inspection.concluded",
        lambda: services.inspection_conclude(
            actor=inspector, inspection=inspection, conclusion="Người đứng đầu chưa sâu sát."
        ),
    )
    refused(
        "oversight.inspection_concluded",
        lambda: services.inspection_record_findings(
            actor=inspector, inspection=inspection, findings="thêm"
        ),
        ConflictError,
    )
    clock.move_to(at(START + dt.timedelta(days=3)))
    handling = one_event(
        "oversight.handling.decided",
        lambda: services.handling_decide(
            actor=inspector,
            inspection=inspection,
            measure="criticism",
            document_number="125/QĐ-UBKT",
            document_date=START + dt.timedelta(days=2),
            reason="Để nhiệm vụ bị đùn đẩy qua lại.",
        ),
    )
    assert handling.person == ww.w.head and handling.unit == ww.dept_a
    assert Notification.objects.filter(recipient=ww.w.head, kind="oversight.handling").exists()


@pytest.mark.parametrize("who", ["city_head", "head", "officer", "admin", "outsider"])
def test_inspection_powers_are_needed(ww: WorkWorld, inspector: Person, who: str) -> None:
    actor = getattr(ww.w, who, None) or getattr(ww, who)
    refused(
        "oversight.inspection_denied",
        lambda: services.inspection_open(
            actor=actor,
            target_unit=ww.dept_a,
            title="Kiểm tra",
            period_from=dt.date(2025, 1, 1),
            period_to=dt.date(2025, 6, 30),
        ),
        AuthorityError,
    )
    inspection = open_inspection(ww, inspector)
    refused(
        "oversight.inspection_denied",
        lambda: services.handling_decide(
            actor=actor,
            inspection=inspection,
            measure="reprimand",
            document_number="1/QĐ",
            document_date=START,
            reason="x",
        ),
        AuthorityError,
    )


def test_bad_inspections_and_handling_change_nothing(ww: WorkWorld, inspector: Person) -> None:
    refused(
        "oversight.period_reversed",
        lambda: services.inspection_open(
            actor=inspector,
            target_unit=ww.dept_a,
            title="Kiểm tra",
            period_from=dt.date(2025, 6, 30),
            period_to=dt.date(2025, 1, 1),
        ),
    )
    refused(
        "oversight.person_outside_unit",
        lambda: services.inspection_open(
            actor=inspector,
            target_unit=ww.dept_a,
            target_person=ww.head_b,
            title="Kiểm tra",
            period_from=dt.date(2025, 1, 1),
            period_to=dt.date(2025, 6, 30),
        ),
    )
    inspection = conclude(inspector, open_inspection(ww, inspector))
    decide = services.handling_decide
    base: dict[str, Any] = {
        "actor": inspector,
        "inspection": inspection,
        "measure": "warning",
        "document_number": "9/QĐ-UBKT",
        "document_date": START,
        "reason": "Vi phạm kéo dài.",
    }
    refused("oversight.invalid_measure", lambda: decide(**{**base, "measure": "fine"}))
    refused("oversight.field_required", lambda: decide(**{**base, "document_number": ""}))
    refused("oversight.field_required", lambda: decide(**{**base, "document_date": None}))
    refused(
        "oversight.document_in_future",
        lambda: decide(**{**base, "document_date": START + dt.timedelta(days=1)}),
    )
    refused("oversight.unit_outside", lambda: decide(**{**base, "unit": ww.dept_b}))
    refused("oversight.person_outside_unit", lambda: decide(**{**base, "person": ww.head_b}))


def test_handling_waits_for_the_conclusion(ww: WorkWorld, inspector: Person) -> None:
    inspection = open_inspection(ww, inspector)
    services.inspection_record_findings(
        actor=inspector, inspection=inspection, findings="Hai nhiệm vụ quá hạn."
    )
    decide: dict[str, Any] = {
        "actor": inspector,
        "inspection": inspection,
        "measure": "criticism",
        "document_number": "7/QĐ-UBKT",
        "document_date": START,
        "reason": "Để nhiệm vụ quá hạn.",
    }
    refused(
        "oversight.inspection_not_concluded",
        lambda: services.handling_decide(**decide),
        ConflictError,
    )
    conclude(inspector, inspection)
    handling = one_event("oversight.handling.decided", lambda: services.handling_decide(**decide))
    assert handling.inspection == inspection


def test_no_evidence_is_added_after_the_conclusion(ww: WorkWorld, inspector: Person) -> None:
    task = a_task(ww)
    flag = a_flag(ww, task)
    inspection = conclude(inspector, open_inspection(ww, inspector))
    refused(
        "oversight.inspection_concluded",
        lambda: services.inspection_add_evidence(actor=inspector, inspection=inspection, task=task),
        ConflictError,
    )
    refused(
        "oversight.inspection_concluded",
        lambda: services.inspection_add_evidence(actor=inspector, inspection=inspection, flag=flag),
        ConflictError,
    )


def _inspector_working_in(ww: WorkWorld, unit: Any, code: str) -> Person:
    """An inspector over the whole city who also holds an officer's post in `unit`."""
    person = person_create(
        actor=ww.w.admin, unit=ww.root, full_name=f"Kiểm Tra {code}", code=code, role=Role.INSPECTOR
    )
    position_appoint(
        actor=ww.w.admin, person=person, unit=unit, role=Role.OFFICER, valid_from=START
    )
    return person


def _open(actor: Person, unit: Any, person: Person | None) -> Inspection:
    return services.inspection_open(
        actor=actor,
        target_unit=unit,
        target_person=person,
        title="Kiểm tra",
        period_from=dt.date(2025, 1, 1),
        period_to=dt.date(2025, 6, 30),
    )


def test_nobody_inspects_themselves_their_unit_or_their_superior(
    ww: WorkWorld, inspector: Person
) -> None:
    # Themselves: the city's inspector on the city with themselves as the inspected person.
    refused(
        "oversight.conflict_of_interest",
        lambda: _open(inspector, ww.root, inspector),
    )
    # Their own unit: an inspector who also works in Phòng A1 inspects Sở A, above it.
    insider = _inspector_working_in(ww, ww.div_a1, "KT-A1")
    refused("oversight.conflict_of_interest", lambda: _open(insider, ww.dept_a, None))
    # Their superior: Sở B's head also holds a post in Sở A; an inspector working in Sở B
    # inspects Sở A (not their unit) with that head as the inspected person.
    position_appoint(
        actor=ww.w.admin, person=ww.head_b, unit=ww.dept_a, role=Role.OFFICER, valid_from=START
    )
    in_b = _inspector_working_in(ww, ww.dept_b, "KT-B")
    refused("oversight.conflict_of_interest", lambda: _open(in_b, ww.dept_a, ww.head_b))
    with pytest.raises(DomainError) as info:
        _open(insider, ww.dept_a, ww.w.head)
    assert info.value.field == "target_unit"
    # Not in conflict: Sở B's inspector on Sở A's own head.
    assert _open(in_b, ww.dept_a, ww.w.head).target_person == ww.w.head


def test_an_insider_cannot_conclude_or_handle_an_inspection(
    ww: WorkWorld, inspector: Person
) -> None:
    inspection = open_inspection(ww, inspector)
    insider = _inspector_working_in(ww, ww.div_a1, "KT-A1")
    refused(
        "oversight.conflict_of_interest",
        lambda: services.inspection_record_findings(
            actor=insider, inspection=inspection, findings="Không có gì."
        ),
        AuthorityError,
    )
    conclude(inspector, inspection)
    decide: dict[str, Any] = {
        "inspection": inspection,
        "measure": "reminder",
        "document_number": "8/QĐ-UBKT",
        "document_date": START,
        "reason": "Nhắc nhở.",
    }
    refused(
        "oversight.conflict_of_interest",
        lambda: services.handling_decide(actor=insider, **decide),
        AuthorityError,
    )
    # The inspector who is in no conflict decides, but not on a person they serve under.
    in_b = _inspector_working_in(ww, ww.dept_b, "KT-B")
    position_appoint(
        actor=ww.w.admin, person=ww.head_b, unit=ww.dept_a, role=Role.OFFICER, valid_from=START
    )
    refused(
        "oversight.conflict_of_interest",
        lambda: services.handling_decide(actor=in_b, person=ww.head_b, **decide),
    )
    handling = services.handling_decide(actor=in_b, **decide)
    assert handling.person == ww.w.head and handling.decided_by == in_b


def test_the_inspecting_body_is_where_the_inspector_works(ww: WorkWorld) -> None:
    """The Thành ủy's inspection committee inspects with the whole city as remit: the
    inspection is the committee's, not the city's."""
    committee = ww.dept_b  # stands for the committee: a unit under the city, not inspected
    inspector = _inspector_working_in(ww, committee, "KT-UBKT")
    inspection = _open(inspector, ww.dept_a, ww.w.head)
    assert inspection.inspecting_unit == committee
