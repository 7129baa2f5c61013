"""The avoidance detectors (baro.oversight.detectors) over states built by the real commands.

Every detector has a case that must raise its flag — with its kind, unit, person, evidence
pointing at the right ledger events, one `oversight.flag.raised` event and an in-app
notification to the inspector — and a near miss that must not. Time moves with the `clock`
fixture; the detectors are run for the day the clock shows.

March 2026 is used where working days matter: no public holiday, away from Tết.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import pytest
from django.db.models import Q

from baro.ledger.models import LedgerEvent
from baro.notify.models import Notification
from baro.org.models import Person, Role, Unit, UnitKind, system_person
from baro.org.services import person_create, unit_create
from baro.oversight import detectors
from baro.oversight.detectors import common, extension_rate
from baro.oversight.detectors.not_accepted import acceptance_cutoff
from baro.oversight.ladder_pass import run_ladder
from baro.oversight.models import Flag, FlagEvidence, FlagKind, Urging
from baro.oversight.services import LetterDraft, task_urge, urging_letter_issue
from baro.testing.oversight import START, at
from baro.testing.work import WorkWorld, assign
from baro.work import services as work
from baro.work.models import DeadlineRule, Dispute, Extension, Task, TaskStatus

pytestmark = pytest.mark.django_db

FRI = dt.date(2026, 3, 6)  # a Friday: the weekend falls inside the working-day counts


# --------------------------------------------------------------------------------------------
# helpers


def go(clock: Any, day: dt.date) -> dt.date:
    clock.move_to(at(day))
    return day


def detect(name: str, day: dt.date) -> int:
    detector = next(d for d in detectors.DETECTORS if d.name == name)
    return detector.run(day, actor=system_person())


def events(object_type: str, object_id: int, *actions: str) -> list[int]:
    """What the test expects as evidence, read straight from the ledger."""
    return list(
        LedgerEvent.objects.filter(
            object_type=object_type, object_id=str(object_id), action__in=actions
        )
        .order_by("seq")
        .values_list("pk", flat=True)
    )


def check_flag(
    flag: Flag,
    *,
    kind: str,
    unit: Unit,
    person: Person | None,
    task: Task | None,
    event_ids: Iterable[int],
    inspector: Person,
    evidence_tasks: Iterable[int] | None = None,
) -> None:
    assert flag.kind == kind
    assert flag.unit_id == unit.pk
    assert flag.person_id == (person.pk if person else None)
    assert flag.task_id == (task.pk if task else None)
    assert flag.raised_by.is_system and flag.summary
    rows = list(FlagEvidence.objects.filter(flag=flag))
    expected = sorted(event_ids)
    assert expected, "a test must name the events it expects"
    assert sorted(r.event_id for r in rows if r.event_id is not None) == expected
    wanted_tasks = {task.pk} if evidence_tasks is None and task else set(evidence_tasks or ())
    assert {r.task_id for r in rows} == wanted_tasks
    assert all(r.note for r in rows)
    raised = LedgerEvent.objects.filter(
        action="oversight.flag.raised", object_type="oversight.flag", object_id=str(flag.pk)
    )
    assert raised.count() == 1
    assert raised.get().payload["kind"] == kind
    assert Notification.objects.filter(
        recipient=inspector, kind="oversight.flag", object_id=str(flag.pk)
    ).exists()


def only(kind: str) -> Flag:
    found = list(Flag.objects.filter(kind=kind))
    assert len(found) == 1, [f.dedupe_key for f in found]
    return found[0]


def dated(ww: WorkWorld, deadline: dt.date, **kw: Any) -> Task:
    return assign(ww, deadline_rule=DeadlineRule.DATE, deadline=deadline, **kw)


def extend(ww: WorkWorld, task: Task, days: int = 7, *, by: Person | None = None) -> Extension:
    task.refresh_from_db()
    extension = work.extension_request(
        actor=by or ww.w.head,
        task=task,
        new_deadline=task.deadline + dt.timedelta(days=days),
        reason="Chờ số liệu của các phường",
    )
    return work.extension_decide(actor=ww.city_head, extension=extension, approve=True)


# --------------------------------------------------------------------------------------------
# 1. bounced


def test_bounced_across_three_units(ww: WorkWorld, inspector: Person) -> None:
    task = assign(ww, title="Xử lý điểm ngập úng")
    work.task_refuse(
        actor=ww.w.head, task=task, reason="Thuộc lĩnh vực Sở B", proposed_unit=ww.dept_b
    )
    dispute = Dispute.objects.get(task=task)
    # The city gives it to a third unit: Sở A → Sở B (proposed) → Phòng A1.
    work.dispute_decide(
        actor=ww.city_head, dispute=dispute, unit=ww.div_a1, reason="Phòng A1 quản lý"
    )
    # Near miss: refused once, decided between the two units named (bounce_count 1).
    near = assign(ww, title="Cấp phép đào đường")
    work.task_refuse(actor=ww.w.head, task=near, reason="Thuộc Sở B", proposed_unit=ww.dept_b)
    work.dispute_decide(
        actor=ww.city_head,
        dispute=Dispute.objects.get(task=near),
        unit=ww.dept_b,
        reason="Đúng thẩm quyền Sở B",
    )

    assert detect("bounced", START) == 1
    flag = only(FlagKind.BOUNCED)
    check_flag(
        flag,
        kind=FlagKind.BOUNCED,
        unit=ww.dept_a,  # the unit that refused last
        person=ww.w.head,
        task=task,
        event_ids=events("work.task", task.pk, "work.task.refused")
        + events("work.dispute", dispute.pk, "work.dispute.decided"),
        inspector=inspector,
    )
    assert flag.figures["distinct_units"] == 3 and flag.figures["bounces"] == 1
    assert detect("bounced", START) == 0


def _refused_back(ww: WorkWorld, title: str) -> tuple[Task, Dispute]:
    """Sở A refuses a task as Sở B's; the city's head decides it is Sở A's own."""
    task = assign(ww, title=title)
    work.task_refuse(actor=ww.w.head, task=task, reason="Thuộc Sở B", proposed_unit=ww.dept_b)
    dispute = Dispute.objects.get(task=task)
    work.dispute_decide(
        actor=ww.city_head, dispute=dispute, unit=ww.dept_a, reason="Đúng chức năng Sở A"
    )
    return task, dispute


