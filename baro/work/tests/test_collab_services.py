"""Collaboration commands: coordinator inputs, guidance requests, subtasks — who may, who may
not, exactly one ledger event each, bad input refused with nothing changed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import time_machine

from baro.core.errors import AuthorityError, ConflictError
from baro.core.timeutil import now, today
from baro.ledger.models import LedgerEvent
from baro.testing.collab import refused
from baro.testing.ledger import last_seq, one_new_event
from baro.testing.work import WorkWorld, assign
from baro.work import services
from baro.work.models import (
    DeadlineRule,
    InputPosition,
    Task,
    TaskStatus,
)
from baro.work.queries.extras import is_silent, subtask_rollup, task_extras
from baro.workdays.calendar import add_working_days


def working_task(ww: WorkWorld, *, sub_deadline: dt.date | None = None, **kw: Any) -> Task:
    """A task of Sở A with Sở B coordinating, accepted by Sở A's head (in progress)."""
    task = assign(
        ww,
        officer=ww.w.officer,
        coordinators=[(ww.dept_b, "Cho ý kiến về dự thảo", sub_deadline)],
        **kw,
    )
    return services.task_accept(actor=ww.w.head, task=task)


# --------------------------------------------------------------------------------------------
# coordinator inputs


def test_lead_asks_coordinator_due_defaults_to_sub_deadline(ww: WorkWorld) -> None:
    sub = add_working_days(today(), 3)
    task = working_task(ww, sub_deadline=sub)
    seq = last_seq()
    row = services.input_request(
        actor=ww.w.head, task=task, unit=ww.dept_b, question="Sở B cho ý kiến về dự thảo?"
    )
    event = one_new_event(seq)
    assert (event.action, event.object_type, event.object_id) == (
        "work.input.requested",
        "work.input_request",
        str(row.pk),
    )
    assert event.payload["after"]["due_on"] == sub.isoformat()
    assert row.due_on == sub and row.repeat_of is None and not row.is_answered


def test_due_without_sub_deadline_is_configured_working_days(ww: WorkWorld, settings: Any) -> None:
    settings.BARO_INPUT_ANSWER_WORKING_DAYS = 2
    task = working_task(ww)
    row = services.input_request(actor=ww.w.officer, task=task, unit=ww.dept_b, question="Ý kiến?")
    assert row.due_on == add_working_days(today(), 2)


def test_coordinator_may_not_ask_and_bad_input_is_refused(ww: WorkWorld) -> None:
    task = working_task(ww)
    refused(
        "auth.denied",
        lambda: services.input_request(
            actor=ww.head_b, task=task, unit=ww.dept_b, question="Hỏi chính mình?"
        ),
        error=AuthorityError,
    )
    refused(
        "work.field_required",
        lambda: services.input_request(actor=ww.w.head, task=task, unit=ww.dept_b, question="  "),
    )
    refused(
        "work.not_coordinator",
        lambda: services.input_request(
            actor=ww.w.head, task=task, unit=ww.div_a1, question="Phòng A1 cho ý kiến?"
        ),
    )
    refused(
        "work.due_in_past",
        lambda: services.input_request(
            actor=ww.w.head,
            task=task,
            unit=ww.dept_b,
            question="Ý kiến?",
            due_on=today() - dt.timedelta(days=1),
        ),
    )


def test_not_before_acceptance_of_a_closed_task(ww: WorkWorld) -> None:
    task = working_task(ww)
    services.task_cancel(actor=ww.city_head, task=task, reason="Không còn cần thiết")
    refused(
        "work.wrong_state",
        lambda: services.input_request(
            actor=ww.w.head, task=task, unit=ww.dept_b, question="Ý kiến?"
        ),
    )


def test_same_question_again_is_linked_as_a_repeat(ww: WorkWorld) -> None:
    task = working_task(ww)
    first = services.input_request(
        actor=ww.w.head, task=task, unit=ww.dept_b, question="Sở B cho ý kiến về dự thảo?"
    )
    again = services.input_request(
        actor=ww.w.head, task=task, unit=ww.dept_b, question="  sở B cho ý kiến   về dự thảo "
    )
    other = services.input_request(
        actor=ww.w.head, task=task, unit=ww.dept_b, question="Sở B cho ý kiến về phụ lục?"
    )
    assert again.repeat_of_id == first.pk and again.question_hash == first.question_hash
    assert other.repeat_of_id is None


