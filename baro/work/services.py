"""Commands of directives and tasks: the only code that changes them.

Like baro.org.services, every public command is keyword-only, takes the acting `actor: Person`,
runs in its own durable transaction around a private `_…` function (so that later commands, an
importer or the demo can compose them in one transaction), authorises first, re-reads the task
with select_for_update, checks the transitions map (baro.work.rules), validates (DomainError
with a stable code, a Vietnamese message and the field at fault), writes, and appends exactly
one ledger event `work.<noun>.<verb>` with the before/after of the change.

Who may do what:
- register a directive: directive.register or directive.issue over the issuing unit;
- assign: task.assign over the assigning unit, and the lead (and every coordinator) inside the
  assigning unit's subtree: one assigns only downward, through the unit one holds power in;
- accept, refuse, report, submit, ask for an extension (the lead side): task.handle over the
  lead unit, or being the task's named officer (not for accept and refuse: taking or refusing
  the task is the unit's decision, not the officer's);
- approve, return, decide an extension, cancel (the assigner side): the assigner, or
  task.approve (task.assign for cancel) over the assigning unit;
- decide a dispute: only the current head of the lowest common superior, or a person that head
  delegated dispute.decide to (the event then names the head as on_behalf_of).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
import unicodedata
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import DatabaseError, IntegrityError, models, transaction

from baro.core.errors import AuthorityError, ConflictError, DomainError, NotFoundError
from baro.core.sql import insert_row, locked_row
from baro.core.timeutil import format_date, now, today
from baro.core.validation import clean_fields, required_text
from baro.ledger.services import record_action
from baro.org import authority
from baro.org.authority import Decision, Power
from baro.org.models import Person, Unit, system_person
from baro.org.queries import lowest_common_superior
from baro.work import rules
from baro.work.models import (
    Attachment,
    DeadlineRule,
    Directive,
    DirectiveKind,
    Dispute,
    DisputeStatus,
    EffectivenessGrade,
    Extension,
    ExtensionStatus,
    GuidanceRequest,
    InputPosition,
    InputRequest,
    Priority,
    ProgressReport,
    QualityGrade,
    Task,
    TaskCoordinator,
    TaskGroup,
    TaskStatus,
)
from baro.work.permissions import (
    require_assigner_side as _require_assigner_side,
)
from baro.work.permissions import (
    require_directive_side,
)
from baro.work.permissions import (
    require_dispute_decider as _require_dispute_decider,
)
from baro.work.permissions import (
    require_lead_side as _require_lead_side,
)
from baro.work.rules import TaskCommand
from baro.workdays.calendar import add_calendar_days, add_working_days, period_end

OBJ_DIRECTIVE = "work.directive"
OBJ_TASK = "work.task"
OBJ_DISPUTE = "work.dispute"
OBJ_EXTENSION = "work.extension"

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


__all__ = [
    "DISPUTE_DECISION_WORKING_DAYS",
    "CoordinatorSpec",
    "attachment_add",
    "compute_deadline",
    "directive_register",
    "dispute_decide",
    "dispute_decision_working_days",
    "extension_decide",
    "extension_request",
    "guidance_answer",
    "guidance_request",
    "input_answer",
    "input_mark_unclear",
    "input_request",
    "require_task_participant",
    "subtask_assign",
    "task_accept",
    "task_approve",
    "task_assign",
    "task_cancel",
    "task_refuse",
    "task_report_progress",
    "task_return",
    "task_submit",
]


@dataclass(frozen=True)
class CoordinatorSpec:
    """A coordinating unit as given to task_assign: (unit, part, sub_deadline) also works."""

    unit: Unit
    part: str = ""
    sub_deadline: dt.date | None = None


# --------------------------------------------------------------------------------------------
# helpers


_clean = partial(clean_fields, area="work")
_required = partial(required_text, area="work")
_event = record_action


def _choice(value: str, choices: type[models.TextChoices], field: str, label: str) -> str:
    if value not in choices.values:
        raise DomainError("work.invalid_choice", f"{label} “{value}” không hợp lệ.", field=field)
    return value


def _in_subtree(unit: Unit, root: Unit) -> bool:
    return unit.path.startswith(root.path)


def _active(unit: Unit, day: dt.date, field: str) -> None:
    if not unit.is_active_on(day):
        raise DomainError(
            "work.unit_inactive",
            f"Đơn vị {unit.name} không còn hiệu lực vào ngày {format_date(day)}.",
            field=field,
        )


def _locked_task(task: Task) -> Task:
    try:
        return locked_row(Task, task.pk, related="lead_unit")
    except Task.DoesNotExist as exc:
        raise NotFoundError("Không tìm thấy nhiệm vụ.") from exc


def _authority_inputs(task: Task) -> tuple[int | None, ...]:
    """What the lead-side and assigner-side checks read from a task."""
    return (task.lead_unit_id, task.officer_id, task.assigner_id, task.assigning_unit_id)


def _locked_for(
    actor: Person, task: Task, check: Callable[..., Decision], *args: Any, **kwargs: Any
) -> tuple[Task, Decision]:
    """Authorise on the task as given, lock and re-read it, and authorise again only if what
    the check reads changed meanwhile (a dispute decision may have moved the lead): the same
    question on the same row inside one transaction gets the same answer, and asking it twice
    was a fifth of a transition's time."""
    first = check(actor, task, *args, **kwargs)
    locked = _locked_task(task)
    if _authority_inputs(locked) == _authority_inputs(task):
        return locked, first
    return locked, check(actor, locked, *args, **kwargs)


def _require_state(task: Task, command: str) -> str:
    """The status `command` leads to from the task's current status, or `work.wrong_state`."""
    if not rules.is_allowed(task.status, command):
        raise DomainError(
            "work.wrong_state",
            f"Không thể {TaskCommand(command).label.lower()} nhiệm vụ đang ở trạng thái "
            f"“{TaskStatus(task.status).label}”.",
            field="status",
            details={"status": task.status, "command": command},
        )
    return rules.target_status(task.status, command)


def _task_state(task: Task) -> dict[str, Any]:
    return {
        "status": task.status,
        "lead_unit_id": task.lead_unit_id,
        "officer_id": task.officer_id,
        "deadline": task.deadline,
        "percent": task.percent,
        "completed_on": task.completed_on,
        "quality_grade": task.quality_grade,
        "effectiveness_grade": task.effectiveness_grade,
        "extension_count": task.extension_count,
        "bounce_count": task.bounce_count,
        "return_count": task.return_count,
    }


def _task_full_state(task: Task, coordinators: Sequence[TaskCoordinator]) -> dict[str, Any]:
    return {
        **_task_state(task),
        "title": task.title,
        "description": task.description,
        "expected_output": task.expected_output,
        "quality_criteria": task.quality_criteria,
        "priority": task.priority,
        "is_new_difficult": task.is_new_difficult,
        "is_innovation": task.is_innovation,
        "directive_id": task.directive_id,
        "group_id": task.group_id,
        "parent_id": task.parent_id,
        "assigner_id": task.assigner_id,
        "assigning_unit_id": task.assigning_unit_id,
        "assigned_on": task.assigned_on,
        "deadline_rule": task.deadline_rule,
        "deadline_days": task.deadline_days,
        "deadline_period": (
            [task.deadline_period_kind, task.deadline_period_year, task.deadline_period_number]
            if task.deadline_rule == DeadlineRule.PERIOD
            else None
        ),
        "coordinators": [
            {"unit_id": c.unit_id, "part": c.part, "sub_deadline": c.sub_deadline}
            for c in coordinators
        ],
    }


_TASK_RELATIONS = [f.name for f in Task._meta.fields if f.is_relation]


def _save_task(task: Task, fields: list[str]) -> None:
    # Only the changed fields are validated: the others were valid when stored, and the
    # database's constraints stand behind every row (re-checking four foreign keys per
    # transition was a third of its time).
    _clean(task, exclude=[f.name for f in Task._meta.fields if f.name not in fields])
    task.save(update_fields=fields)


# --- authority ------------------------------------------------------------------------------


# --------------------------------------------------------------------------------------------
# directives