def test_a_unit_that_bounces_its_own_work_twice(ww: WorkWorld, inspector: Person) -> None:
    """Counted per unit across the tasks it received: a decided unit cannot refuse the same
    task again, so the second bounce is on the same work assigned again by the assigner."""
    first, first_dispute = _refused_back(ww, "Xử lý điểm ngập úng")
    assert detect("bounced", START) == 0  # once is not a pattern (BARO_FLAG_BOUNCES = 2)
    # Near misses: a refusal the city upheld (the work was Sở B's), one not decided yet.
    upheld = assign(ww, title="Cấp phép đào đường")
    work.task_refuse(actor=ww.w.head, task=upheld, reason="Thuộc Sở B", proposed_unit=ww.dept_b)
    work.dispute_decide(
        actor=ww.city_head,
        dispute=Dispute.objects.get(task=upheld),
        unit=ww.dept_b,
        reason="Đúng thẩm quyền Sở B",
    )
    waiting = assign(ww, title="Thu gom rác thải")
    work.task_refuse(actor=ww.w.head, task=waiting, reason="Thuộc Sở B", proposed_unit=ww.dept_b)
    assert detect("bounced", START) == 0
    # The assigner cancels the first task and assigns the same work again: Sở A refuses again.
    work.task_cancel(actor=ww.city_head, task=first, reason="Giao lại bằng nhiệm vụ mới")
    again, again_dispute = _refused_back(ww, "Xử lý điểm ngập úng")
    assert detect("bounced", START) == 1
    flag = only(FlagKind.BOUNCED)
    check_flag(
        flag,
        kind=FlagKind.BOUNCED,
        unit=ww.dept_a,
        person=ww.w.head,
        task=None,
        event_ids=events("work.task", first.pk, "work.task.refused")
        + events("work.task", again.pk, "work.task.refused")
        + events("work.dispute", first_dispute.pk, "work.dispute.decided")
        + events("work.dispute", again_dispute.pk, "work.dispute.decided"),
        inspector=inspector,
        evidence_tasks={first.pk, again.pk},
    )
    assert flag.figures["bounces"] == 2 and flag.figures["threshold"] == 2
    assert detect("bounced", START) == 0


def test_bouncing_units_count_within_the_window(ww: WorkWorld, clock: Any, settings: Any) -> None:
    _refused_back(ww, "Việc thứ nhất")
    later = go(clock, START + dt.timedelta(days=40))
    _refused_back(ww, "Việc thứ hai")
    settings.BARO_FLAG_BOUNCE_WINDOW_DAYS = 30
    assert detect("bounced", later) == 0
    settings.BARO_FLAG_BOUNCE_WINDOW_DAYS = 60
    assert detect("bounced", later) == 1


def test_bounced_not_raised_once_cancelled(ww: WorkWorld) -> None:
    task = assign(ww)
    work.task_refuse(actor=ww.w.head, task=task, reason="Thuộc Sở B", proposed_unit=ww.dept_b)
    work.dispute_decide(
        actor=ww.city_head,
        dispute=Dispute.objects.get(task=task),
        unit=ww.div_a1,
        reason="Phòng A1",
    )
    work.task_cancel(actor=ww.city_head, task=task, reason="Không còn cần thiết")
    assert detect("bounced", START) == 0


# --------------------------------------------------------------------------------------------
# 2. not accepted


def test_not_accepted_after_three_working_days(
    ww: WorkWorld, clock: Any, inspector: Person
) -> None:
    go(clock, FRI)
    late = dated(ww, dt.date(2026, 4, 30), title="Chưa tiếp nhận")
    near = dated(ww, dt.date(2026, 4, 30), title="Tiếp nhận ngày làm việc thứ ba")
    # Mon 9, Tue 10, Wed 11 = the 3rd working day after Friday: accepted in time.
    go(clock, dt.date(2026, 3, 11))
    work.task_accept(actor=ww.w.head, task=near)
    assert detect("not_accepted", dt.date(2026, 3, 11)) == 0  # 3 working days: not more
    thursday = go(clock, dt.date(2026, 3, 12))
    assert detect("not_accepted", thursday) == 1
    flag = only(FlagKind.NOT_ACCEPTED)
    check_flag(
        flag,
        kind=FlagKind.NOT_ACCEPTED,
        unit=ww.dept_a,
        person=ww.w.head,
        task=late,
        event_ids=events("work.task", late.pk, "work.task.assigned"),
        inspector=inspector,
    )
    assert flag.figures["days"] == 4
    assert detect("not_accepted", thursday) == 0


