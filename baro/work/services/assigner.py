"""The assigner side of a task: approve the result with its grades, return it for rework,
cancel the task, decide an extension request.

Who: the assigner, or task.approve (task.assign to cancel) over the assigning unit."""

from __future__ import annotations

from django.utils.translation import gettext as _

from baro.core.errors import AuthorityError, DomainError, NotFoundError
from baro.core.run import command
from baro.core.timeutil import now, today
from baro.ledger.services import record_action
from baro.org.authority import Power
from baro.org.models import Person
from baro.work.models import (
    EffectivenessGrade,
    Extension,
    ExtensionStatus,
    QualityGrade,
    Task,
)
from baro.work.permissions import (
    require_assigner_side,
)
from baro.work.rules import TaskCommand
from baro.work.services import notices
from baro.work.services.common import (
    OBJ_EXTENSION,
    OBJ_TASK,
    choice,
    locked_for,
    locked_task,
    require_state,
    required,
    save_task,
    task_state,
)


@command
def task_approve(
    *, actor: Person, task: Task, quality_grade: str, effectiveness_grade: str, note: str = ""
) -> Task:
    """Approve a submitted result with its quality and effectiveness grades; completed today.

    The assigner, or task.approve over the assigning unit.
    """
    task, decision = locked_for(actor, task, require_assigner_side)
    target = require_state(task, TaskCommand.APPROVE)
    choice(quality_grade, QualityGrade, "quality_grade", _("Mức chất lượng"))
    choice(effectiveness_grade, EffectivenessGrade, "effectiveness_grade", _("Mức hiệu quả"))
    before = task_state(task)
    task.status = target
    task.completed_on = today()
    task.percent = 100
    task.quality_grade = quality_grade
    task.effectiveness_grade = effectiveness_grade
    save_task(task, ["status", "completed_on", "percent", "quality_grade", "effectiveness_grade"])
    notices.tell_result_decided(actor, task, approved=True, note=note.strip())
    record_action(
        actor=actor,
        decision=decision,
        action="work.task.approved",
        object_type=OBJ_TASK,
        object_id=task.pk,
        payload={"before": before, "after": task_state(task), "note": note.strip()},
    )
    return task


@command
def task_return(*, actor: Person, task: Task, reason: str) -> Task:
    """Send a submitted result back for rework (trả lại), with the reason; counted."""
    task, decision = locked_for(actor, task, require_assigner_side)
    target = require_state(task, TaskCommand.RETURN)
    reason = required(reason, "reason", _("lý do trả lại"))
    before = task_state(task)
    task.status = target
    task.return_count += 1
    save_task(task, ["status", "return_count"])
    notices.tell_result_decided(actor, task, approved=False, note=reason)
    record_action(
        actor=actor,
        decision=decision,
        action="work.task.returned",
        object_type=OBJ_TASK,
        object_id=task.pk,
        payload={"before": before, "after": task_state(task), "reason": reason},
    )
    return task


@command
def task_cancel(*, actor: Person, task: Task, reason: str) -> Task:
    """Cancel an unfinished task (not while disputed), with the reason: the assigner, or
    task.assign over the assigning unit."""
    task, decision = locked_for(actor, task, require_assigner_side, Power.TASK_ASSIGN)
    target = require_state(task, TaskCommand.CANCEL)
    reason = required(reason, "reason", _("lý do hủy"))
    before = task_state(task)
    task.status = target
    save_task(task, ["status"])
    # A pending extension request dies with the task: closed as refused, in the same event.
    pending = Extension.objects.filter(task=task, status=ExtensionStatus.REQUESTED)
    closed = list(pending.values_list("pk", flat=True))
    pending.update(
        status=ExtensionStatus.REFUSED,
        decided_by=actor,
        decided_at=now(),
        decision_note="Nhiệm vụ đã bị hủy.",
    )
    notices.tell_cancelled(actor, task, reason)
    record_action(
        actor=actor,
        decision=decision,
        action="work.task.cancelled",
        object_type=OBJ_TASK,
        object_id=task.pk,
        payload={
            "before": before,
            "after": task_state(task),
            "reason": reason,
            "extensions_closed": closed,
        },
    )
    return task


@command
def extension_decide(
    *, actor: Person, extension: Extension, approve: bool, note: str = ""
) -> Extension:
    """Approve (the deadline moves, counted) or refuse (with a written reason) an extension
    request: the assigner, or task.approve over the assigning unit."""
    require_assigner_side(actor, extension.task)
    if extension.requested_by_id == actor.pk:
        # A leader who holds both sides over a task still may not grant themselves more time.
        raise AuthorityError(
            _("Người đề nghị gia hạn không tự quyết định đề nghị của chính mình."),
            code="work.extension_own_request",
        )
    task = locked_task(extension.task)
    decision = require_assigner_side(actor, task)
    try:
        extension = Extension.objects.select_for_update().get(pk=extension.pk)
    except Extension.DoesNotExist as exc:
        raise NotFoundError(_("Không tìm thấy đề nghị gia hạn.")) from exc
    if extension.status != ExtensionStatus.REQUESTED:
        raise DomainError(
            "work.extension_closed", _("Đề nghị gia hạn này đã được quyết định."), field="status"
        )
    require_state(task, TaskCommand.DECIDE_EXTENSION)
    note = note.strip()
    if not approve and not note:
        # Refusing is a written decision too (Công điện 280: no unexplained decisions).
        raise DomainError(
            "work.field_required", _("Chưa nhập lý do không đồng ý gia hạn."), field="note"
        )
    before = task_state(task)
    extension.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
    extension.decided_by = actor
    extension.decided_at = now()
    extension.decision_note = note
    extension.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    if approve:
        # Still later than the deadline: it can only have moved by an approved extension, and
        # a task has one pending request at a time (a database constraint).
        task.deadline = extension.new_deadline
        task.extension_count += 1
        save_task(task, ["deadline", "extension_count"])
    notices.tell_extension_decided(actor, task, extension)
    record_action(
        actor=actor,
        decision=decision,
        action="work.extension.approved" if approve else "work.extension.refused",
        object_type=OBJ_EXTENSION,
        object_id=extension.pk,
        payload={
            "task_id": task.pk,
            "before": before,
            "after": task_state(task),
            "note": note,
        },
    )
    return extension
