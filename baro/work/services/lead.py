"""The lead side of a task: accept (tiếp nhận), refuse (opening an ownership dispute), report
progress, submit the result, ask for an extension.

Who (permissions.require_lead_command, which the task page's buttons ask too): task.handle over
the lead unit, or the task's named officer (not to accept or refuse: taking or refusing the task
is the unit's decision, not the officer's; nor anything before the unit has accepted it)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils.translation import gettext as _

from baro.core.errors import ConflictError, DomainError
from baro.core.run import command
from baro.core.sql import insert_row
from baro.core.timeutil import format_date, today
from baro.ledger.services import record_action
from baro.org.models import Person, Unit
from baro.org.queries import lowest_common_superior
from baro.work.models import (
    Dispute,
    Extension,
    ExtensionStatus,
    ProgressReport,
    Task,
)
from baro.work.permissions import bound_refusal
from baro.work.queries.detail import binding_decision
from baro.work.rules import TaskCommand
from baro.work.services import notices
from baro.work.services.common import (
    OBJ_EXTENSION,
    OBJ_TASK,
    locked_for_lead,
    require_active,
    require_state,
    required,
    save_task,
    task_state,
)
from baro.workdays.calendar import add_working_days

# The head of the lowest common superior decides an ownership dispute within 3 working days of
# the refusal. No legal text we found fixes this figure (verify): it is Baro's default, short
# enough that a task is not left stalled between two units for a week, long enough for a head
# to hear both. An installation changes it with BARO_DISPUTE_DECISION_WORKING_DAYS.
DISPUTE_DECISION_WORKING_DAYS = 3


def dispute_decision_working_days() -> int:
    """The configured time for a dispute decision, in working days (default 3)."""
    return int(
        getattr(settings, "BARO_DISPUTE_DECISION_WORKING_DAYS", DISPUTE_DECISION_WORKING_DAYS)
    )


@command
def task_accept(*, actor: Person, task: Task) -> Task:
    """Accept (tiếp nhận) a task waiting for its lead: task.handle over the lead unit."""
    # Again on the locked row: a dispute decision may have moved the lead meanwhile.
    task, decision = locked_for_lead(actor, task, TaskCommand.ACCEPT)
    target = require_state(task, TaskCommand.ACCEPT)
    before = task_state(task)
    task.status = target
    save_task(task, ["status"])
    record_action(
        actor=actor,
        decision=decision,
        action="work.task.accepted",
        object_type=OBJ_TASK,
        object_id=task.pk,
        payload={"before": before, "after": task_state(task)},
    )
    return task


@command
def task_refuse(*, actor: Person, task: Task, reason: str, proposed_unit: Unit | None) -> Task:
    """Refuse a task as not the lead unit's own, naming the unit that should lead it.

    Opens a dispute for the head of the two units' lowest common superior to decide within
    DISPUTE_DECISION_WORKING_DAYS; the lead stays until then, so the task is never ownerless.
    A unit a dispute decision named cannot refuse again (`work.dispute_final`).
    """
    task, decision = locked_for_lead(actor, task, TaskCommand.REFUSE)
    target = require_state(task, TaskCommand.REFUSE)
    reason = required(reason, "reason", _("lý do từ chối"))
    if proposed_unit is None:
        raise DomainError(
            "work.field_required",
            _(
                "Chưa nêu đơn vị đề xuất chủ trì: không được trả nhiệm vụ mà không chỉ ra đơn vị "
                "có thẩm quyền."
            ),
            field="proposed_unit",
        )
    lead = task.lead_unit
    if proposed_unit.pk == lead.pk:
        raise DomainError(
            "work.proposed_is_lead",
            _("Đơn vị đề xuất phải khác đơn vị đang chủ trì."),
            field="proposed_unit",
        )
    require_active(proposed_unit, today(), "proposed_unit")
    final = bound_refusal(task, binding_decision(task))
    if final:
        raise DomainError("work.dispute_final", final, field="reason")
    decider = lowest_common_superior(lead, proposed_unit)
    if decider is None:
        raise DomainError(
            "work.no_common_superior",
            _("%(lead)s và %(proposed_unit)s không có chung cấp trên trong Baro.")
            % {"lead": lead.name, "proposed_unit": proposed_unit.name},
            field="proposed_unit",
        )
    dispute = Dispute.objects.create(
        task=task,
        refusing_unit=lead,
        refused_by=actor,
        proposed_unit=proposed_unit,
        reason=reason,
        decider_unit=decider,
        deadline=add_working_days(today(), dispute_decision_working_days()),
    )
    notices.tell_dispute_opened(actor, task, dispute)
    before = task_state(task)
    task.status = target
    task.bounce_count += 1
    save_task(task, ["status", "bounce_count"])
    record_action(
        actor=actor,
        decision=decision,
        action="work.task.refused",
        object_type=OBJ_TASK,
        object_id=task.pk,
        payload={
            "before": before,
            "after": task_state(task),
            "dispute": {
                "id": dispute.pk,
                "refusing_unit_id": lead.pk,
                "proposed_unit_id": proposed_unit.pk,
                "reason": reason,
                "decider_unit_id": decider.pk,
                "deadline": dispute.deadline,
            },
        },
    )
    return task


@command
def task_report_progress(
    *, actor: Person, task: Task, percent: int, text: str, blocker: str = ""
) -> ProgressReport:
    """Report progress (and a blocker needing a decision, if any) on a task in progress."""
    task, decision = locked_for_lead(actor, task, TaskCommand.REPORT_PROGRESS)
    require_state(task, TaskCommand.REPORT_PROGRESS)
    text = required(text, "text", _("nội dung báo cáo"))
    if not isinstance(percent, int) or not 0 <= percent <= 100:
        raise DomainError("work.percent_invalid", _("Tiến độ phải từ 0 đến 100%."), field="percent")
    before = task_state(task)
    report = insert_row(
        ProgressReport(
            task=task, author=actor, percent=percent, text=text, blocker=blocker.strip()
        ),
        related=("task", "author"),
    )
    task.percent = percent
    task.last_progress_at = report.created_at
    save_task(task, ["percent", "last_progress_at"])
    record_action(
        actor=actor,
        decision=decision,
        action="work.task.progress_reported",
        object_type=OBJ_TASK,
        object_id=task.pk,
        payload={
            "before": before,
            "after": task_state(task),
            "report": {"id": report.pk, "text": text, "blocker": report.blocker},
        },
    )
    return report


@command
def task_submit(*, actor: Person, task: Task, note: str = "") -> Task:
    """Submit the result of a task in progress for the assigner's approval."""
    task, decision = locked_for_lead(actor, task, TaskCommand.SUBMIT)
    target = require_state(task, TaskCommand.SUBMIT)
    before = task_state(task)
    task.status = target
    save_task(task, ["status"])
    notices.tell_submitted(actor, task, note.strip())
    record_action(
        actor=actor,
        decision=decision,
        action="work.task.submitted",
        object_type=OBJ_TASK,
        object_id=task.pk,
        payload={"before": before, "after": task_state(task), "note": note.strip()},
    )
    return task