def test_not_accepted_counts_from_the_dispute_decision(
    ww: WorkWorld, clock: Any, inspector: Person
) -> None:
    go(clock, FRI)
    task = dated(ww, dt.date(2026, 4, 30))
    work.task_refuse(actor=ww.w.head, task=task, reason="Thuộc Sở B", proposed_unit=ww.dept_b)
    dispute = Dispute.objects.get(task=task)
    go(clock, dt.date(2026, 3, 11))
    work.dispute_decide(actor=ww.city_head, dispute=dispute, unit=ww.dept_b, reason="Sở B")
    # Assigned 6/3, but Sở B received it on 11/3: one working day by 12/3.
    assert detect("not_accepted", go(clock, dt.date(2026, 3, 12))) == 0
    assert detect("not_accepted", go(clock, dt.date(2026, 3, 17))) == 1  # 12, 13, 16, 17
    check_flag(
        only(FlagKind.NOT_ACCEPTED),
        kind=FlagKind.NOT_ACCEPTED,
        unit=ww.dept_b,
        person=ww.head_b,
        task=task,
        event_ids=events("work.task", task.pk, "work.task.assigned")
        + events("work.dispute", dispute.pk, "work.dispute.decided"),
        inspector=inspector,
    )


def test_acceptance_cutoff_skips_weekends_and_tet() -> None:
    # By Thursday 12/03 a task received on Sunday 8/03 has waited 9, 10, 11, 12/03: late.
    assert acceptance_cutoff(dt.date(2026, 3, 12), 3) == dt.date(2026, 3, 8)
    assert acceptance_cutoff(dt.date(2026, 3, 11), 3) == dt.date(2026, 3, 5)
    # Around Tết Bính Ngọ (off 14–22/02/2026): from 12/02, the 4 working days by 25/02 are
    # 13, 23, 24 and 25/02; from 13/02 only three.
    assert acceptance_cutoff(dt.date(2026, 2, 25), 3) == dt.date(2026, 2, 12)


# --------------------------------------------------------------------------------------------
# 3. extensions


def test_repeated_extensions(ww: WorkWorld, inspector: Person) -> None:
    twice = dated(ww, dt.date(2026, 2, 27), title="Gia hạn hai lần")
    once = dated(ww, dt.date(2026, 2, 27), title="Gia hạn một lần")
    first = extend(ww, twice)
    second = extend(ww, twice)
    extend(ww, once)
    assert detect("repeated_extensions", START) == 1
    flag = only(FlagKind.REPEATED_EXTENSIONS)
    check_flag(
        flag,
        kind=FlagKind.REPEATED_EXTENSIONS,
        unit=ww.dept_a,
        person=ww.w.head,
        task=twice,
        event_ids=[
            *events(
                "work.extension", first.pk, "work.extension.requested", "work.extension.approved"
            ),
            *events(
                "work.extension", second.pk, "work.extension.requested", "work.extension.approved"
            ),
        ],
        inspector=inspector,
    )
    assert flag.figures["extensions"] == 2
    assert flag.figures["first_deadline"] == "2026-02-27"
    assert detect("repeated_extensions", START) == 0


def test_repeated_extensions_stay_on_record_when_completed_not_when_cancelled(
    ww: WorkWorld,
) -> None:
    done = dated(ww, dt.date(2026, 2, 27), title="Xong sau hai lần gia hạn")
    dropped = dated(ww, dt.date(2026, 2, 27), title="Hủy sau hai lần gia hạn")
    for task in (done, dropped):
        extend(ww, task)
        extend(ww, task)
    work.task_accept(actor=ww.w.head, task=done)
    work.task_submit(actor=ww.w.head, task=done)
    work.task_approve(
        actor=ww.city_head, task=done, quality_grade="good", effectiveness_grade="effective"
    )
    work.task_cancel(actor=ww.city_head, task=dropped, reason="Không còn cần thiết")
    assert detect("repeated_extensions", START) == 1
    assert only(FlagKind.REPEATED_EXTENSIONS).task_id == done.pk


def _divisions(ww: WorkWorld) -> list[Unit]:
    """Phòng A1 and three new sibling divisions under Sở A."""
    units = [ww.div_a1]
    for n in (2, 3, 4):
        units.append(
            unit_create(
                actor=ww.w.admin,
                code=f"PHONG-A{n}",
                name=f"Phòng A{n}",
                kind=UnitKind.DIVISION,
                parent=ww.dept_a,
            )
        )
    return units


def _rate_world(ww: WorkWorld, extended_in_a1: int) -> tuple[list[Unit], list[Task], Person]:
    """Five tasks led by each division; Phòng A1 extends `extended_in_a1` of them, A2 and A3
    one each, A4 none: the siblings' median share is 20%."""
    units = _divisions(ww)
    a1_head = person_create(
        actor=ww.w.admin, unit=ww.div_a1, full_name="Trưởng Phòng A1", code="TP-A1", role=Role.HEAD
    )
    extended: list[Task] = []
    for unit, count in zip(units, (extended_in_a1, 1, 1, 0), strict=True):
        for n in range(5):
            task = dated(ww, dt.date(2026, 3, 31), title=f"{unit.name} việc {n}", lead_unit=unit)
            if n < count:
                extend(ww, task, days=30)
                extended.append(task)
    return units, extended, a1_head


