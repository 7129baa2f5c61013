"""not_accepted: a task not accepted in time.

A task still "assigned" (waiting for acceptance) more than BARO_FLAG_ACCEPT_WORKING_DAYS
working days after it reached its lead: the assignment, or the dispute decision that gave it
to this lead.

Subject: the lead unit and its head. Evidence: `work.task.assigned` (and the
`work.dispute.decided` that restarted the wait). One flag per task and lead.

Settings:
BARO_FLAG_ACCEPT_WORKING_DAYS  3   working days a task may wait for acceptance
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from django.utils import timezone

from baro.core.timeutil import format_date
from baro.org.models import Person
from baro.oversight.detectors.common import (
    OBJ_DISPUTE,
    OBJ_TASK,
    T_DISPUTE,
    T_TASK,
    WAITING_SQL,
    Detector,
    People,
    batched,
    by_object,
    concat,
    date_param,
    ensure_evidence,
    id_text,
    load_events,
    load_tasks,
    midnight_param,
    no_flag,
    raise_flag,
    scan_rows,
    setting_int,
    title_of,
)
from baro.oversight.models import FlagKind
from baro.oversight.services import EvidenceItem
from baro.work.models import Dispute
from baro.workdays.calendar import working_days_between


def acceptance_cutoff(day: dt.date, working_days: int) -> dt.date:
    """The latest start day from which more than `working_days` working days have passed by
    `day`: a task waiting since that day or earlier is late. Working days are counted after
    the start day (Bộ luật Dân sự 2015, Điều 147), as baro.workdays.calendar does."""
    start = day - dt.timedelta(days=1)
    # A bounded walk back: the longest run of days off (Tết) is about ten days.
    while working_days_between(start, day) <= working_days:
        start -= dt.timedelta(days=1)
    return start


def detect_not_accepted(day: dt.date, *, actor: Person) -> int:
    """Still waiting for acceptance more than BARO_FLAG_ACCEPT_WORKING_DAYS working days after
    the task reached its current lead (the assignment, or the dispute decision naming it)."""
    limit = setting_int("BARO_FLAG_ACCEPT_WORKING_DAYS")
    cutoff = acceptance_cutoff(day, limit)
    key = concat("'not_accepted:task:'", id_text('t."id"'), "':unit:'", id_text('t."lead_unit_id"'))
    sql = (
        f'SELECT t."id" FROM "{T_TASK}" t '  # noqa: S608
        f'WHERE {WAITING_SQL} AND t."assigned_on" <= %s '  # oversight_task_waiting_idx
        # A dispute decided after the cut-off gave the task to its lead too recently.
        f'AND NOT EXISTS (SELECT 1 FROM "{T_DISPUTE}" d WHERE d."task_id" = t."id" '
        f'AND d."decided_at" >= %s) '
        f"AND {no_flag(key)}"
    )
    params = [date_param(cutoff), midnight_param(cutoff + dt.timedelta(days=1))]
    found = [row[0] for row in scan_rows(sql, params)]
    if not found:
        return 0
    return batched(found, partial(_raise_not_accepted, day=day, actor=actor, limit=limit))


def _raise_not_accepted(found: list[Any], *, day: dt.date, actor: Person, limit: int) -> int:
    tasks = load_tasks(found)
    last_decision: dict[int, Dispute] = {}
    for dispute in Dispute.objects.filter(task_id__in=found, decided_at__isnull=False).order_by(
        "decided_at", "pk"
    ):
        last_decision[dispute.task_id] = dispute
    people = People.load(day, (t.lead_unit_id for t in tasks.values()))
    assigned = by_object(load_events(OBJ_TASK, found, ["work.task.assigned"]))
    decided = by_object(
        load_events(OBJ_DISPUTE, [d.pk for d in last_decision.values()], ["work.dispute.decided"])
    )
    raised = 0
    for task_id in found:
        task = tasks[task_id]
        unit = people.units[task.lead_unit_id]
        since = task.assigned_on
        evidence = [
            EvidenceItem(task_id=task.pk, event_id=e.pk, note="Giao nhiệm vụ")
            for e in assigned.get(str(task.pk), [])
        ]
        decision = last_decision.get(task.pk)
        if decision is not None and decision.decided_at is not None:
            since = max(since, timezone.localtime(decision.decided_at).date())
            evidence += [
                EvidenceItem(
                    task_id=task.pk, event_id=e.pk, note=f"Quyết định giao {unit.name} chủ trì"
                )
                for e in decided.get(str(decision.pk), [])
            ]
        waited = working_days_between(since, day)
        summary = (
            f"{unit.name} chưa tiếp nhận nhiệm vụ {title_of(task)} sau {waited} ngày làm việc "
            f"(nhận từ ngày {format_date(since)}; thời hạn tiếp nhận {limit} ngày làm việc)."
        )
        raised += raise_flag(
            actor=actor,
            kind=FlagKind.NOT_ACCEPTED,
            dedupe_key=f"not_accepted:task:{task.pk}:unit:{unit.pk}",
            unit=unit,
            person=people.head(unit.pk),
            task=task,
            summary=summary,
            figures={
                "since": since.isoformat(),
                "days": waited,  # working days
                "threshold": limit,
            },
            evidence=ensure_evidence(evidence, task, "Nhiệm vụ chờ tiếp nhận"),
        )
    return raised


DETECTOR = Detector(
    "not_accepted",
    detect_not_accepted,
    (FlagKind.NOT_ACCEPTED,),
    "Nhiệm vụ chờ tiếp nhận quá số ngày làm việc cho phép",
)