def test_coordinator_answers_once(ww: WorkWorld) -> None:
    task = working_task(ww)
    row = services.input_request(actor=ww.w.head, task=task, unit=ww.dept_b, question="Ý kiến?")
    seq = last_seq()
    row = services.input_answer(
        actor=ww.head_b,
        input_request=row,
        position=InputPosition.AGREE_WITH_CHANGES,
        answer="Đề nghị sửa Điều 3.",
    )
    event = one_new_event(seq)
    assert event.action == "work.input.answered" and event.payload["late"] is False
    assert event.payload["after"]["position"] == InputPosition.AGREE_WITH_CHANGES
    assert row.answered_by == ww.head_b and row.is_answered
    refused(
        "work.input_answered",
        lambda: services.input_answer(
            actor=ww.head_b, input_request=row, position=InputPosition.AGREE
        ),
        error=ConflictError,
    )


def test_answer_by_the_wrong_unit_or_vague_is_refused(ww: WorkWorld) -> None:
    task = working_task(ww)
    row = services.input_request(actor=ww.w.head, task=task, unit=ww.dept_b, question="Ý kiến?")
    refused(
        "auth.denied",
        lambda: services.input_answer(
            actor=ww.w.officer, input_request=row, position=InputPosition.AGREE
        ),
        error=AuthorityError,
    )
    refused(
        "work.field_required",
        lambda: services.input_answer(
            actor=ww.head_b, input_request=row, position=InputPosition.DISAGREE, answer=" "
        ),
    )
    refused(
        "work.field_required",
        lambda: services.input_answer(actor=ww.head_b, input_request=row, position="maybe"),
    )


def test_silence_after_the_due_date_and_a_late_answer(ww: WorkWorld) -> None:
    task = working_task(ww)
    row = services.input_request(actor=ww.w.head, task=task, unit=ww.dept_b, question="Ý kiến?")
    assert not is_silent(row, row.due_on)
    assert is_silent(row, row.due_on + dt.timedelta(days=1))
    with time_machine.travel(now() + dt.timedelta(days=40), tick=False):
        panel = task_extras(task=task, actor=ww.w.head, today=today())["inputs"]
        assert panel["silent_count"] == 1 and panel["rows"][0]["silent"]
        seq = last_seq()
        row = services.input_answer(actor=ww.head_b, input_request=row, position="agree")
        assert one_new_event(seq).payload["late"] is True
        assert not is_silent(row, today())


def test_lead_marks_an_answer_unclear(ww: WorkWorld) -> None:
    task = working_task(ww)
    row = services.input_request(actor=ww.w.head, task=task, unit=ww.dept_b, question="Ý kiến?")
    refused(
        "work.input_not_answered",
        lambda: services.input_mark_unclear(actor=ww.w.head, input_request=row, note="Chưa rõ"),
    )
    row = services.input_answer(
        actor=ww.head_b, input_request=row, position="agree", answer="Cơ bản đồng ý."
    )
    refused(
        "auth.denied",
        lambda: services.input_mark_unclear(actor=ww.head_b, input_request=row, note="Chưa rõ"),
        error=AuthorityError,
    )
    refused(
        "work.field_required",
        lambda: services.input_mark_unclear(actor=ww.w.head, input_request=row, note=""),
    )
    seq = last_seq()
    row = services.input_mark_unclear(
        actor=ww.w.officer, input_request=row, note="Không nêu đồng ý phần nào."
    )
    event = one_new_event(seq)
    assert event.action == "work.input.marked_unclear" and event.payload["after"]["unclear"]
    assert row.is_unclear
    refused(
        "work.input_unclear_already",
        lambda: services.input_mark_unclear(actor=ww.w.head, input_request=row, note="Lần nữa"),
        error=ConflictError,
    )