def test_extension_rate_far_above_the_siblings(ww: WorkWorld, inspector: Person) -> None:
    _, extended, a1_head = _rate_world(ww, extended_in_a1=3)
    assert detect("extension_rate", START) == 1
    flag = only(FlagKind.EXTENSION_RATE)
    a1_tasks = [t for t in extended if t.lead_unit_id == ww.div_a1.pk]
    approvals = [
        pk
        for t in a1_tasks
        for e in Extension.objects.filter(task=t)
        for pk in events("work.extension", e.pk, "work.extension.approved")
    ]
    check_flag(
        flag,
        kind=FlagKind.EXTENSION_RATE,
        unit=ww.div_a1,
        person=a1_head,
        task=None,
        event_ids=approvals,
        inspector=inspector,
        evidence_tasks=[t.pk for t in a1_tasks],
    )
    assert flag.dedupe_key == f"extension_rate:unit:{ww.div_a1.pk}:2026Q1"
    assert flag.figures["rate"] == 0.6 and flag.figures["sibling_median"] == 0.2
    assert flag.figures["tasks"] == 5 and flag.figures["extended"] == 3
    assert flag.figures["siblings"] == 3
    assert detect("extension_rate", START) == 0  # once a quarter
    assert detect("extension_rate", dt.date(2026, 4, 1)) == 1  # the next quarter again


def test_extension_rate_at_twice_the_median_is_not_raised(ww: WorkWorld) -> None:
    _rate_world(ww, extended_in_a1=2)  # 40% = 2 × 20%: not more than twice
    assert detect("extension_rate", START) == 0


def test_extension_rate_over_siblings_that_extended_nothing_needs_two_extensions(
    ww: WorkWorld,
) -> None:
    # The siblings' median is 0%: any extension is "more than twice" it, but one is no pattern.
    units = _divisions(ww)
    a1_tasks = [
        dated(ww, dt.date(2026, 3, 31), title=f"{unit.name} việc {n}", lead_unit=unit)
        for unit in units
        for n in range(5)
    ][:5]
    extend(ww, a1_tasks[0])
    assert detect("extension_rate", START) == 0
    extend(ww, a1_tasks[1])
    assert detect("extension_rate", START) == 1
    flag = only(FlagKind.EXTENSION_RATE)
    assert flag.unit_id == ww.div_a1.pk
    assert flag.figures["extended"] == 2 and flag.figures["sibling_median"] == 0


def test_extension_rate_needs_three_comparable_siblings(ww: WorkWorld) -> None:
    units = _divisions(ww)[:3]  # A1 and two siblings only
    for unit, count in zip(units, (4, 0, 1), strict=True):
        for n in range(5):
            task = dated(ww, dt.date(2026, 3, 31), title=f"{unit.name} {n}", lead_unit=unit)
            if n < count:
                extend(ww, task)
    assert detect("extension_rate", START) == 0


# --------------------------------------------------------------------------------------------
# 4. returns


def _submit_and_return(ww: WorkWorld, task: Task, times: int) -> None:
    work.task_accept(actor=ww.w.head, task=task)
    for n in range(times):
        work.task_submit(actor=ww.w.head, task=task)
        work.task_return(actor=ww.city_head, task=task, reason=f"Thiếu số liệu lần {n + 1}")


def test_repeated_returns(ww: WorkWorld, inspector: Person) -> None:
    twice = assign(ww, title="Trả lại hai lần")
    once = assign(ww, title="Trả lại một lần")
    _submit_and_return(ww, twice, 2)
    _submit_and_return(ww, once, 1)
    assert detect("repeated_returns", START) == 1
    check_flag(
        only(FlagKind.REPEATED_RETURNS),
        kind=FlagKind.REPEATED_RETURNS,
        unit=ww.dept_a,
        person=ww.w.head,
        task=twice,
        event_ids=events("work.task", twice.pk, "work.task.returned"),
        inspector=inspector,
    )
    assert detect("repeated_returns", START) == 0


# --------------------------------------------------------------------------------------------
# 5. guidance within one's own authority


def test_guidance_within_unit_authority(ww: WorkWorld, inspector: Person) -> None:
    task = assign(ww)
    asked = work.guidance_request(actor=ww.w.head, task=task, question="Có cần lấy ý kiến phường?")
    work.guidance_answer(
        actor=ww.city_head,
        guidance=asked,
        answer="Việc này Sở tự quyết định.",
        within_unit_authority=True,
    )
    plain = work.guidance_request(actor=ww.w.head, task=task, question="Mẫu báo cáo nào?")
    work.guidance_answer(actor=ww.city_head, guidance=plain, answer="Mẫu số 2.")
    assert detect("guidance_within_authority", START) == 1
    flag = only(FlagKind.GUIDANCE_WITHIN_AUTHORITY)
    check_flag(
        flag,
        kind=FlagKind.GUIDANCE_WITHIN_AUTHORITY,
        unit=ww.dept_a,
        person=ww.w.head,  # who asked
        task=task,
        event_ids=events(
            "work.guidance_request",
            asked.pk,
            "work.guidance.requested",
            "work.guidance.answered",
        ),
        inspector=inspector,
    )
    assert "thuộc thẩm quyền" in flag.summary


