"""What every command of directives and tasks shares: the ledger's object types, validation
with work's codes, the task locked and re-read, the transitions map checked, the task's
before/after snapshots and its save."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext as _

from baro.core.errors import DomainError, NotFoundError
from baro.core.sql import locked_row
from baro.core.timeutil import format_date
from baro.core.validation import clean_fields, required_text
from baro.org.authority import Decision
from baro.org.models import Person, Unit
from baro.work import rules
from baro.work.models import (
    DeadlineRule,
    Task,
    TaskCoordinator,
    TaskStatus,
)
from baro.work.permissions import UNIT_DECISIONS, require_lead_command, require_lead_side
from baro.work.rules import TaskCommand

OBJ_DIRECTIVE = "work.directive"
OBJ_TASK = "work.task"
OBJ_DISPUTE = "work.dispute"
OBJ_EXTENSION = "work.extension"
OBJ_INPUT = "work.input_request"
OBJ_GUIDANCE = "work.guidance_request"
OBJ_ATTACHMENT = "work.attachment"


clean = partial(clean_fields, area="work")
required = partial(required_text, area="work")


def choice(value: str, choices: type[models.TextChoices], field: str, label: str) -> str:
    if value not in choices.values:
        raise DomainError(
            "work.invalid_choice",
            _("%(label)s “%(value)s” không hợp lệ.") % {"label": label, "value": value},
            field=field,
        )
    return value


def in_subtree(unit: Unit, root: Unit) -> bool:
    return unit.path.startswith(root.path)


def require_active(unit: Unit, day: dt.date, field: str) -> None:
    if not unit.is_active_on(day):
        raise DomainError(
            "work.unit_inactive",
            _("Đơn vị %(unit)s không còn hiệu lực vào ngày %(day)s.")
            % {"unit": unit.name, "day": format_date(day)},
            field=field,
        )


def locked_task(task: Task) -> Task:
    try:
        return locked_row(Task, task.pk, related="lead_unit")
    except Task.DoesNotExist as exc:
        raise NotFoundError(_("Không tìm thấy nhiệm vụ.")) from exc


def _authority_inputs(task: Task) -> tuple[int | None, ...]:
    """What the lead-side and assigner-side checks read from a task."""
    return (task.lead_unit_id, task.officer_id, task.assigner_id, task.assigning_unit_id)


def locked_for(
    actor: Person, task: Task, check: Callable[..., Decision], *args: Any, **kwargs: Any
) -> tuple[Task, Decision]:
    """Authorise on the task as given, lock and re-read it, and authorise again only if what
    the check reads changed meanwhile (a dispute decision may have moved the lead): the same
    question on the same row inside one transaction gets the same answer, and asking it twice
    was a fifth of a transition's time."""
    first = check(actor, task, *args, **kwargs)
    locked = locked_task(task)
    if _authority_inputs(locked) == _authority_inputs(task):
        return locked, first
    return locked, check(actor, locked, *args, **kwargs)


def locked_for_lead(actor: Person, task: Task, command: str) -> tuple[Task, Decision]:
    """locked_for with the lead side's check for `command` (permissions.require_lead_command,
    which the page's buttons ask too), its one state-dependent part judged on the locked row:
    the named officer acts only once the unit accepted the task, and a copy of the task read
    before the acceptance must not refuse them, nor one read after it let them through."""
    officer_may = command not in UNIT_DECISIONS
    locked, decision = locked_for(actor, task, require_lead_side, officer_may=officer_may)
    if officer_may and locked.officer_id == actor.pk and locked.status == TaskStatus.ASSIGNED:
        decision = require_lead_command(actor, locked, command)
    return locked, decision


def require_state(task: Task, command: str) -> str:
    """The status `command` leads to from the task's current status, or `work.wrong_state`."""
    if not rules.is_allowed(task.status, command):
        raise DomainError(
            "work.wrong_state",
            _("Không thể %(command)s nhiệm vụ đang ở trạng thái “%(status)s”.")
            % {
                "command": TaskCommand(command).label.lower(),
                "status": TaskStatus(task.status).label,
            },
            field="status",
            details={"status": task.status, "command": command},
        )
    return rules.target_status(task.status, command)


def require_state_in(task: Task, allowed: frozenset[str], what: str) -> None:
    if task.status not in allowed:
        raise DomainError(
            "work.wrong_state",
            _("Không thể %(what)s khi nhiệm vụ đang ở trạng thái “%(status)s”.")
            % {"what": what, "status": TaskStatus(task.status).label},
            field="status",
            details={"status": task.status},
        )


def task_state(task: Task) -> dict[str, Any]:
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


def task_full_state(task: Task, coordinators: Sequence[TaskCoordinator]) -> dict[str, Any]:
    return {
        **task_state(task),
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


TASK_RELATIONS = [f.name for f in Task._meta.fields if f.is_relation]


def save_task(task: Task, fields: list[str]) -> None:
    # Only the changed fields are validated: the others were valid when stored, and the
    # database's constraints stand behind every row (re-checking four foreign keys per
    # transition was a third of its time).
    clean(task, exclude=[f.name for f in Task._meta.fields if f.name not in fields])
    task.save(update_fields=fields)


def setting_int(name: str, default: int) -> int:
    return int(getattr(settings, name, default))