# --------------------------------------------------------------------------------------------
# guidance


def test_guidance_goes_to_the_assigning_unit_and_is_answered(ww: WorkWorld) -> None:
    task = working_task(ww)
    seq = last_seq()
    row = services.guidance_request(
        actor=ww.w.officer, task=task, question="Xin ý kiến về phạm vi rà soát."
    )
    event = one_new_event(seq)
    assert event.action == "work.guidance.requested"
    assert (row.superior_unit, row.asking_unit) == (ww.root, ww.dept_a)
    seq = last_seq()
    row = services.guidance_answer(
        actor=ww.city_deputy,
        guidance=row,
        answer="Việc này Sở tự quyết định.",
        within_unit_authority=True,
    )
    event = one_new_event(seq)
    assert event.action == "work.guidance.answered"
    assert event.payload["after"]["within_unit_authority"] is True
    assert row.within_unit_authority and row.answered_by == ww.city_deputy
    refused(
        "work.guidance_answered",
        lambda: services.guidance_answer(actor=ww.city_head, guidance=row, answer="Lại"),
        error=ConflictError,
    )


def test_guidance_who_may_not(ww: WorkWorld) -> None:
    task = working_task(ww)
    refused(
        "auth.denied",
        lambda: services.guidance_request(actor=ww.head_b, task=task, question="Hỏi hộ?"),
        error=AuthorityError,
    )
    row = services.guidance_request(actor=ww.w.head, task=task, question="Xin ý kiến?")
    # Sở A's head approves inside Sở A, not at the city: cannot answer what was sent to the city.
    for who in (ww.w.head, ww.head_b, ww.w.officer):
        refused(
            "auth.denied",
            lambda who=who: services.guidance_answer(actor=who, guidance=row, answer="Tôi trả lời"),
            error=AuthorityError,
        )


def test_guidance_bad_input(ww: WorkWorld) -> None:
    task = working_task(ww)
    refused(
        "work.field_required",
        lambda: services.guidance_request(actor=ww.w.head, task=task, question=""),
    )
    for unit in (ww.dept_b, ww.dept_a, ww.div_a1, ww.w.other_root):
        refused(
            "work.guidance_not_superior",
            lambda unit=unit: services.guidance_request(
                actor=ww.w.head, task=task, question="Xin ý kiến?", superior_unit=unit
            ),
        )
    row = services.guidance_request(actor=ww.w.head, task=task, question="Xin ý kiến?")
    refused(
        "work.field_required",
        lambda: services.guidance_answer(actor=ww.city_head, guidance=row, answer="  "),
    )


def test_repeated_guidance_question_is_flagged(ww: WorkWorld) -> None:
    task = working_task(ww)
    first = services.guidance_request(actor=ww.w.head, task=task, question="Xin ý kiến về mẫu?")
    again = services.guidance_request(actor=ww.w.officer, task=task, question="xin ý kiến về mẫu")
    assert again.repeat_of_id == first.pk


# --------------------------------------------------------------------------------------------
# subtasks


def split(ww: WorkWorld, parent: Task, **kw: Any) -> Task:
    kwargs: dict[str, Any] = {
        "actor": ww.w.head,
        "parent": parent,
        "title": "Rà soát thủ tục của Phòng A1",
        "lead_unit": ww.div_a1,
        "deadline_rule": DeadlineRule.DATE,
        "deadline": parent.deadline,
    }
    kwargs.update(kw)
    return services.subtask_assign(**kwargs)


def test_lead_head_splits_a_subtask_to_a_lower_unit(ww: WorkWorld) -> None:
    parent = working_task(ww)
    seq = last_seq()
    sub = split(ww, parent)
    event = one_new_event(seq)
    assert event.action == "work.task.assigned" and event.payload["after"]["parent_id"] == parent.pk
    assert (sub.parent_id, sub.assigning_unit, sub.lead_unit, sub.assigner) == (
        parent.pk,
        ww.dept_a,
        ww.div_a1,
        ww.w.head,
    )
    assert sub.status == TaskStatus.ASSIGNED and sub.directive_id is None