def test_guidance_asked_again_after_an_answer(ww: WorkWorld, clock: Any, inspector: Person) -> None:
    task = assign(ww)
    first = work.guidance_request(actor=ww.w.head, task=task, question="Kinh phí lấy từ đâu?")
    # Near miss: the same question asked again before any answer is a reminder, not a repeat.
    work.guidance_request(actor=ww.w.head, task=task, question="Kinh phí lấy từ đâu?")
    assert detect("guidance_within_authority", START) == 0
    go(clock, START + dt.timedelta(days=1))
    work.guidance_answer(actor=ww.city_head, guidance=first, answer="Từ nguồn chi thường xuyên.")
    go(clock, START + dt.timedelta(days=2))
    again = work.guidance_request(actor=ww.w.head, task=task, question="Kinh phí lấy từ đâu ?")
    assert again.repeat_of_id == first.pk
    assert detect("guidance_within_authority", START + dt.timedelta(days=2)) == 1
    check_flag(
        only(FlagKind.GUIDANCE_WITHIN_AUTHORITY),
        kind=FlagKind.GUIDANCE_WITHIN_AUTHORITY,
        unit=ww.dept_a,
        person=ww.w.head,
        task=task,
        event_ids=events(
            "work.guidance_request", first.pk, "work.guidance.requested", "work.guidance.answered"
        )
        + events("work.guidance_request", again.pk, "work.guidance.requested"),
        inspector=inspector,
    )


# --------------------------------------------------------------------------------------------
# 6. coordinators: silent, vague


def test_coordinator_silent_past_its_due_date(ww: WorkWorld, clock: Any, inspector: Person) -> None:
    task = assign(ww, coordinators=[(ww.dept_b, "Cung cấp số liệu", None)])
    due = START + dt.timedelta(days=3)
    silent = work.input_request(
        actor=ww.w.head, task=task, unit=ww.dept_b, question="Số liệu 2025?", due_on=due
    )
    answered = work.input_request(
        actor=ww.w.head, task=task, unit=ww.dept_b, question="Đầu mối liên hệ?", due_on=due
    )
    go(clock, due)
    work.input_answer(actor=ww.head_b, input_request=answered, position="agree")  # on its day
    assert detect("coordinator_silent", due) == 0  # the due date itself is still in time
    day_after = go(clock, due + dt.timedelta(days=1))
    assert detect("coordinator_silent", day_after) == 1
    flag = only(FlagKind.COORDINATOR_SILENT)
    check_flag(
        flag,
        kind=FlagKind.COORDINATOR_SILENT,
        unit=ww.dept_b,
        person=ww.head_b,
        task=task,
        event_ids=events("work.input_request", silent.pk, "work.input.requested"),
        inspector=inspector,
    )
    assert "coi là đồng ý" in flag.summary and "chịu trách nhiệm" in flag.summary
    assert flag.figures["counts_as_agreement"] is True
    assert detect("coordinator_silent", day_after) == 0


def test_coordinator_silent_not_raised_once_the_task_is_completed(
    ww: WorkWorld, clock: Any
) -> None:
    task = assign(ww, coordinators=[(ww.dept_b, "Số liệu", None)])
    due = START + dt.timedelta(days=3)
    work.input_request(actor=ww.w.head, task=task, unit=ww.dept_b, question="?", due_on=due)
    work.task_accept(actor=ww.w.head, task=task)
    work.task_submit(actor=ww.w.head, task=task)
    work.task_approve(
        actor=ww.city_head, task=task, quality_grade="good", effectiveness_grade="effective"
    )
    assert detect("coordinator_silent", go(clock, due + dt.timedelta(days=2))) == 0


def test_coordinator_vague(ww: WorkWorld, inspector: Person) -> None:
    task = assign(ww, coordinators=[(ww.dept_b, "Góp ý dự thảo", None)])
    vague = work.input_request(actor=ww.w.head, task=task, unit=ww.dept_b, question="Dự thảo 1?")
    clear = work.input_request(actor=ww.w.head, task=task, unit=ww.dept_b, question="Dự thảo 2?")
    work.input_answer(
        actor=ww.head_b,
        input_request=vague,
        position="agree_with_changes",
        answer="Cơ bản nhất trí, đề nghị nghiên cứu thêm.",
    )
    work.input_answer(actor=ww.head_b, input_request=clear, position="agree")
    work.input_mark_unclear(
        actor=ww.w.head, input_request=vague, note="Không nêu sửa điều nào, sửa thế nào."
    )
    assert detect("coordinator_vague", START) == 1
    check_flag(
        only(FlagKind.COORDINATOR_VAGUE),
        kind=FlagKind.COORDINATOR_VAGUE,
        unit=ww.dept_b,
        person=ww.head_b,  # who answered
        task=task,
        event_ids=events(
            "work.input_request", vague.pk, "work.input.answered", "work.input.marked_unclear"
        ),
        inspector=inspector,
    )
    assert detect("coordinator_vague", START) == 0


# --------------------------------------------------------------------------------------------
# 7. needless consultation


def test_same_question_asked_twice(ww: WorkWorld, inspector: Person) -> None:
    task = assign(ww, coordinators=[(ww.dept_b, "Số liệu", None)])
    first = work.input_request(actor=ww.w.head, task=task, unit=ww.dept_b, question="Số liệu?")
    again = work.input_request(actor=ww.w.head, task=task, unit=ww.dept_b, question="số liệu")
    work.input_request(actor=ww.w.head, task=task, unit=ww.dept_b, question="Đầu mối?")
    assert again.repeat_of_id == first.pk
    assert detect("needless_consultation", START) == 1
    flag = only(FlagKind.NEEDLESS_CONSULTATION)
    check_flag(
        flag,
        kind=FlagKind.NEEDLESS_CONSULTATION,
        unit=ww.dept_a,  # the asking side
        person=ww.w.head,
        task=task,
        event_ids=events("work.input_request", first.pk, "work.input.requested")
        + events("work.input_request", again.pk, "work.input.requested"),
        inspector=inspector,
    )
    assert flag.figures["count"] == 2
    # Asked a third time: the same matter, still one flag.
    work.input_request(actor=ww.w.head, task=task, unit=ww.dept_b, question="Số liệu?")
    assert detect("needless_consultation", START) == 0