def _directive_state(directive: Directive, groups: Sequence[TaskGroup]) -> dict[str, Any]:
    return {
        "number_symbol": directive.number_symbol,
        "kind": directive.kind,
        "issuing_unit_id": directive.issuing_unit_id,
        "signer_id": directive.signer_id,
        "signed_on": directive.signed_on,
        "title": directive.title,
        "summary": directive.summary,
        "requires_cascade": directive.requires_cascade,
        "plan_days": directive.plan_days,
        "deploy_days": directive.deploy_days,
        "groups": [{"id": g.pk, "name": g.name, "order": g.order} for g in groups],
    }


def _directive_register(
    *,
    actor: Person,
    number_symbol: str,
    kind: str,
    issuing_unit: Unit,
    signed_on: dt.date,
    title: str,
    signer: Person | None = None,
    summary: str = "",
    requires_cascade: bool = False,
    plan_days: int | None = None,
    deploy_days: int | None = None,
    groups: Sequence[str] = (),
) -> Directive:
    decision = require_directive_side(actor, issuing_unit)
    number_symbol = " ".join(_required(number_symbol, "number_symbol", "số, ký hiệu").split())
    title = _required(title, "title", "trích yếu")
    _choice(kind, DirectiveKind, "kind", "Loại văn bản")
    if plan_days is None:
        plan_days = settings.BARO_CASCADE_PLAN_DAYS
    if deploy_days is None:
        deploy_days = settings.BARO_CASCADE_DEPLOY_DAYS
    if signed_on > today():
        raise DomainError(
            "work.signed_in_future", "Ngày ký không được sau ngày hôm nay.", field="signed_on"
        )
    if plan_days < 1 or deploy_days < plan_days:
        raise DomainError(
            "work.cascade_days_invalid",
            "Số ngày ban hành kế hoạch phải từ 1 trở lên và không lớn hơn số ngày triển khai.",
            field="plan_days" if plan_days < 1 else "deploy_days",
        )
    names = [name.strip() for name in groups]
    if any(not name for name in names):
        raise DomainError("work.field_required", "Chưa nhập tên nhóm nhiệm vụ.", field="groups")
    if Directive.objects.filter(
        issuing_unit=issuing_unit, number_symbol=number_symbol, signed_on__year=signed_on.year
    ).exists():
        raise ConflictError(
            "work.directive_duplicate",
            f"{issuing_unit.name} đã có văn bản số {number_symbol} năm {signed_on.year}.",
            field="number_symbol",
        )
    directive = Directive(
        number_symbol=number_symbol,
        kind=kind,
        issuing_unit=issuing_unit,
        signer=signer,
        signed_on=signed_on,
        title=title,
        summary=summary,
        requires_cascade=requires_cascade,
        plan_days=plan_days,
        deploy_days=deploy_days,
        registered_by=actor,
    )
    _clean(directive)
    try:
        with transaction.atomic():
            directive.save(force_insert=True)
    except IntegrityError as exc:  # a concurrent registration of the same number
        raise ConflictError(
            "work.directive_duplicate",
            f"{issuing_unit.name} đã có văn bản số {number_symbol} năm {signed_on.year}.",
            field="number_symbol",
        ) from exc
    created = [
        TaskGroup.objects.create(directive=directive, name=name, order=index)
        for index, name in enumerate(names, start=1)
    ]
    _event(
        actor=actor,
        decision=decision,
        action="work.directive.registered",
        object_type=OBJ_DIRECTIVE,
        object_id=directive.pk,
        payload={"before": None, "after": _directive_state(directive, created)},
    )
    return directive


@transaction.atomic
def directive_register(
    *,
    actor: Person,
    number_symbol: str,
    kind: str,
    issuing_unit: Unit,
    signed_on: dt.date,
    title: str,
    signer: Person | None = None,
    summary: str = "",
    requires_cascade: bool = False,
    plan_days: int | None = None,
    deploy_days: int | None = None,
    groups: Sequence[str] = (),
) -> Directive:
    """Register a directing document of `issuing_unit`, with its task groups, as one event.

    directive.register (the secretariat) or directive.issue (the leader) over `issuing_unit`.
    The same number may come back in another year, never twice in one year of one unit.
    """
    return _directive_register(
        actor=actor,
        number_symbol=number_symbol,
        kind=kind,
        issuing_unit=issuing_unit,
        signed_on=signed_on,
        title=title,
        signer=signer,
        summary=summary,
        requires_cascade=requires_cascade,
        plan_days=plan_days,
        deploy_days=deploy_days,
        groups=groups,
    )


# --------------------------------------------------------------------------------------------
# assignment


def compute_deadline(
    *,
    assigned_on: dt.date,
    rule: str,
    days: int | None = None,
    on: dt.date | None = None,
    period_kind: str = "",
    period_year: int | None = None,
    period_number: int | None = None,
) -> dt.date:
    """The deadline a rule gives for a task assigned on `assigned_on`.

    date: `on` itself; calendar_days: `days` after, moved off a day off to the next working day
    (BLDS 2015, Điều 148); working_days: the `days`-th working day after; period: the period's
    last day ("trong quý III/2026" → 30/09/2026), moved off a day off likewise.
    """
    if rule == DeadlineRule.DATE:
        if on is None:
            raise DomainError("work.field_required", "Chưa nhập hạn xử lý.", field="deadline")
        return on
    if rule in (DeadlineRule.CALENDAR_DAYS, DeadlineRule.WORKING_DAYS):
        if days is None or days < 1:
            raise DomainError(
                "work.deadline_days_invalid", "Số ngày phải từ 1 trở lên.", field="deadline_days"
            )
        if rule == DeadlineRule.CALENDAR_DAYS:
            return add_calendar_days(assigned_on, days)
        return add_working_days(assigned_on, days)
    if rule == DeadlineRule.PERIOD:
        try:
            end = period_end(period_kind, period_year or 0, period_number)
        except ValueError as exc:
            raise DomainError(
                "work.period_invalid", "Kỳ hạn không hợp lệ.", field="deadline_period"
            ) from exc
        return add_calendar_days(end, 0)
    raise DomainError(
        "work.invalid_choice", f"Cách tính hạn “{rule}” không hợp lệ.", field="deadline_rule"
    )


def _coordinator_specs(
    items: Sequence[CoordinatorSpec | tuple[Unit, str, dt.date | None]],
) -> list[CoordinatorSpec]:
    return [item if isinstance(item, CoordinatorSpec) else CoordinatorSpec(*item) for item in items]


