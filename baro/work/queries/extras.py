"""The task page's collaboration panels: coordinator inputs, guidance requests, attachments,
subtasks and their roll-up. Read by the task page (baro/work/views/tasks.py), the collaboration
pages (baro/work/views/collab.py) and the API (baro/work/api_collab.py).

Every "can_…" flag asks baro.work.permissions the question the matching service asks, so a
panel never offers a button whose command would be refused for lack of power.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count
from django.utils import timezone

from baro.org.models import Person, Unit
from baro.org.queries import active_on
from baro.work import permissions, rules
from baro.work.models import (
    Attachment,
    GuidanceRequest,
    InputPosition,
    InputRequest,
    Task,
    TaskCoordinator,
    TaskStatus,
)
from baro.work.uploads import attachment_max_bytes, attachment_types

__all__ = [
    "Rollup",
    "default_guidance_superior",
    "guidance_superiors",
    "is_late_answer",
    "is_silent",
    "subtask_rollup",
    "task_extras",
]


# --------------------------------------------------------------------------------------------
# coordinator inputs


def is_silent(row: InputRequest, today: dt.date) -> bool:
    """No answer and the due date has passed: silence counts as agreement (Công điện 280)."""
    return row.answered_at is None and today > row.due_on


def is_late_answer(row: InputRequest | GuidanceRequest) -> bool:
    """Answered, but after the due date (recorded, and shown)."""
    return row.answered_at is not None and timezone.localtime(row.answered_at).date() > row.due_on


def _inputs_panel(task: Task, actor: Person, today: dt.date, lead_side: bool) -> dict[str, Any]:
    open_task = task.status not in rules.TERMINAL_STATUSES
    coordinators = list(
        TaskCoordinator.objects.filter(task=task).select_related("unit").order_by("pk")
    )
    rows = []
    answer_power: dict[int, bool] = {}
    for row in InputRequest.objects.filter(task=task).select_related(
        "unit", "requested_by", "answered_by", "unclear_marked_by"
    ):
        if row.unit_id not in answer_power:
            answer_power[row.unit_id] = permissions.may_answer_input(actor, row.unit)
        rows.append(
            {
                "row": row,
                "silent": is_silent(row, today),
                "late": is_late_answer(row),
                "repeat": row.repeat_of_id is not None,
                "can_answer": open_task and not row.is_answered and answer_power[row.unit_id],
                "can_mark_unclear": lead_side and row.is_answered and not row.is_unclear,
            }
        )
    return {
        "rows": rows,
        "coordinators": coordinators,
        "positions": InputPosition.choices,
        "can_request": lead_side and task.status in rules.CONSULT_STATUSES and bool(coordinators),
        "silent_count": sum(1 for r in rows if r["silent"]),
    }


# --------------------------------------------------------------------------------------------
# guidance


def guidance_superiors(task: Task) -> list[Unit]:
    """The units the lead may ask for guidance: its ancestors, nearest first."""
    ids = task.lead_unit.ancestor_ids[:-1]
    units = {u.pk: u for u in Unit.objects.filter(pk__in=ids)}
    return [units[pk] for pk in reversed(ids) if pk in units]


def default_guidance_superior(task: Task) -> Unit | None:
    """The unit a guidance request goes to by default: the assigning unit when it is above the
    lead unit, else the lead unit's parent (None for a root lead)."""
    lead = task.lead_unit
    if task.assigning_unit_id != lead.pk and task.assigning_unit_id in lead.ancestor_ids:
        return task.assigning_unit
    return Unit.objects.filter(pk=lead.parent_id).first() if lead.parent_id else None


