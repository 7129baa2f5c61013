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
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db import IntegrityError, models, transaction

from baro.core.errors import AuthorityError, ConflictError, DomainError, NotFoundError
from baro.core.timeutil import format_date, now, today
from baro.org import authority
from baro.org.authority import Decision, Power
from baro.org.commands import clean_fields, record_action, required_text
from baro.org.models import Delegation, Person, Position, Unit
from baro.org.queries import active_on, lowest_common_superior, unit_head
from baro.work import rules
from baro.work.models import (
    DeadlineRule,
    Directive,
    DirectiveKind,
    Dispute,
    DisputeStatus,
    EffectivenessGrade,
    Extension,
    ExtensionStatus,
    Priority,
    ProgressReport,
    QualityGrade,
    Task,
    TaskCoordinator,
    TaskGroup,
    TaskStatus,
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
# to hear both. To become configurable with the other timings (issue 3, urging and escalation).
DISPUTE_DECISION_WORKING_DAYS = 3

__all__ = [
    "DISPUTE_DECISION_WORKING_DAYS",
    "CoordinatorSpec",
    "compute_deadline",
    "directive_register",
    "dispute_decide",
    "extension_decide",
    "extension_request",
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
        return Task.objects.select_for_update().select_related("lead_unit").get(pk=task.pk)
    except Task.DoesNotExist as exc:
        raise NotFoundError("Không tìm thấy nhiệm vụ.") from exc


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


def _save_task(task: Task, fields: list[str]) -> None:
    _clean(task, exclude=["directive", "group", "parent"])
    task.save(update_fields=fields)


# --- authority ------------------------------------------------------------------------------


def _require_lead_side(actor: Person, task: Task, *, officer_may: bool = True) -> Decision:
    """task.handle over the lead unit, or (if `officer_may`) being the task's named officer."""
    if officer_may and task.officer_id is not None and task.officer_id == actor.pk:
        return Decision(True, Power.TASK_HANDLE, "Cán bộ được giao xử lý nhiệm vụ.")
    return authority.require(actor, Power.TASK_HANDLE, task.lead_unit)


def _require_assigner_side(actor: Person, task: Task, power: str = Power.TASK_APPROVE) -> Decision:
    """The task's assigner, or `power` over the assigning unit."""
    if task.assigner_id == actor.pk and actor.is_active:
        return Decision(True, power, "Người giao nhiệm vụ.")
    return authority.require(actor, power, task.assigning_unit)


def _require_dispute_decider(actor: Person, unit: Unit) -> Decision:
    """Only the current head of `unit`, or someone that head delegated dispute.decide to.

    A higher head or an administrator holds dispute.decide over `unit` as well, but the rule
    is that the lowest common superior decides: going over its head would hide who answered
    for the decision. The system actor is refused too: a dispute is a human decision.
    """
    if not actor.is_active:
        raise AuthorityError(f"{actor.full_name} không còn công tác.")
    head = unit_head(unit)
    if head is None:
        raise AuthorityError(
            f"{unit.name} hiện không có người đứng đầu để quyết định tranh chấp.",
            code="work.no_head",
        )
    if head.person_id == actor.pk:
        return Decision(
            True,
            Power.DISPUTE_DECIDE,
            f"Người đứng đầu {unit.name}.",
            position=head,
        )
    at = now()
    for delegation in Delegation.objects.filter(
        delegator_id=head.person_id,
        delegate=actor,
        unit_id__in=unit.ancestor_ids,
        valid_from__lte=at,
        valid_to__gt=at,
        revoked_at__isnull=True,
    ).select_related("delegator"):
        if Power.DISPUTE_DECIDE in delegation.powers:
            return Decision(
                True,
                Power.DISPUTE_DECIDE,
                f"Được {head.person.full_name}, người đứng đầu {unit.name}, ủy quyền.",
                delegation=delegation,
            )
    raise AuthorityError(
        f"Chỉ người đứng đầu {unit.name} ({head.person.full_name}) hoặc người được người đó ủy "
        "quyền mới được quyết định tranh chấp này.",
        code="work.not_decider",
        details={"power": Power.DISPUTE_DECIDE, "unit": unit.code},
    )


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
    plan_days: int = 7,
    deploy_days: int = 14,
    groups: Sequence[str] = (),
) -> Directive:
    decision = authority.check(actor, Power.DIRECTIVE_REGISTER, issuing_unit)
    if not decision:
        decision = authority.require(actor, Power.DIRECTIVE_ISSUE, issuing_unit)
    number_symbol = " ".join(_required(number_symbol, "number_symbol", "số, ký hiệu").split())
    title = _required(title, "title", "trích yếu")
    _choice(kind, DirectiveKind, "kind", "Loại văn bản")
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


@transaction.atomic(durable=True)
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
    plan_days: int = 7,
    deploy_days: int = 14,
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
        and Position.objects.filter(
            active_on(day),
            person=officer,
            unit__path__startswith=lead_unit.path,
        ).exists()
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
    _clean(task, exclude=["directive", "group", "parent"])
    task.save(force_insert=True)
    rows = TaskCoordinator.objects.bulk_create(
        [
            TaskCoordinator(task=task, unit=s.unit, part=s.part, sub_deadline=s.sub_deadline)
            for s in specs
        ]
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


@transaction.atomic(durable=True)
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
    _require_lead_side(actor, task, officer_may=False)
    task = _locked_task(task)
    # Again on the locked row: a dispute decision may have moved the lead meanwhile.
    decision = _require_lead_side(actor, task, officer_may=False)
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


@transaction.atomic(durable=True)
def task_accept(*, actor: Person, task: Task) -> Task:
    """Accept (tiếp nhận) a task waiting for its lead: task.handle over the lead unit."""
    return _task_accept(actor=actor, task=task)


def _task_refuse(*, actor: Person, task: Task, reason: str, proposed_unit: Unit | None) -> Task:
    _require_lead_side(actor, task, officer_may=False)
    task = _locked_task(task)
    decision = _require_lead_side(actor, task, officer_may=False)
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
        deadline=add_working_days(today(), DISPUTE_DECISION_WORKING_DAYS),
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


@transaction.atomic(durable=True)
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
    _require_lead_side(actor, task)
    task = _locked_task(task)
    decision = _require_lead_side(actor, task)
    _require_state(task, TaskCommand.REPORT_PROGRESS)
    text = _required(text, "text", "nội dung báo cáo")
    if not isinstance(percent, int) or not 0 <= percent <= 100:
        raise DomainError("work.percent_invalid", "Tiến độ phải từ 0 đến 100%.", field="percent")
    before = _task_state(task)
    report = ProgressReport.objects.create(
        task=task, author=actor, percent=percent, text=text, blocker=blocker.strip()
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


@transaction.atomic(durable=True)
def task_report_progress(
    *, actor: Person, task: Task, percent: int, text: str, blocker: str = ""
) -> ProgressReport:
    """Report progress (and a blocker needing a decision, if any) on a task in progress."""
    return _task_report_progress(
        actor=actor, task=task, percent=percent, text=text, blocker=blocker
    )


def _task_submit(*, actor: Person, task: Task, note: str = "") -> Task:
    _require_lead_side(actor, task)
    task = _locked_task(task)
    decision = _require_lead_side(actor, task)
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


@transaction.atomic(durable=True)
def task_submit(*, actor: Person, task: Task, note: str = "") -> Task:
    """Submit the result of a task in progress for the assigner's approval."""
    return _task_submit(actor=actor, task=task, note=note)


# --------------------------------------------------------------------------------------------
# the assigner side


def _task_approve(
    *, actor: Person, task: Task, quality_grade: str, effectiveness_grade: str, note: str = ""
) -> Task:
    _require_assigner_side(actor, task)
    task = _locked_task(task)
    decision = _require_assigner_side(actor, task)
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


@transaction.atomic(durable=True)
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
    _require_assigner_side(actor, task)
    task = _locked_task(task)
    decision = _require_assigner_side(actor, task)
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


@transaction.atomic(durable=True)
def task_return(*, actor: Person, task: Task, reason: str) -> Task:
    """Send a submitted result back for rework (trả lại), with the reason; counted."""
    return _task_return(actor=actor, task=task, reason=reason)


def _task_cancel(*, actor: Person, task: Task, reason: str) -> Task:
    _require_assigner_side(actor, task, Power.TASK_ASSIGN)
    task = _locked_task(task)
    decision = _require_assigner_side(actor, task, Power.TASK_ASSIGN)
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


@transaction.atomic(durable=True)
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
    if TaskCoordinator.objects.filter(task=task, unit=unit).exists():
        raise DomainError(
            "work.coordinator_is_lead",
            f"{unit.name} đang là đơn vị phối hợp; bỏ vai trò phối hợp trước khi giao chủ trì.",
            field="unit",
        )
    before = _task_state(task)
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
            decided_by=actor,
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
        },
    )
    return dispute


@transaction.atomic(durable=True)
def dispute_decide(*, actor: Person, dispute: Dispute, unit: Unit, reason: str) -> Dispute:
    """Decide which unit leads the disputed task; binding (that unit cannot refuse it again).

    Only the current head of the dispute's decider unit, or a person that head delegated
    dispute.decide to (recorded as acting on the head's behalf). `unit` is any active unit in
    the decider's subtree that is not a coordinator of the task; the task goes back to
    "chờ tiếp nhận" with `unit` as its lead.
    """
    return _dispute_decide(actor=actor, dispute=dispute, unit=unit, reason=reason)


# --------------------------------------------------------------------------------------------
# extensions


def _extension_request(
    *, actor: Person, task: Task, new_deadline: dt.date, reason: str
) -> Extension:
    _require_lead_side(actor, task)
    task = _locked_task(task)
    decision = _require_lead_side(actor, task)
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


@transaction.atomic(durable=True)
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


@transaction.atomic(durable=True)
def extension_decide(
    *, actor: Person, extension: Extension, approve: bool, note: str = ""
) -> Extension:
    """Approve (the deadline moves, counted) or refuse (with a written reason) an extension
    request: the assigner, or task.approve over the assigning unit."""
    return _extension_decide(actor=actor, extension=extension, approve=approve, note=note)