@command
def extension_request(
    *, actor: Person, task: Task, new_deadline: dt.date, reason: str
) -> Extension:
    """Ask the assigner to move the deadline to a later `new_deadline` (the lead side).

    One pending request per task at a time.
    """
    task, decision = locked_for_lead(actor, task, TaskCommand.REQUEST_EXTENSION)
    require_state(task, TaskCommand.REQUEST_EXTENSION)
    reason = required(reason, "reason", _("lý do đề nghị gia hạn"))
    if new_deadline <= task.deadline:
        raise DomainError(
            "work.extension_not_later",
            _("Hạn đề nghị phải sau hạn hiện tại %(deadline)s.")
            % {"deadline": format_date(task.deadline)},
            field="new_deadline",
        )
    if Extension.objects.filter(task=task, status=ExtensionStatus.REQUESTED).exists():
        raise ConflictError(
            "work.extension_pending",
            _("Nhiệm vụ đã có một đề nghị gia hạn đang chờ quyết định."),
            field="new_deadline",
        )
    extension = Extension.objects.create(
        task=task,
        requested_by=actor,
        reason=reason,
        old_deadline=task.deadline,
        new_deadline=new_deadline,
    )
    notices.tell_extension_requested(actor, task, extension)
    record_action(
        actor=actor,
        decision=decision,
        action="work.extension.requested",
        object_type=OBJ_EXTENSION,
        object_id=extension.pk,
        payload={
            "task_id": task.pk,
            "before": None,
            "after": {
                "status": extension.status,
                "old_deadline": extension.old_deadline,
                "new_deadline": extension.new_deadline,
                "reason": reason,
            },
        },
    )
    return extension
