"""Collaboration on a task: asking a coordinating unit for its input, and a superior for
guidance (xin ý kiến), and their answers.

Who may do what:
- ask a coordinator for input, mark an answer "no clear position", ask a superior for
  guidance: the lead side (task.handle over the lead unit, or the task's officer);
- answer an input request: task.handle over the coordinating unit asked (its head, deputy or
  officer, or someone above them);
- answer a guidance request: task.approve over the superior unit asked (its head or deputy,
  or a delegate)."""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
from typing import Any

from django.utils.translation import gettext as _

from baro.core.errors import ConflictError, DomainError, NotFoundError
from baro.core.run import command
from baro.core.timeutil import format_date, now, today
from baro.ledger.services import record_action
from baro.org.models import Person, Unit
from baro.work import rules
from baro.work.models import (
    GuidanceRequest,
    InputPosition,
    InputRequest,
    Task,
    TaskCoordinator,
)
from baro.work.permissions import (
    require_guidance_answerer,
    require_input_answerer,
    require_lead_side,
)
from baro.work.queries.extras import default_guidance_superior
from baro.work.services import notices
from baro.work.services.common import (
    OBJ_GUIDANCE,
    OBJ_INPUT,
    clean,
    locked_for,
    locked_task,
    require_active,
    require_state_in,
    required,
    setting_int,
)
from baro.workdays.calendar import add_working_days

DEFAULT_INPUT_ANSWER_WORKING_DAYS = 5
DEFAULT_GUIDANCE_ANSWER_WORKING_DAYS = 5


def question_hash(text: str) -> str:
    """sha256 of a question as people would consider it "the same": Unicode NFC, case-folded,
    whitespace collapsed, closing punctuation dropped."""
    normal = " ".join(unicodedata.normalize("NFC", text).casefold().split()).strip(" .?!;:…")
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def _due_not_past(due_on: dt.date, day: dt.date) -> None:
    if due_on < day:
        raise DomainError(
            "work.due_in_past",
            _("Hạn trả lời %(due_on)s đã qua (hôm nay %(day)s).")
            % {"due_on": format_date(due_on), "day": format_date(day)},
            field="due_on",
        )


def _input_state(row: InputRequest) -> dict[str, Any]:
    return {
        "task_id": row.task_id,
        "unit_id": row.unit_id,
        "due_on": row.due_on,
        "position": row.position,
        "answered_by_id": row.answered_by_id,
        "answered_at": row.answered_at,
        "unclear": row.unclear_marked_at is not None,
        "repeat_of_id": row.repeat_of_id,
    }


def _locked_input(row: InputRequest) -> InputRequest:
    try:
        return InputRequest.objects.select_for_update().get(pk=row.pk)
    except InputRequest.DoesNotExist as exc:
        raise NotFoundError(_("Không tìm thấy yêu cầu xin ý kiến.")) from exc


@command
def input_request(
    *, actor: Person, task: Task, unit: Unit, question: str, due_on: dt.date | None = None
) -> InputRequest:
    """Ask a coordinating unit of `task` for its input by `due_on` (the lead side).

    `due_on` defaults to the coordinator's sub-deadline, or BARO_INPUT_ANSWER_WORKING_DAYS
    working days from today. The same question asked of the same unit again is accepted and
    linked to the first one (repeat_of): consulting the same matter twice is evidence.
    """
    task, decision = locked_for(actor, task, require_lead_side)
    require_state_in(task, rules.CONSULT_STATUSES, _("xin ý kiến đơn vị phối hợp"))
    question = required(question, "question", _("nội dung xin ý kiến"))
    coordinator = TaskCoordinator.objects.filter(task=task, unit=unit).first()
    if coordinator is None:
        raise DomainError(
            "work.not_coordinator",
            _("%(unit)s không phải đơn vị phối hợp của nhiệm vụ này.") % {"unit": unit.name},
            field="unit",
        )
    day = today()
    if due_on is None:
        # The coordinator's own sub-deadline is the date its part was promised for; without
        # one (or once it has passed), the configured number of working days from today.
        if coordinator.sub_deadline is not None and coordinator.sub_deadline >= day:
            due_on = coordinator.sub_deadline
        else:
            due_on = add_working_days(
                day,
                setting_int("BARO_INPUT_ANSWER_WORKING_DAYS", DEFAULT_INPUT_ANSWER_WORKING_DAYS),
            )
    _due_not_past(due_on, day)
    digest = question_hash(question)
    earlier = (
        InputRequest.objects.filter(task=task, unit=unit, question_hash=digest)
        .order_by("requested_at", "pk")
        .first()
    )
    row = InputRequest(
        task=task,
        unit=unit,
        requested_by=actor,
        question=question,
        question_hash=digest,
        repeat_of=earlier,
        due_on=due_on,
    )
    clean(row, exclude=["task", "unit", "requested_by", "repeat_of"])
    row.save(force_insert=True)
    notices.tell_input_requested(actor, task, row)
    record_action(
        actor=actor,
        decision=decision,
        action="work.input.requested",
        object_type=OBJ_INPUT,
        object_id=row.pk,
        payload={"before": None, "after": _input_state(row), "question": question},
    )
    return row