def _task_assign(
    *,
    actor: Person,
    title: str,
    lead_unit: Unit,
    assigning_unit: Unit,
    deadline_rule: str,
    deadline: dt.date | None = None,
    deadline_days: int | None = None,
    deadline_period_kind: str = "",
    deadline_period_year: int | None = None,
    deadline_period_number: int | None = None,
    directive: Directive | None = None,
    group: TaskGroup | None = None,
    parent: Task | None = None,
    coordinators: Sequence[CoordinatorSpec | tuple[Unit, str, dt.date | None]] = (),
    officer: Person | None = None,
    description: str = "",
    expected_output: str = "",
    quality_criteria: str = "",
    priority: str = Priority.NORMAL,
    is_new_difficult: bool = False,
    is_innovation: bool = False,
) -> Task:
    decision = authority.require(actor, Power.TASK_ASSIGN, assigning_unit)
    day = today()
    title = _required(title, "title", "tên nhiệm vụ")
    _choice(priority, Priority, "priority", "Mức độ ưu tiên")
    _choice(deadline_rule, DeadlineRule, "deadline_rule", "Cách tính hạn")
    _active(assigning_unit, day, "assigning_unit")
    _active(lead_unit, day, "lead_unit")
    if not _in_subtree(lead_unit, assigning_unit):
        raise AuthorityError(
            f"{lead_unit.name} không thuộc {assigning_unit.name}: chỉ giao nhiệm vụ cho đơn vị "
            "trực thuộc.",
            code="work.lead_outside",
            details={"power": Power.TASK_ASSIGN, "unit": lead_unit.code},
        )
    due = compute_deadline(
        assigned_on=day,
        rule=deadline_rule,
        days=deadline_days,
        on=deadline,
        period_kind=deadline_period_kind,
        period_year=deadline_period_year,
        period_number=deadline_period_number,
    )
    if due < day:
        raise DomainError(
            "work.deadline_before_assignment",
            f"Hạn xử lý {format_date(due)} trước ngày giao {format_date(day)}.",
            field="deadline",
        )
    specs = _coordinator_specs(coordinators)
    seen: set[int] = set()
    for spec in specs:
        if spec.unit.pk == lead_unit.pk:
            raise DomainError(
                "work.coordinator_is_lead",
                f"{lead_unit.name} đã là đơn vị chủ trì, không thể đồng thời là đơn vị phối hợp.",
                field="coordinators",
            )
        if spec.unit.pk in seen:
            raise DomainError(
                "work.coordinator_duplicate",
                f"{spec.unit.name} được nêu hai lần trong các đơn vị phối hợp.",
                field="coordinators",
            )
        seen.add(spec.unit.pk)
        _active(spec.unit, day, "coordinators")
        if not _in_subtree(spec.unit, assigning_unit):
            raise AuthorityError(
                f"{spec.unit.name} không thuộc {assigning_unit.name}.",
                code="work.coordinator_outside",
                details={"power": Power.TASK_ASSIGN, "unit": spec.unit.code},
            )
        if spec.sub_deadline is not None and not day <= spec.sub_deadline <= due:
            raise DomainError(
                "work.sub_deadline_invalid",
                f"Hạn phối hợp của {spec.unit.name} phải từ ngày giao đến hạn của nhiệm vụ.",
                field="coordinators",
            )
    if officer is not None and not (
        officer.is_active
        and any(
            position.unit.path.startswith(lead_unit.path)
            for position in authority.positions_held(officer, day)
        )
    ):
        raise DomainError(
            "work.officer_outside",
            f"{officer.full_name} không công tác tại {lead_unit.name}.",
            field="officer",
        )
    if group is not None and (directive is None or group.directive_id != directive.pk):
        raise DomainError(
            "work.group_mismatch",
            "Nhóm nhiệm vụ không thuộc văn bản chỉ đạo đã chọn.",
            field="group",
        )
    if parent is not None:
        parent = _locked_task(parent)
        if parent.status in rules.TERMINAL_STATUSES:
            raise DomainError(
                "work.parent_closed",
                "Nhiệm vụ cha đã kết thúc, không giao thêm nhiệm vụ con.",
                field="parent",
            )
    is_period = deadline_rule == DeadlineRule.PERIOD
    task = Task(
        directive=directive,
        group=group,
        parent=parent,
        title=title,
        description=description,
        expected_output=expected_output,
        quality_criteria=quality_criteria,
        priority=priority,
        is_new_difficult=is_new_difficult,
        is_innovation=is_innovation,
        assigner=actor,
        assigning_unit=assigning_unit,
        lead_unit=lead_unit,
        officer=officer,
        status=TaskStatus.ASSIGNED,
        deadline=due,
        deadline_rule=deadline_rule,
        deadline_days=deadline_days
        if deadline_rule in (DeadlineRule.CALENDAR_DAYS, DeadlineRule.WORKING_DAYS)
        else None,
        deadline_period_kind=deadline_period_kind if is_period else "",
        deadline_period_year=deadline_period_year if is_period else None,
        deadline_period_number=deadline_period_number if is_period else None,
        assigned_on=day,
    )
    # Related rows were passed in as loaded instances and the database's foreign keys stand
    # behind them: validating them again would cost a query each.
    _clean(task, exclude=_TASK_RELATIONS)
    task = insert_row(task, related=_TASK_RELATIONS)
    rows = (
        TaskCoordinator.objects.bulk_create(
            [
                TaskCoordinator(task=task, unit=s.unit, part=s.part, sub_deadline=s.sub_deadline)
                for s in specs
            ]
        )
        if specs
        else []
    )
    _event(
        actor=actor,
        decision=decision,
        action="work.task.assigned",
        object_type=OBJ_TASK,
        object_id=task.pk,
        payload={"before": None, "after": _task_full_state(task, rows)},
    )
    return task


@transaction.atomic
def task_assign(
    *,
    actor: Person,
    title: str,
    lead_unit: Unit,
    assigning_unit: Unit,
    deadline_rule: str,
    deadline: dt.date | None = None,
    deadline_days: int | None = None,
    deadline_period_kind: str = "",
    deadline_period_year: int | None = None,
    deadline_period_number: int | None = None,
    directive: Directive | None = None,
    group: TaskGroup | None = None,
    parent: Task | None = None,
    coordinators: Sequence[CoordinatorSpec | tuple[Unit, str, dt.date | None]] = (),
    officer: Person | None = None,
    description: str = "",
    expected_output: str = "",
    quality_criteria: str = "",
    priority: str = Priority.NORMAL,
    is_new_difficult: bool = False,
    is_innovation: bool = False,
) -> Task:
    """Assign a task to exactly one `lead_unit`, through `assigning_unit`.

    The actor holds task.assign over `assigning_unit`; the lead and every coordinator are in its
    subtree; the deadline comes from `deadline_rule` ("date" with `deadline`, "calendar_days" or
    "working_days" with `deadline_days`, "period" with `deadline_period_*`) counted from today
    and may not precede today. `coordinators` are CoordinatorSpec or (unit, part, sub_deadline).
    """
    return _task_assign(
        actor=actor,
        title=title,
        lead_unit=lead_unit,
        assigning_unit=assigning_unit,
        deadline_rule=deadline_rule,
        deadline=deadline,
        deadline_days=deadline_days,
        deadline_period_kind=deadline_period_kind,
        deadline_period_year=deadline_period_year,
        deadline_period_number=deadline_period_number,
        directive=directive,
        group=group,
        parent=parent,
        coordinators=coordinators,
        officer=officer,
        description=description,
        expected_output=expected_output,
        quality_criteria=quality_criteria,
        priority=priority,
        is_new_difficult=is_new_difficult,
        is_innovation=is_innovation,
    )


# --------------------------------------------------------------------------------------------
# the lead side


def _task_accept(*, actor: Person, task: Task) -> Task:
    # Again on the locked row: a dispute decision may have moved the lead meanwhile.
    task, decision = _locked_for(actor, task, _require_lead_side, officer_may=False)
    target = _require_state(task, TaskCommand.ACCEPT)
    before = _task_state(task)
    task.status = target
    _save_task(task, ["status"])
    _event(
        actor=actor,
        decision=decision,
        action="work.task.accepted",
        object_type=OBJ_TASK,
        object_id=task.pk,
        payload={"before": before, "after": _task_state(task)},
    )
    return task


@transaction.atomic
def task_accept(*, actor: Person, task: Task) -> Task:
    """Accept (tiếp nhận) a task waiting for its lead: task.handle over the lead unit."""
    return _task_accept(actor=actor, task=task)