def _departments(ww: WorkWorld, count: int) -> list[Unit]:
    units = [ww.dept_b, ww.div_a1]
    for n in range(count - len(units)):
        units.append(
            unit_create(
                actor=ww.w.admin,
                code=f"SO-X{n}",
                name=f"Sở X{n}",
                kind=UnitKind.DEPARTMENT,
                parent=ww.root,
            )
        )
    return units[:count]


def test_more_than_four_units_consulted(ww: WorkWorld, inspector: Person) -> None:
    units = _departments(ww, 5)
    many = assign(ww, title="Hỏi năm đơn vị", coordinators=[(u, "Góp ý", None) for u in units])
    near = assign(ww, title="Hỏi bốn đơn vị", coordinators=[(u, "Góp ý", None) for u in units])
    asked = [
        work.input_request(actor=ww.w.head, task=many, unit=u, question="Góp ý dự thảo?")
        for u in units
    ]
    for u in units[:4]:
        work.input_request(actor=ww.w.head, task=near, unit=u, question="Góp ý dự thảo?")
    assert detect("needless_consultation", START) == 1
    flag = only(FlagKind.NEEDLESS_CONSULTATION)
    check_flag(
        flag,
        kind=FlagKind.NEEDLESS_CONSULTATION,
        unit=ww.dept_a,
        person=ww.w.head,
        task=many,
        event_ids=[
            pk for r in asked for pk in events("work.input_request", r.pk, "work.input.requested")
        ],
        inspector=inspector,
    )
    assert flag.figures["units_consulted"] == 5


# --------------------------------------------------------------------------------------------
# 8. overdue after more than 3 urgings


def test_urged_more_than_three_times_and_still_overdue(
    ww: WorkWorld, clock: Any, inspector: Person
) -> None:
    go(clock, dt.date(2026, 3, 2))
    task = dated(ww, dt.date(2026, 3, 6), officer=ww.w.officer)
    work.task_accept(actor=ww.w.head, task=task)
    day = go(clock, dt.date(2026, 3, 17))
    assert sum(run_ladder(day).values()) == 3  # urge, escalate to both heads
    assert detect("urged_still_overdue", day) == 0  # exactly 3 urgings: not more than 3
    task_urge(actor=ww.city_head, task=task, note="Đề nghị hoàn thành trước 20/3")
    assert Urging.objects.filter(task=task).count() == 4
    assert detect("urged_still_overdue", day) == 1
    flag = only(FlagKind.URGED_STILL_OVERDUE)
    check_flag(
        flag,
        kind=FlagKind.URGED_STILL_OVERDUE,
        unit=ww.dept_a,
        person=ww.w.head,
        task=task,
        event_ids=events(
            "work.task",
            task.pk,
            "oversight.ladder.urge",
            "oversight.ladder.escalate_head",
            "oversight.ladder.escalate_assigner_head",
            "oversight.task.urged",
        ),
        inspector=inspector,
    )
    assert flag.figures["urgings"] == 4
    assert "847/QĐ-UBND" in flag.summary
    assert flag.dedupe_key == f"urged_still_overdue:task:{task.pk}:2026-03-06"
    assert detect("urged_still_overdue", day) == 0


def test_an_urging_letter_counts_and_its_event_is_the_evidence(
    ww: WorkWorld, clock: Any, inspector: Person
) -> None:
    go(clock, dt.date(2026, 3, 2))
    task = dated(ww, dt.date(2026, 3, 6))
    work.task_accept(actor=ww.w.head, task=task)
    day = go(clock, dt.date(2026, 3, 17))
    run_ladder(day)
    letter = urging_letter_issue(
        actor=ww.city_head,
        draft=LetterDraft(
            issuing_unit=ww.root,
            number_symbol="125/UBND-KT",
            place="Hà Nội",
            issued_on=day,
            subject="V/v đôn đốc thực hiện nhiệm vụ được giao",
            opening="Nhiệm vụ giao ngày 02/3/2026 đến nay chưa hoàn thành.",
            closing="Đề nghị Sở A hoàn thành trước ngày 20/3/2026.",
            reply_by=day + dt.timedelta(days=3),
            signer=ww.city_head,
            signer_mark="TM.",
            signer_position="Chủ tịch",
        ),
        tasks=[task],
    )
    assert detect("urged_still_overdue", day) == 1
    check_flag(
        only(FlagKind.URGED_STILL_OVERDUE),
        kind=FlagKind.URGED_STILL_OVERDUE,
        unit=ww.dept_a,
        person=ww.w.head,
        task=task,
        event_ids=events(
            "work.task",
            task.pk,
            "oversight.ladder.urge",
            "oversight.ladder.escalate_head",
            "oversight.ladder.escalate_assigner_head",
        )
        + events("oversight.letter", letter.pk, "oversight.letter.issued"),
        inspector=inspector,
    )


def test_urgings_of_an_earlier_deadline_do_not_count(ww: WorkWorld, clock: Any) -> None:
    go(clock, dt.date(2026, 3, 2))
    task = dated(ww, dt.date(2026, 3, 6))
    work.task_accept(actor=ww.w.head, task=task)
    run_ladder(go(clock, dt.date(2026, 3, 17)))
    task_urge(actor=ww.city_head, task=task, note="Khẩn trương")
    extend(ww, task, days=14)  # new deadline 20/3, a new count
    task_urge(actor=ww.city_head, task=task, note="Theo hạn mới")
    assert detect("urged_still_overdue", go(clock, dt.date(2026, 3, 24))) == 0