@command
def input_answer(
    *, actor: Person, input_request: InputRequest, position: str, answer: str = ""
) -> InputRequest:
    """Answer an input request for the coordinating unit asked (task.handle over it), once.

    A late answer is accepted and recorded as late; disagreeing or agreeing with changes must
    say what.
    """
    unit = Unit.objects.get(pk=input_request.unit_id)
    require_input_answerer(actor, unit)
    task = locked_task(input_request.task)
    row = _locked_input(input_request)
    decision = require_input_answerer(actor, unit)
    if task.status in rules.TERMINAL_STATUSES:
        require_state_in(task, frozenset(rules.OPEN_STATUSES), _("trả lời xin ý kiến"))
    if row.is_answered:
        raise ConflictError(
            "work.input_answered", _("Yêu cầu xin ý kiến này đã được trả lời."), field="position"
        )
    if position not in InputPosition.values:
        raise DomainError(
            "work.field_required", _("Chưa chọn ý kiến (đồng ý, không đồng ý…)."), field="position"
        )
    answer = (answer or "").strip()
    if position != InputPosition.AGREE and not answer:
        # Disagreeing or asking for changes without saying what is the vague answer the
        # Công điện names; a plain agreement needs no text.
        raise DomainError(
            "work.field_required",
            _("Chưa nhập nội dung trả lời: không đồng ý hoặc đề nghị sửa đổi phải nêu rõ."),
            field="answer",
        )
    before = _input_state(row)
    row.position = position
    row.answer = answer
    row.answered_by = actor
    row.answered_at = now()
    row.save(update_fields=["position", "answer", "answered_by", "answered_at"])
    notices.tell_input_answered(actor, task, row)
    day = today()
    record_action(
        actor=actor,
        decision=decision,
        action="work.input.answered",
        object_type=OBJ_INPUT,
        object_id=row.pk,
        payload={
            "before": before,
            "after": _input_state(row),
            "answer": answer,
            "late": day > row.due_on,
        },
    )
    return row


@command
def input_mark_unclear(*, actor: Person, input_request: InputRequest, note: str) -> InputRequest:
    """Record that a coordinator's answer gives no clear position (the lead side), with why."""
    require_lead_side(actor, input_request.task)
    task = locked_task(input_request.task)
    decision = require_lead_side(actor, task)
    row = _locked_input(input_request)
    note = required(note, "note", _("nhận xét về ý kiến chưa rõ"))
    if not row.is_answered:
        raise DomainError(
            "work.input_not_answered",
            _("Đơn vị phối hợp chưa trả lời, chưa thể đánh dấu ý kiến chưa rõ."),
            field="note",
        )
    if row.is_unclear:
        raise ConflictError(
            "work.input_unclear_already", _("Ý kiến này đã được đánh dấu chưa rõ."), field="note"
        )
    before = _input_state(row)
    row.unclear_marked_by = actor
    row.unclear_marked_at = now()
    row.unclear_note = note
    row.save(update_fields=["unclear_marked_by", "unclear_marked_at", "unclear_note"])
    record_action(
        actor=actor,
        decision=decision,
        action="work.input.marked_unclear",
        object_type=OBJ_INPUT,
        object_id=row.pk,
        payload={"before": before, "after": _input_state(row), "note": note},
    )
    return row


def _guidance_state(row: GuidanceRequest) -> dict[str, Any]:
    return {
        "task_id": row.task_id,
        "asking_unit_id": row.asking_unit_id,
        "superior_unit_id": row.superior_unit_id,
        "due_on": row.due_on,
        "answered_by_id": row.answered_by_id,
        "answered_at": row.answered_at,
        "within_unit_authority": row.within_unit_authority,
        "repeat_of_id": row.repeat_of_id,
    }