def test_who_may_not_split(ww: WorkWorld) -> None:
    parent = working_task(ww)
    for who in (ww.w.officer, ww.head_b):
        refused("auth.denied", lambda who=who: split(ww, parent, actor=who), error=AuthorityError)


def test_split_bad_input(ww: WorkWorld) -> None:
    parent = working_task(ww)
    refused(
        "work.subtask_after_parent",
        lambda: split(ww, parent, deadline=parent.deadline + dt.timedelta(days=1)),
    )
    refused("work.subtask_outside", lambda: split(ww, parent, lead_unit=ww.dept_b))
    refused("work.subtask_outside", lambda: split(ww, parent, lead_unit=ww.dept_a))
    refused("work.field_required", lambda: split(ww, parent, title=""))
    waiting = assign(ww, title="Chưa tiếp nhận")
    refused("work.wrong_state", lambda: split(ww, waiting, deadline=waiting.deadline))


def test_roll_up(ww: WorkWorld) -> None:
    parent = working_task(ww)
    soon = add_working_days(today(), 1)
    doing = services.task_accept(actor=ww.w.head, task=split(ww, parent, title="Một"))
    services.task_report_progress(actor=ww.w.head, task=doing, percent=40, text="Đã làm 40%")
    done = services.task_accept(actor=ww.w.head, task=split(ww, parent, title="Hai"))
    services.task_submit(actor=ww.w.head, task=done)
    services.task_approve(
        actor=ww.w.head, task=done, quality_grade="good", effectiveness_grade="effective"
    )
    dropped = split(ww, parent, title="Ba")
    services.task_cancel(actor=ww.w.head, task=dropped, reason="Gộp vào nhiệm vụ Một")
    late = split(ww, parent, title="Bốn", deadline=soon)

    rollup = subtask_rollup(parent, today())
    assert rollup.total == 4
    assert {status: n for status, _label, n in rollup.by_status} == {
        TaskStatus.IN_PROGRESS: 1,
        TaskStatus.COMPLETED: 1,
        TaskStatus.CANCELLED: 1,
        TaskStatus.ASSIGNED: 1,
    }
    assert rollup.average_percent == round((40 + 100 + 0) / 3)
    assert rollup.earliest_overdue is None and not rollup.all_completed

    later = subtask_rollup(parent, soon + dt.timedelta(days=1))
    assert later.earliest_overdue == late and later.overdue_count == 1
    # The parent's own percent is the lead's report, not the roll-up.
    parent.refresh_from_db()
    assert parent.percent == 0


def test_all_completed(ww: WorkWorld) -> None:
    parent = working_task(ww)
    assert not subtask_rollup(parent, today()).all_completed  # no subtask at all
    sub = services.task_accept(actor=ww.w.head, task=split(ww, parent))
    services.task_submit(actor=ww.w.head, task=sub)
    services.task_approve(
        actor=ww.w.head, task=sub, quality_grade="good", effectiveness_grade="effective"
    )
    rollup = subtask_rollup(parent, today())
    assert rollup.all_completed and rollup.average_percent == 100


def test_every_command_wrote_exactly_its_events(ww: WorkWorld) -> None:
    """A whole collaboration, counted: one event per successful command, nothing more."""
    task = working_task(ww)
    seq = last_seq()
    row = services.input_request(actor=ww.w.head, task=task, unit=ww.dept_b, question="Ý kiến?")
    services.input_answer(actor=ww.head_b, input_request=row, position="agree")
    services.input_mark_unclear(actor=ww.w.head, input_request=row, note="Không rõ")
    g = services.guidance_request(actor=ww.w.head, task=task, question="Xin ý kiến?")
    services.guidance_answer(actor=ww.city_head, guidance=g, answer="Thực hiện như đề xuất.")
    split(ww, task)
    actions = list(
        LedgerEvent.objects.filter(seq__gt=seq).order_by("seq").values_list("action", flat=True)
    )
    assert actions == [
        "work.input.requested",
        "work.input.answered",
        "work.input.marked_unclear",
        "work.guidance.requested",
        "work.guidance.answered",
        "work.task.assigned",
    ]
