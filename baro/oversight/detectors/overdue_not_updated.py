"""overdue_not_updated: overdue and not updated.

A task its lead is working on ("assigned" or "in progress"), past its deadline and not updated
as baro.work.rules.not_updated says (no progress report for more than BARO_NOT_UPDATED_DAYS
days, counted from the last report or the assignment).

Subject: the lead unit and the officer (or the head). Evidence: the assignment and the last
progress report events. One flag per task and deadline.

Settings:
BARO_NOT_UPDATED_DAYS  7   (read by baro.work.rules) days without a progress report
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from django.utils import timezone

from baro.core.timeutil import format_date
from baro.org.models import Person
from baro.oversight.detectors.common import (
    OBJ_TASK,
    T_TASK,
    WORKING,
    Detector,
    People,
    batched,
    by_object,
    concat,
    date_param,
    date_text,
    ensure_evidence,
    id_text,
    load_events,
    load_tasks,
    marks,
    midnight_param,
    no_flag,
    raise_flag,
    scan_rows,
    title_of,
)
from baro.oversight.models import FlagKind
from baro.oversight.services import EvidenceItem
from baro.work import rules


def detect_overdue_not_updated(day: dt.date, *, actor: Person) -> int:
    """Past its deadline and not updated, as baro.work.rules.not_updated defines it."""
    days = rules.not_updated_days()
    # rules.not_updated: (day - last).days > days, last = the local date of the last report
    # or the assignment date; i.e. last < day - days.
    quiet_since = day - dt.timedelta(days=days)
    key = concat("'overdue_not_updated:task:'", id_text('t."id"'), "':'", date_text('t."deadline"'))
    sql = (
        f'SELECT t."id" FROM "{T_TASK}" t '  # noqa: S608
        f'WHERE t."status" IN ({marks(WORKING)}) AND t."deadline" < %s '  # work_task_due_idx
        f'AND ((t."last_progress_at" IS NOT NULL AND t."last_progress_at" < %s) '
        f'OR (t."last_progress_at" IS NULL AND t."assigned_on" < %s)) '
        f"AND {no_flag(key)}"
    )
    params = [
        *WORKING,
        date_param(day),
        midnight_param(quiet_since),
        date_param(quiet_since),
    ]
    found = [row[0] for row in scan_rows(sql, params)]
    if not found:
        return 0
    return batched(found, partial(_raise_overdue_not_updated, day=day, actor=actor, days=days))


def _raise_overdue_not_updated(found: list[Any], *, day: dt.date, actor: Person, days: int) -> int:
    tasks = load_tasks(found)
    events = by_object(
        load_events(OBJ_TASK, found, ["work.task.assigned", "work.task.progress_reported"])
    )
    people = People.load(
        day, (t.lead_unit_id for t in tasks.values()), (t.officer_id for t in tasks.values())
    )
    raised = 0
    for task_id in found:
        task = tasks[task_id]
        if not rules.not_updated(task, day, days):  # the rule's own definition, to be sure
            continue
        unit = people.units[task.lead_unit_id]
        own = events.get(str(task.pk), [])
        assigned = [e for e in own if e.action == "work.task.assigned"]
        reports = [e for e in own if e.action == "work.task.progress_reported"]
        evidence = [
            EvidenceItem(task_id=task.pk, event_id=e.pk, note="Giao nhiệm vụ") for e in assigned
        ]
        if task.last_progress_at is not None:
            last = timezone.localtime(task.last_progress_at).date()
            told = f"lần cập nhật cuối ngày {format_date(last)}"
            evidence += [
                EvidenceItem(task_id=task.pk, event_id=e.pk, note="Báo cáo tiến độ lần cuối")
                for e in reports[-1:]
            ]
        else:
            last = task.assigned_on
            told = f"chưa báo cáo tiến độ lần nào từ ngày giao {format_date(last)}"
        silent = (day - last).days
        summary = (
            f"Nhiệm vụ {title_of(task)} do {unit.name} chủ trì quá hạn từ "
            f"{format_date(task.deadline)} ({(day - task.deadline).days} ngày) và không cập "
            f"nhật tiến độ {silent} ngày ({told}; tiến độ {task.percent}%)."
        )
        raised += raise_flag(
            actor=actor,
            kind=FlagKind.OVERDUE_NOT_UPDATED,
            dedupe_key=f"overdue_not_updated:task:{task.pk}:{task.deadline.isoformat()}",
            unit=unit,
            person=people.officer_or_head(task),
            task=task,
            summary=summary,
            figures={
                "deadline": task.deadline.isoformat(),
                "days_overdue": (day - task.deadline).days,
                "last_update": last.isoformat(),
                "days": silent,  # without an update
                "threshold": days,
                "percent": task.percent,
            },
            evidence=ensure_evidence(evidence, task, "Nhiệm vụ quá hạn, không cập nhật"),
        )
    return raised


DETECTOR = Detector(
    "overdue_not_updated",
    detect_overdue_not_updated,
    (FlagKind.OVERDUE_NOT_UPDATED,),
    "Nhiệm vụ quá hạn và không cập nhật tiến độ",
)