@command
def guidance_request(
    *,
    actor: Person,
    task: Task,
    question: str,
    superior_unit: Unit | None = None,
    due_on: dt.date | None = None,
) -> GuidanceRequest:
    """Ask a superior unit of the lead unit for guidance (xin ý kiến chỉ đạo), the lead side.

    `superior_unit` defaults to the assigning unit (or the lead's parent); it must be an
    ancestor of the lead unit. The same question on the same task again is accepted and linked
    to the first one (repeat_of).
    """
    task, decision = locked_for(actor, task, require_lead_side)
    require_state_in(task, rules.CONSULT_STATUSES, _("xin ý kiến chỉ đạo"))
    question = required(question, "question", _("nội dung xin ý kiến"))
    lead = task.lead_unit
    superior = superior_unit or default_guidance_superior(task)
    if superior is None:
        raise DomainError(
            "work.no_superior",
            _("%(lead)s không có cấp trên trong Baro để xin ý kiến.") % {"lead": lead.name},
            field="superior_unit",
        )
    if superior.pk == lead.pk or superior.pk not in lead.ancestor_ids:
        raise DomainError(
            "work.guidance_not_superior",
            _("%(superior)s không phải cấp trên của %(lead)s: chỉ xin ý kiến chỉ đạo cấp trên.")
            % {"superior": superior.name, "lead": lead.name},
            field="superior_unit",
        )
    day = today()
    require_active(superior, day, "superior_unit")
    if due_on is None:
        due_on = add_working_days(
            day,
            setting_int("BARO_GUIDANCE_ANSWER_WORKING_DAYS", DEFAULT_GUIDANCE_ANSWER_WORKING_DAYS),
        )
    _due_not_past(due_on, day)
    digest = question_hash(question)
    earlier = (
        GuidanceRequest.objects.filter(task=task, question_hash=digest)
        .order_by("asked_at", "pk")
        .first()
    )
    row = GuidanceRequest(
        task=task,
        asking_unit=lead,
        superior_unit=superior,
        asked_by=actor,
        question=question,
        question_hash=digest,
        repeat_of=earlier,
        due_on=due_on,
    )
    clean(row, exclude=["task", "asking_unit", "superior_unit", "asked_by", "repeat_of"])
    row.save(force_insert=True)
    notices.tell_guidance_requested(actor, task, row)
    record_action(
        actor=actor,
        decision=decision,
        action="work.guidance.requested",
        object_type=OBJ_GUIDANCE,
        object_id=row.pk,
        payload={"before": None, "after": _guidance_state(row), "question": question},
    )
    return row


@command
def guidance_answer(
    *, actor: Person, guidance: GuidanceRequest, answer: str, within_unit_authority: bool = False
) -> GuidanceRequest:
    """Answer a guidance request, once: task.approve over the superior unit asked.

    `within_unit_authority` records that the matter was the asking unit's own to decide
    ("thuộc thẩm quyền của đơn vị"): evidence for the avoidance detectors.
    """
    superior = Unit.objects.get(pk=guidance.superior_unit_id)
    require_guidance_answerer(actor, superior)
    task = locked_task(guidance.task)
    try:
        row = GuidanceRequest.objects.select_for_update().get(pk=guidance.pk)
    except GuidanceRequest.DoesNotExist as exc:
        raise NotFoundError(_("Không tìm thấy yêu cầu xin ý kiến chỉ đạo.")) from exc
    decision = require_guidance_answerer(actor, superior)
    if row.is_answered:
        raise ConflictError(
            "work.guidance_answered", _("Yêu cầu xin ý kiến này đã được trả lời."), field="answer"
        )
    answer = required(answer, "answer", _("ý kiến chỉ đạo"))
    before = _guidance_state(row)
    row.answer = answer
    row.within_unit_authority = bool(within_unit_authority)
    row.answered_by = actor
    row.answered_at = now()
    row.save(update_fields=["answer", "within_unit_authority", "answered_by", "answered_at"])
    notices.tell_guidance_answered(actor, task, row)
    record_action(
        actor=actor,
        decision=decision,
        action="work.guidance.answered",
        object_type=OBJ_GUIDANCE,
        object_id=row.pk,
        payload={
            "before": before,
            "after": _guidance_state(row),
            "answer": answer,
            "late": today() > row.due_on,
        },
    )
    return row
