"""Assigning a task (giao nhiệm vụ) and splitting off a subtask; the deadline a rule gives."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from baro.core.errors import DomainError
from baro.core.run import command
from baro.core.sql import insert_row
from baro.core.timeutil import format_date, today
from baro.ledger.services import record_action
from baro.org import authority
from baro.org.authority import Power
from baro.org.models import Person, Unit
from baro.work import lines, rules
from baro.work.models import (
    DeadlineRule,
    Directive,
    Priority,
    Task,
    TaskCoordinator,
    TaskGroup,
    TaskStatus,
)
from baro.work.services import notices
from baro.work.services.common import (
    OBJ_TASK,
    TASK_RELATIONS,
    choice,
    clean,
    in_subtree,
    locked_task,
    require_active,
    require_state_in,
    required,
    task_full_state,
)
from baro.workdays.calendar import add_calendar_days, add_working_days, period_end


@dataclass(frozen=True)
class CoordinatorSpec:
    """A coordinating unit as given to task_assign: (unit, part, sub_deadline) also works."""

    unit: Unit
    part: str = ""
    sub_deadline: dt.date | None = None


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
            raise DomainError("work.field_required", _("Chưa nhập hạn xử lý."), field="deadline")
        return on
    if rule in (DeadlineRule.CALENDAR_DAYS, DeadlineRule.WORKING_DAYS):
        if days is None or days < 1:
            raise DomainError(
                "work.deadline_days_invalid", _("Số ngày phải từ 1 trở lên."), field="deadline_days"
            )
        if rule == DeadlineRule.CALENDAR_DAYS:
            return add_calendar_days(assigned_on, days)
        return add_working_days(assigned_on, days)
    if rule == DeadlineRule.PERIOD:
        try:
            end = period_end(period_kind, period_year or 0, period_number)
        except ValueError as exc:
            raise DomainError(
                "work.period_invalid", _("Kỳ hạn không hợp lệ."), field="deadline_period"
            ) from exc
        return add_calendar_days(end, 0)
    raise DomainError(
        "work.invalid_choice",
        _("Cách tính hạn “%(rule)s” không hợp lệ.") % {"rule": rule},
        field="deadline_rule",
    )


def _coordinator_specs(
    items: Sequence[CoordinatorSpec | tuple[Unit, str, dt.date | None]],
) -> list[CoordinatorSpec]:
    return [item if isinstance(item, CoordinatorSpec) else CoordinatorSpec(*item) for item in items]


@command
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

    The actor holds task.assign over `assigning_unit`; the lead is one the assignment lines
    allow it (baro.work.lines: by the two units' systems, within the line's reach); every
    coordinator is at the assigning unit's level or below; the deadline comes from
    `deadline_rule` ("date" with `deadline`, "calendar_days" or "working_days" with
    `deadline_days`, "period" with `deadline_period_*`) counted from today and may not precede
    today. `coordinators` are CoordinatorSpec or (unit, part, sub_deadline).
    """
    decision = authority.require(actor, Power.TASK_ASSIGN, assigning_unit)
    day = today()
    title = required(title, "title", _("tên nhiệm vụ"))
    choice(priority, Priority, "priority", _("Mức độ ưu tiên"))
    choice(deadline_rule, DeadlineRule, "deadline_rule", _("Cách tính hạn"))
    require_active(assigning_unit, day, "assigning_unit")
    require_active(lead_unit, day, "lead_unit")
    # Who may lead is the assignment lines' rule (baro.work.lines), which the form asks too.
    lines.check_lead(assigning_unit, lead_unit)
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
            _("Hạn xử lý %(due)s trước ngày giao %(day)s.")
            % {"due": format_date(due), "day": format_date(day)},
            field="deadline",
        )
    specs = _coordinator_specs(coordinators)
    seen: set[int] = set()
    for spec in specs:
        if spec.unit.pk == lead_unit.pk:
            raise DomainError(
                "work.coordinator_is_lead",
                _("%(lead_unit)s đã là đơn vị chủ trì, không thể đồng thời là đơn vị phối hợp.")
                % {"lead_unit": lead_unit.name},
                field="coordinators",
            )
        if spec.unit.pk in seen:
            raise DomainError(
                "work.coordinator_duplicate",
                _("%(unit)s được nêu hai lần trong các đơn vị phối hợp.")
                % {"unit": spec.unit.name},
                field="coordinators",
            )
        seen.add(spec.unit.pk)
        require_active(spec.unit, day, "coordinators")
        lines.check_coordinator(assigning_unit, spec.unit)
        if spec.sub_deadline is not None and not day <= spec.sub_deadline <= due:
            raise DomainError(
                "work.sub_deadline_invalid",
                _("Hạn phối hợp của %(unit)s phải từ ngày giao đến hạn của nhiệm vụ.")
                % {"unit": spec.unit.name},
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
            _("%(officer)s không công tác tại %(lead_unit)s.")
            % {"officer": officer.full_name, "lead_unit": lead_unit.name},
            field="officer",
        )
    if group is not None and (directive is None or group.directive_id != directive.pk):
        raise DomainError(
            "work.group_mismatch",
            _("Nhóm nhiệm vụ không thuộc văn bản chỉ đạo đã chọn."),
            field="group",
        )
    if parent is not None:
        parent = locked_task(parent)
        if parent.status in rules.TERMINAL_STATUSES:
            raise DomainError(
                "work.parent_closed",
                _("Nhiệm vụ cha đã kết thúc, không giao thêm nhiệm vụ con."),
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
    clean(task, exclude=TASK_RELATIONS)
    task = insert_row(task, related=TASK_RELATIONS)
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
    notices.tell_assigned(actor, task, rows)
    record_action(
        actor=actor,
        decision=decision,
        action="work.task.assigned",
        object_type=OBJ_TASK,
        object_id=task.pk,
        payload={"before": None, "after": task_full_state(task, rows)},
    )
    return task


@command
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
    parent_lead = Unit.objects.get(pk=parent.lead_unit_id)
    authority.require(actor, Power.TASK_ASSIGN, parent_lead)
    parent = locked_task(parent)
    if parent.lead_unit_id != parent_lead.pk:  # a dispute decision moved the lead meanwhile
        parent_lead = parent.lead_unit
    authority.require(actor, Power.TASK_ASSIGN, parent_lead)
    require_state_in(parent, frozenset({TaskStatus.IN_PROGRESS}), _("giao nhiệm vụ con"))
    if lead_unit.pk == parent_lead.pk or not in_subtree(lead_unit, parent_lead):
        raise DomainError(
            "work.subtask_outside",
            _(
                "%(lead_unit)s không phải đơn vị cấp dưới của %(parent_lead)s: chỉ giao "
                "nhiệm vụ con cho đơn vị trực thuộc đơn vị chủ trì."
            )
            % {"lead_unit": lead_unit.name, "parent_lead": parent_lead.name},
            field="lead_unit",
        )
    due = compute_deadline(assigned_on=today(), rule=deadline_rule, days=deadline_days, on=deadline)
    if due > parent.deadline:
        raise DomainError(
            "work.subtask_after_parent",
            _("Hạn nhiệm vụ con %(due)s sau hạn nhiệm vụ cha %(deadline)s.")
            % {"due": format_date(due), "deadline": format_date(parent.deadline)},
            field="deadline",
        )
    # One assignment, one event (work.task.assigned, with parent_id): the assigning unit is the
    # parent's lead, so the subtask's result goes back to it for approval.
    return task_assign(
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
