"""stalled_at_zero: still at 0% past a share of the time.

An "assigned" or "in progress" task at 0% once more than BARO_FLAG_STALLED_PERCENT_OF_TIME
percent of its time (assigned_on → deadline, calendar days) has passed.

Subject: the lead unit and the officer (or the head). Evidence: the assignment and any
progress report events. One flag per task and deadline.

Settings:
BARO_FLAG_STALLED_PERCENT_OF_TIME  50  share of the time (percent) after which 0% is stalled
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from django.db import connection

from baro.core.timeutil import format_date
from baro.org.models import Person
from baro.oversight.detectors.common import (
    AT_ZERO_SQL,
    OBJ_TASK,
    T_TASK,
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
    no_flag,
    raise_flag,
    scan_rows,
    setting_int,
    title_of,
)
from baro.oversight.models import FlagKind
from baro.oversight.services import EvidenceItem


def _days(later: str, earlier: str) -> str:
    """later − earlier in days, for two date expressions."""
    if connection.vendor == "postgresql":
        return f"({later} - {earlier})"
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


def detect_stalled_at_zero(day: dt.date, *, actor: Person) -> int:
    """An assigned or in-progress task at 0% once more than
    BARO_FLAG_STALLED_PERCENT_OF_TIME percent of assigned_on → deadline has passed."""
    share = setting_int("BARO_FLAG_STALLED_PERCENT_OF_TIME")
    key = concat("'stalled_at_zero:task:'", id_text('t."id"'), "':'", date_text('t."deadline"'))
    day_sql = "CAST(%s AS DATE)" if connection.vendor == "postgresql" else "%s"
    elapsed = _days(day_sql, 't."assigned_on"')
    total = _days('t."deadline"', 't."assigned_on"')
    # 100 × elapsed > share × total, in whole calendar days: exact, no rounding.
    sql = (
        f'SELECT t."id" FROM "{T_TASK}" t '  # noqa: S608
        f"WHERE {AT_ZERO_SQL} "  # oversight_task_zero_idx
        f"AND 100 * {elapsed} > %s * {total} "
        f"AND {no_flag(key)}"
    )
    params = [date_param(day), share]
    found = [row[0] for row in scan_rows(sql, params)]
    if not found:
        return 0
    return batched(found, partial(_raise_stalled_at_zero, day=day, actor=actor, share=share))


def _raise_stalled_at_zero(found: list[Any], *, day: dt.date, actor: Person, share: int) -> int:
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
        unit = people.units[task.lead_unit_id]
        total = (task.deadline - task.assigned_on).days
        elapsed = (day - task.assigned_on).days
        evidence = [
            EvidenceItem(
                task_id=task.pk,
                event_id=e.pk,
                note="Giao nhiệm vụ" if e.action == "work.task.assigned" else "Báo cáo tiến độ 0%",
            )
            for e in events.get(str(task.pk), [])
        ]
        used = f"{elapsed}/{total} ngày" if total else f"{elapsed} ngày, hạn ngay ngày giao"
        summary = (
            f"Nhiệm vụ {title_of(task)} do {unit.name} chủ trì vẫn ở tiến độ 0% khi đã qua "
            f"{used} thời hạn (giao ngày {format_date(task.assigned_on)}, hạn "
            f"{format_date(task.deadline)})."
        )
        raised += raise_flag(
            actor=actor,
            kind=FlagKind.STALLED_AT_ZERO,
            dedupe_key=f"stalled_at_zero:task:{task.pk}:{task.deadline.isoformat()}",
            unit=unit,
            person=people.officer_or_head(task),
            task=task,
            summary=summary,
            figures={
                "assigned_on": task.assigned_on.isoformat(),
                "deadline": task.deadline.isoformat(),
                "days_elapsed": elapsed,
                "days_total": total,
                "threshold": share,  # percent of the time
            },
            evidence=ensure_evidence(evidence, task, "Nhiệm vụ tiến độ 0%"),
        )
    return raised


DETECTOR = Detector(
    "stalled_at_zero",
    detect_stalled_at_zero,
    (FlagKind.STALLED_AT_ZERO,),
    "Nhiệm vụ vẫn ở tiến độ 0% khi đã quá nửa thời hạn",
)