def _guidance_panel(task: Task, actor: Person, today: dt.date, lead_side: bool) -> dict[str, Any]:
    rows = []
    power: dict[int, bool] = {}
    for row in GuidanceRequest.objects.filter(task=task).select_related(
        "superior_unit", "asking_unit", "asked_by", "answered_by"
    ):
        if row.superior_unit_id not in power:
            power[row.superior_unit_id] = permissions.may_answer_guidance(actor, row.superior_unit)
        rows.append(
            {
                "row": row,
                "overdue": row.answered_at is None and today > row.due_on,
                "late": is_late_answer(row),
                "repeat": row.repeat_of_id is not None,
                "can_answer": not row.is_answered and power[row.superior_unit_id],
            }
        )
    superiors = guidance_superiors(task)
    default = default_guidance_superior(task)
    return {
        "rows": rows,
        "superiors": superiors,
        "default_superior_id": default.pk if default else None,
        "can_request": lead_side and task.status in rules.CONSULT_STATUSES and bool(superiors),
    }


# --------------------------------------------------------------------------------------------
# attachments


def _attachments_panel(task: Task, actor: Person) -> dict[str, Any]:
    can_add = task.status not in rules.TERMINAL_STATUSES and permissions.may_attach_to_task(
        actor, task
    )
    limit = attachment_max_bytes()
    return {
        "rows": list(
            Attachment.objects.filter(task=task).select_related("uploaded_by").order_by("pk")
        ),
        "can_add": can_add,
        "max_mb": f"{limit / (1024 * 1024):g}".replace(".", ","),
        "types": attachment_types(),
        "accept": ",".join(f".{ext}" for ext in attachment_types()),
    }


# --------------------------------------------------------------------------------------------
# subtasks


@dataclass
class Rollup:
    """Where a task's subtasks stand, for the parent's page.

    The parent's own percent is NOT derived from this: the parent's lead reports it (it answers
    for the whole task, including the synthesis no subtask covers); the roll-up is shown beside
    it. average_percent weighs every subtask that is not cancelled equally.
    """

    total: int = 0
    by_status: list[tuple[str, str, int]] = field(default_factory=list)
    average_percent: int | None = None
    earliest_overdue: Task | None = None
    overdue_count: int = 0
    all_completed: bool = False


def subtask_rollup(task: Task, today: dt.date) -> Rollup:
    counts = dict(
        Task.objects.filter(parent=task)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    live = Task.objects.filter(parent=task).exclude(status=TaskStatus.CANCELLED)
    percents = list(live.values_list("percent", "status"))
    overdue = live.exclude(status=TaskStatus.COMPLETED).filter(deadline__lt=today)
    average = (
        round(
            sum(100 if status == TaskStatus.COMPLETED else p for p, status in percents)
            / len(percents)
        )
        if percents
        else None
    )
    return Rollup(
        total=sum(counts.values()),
        by_status=[(s.value, str(s.label), counts[s.value]) for s in TaskStatus if s in counts],
        average_percent=average,
        earliest_overdue=overdue.select_related("lead_unit").order_by("deadline", "pk").first(),
        overdue_count=overdue.count(),
        all_completed=bool(percents)
        and all(status == TaskStatus.COMPLETED for _p, status in percents),
    )


def _subtasks_panel(task: Task, actor: Person, today: dt.date) -> dict[str, Any]:
    subtasks = list(
        Task.objects.filter(parent=task).select_related("lead_unit").order_by("deadline", "pk")
    )
    can_split = permissions.may_split(actor, task)
    units: list[Unit] = []
    if can_split:
        units = list(
            Unit.objects.filter(active_on(today), path__startswith=task.lead_unit.path)
            .exclude(pk=task.lead_unit_id)
            .order_by("path")[:200]
        )
    return {
        "rows": [{"task": sub, "timing": rules.timing_status(sub, today)} for sub in subtasks],
        "rollup": subtask_rollup(task, today),
        "can_split": can_split and bool(units),
        "units": units,
        "parent": task.parent,
    }


# --------------------------------------------------------------------------------------------


def task_extras(*, task: Task, actor: Person, today: dt.date) -> dict[str, Any]:
    """Everything the panels in work/_task_extras.html need, keyed by panel."""
    lead_side = permissions.may_act_as_lead(actor, task)
    return {
        "inputs": _inputs_panel(task, actor, today, lead_side),
        "guidance": _guidance_panel(task, actor, today, lead_side),
        "attachments": _attachments_panel(task, actor),
        "subtasks": _subtasks_panel(task, actor, today),
        "today": today,
    }