# --------------------------------------------------------------------------------------------
# 9. overdue and not updated


def test_overdue_and_not_updated(ww: WorkWorld, clock: Any, inspector: Person) -> None:
    go(clock, dt.date(2026, 3, 2))
    silent = dated(ww, dt.date(2026, 3, 6), title="Im lặng", officer=ww.w.officer)
    updated = dated(ww, dt.date(2026, 3, 6), title="Có cập nhật", officer=ww.w.officer)
    for task in (silent, updated):
        work.task_accept(actor=ww.w.head, task=task)
    go(clock, dt.date(2026, 3, 3))
    work.task_report_progress(actor=ww.w.officer, task=silent, percent=20, text="Đang khảo sát")
    go(clock, dt.date(2026, 3, 11))
    work.task_report_progress(actor=ww.w.officer, task=updated, percent=60, text="Đã tổng hợp")
    day = go(clock, dt.date(2026, 3, 12))  # silent since 3/3: 9 days > 7
    assert detect("overdue_not_updated", day) == 1
    flag = only(FlagKind.OVERDUE_NOT_UPDATED)
    reports = events("work.task", silent.pk, "work.task.progress_reported")
    check_flag(
        flag,
        kind=FlagKind.OVERDUE_NOT_UPDATED,
        unit=ww.dept_a,
        person=ww.w.officer,  # the task's officer
        task=silent,
        event_ids=events("work.task", silent.pk, "work.task.assigned") + reports[-1:],
        inspector=inspector,
    )
    assert flag.figures["days"] == 9
    assert detect("overdue_not_updated", day) == 0


def test_overdue_not_updated_on_the_edge(ww: WorkWorld, clock: Any) -> None:
    go(clock, dt.date(2026, 3, 2))
    task = dated(ww, dt.date(2026, 3, 6))  # no officer: the head answers
    assert detect("overdue_not_updated", go(clock, dt.date(2026, 3, 9))) == 0  # 7 days: not more
    assert detect("overdue_not_updated", go(clock, dt.date(2026, 3, 10))) == 1
    assert only(FlagKind.OVERDUE_NOT_UPDATED).person_id == ww.w.head.pk
    # A new deadline is a new case.
    extend(ww, task, days=5)
    assert detect("overdue_not_updated", go(clock, dt.date(2026, 3, 12))) == 1


# --------------------------------------------------------------------------------------------
# 10. stalled at zero


def test_stalled_at_zero_past_half_the_time(ww: WorkWorld, clock: Any, inspector: Person) -> None:
    deadline = START + dt.timedelta(days=100)  # 13/05/2026
    stalled = dated(ww, deadline, title="Chưa làm gì", officer=ww.w.officer)
    moving = dated(ww, deadline, title="Đang làm", officer=ww.w.officer)
    work.task_accept(actor=ww.w.head, task=stalled)
    work.task_accept(actor=ww.w.head, task=moving)
    work.task_report_progress(actor=ww.w.officer, task=moving, percent=10, text="Đã khảo sát")
    assert detect("stalled_at_zero", go(clock, START + dt.timedelta(days=49))) == 0  # 49%
    assert detect("stalled_at_zero", go(clock, START + dt.timedelta(days=50))) == 0  # half
    day = go(clock, START + dt.timedelta(days=51))
    assert detect("stalled_at_zero", day) == 1
    flag = only(FlagKind.STALLED_AT_ZERO)
    check_flag(
        flag,
        kind=FlagKind.STALLED_AT_ZERO,
        unit=ww.dept_a,
        person=ww.w.officer,
        task=stalled,
        event_ids=events("work.task", stalled.pk, "work.task.assigned"),
        inspector=inspector,
    )
    assert flag.figures["days_elapsed"] == 51 and flag.figures["days_total"] == 100
    assert detect("stalled_at_zero", day) == 0


# --------------------------------------------------------------------------------------------
# the whole pass


def _troubled_world(ww: WorkWorld, clock: Any) -> list[Task]:
    """Tasks showing several behaviours at once, as of 17/03/2026."""
    go(clock, dt.date(2026, 3, 2))
    overdue = dated(ww, dt.date(2026, 3, 6), title="Quá hạn", officer=ww.w.officer)
    waiting = dated(ww, dt.date(2026, 4, 30), title="Chờ tiếp nhận")
    consulted = dated(
        ww,
        dt.date(2026, 4, 30),
        title="Xin ý kiến",
        coordinators=[(ww.dept_b, "Số liệu", dt.date(2026, 3, 9))],
    )
    work.task_accept(actor=ww.w.head, task=overdue)
    work.task_accept(actor=ww.w.head, task=consulted)
    work.input_request(actor=ww.w.head, task=consulted, unit=ww.dept_b, question="Số liệu?")
    work.input_request(actor=ww.w.head, task=consulted, unit=ww.dept_b, question="Số liệu?")
    run_ladder(go(clock, dt.date(2026, 3, 17)))
    task_urge(actor=ww.city_head, task=overdue, note="Khẩn trương")
    return [overdue, waiting, consulted]