def _task_refuse(*, actor: Person, task: Task, reason: str, proposed_unit: Unit | None) -> Task:
    task, decision = _locked_for(actor, task, _require_lead_side, officer_may=False)
    target = _require_state(task, TaskCommand.REFUSE)
    reason = _required(reason, "reason", "lý do từ chối")
    if proposed_unit is None:
        raise DomainError(
            "work.field_required",
            "Chưa nêu đơn vị đề xuất chủ trì: không được trả nhiệm vụ mà không chỉ ra đơn vị "
            "có thẩm quyền.",
            field="proposed_unit",
        )
    lead = task.lead_unit
    if proposed_unit.pk == lead.pk:
        raise DomainError(
            "work.proposed_is_lead",
            "Đơn vị đề xuất phải khác đơn vị đang chủ trì.",
            field="proposed_unit",
        )
    _active(proposed_unit, today(), "proposed_unit")
    if Dispute.objects.filter(task=task, status=DisputeStatus.DECIDED, decided_unit=lead).exists():
        raise DomainError(
            "work.dispute_final",
            f"Cấp có thẩm quyền đã quyết định {lead.name} chủ trì nhiệm vụ này; quyết định có "
            "hiệu lực bắt buộc, không được từ chối lại.",
            field="reason",
        )
    decider = lowest_common_superior(lead, proposed_unit)
    if decider is None:
        raise DomainError(
            "work.no_common_superior",
            f"{lead.name} và {proposed_unit.name} không có chung cấp trên trong Baro.",
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
    before = _task_state(task)
    task.status = target
    task.bounce_count += 1
    _save_task(task, ["status", "bounce_count"])
    _event(
        actor=actor,
        decision=decision,
        action="work.task.refused",
        object_type=OBJ_TASK,
        object_id=task.pk,
        payload={
            "before": before,
            "after": _task_state(task),
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


@transaction.atomic
def task_refuse(*, actor: Person, task: Task, reason: str, proposed_unit: Unit | None) -> Task:
    """Refuse a task as not the lead unit's own, naming the unit that should lead it.

    Opens a dispute for the head of the two units' lowest common superior to decide within
    DISPUTE_DECISION_WORKING_DAYS; the lead stays until then, so the task is never ownerless.
    A unit a dispute decision named cannot refuse again (`work.dispute_final`).
    """
    return _task_refuse(actor=actor, task=task, reason=reason, proposed_unit=proposed_unit)


def _task_report_progress(
    *, actor: Person, task: Task, percent: int, text: str, blocker: str = ""
) -> ProgressReport:
    task, decision = _locked_for(actor, task, _require_lead_side)
    _require_state(task, TaskCommand.REPORT_PROGRESS)
    text = _required(text, "text", "nội dung báo cáo")
    if not isinstance(percent, int) or not 0 <= percent <= 100:
        raise DomainError("work.percent_invalid", "Tiến độ phải từ 0 đến 100%.", field="percent")
    before = _task_state(task)
    report = insert_row(
        ProgressReport(
            task=task, author=actor, percent=percent, text=text, blocker=blocker.strip()
        ),
        related=("task", "author"),
    )
    task.percent = percent
    task.last_progress_at = report.created_at
    _save_task(task, ["percent", "last_progress_at"])
    _event(
        actor=actor,
        decision=decision,
        action="work.task.progress_reported",
        object_type=OBJ_TASK,
        object_id=task.pk,
        payload={
            "before": before,
            "after": _task_state(task),
            "report": {"id": report.pk, "text": text, "blocker": report.blocker},
        },
    )
    return report


@transaction.atomic
def task_report_progress(
    *, actor: Person, task: Task, percent: int, text: str, blocker: str = ""
) -> ProgressReport:
    """Report progress (and a blocker needing a decision, if any) on a task in progress."""
    return _task_report_progress(
        actor=actor, task=task, percent=percent, text=text, blocker=blocker
    )


def _task_submit(*, actor: Person, task: Task, note: str = "") -> Task:
    task, decision = _locked_for(actor, task, _require_lead_side)
    target = _require_state(task, TaskCommand.SUBMIT)
    before = _task_state(task)
    task.status = target
    _save_task(task, ["status"])
    _event(
        actor=actor,
        decision=decision,
        action="work.task.submitted",
        object_type=OBJ_TASK,
        object_id=task.pk,
        payload={"before": before, "after": _task_state(task), "note": note.strip()},
    )
    return task


@transaction.atomic
def task_submit(*, actor: Person, task: Task, note: str = "") -> Task:
    """Submit the result of a task in progress for the assigner's approval."""
    return _task_submit(actor=actor, task=task, note=note)


# --------------------------------------------------------------------------------------------
# the assigner side


def _task_approve(
    *, actor: Person, task: Task, quality_grade: str, effectiveness_grade: str, note: str = ""
) -> Task:
    task, decision = _locked_for(actor, task, _require_assigner_side)
    target = _require_state(task, TaskCommand.APPROVE)
    _choice(quality_grade, QualityGrade, "quality_grade", "Mức chất lượng")
    _choice(effectiveness_grade, EffectivenessGrade, "effectiveness_grade", "Mức hiệu quả")
    before = _task_state(task)
    task.status = target
    task.completed_on = today()
    task.percent = 100
    task.quality_grade = quality_grade
    task.effectiveness_grade = effectiveness_grade
    _save_task(task, ["status", "completed_on", "percent", "quality_grade", "effectiveness_grade"])
    _event(
        actor=actor,
        decision=decision,
        action="work.task.approved",
        object_type=OBJ_TASK,
        object_id=task.pk,
        payload={"before": before, "after": _task_state(task), "note": note.strip()},
    )
    return task


@transaction.atomic
def task_approve(
    *, actor: Person, task: Task, quality_grade: str, effectiveness_grade: str, note: str = ""
) -> Task:
    """Approve a submitted result with its quality and effectiveness grades; completed today.

    The assigner, or task.approve over the assigning unit.
    """
    return _task_approve(
        actor=actor,
        task=task,
        quality_grade=quality_grade,
        effectiveness_grade=effectiveness_grade,
        note=note,
    )


def _task_return(*, actor: Person, task: Task, reason: str) -> Task:
    task, decision = _locked_for(actor, task, _require_assigner_side)
    target = _require_state(task, TaskCommand.RETURN)
    reason = _required(reason, "reason", "lý do trả lại")
    before = _task_state(task)
    task.status = target
    task.return_count += 1
    _save_task(task, ["status", "return_count"])
    _event(
        actor=actor,
        decision=decision,
        action="work.task.returned",
        object_type=OBJ_TASK,
        object_id=task.pk,
        payload={"before": before, "after": _task_state(task), "reason": reason},
    )
    return task


@transaction.atomic
def task_return(*, actor: Person, task: Task, reason: str) -> Task:
    """Send a submitted result back for rework (trả lại), with the reason; counted."""
    return _task_return(actor=actor, task=task, reason=reason)


def _task_cancel(*, actor: Person, task: Task, reason: str) -> Task:
    task, decision = _locked_for(actor, task, _require_assigner_side, Power.TASK_ASSIGN)
    target = _require_state(task, TaskCommand.CANCEL)
    reason = _required(reason, "reason", "lý do hủy")
    before = _task_state(task)
    task.status = target
    _save_task(task, ["status"])
    # A pending extension request dies with the task: closed as refused, in the same event.
    pending = Extension.objects.filter(task=task, status=ExtensionStatus.REQUESTED)
    closed = list(pending.values_list("pk", flat=True))
    pending.update(
        status=ExtensionStatus.REFUSED,
        decided_by=actor,
        decided_at=now(),
        decision_note="Nhiệm vụ đã bị hủy.",
    )
    _event(
        actor=actor,
        decision=decision,
        action="work.task.cancelled",
        object_type=OBJ_TASK,
        object_id=task.pk,
        payload={
            "before": before,
            "after": _task_state(task),
            "reason": reason,
            "extensions_closed": closed,
        },
    )
    return task


@transaction.atomic
def task_cancel(*, actor: Person, task: Task, reason: str) -> Task:
    """Cancel an unfinished task (not while disputed), with the reason: the assigner, or
    task.assign over the assigning unit."""
    return _task_cancel(actor=actor, task=task, reason=reason)


# --------------------------------------------------------------------------------------------
# disputes


def _dispute_decide(*, actor: Person, dispute: Dispute, unit: Unit, reason: str) -> Dispute:
    decider_unit = Unit.objects.get(pk=dispute.decider_unit_id)
    _require_dispute_decider(actor, decider_unit)
    task = _locked_task(dispute.task)
    try:
        dispute = Dispute.objects.select_for_update().get(pk=dispute.pk)
    except Dispute.DoesNotExist as exc:
        raise NotFoundError("Không tìm thấy tranh chấp.") from exc
    decision = _require_dispute_decider(actor, decider_unit)
    if dispute.status != DisputeStatus.OPEN:
        raise DomainError(
            "work.dispute_closed", "Tranh chấp này đã được quyết định.", field="status"
        )
    target = _require_state(task, TaskCommand.DECIDE_DISPUTE)
    reason = _required(reason, "reason", "lý do quyết định")
    day = today()
    _active(unit, day, "unit")
    if not _in_subtree(unit, decider_unit):
        raise DomainError(
            "work.decided_outside",
            f"{unit.name} không thuộc {decider_unit.name}: chỉ giao cho đơn vị trong phạm vi "
            "quản lý của người quyết định.",
            field="unit",
        )
    before = _task_state(task)
    # The decider may give the lead to a unit that was coordinating: the decision binds, and a
    # unit cannot lead and coordinate the same task, so its coordinating part ends here (kept
    # in the event, so what it was asked to do is never lost).
    former_part = (
        TaskCoordinator.objects.filter(task=task, unit=unit)
        .values("unit_id", "part", "sub_deadline")
        .first()
    )
    if former_part is not None:
        TaskCoordinator.objects.filter(task=task, unit=unit).delete()
    dispute.status = DisputeStatus.DECIDED
    dispute.decided_unit = unit
    dispute.decision_reason = reason
    dispute.decided_by = actor
    dispute.decided_at = now()
    dispute.save(
        update_fields=["status", "decided_unit", "decision_reason", "decided_by", "decided_at"]
    )
    task.lead_unit = unit
    task.status = target
    officer_fields: list[str] = []
    closed: list[int] = []
    if unit.pk != before["lead_unit_id"]:
        if task.officer_id is not None:
            # The officer belonged to the old lead; the new lead names its own.
            task.officer = None
            officer_fields = ["officer"]
        # An extension the old lead asked for is not the new lead's request: closed as refused.
        pending = Extension.objects.filter(task=task, status=ExtensionStatus.REQUESTED)
        closed = list(pending.values_list("pk", flat=True))
        pending.update(
            status=ExtensionStatus.REFUSED,
            # Closed by Baro as a consequence of the decision (recorded in its event), not
            # decided on its merits; the decider may even be who asked for it.
            decided_by=system_person(),
            decided_at=now(),
            decision_note="Đơn vị chủ trì đã thay đổi theo quyết định tranh chấp.",
        )
    _save_task(task, ["lead_unit", "status", *officer_fields])
    _event(
        actor=actor,
        decision=decision,
        action="work.dispute.decided",
        object_type=OBJ_DISPUTE,
        object_id=dispute.pk,
        payload={
            "task_id": task.pk,
            "before": before,
            "after": _task_state(task),
            "decided_unit_id": unit.pk,
            "reason": reason,
            "late": day > dispute.deadline,
            "extensions_closed": closed,
            "coordination_ended": former_part,
        },
    )
    return dispute


@transaction.atomic
def dispute_decide(*, actor: Person, dispute: Dispute, unit: Unit, reason: str) -> Dispute:
    """Decide which unit leads the disputed task; binding (that unit cannot refuse it again).

    Only the current head of the dispute's decider unit, or a person that head delegated
    dispute.decide to (recorded as acting on the head's behalf). `unit` is any active unit in
    the decider's subtree (a coordinator of the task included: its coordinating part ends);
    the task goes back to "chờ tiếp nhận" with `unit` as its lead.
    """
    return _dispute_decide(actor=actor, dispute=dispute, unit=unit, reason=reason)


# --------------------------------------------------------------------------------------------
# extensions


def _extension_request(
    *, actor: Person, task: Task, new_deadline: dt.date, reason: str
) -> Extension:
    task, decision = _locked_for(actor, task, _require_lead_side)
    _require_state(task, TaskCommand.REQUEST_EXTENSION)
    reason = _required(reason, "reason", "lý do đề nghị gia hạn")
    if new_deadline <= task.deadline:
        raise DomainError(
            "work.extension_not_later",
            f"Hạn đề nghị phải sau hạn hiện tại {format_date(task.deadline)}.",
            field="new_deadline",
        )
    if Extension.objects.filter(task=task, status=ExtensionStatus.REQUESTED).exists():
        raise ConflictError(
            "work.extension_pending",
            "Nhiệm vụ đã có một đề nghị gia hạn đang chờ quyết định.",
            field="new_deadline",
        )
    extension = Extension.objects.create(
        task=task,
        requested_by=actor,
        reason=reason,
        old_deadline=task.deadline,
        new_deadline=new_deadline,
    )
    _event(
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


@transaction.atomic
def extension_request(
    *, actor: Person, task: Task, new_deadline: dt.date, reason: str
) -> Extension:
    """Ask the assigner to move the deadline to a later `new_deadline` (the lead side).

    One pending request per task at a time.
    """
    return _extension_request(actor=actor, task=task, new_deadline=new_deadline, reason=reason)


def _extension_decide(
    *, actor: Person, extension: Extension, approve: bool, note: str = ""
) -> Extension:
    _require_assigner_side(actor, extension.task)
    if extension.requested_by_id == actor.pk:
        # A leader who holds both sides over a task still may not grant themselves more time.
        raise AuthorityError(
            "Người đề nghị gia hạn không tự quyết định đề nghị của chính mình.",
            code="work.extension_own_request",
        )
    task = _locked_task(extension.task)
    decision = _require_assigner_side(actor, task)
    try:
        extension = Extension.objects.select_for_update().get(pk=extension.pk)
    except Extension.DoesNotExist as exc:
        raise NotFoundError("Không tìm thấy đề nghị gia hạn.") from exc
    if extension.status != ExtensionStatus.REQUESTED:
        raise DomainError(
            "work.extension_closed", "Đề nghị gia hạn này đã được quyết định.", field="status"
        )
    _require_state(task, TaskCommand.DECIDE_EXTENSION)
    note = note.strip()
    if not approve and not note:
        # Refusing is a written decision too (Công điện 280: no unexplained decisions).
        raise DomainError(
            "work.field_required", "Chưa nhập lý do không đồng ý gia hạn.", field="note"
        )
    before = _task_state(task)
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
        _save_task(task, ["deadline", "extension_count"])
    _event(
        actor=actor,
        decision=decision,
        action="work.extension.approved" if approve else "work.extension.refused",
        object_type=OBJ_EXTENSION,
        object_id=extension.pk,
        payload={
            "task_id": task.pk,
            "before": before,
            "after": _task_state(task),
            "note": note,
        },
    )
    return extension


@transaction.atomic
def extension_decide(
    *, actor: Person, extension: Extension, approve: bool, note: str = ""
) -> Extension:
    """Approve (the deadline moves, counted) or refuse (with a written reason) an extension
    request: the assigner, or task.approve over the assigning unit."""
    return _extension_decide(actor=actor, extension=extension, approve=approve, note=note)


# --------------------------------------------------------------------------------------------
# collaboration: coordinator inputs, guidance requests, attachments, subtasks
#
# Who may do what:
# - ask a coordinator for input, mark an answer "no clear position", ask a superior for
#   guidance: the lead side (task.handle over the lead unit, or the task's officer);
# - answer an input request: task.handle over the coordinating unit asked (its head, deputy or
#   officer, or someone above them);
# - answer a guidance request: task.approve over the superior unit asked (its head or deputy,
#   or a delegate);
# - attach a file to a task: anyone taking part in it (lead side, assigner side, a coordinating
#   unit, a superior asked for guidance on it); to a directive: who may register it;
# - split off a subtask: task.assign over the parent's lead unit, to a unit below it.

OBJ_INPUT = "work.input_request"
OBJ_GUIDANCE = "work.guidance_request"
OBJ_ATTACHMENT = "work.attachment"

DEFAULT_INPUT_ANSWER_WORKING_DAYS = 5
DEFAULT_GUIDANCE_ANSWER_WORKING_DAYS = 5
DEFAULT_ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_ATTACHMENT_TYPES = ("pdf", "doc", "docx", "xls", "xlsx", "odt", "ods", "jpg", "jpeg", "png")

# Statuses in which the lead may still consult: the task is its to work on (or to decide
# whether to take); not while disputed (its lead is in question) nor once closed.
_CONSULT_STATUSES = frozenset({TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS})


def _setting_int(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def question_hash(text: str) -> str:
    """sha256 of a question as people would consider it "the same": Unicode NFC, case-folded,
    whitespace collapsed, closing punctuation dropped."""
    normal = " ".join(unicodedata.normalize("NFC", text).casefold().split()).strip(" .?!;:…")
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def _require_state_in(task: Task, allowed: frozenset[str], what: str) -> None:
    if task.status not in allowed:
        raise DomainError(
            "work.wrong_state",
            f"Không thể {what} khi nhiệm vụ đang ở trạng thái “{TaskStatus(task.status).label}”.",
            field="status",
            details={"status": task.status},
        )


def _due_not_past(due_on: dt.date, day: dt.date) -> None:
    if due_on < day:
        raise DomainError(
            "work.due_in_past",
            f"Hạn trả lời {format_date(due_on)} đã qua (hôm nay {format_date(day)}).",
            field="due_on",
        )


# --- coordinator inputs ---------------------------------------------------------------------


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
        raise NotFoundError("Không tìm thấy yêu cầu xin ý kiến.") from exc


def _input_request(
    *, actor: Person, task: Task, unit: Unit, question: str, due_on: dt.date | None = None
) -> InputRequest:
    task, decision = _locked_for(actor, task, _require_lead_side)
    _require_state_in(task, _CONSULT_STATUSES, "xin ý kiến đơn vị phối hợp")
    question = _required(question, "question", "nội dung xin ý kiến")
    coordinator = TaskCoordinator.objects.filter(task=task, unit=unit).first()
    if coordinator is None:
        raise DomainError(
            "work.not_coordinator",
            f"{unit.name} không phải đơn vị phối hợp của nhiệm vụ này.",
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
                _setting_int("BARO_INPUT_ANSWER_WORKING_DAYS", DEFAULT_INPUT_ANSWER_WORKING_DAYS),
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
    _clean(row, exclude=["task", "unit", "requested_by", "repeat_of"])
    row.save(force_insert=True)
    _event(
        actor=actor,
        decision=decision,
        action="work.input.requested",
        object_type=OBJ_INPUT,
        object_id=row.pk,
        payload={"before": None, "after": _input_state(row), "question": question},
    )
    return row


@transaction.atomic
def input_request(
    *, actor: Person, task: Task, unit: Unit, question: str, due_on: dt.date | None = None
) -> InputRequest:
    """Ask a coordinating unit of `task` for its input by `due_on` (the lead side).

    `due_on` defaults to the coordinator's sub-deadline, or BARO_INPUT_ANSWER_WORKING_DAYS
    working days from today. The same question asked of the same unit again is accepted and
    linked to the first one (repeat_of): consulting the same matter twice is evidence.
    """
    return _input_request(actor=actor, task=task, unit=unit, question=question, due_on=due_on)


def _input_answer(
    *, actor: Person, input_request: InputRequest, position: str, answer: str = ""
) -> InputRequest:
    unit = Unit.objects.get(pk=input_request.unit_id)
    authority.require(actor, Power.TASK_HANDLE, unit)
    task = _locked_task(input_request.task)
    row = _locked_input(input_request)
    decision = authority.require(actor, Power.TASK_HANDLE, unit)
    if task.status in rules.TERMINAL_STATUSES:
        _require_state_in(task, frozenset(rules.OPEN_STATUSES), "trả lời xin ý kiến")
    if row.is_answered:
        raise ConflictError(
            "work.input_answered", "Yêu cầu xin ý kiến này đã được trả lời.", field="position"
        )
    if position not in InputPosition.values:
        raise DomainError(
            "work.field_required", "Chưa chọn ý kiến (đồng ý, không đồng ý…).", field="position"
        )
    answer = (answer or "").strip()
    if position != InputPosition.AGREE and not answer:
        # Disagreeing or asking for changes without saying what is the vague answer the
        # Công điện names; a plain agreement needs no text.
        raise DomainError(
            "work.field_required",
            "Chưa nhập nội dung trả lời: không đồng ý hoặc đề nghị sửa đổi phải nêu rõ.",
            field="answer",
        )
    before = _input_state(row)
    row.position = position
    row.answer = answer
    row.answered_by = actor
    row.answered_at = now()
    row.save(update_fields=["position", "answer", "answered_by", "answered_at"])
    day = today()
    _event(
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


@transaction.atomic
def input_answer(
    *, actor: Person, input_request: InputRequest, position: str, answer: str = ""
) -> InputRequest:
    """Answer an input request for the coordinating unit asked (task.handle over it), once.

    A late answer is accepted and recorded as late; disagreeing or agreeing with changes must
    say what.
    """
    return _input_answer(actor=actor, input_request=input_request, position=position, answer=answer)


def _input_mark_unclear(*, actor: Person, input_request: InputRequest, note: str) -> InputRequest:
    _require_lead_side(actor, input_request.task)
    task = _locked_task(input_request.task)
    decision = _require_lead_side(actor, task)
    row = _locked_input(input_request)
    note = _required(note, "note", "nhận xét về ý kiến chưa rõ")
    if not row.is_answered:
        raise DomainError(
            "work.input_not_answered",
            "Đơn vị phối hợp chưa trả lời, chưa thể đánh dấu ý kiến chưa rõ.",
            field="note",
        )
    if row.is_unclear:
        raise ConflictError(
            "work.input_unclear_already", "Ý kiến này đã được đánh dấu chưa rõ.", field="note"
        )
    before = _input_state(row)
    row.unclear_marked_by = actor
    row.unclear_marked_at = now()
    row.unclear_note = note
    row.save(update_fields=["unclear_marked_by", "unclear_marked_at", "unclear_note"])
    _event(
        actor=actor,
        decision=decision,
        action="work.input.marked_unclear",
        object_type=OBJ_INPUT,
        object_id=row.pk,
        payload={"before": before, "after": _input_state(row), "note": note},
    )
    return row


@transaction.atomic
def input_mark_unclear(*, actor: Person, input_request: InputRequest, note: str) -> InputRequest:
    """Record that a coordinator's answer gives no clear position (the lead side), with why."""
    return _input_mark_unclear(actor=actor, input_request=input_request, note=note)


# --- guidance requests ----------------------------------------------------------------------


def default_guidance_superior(task: Task) -> Unit | None:
    """The unit a guidance request goes to by default: the assigning unit when it is above the
    lead unit, else the lead unit's parent (None for a root lead)."""
    lead = task.lead_unit
    if task.assigning_unit_id != lead.pk and task.assigning_unit_id in lead.ancestor_ids:
        return task.assigning_unit
    return Unit.objects.filter(pk=lead.parent_id).first() if lead.parent_id else None


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


def _guidance_request(
    *,
    actor: Person,
    task: Task,
    question: str,
    superior_unit: Unit | None = None,
    due_on: dt.date | None = None,
) -> GuidanceRequest:
    task, decision = _locked_for(actor, task, _require_lead_side)
    _require_state_in(task, _CONSULT_STATUSES, "xin ý kiến chỉ đạo")
    question = _required(question, "question", "nội dung xin ý kiến")
    lead = task.lead_unit
    superior = superior_unit or default_guidance_superior(task)
    if superior is None:
        raise DomainError(
            "work.no_superior",
            f"{lead.name} không có cấp trên trong Baro để xin ý kiến.",
            field="superior_unit",
        )
    if superior.pk == lead.pk or superior.pk not in lead.ancestor_ids:
        raise DomainError(
            "work.guidance_not_superior",
            f"{superior.name} không phải cấp trên của {lead.name}: chỉ xin ý kiến chỉ đạo cấp "
            "trên.",
            field="superior_unit",
        )
    day = today()
    _active(superior, day, "superior_unit")
    if due_on is None:
        due_on = add_working_days(
            day,
            _setting_int("BARO_GUIDANCE_ANSWER_WORKING_DAYS", DEFAULT_GUIDANCE_ANSWER_WORKING_DAYS),
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
    _clean(row, exclude=["task", "asking_unit", "superior_unit", "asked_by", "repeat_of"])
    row.save(force_insert=True)
    _event(
        actor=actor,
        decision=decision,
        action="work.guidance.requested",
        object_type=OBJ_GUIDANCE,
        object_id=row.pk,
        payload={"before": None, "after": _guidance_state(row), "question": question},
    )
    return row


@transaction.atomic
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
    return _guidance_request(
        actor=actor, task=task, question=question, superior_unit=superior_unit, due_on=due_on
    )


def _guidance_answer(
    *, actor: Person, guidance: GuidanceRequest, answer: str, within_unit_authority: bool = False
) -> GuidanceRequest:
    superior = Unit.objects.get(pk=guidance.superior_unit_id)
    authority.require(actor, Power.TASK_APPROVE, superior)
    _locked_task(guidance.task)
    try:
        row = GuidanceRequest.objects.select_for_update().get(pk=guidance.pk)
    except GuidanceRequest.DoesNotExist as exc:
        raise NotFoundError("Không tìm thấy yêu cầu xin ý kiến chỉ đạo.") from exc
    decision = authority.require(actor, Power.TASK_APPROVE, superior)
    if row.is_answered:
        raise ConflictError(
            "work.guidance_answered", "Yêu cầu xin ý kiến này đã được trả lời.", field="answer"
        )
    answer = _required(answer, "answer", "ý kiến chỉ đạo")
    before = _guidance_state(row)
    row.answer = answer
    row.within_unit_authority = bool(within_unit_authority)
    row.answered_by = actor
    row.answered_at = now()
    row.save(update_fields=["answer", "within_unit_authority", "answered_by", "answered_at"])
    _event(
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


@transaction.atomic
def guidance_answer(
    *, actor: Person, guidance: GuidanceRequest, answer: str, within_unit_authority: bool = False
) -> GuidanceRequest:
    """Answer a guidance request, once: task.approve over the superior unit asked.

    `within_unit_authority` records that the matter was the asking unit's own to decide
    ("thuộc thẩm quyền của đơn vị"): evidence for the avoidance detectors.
    """
    return _guidance_answer(
        actor=actor, guidance=guidance, answer=answer, within_unit_authority=within_unit_authority
    )


# --- attachments ----------------------------------------------------------------------------

# What each allowed extension must look like inside, and the type Baro serves it with. Office
# Open XML and OpenDocument files are zip archives: their first entries tell which one it is.
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
_MIME = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "zip": "application/zip",
    "txt": "text/plain; charset=utf-8",
}
_KIND_LABEL = {
    "pdf": "PDF",
    "doc": "Word",
    "docx": "Word",
    "xls": "Excel",
    "xlsx": "Excel",
    "odt": "OpenDocument văn bản",
    "ods": "OpenDocument bảng tính",
    "jpg": "ảnh JPEG",
    "jpeg": "ảnh JPEG",
    "png": "ảnh PNG",
    "zip": "nén ZIP",
    "txt": "văn bản",
}


def _zip_names(data: bytes) -> tuple[set[str], bytes]:
    import io

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype") if "mimetype" in names else b""
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, RuntimeError, ValueError):
        return set(), b""
    return names, mimetype


def _content_matches(ext: str, data: bytes) -> bool:
    """Whether the bytes are really a file of type `ext` (the magic numbers, and for zip-based
    office formats the entry that names the format)."""
    if ext == "pdf":
        return data.startswith(b"%PDF-")
    if ext == "png":
        return data.startswith(b"\x89PNG\r\n\x1a\n")
    if ext in ("jpg", "jpeg"):
        return data.startswith(b"\xff\xd8\xff")
    if ext in ("doc", "xls"):
        return data.startswith(_OLE2)
    if ext in ("docx", "xlsx", "odt", "ods", "zip"):
        if not data.startswith(_ZIP):
            return False
        if ext == "zip":
            return True
        names, mimetype = _zip_names(data)
        if ext == "docx":
            return "word/document.xml" in names
        if ext == "xlsx":
            return "xl/workbook.xml" in names
        return mimetype == _MIME[ext].encode()
    if ext == "txt":
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return b"\x00" not in data
    return False


def attachment_max_bytes() -> int:
    return _setting_int("BARO_ATTACHMENT_MAX_BYTES", DEFAULT_ATTACHMENT_MAX_BYTES)


def attachment_types() -> list[str]:
    """The allowed extensions: the setting's, limited to those whose content Baro can check."""
    configured = getattr(settings, "BARO_ATTACHMENT_TYPES", DEFAULT_ATTACHMENT_TYPES)
    return [ext.lower().lstrip(".") for ext in configured if ext.lower().lstrip(".") in _MIME]


def _human_size(size: int) -> str:
    """ "20,0 MB", "512,3 KB": Vietnamese decimal comma."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f}".replace(".", ",") + " MB"
    return f"{size / 1024:.1f}".replace(".", ",") + " KB"


def _byte_count(size: int) -> str:
    return f"{size:,}".replace(",", ".") + " byte"


def _sizes(size: int, limit: int) -> tuple[str, str]:
    """The file's size and the limit, readable, and never shown as the same figure."""
    shown, allowed = _human_size(size), _human_size(limit)
    if shown == allowed:
        return _byte_count(size), _byte_count(limit)
    return shown, allowed


def attachments_root() -> Path:
    return Path(settings.DATA_DIR) / "attachments"


def attachment_path(row: Attachment) -> Path:
    return attachments_root() / row.stored_path


def _clean_name(name: str) -> str:
    # Only the last path segment, no control characters: the name is shown, never used on disk.
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    return base[:255]


def _read_checked(name: str, content: bytes | IO[bytes]) -> tuple[str, bytes]:
    """The extension and the bytes of an upload that passed the size and type checks."""
    limit = attachment_max_bytes()
    allowed = attachment_types()
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in allowed:
        raise DomainError(
            "work.attachment_type",
            f"Không nhận tệp “{name}”: chỉ nhận các loại tệp "
            f"{', '.join(e.upper() for e in allowed)}.",
            field="file",
            details={"allowed": allowed},
        )
    declared = getattr(content, "size", None)
    if isinstance(declared, int) and declared > limit:
        data = b""
        size = declared
    else:
        if isinstance(content, bytes | bytearray):
            data = bytes(content)
        else:
            if hasattr(content, "seek"):
                content.seek(0)
            data = content.read(limit + 1)
        size = len(data)
    if size > limit:
        shown, allowed_size = _sizes(size, limit)
        raise DomainError(
            "work.attachment_too_large",
            f"Tệp “{name}” ({shown}) vượt quá dung lượng cho phép {allowed_size}.",
            field="file",
            details={"max_bytes": limit},
        )
    if size == 0:
        raise DomainError("work.attachment_empty", f"Tệp “{name}” rỗng.", field="file")
    if not _content_matches(ext, data):
        raise DomainError(
            "work.attachment_content",
            f"Nội dung tệp “{name}” không phải tệp {_KIND_LABEL[ext]} (tệp bị đổi đuôi hoặc "
            "hỏng): không nhận.",
            field="file",
        )
    return ext, data


def require_task_participant(actor: Person, task: Task) -> Decision:
    """Anyone taking part in `task`: lead side, assigner side, a coordinating unit, a superior
    asked for guidance on it."""
    if task.officer_id is not None and task.officer_id == actor.pk:
        return Decision(True, Power.TASK_HANDLE, "Cán bộ được giao xử lý nhiệm vụ.")
    if task.assigner_id == actor.pk and actor.is_active:
        return Decision(True, Power.TASK_APPROVE, "Người giao nhiệm vụ.")
    candidates: list[tuple[str, Unit]] = [
        (Power.TASK_HANDLE, task.lead_unit),
        (Power.TASK_APPROVE, task.assigning_unit),
    ]
    candidates += [
        (Power.TASK_HANDLE, c.unit)
        for c in TaskCoordinator.objects.filter(task=task).select_related("unit")
    ]
    candidates += [
        (Power.TASK_APPROVE, g.superior_unit)
        for g in GuidanceRequest.objects.filter(task=task).select_related("superior_unit")
    ]
    for power, unit in candidates:
        decision = authority.check(actor, power, unit)
        if decision:
            return decision
    raise AuthorityError(
        f"{actor.full_name} không tham gia nhiệm vụ này nên không được đính kèm tệp.",
        code="auth.denied",
        details={"power": Power.TASK_HANDLE, "unit": task.lead_unit.code},
    )


def _store(sha: str, data: bytes, created: list[Path]) -> str:
    """Write the bytes under their hash (once); note a newly written file in `created`."""
    relative = f"{sha[:2]}/{sha}"
    target = attachments_root() / relative
    if target.exists():
        return relative
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        # Atomic on POSIX: a reader never sees half a file under the final name.
        Path(temporary).replace(target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    created.append(target)
    return relative


def _attachment_add(
    *,
    actor: Person,
    name: str,
    content: bytes | IO[bytes],
    created: list[Path],
    task: Task | None = None,
    directive: Directive | None = None,
    progress_report: ProgressReport | None = None,
    guidance_request: GuidanceRequest | None = None,
    input_request: InputRequest | None = None,
) -> Attachment:
    if task is None and directive is None:
        raise DomainError("work.field_required", "Chưa chọn nhiệm vụ hoặc văn bản.", field="task")
    if task is not None:
        decision = require_task_participant(actor, task)
        task = _locked_task(task)
        decision = require_task_participant(actor, task)
        if task.status in rules.TERMINAL_STATUSES:
            _require_state_in(task, frozenset(rules.OPEN_STATUSES), "đính kèm tệp")
        for part, label in (
            (progress_report, "báo cáo tiến độ"),
            (guidance_request, "yêu cầu xin ý kiến chỉ đạo"),
            (input_request, "yêu cầu xin ý kiến phối hợp"),
        ):
            if part is not None and part.task_id != task.pk:
                raise DomainError(
                    "work.attachment_mismatch",
                    f"Tệp được gắn với {label} không thuộc nhiệm vụ này.",
                    field="task",
                )
        if directive is not None and task.directive_id != directive.pk:
            raise DomainError(
                "work.attachment_mismatch",
                "Nhiệm vụ không thuộc văn bản chỉ đạo đã chọn.",
                field="directive",
            )
    else:
        assert directive is not None
        if progress_report or guidance_request or input_request:
            raise DomainError(
                "work.attachment_mismatch", "Chưa chọn nhiệm vụ của tệp.", field="task"
            )
        decision = require_directive_side(actor, Unit.objects.get(pk=directive.issuing_unit_id))
    shown = _clean_name(name or "")
    if not shown:
        raise DomainError("work.field_required", "Chưa chọn tệp đính kèm.", field="file")
    ext, data = _read_checked(shown, content)
    sha = hashlib.sha256(data).hexdigest()
    row = Attachment(
        task=task,
        directive=directive,
        progress_report=progress_report,
        guidance_request=guidance_request,
        input_request=input_request,
        uploaded_by=actor,
        original_name=shown,
        content_type=_MIME[ext],
        size=len(data),
        sha256=sha,
        stored_path=f"{sha[:2]}/{sha}",
    )
    row.save(force_insert=True)
    _event(
        actor=actor,
        decision=decision,
        action="work.attachment.added",
        object_type=OBJ_ATTACHMENT,
        object_id=row.pk,
        payload={
            "before": None,
            "after": {
                "task_id": row.task_id,
                "directive_id": row.directive_id,
                "progress_report_id": row.progress_report_id,
                "guidance_request_id": row.guidance_request_id,
                "input_request_id": row.input_request_id,
                "name": row.original_name,
                "content_type": row.content_type,
                "size": row.size,
                "sha256": sha,
            },
        },
    )
    # Last, after every check and every row: a refusal above leaves no file behind, and a
    # failure from here to the commit is cleaned up by attachment_add.
    _store(sha, data, created)
    return row


def attachment_add(
    *,
    actor: Person,
    name: str,
    content: bytes | IO[bytes],
    task: Task | None = None,
    directive: Directive | None = None,
    progress_report: ProgressReport | None = None,
    guidance_request: GuidanceRequest | None = None,
    input_request: InputRequest | None = None,
) -> Attachment:
    """Attach a file to a task (optionally to one of its reports or requests) or a directive.

    Checks, before anything is written: who (see above), size (BARO_ATTACHMENT_MAX_BYTES), the
    extension against BARO_ATTACHMENT_TYPES and the file's own bytes against its extension.
    The file is stored under its sha256 only after the row and the ledger event exist; if the
    transaction then fails (or the commit does), a file this call created is removed, so a
    refused or failed upload leaves nothing on disk. Not composable into another transaction
    for that reason (it owns the commit).
    """
    created: list[Path] = []
    try:
        with transaction.atomic(durable=True):
            return _attachment_add(
                actor=actor,
                name=name,
                content=content,
                created=created,
                task=task,
                directive=directive,
                progress_report=progress_report,
                guidance_request=guidance_request,
                input_request=input_request,
            )
    except BaseException:
        for path in created:
            # Another upload of the same bytes may have committed meanwhile (PostgreSQL runs
            # them concurrently): keep the file if a committed row now points at it. If even
            # that cannot be asked, keep it too: an orphan file is harmless, a missing one not.
            try:
                in_use = Attachment.objects.filter(sha256=path.name).exists()
            except DatabaseError:
                in_use = True
            if not in_use:
                path.unlink(missing_ok=True)
        raise


# --- subtasks -------------------------------------------------------------------------------


def _subtask_assign(
    *,
    actor: Person,
    parent: Task,
    title: str,
    lead_unit: Unit,
    deadline_rule: str,
    deadline: dt.date | None = None,
    deadline_days: int | None = None,
    coordinators: Sequence[CoordinatorSpec | tuple[Unit, str, dt.date | None]] = (),
    officer: Person | None = None,
    description: str = "",
    expected_output: str = "",
    quality_criteria: str = "",
    priority: str = Priority.NORMAL,
) -> Task:
    parent_lead = Unit.objects.get(pk=parent.lead_unit_id)
    authority.require(actor, Power.TASK_ASSIGN, parent_lead)
    parent = _locked_task(parent)
    if parent.lead_unit_id != parent_lead.pk:  # a dispute decision moved the lead meanwhile
        parent_lead = parent.lead_unit
    authority.require(actor, Power.TASK_ASSIGN, parent_lead)
    _require_state_in(parent, frozenset({TaskStatus.IN_PROGRESS}), "giao nhiệm vụ con")
    if lead_unit.pk == parent_lead.pk or not _in_subtree(lead_unit, parent_lead):
        raise DomainError(
            "work.subtask_outside",
            f"{lead_unit.name} không phải đơn vị cấp dưới của {parent_lead.name}: chỉ giao "
            "nhiệm vụ con cho đơn vị trực thuộc đơn vị chủ trì.",
            field="lead_unit",
        )
    due = compute_deadline(assigned_on=today(), rule=deadline_rule, days=deadline_days, on=deadline)
    if due > parent.deadline:
        raise DomainError(
            "work.subtask_after_parent",
            f"Hạn nhiệm vụ con {format_date(due)} sau hạn nhiệm vụ cha "
            f"{format_date(parent.deadline)}.",
            field="deadline",
        )
    # One assignment, one event (work.task.assigned, with parent_id): the assigning unit is the
    # parent's lead, so the subtask's result goes back to it for approval.
    return _task_assign(
        actor=actor,
        title=title,
        lead_unit=lead_unit,
        assigning_unit=parent_lead,
        deadline_rule=deadline_rule,
        deadline=deadline,
        deadline_days=deadline_days,
        parent=parent,
        coordinators=coordinators,
        officer=officer,
        description=description,
        expected_output=expected_output,
        quality_criteria=quality_criteria,
        priority=priority,
    )


@transaction.atomic
def subtask_assign(
    *,
    actor: Person,
    parent: Task,
    title: str,
    lead_unit: Unit,
    deadline_rule: str,
    deadline: dt.date | None = None,
    deadline_days: int | None = None,
    coordinators: Sequence[CoordinatorSpec | tuple[Unit, str, dt.date | None]] = (),
    officer: Person | None = None,
    description: str = "",
    expected_output: str = "",
    quality_criteria: str = "",
    priority: str = Priority.NORMAL,
) -> Task:
    """Split off a subtask of `parent` for a unit below the parent's lead unit.

    task.assign over the parent's lead unit (its head or deputy: an officer does not hand work
    to other units); the parent is in progress; the subtask's deadline (a date, calendar or
    working days) is no later than the parent's. The subtask is an ordinary task assigned by the
    parent's lead unit (one event, work.task.assigned, naming the parent). It does not inherit
    the directive: official counts of a directive's tasks stay the tasks it assigned.
    The parent's percent stays the lead's own report; the page shows the roll-up beside it.
    """
    return _subtask_assign(
        actor=actor,
        parent=parent,
        title=title,
        lead_unit=lead_unit,
        deadline_rule=deadline_rule,
        deadline=deadline,
        deadline_days=deadline_days,
        coordinators=coordinators,
        officer=officer,
        description=description,
        expected_output=expected_output,
        quality_criteria=quality_criteria,
        priority=priority,
    )