def test_run_detectors_twice_raises_nothing_new(
    ww: WorkWorld, clock: Any, inspector: Person
) -> None:
    _troubled_world(ww, clock)
    day = dt.date(2026, 3, 17)
    system = system_person()
    raised = detectors.run_detectors(day, actor=system, raise_errors=True)
    kinds = sorted(
        Flag.objects.exclude(kind=FlagKind.LADDER_INSPECTION).values_list("kind", flat=True)
    )
    assert kinds == sorted(
        [
            FlagKind.NOT_ACCEPTED,  # "Chờ tiếp nhận"
            FlagKind.COORDINATOR_SILENT,  # two questions due 9/3, unanswered
            FlagKind.COORDINATOR_SILENT,
            FlagKind.NEEDLESS_CONSULTATION,  # the same question twice
            FlagKind.URGED_STILL_OVERDUE,  # "Quá hạn": 3 ladder urgings and one by hand
            FlagKind.OVERDUE_NOT_UPDATED,  # "Quá hạn": never reported since 2/3
            FlagKind.STALLED_AT_ZERO,  # "Quá hạn" at 0% past its deadline
        ]
    )
    assert raised == len(kinds)
    before = LedgerEvent.objects.count()
    assert detectors.run_detectors(day, actor=system, raise_errors=True) == 0
    assert LedgerEvent.objects.count() == before
    assert LedgerEvent.objects.filter(action="oversight.flag.raised").count() == raised
    assert Notification.objects.filter(recipient=inspector, kind="oversight.flag").count() == raised


def test_closed_tasks_raise_no_current_state_flags(ww: WorkWorld, clock: Any) -> None:
    tasks = _troubled_world(ww, clock)
    for task in tasks:
        work.task_cancel(actor=ww.city_head, task=task, reason="Không còn cần thiết")
    system = system_person()
    assert detectors.run_detectors(dt.date(2026, 3, 17), actor=system, raise_errors=True) == 0


def test_every_detector_is_listed_once_with_a_description() -> None:
    names = [d.name for d in detectors.DETECTORS]
    assert len(names) == len(set(names)) == 12
    kinds = {k for d in detectors.DETECTORS for k in d.kinds}
    assert kinds == set(FlagKind.values) - {FlagKind.LADDER_INSPECTION}
    assert all(d.description and d.run.__name__ == f"detect_{d.name}" for d in detectors.DETECTORS)
    # One module per rule, named for it (baro/oversight/detectors/<name>.py).
    assert [d.run.__module__ for d in detectors.DETECTORS] == [
        f"baro.oversight.detectors.{name}" for name in detectors.RULES
    ]
    assert list(detectors.RULES) == names


def test_a_pass_without_matches_reads_a_fixed_number_of_queries(
    ww: WorkWorld, django_assert_max_num_queries: Any
) -> None:
    for n in range(30):
        assign(ww, title=f"Nhiệm vụ bình thường {n}")
    with django_assert_max_num_queries(15):
        assert detectors.run_detectors(START, actor=system_person(), raise_errors=True) == 0


def test_a_failing_detector_does_not_stop_the_others(
    ww: WorkWorld, clock: Any, monkeypatch: Any
) -> None:
    def broken(day: dt.date, *, actor: Person) -> int:
        raise RuntimeError("hỏng")

    _troubled_world(ww, clock)
    first = detectors.DETECTORS[0]
    patched = (detectors.Detector(first.name, broken, first.kinds, first.description),)
    monkeypatch.setattr(detectors, "DETECTORS", patched + detectors.DETECTORS[1:])
    system = system_person()
    assert detectors.run_detectors(dt.date(2026, 3, 17), actor=system) == 7
    with pytest.raises(RuntimeError):
        detectors.run_detectors(dt.date(2026, 3, 17), actor=system, raise_errors=True)


def test_candidates_are_raised_in_batches(ww: WorkWorld, clock: Any, monkeypatch: Any) -> None:
    chunks = common.chunks
    sizes: list[int] = []

    def small(values: Any, size: int = 500) -> Any:
        for batch in chunks(values, 1):
            sizes.append(len(batch))
            yield batch

    # Every bulk load goes through common.chunks; the extension rate also chunks its own
    # count of the siblings' tasks.
    for module in (common, extension_rate):
        monkeypatch.setattr(module, "chunks", small)
    _troubled_world(ww, clock)
    day = dt.date(2026, 3, 17)
    assert detectors.run_detectors(day, actor=system_person(), raise_errors=True) == 7
    assert sizes and set(sizes) == {1}


def test_task_status_constants_match_the_rules() -> None:
    assert set(common.OPEN) == {
        TaskStatus.ASSIGNED,
        TaskStatus.IN_PROGRESS,
        TaskStatus.SUBMITTED,
        TaskStatus.DISPUTED,
    }


def test_the_detectors_partial_indexes_are_declared_and_present() -> None:
    """Declared on the Task model (so a SQLite rebuild of work_task keeps them), present in
    the database, and their conditions are the ones the detectors' queries repeat."""
    from django.db import connection

    declared = {index.name: index for index in Task._meta.indexes}
    waiting = declared["oversight_task_waiting_idx"]
    zero = declared["oversight_task_zero_idx"]
    assert waiting.fields == ["assigned_on"]
    assert zero.fields == ["status", "deadline", "assigned_on"]
    with connection.cursor() as cursor:
        present = connection.introspection.get_constraints(cursor, Task._meta.db_table)
    assert {"oversight_task_waiting_idx", "oversight_task_zero_idx"} <= set(present)
    assert "assigned" in common.WAITING_SQL and "percent" in common.AT_ZERO_SQL
    assert str(waiting.condition) == str(Q(status=TaskStatus.ASSIGNED.value))
    assert dict(zero.condition.children)["percent"] == 0
